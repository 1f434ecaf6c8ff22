//! The crate against real axum servers on loopback, read through hyper's
//! client (and raw sockets where the bytes on the wire matter).

mod common;

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use common::{open, serve, PATIENCE};
use sse_proto::{Message, OwnedFrame};
use sse_proto_axum::{Channel, Config, OnLag, Subscription, RESYNC_EVENT_TYPE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn app(channel: &Channel) -> Router {
    Router::new()
        .route("/events", get(|events: Subscription| async { events }))
        .with_state(channel.clone())
}

fn publish_all(channel: &Channel, count: u64) {
    for n in 1..=count {
        let data = format!("event {n}");
        assert_eq!(channel.publish(Message::new(&data)), Ok(n));
    }
}

/// Waits until `condition` holds, failing the test after [`PATIENCE`].
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let start = tokio::time::Instant::now();
    while !condition() {
        assert!(start.elapsed() < PATIENCE, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn response_head_has_lowercase_event_stream_headers() {
    let channel = Channel::new();
    let server = serve(app(&channel), std::future::pending()).await;
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    socket
        .write_all(b"GET /events HTTP/1.1\r\nhost: x\r\naccept-encoding: gzip\r\n\r\n")
        .await
        .unwrap();
    let mut head = Vec::new();
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let mut buf = [0; 1024];
        let n = tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "connection closed before the head");
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8(head).unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    for line in [
        "content-type: text/event-stream\r\n",
        "cache-control: no-cache\r\n",
        "x-accel-buffering: no\r\n",
    ] {
        assert!(head.contains(line), "missing {line:?} in {head}");
    }
    assert!(
        !head.to_ascii_lowercase().contains("content-encoding"),
        "{head}"
    );
}

#[tokio::test]
async fn new_client_gets_live_events_only() {
    let channel = Channel::new();
    publish_all(&channel, 2);
    let server = serve(app(&channel), std::future::pending()).await;
    let mut stream = open(server.addr, "/events", None).await;
    assert_eq!(stream.status, 200);
    channel.publish(Message::new("live")).unwrap();
    let event = stream.next_event().await.unwrap();
    assert_eq!((event.id.as_str(), event.data.as_str()), ("3", "live"));
}

#[tokio::test]
async fn last_event_id_replays_what_followed_then_live() {
    let channel = Channel::new();
    publish_all(&channel, 5);
    let server = serve(app(&channel), std::future::pending()).await;
    let mut stream = open(server.addr, "/events", Some("2")).await;
    for n in 3..=5 {
        let event = stream.next_event().await.unwrap();
        assert_eq!(
            (event.id, event.data),
            (n.to_string(), format!("event {n}"))
        );
    }
    channel.publish(Message::new("six")).unwrap();
    let event = stream.next_event().await.unwrap();
    assert_eq!((event.id.as_str(), event.data.as_str()), ("6", "six"));
}

#[tokio::test]
async fn zero_resumes_from_the_first_event_while_it_is_held() {
    let channel = Channel::new();
    let server = serve(app(&channel), std::future::pending()).await;
    let mut early = open(server.addr, "/events", Some("0")).await;
    publish_all(&channel, 2);
    let mut late = open(server.addr, "/events", Some("0")).await;
    for stream in [&mut early, &mut late] {
        assert_eq!(stream.next_event().await.unwrap().id, "1");
        assert_eq!(stream.next_event().await.unwrap().id, "2");
    }
}

#[tokio::test]
async fn unknown_last_event_id_gets_resync_then_everything_held() {
    let channel = Channel::new();
    publish_all(&channel, 3);
    let server = serve(app(&channel), std::future::pending()).await;
    for unknown in ["not-a-number", "99"] {
        let mut stream = open(server.addr, "/events", Some(unknown)).await;
        let notice = stream.next_event().await.unwrap();
        assert_eq!(notice.event_type, RESYNC_EVENT_TYPE);
        assert_eq!(notice.data, r#"{"reason":"unknown"}"#);
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(stream.next_event().await.unwrap().id);
        }
        assert_eq!(got, ["1", "2", "3"], "after {unknown}");
    }
}

#[tokio::test]
async fn evicted_last_event_id_gets_resync_then_everything_held() {
    let channel = Channel::with_config(Config::new().max_events(3));
    publish_all(&channel, 10);
    let server = serve(app(&channel), std::future::pending()).await;
    let mut stream = open(server.addr, "/events", Some("2")).await;
    let notice = stream.next_event().await.unwrap();
    assert_eq!(
        (notice.event_type.as_str(), notice.data.as_str()),
        (RESYNC_EVENT_TYPE, r#"{"reason":"evicted"}"#)
    );
    for n in 8..=10 {
        assert_eq!(stream.next_event().await.unwrap().id, n.to_string());
    }
    let mut stream = open(server.addr, "/events", Some("0")).await;
    assert_eq!(
        stream.next_event().await.unwrap().data,
        r#"{"reason":"evicted"}"#
    );
    // The newest evicted ID still resumes: that client missed nothing dropped.
    let mut stream = open(server.addr, "/events", Some("7")).await;
    assert_eq!(stream.next_event().await.unwrap().id, "8");
}

#[tokio::test]
async fn heartbeats_on_an_idle_stream_and_none_after_it_ends() {
    let config = Config::new().heartbeat(Some(Duration::from_millis(50)));
    let channel = Channel::with_config(config);
    let server = serve(app(&channel), std::future::pending()).await;
    let mut stream = open(server.addr, "/events", None).await;
    for _ in 0..3 {
        assert_eq!(
            stream.next_frame().await,
            Some(OwnedFrame::Comment(String::new()))
        );
    }
    // Events put the heartbeat off; silence brings it back.
    for n in 1..=20 {
        channel.publish(Message::new("busy")).unwrap();
        let frame = stream.next_frame().await.unwrap();
        assert!(
            matches!(frame, OwnedFrame::Event(ref e) if e.id == n.to_string()),
            "{frame:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        stream.next_frame().await,
        Some(OwnedFrame::Comment(String::new()))
    );
    channel.close();
    // The stream ends (its heartbeat with it) rather than ticking on.
    while let Some(frame) = stream.next_frame().await {
        assert_eq!(frame, OwnedFrame::Comment(String::new()));
    }
}

#[tokio::test]
async fn close_ends_streams_after_what_was_published_and_the_server_finishes() {
    let channel = Channel::new();
    let closer = channel.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = serve(app(&channel), async move {
        let _ = stopped.await;
        closer.close();
    })
    .await;
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(open(server.addr, "/events", None).await);
    }
    publish_all(&channel, 2);
    stop.send(()).unwrap();
    for stream in &mut streams {
        assert_eq!(stream.next_event().await.unwrap().id, "1");
        assert_eq!(stream.next_event().await.unwrap().id, "2");
        assert_eq!(stream.next_event().await, None);
    }
    tokio::time::timeout(PATIENCE, server.task)
        .await
        .expect("graceful shutdown")
        .unwrap();
    assert_eq!(channel.subscribers(), 0);
}

#[tokio::test]
async fn client_disconnect_is_noticed() {
    let channel = Channel::with_config(Config::new().heartbeat(None));
    let server = serve(app(&channel), std::future::pending()).await;
    let stream = open(server.addr, "/events", None).await;
    let mut raw = TcpStream::connect(server.addr).await.unwrap();
    raw.write_all(b"GET /events HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    eventually("both subscribed", || channel.subscribers() == 2).await;
    drop(stream);
    drop(raw);
    // No event and no heartbeat is written: hyper sees the closed socket.
    eventually("both counted out", || channel.subscribers() == 0).await;
}

/// A client that never reads fills its socket and stops being polled; it
/// must not hold back a reader, nor make publishing wait.
#[tokio::test]
async fn stuck_client_stalls_no_one() {
    let config = Config::new().max_events(64).max_bytes(1 << 20);
    let channel = Channel::with_config(config);
    let server = serve(app(&channel), std::future::pending()).await;
    let stuck = tokio::net::TcpSocket::new_v4().unwrap();
    stuck.set_recv_buffer_size(4096).unwrap();
    let mut stuck = stuck.connect(server.addr).await.unwrap();
    stuck
        .write_all(b"GET /events HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut reader = open(server.addr, "/events", None).await;
    eventually("both subscribed", || channel.subscribers() == 2).await;
    let data = "x".repeat(4000);
    // 20 MB in all: far beyond what the stuck socket can buffer.
    for n in 1..=5000u64 {
        assert_eq!(channel.publish(Message::new(&data)), Ok(n));
        let event = reader.next_event().await.unwrap();
        assert_eq!(event.id, n.to_string());
    }
    assert_eq!(channel.subscribers(), 2);
    assert!(channel.bytes() <= 1 << 20);
}

#[tokio::test]
async fn lagging_reader_is_resynchronised_or_closed() {
    for on_lag in [OnLag::Resync, OnLag::Close] {
        let channel = Channel::with_config(Config::new().max_events(4).on_lag(on_lag));
        let mut subscription = channel.subscribe(None);
        publish_all(&channel, 10);
        let first = futures_next(&mut subscription).await;
        match on_lag {
            OnLag::Close => assert_eq!(first, None),
            _ => {
                let text = String::from_utf8(first.unwrap().to_vec()).unwrap();
                assert_eq!(
                    text,
                    "event: resync\ndata: {\"reason\":\"lagged\",\"missed\":6}\n\n"
                );
                let rest = futures_next(&mut subscription).await.unwrap();
                let text = String::from_utf8(rest.to_vec()).unwrap();
                assert!(
                    text.starts_with("id: 7\n") && text.contains("id: 10\n"),
                    "{text}"
                );
            }
        }
    }
}

async fn futures_next(subscription: &mut Subscription) -> Option<bytes::Bytes> {
    use futures_core::Stream;
    let mut subscription = std::pin::Pin::new(subscription);
    std::future::poll_fn(|cx| subscription.as_mut().poll_next(cx))
        .await
        .map(|item| item.unwrap_or_else(|never| match never {}))
}

/// Without axum: a subscription is a plain stream of bytes, here served by
/// hyper's own HTTP/1.1 server.
#[tokio::test]
async fn plain_hyper_server_streams_a_subscription() {
    use http_body_util::StreamBody;
    use hyper::body::Frame;
    use tokio_stream::StreamExt as _;

    let channel = Channel::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server_channel = channel.clone();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
            let last = request
                .headers()
                .get("last-event-id")
                .and_then(|v| v.to_str().ok());
            let frames = server_channel
                .subscribe(last)
                .map(|chunk| chunk.map(Frame::data));
            let mut response = hyper::Response::new(StreamBody::new(frames));
            for (name, value) in sse_proto::headers::RESPONSE {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            async move { Ok::<_, std::convert::Infallible>(response) }
        });
        let io = hyper_util::rt::TokioIo::new(socket);
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(io, service)
            .await;
    });
    publish_all(&channel, 3);
    let mut stream = open(addr, "/events", Some("1")).await;
    assert_eq!(stream.headers["content-type"], "text/event-stream");
    assert_eq!(stream.next_event().await.unwrap().id, "2");
    assert_eq!(stream.next_event().await.unwrap().id, "3");
    channel.close();
    assert_eq!(stream.next_event().await, None);
}
