//! Writing a run's outputs: one file per format, all into a temporary directory that is
//! renamed into place only when every file is complete. polars is used only here.

mod atomic;
mod csv;
mod parquet;
mod run_json;

pub use atomic::OutputDir;
pub use run_json::RunMeta;

use crate::engine::Aggregate;
use crate::report::charts::{render_all, Lang};
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
}

/// Writes summary.csv, block_summary.csv, timeseries.csv, trials.parquet, run.json, the charts
/// (`charts/<lang>/*.svg|png`) and report.html into `out` atomically.
pub fn write_all(
    out: &Path,
    scenario: &Scenario,
    summary: &Summary,
    agg: &Aggregate,
    meta: &RunMeta,
    langs: &[Lang],
) -> Result<(), ExportError> {
    let dir = OutputDir::create(out)?;
    let mut charts = Vec::new();
    for &lang in langs {
        let chart_dir = dir.path().join("charts").join(lang.code());
        charts.extend(render_all(scenario, summary, lang, &chart_dir).map_err(|e| ExportError::new(&chart_dir, e))?);
    }
    let html = dir.path().join("report.html");
    std::fs::write(&html, crate::report::html::render(scenario, summary, meta, &charts, langs))
        .map_err(|e| ExportError::new(&html, e))?;
    csv::write_summary(&dir.path().join("summary.csv"), summary)?;
    csv::write_blocks(&dir.path().join("block_summary.csv"), scenario, summary)?;
    csv::write_timeseries(&dir.path().join("timeseries.csv"), summary)?;
    parquet::write_trials(&dir.path().join("trials.parquet"), scenario, agg)?;
    run_json::write(&dir.path().join("run.json"), meta)?;
    dir.commit()
}
