//! Parser cases ported from other implementations' test suites, each test
//! named after its source and citing it:
//!
//! - Chromium (Blink), `third_party/blink/renderer/modules/eventsource/
//!   event_source_parser_test.cc`: the parser behind Chrome's `EventSource`,
//!   so its expectations are a browser's.
//! - rexxars/eventsource-parser, `test/parse.test.ts` with the streams of
//!   `test/fixtures.ts` (the parser of the `eventsource` npm package).
//! - launchdarkly/sse-contract-tests, `ssetests/tests_basic_parsing.go`,
//!   `tests_linefeeds.go`, `tests_bom.go`, `tests_comments.go`.
//! - nodejs/undici (Node's `EventSource`), `test/eventsource/
//!   eventsource-stream.js` and `eventsource-stream-parse-line.js`.
//!
//! Every stream is parsed whole, one byte at a time and cut once at every
//! point. Where a source observes only events, the case is run with comments
//! turned off (`assert_events`); retries stay, since these parsers report them.

#[macro_use]
mod common;

use common::browser::{after, assert_connections, browse, browser_policy, OK};
use common::{assert_every_chunking, assert_frames, comment, event, message, parse_chunks};
use core::time::Duration;
use sse_proto::session::{Delay, DEFAULT_RECONNECTION_TIME};
use sse_proto::{
    Config, DisconnectAction, EventId, OwnedFrame, Parser, ResponseAction, Session, StopReason,
};

fn retry(ms: u64) -> OwnedFrame {
    OwnedFrame::Retry(Duration::from_millis(ms))
}

/// `assert_frames` with comments turned off: for sources that observe only
/// events and retries.
fn assert_events(input: &[u8], expected: &[OwnedFrame]) {
    let expected: Vec<_> = expected.iter().cloned().map(Ok).collect();
    assert_every_chunking(&Config::default().comments(false), input, &expected);
}

/// Feeds `chunks` to `parser` without finishing; returns the frames.
fn feed(parser: &mut Parser, chunks: &[&[u8]]) -> Vec<OwnedFrame> {
    let mut frames = Vec::new();
    for chunk in chunks {
        for item in parser.frames(chunk) {
            frames.push(item.expect("no limit in these tests"));
        }
    }
    frames
}

// ======== Chromium: event_source_parser_test.cc ========

cases! {
    assert_frames:
    // EmptyMessageEventShouldNotBeDispatched.
    chromium_empty_message_event_should_not_be_dispatched: "\n" => [];
    // DispatchSimpleMessageEvent.
    chromium_dispatch_simple_message_event: "data:hello\n\n" => [message("hello", "")];
    // DispatchMessageEventWithCustomEventType.
    chromium_dispatch_message_event_with_custom_event_type: "event:foo\ndata:hello\n\n" => [event("foo", "hello", "")];
    // RetryTakesEffectEvenWhenNotDispatching.
    chromium_retry_takes_effect_even_when_not_dispatching: "retry:999\n" => [retry(999)];
    // EventTypeShouldBeReset.
    chromium_event_type_should_be_reset: "event:foo\ndata:hello\n\ndata:bye\n\n"
        => [event("foo", "hello", ""), message("bye", "")];
    // DataShouldBeReset.
    chromium_data_should_be_reset: "data:hello\n\n\n" => [message("hello", "")];
    // LastEventIdShouldNotBeReset.
    chromium_last_event_id_should_not_be_reset: "id:99\ndata:hello\n\ndata:bye\n\n"
        => [message("hello", "99"), message("bye", "99")];
    // VariousNewLinesShouldBeAllowed (fed one byte at a time there).
    chromium_various_new_lines_should_be_allowed: "data:hello\r\n\rdata:bye\r\r"
        => [message("hello", ""), message("bye", "")];
    // NonDigitRetryShouldBeIgnored.
    chromium_non_digit_retry_should_be_ignored:
        "retry:a0\nretry:xi\nretry:2a\nretry:09a\nretry:1\x08\nretry:  1234\nretry:456 \n" => [];
    // UnrecognizedFieldShouldBeIgnored.
    chromium_unrecognized_field_should_be_ignored: "data:hello\nhoge:fuga\npiyo\n\n" => [message("hello", "")];
    // CommentShouldBeIgnored.
    chromium_comment_should_be_ignored: "data:hello\n:event:a\n\n" => [comment("event:a"), message("hello", "")];
    // BOMShouldBeIgnored and BOMShouldBeIgnored_OneByOne: the first BOM is
    // dropped; the second is part of a field name.
    chromium_bom_should_be_ignored: b"\xEF\xBB\xBFdata:hello\n\xEF\xBB\xBFdata:bye\n\n" => [message("hello", "")];
    // ColonlessLineShouldBeTreatedAsNameOnlyField.
    chromium_colonless_line_should_be_treated_as_name_only_field: "data:hello\nevent:a\nevent\n\n" => [message("hello", "")];
    // AtMostOneLeadingSpaceCanBeSkipped.
    chromium_at_most_one_leading_space_can_be_skipped: "data:  hello  \nevent:  type \n\n" => [event(" type ", " hello  ", "")];
    // DataShouldAccumulate.
    chromium_data_should_accumulate: "data\ndata:hello\ndata: world\ndata\n\n" => [message("\nhello\nworld\n", "")];
    // EventShouldNotAccumulate.
    chromium_event_should_not_accumulate: "data:hello\nevent:a\nevent:b\n\n" => [event("b", "hello", "")];
    // FeedDataOneByOne.
    chromium_feed_data_one_by_one: "data:hello\r\ndata:world\revent:a\revent:b\nid:4\n\nid:8\ndata:bye\r\n\r"
        => [event("b", "hello\nworld", "4"), message("bye", "8")];
    // InvalidUTF8Sequence.
    chromium_invalid_utf8_sequence: b"data:\xFFhello\xC2\ndata:bye\n\n" => [message("\u{FFFD}hello\u{FFFD}\nbye", "")];
    // IgnoreIdHavingNullCharacter.
    chromium_ignore_id_having_null_character: "id:99\ndata:hello\n\nid:4\x0023\ndata:bye\n\n"
        => [message("hello", "99"), message("bye", "99")];
}

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

/// RetryWithEmptyValueShouldRestoreDefaultValue: Chromium resets the
/// reconnection time to its default (3000 ms) on a bare `retry` line
/// (a TODO there: "unspecified in the spec", crbug.com/587980). Firefox
/// instead reads the empty value as 0 and clamps it to its 500 ms minimum.
/// We follow the standard's "Otherwise, ignore the field" and keep the
/// previous value.
#[test]
#[ignore = "disagrees: Chromium restores its default reconnection time on an empty retry; we ignore the field"]
fn chromium_retry_with_empty_value_should_restore_default_value() {
    let mut session = Session::with_policy(browser_policy());
    session.on_request(Duration::ZERO);
    assert_eq!(
        session.on_response(Duration::ZERO, &OK),
        ResponseAction::Open
    );
    let mut input: &[u8] = b"retry:500\ndata:a\n\nretry\ndata:b\n\n";
    while session.feed(&mut input).expect("no limit").is_some() {}
    assert_eq!(
        session.on_disconnect(Duration::ZERO),
        DisconnectAction::Retry {
            delay: Delay::exactly(DEFAULT_RECONNECTION_TIME)
        }
    );
}

/// What we do instead: a bare or empty `retry` produces no frame and keeps
/// the reconnection time.
#[test]
fn empty_retry_keeps_the_reconnection_time() {
    assert_frames(b"retry:500\nretry\nretry:\n", &[retry(500)]);
    let mut parser = Parser::new();
    feed(&mut parser, &[b"retry:500\nretry\nretry:\n"]);
    assert_eq!(parser.reconnection_time(), Some(Duration::from_millis(500)));
}

// ======== rexxars/eventsource-parser: test/parse.test.ts, test/fixtures.ts ========

fn done(id: &str) -> OwnedFrame {
    event("done", "\u{2714}", id)
}

/// `formatEvent({event: 'done', data: '✔'})` in fixtures.ts.
const DONE: &str = "event: done\ndata: \u{2714}\n\n";

/// 'basic unnamed events stream' (getBasicFixtureStream).
#[test]
fn eventsource_parser_basic_unnamed_events_stream() {
    let input: String = (0..5).map(|i| format!("data: {i}\n\n")).collect::<String>() + DONE;
    let mut expected: Vec<_> = (0..5).map(|i| message(&i.to_string(), "")).collect();
    expected.push(done(""));
    assert_events(input.as_bytes(), &expected);
}

cases! {
    assert_frames:
    // 'stream of identified messanges + retry interval'
    // (getIdentifiedFixtureStream(1337)).
    eventsource_parser_identified_messages_and_retry_interval:
        "event: tick\nretry: 50\nid: 1337\ndata: 1337\n\nevent: tick\nretry: 50\nid: 1338\ndata: 1338\n\n"
        => [retry(50), event("tick", "1337", "1337"), retry(50), event("tick", "1338", "1338")];
    // 'stream of "heartbeat" comments, unnamed events'. eventsource-parser
    // hands `onComment` the raw text after the colon (" ♥"); we remove one
    // leading space, as for field values (issue 2's frame definition).
    eventsource_parser_heartbeat_comments:
        [": \u{2665}\n\ndata: A\n\n", ": \u{2665}\n\ndata: B\n\n", ": \u{2665}\n\ndata: C\n\n",
         ": \u{2665}\n\ndata: D\n\n", ": \u{2665}\n\ndata: E\n\n", DONE].concat()
        => [comment("\u{2665}"), message("A", ""), comment("\u{2665}"), message("B", ""),
            comment("\u{2665}"), message("C", ""), comment("\u{2665}"), message("D", ""),
            comment("\u{2665}"), message("E", ""), done("")];
    // 'stream with empty `retry` field' (getEmptyRetryFixtureStream 0, 1, 2 on
    // one parser): eventsource-parser reports an error for "retry:" and keeps
    // going; no reconnect-interval is reported for it.
    eventsource_parser_empty_retry_field:
        "retry: 500\nid: 1\ndata: \u{1F94C}\n\nid:2\nretry:\ndata:\u{1F9F9}\n\nid: 3\ndata: \u{2705}\n\n"
        => [retry(500), message("\u{1F94C}", "1"), message("\u{1F9F9}", "2"), message("\u{2705}", "3")];
    // 'stream with partially incorrect retry fields'.
    eventsource_parser_partially_incorrect_retry_fields: "retry:1000\nretry:2000x\ndata:x\n\n"
        => [retry(1000), message("x", "")];
    // 'stream with incorrect retry fields'.
    eventsource_parser_incorrect_retry_fields: "\nretry: 500\n\ndata: first\n\nretry: 50x\n\ndata: second\n\n"
        => [retry(500), message("first", ""), message("second", "")];
}

cases! {
    assert_events:
    // 'stream of multi-line data events' (getMultilineFixtureStream).
    eventsource_parser_multi_line_data_events:
        ["event: stock\ndata: YHOO\ndata: +2\ndata: 10\n\nevent: stock\ndata: GOOG\ndata: -8\ndata: 1881\n\n", DONE].concat()
        => [event("stock", "YHOO\n+2\n10", ""), event("stock", "GOOG\n-8\n1881", ""), done("")];
    // 'stream of multi-byte events with some empty lines thrown in'.
    eventsource_parser_multibyte_with_empty_lines:
        ["\n\n\n\nid: 1\ndata: \u{6211}\u{73FE}\u{5728}\u{90FD}\u{770B}\u{5BE6}\u{6CC1}\u{4E0D}\u{73A9}\u{904A}\u{6232}\n\n", DONE].concat()
        => [message("\u{6211}\u{73FE}\u{5728}\u{90FD}\u{770B}\u{5BE6}\u{6CC1}\u{4E0D}\u{73A9}\u{904A}\u{6232}", "1"), done("1")];
    // 'stream containing decoded U+FEFF byte-order marks (multiple places)'
    // and 'stream of leading bom': only the leading BOM is dropped.
    eventsource_parser_bom_in_multiple_places:
        ["\u{FEFF}data: bomful 1\n\n\u{FEFF}data: bomful 2\n\ndata: bomless 3\n\n", DONE].concat()
        => [message("bomful 1", ""), message("bomless 3", ""), done("")];
    // 'a decoded U+FEFF ... is stripped like the raw 3-byte BOM'.
    eventsource_parser_leading_bom_before_two_data_lines: "\u{FEFF}data: first\ndata: second\n\n"
        => [message("first\nsecond", "")];
    // 'stream using carriage returns'.
    eventsource_parser_carriage_returns: ["data: dog\rdata: bark\r\rdata: cat\rdata: meow\r\r", DONE].concat()
        => [message("dog\nbark", ""), message("cat\nmeow", ""), done("")];
    // 'stream using line feeds'.
    eventsource_parser_line_feeds: ["data: cow\ndata: moo\n\ndata: horse\ndata: neigh\n\n", DONE].concat()
        => [message("cow\nmoo", ""), message("horse\nneigh", ""), done("")];
    // 'stream using carriage returns and line feeds'.
    eventsource_parser_carriage_returns_and_line_feeds:
        ["data: sheep\r\ndata: bleat\r\n\r\ndata: pig\r\ndata: oink\r\n\r\n", DONE].concat()
        => [message("sheep\nbleat", ""), message("pig\noink", ""), done("")];
    // 'stream with varying odd uses of comments' (getCommentsFixtureStream;
    // a few emoji stand in for MULTIBYTE_EMOJIS.slice(0, 100)).
    eventsource_parser_odd_uses_of_comments: [
        ": Hello\n\n", &":".repeat(300), "\n",
        "data: First\n\n", ": \u{041F}\u{0435}\u{0440}\u{0432}\u{044B}\u{0439}", ": \u{7B2C}\u{4E8C}", "\n",
        "data: Second\n\n", &": Moop \n".repeat(10), ": \u{062B}\u{0627}\u{0644}\u{062B}", "\n",
        "data: Third\n\n", ":\u{0D28}\u{0D3E}\u{0D32}\u{0D3E}\u{0D2E}\u{0D24}\u{0D4D}\u{0D24}\u{0D46}", "\n",
        "data: Fourth\n\n", ": \u{1F600} \u{1F44D}\u{1F3FD} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} :", "\n",
        "data: Fifth\n\n", DONE,
    ].concat()
        => [message("First", ""), message("Second", ""), message("Third", ""), message("Fourth", ""),
            message("Fifth", ""), done("")];
    // 'stream with even more odd uses of comments'
    // (getMixedCommentsFixtureStream): "data:5" is never terminated.
    eventsource_parser_mixed_comments: [
        "data:1\r\r:\0\n:\r\ndata:2\n\n:", &"x".repeat(2049), "\rdata:3\n\n:data:fail\r:",
        &"x".repeat(2049), "\ndata:4\n\n", "data:5",
    ].concat()
        => [message("1", ""), message("2", ""), message("3", ""), message("4", "")];
    // 'stream with empty `event` field'.
    eventsource_parser_empty_event_field: ["event:\ndata: Hello 1\n\nevent:\n\n", DONE].concat()
        => [message("Hello 1", ""), done("")];
    // 'stream with oddly shaped data field'.
    eventsource_parser_oddly_shaped_data_field: ["data:\n\ndata\ndata\n\ndata:test\n\n", DONE].concat()
        => [message("", ""), message("\n", ""), message("test", ""), done("")];
    // 'stream with cr separating chunks of same event'.
    eventsource_parser_cr_separating_chunks_of_same_event: "data: A\r\ndata: B\r\ndata: C\r\n\n"
        => [message("A\nB\nC", "")];
    // 'stream with `id` field containing a NULL character'.
    eventsource_parser_id_containing_null: "id: 123\nid: bad\0id\ndata: hello\n\n" => [message("hello", "123")];
    // 'stream with unknown fields in the stream'.
    eventsource_parser_unknown_fields:
        ["data:abc\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:123\n\n", DONE].concat()
        => [message("abc\n\n123", ""), done("")];
    // 'calls onError when the stream is invalid (through newline)' and
    // '(no field separator)', and the `reset()` variants: a JSON error body
    // or prose is unknown fields, never an event.
    eventsource_parser_invalid_stream:
        "{\"error\":\"Internal Server Error\",\"message\":\"The server could not process your request\"}\nWell, this is not what I expected\n\n{\"error\":1}"
        => [];
    // 'maxBufferSize: discards unterminated unknown fields without buffering'
    // and '... as soon as their field name cannot become valid'.
    eventsource_parser_unknown_field_lines_then_data:
        "unknown-field: this content is ignored even without a terminator\ndata: ok\n\ndatax: this started like data, but is not a valid field\ndata: ok\n\n"
        => [message("ok", ""), message("ok", "")];
    // 'maxBufferSize: preserves split valid fields while discarding invalid
    // lines' ("da" + "ta\n\n").
    eventsource_parser_split_bare_data_field: "data\n\n" => [message("", "")];
    // 'discarded unterminated comments consume crlf as one line terminator'
    // and 'discarded lines consume a crlf split across chunks'.
    eventsource_parser_comment_crlf_is_one_terminator: "data: one\n:ignored\r\ndata: two\n\n" => [message("one\ntwo", "")];
    // 'discarded lines terminated by a bare cr resume parsing on the next
    // chunk' and '... arriving with their own bare cr terminator'.
    eventsource_parser_comment_bare_cr_terminator: "data: one\n:ignored\rdata: two\n\n" => [message("one\ntwo", "")];
    // 'bare field lines terminated by a cr at a chunk boundary are
    // processed, not discarded'.
    eventsource_parser_bare_field_line_cr_at_boundary: "data: one\ndata\r\ndata: two\n\n" => [message("one\n\ntwo", "")];
    // 'unknown field lines completed by a cr at a chunk boundary'.
    eventsource_parser_unknown_field_line_cr: "garbage\rdata: ok\n\n" => [message("ok", "")];
    // 'a blank cr line ending a chunk dispatches the pending event exactly
    // once'.
    eventsource_parser_blank_cr_line_dispatches_once: "data: one\r\r\n" => [message("one", "")];
    // 'maxBufferSize: discards unterminated comments when no onComment
    // callback exists'.
    eventsource_parser_long_colon_comment_then_data:
        [&":".repeat(64), "this content is ignored even without a terminator\ndata: ok\n\n"].concat()
        => [message("ok", "")];
}

/// 'maxBufferSize: not triggered when events dispatch within the limit'.
#[test]
fn eventsource_parser_hundred_small_events_content() {
    let input: String = (0..100).map(|i| format!("data: {i}\n\n")).collect();
    let expected: Vec<_> = (0..100).map(|i| message(&i.to_string(), "")).collect();
    assert_events(input.as_bytes(), &expected);
}

/// 'maxBufferSize: preserves unterminated comments when onComment callback
/// exists' (":" + "preserved" + "\n").
#[test]
fn eventsource_parser_comment_split_across_chunks() {
    let chunks: [&[u8]; 3] = [b":", b"preserved", b"\n"];
    assert_eq!(
        parse_chunks(&mut Parser::new(), chunks),
        [Ok(comment("preserved"))]
    );
}

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

// ======== launchdarkly/sse-contract-tests ========

cases! {
    assert_frames:
    // tests_basic_parsing.go "one-line message in one chunk" / "in two
    // chunks" / "default event type".
    launchdarkly_one_line_message: "data: Hello\n\n" => [message("Hello", "")];
    // "two one-line messages in one chunk".
    launchdarkly_two_one_line_messages: "data: Hello\n\ndata: World\n\n" => [message("Hello", ""), message("World", "")];
    // "one two-line message in one chunk".
    launchdarkly_one_two_line_message: "data: Hello\ndata:World\n\n" => [message("Hello\nWorld", "")];
    // "empty data".
    launchdarkly_empty_data: "data:\n\n" => [message("", "")];
    // "event with specific type".
    launchdarkly_event_with_specific_type: "event: greeting\ndata: Hello\n\n" => [event("greeting", "Hello", "")];
    // "event with ID".
    launchdarkly_event_with_id: "id: abc\ndata: Hello\n\n" => [message("Hello", "abc")];
    // "event with type and ID".
    launchdarkly_event_with_type_and_id: "event: greeting\nid: abc\ndata: Hello\n\n" => [event("greeting", "Hello", "abc")];
    // "ID field is ignored if it contains a null".
    launchdarkly_id_with_null_is_ignored: "id: a\0bc\ndata: Hello\n\n" => [message("Hello", "")];
    // "last ID persists if not overridden by later event".
    launchdarkly_last_id_persists: "id: abc\ndata: first\n\ndata: second\n\n" => [message("first", "abc"), message("second", "abc")];
    // "last ID can be overridden by an empty value".
    launchdarkly_last_id_overridden_by_empty: "id: abc\ndata: first\n\nid: \ndata: second\n\n" => [message("first", "abc"), message("second", "")];
    // "fields in reverse order".
    launchdarkly_fields_in_reverse_order: "data: Hello\nid: abc\nevent: greeting\n\n" => [event("greeting", "Hello", "abc")];
    // "unknown field is ignored".
    launchdarkly_unknown_field_is_ignored: "event: greeting\ncolor: blue\ndata: Hello\n\n" => [event("greeting", "Hello", "")];
    // "fields without leading space".
    launchdarkly_fields_without_leading_space: "event:greeting\ndata:Hello\n\n" => [event("greeting", "Hello", "")];
    // "fields with extra leading space".
    launchdarkly_fields_with_extra_leading_space: "event:  greeting\ndata:  Hello\n\n" => [event(" greeting", " Hello", "")];
    // "field with no colon".
    launchdarkly_field_with_no_colon: "data\n\ndata\ndata\n\n" => [message("", ""), message("\n", "")];
    // "multi-byte characters" and "... sent in single-byte pieces".
    launchdarkly_multi_byte_characters: "data: \u{20AC}\u{8C46}\u{8150}\n\n" => [message("\u{20AC}\u{8C46}\u{8150}", "")];
    // tests_linefeeds.go "CRLF where CR is end of 1 chunk".
    launchdarkly_crlf_where_cr_ends_a_chunk: "data: Hello\r\ndata: World\r\n\r\ndata: OK\r\n\r\n"
        => [message("Hello\nWorld", ""), message("OK", "")];
    // tests_comments.go "single comment", "two comments in a row", "comment
    // before event", "comment after event".
    launchdarkly_comments: ":Hello\n:World\n:Hello\ndata: Hello\n\n:Hello\n"
        => [comment("Hello"), comment("World"), comment("Hello"), message("Hello", ""), comment("Hello")];
}

/// tests_basic_parsing.go "many messages in rapid succession".
#[test]
fn launchdarkly_many_messages_in_rapid_succession() {
    let input: String = (0..100).map(|i| format!("data: message {i}\n\n")).collect();
    let expected: Vec<_> = (0..100)
        .map(|i| message(&format!("message {i}"), ""))
        .collect();
    assert_frames(input.as_bytes(), &expected);
}

/// tests_linefeeds.go: six streams, each with LF, CRLF and CR as the line
/// terminator.
#[test]
fn launchdarkly_linefeeds() {
    for t in ["\n", "\r\n", "\r"] {
        let cases: [(String, Vec<OwnedFrame>); 6] = [
            (format!("data: event 1{t}{t}"), vec![message("event 1", "")]),
            (
                format!("data: event 1{t}{t}data: event 2 line 1{t}data: event 2 line 2{t}{t}"),
                vec![
                    message("event 1", ""),
                    message("event 2 line 1\nevent 2 line 2", ""),
                ],
            ),
            (
                format!("data:{t}data: line2{t}data: line3{t}{t}"),
                vec![message("\nline2\nline3", "")],
            ),
            (
                format!("data: line1{t}data:{t}data: line3{t}{t}"),
                vec![message("line1\n\nline3", "")],
            ),
            (
                format!("data: event 1{t}{t}{t}data: event 2{t}{t}"),
                vec![message("event 1", ""), message("event 2", "")],
            ),
            (
                format!("data: event 1{t}{t}{t}{t}data: event 2{t}{t}"),
                vec![message("event 1", ""), message("event 2", "")],
            ),
        ];
        for (input, expected) in cases {
            assert_frames(input.as_bytes(), &expected);
        }
    }
}

cases! {
    assert_frames:
    // tests_bom.go "BOM at start of stream is stripped" / "BOM split across
    // first two chunks" / "BOM split byte by byte across chunks".
    launchdarkly_bom_at_start_is_stripped: b"\xEF\xBB\xBFdata: Hello\n\n" => [message("Hello", "")];
    // "BOM stripped before first event with type and ID".
    launchdarkly_bom_before_type_and_id: b"\xEF\xBB\xBFevent: greeting\nid: abc\ndata: Hello\n\n" => [event("greeting", "Hello", "abc")];
    // "BOM stripped with multiple messages".
    launchdarkly_bom_with_multiple_messages: b"\xEF\xBB\xBFdata: First\n\ndata: Second\n\n" => [message("First", ""), message("Second", "")];
    // "BOM only stripped at stream start, not from later data".
    launchdarkly_bom_in_later_data_is_kept: b"data: First\n\ndata: \xEF\xBB\xBFSecond\n\n" => [message("First", ""), message("\u{FEFF}Second", "")];
    // "only first BOM at start is stripped".
    launchdarkly_only_first_bom_is_stripped: b"\xEF\xBB\xBFdata: \xEF\xBB\xBFHello\n\n" => [message("\u{FEFF}Hello", "")];
    // "BOM with multi-line data".
    launchdarkly_bom_with_multi_line_data: b"\xEF\xBB\xBFdata: Line1\ndata: Line2\n\n" => [message("Line1\nLine2", "")];
    // "BOM with comment at start".
    launchdarkly_bom_with_comment_at_start: b"\xEF\xBB\xBF:comment\ndata: Hello\n\n" => [comment("comment"), message("Hello", "")];
    // "BOM does not affect empty data field".
    launchdarkly_bom_with_empty_data: b"\xEF\xBB\xBFdata:\n\n" => [message("", "")];
}

/// tests_bom.go "BOM split across first two chunks" and "... byte by byte",
/// with the exact chunks of the source.
#[test]
fn launchdarkly_bom_split_across_chunks() {
    let two: [&[u8]; 2] = [b"\xEF\xBB", b"\xBFdata: Hello\n\n"];
    let four: [&[u8]; 4] = [b"\xEF", b"\xBB", b"\xBF", b"data: Hello\n\n"];
    assert_eq!(
        parse_chunks(&mut Parser::new(), two),
        [Ok(message("Hello", ""))]
    );
    assert_eq!(
        parse_chunks(&mut Parser::new(), four),
        [Ok(message("Hello", ""))]
    );
}

// ======== nodejs/undici: test/eventsource/ ========

cases! {
    assert_frames:
    // eventsource-stream.js 'Remove BOM from the beginning of the stream.'
    // (written one byte at a time there).
    undici_remove_bom_from_the_beginning: "\u{FEFF}data: Hello\n\n" => [message("Hello", "")];
    // 'Simple event with data field.'
    undici_simple_event_with_data_field: "data: Hello\n\n" => [message("Hello", "")];
    // 'Should ignore comments'.
    undici_should_ignore_comments: ":data: Hello\n\n" => [comment("data: Hello")];
    // 'Should fire two events.' (the standard's example).
    undici_should_fire_two_events: "data\n\ndata\ndata\n\ndata:" => [message("", ""), message("\n", "")];
    // 'Should fire two identical events.'
    undici_should_fire_two_identical_events: "data:test\n\ndata: test\n\n" => [message("test", ""), message("test", "")];
    // eventsource-stream-parse-line.js, each line completed into an event:
    // 'data:' and 'data: ' give "", 'data:   ' gives "  ", 'data: : '
    // gives ": ", 'data: Hello' gives "Hello".
    undici_parse_line_data_values:
        "data:\n\ndata: \n\ndata:   \n\ndata: : \n\ndata: Hello\n\n"
        => [message("", ""), message("", ""), message("  ", ""), message(": ", ""), message("Hello", "")];
    // 'Should ignore comments', 'Should set retry field', 'Should set id
    // field' (id and event), 'Should ignore invalid field'.
    undici_parse_line_other_fields:
        ":comment\nretry: 1000\nid: 1234\nevent: custom\ncomment: invalid\ndata\n\n"
        => [comment("comment"), retry(1000), event("custom", "", "1234")];
}

// ======== WebKit: LayoutTests/http/tests/eventsource/ ========

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

/// eventsource-eof.html with `resources/es-eof.py`: each connection ends
/// inside a block (with 0, then 1, then 2 newlines after its last `data`).
/// Only the third, whose block gets its blank line, fires "msg" with ID
/// "3.1"; the discarded blocks' IDs never become the last event ID, so the
/// reconnections send "1.0" and "2.0".
#[test]
fn webkit_eventsource_eof() {
    let body = |last_event_id: Option<&str>| {
        let n = last_event_id.map_or(0, |id| id.parse::<f64>().expect("a float") as u32) + 1;
        let newlines = "\n".repeat(n as usize - 1);
        format!("retry: 0\nid: {n}.0\ndata: DATA{n}\n\nid: {n}.1\nevent: msg\ndata: DATA{newlines}")
            .into_bytes()
    };
    let seen = browse(3, body);
    let sent: Vec<_> = seen.iter().map(|c| c.sent_last_event_id.clone()).collect();
    assert_eq!(sent, [None, Some("1.0".into()), Some("2.0".into())]);
    assert_eq!(seen[0].frames, [retry(0), message("DATA1", "1.0")]);
    assert_eq!(seen[1].frames, [retry(0), message("DATA2", "2.0")]);
    assert_eq!(
        seen[2].frames,
        [
            retry(0),
            message("DATA3", "3.0"),
            event("msg", "DATA", "3.1")
        ]
    );
    let bodies = [body(None), body(Some("1.0")), body(Some("2.0"))];
    assert_connections(
        &bodies,
        &[
            seen[0].frames.clone(),
            seen[1].frames.clone(),
            seen[2].frames.clone(),
        ],
    );
}

/// eventsource-reconnect.html with `resources/reconnect.py`: "hello" with ID
/// 77 and retry 300, a terminated but never dispatched "discarded" block,
/// then a reconnection after 300 ms sending `Last-Event-ID: 77`, echoed back.
#[test]
fn webkit_eventsource_reconnect() {
    let seen = browse(2, |last_event_id| match last_event_id {
        Some(id) => format!("data: {id}\n\n").into_bytes(),
        None => b"id: 77\nretry: 300\ndata: hello\n\ndata: discarded\n".to_vec(),
    });
    assert_eq!(seen[0].frames, [retry(300), message("hello", "77")]);
    assert_eq!(seen[0].then, after(300));
    assert_eq!(seen[1].sent_last_event_id.as_deref(), Some("77"));
    assert_eq!(seen[1].frames, [message("77", "77")]);
}

/// eventsource-content-type-charset.html and
/// eventsource-content-type-text-event-stream-foobar.html with
/// `resources/response-content-type-charset.py`: any charset parameter
/// opens (the stream is UTF-8 regardless); "text/event-stream-foobar;" fails.
#[test]
fn webkit_eventsource_content_type_charset() {
    let judge = common::browser::judge_content_type;
    for open in [
        "text/event-stream; charset=UTF-8",
        "text/event-stream; charset=windows-1251",
        "text/event-stream; charset=utf-8",
        "text/event-stream; charset=\"UTF-8\"",
    ] {
        assert_eq!(judge(open), ResponseAction::Open, "{open}");
    }
    for fail in ["text/event-stream-foobar;", "text/event-stream-foobar"] {
        let stop = ResponseAction::Stop {
            reason: StopReason::ContentType,
        };
        assert_eq!(judge(fail), stop, "{fail}");
    }
    assert_frames(
        b"\nid: 77\nretry: 300\ndata: hello\n\n\n",
        &[retry(300), message("hello", "77")],
    );
}

// ======== florimondmanca/httpx-sse: tests/test_decoders.py ========

cases! {
    assert_frames:
    // test_iter_sse_whatwg_example1.
    httpx_sse_whatwg_example1: "data: YH00\ndata: +2\ndata: 10\n\n" => [message("YH00\n+2\n10", "")];
    // test_iter_sse_whatwg_example2.
    httpx_sse_whatwg_example2:
        ": test stream\n\ndata: first event\nid: 1\n\ndata: second event\nid\n\ndata:  third event\n\n"
        => [comment("test stream"), message("first event", "1"), message("second event", ""), message(" third event", "")];
    // test_iter_sse_whatwg_example3.
    httpx_sse_whatwg_example3: "data\n\ndata\ndata\n\ndata:\n" => [message("", ""), message("\n", "")];
    // test_iter_sse_whatwg_example4.
    httpx_sse_whatwg_example4: "data:test\n\ndata: test\n\n" => [message("test", ""), message("test", "")];
    // test_iter_sse_event.
    httpx_sse_event: "event: logline\ndata: New user connected\n\n" => [event("logline", "New user connected", "")];
    // test_iter_sse_id_null.
    httpx_sse_id_null: "data: test\nid: 123\0\n\n" => [message("test", "")];
    // test_iter_sse_id_retry: httpx-sse yields an empty "message" event
    // carrying retry=10000 for this block. The standard dispatches nothing
    // when the data buffer is empty ("If the data buffer is an empty string,
    // set the data buffer and the event type buffer to the empty string and
    // return"), as browsers do: we give the retry alone.
    httpx_sse_id_retry: "retry: 10000\n\n" => [retry(10000)];
    // test_iter_sse_id_retry_invalid.
    httpx_sse_id_retry_invalid: "retry: 1667a\n\n" => [];
    // test_iter_sse_unknown_field.
    httpx_sse_unknown_field: "something: ignore\n\n" => [];
}
