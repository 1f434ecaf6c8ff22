//! End to end over loopback: a local server sends a workload's stream as a
//! chunked `text/event-stream` response; each client reads it through
//! reqwest until it has every event. Events per second, and allocations
//! per event counted by a global allocator (the whole process: the client
//! library, reqwest and hyper; the server writes a buffer made beforehand
//! and allocates nothing per event).
//!
//! ```sh
//! cd benches/e2e && cargo run --release -- [ROUNDS] [WORKLOAD...]
//! ```
//!
//! After one unmeasured pass of each, rounds alternate which client goes first, so that load that comes and
//! goes falls on both alike; each round's ratio is of the same round.

#[path = "../../support/workloads.rs"]
mod workloads;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use workloads::Workload;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes unchanged to `System`; counting is one atomic add.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The response: a head, then the workload in 16 KiB chunks of a chunked
/// body, as a server flushing its writes sends it.
fn response(workload: &Workload) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for chunk in workload.bytes.chunks(16 * 1024) {
        write!(out, "{:x}\r\n", chunk.len()).unwrap();
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Serves `response` to every connection, on its own thread and runtime.
fn serve(response: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let response: &'static [u8] = Vec::leak(response);
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                tokio::spawn(async move {
                    let mut head = [0u8; 4096];
                    // One read takes the whole small request head.
                    let _ = socket.read(&mut head).await;
                    let _ = socket.write_all(response).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
    });
    url
}

/// One client's pass: events and data bytes seen, time, allocations.
#[derive(Debug, Clone, Copy)]
struct Pass {
    events: usize,
    data_bytes: usize,
    elapsed: Duration,
    allocations: usize,
}

impl Pass {
    fn events_per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64()
    }
    fn allocations_per_event(&self) -> f64 {
        self.allocations as f64 / self.events as f64
    }
}

async fn measure<F: std::future::Future<Output = (usize, usize)>>(run: F) -> Pass {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let start = Instant::now();
    let (events, data_bytes) = run.await;
    let elapsed = start.elapsed();
    Pass {
        events,
        data_bytes,
        elapsed,
        allocations: ALLOCATIONS.load(Ordering::Relaxed) - before,
    }
}

async fn ours(url: &str, expected: usize) -> (usize, usize) {
    let mut source = sse_proto_reqwest::EventSource::get(url).unwrap();
    let (mut events, mut bytes) = (0, 0);
    while let Some(event) = source.next().await {
        bytes += event.unwrap().data.len();
        events += 1;
        if events == expected {
            break;
        }
    }
    (events, bytes)
}

async fn peer(url: &str, expected: usize) -> (usize, usize) {
    let client = reqwest012::Client::new();
    let mut source = reqwest_eventsource::EventSource::new(client.get(url)).unwrap();
    let (mut events, mut bytes) = (0, 0);
    while let Some(event) = source.next().await {
        match event.unwrap() {
            reqwest_eventsource::Event::Open => {}
            reqwest_eventsource::Event::Message(message) => {
                bytes += message.data.len();
                events += 1;
                if events == expected {
                    break;
                }
            }
        }
    }
    source.close();
    (events, bytes)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut names: Vec<String> = args.collect();
    if names.is_empty() {
        names = vec!["tokens".into(), "small".into()];
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // For profiling one client alone: SSE_E2E_ONLY=ours (or peer).
    if let Ok(only) = std::env::var("SSE_E2E_ONLY") {
        for name in names {
            let workload = workloads::by_name(&name).expect("a workload name");
            let url = serve(response(&workload));
            for _ in 0..rounds {
                let pass = runtime.block_on(async {
                    match only.as_str() {
                        "peer" => measure(peer(&url, workload.events)).await,
                        _ => measure(ours(&url, workload.events)).await,
                    }
                });
                println!(
                    "{name} {only}: {:.0} events/s, {:.3} allocations/event",
                    pass.events_per_second(),
                    pass.allocations_per_event()
                );
            }
        }
        return;
    }
    for name in names {
        let workload = workloads::by_name(&name).expect("a workload name");
        let url = serve(response(&workload));
        let expected = workload.expected();
        println!(
            "{name}: {} events, {} bytes, 16 KiB chunks, {rounds} rounds",
            workload.events,
            workload.bytes.len()
        );
        println!(
            "round  sse-proto-reqwest ev/s  alloc/ev  reqwest-eventsource ev/s  alloc/ev  ratio"
        );
        // One unmeasured pass each: page faults of fresh buffers, the
        // allocator's first growth.
        runtime.block_on(async {
            ours(&url, workload.events).await;
            peer(&url, workload.events).await;
        });
        let mut ratios = Vec::new();
        for round in 0..rounds {
            let (a, b) = runtime.block_on(async {
                if round % 2 == 0 {
                    let a = measure(ours(&url, workload.events)).await;
                    (a, measure(peer(&url, workload.events)).await)
                } else {
                    let b = measure(peer(&url, workload.events)).await;
                    (measure(ours(&url, workload.events)).await, b)
                }
            });
            for pass in [a, b] {
                assert_eq!(
                    (pass.events, pass.data_bytes),
                    (expected.events, expected.data_bytes)
                );
            }
            let ratio = a.events_per_second() / b.events_per_second();
            ratios.push(ratio);
            println!(
                "{round:>5}  {:>22.0}  {:>8.3}  {:>24.0}  {:>8.3}  {ratio:>5.2}",
                a.events_per_second(),
                a.allocations_per_event(),
                b.events_per_second(),
                b.allocations_per_event()
            );
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{name}: median ratio {:.2} (min {:.2}, max {:.2})\n",
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}
