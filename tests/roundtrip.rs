//! The round-trip law: for every value the encoder accepts, parsing what it
//! wrote gives the value back, under any chunking. The one normalisation:
//! a CR or CRLF inside data or a comment comes back as LF, and a comment
//! with line breaks comes back as one comment per line.

use proptest::prelude::*;
use sse_proto::{
    Comment, Config, EncodeError, EventId, EventType, Message, OwnedEvent, OwnedFrame, Parser,
    Retry, DEFAULT_EVENT_TYPE,
};
use std::time::Duration;

/// Something to send, before validation.
#[derive(Debug, Clone)]
enum Item {
    /// `data: None` is an ID change on its own.
    Event {
        event_type: Option<String>,
        id: Option<String>,
        data: Option<String>,
    },
    Retry(u64),
    Comment(String),
}

/// Text biased toward what can break an encoder: line breaks, NUL, spaces,
/// colons, the BOM, field names and non-ASCII.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "\r", "\n", "\r\n", "\n\r", "\0", " ", "  ", ":", ": ", "\u{FEFF}", "é", "😀",
            "data", "id", "event", "retry", "message", "\u{FFFD}",
        ])
        .prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9]{1,4}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => (
            prop::option::of(tricky_text()),
            prop::option::of(tricky_text()),
            prop::option::weighted(0.8, tricky_text()),
        )
            .prop_map(|(event_type, id, data)| Item::Event { event_type, id, data }),
        1 => prop_oneof![0..10_000u64, any::<u64>()].prop_map(Item::Retry),
        1 => tricky_text().prop_map(Item::Comment),
    ]
}

/// The lines of `text` as the parser gives them back: split at CR, LF, CRLF.
fn lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(String::from)
        .collect()
}

/// Checks a refusal names the first offending byte.
fn assert_refusal_is_right(text: &str, error: EncodeError, nul_counts: bool) {
    let first = text
        .bytes()
        .position(|b| b == b'\r' || b == b'\n' || (nul_counts && b == 0));
    match error {
        EncodeError::EmptyEventType => assert!(text.is_empty()),
        EncodeError::LineBreakInEventType { position }
        | EncodeError::LineBreakInId { position } => {
            assert_eq!(Some(position), first);
            assert!(matches!(text.as_bytes()[position], b'\r' | b'\n'));
        }
        EncodeError::NulInId { position } => {
            assert_eq!(Some(position), first);
            assert_eq!(text.as_bytes()[position], 0);
        }
        other => panic!("unexpected error {other:?}"),
    }
}

/// Encodes what the encoder accepts and returns the bytes and the frames a
/// parser must give back. Refused values are checked and left out.
fn encode_all(items: &[Item]) -> (Vec<u8>, Vec<OwnedFrame>) {
    let mut out = Vec::new();
    let mut expected = Vec::new();
    let mut last_id = String::new();
    for item in items {
        match item {
            Item::Event {
                event_type,
                id,
                data,
            } => {
                let event_type = event_type.as_deref().and_then(|t| match EventType::new(t) {
                    Ok(valid) => Some(valid),
                    Err(error) => {
                        assert_refusal_is_right(t, error, false);
                        None
                    }
                });
                let id = id.as_deref().and_then(|i| match EventId::new(i) {
                    Ok(valid) => Some(valid),
                    Err(error) => {
                        assert_refusal_is_right(i, error, true);
                        None
                    }
                });
                let mut message = match (data, id) {
                    (Some(data), _) => Message::new(data),
                    (None, Some(id)) => Message::id_only(id),
                    (None, None) => continue,
                };
                if let Some(id) = id {
                    message = message.id(id);
                    last_id = id.as_str().to_owned();
                }
                if let Some(event_type) = event_type {
                    message = message.event_type(event_type);
                }
                let before = out.len();
                message.encode(&mut out);
                assert_eq!(message.encoded_len(), out.len() - before);
                if let Some(data) = data {
                    expected.push(OwnedFrame::Event(OwnedEvent {
                        event_type: event_type
                            .map_or(DEFAULT_EVENT_TYPE, |t| t.as_str())
                            .to_owned(),
                        data: lines(data).join("\n"),
                        id: last_id.clone(),
                    }));
                }
            }
            Item::Retry(ms) => {
                Retry::from_millis(*ms).encode(&mut out);
                expected.push(OwnedFrame::Retry(Duration::from_millis(*ms)));
            }
            Item::Comment(text) => {
                Comment::new(text).encode(&mut out);
                expected.extend(lines(text).into_iter().map(OwnedFrame::Comment));
            }
        }
    }
    (out, expected)
}

/// Parses `bytes` fed in chunks of the given sizes (cycled).
fn parse_chunked(bytes: &[u8], sizes: &[usize]) -> Vec<OwnedFrame> {
    let mut parser = Parser::with_config(Config::default().max_event_size(None));
    let mut frames = Vec::new();
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(size.clamp(1, rest.len()));
        rest = tail;
        let mut input = chunk;
        while let Some(frame) = parser.feed(&mut input).expect("no limit is set") {
            frames.push(frame.into_owned());
        }
    }
    parser.finish();
    frames
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsing_the_encoding_gives_the_values_back(
        items in prop::collection::vec(item(), 0..12),
        sizes in prop::collection::vec(1..16usize, 1..6),
    ) {
        let (bytes, expected) = encode_all(&items);
        prop_assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "a leading BOM would be dropped");
        prop_assert_eq!(&parse_chunked(&bytes, &[usize::MAX]), &expected);
        prop_assert_eq!(&parse_chunked(&bytes, &[1]), &expected);
        prop_assert_eq!(&parse_chunked(&bytes, &sizes), &expected);
    }
}

#[test]
fn data_starting_with_a_bom_in_the_first_event_survives() {
    let (bytes, expected) = encode_all(&[Item::Event {
        event_type: None,
        id: None,
        data: Some("\u{FEFF}hi".into()),
    }]);
    assert_eq!(parse_chunked(&bytes, &[1]), expected);
    let OwnedFrame::Event(event) = &expected[0] else {
        panic!("expected an event")
    };
    assert_eq!(event.data, "\u{FEFF}hi");
}
