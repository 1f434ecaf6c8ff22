//! Arbitrary bytes under a small event size limit: memory stays within the
//! limit and the parser resynchronises. See `check_limits` for the input
//! layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sse_proto_fuzz::fuzz_invariants::check_limits(data));
