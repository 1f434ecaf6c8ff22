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

/// The check of the `fanout` target: the fan-out log against its model.
#[path = "../../tests/common/fanout_model.rs"]
pub mod fanout_model;

/// The check of the `roundtrip` target, on structured input.
#[path = "../../tests/common/roundtrip_invariants.rs"]
pub mod roundtrip_invariants;

use arbitrary::{Arbitrary, Unstructured};
use roundtrip_invariants::Item;

/// `arbitrary` builds the `roundtrip` target's items; done by hand here
/// because `Item` is shared with the tests, which do not use `arbitrary`.
impl<'a> Arbitrary<'a> for Item {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.int_in_range(0..=3u8)? {
            0 => Self::Message {
                data: u.arbitrary()?,
                event_type: u.arbitrary()?,
                id: u.arbitrary()?,
            },
            1 => Self::IdOnly(u.arbitrary()?),
            2 => Self::Comment(u.arbitrary()?),
            _ => Self::Retry(u.arbitrary()?),
        })
    }
}
