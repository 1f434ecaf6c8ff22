//! The invariants the fuzz targets check. They live beside the integration
//! tests (`tests/common/`) so that `tests/fuzz_regressions.rs` replays every
//! input a fuzzer found with the very same checks; this crate only includes
//! them.

/// The reference model of the standard: the oracle.
#[path = "../../tests/common/reference.rs"]
pub mod reference;

/// The checks, one per target, on the fuzzer's raw input.
#[path = "../../tests/common/fuzz_invariants.rs"]
pub mod invariants;
