//! Two `fanout` example servers on one real `redis-server` (issue 20):
//! published through one, read through the other, resumed on either, also
//! across a Redis restart and an instance restart.
//!
//! Needs `redis-server` on the PATH (Debian package `redis-server`; CI
//! installs it): the tests fail, never skip, without it. Each test starts
//! its own on a free loopback port, with its data in a temporary directory.

#![cfg(feature = "redis")]

mod common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{open, post, Example, Stream};
use sse_proto::OwnedFrame;

/// A `redis-server` this test started, killed when dropped.
struct Redis {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl Redis {
    /// Starts one on a free port. It keeps an append-only file synced at
    /// every write, so a restart keeps every entry it acknowledged, and
    /// streams in nodes of 4 entries, so `MAXLEN ~` trims a small stream.
    fn start(name: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let dir =
            std::env::temp_dir().join(format!("sse-proto-redis-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("redis data directory");
        let mut redis = Self {
            child: None,
            port,
            dir,
        };
        redis.run();
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn run(&mut self) {
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .args(["--stream-node-max-entries", "4"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server not found: install the Debian package redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + common::PATIENCE;
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills it (SIGKILL: no goodbye to its clients).
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and data.
    fn restart(&mut self) {
        self.stop();
        self.run();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The example on `redis`, with a one-second heartbeat and `extra` options.
fn instance(redis: &Redis, extra: &[&str]) -> Example {
    let url = redis.url();
    let mut args = vec!["--redis", url.as_str(), "--heartbeat", "1"];
    args.extend_from_slice(extra);
    Example::start(&args)
}

/// Publishes `data` through `addr` and returns the ID it answered.
async fn publish(addr: SocketAddr, data: &str) -> String {
    let (status, id) = post(addr, "/publish", data.into()).await;
    assert_eq!(status, 200, "publishing {data:?}: {id}");
    assert!(id.split_once('-').is_some(), "not a stream ID: {id:?}");
    id
}

/// The next `count` events as (id, data), failing on a `resync`.
async fn events(stream: &mut Stream, count: usize) -> Vec<(String, String)> {
    let mut got = Vec::new();
    while got.len() < count {
        let event = stream.next_event().await.expect("the stream ended");
        assert_ne!(event.event_type, "resync", "{:?} after {got:?}", event.data);
        got.push((event.id, event.data));
    }
    got
}

/// `ids` paired with the data `event N` they were published with.
fn expected(ids: &[String], first: usize) -> Vec<(String, String)> {
    ids.iter()
        .enumerate()
        .map(|(n, id)| (id.clone(), format!("event {}", first + n)))
        .collect()
}

#[tokio::test]
async fn published_on_one_read_on_the_other_resumed_on_either() {
    let redis = Redis::start("share");
    let (a, b) = (instance(&redis, &[]), instance(&redis, &[]));
    let mut on_b = open(b.addr, "/events", None).await;
    assert_eq!(on_b.status, 200);
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(publish(a.addr, &format!("event {n}")).await);
    }
    assert!(ids.windows(2).all(|w| w[0] != w[1]), "{ids:?}");
    // B sends what A published, with A's IDs: the first half, then cut off.
    assert_eq!(events(&mut on_b, 10).await, expected(&ids[..10], 0));
    drop(on_b);
    // Resumed on A with the last ID B sent: the rest once, then live.
    let mut on_a = open(a.addr, "/events", Some(&ids[9])).await;
    assert_eq!(events(&mut on_a, 10).await, expected(&ids[10..], 10));
    let live = publish(b.addr, "event 20").await;
    assert_eq!(
        events(&mut on_a, 1).await,
        expected(std::slice::from_ref(&live), 20)
    );
    ids.push(live);

    // An instance that starts later loads the history from Redis: a client
    // of the old one resumes on it at once.
    drop(a);
    let c = instance(&redis, &[]);
    let mut on_c = open(c.addr, "/events", Some(&ids[4])).await;
    assert_eq!(events(&mut on_c, 16).await, expected(&ids[5..], 5));
    let marker = publish(c.addr, "marker").await;
    let next = events(&mut on_c, 1).await;
    assert_eq!(next, vec![(marker, "marker".to_owned())], "a duplicate?");
}

#[tokio::test]
async fn an_id_older_than_the_ring_is_read_from_redis_and_one_older_than_redis_is_evicted() {
    let redis = Redis::start("gap");
    // A ring of 5 events; the stream keeps about 12.
    let args = ["--history", "5", "--redis-history", "12"];
    let (a, b) = (instance(&redis, &args), instance(&redis, &args));
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(publish(a.addr, &format!("event {n}")).await);
    }
    // Event 2 left both rings long ago; Redis still has it and the rest.
    let mut resumed = open(b.addr, "/events", Some(&ids[2])).await;
    assert_eq!(events(&mut resumed, 9).await, expected(&ids[3..], 3));
    let marker = publish(a.addr, "marker").await;
    assert_eq!(events(&mut resumed, 1).await[0].0, marker, "a duplicate?");

    // Forty more: Redis trims (whole nodes of 4) to about 12, so event 2
    // is gone everywhere: evicted, told apart from an ID never issued.
    for n in 12..52 {
        ids.push(publish(a.addr, &format!("event {n}")).await);
    }
    let newest = &ids[51];
    let (ms, _) = newest.split_once('-').unwrap();
    let never_issued = format!("{ms}-999999");
    for (last, reason) in [
        (&ids[2], "evicted"),
        (&never_issued, "unknown"),
        (&"junk".to_owned(), "unknown"),
    ] {
        let mut stream = open(b.addr, "/events", Some(last)).await;
        let notice = stream.next_event().await.unwrap();
        assert_eq!(notice.event_type, "resync", "after {last}");
        assert_eq!(
            notice.data,
            format!("{{\"reason\":\"{reason}\"}}"),
            "after {last}"
        );
        // Then everything the ring holds: the newest 5.
        assert_eq!(events(&mut stream, 5).await, expected(&ids[47..], 47));
    }
}

/// Waits for the next heartbeat comment, failing on an event or the end.
async fn heartbeat(stream: &mut Stream) {
    match stream.next_frame().await {
        Some(OwnedFrame::Comment(_)) => {}
        other => panic!("expected a heartbeat, got {other:?}"),
    }
}

#[tokio::test]
async fn redis_restarting_loses_and_duplicates_nothing_it_kept() {
    let mut redis = Redis::start("restart");
    let (a, b) = (instance(&redis, &[]), instance(&redis, &[]));
    let mut on_b = open(b.addr, "/events", None).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(publish(a.addr, &format!("event {n}")).await);
    }
    assert_eq!(events(&mut on_b, 5).await, expected(&ids, 0));

    redis.stop();
    // Publishing fails at once, on both; the stream stays open and beats.
    for addr in [a.addr, b.addr] {
        let started = Instant::now();
        let (status, body) = post(addr, "/publish", "lost".into()).await;
        assert_eq!(status, 503, "{body}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
    heartbeat(&mut on_b).await;
    heartbeat(&mut on_b).await;

    redis.restart();
    // Publishing recovers (a publish may fail while a server finds out).
    let deadline = Instant::now() + common::PATIENCE;
    while ids.len() < 10 {
        let data = format!("event {}", ids.len());
        match post(a.addr, "/publish", data.clone().into()).await {
            (status, id) if status == 200 => ids.push(id),
            (status, body) => {
                assert_eq!(status, 503, "{body}");
                assert!(Instant::now() < deadline, "publishing did not recover");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    // The same stream on B carries on: exactly the five published since.
    assert_eq!(events(&mut on_b, 5).await, expected(&ids[5..], 5));
    drop(on_b);
    // Resumed on A from before the outage: the rest once, in order.
    let mut on_a = open(a.addr, "/events", Some(&ids[2])).await;
    assert_eq!(events(&mut on_a, 7).await, expected(&ids[3..], 3));
    let marker = publish(b.addr, "marker").await;
    assert_eq!(events(&mut on_a, 1).await[0].0, marker, "a duplicate?");
}

/// Sends `signal` (`STOP`, `CONT`) to the redis-server.
fn signal(redis: &Redis, signal: &str) {
    let pid = redis.child.as_ref().expect("running").id().to_string();
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status();
    assert!(status.expect("run kill").success());
}

#[tokio::test]
async fn a_frozen_redis_times_publishing_out_and_then_recovers() {
    let redis = Redis::start("frozen");
    let (a, b) = (instance(&redis, &[]), instance(&redis, &[]));
    let mut on_b = open(b.addr, "/events", None).await;
    let mut ids = vec![publish(a.addr, "event 0").await];
    assert_eq!(events(&mut on_b, 1).await, expected(&ids, 0));
    // Stopped, it keeps its sockets open and answers nothing: only the
    // timeout (1 s) ends a publish, and two at once take no longer.
    signal(&redis, "STOP");
    let started = Instant::now();
    let (first, second) = tokio::join!(
        post(a.addr, "/publish", "lost".into()),
        post(a.addr, "/publish", "lost too".into())
    );
    let waited = started.elapsed();
    // The open stream beats meanwhile.
    heartbeat(&mut on_b).await;
    signal(&redis, "CONT");
    assert_eq!(
        (first.0.as_u16(), second.0.as_u16()),
        (503, 503),
        "{first:?} {second:?}"
    );
    assert!(waited < Duration::from_millis(2500), "took {waited:?}");
    // Each publish that timed out may or may not have reached the stream:
    // skip what B sends with those bodies, then the new ones follow once.
    for n in 1..4 {
        ids.push(publish(a.addr, &format!("event {n}")).await);
    }
    let mut got = Vec::new();
    while got.len() < 3 {
        let event = on_b.next_event().await.expect("the stream ended");
        if !event.data.starts_with("lost") {
            got.push((event.id, event.data));
        }
    }
    assert_eq!(got, expected(&ids[1..], 1));
}

#[test]
fn help_lists_redis_and_a_refused_redis_fails_at_start() {
    let output = Command::new(common::example_binary())
        .arg("--help")
        .output()
        .expect("run --help");
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--redis URL"), "{help}");
    // A port nothing listens on: the server says so and exits.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = Command::new(common::example_binary())
        .args([
            "--addr",
            "127.0.0.1:0",
            "--redis",
            &format!("redis://127.0.0.1:{port}/"),
        ])
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--redis"));
}

#[tokio::test]
async fn the_api_carries_event_types_and_refuses_what_no_ring_holds() {
    use sse_proto::EventType;
    use sse_proto_axum::{Config, RedisChannel, RedisConfig, RedisError};
    use tokio_stream::StreamExt as _;

    let redis = Redis::start("api");
    let config = Config::new().heartbeat(None).max_bytes(256);
    let connect = || RedisChannel::connect(config, RedisConfig::new(redis.url()).key("api"));
    let (one, other) = (connect().await.unwrap(), connect().await.unwrap());
    let mut events = other.subscribe(None).await;
    let price = EventType::new("price").unwrap();
    let id = one.publish(Some(price), "42\n43").await.unwrap();
    let expected = format!("event: price\nid: {id}\ndata: 42\ndata: 43\n\n");
    let got = tokio::time::timeout(common::PATIENCE, events.next()).await;
    assert_eq!(got.unwrap().unwrap().unwrap(), expected.as_bytes());
    // An event larger than the ring could reach no server: refused first.
    let large = "x".repeat(256);
    assert!(matches!(
        one.publish(None, &large).await,
        Err(RedisError::TooLarge { max_bytes: 256, .. })
    ));
    one.close();
    assert!(matches!(
        one.publish(None, "late").await,
        Err(RedisError::Closed)
    ));
    // Another key is another stream: nothing of "api" resumes there.
    let elsewhere = RedisChannel::connect(config, RedisConfig::new(redis.url()).key("else"))
        .await
        .unwrap();
    assert!(elsewhere.channel().is_empty());
    assert_eq!(other.channel().len(), 1);
}
