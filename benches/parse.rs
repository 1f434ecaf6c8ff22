//! Parsing throughput per workload and chunk size, on the fastest borrowed
//! path (`Parser::for_each`), on the same loop stopped after every frame
//! and resumed (`Parser::try_for_each`) and on `Parser::feed`. The same workloads run
//! against other crates in `benches/compare`.

use std::ops::ControlFlow;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sse_proto::{Frame, Parser};

#[path = "support/workloads.rs"]
mod workloads;

use workloads::{Tally, Workload};

/// One way of parsing a workload in chunks of a given size.
type Parse = fn(&Workload, usize) -> Tally;

/// Parses `workload` with a fresh parser in chunks of `chunk` bytes, each
/// through `Parser::for_each`.
fn parse_for_each(workload: &Workload, chunk: usize) -> Tally {
    let mut parser = Parser::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        parser.for_each(piece, |frame| {
            if let Frame::Event(event) = frame.expect("workloads stay within limits") {
                tally.event(event.data.len());
            }
        });
    }
    parser.finish();
    tally
}

/// Parses `workload` with a fresh parser in chunks of `chunk` bytes, each
/// through `Parser::try_for_each` stopped after every frame and resumed:
/// what stopping costs.
fn parse_stepped(workload: &Workload, chunk: usize) -> Tally {
    let mut parser = Parser::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        let mut input = piece;
        while parser
            .try_for_each(&mut input, |frame| {
                if let Frame::Event(event) = frame.expect("workloads stay within limits") {
                    tally.event(event.data.len());
                }
                ControlFlow::Break(())
            })
            .is_break()
        {}
    }
    parser.finish();
    tally
}

/// Feeds `workload` to a fresh parser in chunks of `chunk` bytes, frame by
/// frame through `Parser::feed`.
fn parse_feed(workload: &Workload, chunk: usize) -> Tally {
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
            let paths: [(&str, Parse); 3] = [
                ("for_each", parse_for_each),
                ("stepped", parse_stepped),
                ("feed", parse_feed),
            ];
            for (path, parse) in paths {
                assert_eq!(
                    parse(&workload, chunk),
                    workload.expected(),
                    "{} via {path}",
                    workload.name
                );
                group.bench_with_input(
                    BenchmarkId::new(format!("{}/{path}", workload.name), chunk),
                    &workload,
                    |b, workload| b.iter(|| parse(workload, chunk)),
                );
            }
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
