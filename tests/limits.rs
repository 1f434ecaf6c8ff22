//! The event size limit: one typed error per oversized event, recovery at
//! the next blank line, memory bounded for any input, and a default that
//! lets real traffic (multi-megabyte LLM events) through.

mod common;

use common::ported::feed_now;
use common::strategy::stream;
use common::{assert_every_chunking, comment, message, parse_chunks, reference, Items};
use proptest::prelude::*;
use sse_proto::{Config, OwnedFrame, ParseError, Parser, DEFAULT_MAX_EVENT_SIZE};
use std::time::Duration;

fn limited(limit: usize) -> Config {
    Config::default().max_event_size(Some(limit))
}

fn too_large(limit: usize) -> Result<OwnedFrame, ParseError> {
    Err(ParseError::EventTooLarge { limit })
}

/// `head`, then `len` bytes of `fill`, then `tail`.
fn padded(head: &str, fill: u8, len: usize, tail: &str) -> Vec<u8> {
    let mut input = head.as_bytes().to_vec();
    input.resize(head.len() + len, fill);
    input.extend_from_slice(tail.as_bytes());
    input
}

#[test]
fn oversized_event_gives_one_error_then_the_next_event_arrives_intact() {
    let input = padded(
        "data: ok1\n\ndata: ",
        b'x',
        40,
        "\ndata: more\nid: 9\n\ndata: ok2\n\n",
    );
    assert_every_chunking(
        &limited(16),
        &input,
        &[
            Ok(message("ok1", "")),
            too_large(16),
            Ok(message("ok2", "")),
        ],
    );
}

#[test]
fn limit_counts_every_line_of_the_event() {
    // Three lines of 11 bytes: the second crosses 20.
    let input = b"data: 12345\ndata: 12345\ndata: 12345\n\ndata: ok\n\n";
    assert_every_chunking(&limited(20), input, &[too_large(20), Ok(message("ok", ""))]);
    assert_every_chunking(
        &limited(33),
        input,
        &[
            Ok(message("12345\n12345\n12345", "")),
            Ok(message("ok", "")),
        ],
    );
    assert_every_chunking(&limited(32), input, &[too_large(32), Ok(message("ok", ""))]);
}

#[test]
fn event_exactly_at_the_limit_passes() {
    // "data: 1234" is 10 bytes; line terminators do not count.
    assert_every_chunking(
        &limited(10),
        b"data: 1234\r\n\r\n",
        &[Ok(message("1234", ""))],
    );
    assert_every_chunking(&limited(9), b"data: 1234\r\n\r\n", &[too_large(9)]);
}

#[test]
fn zero_limit_allows_only_blank_lines() {
    assert_every_chunking(&limited(0), b"\n\r\n\r", &[]);
    assert_every_chunking(&limited(0), b"data\n\n:\n\n", &[too_large(0), too_large(0)]);
}

#[test]
fn huge_line_of_an_unknown_field_is_an_oversized_event() {
    let input = padded("x-padding: ", b'p', 1000, "\n\ndata: after\n\n");
    assert_every_chunking(
        &limited(100),
        &input,
        &[too_large(100), Ok(message("after", ""))],
    );
}

#[test]
fn huge_comment_is_an_oversized_event_whether_or_not_comments_are_reported() {
    let input = padded(": ", b'c', 1000, "\n: small\n\ndata: after\n\n");
    for config in [limited(100), limited(100).comments(false)] {
        assert_every_chunking(&config, &input, &[too_large(100), Ok(message("after", ""))]);
    }
    let fits = padded(": ", b'c', 98, "\n\n");
    let text = String::from_utf8(fits[2..100].to_vec()).unwrap();
    assert_every_chunking(&limited(100), &fits, &[Ok(comment(&text))]);
}

#[test]
fn retry_before_the_limit_takes_effect_and_id_before_it_is_committed() {
    let input = padded(
        "id: 4\nretry: 70\ndata: ",
        b'x',
        100,
        "\nid: 5\n\ndata: next\n\n",
    );
    assert_every_chunking(
        &limited(50),
        &input,
        &[
            Ok(OwnedFrame::Retry(Duration::from_millis(70))),
            too_large(50),
            Ok(message("next", "4")),
        ],
    );
}

#[test]
fn oversize_is_detected_identically_however_chunked() {
    let input = padded("event: big\ndata: ", b'y', 300, "\n\ndata: z\n\n");
    let expected = [too_large(64), Ok(message("z", ""))];
    for size in [1, 2, 3, 7, 64, 65, 100, 1000] {
        let items = parse_chunks(&mut Parser::with_config(limited(64)), input.chunks(size));
        assert_eq!(items, expected, "chunks of {size}");
    }
}

#[test]
fn default_limit_is_the_documented_64_mib() {
    assert_eq!(DEFAULT_MAX_EVENT_SIZE, 64 * 1024 * 1024);
    assert_eq!(
        Config::default().max_event_size,
        Some(DEFAULT_MAX_EVENT_SIZE)
    );
    assert_eq!(
        Parser::new().config().max_event_size,
        Some(DEFAULT_MAX_EVENT_SIZE)
    );
}

#[test]
fn ten_mib_single_line_event_passes_the_default_limit() {
    // An LLM response carrying a base64 image in one `data:` line.
    const LEN: usize = 10 << 20;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut input = b"event: image\ndata: ".to_vec();
    input.extend((0..LEN).map(|i| alphabet[i % alphabet.len()]));
    input.extend_from_slice(b"\n\n");
    for size in [input.len(), 64 * 1024] {
        let items = parse_chunks(&mut Parser::new(), input.chunks(size));
        let [Ok(OwnedFrame::Event(event))] = &items[..] else {
            panic!("chunks of {size}: expected one event");
        };
        assert_eq!(event.event_type, "image");
        assert_eq!(event.data.as_bytes(), &input[19..19 + LEN]);
    }
}

#[test]
fn unlimited_config_never_errors() {
    let input = padded("data: ", b'u', 100_000, "\n\n");
    let items = parse_chunks(
        &mut Parser::with_config(Config::default().max_event_size(None)),
        input.chunks(333),
    );
    let data = "u".repeat(100_000);
    assert_eq!(items, [Ok(message(&data, ""))]);
}

/// What the parser gave for each byte fed alone, with the last event ID
/// after that byte.
struct Bytewise {
    /// `(index of the byte fed, item)`, in order.
    items: Vec<(usize, Result<OwnedFrame, ParseError>)>,
    /// `last_event_id()` after byte `i` was fed.
    ids: Vec<String>,
}

/// Feeds `input` one byte at a time, checking the memory bound after every
/// call.
fn feed_bytewise(input: &[u8], limit: usize) -> Result<Bytewise, TestCaseError> {
    let mut parser = Parser::with_config(limited(limit));
    let mut fed = Bytewise {
        items: Vec::new(),
        ids: Vec::new(),
    };
    for (i, byte) in input.iter().enumerate() {
        let mut chunk: &[u8] = std::slice::from_ref(byte);
        loop {
            let item = match parser.feed(&mut chunk) {
                Ok(Some(frame)) => Ok(frame.into_owned()),
                Ok(None) => break,
                Err(error) => Err(error),
            };
            let held = parser.buffered_len();
            prop_assert!(held <= limit, "{held} > {limit}");
            fed.items.push((i, item));
        }
        fed.ids.push(parser.last_event_id().to_owned());
    }
    Ok(fed)
}

/// Where the line holding byte `from` ends: the index just past its
/// terminator (CRLF counts as one), or `None` if it never ends.
fn line_end(input: &[u8], from: usize) -> Option<usize> {
    let end = from
        + input[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')?;
    let crlf = input[end] == b'\r' && input.get(end + 1) == Some(&b'\n');
    Some(end + 1 + usize::from(crlf))
}

/// The index just past the first blank line that starts at or after
/// `line_start` (a line start), or `None`.
fn after_next_blank_line(input: &[u8], mut line_start: usize) -> Option<usize> {
    loop {
        let next = line_end(input, line_start)?;
        if matches!(input[line_start], b'\n' | b'\r') {
            return Some(next);
        }
        line_start = next;
    }
}

/// Checks `frames` against `expected`: equal if the parser hit no further
/// limit (`complete`), else a prefix (an oversized event's own frames are
/// dropped from its error on).
fn agrees(
    frames: &[OwnedFrame],
    expected: &[OwnedFrame],
    complete: bool,
) -> Result<(), TestCaseError> {
    if complete {
        prop_assert_eq!(frames, expected);
    } else {
        prop_assert!(frames.len() <= expected.len(), "{frames:?} vs {expected:?}");
        prop_assert_eq!(frames, &expected[..frames.len()]);
    }
    Ok(())
}

/// The frames of `items` up to the first error, and whether there was none.
fn until_error<'a>(
    items: impl Iterator<Item = &'a Result<OwnedFrame, ParseError>>,
) -> (Vec<OwnedFrame>, bool) {
    let mut frames = Vec::new();
    for item in items {
        match item {
            Ok(frame) => frames.push(frame.clone()),
            Err(_) => return (frames, false),
        }
    }
    (frames, true)
}

/// Several stream-like pieces each ended by a blank line, so that an
/// oversized event is usually followed by more to resume with.
fn blocks() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(stream(), 1..5).prop_map(|pieces| pieces.join(&b"\n\n"[..]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// For arbitrary input and small limits:
    /// - memory stays within the limit after every `feed`;
    /// - up to the first error the frames are the reference model's;
    /// - an error is reported once per event, nothing comes out until the
    ///   next blank line, and from there the frames are what the reference
    ///   gives for the rest of the input (with the ID the parser holds).
    ///
    /// Not guaranteed, so not checked: which frames of the oversized event
    /// come out before its error (that depends on where the limit falls),
    /// and the ID of a dropped event (an `id` before the limit counts).
    #[test]
    fn memory_stays_bounded_and_parsing_resumes_after_the_next_blank_line(
        input in blocks(),
        limit in prop_oneof![0usize..32, 0usize..256],
    ) {
        let fed = feed_bytewise(&input, limit)?;
        let whole = reference::parse(&input, "", true);
        let items: Items = fed.items.iter().map(|(_, item)| item.clone()).collect();
        let (frames, complete) = until_error(items.iter());
        agrees(&frames, &whole.frames, complete)?;

        for (k, (at, item)) in fed.items.iter().enumerate() {
            if item.is_ok() {
                continue;
            }
            prop_assert_eq!(item, &too_large(limit));
            let resume = line_end(&input, *at).and_then(|next| after_next_blank_line(&input, next));
            let later = &fed.items[k + 1..];
            let Some(resume) = resume else {
                prop_assert!(later.is_empty(), "output after an error with no blank line: {later:?}");
                continue;
            };
            let (skipped, after): (Vec<_>, Vec<_>) = later.iter().partition(|(i, _)| *i < resume);
            prop_assert!(skipped.is_empty(), "output before the blank line: {skipped:?}");
            // A leading blank line stops the model from reading a BOM at
            // the start of the rest; it dispatches nothing.
            let mut rest = b"\n".to_vec();
            rest.extend_from_slice(&input[resume..]);
            let expected = reference::parse(&rest, &fed.ids[resume - 1], true);
            let (frames, complete) = until_error(after.iter().map(|(_, item)| item));
            agrees(&frames, &expected.frames, complete)?;
        }
    }

    #[test]
    fn memory_stays_bounded_under_any_chunking(
        input in stream(),
        limit in 0usize..256,
        size in 1usize..50,
    ) {
        let mut parser = Parser::with_config(limited(limit));
        for mut chunk in input.chunks(size) {
            loop {
                let done = matches!(parser.feed(&mut chunk), Ok(None));
                prop_assert!(parser.buffered_len() <= limit);
                if done {
                    break;
                }
            }
        }
    }
}

/// Events over 1 MiB make the parser trim its buffers at the first line of
/// each of the next two blocks (and hand those lines to its general path):
/// the frames are the reference model's, the same in any chunking through
/// both borrowed paths, with limits above and below the trimming size.
#[test]
fn events_over_a_mebibyte_trim_buffers_without_changing_a_frame() {
    const BIG: usize = (1 << 20) + 3;
    let mut input = padded("event: big\nid: 1\ndata: ", b'x', BIG, "\n\n");
    input.extend(padded(": ", 0xFF, BIG, "\nid: 2\ndata: a\n"));
    input.extend_from_slice(b"data: b\n\nretry: 5\nevent: e\ndata: c\n\n: after\n\ndata: d\n\n");
    let model = reference::parse(&input, "", true).frames;
    let unlimited = common::parse_whole(Config::default(), &input);
    assert_eq!(unlimited, model.into_iter().map(Ok).collect::<Items>());
    for config in [Config::default(), limited(BIG + 40), limited(BIG / 2)] {
        let expected = common::parse_whole(config.clone(), &input);
        for chunk in [input.len(), 65_536, 4097, 1000] {
            let mut parser = Parser::with_config(config.clone());
            let fed = parse_chunks(&mut parser, input.chunks(chunk));
            assert_eq!(fed, expected, "feed, chunks of {chunk}");
            let mut parser = Parser::with_config(config.clone());
            let mut walked: Items = Vec::new();
            for piece in input.chunks(chunk) {
                parser.for_each(piece, |item| {
                    walked.push(item.map(|frame| frame.into_owned()))
                });
            }
            assert_eq!(walked, expected, "for_each, chunks of {chunk}");
        }
    }
}

/// From bugs other crates shipped (../shared/LANDSCAPE.md).
///
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
