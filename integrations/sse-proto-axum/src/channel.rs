//! The channel: one shared history ring, published to from anywhere, read
//! by every subscription at its own position.

// Maintainers: every use of the core `EventLog` is in this file and
// `subscription.rs` (the reads), so that a shared backend (issue 20) replaces
// one module. Locks are held only for a publish or a read of chunks that are
// clones of `Bytes` (an atomic increment), never across a wait or a write to
// a socket. Wakers live in a slab with one slot per subscription, so memory
// stays one slot per live subscriber however often streams wait.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};
use std::task::Waker;

use bytes::Bytes;
use sse_proto::{
    EventId, EventLog, IdScheme, Message, Missing, PublishError, Resume, Sequence, Window,
};
use tokio::time::Instant;

use crate::subscription::{Start, Subscription};
use crate::{Config, SendError};

/// A cheap-to-clone handle to one stream of events: publish to it from any
/// thread or task, subscribe browsers to it.
///
/// Each event is encoded once, into a history ring bounded by
/// [`Config::max_events`] and [`Config::max_bytes`]; every subscriber
/// writes the same bytes from its own position in the ring (8 bytes), so
/// fan-out costs no encoding and no copy per subscriber, and a slow or
/// stuck subscriber holds no queue: the ring passes it and it is
/// resynchronised or closed ([`OnLag`](crate::OnLag)).
///
/// # Examples
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_axum::Channel;
///
/// let channel = Channel::new();
/// assert_eq!(channel.publish(Message::new("first"))?, 1);
/// assert_eq!(channel.publish(Message::new("second"))?, 2);
/// assert_eq!(channel.len(), 2);
/// # Ok::<(), sse_proto_axum::SendError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Channel {
    shared: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) log: RwLock<EventLog<Bytes, Ids>>,
    pub(crate) config: Config,
    /// The log's next position, readable without the lock: a subscription
    /// whose cursor is here has nothing to read.
    next_position: AtomicU64,
    closed: AtomicBool,
    /// When the newest event was published, in nanoseconds since `origin`:
    /// the time a subscriber sending it counts as its last write, so that
    /// sending an event reads no clock.
    last_publish: AtomicU64,
    pub(crate) origin: Instant,
    waiters: Mutex<Waiters>,
}

/// One waker slot per subscription.
#[derive(Debug, Default)]
struct Waiters {
    slots: Vec<Option<Waker>>,
    free: Vec<usize>,
}

impl Channel {
    /// A channel with the default [`Config`] (1,000 events, 4 MiB of history,
    /// a heartbeat every 15 s).
    ///
    /// ```
    /// let channel = sse_proto_axum::Channel::new();
    /// assert!(channel.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_config(Config::new())
    }

    /// A channel with these settings.
    ///
    /// ```
    /// use sse_proto_axum::{Channel, Config};
    ///
    /// let channel = Channel::with_config(Config::new().max_events(10));
    /// assert_eq!(channel.config().max_events, 10);
    /// ```
    #[must_use]
    pub fn with_config(config: Config) -> Self {
        Self::with_ids(config, Sequence)
    }

    /// A channel whose events are named by `ids` rather than numbered 1, 2,
    /// 3... (see [`IdScheme`]): the part of the history a shared backend
    /// replaces, so that IDs issued by one server resume on another.
    /// Messages that carry their own ID keep it whatever the scheme.
    ///
    /// ```
    /// use sse_proto::{Message, Sequence};
    /// use sse_proto_axum::{Channel, Config};
    ///
    /// let channel = Channel::with_ids(Config::new(), Sequence);
    /// assert_eq!(channel.publish(Message::new("a")), Ok(1));
    /// ```
    #[must_use]
    pub fn with_ids(config: Config, ids: impl IdScheme + Send + Sync + 'static) -> Self {
        let ids = Ids(Box::new(ids));
        let log = EventLog::with_ids(config.max_events, config.max_bytes, ids);
        let next = log.next_position();
        Self {
            shared: Arc::new(Shared {
                log: RwLock::new(log),
                config,
                next_position: AtomicU64::new(next),
                closed: AtomicBool::new(false),
                last_publish: AtomicU64::new(0),
                origin: Instant::now(),
                waiters: Mutex::new(Waiters::default()),
            }),
        }
    }

    /// Encodes `message` once into the history and wakes every subscriber.
    /// Returns the event's position, which is also its ID when the message
    /// has none of its own: 1 for the first event, then 2, 3...
    ///
    /// Never waits for a subscriber: callable from sync code (a thread, a
    /// blocking task) or async code alike.
    ///
    /// # Errors
    ///
    /// [`SendError::Closed`] after [`close`](Self::close);
    /// [`SendError::TooLarge`] when the encoded event exceeds
    /// [`Config::max_bytes`] (nothing is published then).
    ///
    /// ```
    /// use sse_proto::{EventId, EventType, Message};
    /// use sse_proto_axum::{Channel, Config, SendError};
    ///
    /// let channel = Channel::new();
    /// let update = Message::new("{\"price\":42}").event_type(EventType::new("price")?);
    /// assert_eq!(channel.publish(update), Ok(1));
    ///
    /// let small = Channel::with_config(Config::new().max_bytes(16));
    /// assert!(matches!(small.publish(Message::new("far too long for 16 bytes")), Err(SendError::TooLarge { .. })));
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub fn publish(&self, message: Message<'_>) -> Result<u64, SendError> {
        if self.is_closed() {
            return Err(SendError::Closed);
        }
        let now = self.shared.elapsed_nanos();
        let position = {
            let mut log = self
                .shared
                .log
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let position = log.publish(message).map_err(|error| match error {
                PublishError::TooLarge { size, max_bytes } => {
                    SendError::TooLarge { size, max_bytes }
                }
                _ => SendError::Rejected,
            })?;
            self.shared.last_publish.store(now, Ordering::Release);
            self.shared
                .next_position
                .store(log.next_position(), Ordering::Release);
            position
        };
        self.shared.wake_all();
        Ok(position)
    }

    /// A subscription for a client that sent this `Last-Event-ID` (`None`
    /// or empty: a new client, which gets live events only).
    ///
    /// A held ID resumes just after that event: everything retained after
    /// it, then live. An ID this channel cannot resume from (never issued
    /// here, or evicted) first gets an event of type `resync` whose data is
    /// `{"reason":"unknown"}` or `{"reason":"evicted"}`, then every event
    /// still held, then live ones. With numbered IDs, `0` means "before the
    /// first event": everything, while event 1 is held.
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_axum::Channel;
    ///
    /// let channel = Channel::new();
    /// channel.publish(Message::new("a"))?;
    /// let resumed = channel.subscribe(Some("1"));
    /// assert_eq!(channel.subscribers(), 1);
    /// drop(resumed);
    /// assert_eq!(channel.subscribers(), 0);
    /// # Ok::<(), sse_proto_axum::SendError>(())
    /// ```
    pub fn subscribe(&self, last_event_id: Option<&str>) -> Subscription {
        let start = {
            let log = self.shared.read_log();
            match last_event_id.filter(|id| !id.is_empty()) {
                None => Start::Live(log.subscribe()),
                Some(id) => start_after(&log, id),
            }
        };
        let slot = self.shared.lock_waiters().insert();
        Subscription::new(Arc::clone(&self.shared), slot, start)
    }

    /// Ends every subscription once it has sent what was published before
    /// this call, and refuses further publishing. For a graceful shutdown,
    /// call it from the future given to axum's `with_graceful_shutdown`:
    /// the server then finishes once every stream has ended.
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_axum::{Channel, SendError};
    ///
    /// let channel = Channel::new();
    /// channel.close();
    /// assert!(channel.is_closed());
    /// assert_eq!(channel.publish(Message::new("late")), Err(SendError::Closed));
    /// ```
    pub fn close(&self) {
        self.shared.closed.store(true, Ordering::Release);
        self.shared.wake_all();
    }

    /// Whether [`close`](Self::close) was called.
    ///
    /// ```
    /// assert!(!sse_proto_axum::Channel::new().is_closed());
    /// ```
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }

    /// How many subscriptions are alive. A client that disconnects is
    /// counted out as soon as the server drops its response body.
    ///
    /// ```
    /// let channel = sse_proto_axum::Channel::new();
    /// let subscription = channel.subscribe(None);
    /// assert_eq!(channel.subscribers(), 1);
    /// # drop(subscription);
    /// ```
    #[must_use]
    pub fn subscribers(&self) -> usize {
        let waiters = self.shared.lock_waiters();
        waiters.slots.len() - waiters.free.len()
    }

    /// The number of events held in the history.
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::Channel::new().len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.shared.read_log().len()
    }

    /// Whether the history holds no event.
    ///
    /// ```
    /// assert!(sse_proto_axum::Channel::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.shared.read_log().is_empty()
    }

    /// The encoded bytes the history holds, at most [`Config::max_bytes`].
    ///
    /// ```
    /// use sse_proto::Message;
    /// let channel = sse_proto_axum::Channel::new();
    /// channel.publish(Message::new("hi"))?;
    /// assert_eq!(channel.bytes(), "id: 1\ndata: hi\n\n".len());
    /// # Ok::<(), sse_proto_axum::SendError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.shared.read_log().bytes()
    }

    /// The settings this channel was made with.
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::Channel::new().config().max_events, 1000);
    /// ```
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.shared.config
    }
}

impl Default for Channel {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a client that last saw `id` starts.
fn start_after(log: &EventLog<Bytes, Ids>, id: &str) -> Start {
    let resume = EventId::new(id).map(|id| log.resume(id));
    if let Ok(Resume::Found(cursor)) = resume {
        return Start::Live(cursor);
    }
    // The position just before the oldest held event resumes with all of
    // them, as the newest evicted ID does: with numbered IDs, `0` (before
    // the first event) replays everything while event 1 is held.
    let position = log.ids().position(id);
    if position.and_then(|p| p.checked_add(1)) == Some(log.oldest_position()) {
        return Start::Live(log.oldest());
    }
    // Older than the oldest held (`0` too, once event 1 is gone): evicted.
    let older = position.is_some_and(|p| p < log.oldest_position());
    match resume {
        Ok(Resume::Evicted) => Start::Resync(log.oldest(), Resync::Evicted),
        _ if older => Start::Resync(log.oldest(), Resync::Evicted),
        _ => Start::Resync(log.oldest(), Resync::Unknown),
    }
}

/// The channel's ID scheme, boxed so that `Channel` has no type parameter.
pub(crate) struct Ids(Box<dyn IdScheme + Send + Sync>);

impl IdScheme for Ids {
    fn assign<'b>(&mut self, position: u64, buf: &'b mut String) -> Option<EventId<'b>> {
        self.0.assign(position, buf)
    }

    fn position(&self, id: &str) -> Option<u64> {
        self.0.position(id)
    }

    fn missing(&self, id: &str, window: Window<'_>) -> Missing {
        self.0.missing(id, window)
    }
}

impl core::fmt::Debug for Ids {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Ids")
    }
}

/// Why a subscription starts with a `resync` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resync {
    Unknown,
    Evicted,
    Lagged(u64),
}

impl Shared {
    pub(crate) fn read_log(&self) -> RwLockReadGuard<'_, EventLog<Bytes, Ids>> {
        // A panic while publishing leaves the ring consistent: keep serving.
        self.log.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    pub(crate) fn next_position(&self) -> u64 {
        self.next_position.load(Ordering::Acquire)
    }

    pub(crate) fn last_publish(&self) -> core::time::Duration {
        core::time::Duration::from_nanos(self.last_publish.load(Ordering::Acquire))
    }

    pub(crate) fn elapsed_nanos(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Stores the waker of the subscription in `slot`, replacing its last.
    /// It stays there, woken by every publish, until replaced or released.
    pub(crate) fn register(&self, slot: usize, waker: &Waker) {
        if let Some(entry) = self.lock_waiters().slots.get_mut(slot) {
            *entry = Some(waker.clone());
        }
    }

    pub(crate) fn release(&self, slot: usize) {
        let mut waiters = self.lock_waiters();
        if let Some(entry) = waiters.slots.get_mut(slot) {
            *entry = None;
            waiters.free.push(slot);
        }
    }

    /// Wakes every subscription. A subscription that was not waiting is
    /// polled once more, finds nothing, and waits again: cheaper than
    /// registering a waker at every wait.
    fn wake_all(&self) {
        for waker in self.lock_waiters().slots.iter().flatten() {
            waker.wake_by_ref();
        }
    }

    fn lock_waiters(&self) -> MutexGuard<'_, Waiters> {
        self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Waiters {
    fn insert(&mut self) -> usize {
        if let Some(slot) = self.free.pop() {
            return slot;
        }
        self.slots.push(None);
        self.slots.len() - 1
    }
}
