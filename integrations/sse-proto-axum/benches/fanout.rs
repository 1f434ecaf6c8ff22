//! Fan-out to 1,000 and 10,000 subscribers: sse-proto-axum's encode-once
//! channel against tokio's broadcast channel with axum's `Event` encoded per
//! client (`Sse` + `KeepAlive`, the usual axum server).
//!
//! ```text
//! cargo bench -p sse-proto-axum --bench fanout            # both parts
//! cargo bench -p sse-proto-axum --bench fanout -- bodies  # in-process only
//! cargo bench -p sse-proto-axum --bench fanout -- sockets # over loopback only
//! ```
//!
//! - **bodies**: in one thread, N response bodies exactly as axum serves
//!   them; each round publishes one event and polls every body until it is
//!   pending, as hyper does. CPU time per delivered event counts publishing,
//!   waking and everything up to the bytes being ready for the socket.
//!   Memory per idle subscriber: live heap bytes per body, counted by the
//!   allocator, after a first poll.
//! - **sockets**: the same two servers as a child process on loopback, N
//!   client connections in this process; each round publishes one event
//!   (`POST /publish`) and waits until every client has it. CPU time per
//!   delivered event is the server process's, writes to the sockets
//!   included.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use support::{baseline, ours, sockets, PAYLOAD};

/// Counts live heap bytes, to measure memory per subscriber.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_bytes() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(kind) = args
        .iter()
        .position(|arg| arg == "--serve")
        .map(|i| &args[i + 1])
    {
        sockets::serve(kind);
        return;
    }
    let only = |part: &str| {
        !args.iter().any(|a| a == "bodies" || a == "sockets") || args.iter().any(|a| a == part)
    };
    println!("payload: {} bytes of data per event", PAYLOAD.len());
    if only("bodies") {
        for subscribers in [1_000, 10_000] {
            let rounds = (2_000_000 / subscribers).max(50);
            let ours = ours::bodies(subscribers, rounds, live_bytes);
            let base = baseline::bodies(subscribers, rounds, live_bytes);
            print_bodies(subscribers, rounds, &ours, &base);
        }
    }
    if only("sockets") {
        for subscribers in [1_000, 10_000] {
            let rounds = if subscribers > 1_000 { 100 } else { 300 };
            let ours = sockets::run("ours", subscribers, rounds);
            let base = sockets::run("baseline", subscribers, rounds);
            println!(
                "sockets  {subscribers:>6} subscribers, {rounds} events: server CPU per delivered event: \
                 sse-proto-axum {:.0} ns, broadcast + axum Event {:.0} ns ({:.1}x); \
                 server RSS per connection {:.1} KiB vs {:.1} KiB",
                ours.cpu_per_delivery,
                base.cpu_per_delivery,
                base.cpu_per_delivery / ours.cpu_per_delivery,
                ours.rss_per_connection / 1024.0,
                base.rss_per_connection / 1024.0,
            );
        }
    }
}

fn print_bodies(
    subscribers: usize,
    rounds: usize,
    ours: &support::Figures,
    base: &support::Figures,
) {
    println!(
        "bodies   {subscribers:>6} subscribers, {rounds} events: CPU per delivered event: \
         sse-proto-axum {:.1} ns, broadcast + axum Event {:.1} ns ({:.1}x less); \
         heap per idle subscriber {:.0} B vs {:.0} B",
        ours.cpu_per_delivery,
        base.cpu_per_delivery,
        base.cpu_per_delivery / ours.cpu_per_delivery,
        ours.bytes_per_subscriber,
        base.bytes_per_subscriber,
    );
}
