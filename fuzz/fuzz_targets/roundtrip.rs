//! Arbitrary frames: whatever the encoder accepts parses back as it was
//! given (line breaks normalised to LF), whatever it refuses is refused with
//! the right typed error. See `check_roundtrip`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_proto_fuzz::roundtrip_invariants::{check_roundtrip, Item};

#[derive(Debug, Arbitrary)]
struct Input {
    items: Vec<Item>,
    /// How the encoding is cut before it is parsed back.
    chunk_sizes: Vec<u8>,
}

fuzz_target!(|input: Input| check_roundtrip(&input.items, &input.chunk_sizes));
