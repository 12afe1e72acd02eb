//! Random streams derived from (seed, trial, block, quantity).
//!
//! Every random quantity of a trial draws from its own generator, seeded by a strong hash of
//! where it is used. So the draws of one quantity never depend on how many draws another made:
//! changing one part of a scenario leaves every other draw as it was (common random numbers),
//! and results do not depend on which thread ran which trial.

use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;

/// Which random quantity a stream serves. The numbers are part of the reproducibility contract:
/// never renumber an existing quantity (add new ones at the end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Quantity {
    /// Common shocks of the trial (macro, district, industry factors).
    Shocks = 1,
    /// The existing base of the central city.
    Base = 2,
    /// A block's start date.
    Start = 3,
    /// A block's construction and fit-out.
    Build = 4,
    /// A block's floor area.
    Floor = 5,
    /// A block's occupancy ramp.
    Occupancy = 6,
    /// A block's firm intake.
    Firms = 7,
    /// A block's revenue and jobs.
    Economics = 8,
    /// The reserve block that may replace this block (有进有出).
    Reserve = 9,
    /// Draws conditioned on what monitoring observed (a remaining delay or build time, firms
    /// still to come).
    Condition = 10,
}

/// The "block" index used for city-wide quantities.
pub const CITY: u32 = u32::MAX;

/// SplitMix64's finaliser: a bijective mix with full avalanche.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generator for one quantity of one block (or [`CITY`]) in one trial of a run with `seed`.
#[inline]
pub fn stream(seed: u64, trial: u64, block: u32, quantity: Quantity) -> Xoshiro256PlusPlus {
    // Chain the parts through the mixer so that nearby tuples give unrelated seeds.
    let mut h = mix(seed ^ 0x9e37_79b9_7f4a_7c15);
    h = mix(h ^ trial);
    h = mix(h ^ ((block as u64) << 32 | quantity as u64));
    Xoshiro256PlusPlus::seed_from_u64(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first(seed: u64, trial: u64, block: u32, q: Quantity) -> u64 {
        stream(seed, trial, block, q).next_u64()
    }

    #[test]
    fn the_same_tuple_gives_the_same_draws() {
        let mut a = stream(42, 7, 3, Quantity::Start);
        let mut b = stream(42, 7, 3, Quantity::Start);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn every_part_of_the_tuple_changes_the_stream() {
        let base = first(42, 7, 3, Quantity::Start);
        assert_ne!(base, first(43, 7, 3, Quantity::Start));
        assert_ne!(base, first(42, 8, 3, Quantity::Start));
        assert_ne!(base, first(42, 7, 4, Quantity::Start));
        assert_ne!(base, first(42, 7, 3, Quantity::Build));
        assert_ne!(base, first(42, 7, CITY, Quantity::Start));
    }

    #[test]
    fn nearby_seeds_do_not_share_streams() {
        // seed s, trial t+1 must not equal seed s+1, trial t (the trap of `seed + i`)
        let mut seen = std::collections::HashSet::new();
        for seed in 0..50u64 {
            for trial in 0..50u64 {
                assert!(seen.insert(first(seed, trial, 0, Quantity::Start)), "collision at {seed}/{trial}");
            }
        }
    }

    #[test]
    fn first_draws_look_uniform() {
        // 20,000 first draws into 10 bins: chi-square with 9 df; 99.9 % critical value 27.88
        let mut bins = [0u32; 10];
        for trial in 0..20_000u64 {
            let u = crate::scenario::distribution::unit(&mut stream(1, trial, 0, Quantity::Shocks));
            bins[(u * 10.0) as usize] += 1;
        }
        let chi2: f64 = bins.iter().map(|&c| (c as f64 - 2000.0).powi(2) / 2000.0).sum();
        assert!(chi2 < 27.88, "chi2 {chi2}, bins {bins:?}");
    }
}
