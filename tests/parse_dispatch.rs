//! Parsing, dispatch: a blank line dispatches the block (nothing when the
//! data buffer is empty), the event type resets and the last event ID stays,
//! whole streams of several events, and the parser's state across streams
//! (a starting ID, a reconnection, a stop in the middle).
//!
//! The cases are ported from web-platform-tests, other implementations'
//! suites and bugs other crates shipped; each names its origin (in its name
//! or its comment), since its value is that it is someone else's
//! expectation. The rule-by-rule cases are in `conformance.rs`.

#[macro_use]
mod common;

use common::ported::*;
use common::{assert_frames, comment, event, message, parse_chunks};
use core::time::Duration;
use sse_proto::{EventId, OwnedFrame, Parser};

message_py! {
    // From web-platform-tests, eventsource/.
    // eventsource-onmessage.htm / .any.js (also the dedicated- and
    // shared-worker variants, eventsource-close, eventsource-eventtarget):
    // message.py's default message.
    eventsource_onmessage: "data: data" => [message("data", "")];
}

/// From web-platform-tests, eventsource/.
///
/// event-data.html / event-data.any.js with `resources/message2.py`, whose
/// loop sends this block again every two seconds: "msg\nmsg", then "", then
/// "end"; "falsefield" and "Data" are unknown fields.
#[test]
fn event_data() {
    let block = "data:msg\ndata: msg\n\n:\n\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n";
    let once = [
        message("msg\nmsg", ""),
        comment(""),
        message("", ""),
        message("end", ""),
    ];
    assert_frames(block.repeat(2).as_bytes(), &[once.clone(), once].concat());
}

cases! {
    assert_frames:
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "receives a message event".
    from_readable_stream_message: "data: hello\n\n" => [message("hello", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "handles multi-line data fields".
    from_readable_stream_multi_line: "data: hello\ndata: world\n\n" => [message("hello\nworld", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "receives multiple message events".
    from_readable_stream_multiple: "data: first\n\ndata: second\n\n"
        => [message("first", ""), message("second", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "handles custom event types".
    from_readable_stream_custom_type: "event: custom\ndata: hello\n\n" => [event("custom", "hello", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "TransformStream pattern allows multiple streams to be piped through":
    // one stream, two bodies back to back.
    from_readable_stream_piped: "data: first\n\ndata: second\n\n"
        => [message("first", ""), message("second", "")];
}

/// From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
///
/// eventsource-from-readable-stream.any.js "lastEventId persists across
/// reconnections" and "reconnectionTime persists across reconnections via
/// TransformStream".
#[test]
fn from_readable_stream_state_persists() {
    let mut parser = Parser::new();
    let first: &[u8] = b"id: 42\nretry: 3000\ndata: first\n\n";
    parse_chunks(&mut parser, [first]);
    assert_eq!(parser.last_event_id(), "42");
    assert_eq!(
        parser.reconnection_time(),
        Some(Duration::from_millis(3000))
    );
    let second: &[u8] = b"data: after-reconnect\n\n";
    assert_eq!(
        parse_chunks(&mut parser, [second]),
        [Ok(message("after-reconnect", "42"))]
    );
    assert_eq!(parser.last_event_id(), "42");
    assert_eq!(
        parser.reconnection_time(),
        Some(Duration::from_millis(3000))
    );
}

cases! {
    assert_frames:
    // From Chromium (Blink), event_source_parser_test.cc.
    // EmptyMessageEventShouldNotBeDispatched.
    chromium_empty_message_event_should_not_be_dispatched: "\n" => [];
    // From Chromium (Blink), event_source_parser_test.cc.
    // DispatchSimpleMessageEvent.
    chromium_dispatch_simple_message_event: "data:hello\n\n" => [message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // DispatchMessageEventWithCustomEventType.
    chromium_dispatch_message_event_with_custom_event_type: "event:foo\ndata:hello\n\n" => [event("foo", "hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // RetryTakesEffectEvenWhenNotDispatching.
    chromium_retry_takes_effect_even_when_not_dispatching: "retry:999\n" => [retry(999)];
    // From Chromium (Blink), event_source_parser_test.cc.
    // EventTypeShouldBeReset.
    chromium_event_type_should_be_reset: "event:foo\ndata:hello\n\ndata:bye\n\n"
        => [event("foo", "hello", ""), message("bye", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // DataShouldBeReset.
    chromium_data_should_be_reset: "data:hello\n\n\n" => [message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // LastEventIdShouldNotBeReset.
    chromium_last_event_id_should_not_be_reset: "id:99\ndata:hello\n\ndata:bye\n\n"
        => [message("hello", "99"), message("bye", "99")];
}

/// From Chromium (Blink), event_source_parser_test.cc.
///
/// ConstructWithLastEventId: a parser started with "hoge" (a reconnection).
#[test]
fn chromium_construct_with_last_event_id() {
    let mut parser = Parser::new().with_last_event_id(EventId::new("hoge").unwrap());
    assert_eq!(parser.last_event_id(), "hoge");
    assert_eq!(
        feed(&mut parser, &[b"data:hello\n\n"]),
        [message("hello", "hoge")]
    );
    assert_eq!(parser.last_event_id(), "hoge");
}

/// From Chromium (Blink), event_source_parser_test.cc.
///
/// DispatchMessageEventWithLastEventId and
/// LastEventIdCanBeUpdatedEvenWhenDataIsEmpty: the ID changes at the blank
/// line, with or without an event.
#[test]
fn chromium_dispatch_message_event_with_last_event_id() {
    let mut parser = Parser::new();
    assert_eq!(feed(&mut parser, &[b"id:99\ndata:hello\n"]), []);
    assert_eq!(parser.last_event_id(), "");
    assert_eq!(feed(&mut parser, &[b"\n"]), [message("hello", "99")]);
    assert_eq!(parser.last_event_id(), "99");

    let mut parser = Parser::new();
    assert_eq!(feed(&mut parser, &[b"id:99\n"]), []);
    assert_eq!(parser.last_event_id(), "");
    assert_eq!(feed(&mut parser, &[b"\n"]), []);
    assert_eq!(parser.last_event_id(), "99");
}

/// From Chromium (Blink), event_source_parser_test.cc.
///
/// StopWhileParsing: what was parsed before the client stops holds — the
/// first event and the ID of its block ("99"), not the next block's.
#[test]
fn chromium_stop_while_parsing() {
    let mut parser = Parser::new();
    let mut input: &[u8] = b"data:hello\nid:99\n\nid:44\ndata:bye\n\n";
    let first = parser
        .feed(&mut input)
        .expect("no limit")
        .map(|f| f.into_owned());
    assert_eq!(first, Some(message("hello", "99")));
    assert_eq!(parser.last_event_id(), "99");
}

/// From rexxars/eventsource-parser, test/parse.test.ts.
///
/// 'basic unnamed events stream' (getBasicFixtureStream).
#[test]
fn eventsource_parser_basic_unnamed_events_stream() {
    let input: String = (0..5).map(|i| format!("data: {i}\n\n")).collect::<String>() + DONE;
    let mut expected: Vec<_> = (0..5).map(|i| message(&i.to_string(), "")).collect();
    expected.push(done(""));
    assert_events(input.as_bytes(), &expected);
}

/// From rexxars/eventsource-parser, test/parse.test.ts.
///
/// 'maxBufferSize: not triggered when events dispatch within the limit'.
#[test]
fn eventsource_parser_hundred_small_events_content() {
    let input: String = (0..100).map(|i| format!("data: {i}\n\n")).collect();
    let expected: Vec<_> = (0..100).map(|i| message(&i.to_string(), "")).collect();
    assert_events(input.as_bytes(), &expected);
}

/// From rexxars/eventsource-parser, test/parse.test.ts.
///
/// 'reports an `id` from a block without data when the block is dispatched'
/// and '... using CR / CRLF line endings'.
#[test]
fn eventsource_parser_id_from_block_without_data() {
    let mut parser = Parser::new();
    assert_eq!(feed(&mut parser, &[b"id: 42\n"]), []);
    assert_eq!(parser.last_event_id(), "");
    assert_eq!(feed(&mut parser, &[b"\n"]), []);
    assert_eq!(parser.last_event_id(), "42");
    feed(&mut parser, &[b"id: bad\0id\n\n"]);
    assert_eq!(parser.last_event_id(), "42");
    feed(&mut parser, &[b"id:\n\n"]);
    assert_eq!(parser.last_event_id(), "");
    for block in [&b"id: 42\r\r"[..], b"id: 42\r\n\r\n"] {
        let mut parser = Parser::new();
        feed(&mut parser, &[block]);
        assert_eq!(parser.last_event_id(), "42");
    }
}

cases! {
    assert_frames:
    // From launchdarkly/sse-contract-tests.
    // tests_basic_parsing.go "one-line message in one chunk" / "in two
    // chunks" / "default event type".
    launchdarkly_one_line_message: "data: Hello\n\n" => [message("Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "two one-line messages in one chunk".
    launchdarkly_two_one_line_messages: "data: Hello\n\ndata: World\n\n" => [message("Hello", ""), message("World", "")];
    // From launchdarkly/sse-contract-tests.
    // "one two-line message in one chunk".
    launchdarkly_one_two_line_message: "data: Hello\ndata:World\n\n" => [message("Hello\nWorld", "")];
}

/// From launchdarkly/sse-contract-tests.
///
/// tests_basic_parsing.go "many messages in rapid succession".
#[test]
fn launchdarkly_many_messages_in_rapid_succession() {
    let input: String = (0..100).map(|i| format!("data: message {i}\n\n")).collect();
    let expected: Vec<_> = (0..100)
        .map(|i| message(&format!("message {i}"), ""))
        .collect();
    assert_frames(input.as_bytes(), &expected);
}

cases! {
    assert_frames:
    // From nodejs/undici, test/eventsource/.
    // 'Simple event with data field.'
    undici_simple_event_with_data_field: "data: Hello\n\n" => [message("Hello", "")];
    // From nodejs/undici, test/eventsource/.
    // 'Should fire two events.' (the standard's example).
    undici_should_fire_two_events: "data\n\ndata\ndata\n\ndata:" => [message("", ""), message("\n", "")];
    // From nodejs/undici, test/eventsource/.
    // 'Should fire two identical events.'
    undici_should_fire_two_identical_events: "data:test\n\ndata: test\n\n" => [message("test", ""), message("test", "")];
}

/// From WebKit, LayoutTests/http/tests/eventsource/.
///
/// eventsource-parse-event-stream.html (script-tests version) with
/// `resources/event-stream.py`, whose body starts with the "\n" after the
/// headers and splits "da" / "ta: ..." across two writes. The last comment
/// there says a bare `retry` line is "reset to ua default": WebKit, like
/// Chromium, restores its default reconnection time (not observed by the
/// test; see `chromium_retry_with_empty_value_should_restore_default_value`).
#[test]
fn webkit_eventsource_parse_event_stream() {
    let body = concat!(
        "\n",
        ": a comment (ignored)\n",
        "this line will be ignored since there is no field and the line itself is not a field\n",
        "field: an unknown field that will be ignored\n",
        ":another commment\n\n",
        "data : this line will be ignored since there is a space after data\n\n",
        "data\n",
        "data:\n",
        "data\n",
        ": dispatch event with two newlines\n\n",
        "data: simple\n\n",
        "data: spanning\n",
        "data:multiple\n",
        "data\n",
        "data: lines\n",
        "data\n\n",
        "id: 1\n",
        "data: id is 1\n\n",
        "data: id is still 1\n\n",
        "id\n",
        "data: no id\n\n",
        "event: open\n",
        "data: a message event with the name \"open\"\n\n",
        "da",
        "ta: a message event with the name \"message\"\n\n",
        "data: a line ending with crlf\r\n",
        "data: a line with a : (colon)\n",
        "data: a line ending with cr\r\n",
        "retry: 10000\n",
        ": reconnection time set to 10 seconds\n\n",
        "retry: one thousand\n",
        ": ignored invalid reconnection time value\n\n",
        "retry\n",
        ": reset to ua default\n\n\n",
    );
    assert_frames(
        body.as_bytes(),
        &[
            comment("a comment (ignored)"),
            comment("another commment"),
            comment("dispatch event with two newlines"),
            message("\n\n", ""),
            message("simple", ""),
            message("spanning\nmultiple\n\nlines\n", ""),
            message("id is 1", "1"),
            message("id is still 1", "1"),
            message("no id", ""),
            event("open", "a message event with the name \"open\"", ""),
            message("a message event with the name \"message\"", ""),
            // The retry and the comment belong to this event's block: they
            // come out at their lines, the event at the blank line.
            retry(10000),
            comment("reconnection time set to 10 seconds"),
            message(
                "a line ending with crlf\na line with a : (colon)\na line ending with cr",
                "",
            ),
            comment("ignored invalid reconnection time value"),
            comment("reset to ua default"),
        ],
    );
}

cases! {
    assert_frames:
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_whatwg_example1.
    httpx_sse_whatwg_example1: "data: YH00\ndata: +2\ndata: 10\n\n" => [message("YH00\n+2\n10", "")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_whatwg_example2.
    httpx_sse_whatwg_example2:
        ": test stream\n\ndata: first event\nid: 1\n\ndata: second event\nid\n\ndata:  third event\n\n"
        => [comment("test stream"), message("first event", "1"), message("second event", ""), message(" third event", "")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_whatwg_example3.
    httpx_sse_whatwg_example3: "data\n\ndata\ndata\n\ndata:\n" => [message("", ""), message("\n", "")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_whatwg_example4.
    httpx_sse_whatwg_example4: "data:test\n\ndata: test\n\n" => [message("test", ""), message("test", "")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_id_retry: httpx-sse yields an empty "message" event
    // carrying retry=10000 for this block. The standard dispatches nothing
    // when the data buffer is empty ("If the data buffer is an empty string,
    // set the data buffer and the event type buffer to the empty string and
    // return"), as browsers do: we give the retry alone.
    httpx_sse_id_retry: "retry: 10000\n\n" => [retry(10000)];
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 (`event_stream.rs:95`), eventsource-stream2,
/// sseer 0.3.1 (`event_stream.rs:154`) and eventsource-client lose a
/// `retry` in a block with no data.
#[test]
fn retry_in_a_block_without_data_takes_effect() {
    let mut parser = Parser::new();
    assert_eq!(
        feed_now(&mut parser, b"retry: 2500\n\n"),
        [Ok(OwnedFrame::Retry(Duration::from_millis(2500)))]
    );
    parser.finish();
    assert_eq!(
        parser.reconnection_time(),
        Some(Duration::from_millis(2500))
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3: `set_last_event_id` does not seed the events.
#[test]
fn starting_last_event_id_seeds_the_events() {
    let mut parser = Parser::new().with_last_event_id(EventId::new("99").unwrap());
    assert_eq!(
        feed_now(&mut parser, b"data: a\n\n"),
        [Ok(message("a", "99"))]
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-client 0.18 rebuilds its parser on every reconnect
/// (`client.rs:385`), so the first event without an `id` clears the ID.
#[test]
fn last_event_id_survives_a_reconnection() {
    let mut parser = Parser::new();
    feed_now(&mut parser, b"id: 5\ndata: a\n\n");
    parser.finish();
    assert_eq!(
        feed_now(&mut parser, b"data: b\n\n"),
        [Ok(message("b", "5"))]
    );
    assert_eq!(parser.last_event_id(), "5");
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// sse-stream 0.3.0 and russe 0.3.1 emit blocks with no data; lluchs
/// dispatches at every blank line.
#[test]
fn block_with_no_data_is_not_dispatched() {
    assert_frames(
        b"id: 1\n\nevent: e\n\n\n\ndata: a\n\n",
        &[message("a", "1")],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-client PR #6 dropped an event when one chunk held several.
#[test]
fn multiple_events_in_one_chunk_all_arrive() {
    let mut parser = Parser::new();
    let items = feed_now(
        &mut parser,
        b"data: 1\n\nevent: e\ndata: 2\n\n: c\ndata: 3\n\nretry: 4\n",
    );
    assert_eq!(
        items,
        [
            Ok(message("1", "")),
            Ok(event("e", "2", "")),
            Ok(comment("c")),
            Ok(message("3", "")),
            Ok(OwnedFrame::Retry(Duration::from_millis(4))),
        ]
    );
}
