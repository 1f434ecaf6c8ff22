//! A subscriber's place in the log, and where a reconnecting client's
//! place is.

/// Where a subscriber is in an [`EventLog`](crate::EventLog): the position
/// of the next event it reads. 8 bytes, owned by the subscriber; the log
/// keeps no list of its cursors, so a dropped cursor costs nothing.
///
/// A cursor belongs to the log that made it.
///
/// ```
/// use sse_proto::{EventLog, Message};
///
/// let mut log = EventLog::new(10, 1024);
/// let cursor = log.subscribe();
/// log.publish(Message::new("a"))?;
/// assert_eq!(cursor.position(), 1);
/// assert!(!log.is_caught_up(&cursor));
/// # Ok::<(), sse_proto::PublishError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cursor {
    pub(super) next: u64,
}

/// The answer of [`EventLog::resume`](crate::EventLog::resume) to a
/// client's `Last-Event-ID`.
///
/// ```
/// use sse_proto::{EventId, EventLog, Message, Resume};
///
/// let mut log = EventLog::new(1, 1024);
/// log.publish(Message::new("a"))?;
/// assert_eq!(log.resume(EventId::new("b7")?), Resume::Unknown); // never issued
/// log.publish(Message::new("b"))?; // evicts event 1
/// log.publish(Message::new("c"))?; // evicts event 2
/// assert_eq!(log.resume(EventId::new("1")?), Resume::Evicted);
/// assert_eq!(log.resume(EventId::new("2")?), Resume::Found(log.oldest()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[must_use = "a client that cannot be resumed must be resynchronised"]
pub enum Resume {
    /// The client can be resumed: reading from this cursor gives the events
    /// after its last one (none if it had the newest), then live ones.
    Found(Cursor),
    /// The ID never came from this log: nothing evicted has it, or the
    /// [`IdScheme`](crate::IdScheme) says it was never issued (a restarted process, another
    /// server, a forged header, the empty ID). The server SHOULD
    /// resynchronise the client.
    Unknown,
    /// The ID named an event no longer held: the client was away too long
    /// and events it needs are gone. The server SHOULD resynchronise the
    /// client.
    Evicted,
}

impl Cursor {
    /// The position of the next event this cursor reads.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.next
    }
}
