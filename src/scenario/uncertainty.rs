//! The two kinds of uncertainty (docs/uncertainty.md): what we do not know (epistemic — a
//! figure nobody has published, a calibration, which could be settled by measuring) and what
//! varies by chance (aleatory — when a block starts, how many firms arrive). A plain `run` draws
//! both alike; `run --two-level` draws the epistemic parameters once per plausible world and the
//! aleatory ones in every trial within it.
//!
//! Each parameter has a documented default kind ([`default_kind`]); a scenario may state the
//! kind of a parameter (`kind = "epistemic"` in its table) or of a whole section (`kind = …` in
//! `[params.<section>]`, `[base]` or `[shocks]`).

use super::registry::ParamId;
use crate::toml_tree::{nearest, Node, Problems, Value};

/// What kind of uncertainty a parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Uncertainty {
    /// What we do not know: one value per plausible world.
    Epistemic,
    /// What varies by chance: drawn anew in every trial.
    Aleatory,
}

impl Uncertainty {
    pub const NAMES: [&'static str; 2] = ["epistemic", "aleatory"];

    pub fn name(self) -> &'static str {
        match self {
            Uncertainty::Epistemic => "epistemic",
            Uncertainty::Aleatory => "aleatory",
        }
    }

    pub fn from_name(name: &str) -> Option<Uncertainty> {
        match name {
            "epistemic" => Some(Uncertainty::Epistemic),
            "aleatory" => Some(Uncertainty::Aleatory),
            _ => None,
        }
    }
}

/// Where a parameter's kind came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KindBasis {
    /// `kind = …` in the parameter's own table (where the block's value was set, or in
    /// `[params]` for every block).
    Parameter,
    /// `kind = …` of the whole section, e.g. `[params.occupancy]` or `[base]`.
    Section(&'static str),
    /// parkcast's documented default ([`default_kind`]).
    Default,
}

/// The documented default kind of each parameter: the base's figures and the calibrated
/// densities, shares, ratios and effect sizes are epistemic (one true value we do not know);
/// block timing (start, build, fit-out, phases) and firm intake (anchor arrivals) are aleatory.
/// The model's own draws (firm counts, waiting times, the common factors' values) are always
/// aleatory. A match without a wildcard, so a new parameter must be given its kind.
pub const fn default_kind(id: ParamId) -> Uncertainty {
    use ParamId::*;
    use Uncertainty::*;
    match id {
        // 1. start date: timing
        StartProgressAtPolicy
        | StartOnTime
        | StartDelayMonths
        | StartMonthInYear
        | StartDecisionLagMonths
        | StartHazardPerMonth
        | StartRezoningDelayMonths
        | StartNoDeveloperDelayMonths => Aleatory,
        // 2. construction: timing, except whether a site is renovated (a fact of the plan)
        BuildRenovation => Epistemic,
        BuildDurationMonths
        | BuildPhaseThresholdMu
        | BuildPhases
        | BuildPhaseGapMonths
        | BuildFitoutMonths
        | BuildHeritageExtraMonths
        | RenovationVacateMonths => Aleatory,
        RenovationExistingRevenueCnyPerMu | RenovationExistingJobsPerMu | RenovationDisplacedUrbanTypeShare => {
            Epistemic
        }
        // 3.–4. floor area and occupancy: calibrated
        FloorPlotRatio
        | FloorIndustrialShare
        | OccupancyCeiling
        | OccupancyHalfFillMonths
        | OccupancyFillSpanMonths => Epistemic,
        // 5. firms: calibrated densities and shares; the anchors' arrival is intake
        FirmsAreaPerFirmM2
        | FirmsTechShare
        | FirmsSpecializedShare
        | FirmsNationalShare
        | FirmsCertificationLagMonths
        | FirmsAnchorRevenueCny
        | FirmsAnchorJobs
        | FirmsRelocatedShare
        | FirmsArriveCertifiedShare => Epistemic,
        FirmsAnchorCount => Aleatory,
        // 6. revenue and jobs: calibrated densities
        RevenueDensityCnyPerM2 | RevenueAboveScaleShare | JobsAreaPerJobM2 => Epistemic,
        // 7. the shocks' effect sizes and the macro mean (the factors themselves are aleatory)
        ShocksMacroMean
        | ShocksMacroWeight
        | ShocksDistrictWeight
        | ShocksIndustryWeight
        | ShocksDelayMonthsPerSd
        | ShocksOccupancyLogPerSd
        | ShocksRevenueLogPerSd
        | ShocksBaseRevenueLogPerSd
        | ShocksBaseJobsPerSd => Epistemic,
        // 8. the existing base
        BaseRevenue2024Cny
        | BaseRevenueGrowthPerYear
        | BaseAllRevenueFactor
        | BaseSpecialized2024
        | BaseSpecializedAddedPerYear
        | BaseNationalShare
        | BaseTechSmes2024
        | BaseTechSmesAddedPerYear
        | BaseJobsAddedPerYear
        | BaseJobsLostPerYear
        | BaseOtherParksListed
        | BaseNanhuShare => Epistemic,
    }
}

/// The default kind of parameter `p` (indexing [`super::PARAMS`]).
pub fn default_kind_at(p: usize) -> Uncertainty {
    default_kind(super::registry::ALL_PARAM_IDS[p])
}

/// Reads a `kind` value at `path`: `"epistemic"` or `"aleatory"`.
pub fn read_kind(node: &Node, path: &str, problems: &mut Problems) -> Option<Uncertainty> {
    let allowed = Uncertainty::NAMES.join(", ");
    match &node.value {
        Value::String(s) => match Uncertainty::from_name(s) {
            Some(k) => Some(k),
            None => {
                let hint = match nearest(s, Uncertainty::NAMES) {
                    Some(n) => format!("; did you mean `{n}`?"),
                    None => String::new(),
                };
                problems.push(
                    &node.origin,
                    path,
                    format!("`{s}` is not a kind of uncertainty{hint} (allowed: {allowed}: what we do not know, or what varies by chance)"),
                );
                None
            }
        },
        other => {
            problems.push(
                &node.origin,
                path,
                format!("expected a kind of uncertainty as a string ({allowed}), found {}", other.brief()),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::PARAMS;

    #[test]
    fn names_round_trip() {
        for n in Uncertainty::NAMES {
            assert_eq!(Uncertainty::from_name(n).unwrap().name(), n);
        }
        assert_eq!(Uncertainty::from_name("Epistemic"), None);
    }

    #[test]
    fn defaults_follow_the_documented_rule() {
        let kind = |path: &str| {
            let (i, _) = crate::scenario::registry::find(path).unwrap();
            let id = crate::scenario::registry::ALL_PARAM_IDS[i];
            default_kind(id)
        };
        for p in PARAMS {
            let k = kind(p.path);
            if p.path.starts_with("base.") || p.path.starts_with("shocks.") {
                assert_eq!(k, Uncertainty::Epistemic, "{}", p.path);
            }
            if p.path.starts_with("start.") {
                assert_eq!(k, Uncertainty::Aleatory, "{}", p.path);
            }
        }
        assert_eq!(kind("revenue.density_cny_per_m2"), Uncertainty::Epistemic);
        assert_eq!(kind("firms.specialized_share"), Uncertainty::Epistemic);
        assert_eq!(kind("build.duration_months"), Uncertainty::Aleatory);
        assert_eq!(kind("firms.anchor_count"), Uncertainty::Aleatory);
    }
}
