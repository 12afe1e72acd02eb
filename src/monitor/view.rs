//! What a monitoring run reports, saved with the run (report_data.json) so the report can be
//! redrawn.

use super::at_risk::{BlockRisk, ReserveEffect};
use super::learning::Learning;
use super::observations::{Observations, Seen};
use crate::month::Month;
use crate::seeds::TargetId;
use crate::summary::Summary;
use serde::{Deserialize, Serialize};

/// How much was observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObservedFacts {
    pub blocks_observed: usize,
    pub started: usize,
    pub not_started: usize,
    pub delivered: usize,
    pub with_occupancy: usize,
    pub with_firms: usize,
    pub with_revenue_or_jobs: usize,
    pub removed: usize,
    pub added: usize,
    pub base_figures: usize,
}

impl ObservedFacts {
    pub fn of(obs: &Observations) -> ObservedFacts {
        let all: Vec<_> = obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation)).collect();
        let count = |f: &dyn Fn(&&super::BlockObservation) -> bool| all.iter().filter(|o| f(o)).count();
        ObservedFacts {
            blocks_observed: all.len(),
            started: count(&|o| matches!(o.started, Some(Seen::In(_)))),
            not_started: count(&|o| matches!(o.started, Some(Seen::NotYet))),
            delivered: count(&|o| matches!(o.delivered, Some(Seen::In(_)))),
            with_occupancy: count(&|o| o.occupancy.is_some()),
            with_firms: count(&|o| o.tech_smes.is_some() || o.specialized.is_some()),
            with_revenue_or_jobs: count(&|o| o.revenue_cny.is_some() || o.jobs.is_some()),
            removed: count(&|o| o.removed),
            added: obs.added.len(),
            base_figures: obs.base.revenue.is_some() as usize
                + obs.base.specialized.is_some() as usize
                + obs.base.tech_smes.is_some() as usize,
        }
    }
}

/// A target's value already reached at the as-of month and forecast at the deadline (medians).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub target: TargetId,
    pub at_as_of: f64,
    pub at_deadline: f64,
}

/// Everything the monitoring section shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonitorView {
    pub as_of: Month,
    pub observations_file: String,
    pub source: String,
    pub facts: ObservedFacts,
    pub progress: Vec<Progress>,
    pub learning: Option<Learning>,
    pub blocks: Vec<BlockRisk>,
    pub reserve: Option<ReserveEffect>,
    /// What the observations settled of what we do not know (`monitor --two-level`).
    #[serde(default)]
    pub settled: Option<super::settled::Settled>,
    /// Observed values of the targets' metrics before the as-of month, drawn as points on the
    /// fan charts (empty in report data before 0.4).
    #[serde(default)]
    pub observed: Vec<ObservedPoint>,
}

/// A metric's observed value at a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservedPoint {
    pub target: TargetId,
    pub month: Month,
    pub value: f64,
}

/// What the observations give of a target's metric itself, month by month up to the as-of
/// month: the blocks seen in operation (counted from each one's first operation, removed blocks
/// left out), a step at each month one began to operate and the count at the as-of month. The
/// other metrics are observed block by block, for some blocks only, so they have no observed
/// total and no points.
pub fn observed_points(obs: &Observations) -> Vec<ObservedPoint> {
    let all = obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation));
    let mut months: Vec<Month> = all
        .filter(|o| !o.removed)
        .filter_map(|o| match o.delivered {
            Some(Seen::In(m)) if m <= obs.as_of => Some(m),
            _ => None,
        })
        .collect();
    months.sort();
    let mut out: Vec<ObservedPoint> = Vec::new();
    for (i, m) in months.iter().enumerate() {
        let value = (i + 1) as f64;
        match out.last_mut() {
            Some(p) if p.month == *m => p.value = value,
            _ => out.push(ObservedPoint { target: TargetId::Parks, month: *m, value }),
        }
    }
    if out.last().is_none_or(|p| p.month < obs.as_of) {
        out.push(ObservedPoint { target: TargetId::Parks, month: obs.as_of, value: months.len() as f64 });
    }
    out
}

/// The medians at the as-of month and at the deadline, per target of the summary.
pub fn progress(summary: &Summary, as_of: Month) -> Vec<Progress> {
    summary
        .targets
        .iter()
        .map(|t| {
            let at = summary.series.iter().find(|r| r.metric == t.id && r.month == as_of).map(|r| r.p50).unwrap_or(0.0);
            Progress { target: t.id, at_as_of: at, at_deadline: t.p50 }
        })
        .collect()
}
