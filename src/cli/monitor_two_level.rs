//! `monitor --two-level [--outer N] [--inner M]`: the two-level pass before the observations
//! and after them ([`crate::monitor::settled`]).

use super::args::TwoLevelArgs;
use super::progress::Bar;
use crate::engine::two_level::{two_level_bands, Unknown};
use crate::model::Plan;
use crate::monitor::settled::{settled, Settled};
use crate::scenario::Scenario;
use crate::sensitivity::unknowns::unknowns;
use crate::Error;

/// The scenario before the observations, kept for the pass before them.
pub(super) struct Before {
    plan: Plan,
    unknowns: Vec<Unknown>,
    outer: usize,
    inner: u64,
}

/// `None` without `--two-level`; the sizes checked as for `run --two-level`.
pub(super) fn prepare(args: &TwoLevelArgs, scenario: &Scenario) -> Result<Option<Before>, Error> {
    if !args.two_level && args.outer.is_none() && args.inner.is_none() {
        return Ok(None);
    }
    let (outer, inner) = super::two_level::sizes(args)?;
    let plan = Plan::new(scenario);
    let unknowns = unknowns(scenario, &plan);
    Ok(Some(Before { plan, unknowns, outer, inner }))
}

fn pass(
    plan: &Plan,
    unknowns: Vec<Unknown>,
    seed: u64,
    outer: usize,
    inner: u64,
    threads: usize,
) -> Result<crate::engine::two_level::TwoLevel, Error> {
    let bar = Bar::new(outer as u64 * inner);
    let r = two_level_bands(plan, unknowns, seed, outer, inner, threads, &super::INTERRUPTED, &|d, _| {
        bar.set(d as u64 * inner)
    });
    bar.finish();
    r.map_err(super::run_failed)
}

/// Both passes, on the same worlds and trials (`seed`): before, on the scenario as it was;
/// after, on the conditioned scenario and its plan as learnt.
pub(super) fn settle(
    before: Before,
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    threads: usize,
) -> Result<Settled, Error> {
    errln!("two-level: {} worlds × {} trials, before and after the observations", before.outer, before.inner);
    let b = pass(&before.plan, before.unknowns, seed, before.outer, before.inner, threads)?;
    let a = pass(plan, unknowns(scenario, plan), seed, before.outer, before.inner, threads)?;
    Ok(settled(&b, &a))
}
