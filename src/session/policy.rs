//! The reconnection policy: which responses open, retry or stop, and the
//! numbers behind the delays.

use core::fmt;
use core::time::Duration;

/// The reconnection time used until the server sends `retry`: 3 seconds, as
/// in Chromium.
pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_millis(3000);

/// The default [`Policy::max_delay`]: 30 seconds.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);

/// How strictly a [`Session`](crate::Session) judges responses.
///
/// See the policy table in the [`session`](crate::session) module docs.
///
/// ```
/// use sse_proto::{Mode, Policy, ResponseAction, Session};
///
/// // A 200 with no `Content-Type`, as some providers send.
/// for (mode, opens) in [(Mode::Browser, false), (Mode::Resilient, true)] {
///     let mut session = Session::with_policy(Policy::new().mode(mode));
///     session.next_request();
///     assert_eq!(session.on_response(200, None, None) == ResponseAction::Open, opens);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// What `EventSource` does: only a network error or the end of the body
    /// reconnects; any status other than 200, and a 200 without a
    /// `text/event-stream` type, stop for good.
    Browser,
    /// The default: as [`Browser`](Self::Browser), but 5xx, 408 and 429
    /// are retried with backoff (honouring `Retry-After`), and a 200 with no
    /// `Content-Type` at all is accepted (some providers send none).
    #[default]
    Resilient,
}

/// The rules and numbers a [`Session`](crate::Session) follows.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Mode, Policy};
///
/// let policy = Policy::default()
///     .mode(Mode::Browser)
///     .max_delay(Duration::from_secs(10))
///     .max_retries(Some(5));
/// assert_eq!(policy.default_reconnection_time, Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Policy {
    /// How responses are judged. Default: [`Mode::Resilient`].
    pub mode: Mode,
    /// The reconnection time until the server sends a `retry` field.
    ///
    /// Default: 3000 ms ([`DEFAULT_RECONNECTION_TIME`], as Chromium).
    pub default_reconnection_time: Duration,
    /// The longest delay backoff grows to. Never below the reconnection time
    /// in force: a server's `retry` larger than this is still honoured.
    /// A `Retry-After` longer than the cap is cut to the cap.
    ///
    /// Default: 30 s ([`DEFAULT_MAX_DELAY`]).
    pub max_delay: Duration,
    /// How many consecutive failed attempts are retried; the next failure
    /// stops the session with [`StopReason::TooManyRetries`]. `None` retries
    /// for ever, as browsers do.
    ///
    /// Default: `None`.
    pub max_retries: Option<u32>,
}

impl Policy {
    /// The default policy (same as [`Policy::default`]). A `const fn`, as
    /// are the setters, so a policy can be a constant.
    ///
    /// ```
    /// use sse_proto::{Mode, Policy};
    ///
    /// const STRICT: Policy = Policy::new().mode(Mode::Browser);
    /// assert_eq!(STRICT, Policy::default().mode(Mode::Browser));
    /// assert_ne!(STRICT, Policy::default());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            mode: Mode::Resilient,
            default_reconnection_time: DEFAULT_RECONNECTION_TIME,
            max_delay: DEFAULT_MAX_DELAY,
            max_retries: None,
        }
    }

    /// Sets [`Policy::mode`].
    #[must_use]
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets [`Policy::default_reconnection_time`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Policy, Session};
    ///
    /// let policy = Policy::new().default_reconnection_time(Duration::from_secs(1));
    /// let mut session = Session::with_policy(policy);
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(1));
    /// session.next_request();
    /// session.on_response(200, Some("text/event-stream"), None);
    /// session.feed(&mut &b"retry: 5000\n"[..])?; // the server's value wins
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(5));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub const fn default_reconnection_time(mut self, time: Duration) -> Self {
        self.default_reconnection_time = time;
        self
    }

    /// Sets [`Policy::max_delay`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{DisconnectAction, Policy, Session};
    ///
    /// let mut session = Session::with_policy(Policy::new().max_delay(Duration::from_secs(5)));
    /// let mut delays = Vec::new();
    /// for _ in 0..3 {
    ///     session.next_request();
    ///     let DisconnectAction::Retry { delay } = session.on_disconnect() else { panic!() };
    ///     delays.push(delay.as_secs());
    /// }
    /// assert_eq!(delays, [3, 5, 5]); // 3 s, then 6 s and 12 s cut to 5 s
    /// ```
    #[must_use]
    pub const fn max_delay(mut self, cap: Duration) -> Self {
        self.max_delay = cap;
        self
    }

    /// Sets [`Policy::max_retries`].
    ///
    /// ```
    /// use sse_proto::{DisconnectAction, Policy, Session, StopReason};
    ///
    /// let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    /// session.next_request();
    /// assert!(matches!(session.on_disconnect(), DisconnectAction::Retry { .. }));
    /// session.next_request();
    /// let stop = DisconnectAction::Stop { reason: StopReason::TooManyRetries };
    /// assert_eq!(session.on_disconnect(), stop);
    /// ```
    #[must_use]
    pub const fn max_retries(mut self, limit: Option<u32>) -> Self {
        self.max_retries = limit;
        self
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a [`Session`](crate::Session) stopped for good.
///
/// ```
/// use sse_proto::{ResponseAction, Session, StopReason};
///
/// let mut session = Session::new();
/// session.next_request();
/// let ResponseAction::Stop { reason } = session.on_response(404, None, None) else { panic!() };
/// assert_eq!(reason, StopReason::Status(404));
/// assert_eq!(reason.to_string(), "the server answered status 404");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// The server answered 204 No Content: the way it says "stop".
    NoContent,
    /// A status the policy does not open or retry (3xx included: follow
    /// redirects in the HTTP layer, before the session sees the response).
    Status(u16),
    /// A 200 whose `Content-Type` is not `text/event-stream` (or is missing,
    /// in [`Mode::Browser`]).
    ContentType,
    /// [`Policy::max_retries`] consecutive failures were retried and the
    /// next one failed too.
    TooManyRetries,
    /// The caller called [`Session::close`](crate::Session::close).
    Closed,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoContent => f.write_str("the server answered 204 no content"),
            Self::Status(status) => write!(f, "the server answered status {status}"),
            Self::ContentType => f.write_str("the response is not text/event-stream"),
            Self::TooManyRetries => f.write_str("too many consecutive failed attempts"),
            Self::Closed => f.write_str("closed by the caller"),
        }
    }
}

/// What the policy makes of a response, before delays are worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Open,
    /// Retry with backoff, no sooner than `not_before` (from `Retry-After`).
    Retry {
        not_before: Option<Duration>,
    },
    Stop(StopReason),
}

impl Policy {
    /// Judges a response by its status and headers (see the table in the
    /// `session` module docs).
    pub(crate) fn judge(
        &self,
        status: u16,
        content_type: Option<&str>,
        retry_after: Option<&str>,
    ) -> Verdict {
        match (status, self.mode) {
            (200, mode) => match content_type {
                Some(value) if is_event_stream(value) => Verdict::Open,
                None if mode == Mode::Resilient => Verdict::Open,
                _ => Verdict::Stop(StopReason::ContentType),
            },
            (204, _) => Verdict::Stop(StopReason::NoContent),
            (408 | 429 | 500..=599, Mode::Resilient) => Verdict::Retry {
                not_before: retry_after.and_then(parse_delta_seconds),
            },
            (status, _) => Verdict::Stop(StopReason::Status(status)),
        }
    }
}

/// Whether a `Content-Type` value is `text/event-stream`: case-insensitive,
/// parameters (`; charset=utf-8`) and surrounding whitespace allowed.
fn is_event_stream(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default();
    trim_http_whitespace(essence).eq_ignore_ascii_case("text/event-stream")
}

/// Drops the whitespace HTTP allows around values and parameters (spaces
/// and tabs, RFC 9110 §5.6.3), and no other: `str::trim` would also take
/// Unicode spaces, which make a header value invalid.
fn trim_http_whitespace(value: &str) -> &str {
    value.trim_matches([' ', '\t'])
}

/// A `Retry-After` in delta-seconds (RFC 9110 §10.2.3: one or more digits),
/// saturating when huge. An HTTP-date needs a clock, so it gives `None`.
fn parse_delta_seconds(value: &str) -> Option<Duration> {
    let digits = trim_http_whitespace(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds = digits.bytes().fold(0u64, |n, digit| {
        n.saturating_mul(10).saturating_add(u64::from(digit - b'0'))
    });
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_stream_type_variants() {
        for value in [
            "text/event-stream",
            "Text/Event-Stream",
            " text/event-stream ",
            "\ttext/event-stream\t; charset=utf-8",
            "text/event-stream; charset=utf-8",
            "text/event-stream;charset=UTF-8",
        ] {
            assert!(is_event_stream(value), "{value:?}");
        }
        for value in [
            "",
            "text/plain",
            "text/event-streams",
            "text/event",
            "event-stream",
            // Not HTTP whitespace: the value is invalid.
            "\u{a0}text/event-stream",
        ] {
            assert!(!is_event_stream(value), "{value:?}");
        }
    }

    #[test]
    fn retry_after_delta_seconds_only() {
        assert_eq!(parse_delta_seconds("0"), Some(Duration::ZERO));
        assert_eq!(parse_delta_seconds(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_delta_seconds("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(parse_delta_seconds("\t7"), Some(Duration::from_secs(7)));
        for value in [
            "",
            "-1",
            "1.5",
            "+3",
            "\u{3000}7",
            "Fri, 07 Nov 2025 08:00:00 GMT",
        ] {
            assert_eq!(parse_delta_seconds(value), None, "{value:?}");
        }
    }
}
