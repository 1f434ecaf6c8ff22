//! The resumption buffer: a bounded history of sent events that answers a
//! reconnecting client's `Last-Event-ID`.

// Maintainers: the buffer is a window over the stream's most recent events,
// oldest first. It must never replay around a gap, so eviction only ever
// removes the oldest entry, and an event too large to hold empties the window
// (the client that needs it cannot be resumed; every later client can). The
// ID of the newest evicted event is kept as the window's *boundary*: a client
// whose last event was exactly that one needs everything held, and nothing
// else, so it can still be resumed. The boundary counts toward `max_bytes`,
// but held events come first: it is forgotten when they need its room.

use alloc::boxed::Box;
use alloc::collections::vec_deque::{self, VecDeque};
use alloc::string::String;
use core::iter::FusedIterator;

use crate::Event;

/// A bounded history of recently sent events, for resuming a client that
/// reconnects with a `Last-Event-ID`.
///
/// A server records each event it sends with [`push`](Self::push); when a
/// client reconnects, [`resume`](Self::resume) with the ID it sent returns the
/// events it missed, or says that they are no longer available and the client
/// must be resynchronised (sent the current state afresh).
///
/// The buffer holds at most `max_events` events and at most `max_bytes` bytes
/// of event IDs, types and data (plus the ID of the newest evicted event, see
/// [`resume`](Self::resume)); pushing past either bound evicts the oldest
/// events. Each held event costs one allocation of its exact size, plus a
/// slot of 32 bytes (on 64-bit targets) in a ring buffer, not counted in
/// `max_bytes`. Lookups allocate nothing. It reads no clock and does no IO:
/// share it behind a `Mutex` and copy what you need out before writing to a
/// slow socket.
///
/// IDs are opaque strings compared exactly; give each event a unique,
/// non-empty ID (increasing integers are the usual choice).
///
/// # Examples
///
/// ```
/// use sse_proto::{ResumeBuffer, Resume};
///
/// let mut history = ResumeBuffer::new(100, 64 * 1024);
/// history.push("1", "message", "first");
/// history.push("2", "price", "42.5");
/// history.push("3", "message", "line one\nline two");
///
/// // A client reconnects with `Last-Event-ID: 1`.
/// match history.resume("1") {
///     Resume::Replay(missed) => {
///         let ids: Vec<&str> = missed.map(|event| event.id).collect();
///         assert_eq!(ids, ["2", "3"]);
///     }
///     Resume::Unknown | Resume::Evicted => unreachable!("ID 1 is held"),
/// }
/// // An ID this buffer never held: resynchronise the client.
/// assert!(matches!(history.resume("99"), Resume::Unknown));
/// ```
#[derive(Debug, Clone)]
pub struct ResumeBuffer {
    entries: VecDeque<Entry>,
    /// Bytes of ID, type and data of the held entries.
    held_bytes: usize,
    /// The ID of the newest event no longer held, when it fits the budget.
    boundary: String,
    has_boundary: bool,
    evicted: u64,
    max_events: usize,
    max_bytes: usize,
}

/// One held event: ID, type and data in a single allocation.
#[derive(Debug, Clone)]
struct Entry {
    text: Box<str>,
    id_end: usize,
    type_end: usize,
}

/// The answer of [`ResumeBuffer::resume`] to a client's `Last-Event-ID`.
///
/// ```
/// use sse_proto::{Resume, ResumeBuffer};
///
/// let mut history = ResumeBuffer::new(1, 1024);
/// history.push("a1", "message", "x");
/// assert!(matches!(history.resume("b7"), Resume::Unknown)); // nothing evicted yet
/// history.push("a2", "message", "y"); // evicts a1
/// assert!(matches!(history.resume("b7"), Resume::Evicted)); // b7 may have been evicted
/// ```
#[derive(Debug, Clone)]
#[must_use = "a client that cannot be resumed must be resynchronised"]
pub enum Resume<'a> {
    /// The client can be resumed: send it these events, oldest first. Empty
    /// when the client had already seen the newest event.
    Replay(Replay<'a>),
    /// The ID was never held here and no event has been evicted yet, so it
    /// did not come from this buffer (a restarted process, another server, a
    /// forged header, or an empty ID). The server SHOULD resynchronise the
    /// client.
    Unknown,
    /// The ID is not held and older events have been evicted: the client was
    /// away too long and events it needs are gone. (IDs are opaque, so the
    /// buffer keeps no list of evicted ones; an unknown ID arriving after
    /// evictions is reported here too.) The server SHOULD resynchronise the
    /// client.
    Evicted,
}

/// The events a resumed client missed, oldest first: an iterator of borrowed
/// [`Event`]s whose `id` is each event's own ID. Allocates nothing.
///
/// ```
/// use sse_proto::{Resume, ResumeBuffer};
///
/// let mut history = ResumeBuffer::new(10, 1024);
/// history.push("1", "message", "a");
/// history.push("2", "price", "42.5");
/// let Resume::Replay(mut missed) = history.resume("1") else { panic!() };
/// assert_eq!(missed.len(), 1);
/// let event = missed.next().unwrap();
/// assert_eq!((event.id, event.event_type, event.data), ("2", "price", "42.5"));
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
#[derive(Debug, Clone)]
pub struct Replay<'a> {
    entries: vec_deque::Iter<'a, Entry>,
}

impl ResumeBuffer {
    /// Creates an empty buffer holding at most `max_events` events and at
    /// most `max_bytes` bytes of event IDs, types and data.
    ///
    /// It allocates nothing until the first push. With either bound `0` it
    /// holds no event, so only a client that saw the newest event can be
    /// resumed (none at all when `max_bytes` is `0`).
    ///
    /// ```
    /// let history = sse_proto::ResumeBuffer::new(1000, 1 << 20);
    /// assert!(history.is_empty());
    /// assert_eq!((history.max_events(), history.max_bytes()), (1000, 1 << 20));
    /// ```
    #[must_use]
    pub fn new(max_events: usize, max_bytes: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            held_bytes: 0,
            boundary: String::new(),
            has_boundary: false,
            evicted: 0,
            max_events,
            max_bytes,
        }
    }

    /// Records an event the server is sending, evicting the oldest events as
    /// needed to stay within both bounds.
    ///
    /// An event larger than `max_bytes` on its own cannot be held: it evicts
    /// everything, and only clients that received it can be resumed.
    ///
    /// ```
    /// use sse_proto::{Resume, ResumeBuffer};
    ///
    /// let mut history = ResumeBuffer::new(2, 1024);
    /// for id in ["1", "2", "3"] {
    ///     history.push(id, "message", "tick");
    /// }
    /// assert_eq!(history.len(), 2);
    /// assert_eq!(history.evicted(), 1);
    /// // A client that saw event 1 needs 2 and 3, both still held.
    /// assert!(matches!(history.resume("1"), Resume::Replay(missed) if missed.len() == 2));
    /// ```
    pub fn push(&mut self, id: &str, event_type: &str, data: &str) {
        let size = id.len() + event_type.len() + data.len();
        let fits = self.max_events > 0 && size <= self.max_bytes;
        while !self.entries.is_empty() {
            let room_for_one = self.entries.len() < self.max_events;
            if fits && room_for_one && self.held_bytes + size <= self.max_bytes {
                break;
            }
            self.evict_oldest();
        }
        if fits {
            self.entries.push_back(Entry::new(id, event_type, data));
            self.held_bytes += size;
        } else {
            self.evicted += 1;
            self.set_boundary(id);
        }
        // Events come first; the boundary is kept only while it fits.
        if self.bytes() > self.max_bytes {
            self.has_boundary = false;
        }
    }

    /// Answers a reconnecting client's `Last-Event-ID`: the events after it,
    /// or why they cannot be given.
    ///
    /// The newest held event with that ID counts. The ID of the newest
    /// evicted event also resumes (everything held is replayed): that client
    /// missed nothing that was dropped. An empty ID is always
    /// [`Resume::Unknown`]: browsers send no `Last-Event-ID` when they have
    /// none, and such a client is new, not reconnecting.
    ///
    /// Allocates nothing; takes time linear in the number of held events.
    ///
    /// ```
    /// use sse_proto::{Resume, ResumeBuffer};
    ///
    /// let mut history = ResumeBuffer::new(2, 1024);
    /// for id in ["1", "2", "3", "4"] {
    ///     history.push(id, "message", "tick");
    /// }
    /// assert!(matches!(history.resume("4"), Resume::Replay(missed) if missed.len() == 0));
    /// assert!(matches!(history.resume("2"), Resume::Replay(missed) if missed.len() == 2));
    /// assert!(matches!(history.resume("1"), Resume::Evicted));
    /// assert!(matches!(history.resume(""), Resume::Unknown)); // no header: a new client
    /// ```
    pub fn resume(&self, last_event_id: &str) -> Resume<'_> {
        if last_event_id.is_empty() {
            return Resume::Unknown;
        }
        let held = self.entries.iter().rposition(|e| e.id() == last_event_id);
        let start = match held {
            Some(index) => index + 1,
            None if self.has_boundary && self.boundary == last_event_id => 0,
            None if self.evicted == 0 => return Resume::Unknown,
            None => return Resume::Evicted,
        };
        Resume::Replay(Replay {
            entries: self.entries.range(start..),
        })
    }

    /// The held events, oldest first.
    ///
    /// ```
    /// let mut history = sse_proto::ResumeBuffer::new(10, 1024);
    /// history.push("7", "message", "hi");
    /// assert_eq!(history.iter().next().map(|event| event.data), Some("hi"));
    /// ```
    pub fn iter(&self) -> Replay<'_> {
        Replay {
            entries: self.entries.iter(),
        }
    }

    /// The ID of the newest event pushed, while the buffer knows it: when
    /// that event is held, or was too large to hold but its ID fits in
    /// `max_bytes`. `None` before the first push.
    ///
    /// A subscriber whose last ID equals this one is up to date.
    ///
    /// ```
    /// let mut history = sse_proto::ResumeBuffer::new(10, 16);
    /// assert_eq!(history.newest_id(), None);
    /// history.push("1", "message", "held");
    /// assert_eq!(history.newest_id(), Some("1"));
    /// history.push("2", "message", "far too large to be held");
    /// assert_eq!(history.newest_id(), Some("2"));
    /// assert!(history.is_empty());
    /// ```
    pub fn newest_id(&self) -> Option<&str> {
        match self.entries.back() {
            Some(entry) => Some(entry.id()),
            None if self.has_boundary => Some(&self.boundary),
            None => None,
        }
    }

    /// The number of events held (at most `max_events`).
    ///
    /// ```
    /// let mut history = sse_proto::ResumeBuffer::new(10, 1024);
    /// history.push("1", "message", "hi");
    /// assert_eq!(history.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no event is held.
    ///
    /// ```
    /// assert!(sse_proto::ResumeBuffer::new(10, 1024).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The bytes counted against `max_bytes`: the IDs, types and data of the
    /// held events, plus the ID of the newest evicted event when it is kept.
    /// Never more than `max_bytes`.
    ///
    /// ```
    /// let mut history = sse_proto::ResumeBuffer::new(10, 1024);
    /// history.push("12", "message", "hello");
    /// assert_eq!(history.bytes(), 2 + 7 + 5);
    /// ```
    pub fn bytes(&self) -> usize {
        let boundary = if self.has_boundary {
            self.boundary.len()
        } else {
            0
        };
        self.held_bytes + boundary
    }

    /// How many events have been evicted, or were too large to hold, since
    /// the buffer was created.
    ///
    /// ```
    /// let mut history = sse_proto::ResumeBuffer::new(1, 1024);
    /// history.push("1", "message", "a");
    /// history.push("2", "message", "b");
    /// assert_eq!(history.evicted(), 1);
    /// ```
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// The most events held at once.
    ///
    /// ```
    /// assert_eq!(sse_proto::ResumeBuffer::new(5, 100).max_events(), 5);
    /// ```
    pub fn max_events(&self) -> usize {
        self.max_events
    }

    /// The most bytes held at once (see [`bytes`](Self::bytes)).
    ///
    /// ```
    /// assert_eq!(sse_proto::ResumeBuffer::new(5, 100).max_bytes(), 100);
    /// ```
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Drops the oldest entry, making its ID the boundary.
    fn evict_oldest(&mut self) {
        if let Some(oldest) = self.entries.pop_front() {
            self.held_bytes -= oldest.text.len();
            self.evicted += 1;
            self.set_boundary(oldest.id());
        }
    }

    /// Remembers `id` as the newest evicted ID (reusing the allocation).
    fn set_boundary(&mut self, id: &str) {
        self.boundary.clear();
        // An ID that could never fit is not copied, so memory stays bounded.
        self.has_boundary = id.len() <= self.max_bytes;
        if self.has_boundary {
            self.boundary.push_str(id);
        }
    }
}

impl Entry {
    fn new(id: &str, event_type: &str, data: &str) -> Self {
        let mut text = String::with_capacity(id.len() + event_type.len() + data.len());
        text.push_str(id);
        text.push_str(event_type);
        text.push_str(data);
        Self {
            text: text.into_boxed_str(),
            id_end: id.len(),
            type_end: id.len() + event_type.len(),
        }
    }

    fn id(&self) -> &str {
        self.text.get(..self.id_end).unwrap_or_default()
    }

    fn event(&self) -> Event<'_> {
        Event {
            event_type: self
                .text
                .get(self.id_end..self.type_end)
                .unwrap_or_default(),
            data: self.text.get(self.type_end..).unwrap_or_default(),
            id: self.id(),
        }
    }
}

impl<'a> Iterator for Replay<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        self.entries.next().map(Entry::event)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl DoubleEndedIterator for Replay<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.entries.next_back().map(Entry::event)
    }
}

impl ExactSizeIterator for Replay<'_> {}
impl FusedIterator for Replay<'_> {}
