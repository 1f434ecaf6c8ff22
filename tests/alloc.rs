//! The borrowed path allocates nothing in steady state: once the parser's
//! buffers have grown to the largest event seen, parsing 10,000 more events
//! through `Parser::feed` makes no allocation at all.
//!
//! The counter is a `#[global_allocator]` wrapper, so it is process-global;
//! it counts per thread, so tests running in parallel do not disturb each
//! other. It lives in this file only.

// A global allocator is an `unsafe impl`; nothing else here is unsafe.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sse_proto::{Frame, Parser};

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn note_allocation() {
    // `try_with`: the thread-local may be gone while a thread shuts down.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; counting touches only a const-initialised
// thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: the caller's guarantees for `layout` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: `ptr` was allocated by `System` through this wrapper.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` through this wrapper.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

const EVENTS: usize = 10_000;
const WARM_UP: usize = 100;

/// What a pass over a stream saw, summed without keeping any frame.
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    events: usize,
    comments: usize,
    data_bytes: usize,
}

/// Feeds `stream` in chunks of `chunk` bytes through the borrowed path.
fn feed_borrowed(parser: &mut Parser, stream: &[u8], chunk: usize) -> Seen {
    let mut seen = Seen::default();
    for mut input in stream.chunks(chunk) {
        while let Some(frame) = parser.feed(&mut input).expect("no limit hit") {
            match frame {
                Frame::Event(event) => {
                    seen.events += 1;
                    seen.data_bytes += event.data.len() + event.event_type.len() + event.id.len();
                }
                Frame::Comment(_) => seen.comments += 1,
                Frame::Retry(_) => {}
            }
        }
    }
    seen
}

/// Parses `WARM_UP` events (twice), then `EVENTS` more while counting, and asserts
/// that the counted pass allocated nothing and saw every event.
fn assert_steady_state_allocates_nothing(event: impl Fn(usize) -> Vec<u8>, chunk: usize) {
    let warm_up: Vec<u8> = (0..WARM_UP).flat_map(&event).collect();
    let stream: Vec<u8> = (WARM_UP..WARM_UP + EVENTS).flat_map(&event).collect();
    let mut parser = Parser::new();
    // Warm up byte by byte too: a large chunk boundary may later cut an
    // event anywhere, and the buffers must have held every part of one.
    for size in [chunk, 1] {
        let warm = feed_borrowed(&mut parser, &warm_up, size);
        assert_eq!(warm.events, WARM_UP);
    }

    let before = allocations();
    let seen = feed_borrowed(&mut parser, &stream, chunk);
    let allocated = allocations() - before;

    assert_eq!(seen.events, EVENTS, "every event must come out");
    assert!(seen.data_bytes > 0);
    assert_eq!(allocated, 0, "{allocated} allocations for {EVENTS} events");
}

#[test]
fn one_line_events_wholly_in_a_chunk() {
    let event = |i: usize| format!("data: {{\"token\":\"t{i:05}\"}}\n\n").into_bytes();
    assert_steady_state_allocates_nothing(event, 64 * 1024);
}

#[test]
fn multi_line_events() {
    let event = |i: usize| format!("data: line one {i:05}\ndata: line two\ndata:\n\n").into_bytes();
    assert_steady_state_allocates_nothing(event, 64 * 1024);
}

#[test]
fn events_with_type_and_id() {
    let event = |i: usize| format!("event: delta\nid: {i:05}\ndata: x{i:05}\n\n").into_bytes();
    assert_steady_state_allocates_nothing(event, 64 * 1024);
}

#[test]
fn events_split_across_seven_byte_chunks() {
    let event = |i: usize| {
        format!(
            "event: e{}\nid: {i:05}\r\ndata: {i:05}\r\ndata: more\r\n\r\n",
            i % 3
        )
        .into_bytes()
    };
    assert_steady_state_allocates_nothing(event, 7);
}

#[test]
fn events_fed_one_byte_at_a_time() {
    let event = |i: usize| format!("data: {i:05}\rretry: 10\r\r").into_bytes();
    assert_steady_state_allocates_nothing(event, 1);
}

#[test]
fn comments_between_events() {
    let event = |i: usize| format!(": keep-alive {i:05}\ndata: {i:05}\n\n").into_bytes();
    assert_steady_state_allocates_nothing(event, 64 * 1024);
    assert_steady_state_allocates_nothing(event, 5);
}

#[test]
fn invalid_utf8_data_reuses_the_lossy_buffer() {
    let event = |i: usize| {
        let mut bytes = b"event: \xFF-".to_vec();
        bytes.extend_from_slice(format!("{}\ndata: {i:05}", i % 7).as_bytes());
        bytes.extend_from_slice(b"\xF0\x9F\x98 \xFF\xC0\xAF\ndata: \xED\xA0\x80\n\n");
        bytes
    };
    assert_steady_state_allocates_nothing(event, 64 * 1024);
    assert_steady_state_allocates_nothing(event, 7);
}

#[test]
fn owned_path_allocates_so_the_counter_works() {
    let stream: Vec<u8> = (0..EVENTS)
        .flat_map(|i| format!("data: {i:05}\n\n").into_bytes())
        .collect();
    let mut parser = Parser::new();
    let before = allocations();
    let events = parser.frames(&stream).count();
    let allocated = allocations() - before;
    assert_eq!(events, EVENTS);
    // Each owned event holds at least its data and its type as `String`s.
    assert!(allocated >= EVENTS as u64, "only {allocated} allocations");
}
