//! Frames that own their text as shared [`Bytes`](bytes::Bytes), and the
//! [`Detacher`] that makes them from the parser's borrowed ones.

use core::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::Text;

/// One item of an event stream: [`sse_proto::Frame`] with its text held in
/// [`Text`] values rather than borrowed, so it outlives the chunk and the
/// parser.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Frame {
    /// An event was dispatched (a blank line ended a block with data).
    Event(Event),
    /// A valid `retry` field set the reconnection time (a whole number of
    /// milliseconds).
    Retry(Duration),
    /// A comment line: the text after the colon, one leading space removed.
    Comment(Text),
}

/// A dispatched event: what a browser's `MessageEvent` carries.
///
/// Each field shares memory with the chunk it was read from when it lies
/// inside one chunk, and with a reused buffer when it spans chunks; an
/// event type or ID equal to the previous event's is the same [`Text`].
/// Dropping events promptly lets those buffers be reused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Event {
    /// The event type: the last `event` field of the block, or `"message"`.
    pub event_type: Text,
    /// The `data` lines of the block joined with LF (no trailing LF).
    pub data: Text,
    /// The last event ID at dispatch (sticky across events; empty when none
    /// was set).
    pub id: Text,
}

impl Event {
    /// Borrows the event as the parser's [`sse_proto::Event`].
    ///
    /// ```
    /// use sse_proto_stream::{Event, Text};
    ///
    /// let event = Event { event_type: "tick".into(), data: "1".into(), id: Text::new() };
    /// assert_eq!(event.as_event().data, "1");
    /// ```
    #[must_use]
    pub fn as_event(&self) -> sse_proto::Event<'_> {
        sse_proto::Event {
            event_type: &self.event_type,
            data: &self.data,
            id: &self.id,
        }
    }
}

/// Whether `value` is `kept`'s text. Checked per event, mostly on short or
/// empty strings: lengths and addresses first, so that the common cases
/// make no call to `memcmp`.
#[inline]
fn same(value: &str, kept: &Text) -> bool {
    value.len() == kept.len()
        && (value.is_empty()
            || value.as_ptr() == kept.as_ptr()
            || value.as_bytes() == kept.as_bytes())
}

/// The type of events whose block named none.
const MESSAGE: Text = Text::from_static(sse_proto::DEFAULT_EVENT_TYPE);

/// The least a copy buffer grows by: values that span chunks are copied
/// into blocks of at least this size, so copying allocates once per block,
/// not once per event.
const COPY_BLOCK: usize = 16 * 1024;

/// Turns the parser's borrowed frames into [`Frame`]s without copying what
/// lies in the chunk.
///
/// A value found inside the chunk becomes a shared slice of it
/// ([`Bytes::slice_ref`]: a reference count, no allocation); a value the
/// parser had to assemble across chunks is copied into a buffer that is
/// reused once the frames pointing into it are dropped; the default event
/// type is a constant; an ID or event type equal to the previous one is
/// the previous [`Text`], shared.
///
/// [`Decoder`](crate::Decoder) and [`FrameStream`](crate::FrameStream) use
/// it; it is public for loops that drive a [`sse_proto::Parser`] or
/// [`sse_proto::Session`] themselves.
///
/// ```
/// use bytes::Bytes;
/// use sse_proto::Parser;
/// use sse_proto_stream::{Detacher, Frame};
///
/// let mut parser = Parser::new();
/// let mut detacher = Detacher::new();
/// let chunk = Bytes::from_static(b"id: 7\ndata: hi\n\n");
/// let mut frames = Vec::new();
/// parser.for_each(&chunk, |frame| frames.extend(detacher.frame(&chunk, frame.unwrap())));
/// let Frame::Event(event) = &frames[0] else { panic!() };
/// assert_eq!((event.data.as_str(), event.id.as_str()), ("hi", "7"));
/// // The data is the chunk's own bytes.
/// assert_eq!(event.data.as_ptr(), chunk[12..].as_ptr());
/// ```
#[derive(Debug, Default)]
pub struct Detacher {
    copies: BytesMut,
    event_type: Text,
    id: Text,
}

impl Detacher {
    /// A detacher with no buffer yet (the first copy allocates it).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The owned form of `frame`, which the parser produced from `chunk`;
    /// `None` for a kind of frame this version does not know (the parser's
    /// `Frame` is `#[non_exhaustive]`).
    ///
    /// Text outside `chunk` (in the parser's buffers) is copied; giving a
    /// `chunk` the frame did not come from is not an error, only a copy.
    pub fn frame(&mut self, chunk: &Bytes, frame: sse_proto::Frame<'_>) -> Option<Frame> {
        Some(match frame {
            sse_proto::Frame::Event(event) => Frame::Event(self.event(chunk, event)),
            sse_proto::Frame::Retry(time) => Frame::Retry(time),
            sse_proto::Frame::Comment(text) => Frame::Comment(self.text(chunk, text)),
            _ => return None,
        })
    }

    /// The owned form of `event`, read from `chunk`.
    pub fn event(&mut self, chunk: &Bytes, event: sse_proto::Event<'_>) -> Event {
        let event_type = if event.event_type.as_bytes() == b"message" {
            MESSAGE
        } else if same(event.event_type, &self.event_type) {
            self.event_type.clone()
        } else {
            self.event_type = self.text(chunk, event.event_type);
            self.event_type.clone()
        };
        let id = if same(event.id, &self.id) {
            self.id.clone()
        } else {
            self.id = self.text(chunk, event.id);
            self.id.clone()
        };
        Event {
            event_type,
            data: self.text(chunk, event.data),
            id,
        }
    }

    /// `value` shared from `chunk` when it lies there, else copied.
    fn text(&mut self, chunk: &Bytes, value: &str) -> Text {
        if value.is_empty() {
            return Text::new();
        }
        Text::shared_from(chunk, value).unwrap_or_else(|| self.copy(value))
    }

    fn copy(&mut self, value: &str) -> Text {
        if self.copies.capacity() - self.copies.len() < value.len() {
            // Reclaims the block in place when every copy cut from it has
            // been dropped; otherwise starts a new one.
            self.copies.reserve(value.len().max(COPY_BLOCK));
        }
        self.copies.extend_from_slice(value.as_bytes());
        Text::from_utf8_copy(self.copies.split().freeze())
    }
}
