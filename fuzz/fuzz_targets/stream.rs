//! Streams described by pieces and repeat counts, so that a short input
//! reaches long lines (32 KiB and more, copied as they are searched) and
//! events past 1 MiB (buffers trimmed after them), under every `Config`
//! option and with each layer of the parser alone. See `Plan::decode` for
//! the input layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sse_proto_fuzz::fuzz_invariants::check_stream(data));
