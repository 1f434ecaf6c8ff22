//! The parser against the reference model, and against itself under every
//! chunking, on arbitrary input biased toward the format's tokens.

mod common;

use common::strategy::stream;
use common::{parse_bytewise, parse_split, parse_whole, reference};
use proptest::prelude::*;
use sse_proto::{Config, EventId, Parser};

fn stream_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    stream().prop_flat_map(|input| {
        let len = input.len();
        let cuts = prop::collection::btree_set(0..=len, 0..8)
            .prop_map(|cuts| cuts.into_iter().collect::<Vec<_>>());
        (Just(input), cuts)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn agrees_with_the_reference_model((input, cuts) in stream_and_cuts(), comments: bool) {
        let config = Config::default().comments(comments);
        let expected = reference::parse(&input, "", comments);
        let whole = parse_whole(config.clone(), &input);
        let whole: Vec<_> = whole.into_iter().map(|item| item.unwrap()).collect();
        prop_assert_eq!(&whole, &expected.frames);
        let split: Vec<_> = parse_split(config, &input, &cuts).into_iter().map(|item| item.unwrap()).collect();
        prop_assert_eq!(&split, &expected.frames);
    }

    #[test]
    fn any_chunking_gives_the_frames_of_the_one_shot_parse(
        (input, cuts) in stream_and_cuts(),
        limit in prop::option::of(0usize..64),
    ) {
        let config = Config::default().max_event_size(limit);
        let whole = parse_whole(config.clone(), &input);
        prop_assert_eq!(&parse_split(config.clone(), &input, &cuts), &whole);
        prop_assert_eq!(&parse_bytewise(config, &input), &whole);
    }

    #[test]
    fn last_event_id_and_retry_match_the_reference(input in stream(), seed in "[a-z0-9]{0,3}") {
        let expected = reference::parse(&input, &seed, true);
        let mut parser = Parser::new().with_last_event_id(EventId::new(&seed).unwrap());
        let frames: Vec<_> = common::parse_chunks(&mut parser, [&input[..]])
            .into_iter().map(|item| item.unwrap()).collect();
        prop_assert_eq!(frames, expected.frames);
        prop_assert_eq!(parser.last_event_id(), expected.last_event_id.as_str());
        prop_assert_eq!(parser.reconnection_time(), expected.reconnection_time);
    }
}

/// Data lines longer than the pieces the parser copies them in (2 KiB),
/// with three-byte characters and invalid bytes across every piece and
/// chunk boundary, through `feed` and `Parser::try_for_each` stopped at every
/// frame, give the
/// reference model's frames.
#[test]
fn long_lines_cut_anywhere_agree_with_the_reference_model() {
    let mut line = b"data: ".to_vec();
    for i in 0..2500 {
        line.extend_from_slice(match i % 5 {
            0 => "€".as_bytes(),
            1 => b"\xE2\x82",
            _ => b"ab",
        });
    }
    let mut input = line.clone();
    input.extend_from_slice(b"\r\n\r\n: between\n");
    input.extend_from_slice(&line);
    input.extend_from_slice(b"\ndata: tail\n\n");
    let expected = reference::parse(&input, "", true);
    for chunk_size in [1, 7, 2047, 2048, 2049, 4095, 4096, 4097, 6000, input.len()] {
        let chunks: Vec<&[u8]> = input.chunks(chunk_size).collect();
        let fed: Vec<_> = common::parse_chunks(&mut Parser::new(), chunks.iter().copied())
            .into_iter()
            .map(|item| item.unwrap())
            .collect();
        assert_eq!(fed, expected.frames, "feed, chunks of {chunk_size}");
        let mut parser = Parser::new();
        let mut cursor_frames = Vec::new();
        for chunk in &chunks {
            let mut items = Vec::new();
            common::fuzz_invariants::stop_after_each(&mut parser, chunk, &mut items, |_| {});
            cursor_frames.extend(items.into_iter().map(Result::unwrap));
        }
        assert_eq!(
            cursor_frames, expected.frames,
            "cursor, chunks of {chunk_size}"
        );
    }
}
