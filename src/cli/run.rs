//! `parkcast run` (and `parkcast` with no command).

use super::args::{RunArgs, ScenarioArgs};
use crate::engine::cost::Cost;
use crate::engine::{self, budget, RunOptions};
use crate::model::Plan;
use crate::report::export::{self, RunMeta};
use crate::report::summary_table;
use crate::report::view::Extras;
use crate::scenario::{Scenario, ScenarioError, MAX_TRIALS};
use crate::seeds::Seeds;
use crate::sensitivity::criticality;
use crate::summary::Summary;
use crate::toml_tree::Origin;
use crate::Error;
use std::path::PathBuf;
use std::time::Instant;

impl RunArgs {
    /// `parkcast` with no arguments: the baseline with its own settings.
    pub fn default_run() -> RunArgs {
        RunArgs {
            scenario: ScenarioArgs { scenario: None, overrides: Vec::new() },
            trials: None,
            seed: None,
            threads: None,
            target_set: None,
            horizon: None,
            precision: None,
            sampling: None,
            out: None,
            no_write: false,
            json: false,
            yes: false,
            criticality_trials: None,
            effect_trials: None,
            with_tornado: false,
            lang: super::args::LangArg::Both,
            two_level: Default::default(),
            shard: None,
        }
    }

    /// Run options given as flags become overrides of the scenario's settings, so they are
    /// validated (and reported) like any other value.
    pub(super) fn overrides(&self) -> Vec<String> {
        let mut o = self.scenario.overrides.clone();
        o.extend(self.flag_overrides().into_iter().map(|(set, _)| set));
        o
    }

    /// Each flag that sets a value, as an override and as the user typed it.
    pub(super) fn flag_overrides(&self) -> Vec<(String, String)> {
        let mut o = Vec::new();
        if let Some(t) = self.trials {
            o.push((format!("settings.trials={t}"), format!("--trials {t}")));
        }
        if let Some(s) = self.seed {
            o.push((format!("settings.seed={s}"), format!("--seed {s}")));
        }
        if let Some(t) = &self.target_set {
            o.push((format!("settings.target_set=\"{t}\""), format!("--targets {t}")));
        }
        if let Some(h) = &self.horizon {
            o.push((format!("settings.horizon=\"{h}\""), format!("--horizon {h}")));
        }
        if let Some(m) = &self.sampling {
            o.push((format!("settings.sampling={m:?}"), format!("--sampling {m}")));
        }
        o
    }

    /// Loads the scenario with the overrides; a problem with a flag's value names the flag.
    pub(super) fn load(&self, seeds: &Seeds) -> Result<Scenario, Error> {
        crate::scenario::load(&self.scenario.source(), &self.overrides(), seeds)
            .map_err(|e| name_flags(e, &self.flag_overrides()))
    }
}

/// Problems caused by an override that a flag made (`flags`: override, flag as typed) name the
/// flag instead of the override.
pub(super) fn name_flags(mut e: ScenarioError, flags: &[(String, String)]) -> Error {
    for p in &mut e.problems.0 {
        if let Origin::Override { arg } = &p.origin {
            if let Some((_, flag)) = flags.iter().find(|(set, _)| **set == **arg) {
                p.origin = Origin::Override { arg: flag.as_str().into() };
            }
        }
    }
    Error::Scenario(e)
}

/// `--threads`: at least 1 and at most 1024; all cores when not given.
pub(super) fn threads(t: Option<usize>) -> Result<usize, Error> {
    match t {
        Some(0) => Err(Error::Usage("--threads 0: give at least 1 thread".into())),
        Some(t) if t > 1024 => Err(Error::Usage(format!("--threads {t}: at most 1024"))),
        Some(t) => Ok(t),
        None => Ok(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
    }
}

/// `--seed`: scenario files hold seeds as TOML integers, so at most 2^63 − 1.
pub(super) fn check_seed(seed: Option<u64>) -> Result<(), Error> {
    match seed {
        Some(s) if s > i64::MAX as u64 => {
            Err(Error::Usage(format!("--seed {s}: outside the allowed range 0 to {} (2^63 − 1)", i64::MAX)))
        }
        _ => Ok(()),
    }
}

/// A claimed output directory and the path as the user gave it (for messages).
pub(super) struct Output {
    pub claim: export::Claim,
    pub shown: PathBuf,
}

/// `--out DIR` (or the default directory) checked and claimed for `command` before simulating:
/// `what` names it in messages. Says so when a symbolic link sends the outputs elsewhere.
pub(super) fn check_out(out: &std::path::Path, what: &str, command: &str, needed_bytes: u64) -> Result<Output, Error> {
    refuse_backslashes(out, what)?;
    let (claim, note) = export::claim(out, command, needed_bytes).map_err(|e| Error::Usage(format!("{what}: {e}")))?;
    if let Some(n) = note {
        errln!("note: {}", n);
    }
    Ok(Output { claim, shown: out.to_path_buf() })
}

/// A path to write with a backslash, as typed on Windows: here `\\` is part of one folder's
/// name, so `results\\run1` would make a folder of that name instead of `run1` in `results`.
/// Refused with the path to write (on Windows itself a backslash separates folders).
pub(super) fn refuse_backslashes(path: &std::path::Path, what: &str) -> Result<(), Error> {
    let text = path.to_string_lossy();
    if cfg!(windows) || !text.contains('\\') {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{what}: the path has backslashes (\\) as on Windows, but here folders are separated by /: write {} (a backslash would become part of a folder's name)",
        text.replace('\\', "/")
    )))
}

/// Tells the user where an old output directory went that could not be removed because
/// something parkcast did not write appeared in it during the run.
pub(super) fn report_kept(kept: Option<&std::path::Path>) {
    if let Some(k) = kept {
        errln!(
            "warning: the previous results held files parkcast did not write (added during the run); they were kept in {}",
            k.display()
        );
    }
}

/// What a run may take: its most trials, and its cost with the flag that set its size.
struct Budget {
    most: u64,
    cost: Cost,
    flag: String,
}

/// The most trials a run may take, refusing a `--precision` that no allowed run can promise and
/// a run that cannot fit in memory (its kept trials, monthly bands and criticality variants);
/// warns when `--trials` may stop a precision run short.
fn trial_budget(args: &RunArgs, scenario: &Scenario, plan: &Plan, threads: usize) -> Result<Budget, Error> {
    let cap = scenario.settings.trials;
    let trials_arg = match args.trials {
        Some(t) => format!("--trials {t}"),
        None => format!("settings.trials = {cap} (from the scenario)"),
    };
    let mut most = cap;
    let mut what = trials_arg.clone();
    if let Some(h) = args.precision {
        let need = budget::trials_for_precision(h);
        if need > MAX_TRIALS as f64 {
            return Err(Error::Usage(format!(
                "--precision {h}: may need up to {} trials (worst case p = 0.5: n = 1.96² × 0.25 / h²), more than a run may have ({}); the finest precision allowed is {:.6}",
                budget::group(need as u64),
                budget::group(MAX_TRIALS),
                (budget::precision_of(MAX_TRIALS) * 1e6).ceil() / 1e6
            )));
        }
        let need = need as u64;
        if need > cap {
            errln!(
                "warning: --precision {h} may need up to {} trials (worst case p = 0.5), but {trials_arg} stops the run sooner; raise --trials to be sure of reaching it",
                budget::group(need)
            );
        }
        most = cap.min(need.div_ceil(engine::CHUNK_TRIALS) * engine::CHUNK_TRIALS);
        what = format!("--precision {h} with {trials_arg}");
    }
    let per_trial = if args.no_write { budget::EVAL_BYTES_PER_TRIAL } else { budget::RUN_BYTES_PER_TRIAL };
    let months = plan.months as u64;
    let crit_trials = args.criticality_trials.unwrap_or(DEFAULT_CRITICALITY_TRIALS).min(most);
    let starts: Vec<_> = scenario.blocks.iter().map(|b| b.start).collect();
    let variants = if crit_trials > 0 { criticality::variant_count(plan, &starts) } else { 0 };
    let crit = format!("{variants} criticality variants of {} trials", budget::group(crit_trials));
    let made_of = match variants {
        0 => format!("a run of {}", budget::group(most)),
        _ => format!("a run of {} and {crit}", budget::group(most)),
    };
    // criticality simulates its trials once more and re-simulates one block of ~20 per variant
    let crit_cost = crit_trials.saturating_add(variants.saturating_mul(crit_trials) / 20);
    let (extra, made_of) = super::run_extras::cost(args, scenario, plan, most, made_of);
    let cost = Cost::new(most.saturating_add(crit_cost).saturating_add(extra), made_of, threads);
    cost.check_total().map_err(|e| Error::Usage(format!("{what}: {e}; ask for fewer trials")))?;
    budget::MemoryNeed::new(most, 1, per_trial)
        .and(budget::band_bytes(most, months), format!("the monthly bands of {months} months"))
        .and(budget::criticality_bytes(variants, crit_trials, months), format!("{crit} over {months} months"))
        .check(budget::available_memory().as_ref())
        .map_err(|e| Error::Usage(format!("{what}: {e}; lower --trials, --criticality-trials or --horizon")))?;
    Ok(Budget { most, cost, flag: what })
}

/// Trials per criticality variant unless --criticality-trials says otherwise (paired with the
/// run's first trials, so a few thousand resolve changes of a point).
pub const DEFAULT_CRITICALITY_TRIALS: u64 = 5_000;

pub fn run(seeds: &Seeds, args: &RunArgs) -> Result<(), Error> {
    if let Some(spec) = &args.shard {
        return super::shard::run(seeds, args, spec);
    }
    if args.two_level.two_level || args.two_level.outer.is_some() || args.two_level.inner.is_some() {
        return super::two_level::run(seeds, args);
    }
    if let Some(h) = args.precision {
        if !(h > 0.0 && h < 0.5) {
            return Err(Error::Usage(format!(
                "--precision {h}: must be a half-width between 0 and 0.5 (e.g. 0.005 for ±0.5 points)"
            )));
        }
    }
    let threads = threads(args.threads)?;
    check_seed(args.seed)?;
    let scenario = args.load(seeds)?;
    super::print_warnings(&scenario.warnings);
    let plan = Plan::new(&scenario);
    let limits = trial_budget(args, &scenario, &plan, threads)?;
    let most_trials = limits.most;
    let default_name = super::out_name::with_overrides(&scenario.dir_name(), &args.scenario.overrides);
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&default_name));
    if args.out.is_none() && !args.no_write && !args.scenario.overrides.is_empty() {
        errln!("with --set overrides, the results go to their own directory {} (--out DIR to choose)", out.display());
    }
    let claimed = if args.no_write {
        None
    } else {
        let what = match &args.out {
            Some(o) => format!("--out {}", o.display()),
            None => format!("output directory {}", out.display()),
        };
        Some(check_out(&out, &what, "run", budget::OUTPUT_FIXED_BYTES + budget::OUTPUT_BYTES_PER_TRIAL * most_trials)?)
    };
    super::confirm::confirm(&limits.cost, &limits.flag, args.yes)?;
    let opts = RunOptions {
        trials: scenario.settings.trials,
        seed: scenario.settings.seed,
        threads,
        precision: args.precision,
    };

    errln!(
        "parkcast {}: scenario {} ({}), {} trials{}, seed {}, {} threads",
        env!("CARGO_PKG_VERSION"),
        scenario.name,
        scenario.hash,
        opts.trials,
        if opts.precision.is_some() { " at most" } else { "" },
        opts.seed,
        threads
    );
    let started = Instant::now();
    let bar = super::progress::Bar::new(opts.trials);
    super::catch_interrupts();
    let cancel = &super::INTERRUPTED;
    let agg = engine::run(&plan, &opts, cancel, &|done, _| bar.set(done));
    bar.finish();
    let agg = agg.map_err(super::run_failed)?;
    if let Some(h) = opts.precision.filter(|h| !engine::precise_enough(&agg, &plan, *h)) {
        errln!(
            "warning: stopped at {} trials (the most allowed) before every 95% interval was within ±{h}; raise --trials to go further",
            budget::group(agg.trials)
        );
    }
    finish(
        Finish {
            scenario: &scenario,
            plan: &plan,
            opts,
            overrides: args.overrides(),
            set: &args.scenario.overrides,
            criticality_trials: args.criticality_trials.unwrap_or(DEFAULT_CRITICALITY_TRIALS),
            effect_trials: args.effect_trials.unwrap_or(super::run_extras::DEFAULT_EFFECT_TRIALS),
            with_tornado: args.with_tornado,
            seeds,
            command: "run",
            json: args.json,
            langs: args.lang.langs(),
            claimed,
            out: &out,
            started,
        },
        agg,
    )
}

/// What `run` (and `merge`, for a sharded run) does once the trials are aggregated.
pub(super) struct Finish<'a> {
    pub scenario: &'a Scenario,
    pub plan: &'a Plan,
    pub opts: RunOptions,
    /// Every override, the run flags' included (run.json).
    pub overrides: Vec<String>,
    /// The `--set` overrides as given (the tables' title).
    pub set: &'a [String],
    /// Trials per criticality variant (at most the run's); 0 skips criticality.
    pub criticality_trials: u64,
    /// Paired trials for the levers' measured effects (at most the run's); 0 skips them.
    pub effect_trials: u64,
    /// Whether the report gets the tornado's top factors (`--with-tornado`).
    pub with_tornado: bool,
    pub seeds: &'a Seeds,
    /// The command registered in the catalogue of runs (`run`, `merge`).
    pub command: &'static str,
    pub json: bool,
    pub langs: Vec<crate::report::charts::Lang>,
    /// The claimed output directory (`None`: --no-write).
    pub claimed: Option<Output>,
    pub out: &'a std::path::Path,
    pub started: Instant,
}

/// Criticality, the tables (or the JSON summary) and the output files of a run whose trials
/// are in `agg`.
pub(super) fn finish(f: Finish, agg: engine::Aggregate) -> Result<(), Error> {
    let (scenario, plan, opts, out) = (f.scenario, f.plan, f.opts, f.out);
    let summary = Summary::new(plan, &agg);
    let crit_trials = f.criticality_trials.min(agg.trials);
    let cancel = &super::INTERRUPTED;
    let criticality = if crit_trials > 0 {
        let starts: Vec<_> = scenario.blocks.iter().map(|b| b.start).collect();
        let copts = RunOptions { trials: crit_trials, ..opts };
        let bar = super::progress::Bar::new(crit_trials);
        let c = criticality::criticality(plan, &agg, &starts, &copts, cancel, &|done, _| bar.set(done as u64));
        bar.finish();
        Some(c.map_err(super::run_failed)?)
    } else {
        None
    };
    // what only the report shows: the levers' measured effects, the tornado's top factors and
    // the epistemic band (docs/uncertainty.md)
    let writes = f.claimed.is_some();
    let effect_trials = if writes { f.effect_trials.min(agg.trials) } else { 0 };
    let effects = super::run_extras::lever_effects(effect_trials, f.seeds, plan, &agg, &opts)?;
    let tornado =
        super::run_extras::tornado_top(writes && f.with_tornado, effect_trials.max(1), scenario, plan, &opts)?;
    let sliders = super::run_extras::slider_grid(writes, scenario, &opts)?;
    let epistemic = match writes {
        true => super::two_level::band_pass(scenario, plan, scenario.settings.trials, opts.threads)?,
        false => None,
    };
    let wall = f.started.elapsed().as_secs_f64();

    if f.json {
        out!("{}", export::summary_json::to_text(scenario, &summary));
    } else {
        print_tables(scenario, f.set, &summary, criticality.as_ref());
    }

    if let Some(claimed) = f.claimed {
        let overrides = f.overrides.clone();
        let meta = run_meta(scenario, f.overrides, summary.trials, &opts, wall);
        let kept = export::write_all(
            &claimed.claim,
            scenario,
            &summary,
            &agg,
            &meta,
            Extras {
                criticality: criticality.as_ref(),
                monitoring: None,
                effects: effects.as_ref(),
                tornado: tornado.as_ref(),
                epistemic: epistemic.as_ref(),
                sliders: sliders.as_ref(),
            },
            &f.langs,
            cancel,
        )
        .map_err(|e| {
            if cancel.load(std::sync::atomic::Ordering::SeqCst) {
                Error::Interrupted(format!(
                    "interrupted while writing {}; earlier results there are untouched",
                    out.display()
                ))
            } else {
                Error::Runtime(e.to_string())
            }
        })?;
        report_kept(kept.as_deref());
        errln!("wrote {} in {:.1} s", out.display(), f.started.elapsed().as_secs_f64());
        let p = super::runs::headline(&summary);
        super::runs::register(&super::runs::record(
            f.command,
            scenario,
            overrides,
            summary.trials,
            Some(&summary),
            p,
            out,
        ));
    }
    Ok(())
}

/// The tables `run` prints: targets, assumed base, readings, what you must believe, blocks,
/// districts and (when computed) criticality.
fn print_tables(
    scenario: &Scenario,
    overrides: &[String],
    summary: &Summary,
    criticality: Option<&criticality::Criticality>,
) {
    let variant = match overrides {
        [] => String::new(),
        o => format!(" with --set {}", o.join(" --set ")),
    };
    outln!(
        "Scenario {}{variant} · targets {} · {} trials · seed {} · {}",
        scenario.name,
        scenario.target_set.id,
        summary.trials,
        scenario.settings.seed,
        scenario.hash
    );
    outln!();
    out!("{}", summary_table::targets(scenario, summary));
    outln!();
    out!("{}", summary_table::assumed_base(scenario));
    outln!();
    out!("{}", summary_table::readings(summary));
    outln!();
    let beliefs = summary_table::beliefs(summary);
    if !beliefs.is_empty() {
        out!("{beliefs}");
        outln!();
    }
    out!("{}", summary_table::blocks(scenario, summary));
    outln!();
    out!("{}", crate::report::districts::table(scenario, summary));
    if let Some(c) = criticality {
        outln!();
        outln!(
            "Block criticality: change in P(met), points, if the block starts on schedule for certain / if it is dropped ({} paired trials):",
            c.trials
        );
        out!("{}", summary_table::criticality(scenario, c));
    }
}

/// The metadata of a run of `scenario`.
pub(super) fn run_meta(
    scenario: &Scenario,
    overrides: Vec<String>,
    trials: u64,
    opts: &RunOptions,
    wall: f64,
) -> RunMeta {
    RunMeta {
        parkcast_version: env!("CARGO_PKG_VERSION").into(),
        scenario: scenario.name.clone(),
        scenario_files: scenario.files.clone(),
        scenario_hash: scenario.hash.clone(),
        overrides,
        seeds: scenario.seeds_origin.clone(),
        seed: scenario.settings.seed,
        trials,
        trials_requested: opts.trials,
        sampling: scenario.settings.sampling.name().into(),
        precision: opts.precision,
        target_set: scenario.target_set.id.clone(),
        horizon: scenario.settings.horizon.to_string(),
        deadline: scenario.target_set.deadline.to_string(),
        threads: opts.threads,
        wall_seconds: wall,
        date: export::unique::now_utc(),
        warnings: scenario.warnings.clone(),
    }
}
