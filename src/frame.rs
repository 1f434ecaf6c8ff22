//! Frames: what the parser yields, as borrowed views and as owned values.

use alloc::string::String;
use core::time::Duration;

/// The event type of an event whose stream named none.
///
/// An `event` field names the type of its own block only, and an empty one
/// names none.
///
/// ```
/// use sse_proto::{Frame, Parser, DEFAULT_EVENT_TYPE};
///
/// let mut parser = Parser::new();
/// let mut input: &[u8] = b"event: tick\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n";
/// let mut types = Vec::new();
/// while let Some(Frame::Event(event)) = parser.feed(&mut input)? {
///     types.push(event.event_type.to_owned());
/// }
/// assert_eq!(types, ["tick", DEFAULT_EVENT_TYPE, DEFAULT_EVENT_TYPE]);
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
pub const DEFAULT_EVENT_TYPE: &str = "message";

/// One complete item of an event stream, borrowed from the parser and the
/// input chunk.
///
/// A frame is valid until the next call on the parser. Convert it with
/// [`Frame::into_owned`] to keep it longer.
///
/// Later versions may add kinds of frame (the enum is `#[non_exhaustive]`):
/// a `match` needs a `_` arm, which should ignore what it does not know,
/// as a browser ignores a field it does not know.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Event, Frame, Parser};
///
/// let mut parser = Parser::new();
/// let mut input: &[u8] = b":  hi\nretry: 10\ndata: x\n\n";
/// assert_eq!(parser.feed(&mut input)?, Some(Frame::Comment(" hi"))); // one space removed
/// assert_eq!(parser.feed(&mut input)?, Some(Frame::Retry(Duration::from_millis(10))));
/// let event = Event { event_type: "message", data: "x", id: "" };
/// assert_eq!(parser.feed(&mut input)?, Some(Frame::Event(event)));
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Frame<'a> {
    /// An event was dispatched (a blank line ended a block with data).
    Event(Event<'a>),
    /// A valid `retry` field set the reconnection time.
    ///
    /// Reported when its line is read, whether or not an event follows.
    /// The field counts milliseconds, so the duration is always a whole
    /// number of them, at most `u64::MAX`: `as_millis()` gives back the
    /// value on the wire.
    Retry(Duration),
    /// A comment line: the text after the colon, one leading space removed.
    ///
    /// Browsers ignore comments; servers send them as heartbeats
    /// (`: ping`). Turn them off with [`Config::comments`](crate::Config::comments).
    Comment(&'a str),
}

/// A dispatched event, borrowed: what a browser's `MessageEvent` carries.
///
/// ```
/// use sse_proto::{Frame, Parser};
///
/// let mut parser = Parser::new();
/// let mut input: &[u8] = b"id: 1\ndata: a\n\nevent: x\nevent: y\ndata: b\ndata: c\n\n";
/// assert!(parser.feed(&mut input)?.is_some());
/// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
/// assert_eq!(event.event_type, "y"); // the block's last `event` field
/// assert_eq!(event.data, "b\nc");
/// assert_eq!(event.id, "1"); // set by an earlier block
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event<'a> {
    /// The event type: the last `event` field of the block, or `"message"`.
    pub event_type: &'a str,
    /// The `data` lines of the block joined with LF (no trailing LF).
    pub data: &'a str,
    /// The last event ID at dispatch (`lastEventId` in a browser): the
    /// latest `id` field seen so far in the stream, not only in this block.
    /// Empty when none has been set.
    pub id: &'a str,
}

/// A [`Frame`] that owns its strings.
///
/// Owned frames outlive the parser, and compare and hash like any value.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{OwnedFrame, Parser};
///
/// let frames: Vec<OwnedFrame> =
///     Parser::new().frames(b"retry: 5\n: hi\n").collect::<Result<_, _>>()?;
/// let retry = OwnedFrame::Retry(Duration::from_millis(5));
/// assert_eq!(frames, [retry, OwnedFrame::Comment("hi".into())]);
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OwnedFrame {
    /// See [`Frame::Event`].
    Event(OwnedEvent),
    /// See [`Frame::Retry`].
    Retry(Duration),
    /// See [`Frame::Comment`].
    Comment(String),
}

/// An [`Event`] that owns its strings.
///
/// Its fields are public, so one can be built to compare with. (Its
/// [`Default`] has an empty event type, not [`DEFAULT_EVENT_TYPE`].)
///
/// ```
/// use sse_proto::{OwnedEvent, OwnedFrame, Parser};
///
/// let frames: Vec<OwnedFrame> = Parser::new().frames(b"data: x\n\n").collect::<Result<_, _>>()?;
/// let expected = OwnedEvent {
///     event_type: "message".into(),
///     data: "x".into(),
///     ..OwnedEvent::default()
/// };
/// assert_eq!(frames, [OwnedFrame::Event(expected)]);
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct OwnedEvent {
    /// See [`Event::event_type`].
    pub event_type: String,
    /// See [`Event::data`].
    pub data: String,
    /// See [`Event::id`].
    pub id: String,
}

impl Frame<'_> {
    /// Copies the frame into owned strings.
    ///
    /// ```
    /// use sse_proto::{OwnedFrame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b": hi\n";
    /// let frame = parser.feed(&mut input).unwrap().unwrap().into_owned();
    /// assert_eq!(frame, OwnedFrame::Comment("hi".into()));
    /// ```
    #[must_use]
    pub fn into_owned(self) -> OwnedFrame {
        match self {
            Frame::Event(event) => OwnedFrame::Event(event.into_owned()),
            Frame::Retry(time) => OwnedFrame::Retry(time),
            Frame::Comment(text) => OwnedFrame::Comment(text.into()),
        }
    }
}

impl Event<'_> {
    /// Copies the event into owned strings.
    ///
    /// The copy no longer borrows the parser, so it survives the next call.
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut input: &[u8] = b"data: first\n\ndata: second\n\n";
    /// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
    /// let kept = event.into_owned();
    /// assert!(parser.feed(&mut input)?.is_some());
    /// assert_eq!(kept.data, "first");
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_owned(self) -> OwnedEvent {
        OwnedEvent {
            event_type: self.event_type.into(),
            data: self.data.into(),
            id: self.id.into(),
        }
    }
}

impl OwnedFrame {
    /// Borrows the frame back as a [`Frame`].
    ///
    /// ```
    /// use sse_proto::{Frame, OwnedFrame};
    ///
    /// let owned = Frame::Comment("ping").into_owned();
    /// assert_eq!(owned, OwnedFrame::Comment("ping".into()));
    /// assert_eq!(owned.as_frame(), Frame::Comment("ping"));
    /// ```
    #[must_use]
    pub fn as_frame(&self) -> Frame<'_> {
        match self {
            Self::Event(event) => Frame::Event(event.as_event()),
            Self::Retry(time) => Frame::Retry(*time),
            Self::Comment(text) => Frame::Comment(text),
        }
    }
}

impl OwnedEvent {
    /// Borrows the event back as an [`Event`], so that code written for
    /// borrowed events serves owned ones too.
    ///
    /// ```
    /// use sse_proto::{Event, OwnedEvent};
    ///
    /// fn label(event: Event<'_>) -> String {
    ///     format!("{}#{}: {}", event.event_type, event.id, event.data)
    /// }
    /// let owned = OwnedEvent { event_type: "tick".into(), data: "1".into(), id: "7".into() };
    /// assert_eq!(label(owned.as_event()), "tick#7: 1");
    /// assert_eq!(owned.as_event().into_owned(), owned);
    /// ```
    #[must_use]
    pub fn as_event(&self) -> Event<'_> {
        Event {
            event_type: &self.event_type,
            data: &self.data,
            id: &self.id,
        }
    }
}

impl From<Frame<'_>> for OwnedFrame {
    fn from(frame: Frame<'_>) -> Self {
        frame.into_owned()
    }
}

impl From<Event<'_>> for OwnedEvent {
    fn from(event: Event<'_>) -> Self {
        event.into_owned()
    }
}
