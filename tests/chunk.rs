//! The closure path, `Parser::for_each` and `Parser::try_for_each` (which
//! validate a chunk's UTF-8 once), against `Parser::feed`: the same frames
//! and errors under every chunking, and wherever `try_for_each` stops.

mod common;

use std::ops::ControlFlow;

use common::fuzz_invariants::stop_after_each;
use common::strategy::stream;
use common::{message, parse_chunks, Items};
use proptest::prelude::*;
use sse_proto::{Config, EventId, Frame, Parser};

/// Runs `parse` on `parser` and on a copy with the fast layer off: both
/// must give the same items and end in the same state.
fn with_both_layers(parser: &mut Parser, parse: impl Fn(&mut Parser) -> Items) -> Items {
    let mut general = parser.clone().general_path_only();
    let items = parse(parser);
    assert_eq!(
        parse(&mut general),
        items,
        "the general layer alone differs"
    );
    common::assert_same_state(&general, parser);
    items
}

/// Parses `chunks` in order through `try_for_each`, stopped after every
/// item and resumed where it stopped, then finishes (each layer alone
/// too).
fn parse_chunks_stopping<'a>(
    parser: &mut Parser,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Items {
    let chunks: Vec<&[u8]> = chunks.into_iter().collect();
    with_both_layers(parser, |parser| stopping_once(parser, &chunks))
}

fn stopping_once(parser: &mut Parser, chunks: &[&[u8]]) -> Items {
    let mut items = Vec::new();
    for chunk in chunks {
        stop_after_each(parser, chunk, &mut items, |_| {});
    }
    parser.finish();
    items
}

/// Parses `chunks` in order through `Parser::for_each`, then finishes
/// (each layer alone too).
fn parse_chunks_with_for_each<'a>(
    parser: &mut Parser,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Items {
    let chunks: Vec<&[u8]> = chunks.into_iter().collect();
    with_both_layers(parser, |parser| for_each_once(parser, &chunks))
}

fn for_each_once(parser: &mut Parser, chunks: &[&[u8]]) -> Items {
    let mut items = Vec::new();
    for chunk in chunks {
        parser.for_each(chunk, |item| {
            items.push(item.map(|frame| frame.into_owned()))
        });
    }
    parser.finish();
    items
}

/// `input` cut at `cuts` (any order, any values): the pieces, in order.
fn pieces<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&cut| cut % (input.len() + 1)).collect();
    cuts.sort_unstable();
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts {
        pieces.push(&input[start..cut]);
        start = cut;
    }
    pieces.push(&input[start..]);
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Streams are repeated so that chunks are long enough to be validated
    /// as a whole, with invalid UTF-8 and split characters in them.
    #[test]
    fn gives_the_frames_feed_gives(
        stream in stream(),
        repeats in 1usize..24,
        cuts in prop::collection::vec(any::<usize>(), 0..6),
        limit in prop::option::of(0usize..300),
        comments: bool,
        seed in "[a-z0-9]{0,3}",
    ) {
        let input = stream.repeat(repeats);
        let pieces = pieces(&input, &cuts);
        let config = Config::default().max_event_size(limit).comments(comments);
        let mut by_feed = Parser::with_config(config.clone()).with_last_event_id(EventId::new(&seed).unwrap());
        let mut by_stopping = Parser::with_config(config.clone()).with_last_event_id(EventId::new(&seed).unwrap());
        let mut by_for_each = Parser::with_config(config).with_last_event_id(EventId::new(&seed).unwrap());
        let expected = parse_chunks(&mut by_feed, pieces.iter().copied());
        let got = parse_chunks_stopping(&mut by_stopping, pieces.iter().copied());
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(parse_chunks_with_for_each(&mut by_for_each, pieces.iter().copied()), expected);
        for parser in [&by_stopping, &by_for_each] {
            prop_assert_eq!(parser.last_event_id(), by_feed.last_event_id());
            prop_assert_eq!(parser.reconnection_time(), by_feed.reconnection_time());
        }
    }
}

#[test]
fn values_after_invalid_utf8_or_across_a_split_character_are_decoded() {
    let mut input = "data: é世🌍\n\n".repeat(40).into_bytes();
    input.extend_from_slice(b"data: \xFF bad\n\n: \xF0\x9F\n\n");
    input.extend_from_slice("data: after\n\n: still fine\n\n".repeat(20).as_bytes());
    let config = Config::default().comments(true);
    for cut in [0, 1, 300, 301, 302, 303, input.len() / 2, input.len()] {
        let pieces = [&input[..cut], &input[cut..]];
        let expected = parse_chunks(&mut Parser::with_config(config.clone()), pieces);
        let got = parse_chunks_stopping(&mut Parser::with_config(config.clone()), pieces);
        assert_eq!(got, expected, "cut at {cut}");
        assert_eq!(got.len(), 40 + 2 + 40, "cut at {cut}");
    }
}

/// A data line that the next chunk finishes within its first 16 bytes
/// (copied as one vector, then cut back): at every position, with each
/// terminator, a CRLF split after the CR, and multi-byte text around it.
#[test]
fn data_lines_finished_early_in_the_next_chunk() {
    for terminator in ["\n", "\r", "\r\n"] {
        for len in 0..20 {
            let rest: String = "é0123456789abcdefghij".chars().take(len).collect();
            let input = format!(
                "data: start{rest}{terminator}data: second{terminator}{terminator}data: x\n\n"
            );
            let input = input.as_bytes();
            let cut = "data: start".len();
            let crlf_cut = input
                .iter()
                .position(|&b| b == b'\r')
                .map_or(cut, |cr| cr + 1);
            for pieces in [
                vec![&input[..cut], &input[cut..]],
                vec![&input[..cut], &input[cut..crlf_cut], &input[crlf_cut..]],
            ] {
                let expected = vec![
                    Ok(message(&format!("start{rest}\nsecond"), "")),
                    Ok(message("x", "")),
                ];
                let with_feed = parse_chunks(&mut Parser::new(), pieces.iter().copied());
                assert_eq!(with_feed, expected, "{input:?} in {pieces:?}");
                let with_cursor = parse_chunks_stopping(&mut Parser::new(), pieces.iter().copied());
                let with_for_each =
                    parse_chunks_with_for_each(&mut Parser::new(), pieces.iter().copied());
                assert_eq!(with_cursor, expected, "{input:?} in {pieces:?}");
                assert_eq!(with_for_each, expected, "{input:?} in {pieces:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Stopping after the `stop`-th item, then going on from where it
    /// stopped with `feed`, gives what `feed` gives throughout.
    #[test]
    fn going_on_after_a_stop_gives_what_feed_gives(
        stream in stream(),
        repeats in 1usize..8,
        stop in 0usize..40,
        limit in prop::option::of(0usize..300),
        comments: bool,
    ) {
        let input = stream.repeat(repeats);
        let config = Config::default().max_event_size(limit).comments(comments);
        let expected = parse_chunks(&mut Parser::with_config(config.clone()), [&input[..]]);
        let mut parser = Parser::with_config(config);
        let mut items = Vec::new();
        let mut rest = &input[..];
        let flow = parser.try_for_each(&mut rest, |item| {
            items.push(item.map(Frame::into_owned));
            if items.len() > stop { ControlFlow::Break(items.len()) } else { ControlFlow::Continue(()) }
        });
        match flow {
            ControlFlow::Break(taken) => prop_assert_eq!(taken, stop + 1),
            ControlFlow::Continue(()) => {
                prop_assert!(rest.is_empty());
                prop_assert!(items.len() <= stop);
            }
        }
        items.extend(parse_chunks(&mut parser, [rest]));
        prop_assert_eq!(items, expected);
    }
}

#[test]
fn try_for_each_returns_what_the_closure_breaks_with_and_leaves_the_rest() {
    let mut parser = Parser::new();
    let mut input: &[u8] = b"data: 1\n\nid: 7\ndata: 2\n\ndata: 3\n\n";
    let flow = parser.try_for_each(&mut input, |item| match item {
        Ok(Frame::Event(event)) if event.data == "2" => ControlFlow::Break(event.id.to_owned()),
        _ => ControlFlow::Continue(()),
    });
    assert_eq!(flow, ControlFlow::Break("7".to_owned()));
    assert_eq!(input, b"data: 3\n\n");
    assert_eq!(parser.last_event_id(), "7");
    // Nothing left to stop at: `Continue`, and the input is used up.
    let mut events = 0;
    let flow = parser.try_for_each(&mut input, |_| -> ControlFlow<()> {
        events += 1;
        ControlFlow::Continue(())
    });
    assert_eq!(
        (flow, events, input),
        (ControlFlow::Continue(()), 1, &b""[..])
    );
}

/// A stop at a comment after no data may take the comment's blank line
/// with it (a heartbeat's), never more; either way the parser's state is
/// that of the stream up to where `input` now starts.
#[test]
fn a_stop_at_a_heartbeat_is_at_or_past_its_blank_line() {
    let stop_at_comments = |item: Result<Frame<'_>, _>| match item {
        Ok(Frame::Comment(text)) => ControlFlow::Break(text.to_owned()),
        _ => ControlFlow::Continue(()),
    };
    // First in the stream (the general path) and after an event (the
    // short one).
    for stream in [&b"id: 3\n: ping\n\n"[..], b"data: 0\n\nid: 3\n: ping\n\n"] {
        let mut parser = Parser::new();
        let mut input = stream.to_vec();
        input.extend_from_slice(b"data: x\n: inside\n\n");
        let mut input = &input[..];
        let flow = parser.try_for_each(&mut input, stop_at_comments);
        assert_eq!(flow, ControlFlow::Break("ping".into()));
        match parser.last_event_id() {
            "" => assert_eq!(input, b"\ndata: x\n: inside\n\n"),
            "3" => assert_eq!(input, b"data: x\n: inside\n\n"),
            other => panic!("last event ID {other:?}"),
        }
        // Inside an event, the blank line dispatches it: never taken.
        let flow = parser.try_for_each(&mut input, stop_at_comments);
        assert_eq!(flow, ControlFlow::Break("inside".into()));
        assert_eq!(input, b"\n");
        assert_eq!(parse_chunks(&mut parser, [input]), [Ok(message("x", "3"))]);
    }
}
