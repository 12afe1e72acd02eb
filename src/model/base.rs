//! The existing urban-type industry of the central city outside the 20 blocks (docs/model.md,
//! step 8): revenue growing from its 2024 level, firm stocks growing by yearly additions, and
//! net new jobs a year. All of it can be set to zero to ask what the blocks alone deliver.

use super::beliefs::{least_linear, Belief, BELIEF_COUNT};
use super::counts::floor_any;
use super::known::KnownBase;
use super::plan::Plan;
use crate::engine::streams::{TrialKey, CITY};
use crate::scenario::ParamId as P;
use crate::seeds::{BaseScope, JobsMeasure, ParksSites, RevenueScope, SpecializedTier};

/// One trial's draw of the base.
#[derive(Clone, Copy, Debug, Default)]
pub struct Base {
    /// 规上 revenue in calendar year 2024 (times the share that counts), after the macro shock.
    revenue_2024: f64,
    /// All urban-type revenue ÷ 规上 revenue.
    all_factor: f64,
    /// `revenue_2024` per yuan of `base.revenue_2024_cny` (the share and the macro shock).
    revenue_per_unit: f64,
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
            revenue_per_unit: share * (revenue_shock * macro_factor).exp(),
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

    /// The least value of each [`Belief`] figure (in [`Belief::ALL`] order) that meets its
    /// target in this trial, everything else as drawn: `gap[m]` is target m's threshold less
    /// what the rest (the blocks) gives, NaN for a target the set lacks; `drawn` holds the
    /// trial's values of the city-wide parameters. NaN where the figure does not apply
    /// (monitoring fixed it from observations, or the reading does not use it).
    pub fn needed(&self, plan: &Plan, gap: &[f64; 5], drawn: &[f64]) -> [f64; BELIEF_COUNT] {
        let d = plan.deadline as i64;
        let d_end = (d + 1) as f64;
        let known = &plan.known.base;
        // one firm more: round(v) ≥ k for a whole k ≥ 1 exactly when v ≥ k − 0.5
        let stock = |gap: f64, factor: f64, per_year: f64| {
            if gap <= 0.0 {
                f64::NEG_INFINITY
            } else {
                least_linear(gap - 0.5, factor, per_year * d_end / 12.0 * factor)
            }
        };
        Belief::ALL.map(|b| {
            let g = gap[b.target() as usize];
            if g.is_nan() {
                return f64::NAN;
            }
            match b {
                Belief::OtherParks => match plan.parks_sites {
                    ParksSites::DynamicList if self.share == 1.0 => g.ceil(),
                    _ => f64::NAN,
                },
                Belief::Specialized2024 if known.specialized.is_none() => {
                    let tier = match plan.tier {
                        SpecializedTier::ProvincialAndAbove => 1.0,
                        SpecializedTier::National => self.national_share,
                    };
                    stock(g, self.share * tier, self.specialized_per_year)
                }
                Belief::TechSmes2024 if known.tech_smes.is_none() => stock(g, self.share, self.tech_per_year),
                Belief::Revenue2024 if known.revenue.is_none() => {
                    // the deadline year's base revenue per yuan of the 2024 figure
                    let per_unit = self.revenue_per_unit / self.revenue_2024.max(f64::MIN_POSITIVE);
                    let year = (d - 11..=d).map(|t| self.revenue_rate(t, plan.revenue_scope)).sum::<f64>() / 12.0;
                    least_linear(g, year * per_unit, 0.0)
                }
                Belief::RevenueGrowth if known.revenue.is_none() => {
                    let years = year_of(d) - 2024;
                    let level = self.revenue_rate(d, plan.revenue_scope) / (1.0 + self.growth).powi(years as i32);
                    // the trailing year must lie in one calendar year (a December deadline)
                    if year_of(d - 11) != year_of(d) || years <= 0 || level <= 0.0 {
                        f64::NAN
                    } else if g <= 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        (g / level).powf(1.0 / years as f64) - 1.0
                    }
                }
                Belief::JobsPerYear => {
                    let months = d_end - plan.jobs_from as f64;
                    let per_year = least_linear(g, months / 12.0 * self.share, 0.0);
                    let shock = self.jobs_per_year - drawn[P::BaseJobsAddedPerYear as usize];
                    let lost = match plan.jobs_measure {
                        JobsMeasure::Gross => self.jobs_lost_per_year,
                        JobsMeasure::Net => 0.0,
                    };
                    per_year - shock - lost
                }
                _ => f64::NAN,
            }
        })
    }

    /// Parks outside the annex on the list and built by time `x` (the dynamic-list reading):
    /// taken in evenly between the model start and the deadline `d_end`, all of them by it.
    #[inline]
    pub fn other_parks(&self, x: f64, d_end: f64) -> f64 {
        floor_any(self.other_parks * (x / d_end).clamp(0.0, 1.0))
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
