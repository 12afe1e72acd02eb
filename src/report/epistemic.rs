//! The epistemic band a plain run's report shows beside each headline probability: P(met)
//! across the plausible worlds of a small two-level pass (docs/uncertainty.md, "The band in
//! run's report"). Kept in `report_data.json`, so `parkcast report DIR` redraws it.

use crate::engine::two_level::TwoLevel;
use crate::seeds::TargetId;
use serde::{Deserialize, Serialize};

/// One output's band: P(met) across worlds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpistemicBand {
    /// The target, or `None` for all targets together.
    pub target: Option<TargetId>,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

/// The bands of a run and the size of the pass that gave them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpistemicView {
    /// Plausible worlds (draws of what we do not know) and trials in each.
    pub outer: usize,
    pub inner: u64,
    /// Epistemic parameters drawn per world.
    pub unknowns: usize,
    pub bands: Vec<EpistemicBand>,
}

impl EpistemicView {
    pub fn of(t: &TwoLevel) -> EpistemicView {
        EpistemicView {
            outer: t.outer,
            inner: t.inner,
            unknowns: t.unknowns.len(),
            bands: t
                .outputs
                .iter()
                .map(|b| EpistemicBand {
                    target: b.target.map(|m| TargetId::ALL[m]),
                    p10: b.p10,
                    median: b.median,
                    p90: b.p90,
                })
                .collect(),
        }
    }

    /// The band of `target` (`None`: all targets).
    pub fn band(&self, target: Option<TargetId>) -> Option<&EpistemicBand> {
        self.bands.iter().find(|b| b.target == target)
    }

    /// The simulation error of one world's P(met) at P = 50 %, in points (95 %).
    pub fn world_error_points(&self) -> f64 {
        100.0 * 1.96 * (0.25 / self.inner.max(1) as f64).sqrt()
    }
}
