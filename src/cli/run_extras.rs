//! The parts of `run`'s report beyond the run itself: the levers' measured effects (by default,
//! `--effect-trials`) and the tornado's top factors (`--with-tornado`), both on the run's seed so
//! that they pair with its trials.

use super::args::RunArgs;
use crate::engine::{Aggregate, RunOptions};
use crate::model::Plan;
use crate::report::html::tornado::{TornadoTop, RUN_TOP};
use crate::scenario::{Scenario, ScenarioSource};
use crate::seeds::Seeds;
use crate::sensitivity::tornado;
use crate::whatif::effects::{self, LeverEffects};
use crate::whatif::sliders::SliderGrid;
use crate::Error;

/// Trials per variant for the levers' effects (only computed when the report is written) and `--with-tornado` unless `--effect-trials`
/// says otherwise (paired with the run's first trials, like block criticality).
pub const DEFAULT_EFFECT_TRIALS: u64 = 5_000;

/// The built-in scenario whose lever values measure a lever the run's scenario leaves off.
const PACKAGE: &str = "policy_package";

/// The trials the levers' effects and the tornado add to a run of at most `most` trials, and
/// the cost line's description with them.
pub(super) fn cost(args: &RunArgs, scenario: &Scenario, plan: &Plan, most: u64, made_of: String) -> (u64, String) {
    if args.no_write {
        return (0, made_of);
    }
    let n = args.effect_trials.unwrap_or(DEFAULT_EFFECT_TRIALS).min(most);
    let mut trials = 0u64;
    let mut parts = vec![made_of];
    let group = crate::engine::budget::group;
    if n > 0 {
        let v = effects::variant_count(plan);
        trials = trials.saturating_add(v.saturating_mul(n));
        parts.push(format!("{v} lever variants of {}", group(n)));
    }
    if let Some(s) = &scenario.report.sliders {
        let n = s.trials.min(most);
        trials = trials.saturating_add(s.cells() as u64 * n);
        parts.push(format!("a slider grid of {} cells of {}", s.cells(), group(n)));
    }
    if args.with_tornado {
        let e = 1 + 2 * tornado::factors(scenario, plan).len() as u64;
        let n = n.max(1);
        trials = trials.saturating_add(e.saturating_mul(n));
        parts.push(format!("a tornado of {e} evaluations of {}", group(n)));
    }
    (trials, parts.join(", "))
}

/// Each lever's effect and the package's on the run's first `n` trials (0: none).
pub(super) fn lever_effects(
    n: u64,
    seeds: &Seeds,
    plan: &Plan,
    agg: &Aggregate,
    opts: &RunOptions,
) -> Result<Option<LeverEffects>, Error> {
    if n == 0 {
        return Ok(None);
    }
    let package = crate::scenario::load(&ScenarioSource::from_arg(PACKAGE), &[], seeds)?;
    let stated = Plan::new(&package).levers;
    let variants = effects::variant_count(plan);
    errln!("measuring the levers: {variants} variants of {} paired trials", crate::engine::budget::group(n));
    let bar = super::progress::Bar::new(n);
    let e =
        effects::lever_effects(plan, &stated, agg, &RunOptions { trials: n, ..*opts }, &super::INTERRUPTED, &|d, _| {
            bar.set(d as u64)
        });
    bar.finish();
    Ok(Some(e.map_err(super::run_failed)?))
}

/// The tornado's top factors per target on `n` trials, when `wanted` (`--with-tornado`).
pub(super) fn tornado_top(
    wanted: bool,
    n: u64,
    scenario: &Scenario,
    plan: &Plan,
    opts: &RunOptions,
) -> Result<Option<TornadoTop>, Error> {
    if !wanted {
        return Ok(None);
    }
    let factors = tornado::factors(scenario, plan).len();
    errln!(
        "tornado: {factors} factors at p10 and p90, {} evaluations of {} trials",
        1 + 2 * factors,
        crate::engine::budget::group(n)
    );
    let bar = super::progress::Bar::counting(1 + 2 * factors as u64, "evaluations");
    let t = tornado::tornado(scenario, plan, &RunOptions { trials: n, ..*opts }, &super::INTERRUPTED, &|d, _| {
        bar.set(d as u64)
    });
    bar.finish();
    let t = t.map_err(super::run_failed)?;
    let targets: Vec<Option<usize>> =
        (0..plan.thresholds.len()).filter(|&m| plan.thresholds[m].is_some()).map(Some).chain([None]).collect();
    Ok(Some(TornadoTop::of(&t, &targets, RUN_TOP)))
}

/// The what-if sliders' grid (`[report] sliders`) on the run's seed, when the report is written.
pub(super) fn slider_grid(writes: bool, scenario: &Scenario, opts: &RunOptions) -> Result<Option<SliderGrid>, Error> {
    let Some(sliders) = scenario.report.sliders.as_ref().filter(|_| writes) else { return Ok(None) };
    let n = sliders.trials.min(opts.trials);
    errln!("what-if sliders: {} grid cells of {} paired trials", sliders.cells(), crate::engine::budget::group(n));
    let bar = super::progress::Bar::counting(sliders.cells() as u64, "cells");
    let g =
        crate::whatif::sliders::slider_grid(scenario, sliders, opts, &super::INTERRUPTED, &|d, _| bar.set(d as u64));
    bar.finish();
    Ok(Some(g?))
}
