//! When a subscriber's keep-alive comment is due, from times the caller
//! supplies.

use core::time::Duration;

/// When an idle stream needs a keep-alive comment, so that proxies do not
/// close it (Cloudflare does after 100 s of silence).
///
/// One per stream, owned by the stream's loop, so it ends with the stream.
/// It reads no clock: every call takes `now`, the time since any fixed
/// origin the caller picks (for example `Instant::now() - started`), never
/// decreasing between calls. Any write postpones the next heartbeat
/// ([`wrote`](Self::wrote)), so a busy stream sends none.
///
/// ```
/// use std::time::Duration;
/// use sse_proto::Heartbeat;
///
/// let secs = Duration::from_secs;
/// let mut heartbeat = Heartbeat::new(secs(15), secs(100));
/// assert_eq!(heartbeat.due(), secs(115)); // sleep until then, or until an event
/// heartbeat.wrote(secs(110)); // an event went out at 110 s
/// assert!(!heartbeat.poll(secs(115)));
/// assert!(heartbeat.poll(secs(125))); // idle for 15 s: write Heartbeat::COMMENT
/// assert_eq!(heartbeat.due(), secs(140));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Heartbeat {
    interval: Duration,
    due: Duration,
}

impl Heartbeat {
    /// What to write when a heartbeat is due: an empty comment, which every
    /// client ignores.
    pub const COMMENT: &'static [u8] = b":\n";

    /// A heartbeat every `interval` of silence, the first due at
    /// `now + interval`. With an interval of zero every poll is due.
    #[must_use]
    pub fn new(interval: Duration, now: Duration) -> Self {
        Self {
            interval,
            due: now.saturating_add(interval),
        }
    }

    /// When the next heartbeat is due: how long the stream's loop may wait
    /// for events before it polls again.
    #[must_use]
    pub fn due(&self) -> Duration {
        self.due
    }

    /// The interval of silence after which a heartbeat is due.
    #[must_use]
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Whether a heartbeat is due at `now`, without changing anything.
    #[must_use]
    pub fn is_due(&self, now: Duration) -> bool {
        now >= self.due
    }

    /// Whether a heartbeat is due at `now`; if so the caller MUST write
    /// [`COMMENT`](Self::COMMENT), and the next one is scheduled `interval`
    /// after `now` (a late poll does not cause a burst of heartbeats).
    #[must_use = "a due heartbeat must be written"]
    pub fn poll(&mut self, now: Duration) -> bool {
        let due = self.is_due(now);
        if due {
            self.wrote(now);
        }
        due
    }

    /// Records that something was written at `now`: the next heartbeat is
    /// due `interval` later.
    pub fn wrote(&mut self, now: Duration) {
        self.due = now.saturating_add(self.interval);
    }
}
