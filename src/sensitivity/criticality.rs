//! Per-block criticality: for each target, how much P(met) rises if a block starts on schedule
//! with certainty (an undetermined block: at the earliest month the scenario allows), how much
//! it falls if the block is dropped from the list, and in what share of the trials that miss
//! the target the block was still under construction at the deadline.
//!
//! Changes are paired on common random numbers: variant trial k is compared with the base
//! run's trial k, so their intervals are tight.

use super::outcome::TargetIndex;
use crate::engine::{self, Aggregate, RunError, RunOptions};
use crate::model::{Plan, StartRule, METRIC_COUNT, NOT_BY_HORIZON};
use crate::seeds::StartStatus;
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

/// Slots per block: the five targets, then all targets jointly.
pub const SLOTS: usize = METRIC_COUNT + 1;

/// Slot of a target index (`None`: all targets).
pub fn slot(target: TargetIndex) -> usize {
    target.unwrap_or(METRIC_COUNT)
}

/// A paired change of P(met): mean and 95 % interval, in probability (0.012 = +1.2 points).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedChange {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockCriticality {
    pub id: u32,
    /// Change if the block starts on schedule with certainty, per slot (`None`: not in the
    /// target set); `None` as a whole for blocks already started.
    pub on_schedule: Option<[Option<PairedChange>; SLOTS]>,
    /// Change if the block is dropped (`None` as a whole: the block does not count).
    pub dropped: Option<[Option<PairedChange>; SLOTS]>,
    /// Share of the base run's trials missing the target in which the block had started but
    /// was not yet operating at the deadline (`None`: no misses, or the block does not count).
    pub under_construction_in_misses: [Option<f64>; SLOTS],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criticality {
    /// Trials per variant (the base run's first trials).
    pub trials: u64,
    /// P(met) of those trials in the base run, per slot.
    pub baseline: [Option<f64>; SLOTS],
    pub blocks: Vec<BlockCriticality>,
}

impl Criticality {
    /// Whether any block, on schedule or dropped, changes P(met) of `slot` in these trials.
    pub fn any_block_moves(&self, slot: usize) -> bool {
        let moved = |v: &Option<[Option<PairedChange>; SLOTS]>| v.and_then(|v| v[slot]).is_some_and(|x| x.mean != 0.0);
        self.blocks.iter().any(|b| moved(&b.on_schedule) || moved(&b.dropped))
    }
}

/// Per-trial hits of the first `n` trials of a run, per slot.
pub fn hits(plan: &Plan, agg: &Aggregate, n: usize) -> [Option<Vec<bool>>; SLOTS] {
    let per_metric: [Option<Vec<bool>>; METRIC_COUNT] = std::array::from_fn(|m| {
        plan.thresholds[m].map(|thr| agg.columns.metric[m][..n].iter().map(|v| *v >= thr).collect())
    });
    let all: Vec<bool> = (0..n).map(|t| per_metric.iter().flatten().all(|h| h[t])).collect();
    std::array::from_fn(|s| if s < METRIC_COUNT { per_metric[s].clone() } else { Some(all.clone()) })
}

pub fn changes(
    base: &[Option<Vec<bool>>; SLOTS],
    variant: &[Option<Vec<bool>>; SLOTS],
) -> [Option<PairedChange>; SLOTS] {
    std::array::from_fn(|s| match (&base[s], &variant[s]) {
        (Some(a), Some(b)) => {
            let (mean, low, high) = crate::whatif::paired_difference(|t| a[t], |t| b[t], a.len());
            Some(PairedChange { mean, low, high })
        }
        _ => None,
    })
}

/// Whether block `i` had started but was not operating at the deadline in trial `t`.
fn under_construction(plan: &Plan, agg: &Aggregate, i: usize, t: usize) -> bool {
    let d = plan.deadline as i16;
    let (start, delivery) = (agg.columns.start[i][t], agg.columns.delivery[i][t]);
    start != NOT_BY_HORIZON && start <= d && (delivery == NOT_BY_HORIZON || delivery > d)
}

/// Computes criticality with `opts.trials` trials per variant, paired with the first
/// `opts.trials` trials of `base` (a run of `plan` with the same seed). `progress(done, total)`
/// counts variants.
pub fn criticality(
    plan: &Plan,
    base: &Aggregate,
    starts: &[StartStatus],
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Criticality, RunError> {
    let n = opts.trials.min(base.trials) as usize;
    let opts = RunOptions { trials: n as u64, precision: None, ..*opts };
    let base_hits = hits(plan, base, n);
    let all_base = hits(plan, base, base.trials as usize);
    let quiet = |_: u64, _: u64| {};
    let counted: Vec<usize> = (0..plan.blocks.len()).filter(|&i| plan.blocks[i].counted).collect();
    let total = counted.iter().map(|&i| if starts[i] == StartStatus::Started { 1 } else { 2 }).sum();
    let mut done = 0;
    let mut blocks = Vec::with_capacity(plan.blocks.len());
    for (i, b) in plan.blocks.iter().enumerate() {
        let mut under = [None; SLOTS];
        if !b.counted {
            blocks.push(BlockCriticality {
                id: b.id,
                on_schedule: None,
                dropped: None,
                under_construction_in_misses: under,
            });
            continue;
        }
        for (s, h) in all_base.iter().enumerate() {
            if let Some(h) = h {
                let misses: Vec<usize> = (0..h.len()).filter(|&t| !h[t]).collect();
                if !misses.is_empty() {
                    let k = misses.iter().filter(|&&t| under_construction(plan, base, i, t)).count();
                    under[s] = Some(k as f64 / misses.len() as f64);
                }
            }
        }
        let on_schedule = if starts[i] == StartStatus::Started {
            None
        } else {
            let mut p = plan.clone();
            p.blocks[i].start_rule = StartRule::OnSchedule;
            let agg = engine::run(&p, &opts, cancel, &quiet)?;
            done += 1;
            progress(done, total);
            Some(changes(&base_hits, &hits(&p, &agg, n)))
        };
        let mut p = plan.clone();
        p.blocks[i].counted = false;
        let agg = engine::run(&p, &opts, cancel, &quiet)?;
        done += 1;
        progress(done, total);
        let dropped = Some(changes(&base_hits, &hits(&p, &agg, n)));
        blocks.push(BlockCriticality { id: b.id, on_schedule, dropped, under_construction_in_misses: under });
    }
    let baseline = std::array::from_fn(|s| {
        base_hits[s].as_ref().map(|h| h.iter().filter(|x| **x).count() as f64 / n.max(1) as f64)
    });
    Ok(Criticality { trials: n as u64, baseline, blocks })
}
