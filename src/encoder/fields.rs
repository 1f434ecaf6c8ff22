//! Event types and IDs, validated once so that encoding cannot fail.

use super::EncodeError;

/// An event type that can be written: not empty, no CR, no LF.
///
/// Build it once (it is `Copy`, and [`EventType::new`] is a `const fn`) and
/// reuse it for every event.
///
/// ```
/// use sse_proto::{EncodeError, EventType};
///
/// const PING: EventType<'static> = match EventType::new("ping") {
///     Ok(event_type) => event_type,
///     Err(_) => panic!("not a valid event type"),
/// };
/// assert_eq!(PING.as_str(), "ping");
/// assert_eq!(
///     EventType::new("a\nb"),
///     Err(EncodeError::LineBreakInEventType { position: 1 })
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventType<'a>(&'a str);

/// An event ID that can be written: no CR, no LF, no U+0000.
///
/// The empty ID is valid and meaningful: it resets the client's last event
/// ID, so that a reconnecting client sends no `Last-Event-ID`.
///
/// ```
/// use sse_proto::{EncodeError, EventId};
///
/// let id = EventId::new("42")?;
/// assert_eq!(id.as_str(), "42");
/// assert_eq!(EventId::new("").unwrap(), EventId::RESET);
/// assert_eq!(EventId::new("4\r2"), Err(EncodeError::LineBreakInId { position: 1 }));
/// assert_eq!(EventId::new("4\02"), Err(EncodeError::NulInId { position: 1 }));
/// # Ok::<(), EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId<'a>(&'a str);

impl<'a> EventType<'a> {
    /// Validates an event type.
    ///
    /// # Errors
    ///
    /// [`EncodeError::LineBreakInEventType`] if it contains CR or LF, and
    /// [`EncodeError::EmptyEventType`] if it is empty.
    pub const fn new(event_type: &'a str) -> Result<Self, EncodeError> {
        if event_type.is_empty() {
            return Err(EncodeError::EmptyEventType);
        }
        match first_of(event_type.as_bytes(), false) {
            Some(position) => Err(EncodeError::LineBreakInEventType { position }),
            None => Ok(Self(event_type)),
        }
    }

    /// The event type.
    #[must_use]
    pub const fn as_str(&self) -> &'a str {
        self.0
    }

    /// Whether this is `message`, the type a client assumes when none is
    /// written.
    ///
    /// ```
    /// use sse_proto::EventType;
    ///
    /// assert!(EventType::new("message")?.is_default());
    /// assert!(!EventType::new("Message")?.is_default()); // types are case-sensitive
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.0 == crate::DEFAULT_EVENT_TYPE
    }
}

impl<'a> EventId<'a> {
    /// The empty ID: sent on its own, it resets the client's last event ID.
    pub const RESET: EventId<'static> = EventId("");

    /// Validates an event ID.
    ///
    /// # Errors
    ///
    /// [`EncodeError::LineBreakInId`] if it contains CR or LF, and
    /// [`EncodeError::NulInId`] if it contains U+0000 (whichever comes
    /// first).
    pub const fn new(id: &'a str) -> Result<Self, EncodeError> {
        let bytes = id.as_bytes();
        match first_of(bytes, true) {
            Some(position) if bytes[position] == 0 => Err(EncodeError::NulInId { position }),
            Some(position) => Err(EncodeError::LineBreakInId { position }),
            None => Ok(Self(id)),
        }
    }

    /// The ID.
    #[must_use]
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

/// The offset of the first CR or LF (or NUL, if `nul` is set) in `bytes`.
///
/// A plain loop so that validation can be `const`; IDs and types are short.
const fn first_of(bytes: &[u8], nul: bool) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' || b == b'\n' || (nul && b == 0) {
            return Some(i);
        }
        i += 1;
    }
    None
}
