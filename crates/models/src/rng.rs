//! The random number generator of neurotype: seeded, portable, reproducible.

use rand::SeedableRng;

/// Xoshiro256++ — a fixed algorithm (unlike `StdRng`), so the same seed gives the same numbers
/// on every platform and every version of `rand`.
pub type Rng = rand::rngs::Xoshiro256PlusPlus;

/// A generator from a 64-bit seed.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// A generator for one component of a seeded whole: mixes the component's stream number into
/// the seed, so components drawn in any order get independent, reproducible streams.
pub fn stream(seed: u64, stream: u64) -> Rng {
    seeded(derive(seed, stream))
}

/// The seed of stream `stream` of `seed` (what [`stream`] seeds its generator with), for
/// components that split their own stream further.
pub fn derive(seed: u64, stream: u64) -> u64 {
    // SplitMix64 finaliser of seed ⊕ golden-ratio·stream
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
