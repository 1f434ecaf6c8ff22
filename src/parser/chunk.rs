//! The [`Chunk`] cursor: all of a chunk parsed through the fast layer,
//! its UTF-8 validated once.

use super::fast::on_simple;
use super::Parser;
use crate::frame::Frame;
use crate::ParseError;

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

/// A lending cursor over the frames of one chunk; see [`Parser::chunk`].
///
/// Each frame borrows the cursor until the next call: keep one with
/// [`Frame::into_owned`].
///
/// ```
/// use sse_proto::{Frame, OwnedFrame, Parser};
///
/// let mut parser = Parser::new();
/// let mut cursor = parser.chunk(b"event: a\ndata: 1\n\n: ping\n");
/// let mut kept = Vec::new();
/// while let Some(frame) = cursor.next() {
///     kept.push(frame?.into_owned());
/// }
/// assert_eq!(kept.len(), 2);
/// assert!(matches!(kept[0].as_frame(), Frame::Event(e) if e.event_type == "a"));
/// assert_eq!(kept[1], OwnedFrame::Comment("ping".into()));
/// # Ok::<(), sse_proto::ParseError>(())
/// ```
#[derive(Debug)]
#[must_use = "the cursor parses nothing until `next` is called"]
pub struct Chunk<'p, 'c> {
    parser: &'p mut Parser,
    input: &'c [u8],
    text: ChunkText<'c>,
}

impl<'p, 'c> Chunk<'p, 'c> {
    pub(super) fn new(parser: &'p mut Parser, chunk: &'c [u8]) -> Self {
        Self {
            parser,
            input: chunk,
            text: ChunkText::new(chunk),
        }
    }

    /// The next frame or error of the chunk, or `None` when it is used up.
    ///
    /// The frame borrows the cursor, so it lives until the next call (use
    /// [`Frame::into_owned`] to keep it); that is why this is not an
    /// [`Iterator`]. After an error, call again: the parser has recovered.
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut cursor = parser.chunk(b"retry: 10\ndata: x\n\n");
    /// assert_eq!(cursor.next(), Some(Ok(Frame::Retry(10))));
    /// assert!(matches!(cursor.next(), Some(Ok(Frame::Event(e))) if e.data == "x"));
    /// assert_eq!(cursor.next(), None);
    /// ```
    // A lending iterator: `Iterator::next` cannot return a borrow of `self`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Frame<'_>, ParseError>> {
        let ready = on_simple!(
            self.parser.simple_frame::<false>(&mut self.input, false),
            done => return None,
            error(error) => return Some(Err(error)),
            other => return self.next_general(),
        );
        let text = &mut self.text;
        Some(Ok(self.parser.frame(ready, |bytes| text.get(bytes))))
    }

    /// Calls `f` with each frame or error of the rest of the chunk, in
    /// order: the same items as [`Self::next`] gives, faster, since the
    /// loop runs inside the parser and `f` is inlined into it (and no
    /// `Option` is built and taken apart per frame).
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut data = Vec::new();
    /// parser.chunk(b"data: a\n\n: ping\n\ndata: b\n\n").for_each(|frame| {
    ///     if let Ok(Frame::Event(event)) = frame {
    ///         data.push(event.data.to_owned());
    ///     }
    /// });
    /// assert_eq!(data, ["a", "b"]);
    /// ```
    #[inline(always)]
    pub fn for_each(mut self, mut f: impl FnMut(Result<Frame<'_>, ParseError>)) {
        // Small chunks mostly only continue a data line: that much is done
        // here, inlined into the caller, so such a chunk costs no call.
        if self.parser.in_data_value() {
            if let Err(error) = self.parser.continue_data(&mut self.input) {
                f(Err(error));
            }
            if self.input.is_empty() {
                return;
            }
        }
        self.for_each_frame(f);
    }

    /// The loop of [`Self::for_each`], out of line.
    #[inline(never)]
    fn for_each_frame(mut self, mut f: impl FnMut(Result<Frame<'_>, ParseError>)) {
        // The rest of the chunk lives in a local, in registers, not in
        // `self`: each line's search starts where the last one ended, and a
        // round trip through memory would lengthen that chain.
        let mut input = self.input;
        let mut after_simple = false;
        loop {
            let ready = on_simple!(
                self.parser.simple_frame::<true>(&mut input, after_simple),
                done => return,
                error(error) => {
                    f(Err(error));
                    after_simple = false;
                    continue;
                },
                other => {
                    self.input = input;
                    match self.next_general() {
                        Some(item) => f(item),
                        None => return,
                    }
                    input = self.input;
                    after_simple = false;
                    continue;
                },
            );
            let text = &mut self.text;
            f(Ok(self.parser.frame(ready, |bytes| text.get(bytes))));
            after_simple = true;
        }
    }

    /// [`Self::next`] beyond [`Parser::simple_frame`]. Kept out of line:
    /// inlined, its set-up would weigh on every simple frame (about 10%
    /// more instructions per small event).
    #[inline(never)]
    fn next_general(&mut self) -> Option<Result<Frame<'_>, ParseError>> {
        match self.parser.advance(&mut self.input) {
            Ok(Some(ready)) => {
                let text = &mut self.text;
                Some(Ok(self.parser.frame(ready, |bytes| text.get(bytes))))
            }
            Ok(None) => None,
            Err(error) => Some(Err(error)),
        }
    }

    /// The part of the chunk not parsed yet.
    ///
    /// Drop the cursor early and these bytes are left unparsed: feed them
    /// later to pick up where it stopped.
    ///
    /// ```
    /// use sse_proto::{Frame, Parser};
    ///
    /// let mut parser = Parser::new();
    /// let mut cursor = parser.chunk(b"data: 1\n\ndata: 2\n\n");
    /// assert!(matches!(cursor.next(), Some(Ok(Frame::Event(e))) if e.data == "1"));
    /// let mut rest = cursor.remaining();
    /// assert_eq!(rest, b"data: 2\n\n");
    /// let Some(Frame::Event(event)) = parser.feed(&mut rest)? else { panic!() };
    /// assert_eq!(event.data, "2");
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn remaining(&self) -> &'c [u8] {
        self.input
    }
}
