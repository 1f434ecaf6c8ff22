//! The session where a review suspected a defect: disconnects reported
//! without an attempt or twice, backoff and server retries at their extremes,
//! `retry` and the last event ID across every kind of failure, frames fed
//! before the response, a response given twice, browser-mode statuses.

#![cfg(feature = "std")]

use core::time::Duration;

use sse_proto::session::Delay;
use sse_proto::{
    DisconnectAction, Mode, Policy, Response, ResponseAction, Session, State, StopReason,
};

const SSE: Option<&str> = Some("text/event-stream");

// ---------------------------------------------------------------- session

const OK: Response<'static> = Response::new(200).content_type(SSE);
const T0: Duration = Duration::ZERO;
/// Longer than the default `healthy_after`.
const HEALTHY: Duration = Duration::from_secs(10);

fn open(session: &mut Session, now: Duration) {
    assert!(session.request().is_some());
    session.on_request(now);
    assert_eq!(session.on_response(now, &OK), ResponseAction::Open);
}

fn feed_all(session: &mut Session, mut body: &[u8]) -> usize {
    let mut events = 0;
    while let Some(frame) = session.feed(&mut body).unwrap() {
        if let sse_proto::Frame::Event(_) = frame {
            events += 1;
        }
    }
    events
}

fn delay_of(action: impl Into<ResponseAction>) -> Delay {
    match action.into() {
        ResponseAction::Retry { delay } => delay,
        other => panic!("not a retry: {other:?}"),
    }
}

/// One failed connection reported twice (say, by a read error path and by
/// the loop's cleanup) is still one failed attempt: `Idle` has no attempt
/// in progress ("No attempt in progress"), so nothing can fail.
#[test]
fn on_disconnect_without_an_attempt_counts_no_failure() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    session.on_request(T0);
    let first = session.on_disconnect(T0);
    assert!(matches!(first, DisconnectAction::Retry { .. }));
    assert_eq!(session.failures(), 1);
    // Reported again, before any new attempt: the same answer.
    assert_eq!(session.on_disconnect(T0), first);
    assert_eq!(session.failures(), 1);
    assert!(!session.is_stopped());
}

/// `ResponseAction::Retry` already counted the failed attempt; a caller that
/// also reports the end of that connection (its natural cleanup path) must
/// not count it again.
#[test]
fn on_disconnect_after_a_retry_response_counts_the_attempt_once() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    session.on_request(T0);
    assert!(matches!(
        session.on_response(T0, &Response::new(503)),
        ResponseAction::Retry { .. }
    ));
    let _ = session.on_disconnect(T0);
    assert_eq!(session.failures(), 1);
    assert!(!session.is_stopped());
}

/// Extreme policies and server values: no panic, every delay within
/// `[min_delay, cap]`, and the n-th failure's delay exactly
/// `[base, min(cap, base * 2^(n-1))]`.
#[test]
fn backoff_saturates_at_the_extremes() {
    let durations = [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_millis(99),
        Duration::from_millis(100),
        Duration::from_secs(3),
        Duration::from_millis(u64::MAX),
        Duration::MAX,
    ];
    for &reconnection in &durations {
        for &cap in &durations {
            for &floor in &[Duration::ZERO, Duration::from_millis(100), Duration::MAX] {
                let policy = Policy::new()
                    .default_reconnection_time(reconnection)
                    .max_delay(cap)
                    .min_delay(floor);
                let mut session = Session::with_policy(policy);
                let base = session.reconnection_time();
                assert_eq!(base, reconnection.max(floor));
                let cap = cap.max(base);
                for n in 1..=70u32 {
                    session.on_request(Duration::MAX);
                    let delay = delay_of(session.on_disconnect(Duration::MAX));
                    let factor = 1u32.checked_shl(n - 1).unwrap_or(u32::MAX);
                    let longest = base.saturating_mul(factor).min(cap);
                    assert_eq!(delay.shortest(), base, "n {n}");
                    assert_eq!(delay.longest(), longest, "n {n}: plain doubling");
                    assert!(delay.shortest() >= floor && delay.longest() <= cap);
                    for random in [0, 1, 1 << 31, u32::MAX] {
                        let jittered = delay.jittered(random);
                        assert!(jittered >= base && jittered <= longest, "{jittered:?}");
                    }
                }
                assert_eq!(session.failures(), 70);
            }
        }
    }
}

#[test]
fn the_largest_server_retry_is_cut_and_kept() {
    let mut session = Session::new();
    open(&mut session, T0);
    assert_eq!(
        feed_all(&mut session, b"retry: 18446744073709551615\ndata: x\n\n"),
        1
    );
    let expected = Delay::exactly(Duration::from_secs(600));
    assert_eq!(delay_of(session.on_disconnect(HEALTHY)), expected);
    for _ in 0..40 {
        session.on_request(HEALTHY);
        assert_eq!(delay_of(session.on_disconnect(HEALTHY)), expected);
    }
    // Retry-After larger still is cut to the cap, which is the retry.
    session.on_request(HEALTHY);
    let huge = Response::new(503).retry_after(Some("99999999999999999999999"));
    let action = session.on_response(HEALTHY, &huge);
    assert_eq!(action, ResponseAction::Retry { delay: expected });
}

/// A `retry` that arrives mid-stream, in a block the disconnect cuts, is
/// applied at once and kept; an ID in the same cut block is not committed.
#[test]
fn retry_applies_at_once_and_last_event_id_survives_every_kind_of_failure() {
    let mut session = Session::new();
    open(&mut session, T0);
    assert_eq!(
        feed_all(
            &mut session,
            b"id: 41\ndata: a\n\nretry: 1234\nid: 42\ndata: cut"
        ),
        1
    );
    assert_eq!(session.reconnection_time(), Duration::from_millis(1234));
    assert_eq!(
        delay_of(session.on_disconnect(HEALTHY)),
        Delay::exactly(Duration::from_millis(1234))
    );
    // Connection refused, 503, opened without events, then a 200.
    assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    session.on_request(HEALTHY);
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    session.on_request(HEALTHY);
    assert!(matches!(
        session.on_response(HEALTHY, &Response::new(503).retry_after(Some("1"))),
        ResponseAction::Retry { .. }
    ));
    assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    open(&mut session, HEALTHY);
    assert_eq!(feed_all(&mut session, b": only a heartbeat\n"), 0);
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(session.failures(), 3);
    let request = session.request().unwrap();
    let headers: Vec<_> = request.headers().collect();
    assert_eq!(
        headers,
        [
            ("accept", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("last-event-id", "41"),
        ]
    );
}

/// Body bytes fed before the response are discarded, not parsed into the
/// stream that opens next.
#[test]
fn feed_before_the_response_leaks_nothing_into_the_stream() {
    let mut session = Session::new();
    session.on_request(T0);
    assert_eq!(feed_all(&mut session, b"id: 5\ndata: early"), 0);
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    assert_eq!(feed_all(&mut session, b"\n\n"), 0);
    assert_eq!(session.last_event_id(), "");
}

/// A second `on_response` on an open stream starts a new stream: the first
/// one's half-built event is gone.
#[test]
fn on_response_twice_starts_over() {
    let mut session = Session::new();
    open(&mut session, T0);
    assert_eq!(feed_all(&mut session, b"data: 1\n\ndata: half"), 1);
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    assert_eq!(feed_all(&mut session, b"\n\n"), 0);
    assert_eq!(session.state(), State::Open);
    assert_eq!(session.failures(), 0);
}

/// Browser mode refuses everything but 200 + the right type, whatever
/// `Retry-After` says, and the reason is kept.
#[test]
fn browser_mode_stops_on_every_other_status() {
    for status in [
        0,
        100,
        101,
        199,
        201,
        206,
        301,
        304,
        400,
        408,
        429,
        500,
        503,
        599,
        600,
        999,
        u16::MAX,
    ] {
        let mut session = Session::with_policy(Policy::new().mode(Mode::Browser));
        session.on_request(T0);
        let response = Response::new(status)
            .content_type(SSE)
            .retry_after(Some("1"));
        let action = session.on_response(T0, &response);
        assert_eq!(
            action,
            ResponseAction::Stop {
                reason: StopReason::Status(status)
            },
            "{status}"
        );
        assert!(session.request().is_none());
    }
}

/// A policy whose floor is above its ceiling does not panic: the floor
/// against storms wins.
#[test]
fn min_delay_above_max_reconnection_time_wins() {
    let policy = Policy::new()
        .min_delay(Duration::from_secs(5))
        .max_reconnection_time(Duration::from_secs(1));
    let mut session = Session::with_policy(policy);
    open(&mut session, T0);
    feed_all(&mut session, b"retry: 3000\n");
    assert_eq!(session.reconnection_time(), Duration::from_secs(5));
}
