//! Server-Sent Events (`text/event-stream`) without IO: an exact,
//! incremental parser you feed bytes, and an encoder that writes only what
//! the parser reads back, in safe Rust with no dependencies.
//!
//! sse-proto implements the WHATWG HTML standard's event stream format
//! (section 9.2, "Server-sent events") as a pure state machine. It does no IO,
//! reads no clock, spawns nothing and needs no async runtime: you feed it the
//! bytes you received, however they were cut, and it gives you frames. Wrap
//! it in tokio, hyper, reqwest, `std::net` or an embedded stack.
//!
//! # Parsing
//!
//! ```
//! use sse_proto::{Frame, Parser};
//!
//! let mut parser = Parser::new();
//! // Chunks as they come off the network: cut anywhere, even inside CRLF.
//! let chunks: [&[u8]; 3] = [b"data: {\"token\":\"Hel\"}\r", b"\n\r\ndata: {\"token\":\"lo\"}\n", b"\n"];
//! let mut tokens = String::new();
//! for chunk in chunks {
//!     let mut input = chunk;
//!     while let Some(frame) = parser.feed(&mut input)? {
//!         if let Frame::Event(event) = frame {
//!             // `event.data` borrows the chunk or the parser: no allocation.
//!             tokens.push_str(event.data);
//!         }
//!     }
//! }
//! parser.finish();
//! assert_eq!(tokens, r#"{"token":"Hel"}{"token":"lo"}"#);
//! # Ok::<(), sse_proto::ParseError>(())
//! ```
//!
//! # Choosing an entry point
//!
//! There are three ways to take frames out of a [`Parser`]. All give the
//! same frames and errors in the same order, however the input is cut,
//! and they can be mixed on one parser from one chunk to the next.
//!
//! | entry point | what you get | pick it when |
//! |---|---|---|
//! | [`Parser::feed`] | one borrowed [`Frame`] per call, `Ok(None)` once the input is used up | frames leave one at a time: a `Stream` or `Iterator` you implement, a state machine that returns between frames |
//! | [`Parser::for_each`], [`Parser::try_for_each`] | each borrowed frame handed to your closure; `try_for_each` stops when it returns [`ControlFlow::Break`](core::ops::ControlFlow::Break) | you hold a whole chunk and handle each frame on the spot: the fastest path (about two thirds of `feed`'s instructions on streams of small events) |
//! | [`Parser::frames`] | an [`Iterator`] of [`OwnedFrame`]s | you want iterator adapters, or frames that outlive the parser, and one allocation per frame is fine: tests, tools, a channel to another task |
//!
//! The borrowed paths allocate nothing once the parser's buffers have
//! grown to the largest event seen. [`io::FrameReader`] is the third path
//! over any `std::io::Read`, and [`Session`] parses a response body with
//! its own parser.
//!
//! ```
//! use core::ops::ControlFlow;
//! use sse_proto::{Frame, Parser};
//!
//! let mut parser = Parser::new();
//! let mut count = 0;
//! parser.for_each(b"data: a\n\n: ping\n\ndata: b\n\n", |frame| {
//!     if let Ok(Frame::Event(_)) = frame {
//!         count += 1;
//!     }
//! });
//! assert_eq!(count, 2);
//!
//! // Stop at the first comment; `input` keeps what was not parsed.
//! let mut input: &[u8] = b"data: c\n\n: stop here\ndata: d\n\n";
//! let flow = parser.try_for_each(&mut input, |frame| match frame {
//!     Ok(Frame::Comment(text)) => ControlFlow::Break(text.to_owned()),
//!     _ => ControlFlow::Continue(()),
//! });
//! assert_eq!(flow, ControlFlow::Break("stop here".to_owned()));
//! assert_eq!(input, b"data: d\n\n");
//! ```
//!
//! # Encoding
//!
//! ```
//! use core::time::Duration;
//! use sse_proto::{Comment, EventId, EventType, Message, Retry};
//!
//! // Validate once; encoding a validated value cannot fail.
//! let delta = EventType::new("delta")?;
//! let mut out = Vec::new(); // reuse it: no allocation once it has grown
//! Retry::new(Duration::from_secs(3)).encode(&mut out);
//! Message::new("line one\nline two").event_type(delta).id(EventId::new("1")?).encode(&mut out);
//! Comment::new("ping").encode(&mut out);
//! assert_eq!(
//!     out,
//!     b"retry: 3000\nevent: delta\nid: 1\ndata: line one\ndata: line two\n\n: ping\n"
//! );
//! # Ok::<(), sse_proto::EncodeError>(())
//! ```
//!
//! [`EventType::new`] and [`EventId::new`] refuse, with an [`EncodeError`],
//! what no stream can carry (CR or LF in either, U+0000 in an ID) and an
//! empty event type, which a client reads as `message`. Data and
//! comments may hold anything: line breaks become further `data:` or `:`
//! lines. Parsing the output gives back exactly what was encoded, with the
//! normalisations the format imposes: a CR or CRLF inside data comes back
//! as LF, and a comment with line breaks as several comments.
//! [`headers`] has the response headers a server sends.
//!
//! # Conformance
//!
//! Exactly the standard's "Parsing an event stream" and "Interpreting an event
//! stream":
//!
//! - one leading U+FEFF BOM is dropped, even when split across chunks; any
//!   other is content;
//! - lines end at CRLF, LF or CR, also when CRLF is split across chunks; a CR
//!   ends its line at once, so no frame waits for the next chunk;
//! - invalid UTF-8 becomes U+FFFD (one per maximal invalid subpart, as
//!   `String::from_utf8_lossy` does); it is never an error;
//! - field names are case-sensitive; one leading space is removed from a
//!   value; a line without a colon is a field with an empty value;
//! - `data` lines join with LF; a block without data dispatches nothing;
//! - `id` is sticky and is ignored when it contains U+0000; it becomes the
//!   last event ID at the block's blank line;
//! - `retry` takes only ASCII digits (no sign, no spaces beyond the one
//!   removed) that fit in a `u64`, and takes effect at once;
//! - at end of stream ([`Parser::finish`]) an incomplete line and a partly
//!   built event are discarded.
//!
//! Beyond the standard, comments are reported as [`Frame::Comment`] (turn
//! them off with [`Config::comments`]), and one event may span at most
//! [`Config::max_event_size`] bytes (default [`DEFAULT_MAX_EVENT_SIZE`],
//! 64 MiB); past it the event is dropped with a [`ParseError`] and parsing
//! resumes at the next blank line.
//!
//! # What it does not do
//!
//! No sockets, no HTTP, no timers, no clock: reconnecting is the caller's
//! loop. [`Session`] tells that loop what to do (method and headers,
//! response policy, delays with backoff and a range for jitter,
//! `Last-Event-ID`, the idle timeout to apply, when to stop), from the times
//! the caller reports; see the [`session`] module.
//!
//! # Serving
//!
//! A server sends events to many clients through an [`EventLog`]: each
//! event is encoded once into a ring bounded by count and bytes, every
//! client reads the encoded bytes through its own 8-byte [`Cursor`], and a
//! client the ring has passed is told so ([`Lagged`]). A reconnecting
//! client's `Last-Event-ID` starts a cursor just after that event
//! ([`EventLog::resume`]), or says plainly why not ([`Resume::Unknown`],
//! [`Resume::Evicted`]) so the server resynchronises the client.
//! [`Heartbeat`] says when an idle stream needs a keep-alive comment.
//! `examples/server.rs` is a complete std-only server built on it.
//!
//! # Features
//!
//! - `std` (default): the blocking adapters in [`io`]: a frame reader over
//!   any `std::io::Read` and an event writer over any `std::io::Write`.
//!   Without it the crate is `no_std` with `alloc`.
//!
//! # MSRV
//!
//! Rust 1.81 (for `core::error::Error`). Raising it is a minor-version change.

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// The library must build without std; examples and tests need not care.
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod config;
mod encoder;
mod error;
mod fanout;
mod frame;
mod parser;
mod scan;
pub mod session;
mod text;

#[cfg(feature = "std")]
pub mod io;

pub use config::{Config, DEFAULT_MAX_EVENT_SIZE};
pub use encoder::headers;
pub use encoder::{Comment, EncodeError, EventId, EventType, Message, Output, Retry};
pub use error::ParseError;
pub use fanout::{
    Batch, Cursor, EventLog, Heartbeat, IdScheme, Lagged, Missing, PublishError, Resume, Sequence,
    SharedBytes, Window,
};
pub use frame::{Event, Frame, OwnedEvent, OwnedFrame, DEFAULT_EVENT_TYPE};
pub use parser::{Frames, Parser};
pub use session::{
    DisconnectAction, Mode, Policy, Request, Response, ResponseAction, Session, State, StopReason,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
