//! Figures for issue 20, point 5 (ignored: run them on purpose):
//!
//! ```text
//! cargo test -p sse-proto-axum --features redis --test redis_load -- --ignored --nocapture
//! ```
//!
//! 1,000 readers on each of two `fanout` example servers sharing one
//! `redis-server`, against 1,000 readers on one server with the in-memory
//! log. Two phases: 200 events 10 ms apart (latency from just before the
//! `POST /publish` to each reader's receipt: p50, p99), then 1,000 events
//! as fast as 4 publishing connections send them (events per second until
//! every reader has the last one). Every reader must get every event once,
//! in order. Then the same with 10 readers per server: the cost of the path
//! itself, without the machine's CPU going to 1,000 readers.

#![cfg(feature = "redis")]

mod common;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{open, Example};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const READERS: usize = 1000;
const PACED: usize = 200;
const PACE: Duration = Duration::from_millis(10);
const BULK: usize = 1000;
const PUBLISHERS: usize = 4;

/// A keep-alive connection for `POST /publish`.
struct Publisher(hyper::client::conn::http1::SendRequest<Full<Bytes>>);

impl Publisher {
    async fn connect(addr: SocketAddr) -> Self {
        let io = TcpStream::connect(addr).await.unwrap();
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .unwrap();
        tokio::spawn(connection);
        Self(sender)
    }

    async fn publish(&mut self, body: String) {
        self.0.ready().await.unwrap();
        let request = Request::post("/publish")
            .header("host", "load")
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let response = self.0.send_request(request).await.unwrap();
        assert_eq!(response.status(), 200);
        response.into_body().collect().await.unwrap();
    }
}

/// What one reader saw: the paced events' latencies (µs) and when it had
/// the last bulk event.
struct Seen {
    latencies: Vec<u64>,
    last_bulk: Duration,
}

/// Reads the paced events in order, then the bulk ones (in order per
/// publisher: event `PACED + n` comes from publisher `n % PUBLISHERS`).
fn spawn_reader(
    mut stream: common::Stream,
    sent_at: Arc<Vec<AtomicU64>>,
    started: Instant,
) -> tokio::task::JoinHandle<Seen> {
    tokio::spawn(async move {
        let mut latencies = Vec::with_capacity(PACED);
        let mut previous_id = String::new();
        for n in 0..PACED {
            let event = stream.next_event().await.expect("stream ended early");
            let received = started.elapsed().as_micros() as u64;
            assert_eq!(event.data, format!("event {n}"), "out of order or doubled");
            assert_ne!(event.id, previous_id);
            previous_id = event.id;
            latencies.push(received.saturating_sub(sent_at[n].load(Ordering::Acquire)));
        }
        // Publisher k's events are k, k + PUBLISHERS, ...
        let mut next: [usize; PUBLISHERS] = core::array::from_fn(|k| k);
        for _ in 0..BULK {
            let event = stream.next_event().await.expect("stream ended early");
            let n: usize = event.data.strip_prefix("bulk ").unwrap().parse().unwrap();
            assert_eq!(n, next[n % PUBLISHERS], "out of order or doubled");
            next[n % PUBLISHERS] += PUBLISHERS;
        }
        Seen {
            latencies,
            last_bulk: started.elapsed(),
        }
    })
}

/// Runs both phases, publishing through `publish_to`, with `per_server`
/// readers on each of `servers`, and prints the figures under `label`.
async fn measure(label: &str, publish_to: SocketAddr, servers: &[SocketAddr], per_server: usize) {
    let started = Instant::now();
    let sent_at: Arc<Vec<AtomicU64>> = Arc::new((0..PACED).map(|_| AtomicU64::new(0)).collect());
    let mut readers = Vec::new();
    for &server in servers {
        for _ in 0..per_server {
            let stream = open(server, "/events", None).await;
            readers.push(spawn_reader(stream, Arc::clone(&sent_at), started));
        }
    }
    let mut publisher = Publisher::connect(publish_to).await;
    for n in 0..PACED {
        sent_at[n].store(started.elapsed().as_micros() as u64, Ordering::Release);
        publisher.publish(format!("event {n}")).await;
        tokio::time::sleep(PACE).await;
    }
    let bulk_start = started.elapsed();
    let mut publishers = Vec::new();
    for k in 0..PUBLISHERS {
        publishers.push(tokio::spawn(async move {
            let mut publisher = Publisher::connect(publish_to).await;
            for n in (k..BULK).step_by(PUBLISHERS) {
                publisher.publish(format!("bulk {n}")).await;
            }
        }));
    }
    for publisher in publishers {
        publisher.await.unwrap();
    }
    let published = started.elapsed() - bulk_start;
    let mut latencies = Vec::new();
    let mut last = Duration::ZERO;
    for reader in readers {
        let seen = reader.await.expect("a reader failed");
        latencies.extend(seen.latencies);
        last = last.max(seen.last_bulk);
    }
    latencies.sort_unstable();
    let percentile = |p: usize| latencies[(latencies.len() - 1) * p / 100];
    let delivered = last - bulk_start;
    let readers = servers.len() * per_server;
    println!(
        "{label}: {readers} readers; {PACED} events every {PACE:?}: latency p50 {} us, \
         p99 {} us, max {} us; {BULK} events from {PUBLISHERS} publishers: published in \
         {published:.2?}, all delivered in {delivered:.2?}: {:.0} events/s, {:.0} deliveries/s",
        percentile(50),
        percentile(99),
        percentile(100),
        BULK as f64 / delivered.as_secs_f64(),
        (BULK * readers) as f64 / delivered.as_secs_f64(),
    );
}

/// A `redis-server` without persistence on a free port, killed when dropped.
struct Redis(Child, u16);

impl Redis {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server not found: install the Debian package redis-server");
        let deadline = Instant::now() + common::PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self(child, port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "figures: run with --ignored --nocapture"]
async fn redis_two_servers_against_memory_one_server() {
    {
        let memory = Example::start(&["--heartbeat", "0"]);
        measure("memory, 1 server", memory.addr, &[memory.addr], READERS).await;
        // The same with few readers: what the path itself costs.
        measure("memory, 1 server", memory.addr, &[memory.addr], 10).await;
    }
    let redis = Redis::start();
    let url = format!("redis://127.0.0.1:{}/", redis.1);
    let args = ["--heartbeat", "0", "--redis", url.as_str()];
    let (a, b) = (Example::start(&args), Example::start(&args));
    measure("redis, 2 servers", a.addr, &[a.addr, b.addr], READERS).await;
    measure("redis, 2 servers", a.addr, &[a.addr, b.addr], 10).await;
}
