//! Blocking `std::io` adapters: read frames from any `Read`, send events to
//! any `Write`.
//!
//! The parser and encoder do no IO; these wrappers are the convenient path
//! for threads and blocking sockets. A server writes with [`EventWriter`], a
//! client reads with [`FrameReader`]:
//!
//! ```
//! use std::net::{TcpListener, TcpStream};
//! use std::time::Duration;
//! use sse_proto::io::{EventWriter, FrameReader};
//! use sse_proto::{EventId, Message, OwnedEvent, OwnedFrame};
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let address = listener.local_addr()?;
//!
//! let server = std::thread::spawn(move || -> std::io::Result<()> {
//!     let (stream, _) = listener.accept()?;
//!     // (A real server writes the HTTP response head first.)
//!     let mut events = EventWriter::new(stream);
//!     events.retry(Duration::from_secs(2))?;
//!     events.comment("ping")?;
//!     for (i, token) in ["Hel", "lo"].into_iter().enumerate() {
//!         let id = i.to_string();
//!         events.send(&Message::new(token).id(EventId::new(&id).unwrap()))?;
//!     }
//!     Ok(()) // dropping the stream ends it
//! });
//!
//! let mut received = Vec::new();
//! for frame in FrameReader::new(TcpStream::connect(address)?) {
//!     received.push(frame?);
//! }
//! server.join().unwrap()?;
//!
//! let event = |data: &str, id: &str| {
//!     let (event_type, data, id) = ("message".into(), data.into(), id.into());
//!     OwnedFrame::Event(OwnedEvent { event_type, data, id })
//! };
//! let ping = OwnedFrame::Comment("ping".into());
//! let retry = OwnedFrame::Retry(Duration::from_secs(2));
//! assert_eq!(received, [retry, ping, event("Hel", "0"), event("lo", "1")]);
//! # Ok::<(), std::io::Error>(())
//! ```

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::iter::FusedIterator;
use core::time::Duration;
use std::io::{self, Read, Write};

use crate::{Comment, Message, OwnedFrame, Parser, Retry};

/// How many bytes [`FrameReader`] asks its reader for at a time.
const READ_SIZE: usize = 8 * 1024;

/// Reads an event stream from any [`Read`] and yields its frames.
///
/// An [`Iterator`] of `io::Result<OwnedFrame>`. It reads up to 8 KiB at a
/// time and hands every frame out as soon as its bytes have arrived, so it
/// suits a live `TcpStream` as well as a file. Wrap a reader that already
/// buffers (a `BufReader`) only if you read from it elsewhere too.
///
/// - A parser limit ([`ParseError`](crate::ParseError)) comes out as an
///   `io::Error` of kind [`InvalidData`](io::ErrorKind::InvalidData) that
///   wraps it (get it back with `error.get_ref()` and `downcast_ref`).
///   Iteration continues after it: the parser has skipped the oversized
///   event, and the next item is the next frame.
/// - A read error comes out as it is (reads interrupted by a signal are
///   retried). The next call reads again. A timeout is such an error: give
///   a socket one (`TcpStream::set_read_timeout`, longer than the server's
///   heartbeat interval) so that a peer gone silent cannot block `next`
///   for ever. A reader that claims more bytes than its buffer holds
///   (which `Read` forbids) gives an `InvalidData` error.
/// - At end of stream the parser is [finished](Parser::finish) (a partial
///   event is discarded), and the iterator ends for good.
///
/// ```
/// use sse_proto::io::FrameReader;
/// use sse_proto::{Config, OwnedFrame, ParseError, Parser};
///
/// let stream = &b"data: far too long\n\ndata: ok\n\ndata: cu"[..];
/// let parser = Parser::with_config(Config::default().max_event_size(Some(8)));
/// let mut frames = FrameReader::with_parser(stream, parser);
///
/// let error = frames.next().unwrap().unwrap_err();
/// assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
/// let cause = error.get_ref().and_then(|e| e.downcast_ref::<ParseError>());
/// assert_eq!(cause, Some(&ParseError::EventTooLarge { limit: 8 }));
///
/// let Some(Ok(OwnedFrame::Event(event))) = frames.next() else { panic!() };
/// assert_eq!(event.data, "ok");
/// assert!(frames.next().is_none()); // the unfinished event is dropped
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct FrameReader<R> {
    reader: R,
    parser: Parser,
    buf: Box<[u8]>,
    /// `buf[start..end]` has been read but not yet fed to the parser.
    start: usize,
    end: usize,
    done: bool,
}

impl<R: Read> FrameReader<R> {
    /// Reads `reader` with a default [`Parser`].
    ///
    /// Any `Read` will do: a socket, a file, a byte slice. Collect into an
    /// `io::Result` to stop at the first error.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::io::FrameReader;
    /// use sse_proto::OwnedFrame;
    ///
    /// let file = std::io::Cursor::new(b"retry: 10\r\n: hi\r\n\r\n".to_vec());
    /// let frames = FrameReader::new(file).collect::<std::io::Result<Vec<_>>>()?;
    /// let retry = OwnedFrame::Retry(Duration::from_millis(10));
    /// assert_eq!(frames, [retry, OwnedFrame::Comment("hi".into())]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(reader: R) -> Self {
        Self::with_parser(reader, Parser::new())
    }

    /// Reads `reader` with `parser`: its configuration, and its last event
    /// ID when resuming a stream.
    ///
    /// ```
    /// use sse_proto::io::FrameReader;
    /// use sse_proto::{EventId, Parser};
    ///
    /// // Reconnected after event 41; this stream's events carry no ID.
    /// let parser = Parser::new().with_last_event_id(EventId::new("41")?);
    /// let mut frames = FrameReader::with_parser(&b"data: x\n\n"[..], parser);
    /// let Some(Ok(sse_proto::OwnedFrame::Event(event))) = frames.next() else { panic!() };
    /// assert_eq!(event.id, "41"); // the ID carries over, as in a browser
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub fn with_parser(reader: R, parser: Parser) -> Self {
        Self {
            reader,
            parser,
            buf: vec![0; READ_SIZE].into_boxed_slice(),
            start: 0,
            end: 0,
            done: false,
        }
    }

    /// The parser: its last event ID and reconnection time, for
    /// reconnecting.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::io::FrameReader;
    ///
    /// let mut frames = FrameReader::new(&b"retry: 1500\n"[..]);
    /// assert_eq!(frames.parser().reconnection_time(), None);
    /// assert!(frames.next().is_some());
    /// assert_eq!(frames.parser().reconnection_time(), Some(Duration::from_millis(1500)));
    /// ```
    #[must_use]
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// The wrapped reader.
    #[must_use]
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The wrapped reader and the parser. Bytes read but not yet parsed are
    /// lost.
    ///
    /// ```
    /// use sse_proto::io::FrameReader;
    ///
    /// let mut frames = FrameReader::new(&b"id: 7\ndata: x\n\n"[..]);
    /// assert!(frames.next().is_some());
    /// let (_, parser) = frames.into_parts();
    /// assert_eq!(parser.last_event_id(), "7"); // resume the next stream from here
    /// ```
    pub fn into_parts(self) -> (R, Parser) {
        (self.reader, self.parser)
    }

    /// Refills the buffer. `Ok(false)` at end of stream.
    fn fill(&mut self) -> io::Result<bool> {
        loop {
            match self.reader.read(&mut self.buf) {
                // A count past the buffer breaks `Read`'s contract: say so,
                // rather than parse nothing and ask again forever.
                Ok(n) if n > self.buf.len() => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "reader returned more bytes than its buffer holds",
                    ))
                }
                Ok(n) => {
                    self.start = 0;
                    self.end = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read> Iterator for FrameReader<R> {
    type Item = io::Result<OwnedFrame>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let mut input = self.buf.get(self.start..self.end).unwrap_or_default();
            let result = self.parser.feed(&mut input);
            // Advance now: whatever happens next, these bytes are parsed.
            self.start = self.end - input.len();
            let item = match result {
                Ok(Some(frame)) => Ok(frame.into_owned()),
                Err(error) => Err(io::Error::new(io::ErrorKind::InvalidData, error)),
                Ok(None) => match self.fill() {
                    Ok(true) => continue,
                    Ok(false) => {
                        self.parser.finish();
                        self.done = true;
                        return None;
                    }
                    Err(error) => return Some(Err(error)),
                },
            };
            return Some(item);
        }
        None
    }
}

impl<R: Read> FusedIterator for FrameReader<R> {}

/// When [`EventWriter`] flushes the writer it wraps.
///
/// An SSE server MUST get each event to the client when it happens: a
/// response that sits in a buffer (a `BufWriter`, TLS records, a gzip
/// encoder, an HTTP library's body buffer) is an event the client does not
/// see, and a heartbeat that does not leave the server does not keep the
/// connection alive.
///
/// ```
/// use std::io::BufWriter;
/// use sse_proto::io::{EventWriter, FlushPolicy};
///
/// let mut every = EventWriter::new(BufWriter::new(Vec::new()));
/// every.comment("ping")?;
/// assert_eq!(every.get_ref().get_ref(), b": ping\n"); // through the BufWriter
///
/// let mut manual = EventWriter::with_policy(BufWriter::new(Vec::new()), FlushPolicy::Manual);
/// manual.comment("ping")?;
/// assert!(manual.get_ref().get_ref().is_empty()); // still in the BufWriter
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FlushPolicy {
    /// Flush after every event, comment and retry. The default: always
    /// correct, at the cost of one flush (often one packet) per frame.
    #[default]
    EveryFrame,
    /// Never flush on its own: the caller calls [`EventWriter::flush`], for
    /// example after a burst of events. Each frame is still handed to the
    /// writer whole, with one `write_all`.
    Manual,
}

/// Sends events, comments and retries to any [`Write`].
///
/// Each frame is encoded into a reused buffer and handed to the writer with
/// one `write_all` (on a `TcpStream`, one system call unless the socket
/// takes only part of it), then flushed as the
/// [`FlushPolicy`] says. See the [module docs](self) for a server and a
/// client over TCP.
///
/// ```
/// use sse_proto::io::{EventWriter, FlushPolicy};
/// use sse_proto::{EventType, Message};
///
/// let mut events = EventWriter::with_policy(Vec::new(), FlushPolicy::Manual);
/// events.send(&Message::new("{\"token\":\"Hi\"}").event_type(EventType::new("delta")?))?;
/// events.comment("ping")?;
/// events.flush()?;
/// assert_eq!(events.get_ref(), b"event: delta\ndata: {\"token\":\"Hi\"}\n\n: ping\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EventWriter<W> {
    writer: W,
    policy: FlushPolicy,
    buf: Vec<u8>,
}

impl<W: Write> EventWriter<W> {
    /// Writes to `writer`, flushing after every frame.
    #[must_use]
    pub fn new(writer: W) -> Self {
        Self::with_policy(writer, FlushPolicy::default())
    }

    /// Writes to `writer`, flushing as `policy` says.
    #[must_use]
    pub fn with_policy(writer: W, policy: FlushPolicy) -> Self {
        Self {
            writer,
            policy,
            buf: Vec::new(),
        }
    }

    /// Sends an event, or an ID change on its own.
    ///
    /// ```
    /// use sse_proto::io::EventWriter;
    /// use sse_proto::{EventId, Message};
    ///
    /// let mut events = EventWriter::new(Vec::new());
    /// events.send(&Message::new("{}").id(EventId::new("9")?))?;
    /// events.send(&Message::id_only(EventId::RESET))?; // the client forgets ID 9
    /// assert_eq!(events.into_inner(), b"id: 9\ndata: {}\n\nid:\n\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Any error from the writer. Part of the frame may have been written:
    /// the stream is then broken, and the connection should be closed.
    pub fn send(&mut self, message: &Message<'_>) -> io::Result<()> {
        self.buf.clear();
        message.encode(&mut self.buf);
        self.write_buf()
    }

    /// Sends a comment (a heartbeat such as `ping`); line breaks in `text`
    /// start further comment lines.
    ///
    /// ```
    /// use sse_proto::io::EventWriter;
    ///
    /// let mut events = EventWriter::new(Vec::new());
    /// events.comment("build 42\nstarted")?;
    /// assert_eq!(events.into_inner(), b": build 42\n: started\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    pub fn comment(&mut self, text: &str) -> io::Result<()> {
        self.buf.clear();
        Comment::new(text).encode(&mut self.buf);
        self.write_buf()
    }

    /// Sends a `retry` field: the client's reconnection time, in whole
    /// milliseconds (see [`Retry::new`] for what is dropped below one).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::io::EventWriter;
    ///
    /// let mut events = EventWriter::new(Vec::new());
    /// events.retry(Duration::from_millis(2500))?;
    /// assert_eq!(events.into_inner(), b"retry: 2500\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    pub fn retry(&mut self, time: Duration) -> io::Result<()> {
        self.buf.clear();
        Retry::new(time).encode(&mut self.buf);
        self.write_buf()
    }

    /// Flushes the wrapped writer.
    ///
    /// # Errors
    ///
    /// Any error from the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// The wrapped writer.
    #[must_use]
    pub fn get_ref(&self) -> &W {
        &self.writer
    }

    /// The wrapped writer, mutably (to write the HTTP head, say).
    ///
    /// ```
    /// use std::io::Write;
    /// use std::time::Duration;
    /// use sse_proto::io::EventWriter;
    ///
    /// let mut events = EventWriter::new(Vec::new());
    /// events.get_mut().write_all(b"HTTP/1.1 200 OK\r\n\r\n")?;
    /// events.retry(Duration::from_millis(100))?;
    /// assert_eq!(events.into_inner(), b"HTTP/1.1 200 OK\r\n\r\nretry: 100\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.writer
    }

    /// The wrapped writer. Nothing is buffered here, so nothing is lost.
    pub fn into_inner(self) -> W {
        self.writer
    }

    fn write_buf(&mut self) -> io::Result<()> {
        self.writer.write_all(&self.buf)?;
        match self.policy {
            FlushPolicy::EveryFrame => self.writer.flush(),
            FlushPolicy::Manual => Ok(()),
        }
    }
}
