//! Where the parser is: in the stream (the BOM), in a line, and what the
//! last frame lent.

use super::fields::Field;

/// The longest known field name (`event`, `retry`).
pub(super) const MAX_NAME: usize = 5;

/// Whether the stream's leading BOM is behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bom {
    /// At the start of a stream, having matched this many BOM bytes.
    Expected(u8),
    /// Past it (or past where it would be).
    Done,
    /// [`Bom::Done`] with the fast layer off
    /// ([`Parser::general_path_only`](super::Parser::general_path_only)):
    /// the fast layer's gate asks for `Done`, so it then never opens.
    DoneGeneralOnly,
}

/// Which buffers the last frame borrowed, so they are cleared at the next
/// call and not while the frame still points into them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lent {
    Nothing,
    /// An event's data.
    Data,
    /// A comment cut across chunks: its frame lends the `comment_text`
    /// memo, and the line's bytes in `value` are cleared.
    Comment,
}

/// Where the parser is in an incomplete line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    /// At the start of a line.
    Start,
    /// No colon yet; the name so far is short enough to be a known field.
    Name { bytes: [u8; MAX_NAME], len: u8 },
    /// Past the colon of a field we keep. `fresh`: no value byte seen yet,
    /// so a leading space is still to be removed. (A data line that is not
    /// fresh is [`Line::Data`].)
    Value { field: Field, fresh: bool },
    /// In a data line's value, past its leading space: the rest of the line
    /// goes straight to the data buffer. Its own variant, so that small
    /// chunks that only continue a data line are told by one compare.
    Data,
    /// [`Line::Data`] while the event's data is all validated text
    /// ([`EventData::is_all_text`](super::data::EventData::is_all_text)):
    /// the line goes on there, on the general path
    /// ([`Parser::continue_text`](super::Parser::continue_text)), which
    /// long lines can afford.
    Text,
    /// The rest of this line does not matter.
    Ignored,
}

impl Line {
    /// Past the colon of `field`; `fresh` if no value byte is seen yet.
    pub(super) fn value(field: Field, fresh: bool) -> Self {
        if field == Field::Data && !fresh {
            Self::Data
        } else {
            Self::Value { field, fresh }
        }
    }
}
