//! One test per transition of the client session.

use core::time::Duration;

use sse_proto::session::BACKOFF_FLOOR;
use sse_proto::{
    DisconnectAction, EventId, Frame, Mode, Parser, Policy, ResponseAction, Session, State,
    StopReason,
};

const SSE: Option<&str> = Some("text/event-stream");

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn retry(delay: Duration) -> DisconnectAction {
    DisconnectAction::Retry { delay }
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

/// A session that has made its first request and got an open stream.
fn open_session(policy: Policy) -> Session {
    let mut session = Session::with_policy(policy);
    session.next_request().unwrap();
    assert_eq!(session.on_response(200, SSE, None), ResponseAction::Open);
    session
}

fn headers(session: &mut Session) -> Vec<(String, String)> {
    let request = session.next_request().unwrap();
    request
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

#[test]
fn new_session_is_idle_and_first_request_has_no_last_event_id() {
    let mut session = Session::new();
    assert_eq!(session.state(), State::Idle);
    assert_eq!(
        headers(&mut session),
        [
            ("Accept".to_owned(), "text/event-stream".to_owned()),
            ("Cache-Control".to_owned(), "no-cache".to_owned()),
        ]
    );
    assert_eq!(session.state(), State::Connecting);
}

#[test]
fn event_stream_200_opens_with_any_case_parameters_and_spaces() {
    for content_type in [
        "text/event-stream",
        "TEXT/Event-Stream",
        "  text/event-stream ; charset=utf-8",
    ] {
        for mode in [Mode::Browser, Mode::Resilient] {
            let mut session = Session::with_policy(Policy::new().mode(mode));
            session.next_request();
            let action = session.on_response(200, Some(content_type), None);
            assert_eq!(action, ResponseAction::Open, "{content_type:?} {mode:?}");
            assert_eq!(session.state(), State::Open);
        }
    }
}

#[test]
fn missing_content_type_opens_only_in_resilient_mode() {
    let mut resilient = Session::new();
    resilient.next_request();
    assert_eq!(resilient.on_response(200, None, None), ResponseAction::Open);

    let mut browser = Session::with_policy(Policy::new().mode(Mode::Browser));
    browser.next_request();
    let reason = StopReason::ContentType;
    assert_eq!(
        browser.on_response(200, None, None),
        ResponseAction::Stop { reason }
    );
}

#[test]
fn wrong_content_type_stops_in_both_modes() {
    for mode in [Mode::Browser, Mode::Resilient] {
        let mut session = Session::with_policy(Policy::new().mode(mode));
        session.next_request();
        let action = session.on_response(200, Some("text/html"), None);
        let reason = StopReason::ContentType;
        assert_eq!(action, ResponseAction::Stop { reason });
        assert_eq!(session.state(), State::Stopped(reason));
        assert!(session.next_request().is_none());
    }
}

#[test]
fn no_content_stops_in_both_modes() {
    for mode in [Mode::Browser, Mode::Resilient] {
        let mut session = Session::with_policy(Policy::new().mode(mode));
        session.next_request();
        let reason = StopReason::NoContent;
        assert_eq!(
            session.on_response(204, SSE, None),
            ResponseAction::Stop { reason }
        );
        assert!(session.is_stopped());
        assert!(session.next_request().is_none());
        assert_eq!(session.on_disconnect(), DisconnectAction::Stop { reason });
    }
}

#[test]
fn other_statuses_stop_in_both_modes() {
    for status in [100, 201, 206, 301, 302, 307, 400, 401, 403, 404, 410] {
        for mode in [Mode::Browser, Mode::Resilient] {
            let mut session = Session::with_policy(Policy::new().mode(mode));
            session.next_request();
            let reason = StopReason::Status(status);
            assert_eq!(
                session.on_response(status, SSE, None),
                ResponseAction::Stop { reason }
            );
        }
    }
}

#[test]
fn retryable_statuses_stop_in_browser_mode() {
    for status in [408, 429, 500, 502, 503, 599] {
        let mut session = Session::with_policy(Policy::new().mode(Mode::Browser));
        session.next_request();
        let reason = StopReason::Status(status);
        assert_eq!(
            session.on_response(status, None, None),
            ResponseAction::Stop { reason }
        );
    }
}

#[test]
fn retryable_statuses_back_off_in_resilient_mode() {
    for status in [408, 429, 500, 503, 599] {
        let mut session = Session::new();
        session.next_request();
        let delay = ms(3000);
        assert_eq!(
            session.on_response(status, None, None),
            ResponseAction::Retry { delay }
        );
        assert_eq!(session.state(), State::Idle);
        assert_eq!(session.failures(), 1);
        session.next_request();
        let delay = ms(6000);
        let action = session.on_response(status, None, None);
        assert_eq!(
            action,
            ResponseAction::Retry { delay },
            "no jitter: doubled"
        );
        session.set_jitter(u32::MAX);
        session.next_request();
        let ResponseAction::Retry { delay } = session.on_response(status, None, None) else {
            panic!("{status} retries")
        };
        // 3 s to 12 s; the most jitter: the bottom.
        assert!(delay >= ms(3000) && delay < ms(3001), "{delay:?}");
    }
}

#[test]
fn retry_after_seconds_are_honoured_up_to_the_cap() {
    let mut session = Session::with_policy(Policy::new().max_delay(ms(20_000)));
    session.next_request();
    let delay = ms(7000);
    let action = session.on_response(503, None, Some(" 7 "));
    assert_eq!(action, ResponseAction::Retry { delay });
    session.next_request();
    let delay = ms(20_000);
    let action = session.on_response(429, None, Some("3600"));
    assert_eq!(action, ResponseAction::Retry { delay }, "cut to the cap");
    session.next_request();
    let delay = ms(12_000); // the third failure: 3 s doubled twice
    let action = session.on_response(429, None, Some("1"));
    assert_eq!(
        action,
        ResponseAction::Retry { delay },
        "never below the backoff"
    );
}

#[test]
fn retry_after_http_date_falls_back_to_backoff() {
    let mut session = Session::new();
    session.next_request();
    let action = session.on_response(503, None, Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(action, ResponseAction::Retry { delay: ms(3000) });
}

#[test]
fn normal_end_after_events_reconnects_after_the_reconnection_time() {
    let mut session = open_session(Policy::new());
    assert_eq!(feed_all(&mut session, b"id: 1\ndata: a\n\n"), ["a"]);
    assert_eq!(session.on_disconnect(), retry(ms(3000)));
    assert_eq!(session.state(), State::Idle);
    assert_eq!(session.failures(), 0);
}

#[test]
fn server_retry_sets_the_delay_and_survives_reconnection() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"retry: 250\ndata: a\n\n");
    assert_eq!(session.on_disconnect(), retry(ms(250)));
    session.next_request();
    session.on_response(200, SSE, None);
    feed_all(&mut session, b"data: b\n\n");
    assert_eq!(session.on_disconnect(), retry(ms(250)));
    assert_eq!(session.reconnection_time(), ms(250));
}

#[test]
fn retry_only_block_is_honoured() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"data: a\n\nretry: 700\n\n");
    assert_eq!(session.on_disconnect(), retry(ms(700)));
}

#[test]
fn last_event_id_is_sent_on_reconnection_and_kept_across_connections() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"id: 41\ndata: a\n\n");
    session.on_disconnect();
    let last = ("Last-Event-ID".to_owned(), "41".to_owned());
    assert_eq!(headers(&mut session).last(), Some(&last));
    session.on_response(200, SSE, None);
    // An event without `id` must not clear it (eventsource-client's bug).
    assert_eq!(feed_all(&mut session, b"data: b\n\n"), ["b"]);
    session.on_disconnect();
    assert_eq!(headers(&mut session).last(), Some(&last));
}

#[test]
fn emptied_last_event_id_is_not_sent() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"id: 1\ndata: a\n\nid\ndata: b\n\n");
    session.on_disconnect();
    assert_eq!(headers(&mut session).len(), 2);
    assert_eq!(session.next_request().unwrap().last_event_id(), None);
}

#[test]
fn id_of_a_block_cut_by_the_disconnect_is_not_committed() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"id: 1\ndata: a\n\nid: 2\ndata: partial\n");
    session.on_disconnect();
    assert_eq!(session.next_request().unwrap().last_event_id(), Some("1"));
    session.on_response(200, SSE, None);
    // The partial event is gone: the new stream starts clean.
    assert_eq!(feed_all(&mut session, b"\ndata: c\n\n"), ["c"]);
}

#[test]
fn open_without_events_counts_as_failure_and_backs_off() {
    let policy = Policy::new()
        .default_reconnection_time(ms(1000))
        .max_delay(ms(3500));
    let mut session = Session::with_policy(policy);
    let mut delays = Vec::new();
    for _ in 0..5 {
        session.next_request();
        session.on_response(200, SSE, None);
        feed_all(&mut session, b": comments are not events\n\nretry: 1000\n");
        let DisconnectAction::Retry { delay } = session.on_disconnect() else {
            panic!()
        };
        delays.push(delay.as_millis());
    }
    assert_eq!(session.failures(), 5);
    assert_eq!(delays, [1000, 2000, 3500, 3500, 3500]);
}

#[test]
fn events_reset_the_backoff() {
    let mut session = Session::new();
    session.set_jitter(u32::MAX);
    for _ in 0..3 {
        session.next_request();
        session.on_disconnect();
    }
    assert_eq!(session.failures(), 3);
    session.next_request();
    session.on_response(200, SSE, None);
    feed_all(&mut session, b"data: back\n\n");
    assert_eq!(session.failures(), 0);
    assert_eq!(session.on_disconnect(), retry(ms(3000)));
}

#[test]
fn connect_failure_counts_as_failure() {
    let mut session = Session::new();
    session.next_request();
    assert_eq!(session.on_disconnect(), retry(ms(3000)));
    assert_eq!(session.failures(), 1);
}

#[test]
fn retry_zero_reconnects_at_once_after_events_but_backs_off_failures() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"retry: 0\ndata: a\n\n");
    assert_eq!(session.on_disconnect(), retry(Duration::ZERO));
    session.next_request();
    session.on_response(200, SSE, None);
    assert_eq!(session.on_disconnect(), retry(BACKOFF_FLOOR));
}

#[test]
fn max_retries_stops_after_that_many_retried_failures() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(2)));
    for _ in 0..2 {
        session.next_request();
        assert!(matches!(
            session.on_disconnect(),
            DisconnectAction::Retry { .. }
        ));
    }
    session.next_request();
    let reason = StopReason::TooManyRetries;
    assert_eq!(session.on_disconnect(), DisconnectAction::Stop { reason });
    assert!(session.next_request().is_none());
}

#[test]
fn max_retries_counts_retryable_statuses_and_resets_on_events() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    session.next_request();
    assert!(matches!(
        session.on_response(500, None, None),
        ResponseAction::Retry { .. }
    ));
    session.next_request();
    session.on_response(200, SSE, None);
    feed_all(&mut session, b"data: a\n\n");
    assert!(matches!(
        session.on_disconnect(),
        DisconnectAction::Retry { .. }
    ));
    session.next_request();
    assert!(matches!(
        session.on_response(503, None, None),
        ResponseAction::Retry { .. }
    ));
    session.next_request();
    let reason = StopReason::TooManyRetries;
    assert_eq!(
        session.on_response(503, None, None),
        ResponseAction::Stop { reason }
    );
}

#[test]
fn max_retries_zero_never_retries_a_failure() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(0)));
    session.next_request();
    let reason = StopReason::TooManyRetries;
    assert_eq!(session.on_disconnect(), DisconnectAction::Stop { reason });
}

#[test]
fn close_stops_for_good_from_every_state() {
    let prepare: [fn(&mut Session); 3] = [
        |_| {},
        |s| {
            s.next_request();
        },
        |s| {
            s.next_request();
            s.on_response(200, SSE, None);
        },
    ];
    for prepare in prepare {
        let mut session = Session::new();
        prepare(&mut session);
        session.close();
        let reason = StopReason::Closed;
        assert_eq!(session.state(), State::Stopped(reason));
        assert!(session.next_request().is_none());
        assert_eq!(
            session.on_response(200, SSE, None),
            ResponseAction::Stop { reason }
        );
        assert_eq!(session.on_disconnect(), DisconnectAction::Stop { reason });
        assert!(feed_all(&mut session, b"data: late\n\n").is_empty());
    }
}

#[test]
fn close_after_a_stop_keeps_the_first_reason() {
    let mut session = Session::new();
    session.next_request();
    session.on_response(204, None, None);
    session.close();
    assert_eq!(session.state(), State::Stopped(StopReason::NoContent));
}

#[test]
fn bytes_outside_an_open_stream_are_discarded() {
    let mut session = Session::new();
    let mut input: &[u8] = b"id: 9\ndata: x\n\n";
    assert_eq!(session.feed(&mut input), Ok(None));
    assert!(input.is_empty());
    session.next_request();
    session.on_response(503, None, None);
    assert!(feed_all(&mut session, b"id: 9\ndata: x\n\n").is_empty());
    assert_eq!(session.last_event_id(), "");
}

#[test]
fn a_new_response_starts_a_fresh_stream() {
    let mut session = open_session(Policy::new());
    feed_all(&mut session, b"data: cut off");
    session.next_request();
    session.on_response(200, SSE, None);
    assert_eq!(feed_all(&mut session, b"data: whole\n\n"), ["whole"]);
}

#[test]
fn with_parser_resumes_from_a_known_id_and_keeps_its_config() {
    let parser = Parser::with_config(sse_proto::Config::new().comments(false));
    let mut session =
        Session::new().with_parser(parser.with_last_event_id(EventId::new("7").unwrap()));
    assert_eq!(session.next_request().unwrap().last_event_id(), Some("7"));
    assert!(!session.parser().config().comments);
}

/// No stream can set such an ID, and `with_last_event_id` takes an
/// `EventId`, which cannot hold one: sent, it would break the request head
/// or add a header of its own.
#[test]
fn a_starting_id_with_a_line_break_or_nul_cannot_be_given() {
    for id in ["7\r\nInjected: yes", "7\n", "7\r", "7\0"] {
        assert!(EventId::new(id).is_err(), "{id:?}");
    }
}

#[test]
fn stop_reasons_display_lowercase() {
    for reason in [
        StopReason::NoContent,
        StopReason::Status(404),
        StopReason::ContentType,
        StopReason::TooManyRetries,
        StopReason::Closed,
    ] {
        let text = reason.to_string();
        assert!(text.starts_with(|c: char| c.is_ascii_lowercase()), "{text}");
        assert!(!text.ends_with('.'));
    }
}
