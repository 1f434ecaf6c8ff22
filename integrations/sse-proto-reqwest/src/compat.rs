//! TEMPORARY: the session API of SESSION_API.md over today's `Session`, so
//! that the crate can be run and tested before branch `session` lands.
//! Removed when it does (the crate then imports `sse_proto::session`).

#![allow(missing_docs, dead_code, unreachable_pub, missing_debug_implementations)]

use core::time::Duration;

use sse_proto::{Frame, ParseError, Parser};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopReason {
    NoContent,
    Status(u16),
    ContentType,
    ContentEncoding,
    TooManyRetries,
    RetryBudget,
    Ended,
    Closed,
}

impl core::fmt::Display for StopReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl From<sse_proto::StopReason> for StopReason {
    fn from(reason: sse_proto::StopReason) -> Self {
        match reason {
            sse_proto::StopReason::NoContent => Self::NoContent,
            sse_proto::StopReason::Status(status) => Self::Status(status),
            sse_proto::StopReason::ContentType => Self::ContentType,
            sse_proto::StopReason::TooManyRetries => Self::TooManyRetries,
            _ => Self::Closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Idle,
    Connecting,
    Open,
    Stopped(StopReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delay(Duration, Duration);

impl Delay {
    pub fn exactly(d: Duration) -> Self {
        Self(d, d)
    }
    pub fn shortest(&self) -> Duration {
        self.0
    }
    pub fn longest(&self) -> Duration {
        self.1
    }
    pub fn jittered(&self, random: u32) -> Duration {
        let span = self.1.saturating_sub(self.0);
        self.0 + span.mul_f64(f64::from(random) / f64::from(u32::MAX))
    }
}

#[non_exhaustive]
pub enum ResponseAction {
    Open,
    Retry { delay: Delay },
    Stop { reason: StopReason },
}

#[non_exhaustive]
pub enum DisconnectAction {
    Retry { delay: Delay },
    Stop { reason: StopReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    #[default]
    Get,
    Post,
    Other {
        idempotent: bool,
    },
}

impl Method {
    pub fn from_name(name: &str) -> Self {
        match name {
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE" => Self::Get,
            "POST" => Self::Post,
            _ => Self::Other { idempotent: false },
        }
    }
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Other { idempotent: true })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    status: u16,
    content_type: Option<&'a str>,
    content_encoding: Option<&'a str>,
    retry_after: Option<&'a str>,
}

impl<'a> Response<'a> {
    pub fn new(status: u16) -> Self {
        Self { status, content_type: None, content_encoding: None, retry_after: None }
    }
    pub fn content_type(mut self, v: Option<&'a str>) -> Self {
        self.content_type = v;
        self
    }
    pub fn content_encoding(mut self, v: Option<&'a str>) -> Self {
        self.content_encoding = v;
        self
    }
    pub fn retry_after(mut self, v: Option<&'a str>) -> Self {
        self.retry_after = v;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    inner: sse_proto::Policy,
    pub idle_timeout: Option<Duration>,
    pub resend_after_open: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self::new()
    }
}

impl Policy {
    pub fn new() -> Self {
        Self {
            inner: sse_proto::Policy::new(),
            idle_timeout: Some(Duration::from_secs(300)),
            resend_after_open: false,
        }
    }
    pub fn idle_timeout(mut self, v: Option<Duration>) -> Self {
        self.idle_timeout = v;
        self
    }
    pub fn resend_after_open(mut self, v: bool) -> Self {
        self.resend_after_open = v;
        self
    }
    pub fn mode(mut self, v: sse_proto::Mode) -> Self {
        self.inner = self.inner.mode(v);
        self
    }
    pub fn max_retries(mut self, v: Option<u32>) -> Self {
        self.inner = self.inner.max_retries(v);
        self
    }
    pub fn default_reconnection_time(mut self, v: Duration) -> Self {
        self.inner = self.inner.default_reconnection_time(v);
        self
    }
}

pub struct Request<'a>(Option<&'a str>);

impl<'a> Request<'a> {
    pub fn last_event_id(&self) -> Option<&'a str> {
        self.0
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    inner: sse_proto::Session,
    policy: Policy,
    method: Method,
    stopped: Option<StopReason>,
    opened: bool,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Self {
        Self::with_policy(Policy::new())
    }
    pub fn with_policy(policy: Policy) -> Self {
        Self { inner: sse_proto::Session::with_policy(policy.inner.clone()), policy, method: Method::Get, stopped: None, opened: false }
    }
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }
    pub fn with_parser(mut self, parser: Parser) -> Self {
        self.inner = self.inner.with_parser(parser);
        self
    }
    pub fn parser(&self) -> &Parser {
        self.inner.parser()
    }
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.policy.idle_timeout
    }
    pub fn last_event_id(&self) -> &str {
        self.inner.last_event_id()
    }
    pub fn state(&self) -> State {
        if let Some(reason) = self.stopped {
            return State::Stopped(reason);
        }
        match self.inner.state() {
            sse_proto::State::Idle => State::Idle,
            sse_proto::State::Connecting => State::Connecting,
            sse_proto::State::Open => State::Open,
            sse_proto::State::Stopped(reason) => State::Stopped(reason.into()),
        }
    }
    pub fn request(&self) -> Option<Request<'_>> {
        if matches!(self.state(), State::Stopped(_)) {
            return None;
        }
        let id = self.inner.last_event_id();
        Some(Request((!id.is_empty()).then_some(id)))
    }
    pub fn on_request(&mut self, _now: Duration) {
        let _ = self.inner.next_request();
        self.opened = false;
    }
    pub fn on_response(&mut self, _now: Duration, response: &Response<'_>) -> ResponseAction {
        if response.status == 200
            && response.content_encoding.is_some_and(|e| !e.eq_ignore_ascii_case("identity"))
        {
            self.inner.close();
            self.stopped = Some(StopReason::ContentEncoding);
            return ResponseAction::Stop { reason: StopReason::ContentEncoding };
        }
        match self.inner.on_response(response.status, response.content_type, response.retry_after) {
            sse_proto::ResponseAction::Open => {
                self.opened = true;
                ResponseAction::Open
            }
            sse_proto::ResponseAction::Retry { delay } => ResponseAction::Retry { delay: Delay::exactly(delay) },
            sse_proto::ResponseAction::Stop { reason } => ResponseAction::Stop { reason: reason.into() },
        }
    }
    pub fn chunk<'s, 'c>(&'s mut self, chunk: &'c [u8]) -> Chunk<'s, 'c> {
        Chunk { session: self, input: chunk }
    }
    pub fn on_disconnect(&mut self, _now: Duration) -> DisconnectAction {
        if self.opened && !self.method.is_idempotent() && !self.policy.resend_after_open {
            self.inner.close();
            self.stopped = Some(StopReason::Ended);
            return DisconnectAction::Stop { reason: StopReason::Ended };
        }
        self.opened = false;
        match self.inner.on_disconnect() {
            sse_proto::DisconnectAction::Retry { delay } => DisconnectAction::Retry {
                delay: Delay::exactly(delay.max(Duration::from_millis(100))),
            },
            sse_proto::DisconnectAction::Stop { reason } => DisconnectAction::Stop { reason: reason.into() },
        }
    }
    pub fn restart(&mut self, _now: Duration) -> DisconnectAction {
        let _ = self.inner.on_disconnect();
        self.opened = false;
        DisconnectAction::Retry { delay: Delay::exactly(Duration::from_millis(100)) }
    }
    pub fn close(&mut self) {
        self.inner.close();
        self.stopped.get_or_insert(StopReason::Closed);
    }
}

pub struct Chunk<'s, 'c> {
    session: &'s mut Session,
    input: &'c [u8],
}

impl Chunk<'_, '_> {
    pub fn for_each(mut self, mut f: impl FnMut(Result<Frame<'_>, ParseError>)) {
        loop {
            match self.session.inner.feed(&mut self.input) {
                Ok(Some(frame)) => f(Ok(frame)),
                Ok(None) => return,
                Err(error) => f(Err(error)),
            }
        }
    }
}
