//! How a log names its events and tells where a name it does not hold
//! went: the part of storage that a shared backend replaces.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt::Write as _;

use crate::EventId;

/// How an [`EventLog`](crate::EventLog) names the events published without
/// an ID, finds an ID fast, and tells a missing ID apart as unknown or
/// evicted.
///
/// The ring of encoded events stays in memory on every server instance
/// (fan-out that encodes once needs the bytes in the process); what a shared
/// backend replaces is the authority over IDs and the history beyond the
/// ring. A backend on an external store names its events itself and publishes
/// them with their ID set ([`Message::id`](crate::Message::id)), so
/// [`assign`](Self::assign) is not called for them; its
/// [`missing`](Self::missing) can compare its ordered IDs with the oldest
/// one held, and report older ones as [`Missing::Evicted`] so that the
/// caller fetches them from the store.
///
/// The default, [`Sequence`], names each event by its position: `1`, `2`,
/// `3`...
///
/// ```
/// use sse_proto::{EventId, EventLog, IdScheme, Message, Missing, Window};
///
/// /// IDs `a1`, `a2`, ...: a prefix tells this server's events apart.
/// #[derive(Debug)]
/// struct Prefixed;
///
/// impl IdScheme for Prefixed {
///     fn assign<'b>(&mut self, position: u64, buf: &'b mut String) -> Option<EventId<'b>> {
///         *buf = format!("a{position}");
///         EventId::new(buf).ok()
///     }
///     fn position(&self, id: &str) -> Option<u64> {
///         id.strip_prefix('a')?.parse().ok()
///     }
///     fn missing(&self, id: &str, window: Window<'_>) -> Missing {
///         match self.position(id) {
///             Some(position) if position < window.oldest => Missing::Evicted,
///             _ => Missing::Unknown,
///         }
///     }
/// }
///
/// let mut log: EventLog<Vec<u8>, Prefixed> = EventLog::with_ids(10, 1024, Prefixed);
/// log.publish(Message::new("hi"))?;
/// assert_eq!(log.newest_id(), Some("a1"));
/// # Ok::<(), sse_proto::PublishError>(())
/// ```
pub trait IdScheme {
    /// The ID of an event published without one, about to be stored at
    /// `position`; `buf` is scratch space to build it in (it may hold an
    /// earlier ID). `None` publishes the event without an ID: clients
    /// cannot resume from it.
    ///
    /// May be called again for the same position if publishing failed.
    fn assign<'b>(&mut self, position: u64, buf: &'b mut String) -> Option<EventId<'b>>;

    /// Where the event named `id` is, if the name alone says so: a fast
    /// path for resuming, which the log checks against the ID it holds at
    /// that position. `None` makes the log search the IDs it holds.
    ///
    /// Position 0 is just before the first event ever published: while
    /// that event is held (none has been evicted), an ID placed at 0 that
    /// no held event carries resumes with every event held.
    fn position(&self, id: &str) -> Option<u64>;

    /// Why `id`, which the log does not hold (nor is it the newest evicted
    /// one), is missing.
    fn missing(&self, id: &str, window: Window<'_>) -> Missing;
}

/// A boxed scheme is a scheme, so that a caller can erase its type: an
/// `EventLog<C, Box<dyn IdScheme + Send + Sync>>` takes any scheme chosen at
/// run time.
///
/// ```
/// use sse_proto::{EventLog, IdScheme, Message, Sequence};
///
/// let ids: Box<dyn IdScheme + Send + Sync> = Box::new(Sequence);
/// let mut log: EventLog<Vec<u8>, _> = EventLog::with_ids(10, 1024, ids);
/// log.publish(Message::new("a"))?;
/// assert_eq!(log.newest_id(), Some("1"));
/// # Ok::<(), sse_proto::PublishError>(())
/// ```
impl<T: IdScheme + ?Sized> IdScheme for Box<T> {
    fn assign<'b>(&mut self, position: u64, buf: &'b mut String) -> Option<EventId<'b>> {
        (**self).assign(position, buf)
    }

    fn position(&self, id: &str) -> Option<u64> {
        (**self).position(id)
    }

    fn missing(&self, id: &str, window: Window<'_>) -> Missing {
        (**self).missing(id, window)
    }
}

/// What a log holds, as [`IdScheme::missing`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Window<'a> {
    /// The position of the oldest event held (equal to `next` when none is).
    pub oldest: u64,
    /// The position the next published event takes.
    pub next: u64,
    /// The ID of the oldest event held, when it has one.
    pub oldest_id: Option<&'a str>,
    /// How many events have been evicted since the log was created.
    pub evicted: u64,
}

/// Why an ID cannot be resumed from, as an [`IdScheme`] judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Missing {
    /// The ID never came from this log: see
    /// [`Resume::Unknown`](crate::Resume::Unknown).
    Unknown,
    /// The ID named an event no longer held: see
    /// [`Resume::Evicted`](crate::Resume::Evicted).
    Evicted,
}

/// The default [`IdScheme`]: each event published without an ID is named by
/// its position in decimal, `1`, `2`, `3`..., so resuming needs no search.
///
/// `0` names the moment before event 1: it resumes with every event while
/// event 1 is held. A missing decimal ID below the oldest position held (`0`
/// included, once event 1 is evicted) is [`Missing::Evicted`]; one at or past
/// it is [`Missing::Unknown`]: it came from elsewhere, such as an earlier run
/// of a restarted server that has not yet published as many events. Any ID
/// that is not a canonical decimal (`07`, `+7`, `b7`, one past `u64::MAX`)
/// is [`Missing::Unknown`]: `Sequence` never issues one. A caller who sets
/// IDs of its own, and wants those it no longer holds told apart as evicted,
/// should give the log a scheme that knows them.
///
/// ```
/// use sse_proto::{EventId, EventLog, Message, Resume};
///
/// let mut log = EventLog::new(2, 1024);
/// for data in ["a", "b", "c", "d"] {
///     log.publish(Message::new(data))?;
/// }
/// assert_eq!(log.newest_id(), Some("4"));
/// assert_eq!(log.resume(EventId::new("1")?), Resume::Evicted);
/// assert_eq!(log.resume(EventId::new("0")?), Resume::Evicted);
/// assert_eq!(log.resume(EventId::new("9")?), Resume::Unknown);
/// assert_eq!(log.resume(EventId::new("b7")?), Resume::Unknown);
///
/// let mut fresh = EventLog::new(2, 1024);
/// fresh.publish(Message::new("a"))?;
/// assert_eq!(fresh.resume(EventId::new("0")?), Resume::Found(fresh.oldest()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Sequence;

impl IdScheme for Sequence {
    fn assign<'b>(&mut self, position: u64, buf: &'b mut String) -> Option<EventId<'b>> {
        buf.clear();
        // Writing to a String cannot fail, and digits are a valid ID.
        let _ = write!(buf, "{position}");
        EventId::new(buf).ok()
    }

    fn position(&self, id: &str) -> Option<u64> {
        let canonical = !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_digit())
            && (id == "0" || !id.starts_with('0'));
        if canonical {
            id.parse().ok()
        } else {
            None
        }
    }

    fn missing(&self, id: &str, window: Window<'_>) -> Missing {
        match self.position(id) {
            Some(position) if position < window.oldest => Missing::Evicted,
            // Not yet issued, or not canonical: never issued by `Sequence`.
            _ => Missing::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_decimals_have_a_position() {
        let cases = [("7", Some(7)), ("0", Some(0)), ("07", None), ("+7", None)];
        for (id, position) in cases {
            assert_eq!(Sequence.position(id), position, "{id:?}");
        }
        assert_eq!(Sequence.position("18446744073709551616"), None);
    }
}
