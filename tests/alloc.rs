//! The borrowed path allocates nothing in steady state: once the parser's
//! buffers have grown to the largest event seen, parsing 10,000 more events
//! through `Parser::feed` makes no allocation at all.
//!
//! The counter is a `#[global_allocator]` wrapper, so it is process-global;
//! it counts per thread, so tests running in parallel do not disturb each
//! other.

#[path = "common/counting.rs"]
mod counting;

use std::ops::ControlFlow;

use sse_proto::{Frame, Parser};

const EVENTS: usize = 10_000;
const WARM_UP: usize = 100;

/// What a pass over a stream saw, summed without keeping any frame.
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    events: usize,
    comments: usize,
    data_bytes: usize,
}

impl Seen {
    fn add(&mut self, frame: &Frame<'_>) {
        match frame {
            Frame::Event(event) => {
                self.events += 1;
                self.data_bytes += event.data.len() + event.event_type.len() + event.id.len();
            }
            Frame::Comment(_) => self.comments += 1,
            _ => {}
        }
    }
}

/// Feeds `stream` in chunks of `chunk` bytes through the borrowed path.
fn feed_borrowed(parser: &mut Parser, stream: &[u8], chunk: usize) -> Seen {
    let mut seen = Seen::default();
    for mut input in stream.chunks(chunk) {
        while let Some(frame) = parser.feed(&mut input).expect("no limit hit") {
            seen.add(&frame);
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

    let mut seen = Seen::default();
    let allocated = counting::allocations(|| seen = feed_borrowed(&mut parser, &stream, chunk));

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

/// Like `feed_borrowed`, through `Parser::try_for_each`, stopped after
/// every frame and resumed.
fn stopping_borrowed(parser: &mut Parser, stream: &[u8], chunk: usize) -> Seen {
    let mut seen = Seen::default();
    for piece in stream.chunks(chunk) {
        let mut input = piece;
        while parser
            .try_for_each(&mut input, |frame| {
                seen.add(&frame.expect("no limit hit"));
                ControlFlow::Break(())
            })
            .is_break()
        {}
    }
    seen
}

/// Like `feed_borrowed`, through `Parser::for_each`.
fn for_each_borrowed(parser: &mut Parser, stream: &[u8], chunk: usize) -> Seen {
    let mut seen = Seen::default();
    for piece in stream.chunks(chunk) {
        parser.for_each(piece, |frame| seen.add(&frame.expect("no limit hit")));
    }
    seen
}

#[test]
fn the_closure_path_allocates_nothing_either() {
    let mut parser = Parser::new();
    let event = |i: usize| {
        let mut bytes = format!(
            ": ping {i:05}\n\nevent: e{}\nid: {i:05}\ndata: x{i:05}\n",
            i % 3
        )
        .into_bytes();
        if i % 5 == 0 {
            bytes.extend_from_slice(b"data: \xFF\xF0\x9F\n");
        }
        bytes.extend_from_slice(b"\n");
        bytes
    };
    let stream: Vec<u8> = (0..EVENTS).flat_map(event).collect();
    for chunk in [64 * 1024, 7, 1] {
        stopping_borrowed(&mut parser, &stream[..4096], chunk);
        parser.finish();
    }
    for parse in [stopping_borrowed, for_each_borrowed] {
        for chunk in [64 * 1024, 1024, 16] {
            let mut seen = Seen::default();
            let allocated = counting::allocations(|| seen = parse(&mut parser, &stream, chunk));
            parser.finish();
            assert_eq!(seen.events, EVENTS, "chunk {chunk}");
            assert_eq!(seen.comments, EVENTS, "chunk {chunk}");
            assert_eq!(allocated, 0, "{allocated} allocations in chunks of {chunk}");
        }
    }
}

#[test]
fn owned_path_allocates_so_the_counter_works() {
    let stream: Vec<u8> = (0..EVENTS)
        .flat_map(|i| format!("data: {i:05}\n\n").into_bytes())
        .collect();
    let mut parser = Parser::new();
    let mut events = 0;
    let allocated = counting::allocations(|| events = parser.frames(&stream).count());
    assert_eq!(events, EVENTS);
    // Each owned event holds at least its data and its type as `String`s.
    assert!(allocated >= EVENTS, "only {allocated} allocations");
}

/// A stream of huge blocks, each within the default limit, that touches
/// every buffer: a long `id` of invalid UTF-8 (decoded to three times its
/// size), a long comment, a long event type, a long data line, each `MIB`
/// MiB; then a small event with a short `id`, and one more.
fn huge_blocks_then_a_small_event(mib: usize) -> Vec<u8> {
    let long = |fill: u8| vec![fill; mib << 20];
    let mut stream = Vec::new();
    for (head, fill) in [
        (&b"id: "[..], 0xFF),
        (b"\n\n: ", 0xFF),
        (b"\n\nevent: ", b'e'),
        (b"\ndata: ", 0xFE),
    ] {
        stream.extend_from_slice(head);
        stream.extend(long(fill));
    }
    stream.extend_from_slice(b"\n\nid: 1\ndata: small\n\ndata: later\n\n");
    stream
}

#[test]
fn huge_events_leave_no_memory_behind() {
    const MIB: usize = 1 << 20;
    let stream = huge_blocks_then_a_small_event(4);
    for chunk in [stream.len(), 64 * 1024] {
        let before = counting::live_bytes();
        let mut parser = Parser::new();
        let mut seen = Seen::default();
        for piece in stream.chunks(chunk) {
            parser.for_each(piece, |frame| seen.add(&frame.expect("within the limit")));
        }
        assert_eq!(seen.events, 3, "chunks of {chunk}");
        assert_eq!(parser.last_event_id(), "1");
        let held = usize::try_from(counting::live_bytes() - before).expect("held bytes");
        // Two blocks after the huge ones (the first takes the last frame,
        // the second swaps the huge ID out), each of the parser's eight
        // buffers holds at most 1 MiB. (Kept whole, they would hold about
        // 50 MiB: several decoded to three times their 4 MiB.)
        assert!(held <= 8 * MIB, "chunks of {chunk}: {held} bytes held");
    }
}
