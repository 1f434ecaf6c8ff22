//! The encoder allocates nothing per event once its output buffer has
//! capacity. Counted by a global allocator that counts this thread's
//! allocations (the test harness runs other threads).
#![cfg(feature = "std")]

#[path = "common/counting.rs"]
mod counting;

use sse_proto::io::EventWriter;
use sse_proto::{Comment, EventId, EventType, Message, Retry};
use std::fmt::Write as _;

use counting::allocations;

const EVENTS: usize = 1000;

fn send_all(mut encode: impl FnMut(&Message<'_>, usize)) {
    let delta = EventType::new("delta").unwrap();
    let ids = ["1", "22", "333"];
    for i in 0..EVENTS {
        let id = EventId::new(ids[i % ids.len()]).unwrap();
        let data = if i % 2 == 0 {
            "{\"token\":\"hi\"}"
        } else {
            "one\r\ntwo\rthree\nfour"
        };
        encode(&Message::new(data).event_type(delta).id(id), i);
    }
}

#[test]
fn the_counter_counts() {
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8]))), 1);
}

#[test]
fn encoding_into_a_vec_with_capacity_allocates_nothing() {
    let mut out = Vec::with_capacity(256 * EVENTS);
    let count = allocations(|| {
        send_all(|message, i| {
            message.encode(&mut out);
            Comment::new("ping\nagain").encode(&mut out);
            Retry::from_millis(i as u64).encode(&mut out);
            Message::id_only(EventId::RESET).encode(&mut out);
        })
    });
    assert!(out.len() > 50 * EVENTS, "the events were written");
    assert_eq!(count, 0);
}

#[test]
fn encoding_into_a_reused_string_allocates_nothing() {
    let mut out = String::with_capacity(256);
    let count = allocations(|| {
        send_all(|message, _| {
            out.clear();
            message.encode(&mut out);
            assert!(out.len() == message.encoded_len());
        })
    });
    assert_eq!(count, 0);
}

#[test]
fn writing_through_fmt_allocates_nothing() {
    let mut out = String::with_capacity(256);
    let count = allocations(|| {
        send_all(|message, _| {
            out.clear();
            write!(out, "{message}").unwrap();
        })
    });
    assert_eq!(count, 0);
}

#[test]
fn the_event_writer_allocates_nothing_per_event_once_warm() {
    let mut events = EventWriter::new(Vec::with_capacity(64 * EVENTS));
    events
        .send(&Message::new("warm up the frame buffer: one\ntwo\nthree"))
        .unwrap();
    let count = allocations(|| {
        send_all(|message, _| events.send(message).unwrap());
    });
    assert_eq!(count, 0);
}
