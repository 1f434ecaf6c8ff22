//! The encoder where a review suspected a defect: data split at every offset
//! around the scanner's block sizes (against a naive splitter), edge values,
//! IDs, retries and comments, each encoded three ways and parsed back.

#![cfg(feature = "std")]

use core::time::Duration;
use std::io::Write;

mod common;

use sse_proto::{Comment, EventId, EventType, Message, OwnedEvent, OwnedFrame, Retry};

// ---------------------------------------------------------------- helpers

use common::parse_whole_and_bytewise as parse;

/// The lines a CR, LF or CRLF splitter gives, written without the crate's
/// scanner: one char at a time. Not `common::reference`'s splitter, on
/// purpose: the encoder is checked against an oracle of its own, which
/// also keeps the unterminated last line.
fn naive_lines(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(String::new());
            }
            '\n' => lines.push(String::new()),
            c => lines.last_mut().unwrap().push(c),
        }
    }
    lines
}

/// What `Message::new(data).encode` must write, built naively.
fn naive_data_event(data: &str) -> String {
    let mut out = String::new();
    for line in naive_lines(data) {
        if line.is_empty() {
            out.push_str("data:\n");
        } else {
            out.push_str("data: ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn event(event_type: &str, data: &str, id: &str) -> OwnedFrame {
    OwnedFrame::Event(OwnedEvent {
        event_type: event_type.into(),
        data: data.into(),
        id: id.into(),
    })
}

/// All three ways out agree, and `encoded_len` is exact.
fn encode_all_ways(
    display: &dyn core::fmt::Display,
    encode: impl Fn(&mut Vec<u8>),
    len: usize,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    encode(&mut bytes);
    assert_eq!(bytes.len(), len, "encoded_len disagrees with encode");
    assert_eq!(
        display.to_string().as_bytes(),
        &bytes[..],
        "Display disagrees with encode"
    );
    let mut through_io = Vec::new();
    write!(through_io, "{display}").unwrap();
    assert_eq!(through_io, bytes, "io::Write disagrees with encode");
    bytes
}

/// The encoder splits data with the crate's SIMD scanner. Put one line break
/// (LF, CR, CRLF) at every offset of values of lengths around the scanner's
/// 8/16/64/256-byte boundaries, in fillers that pass its pre-filter (tab,
/// VT, FF, BS) or hold UTF-8 continuation bytes 0x8A/0x8D (`Ê`, `Í`), and
/// compare with a naive splitter, then parse back.
#[test]
fn data_splits_like_a_naive_splitter_at_every_offset() {
    let mut lengths: Vec<usize> = (1..=40).collect();
    lengths.extend([
        47, 48, 49, 63, 64, 65, 79, 80, 81, 95, 96, 97, 255, 256, 257, 271, 272, 273, 335, 336,
        337, 591, 592, 593, 1100,
    ]);
    let fillers = ["a", "\t", "\u{b}\u{c}\u{8}", "Ê", "Íx"];
    for filler in fillers {
        for &len in &lengths {
            let base: String = filler.repeat(len).chars().take(len).collect();
            let chars: Vec<char> = base.chars().collect();
            for at in 0..=chars.len() {
                for brk in ["\n", "\r", "\r\n"] {
                    let mut data: String = chars[..at].iter().collect();
                    data.push_str(brk);
                    data.extend(&chars[at..]);
                    let mut out = Vec::new();
                    Message::new(&data).encode(&mut out);
                    let expected = naive_data_event(&data);
                    assert_eq!(
                        String::from_utf8_lossy(&out),
                        expected,
                        "filler {filler:?}, len {len}, break {brk:?} at {at}"
                    );
                }
            }
        }
    }
    // And a long value parsed back whole and byte by byte.
    let data = format!(
        "{}\r{}\r\n{}\n",
        "x".repeat(700),
        "\t".repeat(300),
        "Ê".repeat(200)
    );
    let mut out = Vec::new();
    Message::new(&data).encode(&mut out);
    let (frames, _) = parse(&out);
    assert_eq!(
        frames,
        [event(
            "message",
            &data.replace("\r\n", "\n").replace('\r', "\n"),
            ""
        )]
    );
}

/// Values at the edges of what the format carries: leading and lone spaces,
/// colons, NUL, the BOM, `message` with a twist, field names as values.
#[test]
fn edge_values_round_trip_exactly() {
    let types = [
        "x", " ", "  lead", "trail ", ":", "a:b", "\0", "\u{FEFF}", "message ", "Message", "data",
    ];
    let ids = [
        "",
        " ",
        "  7",
        "7 ",
        ":",
        "\u{FEFF}",
        "id: 3",
        "\u{1}\u{7f}",
        "é😀",
    ];
    let datas = [
        "", " ", "  two", ":", "\0", "\u{FEFF}", "data: x", "\r\n", "\n\n", "\r\r", "a\r\n\rb",
    ];
    for event_type in types {
        for id in ids {
            for data in datas {
                let message = Message::new(data)
                    .event_type(EventType::new(event_type).unwrap())
                    .id(EventId::new(id).unwrap());
                let bytes =
                    encode_all_ways(&message, |out| message.encode(out), message.encoded_len());
                let (frames, last_id) = parse(&bytes);
                let data_back = data.replace("\r\n", "\n").replace('\r', "\n");
                assert_eq!(
                    frames,
                    [event(event_type, &data_back, id)],
                    "{event_type:?} {id:?} {data:?}: {:?}",
                    String::from_utf8_lossy(&bytes)
                );
                assert_eq!(last_id, id);
            }
        }
    }
}

#[test]
fn id_changes_on_their_own_round_trip() {
    let mut out = Vec::new();
    Message::id_only(EventId::new(" 5").unwrap())
        .event_type(EventType::new("ignored").unwrap())
        .encode(&mut out);
    Message::new("x").encode(&mut out);
    Message::id_only(EventId::RESET).encode(&mut out);
    Message::new("y").encode(&mut out);
    let (frames, last_id) = parse(&out);
    assert_eq!(
        frames,
        [event("message", "x", " 5"), event("message", "y", "")]
    );
    assert_eq!(last_id, "");
}

#[test]
fn retry_extremes_round_trip() {
    for ms in [
        0,
        1,
        9,
        10,
        999,
        u64::from(u32::MAX) + 1,
        u64::MAX - 1,
        u64::MAX,
    ] {
        let retry = Retry::from_millis(ms);
        let bytes = encode_all_ways(&retry, |out| retry.encode(out), retry.encoded_len());
        let (frames, _) = parse(&bytes);
        assert_eq!(frames, [OwnedFrame::Retry(Duration::from_millis(ms))]);
    }
    assert_eq!(Retry::new(Duration::MAX), Retry::from_millis(u64::MAX));
    assert_eq!(
        Retry::new(Duration::from_micros(1999)),
        Retry::from_millis(1)
    );
    assert_eq!(
        Retry::new(Duration::from_millis(u64::MAX)),
        Retry::from_millis(u64::MAX)
    );
}

#[test]
fn comments_round_trip_line_by_line() {
    for text in [
        "",
        " ",
        "  two",
        ":",
        "::",
        "\0",
        "a\r\nb\rc\nd",
        "\n",
        "\r\n\r\n",
        "\u{FEFF}",
    ] {
        let comment = Comment::new(text);
        let bytes = encode_all_ways(&comment, |out| comment.encode(out), comment.encoded_len());
        let (frames, _) = parse(&bytes);
        let expected: Vec<OwnedFrame> = naive_lines(text)
            .into_iter()
            .map(OwnedFrame::Comment)
            .collect();
        assert_eq!(frames, expected, "{text:?}");
    }
}

/// A comment between the lines of an event must not cut it: the encoder
/// writes comments as standalone lines, so emitting one between two events
/// is fine; but a comment must never end an event early or start one.
#[test]
fn comments_and_retries_between_events_do_not_dispatch_anything() {
    let mut out = Vec::new();
    Comment::new("a\n\nb").encode(&mut out);
    Retry::from_millis(5).encode(&mut out);
    Message::new("x").encode(&mut out);
    let (frames, _) = parse(&out);
    let events = frames
        .iter()
        .filter(|f| matches!(f, OwnedFrame::Event(_)))
        .count();
    assert_eq!(events, 1);
}
