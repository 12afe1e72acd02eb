//! Learning from what was observed: the common factors (the economy, the districts, the
//! industries) move every block's delays, occupancy and revenue together, so blocks that are
//! late or fill slowly say something about the blocks not yet observed.
//!
//! Importance re-weighting of candidate factor vectors (the factors of prior trials, drawn from
//! the scenario): each candidate is weighted by the likelihood of the observations given it.
//! A block's own randomness (whether it starts on time, how long it takes) is integrated out:
//! each observed block is simulated [`DRAWS_PER_BLOCK`] times under the candidate's factors, and
//! its facts are scored with Gaussian kernels (start and operation months: bandwidth 2 months;
//! occupancy: 0.1), averaged over those draws; the block's likelihoods multiply. The
//! conditioned forecast then draws each trial's factors from the weighted candidates. Only the
//! factors are updated — every other parameter keeps its scenario distribution — and the
//! effective sample size says how much the evidence concentrated them. Under
//! [`MIN_EFFECTIVE_SAMPLE`] nothing is updated, and the report says so.

use crate::engine::{map_rows, RunError};
use crate::model::{block_under, shocks_of, FactorPool, KnownBlock, KnownTime, Plan};
use crate::scenario::FACTORS;
use std::sync::atomic::AtomicBool;

/// Kernel bandwidths.
pub const MONTHS_BANDWIDTH: f64 = 2.0;
pub const OCCUPANCY_BANDWIDTH: f64 = 0.1;
/// Simulations of each observed block per candidate.
pub const DRAWS_PER_BLOCK: u64 = 16;
/// Below this effective sample size the factors are not updated.
pub const MIN_EFFECTIVE_SAMPLE: f64 = 100.0;

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
            let (shocks, macro_mean) = shocks_of(&prior, seed, c as u64);
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
                let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                log_l += max + (logs.iter().map(|l| (l - max).exp()).sum::<f64>() / DRAWS_PER_BLOCK as f64).ln();
            }
            (deviations, log_l)
        },
    )?;
    let total_facts: usize = observed.iter().map(|(_, k)| facts(k)).sum();
    let max = rows.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = rows.iter().map(|r| (r.1 - max).exp()).collect();
    let (sum, sum_sq): (f64, f64) = weights.iter().fold((0.0, 0.0), |(a, b), w| (a + w, b + w * w));
    let effective_sample = if sum_sq > 0.0 { sum * sum / sum_sq } else { 0.0 };
    let updated = total_facts > 0 && effective_sample >= MIN_EFFECTIVE_SAMPLE;
    let n = rows.len() as f64;
    let factors = (0..7)
        .map(|k| {
            let x: Vec<f64> = rows.iter().map(|r| r.0[k]).collect();
            let prior_mean = x.iter().sum::<f64>() / n;
            let prior_sd = (x.iter().map(|v| (v - prior_mean).powi(2)).sum::<f64>() / n).sqrt();
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
    Ok((Learning { prior_trials: candidates, facts: total_facts, effective_sample, updated, factors }, pool))
}
