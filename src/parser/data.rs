//! The spec's data buffer: [`EventData`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::text::push_lossy;

/// Data lines this long are copied as they are searched, when the last
/// long one was too (see [`EventData::long_lines`]): long enough that
/// chunks of the usual sizes cut most of them.
pub(super) const LONG_DATA: usize = 32 * 1024;

/// The data of the event in progress: a start already validated as UTF-8
/// (`text`), then raw bytes (`bytes`); each line's value ends with LF.
///
/// The order is this type's to keep, so it keeps both halves private:
/// something goes to `text` only while `bytes` is empty (the data so far
/// is all text), and a line's LF always goes to `bytes`. So at the start of
/// a line `text` is empty if `bytes` is, and whatever clears one clears
/// both.
///
/// Why two halves: a long data line is copied into `text` as it is
/// searched (see [`Self::taker`]), each piece validated while in cache, so
/// that no pass over the event is left for dispatch.
#[derive(Debug, Clone, Default)]
pub(super) struct EventData {
    text: String,
    bytes: Vec<u8>,
    /// The last long data line was one of [`LONG_DATA`] bytes or more, as
    /// far as the parser saw it (a chunk cut it): copy the next one into
    /// `text` as it is searched. Only a guess, for speed: chunks cut most
    /// lines that long and the copy is then made anyway, but a line that
    /// ends inside its chunk is better borrowed than copied.
    pub(super) long_lines: bool,
}

impl EventData {
    /// The bytes held.
    pub(super) fn len(&self) -> usize {
        self.text.len() + self.bytes.len()
    }

    /// Whether nothing went to the raw bytes: at the start of a line,
    /// whether the event has no data. (Mid-line, `text` may hold the line
    /// so far: see [`Self::is_all_text`].)
    #[inline(always)]
    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Whether there is data and it is all validated text: the data line in
    /// progress goes on there.
    pub(super) fn is_all_text(&self) -> bool {
        self.bytes.is_empty() && !self.text.is_empty()
    }

    /// Drops the data (after a dispatch, or when an event is dropped).
    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.text.clear();
    }

    /// Drops the data and the long-line guess: a new stream.
    pub(super) fn reset(&mut self) {
        self.clear();
        self.long_lines = false;
    }

    /// "Append the field value to the data buffer, then append a single
    /// U+000A LINE FEED (LF) character to the data buffer."
    #[inline(always)]
    pub(super) fn push_line(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
        self.bytes.push(b'\n');
    }

    /// Ends a data line whose value is already appended: its LF.
    #[inline(always)]
    pub(super) fn end_line(&mut self) {
        self.bytes.push(b'\n');
    }

    /// Appends part of a data line's value to the raw bytes.
    #[inline(always)]
    pub(super) fn append(&mut self, bytes: &[u8]) {
        append(&mut self.bytes, bytes);
    }

    /// Appends part of a data line's value: to `text` as far as it is valid
    /// UTF-8 while the data so far is all there, the rest to the raw bytes.
    pub(super) fn append_taking(&mut self, bytes: &[u8]) {
        let taken = if self.is_all_text() {
            take_text(&mut self.text, bytes).unwrap_or(0)
        } else {
            0
        };
        append(&mut self.bytes, bytes.get(taken..).unwrap_or_default());
    }

    /// Whether `len` bytes fit in the raw bytes' spare room.
    #[inline(always)]
    pub(super) fn has_room(&self, len: usize) -> bool {
        self.bytes.capacity() - self.bytes.len() >= len
    }

    /// Appends the line that ends at `head[at]` (a CR or LF) as one vector
    /// copy, cut back to the line and its terminator, which becomes the
    /// line's LF. A call to `memcpy` would cost more. Only into room there
    /// is ([`Self::has_room`]): the bytes past the line must not make the
    /// buffer grow.
    #[inline(always)]
    pub(super) fn push_head_line(&mut self, head: &[u8; 16], at: usize) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(head);
        self.bytes.truncate(start + at + 1);
        if let Some(terminator) = self.bytes.last_mut() {
            *terminator = b'\n';
        }
    }

    /// Appends 16 bytes of a data line's value as one vector copy.
    #[inline(always)]
    pub(super) fn append_head(&mut self, head: &[u8; 16]) {
        self.bytes.extend_from_slice(head);
    }

    /// Makes room for `len` bytes of text, at once.
    pub(super) fn reserve_text(&mut self, len: usize) {
        self.text.reserve(len);
    }

    /// What copies a data line into `text` as it is searched, for the
    /// `take` of [`crate::scan::find_line_end_taking`]: only while the data
    /// so far is all text (`bytes` is empty); the caller appends what it
    /// did not take with [`Self::append_taking`].
    pub(super) fn taker(&mut self) -> impl FnMut(&[u8]) -> Option<usize> + '_ {
        debug_assert!(self.bytes.is_empty());
        let text = &mut self.text;
        move |bytes| take_text(text, aligned_start(bytes))
    }

    /// Undoes a copy made by [`Self::taker`] at the start of a line: with
    /// no data before it, `text` holds only that line's.
    pub(super) fn undo_text(&mut self) {
        debug_assert!(self.bytes.is_empty());
        self.text.clear();
    }

    /// "If the data buffer's last character is a U+000A LINE FEED (LF)
    /// character, then remove the last character from the data buffer."
    /// (It always is: each line ends with one, in the raw bytes.)
    pub(super) fn pop_line_feed(&mut self) {
        debug_assert_eq!(self.bytes.last(), Some(&b'\n'));
        self.bytes.pop();
    }

    /// Whether the data starts with validated text: then it is
    /// [`Self::decoded`], else [`Self::raw`] (to decode).
    #[inline(always)]
    pub(super) fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// The data, raw, when it has no validated start ([`Self::has_text`]).
    #[inline(always)]
    pub(super) fn raw(&self) -> &[u8] {
        debug_assert!(self.text.is_empty());
        &self.bytes
    }

    /// The data as text when it starts with validated text
    /// ([`Self::has_text`]): the raw rest decoded and appended to it.
    #[inline(always)]
    pub(super) fn decoded(&mut self) -> &str {
        append_decoded(&mut self.text, &self.bytes)
    }

    /// Gives back what each half holds beyond `capacity` bytes, keeping
    /// the contents.
    pub(super) fn shrink_to(&mut self, capacity: usize) {
        self.bytes.shrink_to(capacity);
        self.text.shrink_to(capacity);
    }
}

/// Appends `bytes` to `buffer` in pieces of at most [`COPY_PIECE`] bytes.
///
/// One long copy is slower than pieces on some machines: from 4 KiB up,
/// glibc's `memcpy` uses `rep movsb`, which AMD Zen cores run at about a
/// twentieth of their speed when the destination lies a few bytes past
/// the source modulo 4 KiB. A data line split across chunks lands there
/// for some events and not others (measured on this project's `large`
/// workload). Shorter pieces keep `memcpy`'s vector loop, as fast
/// everywhere.
#[inline(always)]
fn append(buffer: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() <= COPY_PIECE {
        buffer.extend_from_slice(bytes);
    } else {
        buffer.reserve(bytes.len());
        for piece in bytes.chunks(COPY_PIECE) {
            buffer.extend_from_slice(piece);
        }
    }
}

/// See [`append`].
const COPY_PIECE: usize = 2048;

/// Appends to `text` the longest start of `bytes` that ends a character,
/// if it is valid UTF-8: the number of bytes taken, or `None` (nothing
/// taken) if they are not valid. The bytes of a character cut at the end
/// are left for the next call. (Copying data while it is in cache and
/// validating it then spares a pass over the whole event at dispatch.)
fn take_text(text: &mut String, bytes: &[u8]) -> Option<usize> {
    let whole = bytes.len() - cut_character_len(bytes);
    let valid = core::str::from_utf8(bytes.get(..whole)?).ok()?;
    text.push_str(valid);
    Some(whole)
}

/// The start of `bytes` that ends at an address that is a multiple of 16
/// (all of them if there are fewer). `from_utf8` validates 16 bytes per
/// step from an aligned address, and byte by byte before and after: so
/// when each piece ends so aligned, the next starts so, and only the first
/// and last pieces of a line have such bytes.
fn aligned_start(bytes: &[u8]) -> &[u8] {
    let end = (bytes.as_ptr() as usize).wrapping_add(bytes.len());
    let past = end % 16;
    match bytes.len().checked_sub(past) {
        Some(0) | None => bytes,
        Some(len) => &bytes[..len],
    }
}

/// How many bytes at the end of `bytes` start a character they do not
/// finish: up to 3. (Only a well-formed start counts; `from_utf8` judges
/// the rest.)
fn cut_character_len(bytes: &[u8]) -> usize {
    for (back, &b) in bytes.iter().rev().take(3).enumerate() {
        if b & 0xc0 != 0x80 {
            // The last character starts here, `back + 1` bytes from the end.
            let len = match b {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            return if len > back + 1 { back + 1 } else { 0 };
        }
    }
    0
}

/// The data of a buffered event whose data starts in `text`, as text: the
/// raw bytes decoded and appended to it. (`text` ends with a whole
/// character, so decoding the rest on its own decodes it as decoding the
/// whole would.)
#[cold]
#[inline(never)]
fn append_decoded<'a>(text: &'a mut String, bytes: &[u8]) -> &'a str {
    match core::str::from_utf8(bytes) {
        Ok(rest) => text.push_str(rest),
        Err(_) => push_lossy(text, bytes),
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_taken_up_to_the_last_whole_character() {
        for text in ["ab", "é", "世", "🌍", "a🌍b世é"] {
            let bytes = text.as_bytes();
            for end in 0..=bytes.len() {
                let whole = (0..=end).rev().find(|&at| text.is_char_boundary(at));
                let mut taken = String::new();
                assert_eq!(
                    take_text(&mut taken, &bytes[..end]),
                    whole,
                    "{text:?} to {end}"
                );
                assert_eq!(Some(taken.as_str()), whole.map(|whole| &text[..whole]));
            }
        }
        // Not a character cut short: invalid, so nothing is taken.
        for bad in [
            &b"a\xFFb"[..],
            b"\xE2\x82a",
            b"ab\x82",
            b"\xF8\x88\x80",
            b"a\xFF",
        ] {
            let mut taken = String::new();
            assert_eq!(take_text(&mut taken, bad), None, "{bad:?}");
            assert!(taken.is_empty());
        }
    }
}
