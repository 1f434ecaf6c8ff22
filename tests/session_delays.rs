//! The client session's delays, limits and methods, and the two defects of
//! issue 17 (a reconnect storm after `retry: 0`, a client parked by a huge
//! `retry`).

use core::time::Duration;

use sse_proto::session::{Delay, Method};
use sse_proto::{DisconnectAction, Policy, ResponseAction, Session, State, StopReason};

mod common;

use common::session::{feed_all, longest, ms, open_session, reopen, status, HEALTHY, OK, T0};

fn retry(delay: Duration) -> DisconnectAction {
    DisconnectAction::Retry {
        delay: Delay::exactly(delay),
    }
}

// ------------------------------------------------------------ defects

/// Issue 17, reconnect storm: a server that sends `retry: 0` and one event,
/// then closes at once, got 6,002 connections in 3 s from one client. Now
/// every wait is at least `min_delay` (100 ms) and such short connections
/// back off even though each delivered an event.
#[test]
fn retry_zero_and_an_event_then_close_does_not_storm() {
    for jittered in [false, true] {
        let mut session = Session::new();
        let mut now = T0;
        let mut connections = 0;
        while now < Duration::from_secs(3) && connections < 100_000 {
            session.on_request(now);
            now += ms(1); // connect
            assert_eq!(session.on_response(now, &OK), ResponseAction::Open);
            connections += 1;
            assert_eq!(feed_all(&mut session, b"retry: 0\ndata: x\n\n"), ["x"]);
            now += ms(1); // the server closes
            let DisconnectAction::Retry { delay } = session.on_disconnect(now) else {
                panic!("a GET reconnects")
            };
            assert!(delay.shortest() >= ms(100), "{delay:?}");
            // The worst case for a storm: jitter that always picks the bottom.
            now += if jittered {
                delay.jittered(0)
            } else {
                delay.longest()
            };
        }
        if jittered {
            // Never more than one connection per 100 ms floor (+2 ms of work).
            assert!(connections <= 30, "{connections} connections in 3 s");
        } else {
            // 100, 200, 400, 800, 1600 ms: 5 connections, at most ~10.
            assert!(connections <= 10, "{connections} connections in 3 s");
        }
        assert!(session.failures() >= 5);
    }
}

/// Issue 17, parked for good: `retry: 9223372036854775807` and one event
/// made the client wait that many milliseconds. Now cut to
/// `max_reconnection_time` (10 minutes).
#[test]
fn a_huge_server_retry_is_cut_to_max_reconnection_time() {
    let cap = Policy::new().max_reconnection_time;
    assert_eq!(cap, Duration::from_secs(600));
    for open_for in [ms(1), HEALTHY] {
        let mut session = open_session(Policy::new());
        let body = b"retry: 9223372036854775807\ndata: x\n\n";
        assert_eq!(feed_all(&mut session, body), ["x"]);
        assert_eq!(session.reconnection_time(), cap);
        let DisconnectAction::Retry { delay } = session.on_disconnect(open_for) else {
            panic!("a GET reconnects")
        };
        assert!(delay.longest() <= cap, "{delay:?}");
        assert_eq!(delay, Delay::exactly(cap));
    }
}

// ------------------------------------------------------------ delays

#[test]
fn normal_end_of_a_healthy_connection_reconnects_after_the_reconnection_time() {
    let mut session = open_session(Policy::new());
    assert_eq!(feed_all(&mut session, b"id: 1\ndata: a\n\n"), ["a"]);
    assert_eq!(session.on_disconnect(HEALTHY), retry(ms(3000)));
    assert_eq!(session.state(), State::Idle);
    assert_eq!(session.failures(), 0);
}

#[test]
fn server_retry_sets_the_delay_and_survives_reconnection() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"retry: 250\ndata: a\n\n");
    assert_eq!(session.on_disconnect(HEALTHY), retry(ms(250)));
    reopen(&mut session, HEALTHY);
    feed_all(&mut session, b"data: b\n\n");
    assert_eq!(session.on_disconnect(HEALTHY * 2), retry(ms(250)));
    assert_eq!(session.reconnection_time(), ms(250));
}

#[test]
fn retry_only_block_is_honoured() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"data: a\n\nretry: 700\n\n");
    assert_eq!(session.on_disconnect(HEALTHY), retry(ms(700)));
}

#[test]
fn a_short_connection_backs_off_even_with_events() {
    let mut session = open_session(Policy::new());
    let mut now = T0;
    let mut delays = Vec::new();
    for _ in 0..4 {
        assert_eq!(feed_all(&mut session, b"data: a\n\n"), ["a"]);
        now += ms(4999); // just short of healthy_after
        delays.push(longest(session.on_disconnect(now)).as_millis());
        reopen(&mut session, now);
    }
    assert_eq!(delays, [3000, 6000, 12_000, 24_000]);
    // Then one stays open 5 s: the backoff resets.
    assert_eq!(session.on_disconnect(now + ms(5000)), retry(ms(3000)));
    assert_eq!(session.failures(), 0);
}

#[test]
fn healthy_after_is_configurable() {
    let policy = Policy::new().healthy_after(T0);
    let mut session = open_session(policy);
    assert_eq!(session.on_disconnect(T0), retry(ms(3000)));
    assert_eq!(session.failures(), 0);
}

#[test]
fn min_delay_raises_every_delay() {
    let policy = Policy::new().min_delay(ms(500));
    let mut session = open_session(policy.clone());
    feed_all(&mut session, b"retry: 10\ndata: a\n\n");
    assert_eq!(session.reconnection_time(), ms(500));
    assert_eq!(session.on_disconnect(HEALTHY), retry(ms(500)));
    assert_eq!(session.restart(HEALTHY), retry(ms(500)));
    let mut fresh = Session::with_policy(policy.default_reconnection_time(T0));
    fresh.on_request(T0);
    assert_eq!(fresh.on_disconnect(T0), retry(ms(500)));
}

#[test]
fn open_without_events_counts_as_failure_and_backs_off() {
    let policy = Policy::new()
        .default_reconnection_time(ms(1000))
        .max_delay(ms(3500));
    let mut session = Session::with_policy(policy);
    let mut delays = Vec::new();
    for _ in 0..5 {
        reopen(&mut session, T0);
        feed_all(&mut session, b": comments are not events\n\nretry: 1000\n");
        delays.push(longest(session.on_disconnect(T0)).as_millis());
    }
    assert_eq!(session.failures(), 5);
    assert_eq!(delays, [1000, 2000, 3500, 3500, 3500]);
}

#[test]
fn connect_failure_counts_as_failure() {
    let mut session = Session::new();
    session.on_request(T0);
    assert_eq!(session.on_disconnect(T0), retry(ms(3000)));
    assert_eq!(session.failures(), 1);
}

#[test]
fn restart_reconnects_at_min_delay_without_counting_a_failure() {
    let mut session = Session::new();
    for _ in 0..2 {
        session.on_request(T0);
        let _ = session.on_disconnect(T0);
    }
    reopen(&mut session, T0);
    assert_eq!(session.restart(ms(10)), retry(ms(100)));
    assert_eq!((session.state(), session.failures()), (State::Idle, 2));
    // From a healthy connection, the streak resets, as at any healthy end.
    reopen(&mut session, ms(100));
    assert_eq!(session.restart(ms(100) + HEALTHY), retry(ms(100)));
    assert_eq!(session.failures(), 0);
    session.close();
    let reason = StopReason::Closed;
    assert_eq!(session.restart(HEALTHY), DisconnectAction::Stop { reason });
}

#[test]
fn time_going_back_is_taken_as_standing_still() {
    let mut session = Session::new();
    session.on_request(HEALTHY);
    assert_eq!(session.on_response(HEALTHY, &OK), ResponseAction::Open);
    // Earlier than the open: open for 0 s, not a panic nor an underflow.
    assert_eq!(session.on_disconnect(T0), retry(ms(3000)));
    assert_eq!(session.failures(), 1);
}

// ------------------------------------------------------------ limits

#[test]
fn max_retries_stops_after_that_many_retried_failures() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(2)));
    for _ in 0..2 {
        session.on_request(T0);
        assert!(matches!(
            session.on_disconnect(T0),
            DisconnectAction::Retry { .. }
        ));
    }
    session.on_request(T0);
    let reason = StopReason::TooManyRetries;
    assert_eq!(session.on_disconnect(T0), DisconnectAction::Stop { reason });
    assert!(session.request().is_none());
}

#[test]
fn max_retries_counts_retryable_statuses_and_resets_after_a_healthy_connection() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    session.on_request(T0);
    assert!(matches!(
        session.on_response(T0, &status(500)),
        ResponseAction::Retry { .. }
    ));
    reopen(&mut session, T0);
    feed_all(&mut session, b"data: a\n\n");
    assert!(matches!(
        session.on_disconnect(HEALTHY),
        DisconnectAction::Retry { .. }
    ));
    session.on_request(HEALTHY);
    assert!(matches!(
        session.on_response(HEALTHY, &status(503)),
        ResponseAction::Retry { .. }
    ));
    session.on_request(HEALTHY);
    let reason = StopReason::TooManyRetries;
    assert_eq!(
        session.on_response(HEALTHY, &status(503)),
        ResponseAction::Stop { reason }
    );
}

#[test]
fn max_retries_zero_never_retries_a_failure() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(0)));
    session.on_request(T0);
    let reason = StopReason::TooManyRetries;
    assert_eq!(session.on_disconnect(T0), DisconnectAction::Stop { reason });
}

#[test]
fn retry_budget_stops_once_a_streak_lasted_that_long() {
    let budget = Duration::from_secs(20);
    let mut session = Session::with_policy(Policy::new().retry_budget(Some(budget)));
    let mut now = Duration::from_secs(1000); // any origin
    let start = now;
    loop {
        session.on_request(now);
        now += ms(10);
        match session.on_disconnect(now) {
            DisconnectAction::Retry { delay } => now += delay.longest(),
            DisconnectAction::Stop { reason } => {
                assert_eq!(reason, StopReason::RetryBudget);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    // 3 + 6 + 12 s of waiting: the fourth attempt fails at 21.04 s.
    assert_eq!(now - start, ms(21_040));
    assert_eq!(session.failures(), 4);
    // A healthy connection starts a new streak with a new budget.
    let mut session = Session::with_policy(Policy::new().retry_budget(Some(budget)));
    session.on_request(T0);
    let _ = session.on_disconnect(T0);
    reopen(&mut session, Duration::from_secs(3));
    assert!(matches!(
        session.on_disconnect(Duration::from_secs(60)),
        DisconnectAction::Retry { .. }
    ));
    session.on_request(Duration::from_secs(63));
    assert!(matches!(
        session.on_disconnect(Duration::from_secs(63)),
        DisconnectAction::Retry { .. }
    ));
}

// ------------------------------------------------------------ methods

#[test]
fn a_post_is_not_sent_again_after_its_response_opened() {
    for method in [
        Method::Post,
        Method::Patch,
        Method::Other { idempotent: false },
    ] {
        let mut session = Session::new().method(method);
        // Before a response opens it is retried.
        session.on_request(T0);
        assert!(matches!(
            session.on_disconnect(T0),
            DisconnectAction::Retry { .. }
        ));
        session.on_request(T0);
        assert!(matches!(
            session.on_response(T0, &status(503)),
            ResponseAction::Retry { .. }
        ));
        reopen(&mut session, T0);
        assert_eq!(feed_all(&mut session, b"data: token\n\n"), ["token"]);
        let reason = StopReason::Ended;
        assert_eq!(
            session.on_disconnect(HEALTHY),
            DisconnectAction::Stop { reason }
        );
        assert!(session.request().is_none());
    }
}

#[test]
fn resend_after_open_lets_a_post_reconnect() {
    let policy = Policy::new().resend_after_open(true);
    let mut session = open_session(policy);
    session = session.method(Method::Post);
    assert_eq!(session.on_disconnect(HEALTHY), retry(ms(3000)));
    for method in [Method::Get, Method::Put, Method::Delete, Method::Report] {
        let mut session = open_session(Policy::new()).method(method);
        assert_eq!(
            session.on_disconnect(HEALTHY),
            retry(ms(3000)),
            "{method:?}"
        );
    }
}

#[test]
fn retry_budget_is_spent_when_exactly_that_long_has_passed() {
    let budget = Duration::from_secs(3);
    let mut session = Session::with_policy(Policy::new().retry_budget(Some(budget)));
    session.on_request(T0);
    assert_eq!(longest(session.on_disconnect(T0)), budget);
    session.on_request(budget - ms(1));
    assert!(matches!(
        session.on_disconnect(budget - ms(1)),
        DisconnectAction::Retry { .. }
    ));
    session.on_request(budget);
    let reason = StopReason::RetryBudget;
    assert_eq!(
        session.on_disconnect(budget),
        DisconnectAction::Stop { reason }
    );
    // A zero budget allows no retry at all, as `max_retries(Some(0))`.
    let mut session = Session::with_policy(Policy::new().retry_budget(Some(T0)));
    session.on_request(T0);
    assert_eq!(
        session.on_disconnect(ms(0)),
        DisconnectAction::Stop { reason }
    );
}
