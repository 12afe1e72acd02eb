//! Warnings for observed figures far outside what the scenario thinks possible — most often a
//! figure in the wrong unit (亿元 or 万元 for CNY, mu for m²). They do not stop the forecast: a
//! real figure can surprise a scenario.

use super::observations::Observations;
use crate::model::Plan;
use crate::scenario::{Dist, ParamId, Scenario};
use crate::seeds::M2_PER_MU;

/// How far outside the scenario's range a figure must be to warrant a warning.
const FACTOR: f64 = 3.0;

/// A distribution's plausible range: its 0.1 % and 99.9 % quantiles.
fn range(d: &Dist) -> (f64, f64) {
    (d.quantile(0.001), d.quantile(0.999))
}

fn outside(x: f64, lo: f64, hi: f64) -> bool {
    x < lo / FACTOR || x > hi * FACTOR
}

fn bn(x: f64) -> String {
    format!("¥{:.1} bn", x / 1e9)
}

/// Every figure of `obs` more than three times outside the scenario's range.
pub fn warnings(scenario: &Scenario, plan: &Plan, obs: &Observations) -> Vec<String> {
    let mut out = Vec::new();
    let city = |id: ParamId| range(plan.city(id));
    let at = format!("{}: ", obs.file);
    if let Some((year, r)) = obs.base.revenue {
        let (r_lo, r_hi) = city(ParamId::BaseRevenue2024Cny);
        let (g_lo, g_hi) = city(ParamId::BaseRevenueGrowthPerYear);
        let n = year - 2024;
        let (lo, hi) = (r_lo * (1.0 + g_lo).powi(n), r_hi * (1.0 + g_hi).powi(n));
        if outside(r, lo, hi) {
            out.push(format!(
                "{at}base.revenue_cny {r} for {year} is far outside the scenario's range for that year ({}–{}); revenue is in CNY (1亿元 = 100,000,000)",
                bn(lo),
                bn(hi)
            ));
        }
    }
    let years = (obs.as_of.since(plan.month_label(0)) + 1) as f64 / 12.0;
    for (key, value, stock, added) in [
        ("specialized", obs.base.specialized, ParamId::BaseSpecialized2024, ParamId::BaseSpecializedAddedPerYear),
        ("tech_smes", obs.base.tech_smes, ParamId::BaseTechSmes2024, ParamId::BaseTechSmesAddedPerYear),
    ] {
        if let Some(v) = value {
            let ((s_lo, s_hi), (a_lo, a_hi)) = (city(stock), city(added));
            let (lo, hi) = ((s_lo + a_lo * years).max(1.0), s_hi + a_hi * years);
            if outside(v, lo, hi) {
                out.push(format!(
                    "{at}base.{key} {v} is far outside the scenario's range at {} ({lo:.0}–{hi:.0} firms)",
                    obs.as_of
                ));
            }
        }
    }
    for o in obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation)) {
        let Some(i) = scenario.blocks.iter().position(|b| b.id == o.id) else { continue };
        let b = &plan.blocks[i];
        if let Some(a) = o.floor_area_m2 {
            let (p_lo, p_hi) = range(b.p(ParamId::FloorPlotRatio));
            let (s_lo, s_hi) = range(b.p(ParamId::FloorIndustrialShare));
            let land = b.land_mu * M2_PER_MU;
            let (lo, hi) = (land * p_lo * s_lo, land * p_hi * s_hi * plan.levers.multi_storey.max(1.0));
            if outside(a, lo, hi) {
                out.push(format!(
                    "{at}blocks.{}.floor_area_m2 {a} is far outside what {} mu allows in the scenario ({lo:.0}–{hi:.0} m²); floor area is in m² (1 mu = 666.67 m²)",
                    o.id, b.land_mu
                ));
            }
        }
        if let (Some(r), Some(a), Some(occ)) = (o.revenue_cny, o.floor_area_m2, o.occupancy) {
            let (d_lo, d_hi) = range(b.p(ParamId::RevenueDensityCnyPerM2));
            let occupied = a * occ;
            if occupied > 0.0 && outside(r / occupied, d_lo, d_hi) {
                out.push(format!(
                    "{at}blocks.{}.revenue_cny {r} over {occupied:.0} occupied m² is ¥{:.0} per m² a year, far outside the scenario's ¥{d_lo:.0}–¥{d_hi:.0}; revenue is in CNY",
                    o.id,
                    r / occupied
                ));
            }
        }
    }
    out
}
