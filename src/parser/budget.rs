//! The size budget: [`Config::max_event_size`], and the buffers' size after
//! a huge event.

use alloc::string::String;

use super::{Line, Parser};
use crate::{Config, ParseError};

/// What each buffer keeps for reuse after an event larger than this: 1 MiB.
/// Events up to it reuse their buffers with no allocation; a bigger one
/// (a multi-megabyte image) allocates once, which its copy dwarfs.
pub(super) const RETAIN: usize = 1 << 20;

/// How many bytes the event in progress has spent, and where counting
/// them must stop to do something: the limit, or [`RETAIN`] (trim the
/// buffers after the event).
///
/// Lengths are of lines on the stream, never of what happens to be
/// buffered, so the answer does not depend on how the input was cut.
#[derive(Debug, Clone)]
pub(super) struct Budget {
    /// Bytes of the current event's lines so far.
    event_len: usize,
    /// The `event_len` past which [`Parser::count`] takes its slow path:
    /// `first`, or 0 while trims are pending, so that no per-event work is
    /// spent on them.
    checkpoint: usize,
    /// The checkpoint of an event: the limit or [`RETAIN`], whichever is
    /// lower; 0 with the fast layer off, so that [`Self::within`] always
    /// fails and the fast layer takes no line.
    first: usize,
    /// Blocks whose first line trims the buffers: 2 after a block past
    /// [`RETAIN`] (see [`Parser::past_checkpoint`]).
    trims_pending: u8,
}

/// What an event past its checkpoint calls for.
enum Past {
    /// Nothing yet.
    Nothing,
    /// It went over this limit: drop it.
    OverLimit(usize),
    /// Trim the buffers: the first line of a block after a huge event.
    Trim,
}

impl Budget {
    pub(super) fn new(config: &Config) -> Self {
        let first = config
            .max_event_size
            .map_or(RETAIN, |limit| limit.min(RETAIN));
        Self {
            event_len: 0,
            checkpoint: first,
            first,
            trims_pending: 0,
        }
    }

    /// Turns the fast layer off from here on (see [`Self::first`]); what
    /// the event spent so far stands.
    pub(super) fn general_only(&mut self) {
        self.first = 0;
        self.checkpoint = 0;
    }

    /// A new stream: nothing spent, no trims pending.
    pub(super) fn reset(&mut self) {
        self.event_len = 0;
        self.checkpoint = self.first;
        self.trims_pending = 0;
    }

    /// A new event (a blank line, or the event was dropped): nothing spent.
    #[inline(always)]
    pub(super) fn start_event(&mut self) {
        self.event_len = 0;
    }

    /// The bytes of the event's lines so far.
    pub(super) fn event_len(&self) -> usize {
        self.event_len
    }

    /// For the fast layer: counts `len` bytes of a line if the event stays
    /// within the checkpoint, and otherwise changes nothing, so that the
    /// general layer takes the line (and what crossing the checkpoint calls
    /// for). No call, so the hot loop keeps its registers.
    #[inline(always)]
    pub(super) fn within(&mut self, len: usize) -> bool {
        match self.event_len.checked_add(len) {
            Some(event_len) if event_len <= self.checkpoint => {
                self.event_len = event_len;
                true
            }
            _ => false,
        }
    }

    /// Counts `len` bytes of a line: whether the event is now past its
    /// checkpoint ([`Self::past`] says what that calls for).
    #[inline(always)]
    fn add(&mut self, len: usize) -> bool {
        self.event_len = self.event_len.saturating_add(len);
        self.event_len > self.checkpoint
    }

    /// Past the checkpoint, having counted a line of `len` bytes.
    ///
    /// The buffers of an event past [`RETAIN`] may have grown as much; they
    /// are trimmed at the first line of each of the next two blocks: by the
    /// first, the event's frame has been taken; by the second, an ID that
    /// the block after it replaced has been swapped out of the last event
    /// ID (see `commit_id`).
    fn past(&mut self, len: usize, limit: Option<usize>) -> Past {
        if let Some(limit) = limit {
            if self.event_len > limit {
                return Past::OverLimit(limit);
            }
        }
        if self.event_len > RETAIN {
            self.trims_pending = 2;
            self.checkpoint = 0;
        } else if self.event_len == len && self.trims_pending > 0 {
            // The first line of a block.
            self.trims_pending -= 1;
            if self.trims_pending == 0 {
                self.checkpoint = self.first;
            }
            return Past::Trim;
        }
        Past::Nothing
    }
}

impl Parser {
    /// Adds `len` bytes of line to the event; past the limit, drops it.
    #[inline(always)]
    pub(super) fn count(&mut self, len: usize) -> Result<(), ParseError> {
        if self.budget.add(len) {
            return self.past_checkpoint(len);
        }
        Ok(())
    }

    /// The event went past its checkpoint with a line of `len` bytes: see
    /// [`Budget::past`].
    #[cold]
    #[inline(never)]
    fn past_checkpoint(&mut self, len: usize) -> Result<(), ParseError> {
        match self.budget.past(len, self.config.max_event_size) {
            Past::Nothing => Ok(()),
            Past::OverLimit(limit) => Err(self.drop_event(limit)),
            Past::Trim => {
                self.trim_buffers();
                Ok(())
            }
        }
    }

    /// Gives back what each buffer holds beyond [`RETAIN`] bytes: one huge
    /// event must not leave the parser holding its size in every buffer it
    /// touched for the rest of the stream. Called with nothing lent, so the
    /// decoded text of past frames is stale: emptied, not kept. What the
    /// event in progress uses is kept (`shrink_to` keeps the contents).
    pub(super) fn trim_buffers(&mut self) {
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
        self.event_type.shrink_to(RETAIN);
        self.value.shrink_to(RETAIN);
    }

    /// The event went over `limit`: drops what it buffered and ignores its
    /// lines up to the next blank line.
    #[cold]
    #[inline(never)]
    fn drop_event(&mut self, limit: usize) -> ParseError {
        self.data.clear();
        self.event_type.clear();
        self.value.clear();
        self.budget.start_event();
        self.skipping = true;
        if self.line != Line::Start {
            self.line = Line::Ignored;
        }
        ParseError::EventTooLarge { limit }
    }

    /// Whether a data line of up to `len` bytes may be copied into the
    /// data's text as it is searched, before it is counted: if chunks cut
    /// long lines lately, the data so far is all text, and the line cannot
    /// take the event past the limit (which must drop it, not copy it).
    #[inline(always)]
    pub(super) fn may_take_text(&self, len: usize) -> bool {
        self.data.long_lines
            && self.data.is_empty()
            && self.config.max_event_size.map_or(true, |limit| {
                self.budget.event_len().saturating_add(len) <= limit
            })
    }
}
