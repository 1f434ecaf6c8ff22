//! Reconnection delays: the reconnection time, exponential backoff for
//! consecutive failures, and jitter from a caller-supplied random value.

use core::time::Duration;

/// The smallest step backoff grows from, so that a server that sent
/// `retry: 0` and then fails at once cannot cause a reconnect storm.
///
/// ```
/// use sse_proto::session::BACKOFF_FLOOR;
/// use sse_proto::{DisconnectAction, Session};
///
/// let mut session = Session::new();
/// session.next_request();
/// session.on_response(200, Some("text/event-stream"), None);
/// session.feed(&mut &b"retry: 0\n"[..])?; // and no event: a failure
/// assert_eq!(session.on_disconnect(), DisconnectAction::Retry { delay: BACKOFF_FLOOR });
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
pub const BACKOFF_FLOOR: Duration = Duration::from_millis(100);

/// The delay bounds for one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// The reconnection time in force: the server's `retry`, or the default.
    pub(crate) base: Duration,
    /// The cap: `Policy::max_delay`, but never below `base`.
    pub(crate) cap: Duration,
}

impl Backoff {
    pub(crate) fn new(base: Duration, max_delay: Duration) -> Self {
        Self {
            base,
            cap: max_delay.max(base),
        }
    }

    /// The delay after `failures` consecutive failed attempts (0 after a
    /// connection that delivered events), moved down within its range by
    /// `jitter` (uniform over `u32`; 0, no jitter, gives the longest delay).
    ///
    /// - `failures == 0`: exactly `base`, as browsers do.
    /// - `failures == n >= 1`: `longest = min(cap, step * 2^(n-1))`, where
    ///   `step = min(cap, max(base, BACKOFF_FLOOR))`, less `jitter`'s share
    ///   of `longest - step`: so without jitter the delay doubles at each
    ///   failure, and with it clients spread over `[step, longest]`.
    ///
    /// Always within `[base, cap]`.
    pub(crate) fn delay(self, failures: u32, jitter: u32) -> Duration {
        if failures == 0 {
            return self.base;
        }
        let step = self.base.max(BACKOFF_FLOOR).min(self.cap);
        let factor = 1u32.checked_shl(failures - 1).unwrap_or(u32::MAX);
        let longest = step.saturating_mul(factor).min(self.cap);
        longest.saturating_sub(scale(longest.saturating_sub(step), jitter))
    }

    /// `delay` honouring a `Retry-After` too, cut to `[base, cap]`.
    pub(crate) fn delay_after(self, failures: u32, jitter: u32, not_before: Duration) -> Duration {
        // max/min rather than clamp, which would panic if base > cap.
        self.delay(failures, jitter)
            .max(not_before)
            .max(self.base)
            .min(self.cap)
    }
}

/// `span * jitter / 2^32`, exactly, never more than `span`.
fn scale(span: Duration, jitter: u32) -> Duration {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    // At most about 2^94 * 2^32: fits in a u128.
    let nanos = (span.as_nanos() * u128::from(jitter)) >> 32;
    let secs = u64::try_from(nanos / NANOS_PER_SEC).unwrap_or(u64::MAX);
    // The remainder is below 10^9, which fits in u32.
    let subsec = u32::try_from(nanos % NANOS_PER_SEC).unwrap_or(0);
    Duration::new(secs, subsec)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn doubles_from_base_up_to_cap() {
        let backoff = Backoff::new(MS(1000), MS(5000));
        let delays: [Duration; 6] = core::array::from_fn(|n| backoff.delay(n as u32, 0));
        let expected = [1000, 1000, 2000, 4000, 5000, 5000].map(MS);
        assert_eq!(delays, expected, "no jitter: plain doubling");
        // The most jitter takes a delay down to just above the step.
        for failures in 1..6 {
            let shortest = backoff.delay(failures, u32::MAX);
            assert!(shortest >= MS(1000) && shortest < MS(1001), "{shortest:?}");
        }
        assert_eq!(backoff.delay(u32::MAX, 1 << 31), MS(3000));
    }

    #[test]
    fn retry_zero_still_backs_off() {
        let backoff = Backoff::new(Duration::ZERO, MS(1000));
        assert_eq!(backoff.delay(0, u32::MAX), Duration::ZERO);
        assert_eq!(backoff.delay(1, 0), BACKOFF_FLOOR);
        assert_eq!(backoff.delay(4, 1 << 31), MS(450)); // 100 + (800 - 100) / 2
    }

    #[test]
    fn a_long_server_retry_beats_the_cap() {
        let backoff = Backoff::new(MS(60_000), MS(1000));
        assert_eq!(backoff.cap, MS(60_000));
        assert_eq!(backoff.delay(7, u32::MAX), MS(60_000));
    }

    #[test]
    fn retry_after_is_clamped() {
        let backoff = Backoff::new(MS(1000), MS(10_000));
        assert_eq!(backoff.delay_after(1, 0, MS(4000)), MS(4000));
        assert_eq!(backoff.delay_after(1, 0, MS(0)), MS(1000));
        assert_eq!(backoff.delay_after(1, 0, Duration::MAX), MS(10_000));
    }

    #[test]
    fn scale_extremes() {
        assert_eq!(scale(Duration::MAX, 0), Duration::ZERO);
        assert!(scale(Duration::MAX, u32::MAX) < Duration::MAX);
        assert_eq!(scale(MS(1000), 1 << 31), MS(500));
    }
}
