//! Scenario discovery: PRIM on a table of trials, with "the target was missed" as the outcome.

use super::features::{Feature, FeatureKind, TrialTable};
use super::outcome::TargetIndex;
use super::prim::{Column, Prim, PrimBox, PrimError, PrimOptions};
use crate::model::{Plan, METRIC_COUNT};

/// What PRIM found.
#[derive(Clone, Debug)]
pub struct Discovery {
    /// The features PRIM looked at (names and kinds; values dropped).
    pub features: Vec<(String, FeatureKind)>,
    /// The peeling trajectory, from the whole space to the smallest box.
    pub trajectory: Vec<PrimBox>,
    /// The chosen box after pasting and simplification (`None` if no box reaches the coverage).
    pub chosen: Option<PrimBox>,
    pub trials: usize,
    pub misses: usize,
}

impl Discovery {
    /// Share of all trials that miss.
    pub fn miss_rate(&self) -> f64 {
        self.misses as f64 / self.trials.max(1) as f64
    }
}

/// Whether each trial misses `target` (all targets: misses at least one).
pub fn missed(plan: &Plan, table: &TrialTable, target: TargetIndex) -> Vec<bool> {
    let n = table.metrics[0].len();
    let miss = |m: usize, t: usize| plan.thresholds[m].is_some_and(|thr| table.metrics[m][t] < thr);
    (0..n)
        .map(|t| match target {
            Some(m) => miss(m, t),
            None => (0..METRIC_COUNT).any(|m| miss(m, t)),
        })
        .collect()
}

/// Runs PRIM: the trajectory, and the box with the highest density among those covering at
/// least `min_coverage` of the misses, pasted and then simplified (dropping sides that cost at
/// most `max_density_loss` of density).
pub fn discover(
    table: TrialTable,
    missed: Vec<bool>,
    options: PrimOptions,
    min_coverage: f64,
    max_density_loss: f64,
) -> Result<Discovery, PrimError> {
    let trials = missed.len();
    let misses = missed.iter().filter(|m| **m).count();
    let features: Vec<(String, FeatureKind)> = table.features.iter().map(|f| (f.name.clone(), f.kind)).collect();
    let columns: Vec<Column> =
        table.features.into_iter().map(|Feature { name, values, .. }| Column { name, values }).collect();
    let prim = Prim::new(columns, missed, options)?;
    let trajectory = prim.peel().boxes().to_vec();
    let chosen = prim.find(min_coverage, max_density_loss);
    Ok(Discovery { features, trajectory, chosen, trials, misses })
}
