//! What charts and the HTML report show, gathered from a run (scenario, summary, metadata) and
//! saved as `report_data.json`, so `parkcast report DIR` can redraw them without simulating.

use super::export::RunMeta;
use crate::monitor::view::MonitorView;
use crate::month::Month;
use crate::scenario::{ParamId, Scenario};
use crate::seeds::kinds::StartStatusKind;
use crate::sensitivity::criticality::Criticality;
use crate::summary::Summary;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TargetSetView {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    pub deadline: Month,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlockView {
    pub id: u32,
    pub name_zh: String,
    pub name_en: String,
    pub start_zh: String,
    pub start_en: String,
    /// `started`, `planned` or `undetermined`.
    pub status: String,
}

impl BlockView {
    pub fn status(&self) -> StartStatusKind {
        StartStatusKind::from_key(&self.status).unwrap_or(StartStatusKind::Undetermined)
    }
}

/// A parameter shown in the report's assumptions table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AssumptionView {
    pub path: String,
    /// The distribution as written in a scenario file (TOML inline form).
    pub distribution: String,
    pub basis: String,
    /// The parameter's unit, as the registry names it (e.g. `months`, `CNY per year`).
    #[serde(default)]
    pub unit: String,
    /// Mean, median and 5th/95th percentiles of the distribution, for the readable summary
    /// (absent from report data written before 0.1 added them).
    #[serde(default)]
    pub range: Option<DistRange>,
}

/// Where a parameter's distribution puts its mass.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct DistRange {
    pub mean: f64,
    pub p5: f64,
    pub median: f64,
    pub p95: f64,
}

/// Everything the charts and the report need.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunView {
    pub name: String,
    pub target_set: TargetSetView,
    pub blocks: Vec<BlockView>,
    pub assumptions: Vec<AssumptionView>,
    pub summary: Summary,
    pub meta: RunMeta,
    /// Per-block criticality, when the run computed it.
    #[serde(default)]
    pub criticality: Option<Criticality>,
    /// The monitoring section, for a forecast from observed progress.
    #[serde(default)]
    pub monitoring: Option<MonitorView>,
}

/// Optional parts of a run's report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    pub criticality: Option<&'a Criticality>,
    pub monitoring: Option<&'a MonitorView>,
}

/// Parameters listed as key assumptions in the report.
const KEY_ASSUMPTIONS: [ParamId; 15] = [
    ParamId::BaseRevenue2024Cny,
    ParamId::BaseRevenueGrowthPerYear,
    ParamId::BaseSpecialized2024,
    ParamId::BaseTechSmes2024,
    ParamId::BaseJobsAddedPerYear,
    ParamId::BaseJobsLostPerYear,
    ParamId::BaseOtherParksListed,
    ParamId::StartOnTime,
    ParamId::StartDelayMonths,
    ParamId::StartHazardPerMonth,
    ParamId::BuildDurationMonths,
    // fit-out follows construction: delivery is start + duration + fit-out
    ParamId::BuildFitoutMonths,
    ParamId::OccupancyHalfFillMonths,
    ParamId::RevenueDensityCnyPerM2,
    ParamId::FirmsCertificationLagMonths,
];

impl RunView {
    pub fn new(s: &Scenario, summary: &Summary, meta: &RunMeta, extras: Extras) -> RunView {
        RunView {
            name: s.name.clone(),
            target_set: TargetSetView {
                id: s.target_set.id.clone(),
                label_zh: s.target_set.label_zh.clone(),
                label_en: s.target_set.label_en.clone(),
                deadline: s.target_set.deadline,
            },
            blocks: s
                .blocks
                .iter()
                .map(|b| BlockView {
                    id: b.id,
                    name_zh: b.name_zh.clone(),
                    name_en: b.name_en.clone(),
                    start_zh: b.start_zh.clone(),
                    start_en: b.start.describe_en(),
                    status: b.start.kind().key().to_string(),
                })
                .collect(),
            assumptions: KEY_ASSUMPTIONS
                .iter()
                .map(|id| {
                    let p = s.city_param(*id);
                    let d = &p.dist;
                    AssumptionView {
                        path: id.def().path.to_string(),
                        distribution: d.to_string(),
                        basis: p.basis.to_string(),
                        unit: id.def().unit.to_string(),
                        range: Some(DistRange {
                            mean: d.mean(),
                            p5: d.quantile(0.05),
                            median: d.quantile(0.5),
                            p95: d.quantile(0.95),
                        }),
                    }
                })
                .collect(),
            summary: summary.clone(),
            meta: meta.clone(),
            criticality: extras.criticality.cloned(),
            monitoring: extras.monitoring.cloned(),
        }
    }

    /// The block `id`: every block a run's results name is in `blocks` (report data read back is
    /// checked for this in `view_check`); any other id gets a nameless block instead of a panic.
    pub fn block(&self, id: u32) -> &BlockView {
        static UNKNOWN: BlockView = BlockView {
            id: 0,
            name_zh: String::new(),
            name_en: String::new(),
            start_zh: String::new(),
            start_en: String::new(),
            status: String::new(),
        };
        self.blocks.iter().find(|b| b.id == id).unwrap_or(&UNKNOWN)
    }
}
