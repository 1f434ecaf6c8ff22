//! Finding line terminators fast, in safe code.
//!
//! Lines are found by looking at 16 bytes per step: a fixed-size block
//! folded with `|` (no early exit) compiles to a handful of SIMD compares,
//! and only the one block that holds a terminator is searched byte by byte.

const BLOCK: usize = 16;

/// Returns the index of the first CR or LF in `hay`, if any.
#[inline]
pub(crate) fn find_line_end(hay: &[u8]) -> Option<usize> {
    let mut blocks = hay.chunks_exact(BLOCK);
    let mut offset = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |seen, &b| seen | is_line_end(b)) {
            return block
                .iter()
                .position(|&b| is_line_end(b))
                .map(|i| offset + i);
        }
        offset += BLOCK;
    }
    let tail = blocks.remainder();
    tail.iter()
        .position(|&b| is_line_end(b))
        .map(|i| offset + i)
}

#[inline(always)]
fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_terminator_at_every_position() {
        for len in 0..70 {
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
}
