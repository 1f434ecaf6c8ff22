//! Parsing, the fields of a line: the field name before the first colon,
//! one leading space removed, comments, unknown fields, and what `event`,
//! `data`, `id` (ignored if it holds U+0000) and `retry` (ASCII digits only)
//! each do.
//!
//! The cases are ported from web-platform-tests, other implementations'
//! suites and bugs other crates shipped; each names its origin (in its name
//! or its comment), since its value is that it is someone else's
//! expectation. The rule-by-rule cases are in `conformance.rs`.

#[macro_use]
mod common;

use common::ported::*;
use common::{assert_frames, comment, event, message};
use core::time::Duration;
use sse_proto::{Config, OwnedFrame, Parser};

/// From web-platform-tests, eventsource/.
///
/// format-comments.htm / format-comments.any.js ("comment fest"): comments
/// ended by CR, LF and CRLF, one holding NUL, two of 2048 bytes, between the
/// data lines of one event; newline=none, so message.py's final "\n" is the
/// blank line. WPT checks the one event "1\n2\n3\n4".
#[test]
fn format_comments() {
    let long = "x".repeat(2 * 1024);
    let text = format!("data:1\r:\0\n:\r\ndata:2\n:{long}\rdata:3\n:data:fail\r:{long}\ndata:4\n");
    let body = message_py(text.as_bytes(), true);
    assert_frames(
        &body,
        &[
            comment("\0"),
            comment(""),
            comment(&long),
            comment("data:fail"),
            comment(&long),
            message("1\n2\n3\n4", ""),
        ],
    );
}

message_py! {
    // From web-platform-tests, eventsource/.
    // format-field-data.htm / format-field-data.any.js: "data:" alone gives
    // "", two bare "data" lines give "\n".
    format_field_data: "data:\n\ndata\ndata\n\ndata:test" => [message("", ""), message("\n", ""), message("test", "")];
    // From web-platform-tests, eventsource/.
    // format-field-event-empty.htm / .any.js: "event: " (empty after the
    // space) leaves the type "message".
    format_field_event_empty: "event: \ndata:data" => [message("data", "")];
    // From web-platform-tests, eventsource/.
    // format-field-event.htm / .any.js: the "test" event fires first, then
    // the type resets to "message".
    format_field_event: "event:test\ndata:x\n\ndata:x" => [event("test", "x", ""), message("x", "")];
    // From web-platform-tests, eventsource/.
    // format-field-parsing.htm / .any.js: NUL in a value is data, "data  2"
    // keeps one space, "Data", "data\0", "da-ta", "data_5" and " data" are
    // unknown fields, a lone CR ends a line, "data:" adds an empty line.
    format_field_parsing:
        "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n", newline_none
        => [message("\0\n 2\n1\n3\n\n4", "")];
    // From web-platform-tests, eventsource/.
    // format-field-unknown.htm / .any.js ("unknown fields and parsing fun").
    format_field_unknown:
        "data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test"
        => [comment("thisisacommentyay"), message("test\n\ntest", "")];
    // From web-platform-tests, eventsource/.
    // format-leading-space.htm / .any.js: a tab is not stripped; "data: "
    // is an empty line; CR ends the first line.
    format_leading_space: "data:\ttest\rdata: \ndata:test" => [message("\ttest\n\ntest", "")];
    // From web-platform-tests, eventsource/.
    // format-null-character.html / .any.js: U+0000 in data is kept.
    format_null_character: "data:\0\n\n" => [message("\0", "")];
    // From web-platform-tests, eventsource/.
    // format-field-retry.htm / .any.js: "03000" is 3000 ms, not octal.
    format_field_retry: "retry:03000\ndata:x" => [retry(3000), message("x", "")];
    // From web-platform-tests, eventsource/.
    // format-field-retry-bogus.htm / .any.js: "1000x" is ignored, 3000 stays.
    format_field_retry_bogus: "retry:3000\nretry:1000x\ndata:x" => [retry(3000), message("x", "")];
    // From web-platform-tests, eventsource/.
    // format-field-retry-empty.any.js: a bare "retry" line; WPT checks only
    // that the event fires. The standard: "If the field value consists of
    // only ASCII digits, then interpret the field value as an integer in base
    // ten, and set the event stream's reconnection time to that integer.
    // Otherwise, ignore the field." We ignore an empty value (see
    // session_browser.rs for Chromium, which restores its default instead).
    format_field_retry_empty: "retry\ndata:test" => [message("test", "")];
}

/// From web-platform-tests, eventsource/.
///
/// format-field-id-3.window.js with `resources/last-event-id2.py`.
#[test]
fn format_field_id_3() {
    // "lastEventId persists" (type=1).
    assert_frames(
        b"id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata:3\n\ndata:4\n\n",
        &[
            message("1", "1"),
            message("2", "1"),
            message("3", "2"),
            message("4", "2"),
        ],
    );
    // "lastEventId resets" (type=2) and "resets (id without colon)" (type=3).
    for reset in ["id:", "id"] {
        let body = format!("id: 1\ndata: 1\n\n{reset}\ndata:2\n\ndata:3\n\n");
        assert_frames(
            body.as_bytes(),
            &[message("1", "1"), message("2", ""), message("3", "")],
        );
    }
}

cases! {
    assert_frames:
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "ignores comments".
    from_readable_stream_comment: ": this is a comment\ndata: hello\n\n"
        => [comment("this is a comment"), message("hello", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "id field updates lastEventId".
    from_readable_stream_id: "id: 42\ndata: hello\n\n" => [message("hello", "42")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "retry field updates reconnectionTime" (5000).
    from_readable_stream_retry: "retry: 5000\ndata: hello\n\n" => [retry(5000), message("hello", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "retry field with non-digit value is ignored".
    from_readable_stream_retry_bogus: "retry: bogus\ndata: hello\n\n" => [message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // NonDigitRetryShouldBeIgnored.
    chromium_non_digit_retry_should_be_ignored:
        "retry:a0\nretry:xi\nretry:2a\nretry:09a\nretry:1\x08\nretry:  1234\nretry:456 \n" => [];
    // From Chromium (Blink), event_source_parser_test.cc.
    // UnrecognizedFieldShouldBeIgnored.
    chromium_unrecognized_field_should_be_ignored: "data:hello\nhoge:fuga\npiyo\n\n" => [message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // CommentShouldBeIgnored.
    chromium_comment_should_be_ignored: "data:hello\n:event:a\n\n" => [comment("event:a"), message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // ColonlessLineShouldBeTreatedAsNameOnlyField.
    chromium_colonless_line_should_be_treated_as_name_only_field: "data:hello\nevent:a\nevent\n\n" => [message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // AtMostOneLeadingSpaceCanBeSkipped.
    chromium_at_most_one_leading_space_can_be_skipped: "data:  hello  \nevent:  type \n\n" => [event(" type ", " hello  ", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // DataShouldAccumulate.
    chromium_data_should_accumulate: "data\ndata:hello\ndata: world\ndata\n\n" => [message("\nhello\nworld\n", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // EventShouldNotAccumulate.
    chromium_event_should_not_accumulate: "data:hello\nevent:a\nevent:b\n\n" => [event("b", "hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // IgnoreIdHavingNullCharacter.
    chromium_ignore_id_having_null_character: "id:99\ndata:hello\n\nid:4\x0023\ndata:bye\n\n"
        => [message("hello", "99"), message("bye", "99")];
}

/// From Chromium (Blink), event_source_parser_test.cc.
///
/// What we do instead: a bare or empty `retry` produces no frame and keeps
/// the reconnection time.
#[test]
fn empty_retry_keeps_the_reconnection_time() {
    assert_frames(b"retry:500\nretry\nretry:\n", &[retry(500)]);
    let mut parser = Parser::new();
    feed(&mut parser, &[b"retry:500\nretry\nretry:\n"]);
    assert_eq!(parser.reconnection_time(), Some(Duration::from_millis(500)));
}

cases! {
    assert_frames:
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream of identified messanges + retry interval'
    // (getIdentifiedFixtureStream(1337)).
    eventsource_parser_identified_messages_and_retry_interval:
        "event: tick\nretry: 50\nid: 1337\ndata: 1337\n\nevent: tick\nretry: 50\nid: 1338\ndata: 1338\n\n"
        => [retry(50), event("tick", "1337", "1337"), retry(50), event("tick", "1338", "1338")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream of "heartbeat" comments, unnamed events'. eventsource-parser
    // hands `onComment` the raw text after the colon (" ♥"); we remove one
    // leading space, as for field values (issue 2's frame definition).
    eventsource_parser_heartbeat_comments:
        [": \u{2665}\n\ndata: A\n\n", ": \u{2665}\n\ndata: B\n\n", ": \u{2665}\n\ndata: C\n\n",
         ": \u{2665}\n\ndata: D\n\n", ": \u{2665}\n\ndata: E\n\n", DONE].concat()
        => [comment("\u{2665}"), message("A", ""), comment("\u{2665}"), message("B", ""),
            comment("\u{2665}"), message("C", ""), comment("\u{2665}"), message("D", ""),
            comment("\u{2665}"), message("E", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with empty `retry` field' (getEmptyRetryFixtureStream 0, 1, 2 on
    // one parser): eventsource-parser reports an error for "retry:" and keeps
    // going; no reconnect-interval is reported for it.
    eventsource_parser_empty_retry_field:
        "retry: 500\nid: 1\ndata: \u{1F94C}\n\nid:2\nretry:\ndata:\u{1F9F9}\n\nid: 3\ndata: \u{2705}\n\n"
        => [retry(500), message("\u{1F94C}", "1"), message("\u{1F9F9}", "2"), message("\u{2705}", "3")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with partially incorrect retry fields'.
    eventsource_parser_partially_incorrect_retry_fields: "retry:1000\nretry:2000x\ndata:x\n\n"
        => [retry(1000), message("x", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with incorrect retry fields'.
    eventsource_parser_incorrect_retry_fields: "\nretry: 500\n\ndata: first\n\nretry: 50x\n\ndata: second\n\n"
        => [retry(500), message("first", ""), message("second", "")];
}

cases! {
    assert_events:
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream of multi-line data events' (getMultilineFixtureStream).
    eventsource_parser_multi_line_data_events:
        ["event: stock\ndata: YHOO\ndata: +2\ndata: 10\n\nevent: stock\ndata: GOOG\ndata: -8\ndata: 1881\n\n", DONE].concat()
        => [event("stock", "YHOO\n+2\n10", ""), event("stock", "GOOG\n-8\n1881", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
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
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with even more odd uses of comments'
    // (getMixedCommentsFixtureStream): "data:5" is never terminated.
    eventsource_parser_mixed_comments: [
        "data:1\r\r:\0\n:\r\ndata:2\n\n:", &"x".repeat(2049), "\rdata:3\n\n:data:fail\r:",
        &"x".repeat(2049), "\ndata:4\n\n", "data:5",
    ].concat()
        => [message("1", ""), message("2", ""), message("3", ""), message("4", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with empty `event` field'.
    eventsource_parser_empty_event_field: ["event:\ndata: Hello 1\n\nevent:\n\n", DONE].concat()
        => [message("Hello 1", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with oddly shaped data field'.
    eventsource_parser_oddly_shaped_data_field: ["data:\n\ndata\ndata\n\ndata:test\n\n", DONE].concat()
        => [message("", ""), message("\n", ""), message("test", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with `id` field containing a NULL character'.
    eventsource_parser_id_containing_null: "id: 123\nid: bad\0id\ndata: hello\n\n" => [message("hello", "123")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with unknown fields in the stream'.
    eventsource_parser_unknown_fields:
        ["data:abc\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:123\n\n", DONE].concat()
        => [message("abc\n\n123", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'calls onError when the stream is invalid (through newline)' and
    // '(no field separator)', and the `reset()` variants: a JSON error body
    // or prose is unknown fields, never an event.
    eventsource_parser_invalid_stream:
        "{\"error\":\"Internal Server Error\",\"message\":\"The server could not process your request\"}\nWell, this is not what I expected\n\n{\"error\":1}"
        => [];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'maxBufferSize: discards unterminated unknown fields without buffering'
    // and '... as soon as their field name cannot become valid'.
    eventsource_parser_unknown_field_lines_then_data:
        "unknown-field: this content is ignored even without a terminator\ndata: ok\n\ndatax: this started like data, but is not a valid field\ndata: ok\n\n"
        => [message("ok", ""), message("ok", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'maxBufferSize: discards unterminated comments when no onComment
    // callback exists'.
    eventsource_parser_long_colon_comment_then_data:
        [&":".repeat(64), "this content is ignored even without a terminator\ndata: ok\n\n"].concat()
        => [message("ok", "")];
}

cases! {
    assert_frames:
    // From launchdarkly/sse-contract-tests.
    // "empty data".
    launchdarkly_empty_data: "data:\n\n" => [message("", "")];
    // From launchdarkly/sse-contract-tests.
    // "event with specific type".
    launchdarkly_event_with_specific_type: "event: greeting\ndata: Hello\n\n" => [event("greeting", "Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "event with ID".
    launchdarkly_event_with_id: "id: abc\ndata: Hello\n\n" => [message("Hello", "abc")];
    // From launchdarkly/sse-contract-tests.
    // "event with type and ID".
    launchdarkly_event_with_type_and_id: "event: greeting\nid: abc\ndata: Hello\n\n" => [event("greeting", "Hello", "abc")];
    // From launchdarkly/sse-contract-tests.
    // "ID field is ignored if it contains a null".
    launchdarkly_id_with_null_is_ignored: "id: a\0bc\ndata: Hello\n\n" => [message("Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "last ID persists if not overridden by later event".
    launchdarkly_last_id_persists: "id: abc\ndata: first\n\ndata: second\n\n" => [message("first", "abc"), message("second", "abc")];
    // From launchdarkly/sse-contract-tests.
    // "last ID can be overridden by an empty value".
    launchdarkly_last_id_overridden_by_empty: "id: abc\ndata: first\n\nid: \ndata: second\n\n" => [message("first", "abc"), message("second", "")];
    // From launchdarkly/sse-contract-tests.
    // "fields in reverse order".
    launchdarkly_fields_in_reverse_order: "data: Hello\nid: abc\nevent: greeting\n\n" => [event("greeting", "Hello", "abc")];
    // From launchdarkly/sse-contract-tests.
    // "unknown field is ignored".
    launchdarkly_unknown_field_is_ignored: "event: greeting\ncolor: blue\ndata: Hello\n\n" => [event("greeting", "Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "fields without leading space".
    launchdarkly_fields_without_leading_space: "event:greeting\ndata:Hello\n\n" => [event("greeting", "Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "fields with extra leading space".
    launchdarkly_fields_with_extra_leading_space: "event:  greeting\ndata:  Hello\n\n" => [event(" greeting", " Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "field with no colon".
    launchdarkly_field_with_no_colon: "data\n\ndata\ndata\n\n" => [message("", ""), message("\n", "")];
    // From launchdarkly/sse-contract-tests.
    // tests_comments.go "single comment", "two comments in a row", "comment
    // before event", "comment after event".
    launchdarkly_comments: ":Hello\n:World\n:Hello\ndata: Hello\n\n:Hello\n"
        => [comment("Hello"), comment("World"), comment("Hello"), message("Hello", ""), comment("Hello")];
    // From nodejs/undici, test/eventsource/.
    // 'Should ignore comments'.
    undici_should_ignore_comments: ":data: Hello\n\n" => [comment("data: Hello")];
    // From nodejs/undici, test/eventsource/.
    // eventsource-stream-parse-line.js, each line completed into an event:
    // 'data:' and 'data: ' give "", 'data:   ' gives "  ", 'data: : '
    // gives ": ", 'data: Hello' gives "Hello".
    undici_parse_line_data_values:
        "data:\n\ndata: \n\ndata:   \n\ndata: : \n\ndata: Hello\n\n"
        => [message("", ""), message("", ""), message("  ", ""), message(": ", ""), message("Hello", "")];
    // From nodejs/undici, test/eventsource/.
    // 'Should ignore comments', 'Should set retry field', 'Should set id
    // field' (id and event), 'Should ignore invalid field'.
    undici_parse_line_other_fields:
        ":comment\nretry: 1000\nid: 1234\nevent: custom\ncomment: invalid\ndata\n\n"
        => [comment("comment"), retry(1000), event("custom", "", "1234")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_event.
    httpx_sse_event: "event: logline\ndata: New user connected\n\n" => [event("logline", "New user connected", "")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_id_null.
    httpx_sse_id_null: "data: test\nid: 123\0\n\n" => [message("test", "")];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_id_retry_invalid.
    httpx_sse_id_retry_invalid: "retry: 1667a\n\n" => [];
    // From florimondmanca/httpx-sse, tests/test_decoders.py.
    // test_iter_sse_unknown_field.
    httpx_sse_unknown_field: "something: ignore\n\n" => [];
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// sseer 0.3.1, async-sse, sse-codec and tokio_sse_codec ignore `event`
/// without a colon; sse-stream, russe and lluchs give the type `""`.
#[test]
fn event_with_no_colon_resets_the_type_to_message() {
    assert_frames(b"event: a\nevent\ndata: x\n\n", &[message("x", "")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// tokio_sse_codec 0.0.2 (`:226`) treats `data` with no colon as unknown.
#[test]
fn data_with_no_colon_is_a_data_line() {
    assert_frames(b"data: a\ndata\ndata: b\n\n", &[message("a\n\nb", "")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// lluchs `eventsource` 0.5 keeps the trailing LF on every event.
#[test]
fn multi_line_data_loses_only_the_last_lf() {
    assert_frames(b"data: a\ndata: b\n\n", &[message("a\nb", "")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-client 0.18 (`event_parser.rs:46`) returns `InvalidEvent` for
/// a block of only unknown fields (or only `event:`), and reconnects.
#[test]
fn block_of_only_unknown_fields_is_not_an_error() {
    assert_frames(
        b"foo: 1\nbar\n\nevent: x\n\ndata: a\n\n",
        &[message("a", "")],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-client #37: bare `:` keep-alives gave `InvalidEvent`.
#[test]
fn bare_colon_keep_alives_are_harmless_comments() {
    assert_frames(
        b":\n\n:\n\ndata: a\n\n",
        &[comment(""), comment(""), message("a", "")],
    );
    let quiet = common::parse_whole(Config::default().comments(false), b":\n\n:\n\ndata: a\n\n");
    assert_eq!(quiet, [Ok(message("a", ""))]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// async-sse 5.1.0 (`decoder.rs:91`) and sse-codec 0.3.3 (`lib.rs:212`)
/// test the value before removing the space, so `retry: 1000` is ignored.
#[test]
fn retry_with_the_usual_space_is_accepted() {
    assert_frames(
        b"retry: 1000\n",
        &[OwnedFrame::Retry(Duration::from_millis(1000))],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// async-sse 5.1.0 stores retry as seconds (`event.rs:22`).
#[test]
fn retry_is_in_milliseconds() {
    let mut parser = Parser::new();
    assert_eq!(
        feed_now(&mut parser, b"retry: 1500\n"),
        [Ok(OwnedFrame::Retry(Duration::from_millis(1500)))]
    );
    assert_eq!(
        parser.reconnection_time(),
        Some(Duration::from_millis(1500))
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 (`event_stream.rs:63`), sseer 0.3.1,
/// tokio_sse_codec, eventsource-client and lluchs accept `+1` through
/// `str::parse`.
#[test]
fn retry_with_a_plus_sign_is_rejected() {
    let mut parser = Parser::new();
    assert_eq!(feed_now(&mut parser, b"retry: +1\nretry:+1\n"), []);
    assert_eq!(parser.reconnection_time(), None);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// tokio_sse_codec 0.0.2 calls `from_utf8_unchecked` on the retry bytes.
#[test]
fn retry_with_invalid_utf8_is_ignored() {
    assert_frames(b"retry: \xFF1\nretry: 1\xC3\n", &[]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// russe 0.3.1 and lluchs `eventsource` accept an `id` containing NUL.
#[test]
fn id_containing_nul_is_ignored() {
    assert_frames(b"id: 1\n\nid: a\0b\ndata\n\n", &[message("", "1")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// sse-stream 0.3.0, russe 0.3.1 and lluchs `eventsource` give each event
/// only its own `id`.
#[test]
fn last_event_id_is_sticky_across_events() {
    assert_frames(
        b"id: 7\ndata: a\n\ndata: b\n\n",
        &[message("a", "7"), message("b", "7")],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// async-sse, sse-codec and tokio_sse_codec reset the ID for `id:` but not
/// for a bare `id`.
#[test]
fn empty_id_resets_the_last_event_id_also_bare() {
    assert_frames(
        b"id: 1\ndata\n\nid:\ndata\n\nid: 2\ndata\n\nid\ndata\n\n",
        &[
            message("", "1"),
            message("", ""),
            message("", "2"),
            message("", ""),
        ],
    );
}
