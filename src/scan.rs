//! Finding line terminators fast, in safe code.
//!
//! Long stretches are tested 32 bytes per step: an `any` over a fixed-size
//! block with no early exit compiles to a few SIMD compares and one mask
//! test. Where a terminator is, and short stretches, are found a word at a
//! time (SWAR: eight bytes per `u64`), so no byte-by-byte loop is left.

const BLOCK: usize = 32;
const WORD: usize = 8;

const ONES: u64 = u64::from_ne_bytes([0x01; WORD]);
const HIGH: u64 = u64::from_ne_bytes([0x80; WORD]);

/// Returns the index of the first CR or LF in `hay`, if any.
#[inline]
pub(crate) fn find_line_end(hay: &[u8]) -> Option<usize> {
    // Short lines end within the first two words: look there before
    // setting up the block loop.
    let mut offset = 0;
    while offset < 2 * WORD {
        if let Some(found) = find_in_word(hay, offset) {
            return found;
        }
        offset += WORD;
    }
    if offset == hay.len() {
        // Exactly two words, as when small chunks cut a line.
        return None;
    }
    while let Some(block) = hay.get(offset..offset + BLOCK) {
        if block_has_line_end(block) {
            break;
        }
        offset += BLOCK;
    }
    loop {
        match find_in_word(hay, offset) {
            Some(found) => return found,
            None => offset += WORD,
        }
    }
}

/// Whether `block` holds a CR or LF. Written as two ORs of 0/1 bytes with
/// no early exit, which compiles to four SIMD compares and one mask test
/// (other spellings of the same `any` vectorise less cleanly).
#[inline(always)]
fn block_has_line_end(block: &[u8]) -> bool {
    let (mut lf, mut cr) = (0u8, 0u8);
    for &b in &block[..BLOCK] {
        lf |= u8::from(b == b'\n');
        cr |= u8::from(b == b'\r');
    }
    lf | cr != 0
}

/// Searches the word at `hay[offset..]`: `Some(result)` settles the search
/// (found, or `hay` ends within the word), `None` means "not in this word".
#[inline(always)]
fn find_in_word(hay: &[u8], offset: usize) -> Option<Option<usize>> {
    let Some(word) = hay.get(offset..offset + WORD) else {
        let tail = hay.get(offset..).unwrap_or_default();
        return Some(
            tail.iter()
                .position(|&b| is_line_end(b))
                .map(|i| offset + i),
        );
    };
    let mut bytes = [0; WORD];
    bytes.copy_from_slice(word);
    let mask = line_end_mask(u64::from_le_bytes(bytes));
    if mask == 0 {
        None
    } else {
        Some(Some(offset + (mask.trailing_zeros() / 8) as usize))
    }
}

/// The high bit of each byte of `word` that is CR or LF, and maybe of bytes
/// after the first such byte (a borrow can run upwards), never before it:
/// its lowest set bit marks the first terminator (little-endian order).
#[inline(always)]
fn line_end_mask(word: u64) -> u64 {
    let lf = word ^ (ONES * u64::from(b'\n'));
    let cr = word ^ (ONES * u64::from(b'\r'));
    (lf.wrapping_sub(ONES) & !lf | cr.wrapping_sub(ONES) & !cr) & HIGH
}

#[inline]
fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_terminator_at_every_position() {
        for len in 0..100 {
            for at in 0..len {
                for terminator in [b'\n', b'\r'] {
                    let mut hay = alloc::vec![b'x'; len];
                    hay[at] = terminator;
                    if at + 1 < len {
                        hay[at + 1] = b'\n';
                    }
                    assert_eq!(find_line_end(&hay), Some(at), "len {len} at {at}");
                }
            }
            assert_eq!(find_line_end(&alloc::vec![b'y'; len]), None);
        }
    }

    #[test]
    fn bytes_near_the_terminators_are_not_terminators() {
        // Neighbours of CR and LF, with and without the high bit, and the
        // bytes a word-at-a-time borrow could confuse.
        let decoys = [
            0x00, 0x01, 0x09, 0x0b, 0x0c, 0x0e, 0x8a, 0x8d, 0x7f, 0x80, 0xff,
        ];
        for len in 0..80 {
            let hay: alloc::vec::Vec<u8> = (0..len).map(|i| decoys[i % decoys.len()]).collect();
            assert_eq!(find_line_end(&hay), None, "len {len}");
            for at in 0..len {
                let mut hay = hay.clone();
                hay[at] = b'\r';
                assert_eq!(find_line_end(&hay), Some(at), "len {len} at {at}");
            }
        }
    }
}
