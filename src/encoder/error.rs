//! Why a value cannot be written into an event stream.

use core::fmt;

/// A value the encoder refuses, because no stream can carry it.
///
/// Returned by [`EventType::new`](crate::EventType::new) and
/// [`EventId::new`](crate::EventId::new). Validation happens once, when the
/// value is built; encoding a validated value never fails. Each variant but
/// [`EmptyEventType`](Self::EmptyEventType) gives the byte offset of the first
/// offending character, so a caller can report or strip it.
///
/// ```
/// use sse_proto::{EncodeError, EventId};
///
/// let error = EventId::new("7\n").unwrap_err();
/// assert_eq!(error, EncodeError::LineBreakInId { position: 1 });
/// assert_eq!(error.to_string(), "event id has a line break at byte 1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodeError {
    /// An event type contains CR or LF: it would end the `event:` line early
    /// and the rest would be read as another field.
    LineBreakInEventType {
        /// Byte offset of the first CR or LF.
        position: usize,
    },
    /// An event type is empty. A client reads `event:` with an empty value as
    /// the default type `message`, so an empty type cannot come back as
    /// itself; leave the type unset instead.
    EmptyEventType,
    /// An event ID contains CR or LF: it would end the `id:` line early.
    LineBreakInId {
        /// Byte offset of the first CR or LF.
        position: usize,
    },
    /// An event ID contains U+0000: every client ignores such an `id` field.
    NulInId {
        /// Byte offset of the first U+0000.
        position: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineBreakInEventType { position } => {
                write!(f, "event type has a line break at byte {position}")
            }
            Self::EmptyEventType => f.write_str("event type is empty"),
            Self::LineBreakInId { position } => {
                write!(f, "event id has a line break at byte {position}")
            }
            Self::NulInId { position } => write!(f, "event id has a U+0000 at byte {position}"),
        }
    }
}

impl core::error::Error for EncodeError {}
