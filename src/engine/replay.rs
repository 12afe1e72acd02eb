//! One trial in full: the month-by-month path of every metric, the existing base's part and
//! each block's part, and each block's dates. Trials are deterministic functions of (scenario,
//! seed, trial index), so this is exactly what the trial contributed to a run.

use crate::model::{run_trial, Plan, TrialBuffers, TrialOutcome, METRIC_COUNT};

/// One block in the replayed trial.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockReplay {
    /// Construction start, months since the start of 2024-11 (negative: before; infinite: never).
    pub start: f64,
    /// Operation start and floor-area share of each phase.
    pub phases: Vec<(f64, f64)>,
    /// Industrial floor area, m².
    pub area_m2: f64,
    pub replaced: bool,
    /// `paths[metric][t]`: the block's part of each metric at the end of month t.
    pub paths: [Vec<f64>; METRIC_COUNT],
}

/// A replayed trial.
#[derive(Clone, Debug)]
pub struct Replay {
    pub trial: u64,
    /// The trial's outcome exactly as a run records it (paths, deadline values, dates, factors).
    pub outcome: TrialOutcome,
    /// The existing base's part of each metric, `base[metric][t]`.
    pub base: [Vec<f64>; METRIC_COUNT],
    pub blocks: Vec<BlockReplay>,
}

/// Replays trial `trial` of a run with `seed`.
pub fn replay(plan: &Plan, seed: u64, trial: u64) -> Replay {
    let mut buf = TrialBuffers::new(plan);
    run_trial(plan, seed, trial, &mut buf);
    let months = plan.months;
    let base = std::array::from_fn(|m| (0..months).map(|t| buf.base_metrics(plan, t)[m]).collect());
    let blocks = (0..plan.blocks.len())
        .map(|i| {
            let s = buf.block_state(i);
            let per_month: Vec<[f64; METRIC_COUNT]> = (0..months).map(|t| buf.block_metrics(plan, i, t)).collect();
            BlockReplay {
                start: s.start,
                phases: s.phases[..s.n_phases].to_vec(),
                area_m2: s.area_m2,
                replaced: buf.outcome.block_replaced[i],
                paths: std::array::from_fn(|m| per_month.iter().map(|v| v[m]).collect()),
            }
        })
        .collect();
    Replay { trial, outcome: buf.outcome.clone(), base, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load, ScenarioSource};
    use crate::seeds::Seeds;

    #[test]
    fn parts_add_up_to_the_totals() {
        let seeds = Seeds::embedded();
        let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds).unwrap();
        let plan = Plan::new(&s);
        for trial in [0, 7, 1234] {
            let r = replay(&plan, 42, trial);
            for m in 0..METRIC_COUNT {
                for t in 0..plan.months {
                    let parts: f64 = r.base[m][t]
                        + r.blocks
                            .iter()
                            .zip(&plan.blocks)
                            .filter(|(_, b)| b.counted)
                            .map(|(b, _)| b.paths[m][t])
                            .sum::<f64>();
                    let total = r.outcome.paths[m][t];
                    assert!(
                        (parts - total).abs() <= 1e-6 * total.abs().max(1.0),
                        "trial {trial} metric {m} month {t}: {parts} vs {total}"
                    );
                }
            }
        }
    }
}
