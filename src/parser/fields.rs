//! "Interpreting an event stream": what a line means, whichever layer
//! found it.

use core::mem;

use super::build::Ready;
use super::state::{Lent, MAX_NAME};
use super::Parser;
use crate::text::push_lossy;

/// A data line's name and colon.
pub(super) const DATA_NAME: &[u8; 5] = b"data:";

/// The fields the parser acts on (comments count as one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Data,
    Event,
    Id,
    Retry,
    Comment,
}

impl Parser {
    /// The field a line starts with if its name and colon are there, and
    /// the name's length: settles nearly every line from its first bytes.
    #[inline(always)]
    pub(super) fn known_field(&self, bytes: &[u8]) -> Option<(Field, usize)> {
        // One branch on the first byte, then one compare of a fixed name.
        match bytes.first()? {
            b'd' if bytes.starts_with(DATA_NAME) => Some((Field::Data, 4)),
            b':' if self.config.comments => Some((Field::Comment, 0)),
            b'i' if bytes.starts_with(b"id:") => Some((Field::Id, 2)),
            b'e' if bytes.starts_with(b"event:") => Some((Field::Event, 5)),
            b'r' if bytes.starts_with(b"retry:") => Some((Field::Retry, 5)),
            _ => None,
        }
    }

    /// Splits a whole, non-empty line into a field we act on and its value:
    /// the general split, for the lines [`Self::known_field`] does not
    /// settle (no colon, an unknown name, a comment when comments are off).
    ///
    /// "If the line starts with a U+003A COLON character (:): ignore the
    /// line. If the line contains a U+003A COLON character (:): collect the
    /// characters on the line before the first U+003A COLON character (:),
    /// and let field be that string. Collect the characters on the line
    /// after the first U+003A COLON character (:), and let value be that
    /// string. If value starts with a U+0020 SPACE character, remove it
    /// from value. Otherwise, the string is not empty but does not contain
    /// a U+003A COLON character (:): use the whole line as the field name,
    /// and the empty string as the field value."
    #[inline]
    pub(super) fn split_field<'l>(&self, line: &'l [u8]) -> Option<(Field, &'l [u8])> {
        let head = &line[..line.len().min(MAX_NAME + 1)];
        let (name, value) = match head.iter().position(|&b| b == b':') {
            Some(colon) => (&line[..colon], strip_space(&line[colon + 1..])),
            None if line.len() <= MAX_NAME => (line, &[][..]),
            None => return None,
        };
        Some((self.field_named(name)?, value))
    }

    /// The field called `name` (the empty name is a comment's, if they are
    /// reported): "Otherwise: The field is ignored."
    pub(super) fn field_named(&self, name: &[u8]) -> Option<Field> {
        match name {
            b"data" => Some(Field::Data),
            b"event" => Some(Field::Event),
            b"id" => Some(Field::Id),
            b"retry" => Some(Field::Retry),
            b"" if self.config.comments => Some(Field::Comment),
            _ => None,
        }
    }

    /// Processes a field, as "Interpreting an event stream" says. Comments
    /// are the caller's: they become a frame wherever their text is.
    #[inline(always)]
    pub(super) fn apply(&mut self, field: Field, value: &[u8]) -> Option<Ready<'static>> {
        match field {
            // "Append the field value to the data buffer, then append a
            // single U+000A LINE FEED (LF) character to the data buffer."
            Field::Data => self.data.push_line(value),
            // "Set the event type buffer to the field value."
            Field::Event => {
                self.event_type.clear();
                self.event_type.extend_from_slice(value);
            }
            // "If the field value does not contain U+0000 NULL, then set the
            // last event ID buffer to the field value."
            Field::Id => {
                if value.iter().all(|&b| matches!(b, 1..=0x7f)) {
                    // ASCII without NUL (IDs nearly always are): each byte
                    // is its own char (the mask tells the compiler each is
                    // one byte of UTF-8), so nothing needs validating.
                    self.id_buffer.clear();
                    self.id_buffer
                        .extend(value.iter().map(|&b| char::from(b & 0x7f)));
                    self.id_pending = true;
                } else if !value.contains(&0) {
                    self.id_buffer.clear();
                    push_lossy(&mut self.id_buffer, value);
                    self.id_pending = true;
                }
            }
            // "If the field value consists of only ASCII digits, then
            // interpret the field value as an integer in base ten, and set
            // the event stream's reconnection time to that integer."
            Field::Retry => {
                let ms = parse_retry(value)?;
                self.reconnection_time = Some(ms);
                return Some(Ready::Retry(ms));
            }
            Field::Comment => {}
        }
        None
    }

    /// A whole data line whose value is `value`, with `input` just past
    /// it: both layers take one so. A one-line event whose blank line
    /// follows in the chunk is handed out borrowed, copying nothing (the
    /// value is returned, and `input` is past the blank line); any other
    /// is appended to the data buffer.
    #[inline(always)]
    pub(super) fn whole_data_line<'c>(
        &mut self,
        value: &'c [u8],
        input: &mut &'c [u8],
    ) -> Option<&'c [u8]> {
        if self.data.is_empty() {
            if let Some(after) = self.skip_blank_line(input) {
                *input = after;
                // What the blank line does; the event is the caller's.
                self.end_block();
                return Some(value);
            }
        }
        self.data.push_line(value);
        None
    }

    /// A blank line: "dispatch the event".
    pub(super) fn dispatch<'c>(&mut self) -> Option<Ready<'c>> {
        self.end_block();
        // "If the data buffer is an empty string, set the data buffer and the
        // event type buffer to the empty string and return."
        debug_assert!(
            !self.data.is_all_text(),
            "text with no line end at a line start"
        );
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        // "If the data buffer's last character is a U+000A LINE FEED (LF)
        // character, then remove the last character from the data buffer."
        self.data.pop_line_feed();
        self.lent = Lent::Data;
        Some(Ready::Event(None))
    }

    /// What every blank line does before any event is built: commit the ID,
    /// and start counting (and no longer skipping) a new block.
    #[inline]
    pub(super) fn end_block(&mut self) {
        self.commit_id();
        self.budget.start_event();
        self.skipping = false;
    }

    /// "Set the last event ID string of the event source to the value of the
    /// last event ID buffer."
    fn commit_id(&mut self) {
        // Tested before it is reset, so that most blank lines store nothing.
        if self.id_pending {
            self.id_pending = false;
            // A swap, not a copy: the buffer's old contents are never read,
            // because it is only committed again after an `id` field has
            // overwritten it (`id_pending`), and `finish` resets it.
            mem::swap(&mut self.last_event_id, &mut self.id_buffer);
        }
    }
}

/// Where the value of a line that starts with a known name of `name_len`
/// bytes and its colon begins: after the colon and at most one space.
/// (Neither is a line end, so the search for one can start there.)
#[inline(always)]
pub(super) fn value_start(line: &[u8], name_len: usize) -> usize {
    let after_colon = name_len + 1;
    after_colon + usize::from(line.get(after_colon) == Some(&b' '))
}

/// "If value starts with a U+0020 SPACE character, remove it from value."
pub(super) fn strip_space(value: &[u8]) -> &[u8] {
    value.strip_prefix(b" ").unwrap_or(value)
}

/// A `retry` value: only ASCII digits, at least one, fitting in `u64`.
fn parse_retry(value: &[u8]) -> Option<u64> {
    /// More digits than this may not fit; fewer cannot overflow.
    const SAFE_DIGITS: usize = 19;
    if value.is_empty() {
        return None;
    }
    if value.len() <= SAFE_DIGITS {
        let mut ms = 0u64;
        for &b in value {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            ms = ms * 10 + u64::from(digit);
        }
        return Some(ms);
    }
    value.iter().try_fold(0u64, |ms, &b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        ms.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_accepts_only_digits_that_fit() {
        assert_eq!(parse_retry(b"0"), Some(0));
        assert_eq!(parse_retry(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_retry(b"18446744073709551616"), None);
        // The unchecked loop's longest input, and leading zeros past it.
        assert_eq!(
            parse_retry(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_retry(b"0000000000000000000000042"), Some(42));
        assert_eq!(parse_retry(b"99999999999999999999"), None);
        for bad in [
            &b""[..],
            b"+1",
            b"-1",
            b" 1",
            b"1 ",
            b"1.5",
            b"12a",
            b"\xd9\xa1",
        ] {
            assert_eq!(parse_retry(bad), None, "{bad:?}");
        }
    }
}
