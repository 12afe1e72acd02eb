//! `parkcast runs [--scenario S] [--since DATE]` and `parkcast runs show ID`: the catalogue of
//! runs ([`crate::catalogue`]); and the registration every command that writes an output
//! directory does, which warns and never fails the run.

use super::args::{RunsArgs, RunsCommand};
use crate::catalogue::{is_date, Catalogue, Entry, Filter, RunRecord, Variant, DEFAULT_PATH};
use crate::report::format::percent;
use crate::report::table::{Align, TextTable};
use crate::scenario::Scenario;
use crate::seeds::TargetId;
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
        variants: Vec::new(),
    }
}

/// P(met) per target key (`all` for every target at once), in the order given.
pub(super) fn p_met_of(rows: impl IntoIterator<Item = (Option<TargetId>, f64)>) -> Vec<(String, f64)> {
    rows.into_iter().map(|(t, p)| (t.map_or("all", |t| t.key()).to_string(), p)).collect()
}

/// One variant of a multi-variant command.
pub(super) fn variant(
    label: impl Into<String>,
    scenario: &str,
    p_met: Vec<(String, f64)>,
    note: impl Into<String>,
) -> Variant {
    Variant { label: label.into(), scenario: scenario.into(), p_met, note: note.into() }
}

/// Registers a what-if or analysis command (`compare`, `sweep`, `packages`, `tornado`, …) of
/// `scenario` (the first, for a compare) that wrote `out`: its headline `p_met` if it has one
/// of its own, and the headline of each of its `variants`.
pub(super) fn register_analysis(
    command: &str,
    scenario: &Scenario,
    overrides: &[String],
    trials: u64,
    p_met: Vec<(String, f64)>,
    variants: Vec<Variant>,
    out: &Path,
) {
    let mut r = record(command, scenario, overrides.to_vec(), trials, None, p_met, out);
    r.variants = variants;
    register(&r);
}

/// Registers `r`; a failure is a warning, never an error of the run.
pub(super) fn register(r: &RunRecord) {
    let Some(path) = catalogue_path() else { return };
    if let Err(e) = Catalogue::open_or_create(&path).and_then(|mut c| c.register(r)) {
        errln!("warning: the run was not registered in the catalogue ({e}); its results are written all the same");
    }
}

fn dir_text(e: &Entry) -> String {
    match (e.dir_exists, e.replaced_by) {
        (false, _) => format!("{} (deleted)", e.record.out_dir),
        (true, Some(later)) => format!("{} (now holds run {later}'s results)", e.record.out_dir),
        (true, None) => e.record.out_dir.clone(),
    }
}

fn p_all_of(p_met: &[(String, f64)]) -> Option<f64> {
    p_met.iter().find(|(k, _)| k == "all").map(|(_, p)| *p)
}

/// P(all) of a run, or the range of its variants' (lowest–highest).
fn p_all(e: &Entry) -> String {
    let of_variants: Vec<f64> = e.record.variants.iter().filter_map(|v| p_all_of(&v.p_met)).collect();
    match (p_all_of(&e.record.p_met), of_variants.is_empty()) {
        (Some(p), _) => percent(p),
        (None, false) => {
            let lo = of_variants.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = of_variants.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{}–{}", percent(lo), percent(hi))
        }
        (None, true) => "–".into(),
    }
}

/// The scenario, or for a compare every scenario it ran (`baseline, downturn`).
fn scenarios(e: &Entry) -> String {
    let mut names: Vec<&str> = vec![&e.record.scenario];
    for v in &e.record.variants {
        if !names.contains(&v.scenario.as_str()) {
            names.push(&v.scenario);
        }
    }
    names.join(", ")
}

fn variant_count(e: &Entry) -> String {
    match e.record.variants.len() {
        0 => "–".into(),
        n => n.to_string(),
    }
}

/// The list as `parkcast runs` prints it.
pub fn list_table(entries: &[Entry]) -> String {
    let mut t = TextTable::new(&[
        ("id", Align::Right),
        ("date (UTC)", Align::Left),
        ("kind", Align::Left),
        ("scenario", Align::Left),
        ("overrides", Align::Left),
        ("trials", Align::Right),
        ("variants", Align::Right),
        ("P(all)", Align::Right),
        ("directory", Align::Left),
    ]);
    for e in entries {
        let r = &e.record;
        t.row(vec![
            e.id.to_string(),
            r.date.get(..16).unwrap_or(&r.date).replace('T', " "),
            r.command.clone(),
            scenarios(e),
            if r.overrides.is_empty() { "–".into() } else { r.overrides.join(" ") },
            crate::engine::budget::group(r.trials),
            variant_count(e),
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
    line("kind", r.command.clone());
    line("scenario", format!("{} ({})", r.scenario, r.hash));
    line("overrides", if r.overrides.is_empty() { "none".into() } else { r.overrides.join(" ") });
    line("targets", r.target_set.clone());
    line("readings", if r.readings.is_empty() { "–".into() } else { r.readings.clone() });
    line("seed", r.seed.to_string());
    line("trials", crate::engine::budget::group(r.trials));
    line("parkcast", r.version.clone());
    line("directory", dir_text(e));
    if !r.p_met.is_empty() {
        s.push_str("  P(met)\n");
        for (k, p) in &r.p_met {
            s.push_str(&format!("    {k:<12} {}\n", percent(*p)));
        }
    }
    if !r.variants.is_empty() {
        s.push_str(&format!("  variants (P(met), in the command's order)\n{}", variants_table(&r.variants)));
    }
    s
}

/// The variants of a run, one a row: label, scenario where it differs from the label, P(met)
/// per target key (the union of the variants' keys, in first-seen order) and the note.
fn variants_table(variants: &[Variant]) -> String {
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in variants.iter().flat_map(|v| &v.p_met) {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    let with_scenario = variants.iter().any(|v| v.scenario != v.label);
    let notes = variants.iter().any(|v| !v.note.is_empty());
    let mut headers = vec![("variant", Align::Left)];
    if with_scenario {
        headers.push(("scenario", Align::Left));
    }
    headers.extend(keys.iter().map(|k| (*k, Align::Right)));
    if notes {
        headers.push(("", Align::Left));
    }
    let mut t = TextTable::new(&headers);
    for v in variants {
        let mut cells = vec![v.label.clone()];
        if with_scenario {
            cells.push(v.scenario.clone());
        }
        for k in &keys {
            cells.push(v.p_met.iter().find(|(key, _)| key == k).map_or("–".into(), |(_, p)| percent(*p)));
        }
        if notes {
            cells.push(v.note.clone());
        }
        t.row(cells);
    }
    t.render().lines().map(|l| format!("    {l}\n")).collect()
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
