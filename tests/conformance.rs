//! One example per rule of `../shared/PROTOCOL.md` (the WHATWG "Parsing an
//! event stream" and "Interpreting an event stream"), named after the rule,
//! plus the standard's own examples.
//!
//! Every `parses_to!` case is parsed whole, one byte at a time and cut once at
//! every point, and must give the same frames each time.

mod common;

use common::{assert_frames, comment, event, message, parse_chunks};
use sse_proto::{Config, EventId, Frame, OwnedFrame, Parser};
use std::time::Duration;

/// `name: input => [frames];` — a test that `input` (a `&str` or a byte
/// string) parses to exactly these frames however it is chunked.
macro_rules! parses_to {
    ($($(#[$attr:meta])* $name:ident: $input:expr => [$($frame:expr),* $(,)?];)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                assert_frames(AsRef::<[u8]>::as_ref($input), &[$($frame),*]);
            }
        )*
    };
}

fn retry(ms: u64) -> OwnedFrame {
    OwnedFrame::Retry(Duration::from_millis(ms))
}

/// Feeds one chunk and returns what that call alone gave, owned.
fn feed_one(parser: &mut Parser, chunk: &[u8]) -> Vec<OwnedFrame> {
    parser
        .frames(chunk)
        .map(|item| item.expect("no limit in these tests"))
        .collect()
}

// ---- Decoding: the byte order mark ----

parses_to! {
    bom_at_start_is_dropped: "\u{FEFF}data: a\n\n" => [message("a", "")];
    // A second BOM is content: the first line is then "\u{FEFF}data: a", an
    // unknown field.
    second_bom_is_content: "\u{FEFF}\u{FEFF}data: a\n\ndata: b\n\n" => [message("b", "")];
    bom_not_at_start_is_content: "data: \u{FEFF}a\n\n\u{FEFF}data: b\n\n" => [message("\u{FEFF}a", "")];
    bom_only_in_a_stream_of_one_line_is_dropped: "\u{FEFF}data\n\n" => [message("", "")];
    // EF BB then not BF: the two bytes start the first line (one U+FFFD).
    partial_bom_followed_by_other_bytes_is_content: b"\xEF\xBBdata: a\n\ndata: b\n\n" => [message("b", "")];
    partial_bom_then_colon_is_part_of_the_field_name: b"\xEF\xBB: x\n\xEF\xBB\xBFdata\n\n" => [];
    partial_bom_then_line_end_is_a_line_of_its_own: b"\xEF\n\ndata: a\n\n" => [message("a", "")];
}

#[test]
fn bom_split_across_chunks_is_dropped() {
    let chunks: [&[u8]; 4] = [b"\xEF", b"\xBB", b"\xBF", b"data: a\n\n"];
    let items = parse_chunks(&mut Parser::new(), chunks);
    assert_eq!(items, [Ok(message("a", ""))]);
}

#[test]
fn each_new_stream_may_start_with_its_own_bom() {
    let mut parser = Parser::new();
    assert_eq!(
        feed_one(&mut parser, "\u{FEFF}data: a\n\n".as_bytes()),
        [message("a", "")]
    );
    parser.finish();
    assert_eq!(
        feed_one(&mut parser, "\u{FEFF}data: b\n\n".as_bytes()),
        [message("b", "")]
    );
}

// ---- Decoding: UTF-8 ----

parses_to! {
    // F0 9F 98 (truncated 4-byte sequence): one U+FFFD. FF: one. C0 AF
    // (overlong): two. ED A0 80 (surrogate): three. As the Encoding Standard
    // and `String::from_utf8_lossy` do.
    invalid_utf8_becomes_one_replacement_per_maximal_subpart:
        b"data: a\xF0\x9F\x98b\xFFc\xC0\xAF\xED\xA0\x80d\n\n"
        => [message("a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}d", "")];
    invalid_utf8_before_a_line_end_is_replaced_and_the_line_still_ends:
        b"data: \xF0\x9F\ndata: b\n\n" => [message("\u{FFFD}\nb", "")];
    invalid_utf8_in_type_id_and_comment_is_replaced:
        b": \xFF\nevent: \xFE\nid: \xC3\ndata\n\n"
        => [comment("\u{FFFD}"), event("\u{FFFD}", "", "\u{FFFD}")];
    utf8_sequence_split_across_chunks_is_decoded_whole:
        "data: é世🌍\n\n" => [message("é世🌍", "")];
    non_ascii_field_name_is_an_unknown_field: "dätä: x\n\n" => [];
}

#[test]
fn invalid_utf8_replacement_matches_from_utf8_lossy() {
    let value: &[u8] = b"\xF0\x9F\x98b\xFFc\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82";
    let mut input = b"data:".to_vec();
    input.extend_from_slice(value);
    input.extend_from_slice(b"\n\n");
    assert_frames(&input, &[message(&String::from_utf8_lossy(value), "")]);
}

// ---- Lines ----

parses_to! {
    lf_ends_lines: "data: a\ndata: b\n\n" => [message("a\nb", "")];
    crlf_ends_lines: "data: a\r\ndata: b\r\n\r\n" => [message("a\nb", "")];
    lone_cr_ends_lines: "data: a\rdata: b\r\r" => [message("a\nb", "")];
    mixed_line_ends_in_one_stream: "data: a\rdata: b\r\ndata: c\n\r\n" => [message("a\nb\nc", "")];
    // CR then CRLF: two line ends, so a blank line.
    cr_then_crlf_is_a_line_end_then_a_blank_line: "data: a\r\r\ndata: b\n\n" => [message("a", ""), message("b", "")];
    // LF then CR: two line ends.
    lf_then_cr_is_two_line_ends: "data: a\n\rdata: b\n\n" => [message("a", ""), message("b", "")];
    unterminated_last_line_is_discarded: "data: a\n\ndata: b" => [message("a", "")];
    unterminated_retry_line_is_discarded: "retry: 5" => [];
    unterminated_comment_line_is_discarded: ": hi" => [];
    partial_event_at_end_of_stream_is_discarded: "data: a\n\ndata: b\n" => [message("a", "")];
}

#[test]
fn crlf_split_across_chunks_is_one_line_end() {
    // If the LFs were read as blank lines, "a" and "b" would be two events.
    let chunks: [&[u8]; 5] = [b"data: a\r", b"\n", b"data: b\r", b"\ndata: c\r", b"\n\r\n"];
    let items = parse_chunks(&mut Parser::new(), chunks);
    assert_eq!(items, [Ok(message("a\nb\nc", ""))]);
}

#[test]
fn cr_at_chunk_end_ends_the_line_now() {
    let mut parser = Parser::new();
    // The line ends at the CR: the retry comes out of this very call.
    assert_eq!(feed_one(&mut parser, b"retry: 7\r"), [retry(7)]);
    // The LF that follows is the second half of that CRLF, nothing more.
    assert_eq!(feed_one(&mut parser, b"\ndata: a\r"), []);
    // The blank line's CR is the last byte: the event does not wait.
    assert_eq!(feed_one(&mut parser, b"\r"), [message("a", "")]);
    assert_eq!(feed_one(&mut parser, b"\n"), []);
    assert_eq!(feed_one(&mut parser, b"\r"), []);
    assert_eq!(feed_one(&mut parser, b": c\r"), [comment("c")]);
}

#[test]
fn frame_comes_out_in_the_call_that_feeds_its_last_byte() {
    let input = b"data: a\n\n: c\nretry: 9\ndata: b\r\r";
    let mut parser = Parser::new();
    let mut got = Vec::new();
    for (i, byte) in input.iter().enumerate() {
        for frame in feed_one(&mut parser, &[*byte]) {
            got.push((i, frame));
        }
    }
    assert_eq!(
        got,
        [
            (8, message("a", "")),
            (12, comment("c")),
            (21, retry(9)),
            (30, message("b", "")),
        ]
    );
}

#[test]
fn partial_event_is_not_dispatched_by_the_next_stream() {
    let mut parser = Parser::new();
    assert_eq!(feed_one(&mut parser, b"event: x\ndata: a\ndata: b"), []);
    parser.finish();
    // A new stream: its blank line has no data of the old one to dispatch.
    assert_eq!(feed_one(&mut parser, b"\ndata: c\n\n"), [message("c", "")]);
    assert_eq!(parser.buffered_len(), 0);
}

// ---- Fields ----

parses_to! {
    field_name_is_everything_before_the_first_colon:
        "data:a:b\nevent:x: y\n\n" => [event("x: y", "a:b", "")];
    one_leading_space_is_removed_from_the_value: "data: a\n\n" => [message("a", "")];
    value_without_a_leading_space_is_kept_whole: "data:a\n\n" => [message("a", "")];
    only_one_leading_space_is_removed: "data:  a\n\n" => [message(" a", "")];
    a_leading_tab_is_not_removed: "data:\ta\n\n" => [message("\ta", "")];
    trailing_spaces_are_kept: "data: a  \n\n" => [message("a  ", "")];
    line_with_no_colon_is_a_field_with_an_empty_value: "data\n\n" => [message("", "")];
    line_with_no_colon_and_a_trailing_space_is_an_unknown_field: "data \n\n" => [];
    field_names_are_case_sensitive: "Data: a\nDATA: b\nEvent: x\ndata: c\n\n" => [message("c", "")];
    space_before_the_colon_makes_another_field_name: "data : a\n data: b\n\n" => [];
    unknown_fields_are_ignored: "foo: bar\ndata: a\nbaz\nx:\n\n" => [message("a", "")];
    long_unknown_field_names_are_ignored: "dataevent: a\ndatadata\nretryretry: 1\n\n" => [];
    line_starting_with_a_colon_is_a_comment: ": hello\n" => [comment("hello")];
    comment_loses_one_leading_space_only: ":  two\n:none\n:\n" => [comment(" two"), comment("none"), comment("")];
    comment_does_not_interrupt_an_event: "data: a\n: c\ndata: b\n\n" => [comment("c"), message("a\nb", "")];
}

#[test]
fn comments_can_be_turned_off() {
    let items = common::parse_whole(Config::default().comments(false), b": a\ndata: b\n:\n\n");
    assert_eq!(items, [Ok(message("b", ""))]);
}

// ---- event ----

parses_to! {
    event_field_sets_the_type: "event: add\ndata: 1\n\n" => [event("add", "1", "")];
    last_event_field_of_a_block_wins: "event: a\nevent: b\ndata\n\n" => [event("b", "", "")];
    event_with_no_colon_resets_the_type: "event: a\nevent\ndata\n\n" => [message("", "")];
    event_with_empty_value_gives_message: "event:\ndata: x\n\n" => [message("x", "")];
    event_type_named_message_is_message: "event: message\ndata: x\n\n" => [message("x", "")];
    event_type_keeps_spaces_after_the_first: "event:  a b \ndata\n\n" => [event(" a b ", "", "")];
}

// ---- data ----

parses_to! {
    data_lines_are_joined_with_lf: "data: a\ndata: b\ndata: c\n\n" => [message("a\nb\nc", "")];
    data_alone_dispatches_an_empty_string: "data\n\ndata:\n\n" => [message("", ""), message("", "")];
    two_empty_data_lines_give_one_lf: "data\ndata\n\n" => [message("\n", "")];
    trailing_lf_is_removed_once: "data: a\ndata\n\n" => [message("a\n", "")];
    data_after_other_fields_in_the_block: "id: 1\nevent: e\ndata: x\n\n" => [event("e", "x", "1")];
}

// ---- id ----

parses_to! {
    id_sets_the_last_event_id: "id: 7\ndata: a\n\n" => [message("a", "7")];
    id_after_data_counts_for_its_own_block: "data: a\nid: 3\n\n" => [message("a", "3")];
    id_containing_nul_is_ignored: "id: 1\ndata\n\nid: 2\0x\ndata\n\n" => [message("", "1"), message("", "1")];
    empty_id_resets_the_last_event_id: "id: 1\ndata\n\nid:\ndata\n\n" => [message("", "1"), message("", "")];
    bare_id_resets_the_last_event_id: "id: 1\ndata\n\nid\ndata\n\n" => [message("", "1"), message("", "")];
    id_is_sticky_across_events: "id: 1\ndata: a\n\ndata: b\n\nevent: e\ndata: c\n\n"
        => [message("a", "1"), message("b", "1"), event("e", "c", "1")];
    id_keeps_spaces_after_the_first: "id:  x \ndata\n\n" => [message("", " x ")];
    last_id_field_of_a_block_wins: "id: 1\nid: 2\ndata\n\n" => [message("", "2")];
    id_is_committed_at_the_blank_line_even_without_data: "id: 5\n\ndata: a\n\n" => [message("a", "5")];
}

#[test]
fn last_event_id_changes_at_the_blank_line_not_at_the_id_line() {
    let mut parser = Parser::new();
    assert_eq!(feed_one(&mut parser, b"id: 5\n"), []);
    assert_eq!(parser.last_event_id(), "");
    assert_eq!(feed_one(&mut parser, b"\n"), []);
    assert_eq!(parser.last_event_id(), "5");
}

#[test]
fn starting_id_is_carried_until_the_stream_changes_it() {
    let mut parser = Parser::new().with_last_event_id(EventId::new("41").unwrap());
    assert_eq!(parser.last_event_id(), "41");
    let frames = feed_one(&mut parser, b"data: a\n\nid: 42\ndata: b\n\n");
    assert_eq!(frames, [message("a", "41"), message("b", "42")]);
}

#[test]
fn last_event_id_and_reconnection_time_survive_finish() {
    let mut parser = Parser::new();
    feed_one(&mut parser, b"id: 3\nretry: 250\n\n");
    parser.finish();
    assert_eq!(parser.last_event_id(), "3");
    assert_eq!(parser.reconnection_time(), Some(Duration::from_millis(250)));
    assert_eq!(feed_one(&mut parser, b"data: a\n\n"), [message("a", "3")]);
}

// ---- retry ----

parses_to! {
    retry_sets_the_reconnection_time: "retry: 1500\n" => [retry(1500)];
    retry_without_a_space: "retry:1500\n" => [retry(1500)];
    retry_zero_and_leading_zeros: "retry: 0\nretry: 007\n" => [retry(0), retry(7)];
    retry_largest_u64_is_accepted: "retry: 18446744073709551615\n" => [retry(u64::MAX)];
    retry_too_big_for_u64_is_ignored: "retry: 18446744073709551616\nretry: 99999999999999999999999\n" => [];
    retry_empty_is_ignored: "retry:\nretry: \nretry\n" => [];
    retry_with_a_sign_is_ignored: "retry: +1\nretry: -1\n" => [];
    retry_with_two_spaces_is_ignored: "retry:  1\n" => [];
    retry_with_a_trailing_space_is_ignored: "retry: 1 \n" => [];
    retry_with_non_digits_is_ignored: "retry: 12a\nretry: 1.5\nretry: 1e3\nretry: 0x10\n" => [];
    retry_with_non_ascii_digits_is_ignored: "retry: \u{0661}\nretry: \u{FF11}\n" => [];
    retry_takes_effect_without_an_event: "retry: 10\n\ndata: a\n\n" => [retry(10), message("a", "")];
    retry_inside_an_event_comes_out_at_its_line: "data: a\nretry: 3\ndata: b\n\n" => [retry(3), message("a\nb", "")];
}

#[test]
fn retry_takes_effect_even_when_its_block_is_cut_off() {
    let mut parser = Parser::new();
    assert_eq!(feed_one(&mut parser, b"retry: 10\ndata: lost"), [retry(10)]);
    parser.finish();
    assert_eq!(parser.reconnection_time(), Some(Duration::from_millis(10)));
}

#[test]
fn invalid_retry_keeps_the_previous_reconnection_time() {
    let mut parser = Parser::new();
    feed_one(&mut parser, b"retry: 10\nretry: x\nretry: +1\n");
    assert_eq!(parser.reconnection_time(), Some(Duration::from_millis(10)));
}

// ---- Dispatch ----

parses_to! {
    blank_lines_alone_dispatch_nothing: "\n\n\r\n\r" => [];
    empty_data_buffer_dispatches_nothing_and_resets_the_event_type:
        "event: a\n\ndata: x\n\n" => [message("x", "")];
    block_of_only_id_and_event_dispatches_nothing: "event: e\nid: 1\n\n" => [];
    type_defaults_to_message: "data: x\n\n" => [message("x", "")];
    type_is_reset_after_dispatch_but_id_is_kept:
        "event: a\nid: 1\ndata: x\n\ndata: y\n\n" => [event("a", "x", "1"), message("y", "1")];
    several_events_in_one_chunk: "data: 1\n\ndata: 2\n\ndata: 3\n\n"
        => [message("1", ""), message("2", ""), message("3", "")];
}

// ---- The standard's own examples (WHATWG HTML 9.2.4-9.2.6) ----

parses_to! {
    spec_stock_ticker_three_data_lines: "data: YHOO\ndata: +2\ndata: 10\n\n" => [message("YHOO\n+2\n10", "")];
    // "The first block fires events with the data set to "first event" and
    // last event ID "1"; the second "second event" with the ID reset to the
    // empty string; the third " third event" (one leading space kept).
    spec_four_blocks:
        ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"
        => [
            comment("test stream"),
            message("first event", "1"),
            message("second event", ""),
            message(" third event", ""),
        ];
    // "The first block fires an event whose data is the empty string, the
    // second an event whose data is a single newline; the last block is
    // discarded because it is not followed by a blank line."
    spec_two_events_and_a_discarded_block: "data\n\ndata\ndata\n\ndata:" => [message("", ""), message("\n", "")];
    // "The following stream fires two identical events."
    spec_space_after_colon_is_optional: "data:test\n\ndata: test\n\n" => [message("test", ""), message("test", "")];
    spec_event_types: "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n"
        => [event("add", "73857293", ""), event("remove", "2153", ""), event("add", "113411", "")];
}

#[test]
fn borrowed_and_owned_paths_agree() {
    let input = b"event: e\nid: 1\ndata: a\ndata: b\n\n: c\nretry: 5\ndata: x\n\n";
    let mut parser = Parser::new();
    let mut borrowed = Vec::new();
    let mut rest: &[u8] = input;
    while let Some(frame) = parser.feed(&mut rest).unwrap() {
        borrowed.push(frame.into_owned());
    }
    let owned = feed_one(&mut Parser::new(), input);
    assert_eq!(borrowed, owned);
    assert_eq!(owned[0].as_frame().into_owned(), owned[0]);
    assert!(matches!(owned[1].as_frame(), Frame::Comment("c")));
}

/// `with_last_event_id` takes only IDs a stream could set, as `EventId`s:
/// CR or LF cannot be in a line, and an `id` with U+0000 is ignored, so
/// neither can ever be sent back as `Last-Event-ID` (a header injection
/// otherwise). The empty ID starts with none, and replaces an earlier one.
#[test]
fn starting_id_is_an_id_a_stream_could_set() {
    for bad in ["a\rb", "a\nb", "a\0b"] {
        assert!(EventId::new(bad).is_err(), "{bad:?}");
    }
    let parser = Parser::new()
        .with_last_event_id(EventId::new("7").unwrap())
        .with_last_event_id(EventId::RESET);
    assert_eq!(parser.last_event_id(), "");
    let parser = Parser::new().with_last_event_id(EventId::new("é 7").unwrap());
    assert_eq!(parser.last_event_id(), "é 7");
}
