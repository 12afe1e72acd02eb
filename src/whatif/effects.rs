//! The measured effect of each lever, and of all of them together, for a run's report: each
//! lever switched on (at the scenario's value where the scenario uses it, else at the value the
//! built-in policy package gives it) against switched off, everything else as in the scenario,
//! on the run's own draws: variant trial k is the run's trial k, so the differences are paired
//! and their intervals tight.

use crate::engine::{self, Aggregate, RunError, RunOptions};
use crate::model::{run_trial_at_deadline, LeverValues, Plan, TrialBuffers};
use crate::scenario::levers::LeverValue;
use crate::scenario::LEVERS;
use crate::sensitivity::criticality::{changes, hits, met_by_slot, PairedChange, SLOTS};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

/// One lever's effect: P(met) with it on minus P(met) with it off, per target slot (the
/// targets in `TargetId::ALL` order, then all targets jointly), in probability (not points).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeverEffect {
    /// The lever's name (`parallel_approvals`, …).
    pub lever: String,
    /// The value it is switched on at (`None` for the 有进有出 rule, which is on or off).
    pub value: Option<f64>,
    /// Whether the value is the scenario's own (else the policy package's).
    pub from_scenario: bool,
    pub change: [Option<PairedChange>; SLOTS],
}

/// Every lever's effect and the package's, on `trials` paired trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeverEffects {
    pub trials: u64,
    /// All levers on against all off.
    pub package: [Option<PairedChange>; SLOTS],
    pub levers: Vec<LeverEffect>,
}

/// The levers all switched off.
fn all_off(like: &LeverValues) -> LeverValues {
    let mut v = *like;
    for l in LEVERS {
        if let LeverValue::Number { off, .. } = l.value {
            set(&mut v, l.name, Some(off));
        }
    }
    v.replacement = None;
    v
}

/// The value of lever `name` (the replacement rule: `None`, its timing is kept apart).
fn get(v: &LeverValues, name: &str) -> Option<f64> {
    Some(match name {
        "parallel_approvals" => v.parallel_approvals_months,
        "multi_plan" => v.multi_plan_share,
        "special_fund" => v.special_fund_share,
        "industry_funds" => v.industry_funds,
        "multi_storey" => v.multi_storey,
        "joint_acceptance" => v.joint_acceptance_months,
        "investment_promotion" => v.investment_promotion,
        _ => return None,
    })
}

fn set(v: &mut LeverValues, name: &str, value: Option<f64>) {
    let Some(x) = value else { return };
    match name {
        "parallel_approvals" => v.parallel_approvals_months = x,
        "multi_plan" => v.multi_plan_share = x,
        "special_fund" => v.special_fund_share = x,
        "industry_funds" => v.industry_funds = x,
        "multi_storey" => v.multi_storey = x,
        "joint_acceptance" => v.joint_acceptance_months = x,
        "investment_promotion" => v.investment_promotion = x,
        _ => {}
    }
}

/// Lever `name` of `dst` as in `src` (the replacement rule with its timing).
fn copy(dst: &mut LeverValues, src: &LeverValues, name: &str) {
    if name == "replacement" {
        dst.replacement = src.replacement;
    } else {
        set(dst, name, get(src, name));
    }
}

fn is_on(v: &LeverValues, off: &LeverValues, name: &str) -> bool {
    match name {
        "replacement" => v.replacement.is_some(),
        _ => get(v, name) != get(off, name),
    }
}

fn same(a: &LeverValues, b: &LeverValues) -> bool {
    LEVERS.iter().all(|l| get(a, l.name) == get(b, l.name)) && a.replacement == b.replacement
}

/// Measures every lever on the first `opts.trials` trials of `base` (the run of `plan`): `stated`
/// gives the value a lever the scenario leaves off is switched on at (the policy package's).
/// `progress(done, total)` counts trials.
pub fn lever_effects(
    plan: &Plan,
    stated: &LeverValues,
    base: &Aggregate,
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<LeverEffects, RunError> {
    let n = opts.trials.min(base.trials) as usize;
    let off = all_off(&plan.levers);
    let mut on_all = plan.levers;
    // per lever: (on, off) values, one of which is the scenario's
    let mut pairs = Vec::new();
    for l in LEVERS {
        let from_scenario = is_on(&plan.levers, &off, l.name);
        let mut on = plan.levers;
        let mut without = plan.levers;
        if from_scenario {
            copy(&mut without, &off, l.name);
        } else {
            copy(&mut on, stated, l.name);
            copy(&mut on_all, stated, l.name);
        }
        let value = if l.name == "replacement" { None } else { get(&on, l.name) };
        pairs.push((l.name, value, from_scenario, on, without));
    }
    // the variants to simulate: every lever set that is not the scenario's own
    let mut variants: Vec<LeverValues> = Vec::new();
    let mut index = |v: &LeverValues| -> Option<usize> {
        if same(v, &plan.levers) {
            return None;
        }
        Some(variants.iter().position(|x| same(x, v)).unwrap_or_else(|| {
            variants.push(*v);
            variants.len() - 1
        }))
    };
    let lever_slots: Vec<(Option<usize>, Option<usize>)> =
        pairs.iter().map(|(_, _, _, on, without)| (index(on), index(without))).collect();
    let package_slots = (index(&on_all), index(&off));
    let plans: Vec<Plan> = variants
        .iter()
        .map(|v| {
            let mut p = plan.clone();
            p.levers = *v;
            p
        })
        .collect();
    let rows = engine::map_rows(
        n,
        opts.threads,
        cancel,
        progress,
        || TrialBuffers::new(plan),
        |buf, t| {
            plans
                .iter()
                // (only the deadline's metrics are read: the trial stops there)
                .map(|p| met_by_slot(p, &run_trial_at_deadline(p, opts.seed, t as u64, buf, None)))
                .collect::<Vec<_>>()
        },
    )?;
    let base_hits = hits(plan, base, n);
    let hits_of = |k: Option<usize>| -> [Option<Vec<bool>>; SLOTS] {
        match k {
            None => base_hits.clone(),
            Some(k) => std::array::from_fn(|s| base_hits[s].as_ref().map(|_| rows.iter().map(|r| r[k][s]).collect())),
        }
    };
    let levers = pairs
        .iter()
        .zip(&lever_slots)
        .map(|((name, value, from_scenario, _, _), (on, without))| LeverEffect {
            lever: name.to_string(),
            value: *value,
            from_scenario: *from_scenario,
            change: changes(&hits_of(*without), &hits_of(*on)),
        })
        .collect();
    Ok(LeverEffects {
        trials: n as u64,
        package: changes(&hits_of(package_slots.1), &hits_of(package_slots.0)),
        levers,
    })
}

/// How many variants [`lever_effects`] simulates for `plan` (each `trials` trials).
pub fn variant_count(plan: &Plan) -> u64 {
    // one per lever, and the package's on and off unless one of them is the scenario itself
    let off = all_off(&plan.levers);
    let any_on = LEVERS.iter().any(|l| is_on(&plan.levers, &off, l.name));
    let all_on = LEVERS.iter().all(|l| is_on(&plan.levers, &off, l.name));
    LEVERS.len() as u64 + u64::from(any_on) + u64::from(!all_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;
    use crate::seeds::Seeds;

    fn plan(name: &str) -> Plan {
        Plan::new(&crate::scenario::load(&ScenarioSource::from_arg(name), &[], &Seeds::embedded()).unwrap())
    }

    #[test]
    fn each_lever_is_measured_on_against_off_on_the_runs_own_trials() {
        let base_plan = plan("baseline");
        let package = plan("policy_package");
        let opts = RunOptions { trials: 400, seed: 7, threads: 1, precision: None };
        let cancel = AtomicBool::new(false);
        let base = engine::run(&base_plan, &opts, &cancel, &|_, _| {}).unwrap();
        let e = lever_effects(&base_plan, &package.levers, &base, &opts, &cancel, &|_, _| {}).unwrap();
        assert_eq!(e.trials, 400);
        assert_eq!(e.levers.len(), LEVERS.len());
        assert!(e.levers.iter().all(|l| !l.from_scenario));
        let pa = e.levers.iter().find(|l| l.lever == "parallel_approvals").unwrap();
        assert_eq!(pa.value, Some(4.0));
        // the package against the baseline is the policy package scenario against the baseline:
        // its P(all met) minus the baseline's, on the same trials
        let pkg = engine::run(&package, &opts, &cancel, &|_, _| {}).unwrap();
        let all = SLOTS - 1;
        let want = pkg.all_met.estimate() - base.all_met.estimate();
        let got = e.package[all].unwrap();
        assert!((got.mean - want).abs() < 1e-12, "{} vs {want}", got.mean);
        assert!(got.low <= got.mean && got.mean <= got.high);
        // from the package's side the same levers are the scenario's own, and the package
        // effect is the same number with the roles swapped
        let e2 = lever_effects(&package, &package.levers, &pkg, &opts, &cancel, &|_, _| {}).unwrap();
        assert!(e2.levers.iter().all(|l| l.from_scenario));
        assert!((e2.package[all].unwrap().mean - want).abs() < 1e-12);
        assert_eq!(variant_count(&base_plan), LEVERS.len() as u64 + 1);
        assert_eq!(variant_count(&package), LEVERS.len() as u64 + 1);
    }
}
