//! `parkcast monitor`: the forecast from observed progress, and the blocks at risk.

use super::args::MonitorArgs;
use super::progress::Bar;
use super::run::run_meta;
use super::run::threads;
use crate::engine::{self, RunOptions};
use crate::monitor::at_risk::{at_risk, reserve_effect, BlockRisk};
use crate::monitor::condition::condition;
use crate::monitor::learning::{apply_on_time, learn, on_time_update};
use crate::monitor::view::{progress, MonitorView, ObservedFacts};
use crate::report::export;
use crate::report::format::{metric_en, percent};
use crate::report::summary_table;
use crate::report::table::{Align, TextTable};
use crate::report::view::Extras;
use crate::seeds::{Seeds, TargetId};
use crate::summary::Summary;
use crate::Error;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Trials at most for learning, the at-risk list and the reserve variant (paired with the
/// forecast's first trials).
const ANALYSIS_TRIALS: u64 = 20_000;

pub fn monitor(seeds: &Seeds, args: &MonitorArgs) -> Result<(), Error> {
    let a = &args.settings;
    let trials_flag: Vec<(String, String)> =
        args.trials.map(|t| (format!("settings.trials={t}"), format!("--trials {t}"))).into_iter().collect();
    let scenario = super::load_scenario(seeds, &args.scenario, &a.overrides, a.seed, &trials_flag)?;
    let overrides: Vec<String> =
        a.overrides.iter().cloned().chain(trials_flag.into_iter().map(|(set, _)| set)).collect();
    // read once: the bytes validated are the bytes hashed
    let text = crate::monitor::observations::read(&args.observed)?;
    let obs = crate::monitor::observations::from_bytes(&args.observed, &text, seeds, scenario.target_set.deadline)?;
    let before = super::monitor_two_level::prepare(&args.two_level, &scenario)?;
    let c = condition(&scenario, &obs, &text);
    let (scenario, mut plan) = (c.scenario, c.plan);
    super::print_warnings(&crate::monitor::plausibility::warnings(&scenario, &plan, &obs));
    let threads = threads(args.settings.threads)?;
    let seed = scenario.settings.seed;
    let trials = scenario.settings.trials;
    let out = if args.no_write {
        None
    } else {
        let default_out = format!(
            "outputs/{}-asof-{}",
            super::out_name::with_overrides(&scenario.dir_name(), &args.settings.overrides),
            obs.as_of
        );
        let needed = crate::engine::budget::OUTPUT_FIXED_BYTES + trials * crate::engine::budget::OUTPUT_BYTES_PER_TRIAL;
        let dir = args.out.clone().unwrap_or_else(|| PathBuf::from(&default_out));
        let what = match &args.out {
            Some(o) => format!("--out {}", o.display()),
            None => format!("output directory {default_out}"),
        };
        Some(super::run::check_out(&dir, &what, "monitor", needed)?)
    };
    crate::engine::budget::check_memory(
        trials,
        1,
        crate::engine::budget::RUN_BYTES_PER_TRIAL,
        crate::engine::budget::available_memory().as_ref(),
    )
    .map_err(|e| Error::Usage(format!("{trials} trials: {e}; lower --trials")))?;
    let analysis = trials.min(ANALYSIS_TRIALS);
    let started = Instant::now();
    super::catch_interrupts();
    let cancel = &super::INTERRUPTED;
    errln!(
        "parkcast {}: monitoring scenario {} as of {} ({}), {} trials, seed {}",
        env!("CARGO_PKG_VERSION"),
        scenario.name,
        obs.as_of,
        scenario.hash,
        trials,
        seed
    );
    let learning = if args.no_learning {
        errln!("--no-learning: the common factors and on-time starts keep their scenario distributions");
        None
    } else {
        let bar = Bar::new(analysis);
        let r = learn(&plan, seed, analysis, threads, cancel, &|d, _| bar.set(d as u64));
        bar.finish();
        let (mut learning, pool) = r.map_err(super::run_failed)?;
        plan.known.factors = pool.map(Arc::new);
        learning.on_time = on_time_update(&scenario, &plan, &obs);
        if let Some(u) = &learning.on_time {
            apply_on_time(&mut plan, u);
        }
        Some(learning)
    };
    let opts = RunOptions { trials, seed, threads, precision: None };
    let bar = Bar::new(trials);
    let agg = engine::run(&plan, &opts, cancel, &|d, _| bar.set(d));
    bar.finish();
    let agg = agg.map_err(super::run_failed)?;
    let summary = Summary::new(&plan, &agg);
    let bar = Bar::new(analysis);
    let p_delivered: Vec<f64> = summary.blocks.iter().map(|b| b.p_delivered_deadline).collect();
    let blocks =
        at_risk(&scenario, &plan, &obs, &p_delivered, seed, analysis, threads, cancel, &|d, _| bar.set(d as u64));
    bar.finish();
    let blocks = blocks.map_err(super::run_failed)?;
    let ropts = RunOptions { trials: analysis, ..opts };
    let reserve = reserve_effect(&scenario, &plan, &agg, obs.as_of, &ropts, cancel).map_err(super::run_failed)?;
    let settled = match before {
        Some(b) => Some(super::monitor_two_level::settle(b, &scenario, &plan, seed, threads)?),
        None => None,
    };
    let view = MonitorView {
        as_of: obs.as_of,
        observations_file: obs.file.clone(),
        source: obs.source.clone(),
        facts: ObservedFacts::of(&obs),
        progress: progress(&summary, obs.as_of),
        learning,
        blocks,
        reserve: Some(reserve),
        settled,
        observed: crate::monitor::view::observed_points(&obs),
    };
    print_monitor(&scenario, &summary, &view);
    if let Some(s) = &view.settled {
        outln!();
        outln!(
            "What the observations settled of what we do not know: P(met) across {} plausible worlds of {} trials, before and after them (variance: across worlds, simulation error removed):",
            s.outer, s.inner
        );
        out!("{}", crate::report::settled_table::table(s));
    }
    let wall = started.elapsed().as_secs_f64();
    if let Some(out) = out {
        let mut o = overrides.clone();
        o.push(format!("observed={}", obs.file));
        let meta = run_meta(&scenario, o.clone(), summary.trials, &opts, wall);
        let extras = Extras { monitoring: Some(&view), ..Extras::default() };
        let kept = export::write_all(&out.claim, &scenario, &summary, &agg, &meta, extras, &args.lang.langs(), cancel)
            .map_err(|e| Error::Runtime(e.to_string()))?;
        super::run::report_kept(kept.as_deref());
        errln!("wrote {} in {:.1} s", out.shown.display(), started.elapsed().as_secs_f64());
        let p = super::runs::headline(&summary);
        let command = if view.settled.is_some() { "monitor --two-level" } else { "monitor" };
        super::runs::register(&super::runs::record(
            command,
            &scenario,
            o,
            summary.trials,
            Some(&summary),
            p,
            &out.shown,
        ));
    }
    Ok(())
}

fn print_monitor(scenario: &crate::scenario::Scenario, summary: &Summary, v: &MonitorView) {
    let f = &v.facts;
    outln!(
        "Forecast as of {} from {} ({}); scenario {} · targets {} · {} trials · {}",
        v.as_of,
        v.observations_file,
        v.source,
        scenario.name,
        scenario.target_set.id,
        summary.trials,
        scenario.hash
    );
    outln!(
        "Observed: {} blocks ({} started, {} not started, {} operating, {} with occupancy, {} with firm counts, {} with revenue or jobs; {} removed, {} added), {} city-wide base figures.",
        f.blocks_observed, f.started, f.not_started, f.delivered, f.with_occupancy, f.with_firms, f.with_revenue_or_jobs, f.removed, f.added, f.base_figures
    );
    outln!();
    out!("{}", summary_table::targets(scenario, summary));
    outln!();
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        (&format!("reached by {} (median)", v.as_of), Align::Right),
        ("of the target", Align::Right),
        ("forecast at the deadline (median)", Align::Right),
        ("of the forecast", Align::Right),
    ]);
    for p in &v.progress {
        let share = |of: f64| if of.abs() > 0.0 { percent(p.at_as_of / of) } else { "–".into() };
        let threshold = summary.targets.iter().find(|t| t.id == p.target).map_or(0.0, |t| t.threshold);
        t.row(vec![
            format!("{} ({})", p.target.key(), p.target.label_zh()),
            metric_en(p.target, p.at_as_of),
            share(threshold),
            metric_en(p.target, p.at_deadline),
            share(p.at_deadline),
        ]);
    }
    out!("{}", t.render());
    if let Some(l) = &v.learning {
        outln!();
        if l.updated {
            outln!(
                "Learnt from {} observed facts: the common factors, re-weighting {} prior trials (effective sample {:.0}):",
                l.facts, l.prior_trials, l.effective_sample
            );
        } else {
            outln!(
                "Not learnt: {} observed facts left an effective sample of {:.0} of {} prior trials (below {:.0}); the factors keep their scenario distribution:",
                l.facts,
                l.effective_sample,
                l.prior_trials,
                crate::monitor::learning::MIN_EFFECTIVE_SAMPLE
            );
        }
        let mut t = TextTable::new(&[
            ("factor", Align::Left),
            ("prior mean", Align::Right),
            ("prior sd", Align::Right),
            ("updated mean", Align::Right),
            ("updated sd", Align::Right),
        ]);
        for (name, u) in &l.factors {
            t.row(vec![
                name.clone(),
                format!("{:+.2}", u.prior_mean),
                format!("{:.2}", u.prior_sd),
                format!("{:+.2}", u.posterior_mean),
                format!("{:.2}", u.posterior_sd),
            ]);
        }
        out!("{}", t.render());
        if let Some(u) = &l.on_time {
            outln!(
                "On-time starts (conjugate Beta update, the scenario's figure weighing as {:.0} blocks): {} of {} planned starts now due were on time; P(on time) {:.2} → {:.2} for the planned blocks still to start.",
                crate::monitor::learning::ON_TIME_PRIOR_STRENGTH,
                u.on_time,
                u.on_time + u.late,
                u.prior_p,
                u.posterior_p
            );
        }
    }
    outln!();
    out!("{}", at_risk_table(scenario, v));
    if let Some(r) = &v.reserve {
        let all = r.changes[crate::sensitivity::criticality::SLOTS - 1];
        let per: Vec<String> = TargetId::ALL
            .iter()
            .enumerate()
            .filter_map(|(m, id)| r.changes[m].map(|c| format!("{} {:+.1}", id.key(), c.mean * 100.0)))
            .collect();
        outln!();
        outln!(
            "A reserve block ({} mu, the scenario's template) starting {} would change P(all targets) by {:+.1} points (per target, points: {}; paired on common random numbers).",
            r.land_mu,
            r.start,
            all.map(|c| c.mean * 100.0).unwrap_or(0.0),
            per.join(", ")
        );
    }
}

/// A contribution at risk, or "–" for a block that operates in no trial (its contribution when
/// operating is then unknown, not zero).
fn risk(r: &BlockRisk, text: String) -> String {
    if r.p_delivered_by_deadline > 0.0 {
        text
    } else {
        "–".into()
    }
}

fn at_risk_table(scenario: &crate::scenario::Scenario, v: &MonitorView) -> String {
    let mut t = TextTable::new(&[
        ("id", Align::Right),
        ("block", Align::Left),
        ("status against plan", Align::Left),
        ("P(operating by deadline)", Align::Right),
        ("at risk: tech SMEs", Align::Right),
        ("revenue", Align::Right),
        ("jobs", Align::Right),
        ("有进有出", Align::Left),
    ]);
    for r in &v.blocks {
        let mut name: String = scenario
            .blocks
            .iter()
            .find(|b| b.id == r.id)
            .map(|b| b.name_zh.chars().take(12).collect())
            .unwrap_or_default();
        if !r.counted {
            name.push_str(" (not counted)");
        }
        t.row(vec![
            r.id.to_string(),
            name,
            format!("{}: {}", r.status.label_en(), r.detail),
            percent(r.p_delivered_by_deadline),
            risk(r, format!("{:.1}", r.at_risk[2])),
            risk(r, crate::report::format::cny_millions(r.at_risk[3])),
            risk(r, crate::report::format::thousands(r.at_risk[4])),
            match (r.leave_candidate, &r.leave_reason) {
                (true, _) => "candidate to leave".into(),
                (false, Some(_)) => "check start".into(),
                (false, None) => String::new(),
            },
        ]);
    }
    let mut out = format!(
        "Blocks at risk as of {}: P(operating by the deadline) and contribution at risk — what the block adds to each target by the deadline when it operates by then, times the chance it does not (negative: operating by then would still cost that metric, e.g. firms moved out for a renovation):\n{}",
        v.as_of,
        t.render()
    );
    out.push_str("– : the block operates by the deadline in no trial, so what it would add is not known.\n");
    let rule = &scenario.levers.replacement;
    let with_p = |r: &&BlockRisk| format!("{} ({})", r.id, percent(r.p_started_by_checkpoint));
    let candidates: Vec<&BlockRisk> = v.blocks.iter().filter(|r| r.leave_candidate).collect();
    let checks: Vec<&BlockRisk> = v.blocks.iter().filter(|r| !r.leave_candidate && r.leave_reason.is_some()).collect();
    if !candidates.is_empty() || !checks.is_empty() {
        let _ = writeln!(
            out,
            "有进有出 checkpoint {} ({}):",
            rule.checkpoint,
            if rule.enabled {
                "the scenario's rule replaces such blocks"
            } else {
                "the rule is off in this scenario; flags are for review"
            }
        );
    }
    if !candidates.is_empty() {
        let list: Vec<String> = if v.as_of >= rule.checkpoint {
            candidates.iter().map(|r| r.id.to_string()).collect()
        } else {
            candidates.iter().map(with_p).collect()
        };
        let why = if v.as_of >= rule.checkpoint {
            "due by the checkpoint and seen not started after it"
        } else {
            "due by the checkpoint, under a 50% chance of starting by it"
        };
        let _ = writeln!(out, "  candidates to leave: {} — {why}", list.join(", "));
    }
    if !checks.is_empty() {
        let list: Vec<String> = checks.iter().map(with_p).collect();
        let _ = writeln!(
            out,
            "  check start: {} — due by the checkpoint, no start observed (chance it started by then)",
            list.join(", ")
        );
    }
    out
}
