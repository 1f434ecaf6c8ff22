//! [`Session`]: the state machine, its [`State`] and the actions it answers.

use core::ops::ControlFlow;
use core::time::Duration;

use super::action::{DisconnectAction, ResponseAction, State};
use super::delay::{Backoff, Delay};
use super::policy::{Policy, StopReason, Verdict};
use super::request::{Method, Request};
use super::response::Response;
use crate::{Frame, ParseError, Parser};

/// A sans-IO `EventSource`: reconnection, `Last-Event-ID` and backoff around
/// a [`Parser`]. See the [module docs](crate::session) for the loop, the policy table
/// and the delay rules.
///
/// One parser lives as long as the session, so the last event ID and the
/// reconnection time survive reconnections (it is [`finish`](Parser::finish)ed
/// between connections, never rebuilt).
///
/// ```
/// use core::time::Duration;
/// use sse_proto::Session;
///
/// let session = Session::default();
/// assert_eq!(session.reconnection_time(), Duration::from_secs(3));
/// assert_eq!(session.failures(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct Session {
    parser: Parser,
    policy: Policy,
    method: Method,
    state: State,
    /// Consecutive failed attempts; 0 after a healthy connection.
    failures: u32,
    /// Requests made so far.
    attempts: u32,
    /// The latest `now` seen: time never goes back.
    clock: Duration,
    /// When the latest request was made (`None` before the first).
    requested_at: Option<Duration>,
    /// When the open stream opened.
    opened_at: Duration,
    /// When the first request of the current streak of failures was made.
    streak_started: Duration,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session with the default [`Policy`], parser and method (`GET`).
    ///
    /// ```
    /// use sse_proto::session::Method;
    /// use sse_proto::Session;
    ///
    /// assert_eq!(Session::new().request().unwrap().method(), Method::Get);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_policy(Policy::new())
    }

    /// A session with the given [`Policy`].
    ///
    /// ```
    /// use sse_proto::{Mode, Policy, Session};
    ///
    /// let session = Session::with_policy(Policy::new().mode(Mode::Browser));
    /// assert_eq!(session.policy().mode, Mode::Browser);
    /// ```
    #[must_use]
    pub fn with_policy(policy: Policy) -> Self {
        Self {
            parser: Parser::new(),
            policy,
            method: Method::Get,
            state: State::Idle,
            failures: 0,
            attempts: 0,
            clock: Duration::ZERO,
            requested_at: None,
            opened_at: Duration::ZERO,
            streak_started: Duration::ZERO,
        }
    }

    /// Sets the request method (default [`Method::Get`]): whether the
    /// request is idempotent decides whether it is sent again once its
    /// response opened (see [`Policy::resend_after_open`]).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::session::Method;
    /// use sse_proto::{DisconnectAction, Response, ResponseAction, Session, StopReason};
    ///
    /// let mut session = Session::new().method(Method::Post);
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let stop = DisconnectAction::Stop { reason: StopReason::Ended };
    /// assert_eq!(session.on_disconnect(Duration::from_secs(30)), stop); // not re-sent
    /// ```
    #[must_use]
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Uses `parser` (for its [`Config`](crate::Config), or a last event ID
    /// set with [`Parser::with_last_event_id`] to resume a stream seen
    /// before).
    ///
    /// ```
    /// use sse_proto::{EventId, Parser, Session};
    ///
    /// let parser = Parser::new().with_last_event_id(EventId::new("41")?);
    /// let session = Session::new().with_parser(parser);
    /// assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub fn with_parser(mut self, mut parser: Parser) -> Self {
        parser.finish();
        self.parser = parser;
        self
    }

    /// What the next attempt sends, or `None` once the session has stopped.
    /// It changes nothing: report the attempt with
    /// [`on_request`](Self::on_request). The request borrows the session, so
    /// build the HTTP request from it (method, headers, a fresh body) before
    /// calling `on_request`.
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// let request = session.request().expect("a new session connects");
    /// assert_eq!(request.attempt(), 1);
    /// session.close();
    /// assert!(session.request().is_none());
    /// ```
    #[must_use]
    pub fn request(&self) -> Option<Request<'_>> {
        if self.is_stopped() {
            return None;
        }
        let attempt = self.attempts.saturating_add(1);
        Some(Request::new(
            self.method,
            self.parser.last_event_id(),
            attempt,
        ))
    }

    /// Reports that the caller sent the request of [`request`](Self::request)
    /// (or is about to) at `now`: [`State::Idle`] becomes
    /// [`State::Connecting`]. Does nothing once stopped.
    ///
    /// Called while a connection is open, it abandons that connection (as
    /// if it had ended, without counting a failure): report the end with
    /// [`on_disconnect`](Self::on_disconnect) or [`restart`](Self::restart)
    /// instead when you can.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Session, State};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::from_secs(1));
    /// assert_eq!(session.state(), State::Connecting);
    /// ```
    pub fn on_request(&mut self, now: Duration) {
        if self.is_stopped() {
            return;
        }
        let now = self.tick(now);
        self.end_stream();
        self.state = State::Connecting;
        self.attempts = self.attempts.saturating_add(1);
        self.requested_at = Some(now);
    }

    /// Judges a response that arrived at `now` by its status and headers,
    /// by the policy table in the [module docs](crate::session).
    ///
    /// After [`ResponseAction::Open`], [`for_each`](Self::for_each) or
    /// [`feed`](Self::feed) the body. After the others, drop the response:
    /// its body is not an event stream.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Mode, Policy, Response, ResponseAction, Session, StopReason};
    ///
    /// let busy = Response::new(503).retry_after(Some("10"));
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// // `Retry-After: 10` outlasts the first backoff delay (3 s): it wins.
    /// let ResponseAction::Retry { delay } = session.on_response(Duration::ZERO, &busy) else { panic!() };
    /// assert_eq!(delay.shortest(), Duration::from_secs(10));
    ///
    /// let mut browser = Session::with_policy(Policy::new().mode(Mode::Browser));
    /// browser.on_request(Duration::ZERO);
    /// let stop = ResponseAction::Stop { reason: StopReason::Status(503) };
    /// assert_eq!(browser.on_response(Duration::ZERO, &busy), stop);
    /// ```
    pub fn on_response(&mut self, now: Duration, response: &Response<'_>) -> ResponseAction {
        if let State::Stopped(reason) = self.state {
            return ResponseAction::Stop { reason };
        }
        let now = self.tick(now);
        self.end_stream();
        match self.policy.judge(response) {
            Verdict::Open => {
                self.state = State::Open;
                self.opened_at = now;
                ResponseAction::Open
            }
            Verdict::Retry { not_before } => self.fail(not_before).into(),
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
    /// use core::time::Duration;
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO); // no response yet: nothing is open
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
        self.parser.feed(input)
    }

    /// Calls `f` with each frame of `chunk`, as [`Parser::for_each`]: the
    /// fastest way to parse, its loop inside the parser. Only an open stream
    /// is parsed: in any other state the chunk is discarded.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Frame, Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// assert!(session.request().is_some());
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let mut data = String::new();
    /// session.for_each(b": ping\n\nid: 3\ndata: a\n\ndata: b\n\n", |frame| {
    ///     if let Ok(Frame::Event(event)) = frame {
    ///         data.push_str(event.data);
    ///     }
    /// });
    /// assert_eq!((data.as_str(), session.last_event_id()), ("ab", "3"));
    ///
    /// let mut closed = Session::new(); // not open: the chunk is discarded
    /// closed.for_each(b"data: early\n\n", |_| unreachable!());
    /// ```
    #[inline]
    pub fn for_each(&mut self, chunk: &[u8], f: impl FnMut(Result<Frame<'_>, ParseError>)) {
        if self.state == State::Open {
            self.parser.for_each(chunk, f);
        }
    }

    /// Calls `f` with each frame from the front of `input` until it returns
    /// [`ControlFlow::Break`], as [`Parser::try_for_each`]: `input` is
    /// advanced past what was parsed. Only an open stream is parsed: in any
    /// other state `input` is emptied and nothing is called.
    ///
    /// ```
    /// use core::ops::ControlFlow;
    /// use core::time::Duration;
    /// use sse_proto::{Frame, Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let mut body: &[u8] = b"data: [DONE]\n\ndata: after\n\n";
    /// let done = session.try_for_each(&mut body, |frame| match frame {
    ///     Ok(Frame::Event(event)) if event.data == "[DONE]" => ControlFlow::Break(()),
    ///     _ => ControlFlow::Continue(()),
    /// });
    /// assert_eq!((done, body), (ControlFlow::Break(()), &b"data: after\n\n"[..]));
    /// ```
    #[inline]
    pub fn try_for_each<B>(
        &mut self,
        input: &mut &[u8],
        f: impl FnMut(Result<Frame<'_>, ParseError>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        if self.state != State::Open {
            *input = &[];
            return ControlFlow::Continue(());
        }
        self.parser.try_for_each(input, f)
    }

    /// Reports that the attempt or the connection ended at `now`: it could
    /// not connect, it failed, it stayed silent past
    /// [`idle_timeout`](Self::idle_timeout), or the body ended (normally or
    /// not). Returns the delay before the next attempt, or stop.
    ///
    /// A partly received event is discarded; the last event ID and the
    /// reconnection time are kept. A connection open for less than
    /// [`Policy::healthy_after`] counts as a failure and backs off; one
    /// open longer resets the backoff. The stream of a request that is not
    /// idempotent stops the session with [`StopReason::Ended`] (see
    /// [`Policy::resend_after_open`]).
    ///
    /// An attempt is counted once: with none in progress ([`State::Idle`],
    /// e.g. after [`on_response`](Self::on_response) answered
    /// [`Retry`](ResponseAction::Retry), or when an error path and its
    /// clean-up both report the same end) nothing more is counted, and the
    /// answer is the delay the failures so far call for.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{DisconnectAction, Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let ResponseAction::Retry { delay } = session.on_response(Duration::ZERO, &Response::new(503)) else { panic!() };
    /// // The connection of that response closes: the same attempt.
    /// assert_eq!(session.on_disconnect(Duration::ZERO), DisconnectAction::Retry { delay });
    /// assert_eq!(session.failures(), 1);
    /// ```
    pub fn on_disconnect(&mut self, now: Duration) -> DisconnectAction {
        let now = self.tick(now);
        match self.state {
            State::Stopped(reason) => DisconnectAction::Stop { reason },
            State::Idle => DisconnectAction::Retry {
                delay: self.backoff().delay(self.failures),
            },
            State::Connecting => self.fail(None),
            State::Open => {
                self.end_stream();
                self.state = State::Idle;
                if !self.method.is_idempotent() && !self.policy.resend_after_open {
                    self.stop(StopReason::Ended);
                    DisconnectAction::Stop {
                        reason: StopReason::Ended,
                    }
                } else if self.was_healthy(now) {
                    self.failures = 0;
                    DisconnectAction::Retry {
                        delay: Delay::exactly(self.reconnection_time()),
                    }
                } else {
                    self.fail(None)
                }
            }
        }
    }

    /// Drops the attempt or connection in progress on purpose, at `now`, and
    /// reconnects soon: after exactly [`Policy::min_delay`]. It is not a
    /// failure: the failure count stays as it was, except that a connection
    /// open for [`Policy::healthy_after`] or longer resets it, as at any end
    /// of a healthy connection.
    ///
    /// The caller asked for it, so it reconnects whatever the method (a
    /// request that is not idempotent is sent again). Once stopped, it
    /// answers [`Stop`](DisconnectAction::Stop).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{DisconnectAction, Response, ResponseAction, Session, State};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let DisconnectAction::Retry { delay } = session.restart(Duration::from_secs(1)) else { panic!() };
    /// assert_eq!(delay.longest(), Duration::from_millis(100));
    /// assert_eq!((session.state(), session.failures()), (State::Idle, 0));
    /// ```
    pub fn restart(&mut self, now: Duration) -> DisconnectAction {
        if let State::Stopped(reason) = self.state {
            return DisconnectAction::Stop { reason };
        }
        let now = self.tick(now);
        if self.state == State::Open && self.was_healthy(now) {
            self.failures = 0;
        }
        self.end_stream();
        self.state = State::Idle;
        DisconnectAction::Retry {
            delay: Delay::exactly(self.policy.min_delay),
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
    /// assert!(session.request().is_none());
    /// ```
    pub fn close(&mut self) {
        if self.is_stopped() {
            return;
        }
        self.stop(StopReason::Closed);
    }

    /// The current [`State`].
    ///
    /// ```
    /// use sse_proto::{Session, State};
    ///
    /// assert_eq!(Session::new().state(), State::Idle);
    /// ```
    #[must_use]
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session has stopped for good.
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// assert!(!session.is_stopped());
    /// session.close();
    /// assert!(session.is_stopped());
    /// ```
    #[must_use]
    pub fn is_stopped(&self) -> bool {
        matches!(self.state, State::Stopped(_))
    }

    /// The last event ID (see [`Request::last_event_id`] for when it is
    /// not sent).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let mut body: &[u8] = b"id: 1\ndata: a\n\nid: 2\ndata: cut off";
    /// while session.feed(&mut body)?.is_some() {}
    /// let _ = session.on_disconnect(Duration::from_secs(1));
    /// assert_eq!(session.last_event_id(), "1"); // event 2 never completed
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.parser.last_event_id()
    }

    /// The reconnection time in force: the server's latest `retry` within
    /// `[`[`Policy::min_delay`]`, `[`Policy::max_reconnection_time`]`]`, else
    /// [`Policy::default_reconnection_time`] raised to `min_delay`.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// assert_eq!(session.reconnection_time(), Duration::from_secs(3));
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// session.feed(&mut &b"retry: 750\n"[..])?;
    /// assert_eq!(session.reconnection_time(), Duration::from_millis(750));
    /// session.feed(&mut &b"retry: 0\n"[..])?;
    /// assert_eq!(session.reconnection_time(), Duration::from_millis(100));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn reconnection_time(&self) -> Duration {
        let policy = &self.policy;
        match self.server_retry() {
            // min then max, not clamp: a policy with min above max must not
            // panic, and the floor against storms wins.
            Some(retry) => retry
                .min(policy.max_reconnection_time)
                .max(policy.min_delay),
            None => policy.default_reconnection_time.max(policy.min_delay),
        }
    }

    /// The number of consecutive failed attempts so far (0 after a healthy
    /// connection).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let _ = session.on_disconnect(Duration::ZERO); // could not connect
    /// assert_eq!(session.failures(), 1);
    /// ```
    #[must_use]
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long an open stream may stay silent before the caller drops it
    /// and calls [`on_disconnect`](Self::on_disconnect): the caller's timer
    /// per read, reset by every chunk (see "Time" in the
    /// [module docs](crate::session)). From [`Policy::idle_timeout`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::Session;
    ///
    /// assert_eq!(Session::new().idle_timeout(), Some(Duration::from_secs(300)));
    /// ```
    #[must_use]
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.policy.idle_timeout
    }

    /// The policy this session follows.
    ///
    /// ```
    /// use sse_proto::{Policy, Session};
    ///
    /// assert_eq!(Session::new().policy(), &Policy::new());
    /// ```
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The parser, for its [`Config`](crate::Config) and state.
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// assert!(Session::new().parser().config().comments);
    /// ```
    #[must_use]
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// The server's `retry`, if it sent one.
    fn server_retry(&self) -> Option<Duration> {
        self.parser.reconnection_time()
    }

    fn backoff(&self) -> Backoff {
        Backoff::new(self.reconnection_time(), self.policy.max_delay)
    }

    /// Takes `now` as the time, unless time went back.
    fn tick(&mut self, now: Duration) -> Duration {
        self.clock = self.clock.max(now);
        self.clock
    }

    /// Whether the open stream has been open long enough to be healthy.
    fn was_healthy(&self, now: Duration) -> bool {
        now.saturating_sub(self.opened_at) >= self.policy.healthy_after
    }

    /// Ends the current stream, if any: the next one starts fresh, with the
    /// last event ID and reconnection time kept.
    fn end_stream(&mut self) {
        self.parser.finish();
    }

    /// Counts a failed attempt and works out what to do next.
    fn fail(&mut self, not_before: Option<Duration>) -> DisconnectAction {
        self.failures = self.failures.saturating_add(1);
        if self.failures == 1 {
            self.streak_started = self.requested_at.unwrap_or(self.clock);
        }
        let over_retries = self.policy.max_retries.is_some_and(|n| self.failures > n);
        let spent = self.clock.saturating_sub(self.streak_started);
        let over_budget = self.policy.retry_budget.is_some_and(|b| spent >= b);
        let reason = match (over_retries, over_budget) {
            (true, _) => StopReason::TooManyRetries,
            (false, true) => StopReason::RetryBudget,
            (false, false) => {
                self.state = State::Idle;
                let backoff = self.backoff();
                let delay = match not_before {
                    Some(not_before) => backoff.delay_after(self.failures, not_before),
                    None => backoff.delay(self.failures),
                };
                return DisconnectAction::Retry { delay };
            }
        };
        self.stop(reason);
        DisconnectAction::Stop { reason }
    }

    fn stop(&mut self, reason: StopReason) {
        self.end_stream();
        self.state = State::Stopped(reason);
    }
}
