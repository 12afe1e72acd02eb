//! The uncertain inputs of a scenario, as sensitivity analysis varies them: every parameter
//! path with a non-degenerate distribution in a block that uses it (all such blocks together),
//! every uncertain city-wide parameter, and the seven common factors.

use crate::model::{Pins, Plan};
use crate::scenario::{param_applies, ParamId, Scenario, Scope, FACTORS, PARAMS};

/// What an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A block-scope parameter, varied in every counted block that uses it.
    BlockParam(usize),
    /// A city-wide parameter (`base.*`, `shocks.*`).
    CityParam(usize),
    /// A common factor (index into [`FACTORS`]), in standard deviations.
    Factor(usize),
}

/// One uncertain input.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub kind: InputKind,
    /// Key path, e.g. `params.start.delay_months`, `base.revenue_2024_cny`, `shocks.factor.macro`.
    pub key: String,
    /// The blocks (indices into the plan) it is varied in (block parameters only).
    pub blocks: Vec<usize>,
}

impl Input {
    /// Pins the input at its `q` quantile in every trial (block parameters: each block's own
    /// distribution's quantile; factors: the standard normal's).
    pub fn pin_quantile(&self, plan: &Plan, q: f64, pins: &mut Pins) {
        match self.kind {
            InputKind::BlockParam(p) => {
                for &b in &self.blocks {
                    pins.set_block(b, p, plan.blocks[b].params[p].quantile(q));
                }
            }
            InputKind::CityParam(p) => pins.set_city(p, plan.city[p].quantile(q)),
            InputKind::Factor(k) => pins.set_factor_sd(k, crate::scenario::quantile::normal_quantile(q)),
        }
    }

    /// The value at quantile `q` if it is the same wherever the input applies, for display.
    pub fn value_at(&self, plan: &Plan, q: f64) -> Option<f64> {
        match self.kind {
            InputKind::BlockParam(p) => {
                let vals: Vec<f64> = self.blocks.iter().map(|&b| plan.blocks[b].params[p].quantile(q)).collect();
                vals.iter().all(|v| (v - vals[0]).abs() <= 1e-9 * vals[0].abs().max(1.0)).then(|| vals[0])
            }
            InputKind::CityParam(p) => Some(plan.city[p].quantile(q)),
            InputKind::Factor(_) => Some(crate::scenario::quantile::normal_quantile(q)),
        }
    }
}

fn uncertain(d: &crate::scenario::Dist) -> bool {
    let (lo, hi) = d.support();
    lo < hi
}

/// Every uncertain input of the scenario, in parameter-table order, then the factors.
pub fn uncertain_inputs(scenario: &Scenario, plan: &Plan) -> Vec<Input> {
    let mut out = Vec::new();
    for (p, def) in PARAMS.iter().enumerate() {
        match def.scope {
            Scope::Block => {
                let blocks: Vec<usize> = (0..plan.blocks.len())
                    .filter(|&b| {
                        plan.blocks[b].counted
                            && param_applies(def.path, &scenario.blocks[b])
                            && uncertain(&plan.blocks[b].params[p])
                    })
                    .collect();
                if !blocks.is_empty() {
                    out.push(Input { kind: InputKind::BlockParam(p), key: format!("params.{}", def.path), blocks });
                }
            }
            Scope::City => {
                if uncertain(&plan.city[p]) && city_param_matters(p, plan) {
                    out.push(Input { kind: InputKind::CityParam(p), key: def.path.to_string(), blocks: Vec::new() });
                }
            }
        }
    }
    for (k, name) in FACTORS.iter().enumerate() {
        out.push(Input { kind: InputKind::Factor(k), key: format!("shocks.factor.{name}"), blocks: Vec::new() });
    }
    out
}

/// City parameters that a target set never reads are left out (e.g. the final text's revenue
/// factor under the draft's definition).
fn city_param_matters(p: usize, plan: &Plan) -> bool {
    use crate::seeds::{BaseScope, RevenueScope, SpecializedTier};
    let id = |x: ParamId| x as usize;
    if p == id(ParamId::BaseAllRevenueFactor) {
        return plan.revenue_scope == RevenueScope::All;
    }
    if p == id(ParamId::BaseNanhuShare) {
        return plan.base_scope == BaseScope::Nanhu;
    }
    if p == id(ParamId::BaseNationalShare) {
        return plan.tier == SpecializedTier::National;
    }
    true
}
