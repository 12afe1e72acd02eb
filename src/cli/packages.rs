//! `parkcast packages`: the status quo and each lever package on common random numbers,
//! ranked by regret.

use super::args::PackagesArgs;
use super::whatif::{chart_dir, check_out, common, confirm_evaluations, source, write_outputs};
use crate::report::charts::{option_label, render, Lang, PackagesChart};
use crate::report::export::csv_packages::write_packages;
use crate::report::export::ExportError;
use crate::report::format::percent;
use crate::report::table::{Align, TextTable};
use crate::seeds::Seeds;
use crate::whatif::{self, PackagesResult};
use crate::Error;

/// Trials per option unless `--trials` says otherwise.
pub const DEFAULT_TRIALS: u64 = 20_000;

/// A paired change in points, as the terminal shows it (+0.0 for a change that rounds to zero).
fn signed(x: f64) -> String {
    format!("{:+.1}", if (x * 100.0).abs() < 0.05 { 0.0 } else { x * 100.0 })
}

pub fn packages(seeds: &Seeds, args: &PackagesArgs) -> Result<(), Error> {
    let src = source(&args.scenario);
    let scenario = crate::scenario::load(&src, &args.common.overrides, seeds)?;
    super::print_warnings(&scenario.warnings);
    let options = scenario.packages.len() as u64 + 1;
    if scenario.packages.is_empty() {
        return Err(Error::Usage(format!(
            "scenario {} has no lever packages: add [packages.<id>] with label_zh, label_en, levers and cost_note (docs/scenario-format.md, section Lever packages), or use the baseline, which has four",
            scenario.name
        )));
    }
    let c = common(&args.common, &src, seeds, Some(DEFAULT_TRIALS), (options, options))?;
    let out = check_out(&args.out, "outputs/packages", "packages")?;
    confirm_evaluations(options, &c, &args.common)?;
    super::catch_interrupts();
    errln!(
        "evaluating the status quo and {} packages on common random numbers: {} trials each, seed {}",
        scenario.packages.len(),
        c.trials,
        c.seed
    );
    let r = whatif::packages(&src, &args.common.overrides, seeds, c, &super::INTERRUPTED, &|done, all| {
        errln!("  {done}/{all} options done");
    })?;
    outln!(
        "Lever packages of {} against the status quo (same seed {} and {} trials for every option), ranked by mean regret.",
        r.scenario,
        r.seed,
        r.trials
    );
    out!("{}", table(&r).render());
    outln!("regret: targets missed in a trial that the best option of that trial meets (mean, 90th percentile);");
    outln!("all-regret: share of trials in which some option meets every target and this one does not.");
    outln!("Δ: paired change against the status quo in points, with its 95% interval. Ties: all-regret, then P(all).");
    write_outputs(&out, |dir| {
        write_packages(&dir.join("packages.csv"), &r)?;
        let xlsx = dir.join(crate::report::workbook::FILE);
        crate::report::workbook::write_tables(
            &xlsx,
            &format!("{} packages", r.scenario),
            &[crate::report::workbook::packages_sheet(&r)],
        )?;
        let mut charts = Vec::new();
        let langs = args.lang.langs();
        for &lang in &langs {
            charts.push(
                render(&PackagesChart { result: &r, lang }, lang, &chart_dir(dir, lang)?)
                    .map_err(|e| ExportError::new(dir, e))?,
            );
        }
        let html = crate::report::html::packages::render(&r, &charts, &langs);
        let path = dir.join("report.html");
        std::fs::write(&path, html).map_err(|e| ExportError::new(&path, e))
    })?;
    let variants = r
        .ranked()
        .into_iter()
        .map(|row| {
            let note = format!(
                "rank {} · regret {:.2} (p90 {}) · all-regret {}",
                row.rank,
                row.regret.mean,
                row.regret.p90,
                percent(row.regret.all_mean)
            );
            let p_met = super::runs::p_met_of(row.targets.iter().map(|t| (t.target, t.p_met)));
            super::runs::variant(&row.id, &scenario.name, p_met, note)
        })
        .collect();
    super::runs::register_analysis(
        "packages",
        &scenario,
        &args.common.overrides,
        c.trials,
        vec![],
        variants,
        &out.shown,
    );
    Ok(())
}

fn table(r: &PackagesResult) -> TextTable {
    let targets: Vec<_> = r.rows[0].targets.iter().filter_map(|t| t.target).collect();
    let mut headers: Vec<(String, Align)> = vec![
        ("rank".into(), Align::Right),
        ("package".into(), Align::Left),
        ("regret".into(), Align::Right),
        ("p90".into(), Align::Right),
        ("all-regret".into(), Align::Right),
        ("P(all)".into(), Align::Right),
        ("Δ all (95% interval)".into(), Align::Right),
    ];
    headers.extend(targets.iter().map(|t| (format!("{} (Δ)", t.key()), Align::Right)));
    let refs: Vec<(&str, Align)> = headers.iter().map(|(h, a)| (h.as_str(), *a)).collect();
    let mut t = TextTable::new(&refs);
    for row in r.ranked() {
        let all = row.all();
        let mut cells = vec![
            row.rank.to_string(),
            format!("{} {}", row.id, option_label(row, Lang::Zh)),
            format!("{:.2}", row.regret.mean),
            row.regret.p90.to_string(),
            percent(row.regret.all_mean),
            percent(all.p_met),
            format!("{} ({} to {})", signed(all.diff.0), signed(all.diff.1), signed(all.diff.2)),
        ];
        for tr in row.targets.iter().filter(|t| t.target.is_some()) {
            cells.push(format!("{} ({})", percent(tr.p_met), signed(tr.diff.0)));
        }
        t.row(cells);
    }
    t
}
