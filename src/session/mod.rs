//! A sans-IO client session: what `EventSource` does around the parser.
//!
//! A [`Session`] validates responses, keeps the last event ID and the
//! server's `retry` across connections, works out the delay before each
//! reconnection (with backoff and optional jitter) and says when to stop for
//! good. It has no sockets, timers, clock or randomness: the caller reports
//! what happened and the session answers what to do next.
//!
//! # The loop
//!
//! 1. [`Session::next_request`]: the headers for the next attempt, or `None`
//!    once the session has stopped. Send a `GET` with them.
//! 2. [`Session::on_response`] with the status and headers: open, retry
//!    after a delay, or stop.
//! 3. While open, [`Session::feed`] the body bytes: frames come out.
//! 4. When the connection fails or the body ends, [`Session::on_disconnect`]:
//!    the delay to wait before step 1, or stop.
//!
//! [`Session::close`] stops it for good at any time.
//!
//! # Policy
//!
//! | response | [`Mode::Browser`] | [`Mode::Resilient`] (default) |
//! |---|---|---|
//! | 200, `Content-Type: text/event-stream` (any case, parameters, spaces) | open | open |
//! | 200, no `Content-Type` | stop ([`StopReason::ContentType`]) | open |
//! | 200, another `Content-Type` | stop ([`StopReason::ContentType`]) | stop ([`StopReason::ContentType`]) |
//! | 204 | stop ([`StopReason::NoContent`]) | stop ([`StopReason::NoContent`]) |
//! | 408, 429, 5xx | stop ([`StopReason::Status`]) | retry with backoff, honouring `Retry-After` |
//! | any other status (other 2xx, 1xx, 3xx, 4xx) | stop ([`StopReason::Status`]) | stop ([`StopReason::Status`]) |
//! | connection failed, or the body ended or broke | retry | retry |
//!
//! A normal end of the body is not an error: it reconnects, as in browsers.
//! Redirects are the HTTP layer's job; a 3xx that reaches the session stops
//! it. `Retry-After` is read as delta-seconds; an HTTP-date cannot be read
//! without a clock, so it is ignored (backoff applies): a caller with a clock
//! may convert it to seconds and pass those digits instead.
//!
//! # Delays
//!
//! Delays are [`Duration`]s. The *reconnection time* is the server's latest
//! `retry` (kept across connections), else
//! [`Policy::default_reconnection_time`] (3 s, as Chromium). The *cap* is
//! [`Policy::max_delay`] (30 s), or the reconnection time if that is larger.
//!
//! - After a connection that delivered at least one event: exactly the
//!   reconnection time, as browsers do.
//! - After the n-th consecutive *failure* (an attempt that did not connect,
//!   was refused with a retryable status, or opened but delivered no event
//!   before it ended): between `step` and `min(cap, step × 2^(n−1))`, where
//!   `step` is the reconnection time, raised to [`BACKOFF_FLOOR`] (100 ms)
//!   so that `retry: 0` cannot cause a reconnect storm, and lowered to the
//!   cap. Without jitter it is the top of that range, so delays double; a
//!   jitter value (see [`Session::set_jitter`]) moves it down, spreading
//!   clients over the range.
//! - After a retryable status with `Retry-After`: the larger of that and the
//!   backoff delay, cut to the cap.
//!
//! So every delay is at least the reconnection time and at most the cap. The
//! failure count resets when an event arrives; [`Policy::max_retries`] stops
//! the session after that many consecutive failures were retried.
//!
//! # Example
//!
//! ```
//! use core::time::Duration;
//! use sse_proto::{DisconnectAction, Frame, ResponseAction, Session};
//!
//! let mut session = Session::new();
//! let request = session.next_request().expect("not stopped");
//! assert_eq!(request.last_event_id(), None); // first attempt: no header
//!
//! // The server answers and sends two events, then hangs up.
//! let action = session.on_response(200, Some("text/event-stream"), None);
//! assert_eq!(action, ResponseAction::Open);
//! let mut body: &[u8] = b"retry: 500\nid: 7\ndata: hello\n\ndata: world\n\n";
//! let mut data = Vec::new();
//! while let Some(frame) = session.feed(&mut body)? {
//!     if let Frame::Event(event) = frame {
//!         data.push(event.data.to_owned());
//!     }
//! }
//! assert_eq!(data, ["hello", "world"]);
//! let action = session.on_disconnect();
//! assert_eq!(action, DisconnectAction::Retry { delay: Duration::from_millis(500) });
//!
//! // After the delay: reconnect, resuming after event 7. The server says stop.
//! let request = session.next_request().expect("not stopped");
//! assert_eq!(request.last_event_id(), Some("7"));
//! assert!(matches!(session.on_response(204, None, None), ResponseAction::Stop { .. }));
//! assert!(session.next_request().is_none());
//! # Ok::<(), sse_proto::ParseError>(())
//! ```

mod backoff;
mod policy;
mod request;

use core::time::Duration;

use crate::{Frame, ParseError, Parser};
use backoff::Backoff;
use policy::Verdict;

pub use backoff::BACKOFF_FLOOR;
pub use policy::{Mode, Policy, StopReason, DEFAULT_MAX_DELAY, DEFAULT_RECONNECTION_TIME};
pub use request::{Headers, Request};

/// Where a [`Session`] is in its life.
///
/// ```
/// use sse_proto::{Session, State};
///
/// let mut session = Session::new();
/// assert_eq!(session.state(), State::Idle);
/// session.next_request();
/// assert_eq!(session.state(), State::Connecting);
/// session.on_response(200, Some("text/event-stream"), None);
/// assert_eq!(session.state(), State::Open);
/// session.on_disconnect();
/// assert_eq!(session.state(), State::Idle);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// No attempt in progress: call [`Session::next_request`] (after the
    /// delay, if one was given). A new session starts here.
    Idle,
    /// A request was made; waiting for [`Session::on_response`] or
    /// [`Session::on_disconnect`].
    Connecting,
    /// A response opened the stream: [`Session::feed`] the body.
    Open,
    /// Stopped for good: no attempt will be scheduled again.
    Stopped(StopReason),
}

/// What to do with a response, from [`Session::on_response`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseAction {
    /// The stream is open: [`Session::feed`] the body to the session, then
    /// call [`Session::on_disconnect`] when it ends or fails.
    Open,
    /// Drop the response, wait `delay`, then start the next attempt with
    /// [`Session::next_request`].
    Retry {
        /// How long to wait.
        delay: Duration,
    },
    /// Drop the response; the session has stopped for good.
    Stop {
        /// Why.
        reason: StopReason,
    },
}

/// What to do after a connection ended, from [`Session::on_disconnect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisconnectAction {
    /// Wait `delay`, then start the next attempt with
    /// [`Session::next_request`].
    Retry {
        /// How long to wait.
        delay: Duration,
    },
    /// The session has stopped for good.
    Stop {
        /// Why.
        reason: StopReason,
    },
}

/// A sans-IO `EventSource`: reconnection, `Last-Event-ID` and backoff around
/// a [`Parser`]. See the [module docs](self) for the loop, the policy table
/// and the delay rules.
///
/// One parser lives as long as the session, so the last event ID and the
/// reconnection time survive reconnections (it is [`finish`](Parser::finish)ed
/// between connections, never rebuilt).
#[derive(Debug, Clone)]
pub struct Session {
    parser: Parser,
    policy: Policy,
    state: State,
    /// Consecutive failed attempts; 0 once an event arrives.
    failures: u32,
    /// Whether the open connection has delivered an event.
    delivered: bool,
    jitter: u32,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session with the default [`Policy`] and parser.
    #[must_use]
    pub fn new() -> Self {
        Self::with_policy(Policy::new())
    }

    /// A session with the given [`Policy`].
    #[must_use]
    pub fn with_policy(policy: Policy) -> Self {
        Self {
            parser: Parser::new(),
            policy,
            state: State::Idle,
            failures: 0,
            delivered: false,
            jitter: 0,
        }
    }

    /// Uses `parser` (for its [`Config`](crate::Config), or a last event ID
    /// set with [`Parser::with_last_event_id`] to resume a stream seen
    /// before).
    ///
    /// ```
    /// use sse_proto::{EventId, Parser, Session};
    ///
    /// let parser = Parser::new().with_last_event_id(EventId::new("41").unwrap());
    /// let mut session = Session::new().with_parser(parser);
    /// assert_eq!(session.next_request().unwrap().last_event_id(), Some("41"));
    /// ```
    #[must_use]
    pub fn with_parser(mut self, mut parser: Parser) -> Self {
        parser.finish();
        self.parser = parser;
        self
    }

    /// Sets the random value (uniform over `u32`) that places the following
    /// backoff delays within their range. 0, the default, is no jitter:
    /// each failure doubles the delay, and clients that failed together
    /// retry together. Give it a fresh random value before each
    /// [`on_disconnect`](Self::on_disconnect) and
    /// [`on_response`](Self::on_response) to spread clients out; the session
    /// itself stays deterministic.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{DisconnectAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.next_request();
    /// session.on_disconnect(); // first failure: the reconnection time, 3 s
    /// session.next_request();
    /// assert_eq!(session.on_disconnect(), DisconnectAction::Retry { delay: Duration::from_secs(6) });
    /// session.next_request();
    /// session.set_jitter(u32::MAX / 2);
    /// let DisconnectAction::Retry { delay } = session.on_disconnect() else { panic!() };
    /// // The third failure waits between 3 s and 12 s: halfway here.
    /// assert!(delay > Duration::from_millis(7499) && delay < Duration::from_millis(7501));
    /// ```
    pub fn set_jitter(&mut self, random: u32) {
        self.jitter = random;
    }

    /// Starts an attempt: the request to send, or `None` once the session
    /// has stopped. Call it at first, and again once a delay has passed.
    ///
    /// Calling it while a connection is open abandons that connection (as
    /// if it had ended, without counting a failure): report the end with
    /// [`on_disconnect`](Self::on_disconnect) instead when you can.
    ///
    /// ```
    /// use sse_proto::{Session, State};
    ///
    /// let mut session = Session::new();
    /// session.next_request();
    /// session.on_response(200, Some("text/event-stream"), None);
    /// assert!(session.next_request().is_some()); // abandons the open stream
    /// assert_eq!((session.state(), session.failures()), (State::Connecting, 0));
    /// ```
    pub fn next_request(&mut self) -> Option<Request<'_>> {
        if let State::Stopped(_) = self.state {
            return None;
        }
        self.end_stream();
        self.state = State::Connecting;
        Some(Request::new(self.parser.last_event_id()))
    }

    /// Judges a response by its status, its `Content-Type` and its
    /// `Retry-After` header values (`None` when absent), by the policy table
    /// in the [module docs](self).
    ///
    /// After [`ResponseAction::Open`], [`feed`](Self::feed) the body. After
    /// the others, drop the response: its body is not an event stream.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Mode, Policy, ResponseAction, Session, StopReason};
    ///
    /// let mut session = Session::new();
    /// session.next_request();
    /// // `Retry-After: 10` outlasts the first backoff delay (3 s): it wins.
    /// let delay = Duration::from_secs(10);
    /// assert_eq!(session.on_response(503, None, Some("10")), ResponseAction::Retry { delay });
    ///
    /// let mut browser = Session::with_policy(Policy::new().mode(Mode::Browser));
    /// browser.next_request();
    /// let stop = ResponseAction::Stop { reason: StopReason::Status(503) };
    /// assert_eq!(browser.on_response(503, None, Some("10")), stop);
    /// ```
    pub fn on_response(
        &mut self,
        status: u16,
        content_type: Option<&str>,
        retry_after: Option<&str>,
    ) -> ResponseAction {
        if let State::Stopped(reason) = self.state {
            return ResponseAction::Stop { reason };
        }
        self.end_stream();
        match self.policy.judge(status, content_type, retry_after) {
            Verdict::Open => {
                self.state = State::Open;
                ResponseAction::Open
            }
            Verdict::Retry { not_before } => match self.fail(not_before) {
                DisconnectAction::Retry { delay } => ResponseAction::Retry { delay },
                DisconnectAction::Stop { reason } => ResponseAction::Stop { reason },
            },
            Verdict::Stop(reason) => {
                self.stop(reason);
                ResponseAction::Stop { reason }
            }
        }
    }

    /// Parses body bytes from the front of `input`, as [`Parser::feed`]
    /// does: `Ok(Some(frame))` for each frame, `Ok(None)` when `input` is
    /// used up, and recoverable [`ParseError`]s.
    ///
    /// Only an open stream is parsed: in any other state the bytes are
    /// discarded (`input` is emptied) and `Ok(None)` is returned.
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// session.next_request(); // no response yet: nothing is open
    /// let mut body: &[u8] = b"data: too early\n\n";
    /// assert!(session.feed(&mut body)?.is_none());
    /// assert!(body.is_empty());
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ParseError::EventTooLarge`] as from [`Parser::feed`]: the event is
    /// dropped and parsing goes on; keep calling.
    pub fn feed<'s, 'c: 's>(
        &'s mut self,
        input: &mut &'c [u8],
    ) -> Result<Option<Frame<'s>>, ParseError> {
        if self.state != State::Open {
            *input = &[];
            return Ok(None);
        }
        let frame = self.parser.feed(input)?;
        if let Some(Frame::Event(_)) = frame {
            // Events flow: the server is healthy again.
            self.delivered = true;
            self.failures = 0;
        }
        Ok(frame)
    }

    /// Reports that the attempt or the connection ended: it could not
    /// connect, it failed, or the body ended (normally or not). Returns the
    /// delay before the next attempt, or stop.
    ///
    /// A partly received event is discarded; the last event ID and the
    /// reconnection time are kept. An attempt that delivered no event counts
    /// as a failure and backs off.
    ///
    /// An attempt is counted once: with none in progress ([`State::Idle`],
    /// e.g. after [`on_response`](Self::on_response) answered
    /// [`Retry`](ResponseAction::Retry), or when an error path and its
    /// clean-up both report the same end) nothing more is counted, and the
    /// answer is the delay the failures so far call for.
    ///
    /// ```
    /// use sse_proto::{DisconnectAction, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.next_request();
    /// let ResponseAction::Retry { delay } = session.on_response(503, None, None) else { panic!() };
    /// // The connection of that response closes: the same attempt.
    /// assert_eq!(session.on_disconnect(), DisconnectAction::Retry { delay });
    /// assert_eq!(session.failures(), 1);
    /// ```
    pub fn on_disconnect(&mut self) -> DisconnectAction {
        match self.state {
            State::Stopped(reason) => return DisconnectAction::Stop { reason },
            State::Idle => {
                return DisconnectAction::Retry {
                    delay: self.backoff().delay(self.failures, self.jitter),
                }
            }
            State::Connecting | State::Open => {}
        }
        let delivered = self.state == State::Open && self.delivered;
        self.end_stream();
        self.state = State::Idle;
        if delivered {
            DisconnectAction::Retry {
                delay: self.backoff().delay(0, self.jitter),
            }
        } else {
            self.fail(None)
        }
    }

    /// Stops the session for good: nothing will schedule an attempt again,
    /// and [`feed`](Self::feed) discards its input. A session that had
    /// already stopped keeps its first [`StopReason`].
    ///
    /// ```
    /// use sse_proto::{Session, State, StopReason};
    ///
    /// let mut session = Session::new();
    /// assert_eq!(session.state(), State::Idle);
    /// session.close();
    /// assert!(session.is_stopped());
    /// assert_eq!(session.state(), State::Stopped(StopReason::Closed));
    /// assert!(session.next_request().is_none());
    /// ```
    pub fn close(&mut self) {
        if let State::Stopped(_) = self.state {
            return;
        }
        self.stop(StopReason::Closed);
    }

    /// The current [`State`].
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session has stopped for good.
    pub fn is_stopped(&self) -> bool {
        matches!(self.state, State::Stopped(_))
    }

    /// The last event ID: what the next request sends as `Last-Event-ID`
    /// (see [`Request::last_event_id`] for when it is left out).
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// session.next_request();
    /// session.on_response(200, Some("text/event-stream"), None);
    /// let mut body: &[u8] = b"id: 1\ndata: a\n\nid: 2\ndata: cut off";
    /// while session.feed(&mut body)?.is_some() {}
    /// session.on_disconnect();
    /// assert_eq!(session.last_event_id(), "1"); // event 2 never completed
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn last_event_id(&self) -> &str {
        self.parser.last_event_id()
    }

    /// The reconnection time in force: the server's latest `retry`, else
    /// [`Policy::default_reconnection_time`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(3));
    /// session.next_request();
    /// session.on_response(200, Some("text/event-stream"), None);
    /// session.feed(&mut &b"retry: 750\n"[..])?;
    /// assert_eq!(session.reconnection_time(), Duration::from_millis(750));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn reconnection_time(&self) -> Duration {
        self.parser
            .reconnection_time()
            .unwrap_or(self.policy.default_reconnection_time)
    }

    /// The number of consecutive failed attempts so far (0 once an event
    /// arrives).
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// session.next_request();
    /// session.on_disconnect(); // could not connect
    /// assert_eq!(session.failures(), 1);
    /// session.next_request();
    /// session.on_response(200, Some("text/event-stream"), None);
    /// session.feed(&mut &b"data: back\n\n"[..])?;
    /// assert_eq!(session.failures(), 0);
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The policy this session follows.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The parser, for its [`Config`](crate::Config) and state.
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    fn backoff(&self) -> Backoff {
        Backoff::new(self.reconnection_time(), self.policy.max_delay)
    }

    /// Ends the current stream, if any: the next one starts fresh, with the
    /// last event ID and reconnection time kept.
    fn end_stream(&mut self) {
        self.parser.finish();
        self.delivered = false;
    }

    /// Counts a failed attempt and works out what to do next.
    fn fail(&mut self, not_before: Option<Duration>) -> DisconnectAction {
        self.failures = self.failures.saturating_add(1);
        if let Some(limit) = self.policy.max_retries {
            if self.failures > limit {
                self.stop(StopReason::TooManyRetries);
                return DisconnectAction::Stop {
                    reason: StopReason::TooManyRetries,
                };
            }
        }
        self.state = State::Idle;
        let backoff = self.backoff();
        let delay = match not_before {
            Some(not_before) => backoff.delay_after(self.failures, self.jitter, not_before),
            None => backoff.delay(self.failures, self.jitter),
        };
        DisconnectAction::Retry { delay }
    }

    fn stop(&mut self, reason: StopReason) {
        self.end_stream();
        self.state = State::Stopped(reason);
    }
}
