//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

/// `cases! { check: name: input => [frames]; ... }` — one `#[test]` per case,
/// calling `check(input_bytes, &[frames])`, where `input` is anything that
/// is `AsRef<[u8]>` (a `&str`, a byte string, a `String`).
#[allow(unused_macros)]
macro_rules! cases {
    ($check:ident: $($(#[$attr:meta])* $name:ident: $input:expr => [$($frame:expr),* $(,)?];)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                let input = $input;
                $check(AsRef::<[u8]>::as_ref(&input), &[$($frame),*]);
            }
        )*
    };
}

pub mod browser;
pub mod example;
pub mod fuzz_invariants;
#[macro_use]
pub mod ported;
pub mod reference;
pub mod session;
pub mod strategy;

use sse_proto::{Config, OwnedFrame, ParseError, Parser};

/// What parsing a stream gave: every frame or error, in order.
pub type Items = Vec<Result<OwnedFrame, ParseError>>;

/// Parses `chunks` in order with `parser`, then finishes the stream.
///
/// Each layer of the parser is checked alone too: a copy of `parser` with
/// the fast layer off ([`Parser::general_path_only`]) must give the same
/// items and end in the same state. (Every table test goes through here.)
pub fn parse_chunks<'a>(parser: &mut Parser, chunks: impl IntoIterator<Item = &'a [u8]>) -> Items {
    let chunks: Vec<&[u8]> = chunks.into_iter().collect();
    let mut general = parser.clone().general_path_only();
    let items = feed_all(parser, &chunks);
    let general_items = feed_all(&mut general, &chunks);
    assert_eq!(general_items, items, "the general layer alone differs");
    assert_same_state(&general, parser);
    items
}

/// Asserts that two parsers hold the same state a caller can see.
pub fn assert_same_state(got: &Parser, expected: &Parser) {
    assert_eq!(
        got.last_event_id(),
        expected.last_event_id(),
        "last event ID"
    );
    assert_eq!(
        got.reconnection_time(),
        expected.reconnection_time(),
        "reconnection time"
    );
    assert_eq!(
        got.buffered_len(),
        expected.buffered_len(),
        "buffered bytes"
    );
}

/// The two ways to run a parser with `config`: both layers, and the
/// general layer alone.
pub fn both_layers(config: &Config) -> [Parser; 2] {
    [
        Parser::with_config(config.clone()),
        Parser::with_config(config.clone()).general_path_only(),
    ]
}

/// [`parse_chunks`] with one parser only.
fn feed_all(parser: &mut Parser, chunks: &[&[u8]]) -> Items {
    let mut items = Vec::new();
    for chunk in chunks {
        let mut input: &[u8] = chunk;
        loop {
            match parser.feed(&mut input) {
                Ok(Some(frame)) => items.push(Ok(frame.into_owned())),
                Ok(None) => break,
                Err(error) => items.push(Err(error)),
            }
        }
        assert!(input.is_empty(), "feed returned Ok(None) with input left");
    }
    parser.finish();
    items
}

/// Parses `input` in one piece with `config`.
pub fn parse_whole(config: Config, input: &[u8]) -> Items {
    parse_chunks(&mut Parser::with_config(config), [input])
}

/// Parses `input` cut at the given points (sorted, deduplicated, in range).
pub fn parse_split(config: Config, input: &[u8], cuts: &[usize]) -> Items {
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        let cut = cut.min(input.len());
        if cut > start {
            pieces.push(&input[start..cut]);
            start = cut;
        }
    }
    pieces.push(&input[start..]);
    parse_chunks(&mut Parser::with_config(config), pieces)
}

/// Parses `input` one byte at a time.
pub fn parse_bytewise(config: Config, input: &[u8]) -> Items {
    parse_chunks(&mut Parser::with_config(config), input.chunks(1))
}

/// Parses `bytes` whole and one byte at a time; both must agree. Gives the
/// frames and the last event ID.
pub fn parse_whole_and_bytewise(bytes: &[u8]) -> (Vec<OwnedFrame>, String) {
    let mut whole = Parser::new();
    let frames: Vec<OwnedFrame> = whole.frames(bytes).map(Result::unwrap).collect();
    whole.finish();
    let mut bytewise = Parser::new();
    let mut one_by_one = Vec::new();
    for byte in bytes.chunks(1) {
        one_by_one.extend(bytewise.frames(byte).map(Result::unwrap));
    }
    bytewise.finish();
    assert_eq!(frames, one_by_one, "chunking changed the frames");
    assert_eq!(whole.last_event_id(), bytewise.last_event_id());
    (frames, whole.last_event_id().to_owned())
}

/// The frames of `input`, parsed whole with the default config, all `Ok`.
pub fn frames(input: &[u8]) -> Vec<OwnedFrame> {
    parse_whole(Config::default(), input)
        .into_iter()
        .map(|item| item.expect("no limit error expected"))
        .collect()
}

/// An owned event frame.
pub fn event(event_type: &str, data: &str, id: &str) -> OwnedFrame {
    OwnedFrame::Event(sse_proto::OwnedEvent {
        event_type: event_type.into(),
        data: data.into(),
        id: id.into(),
    })
}

/// An owned `message` event frame.
pub fn message(data: &str, id: &str) -> OwnedFrame {
    event(sse_proto::DEFAULT_EVENT_TYPE, data, id)
}

/// An owned comment frame.
pub fn comment(text: &str) -> OwnedFrame {
    OwnedFrame::Comment(text.into())
}

/// Asserts that `input` parses to `expected` whole, one byte at a time, and
/// cut once at every point.
pub fn assert_every_chunking(
    config: &Config,
    input: &[u8],
    expected: &[Result<OwnedFrame, ParseError>],
) {
    let shown = String::from_utf8_lossy(input);
    assert_eq!(
        parse_whole(config.clone(), input),
        expected,
        "whole: {shown:?}"
    );
    assert_eq!(
        parse_bytewise(config.clone(), input),
        expected,
        "byte by byte: {shown:?}"
    );
    for cut in 1..input.len() {
        assert_eq!(
            parse_split(config.clone(), input, &[cut]),
            expected,
            "cut at {cut}: {shown:?}"
        );
    }
}

/// [`assert_every_chunking`] for frames with no errors, default config.
pub fn assert_frames(input: &[u8], expected: &[OwnedFrame]) {
    let expected: Items = expected.iter().cloned().map(Ok).collect();
    assert_every_chunking(&Config::default(), input, &expected);
}
