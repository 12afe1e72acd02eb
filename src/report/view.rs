//! What charts and the HTML report show, gathered from a run (scenario, summary, metadata) and
//! saved as `report_data.json`, so `parkcast report DIR` can redraw them without simulating.

use super::charts::Lang;
use super::export::RunMeta;
use crate::monitor::view::MonitorView;
use crate::month::Month;
use crate::scenario::levers::{LeverValue, Levers};
use crate::scenario::{ParamId, Scenario};
use crate::seeds::kinds::{DeveloperKind, District, StartStatusKind};
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
    /// Its district's key (`nanhu`, `xiuzhou`, `etdz`; empty in report data before 0.4).
    #[serde(default)]
    pub district: String,
    /// 启动批次 (1 or 2; 0 in report data before 0.4).
    #[serde(default)]
    pub batch: u8,
    /// The developer as the annex names it (开发主体), and its kind's key.
    #[serde(default)]
    pub developer_zh: String,
    #[serde(default)]
    pub developer_en: String,
    #[serde(default)]
    pub developer_kind: String,
    /// The planned start month (a plan for a year only: that year's December, as monitoring
    /// reads it); `None` for a block started at the policy date or with no date.
    #[serde(default)]
    pub planned_start: Option<Month>,
}

impl BlockView {
    pub fn status(&self) -> StartStatusKind {
        StartStatusKind::from_key(&self.status).unwrap_or(StartStatusKind::Undetermined)
    }

    pub fn district(&self) -> Option<District> {
        District::from_key(&self.district)
    }

    pub fn developer_kind(&self) -> Option<DeveloperKind> {
        DeveloperKind::from_key(&self.developer_kind)
    }
}

/// A policy lever of the scenario, as the report's actions list shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeverView {
    /// The lever's key (`parallel_approvals`), for the English appendix only.
    pub name: String,
    /// Whether the scenario switches it on (a value other than its off value, or the rule on).
    pub on: bool,
    /// The value as the scenario sets it, with its unit, in words.
    pub setting_en: String,
}

impl LeverView {
    pub fn def(&self) -> Option<&'static crate::scenario::levers::LeverDef> {
        crate::scenario::levers::lever_def(&self.name)
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
    /// The scenario's name for readers (`[scenario] label_zh` / `label_en`; empty where the
    /// scenario gives none, or in report data before 0.4): see [`RunView::scenario_label`].
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
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
    /// P(met) across what we do not know, from the run's band pass (absent from report data
    /// before 0.4 and when nothing epistemic is uncertain).
    #[serde(default)]
    pub epistemic: Option<super::epistemic::EpistemicView>,
    /// The scenario's policy levers (empty in report data before 0.4).
    #[serde(default)]
    pub levers: Vec<LeverView>,
    /// Each lever's measured effect (paired with the run's trials), when the run measured it.
    #[serde(default)]
    pub effects: Option<crate::whatif::effects::LeverEffects>,
    /// The tornado's top factors, when the run was asked for them (`run --with-tornado`).
    #[serde(default)]
    pub tornado: Option<crate::report::html::tornado::TornadoTop>,
    /// The what-if sliders' grid (`[report] sliders`), when the run computed it.
    #[serde(default)]
    pub sliders: Option<crate::whatif::sliders::SliderGrid>,
}

/// Optional parts of a run's report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    pub criticality: Option<&'a Criticality>,
    pub monitoring: Option<&'a MonitorView>,
    pub effects: Option<&'a crate::whatif::effects::LeverEffects>,
    pub tornado: Option<&'a crate::report::html::tornado::TornadoTop>,
    pub epistemic: Option<&'a super::epistemic::EpistemicView>,
    pub sliders: Option<&'a crate::whatif::sliders::SliderGrid>,
}

/// Parameters listed as key assumptions in the report.
pub(crate) const KEY_ASSUMPTIONS: [ParamId; 15] = [
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
            label_zh: s.label_zh.clone(),
            label_en: s.label_en.clone(),
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
                    district: b.district.key().to_string(),
                    batch: b.batch,
                    developer_zh: b.developer_zh.clone(),
                    developer_en: b.developer_en.clone(),
                    developer_kind: b.developer_kind.key().to_string(),
                    planned_start: b.start.planned_month(),
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
            effects: extras.effects.cloned(),
            tornado: extras.tornado.cloned(),
            monitoring: extras.monitoring.cloned(),
            epistemic: extras.epistemic.cloned(),
            sliders: extras.sliders.cloned(),
            levers: levers(&s.levers),
        }
    }

    /// The scenario as a reader names it: its label in `lang`, else its name (a scenario of
    /// the user's own with no label; in Chinese as 情景“name”).
    pub fn scenario_label(&self, lang: Lang) -> String {
        scenario_label(&self.name, &self.label_zh, &self.label_en, lang)
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
            district: String::new(),
            batch: 0,
            developer_zh: String::new(),
            developer_en: String::new(),
            developer_kind: String::new(),
            planned_start: None,
        };
        self.blocks.iter().find(|b| b.id == id).unwrap_or(&UNKNOWN)
    }
}

/// The scenario's levers as the report lists them, in the order the seed gives them.
fn levers(l: &Levers) -> Vec<LeverView> {
    crate::scenario::LEVERS
        .iter()
        .filter_map(|d| {
            let (on, setting_en) = match d.value {
                LeverValue::Number { off, .. } => {
                    let set = l.settings.iter().find(|s| s.def.name == d.name)?;
                    (set.value != off, format!("{} {}", super::format::short_number(set.value), d.unit))
                }
                LeverValue::Replacement if l.replacement.enabled => (
                    true,
                    format!(
                        "on: checkpoint {}, reserve starts after {} months",
                        l.replacement.checkpoint,
                        super::format::short_number(l.replacement.lag_months)
                    ),
                ),
                LeverValue::Replacement => (false, "off".into()),
            };
            Some(LeverView { name: d.name.to_string(), on, setting_en })
        })
        .collect()
}

/// Whether a monitoring run's observations are only an illustration: their source or file
/// says so (`ILLUSTRATIVE`, `example`, 示例 — as the shipped example's source does).
pub fn illustrative(m: &MonitorView) -> bool {
    [&m.source, &m.observations_file].iter().any(|t| {
        let t = t.to_lowercase();
        t.contains("illustrative") || t.contains("example") || t.contains("示例")
    })
}

/// A scenario as a reader names it: its label in `lang`, else its name (in Chinese as
/// 情景“name”).
pub fn scenario_label(name: &str, label_zh: &str, label_en: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh if !label_zh.is_empty() => label_zh.to_string(),
        Lang::Zh => format!("情景“{name}”"),
        Lang::En if !label_en.is_empty() => label_en.to_string(),
        Lang::En => format!("scenario “{name}”"),
    }
}
