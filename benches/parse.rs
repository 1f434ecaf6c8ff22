//! Parsing throughput per workload and chunk size, on the borrowed `feed`
//! path. The same workloads run against other crates in `benches/compare`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sse_proto::{Frame, Parser};

#[path = "support/workloads.rs"]
mod workloads;

use workloads::{Tally, Workload};

/// Feeds `workload` to a fresh parser in chunks of `chunk` bytes.
fn parse(workload: &Workload, chunk: usize) -> Tally {
    let mut parser = Parser::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        let mut input = piece;
        while let Some(frame) = parser
            .feed(&mut input)
            .expect("workloads stay within limits")
        {
            if let Frame::Event(event) = frame {
                tally.event(event.data.len());
            }
        }
    }
    parser.finish();
    tally
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for workload in workloads::all() {
        group.throughput(Throughput::Bytes(workload.bytes.len() as u64));
        for &chunk in workload.chunk_sizes {
            assert_eq!(
                parse(&workload, chunk),
                workload.expected(),
                "{}",
                workload.name
            );
            group.bench_with_input(
                BenchmarkId::new(workload.name, chunk),
                &workload,
                |b, workload| b.iter(|| parse(workload, chunk)),
            );
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_parse
}
criterion_main!(benches);
