//! Tornado analysis: each uncertain input (and each lever) set to its 10th and 90th percentile
//! (levers: the ends of their range), everything else as in the scenario, on common random
//! numbers; ranked by the swing in P(met).

use super::inputs::{uncertain_inputs, Input};
use super::outcome::{TargetIndex, VariantOutcome};
use crate::engine::{self, RunError, RunOptions};
use crate::model::{Pins, Plan};
use crate::scenario::levers::LeverValue;
use crate::scenario::{Scenario, LEVERS};
use std::sync::atomic::AtomicBool;

/// Percentiles an input is set to.
pub const LOW_Q: f64 = 0.1;
pub const HIGH_Q: f64 = 0.9;

/// What a tornado bar varies.
#[derive(Clone, Debug, PartialEq)]
pub enum Factor {
    Input(Input),
    /// A lever by name; `low`/`high` are the ends of its range (replacement: off and on).
    Lever {
        name: &'static str,
        low: f64,
        high: f64,
    },
}

impl Factor {
    pub fn key(&self) -> String {
        match self {
            Factor::Input(i) => i.key.clone(),
            Factor::Lever { name, .. } => format!("levers.{name}"),
        }
    }

    pub fn is_lever(&self) -> bool {
        matches!(self, Factor::Lever { .. })
    }
}

/// One bar: the factor at its low and high setting.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    pub factor: Factor,
    /// Display text of the low and high settings (e.g. "p10 = 6.2", "p10 of each block").
    pub low_text: String,
    pub high_text: String,
    pub low: VariantOutcome,
    pub high: VariantOutcome,
}

impl TornadoRow {
    /// |P(high) − P(low)|.
    pub fn swing(&self, target: TargetIndex) -> f64 {
        (self.high.p(target) - self.low.p(target)).abs()
    }
    /// |median(high) − median(low)| of metric `m`.
    pub fn median_swing(&self, m: usize) -> f64 {
        (self.high.median[m] - self.low.median[m]).abs()
    }
}

/// The analysis of one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub baseline: VariantOutcome,
    pub rows: Vec<TornadoRow>,
    pub trials: u64,
    pub seed: u64,
}

impl Tornado {
    /// Rows ranked by the swing in P(met) of `target`, ties (e.g. a probability that stays 0)
    /// by the swing of the target's median, then by key.
    pub fn ranked(&self, target: TargetIndex) -> Vec<&TornadoRow> {
        let mut rows: Vec<&TornadoRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| {
            let by_p = b.swing(target).total_cmp(&a.swing(target));
            let by_median = match target {
                Some(m) => b.median_swing(m).total_cmp(&a.median_swing(m)),
                None => std::cmp::Ordering::Equal,
            };
            by_p.then(by_median).then_with(|| a.factor.key().cmp(&b.factor.key()))
        });
        rows
    }
}

fn setting_text(label: &str, value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{label} = {}", crate::report::format::short_number(v)),
        None => format!("{label} of each block's distribution"),
    }
}

/// Every factor of the scenario: its uncertain inputs, then its levers.
pub fn factors(scenario: &Scenario, plan: &Plan) -> Vec<Factor> {
    let mut out: Vec<Factor> = uncertain_inputs(scenario, plan).into_iter().map(Factor::Input).collect();
    for l in LEVERS {
        match l.value {
            LeverValue::Number { lo, hi, .. } => out.push(Factor::Lever { name: l.name, low: lo, high: hi }),
            LeverValue::Replacement => out.push(Factor::Lever { name: l.name, low: 0.0, high: 1.0 }),
        }
    }
    out
}

/// Sets a lever of a plan to `value` (replacement: 0 off, 1 on with the scenario's checkpoint and lag).
fn set_lever(plan: &mut Plan, scenario: &Scenario, name: &str, value: f64) {
    let lv = &mut plan.levers;
    match name {
        "parallel_approvals" => lv.parallel_approvals_months = value,
        "multi_plan" => lv.multi_plan_share = value,
        "special_fund" => lv.special_fund_share = value,
        "industry_funds" => lv.industry_funds = value,
        "multi_storey" => lv.multi_storey = value,
        "joint_acceptance" => lv.joint_acceptance_months = value,
        "investment_promotion" => lv.investment_promotion = value,
        "replacement" => {
            let r = &scenario.levers.replacement;
            let start = crate::model::MODEL_START;
            let start = crate::month::Month::new(start.0, start.1).expect("valid");
            lv.replacement = (value >= 0.5).then(|| ((r.checkpoint.since(start) + 1) as f64, r.lag_months));
        }
        other => unreachable!("lever {other} is listed in LEVERS but not in the plan"),
    }
}

/// Runs the tornado: 1 + 2 × factors evaluations of `opts.trials` trials each.
/// `progress(done, total)` counts evaluations.
pub fn tornado(
    scenario: &Scenario,
    plan: &Plan,
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Tornado, RunError> {
    let factors = factors(scenario, plan);
    let quiet = |_: u64, _: u64| {};
    // every evaluation's lever variant and pins: the scenario, then each factor low and high
    let mut evaluations: Vec<(Option<Plan>, Option<Pins>)> = vec![(None, None)];
    for factor in &factors {
        match factor {
            Factor::Input(input) => {
                for q in [LOW_Q, HIGH_Q] {
                    let mut pins = Pins::none(plan.blocks.len());
                    input.pin_quantile(plan, q, &mut pins);
                    evaluations.push((None, Some(pins)));
                }
            }
            Factor::Lever { name, low, high } => {
                for v in [*low, *high] {
                    let mut p = plan.clone();
                    set_lever(&mut p, scenario, name, v);
                    evaluations.push((Some(p), None));
                }
            }
        }
    }
    // (small evaluations, such as the report's 5,000 trials, run side by side)
    let mut outcomes = engine::side_by_side(&evaluations, opts, progress, |(variant, pins), o| {
        let p = variant.as_ref().unwrap_or(plan);
        let agg = engine::run_pinned(p, o, pins.as_ref(), cancel, &quiet)?;
        Ok::<_, RunError>(VariantOutcome::of(p, &agg))
    })?
    .into_iter();
    let baseline = outcomes.next().expect("the scenario's evaluation");
    let mut rows = Vec::with_capacity(factors.len());
    for factor in factors {
        let (low, high) = (outcomes.next().expect("a low setting"), outcomes.next().expect("a high setting"));
        let (low_text, high_text) = match &factor {
            Factor::Input(input) => {
                let unit = if matches!(input.kind, super::inputs::InputKind::Factor(_)) { " sd" } else { "" };
                let text = |label: &str, q: f64| format!("{}{unit}", setting_text(label, input.value_at(plan, q)));
                (text("p10", LOW_Q), text("p90", HIGH_Q))
            }
            Factor::Lever { name, low, high } => {
                let text = |v: f64| {
                    if *name == "replacement" {
                        if v >= 0.5 {
                            "on".to_string()
                        } else {
                            "off".to_string()
                        }
                    } else {
                        crate::report::format::short_number(v)
                    }
                };
                (text(*low), text(*high))
            }
        };
        rows.push(TornadoRow { factor, low_text, high_text, low, high });
    }
    Ok(Tornado { baseline, rows, trials: opts.trials, seed: opts.seed })
}
