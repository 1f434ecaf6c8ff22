//! `Parser::chunk`, the lending cursor that validates a chunk's UTF-8 once,
//! and its `for_each`, against `Parser::feed`: the same frames and errors
//! under every chunking.

mod common;

use common::strategy::stream;
use common::{message, parse_chunks, Items};
use proptest::prelude::*;
use sse_proto::{Config, Parser};

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

/// Parses `chunks` in order through `Parser::chunk`, then finishes (each
/// layer alone too).
fn parse_chunks_with_cursor<'a>(
    parser: &mut Parser,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Items {
    let chunks: Vec<&[u8]> = chunks.into_iter().collect();
    with_both_layers(parser, |parser| cursor_once(parser, &chunks))
}

fn cursor_once(parser: &mut Parser, chunks: &[&[u8]]) -> Items {
    let mut items = Vec::new();
    for chunk in chunks {
        let mut cursor = parser.chunk(chunk);
        while let Some(item) = cursor.next() {
            items.push(item.map(|frame| frame.into_owned()));
        }
        assert!(
            cursor.remaining().is_empty(),
            "cursor ended with input left"
        );
    }
    parser.finish();
    items
}

/// Parses `chunks` in order through `Parser::chunk(..).for_each`, then
/// finishes (each layer alone too).
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
        parser
            .chunk(chunk)
            .for_each(|item| items.push(item.map(|frame| frame.into_owned())));
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
        let mut by_feed = Parser::with_config(config.clone()).with_last_event_id(&seed);
        let mut by_cursor = Parser::with_config(config.clone()).with_last_event_id(&seed);
        let mut by_for_each = Parser::with_config(config).with_last_event_id(&seed);
        let expected = parse_chunks(&mut by_feed, pieces.iter().copied());
        let got = parse_chunks_with_cursor(&mut by_cursor, pieces.iter().copied());
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(parse_chunks_with_for_each(&mut by_for_each, pieces.iter().copied()), expected);
        for parser in [&by_cursor, &by_for_each] {
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
        let got = parse_chunks_with_cursor(&mut Parser::with_config(config.clone()), pieces);
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
                let with_cursor =
                    parse_chunks_with_cursor(&mut Parser::new(), pieces.iter().copied());
                let with_for_each =
                    parse_chunks_with_for_each(&mut Parser::new(), pieces.iter().copied());
                assert_eq!(with_cursor, expected, "{input:?} in {pieces:?}");
                assert_eq!(with_for_each, expected, "{input:?} in {pieces:?}");
            }
        }
    }
}
