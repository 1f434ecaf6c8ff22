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
//! [`Parser::feed`] hands out borrowed [`Frame`]s and allocates nothing once
//! its buffers have grown to the largest event seen. [`Parser::chunk`] is the
//! same, faster when you hold whole chunks (it validates a large chunk's
//! UTF-8 once), and fastest through [`Chunk::for_each`], whose loop runs
//! inside the parser. [`Parser::frames`] is the convenient path: an [`Iterator`] of
//! [`OwnedFrame`]s.
//!
//! # Encoding
//!
//! ```
//! use sse_proto::{Comment, EventId, EventType, Message, Retry};
//!
//! // Validate once; encoding a validated value cannot fail.
//! let delta = EventType::new("delta")?;
//! let mut out = Vec::new(); // reuse it: no allocation once it has grown
//! Retry::new(3000).encode(&mut out);
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
//! A server resumes a reconnecting client from its `Last-Event-ID` with a
//! [`ResumeBuffer`]: a history of sent events bounded by count and bytes
//! that replays what the client missed, borrowed, or says plainly that it
//! cannot ([`Resume::Unknown`], [`Resume::Evicted`]) so the server
//! resynchronises the client. `examples/server.rs` is a complete std-only
//! server built on it.
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
mod frame;
mod parser;
mod resume;
mod scan;
pub mod session;
mod text;

#[cfg(feature = "std")]
pub mod io;

pub use config::{Config, DEFAULT_MAX_EVENT_SIZE};
pub use encoder::headers;
pub use encoder::{Comment, EncodeError, EventId, EventType, Message, Output, Retry};
pub use error::ParseError;
pub use frame::{Event, Frame, OwnedEvent, OwnedFrame, DEFAULT_EVENT_TYPE};
pub use parser::{Chunk, Frames, Parser};
pub use resume::{Replay, Resume, ResumeBuffer};
pub use session::{
    DisconnectAction, Mode, Policy, Request, Response, ResponseAction, Session, State, StopReason,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
