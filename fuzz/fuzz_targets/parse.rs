//! Arbitrary bytes, cut by an arbitrary chunking plan: the parser agrees
//! with itself (one-shot and chunked) and with the reference model.
//! See `check_parse` for the input layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sse_proto_fuzz::fuzz_invariants::check_parse(data));
