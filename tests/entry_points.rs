//! Cross-checks of the parser's entry points (`feed`, `frames`,
//! `for_each`, `try_for_each` stopped at every item, and all of them mixed
//! call by call on one parser) against each other and against a byte-level model of the
//! standard that also knows the documented `max_event_size` policy.
//!
//! The model here differs from `common::reference` in two ways: it works on
//! raw bytes (line lengths for the limit are byte counts), and it implements
//! the limit as `Config::max_event_size` and `ParseError::EventTooLarge`
//! document it, so limits are checked against an oracle and not only for
//! chunking invariance.

mod common;

use std::ops::ControlFlow;
use std::time::Duration;

use common::{comment, message, reference};
use proptest::prelude::*;
use sse_proto::{Config, EventId, Frame, OwnedEvent, OwnedFrame, ParseError, Parser};

type Items = Vec<Result<OwnedFrame, ParseError>>;

// ---------------------------------------------------------------------------
// A byte-level model with the documented limit policy.
// ---------------------------------------------------------------------------

/// What the documented behaviour gives for a whole stream: frames and
/// errors in order, the last event ID and reconnection time at the end.
#[derive(Debug, PartialEq, Eq)]
struct Expected {
    items: Items,
    last_event_id: String,
    reconnection_time: Option<Duration>,
}

/// Complete lines of `bytes` (CR, LF, CRLF), raw; an unterminated last line
/// is left out.
fn raw_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&bytes[start..i]);
                i += 1;
                start = i;
            }
            b'\r' => {
                lines.push(&bytes[start..i]);
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    lines
}

/// The documented behaviour: `Config::max_event_size` counts the bytes of
/// every line since the previous blank line (terminators excluded); the
/// line that goes past it gives one `EventTooLarge`, is not interpreted,
/// and the lines up to the next blank line are ignored; that blank line
/// still commits an `id` read before the limit, and dispatches nothing.
fn model(whole: &[u8], seed: &str, comments: bool, limit: Option<usize>) -> Expected {
    let input = whole.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(whole);
    let mut items = Vec::new();
    let mut data = String::new();
    let mut event_type = String::new();
    let mut id_buffer = seed.to_owned();
    let mut last_event_id = seed.to_owned();
    let mut reconnection_time = None;
    let mut event_len = 0usize;
    let mut skipping = false;
    for raw in raw_lines(input) {
        if raw.is_empty() {
            event_len = 0;
            skipping = false;
            last_event_id.clone_from(&id_buffer);
            if data.is_empty() {
                event_type.clear();
                continue;
            }
            data.pop();
            let kind = if event_type.is_empty() {
                "message".to_owned()
            } else {
                std::mem::take(&mut event_type)
            };
            items.push(Ok(OwnedFrame::Event(OwnedEvent {
                event_type: kind,
                data: std::mem::take(&mut data),
                id: last_event_id.clone(),
            })));
            continue;
        }
        if skipping {
            continue;
        }
        event_len += raw.len();
        if let Some(limit) = limit {
            if event_len > limit {
                items.push(Err(ParseError::EventTooLarge { limit }));
                data.clear();
                event_type.clear();
                skipping = true;
                continue;
            }
        }
        let line = String::from_utf8_lossy(raw);
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match name {
            "" if comments => items.push(Ok(OwnedFrame::Comment(value.to_owned()))),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "event" => event_type = value.to_owned(),
            "id" if !value.contains('\0') => id_buffer = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    reconnection_time = Some(Duration::from_millis(ms));
                    items.push(Ok(OwnedFrame::Retry(Duration::from_millis(ms))));
                }
            }
            _ => {}
        }
    }
    // The bytes of an unterminated last line count as they arrive: the
    // limit cannot wait for a line end that may never come.
    // (A stream that is so far only part of a BOM holds no line yet.)
    let partial_bom = whole.len() < 3 && b"\xEF\xBB\xBF".starts_with(whole);
    let tail = if partial_bom {
        0
    } else {
        input.len() - complete_len(input)
    };
    if let Some(limit) = limit {
        if !skipping && tail > 0 && event_len + tail > limit {
            items.push(Err(ParseError::EventTooLarge { limit }));
        }
    }
    Expected {
        items,
        last_event_id,
        reconnection_time,
    }
}

/// How many bytes of `bytes` its complete lines span, terminators included.
fn complete_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |at| at + 1)
}

// ---------------------------------------------------------------------------
// The entry points.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Feed,
    Frames,
    /// `try_for_each`, stopped after every item and resumed.
    TryForEach,
    ForEach,
    /// One call at a time, switching entry point at every call (`feed`,
    /// `try_for_each` stopped after one item, a `Frames` iterator's `next`),
    /// so a frame one entry point lends is released by another.
    Mixed,
}

const ENTRIES: [Entry; 5] = [
    Entry::Feed,
    Entry::Frames,
    Entry::TryForEach,
    Entry::ForEach,
    Entry::Mixed,
];

/// Parses `chunks` through `entry`, then finishes; returns the items and
/// the parser.
fn run(entry: Entry, config: &Config, seed: &str, chunks: &[&[u8]]) -> (Items, Parser) {
    let mut parser =
        Parser::with_config(config.clone()).with_last_event_id(EventId::new(seed).unwrap());
    let items = run_on(entry, &mut parser, chunks);
    (items, parser)
}

/// Parses `chunks` with `parser` through `entry`, then finishes; a copy of
/// `parser` with the fast layer off must give the same items and state.
fn run_on(entry: Entry, parser: &mut Parser, chunks: &[&[u8]]) -> Items {
    let mut general = parser.clone().general_path_only();
    let items = run_once(entry, parser, chunks);
    assert_eq!(
        run_once(entry, &mut general, chunks),
        items,
        "{entry:?}: the general layer alone differs"
    );
    common::assert_same_state(&general, parser);
    items
}

/// [`run_on`] with one parser only.
fn run_once(entry: Entry, parser: &mut Parser, chunks: &[&[u8]]) -> Items {
    let mut items = Vec::new();
    let mut turn = 0usize;
    for chunk in chunks {
        match entry {
            Entry::Feed => {
                let mut input = *chunk;
                loop {
                    match parser.feed(&mut input) {
                        Ok(Some(frame)) => items.push(Ok(frame.into_owned())),
                        Ok(None) => break,
                        Err(error) => items.push(Err(error)),
                    }
                }
                assert!(input.is_empty(), "feed left input");
            }
            Entry::Frames => items.extend(parser.frames(chunk)),
            Entry::TryForEach => {
                let mut input = *chunk;
                while let Some(item) = next_by_try_for_each(parser, &mut input) {
                    items.push(item);
                }
                assert!(input.is_empty(), "try_for_each left input");
            }
            Entry::ForEach => {
                parser.for_each(chunk, |item| items.push(item.map(Frame::into_owned)));
            }
            Entry::Mixed => {
                let mut input = *chunk;
                loop {
                    turn += 1;
                    let item = match turn % 3 {
                        0 => match parser.feed(&mut input) {
                            Ok(Some(frame)) => Some(Ok(frame.into_owned())),
                            Ok(None) => None,
                            Err(error) => Some(Err(error)),
                        },
                        1 => next_by_try_for_each(parser, &mut input),
                        _ => {
                            let mut frames = parser.frames(input);
                            let item = frames.next();
                            input = frames.remaining();
                            item
                        }
                    };
                    match item {
                        Some(item) => items.push(item),
                        None => break,
                    }
                }
                assert!(input.is_empty(), "mixed entry points left input");
            }
        }
    }
    parser.finish();
    items
}

/// The next item from the front of `input` through `try_for_each`, stopped
/// at once; `None` once `input` is used up.
fn next_by_try_for_each(
    parser: &mut Parser,
    input: &mut &[u8],
) -> Option<Result<OwnedFrame, ParseError>> {
    let flow = parser.try_for_each(input, |item| {
        ControlFlow::Break(item.map(Frame::into_owned))
    });
    match flow {
        ControlFlow::Break(item) => Some(item),
        ControlFlow::Continue(()) => None,
    }
}

/// What `parser` gave, in the model's terms.
fn outcome(items: Items, parser: &Parser) -> Expected {
    Expected {
        items,
        last_event_id: parser.last_event_id().to_owned(),
        reconnection_time: parser.reconnection_time(),
    }
}

/// `input` cut at `cuts` (sorted, within bounds, may repeat: empty chunks).
fn cut_at<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        pieces.push(&input[start..cut]);
        start = cut;
    }
    pieces.push(&input[start..]);
    pieces
}

/// Every entry point, on `chunks`, gives the model's items, last event ID
/// and reconnection time; returns a description of the first disagreement.
fn check(
    input: &[u8],
    chunks: &[&[u8]],
    seed: &str,
    comments: bool,
    limit: Option<usize>,
) -> Result<(), String> {
    let expected = model(input, seed, comments, limit);
    let config = Config::default().comments(comments).max_event_size(limit);
    for entry in ENTRIES {
        let (items, parser) = run(entry, &config, seed, chunks);
        let got = outcome(items, &parser);
        if got != expected {
            return Err(format!(
                "{entry:?}, comments {comments}, limit {limit:?}, chunks {:?}:\n got {got:?}\nwant {expected:?}",
                chunks
                    .iter()
                    .map(|c| String::from_utf8_lossy(c))
                    .collect::<Vec<_>>()
            ));
        }
    }
    Ok(())
}

/// [`check`] for `input` whole, byte by byte, and cut once and twice at
/// every pair of points, for both comment settings and the given limits.
fn check_every_cut(input: &[u8], limits: &[Option<usize>]) {
    let mut plans: Vec<Vec<usize>> = vec![vec![], (1..input.len()).collect()];
    for a in 0..=input.len() {
        plans.push(vec![a]);
        if input.len() <= 40 {
            for b in a..=input.len() {
                plans.push(vec![a, b]);
            }
        }
    }
    for plan in &plans {
        let chunks = cut_at(input, plan);
        for comments in [true, false] {
            for &limit in limits {
                if let Err(message) = check(input, &chunks, "", comments, limit) {
                    panic!("{message}");
                }
            }
        }
    }
}

/// Limits around every line length of `input`, and none.
fn limits_for(input: &[u8]) -> Vec<Option<usize>> {
    let mut limits = vec![None, Some(0), Some(1)];
    let mut sum = 0;
    for line in raw_lines(input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input)) {
        if line.is_empty() {
            sum = 0;
            continue;
        }
        sum += line.len();
        for limit in [sum.saturating_sub(1), sum, sum + 1] {
            if !limits.contains(&Some(limit)) {
                limits.push(Some(limit));
            }
        }
    }
    limits
}

// ---------------------------------------------------------------------------
// The model itself is the standard (no limit): it agrees with the project's
// reference model, so that a disagreement below is the parser's.
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn byte_model_without_limit_is_the_reference_model(
        input in stream(), comments: bool, seed in "[a-z0-9]{0,3}",
    ) {
        let expected = reference::parse(&input, &seed, comments);
        let got = model(&input, &seed, comments, None);
        let frames: Vec<OwnedFrame> = got.items.into_iter().map(Result::unwrap).collect();
        prop_assert_eq!(frames, expected.frames);
        prop_assert_eq!(got.last_event_id, expected.last_event_id);
        prop_assert_eq!(got.reconnection_time, expected.reconnection_time);
    }
}

// ---------------------------------------------------------------------------
// Hand-picked inputs, every entry point, every cut, many limits.
// ---------------------------------------------------------------------------

macro_rules! every_cut {
    ($($(#[$attr:meta])* $name:ident: $input:expr;)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                let input: &[u8] = $input;
                check_every_cut(input, &limits_for(input));
            }
        )*
    };
}

every_cut! {
    names_longer_than_known_ones_that_start_like_them:
        b"datax: 1\ndat\ndata\neventual: x\nevent\nidx:3\nid\nretryy: 5\nretry\n\n";
    names_that_are_prefixes_of_known_ones:
        b"dat: 1\neven: x\ni: 2\nretr: 3\nd\ne\nr\ni\n\ndata\n\n";
    lines_of_only_a_colon_and_colon_space:
        b":\n: \n:  \n::\ndata::\n\n";
    cr_only_stream:
        b"data: a\rdata: b\r\revent: e\rid: 7\rdata\r\r:c\rretry: 9\r\r";
    crlf_and_mixed_blank_lines:
        b"data: a\r\n\r\ndata: b\n\r\n\rdata: c\r\r\n";
    id_with_nul_and_non_ascii:
        b"id: a\0b\ndata: 1\n\nid: \xC3\xA9\xFF\ndata: 2\n\nid\ndata: 3\n\n";
    retry_edge_cases:
        b"retry: 007\nretry:  1\nretry: 1 \nretry:\nretry: 18446744073709551615\nretry: 18446744073709551616\nretry: +1\n\n";
    multi_byte_characters_everywhere:
        "data: é世🌍\nevent: 世\n: 🌍\nid: é\n\n".as_bytes();
    bom_then_a_second_bom:
        b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n";
    partial_bom_then_content:
        b"\xEF\xBBdata: a\n\ndata: b\n\n";
    partial_bom_then_line_end:
        b"\xEF\r\ndata: b\n\n";
    unknown_and_comment_lines_between_data:
        b"data: a\nfoo: bar\n: c\ndata: b\nx\n\n";
    event_type_only_block_resets:
        b"event: x\n\ndata: y\n\n";
    data_with_empty_values:
        b"data\ndata:\ndata: \n\n";
    empty_chunks_and_space_runs:
        b"data:  two spaces\nevent:\tx\n\n";
    heartbeats_before_the_blank_lines_of_pending_fields:
        b"event: x\nid: 7\n: ping\n\ndata: y\n\ndata: a\n: ping\n\n: ping\r\n\r\n: ping\r\rdata: b\n\n";
}

// ---------------------------------------------------------------------------
// Random streams, random cuts, random limits, all entry points.
// ---------------------------------------------------------------------------

/// The shared strategy's streams, joined with what it lacks: names longer
/// than known ones that start like them, partial names, and long runs (so
/// that the closure path validates whole chunks: it does only for 256
/// bytes or more).
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let extra = prop_oneof![
        Just(b"dat".to_vec()),
        Just(b"datax:".to_vec()),
        Just(b"eventual:".to_vec()),
        Just(b"idx:".to_vec()),
        Just(b"retryy: ".to_vec()),
        Just(b"x".repeat(300)),
    ];
    let piece = prop_oneof![2 => common::strategy::stream(), 1 => extra];
    prop::collection::vec(piece, 0..4).prop_map(|pieces| pieces.concat())
}

fn stream_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    stream().prop_flat_map(|input| {
        let len = input.len();
        let cuts = prop::collection::vec(0..=len, 0..10).prop_map(|mut cuts| {
            cuts.sort_unstable();
            cuts
        });
        (Just(input), cuts)
    })
}

/// A finished parser reads the next stream (a reconnection) as a new one
/// that starts from the last event ID and keeps the reconnection time,
/// through every entry point, whatever state the first stream left.
fn check_reconnection(
    first: &[&[u8]],
    second: &[&[u8]],
    comments: bool,
    limit: Option<usize>,
) -> Result<(), String> {
    let config = Config::default().comments(comments).max_event_size(limit);
    let whole: Vec<u8> = first.concat();
    let after_first = model(&whole, "", comments, limit);
    let next: Vec<u8> = second.concat();
    let mut expected = model(&next, &after_first.last_event_id, comments, limit);
    expected.reconnection_time = expected.reconnection_time.or(after_first.reconnection_time);
    for entry in ENTRIES {
        let mut parser = Parser::with_config(config.clone());
        run_on(entry, &mut parser, first);
        let items = run_on(entry, &mut parser, second);
        let got = outcome(items, &parser);
        if got != expected {
            return Err(format!(
                "{entry:?}, comments {comments}, limit {limit:?}, {first:?} then {second:?}:\n got {got:?}\nwant {expected:?}"
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn every_entry_point_gives_the_documented_items(
        (input, cuts) in stream_and_cuts(),
        comments: bool,
        limit in prop::option::of(0usize..400),
        seed in "[a-z0-9]{0,3}",
    ) {
        let chunks = cut_at(&input, &cuts);
        if let Err(message) = check(&input, &chunks, &seed, comments, limit) {
            return Err(TestCaseError::fail(message));
        }
    }

    #[test]
    fn every_entry_point_reads_a_second_stream_after_finish(
        (first, first_cuts) in stream_and_cuts(),
        (second, second_cuts) in stream_and_cuts(),
        comments: bool,
        limit in prop::option::of(0usize..400),
    ) {
        let first = cut_at(&first, &first_cuts);
        let second = cut_at(&second, &second_cuts);
        if let Err(message) = check_reconnection(&first, &second, comments, limit) {
            return Err(TestCaseError::fail(message));
        }
    }
}

// ---------------------------------------------------------------------------
// Specific questions.
// ---------------------------------------------------------------------------

/// `finish` in the middle of a line of every kind discards it, and the next
/// stream starts clean (also after an error left the parser skipping).
#[test]
fn finish_mid_line_discards_it_for_every_entry_point() {
    let heads: [&[u8]; 9] = [
        b"data: partial",
        b"dat",
        b"event: e",
        b"id: 9",
        b"retry: 5",
        b": comm",
        b"\xEF\xBB",
        b"data: x\r",
        b"data: way too long for the limit",
    ];
    let config = Config::default().max_event_size(Some(16));
    for head in heads {
        for entry in ENTRIES {
            let mut parser = Parser::with_config(config.clone());
            let first = run_on(entry, &mut parser, &[head]);
            assert!(
                first.iter().all(Result::is_err) && first.len() <= 1,
                "{first:?}"
            );
            let second = run_on(entry, &mut parser, &[b"\ndata: next\n\n"]);
            assert_eq!(
                second,
                [Ok(message("next", ""))],
                "after {:?} via {entry:?}",
                String::from_utf8_lossy(head)
            );
        }
    }
}

/// Several comments in a row with comments on, each one's frame borrowed
/// and released by a different entry point, whole lines and cut ones.
#[test]
fn comments_lent_across_entry_points() {
    let input: &[u8] = b": one\n: two\n:three\r: four\r\n\ndata: x\n\n";
    let expected = vec![
        Ok(comment("one")),
        Ok(comment("two")),
        Ok(comment("three")),
        Ok(comment("four")),
        Ok(message("x", "")),
    ];
    for cut in 0..=input.len() {
        let chunks = cut_at(input, &[cut]);
        for entry in ENTRIES {
            let (items, _) = run(entry, &Config::default(), "", &chunks);
            assert_eq!(items, expected, "{entry:?}, cut at {cut}");
        }
    }
}
