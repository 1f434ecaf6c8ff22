//! Side-by-side comparison: every workload through every implementation.
//!
//! Prints one table: median throughput (MB/s, 1 MB = 10^6 bytes, per
//! second of the thread's CPU time, so that other processes on a shared
//! machine add little noise), million
//! events per second, heap allocations per event (from a counting global
//! allocator), the spread of the runs, and whether the implementation found
//! the right events. Run it with
//! `cargo run --release` in `benches/compare`; pass workload names to run
//! only those, and `--runs N` to change the number of timed runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use sse_compare::workloads::{self, Tally, Workload};
use sse_compare::{Implementation, IMPLEMENTATIONS};

/// Counts allocations and reallocations, then defers to the system allocator.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter has no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One timed sample repeats the workload until it has taken about this
/// long: long enough that the clock's resolution and the loop do not
/// count, short enough that many samples of every implementation
/// interleave within a second, over which the load of other processes on
/// a shared machine comes and goes.
const SAMPLE: Duration = Duration::from_millis(10);

/// An implementation whose timed samples add up to more than this stops
/// after three (eventsource-stream is quadratic in the chunk size).
const SLOW_BUDGET: Duration = Duration::from_secs(4);

struct Row {
    implementation: &'static str,
    /// Median, slowest and fastest throughput, MB/s.
    mbps: f64,
    min: f64,
    max: f64,
    mevents: f64,
    allocations_per_event: f64,
    runs: usize,
    tally: Tally,
}

/// Measures every implementation on one workload and chunk size. Runs go
/// round-robin (one of each, then again), each round starting one
/// implementation further on, so that a burst of load from other processes
/// on a shared machine falls on all of them alike, and none always runs
/// right after the same other one.
fn measure_all(workload: &Workload, chunk: usize, runs: usize) -> Vec<Row> {
    let implementations: Vec<&Implementation> = IMPLEMENTATIONS
        .iter()
        .filter(|implementation| implementation.measures(workload))
        .collect();
    // A first run of each checks its result, counts its allocations, and
    // sets how many passes make one timed sample of at least `SAMPLE`.
    let checked: Vec<(Tally, u64, u32)> = implementations
        .iter()
        .map(|implementation| {
            let before = ALLOCATIONS.load(Relaxed);
            let start = thread_cpu_time();
            let tally = (implementation.run)(workload, chunk);
            let once = (thread_cpu_time() - start).max(Duration::from_micros(1));
            let passes = (SAMPLE.as_secs_f64() / once.as_secs_f64()).ceil() as u32;
            (
                tally,
                ALLOCATIONS.load(Relaxed) - before,
                passes.clamp(1, 50),
            )
        })
        .collect();
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(runs); implementations.len()];
    let count = implementations.len();
    for round in 0..runs {
        for i in (0..count).map(|step| (round + step) % count) {
            let implementation = implementations[i];
            if round >= 3 && times[i].iter().sum::<f64>() > SLOW_BUDGET.as_secs_f64() {
                continue;
            }
            let passes = checked[i].2;
            let start = thread_cpu_time();
            let mut tally = Tally::default();
            for _ in 0..passes {
                tally = black_box((implementation.run)(black_box(workload), chunk));
            }
            times[i].push((thread_cpu_time() - start).as_secs_f64() / f64::from(passes));
            assert_eq!(
                tally, checked[i].0,
                "{} is not deterministic",
                implementation.name
            );
        }
    }
    let mb = workload.bytes.len() as f64 / 1e6;
    implementations
        .iter()
        .zip(times)
        .zip(checked)
        .map(|((implementation, mut times), (tally, allocations, _))| {
            times.sort_by(f64::total_cmp);
            let median = times[times.len() / 2];
            Row {
                implementation: implementation.name,
                mbps: mb / median,
                min: mb / times[times.len() - 1],
                max: mb / times[0],
                mevents: tally.events as f64 / 1e6 / median,
                allocations_per_event: allocations as f64 / tally.events.max(1) as f64,
                runs: times.len(),
                tally,
            }
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut runs = 45;
    let mut only = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            name => only.push(name.to_owned()),
        }
    }
    let workloads: Vec<Workload> = workloads::all()
        .into_iter()
        .filter(|w| only.is_empty() || only.iter().any(|o| o == w.name))
        .collect();

    println!(
        "| workload | chunk | implementation | MB/s | M events/s | allocs/event | spread MB/s (runs) | vs sse-proto (for_each) | result |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---|");
    let mut wrong = Vec::new();
    let mut verdicts = Vec::new();
    for workload in &workloads {
        for &chunk in workload.chunk_sizes {
            let rows = measure_all(workload, chunk, runs);
            let ours = rows[0].mbps;
            for row in &rows {
                let result = if row.tally == workload.expected() {
                    "ok".to_owned()
                } else {
                    wrong.push(format!(
                        "{} on {} ({} B chunks): {} events / {} data bytes, expected {} / {}",
                        row.implementation,
                        workload.name,
                        chunk,
                        row.tally.events,
                        row.tally.data_bytes,
                        workload.events,
                        workload.data_bytes
                    ));
                    "**wrong**".to_owned()
                };
                println!(
                    "| {} | {} | {} | {:.0} | {:.2} | {} | {:.0}–{:.0} ({}) | {:.2}× | {} |",
                    workload.name,
                    chunk_label(chunk),
                    row.implementation,
                    row.mbps,
                    row.mevents,
                    allocations_label(row.allocations_per_event),
                    row.min,
                    row.max,
                    row.runs,
                    ours / row.mbps,
                    result
                );
            }
            // Other crates only: sse-proto's second row is not a peer.
            let fastest_other = rows
                .iter()
                .filter(|row| !row.implementation.starts_with("sse-proto"))
                .max_by(|a, b| a.mbps.total_cmp(&b.mbps))
                .expect("peers");
            verdicts.push(format!(
                "{} at {}: {} {:.0} MB/s, fastest other {} {:.0} MB/s: {:.2}×",
                workload.name,
                chunk_label(chunk),
                rows[0].implementation,
                ours,
                fastest_other.implementation,
                fastest_other.mbps,
                ours / fastest_other.mbps
            ));
        }
    }
    println!();
    for verdict in verdicts {
        println!("- {verdict}");
    }
    if !wrong.is_empty() {
        println!("\nResults that differ from the workload's expected events / data bytes:");
        for line in wrong {
            println!("- {line}");
        }
    }
}

/// CPU time used by this thread so far. Timing by it rather than by the
/// wall clock leaves out the time other processes on a shared machine hold
/// the CPU, which is most of the noise there.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a
    // constant Linux supports.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn chunk_label(chunk: usize) -> String {
    if chunk >= 1024 && chunk.is_multiple_of(1024) {
        format!("{} KiB", chunk / 1024)
    } else {
        format!("{chunk} B")
    }
}

fn allocations_label(per_event: f64) -> String {
    if per_event == 0.0 {
        "0".to_owned()
    } else if per_event < 0.01 {
        format!("{per_event:.1e}")
    } else {
        format!("{per_event:.2}")
    }
}
