//! Random numbers keyed by what they are: (seed, trial, block, scalar id, index).
//!
//! Every random scalar of a trial is a pure function of its key: a uniform in (0, 1) made by
//! hashing (seed, trial, block, id) with SplitMix64's finaliser (counter-based, like Philox or
//! Threefry, but with a cheaper mixer). Scalar ids are stable names (a parameter's key path,
//! e.g. `start.delay_months`, or a model draw's name such as `block.industry`), hashed once:
//! adding a parameter, fixing one or changing its family never moves any other draw, and no
//! draw depends on which thread ran its trial.
//!
//! Continuous parameters take exactly one uniform each (inversion). Counts whose number of
//! uniforms varies (Poisson and binomial firm intake) draw from a [`Counter`] stream of their
//! own key, so how many words they use touches nothing else.
//!
//! Under Latin hypercube sampling ([`Sampling::Lhs`]) the uniform of each (block, scalar) is
//! stratified over the trials of each block of [`LHS_TRIALS`] consecutive trials: trial `j`
//! of the block gets stratum `π(j)` of a keyed random permutation `π`, and a keyed uniform
//! within it. Strata are fixed by the trial index alone (never by how many trials a run has),
//! so trial k is the same trial in a run of any length, on any number of threads.

/// How the uniforms of a run are sampled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sampling {
    /// Independent uniforms for every trial (plain Monte Carlo).
    #[default]
    Plain,
    /// Latin hypercube: each scalar's uniforms stratified within each block of trials.
    Lhs,
}

impl Sampling {
    pub const NAMES: [&'static str; 2] = ["plain", "lhs"];

    pub fn name(self) -> &'static str {
        match self {
            Sampling::Plain => "plain",
            Sampling::Lhs => "lhs",
        }
    }

    pub fn from_name(name: &str) -> Option<Sampling> {
        match name {
            "plain" => Some(Sampling::Plain),
            "lhs" => Some(Sampling::Lhs),
            _ => None,
        }
    }
}

/// Trials per Latin hypercube block: the same as the engine's chunk, so a chunk is one block.
pub const LHS_TRIALS: u64 = super::run::CHUNK_TRIALS;

/// The "block" index used for city-wide quantities.
pub const CITY: u32 = u32::MAX;

/// The stream index of annex block `i`'s reserve block (有进有出).
pub const fn reserve_of(i: u32) -> u32 {
    100 + i
}

/// SplitMix64's finaliser: a bijective mix with full avalanche.
#[inline]
pub const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// The key of a name (FNV-1a of its bytes, then mixed): stable across versions and builds.
pub const fn name_key(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    mix(h)
}

/// Names of the model's own random scalars (not scenario parameters).
pub mod ids {
    use super::name_key;
    /// The industry group of a block whose group is undetermined.
    pub const INDUSTRY: u64 = name_key("block.industry");
    /// When in the occupancy ramp the anchors arrive.
    pub const ANCHOR_OFFSET: u64 = name_key("firms.anchor_offset");
    /// Rounding offsets of the monthly firm-count paths.
    pub const TECH_PATH: u64 = name_key("firms.tech_path_offset");
    pub const SPECIALIZED_PATH: u64 = name_key("firms.specialized_path_offset");
    pub const NATIONAL_PATH: u64 = name_key("firms.national_path_offset");
    pub const ARRIVED_CERTIFIED_PATH: u64 = name_key("firms.arrived_certified_path_offset");
    /// The geometric wait of an undetermined block for its start.
    pub const START_WAIT: u64 = name_key("start.wait");
    /// Monitoring: the conditional draws given what was observed.
    pub const COND_START: u64 = name_key("condition.start");
    pub const COND_START_WAIT: u64 = name_key("condition.start_wait");
    pub const COND_BUILD: u64 = name_key("condition.build");
    pub const FACTOR_POOL: u64 = name_key("condition.factor_pool");
    /// Count streams (Poisson and binomial draws).
    pub const TECH_AT_DEADLINE: u64 = name_key("count.tech_at_deadline");
    pub const TECH_AFTER_KNOWN: u64 = name_key("count.tech_after_known");
    pub const TECH_EXTRA: u64 = name_key("count.tech_extra");
    pub const SPECIALIZED_AT_DEADLINE: u64 = name_key("count.specialized_at_deadline");
    pub const SPECIALIZED_AFTER_KNOWN: u64 = name_key("count.specialized_after_known");
    pub const SPECIALIZED_EXTRA: u64 = name_key("count.specialized_extra");
    pub const ARRIVED_CERTIFIED_AT_DEADLINE: u64 = name_key("count.arrived_certified_at_deadline");
    pub const ARRIVED_CERTIFIED_AFTER_KNOWN: u64 = name_key("count.arrived_certified_after_known");
    pub const ARRIVED_CERTIFIED_EXTRA: u64 = name_key("count.arrived_certified_extra");
    pub const NATIONAL_AT_DEADLINE: u64 = name_key("count.national_at_deadline");
    pub const NATIONAL_EXTRA: u64 = name_key("count.national_extra");
    pub const EXTRA_ANCHORS: u64 = name_key("count.extra_anchors");
    /// Monitoring's proposals of common-factor values.
    pub const PROPOSAL: u64 = name_key("condition.factor_proposal");
}

/// The key of one common factor's standard-normal draw (before correlation), by factor name.
pub fn factor_key(name: &str) -> u64 {
    name_key(name) ^ name_key("shocks.factor")
}

/// A uniform in the open interval (0, 1) from 53 bits of `x`.
#[inline]
fn open_unit(x: u64) -> f64 {
    ((x >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// The smallest and largest uniforms handed out (keeps inverse CDFs of unbounded families finite).
const U_MIN: f64 = 0.5 / (1u64 << 53) as f64;
const U_MAX: f64 = 1.0 - U_MIN;

/// A keyed random permutation of `0..n` (n ≤ 2³²): a four-round Feistel network on the
/// smallest power of four ≥ n, cycle-walking until the value falls below n.
#[inline]
fn permute(key: u64, j: u64, n: u64) -> u64 {
    let bits = (64 - (n.max(2) - 1).leading_zeros()).div_ceil(2) as u64; // half-width
    let mask = (1u64 << bits) - 1;
    let mut x = j;
    loop {
        let (mut l, mut r) = (x >> bits, x & mask);
        for round in 0..4u64 {
            let f = mix(key ^ (r << 8 | round)) & mask;
            (l, r) = (r, l ^ f);
        }
        x = l << bits | r;
        if x < n {
            return x;
        }
    }
}

/// The random keys of one trial.
#[derive(Clone, Copy, Debug)]
pub struct TrialKey {
    key: u64,
    /// Latin hypercube: (key of the trial's block of trials, index in it).
    lhs: Option<(u64, u64)>,
}

/// The random keys of one block (or [`CITY`]) in one trial.
#[derive(Clone, Copy, Debug)]
pub struct BlockKey {
    key: u64,
    lhs: Option<(u64, u64)>,
}

impl TrialKey {
    pub fn new(seed: u64, trial: u64, sampling: Sampling) -> TrialKey {
        let run = mix(seed ^ GOLDEN);
        let lhs = match sampling {
            Sampling::Plain => None,
            Sampling::Lhs => Some((mix(run ^ mix((trial / LHS_TRIALS) ^ 0x4c48_5300)), trial % LHS_TRIALS)),
        };
        TrialKey { key: mix(run ^ trial), lhs }
    }

    #[inline]
    pub fn block(&self, block: u32) -> BlockKey {
        let b = (block as u64 + 1).wrapping_mul(GOLDEN);
        BlockKey { key: mix(self.key ^ b), lhs: self.lhs.map(|(k, j)| (mix(k ^ b), j)) }
    }
}

impl BlockKey {
    /// The uniform of scalar `id`: in (0, 1), never 0 or 1.
    #[inline]
    pub fn uniform(&self, id: u64) -> f64 {
        let v = open_unit(mix(self.key ^ id));
        match self.lhs {
            None => v,
            Some((k, j)) => {
                let stratum = permute(mix(k ^ id), j, LHS_TRIALS);
                ((stratum as f64 + v) / LHS_TRIALS as f64).clamp(U_MIN, U_MAX)
            }
        }
    }

    /// The uniform number `index` of scalar `id` (plain sampling, never stratified): for draws
    /// that may need several uniforms.
    #[inline]
    pub fn uniform_at(&self, id: u64, index: u64) -> f64 {
        open_unit(mix(mix(self.key ^ id) ^ index.wrapping_mul(GOLDEN)))
    }

    /// A stream of its own for scalar `id` (counts that use a variable number of words).
    #[inline]
    pub fn counter(&self, id: u64) -> Counter {
        Counter(mix(self.key ^ id ^ 0x636f_756e_7473))
    }
}

/// SplitMix64 as a random generator: free to seed, one word per step.
#[derive(Clone, Debug)]
pub struct Counter(u64);

impl rand::TryRng for Counter {
    type Error = core::convert::Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(GOLDEN);
        Ok(mix(self.0))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let w = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(seed: u64, trial: u64, block: u32, id: u64) -> f64 {
        TrialKey::new(seed, trial, Sampling::Plain).block(block).uniform(id)
    }

    #[test]
    fn the_same_key_gives_the_same_uniform_and_every_part_changes_it() {
        let id = name_key("start.delay_months");
        let base = u(42, 7, 3, id);
        assert_eq!(base, u(42, 7, 3, id));
        assert_ne!(base, u(43, 7, 3, id));
        assert_ne!(base, u(42, 8, 3, id));
        assert_ne!(base, u(42, 7, 4, id));
        assert_ne!(base, u(42, 7, CITY, id));
        assert_ne!(base, u(42, 7, 3, name_key("start.on_time")));
    }

    #[test]
    fn nearby_seeds_and_trials_do_not_share_uniforms() {
        // seed s, trial t+1 must not equal seed s+1, trial t (the trap of `seed + i`)
        let mut seen = std::collections::HashSet::new();
        for seed in 0..50u64 {
            for trial in 0..50u64 {
                assert!(seen.insert(u(seed, trial, 0, ids::INDUSTRY).to_bits()), "collision at {seed}/{trial}");
            }
        }
    }

    #[test]
    fn uniforms_look_uniform() {
        // 20,000 uniforms into 10 bins: chi-square with 9 df; 99.9 % critical value 27.88
        let mut bins = [0u32; 10];
        for trial in 0..20_000u64 {
            let x = u(1, trial, 0, ids::INDUSTRY);
            assert!(x > 0.0 && x < 1.0);
            bins[(x * 10.0) as usize] += 1;
        }
        let chi2: f64 = bins.iter().map(|&c| (c as f64 - 2000.0).powi(2) / 2000.0).sum();
        assert!(chi2 < 27.88, "chi2 {chi2}, bins {bins:?}");
    }

    #[test]
    fn permutations_are_bijections() {
        for n in [1u64, 2, 3, 10, 1000, 10_000] {
            let mut seen = vec![false; n as usize];
            for j in 0..n {
                let p = permute(12345, j, n) as usize;
                assert!(!seen[p], "n {n}: {p} twice");
                seen[p] = true;
            }
        }
    }

    #[test]
    fn latin_hypercube_puts_one_trial_in_each_stratum_of_every_scalar() {
        for id in [ids::INDUSTRY, name_key("build.duration_months")] {
            let mut seen = vec![false; LHS_TRIALS as usize];
            for trial in LHS_TRIALS..2 * LHS_TRIALS {
                let x = TrialKey::new(9, trial, Sampling::Lhs).block(5).uniform(id);
                let s = (x * LHS_TRIALS as f64) as usize;
                assert!(!seen[s], "stratum {s} twice");
                seen[s] = true;
            }
        }
        // and the two scalars' strata are not the same permutation
        let a = TrialKey::new(9, 3, Sampling::Lhs).block(5);
        assert_ne!((a.uniform(ids::INDUSTRY) * 1e4) as u64, (a.uniform(ids::TECH_PATH) * 1e4) as u64);
    }

    #[test]
    fn counters_depend_on_their_key_only() {
        use rand::Rng;
        let k = TrialKey::new(1, 2, Sampling::Plain).block(3);
        let (mut a, mut b) = (k.counter(ids::TECH_EXTRA), k.counter(ids::TECH_EXTRA));
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(k.counter(ids::TECH_EXTRA).next_u64(), k.counter(ids::NATIONAL_EXTRA).next_u64());
    }
}
