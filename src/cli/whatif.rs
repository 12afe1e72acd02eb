//! `parkcast compare`, `sweep` and `goal-seek`.

use super::args::{CompareArgs, GoalSeekArgs, SweepArgs, WhatIfCommon};
use super::run::Output;
use super::run::{check_seed, name_flags, threads};
use crate::engine::budget;
use crate::engine::cost::Cost;
use crate::report::charts::{render, CompareChart, Lang, SweepChart};
use crate::report::export::{csv, ExportError, OutputDir};
use crate::report::format::percent;
use crate::report::html;
use crate::report::table::{Align, TextTable};
use crate::report::view::scenario_label;
use crate::scenario::levers::{lever_def, LeverValue};
use crate::scenario::ScenarioSource;
use crate::seeds::{Seeds, TargetId};
use crate::whatif::{self, Common, GoalSeek, GoalSeekResult, Stop, TargetChoice};
use crate::Error;
use std::path::{Path, PathBuf};

/// The shared seed and trials: flags, else the (first) scenario's settings / `default_trials`.
/// `evaluations` evaluations will run, `kept` of them held in memory at once; refused if they
/// are more trials than one command may run, or cannot fit.
pub(super) fn common(
    c: &WhatIfCommon,
    source: &ScenarioSource,
    seeds: &Seeds,
    default_trials: Option<u64>,
    (evaluations, kept): (u64, u64),
) -> Result<Common, Error> {
    check_seed(c.seed)?;
    let threads = threads(c.threads)?;
    let s = crate::scenario::load(source, &c.overrides, seeds)?;
    let trials = c.trials.or(default_trials).unwrap_or(s.settings.trials);
    if trials == 0 || trials > crate::scenario::MAX_TRIALS {
        return Err(Error::Usage(format!(
            "--trials {trials}: outside the allowed range 1 to {}",
            crate::scenario::MAX_TRIALS
        )));
    }
    Cost::evaluations(evaluations, trials, threads)
        .check_total()
        .map_err(|e| Error::Usage(format!("--trials {trials}: {e}; ask for fewer trials")))?;
    // each kept evaluation holds its bands, besides those of the one running
    let months = crate::model::Plan::new(&s).months as u64;
    let bands = budget::band_bytes(trials, months).saturating_add(kept * months * budget::BAND_BYTES_PER_MONTH);
    budget::MemoryNeed::new(trials, kept, budget::EVAL_BYTES_PER_TRIAL)
        .and(bands, format!("the monthly bands of {months} months"))
        .check(budget::available_memory().as_ref())
        .map_err(|e| Error::Usage(format!("--trials {trials}: {e}; lower --trials")))?;
    Ok(Common { trials, seed: c.seed.unwrap_or(s.settings.seed), threads })
}

/// The cost line of `evaluations` evaluations of `c.trials` trials, and the confirmation a
/// long job needs (`--yes` in `flags`).
pub(super) fn confirm_evaluations(evaluations: u64, c: &Common, flags: &WhatIfCommon) -> Result<(), Error> {
    let cost = Cost::evaluations(evaluations, c.trials, c.threads);
    super::confirm::confirm(&cost, &format!("--trials {}", c.trials), flags.yes)
}

pub(super) fn source(arg: &Option<String>) -> ScenarioSource {
    match arg {
        Some(a) => ScenarioSource::from_arg(a),
        None => ScenarioSource::default_baseline(),
    }
}

/// Checks, before anything is simulated, that setting `param` to each of `values` makes a valid
/// scenario; a problem names `flag`, which gave the values. Prints the first one's warnings.
pub(super) fn check_values(
    src: &ScenarioSource,
    overrides: &[String],
    param: &str,
    values: &[f64],
    flag: &str,
    seeds: &Seeds,
) -> Result<(), Error> {
    for (i, v) in values.iter().enumerate() {
        let set = format!("{param}={v}");
        let mut o = overrides.to_vec();
        o.push(set.clone());
        let s = crate::scenario::load(src, &o, seeds).map_err(|e| name_flags(e, &[(set, flag.to_string())]))?;
        if i == 0 {
            super::print_warnings(&s.warnings);
        }
    }
    Ok(())
}

pub(super) fn target_name(t: Option<TargetId>) -> String {
    t.map(|t| format!("{} ({})", t.key(), t.label_zh())).unwrap_or_else(|| "all targets (全部)".into())
}

/// `--out` (or the default directory) checked and claimed for `command` before simulating.
pub(super) fn check_out(out: &Option<PathBuf>, default: &str, command: &str) -> Result<Output, Error> {
    let dir = out.clone().unwrap_or_else(|| PathBuf::from(default));
    let what = match out {
        Some(o) => format!("--out {}", o.display()),
        None => format!("output directory {default}"),
    };
    super::run::check_out(&dir, &what, command, budget::OUTPUT_FIXED_BYTES)
}

/// Writes `files` (CSV first) and charts into the claimed directory atomically.
pub(super) fn write_outputs(out: &Output, write: impl FnOnce(&Path) -> Result<(), ExportError>) -> Result<(), Error> {
    let dir = OutputDir::create(&out.claim).map_err(|e| Error::Runtime(e.to_string()))?;
    write(dir.path()).map_err(|e| Error::Runtime(e.in_place_of(dir.path(), &out.shown).to_string()))?;
    let kept = dir.commit().map_err(|e| Error::Runtime(e.to_string()))?;
    super::run::report_kept(kept.as_deref());
    errln!("wrote {}", out.shown.display());
    Ok(())
}

pub fn compare(seeds: &Seeds, args: &CompareArgs) -> Result<(), Error> {
    let sources: Vec<ScenarioSource> = args.scenarios.iter().map(|s| ScenarioSource::from_arg(s)).collect();
    // every scenario must be valid before any is simulated
    let mut loaded = Vec::new();
    for s in &sources {
        let s = crate::scenario::load(s, &args.common.overrides, seeds)?;
        super::print_warnings(&s.warnings);
        loaded.push(s);
    }
    let n = sources.len() as u64;
    let c = common(&args.common, &sources[0], seeds, None, (n, n))?;
    let out = check_out(&args.out, "outputs/compare", "compare")?;
    confirm_evaluations(n, &c, &args.common)?;
    super::catch_interrupts();
    errln!("comparing {} scenarios on common random numbers: {} trials each, seed {}", sources.len(), c.trials, c.seed);
    let rows = whatif::compare(&sources, &args.common.overrides, seeds, c, &super::INTERRUPTED)?;
    let mut t = TextTable::new(&[
        ("scenario", Align::Left),
        ("target", Align::Left),
        ("P(met)", Align::Right),
        ("95% interval", Align::Right),
        ("vs first", Align::Right),
        ("95% interval of difference", Align::Right),
    ]);
    // a difference that rounds to zero is shown as +0.0, not -0.0
    let signed = |x: f64| format!("{:+.1} pts", if (x * 100.0).abs() < 0.05 { 0.0 } else { x * 100.0 });
    for r in &rows {
        t.row(vec![
            r.scenario.clone(),
            target_name(r.target),
            percent(r.p_met),
            format!("{}–{}", percent(r.ci.low), percent(r.ci.high)),
            signed(r.diff.0),
            format!("{} to {}", signed(r.diff.1), signed(r.diff.2)),
        ]);
    }
    outln!(
        "Paired differences against {} (same seed {} and {} trials for every scenario).",
        rows[0].scenario,
        c.seed,
        c.trials
    );
    out!("{}", t.render());
    write_outputs(&out, |dir| {
        csv::write_compare(&dir.join("compare.csv"), &rows)?;
        let sheet = crate::report::workbook::compare_sheet(&rows, c.trials, c.seed);
        crate::report::workbook::write_tables(&dir.join(crate::report::workbook::FILE), "compare", &[sheet])?;
        let mut charts = Vec::new();
        for lang in args.lang.langs() {
            // the chart's legend names the scenarios as readers do
            let named: Vec<whatif::CompareRow> = rows
                .iter()
                .map(|r| {
                    let s = loaded.iter().find(|s| s.name == r.scenario);
                    let label = s.map(|s| scenario_label(&s.name, &s.label_zh, &s.label_en, lang));
                    whatif::CompareRow { scenario: label.unwrap_or_else(|| r.scenario.clone()), ..r.clone() }
                })
                .collect();
            charts.push(
                render(&CompareChart { rows: &named, lang }, lang, &chart_dir(dir, lang)?)
                    .map_err(|e| ExportError::new(dir, e))?,
            );
        }
        let first = &loaded[0];
        let report = html::compare::CompareReport {
            rows: &rows,
            scenarios: loaded
                .iter()
                .map(|s| html::compare::Named {
                    name: s.name.clone(),
                    label_zh: s.label_zh.clone(),
                    label_en: s.label_en.clone(),
                })
                .collect(),
            target_set: (first.target_set.label_zh.clone(), first.target_set.label_en.clone()),
            year: first.target_set.deadline.year(),
            trials: c.trials,
            seed: c.seed,
            date: crate::report::export::unique::now_utc(),
        };
        write_html(dir, &html::compare::render(&report, &charts, &args.lang.langs()))
    })?;
    let variants = loaded
        .iter()
        .map(|s| {
            let mine: Vec<&whatif::CompareRow> = rows.iter().filter(|r| r.scenario == s.name).collect();
            let note = mine.iter().find(|r| r.target.is_none()).map_or(String::new(), |r| {
                format!(
                    "all vs {}: {} ({} to {})",
                    rows[0].scenario,
                    signed(r.diff.0),
                    signed(r.diff.1),
                    signed(r.diff.2)
                )
            });
            super::runs::variant(
                &s.name,
                &s.name,
                super::runs::p_met_of(mine.iter().map(|r| (r.target, r.p_met))),
                note,
            )
        })
        .collect();
    super::runs::register_analysis(
        "compare",
        &loaded[0],
        &args.common.overrides,
        c.trials,
        vec![],
        variants,
        &out.shown,
    );
    Ok(())
}

/// Writes an analysis's report.html into `dir`.
pub(super) fn write_html(dir: &Path, text: &str) -> Result<(), ExportError> {
    let path = dir.join("report.html");
    std::fs::write(&path, text).map_err(|e| ExportError::new(&path, e))
}

pub(super) fn chart_dir(dir: &Path, lang: Lang) -> Result<PathBuf, ExportError> {
    let d = dir.join("charts").join(lang.code());
    std::fs::create_dir_all(&d).map_err(|e| ExportError::new(&d, e))?;
    Ok(d)
}

/// The most values one sweep takes, from `--values` or `--range`.
pub const MAX_SWEEP_VALUES: usize = 1000;

pub fn sweep(seeds: &Seeds, args: &SweepArgs) -> Result<(), Error> {
    if !args.vary.is_empty() {
        return super::grid::grid_sweep(seeds, args);
    }
    if let Some(spec) = &args.shard {
        return Err(Error::Usage(format!(
            "--shard {spec}: only a multi-lever sweep (--vary, two or more paths) is sharded; a sweep of one --param has at most {} evaluations and runs on one machine",
            budget::group(MAX_SWEEP_VALUES as u64)
        )));
    }
    let Some(param) = args.param.clone() else {
        return Err(Error::Usage("give the path to sweep: --param PATH, or --vary PATH=VALUES for two or more".into()));
    };
    let src = source(&args.scenario);
    let values = match (&args.range, &args.values) {
        (Some(r), _) => super::typed::range("--range", r, MAX_SWEEP_VALUES)?,
        (None, Some(v)) => super::typed::list("--values", v)?,
        (None, None) => {
            return Err(Error::Usage("give the values to sweep: --values a,b,c or --range lo:hi:steps".into()))
        }
    };
    if values.len() > MAX_SWEEP_VALUES {
        return Err(Error::Usage(format!(
            "--values: {} values, more than the {MAX_SWEEP_VALUES} a sweep may have; give fewer, or --range LO:HI:STEPS with STEPS ≤ {MAX_SWEEP_VALUES}",
            budget::group(values.len() as u64)
        )));
    }
    let scenario = crate::scenario::load(&src, &args.common.overrides, seeds)?;
    whatif::check_param_path(&param, &scenario)?;
    let flag = match &args.range {
        Some(r) => format!("--range {r}"),
        None => format!("--values {}", values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")),
    };
    check_values(&src, &args.common.overrides, &param, &values, &flag, seeds)?;
    let c = common(&args.common, &src, seeds, Some(20_000), (values.len() as u64, 1))?;
    let out = check_out(&args.out, "outputs/sweep", "sweep")?;
    confirm_evaluations(values.len() as u64, &c, &args.common)?;
    super::catch_interrupts();
    errln!("sweeping {} over {} values: {} trials each, seed {}", param, values.len(), c.trials, c.seed);
    let rows = whatif::sweep(
        &src,
        &args.common.overrides,
        &whatif::SweepSpec { path: &param, values: &values },
        seeds,
        c,
        &super::INTERRUPTED,
        &|done, all| {
            errln!("  {done}/{all} values done");
        },
    )?;
    let mut targets: Vec<Option<TargetId>> = Vec::new();
    for r in &rows {
        if !targets.contains(&r.target) {
            targets.push(r.target);
        }
    }
    let mut headers: Vec<(String, Align)> = vec![(param.clone(), Align::Right)];
    headers
        .extend(targets.iter().map(|t| (t.map(|t| t.key().to_string()).unwrap_or_else(|| "all".into()), Align::Right)));
    let header_refs: Vec<(&str, Align)> = headers.iter().map(|(h, a)| (h.as_str(), *a)).collect();
    let mut t = TextTable::new(&header_refs);
    for v in &values {
        let mut cells = vec![format!("{v}")];
        for target in &targets {
            let r = rows.iter().find(|r| r.value == *v && r.target == *target).expect("every value has every target");
            cells.push(format!("{} (±{:.1})", percent(r.p_met), r.ci.half_width() * 100.0));
        }
        t.row(cells);
    }
    outln!("P(met) along {} (common random numbers; ± = half-width of the 95% interval, points).", param);
    out!("{}", t.render());
    write_outputs(&out, |dir| {
        csv::write_sweep(&dir.join("sweep.csv"), &param, &rows)?;
        let sheet = crate::report::workbook::sweep_sheet(&param, &rows, c.trials, c.seed);
        crate::report::workbook::write_tables(&dir.join(crate::report::workbook::FILE), "sweep", &[sheet])?;
        for lang in args.lang.langs() {
            render(&SweepChart { rows: &rows, param: &param, lang }, lang, &chart_dir(dir, lang)?)
                .map_err(|e| ExportError::new(dir, e))?;
        }
        Ok(())
    })?;
    let variants = values
        .iter()
        .map(|v| {
            let at = rows.iter().filter(|r| r.value == *v).map(|r| (r.target, r.p_met));
            super::runs::variant(format!("{param}={v}"), &scenario.name, super::runs::p_met_of(at), "")
        })
        .collect();
    super::runs::register_analysis("sweep", &scenario, &args.common.overrides, c.trials, vec![], variants, &out.shown);
    Ok(())
}

/// `--target ID|all`.
pub(super) fn parse_target(key: &str) -> Result<TargetChoice, Error> {
    match key {
        "all" => Ok(TargetChoice::All),
        key => TargetId::from_key(key).map(TargetChoice::One).ok_or_else(|| {
            Error::Usage(format!(
                "--target {key}: not a target (allowed: parks, specialized, tech_smes, revenue, jobs, all)"
            ))
        }),
    }
}

pub fn goal_seek(seeds: &Seeds, args: &GoalSeekArgs) -> Result<(), Error> {
    let src = source(&args.scenario);
    if !(args.prob > 0.0 && args.prob < 1.0) {
        return Err(Error::Usage(format!("--prob {}: give a probability strictly between 0 and 1", args.prob)));
    }
    let target = parse_target(&args.target)?;
    let scenario = crate::scenario::load(&src, &args.common.overrides, seeds)?;
    whatif::check_param_path(&args.param, &scenario)?;
    let bounds = match &args.bounds {
        Some(text) => super::typed::bounds("--bounds", text)?,
        None => {
            let lever = args.param.strip_prefix("levers.").and_then(|r| r.strip_suffix(".value")).and_then(lever_def);
            match lever.map(|l| l.value) {
                Some(LeverValue::Number { lo, hi, .. }) => (lo, hi),
                _ => {
                    return Err(Error::Usage(format!(
                        "--bounds LO,HI is needed for {} (only lever values have a default range)",
                        args.param
                    )))
                }
            }
        }
    };
    let tolerance = args.tolerance.unwrap_or((bounds.1 - bounds.0) / 200.0);
    if tolerance.is_nan() || tolerance <= 0.0 {
        return Err(Error::Usage(format!("--tolerance {tolerance}: must be positive")));
    }
    // both ends must make valid scenarios (values in between then do too for ranges)
    let flag = format!("--bounds {},{}", bounds.0, bounds.1);
    check_values(&src, &args.common.overrides, &args.param, &[bounds.0, bounds.1], &flag, seeds)?;
    let evaluations = whatif::most_evaluations(bounds, tolerance);
    let c = common(&args.common, &src, seeds, Some(20_000), (evaluations, 1))?;
    confirm_evaluations(evaluations, &c, &args.common)?;
    super::catch_interrupts();
    let what = match target {
        TargetChoice::One(id) => format!("P({} met)", id.key()),
        TargetChoice::All => "P(all targets met)".into(),
    };
    errln!(
        "seeking {} in [{}, {}] so that {what} ≥ {}: {} trials per evaluation, seed {}",
        args.param,
        bounds.0,
        bounds.1,
        args.prob,
        c.trials,
        c.seed
    );
    let q = GoalSeek {
        source: &src,
        overrides: &args.common.overrides,
        path: &args.param,
        target,
        prob: args.prob,
        bounds,
        tolerance,
    };
    match whatif::goal_seek(&q, seeds, c, &super::INTERRUPTED)? {
        GoalSeekResult::Found { value, increasing, p_met, ci, interval, evaluations, stop } => {
            let side = if increasing { "smallest" } else { "largest" };
            outln!("{side} {} with {what} ≥ {}: {value:.6}", args.param, percent(args.prob));
            outln!("  there {what} = {} (95% interval {}–{})", percent(p_met), percent(ci.low), percent(ci.high));
            outln!("  given the Monte Carlo error the answer lies between {:.6} and {:.6}", interval.0, interval.1);
            outln!(
                "  ({evaluations} evaluations of {} trials on common random numbers; bracket tolerance {tolerance})",
                c.trials
            );
            match stop {
                Stop::Tolerance => {}
                Stop::Resolution { width } => println!(
                    "  --tolerance {tolerance} is below the resolution of floats here: the bracket stopped at two adjacent values {width:e} apart, and the value above is the best found"
                ),
                Stop::Halvings { width } => println!(
                    "  stopped after {} halvings of the bracket with a width of {width:e}, above --tolerance {tolerance}; the value above is the best found",
                    whatif::MAX_HALVINGS
                ),
            }
        }
        GoalSeekResult::NotReached { at_low, at_high } => {
            outln!(
                "no value of {} in [{}, {}] gives {what} ≥ {}: it is {} at {} and {} at {}",
                args.param,
                bounds.0,
                bounds.1,
                percent(args.prob),
                percent(at_low),
                bounds.0,
                percent(at_high),
                bounds.1
            );
        }
    }
    Ok(())
}
