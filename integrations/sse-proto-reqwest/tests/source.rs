//! The event source against real local servers: resuming, delays, the idle
//! timeout, method policy, refusals, stops and cancellation.

mod common;

use std::time::{Duration, Instant};

use common::{within, End, Reply, Server};
use sse_proto_reqwest::reqwest::Client;
use sse_proto_reqwest::{Error, EventSource, Policy, StopReason, Update};

const LIMIT: Duration = Duration::from_secs(10);

/// Collects updates until the source stops, or `count` of them.
async fn updates(source: &mut EventSource, count: usize) -> Vec<Result<Update, Error>> {
    let mut out = Vec::new();
    while out.len() < count {
        match within(LIMIT, source.next_update()).await {
            Some(update) => out.push(update),
            None => break,
        }
    }
    out
}

fn event_data(updates: &[Result<Update, Error>]) -> Vec<String> {
    updates
        .iter()
        .filter_map(|update| match update {
            Ok(Update::Event(event)) => Some(event.data.to_string()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_dropped_stream_resumes_with_last_event_id() {
    let server = Server::start(|n, _| match n {
        0 => Reply::stream(
            &[
                "retry: 10\nid: 1\ndata: a\n\n",
                "id: 2\ndata: b\n\ndata: lost",
            ],
            End::Abort,
        ),
        1 => Reply::stream(&["id: 3\ndata: c\n\n"], End::Clean),
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let mut source = EventSource::get(&server.url).unwrap();
    let seen = updates(&mut source, 100).await;
    assert_eq!(event_data(&seen), ["a", "b", "c"]);
    let requests = server.seen();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].header("last-event-id"), None);
    assert_eq!(requests[1].header("last-event-id"), Some("2"));
    assert_eq!(requests[2].header("last-event-id"), Some("3"));
    assert_eq!(requests[0].header("accept"), Some("text/event-stream"));
    assert_eq!(requests[0].header("cache-control"), Some("no-cache"));
    // The cut connection was reported as a transport error, then retried.
    assert!(seen.iter().any(|update| matches!(
        update,
        Ok(Update::Reconnecting {
            error: Some(Error::Transport(_)),
            ..
        })
    )));
    assert_eq!(source.stop_reason(), Some(StopReason::NoContent));
}

#[tokio::test]
async fn the_servers_retry_delay_is_honoured() {
    let server = Server::start(|n, _| match n {
        0 => Reply::stream(&["retry: 700\ndata: x\n\n"], End::Clean),
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let mut source = EventSource::get(&server.url).unwrap();
    let seen = updates(&mut source, 100).await;
    let requests = server.seen();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].ended.unwrap();
    assert!(
        gap >= Duration::from_millis(700),
        "reconnected after {gap:?}"
    );
    assert!(
        gap < Duration::from_millis(2500),
        "reconnected after {gap:?}"
    );
    let delays: Vec<Duration> = seen
        .iter()
        .filter_map(|update| match update {
            Ok(Update::Reconnecting { delay, .. }) => Some(*delay),
            _ => None,
        })
        .collect();
    assert_eq!(delays.len(), 1);
    assert!(delays[0] >= Duration::from_millis(700), "{delays:?}");
}

#[tokio::test]
async fn the_idle_timeout_fires_after_silence() {
    let server = Server::start(|n, _| match n {
        0 => Reply::stream(&["retry: 10\ndata: before\n\n"], End::Hang),
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let policy = Policy::new().idle_timeout(Some(Duration::from_millis(300)));
    let mut source = EventSource::get(&server.url).unwrap().policy(policy);
    let started = Instant::now();
    let seen = updates(&mut source, 100).await;
    assert_eq!(event_data(&seen), ["before"]);
    assert!(seen.iter().any(|update| matches!(
        update,
        Ok(Update::Reconnecting { error: Some(Error::IdleTimeout(after)), .. }) if *after == Duration::from_millis(300)
    )));
    let requests = server.wait_for(2).await;
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(300), "{gap:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The first connection was dropped by the client: the server saw it go.
    within(LIMIT, async {
        while server.seen()[0].ended.is_none() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn heartbeats_keep_the_idle_timeout_from_firing() {
    let server = Server::start(|n, _| match n {
        0 => Reply::Stream {
            pieces: (0..12)
                .map(|_| (Duration::from_millis(100), ":\n".into()))
                .chain([(
                    Duration::from_millis(100),
                    "data: after a second\n\n".into(),
                )])
                .collect(),
            end: End::Hang,
        },
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let policy = Policy::new().idle_timeout(Some(Duration::from_millis(300)));
    let mut source = EventSource::get(&server.url).unwrap().policy(policy);
    let event = within(LIMIT, source.next()).await.unwrap().unwrap();
    assert_eq!(event.data, "after a second");
    // 1.3 s on one connection with a 300 ms timeout: heartbeats reset it.
    assert_eq!(server.seen().len(), 1);
    source.close();
    assert!(source.next().await.is_none());
}

#[tokio::test]
async fn a_post_is_not_sent_again_after_its_response_opened() {
    let server =
        Server::start(|_, _| Reply::stream(&["retry: 10\ndata: one\n\n"], End::Clean)).await;
    let request = Client::new()
        .post(&server.url)
        .bearer_auth("secret")
        .header("content-type", "application/json")
        .body(r#"{"prompt":"hi"}"#);
    let mut source = EventSource::new(request).unwrap();
    let seen = updates(&mut source, 100).await;
    assert_eq!(event_data(&seen), ["one"]);
    assert!(
        seen.iter().all(Result::is_ok),
        "a clean end is no error: {seen:?}"
    );
    assert_eq!(source.stop_reason(), Some(StopReason::Ended));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let requests = server.seen();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].body, r#"{"prompt":"hi"}"#);
    assert_eq!(requests[0].header("authorization"), Some("Bearer secret"));
}

#[tokio::test]
async fn a_post_is_sent_again_when_the_policy_allows() {
    let server = Server::start(|n, _| match n {
        0 => Reply::stream(&["retry: 10\nid: 5\ndata: one\n\n"], End::Clean),
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let request = Client::new().post(&server.url).body("again");
    let policy = Policy::new().resend_after_open(true);
    let mut source = EventSource::new(request).unwrap().policy(policy);
    updates(&mut source, 100).await;
    let requests = server.seen();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, "again");
    assert_eq!(requests[1].header("last-event-id"), Some("5"));
}

#[tokio::test]
async fn a_failed_post_that_never_opened_is_retried() {
    let server = Server::start(|n, _| match n {
        0 => Reply::plain(503, &[("retry-after", "1")], "busy"),
        _ => Reply::stream(&["data: ok\n\n"], End::Clean),
    })
    .await;
    let request = Client::new().post(&server.url).body("prompt");
    let mut source = EventSource::new(request).unwrap();
    let seen = updates(&mut source, 100).await;
    assert_eq!(event_data(&seen), ["ok"]);
    let requests = server.seen();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, "prompt");
}

#[tokio::test]
async fn a_5xx_with_retry_after_waits_that_long() {
    let server = Server::start(|n, _| match n {
        0 => Reply::plain(503, &[("retry-after", "1")], "busy, come back later"),
        1 => Reply::stream(&["data: ok\n\n"], End::Clean),
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let mut source = EventSource::get(&server.url).unwrap();
    let seen = updates(&mut source, 100).await;
    assert_eq!(event_data(&seen), ["ok"]);
    let requests = server.seen();
    let gap = requests[1].at - requests[0].ended.unwrap();
    assert!(gap >= Duration::from_secs(1), "{gap:?}");
    let Some(Ok(Update::Reconnecting {
        error: Some(error),
        delay,
    })) = seen.first()
    else {
        panic!("{seen:?}")
    };
    assert!(*delay >= Duration::from_secs(1));
    let refused = error.refused().unwrap();
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.body(), "busy, come back later");
    assert_eq!(refused.reason(), None);
}

#[tokio::test]
async fn no_content_stops_cleanly() {
    let server = Server::start(|_, _| Reply::plain(204, &[], "")).await;
    let mut source = EventSource::get(&server.url).unwrap();
    assert!(within(LIMIT, source.next()).await.is_none());
    assert_eq!(source.stop_reason(), Some(StopReason::NoContent));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_refused_response_carries_its_status_and_body() {
    let body = r#"{"error":{"message":"invalid api key"}}"#;
    let server =
        Server::start(move |_, _| Reply::plain(401, &[("content-type", "application/json")], body))
            .await;
    let mut source = EventSource::get(&server.url).unwrap();
    let error = within(LIMIT, source.next()).await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    let refused = error.refused().unwrap();
    assert_eq!(refused.body(), body);
    assert!(!refused.body_truncated());
    assert_eq!(refused.reason(), Some(StopReason::Status(401)));
    assert_eq!(refused.headers()["content-type"], "application/json");
    assert_eq!(error.to_string(), "server answered 401 Unauthorized");
    assert!(source.next().await.is_none());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_refused_body_is_bounded() {
    let server = Server::start(|_, _| Reply::plain(500, &[], vec![b'x'; 1 << 20])).await;
    let policy = Policy::new().mode(sse_proto_reqwest::Mode::Browser);
    let mut source = EventSource::get(&server.url).unwrap().policy(policy);
    let error = within(LIMIT, source.next()).await.unwrap().unwrap_err();
    let refused = error.refused().unwrap();
    assert_eq!(refused.body().len(), sse_proto_reqwest::REFUSED_BODY_LIMIT);
    assert!(refused.body_truncated());
}

#[tokio::test]
async fn a_wrong_content_type_is_refused() {
    let server =
        Server::start(|_, _| Reply::plain(200, &[("content-type", "text/html")], "<html>")).await;
    let mut source = EventSource::get(&server.url).unwrap();
    let error = within(LIMIT, source.next()).await.unwrap().unwrap_err();
    let refused = error.refused().unwrap();
    assert_eq!(refused.reason(), Some(StopReason::ContentType));
    assert_eq!(refused.body(), "<html>");
}

#[tokio::test]
async fn dropping_the_source_closes_the_connection() {
    let server = Server::start(|_, _| Reply::stream(&["data: a\n\n"], End::Hang)).await;
    let mut source = EventSource::get(&server.url).unwrap();
    assert_eq!(
        within(LIMIT, source.next()).await.unwrap().unwrap().data,
        "a"
    );
    drop(source);
    within(LIMIT, async {
        while server.seen()[0].ended.is_none() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn restart_reconnects_with_the_last_event_id() {
    let server = Server::start(|n, _| match n {
        0 => Reply::stream(&["id: 7\ndata: a\n\n"], End::Hang),
        _ => Reply::stream(&["data: b\n\n"], End::Hang),
    })
    .await;
    let mut source = EventSource::get(&server.url).unwrap();
    assert_eq!(
        within(LIMIT, source.next()).await.unwrap().unwrap().data,
        "a"
    );
    source.restart();
    assert_eq!(
        within(LIMIT, source.next()).await.unwrap().unwrap().data,
        "b"
    );
    let requests = server.seen();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("last-event-id"), Some("7"));
    source.close();
    assert!(source.next().await.is_none());
}

#[tokio::test]
async fn each_attempt_can_make_fresh_headers() {
    let server = Server::start(|n, _| match n {
        0 | 1 => Reply::stream(&["retry: 10\ndata: x\n\n"], End::Clean),
        _ => Reply::plain(204, &[], ""),
    })
    .await;
    let url = server.url.clone();
    let client = Client::new();
    let mut attempt = 0;
    let mut source = EventSource::with_requests(move || {
        attempt += 1;
        client.get(&url).bearer_auth(format!("token-{attempt}"))
    });
    updates(&mut source, 100).await;
    let tokens: Vec<_> = server
        .seen()
        .iter()
        .map(|seen| seen.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(
        tokens,
        ["Bearer token-1", "Bearer token-2", "Bearer token-3"]
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_and_max_retries_gives_up() {
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let policy = Policy::new()
        .max_retries(Some(2))
        .default_reconnection_time(Duration::from_millis(10));
    let mut source = EventSource::get(format!("http://127.0.0.1:{port}/"))
        .unwrap()
        .policy(policy);
    let seen = updates(&mut source, 100).await;
    let retries = seen
        .iter()
        .filter(|update| matches!(update, Ok(Update::Reconnecting { .. })))
        .count();
    assert_eq!(retries, 2, "{seen:?}");
    let Some(Err(Error::GaveUp { reason, last })) = seen.last() else {
        panic!("{seen:?}")
    };
    assert_eq!(*reason, StopReason::TooManyRetries);
    assert!(matches!(last.as_deref(), Some(Error::Transport(_))));
}

#[tokio::test]
async fn a_compressed_body_is_refused_not_parsed() {
    let headers = [
        ("content-type", "text/event-stream"),
        ("content-encoding", "gzip"),
    ];
    let server =
        Server::start(move |_, _| Reply::plain(200, &headers, vec![0x1f, 0x8b, 8, 0])).await;
    let mut source = EventSource::get(&server.url).unwrap();
    let error = within(LIMIT, source.next()).await.unwrap().unwrap_err();
    assert_eq!(
        error.refused().unwrap().reason(),
        Some(StopReason::ContentEncoding)
    );
    assert!(source.next().await.is_none());
}

#[tokio::test]
async fn an_oversized_event_is_skipped_and_the_stream_goes_on() {
    let server = Server::start(|_, _| {
        Reply::stream(
            &["data: far too long for the limit\n\ndata: ok\n\n"],
            End::Hang,
        )
    })
    .await;
    let parser =
        sse_proto_reqwest::Parser::with_config(sse_proto::Config::new().max_event_size(Some(16)));
    let mut source = EventSource::get(&server.url).unwrap().parser(parser);
    let seen = updates(&mut source, 3).await;
    assert!(matches!(
        seen[1],
        Ok(Update::Skipped(sse_proto::ParseError::EventTooLarge {
            limit: 16
        }))
    ));
    assert_eq!(event_data(&seen), ["ok"]);
}

#[tokio::test]
async fn the_idle_timeout_covers_a_response_that_never_comes() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let policy = Policy::new()
        .idle_timeout(Some(Duration::from_millis(200)))
        .max_retries(Some(1));
    let mut source = EventSource::get(&url).unwrap().policy(policy);
    let started = Instant::now();
    let seen = updates(&mut source, 100).await;
    assert!(
        matches!(
            seen[0],
            Ok(Update::Reconnecting {
                error: Some(Error::IdleTimeout(_)),
                ..
            })
        ),
        "{seen:?}"
    );
    let Some(Err(Error::GaveUp { last, .. })) = seen.last() else {
        panic!("{seen:?}")
    };
    assert!(matches!(last.as_deref(), Some(Error::IdleTimeout(_))));
    assert!(started.elapsed() >= Duration::from_millis(400));
}
