//! Randomness for jitter, from std alone.
//!
//! Jitter only has to keep clients that failed together from retrying
//! together; it needs no cryptographic strength, so no dependency.
//! `RandomState::new()` gives SipHash keys drawn from the operating system
//! once per thread and advanced at every call, so two sources, two threads
//! or two processes draw different sequences; hashing a counter with them
//! gives uniform bits.

use std::hash::{BuildHasher, Hasher, RandomState};

/// A source of `u32`s for [`Delay::jittered`](sse_proto::session::Delay::jittered).
#[derive(Debug)]
pub(crate) struct Jitter {
    keys: RandomState,
    count: u64,
}

impl Jitter {
    pub(crate) fn new() -> Self {
        Self {
            keys: RandomState::new(),
            count: 0,
        }
    }

    pub(crate) fn next(&mut self) -> u32 {
        let mut hasher = self.keys.build_hasher();
        hasher.write_u64(self.count);
        self.count = self.count.wrapping_add(1);
        // The high half: SipHash mixes every output bit alike.
        (hasher.finish() >> 32) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_differ_and_spread() {
        let mut jitter = Jitter::new();
        let draws: Vec<u32> = (0..1000).map(|_| jitter.next()).collect();
        let mut sorted = draws.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert!(sorted.len() > 990, "repeats: {}", 1000 - sorted.len());
        let high = draws.iter().filter(|&&draw| draw > u32::MAX / 2).count();
        assert!(
            (400..600).contains(&high),
            "{high} of 1000 in the upper half"
        );
        assert_ne!(Jitter::new().next(), Jitter::new().next());
    }
}
