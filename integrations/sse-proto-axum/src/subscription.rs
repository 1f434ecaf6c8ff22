//! One subscriber's stream: its position in the ring, its heartbeat, and
//! the HTTP response around them.

// Maintainers: `poll_next` must never return `Pending` without a waker
// registered for each way it can make progress: the channel's slot (new
// events, close) and the heartbeat timer. The slot keeps the last waker
// stored, and every publish wakes it, so a poll with the same waker as
// before only checks `next_position`. A new waker is stored, then
// `next_position` checked again: a publish between the read and the store
// moved it, so no wakeup is lost. The timer is polled only when it may have
// fired (woken, or reset) or the waker changed.

use core::convert::Infallible;
use core::future::Future as _;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use sse_proto::{Cursor, Heartbeat};
use tokio::time::Sleep;

use crate::channel::{Resync, Shared};
use crate::OnLag;

/// The `event` type of the notice sent to a subscriber that cannot be given
/// every event it missed: `resync`. Its data is a small JSON object:
/// `{"reason":"unknown"}` (its `Last-Event-ID` was never issued here),
/// `{"reason":"evicted"}` (too old: the events after it are gone) or
/// `{"reason":"lagged","missed":N}` (it read too slowly and `N` events went
/// past it). Every event still held follows it.
pub const RESYNC_EVENT_TYPE: &str = "resync";

/// One subscriber's event stream: a [`Stream`] of encoded [`Bytes`], ready
/// for the socket, and an axum response (it implements
/// [`IntoResponse`](axum::response::IntoResponse) and is an extractor, see
/// the crate docs).
///
/// It holds a position in the channel's ring, a heartbeat and its timer: no
/// queue, so its memory does not grow however far behind it falls. It ends
/// when the channel is closed (after sending what was published before),
/// or, with [`OnLag::Close`], when the ring passes it. Dropping it (the
/// server does when the client disconnects) counts it out of
/// [`Channel::subscribers`](crate::Channel::subscribers).
///
/// Used with another server (hyper, or anything that takes a stream of
/// bytes), send [`sse_proto::headers::RESPONSE`] with it.
///
/// # Panics
///
/// With heartbeats on (the default), polling it outside a tokio runtime
/// with time enabled panics, as any tokio timer does; with
/// [`Config::heartbeat`](crate::Config::heartbeat) `None` it needs no
/// runtime at all.
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_axum::{Channel, Config};
/// use tokio_stream::StreamExt as _;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let channel = Channel::with_config(Config::new().heartbeat(None));
/// let mut events = channel.subscribe(None);
/// channel.publish(Message::new("hello")).unwrap();
/// channel.close();
/// assert_eq!(events.next().await.unwrap().unwrap(), "id: 1\ndata: hello\n\n");
/// assert!(events.next().await.is_none()); // closed: the stream ends
/// # }
/// ```
#[derive(Debug)]
pub struct Subscription {
    shared: Arc<Shared>,
    slot: usize,
    cursor: Cursor,
    /// A `resync` event to send before anything else.
    notice: Option<Resync>,
    heartbeat: Option<Timer>,
    /// The waker stored in the channel's slot (and the timer's).
    waker: Option<Waker>,
    done: bool,
}

/// Where a new subscription starts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Start {
    Live(Cursor),
    Resync(Cursor, Resync),
}

/// The heartbeat's schedule and the timer that wakes the stream for it;
/// the timer is made at the first poll, inside the runtime.
#[derive(Debug)]
struct Timer {
    schedule: Heartbeat,
    sleep: Option<Pin<Box<Sleep>>>,
    /// Whether `sleep` was polled since it was made or reset.
    polled: bool,
}

/// What one read of the ring gave.
enum Read {
    Chunk(Bytes),
    Lagged(u64),
    Nothing,
}

impl Subscription {
    pub(crate) fn new(shared: Arc<Shared>, slot: usize, start: Start) -> Self {
        let (cursor, notice) = match start {
            Start::Live(cursor) => (cursor, None),
            Start::Resync(cursor, why) => (cursor, Some(why)),
        };
        let heartbeat = shared.config.heartbeat.map(|interval| Timer {
            schedule: Heartbeat::new(interval, shared.origin.elapsed()),
            sleep: None,
            polled: false,
        });
        Self {
            shared,
            slot,
            cursor,
            notice,
            heartbeat,
            waker: None,
            done: false,
        }
    }

    /// The position of the next event this subscription will send (the
    /// first event is at 1).
    ///
    /// ```
    /// use sse_proto::Message;
    /// let channel = sse_proto_axum::Channel::new();
    /// channel.publish(Message::new("a"))?;
    /// assert_eq!(channel.subscribe(None).position(), 2);
    /// assert_eq!(channel.subscribe(Some("0")).position(), 1);
    /// # Ok::<(), sse_proto_axum::SendError>(())
    /// ```
    #[must_use]
    pub fn position(&self) -> u64 {
        self.cursor.position()
    }

    /// The next chunk of events, copied together when several wait.
    fn read(&mut self) -> Read {
        if self.cursor.position() == self.shared.next_position() {
            return Read::Nothing;
        }
        let log = self.shared.read_log();
        let batch = match log.read(&mut self.cursor, self.shared.config.max_chunk) {
            Ok(batch) => batch,
            Err(lagged) => return Read::Lagged(lagged.missed),
        };
        match batch.len() {
            0 => Read::Nothing,
            // The common case at fan-out: one event, shared, not copied.
            1 => batch
                .last()
                .map_or(Read::Nothing, |chunk| Read::Chunk(chunk.clone())),
            _ => {
                let mut out = BytesMut::with_capacity(batch.byte_len());
                for chunk in batch {
                    out.extend_from_slice(chunk);
                }
                Read::Chunk(out.freeze())
            }
        }
    }

    /// What the ring's news means for this stream: `Some(Some(chunk))` to
    /// send, `Some(None)` to end, `None` to wait.
    fn poll_ring(&mut self) -> Option<Option<Bytes>> {
        match self.read() {
            Read::Chunk(chunk) => {
                self.wrote(self.shared.last_publish());
                Some(Some(chunk))
            }
            Read::Lagged(missed) => match self.shared.config.on_lag {
                OnLag::Close => Some(None),
                _ => {
                    self.cursor = self.shared.read_log().oldest();
                    Some(Some(self.resync(Resync::Lagged(missed))))
                }
            },
            Read::Nothing if self.shared.is_closed() => Some(None),
            Read::Nothing => None,
        }
    }

    fn resync(&mut self, why: Resync) -> Bytes {
        self.wrote(self.shared.origin.elapsed());
        let data = match why {
            Resync::Unknown => "data: {\"reason\":\"unknown\"}".to_owned(),
            Resync::Evicted => "data: {\"reason\":\"evicted\"}".to_owned(),
            Resync::Lagged(missed) => {
                format!("data: {{\"reason\":\"lagged\",\"missed\":{missed}}}")
            }
        };
        Bytes::from(format!("event: {RESYNC_EVENT_TYPE}\n{data}\n\n"))
    }

    fn wrote(&mut self, now: Duration) {
        if let Some(timer) = &mut self.heartbeat {
            timer.schedule.wrote(now);
        }
    }

    /// Whether a heartbeat is due now; otherwise the timer is armed.
    fn poll_heartbeat(&mut self, cx: &mut Context<'_>) -> bool {
        let origin = self.shared.origin;
        let Some(timer) = &mut self.heartbeat else {
            return false;
        };
        let sleep = timer.sleep.get_or_insert_with(|| {
            Box::pin(tokio::time::sleep_until(origin + timer.schedule.due()))
        });
        // Polled with this task's waker (`polled` is cleared when it changes).
        if timer.polled && !sleep.is_elapsed() {
            return false;
        }
        loop {
            timer.polled = true;
            if sleep.as_mut().poll(cx).is_pending() {
                return false;
            }
            // Fired. Writes since it was armed may have put the heartbeat
            // off: the timer is moved only now, not at every write.
            let due = timer.schedule.poll(origin.elapsed());
            sleep.as_mut().reset(origin + timer.schedule.due());
            timer.polled = false;
            if due {
                return true;
            }
        }
    }
}

impl Stream for Subscription {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(why) = this.notice.take() {
            return Poll::Ready(Some(Ok(this.resync(why))));
        }
        loop {
            if let Some(next) = this.poll_ring() {
                this.done = next.is_none();
                return Poll::Ready(next.map(Ok));
            }
            let same_waker = this.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker()));
            if !same_waker {
                this.shared.register(this.slot, cx.waker());
                this.waker = Some(cx.waker().clone());
                if let Some(timer) = &mut this.heartbeat {
                    timer.polled = false; // it holds the old waker
                }
                // Re-check: a publish or close may have come before the waker.
                if this.cursor.position() != this.shared.next_position() || this.shared.is_closed()
                {
                    continue;
                }
            }
            if this.poll_heartbeat(cx) {
                return Poll::Ready(Some(Ok(Bytes::from_static(Heartbeat::COMMENT))));
            }
            return Poll::Pending;
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.shared.release(self.slot);
    }
}
