//! Learning from what was observed: the common factors (the economy, the districts, the
//! industries) move every block's delays, occupancy and revenue together, so blocks that are
//! late or fill slowly say something about the blocks not yet observed.
//!
//! Importance sampling of the factors: candidate vectors are drawn from a proposal twice as wide
//! as the prior (standard-normal draws scaled by [`PROPOSAL_SCALE`], so that evidence far in a
//! tail — every block late — still finds candidates), and each is weighted by its prior density
//! over the proposal's, times the likelihood of the observations given it.
//! A block's own randomness (whether it starts on time, how long it takes) is integrated out:
//! each observed block is simulated [`DRAWS_PER_BLOCK`] times under the candidate's factors, and
//! its facts are scored with Gaussian kernels (start and operation months: bandwidth 2 months;
//! occupancy: 0.1), averaged over those draws; a block's likelihood is a mixture with a
//! [`OUTLIER_SHARE`] chance that its observation lies outside what the model describes (so one
//! block far beyond every delay the scenario allows cannot dominate); the blocks' likelihoods
//! multiply. The
//! conditioned forecast then draws each trial's factors from the weighted candidates. Only the
//! factors are updated — every other parameter keeps its scenario distribution — and the
//! effective sample size says how much the evidence concentrated them. Under
//! [`MIN_EFFECTIVE_SAMPLE`] nothing is updated, and the report says so.
//!
//! Second, a conjugate update where the distribution allows it: whether a planned block starts
//! in its planned month is a Bernoulli draw, so the blocks whose planned month has passed are
//! binomial evidence on that probability ([`on_time_update`]); the blocks still to start get the
//! posterior mean.

use super::observations::{Observations, Seen};
use crate::engine::{map_rows, RunError};
use crate::model::{block_under, shocks_of, FactorPool, KnownBlock, KnownTime, Plan};
use crate::month::Month;
use crate::scenario::{ParamId, Scenario, FACTORS};
use crate::seeds::StartStatus;
use std::sync::atomic::AtomicBool;

/// Kernel bandwidths.
pub const MONTHS_BANDWIDTH: f64 = 2.0;
pub const OCCUPANCY_BANDWIDTH: f64 = 0.1;
/// Simulations of each observed block per candidate.
pub const DRAWS_PER_BLOCK: u64 = 16;
/// The proposal's standard-normal draws are scaled by this.
pub const PROPOSAL_SCALE: f64 = 2.0;
/// Chance that a block's observation lies outside what the model describes.
pub const OUTLIER_SHARE: f64 = 0.01;
/// Below this effective sample size the factors are not updated: the weighted mean of a factor
/// would carry a Monte Carlo error above about a fifth of its prior standard deviation.
pub const MIN_EFFECTIVE_SAMPLE: f64 = 30.0;

/// Mean and standard deviation of one factor before and after.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FactorUpdate {
    pub prior_mean: f64,
    pub prior_sd: f64,
    pub posterior_mean: f64,
    pub posterior_sd: f64,
}

/// What was learnt.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Learning {
    /// Candidate factor vectors weighed.
    pub prior_trials: u64,
    /// Observed facts used as evidence (starts, operations, occupancies).
    pub facts: usize,
    pub effective_sample: f64,
    /// Whether the factors were updated.
    pub updated: bool,
    /// By factor, in [`FACTORS`] order.
    pub factors: Vec<(String, FactorUpdate)>,
    /// The on-time probability of planned starts, if any planned start was due and observed.
    #[serde(default)]
    pub on_time: Option<OnTimeUpdate>,
}

/// log of a Gaussian kernel (up to a constant).
fn kernel(diff: f64, bandwidth: f64) -> f64 {
    -0.5 * (diff / bandwidth).powi(2)
}

/// The log kernel of one simulated block against its facts.
fn block_log_kernel(k: &KnownBlock, state: &crate::model::BlockState, months: f64) -> f64 {
    let never = months + 120.0;
    let (start, op) = (state.start.min(never), state.first_operation().min(never));
    let mut lw = 0.0;
    for (fact, sim) in [(k.start, start), (k.operation, op)] {
        match fact {
            Some(KnownTime::At(t)) => lw += kernel(sim - t, MONTHS_BANDWIDTH),
            Some(KnownTime::NotYet) if sim < k.as_of => lw += kernel(k.as_of - sim, MONTHS_BANDWIDTH),
            _ => {}
        }
    }
    if let Some(o) = k.occupancy {
        let delivered: f64 = state.phases[..state.n_phases].iter().filter(|(t, _)| *t < k.as_of).map(|(_, s)| s).sum();
        let sim = if delivered > 0.0 { state.occupied_m2(k.as_of) / state.area_m2.max(1e-9) / delivered } else { 0.0 };
        lw += kernel(sim - o, OCCUPANCY_BANDWIDTH);
    }
    lw
}

/// Facts a known block contributes.
fn facts(k: &KnownBlock) -> usize {
    k.start.is_some() as usize + k.operation.is_some() as usize + k.occupancy.is_some() as usize
}

/// Weighs `candidates` factor vectors (those of trials 0..candidates of `known_plan` without its
/// observations) by the observations of `known_plan`; returns what was learnt and, if the
/// evidence leaves enough effective sample, the pool to draw factors from.
pub fn learn(
    known_plan: &Plan,
    seed: u64,
    candidates: u64,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Learning, Option<FactorPool>), RunError> {
    let observed: Vec<(usize, KnownBlock)> = known_plan
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.known.as_deref().filter(|k| facts(k) > 0).map(|k| (i, k.clone())))
        .collect();
    let mut prior = known_plan.clone();
    for b in &mut prior.blocks {
        b.known = None;
    }
    prior.known = Default::default();
    let months = prior.months as f64;
    let rows = map_rows(
        candidates as usize,
        threads,
        cancel,
        progress,
        || vec![0.0; prior.months + 1],
        |grid, c| {
            use crate::engine::streams::{ids, Sampling, TrialKey, CITY};
            let mut rng = TrialKey::new(seed, c as u64, Sampling::Plain).block(CITY).counter(ids::PROPOSAL);
            let z: [f64; 7] =
                std::array::from_fn(|_| PROPOSAL_SCALE * crate::scenario::distribution::standard_normal(&mut rng));
            // log prior density over proposal density, per standard-normal draw
            let log_ratio: f64 = z
                .iter()
                .map(|z| -0.5 * z * z * (1.0 - 1.0 / (PROPOSAL_SCALE * PROPOSAL_SCALE)) + PROPOSAL_SCALE.ln())
                .sum();
            let (shocks, macro_mean) = shocks_of(&prior, seed, c as u64, Some(z));
            let mut deviations = shocks.factors;
            deviations[0] -= macro_mean;
            let mut log_l = 0.0;
            for (i, k) in &observed {
                // mean over the block's own draws of its kernel: log-sum-exp for stability
                let logs: Vec<f64> = (0..DRAWS_PER_BLOCK)
                    .map(|d| {
                        let block_trial = candidates + c as u64 * DRAWS_PER_BLOCK + d;
                        block_log_kernel(k, &block_under(&prior, seed, &shocks, block_trial, *i, grid), months)
                    })
                    .collect();
                let mean = logs.iter().map(|l| l.exp()).sum::<f64>() / DRAWS_PER_BLOCK as f64;
                log_l += ((1.0 - OUTLIER_SHARE) * mean + OUTLIER_SHARE).ln();
            }
            (deviations, log_l, log_ratio)
        },
    )?;
    let total_facts: usize = observed.iter().map(|(_, k)| facts(k)).sum();
    // prior weights (prior over proposal) and posterior weights (times the likelihood)
    let normalised = |logs: Vec<f64>| {
        let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        logs.into_iter().map(|l| (l - max).exp()).collect::<Vec<f64>>()
    };
    let prior_w = normalised(rows.iter().map(|r| r.2).collect());
    let prior_sum: f64 = prior_w.iter().sum();
    let weights = normalised(rows.iter().map(|r| r.1 + r.2).collect());
    let (sum, sum_sq): (f64, f64) = weights.iter().fold((0.0, 0.0), |(a, b), w| (a + w, b + w * w));
    let effective_sample = if sum_sq > 0.0 { sum * sum / sum_sq } else { 0.0 };
    let updated = total_facts > 0 && effective_sample >= MIN_EFFECTIVE_SAMPLE;
    let factors = (0..7)
        .map(|k| {
            let x: Vec<f64> = rows.iter().map(|r| r.0[k]).collect();
            let prior_mean = x.iter().zip(&prior_w).map(|(v, w)| v * w).sum::<f64>() / prior_sum;
            let prior_sd =
                (x.iter().zip(&prior_w).map(|(v, w)| w * (v - prior_mean).powi(2)).sum::<f64>() / prior_sum).sqrt();
            let (posterior_mean, posterior_sd) = if updated {
                let m = x.iter().zip(&weights).map(|(v, w)| v * w).sum::<f64>() / sum;
                let v = x.iter().zip(&weights).map(|(v, w)| w * (v - m).powi(2)).sum::<f64>() / sum;
                (m, v.sqrt())
            } else {
                (prior_mean, prior_sd)
            };
            (FACTORS[k].to_string(), FactorUpdate { prior_mean, prior_sd, posterior_mean, posterior_sd })
        })
        .collect();
    let pool = updated.then(|| FactorPool::new(rows.iter().map(|r| r.0).collect(), &weights));
    Ok((
        Learning { prior_trials: candidates, facts: total_facts, effective_sample, updated, factors, on_time: None },
        pool,
    ))
}

/// Prior strength (in blocks) of the scenario's on-time probability in the conjugate update: an
/// assumption — the scenario's figure counts as much as ten observed blocks.
pub const ON_TIME_PRIOR_STRENGTH: f64 = 10.0;

/// The on-time probability of planned starts, updated from the planned blocks whose planned
/// month has passed (Beta–Bernoulli: the scenario's mean probability as a Beta prior of
/// strength [`ON_TIME_PRIOR_STRENGTH`]).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OnTimeUpdate {
    pub prior_p: f64,
    pub on_time: usize,
    pub late: usize,
    pub posterior_p: f64,
}

/// The evidence on starting on time: planned blocks whose planned month is before the as-of
/// month and whose start was observed (or seen not to have happened).
pub fn on_time_update(scenario: &Scenario, plan: &Plan, obs: &Observations) -> Option<OnTimeUpdate> {
    let (mut on_time, mut late, mut prior_sum) = (0, 0, 0.0);
    for o in obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation)) {
        let Some(i) = scenario.blocks.iter().position(|b| b.id == o.id) else { continue };
        let planned = match scenario.blocks[i].start {
            StartStatus::PlannedMonth(m) => m,
            StartStatus::PlannedYear(y) => Month::new(y, 12).expect("valid"),
            _ => continue,
        };
        if planned >= obs.as_of {
            continue;
        }
        let hit = match o.started {
            Some(Seen::In(m)) => m <= planned,
            Some(Seen::NotYet) => false,
            None => continue,
        };
        if hit {
            on_time += 1;
        } else {
            late += 1;
        }
        prior_sum += plan.blocks[i].p(ParamId::StartOnTime).mean();
    }
    let n = on_time + late;
    (n > 0).then(|| {
        let prior_p = prior_sum / n as f64;
        let posterior_p = (ON_TIME_PRIOR_STRENGTH * prior_p + on_time as f64) / (ON_TIME_PRIOR_STRENGTH + n as f64);
        OnTimeUpdate { prior_p, on_time, late, posterior_p }
    })
}

/// Scales the on-time probability of every planned block whose start is not known by
/// posterior / prior (at most 1).
pub fn apply_on_time(plan: &mut Plan, u: &OnTimeUpdate) {
    let factor = if u.prior_p > 0.0 { u.posterior_p / u.prior_p } else { 1.0 };
    for b in &mut plan.blocks {
        let known_start = b.known.as_deref().is_some_and(|k| k.start.is_some());
        if known_start || !matches!(b.start, StartStatus::PlannedMonth(_) | StartStatus::PlannedYear(_)) {
            continue;
        }
        let p = (b.p(ParamId::StartOnTime).mean() * factor).clamp(0.0, 1.0);
        b.params[ParamId::StartOnTime as usize] = crate::scenario::Dist::bernoulli(p).expect("p in [0, 1]");
    }
}
