//! Scenarios: raw TOML (a file, its `extends` chain and `--set` overrides) → a validated
//! [`Scenario`] in which every block has every parameter resolved, with where it came from.
//!
//! Stages: [`source`] reads and merges text into a tree; [`validate`] checks the whole tree,
//! collecting every problem with its file, line and key path, and builds the `Scenario`.

pub mod block_starts;
pub mod block_whatifs;
pub mod correlation;
mod dir_name;
pub mod distribution;
pub mod inversion;
pub mod levers;
pub mod packages;
mod param;
pub mod quantile;
pub mod registry;
pub mod report;
mod source;
pub mod uncertainty;
mod validate;

pub use correlation::{Correlation, FACTORS};
pub use dir_name::{dir_name, EmptyName, MAX_COMPONENT_BYTES};
pub use distribution::{Dist, DistError};
pub use levers::{LeverDef, LeverSetting, Levers, Replacement, LEVERS};
pub use param::{Basis, Level, Param};
pub use registry::{Kind, ParamDef, ParamId, Scope, PARAMS};
pub use source::{embedded, ScenarioSource, EMBEDDED};
pub use uncertainty::{default_kind, KindBasis, Uncertainty};
pub use validate::param_applies;

use crate::month::Month;
use crate::seeds::{kinds, Block, Seeds, TargetSet};
use crate::toml_tree::{Origin, Problems};

/// The latest horizon a run may have.
pub const MAX_HORIZON: (i32, u32) = (2035, 12);
/// The longest scenario name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// The longest `label_zh` / `label_en` a scenario may give (characters).
pub const MAX_LABEL_CHARS: usize = 40;
/// The most trials one run may ask for.
pub const MAX_TRIALS: u64 = 20_000_000;

/// The axes parameters can be grouped by, from lowest to highest precedence: where two groups
/// set the same parameter for a block, the later axis wins (a block's own setting wins over all).
pub const GROUP_AXES: [&str; 6] = ["start_status", "district", "industry_group", "developer_kind", "path", "land_type"];

/// The value of a block's attribute on a group axis.
pub fn group_value(block: &Block, axis: &str) -> &'static str {
    match axis {
        "start_status" => block.start.kind().key(),
        "district" => block.district.key(),
        "industry_group" => block.industry_group.key(),
        "developer_kind" => block.developer_kind.key(),
        "path" => block.path.key(),
        "land_type" => block.land_type.key(),
        _ => unreachable!("axis names come from GROUP_AXES"),
    }
}

/// The allowed values of a group axis.
pub fn group_values(axis: &str) -> Vec<&'static str> {
    match axis {
        "start_status" => kinds::StartStatusKind::keys(),
        "district" => kinds::District::keys(),
        "industry_group" => kinds::IndustryGroup::keys(),
        "developer_kind" => kinds::DeveloperKind::keys(),
        "path" => kinds::BuildPath::keys(),
        "land_type" => kinds::LandType::keys(),
        _ => Vec::new(),
    }
}

/// Run settings of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub target_set: String,
    pub horizon: Month,
    pub seed: u64,
    pub trials: u64,
    /// How the trials' uniforms are sampled (`plain` unless `settings.sampling = "lhs"`).
    pub sampling: crate::engine::streams::Sampling,
    /// Where each setting came from, by key.
    pub origins: Vec<(&'static str, Origin)>,
}

/// The template of a reserve block that replaces a lagging one under 有进有出.
#[derive(Clone, Debug, PartialEq)]
pub struct Reserve {
    pub land_mu: f64,
    pub land_type: kinds::LandType,
    pub district: kinds::District,
    pub industry_group: kinds::IndustryGroup,
    pub path: kinds::BuildPath,
    pub developer_kind: kinds::DeveloperKind,
    pub assumption: String,
}

impl Reserve {
    /// The reserve as a block (id 0), so groups resolve for it as for an annex block.
    pub fn as_block(&self) -> Block {
        Block {
            id: 0,
            district: self.district,
            batch: 0,
            name_zh: "储备区块".into(),
            name_en: "reserve block".into(),
            street_zh: String::new(),
            street_en: String::new(),
            land_mu: self.land_mu,
            land_type: self.land_type,
            start_zh: String::new(),
            start: crate::seeds::StartStatus::Undetermined,
            industry_zh: String::new(),
            industry_en: String::new(),
            developer_zh: String::new(),
            developer_en: String::new(),
            developer_kind: self.developer_kind,
            zone: kinds::Zone::Undetermined,
            industry_group: self.industry_group,
            path: self.path,
            known_start: None,
        }
    }
}

/// The existing base's own figures (its size and growth), as opposed to its shares and shocks.
pub const BASE_FIGURES: [ParamId; 6] = [
    ParamId::BaseRevenue2024Cny,
    ParamId::BaseRevenueGrowthPerYear,
    ParamId::BaseSpecialized2024,
    ParamId::BaseTechSmes2024,
    ParamId::BaseJobsAddedPerYear,
    ParamId::BaseJobsLostPerYear,
];

/// The metric a base figure enters (docs/model.md §8).
fn base_figure_metric(id: ParamId) -> Option<crate::seeds::TargetId> {
    use crate::seeds::TargetId;
    match id {
        ParamId::BaseRevenue2024Cny | ParamId::BaseRevenueGrowthPerYear => Some(TargetId::Revenue),
        ParamId::BaseSpecialized2024 => Some(TargetId::Specialized),
        ParamId::BaseTechSmes2024 => Some(TargetId::TechSmes),
        ParamId::BaseJobsAddedPerYear | ParamId::BaseJobsLostPerYear => Some(TargetId::Jobs),
        _ => None,
    }
}

/// A validated scenario: everything a run needs.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The scenario's name for readers, in Chinese and English (`[scenario] label_zh`,
    /// `label_en`; empty where the file gives none: reports then fall back to the name).
    pub label_zh: String,
    pub label_en: String,
    /// The files read, the named file first, then what it extends.
    pub files: Vec<String>,
    pub settings: Settings,
    pub target_set: TargetSet,
    /// The annex blocks.
    pub blocks: Vec<Block>,
    /// Ids of the blocks that count toward the target set.
    pub counted_blocks: Vec<u32>,
    /// `params[b][p]`: parameter `p` (indexing [`PARAMS`]) for block `b` (indexing `blocks`).
    /// City-scope parameters hold the same value for every block.
    pub params: Vec<Vec<Param>>,
    /// The parameters of the reserve block, resolved through the groups its template matches.
    pub reserve_params: Vec<Param>,
    /// City-scope parameters and the global defaults of block-scope ones, indexing [`PARAMS`].
    pub global: Vec<Param>,
    /// The `[groups.<axis>.<value>]` settings: (axis, value, parameter index, parameter).
    pub group_params: Vec<(&'static str, String, usize, Param)>,
    /// `kind = …` set for whole sections (`[params.<section>]`, `[base]`, `[shocks]`).
    pub section_kinds: Vec<(&'static str, Uncertainty)>,
    pub correlation: Correlation,
    pub levers: Levers,
    /// `[packages.<id>]`: named sets of lever values to choose between (`parkcast packages`).
    pub packages: Vec<packages::Package>,
    /// `[report]`: the what-if sliders of run's report.html (not part of the hash: they change
    /// what the report shows, not what a trial simulates).
    pub report: report::ReportSettings,
    pub reserve: Reserve,
    pub seeds_origin: String,
    /// The bureau's base figures of the seeds in use (`seeds/base.toml`).
    pub base_file: crate::seeds::BaseFile,
    /// Things the user should know that do not stop the run (e.g. a repaired matrix).
    pub warnings: Vec<String>,
    /// Blocks whose construction start is pinned to a month in every trial
    /// (`[blocks.<id>] start.at`), by id.
    pub block_starts: Vec<(u32, crate::month::Month)>,
    /// Blocks delivered (operating) in a month in every trial (`[blocks.<id>] delivered.at`).
    pub block_deliveries: Vec<(u32, crate::month::Month)>,
    /// Blocks dropped from the list (`[blocks.<id>] dropped = true`): they count toward no target.
    pub dropped_blocks: Vec<u32>,
    /// `sha256:` of the canonical resolved scenario and the seeds.
    pub hash: String,
}

impl Scenario {
    /// The scenario's name as one safe path component, for its output directory (validation
    /// made sure one exists).
    pub fn dir_name(&self) -> String {
        dir_name(&self.name).unwrap_or_else(|_| "scenario".into())
    }

    /// A block's parameter.
    pub fn block_param(&self, block_index: usize, id: ParamId) -> &Param {
        &self.params[block_index][id as usize]
    }
    /// A city-wide parameter.
    pub fn city_param(&self, id: ParamId) -> &Param {
        &self.global[id as usize]
    }

    /// The kind of uncertainty of parameter `p` (indexing [`PARAMS`]) in block `block` (or the
    /// city-wide / default value with `None`), and where it came from: the block's own setting,
    /// else the parameter's in `[params]`/`[base]`/`[shocks]`, else its section's, else the
    /// documented default.
    pub fn kind_of(&self, block: Option<usize>, p: usize) -> (Uncertainty, KindBasis) {
        let own = block.and_then(|b| self.params[b][p].kind);
        if let Some(k) = own.or(self.global[p].kind) {
            return (k, KindBasis::Parameter);
        }
        let section = PARAMS[p].path.split('.').next().expect("path has a section");
        if let Some((s, k)) = self.section_kinds.iter().rev().find(|(s, _)| *s == section) {
            return (*k, KindBasis::Section(s));
        }
        (uncertainty::default_kind_at(p), KindBasis::Default)
    }

    /// The existing base's figures that are assumptions, not published or entered figures: every
    /// result resting on them is to be verified (待核实).
    /// The base figures that are assumptions, not published figures, among those that enter a
    /// target of the scenario's target set (a set without a jobs target rests on no jobs figure).
    pub fn assumed_base(&self) -> Vec<&'static str> {
        BASE_FIGURES
            .iter()
            .filter(|id| base_figure_metric(**id).is_none_or(|m| self.target_set.target(m).is_some()))
            .filter(|id| matches!(self.city_param(**id).basis, Basis::Assumption(_)))
            .map(|id| id.def().path)
            .collect()
    }

    /// The parameters of a block that is not in the annex (a block added to the list, the
    /// reserve): the global defaults and the groups it belongs to.
    pub fn params_for(&self, block: &Block) -> Vec<Param> {
        validate::resolve_groups(&self.global, &self.group_params, block)
    }
}

/// The scenario could not be built; every problem found is listed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{problems}")]
pub struct ScenarioError {
    pub problems: Problems,
}

/// The merged tree of a scenario (its `extends` chain, then `--set` overrides), before
/// validation: what `parkcast template` writes as a workbook.
pub fn merged_tree(source: &ScenarioSource, overrides: &[String]) -> Result<crate::toml_tree::Node, ScenarioError> {
    let raw = source::load(source, overrides, &validate::is_leaf).map_err(|problems| ScenarioError { problems })?;
    if !raw.override_problems.is_empty() {
        return Err(ScenarioError { problems: raw.override_problems });
    }
    Ok(raw.root)
}

/// Reads, merges, overrides and validates a scenario against the seeds.
pub fn load(source: &ScenarioSource, overrides: &[String], seeds: &Seeds) -> Result<Scenario, ScenarioError> {
    let raw = source::load(source, overrides, &validate::is_leaf).map_err(|problems| ScenarioError { problems })?;
    validate::validate(raw, seeds).map_err(|mut problems| {
        problems.sort_by_location();
        ScenarioError { problems }
    })
}
