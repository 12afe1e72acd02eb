//! `parkcast runs [--scenario S] [--since DATE]` and `parkcast runs show ID`: the catalogue of
//! runs ([`crate::catalogue`]); and the registration every writing command does, which warns
//! and never fails the run.

use super::args::{RunsArgs, RunsCommand};
use crate::catalogue::{is_date, Catalogue, Entry, Filter, RunRecord, DEFAULT_PATH};
use crate::report::format::percent;
use crate::report::table::{Align, TextTable};
use crate::scenario::Scenario;
use crate::summary::Summary;
use crate::Error;
use std::path::{Path, PathBuf};

/// The catalogue's path: `PARKCAST_RUNS_DB` if set (empty: do not register), else
/// `outputs/runs.sqlite` in the working directory.
fn catalogue_path() -> Option<PathBuf> {
    match std::env::var_os("PARKCAST_RUNS_DB") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => Some(PathBuf::from(DEFAULT_PATH)),
    }
}

/// The headline P(met) per target, then all.
pub(super) fn headline(summary: &Summary) -> Vec<(String, f64)> {
    let mut p: Vec<(String, f64)> = summary.targets.iter().map(|t| (t.id.key().to_string(), t.p_met)).collect();
    p.push(("all".into(), summary.all.p_met));
    p
}

/// A record of a run of `scenario` (with `overrides`, as --set gives them) written to `out`.
pub(super) fn record(
    command: &str,
    scenario: &Scenario,
    overrides: Vec<String>,
    trials: u64,
    summary: Option<&Summary>,
    p_met: Vec<(String, f64)>,
    out: &Path,
) -> RunRecord {
    let readings = summary
        .map(|s| {
            s.readings
                .iter()
                .filter(|r| r.headline)
                .map(|r| format!("{}={}", r.target.key(), r.reading.key()))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    RunRecord {
        command: command.into(),
        scenario: scenario.name.clone(),
        hash: scenario.hash.clone(),
        overrides,
        target_set: scenario.target_set.id.clone(),
        readings,
        seed: scenario.settings.seed,
        trials,
        version: env!("CARGO_PKG_VERSION").into(),
        date: crate::report::export::unique::now_utc(),
        p_met,
        out_dir: std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()).display().to_string(),
    }
}

/// Registers `r`; a failure is a warning, never an error of the run.
pub(super) fn register(r: &RunRecord) {
    let Some(path) = catalogue_path() else { return };
    if let Err(e) = Catalogue::open_or_create(&path).and_then(|mut c| c.register(r)) {
        errln!("warning: the run was not registered in the catalogue ({e}); its results are written all the same");
    }
}

fn dir_text(e: &Entry) -> String {
    if e.dir_exists {
        e.record.out_dir.clone()
    } else {
        format!("{} (deleted)", e.record.out_dir)
    }
}

fn p_all(e: &Entry) -> String {
    e.record.p_met.iter().find(|(k, _)| k == "all").map_or("–".into(), |(_, p)| percent(*p))
}

/// The list as `parkcast runs` prints it.
pub fn list_table(entries: &[Entry]) -> String {
    let mut t = TextTable::new(&[
        ("id", Align::Right),
        ("date (UTC)", Align::Left),
        ("command", Align::Left),
        ("scenario", Align::Left),
        ("overrides", Align::Left),
        ("trials", Align::Right),
        ("P(all)", Align::Right),
        ("directory", Align::Left),
    ]);
    for e in entries {
        let r = &e.record;
        t.row(vec![
            e.id.to_string(),
            r.date.get(..16).unwrap_or(&r.date).replace('T', " "),
            r.command.clone(),
            r.scenario.clone(),
            if r.overrides.is_empty() { "–".into() } else { r.overrides.join(" ") },
            crate::engine::budget::group(r.trials),
            p_all(e),
            dir_text(e),
        ]);
    }
    t.render()
}

/// One run as `parkcast runs show ID` prints it.
pub fn show_text(e: &Entry) -> String {
    let r = &e.record;
    let mut s = format!("run {}\n", e.id);
    let mut line = |k: &str, v: String| s.push_str(&format!("  {k:<12} {v}\n"));
    line("date", r.date.clone());
    line("command", r.command.clone());
    line("scenario", format!("{} ({})", r.scenario, r.hash));
    line("overrides", if r.overrides.is_empty() { "none".into() } else { r.overrides.join(" ") });
    line("targets", r.target_set.clone());
    line("readings", if r.readings.is_empty() { "–".into() } else { r.readings.clone() });
    line("seed", r.seed.to_string());
    line("trials", crate::engine::budget::group(r.trials));
    line("parkcast", r.version.clone());
    line("directory", dir_text(e));
    s.push_str("  P(met)\n");
    for (k, p) in &r.p_met {
        s.push_str(&format!("    {k:<12} {}\n", percent(*p)));
    }
    s
}

pub fn runs(args: &RunsArgs) -> Result<(), Error> {
    let path = catalogue_path().unwrap_or_else(|| PathBuf::from(DEFAULT_PATH));
    if let Some(d) = args.since.as_deref().filter(|d| !is_date(d)) {
        return Err(Error::Usage(format!("--since {d}: give a date as YYYY-MM-DD (e.g. 2026-12-01)")));
    }
    let c = Catalogue::open(&path).map_err(|e| Error::Usage(e.to_string()))?;
    match &args.command {
        Some(RunsCommand::Show { id }) => {
            let e = c.get(*id).map_err(|e| Error::Usage(e.to_string()))?;
            out!("{}", show_text(&e));
        }
        None => {
            let f = Filter { scenario: args.scenario.clone(), since: args.since.clone() };
            let entries = c.list(&f).map_err(|e| Error::Runtime(e.to_string()))?;
            if entries.is_empty() {
                outln!("No runs registered in {} match.", path.display());
            } else {
                out!("{}", list_table(&entries));
            }
        }
    }
    Ok(())
}
