//! Errors: what can go wrong, and what the parser does next.

use core::fmt;

/// An error from parsing: [`Parser::feed`](crate::Parser::feed),
/// [`Parser::for_each`](crate::Parser::for_each),
/// [`Parser::try_for_each`](crate::Parser::try_for_each),
/// [`Parser::frames`](crate::Parser::frames) and what is built on them.
///
/// Malformed input is never an error: the WHATWG algorithm gives every byte
/// sequence a meaning. The only errors are the limits a caller sets for
/// untrusted input. Every error is *recoverable*: the parser has already
/// resynchronised, and the caller keeps feeding it.
///
/// ```
/// use sse_proto::{Config, Frame, ParseError, Parser};
///
/// let mut parser = Parser::with_config(Config::default().max_event_size(Some(8)));
/// let mut input: &[u8] = b"data: far too long\n\ndata: ok\n\n";
/// let error = parser.feed(&mut input).unwrap_err();
/// assert_eq!(error, ParseError::EventTooLarge { limit: 8 });
/// assert_eq!(error.to_string(), "event larger than the 8-byte limit");
/// // Keep feeding: the next event arrives as usual.
/// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
/// assert_eq!(event.data, "ok");
/// # Ok::<(), ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseError {
    /// The lines of one event (from the previous blank line on, line
    /// terminators excluded) grew past
    /// [`Config::max_event_size`](crate::Config::max_event_size).
    ///
    /// The event was dropped with everything buffered for it. The parser
    /// ignores the rest of its lines and resumes with the line after the next
    /// blank line, so later events arrive as usual. An `id` field read before
    /// the limit was hit still becomes the last event ID at that blank line,
    /// so a reconnecting client does not ask for the dropped event again.
    ///
    /// ```
    /// use sse_proto::{Config, Frame, ParseError, Parser};
    ///
    /// let mut parser = Parser::with_config(Config::new().max_event_size(Some(16)));
    /// let mut input: &[u8] = b"id: 5\ndata: far too long\nid: 6\ndata: skipped\n\ndata: ok\n\n";
    /// assert_eq!(parser.feed(&mut input), Err(ParseError::EventTooLarge { limit: 16 }));
    /// let Some(Frame::Event(event)) = parser.feed(&mut input)? else { panic!() };
    /// // The `id` before the limit counts; the lines after it up to the blank line do not.
    /// assert_eq!((event.data, event.id), ("ok", "5"));
    /// # Ok::<(), ParseError>(())
    /// ```
    EventTooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EventTooLarge { limit } => {
                write!(f, "event larger than the {limit}-byte limit")
            }
        }
    }
}

impl core::error::Error for ParseError {}
