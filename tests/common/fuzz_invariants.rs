//! The invariants the fuzz targets check, on raw fuzz inputs.
//!
//! Shared by the fuzz crate (`fuzz/`, through `#[path]`) and by
//! `tests/fuzz_regressions.rs`, so that every input a fuzzer ever found
//! stays a test that runs with `cargo test`. Each check panics (with the
//! input in its message) when an invariant breaks. It expects the reference
//! model as its sibling module `reference`.
//!
//! An input is a small header, then a chunking plan, then the stream. The
//! header's layout is documented on [`check_parse`] and [`check_limits`].

use std::ops::ControlFlow;

use sse_proto::{Config, EventId, Frame, OwnedFrame, ParseError, Parser, DEFAULT_MAX_EVENT_SIZE};

use super::reference;

/// Every frame or error of a stream, in order.
pub type Items = Vec<Result<OwnedFrame, ParseError>>;

/// The ID a resumed parser starts with, when the header asks for one.
pub const RESUMED_ID: &str = "resumed";

/// What the `limits` target appends to every input: a blank line ends
/// whatever the input left unfinished, then a known event follows.
pub const SENTINEL: &[u8] = b"\n\ndata: sentinel\n\n";
const SENTINEL_LINE_LEN: usize = b"data: sentinel".len();

/// Cuts `stream` into chunks whose sizes are taken from `sizes` in turn,
/// cycling. No sizes means one byte at a time; a size of 0 feeds an empty
/// chunk (if every size is 0, the rest comes in one piece afterwards).
pub fn cut<'a>(stream: &'a [u8], sizes: &[u8]) -> Vec<&'a [u8]> {
    if sizes.is_empty() {
        return stream.chunks(1).collect();
    }
    let mut chunks = Vec::new();
    if sizes.iter().all(|&size| size == 0) {
        chunks.extend(sizes.iter().map(|_| &stream[..0]));
        chunks.push(stream);
        return chunks;
    }
    let mut rest = stream;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(usize::from(size).min(rest.len()));
        chunks.push(chunk);
        rest = tail;
    }
    chunks
}

/// Feeds `chunks` in order with [`Parser::feed`], calling `check` after every
/// call, then finishes the stream.
///
/// Checks `feed`'s contract on the way: `Ok(None)` only once the chunk is
/// used up, and no more calls per chunk than it has bytes, plus two (a frame
/// or an error consumes input, except for the replay of a partial BOM).
pub fn feed_chunks(parser: &mut Parser, chunks: &[&[u8]], mut check: impl FnMut(&Parser)) -> Items {
    let mut items = Vec::new();
    for chunk in chunks {
        let mut input = *chunk;
        let mut calls = 0;
        loop {
            calls += 1;
            assert!(
                calls <= chunk.len() + 2,
                "feed makes no progress on {chunk:?}"
            );
            let item = match parser.feed(&mut input) {
                Ok(Some(frame)) => Ok(frame.into_owned()),
                Ok(None) => break,
                Err(error) => Err(error),
            };
            check(parser);
            items.push(item);
        }
        check(parser);
        assert!(input.is_empty(), "feed returned Ok(None) with input left");
    }
    parser.finish();
    check(parser);
    items
}

/// Parses `chunks` in order through the closure path: with
/// [`Parser::try_for_each`] stopped after every item and resumed where it
/// stopped in even-numbered chunks, with [`Parser::for_each`] in
/// odd-numbered ones (so the two are also mixed in one stream), calling
/// `check` after every chunk (the closure borrows the parser while it
/// runs), then finishes the stream.
pub fn closure_chunks(
    parser: &mut Parser,
    chunks: &[&[u8]],
    mut check: impl FnMut(&Parser),
) -> Items {
    let mut items = Vec::new();
    for (index, chunk) in chunks.iter().enumerate() {
        if index % 2 == 1 {
            parser.for_each(chunk, |item| items.push(item.map(Frame::into_owned)));
        } else {
            stop_after_each(parser, chunk, &mut items, &mut check);
        }
        check(parser);
    }
    parser.finish();
    check(parser);
    items
}

/// Parses all of `chunk` with [`Parser::try_for_each`], stopping after
/// every item and going on from where it stopped; `check` runs at every
/// stop. Checks the contract on the way: `Continue` only once `chunk` is
/// used up, and no more stops than it has bytes, plus one.
pub fn stop_after_each(
    parser: &mut Parser,
    chunk: &[u8],
    items: &mut Items,
    mut check: impl FnMut(&Parser),
) {
    let mut input = chunk;
    let mut stops = 0;
    loop {
        let flow = parser.try_for_each(&mut input, |item| {
            items.push(item.map(Frame::into_owned));
            ControlFlow::Break(())
        });
        if flow.is_continue() {
            assert!(input.is_empty(), "Continue with input left: {input:?}");
            return;
        }
        stops += 1;
        assert!(
            stops <= chunk.len() + 1,
            "try_for_each makes no progress on {chunk:?}"
        );
        check(parser);
    }
}

/// Parses `stream` in one piece with the owned iterator, then finishes.
fn parse_with_iterator(parser: &mut Parser, stream: &[u8]) -> Items {
    let mut frames = parser.frames(stream);
    let items: Items = frames.by_ref().collect();
    assert!(frames.remaining().is_empty(), "the iterator stopped early");
    parser.finish();
    items
}

/// Unwraps items that cannot hold an error (no limit could be reached).
fn no_errors(items: Items, stream: &[u8]) -> Vec<OwnedFrame> {
    items
        .into_iter()
        .map(|item| item.unwrap_or_else(|error| panic!("{error} on {stream:?}")))
        .collect()
}

/// The `parse` invariants: any chunking gives the frames of the one-shot
/// parse, through `feed` and through the closure path (`try_for_each`
/// stopped at every item, and `for_each`), and all give the reference model's frames, last event ID and
/// reconnection time, with comments on and off, and again on a second
/// stream after `finish`; with both layers and with the general layer
/// alone ([`Parser::general_path_only`]).
///
/// Input: a flags byte (bit 0: comments off; bit 1: resume with
/// [`RESUMED_ID`]; bit 2: no limit instead of the default one; bits 3-7:
/// the number of chunk-size bytes that follow), the chunk sizes (see
/// [`cut`]), then the stream.
pub fn check_parse(data: &[u8]) {
    for general_only in [false, true] {
        check_parse_with(data, general_only);
    }
}

/// [`check_parse`] with one setting of [`Parser::general_path_only`].
fn check_parse_with(data: &[u8], general_only: bool) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let comments = flags & 1 == 0;
    let resume = if flags & 2 == 0 { "" } else { RESUMED_ID };
    let limit = if flags & 4 == 0 {
        Some(DEFAULT_MAX_EVENT_SIZE)
    } else {
        None
    };
    let (sizes, stream) = rest.split_at(usize::from(flags >> 3).min(rest.len()));
    let config = Config::default().comments(comments).max_event_size(limit);
    let resume_id = EventId::new(resume).expect("a valid ID");
    let new_parser = |config: &Config| layer(config, general_only).with_last_event_id(resume_id);

    let expected = reference::parse(stream, resume, comments);
    let agrees = |parser: &Parser, frames: Vec<OwnedFrame>, how: &str| {
        assert_eq!(frames, expected.frames, "{how} frames of {stream:?}");
        assert_eq!(
            parser.last_event_id(),
            expected.last_event_id,
            "{how} ID of {stream:?}"
        );
        assert_eq!(
            parser.reconnection_time(),
            expected.reconnection_time,
            "{how} retry of {stream:?}"
        );
    };

    let mut whole = new_parser(&config);
    let frames = no_errors(parse_with_iterator(&mut whole, stream), stream);
    agrees(&whole, frames, "one-shot");

    let mut chunked = new_parser(&config);
    let items = feed_chunks(&mut chunked, &cut(stream, sizes), |_| {});
    agrees(&chunked, no_errors(items, stream), "chunked");

    let mut closure = new_parser(&config);
    let items = closure_chunks(&mut closure, &cut(stream, sizes), |_| {});
    agrees(&closure, no_errors(items, stream), "closure");

    // The other comment setting: comments come out exactly when asked for.
    let other = reference::parse(stream, resume, !comments);
    let mut parser = new_parser(&config.clone().comments(!comments));
    let frames = no_errors(parse_with_iterator(&mut parser, stream), stream);
    assert_eq!(
        frames, other.frames,
        "comments {} frames of {stream:?}",
        !comments
    );

    // A finished parser is ready for the next stream (a reconnection): it
    // starts from the last event ID and keeps the reconnection time.
    let next = reference::parse(stream, &expected.last_event_id, comments);
    let frames = no_errors(parse_with_iterator(&mut whole, stream), stream);
    assert_eq!(frames, next.frames, "second stream frames of {stream:?}");
    assert_eq!(
        whole.last_event_id(),
        next.last_event_id,
        "second stream ID of {stream:?}"
    );
    assert_eq!(
        whole.reconnection_time(),
        next.reconnection_time.or(expected.reconnection_time),
        "second stream retry of {stream:?}"
    );
}

/// Replaces every event's ID with the empty string.
fn without_ids(frames: impl IntoIterator<Item = OwnedFrame>) -> Vec<OwnedFrame> {
    frames
        .into_iter()
        .map(|frame| match frame {
            OwnedFrame::Event(mut event) => {
                event.id.clear();
                OwnedFrame::Event(event)
            }
            other => other,
        })
        .collect()
}

/// Whether `small` is `big` with some items left out.
fn is_subsequence<T: PartialEq>(small: &[T], big: &[T]) -> bool {
    let mut big = big.iter();
    small
        .iter()
        .all(|item| big.any(|candidate| candidate == item))
}

/// The `limits` invariants, with a limit of 0 to 511 bytes, with both
/// layers and with the general layer alone:
///
/// - after every call, [`Parser::buffered_len`] is within the limit;
/// - any chunking gives the same frames and errors as the one-shot parse,
///   through `feed` and through the closure path;
/// - every error is [`ParseError::EventTooLarge`] with the limit;
/// - no error at all if the whole stream fits in the limit, and then the
///   frames are the reference model's;
/// - what comes out is the reference model's frames with some left out (a
///   dropped event's ID may not be read, so event IDs are not compared);
/// - the [`SENTINEL`] event appended to the input comes out last, with the
///   parser's last event ID (or, if its own line exceeds the limit, the
///   last item is the error).
///
/// Input: a flags byte (bit 0: comments off; bits 1-7: the number of
/// chunk-size bytes that follow), two bytes giving the limit (little-endian,
/// modulo 512), the chunk sizes, then the stream.
pub fn check_limits(data: &[u8]) {
    for general_only in [false, true] {
        check_limits_with(data, general_only);
    }
}

/// A parser with `config`, with the fast layer off if `general_only`.
pub fn layer(config: &Config, general_only: bool) -> Parser {
    let parser = Parser::with_config(config.clone());
    if general_only {
        parser.general_path_only()
    } else {
        parser
    }
}

/// [`check_limits`] with one setting of [`Parser::general_path_only`].
fn check_limits_with(data: &[u8], general_only: bool) {
    let [flags, low, high, rest @ ..] = data else {
        return;
    };
    let comments = flags & 1 == 0;
    let limit = usize::from(u16::from_le_bytes([*low, *high])) % 512;
    let (sizes, stream) = rest.split_at(usize::from(flags >> 1).min(rest.len()));
    let stream = [stream, SENTINEL].concat();
    let config = Config::default()
        .comments(comments)
        .max_event_size(Some(limit));
    let within_limit = |parser: &Parser| {
        let buffered = parser.buffered_len();
        assert!(
            buffered <= limit,
            "{buffered} bytes buffered, limit {limit}, on {stream:?}"
        );
    };

    let mut whole_parser = layer(&config, general_only);
    let whole = feed_chunks(&mut whole_parser, &[&stream], within_limit);
    let mut chunked_parser = layer(&config, general_only);
    let chunked = feed_chunks(&mut chunked_parser, &cut(&stream, sizes), within_limit);
    assert_eq!(
        chunked, whole,
        "chunked vs one-shot, limit {limit}, on {stream:?}"
    );
    assert_eq!(chunked_parser.last_event_id(), whole_parser.last_event_id());
    assert_eq!(
        chunked_parser.reconnection_time(),
        whole_parser.reconnection_time()
    );
    let mut closure_parser = layer(&config, general_only);
    let closure = closure_chunks(&mut closure_parser, &cut(&stream, sizes), within_limit);
    assert_eq!(
        closure, whole,
        "closure vs feed, limit {limit}, on {stream:?}"
    );
    assert_eq!(closure_parser.last_event_id(), whole_parser.last_event_id());

    let error = ParseError::EventTooLarge { limit };
    let mut frames = Vec::new();
    for item in &whole {
        match item {
            Ok(frame) => frames.push(frame.clone()),
            Err(found) => assert_eq!(*found, error, "on {stream:?}"),
        }
    }
    let errors = whole.len() - frames.len();

    let expected = reference::parse(&stream, "", comments);
    if stream.len() <= limit {
        assert_eq!(errors, 0, "an error though the stream fits: {stream:?}");
    }
    if errors == 0 {
        assert_eq!(frames, expected.frames, "limit {limit}, on {stream:?}");
        assert_eq!(whole_parser.last_event_id(), expected.last_event_id);
        assert_eq!(whole_parser.reconnection_time(), expected.reconnection_time);
    } else {
        assert!(
            is_subsequence(&without_ids(frames), &without_ids(expected.frames)),
            "frames that the stream does not hold, limit {limit}, on {stream:?}"
        );
    }

    let last = whole.last();
    if limit >= SENTINEL_LINE_LEN {
        let Some(Ok(OwnedFrame::Event(event))) = last else {
            panic!("the sentinel is lost: {last:?}, limit {limit}, on {stream:?}");
        };
        assert_eq!(
            (event.event_type.as_str(), event.data.as_str()),
            ("message", "sentinel"),
            "limit {limit}, on {stream:?}"
        );
        assert_eq!(event.id, whole_parser.last_event_id());
    } else {
        assert_eq!(last, Some(&Err(error)), "limit {limit}, on {stream:?}");
    }
}

/// The most bytes a [`check_stream`] input expands to: room for an event
/// past 1 MiB (the buffers are trimmed after one) and a few after it, and
/// no more, since each input is parsed six times and by the model.
pub const MAX_STREAM: usize = 5 << 18;

/// The most line ends a [`check_stream`] input expands to: a MiB of
/// short lines would be a hundred thousand frames, each parsed six times,
/// for nothing more than a few lines show.
pub const MAX_LINE_ENDS: usize = 16 * 1024;

/// What a [`check_stream`] input describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// [`Config::comments`].
    pub comments: bool,
    /// Start from [`RESUMED_ID`] ([`Parser::with_last_event_id`]).
    pub resume: bool,
    /// [`Config::max_event_size`].
    pub limit: Option<usize>,
    /// Chunk sizes, used in turn, cycling (see [`cut`]).
    pub sizes: Vec<usize>,
    /// The stream.
    pub stream: Vec<u8>,
}

impl Plan {
    /// Reads a `stream` target input, which describes long lines cheaply:
    ///
    /// - a flags byte: bit 0 comments off; bit 1 resume; bits 2-3 the
    ///   limit: the default, none, 0 to 511 bytes, or up to 4 MiB (the
    ///   next two bytes, little-endian: modulo 512, or times 64);
    /// - if the limit needs them, those two bytes;
    /// - a count byte `n` (modulo 32), then `n` chunk sizes, two bytes
    ///   each, little-endian (0 feeds an empty chunk);
    /// - then pieces, each a repeat byte `r`, a length byte `len` and
    ///   `len` bytes of content, which come `r + 1` times if `r` is under
    ///   192, else `(r - 191) × 1024` times (up to 64 Ki times): so a few
    ///   bytes can ask for a line of a MiB. The stream stops at
    ///   [`MAX_STREAM`] bytes or [`MAX_LINE_ENDS`] line ends.
    pub fn decode(data: &[u8]) -> Option<Self> {
        let (&flags, mut rest) = data.split_first()?;
        let limit = match (flags >> 2) & 3 {
            0 => Some(DEFAULT_MAX_EVENT_SIZE),
            1 => None,
            kind => {
                let [low, high, tail @ ..] = rest else {
                    return None;
                };
                rest = tail;
                let value = usize::from(u16::from_le_bytes([*low, *high]));
                Some(if kind == 2 { value % 512 } else { value * 64 })
            }
        };
        let (&count, mut rest) = rest.split_first()?;
        let mut sizes = Vec::new();
        for _ in 0..count % 32 {
            let [low, high, tail @ ..] = rest else {
                break;
            };
            sizes.push(usize::from(u16::from_le_bytes([*low, *high])));
            rest = tail;
        }
        let mut stream = Vec::new();
        let mut line_ends = 0;
        while let [repeat, len, tail @ ..] = rest {
            let (piece, tail) = tail.split_at(usize::from(*len).min(tail.len()));
            rest = tail;
            let times = match usize::from(*repeat) {
                r @ 0..=191 => r + 1,
                r => (r - 191) * 1024,
            };
            if piece.is_empty() {
                continue;
            }
            let ends = piece.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
            let room = ((MAX_STREAM - stream.len()) / piece.len()).min(
                (MAX_LINE_ENDS - line_ends)
                    .checked_div(ends)
                    .unwrap_or(usize::MAX),
            );
            line_ends += ends * times.min(room);
            for _ in 0..times.min(room) {
                stream.extend_from_slice(piece);
            }
            if times > room {
                break;
            }
        }
        Some(Self {
            comments: flags & 1 == 0,
            resume: flags & 2 != 0,
            limit,
            sizes,
            stream,
        })
    }
}

/// The `stream` target's invariants, on a [`Plan`] (see [`Plan::decode`]),
/// with both layers and with the general layer alone: any chunking gives
/// the one-shot parse's items and state, through `feed` and the `chunk`
/// cursor; [`Parser::buffered_len`] stays within the limit; every error is
/// the limit's; with no error the items are the reference model's frames,
/// last event ID and reconnection time, and with errors its frames with
/// some left out.
pub fn check_stream(data: &[u8]) {
    let Some(plan) = Plan::decode(data) else {
        return;
    };
    let resume = if plan.resume { RESUMED_ID } else { "" };
    // Once for both layers: on a MiB the model costs more than a parse.
    let expected = reference::parse(&plan.stream, resume, plan.comments);
    for general_only in [false, true] {
        check_plan(&plan, &expected, general_only);
    }
}

/// [`check_stream`] with one setting of [`Parser::general_path_only`].
pub fn check_plan(plan: &Plan, expected: &reference::Outcome, general_only: bool) {
    let Plan {
        comments,
        resume,
        limit,
        sizes,
        stream,
    } = plan;
    let resume = if *resume { RESUMED_ID } else { "" };
    let config = Config::default().comments(*comments).max_event_size(*limit);
    let shown = || {
        format!("{} bytes, {plan:?}", stream.len())
            .chars()
            .take(300)
            .collect::<String>()
    };
    let within_limit = |parser: &Parser| {
        if let Some(limit) = limit {
            assert!(
                parser.buffered_len() <= *limit,
                "over the limit: {}",
                shown()
            );
        }
    };
    let resume_id = EventId::new(resume).expect("a valid ID");
    let new_parser = || layer(&config, general_only).with_last_event_id(resume_id);
    let chunks = cut_sizes(stream, sizes);

    let mut whole_parser = new_parser();
    let whole = feed_chunks(&mut whole_parser, &[stream], within_limit);
    let mut chunked_parser = new_parser();
    let chunked = feed_chunks(&mut chunked_parser, &chunks, within_limit);
    let mut closure_parser = new_parser();
    let closure = closure_chunks(&mut closure_parser, &chunks, within_limit);
    for (items, parser, how) in [
        (&chunked, &chunked_parser, "chunked"),
        (&closure, &closure_parser, "closure"),
    ] {
        assert!(*items == whole, "{how} vs one-shot: {}", shown());
        assert_eq!(
            parser.last_event_id(),
            whole_parser.last_event_id(),
            "{how}"
        );
        assert_eq!(
            parser.reconnection_time(),
            whole_parser.reconnection_time(),
            "{how}"
        );
    }

    let mut frames = Vec::new();
    for item in whole {
        match item {
            Ok(frame) => frames.push(frame),
            Err(error) => assert_eq!(
                Some(error),
                limit.map(|limit| ParseError::EventTooLarge { limit }),
                "{}",
                shown()
            ),
        }
    }
    let errors = frames.len() < chunked.len();
    if errors {
        assert!(
            is_subsequence(&without_ids(frames), &without_ids(expected.frames.clone())),
            "frames the stream does not hold: {}",
            shown()
        );
    } else {
        assert!(
            frames == expected.frames,
            "not the model's frames: {}",
            shown()
        );
        assert_eq!(whole_parser.last_event_id(), expected.last_event_id);
        assert_eq!(whole_parser.reconnection_time(), expected.reconnection_time);
    }
}

/// [`cut`] with sizes of any width.
pub fn cut_sizes<'a>(stream: &'a [u8], sizes: &[usize]) -> Vec<&'a [u8]> {
    if sizes.is_empty() {
        return vec![stream];
    }
    let mut chunks = Vec::new();
    if sizes.iter().all(|&size| size == 0) {
        chunks.extend(sizes.iter().map(|_| &stream[..0]));
        chunks.push(stream);
        return chunks;
    }
    let mut rest = stream;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        chunks.push(chunk);
        rest = tail;
    }
    chunks
}
