//! One test per transition of the client session, and the two defects of
//! issue 17 (a reconnect storm after `retry: 0`, a client parked by a huge
//! `retry`).

use core::time::Duration;

use sse_proto::session::{Delay, Method};
use sse_proto::{
    DisconnectAction, Frame, Mode, Parser, Policy, Response, ResponseAction, Session, State,
    StopReason,
};

const OK: Response<'static> = Response::new(200).content_type(Some("text/event-stream"));
/// Longer than the default `healthy_after` (5 s).
const HEALTHY: Duration = Duration::from_secs(10);
const T0: Duration = Duration::ZERO;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn retry(delay: Duration) -> DisconnectAction {
    DisconnectAction::Retry {
        delay: Delay::exactly(delay),
    }
}

fn longest(action: impl Into<ResponseAction>) -> Duration {
    match action.into() {
        ResponseAction::Retry { delay } => delay.longest(),
        other => panic!("not a retry: {other:?}"),
    }
}

fn status(code: u16) -> Response<'static> {
    Response::new(code)
}

/// Feeds `body` and returns the data of its events.
fn feed_all(session: &mut Session, body: &[u8]) -> Vec<String> {
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
fn open_session(policy: Policy) -> Session {
    let mut session = Session::with_policy(policy);
    session.on_request(T0);
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    session
}

/// Requests and opens at `now`.
fn reopen(session: &mut Session, now: Duration) {
    session.on_request(now);
    assert_eq!(session.on_response(now, &OK), ResponseAction::Open);
}

fn headers(session: &Session) -> Vec<(String, String)> {
    let request = session.request().unwrap();
    request
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
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

// ------------------------------------------------------------ requests

#[test]
fn new_session_is_idle_and_first_request_has_no_last_event_id() {
    let mut session = Session::new();
    assert_eq!(session.state(), State::Idle);
    assert_eq!(
        headers(&session),
        [
            ("accept".to_owned(), "text/event-stream".to_owned()),
            ("cache-control".to_owned(), "no-cache".to_owned()),
        ]
    );
    assert_eq!(session.state(), State::Idle, "request() changes nothing");
    session.on_request(T0);
    assert_eq!(session.state(), State::Connecting);
}

#[test]
fn attempts_count_every_request() {
    let mut session = Session::new();
    for attempt in 1..=4 {
        assert_eq!(session.request().unwrap().attempt(), attempt);
        assert_eq!(session.request().unwrap().attempt(), attempt, "pure");
        session.on_request(T0);
        let _ = session.on_disconnect(T0);
    }
}

#[test]
fn the_method_is_carried_by_every_request() {
    for method in [Method::Get, Method::Post, Method::Report] {
        let mut session = Session::new().method(method);
        assert_eq!(session.request().unwrap().method(), method);
        session.on_request(T0);
        let _ = session.on_disconnect(T0);
        assert_eq!(session.request().unwrap().method(), method);
    }
}

// ------------------------------------------------------------ responses

#[test]
fn event_stream_200_opens_with_any_case_parameters_and_spaces() {
    for content_type in [
        "text/event-stream",
        "TEXT/Event-Stream",
        "  text/event-stream ; charset=utf-8",
    ] {
        for mode in [Mode::Browser, Mode::Resilient] {
            let mut session = Session::with_policy(Policy::new().mode(mode));
            session.on_request(T0);
            let response = Response::new(200).content_type(Some(content_type));
            let action = session.on_response(T0, &response);
            assert_eq!(action, ResponseAction::Open, "{content_type:?} {mode:?}");
            assert_eq!(session.state(), State::Open);
        }
    }
}

#[test]
fn missing_content_type_opens_only_in_resilient_mode() {
    let mut resilient = Session::new();
    resilient.on_request(T0);
    assert_eq!(
        resilient.on_response(T0, &status(200)),
        ResponseAction::Open
    );

    let mut browser = Session::with_policy(Policy::new().mode(Mode::Browser));
    browser.on_request(T0);
    let reason = StopReason::ContentType;
    assert_eq!(
        browser.on_response(T0, &status(200)),
        ResponseAction::Stop { reason }
    );
}

#[test]
fn wrong_content_type_stops_in_both_modes() {
    for mode in [Mode::Browser, Mode::Resilient] {
        let mut session = Session::with_policy(Policy::new().mode(mode));
        session.on_request(T0);
        let action = session.on_response(T0, &Response::new(200).content_type(Some("text/html")));
        let reason = StopReason::ContentType;
        assert_eq!(action, ResponseAction::Stop { reason });
        assert_eq!(session.state(), State::Stopped(reason));
        assert!(session.request().is_none());
    }
}

#[test]
fn a_compressed_body_stops_and_is_never_parsed() {
    for encoding in ["gzip", "br", "deflate", "zstd", "identity, gzip"] {
        for mode in [Mode::Browser, Mode::Resilient] {
            let mut session = Session::with_policy(Policy::new().mode(mode));
            session.on_request(T0);
            let action = session.on_response(T0, &OK.content_encoding(Some(encoding)));
            let reason = StopReason::ContentEncoding;
            assert_eq!(action, ResponseAction::Stop { reason }, "{encoding}");
            assert!(feed_all(&mut session, b"data: x\n\n").is_empty());
        }
    }
    for identity in ["identity", "IDENTITY", ""] {
        let mut session = Session::new();
        session.on_request(T0);
        let action = session.on_response(T0, &OK.content_encoding(Some(identity)));
        assert_eq!(action, ResponseAction::Open, "{identity:?}");
    }
    // A retryable status is still retried: its body is dropped anyway.
    let mut session = Session::new();
    session.on_request(T0);
    let busy = Response::new(503).content_encoding(Some("gzip"));
    assert!(matches!(
        session.on_response(T0, &busy),
        ResponseAction::Retry { .. }
    ));
}

#[test]
fn no_content_stops_in_both_modes() {
    for mode in [Mode::Browser, Mode::Resilient] {
        let mut session = Session::with_policy(Policy::new().mode(mode));
        session.on_request(T0);
        let reason = StopReason::NoContent;
        let response = Response::new(204).content_type(Some("text/event-stream"));
        assert_eq!(
            session.on_response(T0, &response),
            ResponseAction::Stop { reason }
        );
        assert!(session.is_stopped());
        assert!(session.request().is_none());
        assert_eq!(session.on_disconnect(T0), DisconnectAction::Stop { reason });
    }
}

#[test]
fn other_statuses_stop_in_both_modes() {
    for code in [100, 201, 206, 301, 302, 307, 400, 401, 403, 404, 410] {
        for mode in [Mode::Browser, Mode::Resilient] {
            let mut session = Session::with_policy(Policy::new().mode(mode));
            session.on_request(T0);
            let reason = StopReason::Status(code);
            let response = Response::new(code).content_type(Some("text/event-stream"));
            assert_eq!(
                session.on_response(T0, &response),
                ResponseAction::Stop { reason }
            );
        }
    }
}

#[test]
fn retryable_statuses_stop_in_browser_mode() {
    for code in [408, 429, 500, 502, 503, 599] {
        let mut session = Session::with_policy(Policy::new().mode(Mode::Browser));
        session.on_request(T0);
        let reason = StopReason::Status(code);
        assert_eq!(
            session.on_response(T0, &status(code)),
            ResponseAction::Stop { reason }
        );
    }
}

#[test]
fn retryable_statuses_back_off_in_resilient_mode() {
    for code in [408, 429, 500, 503, 599] {
        let mut session = Session::new();
        session.on_request(T0);
        let first = session.on_response(T0, &status(code));
        assert_eq!(
            first,
            ResponseAction::Retry {
                delay: Delay::exactly(ms(3000))
            }
        );
        assert_eq!(session.state(), State::Idle);
        assert_eq!(session.failures(), 1);
        session.on_request(ms(3000));
        assert_eq!(
            longest(session.on_response(ms(3000), &status(code))),
            ms(6000),
            "doubled"
        );
        session.on_request(ms(9000));
        let ResponseAction::Retry { delay } = session.on_response(ms(9000), &status(code)) else {
            panic!("{code} retries")
        };
        // 3 s to 12 s.
        assert_eq!((delay.shortest(), delay.longest()), (ms(3000), ms(12_000)));
    }
}

#[test]
fn retry_after_seconds_are_honoured_up_to_the_cap() {
    let mut session = Session::with_policy(Policy::new().max_delay(ms(20_000)));
    session.on_request(T0);
    let action = session.on_response(T0, &status(503).retry_after(Some(" 7 ")));
    assert_eq!(
        action,
        ResponseAction::Retry {
            delay: Delay::exactly(ms(7000))
        }
    );
    session.on_request(T0);
    let action = session.on_response(T0, &status(429).retry_after(Some("3600")));
    let cut = Delay::exactly(ms(20_000));
    assert_eq!(
        action,
        ResponseAction::Retry { delay: cut },
        "cut to the cap"
    );
    session.on_request(T0);
    let ResponseAction::Retry { delay } =
        session.on_response(T0, &status(429).retry_after(Some("4")))
    else {
        panic!()
    };
    // The third failure: [3 s, 12 s], both ends raised to 4 s.
    assert_eq!((delay.shortest(), delay.longest()), (ms(4000), ms(12_000)));
}

#[test]
fn retry_after_http_date_falls_back_to_backoff() {
    let mut session = Session::new();
    session.on_request(T0);
    let response = status(503).retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    let action = session.on_response(T0, &response);
    assert_eq!(
        action,
        ResponseAction::Retry {
            delay: Delay::exactly(ms(3000))
        }
    );
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

// ------------------------------------------------------------ IDs and parsing

#[test]
fn last_event_id_is_sent_on_reconnection_and_kept_across_connections() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"id: 41\ndata: a\n\n");
    let _ = session.on_disconnect(HEALTHY);
    let last = ("last-event-id".to_owned(), "41".to_owned());
    assert_eq!(headers(&session).last(), Some(&last));
    reopen(&mut session, HEALTHY);
    // An event without `id` must not clear it (eventsource-client's bug).
    assert_eq!(feed_all(&mut session, b"data: b\n\n"), ["b"]);
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(headers(&session).last(), Some(&last));
}

#[test]
fn emptied_last_event_id_is_not_sent() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"id: 1\ndata: a\n\nid\ndata: b\n\n");
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(headers(&session).len(), 2);
    assert_eq!(session.request().unwrap().last_event_id(), None);
}

#[test]
fn ids_with_control_characters_are_kept_but_not_sent() {
    for id in ["a\u{1}b", "\u{7f}", "x\u{1b}[31m", "\u{8}"] {
        let mut session = open_session(Policy::new());
        feed_all(&mut session, format!("id: {id}\ndata: a\n\n").as_bytes());
        assert_eq!(session.last_event_id(), id);
        assert_eq!(session.request().unwrap().last_event_id(), None, "{id:?}");
        assert_eq!(headers(&session).len(), 2, "{id:?}");
    }
    for id in ["a\tb", "café", "日本", "{\"k\":1}"] {
        let mut session = open_session(Policy::new());
        feed_all(&mut session, format!("id: {id}\ndata: a\n\n").as_bytes());
        assert_eq!(
            session.request().unwrap().last_event_id(),
            Some(id),
            "{id:?}"
        );
    }
}

#[test]
fn id_of_a_block_cut_by_the_disconnect_is_not_committed() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"id: 1\ndata: a\n\nid: 2\ndata: partial\n");
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(session.request().unwrap().last_event_id(), Some("1"));
    reopen(&mut session, HEALTHY);
    // The partial event is gone: the new stream starts clean.
    assert_eq!(feed_all(&mut session, b"\ndata: c\n\n"), ["c"]);
}

#[test]
fn chunk_parses_only_an_open_stream_and_commits_ids() {
    let mut session = Session::new();
    assert!(session.chunk(b"id: 9\ndata: x\n\n").next().is_none());
    session.on_request(T0);
    let mut cursor = session.chunk(b"id: 9\ndata: x\n\n");
    assert!(cursor.next().is_none(), "not open yet");
    assert!(cursor.remaining().is_empty());
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    let mut data = Vec::new();
    session
        .chunk(b"id: 5\ndata: a\n\n: ping\n\ndata: b")
        .for_each(|frame| {
            if let Ok(Frame::Event(event)) = frame {
                data.push(event.data.to_owned());
            }
        });
    assert_eq!(data, ["a"]);
    assert_eq!(session.last_event_id(), "5");
    let mut cursor = session.chunk(b"\n\n");
    let Some(Ok(Frame::Event(event))) = cursor.next() else {
        panic!("the cut event completes")
    };
    assert_eq!(event.data, "b");
}

#[test]
fn close_stops_for_good_from_every_state() {
    let prepare: [fn(&mut Session); 3] = [|_| {}, |s| s.on_request(T0), |s| reopen(s, T0)];
    for prepare in prepare {
        let mut session = Session::new();
        prepare(&mut session);
        session.close();
        let reason = StopReason::Closed;
        assert_eq!(session.state(), State::Stopped(reason));
        assert!(session.request().is_none());
        session.on_request(T0);
        assert_eq!(session.state(), State::Stopped(reason));
        assert_eq!(
            session.on_response(T0, &OK),
            ResponseAction::Stop { reason }
        );
        assert_eq!(session.on_disconnect(T0), DisconnectAction::Stop { reason });
        assert!(feed_all(&mut session, b"data: late\n\n").is_empty());
    }
}

#[test]
fn close_after_a_stop_keeps_the_first_reason() {
    let mut session = Session::new();
    session.on_request(T0);
    let _ = session.on_response(T0, &status(204));
    session.close();
    assert_eq!(session.state(), State::Stopped(StopReason::NoContent));
}

#[test]
fn bytes_outside_an_open_stream_are_discarded() {
    let mut session = Session::new();
    let mut input: &[u8] = b"id: 9\ndata: x\n\n";
    assert_eq!(session.feed(&mut input), Ok(None));
    assert!(input.is_empty());
    session.on_request(T0);
    let _ = session.on_response(T0, &status(503));
    assert!(feed_all(&mut session, b"id: 9\ndata: x\n\n").is_empty());
    assert_eq!(session.last_event_id(), "");
}

#[test]
fn a_new_response_starts_a_fresh_stream() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"data: cut off");
    reopen(&mut session, T0);
    assert_eq!(feed_all(&mut session, b"data: whole\n\n"), ["whole"]);
}

#[test]
fn with_parser_resumes_from_a_known_id_and_keeps_its_config() {
    let parser = Parser::with_config(sse_proto::Config::new().comments(false));
    let session = Session::new().with_parser(parser.with_last_event_id("7"));
    assert_eq!(session.request().unwrap().last_event_id(), Some("7"));
    assert!(!session.parser().config().comments);
}

#[test]
fn idle_timeout_comes_from_the_policy() {
    assert_eq!(
        Session::new().idle_timeout(),
        Some(Duration::from_secs(300))
    );
    let session = Session::with_policy(Policy::new().idle_timeout(None));
    assert_eq!(session.idle_timeout(), None);
}

#[test]
fn stop_reasons_display_lowercase_without_advice() {
    for reason in [
        StopReason::NoContent,
        StopReason::Status(404),
        StopReason::ContentType,
        StopReason::ContentEncoding,
        StopReason::TooManyRetries,
        StopReason::RetryBudget,
        StopReason::Ended,
        StopReason::Closed,
    ] {
        let text = reason.to_string();
        assert!(text.starts_with(|c: char| c.is_ascii_lowercase()), "{text}");
        assert!(!text.ends_with('.'));
        for advice in ["try again", "should", "please", "consider"] {
            assert!(!text.contains(advice), "{text}");
        }
    }
}
