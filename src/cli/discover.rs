//! `parkcast discover`: PRIM on the trials, with "the target was missed" as the outcome.

use super::args::DiscoverArgs;
use super::progress::Bar;
use super::run::threads;
use super::whatif::{chart_dir, check_out, parse_target, target_name, write_outputs};
use crate::model::Plan;
use crate::report::charts::{render, Lang, TrajectoryChart};
use crate::report::export::{csv_analysis, ExportError};
use crate::report::rules;
use crate::report::table::{Align, TextTable};
use crate::seeds::{Seeds, TargetId};
use crate::sensitivity::discover::{discover as run_prim, missed};
use crate::sensitivity::features::trial_table;
use crate::sensitivity::prim::PrimOptions;
use crate::whatif::TargetChoice;
use crate::Error;

pub fn discover(seeds: &Seeds, args: &DiscoverArgs) -> Result<(), Error> {
    let a = &args.settings;
    let scenario = super::load_scenario(seeds, &args.scenario, &a.overrides, a.seed, &[])?;
    let plan = Plan::new(&scenario);
    let target = match parse_target(&args.target)? {
        TargetChoice::All => None,
        TargetChoice::One(id) => {
            let m = TargetId::ALL.iter().position(|t| *t == id).expect("listed");
            if plan.thresholds[m].is_none() {
                return Err(Error::Usage(format!(
                    "--target {}: the target set {} has no such target",
                    id.key(),
                    scenario.target_set.id
                )));
            }
            Some(m)
        }
    };
    if !(0.0..=1.0).contains(&args.min_coverage) {
        return Err(Error::Usage(format!("--min-coverage {}: give a share between 0 and 1", args.min_coverage)));
    }
    if !(args.alpha > 0.0 && args.alpha <= 0.5) {
        return Err(Error::Usage(format!("--alpha {}: give a share above 0 and at most 0.5", args.alpha)));
    }
    if !(0.0..=1.0).contains(&args.max_density_loss) {
        return Err(Error::Usage(format!(
            "--max-density-loss {}: give a share between 0 and 1",
            args.max_density_loss
        )));
    }
    if args.trials < 100 || args.trials > 1_000_000 {
        return Err(Error::Usage(format!("--trials {}: give 100 to 1,000,000 trials", args.trials)));
    }
    let seed = scenario.settings.seed;
    let threads = threads(args.settings.threads)?;
    let out = check_out(&args.out, "outputs/discover", "discover")?;
    super::catch_interrupts();
    let bar = Bar::new(args.trials);
    let table =
        trial_table(&scenario, &plan, seed, args.trials, threads, &super::INTERRUPTED, &|d, _| bar.set(d as u64));
    bar.finish();
    let table = table.map_err(super::run_failed)?;
    let what = target_name(target.map(|m| TargetId::ALL[m]));
    let y = missed(&plan, &table, target);
    let misses = y.iter().filter(|m| **m).count();
    outln!(
        "Scenario discovery for {what} in scenario {} ({} trials, seed {}, {}): {} features",
        scenario.name,
        args.trials,
        seed,
        scenario.hash,
        table.features.len()
    );
    // the catalogue's headline: P(met) of the target discovered on, over these trials
    let p_met = 1.0 - misses as f64 / y.len() as f64;
    let register = || {
        let p = super::runs::p_met_of([(target.map(|m| TargetId::ALL[m]), p_met)]);
        super::runs::register_analysis("discover", &scenario, &a.overrides, args.trials, p, vec![], &out.shown);
    };
    if misses == 0 || misses == y.len() {
        outln!(
            "{what} is {} in every one of the {} trials: there is no condition to discover.",
            if misses == 0 { "met" } else { "missed" },
            y.len()
        );
        // replace any earlier discovery in the output directory, so it cannot be mistaken for this one
        write_outputs(&out, |dir| csv_analysis::write_discovery_trivial(&dir.join("discover.csv"), y.len(), misses))?;
        register();
        return Ok(());
    }
    let options = PrimOptions { alpha: args.alpha, ..PrimOptions::default() };
    let d = run_prim(table, y, options, args.min_coverage, args.max_density_loss)
        .map_err(|e| Error::Runtime(format!("PRIM: {e}")))?;
    let months = plan.months;
    outln!();
    let mut t = TextTable::new(&[
        ("step", Align::Right),
        ("coverage", Align::Right),
        ("density", Align::Right),
        ("trials in box", Align::Right),
        ("rules", Align::Left),
    ]);
    let n = d.trajectory.len();
    let shown: Vec<usize> = (0..n).filter(|i| i % 5 == 0 || *i + 1 == n).collect();
    for &i in &shown {
        let b = &d.trajectory[i];
        let rules = rules::box_rules(&d, b, months);
        t.row(vec![
            i.to_string(),
            format!("{:.0}%", b.coverage() * 100.0),
            format!("{:.0}%", b.density() * 100.0),
            crate::report::format::thousands(b.count() as f64),
            if rules.len() > 3 { format!("{} rules", rules.len()) } else { rules.join(" and ") },
        ]);
    }
    outln!("Peeling trajectory (every 5th box; all {n} in discover.csv):");
    out!("{}", t.render());
    outln!();
    match &d.chosen {
        Some(b) => {
            outln!(
                "Chosen box (highest density with coverage ≥ {:.0}%, pasted and simplified):",
                args.min_coverage * 100.0
            );
            for r in rules::box_rules(&d, b, months) {
                outln!("  - {r}");
            }
            outln!();
            outln!("{}", rules::headline(&d, b, months, &what));
        }
        None => outln!("No box covers {:.0}% of the misses; lower --min-coverage.", args.min_coverage * 100.0),
    }
    write_outputs(&out, |dir| {
        csv_analysis::write_discovery(&dir.join("discover.csv"), &d, months)?;
        let label =
            |lang| crate::report::view::scenario_label(&scenario.name, &scenario.label_zh, &scenario.label_en, lang);
        for lang in args.lang.langs() {
            let title = match lang {
                Lang::Zh => format!(
                    "情景发现 (PRIM): {}未达成的条件 ({})",
                    target.map(|m| lang.metric(TargetId::ALL[m])).unwrap_or("全部目标"),
                    label(lang)
                ),
                Lang::En => format!(
                    "Scenario discovery (PRIM): when is {} missed? ({})",
                    target.map(|m| TargetId::ALL[m].label_en()).unwrap_or("any target"),
                    label(lang)
                ),
            };
            let chart = TrajectoryChart {
                title,
                points: d.trajectory.iter().map(|b| (b.coverage(), b.density())).collect(),
                chosen: d.chosen.as_ref().map(|b| (b.coverage(), b.density())),
                base_rate: d.miss_rate(),
                rules: d
                    .chosen
                    .as_ref()
                    .map(|b| match lang {
                        Lang::Zh => rules::box_rules_zh(&d, b, months),
                        Lang::En => rules::box_rules(&d, b, months),
                    })
                    .unwrap_or_default(),
                lang,
            };
            render(&chart, lang, &chart_dir(dir, lang)?).map_err(|e| ExportError::new(dir, e))?;
        }
        Ok(())
    })?;
    register();
    Ok(())
}
