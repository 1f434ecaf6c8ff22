//! Finding line terminators fast, in safe code.
//!
//! Everything works on fixed-size arrays, so LLVM sees constant lengths and
//! emits SIMD (SSE2 at least) with no bounds checks:
//! - The first 16 bytes, where short lines end, are one mask of CR/LF bytes
//!   (two compares and an OR), read as a `u128` whose trailing zeros give
//!   the position.
//! - Past them, 64-byte blocks are tested with a cheaper pre-filter (one
//!   AND and one compare per 16 bytes, one mask test per block); a block
//!   that passes is searched 16 bytes at a time, exactly.
//! - What is left after the blocks is searched 16 bytes at a time, the last
//!   16 overlapping bytes already searched (they hold no terminator, so the
//!   first one found is still the first).
//! - Fewer than 16 bytes in all are two overlapping words, searched
//!   word-at-a-time (SWAR), so no byte-by-byte loop is left.

const LANES: usize = 16;
const BLOCK: usize = 64;
const WORD: usize = 8;

const ONES: u64 = u64::from_ne_bytes([0x01; WORD]);
const HIGH: u64 = u64::from_ne_bytes([0x80; WORD]);

/// Returns the index of the first CR or LF in `hay`, if any.
#[inline]
pub(crate) fn find_line_end(hay: &[u8]) -> Option<usize> {
    let Some(head) = hay.first_chunk::<LANES>() else {
        return find_in_short(hay);
    };
    if let Some(at) = find_in_lanes(head) {
        return Some(at);
    }
    if hay.len() == LANES {
        // Exactly the head, as when 16-byte chunks cut a line.
        return None;
    }
    find_past_head(hay)
}

/// The search after the first `LANES` bytes of `hay` (at least that long)
/// found no terminator.
#[inline(always)]
fn find_past_head(hay: &[u8]) -> Option<usize> {
    // One induction variable (`offset`) keeps the loops' overhead to an
    // add, a compare and a branch per step.
    let mut offset = LANES;
    while let Some(block) = array_at::<BLOCK>(hay, offset) {
        if may_hold_line_end(block) {
            if let Some(at) = find_in_block(block) {
                return Some(offset + at);
            }
        }
        offset += BLOCK;
    }
    while let Some(lanes) = array_at::<LANES>(hay, offset) {
        if let Some(at) = find_in_lanes(lanes) {
            return Some(offset + at);
        }
        offset += LANES;
    }
    if offset == hay.len() {
        return None;
    }
    let last = hay.last_chunk::<LANES>()?;
    find_in_lanes(last).map(|at| hay.len() - LANES + at)
}

/// The `N` bytes of `hay` from `offset`, if there are that many.
#[inline(always)]
fn array_at<const N: usize>(hay: &[u8], offset: usize) -> Option<&[u8; N]> {
    hay.get(offset..offset.checked_add(N)?)?.try_into().ok()
}

/// Whether `block` may hold a CR or LF: whether a byte is in 0x08..=0x0f
/// (BS, TAB, LF, VT, FF, CR, SO, SI). One AND and one compare per 16 bytes
/// instead of the exact test's two compares and an OR; an OR of 0/1 bytes
/// with no early exit compiles to one mask test for the whole block.
#[inline(always)]
fn may_hold_line_end<const N: usize>(block: &[u8; N]) -> bool {
    let mut any = 0u8;
    for &b in block {
        any |= u8::from(b & 0xf8 == 0x08);
    }
    any != 0
}

/// The first CR or LF in `block`, if any (the pre-filter can pass a block
/// with none, e.g. for a tab).
#[inline(always)]
fn find_in_block(block: &[u8; BLOCK]) -> Option<usize> {
    let mut offset = 0;
    let mut rest: &[u8] = block;
    while let Some((lanes, after)) = rest.split_first_chunk::<LANES>() {
        if let Some(at) = find_in_lanes(lanes) {
            return Some(offset + at);
        }
        offset += LANES;
        rest = after;
    }
    None
}

/// The first CR or LF in `lanes`: 0xff for each such byte, as one `u128`
/// (little-endian, so its trailing zeros count the bytes before the first).
/// This spelling compiles to two SIMD compares and an OR; building a bit
/// mask instead does not vectorise.
#[inline(always)]
fn find_in_lanes(lanes: &[u8; LANES]) -> Option<usize> {
    if !may_hold_line_end(lanes) {
        return None;
    }
    let mut mask = [0u8; LANES];
    for (m, &b) in mask.iter_mut().zip(lanes) {
        *m = 0u8.wrapping_sub(u8::from(b == b'\n') | u8::from(b == b'\r'));
    }
    // 16 when there is none (only after a pre-filter false positive): one
    // compare here is cheaper than testing the `u128` for zero first.
    let at = (u128::from_le_bytes(mask).trailing_zeros() / 8) as usize;
    (at < LANES).then_some(at)
}

/// The first CR or LF in `hay`, shorter than `LANES`: its first and last
/// word (overlapping when shorter than two words), or for fewer than eight
/// bytes the same with half words, or for fewer than four its first, middle
/// and last byte, which are all of them.
#[inline(always)]
fn find_in_short(hay: &[u8]) -> Option<usize> {
    let len = hay.len();
    if let (Some(first), Some(last)) = (hay.first_chunk::<WORD>(), hay.last_chunk::<WORD>()) {
        return first_in_word(u64::from_le_bytes(*first))
            .or_else(|| first_in_word(u64::from_le_bytes(*last)).map(|at| len - WORD + at));
    }
    if let (Some(first), Some(last)) = (hay.first_chunk::<4>(), hay.last_chunk::<4>()) {
        let word =
            u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
        // Bytes 4.. of `word` are those from `len - 4` on.
        return first_in_word(word).map(|at| if at < 4 { at } else { at + len - WORD });
    }
    let (Some(&first), Some(&middle), Some(&last)) = (hay.first(), hay.get(len / 2), hay.last())
    else {
        return None;
    };
    // The zero bytes above are not terminators.
    first_in_word(u64::from(u32::from_le_bytes([first, middle, last, 0]))).map(|at| match at {
        0 => 0,
        1 => len / 2,
        _ => len - 1,
    })
}

/// The index of the first CR or LF among the bytes of `word`, little-endian.
#[inline(always)]
fn first_in_word(word: u64) -> Option<usize> {
    let mask = line_end_mask(word);
    if mask == 0 {
        None
    } else {
        Some((mask.trailing_zeros() / 8) as usize)
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn naive(hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&b| b == b'\n' || b == b'\r')
    }

    #[test]
    fn finds_the_first_terminator_at_every_position() {
        // Past every tier boundary: head, blocks, lanes, overlapping tail.
        for len in 0..200 {
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
        // Neighbours of CR and LF, with and without the high bit, the bytes
        // a word-at-a-time borrow could confuse, and those the block
        // pre-filter lets through (0x08..=0x0f).
        let decoys = [
            0x00, 0x01, 0x08, 0x09, 0x0b, 0x0c, 0x0e, 0x0f, 0x8a, 0x8d, 0x7f, 0x80, 0xff,
        ];
        for len in 0..200 {
            let hay: Vec<u8> = (0..len).map(|i| decoys[i % decoys.len()]).collect();
            assert_eq!(find_line_end(&hay), None, "len {len}");
            for at in 0..len {
                for terminator in [b'\n', b'\r'] {
                    let mut hay = hay.clone();
                    hay[at] = terminator;
                    assert_eq!(find_line_end(&hay), Some(at), "len {len} at {at}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_byte_by_byte_search(
            mut hay in proptest::collection::vec(
                prop_oneof![4 => any::<u8>(), 1 => 0x08u8..=0x0f, 1 => Just(0x8a)],
                0..400,
            ),
            terminators in proptest::collection::vec((any::<usize>(), any::<bool>()), 0..3),
            start in 0usize..80,
        ) {
            // Few terminators, so long stretches without one are common.
            for b in &mut hay {
                if *b == b'\n' || *b == b'\r' {
                    *b = b'x';
                }
            }
            for (at, cr) in terminators {
                if !hay.is_empty() {
                    let at = at % hay.len();
                    hay[at] = if cr { b'\r' } else { b'\n' };
                }
            }
            // Slices at any alignment, including mid-way into the data.
            let hay = hay.get(start..).unwrap_or_default();
            prop_assert_eq!(find_line_end(hay), naive(hay));
        }
    }
}
