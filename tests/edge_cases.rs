//! Edge cases of everything but the parser: the encoder, the std::io
//! adapters and the client session, each where a
//! review suspected a defect.

#![cfg(feature = "std")]

use core::time::Duration;
use std::io::{self, Read, Write};

use sse_proto::io::{EventWriter, FlushPolicy, FrameReader};
use sse_proto::session::Delay;
use sse_proto::{
    Comment, DisconnectAction, EventId, EventType, Message, Mode, OwnedEvent, OwnedFrame, Parser,
    Policy, Response, ResponseAction, Retry, Session, State, StopReason,
};

const SSE: Option<&str> = Some("text/event-stream");

// ---------------------------------------------------------------- helpers

/// Parses `bytes` whole and one byte at a time; both must agree.
fn parse(bytes: &[u8]) -> (Vec<OwnedFrame>, String) {
    let mut whole = Parser::new();
    let frames: Vec<OwnedFrame> = whole.frames(bytes).map(Result::unwrap).collect();
    whole.finish();
    let mut bytewise = Parser::new();
    let mut one_by_one = Vec::new();
    for byte in bytes.chunks(1) {
        one_by_one.extend(bytewise.frames(byte).map(Result::unwrap));
    }
    bytewise.finish();
    assert_eq!(frames, one_by_one, "chunking changed the frames");
    assert_eq!(whole.last_event_id(), bytewise.last_event_id());
    (frames, whole.last_event_id().to_owned())
}

/// The lines a CR, LF or CRLF splitter gives, written without the crate's
/// scanner: one char at a time. Not `common::reference`'s splitter, on
/// purpose: the encoder is checked against an oracle of its own, which
/// also keeps the unterminated last line.
fn naive_lines(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(String::new());
            }
            '\n' => lines.push(String::new()),
            c => lines.last_mut().unwrap().push(c),
        }
    }
    lines
}

/// What `Message::new(data).encode` must write, built naively.
fn naive_data_event(data: &str) -> String {
    let mut out = String::new();
    for line in naive_lines(data) {
        if line.is_empty() {
            out.push_str("data:\n");
        } else {
            out.push_str("data: ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn event(event_type: &str, data: &str, id: &str) -> OwnedFrame {
    OwnedFrame::Event(OwnedEvent {
        event_type: event_type.into(),
        data: data.into(),
        id: id.into(),
    })
}

/// All three ways out agree, and `encoded_len` is exact.
fn encode_all_ways(
    display: &dyn core::fmt::Display,
    encode: impl Fn(&mut Vec<u8>),
    len: usize,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    encode(&mut bytes);
    assert_eq!(bytes.len(), len, "encoded_len disagrees with encode");
    assert_eq!(
        display.to_string().as_bytes(),
        &bytes[..],
        "Display disagrees with encode"
    );
    let mut through_io = Vec::new();
    write!(through_io, "{display}").unwrap();
    assert_eq!(through_io, bytes, "io::Write disagrees with encode");
    bytes
}

// ---------------------------------------------------------------- encoder

/// The encoder splits data with the crate's SIMD scanner. Put one line break
/// (LF, CR, CRLF) at every offset of values of lengths around the scanner's
/// 8/16/64/256-byte boundaries, in fillers that pass its pre-filter (tab,
/// VT, FF, BS) or hold UTF-8 continuation bytes 0x8A/0x8D (`Ê`, `Í`), and
/// compare with a naive splitter, then parse back.
#[test]
fn data_splits_like_a_naive_splitter_at_every_offset() {
    let mut lengths: Vec<usize> = (1..=40).collect();
    lengths.extend([
        47, 48, 49, 63, 64, 65, 79, 80, 81, 95, 96, 97, 255, 256, 257, 271, 272, 273, 335, 336,
        337, 591, 592, 593, 1100,
    ]);
    let fillers = ["a", "\t", "\u{b}\u{c}\u{8}", "Ê", "Íx"];
    for filler in fillers {
        for &len in &lengths {
            let base: String = filler.repeat(len).chars().take(len).collect();
            let chars: Vec<char> = base.chars().collect();
            for at in 0..=chars.len() {
                for brk in ["\n", "\r", "\r\n"] {
                    let mut data: String = chars[..at].iter().collect();
                    data.push_str(brk);
                    data.extend(&chars[at..]);
                    let mut out = Vec::new();
                    Message::new(&data).encode(&mut out);
                    let expected = naive_data_event(&data);
                    assert_eq!(
                        String::from_utf8_lossy(&out),
                        expected,
                        "filler {filler:?}, len {len}, break {brk:?} at {at}"
                    );
                }
            }
        }
    }
    // And a long value parsed back whole and byte by byte.
    let data = format!(
        "{}\r{}\r\n{}\n",
        "x".repeat(700),
        "\t".repeat(300),
        "Ê".repeat(200)
    );
    let mut out = Vec::new();
    Message::new(&data).encode(&mut out);
    let (frames, _) = parse(&out);
    assert_eq!(
        frames,
        [event(
            "message",
            &data.replace("\r\n", "\n").replace('\r', "\n"),
            ""
        )]
    );
}

/// Values at the edges of what the format carries: leading and lone spaces,
/// colons, NUL, the BOM, `message` with a twist, field names as values.
#[test]
fn edge_values_round_trip_exactly() {
    let types = [
        "x", " ", "  lead", "trail ", ":", "a:b", "\0", "\u{FEFF}", "message ", "Message", "data",
    ];
    let ids = [
        "",
        " ",
        "  7",
        "7 ",
        ":",
        "\u{FEFF}",
        "id: 3",
        "\u{1}\u{7f}",
        "é😀",
    ];
    let datas = [
        "", " ", "  two", ":", "\0", "\u{FEFF}", "data: x", "\r\n", "\n\n", "\r\r", "a\r\n\rb",
    ];
    for event_type in types {
        for id in ids {
            for data in datas {
                let message = Message::new(data)
                    .event_type(EventType::new(event_type).unwrap())
                    .id(EventId::new(id).unwrap());
                let bytes =
                    encode_all_ways(&message, |out| message.encode(out), message.encoded_len());
                let (frames, last_id) = parse(&bytes);
                let data_back = data.replace("\r\n", "\n").replace('\r', "\n");
                assert_eq!(
                    frames,
                    [event(event_type, &data_back, id)],
                    "{event_type:?} {id:?} {data:?}: {:?}",
                    String::from_utf8_lossy(&bytes)
                );
                assert_eq!(last_id, id);
            }
        }
    }
}

#[test]
fn id_changes_on_their_own_round_trip() {
    let mut out = Vec::new();
    Message::id_only(EventId::new(" 5").unwrap())
        .event_type(EventType::new("ignored").unwrap())
        .encode(&mut out);
    Message::new("x").encode(&mut out);
    Message::id_only(EventId::RESET).encode(&mut out);
    Message::new("y").encode(&mut out);
    let (frames, last_id) = parse(&out);
    assert_eq!(
        frames,
        [event("message", "x", " 5"), event("message", "y", "")]
    );
    assert_eq!(last_id, "");
}

#[test]
fn retry_extremes_round_trip() {
    for ms in [
        0,
        1,
        9,
        10,
        999,
        u64::from(u32::MAX) + 1,
        u64::MAX - 1,
        u64::MAX,
    ] {
        let retry = Retry::from_millis(ms);
        let bytes = encode_all_ways(&retry, |out| retry.encode(out), retry.encoded_len());
        let (frames, _) = parse(&bytes);
        assert_eq!(frames, [OwnedFrame::Retry(Duration::from_millis(ms))]);
    }
    assert_eq!(Retry::new(Duration::MAX), Retry::from_millis(u64::MAX));
    assert_eq!(
        Retry::new(Duration::from_micros(1999)),
        Retry::from_millis(1)
    );
    assert_eq!(
        Retry::new(Duration::from_millis(u64::MAX)),
        Retry::from_millis(u64::MAX)
    );
}

#[test]
fn comments_round_trip_line_by_line() {
    for text in [
        "",
        " ",
        "  two",
        ":",
        "::",
        "\0",
        "a\r\nb\rc\nd",
        "\n",
        "\r\n\r\n",
        "\u{FEFF}",
    ] {
        let comment = Comment::new(text);
        let bytes = encode_all_ways(&comment, |out| comment.encode(out), comment.encoded_len());
        let (frames, _) = parse(&bytes);
        let expected: Vec<OwnedFrame> = naive_lines(text)
            .into_iter()
            .map(OwnedFrame::Comment)
            .collect();
        assert_eq!(frames, expected, "{text:?}");
    }
}

/// A comment between the lines of an event must not cut it: the encoder
/// writes comments as standalone lines, so emitting one between two events
/// is fine; but a comment must never end an event early or start one.
#[test]
fn comments_and_retries_between_events_do_not_dispatch_anything() {
    let mut out = Vec::new();
    Comment::new("a\n\nb").encode(&mut out);
    Retry::from_millis(5).encode(&mut out);
    Message::new("x").encode(&mut out);
    let (frames, _) = parse(&out);
    let events = frames
        .iter()
        .filter(|f| matches!(f, OwnedFrame::Event(_)))
        .count();
    assert_eq!(events, 1);
}

// ---------------------------------------------------------------- io

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

// ---------------------------------------------------------------- session

const OK: Response<'static> = Response::new(200).content_type(SSE);
const T0: Duration = Duration::ZERO;
/// Longer than the default `healthy_after`.
const HEALTHY: Duration = Duration::from_secs(10);

fn open(session: &mut Session, now: Duration) {
    assert!(session.request().is_some());
    session.on_request(now);
    assert_eq!(session.on_response(now, &OK), ResponseAction::Open);
}

fn feed_all(session: &mut Session, mut body: &[u8]) -> usize {
    let mut events = 0;
    while let Some(frame) = session.feed(&mut body).unwrap() {
        if let sse_proto::Frame::Event(_) = frame {
            events += 1;
        }
    }
    events
}

fn delay_of(action: impl Into<ResponseAction>) -> Delay {
    match action.into() {
        ResponseAction::Retry { delay } => delay,
        other => panic!("not a retry: {other:?}"),
    }
}

/// One failed connection reported twice (say, by a read error path and by
/// the loop's cleanup) is still one failed attempt: `Idle` has no attempt
/// in progress ("No attempt in progress"), so nothing can fail.
#[test]
fn on_disconnect_without_an_attempt_counts_no_failure() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    session.on_request(T0);
    let first = session.on_disconnect(T0);
    assert!(matches!(first, DisconnectAction::Retry { .. }));
    assert_eq!(session.failures(), 1);
    // Reported again, before any new attempt: the same answer.
    assert_eq!(session.on_disconnect(T0), first);
    assert_eq!(session.failures(), 1);
    assert!(!session.is_stopped());
}

/// `ResponseAction::Retry` already counted the failed attempt; a caller that
/// also reports the end of that connection (its natural cleanup path) must
/// not count it again.
#[test]
fn on_disconnect_after_a_retry_response_counts_the_attempt_once() {
    let mut session = Session::with_policy(Policy::new().max_retries(Some(1)));
    session.on_request(T0);
    assert!(matches!(
        session.on_response(T0, &Response::new(503)),
        ResponseAction::Retry { .. }
    ));
    let _ = session.on_disconnect(T0);
    assert_eq!(session.failures(), 1);
    assert!(!session.is_stopped());
}

/// Extreme policies and server values: no panic, every delay within
/// `[min_delay, cap]`, and the n-th failure's delay exactly
/// `[base, min(cap, base * 2^(n-1))]`.
#[test]
fn backoff_saturates_at_the_extremes() {
    let durations = [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_millis(99),
        Duration::from_millis(100),
        Duration::from_secs(3),
        Duration::from_millis(u64::MAX),
        Duration::MAX,
    ];
    for &reconnection in &durations {
        for &cap in &durations {
            for &floor in &[Duration::ZERO, Duration::from_millis(100), Duration::MAX] {
                let policy = Policy::new()
                    .default_reconnection_time(reconnection)
                    .max_delay(cap)
                    .min_delay(floor);
                let mut session = Session::with_policy(policy);
                let base = session.reconnection_time();
                assert_eq!(base, reconnection.max(floor));
                let cap = cap.max(base);
                for n in 1..=70u32 {
                    session.on_request(Duration::MAX);
                    let delay = delay_of(session.on_disconnect(Duration::MAX));
                    let factor = 1u32.checked_shl(n - 1).unwrap_or(u32::MAX);
                    let longest = base.saturating_mul(factor).min(cap);
                    assert_eq!(delay.shortest(), base, "n {n}");
                    assert_eq!(delay.longest(), longest, "n {n}: plain doubling");
                    assert!(delay.shortest() >= floor && delay.longest() <= cap);
                    for random in [0, 1, 1 << 31, u32::MAX] {
                        let jittered = delay.jittered(random);
                        assert!(jittered >= base && jittered <= longest, "{jittered:?}");
                    }
                }
                assert_eq!(session.failures(), 70);
            }
        }
    }
}

#[test]
fn the_largest_server_retry_is_cut_and_kept() {
    let mut session = Session::new();
    open(&mut session, T0);
    assert_eq!(
        feed_all(&mut session, b"retry: 18446744073709551615\ndata: x\n\n"),
        1
    );
    let expected = Delay::exactly(Duration::from_secs(600));
    assert_eq!(delay_of(session.on_disconnect(HEALTHY)), expected);
    for _ in 0..40 {
        session.on_request(HEALTHY);
        assert_eq!(delay_of(session.on_disconnect(HEALTHY)), expected);
    }
    // Retry-After larger still is cut to the cap, which is the retry.
    session.on_request(HEALTHY);
    let huge = Response::new(503).retry_after(Some("99999999999999999999999"));
    let action = session.on_response(HEALTHY, &huge);
    assert_eq!(action, ResponseAction::Retry { delay: expected });
}

/// A `retry` that arrives mid-stream, in a block the disconnect cuts, is
/// applied at once and kept; an ID in the same cut block is not committed.
#[test]
fn retry_applies_at_once_and_last_event_id_survives_every_kind_of_failure() {
    let mut session = Session::new();
    open(&mut session, T0);
    assert_eq!(
        feed_all(
            &mut session,
            b"id: 41\ndata: a\n\nretry: 1234\nid: 42\ndata: cut"
        ),
        1
    );
    assert_eq!(session.reconnection_time(), Duration::from_millis(1234));
    assert_eq!(
        delay_of(session.on_disconnect(HEALTHY)),
        Delay::exactly(Duration::from_millis(1234))
    );
    // Connection refused, 503, opened without events, then a 200.
    assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    session.on_request(HEALTHY);
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    session.on_request(HEALTHY);
    assert!(matches!(
        session.on_response(HEALTHY, &Response::new(503).retry_after(Some("1"))),
        ResponseAction::Retry { .. }
    ));
    assert_eq!(session.request().unwrap().last_event_id(), Some("41"));
    open(&mut session, HEALTHY);
    assert_eq!(feed_all(&mut session, b": only a heartbeat\n"), 0);
    let _ = session.on_disconnect(HEALTHY);
    assert_eq!(session.failures(), 3);
    let request = session.request().unwrap();
    let headers: Vec<_> = request.headers().collect();
    assert_eq!(
        headers,
        [
            ("accept", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("last-event-id", "41"),
        ]
    );
}

/// Body bytes fed before the response are discarded, not parsed into the
/// stream that opens next.
#[test]
fn feed_before_the_response_leaks_nothing_into_the_stream() {
    let mut session = Session::new();
    session.on_request(T0);
    assert_eq!(feed_all(&mut session, b"id: 5\ndata: early"), 0);
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    assert_eq!(feed_all(&mut session, b"\n\n"), 0);
    assert_eq!(session.last_event_id(), "");
}

/// A second `on_response` on an open stream starts a new stream: the first
/// one's half-built event is gone.
#[test]
fn on_response_twice_starts_over() {
    let mut session = Session::new();
    open(&mut session, T0);
    assert_eq!(feed_all(&mut session, b"data: 1\n\ndata: half"), 1);
    assert_eq!(session.on_response(T0, &OK), ResponseAction::Open);
    assert_eq!(feed_all(&mut session, b"\n\n"), 0);
    assert_eq!(session.state(), State::Open);
    assert_eq!(session.failures(), 0);
}

/// Browser mode refuses everything but 200 + the right type, whatever
/// `Retry-After` says, and the reason is kept.
#[test]
fn browser_mode_stops_on_every_other_status() {
    for status in [
        0,
        100,
        101,
        199,
        201,
        206,
        301,
        304,
        400,
        408,
        429,
        500,
        503,
        599,
        600,
        999,
        u16::MAX,
    ] {
        let mut session = Session::with_policy(Policy::new().mode(Mode::Browser));
        session.on_request(T0);
        let response = Response::new(status)
            .content_type(SSE)
            .retry_after(Some("1"));
        let action = session.on_response(T0, &response);
        assert_eq!(
            action,
            ResponseAction::Stop {
                reason: StopReason::Status(status)
            },
            "{status}"
        );
        assert!(session.request().is_none());
    }
}

/// A policy whose floor is above its ceiling does not panic: the floor
/// against storms wins.
#[test]
fn min_delay_above_max_reconnection_time_wins() {
    let policy = Policy::new()
        .min_delay(Duration::from_secs(5))
        .max_reconnection_time(Duration::from_secs(1));
    let mut session = Session::with_policy(policy);
    open(&mut session, T0);
    feed_all(&mut session, b"retry: 3000\n");
    assert_eq!(session.reconnection_time(), Duration::from_secs(5));
}
