//! The parser against the reference model, and against itself under every
//! chunking, on arbitrary input biased toward the format's tokens.

mod common;

use common::{parse_bytewise, parse_split, parse_whole, reference};
use proptest::prelude::*;
use sse_proto::{Config, Parser};

/// Bytes that look like event streams: field names, colons, spaces, every
/// line ending, BOM pieces, NUL, non-ASCII and invalid UTF-8.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"data".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"data: ".to_vec()),
        Just(b"event:".to_vec()),
        Just(b"event".to_vec()),
        Just(b"id:".to_vec()),
        Just(b"id".to_vec()),
        Just(b"retry:".to_vec()),
        Just(b"retry: ".to_vec()),
        Just(b"retry".to_vec()),
        Just(b":".to_vec()),
        Just(b" ".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xEF\xBB".to_vec()),
        Just(b"\xEF".to_vec()),
        Just(b"\0".to_vec()),
        Just("é世🌍".as_bytes().to_vec()),
        Just(b"\xFF".to_vec()),
        Just(b"\xF0\x9F".to_vec()),
        Just(b"12".to_vec()),
        Just(b"18446744073709551616".to_vec()),
        "[a-z0-9 ]{0,6}".prop_map(String::into_bytes),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

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
        let mut parser = Parser::new().with_last_event_id(&seed);
        let frames: Vec<_> = common::parse_chunks(&mut parser, [&input[..]])
            .into_iter().map(|item| item.unwrap()).collect();
        prop_assert_eq!(frames, expected.frames);
        prop_assert_eq!(parser.last_event_id(), expected.last_event_id.as_str());
        prop_assert_eq!(parser.reconnection_time(), expected.reconnection_time);
    }
}
