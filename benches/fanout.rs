//! Fan-out of one event to many subscribers, counted up to the bytes being
//! ready for each socket: the fan-out log (encoded once; each subscriber
//! reads its cursor and clones the shared chunk) against encoding per
//! subscriber (each gets the data, as a broadcast channel's clone of an
//! `Arc<str>`, and encodes it into a new buffer, as a per-client `Event`
//! does). Reported per delivered event.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sse_proto::{Cursor, EventId, EventLog, EventType, Message};

const DATA: &str = r#"{"id":"chatcmpl-7","choices":[{"delta":{"content":"token"}}]}"#;

fn bench(c: &mut Criterion) {
    let event_type = EventType::new("delta").unwrap();
    for subscribers in [1_000usize, 10_000] {
        let mut group = c.benchmark_group(format!("fanout/{subscribers}"));
        group.throughput(Throughput::Elements(subscribers as u64));
        group.sample_size(20);

        let mut log = EventLog::new(1000, 1 << 20);
        let mut cursors: Vec<Cursor> = vec![log.subscribe(); subscribers];
        group.bench_function("log: encode once, clone per subscriber", |b| {
            b.iter(|| {
                log.publish(Message::new(DATA).event_type(event_type))
                    .unwrap();
                let mut delivered = 0;
                for cursor in &mut cursors {
                    let batch = log.read(cursor, 64 * 1024).unwrap();
                    for chunk in batch {
                        delivered += black_box(Arc::clone(chunk)).len();
                    }
                }
                assert!(delivered > subscribers * DATA.len());
            });
        });

        let shared: Arc<str> = Arc::from(DATA);
        let mut next_id = 0u64;
        group.bench_function("encode per subscriber", |b| {
            b.iter(|| {
                next_id += 1;
                let id = next_id.to_string();
                let mut delivered = 0;
                for _ in 0..subscribers {
                    let data = black_box(Arc::clone(&shared));
                    let message = Message::new(&data)
                        .event_type(event_type)
                        .id(EventId::new(&id).unwrap());
                    let mut out = Vec::new();
                    message.encode(&mut out);
                    delivered += black_box(out).len();
                }
                assert!(delivered > subscribers * DATA.len());
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
