//! The parser's fast cursor, reached through a [`Session`](crate::Session).

use crate::{Frame, ParseError};

/// A cursor over one chunk of an open stream's body, from
/// [`Session::chunk`](crate::Session::chunk): [`Parser::chunk`](crate::Parser::chunk)'s
/// fast path, with the session's rule that only an open stream is parsed
/// (in any other state the chunk is discarded and the cursor yields
/// nothing).
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Frame, Response, ResponseAction, Session};
///
/// let mut session = Session::new();
/// session.on_request(Duration::ZERO);
/// let ok = Response::new(200).content_type(Some("text/event-stream"));
/// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
/// let mut data = String::new();
/// session.chunk(b"data: a\n\ndata: b\n\n").for_each(|frame| {
///     if let Ok(Frame::Event(event)) = frame {
///         data.push_str(event.data);
///     }
/// });
/// assert_eq!(data, "ab");
/// ```
#[derive(Debug)]
pub struct Chunk<'s, 'c> {
    inner: crate::Chunk<'s, 'c>,
}

impl<'s, 'c> Chunk<'s, 'c> {
    pub(crate) fn new(inner: crate::Chunk<'s, 'c>) -> Self {
        Self { inner }
    }

    /// The next frame of the chunk, as [`crate::Chunk::next`]: `None` once
    /// the chunk is used up.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new(); // not open: the chunk is discarded
    /// assert!(session.chunk(b"data: early\n\n").next().is_none());
    /// ```
    #[allow(clippy::should_implement_trait)] // frames borrow the cursor: not an Iterator
    pub fn next(&mut self) -> Option<Result<Frame<'_>, ParseError>> {
        self.inner.next()
    }

    /// Calls `f` with each frame of the chunk, as [`crate::Chunk::for_each`]:
    /// the fastest way to parse, its loop inside the parser.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// let mut frames = 0;
    /// session.chunk(b": ping\n\nid: 1\ndata: x\n\n").for_each(|_| frames += 1);
    /// assert_eq!((frames, session.last_event_id()), (2, "1"));
    /// ```
    #[inline]
    pub fn for_each(self, f: impl FnMut(Result<Frame<'_>, ParseError>)) {
        self.inner.for_each(f);
    }

    /// The bytes of the chunk not parsed yet (none when the stream was not
    /// open: the chunk was discarded).
    ///
    /// ```
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// assert!(session.chunk(b"data: x\n\n").remaining().is_empty());
    /// ```
    #[must_use]
    pub fn remaining(&self) -> &'c [u8] {
        self.inner.remaining()
    }
}
