//! `EventSource`: the session's decisions carried out with reqwest and tokio.

use core::future::Future;
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use core::time::Duration;
use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use futures_core::{FusedStream, Stream};
use http_body::Body as _;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER};
use reqwest::RequestBuilder;
use sse_proto::session::{self, DisconnectAction, Method, ResponseAction, Session, StopReason};
use sse_proto::{Parser, Policy};
use sse_proto_stream::{Detacher, Event, Frame, Text};
use tokio::time::{Instant, Sleep};

use crate::error::{Refused, REFUSED_BODY_LIMIT};
use crate::random::Jitter;
use crate::request::{add_headers, Requests};
use crate::Error;

type Sending = Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send>>;

/// What an [`EventSource`] reports, in order: connections, frames and
/// reconnections ([`EventSource::next_update`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Update {
    /// A response opened as an event stream (`onopen` in a browser).
    Open,
    /// An event (see [`Event`]: its text shares the received chunks).
    Event(Event),
    /// A comment line (servers send them as heartbeats).
    Comment(Text),
    /// A `retry` field set the reconnection time.
    Retry(Duration),
    /// An event broke the parser's size limit and was dropped; the stream
    /// goes on.
    Skipped(sse_proto::ParseError),
    /// The connection ended or failed (`error` says how, `None` for a
    /// clean end of the body); the next attempt starts after `delay`.
    Reconnecting {
        /// The failure, or `None` when the server ended the body.
        error: Option<Error>,
        /// The wait before the next attempt, jitter included.
        delay: Duration,
    },
}

enum Phase {
    /// The next poll sends a request.
    Idle,
    /// The timer holds the next attempt's time.
    Waiting,
    Connecting(Sending),
    Open(reqwest::Body),
    /// Reading a refused response's body before reporting it.
    Refusing(Box<Refusal>),
    Stopped,
}

struct Refusal {
    body: reqwest::Body,
    collected: BytesMut,
    refused: Refused,
    then: After,
}

enum After {
    Retry(session::Delay),
    Stop(StopReason),
}

/// A reconnecting Server-Sent Events client: a [`Stream`] of [`Event`]s.
///
/// Each attempt sends the caller's request (GET or POST, with its headers
/// and body) plus `Accept: text/event-stream`, `Cache-Control: no-cache` and
/// the `Last-Event-ID` of the last event seen. A [`Session`] decides the
/// rest: which responses open, how long to wait before the next attempt
/// (the server's `retry`, backoff with jitter), when to stop. The idle
/// timeout ([`Policy::idle_timeout`], 5 minutes by default) drops a
/// connection that received nothing, not even a comment, for that long.
///
/// The stream yields events until the source stops: `None` after a clean
/// stop (`204 No Content`, a POST's stream that ended, [`close`](Self::close)),
/// an [`Error`] as the last item after any other (a refused response with
/// its status and body, retries given up). Dropping it cancels everything.
/// [`next_update`](Self::next_update) shows comments and reconnections too.
///
/// # Examples
///
/// ```no_run
/// use sse_proto_reqwest::EventSource;
/// # async fn run() -> Result<(), sse_proto_reqwest::Error> {
/// let mut events = EventSource::get("https://example.com/stream")?;
/// while let Some(event) = events.next().await {
///     let event = event?;
///     println!("{}: {}", event.event_type, event.data);
/// }
/// # Ok(()) }
/// ```
pub struct EventSource {
    requests: Requests,
    session: Session,
    /// Whether the session has been told the method (at the first attempt,
    /// from the built request).
    method_known: bool,
    start: Instant,
    phase: Phase,
    timer: Pin<Box<Sleep>>,
    /// When the idle timer was last armed, and the last read since: the
    /// timer is moved only when it fires, not at every chunk.
    last_read: Instant,
    detacher: Detacher,
    ready: VecDeque<Update>,
    /// The last item once stopped: `Some(error)` until it is taken.
    last_error: Option<Error>,
    jitter: Jitter,
}

impl core::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EventSource")
            .field("requests", &self.requests)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl EventSource {
    /// An event source that sends `request` at every attempt (cloned each
    /// time), with the default [`Policy`].
    ///
    /// # Errors
    ///
    /// [`Error::NotCloneable`] when the request's body is a stream, which
    /// cannot be sent twice ([`with_requests`](Self::with_requests) can
    /// make it again).
    pub fn new(request: RequestBuilder) -> Result<Self, Error> {
        if request.try_clone().is_none() {
            return Err(Error::NotCloneable);
        }
        Ok(Self::from_requests(Requests::Template(request)))
    }

    /// A GET of `url` with a default client.
    ///
    /// # Errors
    ///
    /// [`Error::Request`] when the URL does not parse or the client cannot
    /// be built (reported at once, not at the first attempt).
    pub fn get(url: impl reqwest::IntoUrl) -> Result<Self, Error> {
        let url = url.into_url().map_err(Error::Request)?;
        // `Client::new` would panic where the TLS backend cannot start.
        let client = reqwest::Client::builder().build().map_err(Error::Request)?;
        Self::new(client.get(url))
    }

    /// An event source that calls `make` for every attempt's request: for a
    /// body that must be made again, or headers that change (a renewed
    /// token).
    pub fn with_requests(make: impl FnMut() -> RequestBuilder + Send + 'static) -> Self {
        Self::from_requests(Requests::Make(Box::new(make)))
    }

    fn from_requests(requests: Requests) -> Self {
        let now = Instant::now();
        Self {
            requests,
            session: Session::new(),
            method_known: false,
            start: now,
            phase: Phase::Idle,
            timer: Box::pin(tokio::time::sleep_until(now)),
            last_read: now,
            detacher: Detacher::new(),
            ready: VecDeque::new(),
            last_error: None,
            jitter: Jitter::new(),
        }
    }

    /// Uses `policy` (retries, delays, the idle timeout, whether a POST is
    /// sent again after its response opened). Call before the first poll.
    #[must_use]
    pub fn policy(mut self, policy: Policy) -> Self {
        let parser = self.session.parser().clone();
        self.session = Session::with_policy(policy).with_parser(parser);
        self
    }

    /// Uses `parser` (its limits; a last event ID to start from, sent with
    /// the first request). Call before the first poll.
    #[must_use]
    pub fn parser(mut self, parser: Parser) -> Self {
        self.session = self.session.with_parser(parser);
        self
    }

    /// The session: its state, the last event ID, the reconnection time.
    #[must_use]
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The ID of the last event seen (empty when none): what the next
    /// attempt sends as `Last-Event-ID`.
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.session.last_event_id()
    }

    /// Why the source stopped, once it has.
    #[must_use]
    pub fn stop_reason(&self) -> Option<StopReason> {
        match self.session.state() {
            session::State::Stopped(reason) => Some(reason),
            _ => None,
        }
    }

    /// Stops for good: drops any connection; the stream then ends (`None`).
    pub fn close(&mut self) {
        self.session.close();
        self.phase = Phase::Stopped;
        self.ready.clear();
        self.last_error = None;
    }

    /// Drops the open connection (or the wait for one) and reconnects at
    /// once (after the policy's `min_delay`), sending the last event ID; not
    /// counted as a failure. Takes effect at the next poll.
    pub fn restart(&mut self) {
        if matches!(self.phase, Phase::Stopped) {
            return;
        }
        match self.session.restart(self.now()) {
            DisconnectAction::Retry { delay } => self.wait(delay.shortest(), None),
            DisconnectAction::Stop { reason } => self.stop(reason, None),
            _ => self.stop(StopReason::Closed, None),
        }
    }

    /// The next event; `None` once stopped (after an `Err` if it stopped on
    /// a failure). The same as `StreamExt::next`, without the import.
    pub async fn next(&mut self) -> Option<Result<Event, Error>> {
        core::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The next update: an event, a comment, a reconnection; `None` once
    /// stopped (after an `Err` if it stopped on a failure).
    pub async fn next_update(&mut self) -> Option<Result<Update, Error>> {
        core::future::poll_fn(|cx| self.poll_update(cx)).await
    }

    /// Polls for the next update ([`next_update`](Self::next_update)).
    pub fn poll_update(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Update, Error>>> {
        loop {
            if let Some(update) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(update)));
            }
            match &mut self.phase {
                Phase::Stopped => return Poll::Ready(self.last_error.take().map(Err)),
                Phase::Idle => self.send(),
                Phase::Waiting => {
                    ready!(self.timer.as_mut().poll(cx));
                    self.phase = Phase::Idle;
                }
                Phase::Connecting(sending) => match sending.as_mut().poll(cx) {
                    Poll::Ready(Ok(response)) => self.on_response(response),
                    Poll::Ready(Err(error)) => self.disconnected(Some(Error::Transport(error))),
                    Poll::Pending => ready!(self.poll_idle(cx)),
                },
                Phase::Open(body) => match Pin::new(body).poll_frame(cx) {
                    Poll::Ready(Some(Ok(frame))) => {
                        if let Ok(chunk) = frame.into_data() {
                            self.read(&chunk);
                        }
                    }
                    Poll::Ready(Some(Err(error))) => {
                        self.disconnected(Some(Error::Transport(error)));
                    }
                    Poll::Ready(None) => self.disconnected(None),
                    Poll::Pending => ready!(self.poll_idle(cx)),
                },
                Phase::Refusing(refusal) => match Pin::new(&mut refusal.body).poll_frame(cx) {
                    Poll::Ready(Some(Ok(frame))) => {
                        if let Ok(chunk) = frame.into_data() {
                            self.last_read = Instant::now();
                            if collect(refusal, &chunk) {
                                self.refuse();
                            }
                        }
                    }
                    Poll::Ready(Some(Err(_))) => {
                        refusal.refused.body_truncated = true;
                        self.refuse();
                    }
                    Poll::Ready(None) => self.refuse(),
                    Poll::Pending => ready!(self.poll_idle(cx)),
                },
            }
        }
    }

    /// The time since this source began, as the session counts it.
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    /// Sends the next attempt's request.
    fn send(&mut self) {
        let (client, mut request) = match self.requests.build() {
            Ok(built) => built,
            Err(error) => {
                self.session.close();
                return self.fail(error);
            }
        };
        if !self.method_known {
            let method = Method::from_name(request.method().as_str());
            self.session = core::mem::replace(&mut self.session, Session::new()).method(method);
            self.method_known = true;
        }
        let Some(next) = self.session.request() else {
            let reason = self.stop_reason().unwrap_or(StopReason::Closed);
            return self.stop(reason, None);
        };
        add_headers(&mut request, next.last_event_id());
        self.session.on_request(self.now());
        self.phase = Phase::Connecting(Box::pin(client.execute(request)));
        self.arm_idle();
    }

    fn on_response(&mut self, response: reqwest::Response) {
        let headers = response.headers();
        let header = |name| {
            headers
                .get(name)
                .and_then(|value: &reqwest::header::HeaderValue| value.to_str().ok())
        };
        let head = session::Response::new(response.status().as_u16())
            .content_type(header(CONTENT_TYPE))
            .content_encoding(header(CONTENT_ENCODING))
            .retry_after(header(RETRY_AFTER));
        let then = match self.session.on_response(self.now(), &head) {
            ResponseAction::Open => {
                self.phase = Phase::Open(response.into());
                self.arm_idle();
                return self.ready.push_back(Update::Open);
            }
            ResponseAction::Retry { delay } => After::Retry(delay),
            ResponseAction::Stop {
                reason: StopReason::NoContent,
            } => return self.stop(StopReason::NoContent, None),
            ResponseAction::Stop { reason } => After::Stop(reason),
            _ => After::Stop(StopReason::Closed),
        };
        let refused = Refused {
            status: response.status(),
            headers: response.headers().clone(),
            body: Bytes::new(),
            body_truncated: false,
            reason: match then {
                After::Stop(reason) => Some(reason),
                After::Retry(_) => None,
            },
        };
        self.phase = Phase::Refusing(Box::new(Refusal {
            body: response.into(),
            collected: BytesMut::new(),
            refused,
            then,
        }));
        self.arm_idle();
    }

    /// Parses one chunk of the open stream.
    fn read(&mut self, chunk: &Bytes) {
        self.last_read = Instant::now();
        let (detacher, ready) = (&mut self.detacher, &mut self.ready);
        self.session.for_each(chunk, |frame| {
            let update = match frame.map(|frame| detacher.frame(chunk, frame)) {
                Ok(Some(Frame::Event(event))) => Update::Event(event),
                Ok(Some(Frame::Comment(text))) => Update::Comment(text),
                Ok(Some(Frame::Retry(time))) => Update::Retry(time),
                Ok(_) => return,
                Err(error) => Update::Skipped(error),
            };
            ready.push_back(update);
        });
    }

    /// Reports the refused response once its body is read (or cut).
    fn refuse(&mut self) {
        let Phase::Refusing(refusal) = core::mem::replace(&mut self.phase, Phase::Stopped) else {
            return;
        };
        let Refusal {
            collected,
            mut refused,
            then,
            ..
        } = *refusal;
        refused.body = collected.freeze();
        let error = Error::Refused(Box::new(refused));
        match then {
            After::Retry(delay) => {
                let delay = delay.jittered(self.jitter.next());
                self.wait(delay, Some(error));
            }
            After::Stop(_) => self.fail(error),
        }
    }

    /// The connection ended (`error` says how, `None` for a clean end).
    fn disconnected(&mut self, error: Option<Error>) {
        match self.session.on_disconnect(self.now()) {
            DisconnectAction::Retry { delay } => {
                let delay = delay.jittered(self.jitter.next());
                self.wait(delay, error);
            }
            DisconnectAction::Stop { reason } => self.stop(reason, error),
            _ => self.stop(StopReason::Closed, error),
        }
    }

    /// Waits `delay` before the next attempt, reporting why.
    fn wait(&mut self, delay: Duration, error: Option<Error>) {
        self.timer.as_mut().reset(Instant::now() + delay);
        self.phase = Phase::Waiting;
        self.ready.push_back(Update::Reconnecting { error, delay });
    }

    /// Stops: cleanly for the reasons that are an answer (204, a POST's
    /// stream that ended, `close`), else with an error as the last item.
    fn stop(&mut self, reason: StopReason, error: Option<Error>) {
        self.phase = Phase::Stopped;
        self.last_error = match reason {
            StopReason::NoContent | StopReason::Closed | StopReason::Ended => error,
            _ => Some(Error::GaveUp {
                reason,
                last: error.map(Box::new),
            }),
        };
    }

    fn fail(&mut self, error: Error) {
        self.phase = Phase::Stopped;
        self.last_error = Some(error);
    }

    /// Starts the idle timer for a new read.
    fn arm_idle(&mut self) {
        self.last_read = Instant::now();
        if let Some(idle) = self.session.idle_timeout() {
            self.timer.as_mut().reset(self.last_read + idle);
        }
    }

    /// While a read is pending: `Ready` once the idle timeout has passed
    /// since the last read (the connection was then dropped and reported).
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(idle) = self.session.idle_timeout() else {
            return Poll::Pending;
        };
        loop {
            ready!(self.timer.as_mut().poll(cx));
            let deadline = self.last_read + idle;
            if Instant::now() >= deadline {
                break;
            }
            // Data came since the timer was set: move it, not fire.
            self.timer.as_mut().reset(deadline);
        }
        let error = Error::IdleTimeout(idle);
        match &mut self.phase {
            Phase::Refusing(refusal) => {
                refusal.refused.body_truncated = true;
                self.refuse();
            }
            _ => {
                self.phase = Phase::Idle; // drops the connection
                self.disconnected(Some(error));
            }
        }
        Poll::Ready(())
    }
}

/// Adds `chunk` to a refused body; `true` once the limit is reached.
fn collect(refusal: &mut Refusal, chunk: &Bytes) -> bool {
    let room = REFUSED_BODY_LIMIT - refusal.collected.len();
    if chunk.len() > room {
        refusal.collected.extend_from_slice(&chunk[..room]);
        refusal.refused.body_truncated = true;
        return true;
    }
    refusal.collected.extend_from_slice(chunk);
    false
}

impl Stream for EventSource {
    type Item = Result<Event, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match ready!(this.poll_update(cx)) {
                Some(Ok(Update::Event(event))) => return Poll::Ready(Some(Ok(event))),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl FusedStream for EventSource {
    fn is_terminated(&self) -> bool {
        matches!(self.phase, Phase::Stopped) && self.ready.is_empty() && self.last_error.is_none()
    }
}
