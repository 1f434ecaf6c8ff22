//! The general layer: [`Parser::advance`] takes any input, byte by byte
//! if need be, from any state. The fast layer leaves to it whatever it
//! does not take.

use core::mem;

use super::build::Ready;
use super::fields::{strip_space, value_start, Field};
use super::state::{Bom, Lent, Line, MAX_NAME};
use super::{ParseError, Parser};
use crate::scan::find_line_end;

impl Parser {
    /// Parses `input` up to the next frame (`None`: it is used up first).
    ///
    /// Inlined, with `start_line` and `continue_line`, into each of its two
    /// callers (`feed_general`, `next_general`): the calls cost 5-10% on
    /// small events.
    #[inline(always)]
    pub(super) fn advance<'c>(
        &mut self,
        input: &mut &'c [u8],
    ) -> Result<Option<Ready<'c>>, ParseError> {
        self.release_lent();
        if let Bom::Expected(_) = self.bom {
            self.skip_bom(input)?;
        }
        while let Some(&first) = input.first() {
            if mem::take(&mut self.after_cr) && first == b'\n' {
                *input = &input[1..];
                continue;
            }
            let ready = match self.line {
                Line::Start => self.start_line(input)?,
                _ => self.continue_line(input)?,
            };
            if ready.is_some() {
                return Ok(ready);
            }
        }
        Ok(None)
    }

    /// At the start of a line, with `input` not empty.
    #[inline(always)]
    fn start_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        let bytes: &'c [u8] = input;
        if let Some(rest) = self.skip_blank_line(bytes) {
            // Every block ends with one: no need to scan for it.
            *input = rest;
            return Ok(self.dispatch());
        }
        if self.skipping {
            return self.skip_line(input);
        }
        let Some((field, name_len)) = self.known_field(bytes) else {
            return self.other_line(input);
        };
        let value_at = value_start(bytes, name_len);
        let Some(end) = bytes.get(value_at..).and_then(find_line_end) else {
            *input = &[];
            self.cut_line(bytes, field, name_len)?;
            return Ok(None);
        };
        let end = value_at + end;
        *input = self.skip_terminator(bytes, end);
        self.count(end)?;
        let value = &bytes[value_at..end];
        match field {
            Field::Data => Ok(self
                .whole_data_line(value, input)
                .map(|event| Ready::Event(Some(event)))),
            Field::Comment => Ok(Some(Ready::Comment(Some(value)))),
            _ => Ok(self.apply(field, value)),
        }
    }

    /// A line ignored because its event went over the limit.
    #[cold]
    fn skip_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        let bytes: &'c [u8] = input;
        match find_line_end(bytes) {
            Some(end) => *input = self.skip_terminator(bytes, end),
            None => {
                *input = &[];
                self.line = Line::Ignored;
            }
        }
        Ok(None)
    }

    /// Any other non-blank line: a comment when comments are off, a field
    /// we ignore, or a name without a colon (`data` alone is a field).
    #[inline(never)]
    fn other_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        let bytes: &'c [u8] = input;
        let Some(end) = find_line_end(bytes) else {
            *input = &[];
            self.extend_line(bytes)?;
            return Ok(None);
        };
        *input = self.skip_terminator(bytes, end);
        let line = &bytes[..end];
        self.count(line.len())?;
        let Some((field, value)) = self.split_field(line) else {
            return Ok(None);
        };
        Ok(match field {
            Field::Comment => Some(Ready::Comment(Some(value))),
            _ => self.apply(field, value),
        })
    }

    /// In the middle of a line, with `input` not empty.
    #[inline(always)]
    fn continue_line<'c>(&mut self, input: &mut &'c [u8]) -> Result<Option<Ready<'c>>, ParseError> {
        if self.in_data_value() {
            return self.continue_data(input).map(|()| None);
        }
        if self.line == Line::Text {
            return self.continue_text(input).map(|()| None);
        }
        let bytes: &'c [u8] = input;
        let end = find_line_end(bytes);
        let piece = &bytes[..end.unwrap_or(bytes.len())];
        *input = match end {
            Some(end) => self.skip_terminator(bytes, end),
            None => &[],
        };
        let extended = self.extend_line(piece);
        if end.is_none() {
            return extended.map(|()| None);
        }
        let line = mem::replace(&mut self.line, Line::Start);
        extended?;
        Ok(self.end_line(line))
    }

    /// Appends `piece` (no line end in it) to the incomplete line.
    pub(super) fn extend_line(&mut self, piece: &[u8]) -> Result<(), ParseError> {
        if self.skipping {
            self.line = Line::Ignored;
            return Ok(());
        }
        if self.line == Line::Start {
            self.line = Line::Name {
                bytes: [0; MAX_NAME],
                len: 0,
            };
        }
        self.count(piece.len())?;
        let mut piece = piece;
        if let Line::Name { mut bytes, len } = self.line {
            let len = usize::from(len);
            let room = MAX_NAME + 1 - len;
            match piece.iter().take(room).position(|&b| b == b':') {
                Some(colon) => {
                    let name_end = len + colon;
                    bytes[len..name_end].copy_from_slice(&piece[..colon]);
                    self.line = match self.field_named(&bytes[..name_end]) {
                        Some(field) => Line::value(field, true),
                        None => Line::Ignored,
                    };
                    piece = &piece[colon + 1..];
                }
                None if len + piece.len() <= MAX_NAME => {
                    bytes[len..len + piece.len()].copy_from_slice(piece);
                    self.line = Line::Name {
                        bytes,
                        len: (len + piece.len()) as u8,
                    };
                    return Ok(());
                }
                None => self.line = Line::Ignored,
            }
        }
        self.append_value(piece);
        Ok(())
    }

    /// Appends `piece` to the value of the incomplete line, if it has one
    /// we keep.
    fn append_value(&mut self, mut piece: &[u8]) {
        let field = match self.line {
            Line::Data | Line::Text => Field::Data,
            Line::Value { field, fresh } => {
                if fresh && !piece.is_empty() {
                    piece = strip_space(piece);
                    self.line = Line::value(field, false);
                }
                field
            }
            Line::Start | Line::Name { .. } | Line::Ignored => return,
        };
        match field {
            Field::Data => self.data.append(piece),
            _ => self.value.extend_from_slice(piece),
        }
    }

    /// The incomplete line `line` just ended.
    fn end_line<'c>(&mut self, line: Line) -> Option<Ready<'c>> {
        match line {
            // No colon: the whole line is the field name, the value is empty.
            Line::Name { bytes, len } => {
                let field = self.field_named(&bytes[..usize::from(len)])?;
                self.apply(field, &[])
            }
            // Data went straight into the data buffer; it only needs its LF.
            Line::Data
            | Line::Text
            | Line::Value {
                field: Field::Data, ..
            } => self.apply(Field::Data, &[]),
            Line::Value {
                field: Field::Comment,
                ..
            } => {
                self.lent = Lent::Comment;
                Some(Ready::Comment(None))
            }
            Line::Value { field, .. } => {
                let value = mem::take(&mut self.value);
                let ready = self.apply(field, &value);
                self.value = value;
                self.value.clear();
                ready
            }
            Line::Start | Line::Ignored => None,
        }
    }

    /// A line of a known field (its name `name_len` bytes, then its colon),
    /// `bytes`, that the end of the chunk cuts: its name is whole, so what
    /// there is goes straight to its value, and no byte of it is searched
    /// twice. It happens once per chunk at most. (Data lines: see
    /// [`Self::cut_data_line`].)
    #[inline]
    pub(super) fn cut_line(
        &mut self,
        bytes: &[u8],
        field: Field,
        name_len: usize,
    ) -> Result<(), ParseError> {
        if field == Field::Data {
            return self.cut_data_line(bytes, value_start(bytes, name_len));
        }
        let ignored = field == Field::Comment && !self.config.comments;
        self.line = if ignored {
            Line::Ignored
        } else {
            // Any byte past the colon settles the leading space.
            let fresh = bytes.len() == name_len + 1;
            Line::value(field, fresh)
        };
        // (`count` turns the line `Ignored` on error.)
        self.count(bytes.len())?;
        let value = bytes
            .get(value_start(bytes, name_len)..)
            .unwrap_or_default();
        if !ignored {
            self.value.extend_from_slice(value);
        }
        Ok(())
    }
}
