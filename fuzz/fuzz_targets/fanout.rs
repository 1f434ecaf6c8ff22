//! The fan-out log against a model that keeps every event: any publishes,
//! subscriptions, resumptions and reads (decoded from the input) give each
//! subscriber exactly the encodings from its start on, once and in order, or
//! `Lagged` exactly when the ring passed it; the log stays within its
//! bounds. See `check_fanout_bytes`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_proto_fuzz::fanout_model::check_fanout_bytes;

fuzz_target!(|input: &[u8]| check_fanout_bytes(input));
