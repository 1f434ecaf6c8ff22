//! UTF-8 decoding as the Encoding Standard's decoder does it.
//!
//! Decoding field by field is the same as decoding the whole stream first:
//! CR, LF, `:` and space are ASCII, so they always end an invalid sequence
//! and never sit inside a valid one.

use alloc::string::String;

/// Appends `bytes` to `out`, each maximal invalid subpart replaced by one
/// U+FFFD (what `String::from_utf8_lossy` does, without allocating).
pub(crate) fn push_lossy(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
}

/// Views `bytes` as text: borrowed when valid UTF-8, else decoded lossily
/// into `scratch` (reused, so steady state does not allocate). Inlined, so
/// that valid text costs only `from_utf8`'s call.
#[inline(always)]
pub(crate) fn decode<'a>(bytes: &'a [u8], scratch: &'a mut String) -> &'a str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => decode_lossy(bytes, scratch),
    }
}

/// [`decode`] of invalid UTF-8: into `scratch`, each maximal invalid
/// subpart replaced by U+FFFD.
#[cold]
#[inline(never)]
fn decode_lossy<'a>(bytes: &[u8], scratch: &'a mut String) -> &'a str {
    scratch.clear();
    push_lossy(scratch, bytes);
    scratch
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn matches_from_utf8_lossy() {
        let cases: &[&[u8]] = &[
            b"plain",
            b"\xff",
            b"a\xe2\x82b",
            b"\xf0\x9f\x98",
            b"\xed\xa0\x80",
            b"\xef\xbb\xbf",
            b"\xc0\xaf\xe0\x80\xbf",
        ];
        for &case in cases {
            let mut out = String::new();
            push_lossy(&mut out, case);
            assert_eq!(out, String::from_utf8_lossy(case).to_string());
        }
    }
}
