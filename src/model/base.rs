//! The existing urban-type industry of the central city outside the 20 blocks (docs/model.md,
//! step 8): revenue growing from its 2024 level, firm stocks growing by yearly additions, and
//! net new jobs a year. All of it can be set to zero to ask what the blocks alone deliver.

use super::known::KnownBase;
use super::plan::Plan;
use crate::engine::streams::{TrialKey, CITY};
use crate::scenario::ParamId as P;
use crate::seeds::{BaseScope, JobsMeasure, RevenueScope, SpecializedTier};

/// One trial's draw of the base.
#[derive(Clone, Copy, Debug, Default)]
pub struct Base {
    /// 规上 revenue in calendar year 2024 (times the share that counts), after the macro shock.
    revenue_2024: f64,
    /// All urban-type revenue ÷ 规上 revenue.
    all_factor: f64,
    growth: f64,
    specialized_2024: f64,
    specialized_per_year: f64,
    tech_2024: f64,
    tech_per_year: f64,
    jobs_per_year: f64,
    /// Jobs lost a year in shrinking, closing and departing firms (gross = net + lost).
    jobs_lost_per_year: f64,
    /// Parks outside the annex on the list and built by the deadline (dynamic-list reading).
    other_parks: f64,
    /// Share of the base that counts (1, or Nanhu's share).
    share: f64,
    national_share: f64,
}

/// Calendar year of month index `t`.
#[inline]
fn year_of(t: i64) -> i64 {
    let start = super::plan::MODEL_START;
    let months = start.0 as i64 * 12 + (start.1 as i64 - 1) + t;
    months.div_euclid(12)
}

impl Base {
    /// Draws the base of one trial; each draw (after pins) is also written to `record[param]`.
    pub fn draw(plan: &Plan, key: &TrialKey, macro_factor: f64, pins: Option<&[f64]>, record: &mut [f64]) -> Base {
        let city = key.block(CITY);
        let mut d = |id: P| {
            let x = super::pins::pinned(pins.map(|p| p[id as usize]), plan.city(id).sample(city.uniform(id.key())));
            record[id as usize] = x;
            x
        };
        let revenue = d(P::BaseRevenue2024Cny);
        let growth = d(P::BaseRevenueGrowthPerYear);
        let all_factor = d(P::BaseAllRevenueFactor);
        let specialized_2024 = d(P::BaseSpecialized2024);
        let specialized_per_year = d(P::BaseSpecializedAddedPerYear);
        let national_share = d(P::BaseNationalShare);
        let tech_2024 = d(P::BaseTechSmes2024);
        let tech_per_year = d(P::BaseTechSmesAddedPerYear);
        let jobs = d(P::BaseJobsAddedPerYear);
        let jobs_lost = d(P::BaseJobsLostPerYear);
        let other_parks = d(P::BaseOtherParksListed);
        let nanhu = d(P::BaseNanhuShare);
        let revenue_shock = d(P::ShocksBaseRevenueLogPerSd);
        let jobs_shock = d(P::ShocksBaseJobsPerSd);
        let share = match plan.base_scope {
            BaseScope::City => 1.0,
            BaseScope::Nanhu => nanhu,
        };
        let mut base = Base {
            revenue_2024: revenue * share * (revenue_shock * macro_factor).exp(),
            all_factor,
            growth,
            specialized_2024,
            specialized_per_year,
            tech_2024,
            tech_per_year,
            jobs_per_year: jobs + jobs_shock * macro_factor,
            jobs_lost_per_year: jobs_lost,
            other_parks: (other_parks * share).round(),
            share,
            national_share,
        };
        base.fix_known(&plan.known.base);
        base
    }

    /// Monitoring: the base passes through what was observed (its growth rates stay drawn).
    /// An observed revenue is 规上 revenue.
    fn fix_known(&mut self, k: &KnownBase) {
        if let Some((year, revenue)) = k.revenue {
            self.revenue_2024 = revenue * self.share / (1.0 + self.growth).powi(year - 2024);
        }
        if let Some((x, count)) = k.specialized {
            self.specialized_2024 = count - self.specialized_per_year * x / 12.0;
        }
        if let Some((x, count)) = k.tech_smes {
            self.tech_2024 = count - self.tech_per_year * x / 12.0;
        }
    }

    /// Annual revenue rate in month `t` under `scope` (constant within a calendar year, so a
    /// calendar year's revenue is exactly `revenue_2024 × (1 + growth)^(year − 2024)`, times
    /// the all-revenue factor for `All`).
    #[inline]
    pub fn revenue_rate(&self, t: i64, scope: RevenueScope) -> f64 {
        let above = self.revenue_2024 * (1.0 + self.growth).powi((year_of(t) - 2024) as i32);
        match scope {
            RevenueScope::AboveScale => above,
            RevenueScope::All => above * self.all_factor,
        }
    }

    /// Parks outside the annex on the list and built by time `x` (the dynamic-list reading):
    /// taken in evenly between the model start and the deadline `d_end`, all of them by it.
    #[inline]
    pub fn other_parks(&self, x: f64, d_end: f64) -> f64 {
        (self.other_parks * (x / d_end).clamp(0.0, 1.0)).floor()
    }

    /// 专精特新 firms at time `x` (months since the model start), a whole number.
    #[inline]
    pub fn specialized(&self, x: f64, tier: SpecializedTier) -> f64 {
        let all = (self.specialized_2024 + self.specialized_per_year * x / 12.0) * self.share;
        let tiered = match tier {
            SpecializedTier::ProvincialAndAbove => all,
            SpecializedTier::National => all * self.national_share,
        };
        tiered.max(0.0).round()
    }

    /// Tech SMEs at time `x`, a whole number.
    #[inline]
    pub fn tech_smes(&self, x: f64) -> f64 {
        ((self.tech_2024 + self.tech_per_year * x / 12.0) * self.share).max(0.0).round()
    }

    /// New jobs between `from` and `x` (months since the model start): net, or gross (net
    /// plus the jobs lost, so gross ≥ net).
    #[inline]
    pub fn new_jobs(&self, x: f64, from: f64, measure: JobsMeasure) -> f64 {
        if x <= from {
            0.0
        } else {
            let per_year = match measure {
                JobsMeasure::Net => self.jobs_per_year,
                JobsMeasure::Gross => self.jobs_per_year + self.jobs_lost_per_year,
            };
            per_year * (x - from) / 12.0 * self.share
        }
    }
}

#[cfg(test)]
mod tests {
    use super::year_of;

    #[test]
    fn months_map_to_calendar_years() {
        assert_eq!(year_of(0), 2024); // 2024-11
        assert_eq!(year_of(1), 2024); // 2024-12
        assert_eq!(year_of(2), 2025); // 2025-01
        assert_eq!(year_of(-11), 2023); // 2023-12
        assert_eq!(year_of(37), 2027); // 2027-12
    }
}
