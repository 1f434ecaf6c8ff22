//! The incremental `text/event-stream` parser.

// A NOTE FOR MAINTAINERS: how the machine works, and its traps.
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
//   (1 MiB): `count` then finds the event past its `checkpoint`, which
//   arranges trims at the first line of the next two blocks. The simple
//   path never makes that call (a call there costs the hot loop its
//   registers): past the checkpoint it leaves the line to `advance`.
// * `advance` returns `Ready`, which holds no borrow of the parser, and
//   `feed` turns it into a `Frame` afterwards: returning a borrow of `self`
//   from inside a loop is what today's borrow checker refuses.
// * The last event ID is committed by swapping `id_buffer` into
//   `last_event_id`, so `id_buffer` is stale unless `id_pending`: never
//   read it otherwise.
// * Long data lines. An event's data is `data_text` followed by `data`.
//   When the last long data line was 32 KiB or more (`long_lines`, a guess
//   that chunks cut such lines), the next long one is copied into
//   `data_text` as it is searched, 1 KiB at a time, each piece validated
//   while in cache, so no pass over the event is left for dispatch; it
//   goes on there across chunks (`Line::Text`). Only while `data` is empty
//   does anything go to `data_text`, and a data line's LF always goes to
//   `data`: at a line start, `data_text` is empty if `data` is. Whatever
//   clears `data` clears `data_text`. Such a line is copied before it is
//   counted, so only if it cannot pass the limit (`may_take_text`); past
//   the checkpoint the copy is undone. `long_simple_line` is the one place
//   `simple_frame` gives up after consuming a line.
// * Two layers. `simple_frame` takes what most streams are made of (lines of
//   the known fields and blank lines, a data or comment line cut by the end
//   of the chunk, a `data: ` prefix cut anywhere, small chunks that only
//   continue a data line) in a few dozen instructions; it gives up on
//   anything else (a BOM, an unknown field, a cut `event`/`id`/`retry`
//   line, an event past its checkpoint) *before* consuming it, and
//   `advance` (kept out of line) does the rest. Small chunks (an LLM's
//   tokens) mostly continue a data line: `Line::Data` tells them by one
//   compare, `try_for_each` continues them inline in its caller, and
//   `continue_data` copies a clean 16-byte head as one vector. Within `advance`, `start_line` tells a field by its
//   first byte and only lines `known_field` does not settle go through the
//   general `split_field`. `feed` and `for_each_frame` each
//   map `Simple` to a frame themselves: folding its variants into one
//   nested `Ready` made every path slower. A change to how lines are
//   interpreted must be made in every layer; the differential tests and the
//   fuzz targets compare them all with the reference model.
//   `benches/callgrind.sh` shows what each costs.

use alloc::string::String;
use alloc::vec::Vec;
use core::convert::Infallible;
use core::mem;
use core::ops::ControlFlow;
use core::time::Duration;

use crate::frame::{Event, Frame, OwnedFrame, DEFAULT_EVENT_TYPE};
use crate::scan::{
    find_line_end, find_line_end_inline, find_line_end_taking, find_long_line_end,
    find_long_line_end_taking, find_short_line_end, scan_head, Head, LONG_LINE,
};
use crate::text::{decode, push_lossy};
use crate::{Config, EventId, ParseError};

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";
/// A data line's name and colon.
const DATA_NAME: &[u8; 5] = b"data:";
/// The longest known field name (`event`, `retry`).
const MAX_NAME: usize = 5;

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
    /// Bytes of the current event's lines so far, for the limit.
    event_len: usize,
    /// The `event_len` past which [`Self::count`] takes its slow path: the
    /// limit or [`RETAIN`], whichever is lower; 0 while trims are pending,
    /// so that no per-event work is spent on them.
    checkpoint: usize,
    /// Blocks whose first line trims the buffers (see
    /// [`Self::past_checkpoint`]): 2 after a block past [`RETAIN`].
    trims_pending: u8,
    /// The spec's data buffer, raw bytes; each line's value ends with LF.
    /// The event's data is `data_text` followed by this.
    data: Vec<u8>,
    /// The start of the event's data, validated as it was copied (long
    /// lines, see [`take_text`]): appended to only while `data` is
    /// empty, so that it always comes first. Data lines end with LF in
    /// `data`, so at a line start it is empty if `data` is.
    data_text: String,
    /// The last long data line was one of [`LONG_DATA`] bytes or more, as
    /// far as the parser saw it (a chunk cut it): copy the next one into
    /// `data_text` as it is searched. Only a guess, for speed: chunks cut
    /// most lines that long and the copy is then made anyway, but a line
    /// that ends inside its chunk is better borrowed than copied.
    long_lines: bool,
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
}

/// Which buffers the last frame borrowed, so they are cleared at the next
/// call and not while the frame still points into them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lent {
    Nothing,
    /// An event's data.
    Data,
    /// A comment cut across chunks: its frame lends the `comment_text`
    /// memo, and the line's bytes in `value` are cleared.
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bom {
    /// At the start of a stream, having matched this many BOM bytes.
    Expected(u8),
    Done,
}

/// Where the parser is in an incomplete line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// At the start of a line.
    Start,
    /// No colon yet; the name so far is short enough to be a known field.
    Name { bytes: [u8; MAX_NAME], len: u8 },
    /// Past the colon of a field we keep. `fresh`: no value byte seen yet,
    /// so a leading space is still to be removed. (A data line that is not
    /// fresh is [`Line::Data`].)
    Value { field: Field, fresh: bool },
    /// In a data line's value, past its leading space: the rest of the line
    /// goes straight to the data buffer. Its own variant, so that small
    /// chunks that only continue a data line are told by one compare.
    Data,
    /// [`Line::Data`] while the event's data is all in `data_text`
    /// ([`Parser::append_data`]): the line goes on there, on the general
    /// path ([`Parser::continue_text`]), which long lines can afford.
    Text,
    /// The rest of this line does not matter.
    Ignored,
}

impl Line {
    /// Past the colon of `field`; `fresh` if no value byte is seen yet.
    fn value(field: Field, fresh: bool) -> Self {
        if field == Field::Data && !fresh {
            Self::Data
        } else {
            Self::Value { field, fresh }
        }
    }
}

/// The fields the parser acts on (comments count as one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Data,
    Event,
    Id,
    Retry,
    Comment,
}

/// A frame that is ready, described without borrowing the parser: `None`
/// means "in the parser's own buffer".
enum Ready<'c> {
    Event(Option<&'c [u8]>),
    Retry(u64),
    Comment(Option<&'c [u8]>),
}

/// What [`Parser::simple_frame`] found.
enum Simple<'c> {
    /// A one-line event, its data this part of the chunk.
    Event(&'c [u8]),
    /// A comment, its text this part of the chunk.
    Comment(&'c [u8]),
    /// An event whose data is in the data buffer.
    Buffered,
    Retry(u64),
    /// The input is used up and no frame is complete.
    Done,
    Error(ParseError),
    /// Anything else: leave it to [`Parser::advance`] (see
    /// [`Parser::long_simple_line`] for the one case where a line before
    /// it was consumed).
    Other,
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
            checkpoint: first_checkpoint(&config),
            config,
            bom: Bom::Expected(0),
            after_cr: false,
            line: Line::Start,
            skipping: false,
            event_len: 0,
            trims_pending: 0,
            data: Vec::new(),
            data_text: String::new(),
            long_lines: false,
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
        }
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
        self.data_text.len() + self.data.len() + self.event_type.len() + self.value.len()
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
        let ready = match self.simple_frame::<false>(input, false) {
            Simple::Event(data) => Ready::Event(Some(data)),
            Simple::Comment(text) => Ready::Comment(Some(text)),
            Simple::Buffered => Ready::Event(None),
            Simple::Retry(ms) => Ready::Retry(ms),
            Simple::Done => return Ok(None),
            Simple::Error(error) => return Err(error),
            Simple::Other => return self.feed_general(input),
        };
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

    /// Calls `f` with each frame or error of `chunk`, in order: the
    /// fastest path, for callers that hold a whole chunk and handle every
    /// frame where it comes out. To stop early, use
    /// [`try_for_each`](Self::try_for_each).
    ///
    /// It gives exactly the frames and errors [`feed`](Self::feed) gives,
    /// in the same order, and allocates no more. The difference is speed:
    /// the loop runs inside the parser with `f` inlined into it; a chunk's
    /// UTF-8 is validated once, when the first value that lies wholly
    /// inside it is needed as text, and each such value is then a checked
    /// slice of it rather than validated on its own (chunks under 256
    /// bytes, which hold few values, are left to the values); and a small
    /// chunk that only continues a data line costs no call. Each frame
    /// borrows the parser and `chunk` for the call of `f` only: keep one
    /// with [`Frame::into_owned`].
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut data = Vec::new();
    /// for chunk in [&b"data: hel"[..], b"lo\n\n: ping\n\ndata: bye\n\n"] {
    ///     parser.for_each(chunk, |frame| {
    ///         if let Ok(Frame::Event(event)) = frame {
    ///             data.push(event.data.to_owned());
    ///         }
    ///     });
    /// }
    /// assert_eq!(data, ["hello", "bye"]);
    /// ```
    #[inline(always)]
    pub fn for_each(&mut self, chunk: &[u8], mut f: impl FnMut(Result<Frame<'_>, ParseError>)) {
        let mut input = chunk;
        // Small chunks mostly only continue a data line: that much is done
        // here, inlined into the caller, so such a chunk costs no call.
        if self.in_data_value() {
            if let Err(error) = self.continue_data(&mut input) {
                f(Err(error));
            }
            if input.is_empty() {
                return;
            }
        }
        // `input` is passed by value, so that it stays in registers here.
        let flow = self.for_each_frame(input, |item| {
            f(item);
            ControlFlow::<Infallible>::Continue(())
        });
        match flow {
            ControlFlow::Continue(()) => {}
            ControlFlow::Break((never, _)) => match never {},
        }
    }

    /// [`for_each`](Self::for_each) that `f` can stop: calls `f` with each
    /// frame or error from the front of `input` until `f` returns
    /// [`ControlFlow::Break`], which it returns, or `input` is used up
    /// ([`ControlFlow::Continue`]). `input` is advanced past what was
    /// parsed, as [`feed`](Self::feed) advances it: call again with the rest
    /// to go on where it stopped.
    ///
    /// It may stop a little past the frame `f` stopped at: the blank line
    /// after a comment that followed no data is taken with the comment (a
    /// heartbeat's; it dispatches nothing). Either way, the parser's state
    /// ([`last_event_id`](Self::last_event_id) included) is that of the
    /// stream up to the new start of `input`, and going on from there gives
    /// the frames `feed` would give.
    ///
    /// ```
    /// use core::ops::ControlFlow;
    /// use sse_proto::{Frame, Parser};
    ///
    /// // Stop at the first event named `done`; the rest is left in `input`.
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"data: 1\n\nevent: done\ndata: 2\n\ndata: 3\n\n";
    /// let mut seen = Vec::new();
    /// let flow = parser.try_for_each(&mut input, |frame| match frame {
    ///     Ok(Frame::Event(event)) if event.event_type == "done" => ControlFlow::Break(event.data.to_owned()),
    ///     Ok(Frame::Event(event)) => {
    ///         seen.push(event.data.to_owned());
    ///         ControlFlow::Continue(())
    ///     }
    ///     _ => ControlFlow::Continue(()),
    /// });
    /// assert_eq!(flow, ControlFlow::Break("2".to_owned()));
    /// assert_eq!(seen, ["1"]);
    /// assert_eq!(input, b"data: 3\n\n");
    /// ```
    #[inline(always)]
    #[must_use = "`Break` says that `f` stopped before the end of `input`"]
    pub fn try_for_each<B>(
        &mut self,
        input: &mut &[u8],
        mut f: impl FnMut(Result<Frame<'_>, ParseError>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        // Small chunks mostly only continue a data line: that much is done
        // here, inlined into the caller, so such a chunk costs no call.
        if self.in_data_value() {
            if let Err(error) = self.continue_data(input) {
                f(Err(error))?;
            }
            if input.is_empty() {
                return ControlFlow::Continue(());
            }
        }
        match self.for_each_frame(input, f) {
            ControlFlow::Continue(()) => {
                *input = &input[input.len()..];
                ControlFlow::Continue(())
            }
            ControlFlow::Break((stop, rest)) => {
                *input = rest;
                ControlFlow::Break(stop)
            }
        }
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
        self.event_len = 0;
        self.checkpoint = first_checkpoint(&self.config);
        self.trims_pending = 0;
        self.data.clear();
        self.data_text.clear();
        self.long_lines = false;
        self.event_type.clear();
        self.value.clear();
        self.trim_buffers();
        self.lent = Lent::Nothing;
        // A new stream's ID buffer starts from the committed ID, as in
        // browsers, so an `id` line cut off by the disconnect is forgotten.
        self.id_buffer.clone_from(&self.last_event_id);
        self.id_pending = false;
    }

    /// The frames most streams are made of, taken without the general
    /// machine: whole lines of the known fields and blank lines, data and
    /// comment lines the chunk cuts, and small chunks that only continue a
    /// data line. Gives up ([`Simple::Other`]) at the start of anything
    /// else (a BOM, an unknown field, a cut `event`, `id` or `retry` line, a
    /// line past the event's checkpoint), before consuming it.
    ///
    /// `after_simple`: the caller knows that the last call returned a
    /// frame, which leaves the parser at the start of a line, past the
    /// BOM, not skipping (every frame here comes from a whole line), so
    /// that state is not tested again (a third of the loop's fixed cost
    /// per frame).
    ///
    /// `UNSEEN`: the caller takes every frame of the chunk without
    /// handing the parser back in between ([`Self::try_for_each`]), so a
    /// comment with no data before it also takes the blank line after it
    /// (a heartbeat's): what that line does (commit the ID, reset the
    /// event type) cannot be seen before the next frame.
    #[inline(always)]
    fn simple_frame<'c, const UNSEEN: bool>(
        &mut self,
        input: &mut &'c [u8],
        after_simple: bool,
    ) -> Simple<'c> {
        self.release_lent();
        debug_assert!(
            !after_simple || (self.line == Line::Start && self.bom == Bom::Done && !self.skipping)
        );
        if !after_simple && (self.line != Line::Start || self.bom != Bom::Done || self.skipping) {
            if !self.resume_data_value(input) {
                return Simple::Other;
            }
            // Small chunks cut long data lines: most calls only continue one.
            if let Err(error) = self.continue_data(input) {
                return Simple::Error(error);
            }
            if self.line != Line::Start {
                return Simple::Done;
            }
        }
        loop {
            let bytes: &'c [u8] = input;
            let Some(&first) = bytes.first() else {
                return Simple::Done;
            };
            // Tested before it is reset, so that most lines store nothing.
            if self.after_cr {
                self.after_cr = false;
                if first == b'\n' {
                    *input = &bytes[1..];
                    continue;
                }
            }
            // Data lines first: most lines are.
            let field = if bytes.starts_with(DATA_NAME) {
                Field::Data
            } else {
                match first {
                    b'\n' | b'\r' => {
                        *input = self.skip_terminator(bytes, 0);
                        match self.dispatch() {
                            Some(_) => return Simple::Buffered,
                            None => continue,
                        }
                    }
                    b'd' => {
                        let outcome = self.cut_data_name(bytes);
                        if let Simple::Done = outcome {
                            *input = &[];
                        }
                        return outcome;
                    }
                    b':' => Field::Comment,
                    b'e' | b'i' | b'r' => match self.named_line(input) {
                        None => continue,
                        Some(outcome) => return outcome,
                    },
                    _ => return Simple::Other,
                }
            };
            let name_len = if field == Field::Data { 4 } else { 0 };
            let value_at = value_start(bytes, name_len);
            let Some(end) = bytes.get(value_at..).and_then(find_short_line_end) else {
                let outcome;
                (outcome, *input) = self.cut_simple_line(bytes, field, name_len, value_at);
                return outcome;
            };
            let end = value_at + end;
            if !self.count_within_checkpoint(end) {
                return Simple::Other;
            }
            let value = &bytes[value_at..end];
            let rest = self.skip_terminator(bytes, end);
            *input = rest;
            if field == Field::Comment {
                if !self.config.comments {
                    continue;
                }
                if UNSEEN && self.data.is_empty() {
                    // A heartbeat: with no data, its blank line dispatches
                    // nothing.
                    if let Some(after) = self.skip_blank_line(rest) {
                        *input = after;
                        let nothing = self.dispatch();
                        debug_assert!(nothing.is_none());
                    }
                }
                return Simple::Comment(value);
            }
            if self.data.is_empty() {
                if let Some(after) = self.skip_blank_line(rest) {
                    // A one-line event wholly inside the chunk: hand it
                    // out borrowed, copying nothing.
                    *input = after;
                    self.end_block();
                    return Simple::Event(value);
                }
            }
            self.apply(Field::Data, value);
        }
    }

    /// A line of a known field (its name `name_len` bytes, then its colon),
    /// `bytes`, that the end of the chunk cuts: its name is whole, so what
    /// there is goes straight to its value, and no byte of it is searched
    /// twice. It happens once per chunk at most.
    #[inline]
    fn cut_line(&mut self, bytes: &[u8], field: Field, name_len: usize) -> Result<(), ParseError> {
        let ignored = field == Field::Comment && !self.config.comments;
        self.line = if ignored {
            Line::Ignored
        } else {
            // Any byte past the colon settles the leading space.
            let fresh = bytes.len() == name_len + 1;
            Line::value(field, fresh)
        };
        // (`count` turns the line `Ignored` on error.)
        self.count(bytes.len())?;
        let value = bytes
            .get(value_start(bytes, name_len)..)
            .unwrap_or_default();
        match field {
            Field::Data => append(&mut self.data, value),
            _ if ignored => {}
            _ => self.value.extend_from_slice(value),
        }
        Ok(())
    }

    /// [`Self::cut_line`] for [`Self::simple_frame`], out of line so that
    /// it does not weigh on whole lines, once [`find_short_line_end`] found
    /// no line end in `input`: unless the line is longer than that search
    /// ([`Self::long_simple_line`]). A data line (the one small chunks cut
    /// at every event) takes a shorter way: its value starts at `value_at`,
    /// already found. (Going through `cut_line` instead costs 2% more
    /// instructions on 16-byte chunks.) Returns what is left of `bytes`
    /// (by value: passing the caller's cursor by address would keep it out
    /// of registers).
    #[inline(never)]
    fn cut_simple_line<'c>(
        &mut self,
        bytes: &'c [u8],
        field: Field,
        name_len: usize,
        value_at: usize,
    ) -> (Simple<'c>, &'c [u8]) {
        if bytes.len() > value_at + LONG_LINE {
            let mut input = bytes;
            let outcome = self.long_simple_line(&mut input, field, value_at);
            return (outcome, input);
        }
        let cut = if field == Field::Data {
            // Any byte past the colon settles the leading space.
            self.line = Line::value(field, bytes.len() == DATA_NAME.len());
            self.count(bytes.len()).map(|()| {
                append(&mut self.data, bytes.get(value_at..).unwrap_or_default());
            })
        } else {
            self.cut_line(bytes, field, name_len)
        };
        let outcome = match cut {
            Ok(()) => Simple::Done,
            Err(error) => Simple::Error(error),
        };
        (outcome, &[])
    }

    /// A line of [`Self::simple_frame`] longer than its first search (its
    /// value from `value_at`), which may yet end in `input`. A data line is
    /// searched on from there and, if chunks have cut long lines lately
    /// ([`Self::may_take_text`]), copied into `data_text` as it is
    /// searched; a comment is left to [`Self::advance`]. A data line that
    /// ends in the chunk is taken as `simple_frame` takes one: then a
    /// borrowed one-line event, or else [`Simple::Other`] for the general
    /// path to go on from the next line (unlike elsewhere, after this line
    /// is consumed: rare enough that `simple_frame` need not loop back).
    #[inline(never)]
    fn long_simple_line<'c>(
        &mut self,
        input: &mut &'c [u8],
        field: Field,
        value_at: usize,
    ) -> Simple<'c> {
        let bytes: &'c [u8] = input;
        let value = &bytes[value_at..];
        if field != Field::Data {
            return Simple::Other;
        }
        let (taken, end) = if self.may_take_text(bytes.len()) {
            let text = &mut self.data_text;
            // Room for what the chunk may hold of it, at once.
            text.reserve(value.len());
            find_long_line_end_taking(value, |bytes| take_text(text, aligned_start(bytes)))
        } else {
            (0, find_long_line_end(value))
        };
        let Some(end) = end else {
            // Cut: a line that long makes the next long line copied as it
            // is searched. (It may be longer than it looks, so a short
            // part does not tell the opposite.)
            self.long_lines |= value.len() >= LONG_DATA;
            *input = &[];
            self.line = Line::Data;
            return match self.count(bytes.len()) {
                Ok(()) => {
                    self.append_data(&value[taken..]);
                    Simple::Done
                }
                Err(error) => Simple::Error(error),
            };
        };
        if !self.count_within_checkpoint(value_at + end) {
            // Left to the general path, uncopied. (At the start of a line,
            // `data_text` holds only this line's.)
            self.data_text.clear();
            return Simple::Other;
        }
        let value = &value[..end];
        self.long_lines = value.len() >= LONG_DATA;
        let rest = self.skip_terminator(bytes, value_at + end);
        *input = rest;
        if taken > 0 {
            // Copied as searched: the event is buffered.
            self.append_data(&value[taken..]);
            self.data.push(b'\n');
            return Simple::Other;
        }
        if self.data.is_empty() {
            if let Some(after) = self.skip_blank_line(rest) {
                *input = after;
                self.end_block();
                return Simple::Event(value);
            }
        }
        self.apply(Field::Data, value);
        Simple::Other
    }

    /// If `cut`, the rest of the chunk, is the start of a data line's name
    /// that the end of the chunk cuts (`d` to `data`), keeps it as the name
    /// so far, for [`Self::resume_data_value`] to finish ([`Simple::Done`]:
    /// `cut` is used up); any other line starting with `d` is
    /// [`Simple::Other`].
    #[inline(never)]
    fn cut_data_name<'c>(&mut self, cut: &[u8]) -> Simple<'c> {
        if !starts_data_name(cut) || !self.count_within_checkpoint(cut.len()) {
            return Simple::Other;
        }
        let mut bytes = [0; MAX_NAME];
        bytes[..cut.len()].copy_from_slice(cut);
        self.line = Line::Name {
            bytes,
            len: cut.len() as u8,
        };
        Simple::Done
    }

    /// Whether the parser is in the middle of a data line's value with
    /// nothing lent ([`Self::in_data_value`]), once what the last chunk cut
    /// of the line's `data: ` (its name, colon or space) is finished from
    /// `input`: small chunks cut it often. Changes nothing if not.
    #[inline(always)]
    fn resume_data_value(&mut self, input: &mut &[u8]) -> bool {
        if self.lent != Lent::Nothing {
            return false;
        }
        let name_rest = match self.line {
            Line::Data => return true,
            Line::Value {
                field: Field::Data,
                fresh: true,
            } => 0,
            Line::Name { bytes, len } => {
                let name = &bytes[..usize::from(len)];
                let rest = DATA_NAME.len() - name.len();
                match input.get(..rest) {
                    Some(rest) if name.iter().chain(rest).eq(DATA_NAME) => rest.len(),
                    _ => return false,
                }
            }
            _ => return false,
        };
        // The first byte of the value settles its leading space.
        let Some(&first) = input.get(name_rest) else {
            return false;
        };
        let taken = name_rest + usize::from(first == b' ');
        if !self.count_within_checkpoint(taken) {
            return false;
        }
        *input = &input[taken..];
        self.line = Line::Data;
        true
    }

    /// A whole `event`, `id` or `retry` line for [`Self::simple_frame`]:
    /// `None` once applied with nothing to hand out, [`Simple::Other`] for
    /// any other line (before consuming it).
    #[inline(always)]
    fn named_line<'c>(&mut self, input: &mut &'c [u8]) -> Option<Simple<'c>> {
        let bytes: &'c [u8] = input;
        let Some((field @ (Field::Event | Field::Id | Field::Retry), name_len)) =
            self.known_field(bytes)
        else {
            return Some(Simple::Other);
        };
        let value_at = value_start(bytes, name_len);
        let Some(end) = bytes.get(value_at..).and_then(find_line_end_inline) else {
            return Some(Simple::Other);
        };
        let end = value_at + end;
        if !self.count_within_checkpoint(end) {
            return Some(Simple::Other);
        }
        *input = self.skip_terminator(bytes, end);
        match self.apply(field, &bytes[value_at..end])? {
            Ready::Retry(ms) => Some(Simple::Retry(ms)),
            Ready::Event(_) | Ready::Comment(_) => None,
        }
    }

    /// Clears the buffers the last frame borrowed.
    #[inline(always)]
    fn release_lent(&mut self) {
        match self.lent {
            // Most frames lend nothing: then there is no store.
            Lent::Nothing => return,
            Lent::Data => {
                self.data.clear();
                self.data_text.clear();
            }
            Lent::Comment => self.value.clear(),
        }
        self.lent = Lent::Nothing;
    }

    // Inlined, with `start_line` and `continue_line`, into each of its two
    // callers (`feed_general`, `next_general`): the calls cost 5-10% on
    // small events.
    #[inline(always)]
    fn advance<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        self.release_lent();
        if let Bom::Expected(_) = self.bom {
            self.skip_bom(input)?;
        }
        while let Some(&first) = input.first() {
            if mem::take(&mut self.after_cr) && first == b'\n' {
                *input = &input[1..];
                continue;
            }
            let ready = match self.line {
                Line::Start => self.start_line(input)?,
                _ => self.continue_line(input)?,
            };
            if ready.is_some() {
                return Ok(ready);
            }
        }
        Ok(None)
    }

    /// Drops a leading U+FEFF, however it is split; replays a partial match
    /// that turns out not to be one.
    fn skip_bom(&mut self, input: &mut &[u8]) -> Result<(), ParseError> {
        let Bom::Expected(mut matched) = self.bom else {
            return Ok(());
        };
        while usize::from(matched) < BOM.len() {
            match input.first() {
                None => {
                    self.bom = Bom::Expected(matched);
                    return Ok(());
                }
                Some(&b) if b == BOM[usize::from(matched)] => {
                    matched += 1;
                    *input = &input[1..];
                }
                Some(_) => {
                    self.bom = Bom::Done;
                    // The bytes matched so far hold no line end: they start
                    // the first line.
                    return self.extend_line(&BOM[..usize::from(matched)]);
                }
            }
        }
        self.bom = Bom::Done;
        Ok(())
    }

    /// At the start of a line, with `input` not empty.
    #[inline(always)]
    fn start_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        let bytes: &'c [u8] = input;
        if let Some(rest) = self.skip_blank_line(bytes) {
            // Every block ends with one: no need to scan for it.
            *input = rest;
            return Ok(self.dispatch());
        }
        if self.skipping {
            return self.skip_line(input);
        }
        let Some((field, name_len)) = self.known_field(bytes) else {
            return self.other_line(input);
        };
        let value_at = value_start(bytes, name_len);
        let Some(end) = bytes.get(value_at..).and_then(find_line_end) else {
            *input = &[];
            self.cut_line(bytes, field, name_len)?;
            return Ok(None);
        };
        let end = value_at + end;
        *input = self.skip_terminator(bytes, end);
        self.count(end)?;
        let value = &bytes[value_at..end];
        match field {
            Field::Data if self.data.is_empty() => {
                if let Some(rest) = self.skip_blank_line(input) {
                    // A one-line event wholly inside the chunk: hand it
                    // out borrowed, copying nothing.
                    *input = rest;
                    self.end_block();
                    return Ok(Some(Ready::Event(Some(value))));
                }
                Ok(self.apply(field, value))
            }
            Field::Comment => Ok(Some(Ready::Comment(Some(value)))),
            _ => Ok(self.apply(field, value)),
        }
    }

    /// The field a line starts with if its name and colon are there, and
    /// the name's length: settles nearly every line from its first bytes.
    #[inline(always)]
    fn known_field(&self, bytes: &[u8]) -> Option<(Field, usize)> {
        // One branch on the first byte, then one compare of a fixed name.
        match bytes.first()? {
            b'd' if bytes.starts_with(b"data:") => Some((Field::Data, 4)),
            b':' if self.config.comments => Some((Field::Comment, 0)),
            b'i' if bytes.starts_with(b"id:") => Some((Field::Id, 2)),
            b'e' if bytes.starts_with(b"event:") => Some((Field::Event, 5)),
            b'r' if bytes.starts_with(b"retry:") => Some((Field::Retry, 5)),
            _ => None,
        }
    }

    /// A line ignored because its event went over the limit.
    #[cold]
    fn skip_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        let bytes: &'c [u8] = input;
        match find_line_end(bytes) {
            Some(end) => *input = self.skip_terminator(bytes, end),
            None => {
                *input = &[];
                self.line = Line::Ignored;
            }
        }
        Ok(None)
    }

    /// Any other non-blank line: a comment when comments are off, a field
    /// we ignore, or a name without a colon (`data` alone is a field).
    #[inline(never)]
    fn other_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        let bytes: &'c [u8] = input;
        let Some(end) = find_line_end(bytes) else {
            *input = &[];
            self.extend_line(bytes)?;
            return Ok(None);
        };
        *input = self.skip_terminator(bytes, end);
        let line = &bytes[..end];
        self.count(line.len())?;
        let Some((field, value)) = self.split_field(line) else {
            return Ok(None);
        };
        Ok(match field {
            Field::Comment => Some(Ready::Comment(Some(value))),
            _ => self.apply(field, value),
        })
    }

    /// In the middle of a line, with `input` not empty.
    #[inline(always)]
    fn continue_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        if self.in_data_value() {
            return self.continue_data(input).map(|()| None);
        }
        if self.line == Line::Text {
            return self.continue_text(input).map(|()| None);
        }
        let bytes: &'c [u8] = input;
        let end = find_line_end(bytes);
        let piece = &bytes[..end.unwrap_or(bytes.len())];
        *input = match end {
            Some(end) => self.skip_terminator(bytes, end),
            None => &[],
        };
        let extended = self.extend_line(piece);
        if end.is_none() {
            return extended.map(|()| None);
        }
        let line = mem::replace(&mut self.line, Line::Start);
        extended?;
        Ok(self.end_line(line))
    }

    /// Whether the parser is in the middle of a data line's value: small
    /// chunks cut long data lines, and then whole chunks are only appended
    /// to the data buffer ([`Self::continue_data`]). Nothing is lent then:
    /// a frame is only made at the end of a line.
    #[inline(always)]
    fn in_data_value(&self) -> bool {
        debug_assert!(self.line != Line::Data || self.lent == Lent::Nothing);
        self.line == Line::Data
    }

    /// In the middle of a data line's value ([`Self::in_data_value`]):
    /// appends `input` up to the line end straight to the data buffer.
    /// What small chunks bring is done here (inlined into each caller);
    /// anything longer, in [`Self::continue_long_data`].
    #[inline(always)]
    fn continue_data(&mut self, input: &mut &[u8]) -> Result<(), ParseError> {
        match scan_head(input) {
            Head::LineEnd(head, at)
                if self.data.capacity() - self.data.len() >= head.len()
                    && self.count_within_checkpoint(at) =>
            {
                // The line ends in the first 16 bytes, as small chunks have
                // it at every event: they are copied as one vector and cut
                // back to the line and its terminator, which becomes the
                // data's LF. A call to `memcpy` would cost more. (Only into
                // room there is: the bytes past the line must not make the
                // buffer grow.)
                let start = self.data.len();
                self.data.extend_from_slice(head);
                self.data.truncate(start + at + 1);
                if let Some(terminator) = self.data.last_mut() {
                    *terminator = b'\n';
                }
                self.line = Line::Start;
                *input = self.skip_terminator(input, at);
                Ok(())
            }
            Head::LineEnd(_, at) => self.append_continued(input, Some(at), None),
            // 16 bytes with no line end, all the chunk holds, are taken in
            // one vector step, with no call to search or to copy them.
            Head::Clean(head)
                if input.len() == head.len() && self.count_within_checkpoint(head.len()) =>
            {
                self.data.extend_from_slice(head);
                *input = &[];
                Ok(())
            }
            Head::Clean(_) | Head::Short => {
                // The rest is passed by value, not by address: that would
                // keep the caller's cursor out of registers.
                let rest;
                (rest, *input) = self.continue_long_data(input);
                rest
            }
        }
    }

    /// [`Self::continue_data`] beyond the first 16 bytes, out of line.
    /// Returns what it did and what is left of `input`.
    #[inline(never)]
    fn continue_long_data<'c>(
        &mut self,
        mut input: &'c [u8],
    ) -> (Result<(), ParseError>, &'c [u8]) {
        let chunk_len = input.len();
        let end = find_line_end(input);
        let result = self.append_continued(&mut input, end, None);
        if self.event_len >= LONG_DATA && chunk_len >= LONG_DATA {
            // A line this long goes on across chunks this long: copy the
            // next long one as it is searched. (A smaller chunk is copied
            // while it is still in cache anyway.)
            self.long_lines = true;
        }
        (result, input)
    }

    /// Appends `input` up to the line end at `end` (if any) to the event's
    /// data, and consumes it: to the data buffer, or, given how many of its
    /// bytes are in `data_text` already (`taken`), the rest as
    /// [`Self::append_data`] does.
    #[inline(always)]
    fn append_continued(
        &mut self,
        input: &mut &[u8],
        end: Option<usize>,
        taken: Option<usize>,
    ) -> Result<(), ParseError> {
        let bytes = *input;
        let piece = &bytes[..end.unwrap_or(bytes.len())];
        *input = match end {
            Some(end) => self.skip_terminator(bytes, end),
            None => &[],
        };
        if end.is_some() {
            self.line = Line::Start;
        }
        // (On error, `count` turns a line that goes on `Ignored`.)
        self.count(piece.len())?;
        match taken {
            Some(taken) => self.append_data(piece.get(taken..).unwrap_or_default()),
            None => append(&mut self.data, piece),
        }
        if end.is_some() {
            self.data.push(b'\n');
        }
        Ok(())
    }

    /// In the middle of a data line's value that goes into `data_text`
    /// ([`Line::Text`]): appends `input` up to the line end there, copied
    /// as it is searched, while it is valid UTF-8.
    #[inline(never)]
    fn continue_text(&mut self, input: &mut &[u8]) -> Result<(), ParseError> {
        let bytes = *input;
        let (taken, end) = if self.may_take_text(bytes.len()) {
            let text = &mut self.data_text;
            find_line_end_taking(bytes, |bytes| take_text(text, aligned_start(bytes)))
        } else {
            (0, find_line_end(bytes))
        };
        self.append_continued(input, end, Some(taken))
    }

    /// Whether a data line of up to `len` bytes may be copied into
    /// `data_text` as it is searched, before it is counted: if chunks cut
    /// long lines lately, the data so far is all there (`data` is empty),
    /// and the line cannot take the
    /// event past the limit (which must drop it, not copy it).
    #[inline(always)]
    fn may_take_text(&self, len: usize) -> bool {
        self.long_lines
            && self.data.is_empty()
            && self
                .config
                .max_event_size
                .map_or(true, |limit| self.event_len.saturating_add(len) <= limit)
    }

    /// Appends part of a data line's value to the event's data: to
    /// `data_text` as far as it is valid UTF-8 while the data so far is all
    /// there, else to the data buffer.
    fn append_data(&mut self, bytes: &[u8]) {
        let taken = if self.data.is_empty() && !self.data_text.is_empty() {
            take_text(&mut self.data_text, bytes).unwrap_or(0)
        } else {
            0
        };
        append(&mut self.data, bytes.get(taken..).unwrap_or_default());
        if let Line::Data | Line::Text = self.line {
            // Where the rest of the line goes.
            self.line = if self.data.is_empty() && !self.data_text.is_empty() {
                Line::Text
            } else {
                Line::Data
            };
        }
    }

    /// Returns what follows the line terminator at `bytes[end]`; a CR that
    /// is the last byte sets `after_cr`.
    #[inline(always)]
    fn skip_terminator<'c>(&mut self, bytes: &'c [u8], end: usize) -> &'c [u8] {
        let rest = &bytes[end + 1..];
        if bytes[end] == b'\r' {
            match rest.first() {
                Some(b'\n') => return &rest[1..],
                None => self.after_cr = true,
                Some(_) => {}
            }
        }
        rest
    }

    /// If `input` starts with a blank line, returns what follows it.
    #[inline(always)]
    fn skip_blank_line<'c>(&mut self, input: &'c [u8]) -> Option<&'c [u8]> {
        match input.first() {
            Some(b'\n' | b'\r') => Some(self.skip_terminator(input, 0)),
            _ => None,
        }
    }

    /// [`Self::count`] for [`Self::simple_frame`]: counts `len` bytes of a
    /// whole line if the event stays within the checkpoint, and otherwise
    /// changes nothing, so that the general path takes the line (and what
    /// crossing the checkpoint calls for). No call, so the hot loop keeps
    /// its registers.
    #[inline(always)]
    fn count_within_checkpoint(&mut self, len: usize) -> bool {
        match self.event_len.checked_add(len) {
            Some(event_len) if event_len <= self.checkpoint => {
                self.event_len = event_len;
                true
            }
            _ => false,
        }
    }

    /// Adds `len` bytes of line to the event; past the limit, drops it.
    #[inline(always)]
    fn count(&mut self, len: usize) -> Result<(), ParseError> {
        self.event_len = self.event_len.saturating_add(len);
        if self.event_len > self.checkpoint {
            return self.past_checkpoint(len);
        }
        Ok(())
    }

    /// The event went past the limit (drop it), or past [`RETAIN`], or
    /// trims are pending after such an event and this line of `len` bytes
    /// is counted.
    ///
    /// The buffers of an event past `RETAIN` may have grown as much; they
    /// are trimmed at the first line of each of the next two blocks: by the
    /// first, the event's frame has been taken; by the second, an ID that
    /// the block after it replaced has been swapped out of the last event
    /// ID (see `commit_id`).
    #[cold]
    #[inline(never)]
    fn past_checkpoint(&mut self, len: usize) -> Result<(), ParseError> {
        if let Some(limit) = self.config.max_event_size {
            if self.event_len > limit {
                return Err(self.drop_event(limit));
            }
        }
        if self.event_len > RETAIN {
            self.trims_pending = 2;
            self.checkpoint = 0;
        } else if self.event_len == len && self.trims_pending > 0 {
            // The first line of a block.
            self.trim_buffers();
            self.trims_pending -= 1;
            if self.trims_pending == 0 {
                self.checkpoint = first_checkpoint(&self.config);
            }
        }
        Ok(())
    }

    /// Gives back what each buffer holds beyond [`RETAIN`] bytes: one huge
    /// event must not leave the parser holding its size in every buffer it
    /// touched for the rest of the stream. Called with nothing lent, so the
    /// decoded text of past frames is stale: emptied, not kept. What the
    /// event in progress uses is kept (`shrink_to` keeps the contents).
    fn trim_buffers(&mut self) {
        fn empty(text: &mut String) {
            if text.capacity() > RETAIN {
                text.clear();
                text.shrink_to(RETAIN);
            }
        }
        empty(&mut self.lossy_data);
        // Memos: a huge value is not worth remembering.
        empty(&mut self.event_type_text);
        empty(&mut self.comment_text);
        if !self.id_pending {
            // Stale: see `commit_id`.
            empty(&mut self.id_buffer);
        }
        self.id_buffer.shrink_to(RETAIN);
        self.last_event_id.shrink_to(RETAIN);
        self.data.shrink_to(RETAIN);
        self.data_text.shrink_to(RETAIN);
        self.event_type.shrink_to(RETAIN);
        self.value.shrink_to(RETAIN);
    }

    /// The event went over `limit`: drops what it buffered and ignores its
    /// lines up to the next blank line.
    #[cold]
    #[inline(never)]
    fn drop_event(&mut self, limit: usize) -> ParseError {
        self.data.clear();
        self.data_text.clear();
        self.event_type.clear();
        self.value.clear();
        self.event_len = 0;
        self.skipping = true;
        if self.line != Line::Start {
            self.line = Line::Ignored;
        }
        ParseError::EventTooLarge { limit }
    }

    /// Splits a whole, non-empty line into a field we act on and its value:
    /// the general split, for the lines [`Self::known_field`] does not
    /// settle (no colon, an unknown name, a comment when comments are off).
    #[inline]
    fn split_field<'l>(&self, line: &'l [u8]) -> Option<(Field, &'l [u8])> {
        let head = &line[..line.len().min(MAX_NAME + 1)];
        let (name, value) = match head.iter().position(|&b| b == b':') {
            Some(colon) => (&line[..colon], strip_space(&line[colon + 1..])),
            None if line.len() <= MAX_NAME => (line, &[][..]),
            None => return None,
        };
        Some((self.field_named(name)?, value))
    }

    fn field_named(&self, name: &[u8]) -> Option<Field> {
        match name {
            b"data" => Some(Field::Data),
            b"event" => Some(Field::Event),
            b"id" => Some(Field::Id),
            b"retry" => Some(Field::Retry),
            b"" if self.config.comments => Some(Field::Comment),
            _ => None,
        }
    }

    /// Appends `piece` (no line end in it) to the incomplete line.
    fn extend_line(&mut self, piece: &[u8]) -> Result<(), ParseError> {
        if self.skipping {
            self.line = Line::Ignored;
            return Ok(());
        }
        if self.line == Line::Start {
            self.line = Line::Name {
                bytes: [0; MAX_NAME],
                len: 0,
            };
        }
        self.count(piece.len())?;
        let mut piece = piece;
        if let Line::Name { mut bytes, len } = self.line {
            let len = usize::from(len);
            let room = MAX_NAME + 1 - len;
            match piece.iter().take(room).position(|&b| b == b':') {
                Some(colon) => {
                    let name_end = len + colon;
                    bytes[len..name_end].copy_from_slice(&piece[..colon]);
                    self.line = match self.field_named(&bytes[..name_end]) {
                        Some(field) => Line::value(field, true),
                        None => Line::Ignored,
                    };
                    piece = &piece[colon + 1..];
                }
                None if len + piece.len() <= MAX_NAME => {
                    bytes[len..len + piece.len()].copy_from_slice(piece);
                    self.line = Line::Name {
                        bytes,
                        len: (len + piece.len()) as u8,
                    };
                    return Ok(());
                }
                None => self.line = Line::Ignored,
            }
        }
        self.append_value(piece);
        Ok(())
    }

    /// Appends `piece` to the value of the incomplete line, if it has one
    /// we keep.
    fn append_value(&mut self, mut piece: &[u8]) {
        let field = match self.line {
            Line::Data | Line::Text => Field::Data,
            Line::Value { field, fresh } => {
                if fresh && !piece.is_empty() {
                    piece = strip_space(piece);
                    self.line = Line::value(field, false);
                }
                field
            }
            Line::Start | Line::Name { .. } | Line::Ignored => return,
        };
        match field {
            Field::Data => append(&mut self.data, piece),
            _ => self.value.extend_from_slice(piece),
        }
    }

    /// The incomplete line `line` just ended.
    fn end_line<'c>(&mut self, line: Line) -> Option<Ready<'c>> {
        match line {
            // No colon: the whole line is the field name, the value is empty.
            Line::Name { bytes, len } => {
                let field = self.field_named(&bytes[..usize::from(len)])?;
                self.apply(field, &[])
            }
            // Data went straight into the data buffer; it only needs its LF.
            Line::Data
            | Line::Text
            | Line::Value {
                field: Field::Data, ..
            } => self.apply(Field::Data, &[]),
            Line::Value {
                field: Field::Comment,
                ..
            } => {
                self.lent = Lent::Comment;
                Some(Ready::Comment(None))
            }
            Line::Value { field, .. } => {
                let value = mem::take(&mut self.value);
                let ready = self.apply(field, &value);
                self.value = value;
                self.value.clear();
                ready
            }
            Line::Start | Line::Ignored => None,
        }
    }

    /// Processes a field, as "Interpreting an event stream" says. Comments
    /// are the caller's: they become a frame wherever their text is.
    #[inline(always)]
    fn apply(&mut self, field: Field, value: &[u8]) -> Option<Ready<'static>> {
        match field {
            // "Append the field value to the data buffer, then append a
            // single U+000A LINE FEED (LF) character to the data buffer."
            Field::Data => {
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
            }
            // "Set the event type buffer to the field value."
            Field::Event => {
                self.event_type.clear();
                self.event_type.extend_from_slice(value);
            }
            // "If the field value does not contain U+0000 NULL, then set the
            // last event ID buffer to the field value."
            Field::Id => {
                if value.iter().all(|&b| matches!(b, 1..=0x7f)) {
                    // ASCII without NUL (IDs nearly always are): each byte
                    // is its own char (the mask tells the compiler each is
                    // one byte of UTF-8), so nothing needs validating.
                    self.id_buffer.clear();
                    self.id_buffer
                        .extend(value.iter().map(|&b| char::from(b & 0x7f)));
                    self.id_pending = true;
                } else if !value.contains(&0) {
                    self.id_buffer.clear();
                    push_lossy(&mut self.id_buffer, value);
                    self.id_pending = true;
                }
            }
            // "If the field value consists of only ASCII digits, then
            // interpret the field value as an integer in base ten, and set
            // the event stream's reconnection time to that integer."
            Field::Retry => {
                let ms = parse_retry(value)?;
                self.reconnection_time = Some(ms);
                return Some(Ready::Retry(ms));
            }
            Field::Comment => {}
        }
        None
    }

    /// A blank line: "dispatch the event".
    fn dispatch<'c>(&mut self) -> Option<Ready<'c>> {
        self.end_block();
        // "If the data buffer is an empty string, set the data buffer and the
        // event type buffer to the empty string and return."
        debug_assert!(!self.data.is_empty() || self.data_text.is_empty());
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        // "If the data buffer's last character is a U+000A LINE FEED (LF)
        // character, then remove the last character from the data buffer."
        self.data.pop();
        self.lent = Lent::Data;
        Some(Ready::Event(None))
    }

    /// What every blank line does before any event is built: commit the ID,
    /// and start counting (and no longer skipping) a new block.
    #[inline]
    fn end_block(&mut self) {
        self.commit_id();
        self.event_len = 0;
        self.skipping = false;
    }

    /// "Set the last event ID string of the event source to the value of the
    /// last event ID buffer."
    fn commit_id(&mut self) {
        // Tested before it is reset, so that most blank lines store nothing.
        if self.id_pending {
            self.id_pending = false;
            // A swap, not a copy: the buffer's old contents are never read,
            // because it is only committed again after an `id` field has
            // overwritten it (`id_pending`), and `finish` resets it.
            mem::swap(&mut self.last_event_id, &mut self.id_buffer);
        }
    }

    /// Builds the frame `ready` describes, decoding UTF-8 once. `validated`
    /// may already know a borrowed value as text (see [`ChunkText`]).
    fn frame<'p, 'c: 'p>(
        &'p mut self,
        ready: Ready<'c>,
        mut validated: impl FnMut(&'c [u8]) -> Option<&'c str>,
    ) -> Frame<'p> {
        match ready {
            Ready::Event(borrowed) => {
                let data = match borrowed.and_then(&mut validated) {
                    Some(data) => data,
                    None if borrowed.is_none() && !self.data_text.is_empty() => {
                        append_decoded(&mut self.data_text, &self.data)
                    }
                    None => text(
                        borrowed.unwrap_or(self.data.as_slice()),
                        &mut self.lossy_data,
                    ),
                };
                // The event type buffer is reset here, once read, so the
                // frame lends it out of the memo and not out of the buffer.
                let event_type = if self.event_type.is_empty() {
                    DEFAULT_EVENT_TYPE
                } else {
                    let text = remembered(&self.event_type, &mut self.event_type_text);
                    self.event_type.clear();
                    text
                };
                Frame::Event(Event {
                    event_type,
                    data,
                    id: &self.last_event_id,
                })
            }
            Ready::Retry(ms) => Frame::Retry(Duration::from_millis(ms)),
            Ready::Comment(borrowed) => Frame::Comment(match borrowed.and_then(validated) {
                Some(comment) => comment,
                None => remembered(
                    borrowed.unwrap_or(self.value.as_slice()),
                    &mut self.comment_text,
                ),
            }),
        }
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

/// Appends `bytes` to `buffer` in pieces of at most [`COPY_PIECE`] bytes.
///
/// One long copy is slower than pieces on some machines: from 4 KiB up,
/// glibc's `memcpy` uses `rep movsb`, which AMD Zen cores run at about a
/// twentieth of their speed when the destination lies a few bytes past
/// the source modulo 4 KiB. A data line split across chunks lands there
/// for some events and not others (measured on this project's `large`
/// workload). Shorter pieces keep `memcpy`'s vector loop, as fast
/// everywhere.
#[inline(always)]
fn append(buffer: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() <= COPY_PIECE {
        buffer.extend_from_slice(bytes);
    } else {
        buffer.reserve(bytes.len());
        for piece in bytes.chunks(COPY_PIECE) {
            buffer.extend_from_slice(piece);
        }
    }
}

/// See [`append`].
const COPY_PIECE: usize = 2048;

/// Data lines this long are copied as they are searched, when the last
/// long one was too (see `long_lines`): long enough that chunks of the
/// usual sizes cut most of them.
const LONG_DATA: usize = 32 * 1024;

/// Appends to `text` the longest start of `bytes` that ends a character,
/// if it is valid UTF-8: the number of bytes taken, or `None` (nothing
/// taken) if they are not valid. The bytes of a character cut at the end
/// are left for the next call. (Copying data while it is in cache and
/// validating it then spares a pass over the whole event at dispatch.)
fn take_text(text: &mut String, bytes: &[u8]) -> Option<usize> {
    let whole = bytes.len() - cut_character_len(bytes);
    let valid = core::str::from_utf8(bytes.get(..whole)?).ok()?;
    text.push_str(valid);
    Some(whole)
}

/// The start of `bytes` that ends at an address that is a multiple of 16
/// (all of them if there are fewer). `from_utf8` validates 16 bytes per
/// step from an aligned address, and byte by byte before and after: so
/// when each piece ends so aligned, the next starts so, and only the first
/// and last pieces of a line have such bytes.
fn aligned_start(bytes: &[u8]) -> &[u8] {
    let end = (bytes.as_ptr() as usize).wrapping_add(bytes.len());
    let past = end % 16;
    match bytes.len().checked_sub(past) {
        Some(0) | None => bytes,
        Some(len) => &bytes[..len],
    }
}

/// How many bytes at the end of `bytes` start a character they do not
/// finish: up to 3. (Only a well-formed start counts; `from_utf8` judges
/// the rest.)
fn cut_character_len(bytes: &[u8]) -> usize {
    for (back, &b) in bytes.iter().rev().take(3).enumerate() {
        if b & 0xc0 != 0x80 {
            // The last character starts here, `back + 1` bytes from the end.
            let len = match b {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            return if len > back + 1 { back + 1 } else { 0 };
        }
    }
    0
}

/// The data of a buffered event whose data starts in `data_text`, as text:
/// the data buffer decoded and appended to it. (`data_text` ends with a
/// whole character, so decoding the rest on its own decodes it as decoding
/// the whole would.)
#[cold]
#[inline(never)]
fn append_decoded<'a>(data_text: &'a mut String, data: &[u8]) -> &'a str {
    match core::str::from_utf8(data) {
        Ok(rest) => data_text.push_str(rest),
        Err(_) => push_lossy(data_text, data),
    }
    data_text
}

/// What each buffer keeps for reuse after an event larger than this: 1 MiB.
/// Events up to it reuse their buffers with no allocation; a bigger one
/// (a multi-megabyte image) allocates once, which its copy dwarfs.
const RETAIN: usize = 1 << 20;

/// Where [`Parser::count`] first takes its slow path in an event: at the
/// limit, or at [`RETAIN`] if that comes first.
fn first_checkpoint(config: &Config) -> usize {
    config
        .max_event_size
        .map_or(RETAIN, |limit| limit.min(RETAIN))
}

/// Values up to this long are validated by [`text`]'s short path.
const SHORT_TEXT: usize = 32;

/// Views `bytes` as text, as [`decode`] does, faster for short values.
///
/// Validating UTF-8 is the largest cost of a small event, and most of it is
/// `from_utf8`'s set-up for its word-at-a-time loop. `utf8_chunks` has none:
/// its first chunk is all of `bytes` when they are valid.
#[inline]
fn text<'a>(bytes: &'a [u8], scratch: &'a mut String) -> &'a str {
    if bytes.len() <= SHORT_TEXT {
        match bytes.utf8_chunks().next() {
            None => return "",
            Some(chunk) if chunk.valid().len() == bytes.len() => return chunk.valid(),
            Some(_) => {}
        }
    }
    decode(bytes, scratch)
}

/// Views `bytes` as text through `memo`, which holds the last value seen:
/// a repeat is a compare, not a validation. (Invalid UTF-8 never matches
/// its decoded memo, so it is decoded every time, correctly.) Not inlined:
/// it would crowd the common path of events without a type.
#[inline(never)]
fn remembered<'a>(bytes: &[u8], memo: &'a mut String) -> &'a str {
    if memo.as_bytes() != bytes {
        memo.clear();
        match core::str::from_utf8(bytes) {
            Ok(valid) => memo.push_str(valid),
            Err(_) => push_lossy(memo, bytes),
        }
    }
    memo
}

/// Whether `bytes`, all a chunk has left, start a data line's name and
/// colon without finishing them (`d` to `data`). (No `memcmp` call, which
/// `DATA_NAME.starts_with` makes.)
#[inline(always)]
fn starts_data_name(bytes: &[u8]) -> bool {
    bytes.len() < DATA_NAME.len() && bytes.iter().zip(DATA_NAME).all(|(b, d)| b == d)
}

/// Where the value of a line that starts with a known name of `name_len`
/// bytes and its colon begins: after the colon and at most one space.
/// (Neither is a line end, so the search for one can start there.)
#[inline(always)]
fn value_start(line: &[u8], name_len: usize) -> usize {
    let after_colon = name_len + 1;
    after_colon + usize::from(line.get(after_colon) == Some(&b' '))
}

/// "If value starts with a U+0020 SPACE character, remove it from value."
fn strip_space(value: &[u8]) -> &[u8] {
    value.strip_prefix(b" ").unwrap_or(value)
}

/// A `retry` value: only ASCII digits, at least one, fitting in `u64`.
fn parse_retry(value: &[u8]) -> Option<u64> {
    /// More digits than this may not fit; fewer cannot overflow.
    const SAFE_DIGITS: usize = 19;
    if value.is_empty() {
        return None;
    }
    if value.len() <= SAFE_DIGITS {
        let mut ms = 0u64;
        for &b in value {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            ms = ms * 10 + u64::from(digit);
        }
        return Some(ms);
    }
    value.iter().try_fold(0u64, |ms, &b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        ms.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Chunks shorter than this are not validated as a whole: few values lie
/// wholly inside them, so validating each of those is cheaper.
const MIN_CHUNK_TEXT: usize = 256;

/// The valid UTF-8 prefix of a chunk, validated once, when the first value
/// borrowed from the chunk needs it (events whose data is buffered never
/// do), so that each such value is a checked slice of it.
#[derive(Debug, Clone, Copy)]
struct ChunkText<'c> {
    bytes: &'c [u8],
    /// `None` until validated.
    text: Option<&'c str>,
}

impl<'c> ChunkText<'c> {
    fn new(bytes: &'c [u8]) -> Self {
        // A short chunk is never validated: an empty prefix holds nothing.
        let text = (bytes.len() < MIN_CHUNK_TEXT).then_some("");
        Self { bytes, text }
    }

    /// `value`, a part of the chunk, as text, if it lies in the valid
    /// prefix and starts and ends on character boundaries. (An empty
    /// value is `""` wherever it is; anything else outside the chunk is
    /// `None`.) Its place comes from addresses, which safe code may read.
    #[inline(always)]
    fn get(&mut self, value: &[u8]) -> Option<&'c str> {
        let text = self.text.unwrap_or_else(|| self.validate());
        // Wrapping, not checked: a value outside the text gives a start
        // past its end or a start past the end of the range, and `get`
        // answers `None` for both.
        let start = (value.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        text.get(start..start.wrapping_add(value.len()))
    }

    #[inline(never)]
    fn validate(&mut self) -> &'c str {
        let text = match core::str::from_utf8(self.bytes) {
            Ok(text) => text,
            Err(error) => self
                .bytes
                .get(..error.valid_up_to())
                .and_then(|valid| core::str::from_utf8(valid).ok())
                .unwrap_or_default(),
        };
        self.text = Some(text);
        text
    }
}

impl Parser {
    /// The loop of [`Self::try_for_each`] and [`Self::for_each`], out of
    /// line: parses `input` until `f` breaks, then gives what it broke with
    /// and the rest of `input`. `Continue` means `input` is used up.
    #[inline(never)]
    fn for_each_frame<'c, B>(
        &mut self,
        input: &'c [u8],
        mut f: impl FnMut(Result<Frame<'_>, ParseError>) -> ControlFlow<B>,
    ) -> ControlFlow<(B, &'c [u8])> {
        let mut text = ChunkText::new(input);
        // The rest of the chunk lives in a local, in registers: each line's
        // search starts where the last one ended, and a round trip through
        // memory would lengthen that chain.
        let mut rest = input;
        let mut after_simple = false;
        loop {
            let ready = match self.simple_frame::<true>(&mut rest, after_simple) {
                Simple::Event(data) => Ready::Event(Some(data)),
                Simple::Comment(text) => Ready::Comment(Some(text)),
                Simple::Buffered => Ready::Event(None),
                Simple::Retry(ms) => Ready::Retry(ms),
                Simple::Done => return ControlFlow::Continue(()),
                Simple::Error(error) => {
                    if let ControlFlow::Break(stop) = f(Err(error)) {
                        return ControlFlow::Break((stop, rest));
                    }
                    after_simple = false;
                    continue;
                }
                Simple::Other => match self.next_general(&mut rest, &mut text) {
                    Some(item) => {
                        if let ControlFlow::Break(stop) = f(item) {
                            return ControlFlow::Break((stop, rest));
                        }
                        after_simple = false;
                        continue;
                    }
                    None => return ControlFlow::Continue(()),
                },
            };
            let frame = self.frame(ready, |bytes| text.get(bytes));
            if let ControlFlow::Break(stop) = f(Ok(frame)) {
                return ControlFlow::Break((stop, rest));
            }
            after_simple = true;
        }
    }

    /// The general machine for [`Self::for_each_frame`], beyond
    /// [`Self::simple_frame`]. Kept out of line: inlined, its set-up would
    /// weigh on every simple frame (about 10% more instructions per small
    /// event).
    #[inline(never)]
    fn next_general<'p, 'c: 'p>(
        &'p mut self,
        input: &mut &'c [u8],
        text: &mut ChunkText<'c>,
    ) -> Option<Result<Frame<'p>, ParseError>> {
        match self.advance(input) {
            Ok(Some(ready)) => Some(Ok(self.frame(ready, |bytes| text.get(bytes)))),
            Ok(None) => None,
            Err(error) => Some(Err(error)),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_taken_up_to_the_last_whole_character() {
        for text in ["ab", "é", "世", "🌍", "a🌍b世é"] {
            let bytes = text.as_bytes();
            for end in 0..=bytes.len() {
                let whole = (0..=end).rev().find(|&at| text.is_char_boundary(at));
                let mut taken = String::new();
                assert_eq!(
                    take_text(&mut taken, &bytes[..end]),
                    whole,
                    "{text:?} to {end}"
                );
                assert_eq!(Some(taken.as_str()), whole.map(|whole| &text[..whole]));
            }
        }
        // Not a character cut short: invalid, so nothing is taken.
        for bad in [
            &b"a\xFFb"[..],
            b"\xE2\x82a",
            b"ab\x82",
            b"\xF8\x88\x80",
            b"a\xFF",
        ] {
            let mut taken = String::new();
            assert_eq!(take_text(&mut taken, bad), None, "{bad:?}");
            assert!(taken.is_empty());
        }
    }

    #[test]
    fn retry_accepts_only_digits_that_fit() {
        assert_eq!(parse_retry(b"0"), Some(0));
        assert_eq!(parse_retry(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_retry(b"18446744073709551616"), None);
        // The unchecked loop's longest input, and leading zeros past it.
        assert_eq!(
            parse_retry(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_retry(b"0000000000000000000000042"), Some(42));
        assert_eq!(parse_retry(b"99999999999999999999"), None);
        for bad in [
            &b""[..],
            b"+1",
            b"-1",
            b" 1",
            b"1 ",
            b"1.5",
            b"12a",
            b"\xd9\xa1",
        ] {
            assert_eq!(parse_retry(bad), None, "{bad:?}");
        }
    }
}
