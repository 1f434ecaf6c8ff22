//! Finding line terminators fast, in safe code.
//!
//! Everything works on fixed-size arrays, so LLVM sees constant lengths and
//! emits SIMD (SSE2 at least) with no bounds checks. No `core::arch`: safe
//! code cannot call it without `#[target_feature]` up to the public API.
//! - Every 16 bytes first go through a pre-filter: is any byte in
//!   0x08..=0x0f? One AND, one compare and one mask test, where the exact
//!   test takes two compares and an OR. Only 16 bytes that pass are masked
//!   exactly (0xff per CR/LF byte), and that mask read as a `u128` gives the
//!   position by its trailing zeros.
//! - The first 16 bytes, where short lines end, are searched so alone,
//!   and so are the next 16 (a short JSON value). The hot loop of whole
//!   lines searches the first 16 inline ([`find_line_end_inline`]), its
//!   exact test on two words read from memory ([`find_in_head`]), and
//!   small chunks that continue a line take them as one vector when they
//!   hold no line end ([`scan_head`]).
//! - Past them, 64-byte blocks pre-filtered at once (a subtract and a
//!   running minimum per 16 bytes, one mask test per block); a block that
//!   passes is searched 16 bytes at a time.
//! - Past a few blocks, a long line: 256 bytes per pre-filter step, then
//!   the blocks again within the stretch that stopped it. The simple path
//!   searches its first ~8 KiB only ([`find_short_line_end`]) and goes on
//!   from there ([`find_long_line_end`]); a caller that copies the line
//!   anyway has each clean 1 KiB stretch handed to it as soon as it is
//!   searched, while in L1 ([`find_line_end_taking`]).
//! - What is left after the blocks is searched 16 bytes at a time, the last
//!   16 overlapping bytes already searched (they hold no terminator, so the
//!   first one found is still the first).
//! - Fewer than 16 bytes in all are two overlapping words, searched
//!   word-at-a-time (SWAR), so no byte-by-byte loop is left.
//!
//! The pre-filter passes tabs and a few control bytes too: text full of
//! tabs costs an exact search of each 16 bytes holding one.

const LANES: usize = 16;
const BLOCK: usize = 64;
const WIDE: usize = 256;
/// Blocks searched one at a time before long stretches are skipped `WIDE`
/// bytes per step.
const NEAR_BLOCKS: usize = 4;
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
    find_past_head(hay)
}

/// [`find_line_end`] for the hot loop of whole lines: the first `LANES`
/// bytes, where most lines end, are searched inline, with no call; the
/// rest is a call.
#[inline(always)]
pub(crate) fn find_line_end_inline(hay: &[u8]) -> Option<usize> {
    find_in_head_then(hay, find_past_head_out_of_line)
}

/// The first `LANES` bytes of `hay` searched inline, then `past_head` (a
/// call) if they hold no terminator.
#[inline(always)]
fn find_in_head_then(hay: &[u8], past_head: fn(&[u8]) -> Option<usize>) -> Option<usize> {
    match hay.first_chunk::<LANES>() {
        Some(head) => match find_in_head(head) {
            Some(at) => Some(at),
            None => past_head(hay),
        },
        None => find_short_out_of_line(hay),
    }
}

// The two calls of `find_line_end_inline`: out of line, so that the hot
// loop it is inlined into keeps its registers.
#[inline(never)]
fn find_past_head_out_of_line(hay: &[u8]) -> Option<usize> {
    find_past_head(hay)
}

/// A line this long or longer is a long line: see [`find_short_line_end`].
/// About 8 KiB, so that what a long line costs more than a short one (its
/// search cut in two, a call or two) is little beside its length: where
/// the first blocks and then 31 `WIDE` steps end, so that a search cut
/// there ends with no partial step.
pub(crate) const LONG_LINE: usize = 2 * LANES + NEAR_BLOCKS * BLOCK + 31 * WIDE;

/// [`find_line_end_inline`] within the first [`LONG_LINE`] bytes of `hay`
/// only, for a caller that takes long lines another way
/// ([`find_long_line_end`], [`find_long_line_end_taking`]): `None` also
/// when `hay` is longer and has no terminator there. Short lines cost what
/// they cost `find_line_end_inline`.
#[inline(always)]
pub(crate) fn find_short_line_end(hay: &[u8]) -> Option<usize> {
    find_in_head_then(hay, find_short_past_head_out_of_line)
}

#[inline(never)]
fn find_short_past_head_out_of_line(hay: &[u8]) -> Option<usize> {
    find_past_head_then(hay, |hay, offset| {
        find_far(hay.get(..LONG_LINE).unwrap_or(hay), offset)
    })
}

/// [`find_line_end`] in `hay` whose first `LONG_LINE` bytes hold no line
/// end (as [`find_short_line_end`] found): the search goes on from there,
/// long stretches at a time.
#[inline]
pub(crate) fn find_long_line_end(hay: &[u8]) -> Option<usize> {
    find_far(hay, LONG_LINE.min(hay.len()))
}

/// [`find_long_line_end`] that takes what it searches, as
/// [`find_line_end_taking`] does (the first `LONG_LINE` bytes with the
/// first stretch).
#[inline]
pub(crate) fn find_long_line_end_taking(
    hay: &[u8],
    take: impl FnMut(&[u8]) -> Option<usize>,
) -> (usize, Option<usize>) {
    find_far_taking(hay, LONG_LINE.min(hay.len()), take)
}

/// The stretches [`find_line_end_taking`] hands over, at most (more only to
/// finish a character): small enough to stay in the L1 cache from the
/// search to the copy.
const TAKE: usize = 1024;

/// [`find_line_end`] for a caller that copies the line it searches (a data
/// line's value), so that a long line is read from memory once rather than
/// once to search it and again to copy it: past the first few blocks, each
/// clean stretch is offered to `take` as soon as it is searched, all bytes
/// not taken yet up to it. `take` returns how many of them it took (it may
/// leave the bytes of a character the stretch cuts for the next call), or
/// `None` to take no more.
///
/// Returns how many bytes from the start of `hay` were taken (never more
/// than up to the first terminator), and that terminator's index.
#[inline]
pub(crate) fn find_line_end_taking(
    hay: &[u8],
    take: impl FnMut(&[u8]) -> Option<usize>,
) -> (usize, Option<usize>) {
    let Some(head) = hay.first_chunk::<LANES>() else {
        return (0, find_in_short(hay));
    };
    if let Some(at) = find_in_lanes(head) {
        return (0, Some(at));
    }
    let mut taken = 0;
    let end = find_past_head_then(hay, |hay, offset| {
        let (far_taken, end) = find_far_taking(hay, offset, take);
        taken = far_taken;
        end
    });
    (taken, end)
}

#[inline(never)]
fn find_short_out_of_line(hay: &[u8]) -> Option<usize> {
    find_in_short(hay)
}

/// What the first `LANES` bytes of a haystack hold: see [`scan_head`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Head<'a> {
    /// No CR or LF: here they are, for the caller to take as one vector.
    Clean(&'a [u8; LANES]),
    /// The first `LANES` bytes, and the index of the first CR or LF in
    /// them.
    LineEnd(&'a [u8; LANES], usize),
    /// The haystack is shorter than `LANES`.
    Short,
}

/// Searches the first `LANES` bytes of `hay` only: for a caller that
/// takes clean bytes 16 at a time (copying them as one vector), as when
/// small chunks continue a line.
#[inline(always)]
pub(crate) fn scan_head(hay: &[u8]) -> Head<'_> {
    match hay.first_chunk::<LANES>() {
        Some(head) => match find_in_lanes(head) {
            Some(at) => Head::LineEnd(head, at),
            None => Head::Clean(head),
        },
        None => Head::Short,
    }
}

/// The search after the first `LANES` bytes of `hay` (at least that long)
/// found no terminator.
#[inline(always)]
fn find_past_head(hay: &[u8]) -> Option<usize> {
    find_past_head_then(hay, find_far)
}

/// [`find_past_head`] with `far` (given `hay` and the offset the first
/// blocks stopped at) for long lines.
#[inline(always)]
fn find_past_head_then(
    hay: &[u8],
    far: impl FnOnce(&[u8], usize) -> Option<usize>,
) -> Option<usize> {
    if hay.len() == LANES {
        // Exactly the head, as when 16-byte chunks cut a line.
        return None;
    }
    // Short values (a JSON object of a few fields) end in the next lanes:
    // searched alone, they skip the blocks' set-up.
    let mut offset = LANES;
    if let Some(lanes) = array_at::<LANES>(hay, offset) {
        if let Some(at) = find_in_lanes(lanes) {
            return Some(offset + at);
        }
        offset += LANES;
    }
    // Most lines end within a few blocks: search those a block at a time.
    match find_in_blocks(hay, offset, offset + NEAR_BLOCKS * BLOCK) {
        Ok(at) => Some(at),
        Err(offset) => far(hay, offset),
    }
}

/// The search of `hay` up to `offset` found no terminator, after the first
/// few blocks. Kept out of line, so that short lines do not pay for its
/// registers (inlined, every call saved and restored one).
#[inline(never)]
fn find_far(hay: &[u8], mut offset: usize) -> Option<usize> {
    // A long line: skip clean stretches `WIDE` bytes per step; the blocks
    // then find the terminator in the stretch that stopped this.
    while let Some(wide) = array_at::<WIDE>(hay, offset) {
        if blocks_may_hold_line_end(wide) {
            break;
        }
        offset += WIDE;
    }
    offset = match find_in_blocks(hay, offset, usize::MAX) {
        Ok(at) => return Some(at),
        Err(offset) => offset,
    };
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

/// [`find_far`] for [`find_line_end_taking`]: searches `TAKE` bytes at a
/// time (exactly when the pre-filter stops, so tabs do not end the
/// taking), offering each clean stretch to `take`.
fn find_far_taking(
    hay: &[u8],
    mut offset: usize,
    mut take: impl FnMut(&[u8]) -> Option<usize>,
) -> (usize, Option<usize>) {
    let mut taken = 0;
    // The bytes searched already first, a stretch at a time.
    let mut searched = 0;
    while searched < offset {
        searched = offset.min(searched + TAKE);
        match hay.get(taken..searched).and_then(&mut take) {
            Some(took) => taken += took,
            None => return (taken, find_far(hay, offset)),
        }
    }
    while let Some(stretch) = array_at::<TAKE>(hay, offset) {
        if blocks_may_hold_line_end(stretch) && find_in_blocks(stretch, 0, TAKE).is_ok() {
            break;
        }
        offset += TAKE;
        match hay.get(taken..offset).and_then(&mut take) {
            Some(took) => taken += took,
            None => break,
        }
    }
    (taken, find_far(hay, offset))
}

/// Searches the whole blocks of `hay` from `offset` that start before
/// `end`: `Ok` with the index of the first terminator, or `Err` with the
/// offset the blocks stopped at. (One induction variable keeps the loop's
/// overhead to an add, a compare and a branch per block.)
#[inline(always)]
fn find_in_blocks(hay: &[u8], mut offset: usize, end: usize) -> Result<usize, usize> {
    while offset < end {
        let Some(block) = array_at::<BLOCK>(hay, offset) else {
            break;
        };
        if blocks_may_hold_line_end(block) {
            if let Some(at) = find_in_block(block) {
                return Ok(offset + at);
            }
        }
        offset += BLOCK;
    }
    Err(offset)
}

/// The `N` bytes of `hay` from `offset`, if there are that many. Callers
/// keep `offset <= hay.len()`, and a slice is at most `isize::MAX` bytes,
/// so the sum cannot overflow.
#[inline(always)]
fn array_at<const N: usize>(hay: &[u8], offset: usize) -> Option<&[u8; N]> {
    hay.get(offset..offset + N)?.try_into().ok()
}

/// Whether `lanes` may hold a CR or LF: whether a byte is in 0x08..=0x0f
/// (BS, TAB, LF, VT, FF, CR, SO, SI). An OR of 0/1 bytes with no early
/// exit compiles to one AND, one compare and one mask test.
#[inline(always)]
fn may_hold_line_end(lanes: &[u8; LANES]) -> bool {
    let mut any = 0u8;
    for &b in lanes {
        any |= u8::from(b & 0xf8 == 0x08);
    }
    any != 0
}

/// [`may_hold_line_end`] for many lanes at once, cheaper per byte: a byte
/// is in 0x08..=0x0f exactly when it is below 8 after subtracting 8
/// (wrapping), so one subtract and one running minimum per 16 bytes, then
/// one compare and one mask test for the whole block.
#[inline(always)]
fn blocks_may_hold_line_end<const N: usize>(block: &[u8; N]) -> bool {
    let mut low = [u8::MAX; LANES];
    for lanes in block.chunks_exact(LANES) {
        for (min, &b) in low.iter_mut().zip(lanes) {
            *min = (*min).min(b.wrapping_sub(0x08));
        }
    }
    let mut any = 0u8;
    for &low in &low {
        any |= u8::from(low < 0x08);
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

/// [`find_in_lanes`] for the first `LANES` bytes of a line, where short
/// lines end: the same pre-filter, then the exact test as two words
/// (SWAR), read straight from memory. The vector mask would have to be
/// moved to general registers (through the stack, as LLVM does it) before
/// its trailing zeros are counted, and the next line's search waits on
/// this one's result: the words make that chain shorter, for a few more
/// instructions (comments, 30-byte events: 10-15% faster).
#[inline(always)]
fn find_in_head(lanes: &[u8; LANES]) -> Option<usize> {
    if !may_hold_line_end(lanes) {
        return None;
    }
    let words = u128::from_le_bytes(*lanes);
    let low = line_end_mask(words as u64);
    let high = line_end_mask((words >> 64) as u64);
    // 16 when there is none (after a pre-filter false positive).
    let at = if low != 0 {
        low.trailing_zeros() / 8
    } else {
        8 + high.trailing_zeros() / 8
    } as usize;
    (at < LANES).then_some(at)
}

/// The first CR or LF in `lanes`. Past the pre-filter: 0xff for each such
/// byte, as one `u128` (little-endian, so its trailing zeros count the
/// bytes before the first). This spelling compiles to two SIMD compares and
/// an OR; building a bit mask instead does not vectorise, and testing the
/// mask for zero as two `u64` halves scalarises it.
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
    // The zero byte is not a terminator.
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

    /// Every length up to 200 (head, blocks, lanes, overlapping tail), and
    /// lengths around where the wide steps start and end.
    fn lengths() -> impl Iterator<Item = usize> {
        let far = LANES + NEAR_BLOCKS * BLOCK;
        (0..200).chain(
            [far, far + WIDE, far + 2 * WIDE + BLOCK + LANES]
                .into_iter()
                .flat_map(|len| len - 1..=len + 1),
        )
    }

    #[test]
    fn finds_the_first_terminator_at_every_position() {
        for len in lengths() {
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
        for len in lengths() {
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

    #[test]
    fn the_head_is_clean_exactly_when_its_16_bytes_hold_no_terminator() {
        for len in 0..40 {
            for at in 0..=len {
                for (terminator, decoy) in [(b'\n', 0x09), (b'\r', 0x8d)] {
                    // A decoy the pre-filter passes (a tab) or one a
                    // careless mask might take (CR with its high bit).
                    let mut hay = alloc::vec![decoy; len];
                    if at < len {
                        hay[at] = terminator;
                    }
                    let expected = match hay.first_chunk::<LANES>() {
                        None => Head::Short,
                        Some(head) => match naive(head) {
                            Some(at) => Head::LineEnd(head, at),
                            None => Head::Clean(head),
                        },
                    };
                    assert_eq!(scan_head(&hay), expected, "len {len} at {at}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_byte_by_byte_search(
            mut hay in proptest::collection::vec(
                prop_oneof![4 => any::<u8>(), 1 => 0x08u8..=0x0f, 1 => Just(0x8a)],
                0..1200,
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
