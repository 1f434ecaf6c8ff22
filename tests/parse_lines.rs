//! Parsing, from bytes to lines: the leading BOM (dropped once, also when
//! split), UTF-8 decoding (invalid bytes become U+FFFD, characters split
//! across chunks), line ends (CRLF, LF, CR, also split across chunks), and
//! the end of the stream (an unterminated line or block is discarded).
//!
//! The cases are ported from web-platform-tests, other implementations'
//! suites and bugs other crates shipped; each names its origin (in its name
//! or its comment), since its value is that it is someone else's
//! expectation. The rule-by-rule cases are in `conformance.rs`.

#[macro_use]
mod common;

use common::ported::*;
use common::{assert_frames, comment, event, message, parse_chunks};

use sse_proto::{OwnedFrame, Parser};

message_py! {
    // From web-platform-tests, eventsource/.
    // format-bom.htm / format-bom.any.js: message=%EF%BB%BFdata%3A1%0A%0A
    // %EF%BB%BFdata%3A2%0A%0Adata%3A3. "1" and "3" fire, "2" does not: only
    // the first BOM of the stream is dropped; the second starts a field name.
    format_bom: "\u{FEFF}data:1\n\n\u{FEFF}data:2\n\ndata:3" => [message("1", ""), message("3", "")];
    // From web-platform-tests, eventsource/.
    // format-bom-2.htm / format-bom-2.any.js: two BOMs, then data:1. The
    // second BOM is part of the first line's field name, so "1" never fires.
    format_bom_2: "\u{FEFF}\u{FEFF}data:1\n\ndata:2\n\ndata:3" => [message("2", ""), message("3", "")];
    // From web-platform-tests, eventsource/.
    // format-newlines.htm / .any.js ("newline fest"): CRLF, LF, and a final
    // CR whose LF (message.py's last "\n") completes one CRLF blank line.
    format_newlines: "data:test\r\ndata\ndata:test\r\n\r", newline_none => [message("test\n\ntest", "")];
    // From web-platform-tests, eventsource/.
    // format-utf-8.htm / .any.js: "EventSource always UTF-8", even when the
    // Content-Type says charset=windows-1252 (see `format_mime` in session_browser.rs).
    format_utf_8: b"data:ok\xE2\x80\xA6" => [message("ok\u{2026}", "")];
}

cases! {
    assert_frames:
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "handles CR, LF, and CRLF line endings".
    from_readable_stream_line_endings: "data: cr\r\rdata: lf\n\ndata: crlf\r\n\r\n"
        => [message("cr", ""), message("lf", ""), message("crlf", "")];
    // From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
    // "strips leading UTF-8 BOM".
    from_readable_stream_bom: b"\xEF\xBB\xBFdata: hello\n\n" => [message("hello", "")];
}

/// From web-platform-tests, eventsource/eventsource-from-readable-stream.any.js.
///
/// eventsource-from-readable-stream.any.js "handles data split across
/// chunks" (["da", "ta: hel", "lo\n\n"]) and "empty stream".
#[test]
fn from_readable_stream_chunks() {
    let chunks: [&[u8]; 3] = [b"da", b"ta: hel", b"lo\n\n"];
    assert_eq!(
        parse_chunks(&mut Parser::new(), chunks),
        [Ok(message("hello", ""))]
    );
    assert_eq!(parse_chunks(&mut Parser::new(), [&b""[..]]), []);
}

cases! {
    assert_frames:
    // From Chromium (Blink), event_source_parser_test.cc.
    // VariousNewLinesShouldBeAllowed (fed one byte at a time there).
    chromium_various_new_lines_should_be_allowed: "data:hello\r\n\rdata:bye\r\r"
        => [message("hello", ""), message("bye", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // BOMShouldBeIgnored and BOMShouldBeIgnored_OneByOne: the first BOM is
    // dropped; the second is part of a field name.
    chromium_bom_should_be_ignored: b"\xEF\xBB\xBFdata:hello\n\xEF\xBB\xBFdata:bye\n\n" => [message("hello", "")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // FeedDataOneByOne.
    chromium_feed_data_one_by_one: "data:hello\r\ndata:world\revent:a\revent:b\nid:4\n\nid:8\ndata:bye\r\n\r"
        => [event("b", "hello\nworld", "4"), message("bye", "8")];
    // From Chromium (Blink), event_source_parser_test.cc.
    // InvalidUTF8Sequence.
    chromium_invalid_utf8_sequence: b"data:\xFFhello\xC2\ndata:bye\n\n" => [message("\u{FFFD}hello\u{FFFD}\nbye", "")];
}

cases! {
    assert_events:
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream of multi-byte events with some empty lines thrown in'.
    eventsource_parser_multibyte_with_empty_lines:
        ["\n\n\n\nid: 1\ndata: \u{6211}\u{73FE}\u{5728}\u{90FD}\u{770B}\u{5BE6}\u{6CC1}\u{4E0D}\u{73A9}\u{904A}\u{6232}\n\n", DONE].concat()
        => [message("\u{6211}\u{73FE}\u{5728}\u{90FD}\u{770B}\u{5BE6}\u{6CC1}\u{4E0D}\u{73A9}\u{904A}\u{6232}", "1"), done("1")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream containing decoded U+FEFF byte-order marks (multiple places)'
    // and 'stream of leading bom': only the leading BOM is dropped.
    eventsource_parser_bom_in_multiple_places:
        ["\u{FEFF}data: bomful 1\n\n\u{FEFF}data: bomful 2\n\ndata: bomless 3\n\n", DONE].concat()
        => [message("bomful 1", ""), message("bomless 3", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'a decoded U+FEFF ... is stripped like the raw 3-byte BOM'.
    eventsource_parser_leading_bom_before_two_data_lines: "\u{FEFF}data: first\ndata: second\n\n"
        => [message("first\nsecond", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream using carriage returns'.
    eventsource_parser_carriage_returns: ["data: dog\rdata: bark\r\rdata: cat\rdata: meow\r\r", DONE].concat()
        => [message("dog\nbark", ""), message("cat\nmeow", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream using line feeds'.
    eventsource_parser_line_feeds: ["data: cow\ndata: moo\n\ndata: horse\ndata: neigh\n\n", DONE].concat()
        => [message("cow\nmoo", ""), message("horse\nneigh", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream using carriage returns and line feeds'.
    eventsource_parser_carriage_returns_and_line_feeds:
        ["data: sheep\r\ndata: bleat\r\n\r\ndata: pig\r\ndata: oink\r\n\r\n", DONE].concat()
        => [message("sheep\nbleat", ""), message("pig\noink", ""), done("")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'stream with cr separating chunks of same event'.
    eventsource_parser_cr_separating_chunks_of_same_event: "data: A\r\ndata: B\r\ndata: C\r\n\n"
        => [message("A\nB\nC", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'maxBufferSize: preserves split valid fields while discarding invalid
    // lines' ("da" + "ta\n\n").
    eventsource_parser_split_bare_data_field: "data\n\n" => [message("", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'discarded unterminated comments consume crlf as one line terminator'
    // and 'discarded lines consume a crlf split across chunks'.
    eventsource_parser_comment_crlf_is_one_terminator: "data: one\n:ignored\r\ndata: two\n\n" => [message("one\ntwo", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'discarded lines terminated by a bare cr resume parsing on the next
    // chunk' and '... arriving with their own bare cr terminator'.
    eventsource_parser_comment_bare_cr_terminator: "data: one\n:ignored\rdata: two\n\n" => [message("one\ntwo", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'bare field lines terminated by a cr at a chunk boundary are
    // processed, not discarded'.
    eventsource_parser_bare_field_line_cr_at_boundary: "data: one\ndata\r\ndata: two\n\n" => [message("one\n\ntwo", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'unknown field lines completed by a cr at a chunk boundary'.
    eventsource_parser_unknown_field_line_cr: "garbage\rdata: ok\n\n" => [message("ok", "")];
    // From rexxars/eventsource-parser, test/parse.test.ts.
    // 'a blank cr line ending a chunk dispatches the pending event exactly
    // once'.
    eventsource_parser_blank_cr_line_dispatches_once: "data: one\r\r\n" => [message("one", "")];
}

/// From rexxars/eventsource-parser, test/parse.test.ts.
///
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

cases! {
    assert_frames:
    // From launchdarkly/sse-contract-tests.
    // "multi-byte characters" and "... sent in single-byte pieces".
    launchdarkly_multi_byte_characters: "data: \u{20AC}\u{8C46}\u{8150}\n\n" => [message("\u{20AC}\u{8C46}\u{8150}", "")];
    // From launchdarkly/sse-contract-tests.
    // tests_linefeeds.go "CRLF where CR is end of 1 chunk".
    launchdarkly_crlf_where_cr_ends_a_chunk: "data: Hello\r\ndata: World\r\n\r\ndata: OK\r\n\r\n"
        => [message("Hello\nWorld", ""), message("OK", "")];
}

/// From launchdarkly/sse-contract-tests.
///
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
    // From launchdarkly/sse-contract-tests.
    // tests_bom.go "BOM at start of stream is stripped" / "BOM split across
    // first two chunks" / "BOM split byte by byte across chunks".
    launchdarkly_bom_at_start_is_stripped: b"\xEF\xBB\xBFdata: Hello\n\n" => [message("Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "BOM stripped before first event with type and ID".
    launchdarkly_bom_before_type_and_id: b"\xEF\xBB\xBFevent: greeting\nid: abc\ndata: Hello\n\n" => [event("greeting", "Hello", "abc")];
    // From launchdarkly/sse-contract-tests.
    // "BOM stripped with multiple messages".
    launchdarkly_bom_with_multiple_messages: b"\xEF\xBB\xBFdata: First\n\ndata: Second\n\n" => [message("First", ""), message("Second", "")];
    // From launchdarkly/sse-contract-tests.
    // "BOM only stripped at stream start, not from later data".
    launchdarkly_bom_in_later_data_is_kept: b"data: First\n\ndata: \xEF\xBB\xBFSecond\n\n" => [message("First", ""), message("\u{FEFF}Second", "")];
    // From launchdarkly/sse-contract-tests.
    // "only first BOM at start is stripped".
    launchdarkly_only_first_bom_is_stripped: b"\xEF\xBB\xBFdata: \xEF\xBB\xBFHello\n\n" => [message("\u{FEFF}Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "BOM with multi-line data".
    launchdarkly_bom_with_multi_line_data: b"\xEF\xBB\xBFdata: Line1\ndata: Line2\n\n" => [message("Line1\nLine2", "")];
    // From launchdarkly/sse-contract-tests.
    // "BOM with comment at start".
    launchdarkly_bom_with_comment_at_start: b"\xEF\xBB\xBF:comment\ndata: Hello\n\n" => [comment("comment"), message("Hello", "")];
    // From launchdarkly/sse-contract-tests.
    // "BOM does not affect empty data field".
    launchdarkly_bom_with_empty_data: b"\xEF\xBB\xBFdata:\n\n" => [message("", "")];
}

/// From launchdarkly/sse-contract-tests.
///
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

cases! {
    assert_frames:
    // From nodejs/undici, test/eventsource/.
    // eventsource-stream.js 'Remove BOM from the beginning of the stream.'
    // (written one byte at a time there).
    undici_remove_bom_from_the_beginning: "\u{FEFF}data: Hello\n\n" => [message("Hello", "")];
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 panics (`&string[1..]` inside U+FEFF, PR #10),
/// and so does reqwest-eventsource; russe drops the first event; lluchs
/// `eventsource` does not strip it.
#[test]
fn bom_at_start_is_stripped_without_panic() {
    assert_frames(
        "\u{FEFF}data: a\n\ndata: b\n\n".as_bytes(),
        &[message("a", ""), message("b", "")],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// async-sse 5.1.0 and sse-codec 0.3.3 strip U+FEFF from every line until
/// they have found one.
#[test]
fn only_the_first_bom_is_stripped() {
    assert_frames(
        "\u{FEFF}data: a\n\n\u{FEFF}data: b\n\ndata: \u{FEFF}c\n\n".as_bytes(),
        &[message("a", ""), message("\u{FEFF}c", "")],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 panics, russe 0.3.1 and lluchs `eventsource`
/// keep the BOM when it arrives in pieces.
#[test]
fn bom_split_across_chunks_is_stripped() {
    for cut in 1..3 {
        let bom: &[u8] = b"\xEF\xBB\xBF";
        let chunks = [&bom[..cut], &bom[cut..], b"data: a\n\n"];
        assert_eq!(frames_of(chunks), [message("a", "")], "cut at {cut}");
    }
    let bytewise: Vec<&[u8]> = b"\xEF\xBB\xBFdata: a\n\n".chunks(1).collect();
    assert_eq!(frames_of(bytewise), [message("a", "")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// tokio_sse_codec 0.0.2 knows only LF; lluchs `eventsource` fails too.
#[test]
fn cr_only_line_endings() {
    assert_frames(
        b"event: e\rdata: a\rdata: b\r\rdata: c\r\r",
        &[event("e", "a\nb", ""), message("c", "")],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 and eventsrc 0.0.2 wait for a possible LF after
/// the final CR forever, so the last event of a CR-only stream is lost.
#[test]
fn lone_cr_at_eof_dispatches_the_last_event_at_once() {
    let mut parser = Parser::new();
    assert_eq!(
        feed_now(&mut parser, b"data: a\r\rdata: b\r\r"),
        [Ok(message("a", "")), Ok(message("b", ""))]
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// async-sse 5.1.0 (`lines.rs:108`) merges CRLF only inside one read: a
/// split CRLF gives an extra blank line, so the event dispatches early.
#[test]
fn crlf_split_across_chunks_does_not_dispatch_early() {
    let chunks: [&[u8]; 3] = [b"data: a\r", b"\ndata: b\r", b"\n\r\n"];
    assert_eq!(frames_of(chunks), [message("a\nb", "")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// tokio_sse_codec 0.0.2 (`field_decoder.rs:181`) sees a blank line only as
/// `\n` or a `\r\n` inside one read: a split blank CRLF is lost.
#[test]
fn crlf_split_across_chunks_does_not_lose_the_blank_line() {
    let chunks: [&[u8]; 3] = [b"data: a\r\n\r", b"\ndata: b\r\n\r", b"\n"];
    assert_eq!(frames_of(chunks), [message("a", ""), message("b", "")]);
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// tokio_sse_codec 0.0.2 and russe 0.3.1 (`decode_eof`) return an error for
/// a trailing partial block; eventsource-client gives `UnexpectedEof`.
#[test]
fn incomplete_event_at_eof_is_silently_dropped() {
    let mut parser = Parser::new();
    let items = feed_now(&mut parser, b"data: a\n\ndata: b\nid: 3\nevent: e\ndata: c");
    assert_eq!(items, [Ok(message("a", ""))]);
    parser.finish();
    assert_eq!(parser.buffered_len(), 0);
    assert_eq!(parser.last_event_id(), "");
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 (`utf8_stream.rs:65`) stops producing events
/// after invalid UTF-8; async-sse errors forever; sse-stream,
/// tokio_sse_codec, russe and eventsrc treat it as fatal; sseer and
/// sse-codec return an error per line.
#[test]
fn invalid_utf8_does_not_lose_the_rest_of_the_stream() {
    let input = b"data: a\xFFb\n\ndata: \xC3\n\n: \xE2\x82\nid: \xF0\ndata: ok\n\ndata: last\n\n";
    assert_frames(
        input,
        &[
            message("a\u{FFFD}b", ""),
            message("\u{FFFD}", ""),
            comment("\u{FFFD}"),
            message("ok", "\u{FFFD}"),
            message("last", "\u{FFFD}"),
        ],
    );
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
/// eventsource-stream 0.2.3 reparses the partial line on every chunk (issue
/// #11: 10.4 s for 1 MiB in 64-byte chunks); sse-codec, russe and eventsrc
/// rescan their buffer. Time is for the benches; here we check the work the
/// parser keeps: every chunk is consumed in one call, and it holds no more
/// than the line so far (no copy of the line per chunk).
#[test]
fn long_line_in_small_chunks_is_consumed_chunk_by_chunk() {
    const LINE: usize = 1 << 20;
    let chunk = [b'x'; 64];
    let mut parser = Parser::new();
    let mut input: &[u8] = b"data: ";
    assert_eq!(parser.feed(&mut input), Ok(None));
    let mut fed = 0;
    while fed < LINE {
        let mut input: &[u8] = &chunk;
        assert_eq!(parser.feed(&mut input), Ok(None));
        assert!(input.is_empty());
        fed += chunk.len();
        assert!(
            parser.buffered_len() <= fed,
            "{} buffered after {fed} bytes",
            parser.buffered_len()
        );
    }
    let mut end: &[u8] = b"\n\n";
    let Ok(Some(sse_proto::Frame::Event(event))) = parser.feed(&mut end) else {
        panic!("the long event did not arrive");
    };
    assert_eq!(event.data.len(), LINE);
    assert!(event.data.bytes().all(|b| b == b'x'));
}
