//! "What you must believe": for each target, the value of one figure of the existing base at
//! which the target is met with a given probability, everything else as the scenario draws it.
//!
//! A target's metric is its base part plus the rest (blocks), and the base part is monotone in
//! each base figure. So each trial gives the least value of the figure that meets the target
//! there; with the figure fixed at `x`, P(met) is the share of trials whose least value is at
//! most `x`, on common random numbers. The value for P(met) = q is the q-quantile of the
//! trials' least values: exact for the scenario's draws, no re-running needed.

use crate::scenario::ParamId;
use crate::seeds::TargetId;

/// A base figure whose needed value is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Belief {
    /// 规上 revenue of the base in 2024 (`base.revenue_2024_cny`), for the revenue target.
    Revenue2024,
    /// The base's revenue growth a year (`base.revenue_growth_per_year`).
    RevenueGrowth,
    /// 专精特新 firms at the policy date (`base.specialized_2024`).
    Specialized2024,
    /// Tech SMEs at the policy date (`base.tech_smes_2024`).
    TechSmes2024,
    /// The base's net new jobs a year (`base.jobs_added_per_year`).
    JobsPerYear,
    /// Parks outside the annex on the list (`base.other_parks_listed`; dynamic-list reading).
    OtherParks,
}

pub const BELIEF_COUNT: usize = 6;

impl Belief {
    pub const ALL: [Belief; BELIEF_COUNT] = [
        Belief::OtherParks,
        Belief::Specialized2024,
        Belief::TechSmes2024,
        Belief::Revenue2024,
        Belief::RevenueGrowth,
        Belief::JobsPerYear,
    ];

    pub fn target(self) -> TargetId {
        match self {
            Belief::Revenue2024 | Belief::RevenueGrowth => TargetId::Revenue,
            Belief::Specialized2024 => TargetId::Specialized,
            Belief::TechSmes2024 => TargetId::TechSmes,
            Belief::JobsPerYear => TargetId::Jobs,
            Belief::OtherParks => TargetId::Parks,
        }
    }

    pub fn param(self) -> ParamId {
        match self {
            Belief::Revenue2024 => ParamId::BaseRevenue2024Cny,
            Belief::RevenueGrowth => ParamId::BaseRevenueGrowthPerYear,
            Belief::Specialized2024 => ParamId::BaseSpecialized2024,
            Belief::TechSmes2024 => ParamId::BaseTechSmes2024,
            Belief::JobsPerYear => ParamId::BaseJobsAddedPerYear,
            Belief::OtherParks => ParamId::BaseOtherParksListed,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Belief::Revenue2024 => "现有存量2024年规上营收",
            Belief::RevenueGrowth => "现有存量营收年增长率",
            Belief::Specialized2024 => "现有专精特新企业数（2024年11月）",
            Belief::TechSmes2024 => "现有科技型中小企业数（2024年11月）",
            Belief::JobsPerYear => "存量每年净新增就业",
            Belief::OtherParks => "动态调入并建成的其他园区",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Belief::Revenue2024 => "base 规上 revenue in 2024",
            Belief::RevenueGrowth => "base revenue growth a year",
            Belief::Specialized2024 => "base 专精特新 firms at 2024-11",
            Belief::TechSmes2024 => "base tech SMEs at 2024-11",
            Belief::JobsPerYear => "base net new jobs a year",
            Belief::OtherParks => "other parks taken into the list and built",
        }
    }
}

/// The value of `x` that a trial needs when the target needs `gap` more than the rest gives,
/// and the base part is `slope × x + offset`: the least `x` with slope·x + offset ≥ gap
/// (`−∞` if met whatever `x`, `+∞` if never; NaN where the figure does not move the metric).
pub fn least_linear(gap: f64, slope: f64, offset: f64) -> f64 {
    if slope > 0.0 {
        (gap - offset) / slope
    } else if offset >= gap {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_values_of_a_linear_base_part() {
        assert_eq!(least_linear(100.0, 2.0, 10.0), 45.0);
        assert_eq!(least_linear(5.0, 0.0, 10.0), f64::NEG_INFINITY);
        assert_eq!(least_linear(50.0, 0.0, 10.0), f64::INFINITY);
        for b in Belief::ALL {
            assert_eq!(b.param().def().scope, crate::scenario::Scope::City, "{b:?}");
        }
    }
}
