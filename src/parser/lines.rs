//! Line terminators and the BOM: "Parsing an event stream".
//!
//! "The stream must then be parsed by reading everything line by line, with
//! a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a
//! single U+000A LINE FEED (LF) character not preceded by a U+000D CARRIAGE
//! RETURN (CR) character, and a single U+000D CARRIAGE RETURN (CR)
//! character not followed by a U+000A LINE FEED (LF) character being the
//! ways in which a line can end."

use super::{Bom, ParseError, Parser};

/// U+FEFF in UTF-8: "One leading U+FEFF BYTE ORDER MARK character must be
/// ignored if any are present."
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

impl Parser {
    /// Returns what follows the line terminator at `bytes[end]`; a CR that
    /// is the last byte sets `after_cr`, so that an LF starting the next
    /// chunk is taken as the rest of a CRLF.
    #[inline(always)]
    pub(super) fn skip_terminator<'c>(&mut self, bytes: &'c [u8], end: usize) -> &'c [u8] {
        let rest = &bytes[end + 1..];
        if bytes[end] == b'\r' {
            match rest.first() {
                Some(b'\n') => return &rest[1..],
                None => self.after_cr = true,
                Some(_) => {}
            }
        }
        rest
    }

    /// If `input` starts with a blank line, returns what follows it.
    #[inline(always)]
    pub(super) fn skip_blank_line<'c>(&mut self, input: &'c [u8]) -> Option<&'c [u8]> {
        match input.first() {
            Some(b'\n' | b'\r') => Some(self.skip_terminator(input, 0)),
            _ => None,
        }
    }

    /// Drops a leading U+FEFF, however it is split; replays a partial match
    /// that turns out not to be one.
    pub(super) fn skip_bom(&mut self, input: &mut &[u8]) -> Result<(), ParseError> {
        let Bom::Expected(mut matched) = self.bom else {
            return Ok(());
        };
        while usize::from(matched) < BOM.len() {
            match input.first() {
                None => {
                    self.bom = Bom::Expected(matched);
                    return Ok(());
                }
                Some(&b) if b == BOM[usize::from(matched)] => {
                    matched += 1;
                    *input = &input[1..];
                }
                Some(_) => {
                    self.bom = self.past_bom();
                    // The bytes matched so far hold no line end: they start
                    // the first line.
                    return self.extend_line(&BOM[..usize::from(matched)]);
                }
            }
        }
        self.bom = self.past_bom();
        Ok(())
    }

    /// What [`Self::bom`] becomes past the BOM.
    fn past_bom(&self) -> Bom {
        if self.general_only {
            Bom::DoneGeneralOnly
        } else {
            Bom::Done
        }
    }
}
