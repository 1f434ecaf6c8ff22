//! The std::io adapters: reading frames from any `Read`, writing to any
//! `Write`.

#![cfg(feature = "std")]

use std::io::{self, Read, Write};
use std::time::Duration;

use sse_proto::io::{EventWriter, FlushPolicy, FrameReader};
use sse_proto::{Config, EventId, Message, OwnedEvent, OwnedFrame, ParseError, Parser};

/// A reader that hands out `step` bytes per read, with an interruption
/// before each read and an error after `fail_at` reads.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
    interrupt_next: bool,
    reads: usize,
    fail_at: Option<usize>,
}

impl<'a> Trickle<'a> {
    fn new(bytes: &'a [u8], step: usize) -> Self {
        Self {
            bytes,
            step,
            interrupt_next: true,
            reads: 0,
            fail_at: None,
        }
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if std::mem::take(&mut self.interrupt_next) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        self.interrupt_next = true;
        self.reads += 1;
        if self.fail_at == Some(self.reads) {
            return Err(io::Error::other("connection reset"));
        }
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn event(data: &str, id: &str) -> OwnedFrame {
    OwnedFrame::Event(OwnedEvent {
        event_type: "message".into(),
        data: data.into(),
        id: id.into(),
    })
}

#[test]
fn reader_yields_frames_across_tiny_interrupted_reads() {
    let stream = b"\xEF\xBB\xBFretry: 10\r\nid: 1\r\ndata: a\r\n\r\n: hi\rdata: b\n\ndata: cut";
    let frames: Vec<_> = FrameReader::new(Trickle::new(stream, 1))
        .collect::<io::Result<_>>()
        .unwrap();
    assert_eq!(
        frames,
        [
            OwnedFrame::Retry(Duration::from_millis(10)),
            event("a", "1"),
            OwnedFrame::Comment("hi".into()),
            event("b", "1"),
        ]
    );
}

#[test]
fn reader_reads_more_than_its_buffer() {
    let data = "x".repeat(20_000);
    let stream = format!("data: {data}\n\ndata: {data}\n\n");
    let frames: Vec<_> = FrameReader::new(stream.as_bytes())
        .map(Result::unwrap)
        .collect();
    assert_eq!(frames, [event(&data, ""), event(&data, "")]);
}

#[test]
fn limit_errors_are_invalid_data_and_iteration_continues() {
    let stream = &b"data: 123456789\n\ndata: ok\n\ndata: 123456789\n\n"[..];
    let parser = Parser::with_config(Config::default().max_event_size(Some(10)));
    let items: Vec<_> = FrameReader::with_parser(stream, parser).collect();
    assert_eq!(items.len(), 3);
    for index in [0, 2] {
        let error = items[index].as_ref().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        let cause = error.get_ref().and_then(|e| e.downcast_ref::<ParseError>());
        assert_eq!(cause, Some(&ParseError::EventTooLarge { limit: 10 }));
    }
    assert_eq!(items[1].as_ref().unwrap(), &event("ok", ""));
}

#[test]
fn read_errors_pass_through_and_reading_resumes() {
    let mut source = Trickle::new(b"data: a\n\ndata: b\n\n", 4);
    source.fail_at = Some(2);
    let items: Vec<_> = FrameReader::new(source).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].as_ref().unwrap_err().to_string(),
        "connection reset"
    );
    assert_eq!(items[1].as_ref().unwrap(), &event("a", ""));
    assert_eq!(items[2].as_ref().unwrap(), &event("b", ""));
}

/// Breaks `Read`'s contract: claims one byte more than it was given room
/// for, on every read.
struct Overclaiming;

impl Read for Overclaiming {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(buf.len() + 1)
    }
}

#[test]
fn a_reader_that_overclaims_is_an_error_not_a_hang() {
    let mut frames = FrameReader::new(Overclaiming);
    let error = frames.next().expect("an item").unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
}

#[test]
fn end_of_stream_finishes_the_parser_and_fuses() {
    let parser = Parser::new().with_last_event_id(EventId::new("7").unwrap());
    let mut frames = FrameReader::with_parser(&b"id: 8\ndata: lost"[..], parser);
    assert!(frames.next().is_none());
    assert!(frames.next().is_none());
    assert_eq!(frames.parser().last_event_id(), "7");
    assert_eq!(frames.parser().buffered_len(), 0);
}

/// A writer that records writes and flushes.
#[derive(Default)]
struct Recorder {
    bytes: Vec<u8>,
    writes: usize,
    flushes: usize,
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

fn send_three(policy: FlushPolicy) -> Recorder {
    let mut events = EventWriter::with_policy(Recorder::default(), policy);
    events
        .send(&Message::new("a\nb").id(EventId::new("1").unwrap()))
        .unwrap();
    events.comment("ping").unwrap();
    events.retry(Duration::from_millis(500)).unwrap();
    events.into_inner()
}

#[test]
fn writer_flushes_after_every_frame_by_default() {
    let recorder = send_three(FlushPolicy::default());
    assert_eq!(
        recorder.bytes,
        b"id: 1\ndata: a\ndata: b\n\n: ping\nretry: 500\n"
    );
    assert_eq!((recorder.writes, recorder.flushes), (3, 3));
}

#[test]
fn writer_with_manual_policy_leaves_flushing_to_the_caller() {
    let recorder = send_three(FlushPolicy::Manual);
    assert_eq!((recorder.writes, recorder.flushes), (3, 0));
    let mut events = EventWriter::with_policy(recorder, FlushPolicy::Manual);
    events.flush().unwrap();
    assert_eq!(events.get_ref().flushes, 1);
}

#[test]
fn what_the_writer_sends_the_reader_reads() {
    let mut events = EventWriter::new(Vec::new());
    events
        .send(&Message::new("x\r\ny").id(EventId::new("9").unwrap()))
        .unwrap();
    events.send(&Message::id_only(EventId::RESET)).unwrap();
    events.send(&Message::new("z")).unwrap();
    let bytes = events.into_inner();
    let frames: Vec<_> = FrameReader::new(&bytes[..]).map(Result::unwrap).collect();
    assert_eq!(frames, [event("x\ny", "9"), event("z", "")]);
}
