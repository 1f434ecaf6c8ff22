//! Regression guards against every parser failure recorded in
//! `../shared/LANDSCAPE.md` (table 1a and the notes per crate). Each test
//! names the crates that get it wrong, so a failure here means we have
//! inherited a bug someone else shipped.

mod common;

use common::{assert_frames, comment, event, message, parse_chunks, Items};
use sse_proto::{Config, EventId, OwnedFrame, ParseError, Parser, DEFAULT_MAX_EVENT_SIZE};
use std::time::Duration;

/// Feeds `chunks` to a fresh parser, finishes, and requires no errors.
fn frames_of<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<OwnedFrame> {
    let items: Items = parse_chunks(&mut Parser::new(), chunks);
    items
        .into_iter()
        .map(|item| item.expect("no error expected"))
        .collect()
}

/// Feeds one chunk without finishing the stream; what that call gave.
fn feed_now(parser: &mut Parser, chunk: &[u8]) -> Vec<Result<OwnedFrame, ParseError>> {
    parser.frames(chunk).collect()
}

// ---- BOM ----

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

/// async-sse 5.1.0 and sse-codec 0.3.3 strip U+FEFF from every line until
/// they have found one.
#[test]
fn only_the_first_bom_is_stripped() {
    assert_frames(
        "\u{FEFF}data: a\n\n\u{FEFF}data: b\n\ndata: \u{FEFF}c\n\n".as_bytes(),
        &[message("a", ""), message("\u{FEFF}c", "")],
    );
}

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

// ---- Line ends ----

/// tokio_sse_codec 0.0.2 knows only LF; lluchs `eventsource` fails too.
#[test]
fn cr_only_line_endings() {
    assert_frames(
        b"event: e\rdata: a\rdata: b\r\rdata: c\r\r",
        &[event("e", "a\nb", ""), message("c", "")],
    );
}

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

/// async-sse 5.1.0 (`lines.rs:108`) merges CRLF only inside one read: a
/// split CRLF gives an extra blank line, so the event dispatches early.
#[test]
fn crlf_split_across_chunks_does_not_dispatch_early() {
    let chunks: [&[u8]; 3] = [b"data: a\r", b"\ndata: b\r", b"\n\r\n"];
    assert_eq!(frames_of(chunks), [message("a\nb", "")]);
}

/// tokio_sse_codec 0.0.2 (`field_decoder.rs:181`) sees a blank line only as
/// `\n` or a `\r\n` inside one read: a split blank CRLF is lost.
#[test]
fn crlf_split_across_chunks_does_not_lose_the_blank_line() {
    let chunks: [&[u8]; 3] = [b"data: a\r\n\r", b"\ndata: b\r\n\r", b"\n"];
    assert_eq!(frames_of(chunks), [message("a", ""), message("b", "")]);
}

// ---- Fields ----

/// sseer 0.3.1, async-sse, sse-codec and tokio_sse_codec ignore `event`
/// without a colon; sse-stream, russe and lluchs give the type `""`.
#[test]
fn event_with_no_colon_resets_the_type_to_message() {
    assert_frames(b"event: a\nevent\ndata: x\n\n", &[message("x", "")]);
}

/// tokio_sse_codec 0.0.2 (`:226`) treats `data` with no colon as unknown.
#[test]
fn data_with_no_colon_is_a_data_line() {
    assert_frames(b"data: a\ndata\ndata: b\n\n", &[message("a\n\nb", "")]);
}

/// lluchs `eventsource` 0.5 keeps the trailing LF on every event.
#[test]
fn multi_line_data_loses_only_the_last_lf() {
    assert_frames(b"data: a\ndata: b\n\n", &[message("a\nb", "")]);
}

/// eventsource-client 0.18 (`event_parser.rs:46`) returns `InvalidEvent` for
/// a block of only unknown fields (or only `event:`), and reconnects.
#[test]
fn block_of_only_unknown_fields_is_not_an_error() {
    assert_frames(
        b"foo: 1\nbar\n\nevent: x\n\ndata: a\n\n",
        &[message("a", "")],
    );
}

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

// ---- retry ----

/// async-sse 5.1.0 (`decoder.rs:91`) and sse-codec 0.3.3 (`lib.rs:212`)
/// test the value before removing the space, so `retry: 1000` is ignored.
#[test]
fn retry_with_the_usual_space_is_accepted() {
    assert_frames(
        b"retry: 1000\n",
        &[OwnedFrame::Retry(Duration::from_millis(1000))],
    );
}

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

/// eventsource-stream 0.2.3 (`event_stream.rs:63`), sseer 0.3.1,
/// tokio_sse_codec, eventsource-client and lluchs accept `+1` through
/// `str::parse`.
#[test]
fn retry_with_a_plus_sign_is_rejected() {
    let mut parser = Parser::new();
    assert_eq!(feed_now(&mut parser, b"retry: +1\nretry:+1\n"), []);
    assert_eq!(parser.reconnection_time(), None);
}

/// tokio_sse_codec 0.0.2 calls `from_utf8_unchecked` on the retry bytes.
#[test]
fn retry_with_invalid_utf8_is_ignored() {
    assert_frames(b"retry: \xFF1\nretry: 1\xC3\n", &[]);
}

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

// ---- id ----

/// russe 0.3.1 and lluchs `eventsource` accept an `id` containing NUL.
#[test]
fn id_containing_nul_is_ignored() {
    assert_frames(b"id: 1\n\nid: a\0b\ndata\n\n", &[message("", "1")]);
}

/// sse-stream 0.3.0, russe 0.3.1 and lluchs `eventsource` give each event
/// only its own `id`.
#[test]
fn last_event_id_is_sticky_across_events() {
    assert_frames(
        b"id: 7\ndata: a\n\ndata: b\n\n",
        &[message("a", "7"), message("b", "7")],
    );
}

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

/// eventsource-stream 0.2.3: `set_last_event_id` does not seed the events.
#[test]
fn starting_last_event_id_seeds_the_events() {
    let mut parser = Parser::new().with_last_event_id(EventId::new("99").unwrap());
    assert_eq!(
        feed_now(&mut parser, b"data: a\n\n"),
        [Ok(message("a", "99"))]
    );
}

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

// ---- Dispatch ----

/// sse-stream 0.3.0 and russe 0.3.1 emit blocks with no data; lluchs
/// dispatches at every blank line.
#[test]
fn block_with_no_data_is_not_dispatched() {
    assert_frames(
        b"id: 1\n\nevent: e\n\n\n\ndata: a\n\n",
        &[message("a", "1")],
    );
}

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

// ---- UTF-8 ----

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

// ---- Size and time ----

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

/// No crate but sse-core limits memory by default (nv-redfish#138:
/// unbounded buffering through sse-stream). Ours has a limit by default,
/// and the events after an oversized one still arrive. The oversized line
/// is an unknown field, which is counted but not buffered, so the test
/// needs no 64 MiB buffer.
#[test]
fn size_limit_exists_by_default_and_later_events_still_arrive() {
    assert_eq!(
        Config::default().max_event_size,
        Some(DEFAULT_MAX_EVENT_SIZE)
    );
    let mut parser = Parser::new();
    let mut items = feed_now(&mut parser, b"data: before\n\nignored:");
    let mib = vec![b'x'; 1 << 20];
    for _ in 0..=DEFAULT_MAX_EVENT_SIZE >> 20 {
        items.extend(feed_now(&mut parser, &mib));
        assert!(parser.buffered_len() <= DEFAULT_MAX_EVENT_SIZE);
    }
    items.extend(feed_now(&mut parser, b"\ndata: lost\n\ndata: after\n\n"));
    assert_eq!(
        items,
        [
            Ok(message("before", "")),
            Err(ParseError::EventTooLarge {
                limit: DEFAULT_MAX_EVENT_SIZE
            }),
            Ok(message("after", "")),
        ]
    );
}
