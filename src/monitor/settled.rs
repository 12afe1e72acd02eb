//! What the observations settled of what we do not know (`monitor --two-level`,
//! docs/uncertainty.md): the same two-level pass — same worlds, same trials, same seed — on the
//! scenario before the observations and on the conditioned, learnt plan after them. Observed
//! figures replace the parameters they measure (an observed base revenue makes the drawn 2024
//! base and growth irrelevant), so P(met) varies less across the plausible worlds; the share of
//! its across-world variance removed is how much of what we did not know the observations
//! settled. Without observations the two passes are the same computation: nothing is settled,
//! exactly.

use crate::engine::two_level::{Bands, TwoLevel};
use crate::seeds::TargetId;
use serde::{Deserialize, Serialize};

/// P(met) across worlds, as one pass saw it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
    /// Across-world variance of P(met), inner noise removed (from the two halves' covariance;
    /// may be slightly negative when P hardly varies).
    pub variance: f64,
}

impl Band {
    fn of(b: &Bands) -> Band {
        // `sd` is NaN when the halves' covariance is negative: no variance beyond the noise
        let variance = if b.sd.is_nan() { 0.0 } else { b.sd * b.sd };
        Band { p10: b.p10, median: b.median, p90: b.p90, variance }
    }

    /// The 10–90 % width, as a probability.
    pub fn width(&self) -> f64 {
        self.p90 - self.p10
    }
}

/// One output (a target, or all) before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettledRow {
    /// The target, or `None` for all targets together.
    pub target: Option<TargetId>,
    pub before: Band,
    pub after: Band,
}

/// Below this across-world variance (a standard deviation of 0.1 point) there was nothing to
/// settle.
pub const MIN_VARIANCE: f64 = 1e-6;

impl SettledRow {
    /// The share of the across-world variance the observations removed: `None` when P(met) did
    /// not vary across worlds before them. Negative if they widened it.
    pub fn variance_removed(&self) -> Option<f64> {
        (self.before.variance > MIN_VARIANCE).then(|| 1.0 - self.after.variance.max(0.0) / self.before.variance)
    }
}

/// The passes' sizes and the rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settled {
    pub outer: usize,
    pub inner: u64,
    /// Epistemic parameters drawn per world before and after (after: with added blocks').
    pub unknowns_before: usize,
    pub unknowns_after: usize,
    pub rows: Vec<SettledRow>,
}

/// Pairs the outputs of the pass before the observations with those of the pass after; the two
/// passes must have the same sizes. Outputs only one of them has are left out.
pub fn settled(before: &TwoLevel, after: &TwoLevel) -> Settled {
    debug_assert_eq!((before.outer, before.inner), (after.outer, after.inner));
    let rows = before
        .outputs
        .iter()
        .filter_map(|b| {
            let a = after.outputs.iter().find(|a| a.target == b.target)?;
            Some(SettledRow { target: b.target.map(|m| TargetId::ALL[m]), before: Band::of(b), after: Band::of(a) })
        })
        .collect();
    Settled {
        outer: before.outer,
        inner: before.inner,
        unknowns_before: before.unknowns.len(),
        unknowns_after: after.unknowns.len(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(p10: f64, p90: f64, variance: f64) -> Band {
        Band { p10, median: (p10 + p90) / 2.0, p90, variance }
    }

    #[test]
    fn the_share_removed_is_one_less_the_ratio_of_variances() {
        let row = SettledRow { target: None, before: band(0.1, 0.5, 0.04), after: band(0.2, 0.3, 0.01) };
        assert!((row.variance_removed().unwrap() - 0.75).abs() < 1e-12);
        let same = SettledRow { target: None, before: band(0.1, 0.5, 0.04), after: band(0.1, 0.5, 0.04) };
        assert_eq!(same.variance_removed(), Some(0.0));
        let flat = SettledRow { target: None, before: band(0.3, 0.3, 0.0), after: band(0.3, 0.3, 0.0) };
        assert_eq!(flat.variance_removed(), None);
        let negative_after = SettledRow { target: None, before: band(0.1, 0.5, 0.04), after: band(0.3, 0.3, -1e-5) };
        assert_eq!(negative_after.variance_removed(), Some(1.0));
    }
}
