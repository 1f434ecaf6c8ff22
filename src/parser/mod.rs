//! The incremental `text/event-stream` parser.

// A NOTE FOR MAINTAINERS: how the machine works, and its traps.
//
// Where things are (each file has one job):
//
// * `mod.rs` (this file): the public API of `Parser` and `Frames`.
// * `state.rs`: where the parser is in the stream and in a line (`Bom`,
//   `Line`) and what the last frame lent (`Lent`).
// * `fields.rs`: the standard's "Interpreting an event stream", quoted
//   beside its code: telling a field by its name, applying it, dispatching
//   at a blank line; and the one handling of a whole data line that both
//   layers use.
// * `lines.rs`: line terminators and the BOM.
// * `data.rs`: `EventData`, the data buffer. It owns the rule that an
//   event's data is a validated start (`text`) followed by raw bytes, and
//   the long-line copy into that start; no caller can break the order.
// * `budget.rs`: the size budget: `Config::max_event_size`, the checkpoint,
//   trimming buffers after a huge event, dropping an event over the limit.
// * `fast.rs`: the fast layer (`simple_frame`).
// * `general.rs`: the general layer (`advance`), which takes any input.
// * `continued.rs`: a data line that goes on across chunks, for both.
// * `build.rs`: turning what a layer found (`Ready`) into a `Frame`.
// * `chunk.rs`: the closure paths, `for_each` and `try_for_each`: their
//   loop over a whole chunk and its once-per-chunk UTF-8 check.
//
// The parser is fed chunks cut anywhere. It keeps as little state as it can:
//
// * `Bom` swallows one U+FEFF at the very start of a stream. Bytes of a
//   partial BOM that turn out not to be one are replayed as content.
// * `after_cr` remembers that the last byte consumed was a CR that ended a
//   line, so that an LF at the start of the next chunk is taken as the second
//   half of CRLF and not as a blank line. A CR ends its line *at once*: a
//   frame never waits for the next chunk.
// * `Line` says where we are in an incomplete line. Only what an incomplete
//   line can still need is kept: up to five bytes of a field name (no known
//   name is longer), then the value, appended straight to where it belongs
//   (data into the data buffer; other values into `value`). Lines of unknown
//   fields are skipped without being buffered.
//
// Whole lines found inside the chunk are interpreted in place without any
// copy, and a one-line event whose blank line is also in the chunk is handed
// out borrowed from the chunk: the common case copies nothing. Otherwise data
// is copied once, into the data buffer. UTF-8 is validated once per value
// (data: once per event), when the frame is built.
//
// Traps:
// * Limits are counted on the stream (line lengths), never on what happens to
//   be buffered, or the result would depend on how the input was cut.
// * A frame borrows the parser, so buffers it points into are cleared at the
//   *next* call (`lent`), not when the frame is made.
// * Buffers keep their size for reuse, except after an event over `RETAIN`
//   (1 MiB): `Budget` then arranges trims at the first line of the next two
//   blocks. The fast layer never makes that call (a call there costs the
//   hot loop its registers): past the checkpoint (`Budget::within` says
//   no) it leaves the line to the general layer.
// * The layers return `Ready` (or `Simple`), which holds no borrow of the
//   parser, and the caller builds the `Frame` afterwards: returning a
//   borrow of `self` from inside a loop is what today's borrow checker
//   refuses.
// * The last event ID is committed by swapping `id_buffer` into
//   `last_event_id`, so `id_buffer` is stale unless `id_pending`: never
//   read it otherwise.
// * Long data lines (see `data.rs`): when the last long data line was
//   32 KiB or more, the next long one is copied as it is searched. Such a
//   line is copied before it is counted, so only if it cannot pass the
//   limit (`may_take_text`); past the checkpoint the copy is undone.
//   `long_simple_line` is the one place the fast layer gives up after
//   consuming a line.
// * Two layers. `simple_frame` takes what most streams are made of (lines of
//   the known fields and blank lines, a data or comment line cut by the end
//   of the chunk, a `data: ` prefix cut anywhere, small chunks that only
//   continue a data line) in a few dozen instructions; it gives up on
//   anything else (a BOM, an unknown field, a cut `event`/`id`/`retry`
//   line, an event past its checkpoint) *before* consuming it, and
//   `advance` (kept out of line) does the rest. Small chunks (an LLM's
//   tokens) mostly continue a data line: `Line::Data` tells them by one
//   compare, `try_for_each` continues them inline in its caller, and
//   `continue_data` copies a clean 16-byte head as one vector. Within
//   `advance`, `start_line` tells a field by its first byte and only lines
//   `known_field` does not settle go through the general `split_field`.
//   What a line means is written once (`fields.rs`, `whole_data_line`,
//   `cut_data_line`), and both layers call it; the layers differ only in
//   how they find and cut lines. `on_simple!` is the one map from the
//   fast layer's result to a frame, for its two callers (`feed`,
//   `for_each_frame`).
// * Both layers are tested alone: `Parser::general_path_only` (hidden, for
//   tests and fuzzing) shuts the fast layer off without a test on its hot
//   path: the fast layer's gate asks for `Bom::Done`, which the parser then
//   never reaches (`Bom::DoneGeneralOnly`), and a checkpoint of 0 makes
//   every `Budget::within` fail. Every table test, property test and fuzz
//   target runs with it on and off, and compares both with the reference
//   model. `benches/callgrind.sh` shows what each layer costs.

mod budget;
mod build;
mod chunk;
mod continued;
mod data;
mod fast;
mod fields;
mod general;
mod lines;
mod state;

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::frame::{Frame, OwnedFrame};
use crate::{Config, EventId, ParseError};

use budget::Budget;
use data::EventData;
use fast::on_simple;
use state::{Bom, Lent, Line};

/// An incremental, sans-IO `text/event-stream` parser.
///
/// Feed it the bytes of one stream in chunks of any size, cut anywhere, and
/// take frames out with [`feed`](Self::feed) (borrowed, one per call),
/// [`for_each`](Self::for_each) or [`try_for_each`](Self::try_for_each)
/// (borrowed, handed to a closure: the fastest) or
/// [`frames`](Self::frames) (owned, an [`Iterator`]); the crate docs say
/// which to choose. Call [`finish`](Self::finish) when the stream ends.
///
/// It implements "Parsing an event stream" and "Interpreting an event
/// stream" of the WHATWG HTML standard exactly: one leading BOM dropped
/// (also when split), CR, LF and CRLF line ends (also split), invalid UTF-8
/// replaced with U+FFFD, sticky last event ID, `retry` validation.
///
/// # Examples
///
/// ```
/// use sse_proto::{Frame, Parser};
///
/// let mut parser = Parser::new();
/// let mut events = Vec::new();
/// for chunk in [&b"event: greet\ndata: hel"[..], b"lo\nid: 1\n\ndata: bye\n\n"] {
///     let mut input = chunk;
///     while let Some(frame) = parser.feed(&mut input)? {
///         if let Frame::Event(event) = frame {
///             events.push((event.event_type.to_owned(), event.data.to_owned(), event.id.to_owned()));
///         }
///     }
/// }
/// parser.finish();
/// assert_eq!(events, [
///     ("greet".to_owned(), "hello".to_owned(), "1".to_owned()),
///     ("message".to_owned(), "bye".to_owned(), "1".to_owned()),
/// ]);
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Parser {
    config: Config,
    // Per stream; `finish` resets these.
    bom: Bom,
    after_cr: bool,
    line: Line,
    /// An event overflowed the limit: ignore lines up to the next blank line.
    skipping: bool,
    /// The bytes the current event has spent of its limit.
    budget: Budget,
    /// The spec's data buffer.
    data: EventData,
    /// The spec's event type buffer, raw bytes.
    event_type: Vec<u8>,
    /// The value of an incomplete `event`, `id`, `retry` or comment line.
    value: Vec<u8>,
    /// Buffers the last frame borrowed: clear them before anything else.
    lent: Lent,
    // Kept across streams.
    /// The spec's last event ID buffer while `id_pending`; otherwise the
    /// buffer holds `last_event_id` and this is stale room for the next ID.
    id_buffer: String,
    /// An `id` field set `id_buffer` since the last blank line.
    id_pending: bool,
    /// The spec's last event ID string: `id_buffer` as of the last blank line.
    last_event_id: String,
    /// In milliseconds, as on the wire: made a `Duration` when read.
    reconnection_time: Option<u64>,
    // Room to replace invalid UTF-8, reused.
    lossy_data: String,
    // The last event type and comment as text: streams repeat them (one
    // event type, `: ping` heartbeats), and a repeat needs no validation.
    event_type_text: String,
    comment_text: String,
    /// The fast layer is off ([`Parser::general_path_only`]). Read only
    /// where the parser passes the BOM and sets its checkpoint, never on
    /// the hot path.
    general_only: bool,
}

impl Parser {
    /// A parser with the default [`Config`].
    ///
    /// It starts at the beginning of a stream (a leading BOM is dropped),
    /// with no last event ID and no reconnection time.
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// assert_eq!((parser.last_event_id(), parser.reconnection_time()), ("", None));
    /// let mut input: &[u8] = b"\xEF\xBB\xBFdata: x\n\n";
    /// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
    /// assert_eq!((event.event_type, event.data, event.id), ("message", "x", ""));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    /// A parser with the given [`Config`].
    ///
    /// ```
    /// use sse_proto::{Config, Frame, Parser};
    ///
    /// let mut parser = Parser::with_config(Config::new().comments(false));
    /// let mut input: &[u8] = b": ping\n\ndata: x\n\n";
    /// // The heartbeat is skipped: the first frame is the event.
    /// assert!(matches!(parser.feed(&mut input)?, Some(Frame::Event(e)) if e.data == "x"));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn with_config(config: Config) -> Self {
        Self {
            budget: Budget::new(&config),
            config,
            bom: Bom::Expected(0),
            after_cr: false,
            line: Line::Start,
            skipping: false,
            data: EventData::default(),
            event_type: Vec::new(),
            value: Vec::new(),
            lent: Lent::Nothing,
            id_buffer: String::new(),
            id_pending: false,
            last_event_id: String::new(),
            reconnection_time: None,
            lossy_data: String::new(),
            event_type_text: String::new(),
            comment_text: String::new(),
            general_only: false,
        }
    }

    /// For tests and fuzzing only, not part of the API (it may change in
    /// any release): turns the fast layer off, so that every byte goes
    /// through the general one. The frames, errors and state are the same
    /// either way; tests run with it on and off to check each layer alone.
    /// It costs the fast layer nothing when off (see the maintainers' note).
    /// It may be called at any point of a stream; [`finish`](Self::finish)
    /// keeps it.
    ///
    /// ```
    /// use sse_proto::Parser;
    ///
    /// let mut parser = Parser::new().general_path_only();
    /// let frames: Vec<_> = parser.frames(b"data: x\n\n").collect();
    /// assert_eq!(frames, Parser::new().frames(b"data: x\n\n").collect::<Vec<_>>());
    /// ```
    #[doc(hidden)]
    #[must_use]
    pub fn general_path_only(mut self) -> Self {
        self.general_only = true;
        self.budget.general_only();
        if self.bom == Bom::Done {
            self.bom = Bom::DoneGeneralOnly;
        }
        self
    }

    /// Starts with `id` as the last event ID, as a client does when it
    /// resumes a stream: events without an `id` field carry it, and it is
    /// what [`last_event_id`](Self::last_event_id) reports until the stream
    /// changes it.
    ///
    /// An [`EventId`] holds no CR, LF or U+0000, so it is an ID a stream
    /// could have set, and the last event ID is always safe to send back as
    /// a `Last-Event-ID` header; [`EventId::new`] refuses anything else
    /// (such as `"4\r\nX-Injected: 1"`) with an error.
    /// [`EventId::RESET`] starts with none, as a new parser does.
    ///
    /// ```
    /// use sse_proto::{EventId, Frame, Parser};
    ///
    /// let mut parser = Parser::new().with_last_event_id(EventId::new("41")?);
    /// let mut input: &[u8] = b"data: x\n\n";
    /// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
    /// assert_eq!(event.id, "41");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_last_event_id(mut self, id: EventId<'_>) -> Self {
        self.id_buffer.clear();
        self.id_buffer.push_str(id.as_str());
        self.last_event_id.clear();
        self.last_event_id.push_str(id.as_str());
        self
    }

    /// The configuration this parser was made with.
    ///
    /// ```
    /// use sse_proto::{Config, Parser};
    ///
    /// assert_eq!(Parser::new().config(), &Config::default());
    /// let parser = Parser::with_config(Config::new().max_event_size(None));
    /// assert_eq!(parser.config().max_event_size, None);
    /// ```
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The last event ID string: the `id` in force at the most recent blank
    /// line (a block's `id` field counts once the block ends), empty if none.
    ///
    /// A client sends it as `Last-Event-ID` when it reconnects. Level
    /// triggered: read it at any time; it survives [`finish`](Self::finish).
    ///
    /// ```
    /// use sse_proto::Parser;
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"id: 7\n";
    /// assert_eq!(parser.feed(&mut input)?, None);
    /// assert_eq!(parser.last_event_id(), ""); // the block has not ended yet
    /// let mut input: &[u8] = b"\n";
    /// assert_eq!(parser.feed(&mut input)?, None); // no data: no event, but the ID is set
    /// assert_eq!(parser.last_event_id(), "7");
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The reconnection time set by the latest valid `retry` field, or
    /// `None` if the stream has sent none.
    ///
    /// Level triggered; it survives [`finish`](Self::finish). Each valid
    /// `retry` field is also reported, in stream order, as
    /// [`Frame::Retry`] (a repeat of the same value too). The field counts
    /// milliseconds (only ASCII digits that fit in a `u64`; anything else
    /// is ignored), so the time is a whole number of them, and
    /// `as_millis()` gives back the value on the wire.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"retry: 3000\nretry: 3s\n";
    /// let three_seconds = Duration::from_secs(3);
    /// assert_eq!(parser.feed(&mut input)?, Some(Frame::Retry(three_seconds)));
    /// assert_eq!(parser.reconnection_time(), Some(three_seconds)); // no blank line needed
    /// assert_eq!(parser.feed(&mut input)?, None); // not only digits: ignored
    /// assert_eq!(parser.reconnection_time(), Some(three_seconds));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn reconnection_time(&self) -> Option<Duration> {
        self.reconnection_time.map(Duration::from_millis)
    }

    /// The bytes held for the event in progress: its data and event type
    /// and any incomplete line (and, until the next call, the data of the
    /// event just handed out, which the frame borrows). Never more than
    /// [`Config::max_event_size`].
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"data: abc\ndata: de";
    /// assert_eq!(parser.feed(&mut input)?, None);
    /// assert_eq!(parser.buffered_len(), "abc\nde".len());
    /// let mut input: &[u8] = b"\n\ndata: f";
    /// assert!(matches!(parser.feed(&mut input)?, Some(Frame::Event(e)) if e.data == "abc\nde"));
    /// assert_eq!(parser.feed(&mut input)?, None);
    /// assert_eq!(parser.buffered_len(), "f".len()); // only the next event's
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn buffered_len(&self) -> usize {
        self.data.len() + self.event_type.len() + self.value.len()
    }

    /// Parses bytes from the front of `input` up to and including the next
    /// complete frame, advancing `input` past what it consumed.
    ///
    /// - `Ok(Some(frame))`: a frame is complete. Call again with the rest of
    ///   `input` (it may hold more frames).
    /// - `Ok(None)`: all of `input` is consumed (it is now empty) and no
    ///   frame is complete yet. Feed the next chunk.
    /// - `Err(error)`: a limit was hit; see [`ParseError`]. The parser has
    ///   recovered: call again with the rest of `input`.
    ///
    /// A frame comes out as soon as its last byte is fed: a CR at the end of
    /// a chunk ends its line at once. The frame borrows the parser (and may
    /// borrow `input`), so it lives until the next call: use
    /// [`Frame::into_owned`] to keep it. Once its buffers have grown to the
    /// largest event seen, the parser allocates nothing.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"retry: 5000\ndata: one\r\n\r\ndata: tw";
    /// assert_eq!(parser.feed(&mut input)?, Some(Frame::Retry(Duration::from_secs(5))));
    /// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
    /// assert_eq!(event.data, "one");
    /// assert_eq!(parser.feed(&mut input)?, None);
    /// assert!(input.is_empty());
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn feed<'p, 'c: 'p>(
        &'p mut self,
        input: &mut &'c [u8],
    ) -> Result<Option<Frame<'p>>, ParseError> {
        let ready = on_simple!(
            self.simple_frame::<false>(input, false),
            done => return Ok(None),
            error(error) => return Err(error),
            other => return self.feed_general(input),
        );
        Ok(Some(self.frame(ready, |_| None)))
    }

    /// [`Self::feed`] beyond [`Self::simple_frame`], out of line for the
    /// same reason as [`Self::next_general`].
    #[inline(never)]
    fn feed_general<'p, 'c: 'p>(
        &'p mut self,
        input: &mut &'c [u8],
    ) -> Result<Option<Frame<'p>>, ParseError> {
        let ready = self.advance(input)?;
        Ok(ready.map(|ready| self.frame(ready, |_| None)))
    }

    /// Parses all of `input`, yielding owned frames: the convenient path.
    ///
    /// The iterator consumes `input` as it goes; frames and errors come in
    /// stream order, and it ends when `input` is used up. Drop it early and
    /// the bytes it has not reached are left unparsed (see
    /// [`Frames::remaining`]).
    ///
    /// ```
    /// use sse_proto::{OwnedFrame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let frames: Vec<OwnedFrame> = parser
    ///     .frames(b": ping\n\ndata: a\ndata: b\n\n")
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(frames.len(), 2);
    /// let OwnedFrame::Event(event) = &frames[1] else { panic!() };
    /// assert_eq!(event.data, "a\nb");
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn frames<'p, 'c>(&'p mut self, input: &'c [u8]) -> Frames<'p, 'c> {
        Frames {
            parser: self,
            input,
        }
    }

    /// Ends the stream: an incomplete line and a partly built event are
    /// discarded, as the standard says.
    ///
    /// The parser is then ready for the next stream (a reconnection): the
    /// last event ID and reconnection time are kept, and the next stream may
    /// start with its own BOM.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"retry: 500\nid: 1\ndata: a\n\ndata: cut off";
    /// while parser.feed(&mut input)?.is_some() {}
    /// parser.finish(); // the connection dropped
    /// let kept = (parser.last_event_id(), parser.reconnection_time());
    /// assert_eq!(kept, ("1", Some(Duration::from_millis(500))));
    /// let mut input: &[u8] = b"\xEF\xBB\xBFdata: b\n\n"; // the next stream, with a BOM
    /// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
    /// assert_eq!((event.data, event.id), ("b", "1")); // "cut off" is gone
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn finish(&mut self) {
        self.bom = Bom::Expected(0);
        self.after_cr = false;
        self.line = Line::Start;
        self.skipping = false;
        self.budget.reset();
        self.data.reset();
        self.event_type.clear();
        self.value.clear();
        self.trim_buffers();
        self.lent = Lent::Nothing;
        // A new stream's ID buffer starts from the committed ID, as in
        // browsers, so an `id` line cut off by the disconnect is forgotten.
        self.id_buffer.clone_from(&self.last_event_id);
        self.id_pending = false;
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

/// Owned frames parsed from one chunk; see [`Parser::frames`].
///
/// An ordinary [`Iterator`]: its frames own their strings, so adapters
/// work and the results outlive the parser.
///
/// ```
/// use sse_proto::{OwnedFrame, Parser};
///
/// let data: Vec<String> = Parser::new()
///     .frames(b"data: a\n\n: ping\n\nretry: 9\ndata: b\n\n")
///     .filter_map(|frame| match frame {
///         Ok(OwnedFrame::Event(event)) => Some(event.data),
///         _ => None,
///     })
///     .collect();
/// assert_eq!(data, ["a", "b"]);
/// ```
#[derive(Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Frames<'p, 'c> {
    parser: &'p mut Parser,
    input: &'c [u8],
}

impl<'c> Frames<'_, 'c> {
    /// The part of the chunk not parsed yet: it starts right after the
    /// last frame taken, and is empty once the iterator has ended.
    ///
    /// ```
    /// use sse_proto::Parser;
    ///
    /// let mut parser = Parser::new();
    /// let mut frames = parser.frames(b"retry: 1\ndata: x\n\n");
    /// assert!(frames.next().is_some());
    /// assert_eq!(frames.remaining(), b"data: x\n\n");
    /// assert_eq!(frames.by_ref().count(), 1);
    /// assert!(frames.remaining().is_empty());
    /// ```
    #[must_use]
    pub fn remaining(&self) -> &'c [u8] {
        self.input
    }
}

impl Iterator for Frames<'_, '_> {
    type Item = Result<OwnedFrame, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.parser.feed(&mut self.input) {
            Ok(Some(frame)) => Some(Ok(frame.into_owned())),
            Ok(None) => None,
            Err(error) => Some(Err(error)),
        }
    }
}
