//! Encoder throughput: LLM-style token events and multi-line events, into a
//! reused `Vec<u8>`, reported as events/s and as output bytes/s.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sse_proto::{EventId, EventType, Message};

const EVENTS: usize = 1000;

/// `EVENTS` token-sized JSON payloads with a type and an ID each.
fn tokens() -> Vec<(String, String)> {
    (0..EVENTS)
        .map(|i| {
            let data = format!(
                "{{\"id\":\"chatcmpl-{i}\",\"choices\":[{{\"delta\":{{\"content\":\"tok{i}\"}}}}]}}"
            );
            (data, i.to_string())
        })
        .collect()
}

/// `EVENTS` events of 20 lines of 60 bytes, LF and CRLF mixed.
fn multi_line() -> Vec<(String, String)> {
    let line = "x".repeat(60);
    (0..EVENTS)
        .map(|i| {
            let mut data = String::new();
            for n in 0..20 {
                data.push_str(&line);
                data.push_str(if n % 2 == 0 { "\n" } else { "\r\n" });
            }
            (data, i.to_string())
        })
        .collect()
}

fn encode_all(events: &[(String, String)], out: &mut Vec<u8>) {
    let event_type = EventType::new("delta").unwrap();
    out.clear();
    for (data, id) in events {
        let id = EventId::new(id).unwrap();
        Message::new(data).event_type(event_type).id(id).encode(out);
    }
}

fn bench(c: &mut Criterion) {
    for (name, events) in [("tokens", tokens()), ("multi-line", multi_line())] {
        let mut out = Vec::new();
        encode_all(&events, &mut out);
        let bytes = out.len();
        assert!(out.ends_with(b"\n\n") && bytes > EVENTS * 50);
        let throughputs = [
            ("events", Throughput::Elements(EVENTS as u64)),
            ("bytes", Throughput::Bytes(bytes as u64)),
        ];
        for (unit, throughput) in throughputs {
            let mut group = c.benchmark_group(format!("encode/{unit}"));
            group.throughput(throughput);
            group.bench_function(name, |b| {
                b.iter(|| {
                    encode_all(black_box(&events), &mut out);
                    assert_eq!(out.len(), bytes);
                })
            });
            group.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
