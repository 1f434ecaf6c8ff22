//! A data line that the end of a chunk cuts, and the chunks that continue
//! it: the same for both layers.

use super::data::LONG_DATA;
use super::fields::{Field, DATA_NAME};
use super::state::{Lent, Line};
use super::{ParseError, Parser};
use crate::scan::{find_line_end, find_line_end_taking, scan_head, Head};

impl Parser {
    /// A data line, `bytes` (its value from `value_at`), that the end of
    /// the chunk cuts: its name is whole, so what there is goes straight to
    /// the data buffer, and no byte of it is searched twice.
    #[inline(always)]
    pub(super) fn cut_data_line(
        &mut self,
        bytes: &[u8],
        value_at: usize,
    ) -> Result<(), ParseError> {
        // Any byte past the colon settles the leading space.
        self.line = Line::value(Field::Data, bytes.len() == DATA_NAME.len());
        // (`count` turns the line `Ignored` on error.)
        self.count(bytes.len())?;
        self.data.append(bytes.get(value_at..).unwrap_or_default());
        Ok(())
    }

    /// Whether the parser is in the middle of a data line's value: small
    /// chunks cut long data lines, and then whole chunks are only appended
    /// to the data buffer ([`Self::continue_data`]). Nothing is lent then:
    /// a frame is only made at the end of a line.
    #[inline(always)]
    pub(super) fn in_data_value(&self) -> bool {
        debug_assert!(self.line != Line::Data || self.lent == Lent::Nothing);
        self.line == Line::Data
    }

    /// In the middle of a data line's value ([`Self::in_data_value`]):
    /// appends `input` up to the line end straight to the data buffer.
    /// What small chunks bring is done here (inlined into each caller);
    /// anything longer, in [`Self::continue_long_data`].
    #[inline(always)]
    pub(super) fn continue_data(&mut self, input: &mut &[u8]) -> Result<(), ParseError> {
        match scan_head(input) {
            Head::LineEnd(head, at) if self.data.has_room(head.len()) && self.budget.within(at) => {
                // The line ends in the first 16 bytes, as small chunks have
                // it at every event: they are copied as one vector.
                self.data.push_head_line(head, at);
                self.line = Line::Start;
                *input = self.skip_terminator(input, at);
                Ok(())
            }
            Head::LineEnd(_, at) => self.append_continued(input, Some(at), None),
            // 16 bytes with no line end, all the chunk holds, are taken in
            // one vector step, with no call to search or to copy them.
            Head::Clean(head) if input.len() == head.len() && self.budget.within(head.len()) => {
                self.data.append_head(head);
                *input = &[];
                Ok(())
            }
            Head::Clean(_) | Head::Short => {
                // The rest is passed by value, not by address: that would
                // keep the caller's cursor out of registers.
                let rest;
                (rest, *input) = self.continue_long_data(input);
                rest
            }
        }
    }

    /// [`Self::continue_data`] beyond the first 16 bytes, out of line.
    /// Returns what it did and what is left of `input`.
    #[inline(never)]
    fn continue_long_data<'c>(
        &mut self,
        mut input: &'c [u8],
    ) -> (Result<(), ParseError>, &'c [u8]) {
        let chunk_len = input.len();
        let end = find_line_end(input);
        let result = self.append_continued(&mut input, end, None);
        if self.budget.event_len() >= LONG_DATA && chunk_len >= LONG_DATA {
            // A line this long goes on across chunks this long: copy the
            // next long one as it is searched. (A smaller chunk is copied
            // while it is still in cache anyway.)
            self.data.long_lines = true;
        }
        (result, input)
    }

    /// In the middle of a data line's value that goes into the data's text
    /// ([`Line::Text`]): appends `input` up to the line end there, copied
    /// as it is searched, while it is valid UTF-8.
    #[inline(never)]
    pub(super) fn continue_text(&mut self, input: &mut &[u8]) -> Result<(), ParseError> {
        let bytes = *input;
        let (taken, end) = if self.may_take_text(bytes.len()) {
            find_line_end_taking(bytes, self.data.taker())
        } else {
            (0, find_line_end(bytes))
        };
        self.append_continued(input, end, Some(taken))
    }

    /// Appends `input` up to the line end at `end` (if any) to the event's
    /// data, and consumes it: to the data buffer, or, given how many of its
    /// bytes are in the data's text already (`taken`), the rest as
    /// [`Self::append_data`] does.
    #[inline(always)]
    fn append_continued(
        &mut self,
        input: &mut &[u8],
        end: Option<usize>,
        taken: Option<usize>,
    ) -> Result<(), ParseError> {
        let bytes = *input;
        let piece = &bytes[..end.unwrap_or(bytes.len())];
        *input = match end {
            Some(end) => self.skip_terminator(bytes, end),
            None => &[],
        };
        if end.is_some() {
            self.line = Line::Start;
        }
        // (On error, `count` turns a line that goes on `Ignored`.)
        self.count(piece.len())?;
        match taken {
            Some(taken) => self.append_data(piece.get(taken..).unwrap_or_default()),
            None => self.data.append(piece),
        }
        if end.is_some() {
            self.data.end_line();
        }
        Ok(())
    }

    /// Appends part of a data line's value to the event's data (see
    /// [`EventData::append_taking`](super::data::EventData::append_taking)),
    /// and notes where the rest of the line goes.
    pub(super) fn append_data(&mut self, bytes: &[u8]) {
        self.data.append_taking(bytes);
        if let Line::Data | Line::Text = self.line {
            self.line = if self.data.is_all_text() {
                Line::Text
            } else {
                Line::Data
            };
        }
    }
}
