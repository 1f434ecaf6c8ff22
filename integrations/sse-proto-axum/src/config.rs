//! How a [`Channel`](crate::Channel) holds history and treats its subscribers.

use core::time::Duration;

/// The default for [`Config::max_events`]: 1,000 events of history.
pub const DEFAULT_MAX_EVENTS: usize = 1000;

/// The default for [`Config::max_bytes`]: 4 MiB of encoded history.
pub const DEFAULT_MAX_BYTES: usize = 4 << 20;

/// The default for [`Config::heartbeat`]: 15 seconds, well inside the idle
/// timeouts of common proxies (Cloudflare closes after 100 s).
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);

/// The default for [`Config::max_chunk`]: 16 KiB.
pub const DEFAULT_MAX_CHUNK: usize = 16 << 10;

/// What a subscription does when the history ring has passed it: events it
/// had not been sent yet were evicted (it read too slowly, or its socket
/// was stuck).
///
/// Either way the subscription's memory stays the same: it holds a position
/// in the ring, never a queue of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum OnLag {
    /// Send an event of type `resync` (see [`RESYNC_EVENT_TYPE`]) whose data
    /// is `{"reason":"lagged","missed":N}`, then every event still held,
    /// oldest first, then live ones. The client learns that it missed `N`
    /// events and keeps its connection.
    ///
    /// [`RESYNC_EVENT_TYPE`]: crate::RESYNC_EVENT_TYPE
    #[default]
    Resync,
    /// End the stream. The client reconnects with its `Last-Event-ID`, which
    /// is then evicted, and is told to resynchronise at that point.
    Close,
}

/// A [`Channel`](crate::Channel)'s settings: the history's bounds, the
/// heartbeat interval and the slow-client policy.
///
/// ```
/// use std::time::Duration;
/// use sse_proto_axum::{Config, OnLag};
///
/// let config = Config::new()
///     .max_events(10_000)
///     .max_bytes(16 << 20)
///     .heartbeat(Some(Duration::from_secs(30)))
///     .on_lag(OnLag::Close);
/// assert_eq!(config.max_events, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Config {
    /// See [`Config::max_events`].
    pub max_events: usize,
    /// See [`Config::max_bytes`].
    pub max_bytes: usize,
    /// See [`Config::heartbeat`].
    pub heartbeat: Option<Duration>,
    /// See [`Config::on_lag`].
    pub on_lag: OnLag,
    /// See [`Config::max_chunk`].
    pub max_chunk: usize,
}

impl Config {
    /// The defaults: [`DEFAULT_MAX_EVENTS`] (1,000) events and
    /// [`DEFAULT_MAX_BYTES`] (4 MiB) of history, a heartbeat every
    /// [`DEFAULT_HEARTBEAT`] (15 s), [`OnLag::Resync`], chunks of at most
    /// [`DEFAULT_MAX_CHUNK`] (16 KiB).
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::Config::new(), sse_proto_axum::Config::default());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            max_events: DEFAULT_MAX_EVENTS,
            max_bytes: DEFAULT_MAX_BYTES,
            heartbeat: Some(DEFAULT_HEARTBEAT),
            on_lag: OnLag::Resync,
            max_chunk: DEFAULT_MAX_CHUNK,
        }
    }

    /// The most events the history holds (at least 1 is held whatever the
    /// value). Publishing past it evicts the oldest.
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::Config::new().max_events(5).max_events, 5);
    /// ```
    #[must_use]
    pub const fn max_events(mut self, max_events: usize) -> Self {
        self.max_events = max_events;
        self
    }

    /// The most bytes of encoded events the history holds, exactly as
    /// subscribers write them. An event larger than this cannot be
    /// published. This, plus a slot of about 80 bytes per held event, is
    /// all the memory the history takes, however many subscribers there are.
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::Config::new().max_bytes(1024).max_bytes, 1024);
    /// ```
    #[must_use]
    pub const fn max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// How long a stream may stay silent before a heartbeat (the comment
    /// `:`) is sent, so that proxies keep the connection open and a gone
    /// client is noticed when the write fails. `None`: no heartbeats.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = sse_proto_axum::Config::new().heartbeat(Some(Duration::from_secs(5)));
    /// assert_eq!(config.heartbeat, Some(Duration::from_secs(5)));
    /// ```
    #[must_use]
    pub const fn heartbeat(mut self, interval: Option<Duration>) -> Self {
        self.heartbeat = interval;
        self
    }

    /// What a subscription the history has passed does; see [`OnLag`].
    ///
    /// ```
    /// use sse_proto_axum::{Config, OnLag};
    /// assert_eq!(Config::new().on_lag(OnLag::Close).on_lag, OnLag::Close);
    /// ```
    #[must_use]
    pub const fn on_lag(mut self, on_lag: OnLag) -> Self {
        self.on_lag = on_lag;
        self
    }

    /// The most bytes a subscription hands to the server in one chunk when
    /// several events are waiting (one event larger than this still goes
    /// out whole). A single waiting event is handed out without a copy.
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::Config::new().max_chunk(4096).max_chunk, 4096);
    /// ```
    #[must_use]
    pub const fn max_chunk(mut self, max_chunk: usize) -> Self {
        self.max_chunk = max_chunk;
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}
