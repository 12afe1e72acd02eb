//! `parkcast run --two-level [--outer N] [--inner M]` (docs/uncertainty.md).

use super::args::RunArgs;
use super::run::{check_seed, threads};
use crate::engine::cost::Cost;
use crate::engine::two_level::{self, DEFAULT_INNER, DEFAULT_OUTER, MAX_OUTER, MAX_TOTAL, MIN_INNER, MIN_OUTER};
use crate::model::Plan;
use crate::report::epistemic::EpistemicView;
use crate::report::export::csv_two_level::write_two_level;
use crate::report::export::ExportError;
use crate::report::two_level_charts::render_charts;
use crate::report::two_level_table;
use crate::seeds::Seeds;
use crate::Error;
use std::path::PathBuf;
use std::time::Instant;

/// The flags of `run` that a two-level run does not take, and why.
fn refuse_other_flags(args: &RunArgs) -> Result<(), Error> {
    let other = [
        (args.trials.is_some(), "--trials", "give --outer (worlds) and --inner (trials per world)"),
        (args.precision.is_some(), "--precision", "its precision is set by --outer and --inner"),
        (args.criticality_trials.is_some(), "--criticality-trials", "block criticality is part of a plain run"),
        (args.effect_trials.is_some(), "--effect-trials", "the levers' effects are part of a plain run"),
        (args.with_tornado, "--with-tornado", "run parkcast tornado for the factors of a plain run"),
    ];
    for (given, flag, why) in other {
        if given {
            return Err(Error::Usage(format!("{flag} does not apply to a two-level run: {why}")));
        }
    }
    Ok(())
}

/// `--outer` and `--inner`, checked.
pub(super) fn sizes(t: &super::args::TwoLevelArgs) -> Result<(usize, u64), Error> {
    if !t.two_level {
        let flag = if t.outer.is_some() { "--outer" } else { "--inner" };
        return Err(Error::Usage(format!("{flag} sizes a two-level run: add --two-level")));
    }
    let outer = t.outer.unwrap_or(DEFAULT_OUTER);
    if outer < MIN_OUTER {
        return Err(Error::Usage(format!(
            "--outer {outer}: give at least {MIN_OUTER} worlds (fewer cannot be binned to rank the unknowns)"
        )));
    }
    if outer > MAX_OUTER {
        return Err(Error::Usage(format!(
            "--outer {outer}: at most {} worlds",
            crate::engine::budget::group(MAX_OUTER as u64)
        )));
    }
    let inner = t.inner.unwrap_or(DEFAULT_INNER);
    if inner < MIN_INNER {
        return Err(Error::Usage(format!(
            "--inner {inner}: give at least {MIN_INNER} trials per world (two halves estimate the noise)"
        )));
    }
    let total = (outer as u64).checked_mul(inner).filter(|&n| n <= MAX_TOTAL);
    if total.is_none() {
        return Err(Error::Usage(format!(
            "--outer {outer} × --inner {inner}: more than {} trials in all; ask for fewer",
            crate::engine::budget::group(MAX_TOTAL)
        )));
    }
    Ok((outer, inner))
}

/// The band pass of a plain run (its report's epistemic band, [`two_level::band_pass_sizes`]):
/// `None` when the scenario leaves nothing epistemic uncertain.
pub(super) fn band_pass(
    scenario: &crate::scenario::Scenario,
    plan: &Plan,
    trials: u64,
    threads: usize,
) -> Result<Option<EpistemicView>, Error> {
    let unknowns = crate::sensitivity::unknowns::unknowns(scenario, plan);
    if unknowns.is_empty() {
        return Ok(None);
    }
    let (outer, inner) = two_level::band_pass_sizes(trials);
    let bar = super::progress::Bar::new(outer as u64 * inner);
    let seed = scenario.settings.seed;
    let result =
        two_level::two_level_bands(plan, unknowns, seed, outer, inner, threads, &super::INTERRUPTED, &|d, _| {
            bar.set(d as u64 * inner)
        });
    bar.finish();
    Ok(Some(EpistemicView::of(&result.map_err(super::run_failed)?)))
}

pub fn run(seeds: &Seeds, args: &RunArgs) -> Result<(), Error> {
    let (outer, inner) = sizes(&args.two_level)?;
    refuse_other_flags(args)?;
    let threads = threads(args.threads)?;
    check_seed(args.seed)?;
    let scenario = args.load(seeds)?;
    super::print_warnings(&scenario.warnings);
    let plan = Plan::new(&scenario);
    let unknowns = crate::sensitivity::unknowns::unknowns(&scenario, &plan);
    let out =
        args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}_two_level", scenario.dir_name())));
    let claimed = if args.no_write {
        None
    } else {
        let what = match &args.out {
            Some(o) => format!("--out {}", o.display()),
            None => format!("output directory {}", out.display()),
        };
        Some(super::run::check_out(&out, &what, "run --two-level", crate::engine::budget::OUTPUT_FIXED_BYTES)?)
    };
    let trials = outer as u64 * inner;
    let outputs = 1 + plan.thresholds.iter().filter(|t| t.is_some()).count();
    let (resamples, work) = two_level::bootstrap_plan(outer, &unknowns, outputs);
    let mut cost =
        Cost::new(trials, format!("{outer} worlds of {inner} trials, {resamples} bootstrap resamples"), threads);
    cost.extra_thread_seconds = work / two_level::BOOTSTRAP_OPS_PER_SECOND_PER_THREAD;
    super::confirm::confirm(&cost, &format!("--outer {outer} --inner {inner}"), args.yes)?;
    let seed = scenario.settings.seed;
    errln!(
        "parkcast {}: scenario {} ({}), two-level: {outer} worlds × {inner} trials, {} unknowns drawn per world, seed {seed}, {threads} threads",
        env!("CARGO_PKG_VERSION"),
        scenario.name,
        scenario.hash,
        unknowns.len()
    );
    let started = Instant::now();
    let bar = super::progress::Bar::new(trials);
    super::catch_interrupts();
    let result = two_level::two_level(&plan, unknowns, seed, outer, inner, threads, &super::INTERRUPTED, &|done, _| {
        bar.set(done as u64 * inner)
    });
    bar.finish();
    let result = result.map_err(super::run_failed)?;
    let wall = started.elapsed().as_secs_f64();

    outln!(
        "Scenario {} · targets {} · two-level: {outer} plausible worlds × {inner} trials ({} trials, {:.1} s on {threads} threads) · seed {seed} · {}",
        scenario.name,
        scenario.target_set.id,
        crate::engine::budget::group(trials),
        wall,
        scenario.hash
    );
    outln!("What we do not know (epistemic: {} parameters, drawn once per world) apart from what varies by chance (aleatory: drawn in every trial).", result.unknowns.len());
    outln!(
        "Each world's P(met) is estimated from its {inner} trials (simulation error about ±{:.1} points at P = 50%).",
        100.0 * 1.96 * (0.25 / inner as f64).sqrt()
    );
    outln!();
    out!("{}", two_level_table::bands(&result));
    outln!();
    outln!("Measure first: the share of the across-world variance of P(met) each unknown explains on its own (first-order: binned for a city-wide parameter, linear regression for one drawn in many blocks; 95% intervals from {} bootstrap resamples):", result.resamples);
    out!("{}", two_level_table::measure_first(&result));

    if let Some(claimed) = claimed {
        super::whatif::write_outputs(&claimed, |dir| {
            write_two_level(&dir.join("two_level.csv"), &result)?;
            let langs = args.lang.langs();
            let mut charts = Vec::new();
            for &lang in &langs {
                let cd = super::whatif::chart_dir(dir, lang)?;
                let label =
                    crate::report::view::scenario_label(&scenario.name, &scenario.label_zh, &scenario.label_en, lang);
                charts.extend(render_charts(&result, &label, lang, &cd).map_err(|e| ExportError::new(dir, e))?);
            }
            let page = crate::report::html::two_level::page(&result, &scenario.name, &charts, &langs);
            let path = dir.join("report.html");
            std::fs::write(&path, page).map_err(|e| ExportError::new(&path, e))
        })?;
        let p = result.outputs.iter().map(|b| (two_level_table::output_key(b).to_string(), b.pooled)).collect();
        super::runs::register(&super::runs::record(
            "run --two-level",
            &scenario,
            args.overrides(),
            trials,
            None,
            p,
            &out,
        ));
    }
    Ok(())
}
