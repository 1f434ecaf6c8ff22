//! The reconnection policy: which responses open, retry or stop, and the
//! numbers behind the delays.

use core::fmt;
use core::time::Duration;

use super::Response;

/// The reconnection time used until the server sends `retry`: 3 seconds, as
/// in Chromium.
///
/// ```
/// use sse_proto::session::DEFAULT_RECONNECTION_TIME;
/// use sse_proto::Session;
///
/// assert_eq!(Session::new().reconnection_time(), DEFAULT_RECONNECTION_TIME);
/// ```
pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_millis(3000);

/// The default [`Policy::max_delay`]: 30 seconds.
///
/// ```
/// use sse_proto::session::DEFAULT_MAX_DELAY;
/// use sse_proto::Policy;
///
/// assert_eq!(Policy::new().max_delay, DEFAULT_MAX_DELAY);
/// ```
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);

/// How strictly a [`Session`](crate::Session) judges responses.
///
/// See the policy table in the [`session`](crate::session) module docs.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Mode, Policy, Response, ResponseAction, Session};
///
/// // A 200 with no `Content-Type`, as some providers send.
/// for (mode, opens) in [(Mode::Browser, false), (Mode::Resilient, true)] {
///     let mut session = Session::with_policy(Policy::new().mode(mode));
///     session.on_request(Duration::ZERO);
///     let action = session.on_response(Duration::ZERO, &Response::new(200));
///     assert_eq!(action == ResponseAction::Open, opens);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
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
/// Every field is public; the `const fn` setters build one by value, so a
/// policy can be a constant.
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
/// assert_eq!(policy.min_delay, Duration::from_millis(100));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Policy {
    /// How responses are judged. Default: [`Mode::Resilient`].
    pub mode: Mode,
    /// The reconnection time until the server sends a `retry` field,
    /// raised to [`min_delay`](Self::min_delay).
    ///
    /// Default: 3000 ms ([`DEFAULT_RECONNECTION_TIME`], as Chromium).
    pub default_reconnection_time: Duration,
    /// The shortest wait before any reconnection: after a healthy
    /// connection, after `retry: 0`, after a [`restart`](crate::Session::restart).
    /// It keeps a server that closes at once from causing a reconnect storm.
    ///
    /// Default: 100 ms.
    pub min_delay: Duration,
    /// The longest reconnection time a server's `retry` may set; a larger
    /// one is cut to it, so that a huge `retry` cannot park the client.
    ///
    /// Default: 600 s (10 minutes).
    pub max_reconnection_time: Duration,
    /// The longest delay backoff grows to. Never below the reconnection time
    /// in force: a server's `retry` larger than this is still honoured (up
    /// to [`max_reconnection_time`](Self::max_reconnection_time)). A
    /// `Retry-After` longer than the cap is cut to the cap.
    ///
    /// Default: 30 s ([`DEFAULT_MAX_DELAY`]).
    pub max_delay: Duration,
    /// How long a connection must stay open to count as healthy: ending
    /// after that resets the backoff; ending sooner counts as a failed
    /// attempt, even if events arrived.
    ///
    /// Default: 5 s.
    pub healthy_after: Duration,
    /// How many consecutive failed attempts are retried; the next failure
    /// stops the session with [`StopReason::TooManyRetries`]. `None` retries
    /// for ever, as browsers do.
    ///
    /// Default: `None`.
    pub max_retries: Option<u32>,
    /// How long a streak of failed attempts may last, from the request of
    /// its first attempt; a failure after that stops the session with
    /// [`StopReason::RetryBudget`]. `None`: no limit.
    ///
    /// Default: `None`.
    pub retry_budget: Option<Duration>,
    /// How long an open stream may stay silent (no bytes at all, comments
    /// and heartbeats included) before the caller drops it, as read by
    /// [`Session::idle_timeout`](crate::Session::idle_timeout). `None`: no
    /// timeout.
    ///
    /// Default: `Some(300 s)` (5 minutes).
    pub idle_timeout: Option<Duration>,
    /// Whether a request whose [`Method`](crate::session::Method) is not
    /// idempotent (`POST`, `PATCH`) is sent again once its response opened.
    /// `false`: the session stops with [`StopReason::Ended`] when such a
    /// stream ends, so a prompt is never paid for twice. Before a response
    /// opens (connection failed, 5xx, 429) it is retried as any request.
    ///
    /// Default: `false`.
    pub resend_after_open: bool,
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
            min_delay: Duration::from_millis(100),
            max_reconnection_time: Duration::from_secs(600),
            max_delay: DEFAULT_MAX_DELAY,
            healthy_after: Duration::from_secs(5),
            max_retries: None,
            retry_budget: None,
            idle_timeout: Some(Duration::from_secs(300)),
            resend_after_open: false,
        }
    }

    /// Sets [`Policy::mode`].
    ///
    /// ```
    /// use sse_proto::{Mode, Policy};
    ///
    /// assert_eq!(Policy::new().mode(Mode::Browser).mode, Mode::Browser);
    /// ```
    #[must_use]
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets [`Policy::default_reconnection_time`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Policy, Response, ResponseAction, Session};
    ///
    /// let policy = Policy::new().default_reconnection_time(Duration::from_secs(1));
    /// let mut session = Session::with_policy(policy);
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(1));
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// session.feed(&mut &b"retry: 5000\n"[..])?; // the server's value wins
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(5));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub const fn default_reconnection_time(mut self, time: Duration) -> Self {
        self.default_reconnection_time = time;
        self
    }

    /// Sets [`Policy::min_delay`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Policy, Session};
    ///
    /// let policy = Policy::new().min_delay(Duration::from_secs(1));
    /// let session = Session::with_policy(policy.default_reconnection_time(Duration::ZERO));
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(1));
    /// ```
    #[must_use]
    pub const fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// Sets [`Policy::max_reconnection_time`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Policy, Response, ResponseAction, Session};
    ///
    /// let policy = Policy::new().max_reconnection_time(Duration::from_secs(60));
    /// let mut session = Session::with_policy(policy);
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// session.feed(&mut &b"retry: 86400000\n"[..])?; // a day
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(60));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub const fn max_reconnection_time(mut self, time: Duration) -> Self {
        self.max_reconnection_time = time;
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
    ///     session.on_request(Duration::ZERO); // and the connection fails
    ///     let DisconnectAction::Retry { delay } = session.on_disconnect(Duration::ZERO) else { panic!() };
    ///     delays.push(delay.longest().as_secs());
    /// }
    /// assert_eq!(delays, [3, 5, 5]); // 3 s, then 6 s and 12 s cut to 5 s
    /// ```
    #[must_use]
    pub const fn max_delay(mut self, cap: Duration) -> Self {
        self.max_delay = cap;
        self
    }

    /// Sets [`Policy::healthy_after`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Policy, Response, ResponseAction, Session};
    ///
    /// let mut session = Session::with_policy(Policy::new().healthy_after(Duration::from_secs(60)));
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// session.on_request(Duration::ZERO);
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let _ = session.on_disconnect(Duration::from_secs(59)); // not healthy yet
    /// assert_eq!(session.failures(), 1);
    /// ```
    #[must_use]
    pub const fn healthy_after(mut self, time: Duration) -> Self {
        self.healthy_after = time;
        self
    }

    /// Sets [`Policy::max_retries`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{DisconnectAction, Policy, Session, StopReason};
    ///
    /// let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    /// session.on_request(Duration::ZERO);
    /// assert!(matches!(session.on_disconnect(Duration::ZERO), DisconnectAction::Retry { .. }));
    /// session.on_request(Duration::from_secs(3));
    /// let stop = DisconnectAction::Stop { reason: StopReason::TooManyRetries };
    /// assert_eq!(session.on_disconnect(Duration::from_secs(3)), stop);
    /// ```
    #[must_use]
    pub const fn max_retries(mut self, limit: Option<u32>) -> Self {
        self.max_retries = limit;
        self
    }

    /// Sets [`Policy::retry_budget`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{DisconnectAction, Policy, Session, StopReason};
    ///
    /// let mut session = Session::with_policy(Policy::new().retry_budget(Some(Duration::from_secs(10))));
    /// session.on_request(Duration::ZERO);
    /// assert!(matches!(session.on_disconnect(Duration::ZERO), DisconnectAction::Retry { .. }));
    /// session.on_request(Duration::from_secs(9));
    /// assert!(matches!(session.on_disconnect(Duration::from_secs(9)), DisconnectAction::Retry { .. }));
    /// session.on_request(Duration::from_secs(15));
    /// let stop = DisconnectAction::Stop { reason: StopReason::RetryBudget };
    /// assert_eq!(session.on_disconnect(Duration::from_secs(15)), stop);
    /// ```
    #[must_use]
    pub const fn retry_budget(mut self, budget: Option<Duration>) -> Self {
        self.retry_budget = budget;
        self
    }

    /// Sets [`Policy::idle_timeout`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Policy, Session};
    ///
    /// let session = Session::with_policy(Policy::new().idle_timeout(Some(Duration::from_secs(45))));
    /// assert_eq!(session.idle_timeout(), Some(Duration::from_secs(45)));
    /// ```
    #[must_use]
    pub const fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets [`Policy::resend_after_open`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::session::Method;
    /// use sse_proto::{DisconnectAction, Policy, Response, ResponseAction, Session};
    ///
    /// let policy = Policy::new().resend_after_open(true);
    /// let mut session = Session::with_policy(policy).method(Method::Post);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// session.on_request(Duration::ZERO);
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let action = session.on_disconnect(Duration::from_secs(1));
    /// assert!(matches!(action, DisconnectAction::Retry { .. })); // sent again
    /// ```
    #[must_use]
    pub const fn resend_after_open(mut self, resend: bool) -> Self {
        self.resend_after_open = resend;
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
/// use core::time::Duration;
/// use sse_proto::{Response, ResponseAction, Session, StopReason};
///
/// let mut session = Session::new();
/// session.on_request(Duration::ZERO);
/// let action = session.on_response(Duration::ZERO, &Response::new(404));
/// let ResponseAction::Stop { reason } = action else { panic!() };
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
    /// A 200 whose body is compressed (`Content-Encoding` other than
    /// `identity`) and was not decoded by the HTTP layer: parsing it would
    /// give garbage.
    ContentEncoding,
    /// [`Policy::max_retries`] consecutive failures were retried and the
    /// next one failed too.
    TooManyRetries,
    /// A streak of failures lasted longer than [`Policy::retry_budget`].
    RetryBudget,
    /// The stream of a request that is not idempotent ended after it opened,
    /// and [`Policy::resend_after_open`] does not allow sending it again.
    Ended,
    /// The caller called [`Session::close`](crate::Session::close).
    Closed,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoContent => f.write_str("the server answered 204 no content"),
            Self::Status(status) => write!(f, "the server answered status {status}"),
            Self::ContentType => f.write_str("the response is not text/event-stream"),
            Self::ContentEncoding => f.write_str("the response body is compressed"),
            Self::TooManyRetries => f.write_str("too many consecutive failed attempts"),
            Self::RetryBudget => f.write_str("the retry time budget is spent"),
            Self::Ended => f.write_str("the stream of a request that is not idempotent ended"),
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
    pub(crate) fn judge(&self, response: &Response<'_>) -> Verdict {
        match (response.status, self.mode) {
            (200, mode) => match response.content_type {
                Some(value) if !is_event_stream(value) => Verdict::Stop(StopReason::ContentType),
                None if mode == Mode::Browser => Verdict::Stop(StopReason::ContentType),
                _ if !is_identity(response.content_encoding) => {
                    Verdict::Stop(StopReason::ContentEncoding)
                }
                _ => Verdict::Open,
            },
            (204, _) => Verdict::Stop(StopReason::NoContent),
            (408 | 429 | 500..=599, Mode::Resilient) => Verdict::Retry {
                not_before: response.retry_after.and_then(parse_delta_seconds),
            },
            (status, _) => Verdict::Stop(StopReason::Status(status)),
        }
    }
}

/// Whether a `Content-Encoding` leaves the body as it is: absent, empty, or
/// `identity` (any case, whitespace and empty list items allowed).
fn is_identity(encoding: Option<&str>) -> bool {
    encoding.map_or(true, |value| {
        value.split(',').all(|coding| {
            let coding = trim_http_whitespace(coding);
            coding.is_empty() || coding.eq_ignore_ascii_case("identity")
        })
    })
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
    fn identity_encodings() {
        for value in [
            None,
            Some(""),
            Some("identity"),
            Some(" Identity "),
            Some("identity, "),
        ] {
            assert!(is_identity(value), "{value:?}");
        }
        for value in ["gzip", "br", "identity, gzip", "x-gzip", "deflate", "zstd"] {
            assert!(!is_identity(Some(value)), "{value:?}");
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
