//! Seeds: the one portable generator every call draws from, and fresh seeds for the shells.
//!
//! All randomness of a call comes from one ChaCha8 generator keyed by the run's seed. A draw of `k`
//! items takes one `next_u64` and picks `floor(x · total / 2^64)`, so a run replays identically on
//! every platform and every future version.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// The generator for a seed: the seed's little-endian bytes, then zeros, as the ChaCha8 key.
pub fn rng_for(seed: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    ChaCha8Rng::from_seed(key)
}

/// Draws an index below `total` from one 64-bit output: `floor(x · total / 2^64)`.
pub(crate) fn draw(rng: &mut ChaCha8Rng, total: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(total)) >> 64) as u64
}

/// A seed for a new call, for a shell to draw when the trainee starts one. The engine itself never
/// calls this: a call's dialogue and score depend only on the seed it is given.
pub fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.finish() % 1_000_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_portable() {
        // Pinned outputs of the seed-7 generator: a change of generator, key layout or draw rule
        // would change every recorded run, and fails here first.
        let mut rng = rng_for(7);
        let draws: Vec<u64> = (0..8).map(|_| draw(&mut rng, 1000)).collect();
        assert_eq!(draws, [764, 465, 5, 301, 386, 336, 354, 193]);
        assert_ne!(rng_for(1).next_u64(), rng_for(2).next_u64());
    }

    #[test]
    fn fresh_seeds_differ() {
        let seeds: std::collections::BTreeSet<u64> = (0..16).map(|_| fresh_seed()).collect();
        assert!(seeds.len() > 1, "fresh seeds repeat: {seeds:?}");
    }
}
