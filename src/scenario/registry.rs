//! Every model parameter parkcast knows: its key path, scope, unit, allowed range and meaning.
//!
//! The scenario validator, the resolved-parameter printout and the model all read this one
//! table, so a parameter is added in one place.

/// Where a parameter applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Drawn per block per trial; can be set in `[params]`, `[groups.<axis>.<value>]` and
    /// `[blocks.<id>]`.
    Block,
    /// Drawn once per trial for the whole city; set in `[base]` or `[shocks]`.
    City,
}

/// What kind of quantity a parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A real quantity within [lo, hi].
    Real,
    /// A whole number within [lo, hi] (the distribution must be integer-valued).
    Count,
    /// An event, 1 (happens) or 0 (does not): bernoulli, or fixed 0/1.
    Event,
}

/// One parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamDef {
    /// Key path, e.g. `start.delay_months` (block scope) or `base.revenue_2024_cny` (city scope).
    pub path: &'static str,
    pub scope: Scope,
    pub kind: Kind,
    pub lo: f64,
    pub hi: f64,
    pub unit: &'static str,
    /// Which step of the model (DESIGN §2) uses it, and how.
    pub doc: &'static str,
}

const INF: f64 = f64::INFINITY;

macro_rules! params {
    ($( $id:ident : $path:literal, $scope:ident, $kind:ident, [$lo:expr, $hi:expr], $unit:literal, $doc:literal; )+) => {
        /// Identifies a parameter; `ParamId as usize` indexes [`PARAMS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        pub enum ParamId { $($id),+ }

        /// The parameter table.
        pub const PARAMS: &[ParamDef] = &[
            $(ParamDef { path: $path, scope: Scope::$scope, kind: Kind::$kind, lo: $lo, hi: $hi, unit: $unit, doc: $doc }),+
        ];

        /// Every parameter id, in table order (`ALL_PARAM_IDS[i]` is the id of `PARAMS[i]`).
        pub const ALL_PARAM_IDS: &[ParamId] = &[$(ParamId::$id),+];
    };
}

params! {
    // 1. start date
    StartProgressAtPolicy: "start.progress_at_policy", Block, Real, [0.0, 1.0], "share",
        "started blocks without a published start (seeds/blocks.csv known_start): share of construction already done at the policy date";
    StartOnTime: "start.on_time", Block, Event, [0.0, 1.0], "event",
        "planned blocks: the block starts in its planned month (1) or late (0)";
    StartDelayMonths: "start.delay_months", Block, Real, [0.0, 120.0], "months",
        "planned blocks that start late: months of delay after the planned month";
    StartMonthInYear: "start.month_in_year", Block, Count, [1.0, 12.0], "month of year",
        "blocks planned for a year only (2025年), or started in a published year only (known_start 2021): the month within that year";
    StartDecisionLagMonths: "start.decision_lag_months", Block, Real, [0.0, 120.0], "months",
        "undetermined blocks: months after the policy date before a start becomes possible";
    StartHazardPerMonth: "start.hazard_per_month", Block, Real, [0.0, 1.0], "probability per month",
        "undetermined blocks: chance of starting in each month after the decision lag";
    StartRezoningDelayMonths: "start.rezoning_delay_months", Block, Real, [0.0, 120.0], "months",
        "extra pre-start delay for land that must be rezoned (R2, 宅地)";
    StartNoDeveloperDelayMonths: "start.no_developer_delay_months", Block, Real, [0.0, 120.0], "months",
        "extra pre-start delay for blocks without a developer (开发主体 未定)";
    // 2. construction and fit-out
    BuildRenovation: "build.renovation", Block, Event, [0.0, 1.0], "event",
        "the block renovates an existing site (1) or is built new (0)";
    BuildDurationMonths: "build.duration_months", Block, Real, [1.0, 120.0], "months",
        "construction time from start to completion of the first phase";
    BuildPhaseThresholdMu: "build.phase_threshold_mu", Block, Real, [0.0, INF], "mu",
        "blocks larger than this deliver in phases";
    BuildPhases: "build.phases", Block, Count, [1.0, 6.0], "phases",
        "number of equal phases of a block larger than the threshold";
    BuildPhaseGapMonths: "build.phase_gap_months", Block, Real, [0.0, 60.0], "months",
        "months between the completion of successive phases";
    BuildFitoutMonths: "build.fitout_months", Block, Real, [0.0, 60.0], "months",
        "completion to operation: acceptance, fit-out and first move-ins";
    BuildHeritageExtraMonths: "build.heritage_extra_months", Block, Real, [0.0, 60.0], "months",
        "extra construction time where historic buildings are kept and reused";
    RenovationVacateMonths: "renovation.vacate_months", Block, Real, [0.0, 60.0], "months",
        "renovation only: months to move the existing firms out before works start";
    RenovationExistingRevenueCnyPerMu: "renovation.existing_revenue_cny_per_mu", Block, Real, [0.0, INF], "CNY per mu per year",
        "renovation only: revenue of the site's firms before it is cleared";
    RenovationExistingJobsPerMu: "renovation.existing_jobs_per_mu", Block, Real, [0.0, INF], "jobs per mu",
        "renovation only: jobs at the site before it is cleared";
    RenovationDisplacedUrbanTypeShare: "renovation.displaced_urban_type_share", Block, Real, [0.0, 1.0], "share",
        "renovation only: share of the cleared site's revenue and jobs that were urban-type industry and leave the city's total (closed or moved away; firms that move into a park are counted there as relocated)";
    // 3. floor area
    FloorPlotRatio: "floor.plot_ratio", Block, Real, [0.1, 10.0], "floor m² per land m²",
        "plot ratio (容积率) of the block";
    FloorIndustrialShare: "floor.industrial_share", Block, Real, [0.51, 1.0], "share",
        "industrial share of floor area (the policy's floor is 51%)";
    // 4. occupancy
    OccupancyCeiling: "occupancy.ceiling", Block, Real, [0.0, 1.0], "share",
        "occupancy the block fills toward at maturity";
    OccupancyHalfFillMonths: "occupancy.half_fill_months", Block, Real, [1.0, 240.0], "months",
        "months after operation starts at which occupancy reaches half its ceiling";
    OccupancyFillSpanMonths: "occupancy.fill_span_months", Block, Real, [1.0, 240.0], "months",
        "months for occupancy to go from 10% to 90% of its ceiling (logistic steepness)";
    // 5. firms
    FirmsAreaPerFirmM2: "firms.area_per_firm_m2", Block, Real, [10.0, 1.0e6], "m² per firm",
        "occupied floor area per firm";
    FirmsTechShare: "firms.tech_share", Block, Real, [0.0, 1.0], "share",
        "share of a park's firms that qualify as tech SMEs (科技型中小企业)";
    FirmsSpecializedShare: "firms.specialized_share", Block, Real, [0.0, 1.0], "share",
        "share of a park's tech SMEs not certified on arrival that are certified 专精特新 (provincial or above) once the lag has passed";
    FirmsNationalShare: "firms.national_share", Block, Real, [0.0, 1.0], "share",
        "share of 专精特新 firms that are national 小巨人";
    FirmsCertificationLagMonths: "firms.certification_lag_months", Block, Real, [0.0, 120.0], "months",
        "months from a firm's arrival to its 专精特新 certification";
    FirmsAnchorCount: "firms.anchor_count", Block, Count, [0.0, INF], "firms",
        "headquarters and chain-leader (链主) firms arriving as lumps";
    FirmsAnchorRevenueCny: "firms.anchor_revenue_cny", Block, Real, [0.0, INF], "CNY per year",
        "annual revenue of one anchor firm (does not scale with floor area)";
    FirmsAnchorJobs: "firms.anchor_jobs", Block, Real, [0.0, INF], "jobs",
        "jobs of one anchor firm";
    FirmsRelocatedShare: "firms.relocated_share", Block, Real, [0.0, 1.0], "share",
        "share of a park's firms (with their revenue and jobs) that only moved from elsewhere in the central city: already counted in the base, so not added again";
    FirmsArriveCertifiedShare: "firms.arrive_certified_share", Block, Real, [0.0, 1.0], "share",
        "share of a park's arriving tech SMEs that are already 专精特新 (provincial or above) when they arrive: they count at once";
    // 6. revenue and jobs
    RevenueDensityCnyPerM2: "revenue.density_cny_per_m2", Block, Real, [0.0, INF], "CNY per occupied m² per year",
        "annual revenue per occupied m² of industrial floor area";
    RevenueAboveScaleShare: "revenue.above_scale_share", Block, Real, [0.0, 1.0], "share",
        "share of a park's revenue earned by above-designated-size (规上) firms";
    JobsAreaPerJobM2: "jobs.area_per_job_m2", Block, Real, [1.0, 10000.0], "m² per job",
        "occupied floor area per job";
    // 7. common shocks (effect sizes; the factors themselves are in [shocks.correlation])
    ShocksMacroMean: "shocks.macro_mean", City, Real, [-5.0, 5.0], "standard deviations",
        "mean of the macro factor (negative: a downturn)";
    ShocksMacroWeight: "shocks.macro_weight", City, Real, [0.0, 1.0], "loading",
        "weight of the macro factor in a block's shock";
    ShocksDistrictWeight: "shocks.district_weight", City, Real, [0.0, 1.0], "loading",
        "weight of the district factor in a block's shock";
    ShocksIndustryWeight: "shocks.industry_weight", City, Real, [0.0, 1.0], "loading",
        "weight of the industry-group factor in a block's shock";
    ShocksDelayMonthsPerSd: "shocks.delay_months_per_sd", City, Real, [0.0, 60.0], "months per sd",
        "extra pre-start delay per standard deviation of bad shock";
    ShocksOccupancyLogPerSd: "shocks.occupancy_log_per_sd", City, Real, [0.0, 2.0], "log-points per sd",
        "change of the occupancy ceiling (log scale) per standard deviation of shock";
    ShocksRevenueLogPerSd: "shocks.revenue_log_per_sd", City, Real, [0.0, 2.0], "log-points per sd",
        "change of revenue density (log scale) per standard deviation of shock";
    ShocksBaseRevenueLogPerSd: "shocks.base_revenue_log_per_sd", City, Real, [0.0, 2.0], "log-points per sd",
        "change of the existing base's revenue (log scale) per standard deviation of the macro factor";
    ShocksBaseJobsPerSd: "shocks.base_jobs_per_sd", City, Real, [0.0, 1.0e6], "jobs per year per sd",
        "change of the base's net new jobs per year per standard deviation of the macro factor";
    // 8. existing base of the central city
    BaseRevenue2024Cny: "base.revenue_2024_cny", City, Real, [0.0, INF], "CNY per year",
        "above-scale (规上) urban-type industrial revenue of the central city in 2024, outside the 20 blocks";
    BaseRevenueGrowthPerYear: "base.revenue_growth_per_year", City, Real, [-0.5, 1.0], "share per year",
        "annual growth of the base's revenue";
    BaseAllRevenueFactor: "base.all_revenue_factor", City, Real, [1.0, 10.0], "ratio",
        "all urban-type revenue (final-text scope, with producer services) ÷ 规上 industrial revenue";
    BaseSpecialized2024: "base.specialized_2024", City, Real, [0.0, 1.0e5], "firms",
        "专精特新 firms (provincial and above) in the central city at the policy date";
    BaseSpecializedAddedPerYear: "base.specialized_added_per_year", City, Real, [-1.0e4, 1.0e4], "firms per year",
        "net 专精特新 certifications per year in the central city outside the blocks";
    BaseNationalShare: "base.national_share", City, Real, [0.0, 1.0], "share",
        "share of the base's 专精特新 firms that are national 小巨人";
    BaseTechSmes2024: "base.tech_smes_2024", City, Real, [0.0, 1.0e6], "firms",
        "tech SMEs in the central city at the policy date, outside the blocks";
    BaseTechSmesAddedPerYear: "base.tech_smes_added_per_year", City, Real, [-1.0e5, 1.0e5], "firms per year",
        "net new tech SMEs per year in the central city outside the blocks";
    BaseJobsAddedPerYear: "base.jobs_added_per_year", City, Real, [-INF, INF], "jobs per year",
        "net new urban-industry jobs per year in the central city outside the blocks";
    BaseJobsLostPerYear: "base.jobs_lost_per_year", City, Real, [0.0, INF], "jobs per year",
        "jobs lost a year in the base's shrinking, closing and departing firms: gross new jobs = net + lost";
    BaseOtherParksListed: "base.other_parks_listed", City, Count, [0.0, INF], "parks",
        "parks outside the annex (buildings, street blocks, renovated parks) on the list and built by the deadline (the dynamic-list reading)";
    BaseNanhuShare: "base.nanhu_share", City, Real, [0.0, 1.0], "share",
        "Nanhu District's share of the central city's base (for the nanhu_2027 target set)";
}

/// A parameter whose key path changed: scenarios that still use the old one are told the new.
pub struct Renamed {
    pub old: &'static str,
    pub new: &'static str,
    pub since: &'static str,
    pub why: &'static str,
}

pub const RENAMED: &[Renamed] = &[Renamed {
    old: "jobs.relocated_share",
    new: "firms.relocated_share",
    since: "0.3.0",
    why: "a firm that moves into a park from elsewhere in the central city is neither gained nor lost, so the share now applies to the park's firms, revenue and jobs alike",
}];

/// Random keys of the parameters: hashes of their key paths (stable names, not positions).
pub const PARAM_KEYS: [u64; PARAMS.len()] = {
    let mut keys = [0; PARAMS.len()];
    let mut i = 0;
    while i < PARAMS.len() {
        keys[i] = crate::engine::streams::name_key(PARAMS[i].path);
        i += 1;
    }
    keys
};

impl ParamId {
    pub fn def(self) -> &'static ParamDef {
        &PARAMS[self as usize]
    }

    /// The parameter's random key (see [`crate::engine::streams`]).
    #[inline]
    pub fn key(self) -> u64 {
        PARAM_KEYS[self as usize]
    }
}

/// Block-scope parameters' sections (`start`, `build`, …), in order.
pub fn block_sections() -> Vec<&'static str> {
    let mut out: Vec<&str> = Vec::new();
    for p in PARAMS.iter().filter(|p| p.scope == Scope::Block) {
        let section = p.path.split('.').next().expect("path has a section");
        if !out.contains(&section) {
            out.push(section);
        }
    }
    out
}

/// Keys of a block-scope section, e.g. `start` → `on_time`, `delay_months`, …
pub fn block_keys(section: &str) -> Vec<&'static str> {
    PARAMS
        .iter()
        .filter(|p| p.scope == Scope::Block)
        .filter_map(|p| p.path.strip_prefix(section).and_then(|r| r.strip_prefix('.')))
        .collect()
}

/// Keys of a city-scope section (`base`, `shocks`).
pub fn city_keys(section: &str) -> Vec<&'static str> {
    PARAMS
        .iter()
        .filter(|p| p.scope == Scope::City)
        .filter_map(|p| p.path.strip_prefix(section).and_then(|r| r.strip_prefix('.')))
        .collect()
}

/// Looks a parameter up by its path.
pub fn find(path: &str) -> Option<(usize, &'static ParamDef)> {
    PARAMS.iter().enumerate().find(|(_, p)| p.path == path)
}

/// All parameter paths as they would be written under `[params]` or at top level.
pub fn all_paths() -> Vec<String> {
    PARAMS
        .iter()
        .map(|p| match p.scope {
            Scope::Block => format!("params.{}", p.path),
            Scope::City => p.path.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_the_table() {
        assert_eq!(ParamId::StartOnTime.def().path, "start.on_time");
        assert_eq!(ParamId::BaseNanhuShare.def().path, "base.nanhu_share");
        assert_eq!(PARAMS.len(), ParamId::BaseNanhuShare as usize + 1);
    }

    #[test]
    fn paths_are_unique_and_well_formed() {
        for (i, p) in PARAMS.iter().enumerate() {
            assert_eq!(p.path.split('.').count(), 2, "{}", p.path);
            assert!(p.lo <= p.hi, "{}", p.path);
            assert!(PARAMS[..i].iter().all(|q| q.path != p.path), "duplicate {}", p.path);
            if p.scope == Scope::City {
                assert!(p.path.starts_with("base.") || p.path.starts_with("shocks."), "{}", p.path);
            }
        }
        assert_eq!(
            block_sections(),
            vec!["start", "build", "renovation", "floor", "occupancy", "firms", "revenue", "jobs"]
        );
    }
}
