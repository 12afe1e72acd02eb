//! Writing a run's outputs: one file per format, all into a temporary directory that is
//! renamed into place only when every file is complete. polars is used only here.

mod atomic;
pub mod csv;
pub mod csv_analysis;
mod parquet;
mod run_json;

pub use atomic::{preflight, OutputDir, Step};
pub use run_json::RunMeta;

use crate::engine::Aggregate;
use crate::report::charts::{render_all, Lang};
use crate::report::view::{Extras, RunView};
use crate::scenario::Scenario;
use crate::summary::Summary;
use std::path::Path;

/// A failure while writing outputs (a runtime error: exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {message}")]
pub struct ExportError {
    pub path: String,
    pub message: String,
}

impl ExportError {
    pub fn new(path: &Path, message: impl ToString) -> ExportError {
        ExportError { path: path.display().to_string(), message: message.to_string() }
    }

    /// The error of a file in the temporary directory `tmp` that was to become `out`: named
    /// where it would have been, and saying that nothing there changed.
    pub fn in_place_of(mut self, tmp: &Path, out: &Path) -> ExportError {
        if let Some(rest) = self.path.strip_prefix(&tmp.display().to_string()) {
            self.path = format!("{}{rest}", out.display());
        }
        self.message =
            format!("{}; nothing was written, earlier results in {} are untouched", self.message, out.display());
        self
    }
}

/// Writes summary.csv, block_summary.csv, timeseries.csv, trials.parquet, run.json, the charts
/// (`charts/<lang>/*.svg|png`) and report.html into `out` atomically. Stops between files
/// (leaving nothing) once `cancel` is set.
#[allow(clippy::too_many_arguments)]
pub fn write_all(
    out: &Path,
    scenario: &Scenario,
    summary: &Summary,
    agg: &Aggregate,
    meta: &RunMeta,
    extras: Extras,
    langs: &[Lang],
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<(), ExportError> {
    let dir = OutputDir::create(out)?;
    // Stop between files when interrupted: dropping `dir` removes the temporary directory and
    // nothing is replaced.
    let go_on = || {
        if cancel.load(std::sync::atomic::Ordering::SeqCst) {
            Err(ExportError::new(out, "interrupted"))
        } else {
            Ok(())
        }
    };
    let tmp = dir.path();
    let written = (|| {
        csv::write_summary(&tmp.join("summary.csv"), summary)?;
        csv::write_blocks(&tmp.join("block_summary.csv"), scenario, summary)?;
        csv::write_timeseries(&tmp.join("timeseries.csv"), summary)?;
        if let Some(c) = extras.criticality {
            csv_analysis::write_criticality(&tmp.join("criticality.csv"), c)?;
        }
        if let Some(m) = extras.monitoring {
            csv_analysis::write_monitor(&tmp.join("monitor.csv"), scenario, m)?;
        }
        go_on()?;
        parquet::write_trials(&tmp.join("trials.parquet"), scenario, agg)?;
        run_json::write(&tmp.join("run.json"), meta)?;
        let view = RunView::new(scenario, summary, meta, extras);
        write_report_checked(tmp, &view, langs, &go_on)?;
        go_on()
    })();
    written.map_err(|e| e.in_place_of(tmp, out))?;
    dir.commit()
}

/// Writes `report_data.json`, the charts (`charts/<lang>/`) and `report.html` into `dir`.
pub fn write_report(dir: &Path, view: &RunView, langs: &[Lang]) -> Result<(), ExportError> {
    write_report_checked(dir, view, langs, &|| Ok(()))
}

/// `write_report`, asking `go_on` before each language's charts and before the report.
fn write_report_checked(
    dir: &Path,
    view: &RunView,
    langs: &[Lang],
    go_on: &dyn Fn() -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let data = dir.join("report_data.json");
    let json = serde_json::to_string(view).map_err(|e| ExportError::new(&data, e))?;
    std::fs::write(&data, json + "\n").map_err(|e| ExportError::new(&data, e))?;
    let mut charts = Vec::new();
    for &lang in langs {
        go_on()?;
        let chart_dir = dir.join("charts").join(lang.code());
        charts.extend(render_all(view, lang, &chart_dir).map_err(|e| ExportError::new(&chart_dir, e))?);
    }
    go_on()?;
    let html = dir.join("report.html");
    std::fs::write(&html, crate::report::html::render(view, &charts, langs)).map_err(|e| ExportError::new(&html, e))
}

/// Redraws the charts and report.html of an existing run directory from its
/// `report_data.json`, without touching its data files. New files are written beside the old
/// ones and swapped in, so a failure leaves the previous report in place.
pub fn rebuild_report(dir: &Path, view: &RunView, langs: &[Lang]) -> Result<(), ExportError> {
    // A new run directory is assembled beside the old one — its data files hard-linked (copied
    // where links are impossible), the report and charts drawn afresh — and swapped in whole.
    let out = OutputDir::create(dir)?;
    let tmp = out.path();
    for entry in std::fs::read_dir(dir).map_err(|e| ExportError::new(dir, e))? {
        let entry = entry.map_err(|e| ExportError::new(dir, e))?;
        let name = entry.file_name();
        let keep = !matches!(name.to_str(), Some("charts" | "report.html" | "report_data.json"))
            && entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        if keep {
            let (from, to) = (entry.path(), tmp.join(&name));
            if std::fs::hard_link(&from, &to).is_err() {
                std::fs::copy(&from, &to).map_err(|e| ExportError::new(&to, e))?;
            }
        }
    }
    write_report(tmp, view, langs).map_err(|e| e.in_place_of(tmp, dir))?;
    out.commit()
}
