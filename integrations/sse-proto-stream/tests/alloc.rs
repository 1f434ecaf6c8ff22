//! No allocation per event: streaming 20,000 events through the adapter, in
//! chunks that cut events anywhere, allocates far less than once per event
//! (the copy blocks for values that span chunks, the chunks' shared
//! headers), and nothing at all when the events lie inside chunks.

mod common;
#[path = "../../../tests/common/counting.rs"]
mod counting;

use std::convert::Infallible;

use bytes::Bytes;
use common::{next, Items};
use sse_proto_stream::FrameStream;

const EVENTS: usize = 20_000;

fn stream_of(events: usize) -> Vec<u8> {
    (0..events)
        .flat_map(|n| format!("id: {}\ndata: {{\"token\":\"t{n}\"}}\n\n", n / 100).into_bytes())
        .collect()
}

/// Events seen and allocations made while consuming `chunks`, dropping
/// each event once its data has been looked at.
fn consume(chunks: Vec<Bytes>) -> (usize, usize) {
    let items: Vec<Result<Bytes, Infallible>> = chunks.into_iter().map(Ok).collect();
    let mut stream = FrameStream::new(Items::ready(items)).events();
    let mut events = 0;
    // Warm up: the queue and the first copy block grow once.
    smol::block_on(async {
        for _ in 0..100 {
            next(&mut stream).await.unwrap().unwrap();
            events += 1;
        }
    });
    let mut bytes = 0;
    let allocations = counting::allocations(|| {
        smol::block_on(async {
            while let Some(event) = next(&mut stream).await {
                bytes += event.unwrap().data.len();
                events += 1;
            }
        });
    });
    assert!(bytes > 0);
    (events, allocations)
}

#[test]
fn events_inside_chunks_allocate_nothing() {
    // Each chunk holds whole events, as a server's writes often do.
    let chunks: Vec<Bytes> = (0..EVENTS / 100)
        .map(|i| Bytes::from(stream_of(100 * (i + 1))[stream_of(100 * i).len()..].to_vec()))
        .collect();
    let chunk_count = chunks.len();
    let (events, allocations) = consume(chunks);
    assert_eq!(events, EVENTS);
    // `Bytes::from(Vec)` is promoted to a shared buffer at the first
    // slice: at most one allocation per chunk, none per event.
    assert!(
        allocations <= chunk_count,
        "{allocations} allocations for {chunk_count} chunks"
    );
}

#[test]
fn events_cut_by_chunks_allocate_far_less_than_once_each() {
    let stream = stream_of(EVENTS);
    for size in [16 * 1024, 1000, 37] {
        let chunks: Vec<Bytes> = stream.chunks(size).map(Bytes::copy_from_slice).collect();
        let chunk_count = chunks.len();
        let (events, allocations) = consume(chunks);
        assert_eq!(events, EVENTS);
        // One shared header per chunk; copies of cut values land in reused
        // 16 KiB blocks.
        assert!(
            allocations <= chunk_count + 50,
            "{size}-byte chunks: {allocations} allocations for {EVENTS} events in {chunk_count} chunks"
        );
    }
}
