//! Per-block criticality: for each target, how much P(met) rises if a block starts on schedule
//! with certainty (an undetermined block: at the earliest month the scenario allows), how much
//! it falls if the block is dropped from the list, and in what share of the trials that miss
//! the target the block was still under construction at the deadline.
//!
//! Changes are paired on common random numbers: variant trial k is the base run's trial k
//! with one block changed on the same draws, so their intervals are tight.

use super::outcome::TargetIndex;
use crate::engine::{self, Aggregate, RunError, RunOptions};
use crate::model::{
    run_trial_at_deadline, Change, Plan, PlanBlock, StartRule, TrialBuffers, METRIC_COUNT, NOT_BY_HORIZON,
};
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

/// Whether each slot's target (and all targets) is met by metrics `m` at the deadline (a
/// target the set lacks: false).
pub fn met_by_slot(plan: &Plan, m: &[f64; METRIC_COUNT]) -> [bool; SLOTS] {
    let met: [Option<bool>; METRIC_COUNT] = std::array::from_fn(|k| plan.thresholds[k].map(|thr| m[k] >= thr));
    std::array::from_fn(|s| if s < METRIC_COUNT { met[s] == Some(true) } else { met.iter().flatten().all(|h| *h) })
}

/// Whether block `i` had started but was not operating at the deadline in trial `t`.
fn under_construction(plan: &Plan, agg: &Aggregate, i: usize, t: usize) -> bool {
    let d = plan.deadline as i16;
    let (start, delivery) = (agg.columns.start[i][t], agg.columns.delivery[i][t]);
    start != NOT_BY_HORIZON && start <= d && (delivery == NOT_BY_HORIZON || delivery > d)
}

/// For each block, the share of `base`'s trials missing each slot in which it was under
/// construction at the deadline (`None`: the block does not count, or the slot has no
/// misses). One pass over the trials.
fn under_construction_in_misses(plan: &Plan, base: &Aggregate) -> Vec<[Option<f64>; SLOTS]> {
    let all = hits(plan, base, base.trials as usize);
    let counted: Vec<usize> = (0..plan.blocks.len()).filter(|&i| plan.blocks[i].counted).collect();
    let mut misses = [0usize; SLOTS];
    let mut under = vec![[0usize; SLOTS]; plan.blocks.len()];
    for t in 0..base.trials as usize {
        let missed: [bool; SLOTS] = std::array::from_fn(|s| all[s].as_ref().is_some_and(|h| !h[t]));
        if !missed.contains(&true) {
            continue;
        }
        for (m, _) in misses.iter_mut().zip(missed).filter(|(_, x)| *x) {
            *m += 1;
        }
        for &i in counted.iter().filter(|&&i| under_construction(plan, base, i, t)) {
            for (u, _) in under[i].iter_mut().zip(missed).filter(|(_, x)| *x) {
                *u += 1;
            }
        }
    }
    (0..plan.blocks.len())
        .map(|i| {
            std::array::from_fn(|s| {
                (plan.blocks[i].counted && all[s].is_some() && misses[s] > 0)
                    .then(|| under[i][s] as f64 / misses[s] as f64)
            })
        })
        .collect()
}

/// A change to one block that criticality measures.
#[derive(Clone, Copy)]
enum Variant {
    OnSchedule(usize),
    Dropped(usize),
}

/// The variants criticality runs: each counted block dropped, and each counted block not yet
/// started put on schedule.
fn variants(plan: &Plan, starts: &[StartStatus]) -> Vec<Variant> {
    (0..plan.blocks.len())
        .filter(|&i| plan.blocks[i].counted)
        .flat_map(|i| {
            let on = (starts[i] != StartStatus::Started).then_some(Variant::OnSchedule(i));
            on.into_iter().chain(std::iter::once(Variant::Dropped(i)))
        })
        .collect()
}

/// How many variants [`criticality`] runs (`starts`: each block's start status).
pub fn variant_count(plan: &Plan, starts: &[StartStatus]) -> u64 {
    variants(plan, starts).len() as u64
}

/// Computes criticality on the first `opts.trials` trials of `base` (a run of `plan` with the
/// same seed). Each trial is simulated once, to the deadline only; every variant then
/// re-simulates only the block it changes (on schedule), or leaves it out (dropped), on the
/// trial's own draws, and sums the blocks' kept terms at the deadline again (the same bits as
/// re-reading every block). Trials run in parallel in fixed chunks, so the result does
/// not depend on the thread count. `progress(done, total)` counts trials.
pub fn criticality(
    plan: &Plan,
    base: &Aggregate,
    starts: &[StartStatus],
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Criticality, RunError> {
    let n = opts.trials.min(base.trials) as usize;
    let base_hits = hits(plan, base, n);
    let under = under_construction_in_misses(plan, base);
    let variants = variants(plan, starts);
    // each block as it runs on schedule
    let on_time: Vec<PlanBlock> =
        plan.blocks.iter().map(|b| PlanBlock { start_rule: StartRule::OnSchedule, ..b.clone() }).collect();
    let rows = engine::map_rows(
        n,
        opts.threads,
        cancel,
        progress,
        || (TrialBuffers::new(plan), vec![0.0; plan.months + 1]),
        |(buf, grid), t| {
            run_trial_at_deadline(plan, opts.seed, t as u64, buf, None);
            variants
                .iter()
                .map(|v| {
                    let change = match *v {
                        Variant::OnSchedule(i) => Change::Replaced(i, &on_time[i]),
                        Variant::Dropped(i) => Change::Dropped(i),
                    };
                    met_by_slot(plan, &buf.deadline_with(plan, change, grid))
                })
                .collect::<Vec<_>>()
        },
    )?;
    let mut on_schedule = vec![None; plan.blocks.len()];
    let mut dropped = vec![None; plan.blocks.len()];
    for (k, v) in variants.iter().enumerate() {
        let variant_hits: [Option<Vec<bool>>; SLOTS] =
            std::array::from_fn(|s| base_hits[s].as_ref().map(|_| rows.iter().map(|r| r[k][s]).collect()));
        let change = Some(changes(&base_hits, &variant_hits));
        match *v {
            Variant::OnSchedule(i) => on_schedule[i] = change,
            Variant::Dropped(i) => dropped[i] = change,
        }
    }
    let blocks = plan
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| BlockCriticality {
            id: b.id,
            on_schedule: on_schedule[i],
            dropped: dropped[i],
            under_construction_in_misses: under[i],
        })
        .collect();
    let baseline = std::array::from_fn(|s| {
        base_hits[s].as_ref().map(|h| h.iter().filter(|x| **x).count() as f64 / n.max(1) as f64)
    });
    Ok(Criticality { trials: n as u64, baseline, blocks })
}
