//! A run's plan: the scenario turned into what the hot loop reads (indices, not names).

use crate::month::Month;
use crate::scenario::{Dist, ParamId, Scenario};
use crate::seeds::{
    kinds, BaseScope, JobsMeasure, ParksCountAt, ParksSites, Reading, RevenueScope, SpecializedTier, StartStatus,
    StartedIn, TargetId,
};

/// Month 0 of every trial: the policy date of the city's text (2024-11).
pub const MODEL_START: (i32, u32) = (2024, 11);

// the seeds check published starts against the same month
const _: () = assert!(crate::seeds::POLICY_MONTH.0 == MODEL_START.0 && crate::seeds::POLICY_MONTH.1 == MODEL_START.1);

pub fn model_start() -> Month {
    Month::new(MODEL_START.0, MODEL_START.1).expect("valid")
}

/// How a block's start is decided in a trial.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StartRule {
    /// Drawn from the scenario's start distributions.
    Drawn,
    /// Exactly on schedule: in the planned month (a year-only plan: the drawn month of that
    /// year), an undetermined block at the earliest month the scenario allows (per-block
    /// criticality asks what this is worth).
    OnSchedule,
}

/// One block as the model sees it.
#[derive(Clone, Debug)]
pub struct PlanBlock {
    /// Annex id (0 for the reserve).
    pub id: u32,
    pub counted: bool,
    pub land_mu: f64,
    pub start: StartStatus,
    /// A started block's published construction start (seeds/blocks.csv `known_start`), if any.
    pub started_in: Option<StartedIn>,
    /// Index of the district factor in the correlation's factor order (1–3).
    pub district_factor: usize,
    /// Index of the industry factor (4–6), or `None` if undetermined (drawn per trial).
    pub industry_factor: Option<usize>,
    /// Distributions indexed by [`ParamId`].
    pub params: Vec<Dist>,
    pub start_rule: StartRule,
    /// What monitoring has observed of the block (`None` in ordinary runs).
    pub known: Option<Box<super::KnownBlock>>,
}

impl PlanBlock {
    #[inline]
    pub fn p(&self, id: ParamId) -> &Dist {
        &self.params[id as usize]
    }
}

/// Lever values the model uses.
#[derive(Clone, Copy, Debug)]
pub struct LeverValues {
    pub parallel_approvals_months: f64,
    pub multi_plan_share: f64,
    pub special_fund_share: f64,
    pub industry_funds: f64,
    pub multi_storey: f64,
    pub joint_acceptance_months: f64,
    pub investment_promotion: f64,
    /// (end of checkpoint month as model time, lag months), if 有进有出 is on.
    pub replacement: Option<(f64, f64)>,
}

/// Everything a trial needs.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Monthly points 0..months (month 0 = 2024-11); the last is the horizon month.
    pub months: usize,
    /// Index of the deadline month.
    pub deadline: usize,
    /// Index of the month from which new jobs count (the target set's policy date).
    pub jobs_from: usize,
    pub blocks: Vec<PlanBlock>,
    pub reserve: PlanBlock,
    /// City-wide distributions indexed by [`ParamId`].
    pub city: Vec<Dist>,
    /// Cholesky factor of the shock correlation, row-major 7×7.
    pub cholesky: [[f64; 7]; 7],
    pub levers: LeverValues,
    /// The headline readings (口径) of the target set: revenue scope, parks' count rule and
    /// sites, jobs measure (every reading is also computed; see [`crate::seeds::Reading`]).
    pub revenue_scope: RevenueScope,
    pub parks_count_at: ParksCountAt,
    pub parks_sites: ParksSites,
    pub jobs_measure: JobsMeasure,
    pub tier: SpecializedTier,
    pub base_scope: BaseScope,
    /// Thresholds in [`TargetId::ALL`] order (`None` if the set has no such target).
    pub thresholds: [Option<f64>; 5],
    /// Thresholds less the tolerance of 左右 targets, in the same order.
    pub tolerance_thresholds: [Option<f64>; 5],
    /// Index of 2025-12 (for "started by 2025-12").
    pub month_2025_12: usize,
    /// What monitoring has observed of the base and learnt of the common factors.
    pub known: super::Known,
    /// How the trials' uniforms are sampled.
    pub sampling: crate::engine::streams::Sampling,
}

fn factor_of_district(d: kinds::District) -> usize {
    match d {
        kinds::District::Nanhu => 1,
        kinds::District::Xiuzhou => 2,
        kinds::District::Etdz => 3,
    }
}

fn factor_of_industry(g: kinds::IndustryGroup) -> Option<usize> {
    match g {
        kinds::IndustryGroup::Emerging => Some(4),
        kinds::IndustryGroup::Future => Some(5),
        kinds::IndustryGroup::Services => Some(6),
        kinds::IndustryGroup::Undetermined => None,
    }
}

impl Plan {
    pub fn new(s: &Scenario) -> Plan {
        let start = model_start();
        let set = &s.target_set;
        let months = (s.settings.horizon.since(start) + 1) as usize;
        let deadline = set.deadline.since(start) as usize;
        let jobs_from = set.policy_date.since(start).max(0) as usize;
        let dists = |ps: &[crate::scenario::Param]| ps.iter().map(|p| p.dist.clone()).collect::<Vec<_>>();
        let blocks = s
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| PlanBlock {
                id: b.id,
                counted: s.counted_blocks.contains(&b.id),
                land_mu: b.land_mu,
                start: b.start,
                started_in: b.known_start.as_ref().map(|k| k.started_in),
                district_factor: factor_of_district(b.district),
                industry_factor: factor_of_industry(b.industry_group),
                params: dists(&s.params[i]),
                start_rule: StartRule::Drawn,
                known: pinned_start(s, b.id),
            })
            .collect();
        let r = &s.reserve;
        let reserve = PlanBlock {
            id: 0,
            counted: true,
            land_mu: r.land_mu,
            start: StartStatus::Undetermined,
            started_in: None,
            district_factor: factor_of_district(r.district),
            industry_factor: factor_of_industry(r.industry_group),
            params: dists(&s.reserve_params),
            start_rule: StartRule::Drawn,
            known: None,
        };
        let mut cholesky = [[0.0; 7]; 7];
        for (i, row) in cholesky.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = s.correlation.cholesky[(i, j)];
            }
        }
        let l = &s.levers;
        let rep = &s.levers.replacement;
        let levers = LeverValues {
            parallel_approvals_months: l.value("parallel_approvals"),
            multi_plan_share: l.value("multi_plan"),
            special_fund_share: l.value("special_fund"),
            industry_funds: l.value("industry_funds"),
            multi_storey: l.value("multi_storey"),
            joint_acceptance_months: l.value("joint_acceptance"),
            investment_promotion: l.value("investment_promotion"),
            replacement: rep.enabled.then(|| ((rep.checkpoint.since(start) + 1) as f64, rep.lag_months)),
        };
        let target = |id| set.target(id);
        let thresholds = TargetId::ALL.map(|id| target(id).map(|t| t.threshold));
        let tolerance_thresholds = TargetId::ALL.map(|id| target(id).and_then(|t| t.tolerance_threshold()));
        let parks = target(TargetId::Parks).map(|t| t.reading).unwrap_or(Reading::ParksCompletionListed);
        let (parks_count_at, parks_sites) = match parks {
            Reading::ParksCompletionAnnex => (ParksCountAt::Completion, ParksSites::Annex),
            Reading::ParksOperationListed => (ParksCountAt::Operation, ParksSites::DynamicList),
            Reading::ParksOperationAnnex => (ParksCountAt::Operation, ParksSites::Annex),
            _ => (ParksCountAt::Completion, ParksSites::DynamicList),
        };
        let jobs_measure = match target(TargetId::Jobs).map(|t| t.reading) {
            Some(Reading::JobsNet) => JobsMeasure::Net,
            _ => JobsMeasure::Gross,
        };
        Plan {
            months,
            deadline,
            jobs_from,
            blocks,
            reserve,
            city: s.global.iter().map(|p| p.dist.clone()).collect(),
            cholesky,
            levers,
            revenue_scope: target(TargetId::Revenue).and_then(|t| t.revenue_scope).unwrap_or(RevenueScope::All),
            parks_count_at,
            parks_sites,
            jobs_measure,
            tier: target(TargetId::Specialized).and_then(|t| t.tier).unwrap_or(SpecializedTier::ProvincialAndAbove),
            base_scope: set.base,
            thresholds,
            tolerance_thresholds,
            month_2025_12: Month::new(2025, 12).expect("valid").since(start) as usize,
            known: super::Known::default(),
            sampling: s.settings.sampling,
        }
    }

    #[inline]
    pub fn city(&self, id: ParamId) -> &Dist {
        &self.city[id as usize]
    }

    /// The reading each target is judged under (its headline), in [`TargetId::ALL`] order.
    pub fn headline(&self) -> [Reading; 5] {
        [
            Reading::parks(self.parks_count_at, self.parks_sites),
            Reading::Specialized,
            Reading::TechSmes,
            Reading::revenue(self.revenue_scope),
            Reading::jobs(self.jobs_measure),
        ]
    }

    /// Month label of index `t`.
    pub fn month_label(&self, t: usize) -> Month {
        model_start().plus(t as i32)
    }
}

/// A block's start pinned by `[blocks.<id>] start.at` and its delivery by `delivered.at`, as a
/// start and a first operation known in every trial.
fn pinned_start(s: &Scenario, id: u32) -> Option<Box<super::KnownBlock>> {
    let time = |list: &[(u32, crate::month::Month)]| {
        list.iter().find(|(b, _)| *b == id).map(|(_, m)| m.since(model_start()) as f64)
    };
    let (start, delivered) = (time(&s.block_starts), time(&s.block_deliveries));
    let as_of = start.into_iter().chain(delivered).reduce(f64::max)?;
    Some(Box::new(super::KnownBlock {
        as_of,
        start: start.map(super::KnownTime::At),
        operation: delivered.map(super::KnownTime::At),
        ..Default::default()
    }))
}
