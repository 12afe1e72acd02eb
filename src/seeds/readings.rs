//! Readings (口径) of the targets: where the policy text can be read more than one way, each
//! way is a named choice. A target set states the reading of each of its targets (its
//! headline); every run computes every reading on the same draws (docs/targets.md).

use super::targets::TargetId;

/// When a park counts as built (建成).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParksCountAt {
    /// Construction finished and accepted (竣工), before fit-out.
    Completion,
    /// Operating: completion and fit-out done, firms moving in (投运).
    Operation,
}

/// Which sites count toward the parks target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParksSites {
    /// The 20 annex blocks only (a block replaced under 有进有出 counts by its reserve).
    Annex,
    /// The list as it stands at the deadline (§七(二) 有进有出): the annex blocks and the other
    /// buildings, street blocks and renovated parks the list takes in (`base.other_parks_listed`).
    DynamicList,
}

/// Which new jobs count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobsMeasure {
    /// Jobs created (new hires into new positions), not net of jobs lost elsewhere — how
    /// 城镇新增就业 is counted.
    Gross,
    /// The change in urban-type employment: jobs created less jobs lost (displaced firms of
    /// renovated sites, shrinking and closing firms of the base).
    Net,
}

/// One named reading of one target, computed in every trial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    ParksCompletionListed,
    ParksCompletionAnnex,
    ParksOperationListed,
    ParksOperationAnnex,
    Specialized,
    TechSmes,
    RevenueAll,
    RevenueAboveScale,
    JobsGross,
    JobsNet,
}

/// Number of readings; `Reading as usize` indexes arrays of this length.
pub const READING_COUNT: usize = 10;

impl Reading {
    pub const ALL: [Reading; READING_COUNT] = [
        Reading::ParksCompletionListed,
        Reading::ParksCompletionAnnex,
        Reading::ParksOperationListed,
        Reading::ParksOperationAnnex,
        Reading::Specialized,
        Reading::TechSmes,
        Reading::RevenueAll,
        Reading::RevenueAboveScale,
        Reading::JobsGross,
        Reading::JobsNet,
    ];

    pub fn target(self) -> TargetId {
        match self {
            Reading::ParksCompletionListed
            | Reading::ParksCompletionAnnex
            | Reading::ParksOperationListed
            | Reading::ParksOperationAnnex => TargetId::Parks,
            Reading::Specialized => TargetId::Specialized,
            Reading::TechSmes => TargetId::TechSmes,
            Reading::RevenueAll | Reading::RevenueAboveScale => TargetId::Revenue,
            Reading::JobsGross | Reading::JobsNet => TargetId::Jobs,
        }
    }

    /// The readings of one target, broadest first.
    pub fn of(target: TargetId) -> impl Iterator<Item = Reading> {
        Reading::ALL.into_iter().filter(move |r| r.target() == target)
    }

    pub fn key(self) -> &'static str {
        match self {
            Reading::ParksCompletionListed => "completion_listed",
            Reading::ParksCompletionAnnex => "completion_annex",
            Reading::ParksOperationListed => "operation_listed",
            Reading::ParksOperationAnnex => "operation_annex",
            Reading::Specialized => "stock",
            Reading::TechSmes => "stock",
            Reading::RevenueAll => "all",
            Reading::RevenueAboveScale => "above_scale",
            Reading::JobsGross => "gross",
            Reading::JobsNet => "net",
        }
    }

    /// What the reading counts, in Chinese official wording.
    pub fn label_zh(self) -> &'static str {
        match self {
            Reading::ParksCompletionListed => "竣工即计，按动态推进表（含调入园区）",
            Reading::ParksCompletionAnnex => "竣工即计，仅附件所列区块",
            Reading::ParksOperationListed => "投运方计，按动态推进表（含调入园区）",
            Reading::ParksOperationAnnex => "投运方计，仅附件所列区块",
            Reading::Specialized => "期末存量（省级及以上）",
            Reading::TechSmes => "期末存量",
            Reading::RevenueAll => "全口径营业收入（含生产性服务业）",
            Reading::RevenueAboveScale => "规上工业营业收入",
            Reading::JobsGross => "新增就业岗位（毛增，不扣减流失）",
            Reading::JobsNet => "净新增就业（扣减腾退与流失）",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Reading::ParksCompletionListed => "at completion, the dynamic list (annex + parks taken in)",
            Reading::ParksCompletionAnnex => "at completion, annex blocks only",
            Reading::ParksOperationListed => "when operating, the dynamic list",
            Reading::ParksOperationAnnex => "when operating, annex blocks only",
            Reading::Specialized => "stock at the deadline",
            Reading::TechSmes => "stock at the deadline",
            Reading::RevenueAll => "all urban-type revenue (incl. producer services)",
            Reading::RevenueAboveScale => "above-designated-size (规上) firms only",
            Reading::JobsGross => "gross: jobs created, not net of jobs lost",
            Reading::JobsNet => "net: jobs created less jobs lost",
        }
    }

    /// The parks reading of a count rule and a site rule.
    pub fn parks(at: ParksCountAt, sites: ParksSites) -> Reading {
        match (at, sites) {
            (ParksCountAt::Completion, ParksSites::DynamicList) => Reading::ParksCompletionListed,
            (ParksCountAt::Completion, ParksSites::Annex) => Reading::ParksCompletionAnnex,
            (ParksCountAt::Operation, ParksSites::DynamicList) => Reading::ParksOperationListed,
            (ParksCountAt::Operation, ParksSites::Annex) => Reading::ParksOperationAnnex,
        }
    }

    pub fn revenue(scope: super::RevenueScope) -> Reading {
        match scope {
            super::RevenueScope::All => Reading::RevenueAll,
            super::RevenueScope::AboveScale => Reading::RevenueAboveScale,
        }
    }

    pub fn jobs(measure: JobsMeasure) -> Reading {
        match measure {
            JobsMeasure::Gross => Reading::JobsGross,
            JobsMeasure::Net => Reading::JobsNet,
        }
    }

    /// The narrowest reading of a target (the one that counts least).
    pub fn narrowest(target: TargetId) -> Reading {
        Reading::of(target).last().expect("every target has a reading")
    }

    /// The broadest reading of a target.
    pub fn broadest(target: TargetId) -> Reading {
        Reading::of(target).next().expect("every target has a reading")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_readings_in_order_and_indices_match() {
        for (i, r) in Reading::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
        for t in TargetId::ALL {
            assert!(Reading::of(t).count() >= 1, "{t:?}");
        }
        assert_eq!(Reading::broadest(TargetId::Parks), Reading::ParksCompletionListed);
        assert_eq!(Reading::narrowest(TargetId::Parks), Reading::ParksOperationAnnex);
        assert_eq!(Reading::narrowest(TargetId::Jobs), Reading::JobsNet);
        assert_eq!(Reading::narrowest(TargetId::Revenue), Reading::RevenueAboveScale);
    }
}
