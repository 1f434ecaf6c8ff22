//! Long data lines, which the parser copies and validates as it searches
//! them: every entry point, under every chunking, gives the reference
//! model's frames, whatever the lines hold (characters of every width cut
//! anywhere, invalid bytes, tabs, every line ending) and wherever the
//! chunks cut them; with a limit, any chunking gives the one-shot parse.

mod common;

use common::{parse_chunks, parse_split, parse_whole, reference, Items};
use proptest::prelude::*;
use sse_proto::{Config, Parser};

/// The content of a long line: valid text, ASCII and wider characters,
/// with now and then a tab (which the search's pre-filter stops at); or,
/// less often, the same with invalid UTF-8 here and there. Some are over
/// 32 KiB.
fn long_value() -> impl Strategy<Value = Vec<u8>> {
    let valid = prop_oneof![
        12 => "[A-Za-z0-9+/]{1,300}".prop_map(String::into_bytes),
        3 => Just("é".as_bytes().to_vec()),
        3 => Just("世界".as_bytes().to_vec()),
        3 => Just("🌍".as_bytes().to_vec()),
        1 => Just(b"\t".to_vec()),
    ];
    let any = prop_oneof![
        20 => valid.clone(),
        1 => Just(b"\xFF".to_vec()),
        1 => Just(b"\xE2\x82".to_vec()),
        1 => Just(b"\xF0\x9F\x8C".to_vec()),
    ];
    let value = prop_oneof![
        3 => prop::collection::vec(valid, 1..120),
        1 => prop::collection::vec(any, 1..120),
    ]
    .prop_map(|pieces| pieces.concat());
    // Some lines past 32 KiB, so that the parser copies the next long
    // line as it searches it (it guesses that chunks will cut it).
    (
        value,
        prop::option::weighted(0.3, (0usize..3, 33_000usize..40_000)),
    )
        .prop_map(|(mut value, long)| {
            if let Some((width, len)) = long {
                let filler = ["x", "é", "世"][width];
                let at = value.len() / 2;
                let filler = filler.repeat(len / filler.len());
                value.splice(at..at, filler.into_bytes());
            }
            value
        })
}

/// A stream of a few events whose data lines are long or short, with
/// every line ending, a comment or another field now and then, and a
/// last line that may be cut off.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let ending = prop_oneof![Just(&b"\n"[..]), Just(&b"\r"[..]), Just(&b"\r\n"[..])];
    let line = (
        prop_oneof![
            6 => Just(&b"data: "[..]),
            2 => Just(&b"data:"[..]),
            1 => Just(&b": "[..]),
            1 => Just(&b"event: "[..]),
        ],
        prop_oneof![3 => long_value(), 1 => "[a-z]{0,5}".prop_map(String::into_bytes)],
        ending.clone(),
    );
    let event = (prop::collection::vec(line, 1..4), ending);
    (prop::collection::vec(event, 1..4), any::<bool>()).prop_map(|(events, cut_off)| {
        let mut stream = Vec::new();
        for (lines, blank) in events {
            for (name, value, ending) in lines {
                stream.extend_from_slice(name);
                stream.extend_from_slice(&value);
                stream.extend_from_slice(ending);
            }
            stream.extend_from_slice(blank);
        }
        if cut_off {
            stream.extend_from_slice(b"data: cut off by the end of the stream");
        }
        stream
    })
}

/// Cut points: some anywhere, and the rest every `size` bytes (sizes near
/// the parser's pieces and far beyond them).
fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    (
        prop::collection::btree_set(0..=len, 0..6),
        prop_oneof![
            Just(usize::MAX),
            Just(16),
            Just(1000),
            Just(1024),
            Just(2049),
            Just(4096),
            100usize..9000,
        ],
    )
        .prop_map(move |(cuts, size)| {
            let mut cuts = cuts;
            cuts.extend(
                (1..)
                    .map(|i| i * size.min(len + 1))
                    .take_while(|&at| at < len),
            );
            cuts.into_iter().collect()
        })
}

fn stream_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    stream().prop_flat_map(|stream| {
        let len = stream.len();
        (Just(stream), cuts(len))
    })
}

/// `input` cut at `cuts` (sorted).
fn pieces<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        if cut > start && cut <= input.len() {
            pieces.push(&input[start..cut]);
            start = cut;
        }
    }
    pieces.push(&input[start..]);
    pieces
}

/// Parses `chunks` through the closure path, with `Parser::for_each` or
/// with `Parser::try_for_each` stopped after every item, then finishes the
/// stream.
fn parse_with_cursor(config: Config, chunks: &[&[u8]], for_each: bool) -> Items {
    let [mut parser, mut general] = common::both_layers(&config);
    let items = cursor_once(&mut parser, chunks, for_each);
    assert_eq!(
        cursor_once(&mut general, chunks, for_each),
        items,
        "the general layer alone differs"
    );
    items
}

/// [`parse_with_cursor`] with one parser.
fn cursor_once(parser: &mut Parser, chunks: &[&[u8]], for_each: bool) -> Items {
    let mut items = Vec::new();
    for chunk in chunks {
        if for_each {
            parser.for_each(chunk, |item| {
                items.push(item.map(|frame| frame.into_owned()))
            });
        } else {
            common::fuzz_invariants::stop_after_each(parser, chunk, &mut items, |_| {});
        }
    }
    parser.finish();
    items
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_entry_point_gives_the_reference_frames((input, cuts) in stream_and_cuts()) {
        let expected: Items = reference::parse(&input, "", true).frames.into_iter().map(Ok).collect();
        let chunks = pieces(&input, &cuts);
        let config = Config::default();
        prop_assert_eq!(&parse_chunks(&mut Parser::new(), chunks.iter().copied()), &expected);
        prop_assert_eq!(&parse_with_cursor(config.clone(), &chunks, false), &expected);
        prop_assert_eq!(&parse_with_cursor(config, &chunks, true), &expected);
    }

    #[test]
    fn with_a_limit_any_chunking_gives_the_one_shot_parse(
        (input, cuts) in stream_and_cuts(),
        limit in 0usize..12_000,
    ) {
        let config = Config::default().max_event_size(Some(limit));
        let whole = parse_whole(config.clone(), &input);
        prop_assert_eq!(&parse_split(config.clone(), &input, &cuts), &whole);
        prop_assert_eq!(&parse_with_cursor(config, &pieces(&input, &cuts), true), &whole);
    }
}

/// The parser holds no more than the limit between calls, however long the
/// line it copies as it searches it.
#[test]
fn a_long_line_over_the_limit_is_not_kept() {
    let mut input = b"data: ".to_vec();
    input.extend_from_slice(&[b'x'; 50_000]);
    input.extend_from_slice(b"\n\ndata: after\ndata: it\n\n");
    for limit in [100, 4096, 30_000] {
        let config = Config::default().max_event_size(Some(limit));
        for size in [1000, 4096, 20_000, input.len()] {
            let mut parser = Parser::with_config(config.clone());
            let mut items = Vec::new();
            for chunk in input.chunks(size) {
                parser.for_each(chunk, |item| {
                    items.push(item.map(|frame| frame.into_owned()));
                });
                assert!(
                    parser.buffered_len() <= limit,
                    "limit {limit}, chunks of {size}"
                );
            }
            assert_eq!(
                items,
                parse_whole(config.clone(), &input),
                "limit {limit}, chunks of {size}"
            );
            assert_eq!(items.len(), 2, "limit {limit}, chunks of {size}");
        }
    }
}

/// A long data line that takes its event past 1 MiB, where the parser
/// starts trimming its buffers, after long lines that chunks cut (so that
/// it is copied as it is searched): the same frames as the reference
/// model, through every entry point.
#[test]
fn a_long_line_past_a_mebibyte_gives_the_reference_frames() {
    let long = |n: usize| -> Vec<u8> { (0..n).map(|i| b'a' + (i % 26) as u8).collect() };
    let mut input = Vec::new();
    for _ in 0..3 {
        input.extend_from_slice(b"data: ");
        input.extend_from_slice(&long(70_000));
        input.extend_from_slice(b"\n\n");
    }
    // Lines of an unknown field count toward the event; a comment hands
    // out a frame, so the simple path takes the data line after it.
    input.extend_from_slice(b"x: ");
    input.extend_from_slice(&long((1 << 20) - 30_000));
    input.extend_from_slice(b"\n: ping\ndata: ");
    input.extend_from_slice(&long(40_000));
    input.extend_from_slice(b"\n\ndata: after\ndata: it\n\n");
    let expected: Items = reference::parse(&input, "", true)
        .frames
        .into_iter()
        .map(Ok)
        .collect();
    for size in [16_384, 65_536, 100_000, 131_072, 150_000, 200_000] {
        let chunks: Vec<&[u8]> = input.chunks(size).collect();
        assert_eq!(
            parse_chunks(&mut Parser::new(), chunks.iter().copied()),
            expected,
            "chunks of {size}"
        );
        assert_eq!(
            parse_with_cursor(Config::default(), &chunks, true),
            expected,
            "chunks of {size}"
        );
    }
}

/// After a line long enough that the parser copies the next long line as
/// it searches it: long lines of wide characters cut by chunks anywhere,
/// a data line after a copied one, invalid UTF-8 in the middle of a copy,
/// every line ending; chunked every way, they give the reference frames.
#[test]
fn lines_copied_as_searched_give_the_reference_frames() {
    let text = |unit: &str, len: usize| unit.repeat(len / unit.len()).into_bytes();
    let mut input = Vec::new();
    let mut line = |value: &[u8], ending: &[u8]| {
        input.extend_from_slice(b"data: ");
        input.extend_from_slice(value);
        input.extend_from_slice(ending);
    };
    // Each line of 32 KiB or more makes the next long line copied.
    line(&text("abc", 40_000), b"\n\n");
    line(&text("aé世🌍", 12_000), b"\n");
    line(b"short", b"\n\n");
    line(&text("é", 40_000), b"\n\n");
    let mut invalid = text("y", 34_000);
    invalid.extend_from_slice(b"\xE4\xB8 \xFF");
    invalid.extend(text("z", 3_000));
    line(&invalid, b"\r\r");
    line(&text("🌍", 15_000), b"\r\n\r\n");
    line(&text("世", 40_000), b"\n");
    line(b"", b"\n\n");
    line(&text("x", 11_000), b"\n\n");
    let expected: Items = reference::parse(&input, "", true)
        .frames
        .into_iter()
        .map(Ok)
        .collect();
    for size in [997, 3_001, 4_096, 16_384, 32_768, 40_000, 65_536, 70_001] {
        for shift in [0, 1, 2, 3, 500] {
            let (first, rest) = input.split_at(shift);
            let mut chunks = vec![first];
            chunks.extend(rest.chunks(size));
            let shown = format!("chunks of {size} after {shift}");
            assert_eq!(
                parse_chunks(&mut Parser::new(), chunks.iter().copied()),
                expected,
                "{shown}"
            );
            assert_eq!(
                parse_with_cursor(Config::default(), &chunks, false),
                expected,
                "{shown}"
            );
            assert_eq!(
                parse_with_cursor(Config::default(), &chunks, true),
                expected,
                "{shown}"
            );
        }
    }
}

/// A bug found while splitting the parser (issue 16): an event whose data
/// starts with a line copied as it was searched (chunks have cut long
/// lines lately) goes past 1 MiB with a long line that ends inside its
/// chunk. The fast path leaves that line to the general one, and used to
/// drop the event's copied first line with it.
#[test]
fn an_event_past_one_mib_keeps_its_copied_first_line() {
    let first = "a".repeat(1_048_000);
    let second = "b".repeat(10_000);
    let prime = format!("data: {}\n\n", "x".repeat(100_000));
    let event = format!("data: {first}\ndata: {second}\n\n");
    let at = b"data: ".len() + first.len() + 1; // the second line's start
    for parser in [Parser::new(), Parser::new().general_path_only()] {
        let mut parser = parser;
        let mut chunks: Vec<&[u8]> = prime.as_bytes().chunks(40 * 1024).collect();
        // The first line in 64 KiB chunks, the last ending right before
        // the second line, which starts a chunk of its own.
        chunks.extend(event.as_bytes()[..at].chunks(64 * 1024));
        chunks.push(&event.as_bytes()[at..]);
        let items = parse_chunks(&mut parser, chunks);
        let data: Vec<String> = items
            .into_iter()
            .map(|item| match item {
                Ok(sse_proto::OwnedFrame::Event(event)) => event.data,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(data.len(), 2);
        assert_eq!(data[1].len(), first.len() + 1 + second.len());
        assert!(
            data[1] == format!("{first}\n{second}"),
            "the event's data changed"
        );
    }
}
