//! The loop of [`Parser::for_each`] and [`Parser::try_for_each`]: all of
//! a chunk parsed through the fast layer, its UTF-8 validated once.

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
