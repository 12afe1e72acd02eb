//! Running trials: fixed-size chunks in parallel on a rayon pool of the requested size, merged
//! in chunk order, so the result is the same for any number of threads.

use super::aggregate::Aggregate;
use crate::model::{run_trial_pinned, Pins, Plan, TrialBuffers};
use crate::stats::Z95;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Trials per chunk. Part of the reproducibility contract: sums of floats are merged chunk by
/// chunk, so changing it may change the last bits of means.
pub const CHUNK_TRIALS: u64 = 10_000;
/// Chunks computed in parallel between two merges (bounds memory; does not affect results).
pub const CHUNKS_PER_BATCH: u64 = 8;

/// How to run.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Trials to run (the most to run when `precision` is set).
    pub trials: u64,
    pub seed: u64,
    pub threads: usize,
    /// Stop at the first chunk after which every target's (and all targets') 95 % Wilson
    /// half-width is at most this.
    pub precision: Option<f64>,
}

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error("interrupted after {done} of {total} trials")]
    Interrupted { done: u64, total: u64 },
    #[error("cannot start {threads} threads: {message}")]
    Threads { threads: usize, message: String },
}

pub(super) fn run_chunk(
    plan: &Plan,
    seed: u64,
    first: u64,
    count: u64,
    pins: Option<&Pins>,
    cancel: &AtomicBool,
) -> Option<Aggregate> {
    let mut agg = Aggregate::with_capacity(plan, count);
    let mut buf = TrialBuffers::new(plan);
    for trial in first..first + count {
        if trial % 256 == 0 && cancel.load(Ordering::Relaxed) {
            return None;
        }
        run_trial_pinned(plan, seed, trial, &mut buf, pins);
        agg.record(plan, &buf.outcome);
    }
    Some(agg)
}

/// True when every target's and the joint 95 % interval half-width is at most `h`.
pub fn precise_enough(agg: &Aggregate, plan: &Plan, h: f64) -> bool {
    let targets_ok =
        agg.met.iter().zip(&plan.thresholds).filter(|(_, t)| t.is_some()).all(|(p, _)| p.wilson(Z95).half_width() <= h);
    targets_ok && agg.all_met.wilson(Z95).half_width() <= h
}

/// Runs the trials. `progress(done, total)` is called after each merged chunk; setting
/// `cancel` stops the run within one chunk's time per thread.
pub fn run(
    plan: &Plan,
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Aggregate, RunError> {
    run_pinned(plan, opts, None, cancel, progress)
}

/// Runs the trials with the same draws replaced by `pins` in every trial (sensitivity
/// analysis: a parameter at a percentile, all else drawn as in the scenario).
pub fn run_pinned(
    plan: &Plan,
    opts: &RunOptions,
    pins: Option<&Pins>,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Aggregate, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| RunError::Threads { threads: opts.threads, message: e.to_string() })?;
    let chunks = opts.trials.div_ceil(CHUNK_TRIALS);
    // room for every trial at once, unless a precision may stop the run well before them
    let mut total = match opts.precision {
        None => Aggregate::with_capacity(plan, opts.trials),
        Some(_) => Aggregate::new(plan),
    };
    let mut next = 0;
    while next < chunks {
        let batch: Vec<u64> = (next..(next + CHUNKS_PER_BATCH).min(chunks)).collect();
        let results: Vec<Option<Aggregate>> = pool.install(|| {
            batch
                .par_iter()
                .map(|&c| {
                    let first = c * CHUNK_TRIALS;
                    let count = CHUNK_TRIALS.min(opts.trials - first);
                    run_chunk(plan, opts.seed, first, count, pins, cancel)
                })
                .collect()
        });
        for r in results {
            let Some(agg) = r else {
                return Err(RunError::Interrupted { done: total.trials, total: opts.trials });
            };
            total.merge(agg);
            progress(total.trials, opts.trials);
            if let Some(h) = opts.precision {
                if precise_enough(&total, plan, h) {
                    return Ok(total);
                }
            }
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted { done: total.trials, total: opts.trials });
        }
        next += batch.len() as u64;
    }
    Ok(total)
}
