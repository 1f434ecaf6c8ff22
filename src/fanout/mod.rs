//! The fan-out log: every event encoded once into a bounded ring, read by
//! any number of subscribers through cursors, resumed from `Last-Event-ID`.

// Maintainers: positions number the events published, from 1, one per
// publish, never reused; the ring holds the positions `oldest..next`, and
// eviction only ever removes the oldest, so a cursor (the next position it
// reads) below `oldest` has lagged, and the log never replays around a gap.
// The log keeps no state per subscriber: reading takes `&self`, so readers
// share a read lock. The ID of the newest evicted event is kept as the
// window's *boundary*: a client whose last event was exactly that one missed
// nothing that is gone, so it resumes with everything held.

mod batch;
mod cursor;
mod error;
mod heartbeat;
mod ids;

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ops::Range;

pub use batch::Batch;
pub use cursor::{Cursor, Resume};
pub use error::{Lagged, PublishError};
pub use heartbeat::Heartbeat;
pub use ids::{IdScheme, Missing, Sequence, Window};

use crate::{EventId, Message};

/// The shared, immutable bytes of one encoded event, as the log hands them
/// to subscribers: cloning one must be cheap, since every subscriber clones
/// every event.
///
/// Implemented for every type with these traits: `Arc<[u8]>` (the default;
/// a clone is one reference count increment), `bytes::Bytes` (the same, and
/// what hyper writes), and `Vec<u8>` (a clone copies; for tests, or for a
/// single subscriber).
///
/// ```
/// use std::sync::Arc;
/// use sse_proto::{EventLog, Message, Sequence};
///
/// let mut shared = EventLog::new(10, 1024); // Arc<[u8]>
/// let mut copied = EventLog::<Vec<u8>>::with_ids(10, 1024, Sequence);
/// let (mut a, mut b) = (shared.subscribe(), copied.subscribe());
/// shared.publish(Message::new("x"))?;
/// copied.publish(Message::new("x"))?;
/// let from_shared: Vec<Arc<[u8]>> = shared.read(&mut a, usize::MAX)?.cloned().collect();
/// let from_copied: Vec<Vec<u8>> = copied.read(&mut b, usize::MAX)?.cloned().collect();
/// assert_eq!(&*from_shared[0], &from_copied[0][..]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait SharedBytes: Clone + AsRef<[u8]> + From<Vec<u8>> {}

impl<T: Clone + AsRef<[u8]> + From<Vec<u8>>> SharedBytes for T {}

/// A bounded log of sent events for fan-out and resumption: each published
/// [`Message`] is encoded once into a ring bounded by count and bytes, and
/// every subscriber reads the encoded bytes through its own [`Cursor`].
///
/// - [`publish`](Self::publish) encodes and stores an event, naming it
///   (`1`, `2`, `3`... by default, see [`IdScheme`]) if it has no ID, and
///   evicts the oldest events to stay within both bounds;
/// - [`subscribe`](Self::subscribe), [`oldest`](Self::oldest) and
///   [`resume`](Self::resume) (from a `Last-Event-ID`) start cursors;
/// - [`read`](Self::read) gives a cursor the events it has not read, ready
///   to write, or [`Lagged`] when the ring has passed it.
///
/// It reads no clock, does no IO and keeps nothing per subscriber (a cursor
/// is 8 bytes the subscriber owns), so reading takes `&self`: share the log
/// behind a `RwLock`, publish under the write lock, read under the read lock,
/// take the chunks out (a clone each) and write them after unlocking.
/// [`Heartbeat`] says when an idle stream needs a keep-alive comment.
///
/// # Examples
///
/// ```
/// use sse_proto::{EventId, EventLog, EventType, Message, Resume};
///
/// let mut log = EventLog::new(1000, 1 << 20);
/// let mut live = log.subscribe();
/// log.publish(Message::new("first"))?;
/// log.publish(Message::new("42.5").event_type(EventType::new("price")?))?;
///
/// let mut out = Vec::new();
/// log.read(&mut live, usize::MAX)?.copy_into(&mut out);
/// assert_eq!(out, b"id: 1\ndata: first\n\nevent: price\nid: 2\ndata: 42.5\n\n");
///
/// // A browser reconnects with `Last-Event-ID: 1`: it gets event 2, then live ones.
/// let Resume::Found(mut resumed) = log.resume(EventId::new("1")?) else { panic!() };
/// assert_eq!(log.read(&mut resumed, usize::MAX)?.len(), 1);
/// assert_eq!(log.resume(EventId::new("77")?), Resume::Unknown);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct EventLog<C = Arc<[u8]>, I = Sequence> {
    entries: VecDeque<Entry<C>>,
    /// The position of `entries[0]`; of the next event when none is held.
    oldest: u64,
    /// Bytes of the held chunks.
    held_bytes: usize,
    /// The ID of the newest evicted event, when it had one.
    boundary: Option<String>,
    max_events: usize,
    max_bytes: usize,
    ids: I,
    /// Scratch space for assigned IDs, reused.
    id_buf: String,
}

/// One held event: its encoding, and where its ID is in it.
#[derive(Debug, Clone)]
struct Entry<C> {
    chunk: C,
    id: Option<Range<usize>>,
}

impl<C> Entry<C> {
    fn id(&self) -> Option<&str>
    where
        C: AsRef<[u8]>,
    {
        let bytes = self.chunk.as_ref().get(self.id.clone()?)?;
        core::str::from_utf8(bytes).ok()
    }

    fn len(&self) -> usize
    where
        C: AsRef<[u8]>,
    {
        self.chunk.as_ref().len()
    }
}

impl EventLog {
    /// An empty log holding at most `max_events` events (at least one) and
    /// at most `max_bytes` bytes of encoded events, naming events by
    /// [`Sequence`] and sharing them as `Arc<[u8]>`. Allocates nothing until
    /// the first publish.
    ///
    /// ```
    /// let log = sse_proto::EventLog::new(1000, 1 << 20);
    /// assert!(log.is_empty());
    /// assert_eq!((log.max_events(), log.max_bytes()), (1000, 1 << 20));
    /// ```
    #[must_use]
    pub fn new(max_events: usize, max_bytes: usize) -> Self {
        Self::with_ids(max_events, max_bytes, Sequence)
    }
}

impl<C: SharedBytes, I: IdScheme> EventLog<C, I> {
    /// An empty log like [`new`](EventLog::new), with chunks of type `C`
    /// and IDs from `ids`.
    ///
    /// ```
    /// use sse_proto::{EventLog, Sequence};
    ///
    /// // Chunks that a hyper or axum body can take as they are would be
    /// // `bytes::Bytes`; here, plain vectors.
    /// let log = EventLog::<Vec<u8>>::with_ids(10, 1024, Sequence);
    /// assert_eq!(log.next_position(), 1);
    /// ```
    #[must_use]
    pub fn with_ids(max_events: usize, max_bytes: usize, ids: I) -> Self {
        Self {
            entries: VecDeque::new(),
            oldest: 1,
            held_bytes: 0,
            boundary: None,
            max_events: max_events.max(1),
            max_bytes,
            ids,
            id_buf: String::new(),
        }
    }

    /// Encodes `message` once, stores it as the newest event and returns its
    /// position. A message without an ID gets one from the [`IdScheme`]
    /// (its position in decimal, by default).
    ///
    /// The oldest events are evicted as needed to stay within both bounds;
    /// cursors that had not read them will get [`Lagged`].
    ///
    /// # Errors
    ///
    /// [`PublishError::TooLarge`] if the encoding is larger than
    /// `max_bytes`; nothing changes then.
    ///
    /// ```
    /// use sse_proto::{EventId, EventLog, Message};
    ///
    /// let mut log = EventLog::new(2, 1024);
    /// assert_eq!(log.publish(Message::new("a"))?, 1);
    /// // An ID of its own (from another store, say) is kept as it is.
    /// assert_eq!(log.publish(Message::new("b").id(EventId::new("x-7")?))?, 2);
    /// assert_eq!(log.newest_id(), Some("x-7"));
    /// log.publish(Message::new("c"))?; // evicts event 1
    /// assert_eq!((log.len(), log.evicted(), log.newest_id()), (2, 1, Some("3")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn publish(&mut self, message: Message<'_>) -> Result<u64, PublishError> {
        // Taken out so that an assigned ID can borrow it while `self` changes.
        let mut id_buf = core::mem::take(&mut self.id_buf);
        let position = self.next_position();
        let message = match message.id_of() {
            Some(_) => message,
            None => match self.ids.assign(position, &mut id_buf) {
                Some(id) => message.id(id),
                None => message,
            },
        };
        let stored = self.store(message);
        self.id_buf = id_buf;
        stored.map(|()| position)
    }

    /// Encodes `message` as the newest event, evicting to make room.
    fn store(&mut self, message: Message<'_>) -> Result<(), PublishError> {
        let size = message.encoded_len();
        if size > self.max_bytes {
            return Err(PublishError::TooLarge {
                size,
                max_bytes: self.max_bytes,
            });
        }
        while self.entries.len() >= self.max_events
            || self.held_bytes.saturating_add(size) > self.max_bytes
        {
            self.evict_oldest();
        }
        let mut encoded = Vec::with_capacity(size);
        message.encode(&mut encoded);
        let id = message.id_of().and_then(|id| find_id(&encoded, id));
        self.held_bytes += encoded.len();
        self.entries.push_back(Entry {
            chunk: C::from(encoded),
            id,
        });
        Ok(())
    }

    /// A cursor for a new subscriber: it reads only events published from
    /// now on.
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(10, 1024);
    /// log.publish(Message::new("before"))?;
    /// let (mut live, mut everything) = (log.subscribe(), log.oldest());
    /// log.publish(Message::new("after"))?;
    /// assert_eq!(log.read(&mut live, usize::MAX)?.len(), 1);
    /// assert_eq!(log.read(&mut everything, usize::MAX)?.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn subscribe(&self) -> Cursor {
        Cursor {
            next: self.next_position(),
        }
    }

    /// A cursor that reads every event held, oldest first, then live ones:
    /// for a new subscriber that wants the recent history, or one that
    /// [`Lagged`] and carries on from what is left (see
    /// [`subscribe`](Self::subscribe)).
    #[must_use]
    pub fn oldest(&self) -> Cursor {
        Cursor { next: self.oldest }
    }

    /// A cursor that reads the newest `count` events held (all of them if
    /// fewer are held), then live ones: a little context for a new
    /// subscriber.
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(10, 1024);
    /// for data in ["a", "b", "c"] {
    ///     log.publish(Message::new(data))?;
    /// }
    /// assert_eq!(log.recent(2).position(), 2);
    /// assert_eq!(log.recent(5), log.oldest());
    /// assert_eq!(log.recent(0), log.subscribe());
    /// # Ok::<(), sse_proto::PublishError>(())
    /// ```
    #[must_use]
    pub fn recent(&self, count: usize) -> Cursor {
        let skip = self.entries.len().saturating_sub(count);
        Cursor {
            next: self.oldest + skip as u64,
        }
    }

    /// A cursor for a reconnecting client that sent `Last-Event-ID`: just
    /// after that event when the log can tell where it is, or why not.
    ///
    /// The ID of the newest evicted event also resumes (everything held is
    /// replayed): that client missed nothing that is gone; so does an ID the
    /// [`IdScheme`] places at position 0 (`0`, with [`Sequence`]) while no
    /// event has been evicted. The empty ID is
    /// always [`Resume::Unknown`]: a browser sends no `Last-Event-ID` when
    /// it has none, so such a client is new.
    ///
    /// Allocates nothing; takes constant time for IDs the [`IdScheme`]
    /// places, otherwise time linear in the number of events held.
    ///
    /// ```
    /// use sse_proto::{EventId, EventLog, Message, Resume};
    ///
    /// let mut log = EventLog::new(2, 1024);
    /// for data in ["a", "b", "c", "d"] {
    ///     log.publish(Message::new(data))?;
    /// }
    /// let position = |resume| match resume {
    ///     Resume::Found(cursor) => Ok(cursor.position()),
    ///     other => Err(other),
    /// };
    /// assert_eq!(position(log.resume(EventId::new("4")?)), Ok(5)); // up to date
    /// assert_eq!(position(log.resume(EventId::new("3")?)), Ok(4));
    /// assert_eq!(position(log.resume(EventId::new("2")?)), Ok(3)); // the newest evicted
    /// assert_eq!(position(log.resume(EventId::new("1")?)), Err(Resume::Evicted));
    /// assert_eq!(position(log.resume(EventId::RESET)), Err(Resume::Unknown));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resume(&self, last_event_id: EventId<'_>) -> Resume {
        let id = last_event_id.as_str();
        if id.is_empty() {
            return Resume::Unknown;
        }
        let placed = self.ids.position(id);
        if let Some(position) = placed {
            if self.id_at(position) == Some(id) {
                return Resume::Found(Cursor { next: position + 1 });
            }
        }
        let held = self.entries.iter().rposition(|e| e.id() == Some(id));
        if let Some(index) = held {
            return Resume::Found(Cursor {
                next: self.oldest + index as u64 + 1,
            });
        }
        if self.boundary.as_deref() == Some(id) {
            return Resume::Found(self.oldest());
        }
        // Before the first event: nothing the client saw is gone.
        if placed == Some(0) && self.evicted() == 0 {
            return Resume::Found(self.oldest());
        }
        match self.ids.missing(id, self.window()) {
            Missing::Evicted => Resume::Evicted,
            Missing::Unknown => Resume::Unknown,
        }
    }

    /// The events `cursor` has not read, ready to write, and the cursor
    /// moved past them.
    ///
    /// Whole events only: at least one when any is pending (even if it is
    /// larger than `max_bytes`), and no more than fit in `max_bytes`
    /// together. An empty batch means the cursor is caught up: wait for the
    /// next publish. Allocates nothing.
    ///
    /// # Errors
    ///
    /// [`Lagged`] when events the cursor had not read were evicted; the
    /// cursor does not move.
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(10, 1024);
    /// let mut cursor = log.subscribe();
    /// for data in ["a", "b", "c"] {
    ///     log.publish(Message::new(data))?; // 15 bytes each
    /// }
    /// assert_eq!(log.read(&mut cursor, 40)?.len(), 2);
    /// assert_eq!(log.read(&mut cursor, 1)?.len(), 1); // one, even past the limit
    /// assert!(log.read(&mut cursor, 40)?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(&self, cursor: &mut Cursor, max_bytes: usize) -> Result<Batch<'_, C>, Lagged> {
        if cursor.next < self.oldest {
            return Err(Lagged {
                missed: self.oldest - cursor.next,
            });
        }
        // A cursor from another log may point past the end: nothing to read.
        let start = usize::try_from(cursor.next - self.oldest)
            .unwrap_or(usize::MAX)
            .min(self.entries.len());
        let mut count = 0;
        let mut bytes: usize = 0;
        for entry in self.entries.range(start..) {
            let len = entry.len();
            if count > 0 && bytes.saturating_add(len) > max_bytes {
                break;
            }
            count += 1;
            bytes += len;
        }
        cursor.next += count as u64;
        Ok(Batch::new(self.entries.range(start..start + count), bytes))
    }

    /// Whether `cursor` has read every event published (a read would give
    /// an empty batch). The condition a subscriber waits on; a lagged
    /// cursor is not caught up.
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(10, 1024);
    /// let mut cursor = log.subscribe();
    /// assert!(log.is_caught_up(&cursor));
    /// log.publish(Message::new("a"))?;
    /// assert!(!log.is_caught_up(&cursor));
    /// let _ = log.read(&mut cursor, usize::MAX)?;
    /// assert!(log.is_caught_up(&cursor));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_caught_up(&self, cursor: &Cursor) -> bool {
        cursor.next >= self.next_position()
    }

    /// The ID of the event at `position`, while it is held and has one.
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(10, 1024);
    /// let position = log.publish(Message::new("a"))?;
    /// assert_eq!(log.id_at(position), Some("1"));
    /// assert_eq!(log.id_at(position + 1), None);
    /// # Ok::<(), sse_proto::PublishError>(())
    /// ```
    #[must_use]
    pub fn id_at(&self, position: u64) -> Option<&str> {
        let index = usize::try_from(position.checked_sub(self.oldest)?).ok()?;
        self.entries.get(index)?.id()
    }

    /// The ID of the newest event held, if it has one: a subscriber whose
    /// last ID is this one is up to date.
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(10, 1024);
    /// assert_eq!(log.newest_id(), None);
    /// log.publish(Message::new("a"))?;
    /// assert_eq!(log.newest_id(), Some("1"));
    /// # Ok::<(), sse_proto::PublishError>(())
    /// ```
    #[must_use]
    pub fn newest_id(&self) -> Option<&str> {
        self.entries.back()?.id()
    }

    /// The number of events held (at most `max_events`).
    ///
    /// ```
    /// use sse_proto::{EventLog, Message};
    ///
    /// let mut log = EventLog::new(2, 1024);
    /// for data in ["a", "b", "c"] {
    ///     log.publish(Message::new(data))?;
    /// }
    /// assert_eq!((log.len(), log.evicted()), (2, 1));
    /// assert_eq!((log.oldest_position(), log.next_position()), (2, 4));
    /// assert_eq!(log.bytes(), 2 * "id: 2\ndata: b\n\n".len());
    /// assert!(!log.is_empty());
    /// # Ok::<(), sse_proto::PublishError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no event is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The encoded bytes held, exactly what subscribers write: never more
    /// than `max_bytes`. Not counted: a slot of 40 bytes per event (on
    /// 64-bit targets, with `Arc<[u8]>` chunks), each chunk's allocation
    /// header, and the ID of the newest evicted event.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.held_bytes
    }

    /// How many events have been evicted since the log was created.
    #[must_use]
    pub fn evicted(&self) -> u64 {
        self.oldest - 1
    }

    /// The position of the oldest event held (of the next one, when none
    /// is held).
    #[must_use]
    pub fn oldest_position(&self) -> u64 {
        self.oldest
    }

    /// The position the next published event takes: one more than the
    /// number of events published so far.
    #[must_use]
    pub fn next_position(&self) -> u64 {
        self.oldest + self.entries.len() as u64
    }

    /// The most events held at once.
    #[must_use]
    pub fn max_events(&self) -> usize {
        self.max_events
    }

    /// The most encoded bytes held at once.
    #[must_use]
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The ID scheme.
    #[must_use]
    pub fn ids(&self) -> &I {
        &self.ids
    }

    /// What the log holds, as the [`IdScheme`] sees it.
    fn window(&self) -> Window<'_> {
        Window {
            oldest: self.oldest,
            next: self.next_position(),
            oldest_id: self.entries.front().and_then(Entry::id),
            evicted: self.evicted(),
        }
    }

    /// Drops the oldest event, keeping its ID as the boundary.
    fn evict_oldest(&mut self) {
        let Some(oldest) = self.entries.pop_front() else {
            return;
        };
        self.held_bytes -= oldest.len();
        self.oldest += 1;
        match (oldest.id(), &mut self.boundary) {
            (Some(id), Some(boundary)) => {
                boundary.clear();
                boundary.push_str(id);
            }
            (Some(id), none) => *none = Some(id.into()),
            (None, boundary) => *boundary = None,
        }
    }
}

/// Where the value of the `id` line is in an encoded message: the first line
/// that starts with `id:` (an `event:` line cannot, and `data:` lines come
/// after it).
fn find_id(encoded: &[u8], id: EventId<'_>) -> Option<Range<usize>> {
    let mut start = 0;
    while let Some(line) = encoded.get(start..) {
        if line.starts_with(b"id:") {
            let value = if id.as_str().is_empty() { 3 } else { 4 };
            let range = start + value..start + value + id.as_str().len();
            return (encoded.get(range.clone()) == Some(id.as_str().as_bytes())).then_some(range);
        }
        start += line.iter().position(|&b| b == b'\n')? + 1;
    }
    None
}
