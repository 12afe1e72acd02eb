//! What one evaluation of a variant of a scenario gives: P(met) per target and jointly, and the
//! median of each metric at the deadline.

use crate::engine::Aggregate;
use crate::model::{Plan, METRIC_COUNT};
use crate::stats::{quantiles, Proportion};

/// Which probability a ranking is about: one target (metric index) or all targets jointly.
pub type TargetIndex = Option<usize>;

#[derive(Clone, Debug, PartialEq)]
pub struct VariantOutcome {
    /// Hits per target (`None` where the target set has no such target).
    pub met: [Option<Proportion>; METRIC_COUNT],
    pub all: Proportion,
    /// Median of each metric at the deadline.
    pub median: [f64; METRIC_COUNT],
}

impl VariantOutcome {
    pub fn of(plan: &Plan, agg: &Aggregate) -> VariantOutcome {
        VariantOutcome {
            met: std::array::from_fn(|m| plan.thresholds[m].map(|_| agg.met[m])),
            all: agg.all_met,
            median: std::array::from_fn(|m| quantiles(&agg.columns.metric[m], &[0.5])[0]),
        }
    }

    /// P(met) for a target, or for all targets (`None`).
    pub fn p(&self, target: TargetIndex) -> f64 {
        match target {
            Some(m) => self.met[m].map(|p| p.estimate()).unwrap_or(0.0),
            None => self.all.estimate(),
        }
    }
}
