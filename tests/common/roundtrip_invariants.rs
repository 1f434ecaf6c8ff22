//! The invariant of the `roundtrip` fuzz target: what the encoder accepts
//! parses back as it was given; what it refuses is refused with the right
//! typed error.
//!
//! Shared by the fuzz crate (`fuzz/`, through `#[path]`, which builds the
//! [`Item`]s with `arbitrary`) and by `tests/fuzz_regressions.rs`. It expects
//! the reference model and the `parse` checks as sibling modules
//! `reference` and `fuzz_invariants`.

use std::time::Duration;

use sse_proto::{
    Comment, EncodeError, EventId, EventType, Message, OwnedEvent, OwnedFrame, Parser, Retry,
    DEFAULT_EVENT_TYPE,
};

use super::fuzz_invariants::{cut, feed_chunks};
use super::reference;

/// One thing to encode. Strings may hold anything, including what the
/// encoder must refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// [`Message::new`], with an event type and an ID if given.
    Message {
        /// The event's data.
        data: String,
        /// For [`EventType::new`].
        event_type: Option<String>,
        /// For [`EventId::new`].
        id: Option<String>,
    },
    /// [`Message::id_only`] with [`EventId::new`] of this.
    IdOnly(String),
    /// [`Comment::new`].
    Comment(String),
    /// [`Retry::from_millis`].
    Retry(u64),
}

/// What [`EventType::new`] must say about `event_type`, as documented.
pub fn expected_type_error(event_type: &str) -> Option<EncodeError> {
    if event_type.is_empty() {
        return Some(EncodeError::EmptyEventType);
    }
    let position = event_type.bytes().position(|b| b == b'\r' || b == b'\n')?;
    Some(EncodeError::LineBreakInEventType { position })
}

/// What [`EventId::new`] must say about `id`, as documented: the first CR,
/// LF or NUL decides.
pub fn expected_id_error(id: &str) -> Option<EncodeError> {
    let position = id.bytes().position(|b| matches!(b, b'\r' | b'\n' | 0))?;
    Some(if id.as_bytes()[position] == 0 {
        EncodeError::NulInId { position }
    } else {
        EncodeError::LineBreakInId { position }
    })
}

/// Validates with `new`, checking the verdict against `expected`.
fn validated<'a, T>(
    value: &'a str,
    new: impl FnOnce(&'a str) -> Result<T, EncodeError>,
    expected: fn(&str) -> Option<EncodeError>,
) -> Option<T> {
    let verdict = new(value);
    assert_eq!(
        verdict.as_ref().err(),
        expected(value).as_ref(),
        "on {value:?}"
    );
    verdict.ok()
}

/// The encoder's documented normalisation: CR and CRLF become LF.
fn normalise_line_breaks(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Appends `value`'s encoding to `out`, checking that every way out agrees:
/// `encode` into a `Vec<u8>` and into a `String`, `Display`, and
/// `encoded_len`.
macro_rules! encode_checked {
    ($value:expr, $out:expr) => {{
        let value = $value;
        let start = $out.len();
        value.encode($out);
        let mut text = String::new();
        value.encode(&mut text);
        assert_eq!(
            &$out[start..],
            text.as_bytes(),
            "encode into Vec and String"
        );
        assert_eq!(value.to_string(), text, "Display and encode");
        assert_eq!(value.encoded_len(), text.len(), "encoded_len of {text:?}");
    }};
}

/// Encodes `items` (skipping those the encoder refuses, after checking the
/// error), parses the result in one piece and cut by `sizes` (see
/// [`cut`](super::fuzz_invariants::cut)), and checks that the frames, the
/// last event ID and the reconnection time are what the items say, and
/// what the reference model says.
pub fn check_roundtrip(items: &[Item], sizes: &[u8]) {
    let mut out = Vec::new();
    let mut expected = Vec::new();
    let mut last_id = String::new();
    let mut reconnection_time = None;
    for item in items {
        match item {
            Item::Message {
                data,
                event_type,
                id,
            } => {
                let mut message = Message::new(data);
                if let Some(event_type) = event_type {
                    let Some(event_type) =
                        validated(event_type, EventType::new, expected_type_error)
                    else {
                        continue;
                    };
                    message = message.event_type(event_type);
                }
                if let Some(id) = id {
                    let Some(id) = validated(id, EventId::new, expected_id_error) else {
                        continue;
                    };
                    message = message.id(id);
                }
                encode_checked!(message, &mut out);
                if let Some(id) = id {
                    last_id.clone_from(id);
                }
                expected.push(OwnedFrame::Event(OwnedEvent {
                    event_type: event_type
                        .as_deref()
                        .unwrap_or(DEFAULT_EVENT_TYPE)
                        .to_owned(),
                    data: normalise_line_breaks(data),
                    id: last_id.clone(),
                }));
            }
            Item::IdOnly(id) => {
                let Some(valid) = validated(id, EventId::new, expected_id_error) else {
                    continue;
                };
                encode_checked!(Message::id_only(valid), &mut out);
                last_id.clone_from(id);
            }
            Item::Comment(text) => {
                encode_checked!(Comment::new(text), &mut out);
                let lines = normalise_line_breaks(text);
                expected.extend(
                    lines
                        .split('\n')
                        .map(|line| OwnedFrame::Comment(line.to_owned())),
                );
            }
            Item::Retry(ms) => {
                encode_checked!(Retry::from_millis(*ms), &mut out);
                let time = Duration::from_millis(*ms);
                reconnection_time = Some(time);
                expected.push(OwnedFrame::Retry(time));
            }
        }
    }

    let model = reference::parse(&out, "", true);
    assert_eq!(model.frames, expected, "the reference model on {out:?}");
    // Both layers, and the general layer alone.
    for general_only in [false, true] {
        for chunks in [vec![&out[..]], cut(&out, sizes)] {
            let mut parser = Parser::new();
            if general_only {
                parser = parser.general_path_only();
            }
            let frames: Vec<OwnedFrame> = feed_chunks(&mut parser, &chunks, |_| {})
                .into_iter()
                .map(|item| item.unwrap_or_else(|error| panic!("{error} on {out:?}")))
                .collect();
            assert_eq!(frames, expected, "parsed back from {out:?}");
            assert_eq!(parser.last_event_id(), last_id, "last event ID of {out:?}");
            assert_eq!(
                parser.reconnection_time(),
                reconnection_time,
                "retry of {out:?}"
            );
        }
    }
}
