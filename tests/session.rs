//! One test per transition of the client session: requests, responses,
//! IDs and parsing (delays and limits: `session_delays.rs`).

use core::ops::ControlFlow;
use core::time::Duration;

use sse_proto::session::{Delay, Method};
use sse_proto::{
    DisconnectAction, EventId, Frame, Mode, Parser, Policy, Response, ResponseAction, Session,
    State, StopReason,
};

mod common;

use common::session::{feed_all, longest, ms, open_session, reopen, status, HEALTHY, OK, T0};

fn headers(session: &Session) -> Vec<(String, String)> {
    let request = session.request().unwrap();
    request
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
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
fn for_each_parses_only_an_open_stream_and_commits_ids() {
    let mut session = Session::new();
    session.for_each(b"id: 9\ndata: x\n\n", |_| panic!("idle: nothing is open"));
    session.on_request(T0);
    let mut input: &[u8] = b"id: 9\ndata: x\n\n";
    let flow = session.try_for_each(&mut input, |_| -> ControlFlow<()> {
        panic!("not open yet")
    });
    assert_eq!(flow, ControlFlow::Continue(()));
    assert!(
        input.is_empty(),
        "the bytes of a stream that is not open are discarded"
    );
    assert_eq!(session.last_event_id(), "");
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    let mut data = Vec::new();
    session.for_each(b"id: 5\ndata: a\n\n: ping\n\ndata: b", |frame| {
        if let Ok(Frame::Event(event)) = frame {
            data.push(event.data.to_owned());
        }
    });
    assert_eq!(data, ["a"]);
    assert_eq!(session.last_event_id(), "5");
    let mut input: &[u8] = b"\n\ndata: c\n\n";
    let flow = session.try_for_each(&mut input, |frame| match frame {
        Ok(Frame::Event(event)) => ControlFlow::Break(event.data.to_owned()),
        _ => ControlFlow::Continue(()),
    });
    assert_eq!(
        flow,
        ControlFlow::Break("b".to_owned()),
        "the cut event completes"
    );
    assert_eq!(input, b"data: c\n\n");
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
    let session = Session::new().with_parser(parser.with_last_event_id(EventId::new("7").unwrap()));
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
