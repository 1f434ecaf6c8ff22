//! The encoder: events, ID changes, retries and comments, written as an
//! event stream.
//!
//! Values are validated when they are built ([`EventType::new`],
//! [`EventId::new`]); after that, encoding cannot fail on content. Every
//! value has the same three ways out:
//!
//! - `encode(&mut out)` appends to a `Vec<u8>` or `String` ([`Output`]),
//!   allocating only if the buffer must grow;
//! - [`Display`](core::fmt::Display), for any `core::fmt::Write` and, through
//!   `write!`, any `std::io::Write`;
//! - `encoded_len()`, the exact number of bytes `encode` appends.
//!
//! What is written, and why:
//!
//! - each field as `name: value` with one space, so a value's own leading
//!   spaces survive (the parser removes exactly one); an empty value as
//!   `name:`;
//! - data split at every CR, LF and CRLF into one `data:` line per line; an
//!   empty string is one `data:` line, so the event still reaches the client;
//! - no `event:` line for the default type `message`;
//! - a comment split the same way into one `:` line per line;
//! - an event ends with a blank line; a retry or a comment is one line per
//!   line of text, with no blank line (neither needs one to take effect).
//!
//! Nothing written ever starts with U+FEFF (every line starts with a field
//! name or `:`), so a client never mistakes content for a byte order mark.

mod error;
mod fields;
pub mod headers;
mod sink;

use core::fmt;
use core::time::Duration;

pub use error::EncodeError;
pub use fields::{EventId, EventType};
pub use sink::Output;
use sink::{infallible, Counter, FmtSink, Sink};

use crate::scan::find_line_end;

/// An event to send, or an ID change on its own.
///
/// Build it with [`Message::new`] (an event with data) or
/// [`Message::id_only`] (no event: only the client's last event ID changes),
/// then set the optional parts with the by-value setters.
///
/// # Examples
///
/// ```
/// use sse_proto::{EventId, EventType, Message};
///
/// let mut out = Vec::new();
/// Message::new("hello\nworld")
///     .event_type(EventType::new("greeting")?)
///     .id(EventId::new("7")?)
///     .encode(&mut out);
/// Message::id_only(EventId::RESET).encode(&mut out);
/// assert_eq!(out, b"event: greeting\nid: 7\ndata: hello\ndata: world\n\nid:\n\n");
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Message<'a> {
    event_type: Option<EventType<'a>>,
    id: Option<EventId<'a>>,
    /// `None` only for an ID change, which always has an ID.
    data: Option<&'a str>,
}

/// A comment line (or several): a heartbeat, or a note for humans.
///
/// Browsers ignore comments; servers send one every 15 to 30 seconds so that
/// proxies do not close an idle connection. Any text is allowed: a line
/// break starts another comment line.
///
/// ```
/// use sse_proto::Comment;
///
/// let mut out = String::new();
/// Comment::new("ping").encode(&mut out);
/// Comment::new("two\r\nlines").encode(&mut out);
/// assert_eq!(out, ": ping\n: two\n: lines\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Comment<'a>(&'a str);

/// A `retry` field: the client's reconnection time.
///
/// The field counts whole milliseconds. [`Retry::new`] takes a
/// [`Duration`] and drops what is below a millisecond;
/// [`Retry::from_millis`] and [`Retry::as_millis`] are the value on the
/// wire.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::Retry;
///
/// assert_eq!(Retry::new(Duration::from_secs(3)).to_string(), "retry: 3000\n");
/// assert_eq!(Retry::new(Duration::from_secs(5)), Retry::from_millis(5000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Retry(u64);

impl<'a> Message<'a> {
    /// An event of type `message` carrying `data`, which may be any string
    /// (empty, or with line breaks).
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// // Empty data is still one `data` line, so the client gets the event.
    /// assert_eq!(Message::new("").to_string(), "data:\n\n");
    /// assert_eq!(Message::new("a\r\nb").to_string(), "data: a\ndata: b\n\n");
    /// ```
    #[must_use]
    pub const fn new(data: &'a str) -> Self {
        Self {
            event_type: None,
            id: None,
            data: Some(data),
        }
    }

    /// No event, only a new last event ID for the client (an empty ID
    /// resets it). Written as an `id:` line and a blank line.
    ///
    /// ```
    /// use sse_proto::{EventId, Message, Parser};
    ///
    /// let out = Message::id_only(EventId::new("7")?).to_string();
    /// assert_eq!(out, "id: 7\n\n");
    /// let mut parser = Parser::new();
    /// assert_eq!(parser.frames(out.as_bytes()).count(), 0); // no event for the client
    /// assert_eq!(parser.last_event_id(), "7");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub const fn id_only(id: EventId<'a>) -> Self {
        Self {
            event_type: None,
            id: Some(id),
            data: None,
        }
    }

    /// Sets the event type. Ignored by [`Message::id_only`] values, which
    /// dispatch no event.
    ///
    /// ```
    /// use sse_proto::{EventId, EventType, Message};
    ///
    /// let (message, ping) = (EventType::new("message")?, EventType::new("ping")?);
    /// // `message` is what a client assumes: no `event` line is written.
    /// assert_eq!(Message::new("hi").event_type(message).to_string(), "data: hi\n\n");
    /// let id_change = Message::id_only(EventId::new("1")?).event_type(ping);
    /// assert_eq!(id_change.to_string(), "id: 1\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub const fn event_type(mut self, event_type: EventType<'a>) -> Self {
        self.event_type = Some(event_type);
        self
    }

    /// Sets the ID, which becomes the client's last event ID (sent back as
    /// `Last-Event-ID` when it reconnects).
    #[must_use]
    pub const fn id(mut self, id: EventId<'a>) -> Self {
        self.id = Some(id);
        self
    }

    /// The ID set with [`id`](Self::id) or [`id_only`](Self::id_only), for
    /// the fan-out log, which names events that have none.
    pub(crate) const fn id_of(&self) -> Option<EventId<'a>> {
        self.id
    }
}

impl<'a> Comment<'a> {
    /// A comment with any text.
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        Self(text)
    }
}

impl Retry {
    /// A reconnection time, to the millisecond below: the part of `time`
    /// under a millisecond is dropped (so a time under 1 ms is `retry: 0`,
    /// reconnect at once), and a time past `u64::MAX` milliseconds (half
    /// a billion years) is cut to that.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::Retry;
    ///
    /// assert_eq!(Retry::new(Duration::from_micros(2999)).as_millis(), 2);
    /// assert_eq!(Retry::new(Duration::MAX).as_millis(), u64::MAX);
    /// ```
    #[must_use]
    pub const fn new(time: Duration) -> Self {
        let ms = time.as_millis();
        Self(if ms > u64::MAX as u128 {
            u64::MAX
        } else {
            ms as u64
        })
    }

    /// A reconnection time of `ms` milliseconds: the value on the wire.
    ///
    /// ```
    /// use sse_proto::Retry;
    ///
    /// assert_eq!(Retry::from_millis(2500).to_string(), "retry: 2500\n");
    /// ```
    #[must_use]
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// The reconnection time in milliseconds: the value on the wire.
    #[must_use]
    pub const fn as_millis(&self) -> u64 {
        self.0
    }

    /// The reconnection time, as a parser reads it back
    /// ([`Frame::Retry`](crate::Frame::Retry)).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Frame, Parser, Retry};
    ///
    /// let retry = Retry::new(Duration::from_millis(1500));
    /// let mut parser = Parser::new();
    /// let text = retry.to_string();
    /// let frame = parser.feed(&mut text.as_bytes())?;
    /// assert_eq!(frame, Some(Frame::Retry(retry.as_duration())));
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub const fn as_duration(&self) -> Duration {
        Duration::from_millis(self.0)
    }
}

/// What the three encodable values share: one writing routine per value,
/// generic over the destination.
trait Encode {
    fn write<S: Sink + ?Sized>(&self, out: &mut S) -> Result<(), S::Error>;
}

impl Encode for Message<'_> {
    fn write<S: Sink + ?Sized>(&self, out: &mut S) -> Result<(), S::Error> {
        if let (Some(event_type), Some(_)) = (self.event_type, self.data) {
            if !event_type.is_default() {
                write_field(out, "event: ", event_type.as_str())?;
            }
        }
        if let Some(id) = self.id {
            write_field(out, "id: ", id.as_str())?;
        }
        if let Some(data) = self.data {
            write_lines(out, "data: ", data)?;
        }
        out.put("\n")
    }
}

impl Encode for Comment<'_> {
    fn write<S: Sink + ?Sized>(&self, out: &mut S) -> Result<(), S::Error> {
        write_lines(out, ": ", self.0)
    }
}

impl Encode for Retry {
    fn write<S: Sink + ?Sized>(&self, out: &mut S) -> Result<(), S::Error> {
        let mut digits = [0; 20];
        write_field(out, "retry: ", format_u64(self.0, &mut digits))
    }
}

/// Writes one line: `prefix` (a field name, a colon and one space) and
/// `value`, or without the space when the value is empty, so no line ends
/// in a space. `value` holds no CR or LF.
#[inline]
fn write_field<S: Sink + ?Sized>(out: &mut S, prefix: &str, value: &str) -> Result<(), S::Error> {
    if value.is_empty() {
        out.put(prefix.strip_suffix(' ').unwrap_or(prefix))?;
    } else {
        out.put(prefix)?;
        out.put(value)?;
    }
    out.put("\n")
}

/// Writes `text` as `prefix` lines, split at every CR, LF and CRLF. Empty text
/// is one line; a break at the end leaves an empty last line.
fn write_lines<S: Sink + ?Sized>(out: &mut S, prefix: &str, text: &str) -> Result<(), S::Error> {
    let mut rest = text;
    while let Some(end) = find_line_end(rest.as_bytes()) {
        // CR and LF are ASCII, so `end` and the byte after the break are
        // character boundaries.
        let (line, tail) = rest.split_at(end);
        write_field(out, prefix, line)?;
        let break_len = if tail.starts_with("\r\n") { 2 } else { 1 };
        rest = tail.get(break_len..).unwrap_or_default();
    }
    write_field(out, prefix, rest)
}

/// Formats `n` in decimal into `buf` without allocating.
fn format_u64(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    core::str::from_utf8(&buf[start..]).unwrap_or_default()
}

/// The public ways out, the same for every encodable value.
macro_rules! encode_methods {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// Appends the encoding to `out` (a `Vec<u8>` or `String`).
            ///
            /// Allocates only if `out` must grow: with enough capacity (see
            /// [`encoded_len`](Self::encoded_len)) it allocates nothing.
            pub fn encode<O: Output>(&self, out: &mut O) {
                infallible(self.write(out));
            }

            /// The exact number of bytes [`encode`](Self::encode) appends,
            /// computed by the same code without writing.
            ///
            /// ```
            /// use sse_proto::Message;
            ///
            /// let event = Message::new("a\r\nb");
            /// let mut out = Vec::with_capacity(event.encoded_len());
            /// event.encode(&mut out); // fits: no reallocation
            /// assert_eq!(out.len(), event.encoded_len());
            /// ```
            #[must_use]
            pub fn encoded_len(&self) -> usize {
                let mut counter = Counter::default();
                infallible(self.write(&mut counter));
                counter.0
            }
        }

        /// Writes the encoding: to any `core::fmt::Write` with `write!`, to
        /// any `std::io::Write` with `write!`, or to a new `String` with
        /// `to_string`.
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.write(&mut FmtSink(f))
            }
        }
    )*};
}

encode_methods!(Message<'_>, Comment<'_>, Retry);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_every_digit_count() {
        let mut buf = [0; 20];
        for n in [0, 7, 10, 99, 12_345, u64::MAX] {
            assert_eq!(format_u64(n, &mut buf), alloc::format!("{n}"));
        }
    }
}
