//! End to end over loopback: each server in a child process (this bench's
//! binary with `--serve ours|baseline`), the clients here.

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use sse_proto::Message;
use sse_proto_axum::{Channel, Subscription};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::broadcast;

use super::{baseline, process_cpu, Figures, PAYLOAD};

/// The child: serves `GET /events` and `POST /publish` with one of the two.
pub(crate) fn serve(kind: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let app = match kind {
            "ours" => Router::new()
                .route("/events", get(|events: Subscription| async { events }))
                .route(
                    "/publish",
                    post(|State(channel): State<Channel>, body: String| async move {
                        channel
                            .publish(Message::new(&body))
                            .expect("publish")
                            .to_string()
                    }),
                )
                .with_state(Channel::new()),
            _ => {
                let (sender, _) = broadcast::channel::<baseline::Item>(1024);
                let next = Arc::new(AtomicU64::new(1));
                let publisher = sender.clone();
                Router::new()
                    .route(
                        "/events",
                        get(move || {
                            let receiver = sender.subscribe();
                            async move { baseline::response(receiver) }
                        }),
                    )
                    .route(
                        "/publish",
                        post(move |body: String| async move {
                            let id = next.fetch_add(1, Ordering::Relaxed);
                            let _ = publisher.send((id, Arc::from(body)));
                            id.to_string()
                        }),
                    )
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("listening on http://{}/", listener.local_addr().unwrap());
        axum::serve(listener, app).await.unwrap();
    });
}

struct Server(Child, SocketAddr);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(kind: &str) -> Server {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--serve", kind])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    Server(child, addr)
}

fn rss(pid: u32) -> f64 {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).unwrap();
    statm
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<f64>()
        .unwrap()
        * 4096.0
}

/// A client: sends the request, then counts events (blank lines) forever.
async fn client(addr: SocketAddr, events: Arc<AtomicU64>, ready: Arc<AtomicU64>) {
    let mut socket = TcpStream::connect(addr).await.unwrap();
    socket
        .write_all(b"GET /events HTTP/1.1\r\nhost: bench\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0; 16 << 10];
    let mut previous = 0u8;
    let mut headed = false;
    loop {
        let n = match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if !headed {
            headed = true;
            ready.fetch_add(1, Ordering::Relaxed);
        }
        let mut count = 0;
        for &byte in &buf[..n] {
            count += u64::from(previous == b'\n' && byte == b'\n');
            previous = byte;
        }
        events.fetch_add(count, Ordering::Relaxed);
    }
}

async fn publish(addr: SocketAddr) {
    let mut socket = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /publish HTTP/1.1\r\nhost: bench\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{PAYLOAD}",
        PAYLOAD.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

async fn wait_for(counter: &AtomicU64, target: u64, what: &str) {
    let start = Instant::now();
    while counter.load(Ordering::Relaxed) < target {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

pub(crate) fn run(kind: &str, subscribers: usize, rounds: u64) -> Figures {
    let server = start(kind);
    let (pid, addr) = (server.0.id(), server.1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let events = Arc::new(AtomicU64::new(0));
        let ready = Arc::new(AtomicU64::new(0));
        let before = rss(pid);
        // In batches, so that the listen backlog does not overflow.
        for batch in 0..subscribers.div_ceil(500) {
            for _ in 0..500.min(subscribers - batch * 500) {
                tokio::spawn(client(addr, Arc::clone(&events), Arc::clone(&ready)));
            }
            wait_for(
                &ready,
                ((batch + 1) * 500).min(subscribers) as u64,
                "connections",
            )
            .await;
        }
        // One event to warm up, outside the measurement.
        let connected = rss(pid);
        publish(addr).await;
        wait_for(&events, subscribers as u64, "first event").await;
        let start = process_cpu(pid);
        for round in 1..=rounds {
            publish(addr).await;
            wait_for(&events, subscribers as u64 * (round + 1), "delivery").await;
        }
        let spent = process_cpu(pid) - start;
        Figures {
            cpu_per_delivery: spent.as_nanos() as f64 / (rounds as f64 * subscribers as f64),
            rss_per_connection: (connected - before) / subscribers as f64,
            ..Figures::default()
        }
    })
}
