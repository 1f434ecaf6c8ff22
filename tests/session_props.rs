//! Property tests: arbitrary sequences of what can happen to a client
//! session, at arbitrary times, checked against a small model; and the
//! delay invariants of the module docs.

use core::time::Duration;

use proptest::prelude::*;
use sse_proto::session::{Delay, Method};
use sse_proto::{
    DisconnectAction, Frame, Mode, OwnedFrame, Parser, Policy, Response, ResponseAction, Session,
    State, StopReason,
};

#[derive(Debug, Clone)]
enum Input {
    Request,
    Response {
        status: u16,
        content_type: Option<&'static str>,
        content_encoding: Option<&'static str>,
        retry_after: Option<&'static str>,
    },
    Body(Vec<u8>),
    Disconnect,
    Restart,
    Close,
    /// Time passes, in milliseconds.
    Wait(u64),
    /// A clock that goes back, in milliseconds.
    Rewind(u64),
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200),
        1 => Just(204),
        1 => prop::sample::select(vec![408, 429, 500, 502, 503, 599]),
        1 => 100u16..600,
    ]
}

/// `Content-Type` values, and whether each is `text/event-stream`.
const CONTENT_TYPES: [(&str, bool); 4] = [
    ("text/event-stream", true),
    (" Text/Event-Stream ; charset=utf-8", true),
    ("text/html", false),
    ("", false),
];

/// `Content-Encoding` values, and whether each leaves the body as it is.
const CONTENT_ENCODINGS: [(&str, bool); 4] = [
    ("identity", true),
    (" IDENTITY ", true),
    ("gzip", false),
    ("br", false),
];

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::weighted(
        0.8,
        prop::sample::select(CONTENT_TYPES.map(|(v, _)| v).to_vec()),
    )
}

fn content_encoding() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::weighted(
        0.2,
        prop::sample::select(CONTENT_ENCODINGS.map(|(v, _)| v).to_vec()),
    )
}

fn retry_after() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec![
        "0",
        "2",
        "120",
        "99999999999999999999999",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "-1",
    ]))
}

/// Event-stream-ish bytes: fields with IDs and retries, blank lines, CR,
/// partial lines, and now and then arbitrary bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            &b"id: 1\n"[..],
            b"id: 22\r\n",
            b"id\n",
            b"id: a\0b\n",
            b"id: a\x01b\n",
            b"id: caf\xc3\xa9\n",
            b"data: x\n",
            b"data\n",
            b"\n",
            b"\r\n",
            b"\r",
            b"retry: 0\n",
            b"retry: 250\n",
            b"retry: 4000\n",
            b"retry: 9223372036854775807\n",
            b"retry: 99999999999999999999999\n",
            b"retry: 1x\n",
            b": ping\n",
            b"event: e\n",
            b"da",
            b"ta: y",
            b"id: 3",
        ])
        .prop_map(<[u8]>::to_vec),
        prop::collection::vec(any::<u8>(), 0..4),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        3 => Just(Input::Request),
        3 => (status(), content_type(), content_encoding(), retry_after()).prop_map(
            |(status, content_type, content_encoding, retry_after)| Input::Response {
                status,
                content_type,
                content_encoding,
                retry_after,
            }
        ),
        4 => body().prop_map(Input::Body),
        3 => Just(Input::Disconnect),
        1 => Just(Input::Restart),
        1 => Just(Input::Close),
        3 => (0u64..8000).prop_map(Input::Wait),
        1 => (0u64..3000).prop_map(Input::Rewind),
    ]
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn policy() -> impl Strategy<Value = Policy> {
    let numbers = (
        0u64..5000,
        0u64..10_000,
        0u64..300,
        0u64..20_000,
        0u64..6000,
    );
    let limits = (
        prop::option::of(0u32..4),
        prop::option::of(0u64..30_000),
        prop::bool::ANY,
        prop::bool::ANY,
    );
    (numbers, limits).prop_map(|(numbers, limits)| {
        let (reconnection, cap, floor, ceiling, healthy) = numbers;
        let (max_retries, budget, browser, resend) = limits;
        let mode = if browser {
            Mode::Browser
        } else {
            Mode::Resilient
        };
        Policy::new()
            .mode(mode)
            .default_reconnection_time(ms(reconnection))
            .max_delay(ms(cap))
            .min_delay(ms(floor))
            .max_reconnection_time(ms(ceiling))
            .healthy_after(ms(healthy))
            .max_retries(max_retries)
            .retry_budget(budget.map(ms))
            .resend_after_open(resend)
    })
}

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(vec![Method::Get, Method::Post, Method::Report])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Connecting,
    Open { since: Duration },
    Stopped,
}

/// What the tests expect, kept independently of the session.
struct Model {
    /// A parser fed exactly what the session parses, finished whenever a
    /// stream ends: its last event ID is the one committed, its `retry` the
    /// server's.
    shadow: Parser,
    policy: Policy,
    method: Method,
    phase: Phase,
    failures: u32,
    attempts: u32,
    /// The caller's clock, which may go back; `clock` is what counts.
    now: Duration,
    clock: Duration,
    requested_at: Option<Duration>,
    streak_started: Duration,
}

impl Model {
    fn base(&self) -> Duration {
        let p = &self.policy;
        match self.shadow.reconnection_time() {
            Some(retry) => retry.min(p.max_reconnection_time).max(p.min_delay),
            None => p.default_reconnection_time.max(p.min_delay),
        }
    }

    fn cap(&self) -> Duration {
        self.policy.max_delay.max(self.base())
    }

    /// The delay after `self.failures` failures, by the module docs' rules,
    /// as `(shortest, longest)`.
    fn backoff(&self, not_before: Option<Duration>) -> Ends {
        let (base, cap) = (self.base(), self.cap());
        let doublings = self.failures.saturating_sub(1);
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        let longest = base.saturating_mul(factor).min(cap);
        let raise = |d: Duration| not_before.map_or(d, |n| d.max(n).min(cap));
        (raise(base), raise(longest))
    }

    fn exactly(&self, delay: Duration) -> Ends {
        (delay, delay)
    }

    /// Counts a failure: the delay, or why the session stops.
    fn fail(&mut self, not_before: Option<Duration>) -> Result<Ends, StopReason> {
        self.failures += 1;
        if self.failures == 1 {
            self.streak_started = self.requested_at.unwrap_or(self.clock);
        }
        if matches!(self.policy.max_retries, Some(n) if self.failures > n) {
            return Err(StopReason::TooManyRetries);
        }
        let spent = self.clock - self.streak_started;
        if matches!(self.policy.retry_budget, Some(b) if spent >= b) {
            return Err(StopReason::RetryBudget);
        }
        self.phase = Phase::Idle;
        Ok(self.backoff(not_before))
    }

    fn judge(&self, status: u16, ct: Option<&str>, ce: Option<&str>) -> Result<(), Verdict> {
        let is_sse = |v: &str| CONTENT_TYPES.iter().any(|&(t, sse)| t == v && sse);
        let identity = |v: Option<&str>| {
            v.map_or(true, |v| {
                CONTENT_ENCODINGS.iter().any(|&(e, id)| e == v && id)
            })
        };
        let resilient = self.policy.mode == Mode::Resilient;
        match status {
            200 => match ct {
                Some(v) if !is_sse(v) => Err(Verdict::Stop(StopReason::ContentType)),
                None if !resilient => Err(Verdict::Stop(StopReason::ContentType)),
                _ if !identity(ce) => Err(Verdict::Stop(StopReason::ContentEncoding)),
                _ => Ok(()),
            },
            204 => Err(Verdict::Stop(StopReason::NoContent)),
            408 | 429 | 500..=599 if resilient => Err(Verdict::Retry),
            _ => Err(Verdict::Stop(StopReason::Status(status))),
        }
    }
}

enum Verdict {
    Retry,
    Stop(StopReason),
}

type Ends = (Duration, Duration);

/// Checks a delay from the session against the model's and the invariants.
fn check_delay(model: &Model, got: Delay, expected: Ends) {
    assert_eq!((got.shortest(), got.longest()), expected, "delay");
    let floor = model.policy.min_delay;
    assert!(got.shortest() >= floor, "{got:?} below min_delay {floor:?}");
    assert!(
        got.longest() <= model.cap().max(floor),
        "{got:?} above the cap"
    );
    for random in [0, 1, u32::MAX / 3, u32::MAX] {
        let jittered = got.jittered(random);
        assert!(jittered >= got.shortest() && jittered <= got.longest());
    }
}

fn retry_of(action: impl Into<ResponseAction>) -> Result<Delay, StopReason> {
    match action.into() {
        ResponseAction::Retry { delay } => Ok(delay),
        ResponseAction::Stop { reason } => Err(reason),
        other => panic!("not an end: {other:?}"),
    }
}

/// The `Last-Event-ID` a request should carry for the committed `id`.
fn sendable(id: &str) -> Option<&str> {
    let refused = |c: char| c.is_ascii_control() && c != '\t';
    Some(id).filter(|id| !id.is_empty() && !id.contains(refused))
}

fn run(policy: Policy, method: Method, inputs: Vec<Input>) {
    let mut session = Session::with_policy(policy.clone()).method(method);
    let mut model = Model {
        shadow: Parser::new(),
        policy,
        method,
        phase: Phase::Idle,
        failures: 0,
        attempts: 0,
        // Any origin: the session's own clock starts at zero.
        now: Duration::from_secs(3600),
        clock: Duration::ZERO,
        requested_at: None,
        streak_started: Duration::ZERO,
    };
    for input in inputs {
        if !matches!(input, Input::Body(_) | Input::Wait(_) | Input::Rewind(_)) {
            model.shadow.finish();
        }
        step(&mut session, &mut model, input);
        let expected_state = match model.phase {
            Phase::Idle => State::Idle,
            Phase::Connecting => State::Connecting,
            Phase::Open { .. } => State::Open,
            Phase::Stopped => {
                assert!(session.is_stopped());
                assert!(session.request().is_none(), "no attempt after a stop");
                continue;
            }
        };
        assert_eq!(session.state(), expected_state);
        assert_eq!(session.failures(), model.failures);
        assert_eq!(session.reconnection_time(), model.base());
    }
}

fn step(session: &mut Session, model: &mut Model, input: Input) {
    let stopped = model.phase == Phase::Stopped;
    let now = model.now;
    if !matches!(input, Input::Wait(_) | Input::Rewind(_) | Input::Body(_)) && !stopped {
        model.clock = model.clock.max(now);
    }
    match input {
        Input::Wait(n) => model.now += ms(n),
        Input::Rewind(n) => model.now = model.now.saturating_sub(ms(n)),
        Input::Request => {
            if !stopped {
                let request = session.request().expect("not stopped");
                assert_eq!(request.attempt(), model.attempts + 1);
                assert_eq!(request.method(), model.method);
                assert_eq!(
                    request.last_event_id(),
                    sendable(model.shadow.last_event_id())
                );
                model.attempts += 1;
                model.phase = Phase::Connecting;
                model.requested_at = Some(model.clock);
            }
            session.on_request(now);
        }
        Input::Response {
            status,
            content_type,
            content_encoding,
            retry_after,
        } => {
            let response = Response::new(status)
                .content_type(content_type)
                .content_encoding(content_encoding)
                .retry_after(retry_after);
            let action = session.on_response(now, &response);
            if stopped {
                assert!(matches!(action, ResponseAction::Stop { .. }));
                return;
            }
            match model.judge(status, content_type, content_encoding) {
                Ok(()) => {
                    assert_eq!(action, ResponseAction::Open);
                    model.phase = Phase::Open { since: model.clock };
                }
                Err(Verdict::Retry) => {
                    let not_before = retry_after
                        .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                        .map(|v| Duration::from_secs(v.parse().unwrap_or(u64::MAX)));
                    let expected = model.fail(not_before);
                    expect(model, expected, action);
                }
                Err(Verdict::Stop(reason)) => {
                    assert_eq!(action, ResponseAction::Stop { reason });
                    model.phase = Phase::Stopped;
                }
            }
        }
        Input::Body(bytes) => {
            let from_session = feed(session, &bytes);
            if matches!(model.phase, Phase::Open { .. }) {
                assert_eq!(
                    from_session,
                    model.shadow.frames(&bytes).collect::<Vec<_>>()
                );
            } else {
                assert!(
                    from_session.is_empty(),
                    "frames from a stream that is not open"
                );
            }
        }
        Input::Disconnect => {
            let action = session.on_disconnect(now);
            let expected = match model.phase {
                Phase::Stopped => {
                    assert!(matches!(action, DisconnectAction::Stop { .. }));
                    return;
                }
                // No attempt in progress: its end was already counted.
                Phase::Idle => Ok(model.backoff(None)),
                Phase::Connecting => model.fail(None),
                Phase::Open { since } => {
                    model.phase = Phase::Idle;
                    if !model.method.is_idempotent() && !model.policy.resend_after_open {
                        Err(StopReason::Ended)
                    } else if model.clock - since >= model.policy.healthy_after {
                        model.failures = 0;
                        Ok(model.exactly(model.base()))
                    } else {
                        model.fail(None)
                    }
                }
            };
            expect(model, expected, action);
        }
        Input::Restart => {
            let action = session.restart(now);
            if stopped {
                assert!(matches!(action, DisconnectAction::Stop { .. }));
                return;
            }
            if let Phase::Open { since } = model.phase {
                if model.clock - since >= model.policy.healthy_after {
                    model.failures = 0;
                }
            }
            model.phase = Phase::Idle;
            let expected = Ok(model.exactly(model.policy.min_delay));
            expect(model, expected, action);
        }
        Input::Close => {
            session.close();
            model.phase = Phase::Stopped;
        }
    }
}

/// Checks an action against the model's expectation.
fn expect(
    model: &mut Model,
    expected: Result<Ends, StopReason>,
    action: impl Into<ResponseAction>,
) {
    match (expected, retry_of(action)) {
        (Ok(ends), Ok(delay)) => check_delay(model, delay, ends),
        (Err(reason), Err(got)) => {
            assert_eq!(got, reason);
            model.phase = Phase::Stopped;
        }
        (expected, got) => panic!("expected {expected:?}, got {got:?}"),
    }
}

fn feed(session: &mut Session, mut bytes: &[u8]) -> Vec<Result<OwnedFrame, sse_proto::ParseError>> {
    let mut frames = Vec::new();
    loop {
        match session.feed(&mut bytes) {
            Ok(Some(frame)) => frames.push(Ok(Frame::into_owned(frame))),
            Ok(None) => return frames,
            Err(error) => frames.push(Err(error)),
        }
    }
}

/// How an attempt fails, for the streak properties.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Connect,
    Status(u16),
    /// Opened, then ended before `healthy_after`, after an event.
    Short,
}

fn failure() -> impl Strategy<Value = Failure> {
    prop_oneof![
        Just(Failure::Connect),
        prop::sample::select(vec![408, 429, 500, 503]).prop_map(Failure::Status),
        Just(Failure::Short),
    ]
}

/// One failed attempt at `now`; what the session says.
fn fail_once(session: &mut Session, now: Duration, failure: Failure) -> Result<Delay, StopReason> {
    session.on_request(now);
    match failure {
        Failure::Connect => retry_of(session.on_disconnect(now)),
        Failure::Status(code) => retry_of(session.on_response(now, &Response::new(code))),
        Failure::Short => {
            let ok = Response::new(200).content_type(Some("text/event-stream"));
            assert_eq!(session.on_response(now, &ok), ResponseAction::Open);
            assert_eq!(feed(session, b"data: x\n\n").len(), 1);
            retry_of(session.on_disconnect(now + ms(1)))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn session_follows_the_model(
        policy in policy(),
        method in method(),
        inputs in prop::collection::vec(input(), 0..48),
    ) {
        run(policy, method, inputs);
    }

    #[test]
    fn happy_reconnections_send_the_last_committed_id(
        bodies in prop::collection::vec(body(), 1..6),
    ) {
        // Open, feed, disconnect after a while, repeat: always a fresh attempt.
        let inputs = bodies
            .into_iter()
            .flat_map(|body| {
                [
                    Input::Request,
                    Input::Response {
                        status: 200,
                        content_type: Some("text/event-stream"),
                        content_encoding: None,
                        retry_after: None,
                    },
                    Input::Body(body),
                    Input::Wait(6000),
                    Input::Disconnect,
                ]
            })
            .chain([Input::Request])
            .collect();
        run(Policy::new(), Method::Get, inputs);
    }

    /// Within a streak, without jitter, delays never shrink; none is below
    /// `min_delay` or above the cap; and `max_retries` stops after exactly
    /// that many retries.
    #[test]
    fn a_streak_backs_off_monotonically_and_stops_after_max_retries(
        failures in prop::collection::vec(failure(), 1..40),
        reconnection in 0u64..5000,
        floor in 0u64..500,
        cap in 0u64..60_000,
        limit in prop::option::of(0u32..12),
    ) {
        let policy = Policy::new()
            .default_reconnection_time(ms(reconnection))
            .min_delay(ms(floor))
            .max_delay(ms(cap))
            .max_retries(limit);
        let base = ms(reconnection.max(floor));
        let top = ms(cap).max(base);
        let mut session = Session::with_policy(policy);
        let mut now = Duration::ZERO;
        let mut previous = Duration::ZERO;
        for (n, failure) in failures.iter().enumerate() {
            let n = n as u32 + 1;
            match fail_once(&mut session, now, *failure) {
                Ok(delay) => {
                    prop_assert!(limit.map_or(true, |limit| n <= limit), "retry {n} past {limit:?}");
                    prop_assert!(delay.shortest() >= ms(floor) && delay.longest() <= top);
                    prop_assert_eq!(delay.shortest(), base);
                    prop_assert!(delay.longest() >= previous, "{:?} after {:?}", delay, previous);
                    previous = delay.longest();
                    now += delay.longest();
                }
                Err(reason) => {
                    prop_assert_eq!(reason, StopReason::TooManyRetries);
                    prop_assert_eq!(Some(n - 1), limit, "stopped after {} retries", n - 1);
                    prop_assert!(session.request().is_none());
                    return Ok(());
                }
            }
        }
        prop_assert!(limit.map_or(true, |limit| failures.len() as u32 <= limit));
    }

    /// With the default policy, a request that is not idempotent is never
    /// sent again once a response opened: whatever the server does, the
    /// session asks for no attempt after that stream.
    #[test]
    fn a_post_is_never_sent_again_after_open(
        before in prop::collection::vec(failure(), 0..5),
        body in body(),
        open_for in 0u64..20_000,
        method in prop::sample::select(vec![Method::Post, Method::Patch, Method::Other { idempotent: false }]),
    ) {
        let mut session = Session::new().method(method);
        let mut now = Duration::ZERO;
        for failure in before.into_iter().filter(|f| !matches!(f, Failure::Short)) {
            let delay = fail_once(&mut session, now, failure).expect("retried before it opens");
            now += delay.longest();
        }
        session.on_request(now);
        let ok = Response::new(200).content_type(Some("text/event-stream"));
        prop_assert_eq!(session.on_response(now, &ok), ResponseAction::Open);
        feed(&mut session, &body);
        let action = session.on_disconnect(now + ms(open_for));
        prop_assert_eq!(action, DisconnectAction::Stop { reason: StopReason::Ended });
        prop_assert!(session.request().is_none());
        prop_assert_eq!(session.on_disconnect(now + ms(open_for)), action);
    }
}
