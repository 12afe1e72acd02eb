//! Yearly checkpoints: for each target, the probability of being on track at the end of 2025,
//! 2026, … up to the deadline — at or above a path from the base to the target value. No target
//! set states a path of its own, so the path is linear: from the metric's median at model
//! month 0 (2024-11) to the target value at the deadline, month by month. Read from the monthly
//! bands the run keeps (a log sketch per metric and month, within one bucket of 0.39 %); at the
//! deadline itself it is the target's P(met), counted on every trial.

use crate::engine::Aggregate;
use crate::model::Plan;
use crate::month::Month;
use crate::seeds::TargetId;
use crate::stats::{Interval, Proportion, Z95};
use serde::{Deserialize, Serialize};

/// The path every checkpoint row is judged against (`checkpoints.csv` names it).
pub const LINEAR_PATH: &str = "linear";

/// One target at one yearly checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointRow {
    pub target: TargetId,
    /// The checkpoint: the end of this month (December, or the deadline in its own year).
    pub month: Month,
    /// The path: [`LINEAR_PATH`].
    pub path: String,
    /// Where the path starts: the metric's median at model month 0.
    pub base: f64,
    /// Where the path stands at the checkpoint (a whole number for counts: the least count on
    /// track).
    pub path_value: f64,
    /// Share of trials at or above `path_value` at the checkpoint.
    pub p_on_track: f64,
    pub ci: Interval,
    /// Counted exactly on every trial (the deadline) rather than read off the monthly band.
    pub exact: bool,
}

/// Counts (parks, firms) are whole numbers: on track means at least the path rounded up.
fn is_count(id: TargetId) -> bool {
    !matches!(id, TargetId::Revenue | TargetId::Jobs)
}

/// The checkpoint months of a plan: December of each year from 2025 until the deadline's year,
/// whose checkpoint is the deadline.
pub fn months(plan: &Plan) -> Vec<usize> {
    let deadline = plan.month_label(plan.deadline);
    (2025..=deadline.year())
        .filter_map(|y| {
            let m = Month::new(y, 12)?.min(deadline);
            let t = m.since(plan.month_label(0));
            (t >= 0 && (t as usize) < plan.months).then_some(t as usize)
        })
        .collect()
}

/// Where a linear path from `base` at month 0 to `threshold` at `deadline` stands at month `t`.
pub fn linear_path(base: f64, threshold: f64, t: usize, deadline: usize) -> f64 {
    if deadline == 0 {
        return threshold;
    }
    base + (threshold - base) * t as f64 / deadline as f64
}

/// Every target of the plan at every checkpoint, in target then month order.
pub fn rows(plan: &Plan, agg: &Aggregate) -> Vec<CheckpointRow> {
    let checkpoints = months(plan);
    let mut out = Vec::new();
    for (m, id) in TargetId::ALL.iter().enumerate() {
        let Some(threshold) = plan.thresholds[m] else { continue };
        let Some(start) = agg.bands[m].first() else { continue };
        let base = if is_count(*id) { start.quantile(0.5).round() } else { start.quantile(0.5) };
        for &t in &checkpoints {
            let exact = t == plan.deadline;
            let (path_value, hits) = if exact {
                (threshold, agg.met[m].hits)
            } else {
                let raw = linear_path(base, threshold, t, plan.deadline);
                let v = if is_count(*id) { raw.ceil() } else { raw };
                (v, agg.bands[m][t].count_at_least(v).round() as u64)
            };
            let p = Proportion { hits: hits.min(agg.trials), trials: agg.trials };
            out.push(CheckpointRow {
                target: *id,
                month: plan.month_label(t),
                path: LINEAR_PATH.into(),
                base,
                path_value,
                p_on_track: p.estimate(),
                ci: p.wilson(Z95),
                exact,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_path_runs_from_base_to_target() {
        assert_eq!(linear_path(0.0, 20.0, 0, 37), 0.0);
        assert_eq!(linear_path(0.0, 20.0, 37, 37), 20.0);
        assert!((linear_path(150.0, 200.0, 13, 37) - (150.0 + 50.0 * 13.0 / 37.0)).abs() < 1e-12);
    }

    /// The rows against a count over the trials' own monthly paths: the same trials run one by
    /// one, every path kept. Whole-number targets below 256 must agree exactly, the others within
    /// the trials whose value shares the path value's sketch bucket; the deadline equals P(met).
    #[test]
    fn checkpoints_equal_a_count_over_the_trials_paths() {
        use crate::model::{run_trial, TrialBuffers};
        use crate::scenario::{load, ScenarioSource};
        use crate::seeds::Seeds;
        let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
        let plan = Plan::new(&s);
        let mut agg = Aggregate::new(&plan);
        let mut buf = TrialBuffers::new(&plan);
        let mut paths: Vec<[Vec<f64>; crate::model::METRIC_COUNT]> = Vec::new();
        for t in 0..400 {
            run_trial(&plan, 11, t, &mut buf);
            agg.record(&plan, &buf.outcome);
            paths.push(buf.outcome.paths.clone());
        }
        let rows = rows(&plan, &agg);
        let checkpoints = months(&plan);
        assert_eq!(
            checkpoints.iter().map(|&t| plan.month_label(t).to_string()).collect::<Vec<_>>(),
            ["2025-12", "2026-12", "2027-12"]
        );
        assert_eq!(rows.len(), 5 * 3);
        for r in &rows {
            let m = TargetId::ALL.iter().position(|&id| id == r.target).unwrap();
            let t = r.month.since(plan.month_label(0)) as usize;
            let count = paths.iter().filter(|p| p[m][t] >= r.path_value).count();
            let near = paths.iter().filter(|p| (p[m][t] / r.path_value - 1.0).abs() < 0.008).count();
            let got = (r.p_on_track * 400.0).round() as usize;
            if r.exact {
                assert_eq!(r.p_on_track, agg.met[m].estimate(), "{r:?}");
                assert_eq!(got, count, "{r:?}");
            } else if is_count(r.target) && r.path_value < 256.0 {
                assert_eq!(got, count, "{r:?}");
            } else {
                assert!(got.abs_diff(count) <= near, "{r:?}: {got} vs {count} ({near} near)");
            }
            assert!(r.ci.low <= r.p_on_track && r.p_on_track <= r.ci.high);
            let want = linear_path(r.base, plan.thresholds[m].unwrap(), t, plan.deadline);
            if !r.exact {
                assert!(r.path_value >= want && r.path_value - want < 1.0, "{r:?} vs {want}");
            }
        }
    }
}
