//! The `std::io` adapters where a review suspected a defect: a reader cut by
//! `WouldBlock`, timeouts and hard errors, a line far longer than its
//! buffer; a writer through short, interrupted and refused writes.

#![cfg(feature = "std")]

use core::time::Duration;
use std::io::{self, Read, Write};

mod common;

use sse_proto::io::{EventWriter, FlushPolicy, FrameReader};
use sse_proto::{EventId, Message, OwnedEvent, OwnedFrame};

use common::parse_whole_and_bytewise as parse;

fn event(event_type: &str, data: &str, id: &str) -> OwnedFrame {
    OwnedFrame::Event(OwnedEvent {
        event_type: event_type.into(),
        data: data.into(),
        id: id.into(),
    })
}

/// A reader scripted read by read.
struct Script(Vec<io::Result<Vec<u8>>>);

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Ok(0);
        }
        match self.0.remove(0) {
            Ok(bytes) => {
                assert!(bytes.len() <= buf.len());
                buf[..bytes.len()].copy_from_slice(&bytes);
                Ok(bytes.len())
            }
            Err(error) => Err(error),
        }
    }
}

/// A writer that takes at most `step` bytes per call, is interrupted every
/// other call, and refuses (`Ok(0)`) the call numbered `zero_at`.
struct Choppy {
    out: Vec<u8>,
    step: usize,
    calls: usize,
    zero_at: Option<usize>,
    flushes: usize,
}

impl Write for Choppy {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.zero_at == Some(self.calls) {
            return Ok(0);
        }
        if self.calls % 2 == 0 {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = self.step.min(buf.len());
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

#[test]
fn reader_keeps_an_event_cut_by_would_block_and_timeouts() {
    let script = Script(vec![
        Ok(b"id: 1\r".to_vec()),
        Err(io::ErrorKind::WouldBlock.into()),
        Ok(b"\ndata: he".to_vec()),
        Err(io::ErrorKind::TimedOut.into()),
        Err(io::ErrorKind::Interrupted.into()),
        Ok(b"llo\r".to_vec()),
        Ok(b"\n\r\n".to_vec()),
    ]);
    let items: Vec<Result<OwnedFrame, io::ErrorKind>> = FrameReader::new(script)
        .map(|r| r.map_err(|e| e.kind()))
        .collect();
    assert_eq!(
        items,
        [
            Err(io::ErrorKind::WouldBlock),
            Err(io::ErrorKind::TimedOut),
            Ok(event("message", "hello", "1")),
        ]
    );
}

#[test]
fn reader_after_a_hard_error_then_eof_drops_the_partial_event_and_fuses() {
    let script = Script(vec![
        Ok(b"id: 1\ndata: a\n\ndata: partial".to_vec()),
        Err(io::ErrorKind::ConnectionReset.into()),
    ]);
    let mut frames = FrameReader::new(script);
    assert_eq!(frames.next().unwrap().unwrap(), event("message", "a", "1"));
    assert_eq!(
        frames.next().unwrap().unwrap_err().kind(),
        io::ErrorKind::ConnectionReset
    );
    assert!(frames.next().is_none());
    assert!(frames.next().is_none());
    assert_eq!(frames.parser().last_event_id(), "1");
    assert_eq!(frames.parser().buffered_len(), 0);
}

#[test]
fn reader_handles_a_line_far_longer_than_its_buffer() {
    let data = "z".repeat(100_000);
    let stream = format!("data: {data}\n\n");
    let frames: Vec<OwnedFrame> = FrameReader::new(stream.as_bytes())
        .map(Result::unwrap)
        .collect();
    assert_eq!(frames, [event("message", &data, "")]);
}

#[test]
fn writer_delivers_whole_frames_through_short_and_interrupted_writes() {
    let choppy = Choppy {
        out: Vec::new(),
        step: 3,
        calls: 0,
        zero_at: None,
        flushes: 0,
    };
    let mut events = EventWriter::new(choppy);
    events.retry(Duration::from_millis(u64::MAX)).unwrap();
    events.comment("a\r\nb").unwrap();
    events
        .send(&Message::new("x\ry").id(EventId::new("9").unwrap()))
        .unwrap();
    let choppy = events.into_inner();
    assert_eq!(choppy.flushes, 3);
    let (frames, last_id) = parse(&choppy.out);
    assert_eq!(
        frames,
        [
            OwnedFrame::Retry(Duration::from_millis(u64::MAX)),
            OwnedFrame::Comment("a".into()),
            OwnedFrame::Comment("b".into()),
            event("message", "x\ny", "9"),
        ]
    );
    assert_eq!(last_id, "9");
}

#[test]
fn writer_reports_a_refused_write_and_the_next_frame_is_whole() {
    let choppy = Choppy {
        out: Vec::new(),
        step: 1000,
        calls: 0,
        zero_at: Some(1),
        flushes: 0,
    };
    let mut events = EventWriter::with_policy(choppy, FlushPolicy::Manual);
    let error = events.send(&Message::new("lost")).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::WriteZero);
    events.send(&Message::new("kept")).unwrap();
    assert_eq!(events.get_ref().flushes, 0, "manual policy must not flush");
    assert_eq!(events.get_ref().out, b"data: kept\n\n");
}
