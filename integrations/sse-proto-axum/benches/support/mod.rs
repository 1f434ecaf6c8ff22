//! What both sides of the benchmark share: the payload, the CPU clock, the
//! body-polling loop.

pub(crate) mod baseline;
pub(crate) mod ours;
pub(crate) mod sockets;

use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::body::{Body, HttpBody};

/// A typical event's data: a small JSON update.
pub(crate) const PAYLOAD: &str = r#"{"symbol":"ACME","price":1234.5678,"volume":4200,"bid":1234.50,"ask":1234.75,"ts":"2026-12-06T20:00:00.000Z"}"#;

/// One side's results.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Figures {
    pub(crate) cpu_per_delivery: f64,
    pub(crate) bytes_per_subscriber: f64,
    pub(crate) rss_per_connection: f64,
}

/// CPU time this thread has run (the scheduler's count, in nanoseconds).
pub(crate) fn thread_cpu() -> Duration {
    schedstat("/proc/thread-self/schedstat")
}

/// CPU time a process has run: the sum over its threads.
pub(crate) fn process_cpu(pid: u32) -> Duration {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("list threads");
    tasks
        .filter_map(Result::ok)
        .map(|task| schedstat(&format!("{}/schedstat", task.path().display())))
        .sum()
}

fn schedstat(path: &str) -> Duration {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let nanos = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(nanos)
}

/// A waker that does nothing (the loop polls every body anyway), one for
/// the whole run, as a server's task keeps its waker.
static IDLE: std::sync::LazyLock<Waker> =
    std::sync::LazyLock::new(|| Waker::from(std::sync::Arc::new(Idle)));

struct Idle;

impl std::task::Wake for Idle {
    fn wake(self: std::sync::Arc<Self>) {}
}

/// Polls every body until it is pending, as hyper does after a wakeup, and
/// returns the data bytes they gave.
pub(crate) fn drain(bodies: &mut [Body]) -> usize {
    let mut cx = Context::from_waker(&IDLE);
    let mut bytes = 0;
    for body in bodies {
        loop {
            match Pin::new(&mut *body).poll_frame(&mut cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    bytes += frame
                        .data_ref()
                        .map_or(0, |data| std::hint::black_box(data.len()));
                }
                Poll::Ready(Some(Err(error))) => panic!("body failed: {error}"),
                Poll::Ready(None) => panic!("body ended"),
                Poll::Pending => break,
            }
        }
    }
    bytes
}

/// Creates `subscribers` bodies with `make`, polls each once (so that it
/// waits, as an idle subscriber does), and measures the heap each holds.
pub(crate) fn idle_bodies(
    subscribers: usize,
    live: fn() -> isize,
    make: impl FnMut() -> Body,
) -> (Vec<Body>, f64) {
    let mut bodies = Vec::with_capacity(subscribers);
    let before = live();
    bodies.extend(std::iter::repeat_with(make).take(subscribers));
    drain(&mut bodies);
    // The heap the bodies took, plus each body's own handle in the Vec.
    let held = live() - before + (subscribers * size_of::<Body>()) as isize;
    (bodies, held as f64 / subscribers as f64)
}

/// Runs `rounds` of `publish` then [`drain`], checking every subscriber got
/// `expected` bytes per event, and gives the CPU time per delivery.
pub(crate) fn rounds(
    bodies: &mut [Body],
    rounds: usize,
    mut publish: impl FnMut(u64),
    expected: usize,
) -> f64 {
    let start = thread_cpu();
    for round in 0..rounds {
        publish(round as u64 + 1);
        let bytes = drain(bodies);
        assert!(
            bytes >= expected * bodies.len(),
            "round {round}: {bytes} bytes"
        );
    }
    let spent = thread_cpu() - start;
    spent.as_nanos() as f64 / (rounds * bodies.len()) as f64
}
