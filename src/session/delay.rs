//! Reconnection delays: [`Delay`], the range a caller waits within, and the
//! backoff rules that produce it.

use core::time::Duration;

/// How long to wait before the next attempt: a range, so that randomness
/// (jitter) enters where the caller uses it and the session stays
/// deterministic.
///
/// Wait [`longest`](Self::longest) for plain doubling backoff, or
/// [`jittered`](Self::jittered) with a fresh random value to spread clients
/// that failed together over the range. Either is at least
/// [`Policy::min_delay`](crate::Policy::min_delay) when the delay comes from
/// a [`Session`](crate::Session).
///
/// ```
/// use core::time::Duration;
/// use sse_proto::session::Delay;
///
/// let delay = Delay::exactly(Duration::from_secs(3));
/// assert_eq!(delay.shortest(), delay.longest());
/// assert_eq!(delay.jittered(12345), Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delay {
    shortest: Duration,
    longest: Duration,
}

impl Delay {
    /// A delay of exactly `duration`: no range to jitter over.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::session::Delay;
    ///
    /// let delay = Delay::exactly(Duration::from_millis(250));
    /// assert_eq!(delay.longest(), Duration::from_millis(250));
    /// ```
    #[must_use]
    pub const fn exactly(duration: Duration) -> Self {
        Self {
            shortest: duration,
            longest: duration,
        }
    }

    /// `[shortest, longest]`, swapped if given the wrong way round.
    pub(crate) fn between(a: Duration, b: Duration) -> Self {
        Self {
            shortest: a.min(b),
            longest: a.max(b),
        }
    }

    /// The bottom of the range.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::session::Delay;
    ///
    /// assert_eq!(Delay::exactly(Duration::ZERO).shortest(), Duration::ZERO);
    /// ```
    #[must_use]
    pub const fn shortest(&self) -> Duration {
        self.shortest
    }

    /// The top of the range: the delay without jitter, which doubles with
    /// each consecutive failure up to the cap.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::session::Delay;
    ///
    /// assert_eq!(Delay::exactly(Duration::from_secs(1)).longest(), Duration::from_secs(1));
    /// ```
    #[must_use]
    pub const fn longest(&self) -> Duration {
        self.longest
    }

    /// A point in the range chosen by `random`, a value uniform over `u32`:
    /// 0 gives [`shortest`](Self::shortest), `u32::MAX` gives
    /// [`longest`](Self::longest), and the rest fall evenly between.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::session::Delay;
    /// use sse_proto::{DisconnectAction, Session};
    ///
    /// let mut session = Session::new();
    /// let mut now = Duration::ZERO;
    /// for _ in 0..3 {
    ///     session.on_request(now); // and the connection fails at once
    ///     let DisconnectAction::Retry { delay } = session.on_disconnect(now) else { panic!() };
    ///     now += delay.jittered(0x9e37_79b9); // a random value per decision
    ///     // The third failure waits between 3 s and 12 s.
    /// }
    /// let DisconnectAction::Retry { delay } = session.on_disconnect(now) else { panic!() };
    /// assert_eq!((delay.shortest(), delay.longest()), (Duration::from_secs(3), Duration::from_secs(12)));
    /// let halfway = delay.jittered(u32::MAX / 2);
    /// assert!(halfway > Duration::from_millis(7499) && halfway < Duration::from_millis(7501));
    /// ```
    #[must_use]
    pub fn jittered(&self, random: u32) -> Duration {
        let span = self.longest.saturating_sub(self.shortest);
        self.shortest.saturating_add(scale(span, random))
    }
}

/// `span * random / u32::MAX`, exactly rounded down, never more than `span`.
fn scale(span: Duration, random: u32) -> Duration {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    // At most about 2^94 * 2^32: fits in a u128.
    let nanos = span.as_nanos() * u128::from(random) / u128::from(u32::MAX);
    let secs = u64::try_from(nanos / NANOS_PER_SEC).unwrap_or(u64::MAX);
    // The remainder is below 10^9, which fits in u32.
    let subsec = u32::try_from(nanos % NANOS_PER_SEC).unwrap_or(0);
    Duration::new(secs, subsec)
}

/// The delay bounds for one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// The reconnection time in force, already within
    /// `[min_delay, max_reconnection_time]`.
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

    /// The delay after `failures` consecutive unhealthy attempts (0 after a
    /// healthy connection).
    ///
    /// - `failures <= 1`: exactly `base`, as browsers do.
    /// - `failures == n`: `[base, min(cap, base * 2^(n-1))]`.
    pub(crate) fn delay(self, failures: u32) -> Delay {
        let doublings = failures.saturating_sub(1);
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        let longest = self.base.saturating_mul(factor).min(self.cap);
        Delay::between(self.base.min(self.cap), longest)
    }

    /// `delay`, with both ends raised to a `Retry-After` and cut to the cap.
    pub(crate) fn delay_after(self, failures: u32, not_before: Duration) -> Delay {
        let delay = self.delay(failures);
        let raise = |end: Duration| end.max(not_before).min(self.cap);
        Delay::between(raise(delay.shortest), raise(delay.longest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn doubles_from_base_up_to_cap() {
        let backoff = Backoff::new(MS(1000), MS(5000));
        let longest: [Duration; 6] = core::array::from_fn(|n| backoff.delay(n as u32).longest);
        let expected = [1000, 1000, 2000, 4000, 5000, 5000].map(MS);
        assert_eq!(longest, expected, "no jitter: plain doubling");
        for failures in 0..6 {
            assert_eq!(backoff.delay(failures).shortest, MS(1000));
        }
        assert_eq!(backoff.delay(u32::MAX).longest, MS(5000));
    }

    #[test]
    fn a_long_reconnection_time_beats_the_cap() {
        let backoff = Backoff::new(MS(60_000), MS(1000));
        assert_eq!(backoff.cap, MS(60_000));
        assert_eq!(backoff.delay(7), Delay::exactly(MS(60_000)));
    }

    #[test]
    fn retry_after_raises_both_ends_and_is_cut_to_the_cap() {
        let backoff = Backoff::new(MS(1000), MS(10_000));
        assert_eq!(backoff.delay_after(1, MS(4000)), Delay::exactly(MS(4000)));
        assert_eq!(
            backoff.delay_after(3, MS(2000)),
            Delay::between(MS(2000), MS(4000))
        );
        assert_eq!(backoff.delay_after(1, MS(0)), Delay::exactly(MS(1000)));
        assert_eq!(
            backoff.delay_after(1, Duration::MAX),
            Delay::exactly(MS(10_000))
        );
    }

    #[test]
    fn jitter_spans_the_range_exactly() {
        let delay = Delay::between(MS(1000), MS(3000));
        assert_eq!(delay.jittered(0), MS(1000));
        assert_eq!(delay.jittered(u32::MAX), MS(3000));
        let middle = delay.jittered(1 << 31);
        assert!(middle > MS(1999) && middle < MS(2001), "{middle:?}");
        let widest = Delay::between(Duration::ZERO, Duration::MAX);
        assert_eq!(widest.jittered(u32::MAX), Duration::MAX);
        assert_eq!(widest.jittered(0), Duration::ZERO);
    }
}
