//! Property tests: arbitrary sequences of what can happen to a client
//! session, checked against a small model.

use core::mem;
use core::time::Duration;

use proptest::prelude::*;
use sse_proto::{
    DisconnectAction, Frame, Mode, OwnedFrame, Parser, Policy, ResponseAction, Session, State,
    StopReason,
};

#[derive(Debug, Clone)]
enum Input {
    Request,
    Response {
        status: u16,
        content_type: Option<&'static str>,
        retry_after: Option<&'static str>,
    },
    Body(Vec<u8>),
    Disconnect,
    Close,
    Jitter(u32),
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200),
        1 => Just(204),
        1 => prop::sample::select(vec![408, 429, 500, 502, 503, 599]),
        1 => 100u16..600,
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::weighted(
        0.8,
        prop::sample::select(vec![
            "text/event-stream",
            " Text/Event-Stream ; charset=utf-8",
            "text/html",
            "",
        ]),
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
            b"data: x\n",
            b"data\n",
            b"\n",
            b"\r\n",
            b"\r",
            b"retry: 0\n",
            b"retry: 250\n",
            b"retry: 4000\n",
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
        3 => (status(), content_type(), retry_after()).prop_map(|(status, content_type, retry_after)| {
            Input::Response { status, content_type, retry_after }
        }),
        4 => body().prop_map(Input::Body),
        3 => Just(Input::Disconnect),
        1 => Just(Input::Close),
        1 => any::<u32>().prop_map(Input::Jitter),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::bool::ANY,
        0u64..5000,
        0u64..10_000,
        prop::option::of(0u32..4),
    )
        .prop_map(|(browser, reconnection_ms, cap_ms, max_retries)| {
            let mode = if browser {
                Mode::Browser
            } else {
                Mode::Resilient
            };
            Policy::new()
                .mode(mode)
                .default_reconnection_time(Duration::from_millis(reconnection_ms))
                .max_delay(Duration::from_millis(cap_ms))
                .max_retries(max_retries)
        })
}

/// What the tests expect, kept independently of the session.
struct Model {
    /// A parser fed exactly what the session parses, finished whenever a
    /// stream ends: its last event ID is the one committed.
    shadow: Parser,
    policy: Policy,
    failures: u32,
    delivered: bool,
    stopped: bool,
    /// An attempt is in progress (requested, or open): its end is counted
    /// once.
    attempting: bool,
}

impl Model {
    fn retryable(&self, status: u16) -> bool {
        self.policy.mode == Mode::Resilient && matches!(status, 408 | 429 | 500..=599)
    }

    /// Counts a failure; whether the policy still retries it.
    fn fail(&mut self) -> bool {
        self.failures += 1;
        !matches!(self.policy.max_retries, Some(limit) if self.failures > limit)
    }

    /// Checks a delay against the bounds in the module docs.
    fn check_delay(&self, session: &Session, delay: Duration, after_events: bool) {
        let base = session.reconnection_time();
        let cap = self.policy.max_delay.max(base);
        assert!(
            delay >= base && delay <= cap,
            "{delay:?} not in [{base:?}, {cap:?}]"
        );
        if after_events {
            assert_eq!(delay, base, "after events: exactly the reconnection time");
        }
    }
}

fn run(policy: Policy, inputs: Vec<Input>) {
    let mut session = Session::with_policy(policy.clone());
    let mut model = Model {
        shadow: Parser::new(),
        policy,
        failures: 0,
        delivered: false,
        stopped: false,
        attempting: false,
    };
    for input in inputs {
        let was_open = session.state() == State::Open;
        if !matches!(input, Input::Body(_) | Input::Jitter(_)) {
            model.shadow.finish();
        }
        match input {
            Input::Request => {
                let request = session
                    .next_request()
                    .map(|r| r.last_event_id().map(str::to_owned));
                match request {
                    None => assert!(model.stopped, "no attempt after a stop"),
                    Some(sent) => {
                        assert!(!model.stopped, "an attempt after a stop");
                        let committed = model.shadow.last_event_id();
                        let expected = Some(committed).filter(|id| !id.is_empty());
                        assert_eq!(sent.as_deref(), expected);
                    }
                }
                model.delivered = false;
                model.attempting = !model.stopped;
            }
            Input::Response {
                status,
                content_type,
                retry_after,
            } => {
                let action = session.on_response(status, content_type, retry_after);
                model.delivered = false;
                model.attempting = action == ResponseAction::Open;
                match action {
                    _ if model.stopped => {
                        assert!(matches!(action, ResponseAction::Stop { .. }));
                    }
                    ResponseAction::Open => assert_eq!(status, 200),
                    ResponseAction::Retry { delay } => {
                        assert!(model.retryable(status) && model.fail());
                        model.check_delay(&session, delay, false);
                    }
                    ResponseAction::Stop { reason } => {
                        if model.retryable(status) {
                            assert!(!model.fail());
                            assert_eq!(reason, StopReason::TooManyRetries);
                        }
                        model.stopped = true;
                    }
                }
            }
            Input::Body(bytes) => {
                let from_session = feed(&mut session, &bytes);
                if was_open {
                    assert_eq!(from_session, feed_parser(&mut model.shadow, &bytes));
                    if from_session
                        .iter()
                        .any(|f| matches!(f, Ok(OwnedFrame::Event(_))))
                    {
                        model.delivered = true;
                        model.failures = 0;
                    }
                } else {
                    assert!(
                        from_session.is_empty(),
                        "frames from a stream that is not open"
                    );
                }
            }
            Input::Disconnect => {
                let after_events = was_open && model.delivered;
                let action = session.on_disconnect();
                model.delivered = false;
                // With no attempt in progress, its end was already counted.
                let counted = !mem::take(&mut model.attempting);
                match action {
                    _ if model.stopped => {
                        assert!(matches!(action, DisconnectAction::Stop { .. }));
                    }
                    DisconnectAction::Retry { delay } => {
                        assert!(after_events || counted || model.fail());
                        model.check_delay(&session, delay, after_events);
                    }
                    DisconnectAction::Stop { reason } => {
                        assert!(!after_events && !counted && !model.fail());
                        assert_eq!(reason, StopReason::TooManyRetries);
                        model.stopped = true;
                    }
                }
            }
            Input::Close => {
                session.close();
                model.stopped = true;
                model.attempting = false;
            }
            Input::Jitter(random) => session.set_jitter(random),
        }
        assert_eq!(session.is_stopped(), model.stopped);
        if !model.stopped {
            assert_eq!(session.failures(), model.failures);
        }
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

fn feed_parser(
    parser: &mut Parser,
    bytes: &[u8],
) -> Vec<Result<OwnedFrame, sse_proto::ParseError>> {
    parser.frames(bytes).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn session_follows_the_model(policy in policy(), inputs in prop::collection::vec(input(), 0..40)) {
        run(policy, inputs);
    }

    #[test]
    fn happy_reconnections_send_the_last_committed_id(
        bodies in prop::collection::vec(body(), 1..6),
    ) {
        // Open, feed, disconnect, repeat: always a fresh attempt.
        let inputs = bodies
            .into_iter()
            .flat_map(|body| {
                [
                    Input::Request,
                    Input::Response { status: 200, content_type: Some("text/event-stream"), retry_after: None },
                    Input::Body(body),
                    Input::Disconnect,
                ]
            })
            .chain([Input::Request])
            .collect();
        run(Policy::new(), inputs);
    }
}
