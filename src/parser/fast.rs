//! The fast layer: [`Parser::simple_frame`] takes what most streams are
//! made of in a few dozen instructions per line, and gives up on anything
//! else before consuming it. What a line means is not decided here but in
//! `fields.rs` and `continued.rs`, as for the general layer.

use super::build::Ready;
use super::fields::{value_start, Field, DATA_NAME};
use super::state::{Bom, Lent, Line, MAX_NAME};
use super::{ParseError, Parser};
use crate::scan::{
    find_line_end_inline, find_long_line_end, find_long_line_end_taking, find_short_line_end,
    LONG_LINE,
};

/// What [`Parser::simple_frame`] found. Its own type, not one holding a
/// [`Ready`], so that each return is one small value (nesting made every
/// path slower); [`on_simple`] maps it.
pub(super) enum Simple<'c> {
    /// A one-line event, its data this part of the chunk.
    Event(&'c [u8]),
    /// A comment, its text this part of the chunk.
    Comment(&'c [u8]),
    /// An event whose data is in the data buffer.
    Buffered,
    Retry(u64),
    /// The input is used up and no frame is complete.
    Done,
    Error(ParseError),
    /// Anything else: leave it to [`Parser::advance`] (see
    /// [`Parser::long_simple_line`] for the one case where a line before
    /// it was consumed).
    Other,
}

/// The one map from the fast layer's result ([`Simple`]) to what its two
/// callers (`Parser::feed`, `Parser::for_each_frame`) do: a frame
/// to build ([`Ready`]), or what each does when there is none. A macro,
/// not a method returning a nested enum: that costs small events a
/// seventh more instructions, since the nested value is built and taken
/// apart again.
///
/// `on_simple!(simple, done => .., error(e) => .., other => ..)` is the
/// [`Ready`] to build; each other arm must diverge (`return`, `continue`).
macro_rules! on_simple {
    ($simple:expr, done => $done:expr, error($error:ident) => $on_error:expr, other => $other:expr $(,)?) => {
        match $simple {
            $crate::parser::fast::Simple::Event(data) => {
                $crate::parser::build::Ready::Event(Some(data))
            }
            $crate::parser::fast::Simple::Comment(text) => {
                $crate::parser::build::Ready::Comment(Some(text))
            }
            $crate::parser::fast::Simple::Buffered => $crate::parser::build::Ready::Event(None),
            $crate::parser::fast::Simple::Retry(ms) => $crate::parser::build::Ready::Retry(ms),
            $crate::parser::fast::Simple::Done => $done,
            $crate::parser::fast::Simple::Error($error) => $on_error,
            $crate::parser::fast::Simple::Other => $other,
        }
    };
}
pub(super) use on_simple;

impl Parser {
    /// The frames most streams are made of, taken without the general
    /// machine: whole lines of the known fields and blank lines, data and
    /// comment lines the chunk cuts, and small chunks that only continue a
    /// data line. Gives up ([`Simple::Other`]) at the start of anything
    /// else (a BOM, an unknown field, a cut `event`, `id` or `retry` line, a
    /// line past the event's checkpoint), before consuming it.
    ///
    /// `after_simple`: the caller knows that the last call returned a
    /// frame, which leaves the parser at the start of a line, past the
    /// BOM, not skipping (every frame here comes from a whole line), so
    /// that state is not tested again (a third of the loop's fixed cost
    /// per frame).
    ///
    /// `UNSEEN`: the caller takes every frame of the chunk without
    /// handing the parser back in between ([`Parser::try_for_each`]), so a
    /// comment with no data before it also takes the blank line after it
    /// (a heartbeat's): what that line does (commit the ID, reset the
    /// event type) cannot be seen before the next frame.
    #[inline(always)]
    pub(super) fn simple_frame<'c, const UNSEEN: bool>(
        &mut self,
        input: &mut &'c [u8],
        after_simple: bool,
    ) -> Simple<'c> {
        self.release_lent();
        debug_assert!(
            !after_simple || (self.line == Line::Start && self.bom == Bom::Done && !self.skipping)
        );
        // The gate: the one test of state, which `general_path_only`
        // keeps shut (`Bom::DoneGeneralOnly`).
        if !after_simple && (self.line != Line::Start || self.bom != Bom::Done || self.skipping) {
            if !self.resume_data_value(input) {
                return Simple::Other;
            }
            // Small chunks cut long data lines: most calls only continue one.
            if let Err(error) = self.continue_data(input) {
                return Simple::Error(error);
            }
            if self.line != Line::Start {
                return Simple::Done;
            }
            if self.bom != Bom::Done {
                // `general_path_only`: the next line is the general one's.
                // (One compare per line small chunks cut, on `next` and
                // `feed`: `for_each` continues such lines itself.)
                return Simple::Other;
            }
        }
        // Never with the fast layer off, which `Bom::DoneGeneralOnly` keeps.
        debug_assert!(self.bom == Bom::Done);
        loop {
            let bytes: &'c [u8] = input;
            let Some(&first) = bytes.first() else {
                return Simple::Done;
            };
            // Tested before it is reset, so that most lines store nothing.
            if self.after_cr {
                self.after_cr = false;
                if first == b'\n' {
                    *input = &bytes[1..];
                    continue;
                }
            }
            // Data lines first: most lines are.
            let field = if bytes.starts_with(DATA_NAME) {
                Field::Data
            } else {
                match first {
                    b'\n' | b'\r' => {
                        *input = self.skip_terminator(bytes, 0);
                        match self.dispatch() {
                            Some(_) => return Simple::Buffered,
                            None => continue,
                        }
                    }
                    b'd' => {
                        let outcome = self.cut_data_name(bytes);
                        if let Simple::Done = outcome {
                            *input = &[];
                        }
                        return outcome;
                    }
                    b':' => Field::Comment,
                    b'e' | b'i' | b'r' => match self.named_line(input) {
                        None => continue,
                        Some(outcome) => return outcome,
                    },
                    _ => return Simple::Other,
                }
            };
            let name_len = if field == Field::Data { 4 } else { 0 };
            let value_at = value_start(bytes, name_len);
            let Some(end) = bytes.get(value_at..).and_then(find_short_line_end) else {
                let outcome;
                (outcome, *input) = self.cut_simple_line(bytes, field, name_len, value_at);
                return outcome;
            };
            let end = value_at + end;
            if !self.budget.within(end) {
                return Simple::Other;
            }
            let value = &bytes[value_at..end];
            let rest = self.skip_terminator(bytes, end);
            *input = rest;
            if field == Field::Comment {
                if !self.config.comments {
                    continue;
                }
                if UNSEEN && self.data.is_empty() {
                    self.take_heartbeat_end(rest, input);
                }
                return Simple::Comment(value);
            }
            if let Some(event) = self.whole_data_line(value, input) {
                return Simple::Event(event);
            }
        }
    }

    /// A heartbeat's blank line, if `rest` starts with one, for a caller
    /// that takes every frame of the chunk unseen (`UNSEEN`): after a
    /// comment with no data before it, the blank line dispatches nothing,
    /// so it is taken with the comment.
    #[inline(always)]
    fn take_heartbeat_end<'c>(&mut self, rest: &'c [u8], input: &mut &'c [u8]) {
        if let Some(after) = self.skip_blank_line(rest) {
            *input = after;
            let nothing = self.dispatch();
            debug_assert!(nothing.is_none());
        }
    }

    /// A line of a known field for [`Self::simple_frame`], `bytes`, which
    /// [`find_short_line_end`] found no line end in: out of line, so that it
    /// does not weigh on whole lines. Unless the line is longer than that
    /// search ([`Self::long_simple_line`]), the chunk cuts it
    /// ([`Self::cut_data_line`], [`Self::cut_line`]). Returns what is left
    /// of `bytes` (by value: passing the caller's cursor by address would
    /// keep it out of registers).
    #[inline(never)]
    fn cut_simple_line<'c>(
        &mut self,
        bytes: &'c [u8],
        field: Field,
        name_len: usize,
        value_at: usize,
    ) -> (Simple<'c>, &'c [u8]) {
        if bytes.len() > value_at + LONG_LINE {
            let mut input = bytes;
            let outcome = self.long_simple_line(&mut input, field, value_at);
            return (outcome, input);
        }
        // A data line (the one small chunks cut at every event) has its
        // value's start found already. (Going through `cut_line` instead
        // costs 2% more instructions on 16-byte chunks.)
        let cut = if field == Field::Data {
            self.cut_data_line(bytes, value_at)
        } else {
            self.cut_line(bytes, field, name_len)
        };
        let outcome = match cut {
            Ok(()) => Simple::Done,
            Err(error) => Simple::Error(error),
        };
        (outcome, &[])
    }

    /// A line of [`Self::simple_frame`] longer than its first search (its
    /// value from `value_at`), which may yet end in `input`. A data line is
    /// searched on from there and, if chunks have cut long lines lately
    /// ([`Self::may_take_text`]), copied into the data's text as it is
    /// searched; a comment is left to [`Self::advance`]. A data line that
    /// ends in the chunk is taken as `simple_frame` takes one: then a
    /// borrowed one-line event, or else [`Simple::Other`] for the general
    /// path to go on from the next line (unlike elsewhere, after this line
    /// is consumed: rare enough that `simple_frame` need not loop back).
    #[inline(never)]
    fn long_simple_line<'c>(
        &mut self,
        input: &mut &'c [u8],
        field: Field,
        value_at: usize,
    ) -> Simple<'c> {
        let bytes: &'c [u8] = input;
        let value = &bytes[value_at..];
        if field != Field::Data {
            return Simple::Other;
        }
        let (taken, end) = if self.may_take_text(bytes.len()) {
            // Room for what the chunk may hold of it, at once.
            self.data.reserve_text(value.len());
            find_long_line_end_taking(value, self.data.taker())
        } else {
            (0, find_long_line_end(value))
        };
        let Some(end) = end else {
            // Cut: a line that long makes the next long line copied as it
            // is searched. (It may be longer than it looks, so a short
            // part does not tell the opposite.)
            self.data.long_lines |= value.len() >= super::data::LONG_DATA;
            *input = &[];
            self.line = Line::Data;
            return match self.count(bytes.len()) {
                Ok(()) => {
                    self.append_data(&value[taken..]);
                    Simple::Done
                }
                Err(error) => Simple::Error(error),
            };
        };
        if !self.budget.within(value_at + end) {
            // Left to the general path, uncopied. (Only a line copied as
            // searched has its copy to undo: the data was empty then.)
            if taken > 0 {
                self.data.undo_text();
            }
            return Simple::Other;
        }
        let value = &value[..end];
        self.data.long_lines = value.len() >= super::data::LONG_DATA;
        *input = self.skip_terminator(bytes, value_at + end);
        if taken > 0 {
            // Copied as searched: the event is buffered.
            self.append_data(&value[taken..]);
            self.data.end_line();
            return Simple::Other;
        }
        match self.whole_data_line(value, input) {
            Some(event) => Simple::Event(event),
            None => Simple::Other,
        }
    }

    /// If `cut`, the rest of the chunk, is the start of a data line's name
    /// that the end of the chunk cuts (`d` to `data`), keeps it as the name
    /// so far, for [`Self::resume_data_value`] to finish ([`Simple::Done`]:
    /// `cut` is used up); any other line starting with `d` is
    /// [`Simple::Other`].
    #[inline(never)]
    fn cut_data_name<'c>(&mut self, cut: &[u8]) -> Simple<'c> {
        if !starts_data_name(cut) || !self.budget.within(cut.len()) {
            return Simple::Other;
        }
        let mut bytes = [0; MAX_NAME];
        bytes[..cut.len()].copy_from_slice(cut);
        self.line = Line::Name {
            bytes,
            len: cut.len() as u8,
        };
        Simple::Done
    }

    /// Whether the parser is in the middle of a data line's value with
    /// nothing lent ([`Self::in_data_value`]), once what the last chunk cut
    /// of the line's `data: ` (its name, colon or space) is finished from
    /// `input`: small chunks cut it often. Changes nothing if not.
    #[inline(always)]
    fn resume_data_value(&mut self, input: &mut &[u8]) -> bool {
        if self.lent != Lent::Nothing {
            return false;
        }
        let name_rest = match self.line {
            Line::Data => return true,
            Line::Value {
                field: Field::Data,
                fresh: true,
            } => 0,
            Line::Name { bytes, len } => {
                let name = &bytes[..usize::from(len)];
                let rest = DATA_NAME.len() - name.len();
                match input.get(..rest) {
                    Some(rest) if name.iter().chain(rest).eq(DATA_NAME) => rest.len(),
                    _ => return false,
                }
            }
            _ => return false,
        };
        // The first byte of the value settles its leading space.
        let Some(&first) = input.get(name_rest) else {
            return false;
        };
        let taken = name_rest + usize::from(first == b' ');
        if !self.budget.within(taken) {
            return false;
        }
        *input = &input[taken..];
        self.line = Line::Data;
        true
    }

    /// A whole `event`, `id` or `retry` line for [`Self::simple_frame`]:
    /// `None` once applied with nothing to hand out, [`Simple::Other`] for
    /// any other line (before consuming it).
    #[inline(always)]
    fn named_line<'c>(&mut self, input: &mut &'c [u8]) -> Option<Simple<'c>> {
        let bytes: &'c [u8] = input;
        let Some((field @ (Field::Event | Field::Id | Field::Retry), name_len)) =
            self.known_field(bytes)
        else {
            return Some(Simple::Other);
        };
        let value_at = value_start(bytes, name_len);
        let Some(end) = bytes.get(value_at..).and_then(find_line_end_inline) else {
            return Some(Simple::Other);
        };
        let end = value_at + end;
        if !self.budget.within(end) {
            return Some(Simple::Other);
        }
        *input = self.skip_terminator(bytes, end);
        match self.apply(field, &bytes[value_at..end])? {
            Ready::Retry(ms) => Some(Simple::Retry(ms)),
            Ready::Event(_) | Ready::Comment(_) => None,
        }
    }
}

/// Whether `bytes`, all a chunk has left, start a data line's name and
/// colon without finishing them (`d` to `data`). (No `memcmp` call, which
/// `DATA_NAME.starts_with` makes.)
#[inline(always)]
fn starts_data_name(bytes: &[u8]) -> bool {
    bytes.len() < DATA_NAME.len() && bytes.iter().zip(DATA_NAME).all(|(b, d)| b == d)
}
