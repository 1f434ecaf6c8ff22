//! The invariants the fuzz targets check. They live beside the integration
//! tests (`tests/common/`) so that `tests/fuzz_regressions.rs` replays every
//! input a fuzzer found with the very same checks; this crate only includes
//! them, under the same module names.

/// The reference model of the standard: the oracle.
#[path = "../../tests/common/reference.rs"]
pub mod reference;

/// The checks of the `parse` and `limits` targets, on the raw input.
#[path = "../../tests/common/fuzz_invariants.rs"]
pub mod fuzz_invariants;

/// The check of the `roundtrip` target, on structured input.
#[path = "../../tests/common/roundtrip_invariants.rs"]
pub mod roundtrip_invariants;
