//! The client session's test helpers, shared by `session.rs` and
//! `session_delays.rs`.

use core::time::Duration;

use sse_proto::{Frame, Policy, Response, ResponseAction, Session};

pub const OK: Response<'static> = Response::new(200).content_type(Some("text/event-stream"));
/// Longer than the default `healthy_after` (5 s).
pub const HEALTHY: Duration = Duration::from_secs(10);
pub const T0: Duration = Duration::ZERO;

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

pub fn longest(action: impl Into<ResponseAction>) -> Duration {
    match action.into() {
        ResponseAction::Retry { delay } => delay.longest(),
        other => panic!("not a retry: {other:?}"),
    }
}

pub fn status(code: u16) -> Response<'static> {
    Response::new(code)
}

/// Feeds `body` and returns the data of its events.
pub fn feed_all(session: &mut Session, body: &[u8]) -> Vec<String> {
    let mut input = body;
    let mut data = Vec::new();
    while let Some(frame) = session.feed(&mut input).unwrap() {
        if let Frame::Event(event) = frame {
            data.push(event.data.to_owned());
        }
    }
    data
}

/// A session that has made its first request at 0 and got an open stream.
pub fn open_session(policy: Policy) -> Session {
    let mut session = Session::with_policy(policy);
    session.on_request(T0);
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    session
}

/// Requests and opens at `now`.
pub fn reopen(session: &mut Session, now: Duration) {
    session.on_request(now);
    assert_eq!(session.on_response(now, &OK), ResponseAction::Open);
}
