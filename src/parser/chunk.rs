//! The closure paths, [`Parser::for_each`] and [`Parser::try_for_each`]:
//! all of a chunk parsed in one loop through the fast layer, its UTF-8
//! validated once.

use core::convert::Infallible;
use core::ops::ControlFlow;

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
pub(super) struct ChunkText<'c> {
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

    /// The loop of [`Self::try_for_each`] and [`Self::for_each`], out of
    /// line: parses `input` until `f` breaks, then gives what it broke with
    /// and the rest of `input`. `Continue` means `input` is used up.
    #[inline(never)]
    pub(super) fn for_each_frame<'c, B>(
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
            let ready = on_simple!(
                self.simple_frame::<true>(&mut rest, after_simple),
                done => return ControlFlow::Continue(()),
                error(error) => {
                    if let ControlFlow::Break(stop) = f(Err(error)) {
                        return ControlFlow::Break((stop, rest));
                    }
                    after_simple = false;
                    continue;
                },
                other => match self.next_general(&mut rest, &mut text) {
                    Some(item) => {
                        if let ControlFlow::Break(stop) = f(item) {
                            return ControlFlow::Break((stop, rest));
                        }
                        after_simple = false;
                        continue;
                    }
                    None => return ControlFlow::Continue(()),
                },
            );
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
