//! The bounded load test (issue 18, point 6): the `fanout` example as its
//! own process, 1,000 subscribers reading through hyper and one socket that
//! never reads. Every reader must get every event once, in order; the
//! send-to-receive latency is printed; the server's resident memory must stay
//! within the history's bound plus a fixed amount per connection.
//!
//! `cargo test -p sse-proto-axum --test load -- --nocapture` shows the figures.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{open, Example};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const READERS: usize = 1000;
const EVENTS: u64 = 200;
/// Between two publishes: latency is measured on a live stream, not a queue.
const PACE: Duration = Duration::from_millis(20);
const HISTORY_EVENTS: usize = 1000;
const HISTORY_BYTES: usize = 1 << 20;
/// The bulk phase: 32 times the history's bytes, with the stuck socket.
const BULK_EVENTS: u64 = 4000;
const BULK_SIZE: usize = 8 << 10;
/// Allowed per open connection: hyper's buffers, the task, the subscription.
const PER_CONNECTION: u64 = 48 << 10;
/// Allowed for the one stuck connection: what hyper queues before it stops
/// polling the body (16 chunks of at most 16 KiB, and one large event).
const STUCK: u64 = 512 << 10;
/// The history's own slots (about 80 bytes each) and the allocator's slack
/// for the history's churn.
const FIXED: u64 = 4 << 20;

/// A keep-alive connection for `POST /publish`.
struct Publisher(hyper::client::conn::http1::SendRequest<Full<Bytes>>);

impl Publisher {
    async fn connect(addr: std::net::SocketAddr) -> Self {
        let io = TcpStream::connect(addr).await.unwrap();
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .unwrap();
        tokio::spawn(connection);
        Self(sender)
    }

    async fn publish(&mut self, body: Vec<u8>) -> u64 {
        self.0.ready().await.unwrap();
        let request = Request::post("/publish")
            .header("host", "load")
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let response = self.0.send_request(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        std::str::from_utf8(&body).unwrap().parse().unwrap()
    }
}

/// The client that never reads: a tiny receive buffer, and no reads.
async fn stuck_client(addr: std::net::SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stuck = socket.connect(addr).await.unwrap();
    stuck
        .write_all(b"GET /events HTTP/1.1\r\nhost: load\r\n\r\n")
        .await
        .unwrap();
    stuck
}

/// Reads events 2 to `EVENTS + 1` in order, once each, and gives the
/// latency of each in microseconds.
fn spawn_reader(
    mut stream: common::Stream,
    sent_at: Arc<Vec<AtomicU64>>,
    started: Instant,
) -> tokio::task::JoinHandle<Vec<u64>> {
    tokio::spawn(async move {
        let mut latencies = Vec::with_capacity(EVENTS as usize);
        for expected in 2..=EVENTS + 1 {
            let event = stream.next_event().await.expect("stream ended early");
            let received = started.elapsed().as_micros() as u64;
            assert_eq!(event.id, expected.to_string(), "out of order or duplicated");
            assert_eq!(event.data, format!("event {expected}"));
            let sent = sent_at[expected as usize].load(Ordering::Acquire);
            latencies.push(received.saturating_sub(sent));
        }
        latencies
    })
}

/// Publishes 32 times the history past the stuck socket, and gives the
/// server's peak growth meanwhile. A queue per subscriber would grow by all
/// of it.
async fn bulk_phase(example: &Example, publisher: &mut Publisher) -> u64 {
    let filler = "x".repeat(BULK_SIZE);
    let before = example.rss();
    let mut peak = before;
    for n in 0..BULK_EVENTS {
        publisher.publish(filler.clone().into_bytes()).await;
        if n % 100 == 0 {
            peak = peak.max(example.rss());
        }
    }
    peak.max(example.rss()).saturating_sub(before)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_readers_and_a_stuck_socket() {
    let started = Instant::now();
    let history = [HISTORY_EVENTS.to_string(), HISTORY_BYTES.to_string()];
    let example = Example::start(&["--history", &history[0], "--history-bytes", &history[1]]);
    let mut publisher = Publisher::connect(example.addr).await;
    // Warm the server's paths up, so that the baseline includes them.
    assert_eq!(publisher.publish(b"warm-up".to_vec()).await, 1);
    let baseline = example.rss();

    let stuck = stuck_client(example.addr).await;
    let sent_at: Arc<Vec<AtomicU64>> =
        Arc::new((0..=EVENTS + 1).map(|_| AtomicU64::new(0)).collect());
    let mut readers = Vec::with_capacity(READERS);
    for _ in 0..READERS {
        let stream = open(example.addr, "/events", Some("1")).await;
        readers.push(spawn_reader(stream, Arc::clone(&sent_at), started));
    }
    let connections = READERS as u64 + 1;
    let connected = example.rss();
    let per_connection = connected.saturating_sub(baseline) / connections;

    let mut peak = connected;
    for n in 2..=EVENTS + 1 {
        sent_at[n as usize].store(started.elapsed().as_micros() as u64, Ordering::Release);
        let body = format!("event {n}").into_bytes();
        assert_eq!(publisher.publish(body).await, n);
        if n % 50 == 0 {
            peak = peak.max(example.rss());
        }
        tokio::time::sleep(PACE).await;
    }
    let mut latencies = Vec::with_capacity(READERS * EVENTS as usize);
    for reader in readers {
        latencies.extend(reader.await.expect("a reader failed"));
    }
    assert_eq!(latencies.len(), READERS * EVENTS as usize);
    latencies.sort_unstable();
    let percentile = |p: usize| latencies[(latencies.len() - 1) * p / 100];
    let live_phase = started.elapsed();

    let bulk_growth = bulk_phase(&example, &mut publisher).await;
    let bulk_bound = HISTORY_BYTES as u64 + STUCK + FIXED;
    let bound = baseline + HISTORY_BYTES as u64 + connections * PER_CONNECTION + STUCK + FIXED;
    println!(
        "load: {READERS} readers + 1 stuck, {EVENTS} events every {PACE:?}: \
         latency p50 {} us, p99 {} us, max {} us ({} deliveries)",
        percentile(50),
        percentile(99),
        percentile(100),
        latencies.len()
    );
    println!(
        "load: server RSS {} KiB at start, {} KiB with {connections} connections \
         ({} KiB each), peak {} KiB (bound {} KiB); {} MiB more published: \
         +{} KiB (bound {} KiB); {live_phase:?} live phase, {:?} in all",
        baseline >> 10,
        connected >> 10,
        per_connection >> 10,
        peak >> 10,
        bound >> 10,
        (BULK_EVENTS as usize * BULK_SIZE) >> 20,
        bulk_growth >> 10,
        bulk_bound >> 10,
        started.elapsed()
    );
    assert!(
        per_connection <= PER_CONNECTION,
        "{per_connection} B per connection"
    );
    assert!(peak <= bound, "server RSS {peak} exceeds {bound}");
    assert!(
        bulk_growth <= bulk_bound,
        "RSS grew {bulk_growth} with a stuck client"
    );
    drop(stuck);
}
