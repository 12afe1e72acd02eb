//! What-if analysis on common random numbers: compare scenarios, sweep a parameter, and seek
//! the value of a parameter at which a target is met with a given probability.
//!
//! Every evaluation runs with the same seed and trial count, so trial k of one scenario sees the
//! same draws as trial k of another wherever their uncertainties are the same: differences are
//! paired, and caused by the changes alone.

mod compare;
pub mod effects;
mod goal_seek;
mod grid;
mod packages;
mod paths;
pub mod sliders;
mod sweep;

pub use compare::{compare, CompareRow};
pub use goal_seek::{goal_seek, most_evaluations, GoalSeek, GoalSeekResult, Stop, TargetChoice, MAX_HALVINGS};
pub use grid::{
    evaluate_point, grid_sweep, lever_grid, point_rows, points as design_points, Axis, Design, GridRow, GridSpec,
    PointHits, MAX_POINTS,
};
pub use packages::{packages, rank, regrets, PackageRow, PackageTarget, PackagesResult, Regret};
pub use paths::{check_param_path, numeric_paths};
pub use sweep::{sweep, SweepRow, SweepSpec};

use crate::engine::{self, Aggregate, RunOptions};
use crate::model::{Plan, METRIC_COUNT};
use crate::scenario::{Scenario, ScenarioSource};
use crate::seeds::Seeds;
use crate::stats::{Proportion, Z95};
use crate::Error;
use std::sync::atomic::AtomicBool;

/// How every evaluation of an analysis runs.
#[derive(Clone, Copy, Debug)]
pub struct Common {
    pub trials: u64,
    pub seed: u64,
    pub threads: usize,
}

impl Common {
    /// The engine's options for these trials, seed and threads.
    pub fn run_options(&self) -> RunOptions {
        RunOptions { trials: self.trials, seed: self.seed, threads: self.threads, precision: None }
    }
}

/// One evaluated scenario: its per-trial hits per target and for all targets.
pub struct Evaluated {
    pub scenario: Scenario,
    pub plan: Plan,
    pub agg: Aggregate,
}

impl Evaluated {
    /// Whether trial `t` meets target `m` (a target the set lacks counts as not met).
    pub fn met(&self, m: usize, t: usize) -> bool {
        self.plan.thresholds[m].is_some_and(|thr| self.agg.columns.metric[m][t] >= thr)
    }
    /// Whether trial `t` meets every target of its set.
    pub fn all_met(&self, t: usize) -> bool {
        (0..METRIC_COUNT).all(|m| self.plan.thresholds[m].is_none() || self.met(m, t))
    }
    /// Hits for target `m`, or for all targets when `m` is `None`.
    pub fn proportion(&self, m: Option<usize>) -> Proportion {
        match m {
            Some(m) => self.agg.met[m],
            None => self.agg.all_met,
        }
    }
}

/// Loads a scenario with `overrides` and the common seed and trials, and runs it.
pub fn evaluate(
    source: &ScenarioSource,
    overrides: &[String],
    seeds: &Seeds,
    common: Common,
    cancel: &AtomicBool,
) -> Result<Evaluated, Error> {
    let mut o = overrides.to_vec();
    o.push(format!("settings.trials={}", common.trials));
    o.push(format!("settings.seed={}", common.seed));
    let scenario = crate::scenario::load(source, &o, seeds)?;
    let plan = Plan::new(&scenario);
    let opts = common.run_options();
    let agg = engine::run(&plan, &opts, cancel, &|_, _| {}).map_err(engine_error)?;
    Ok(Evaluated { scenario, plan, agg })
}

/// An engine failure as the library reports it (an interrupt stays an interrupt).
fn engine_error(e: engine::RunError) -> Error {
    e.into()
}

/// A paired difference of two hit rates on the same trials: mean and 95 % normal interval of
/// d_t = hit_b(t) − hit_a(t). Exactly zero (with a zero-width interval) when the hits agree in
/// every trial.
pub fn paired_difference(a: impl Fn(usize) -> bool, b: impl Fn(usize) -> bool, trials: usize) -> (f64, f64, f64) {
    let (mut sum, mut sum_sq) = (0i64, 0i64);
    for t in 0..trials {
        let d = b(t) as i64 - a(t) as i64;
        sum += d;
        sum_sq += d * d;
    }
    let n = trials as f64;
    let mean = sum as f64 / n;
    if sum_sq == 0 || trials < 2 {
        return (mean, mean, mean);
    }
    let var = (sum_sq as f64 - n * mean * mean) / (n - 1.0);
    let half = Z95 * (var.max(0.0) / n).sqrt();
    (mean, mean - half, mean + half)
}

#[cfg(test)]
mod tests {
    use super::paired_difference;

    #[test]
    fn paired_difference_is_exact_for_identical_hits_and_matches_the_formula() {
        let hits = |t: usize| t % 3 == 0;
        assert_eq!(paired_difference(hits, hits, 300), (0.0, 0.0, 0.0));
        // b hits in 10 more trials of 100 than a: d = 1 in 10 trials, 0 elsewhere
        let (m, lo, hi) = paired_difference(|_| false, |t| t < 10, 100);
        assert!((m - 0.1).abs() < 1e-12);
        let se = (0.1f64 * 0.9 * 100.0 / 99.0 / 100.0).sqrt();
        assert!((hi - m - 1.959963984540054 * se).abs() < 1e-12 && (m - lo - 1.959963984540054 * se).abs() < 1e-12);
    }
}
