//! Building frames: from what a layer found ([`Ready`]) to a [`Frame`],
//! decoding UTF-8 once.

use alloc::string::String;
use core::time::Duration;

use super::state::Lent;
use super::Parser;
use crate::frame::{Event, Frame, DEFAULT_EVENT_TYPE};
use crate::text::{decode, push_lossy};

/// A frame that is ready, described without borrowing the parser (so that
/// a layer can return it from inside its loop): `None` means "in the
/// parser's own buffer".
pub(super) enum Ready<'c> {
    Event(Option<&'c [u8]>),
    Retry(u64),
    Comment(Option<&'c [u8]>),
}

impl Parser {
    /// Clears the buffers the last frame borrowed.
    #[inline(always)]
    pub(super) fn release_lent(&mut self) {
        match self.lent {
            // Most frames lend nothing: then there is no store.
            Lent::Nothing => return,
            Lent::Data => self.data.clear(),
            Lent::Comment => self.value.clear(),
        }
        self.lent = Lent::Nothing;
    }

    /// Builds the frame `ready` describes, decoding UTF-8 once. `validated`
    /// may already know a borrowed value as text (see
    /// [`ChunkText`](super::chunk::ChunkText)).
    pub(super) fn frame<'p, 'c: 'p>(
        &'p mut self,
        ready: Ready<'c>,
        mut validated: impl FnMut(&'c [u8]) -> Option<&'c str>,
    ) -> Frame<'p> {
        match ready {
            Ready::Event(borrowed) => {
                // (One match for both kinds of data: a nested one costs
                // small events a quarter more instructions.)
                let data = match borrowed.and_then(&mut validated) {
                    Some(data) => data,
                    None if borrowed.is_none() && self.data.has_text() => self.data.decoded(),
                    None => text(borrowed.unwrap_or(self.data.raw()), &mut self.lossy_data),
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

/// Values up to this long are validated by [`text`]'s short path.
const SHORT_TEXT: usize = 32;

/// Views `bytes` as text, as [`decode`] does, faster for short values.
///
/// Validating UTF-8 is the largest cost of a small event, and most of it is
/// `from_utf8`'s set-up for its word-at-a-time loop. `utf8_chunks` has none:
/// its first chunk is all of `bytes` when they are valid.
#[inline]
pub(super) fn text<'a>(bytes: &'a [u8], scratch: &'a mut String) -> &'a str {
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
