//! Writing a run's outputs: one file per format, all into a temporary directory that is
//! renamed into place only when every file is complete. polars is used only here.

mod atomic;
mod chart_langs;
pub mod csv;
pub mod csv_analysis;
pub mod csv_checkpoints;
pub mod csv_packages;
pub mod csv_settled;
pub mod csv_two_level;
mod lock;
pub mod manifest;
mod parquet;
pub mod partial;
mod run_json;
pub mod summary_json;
mod target;
pub mod unique;

pub use atomic::{Kept, OutputDir, Step};
pub use run_json::RunMeta;
pub use target::{claim, claim_in_place, preflight, Claim, ClaimError};

use crate::engine::Aggregate;
use crate::report::charts::Lang;
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

/// Writes summary.csv, readings.csv, beliefs.csv, block_summary.csv, timeseries.csv, trials.parquet, run.json, parkcast.xlsx, the charts
/// (`charts/<lang>/*.svg|png`) and report.html into the claimed directory atomically. Stops
/// between files (leaving nothing) once `cancel` is set.
#[allow(clippy::too_many_arguments)]
pub fn write_all(
    claim: &Claim,
    scenario: &Scenario,
    summary: &Summary,
    agg: &Aggregate,
    meta: &RunMeta,
    extras: Extras,
    langs: &[Lang],
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<Kept, ExportError> {
    let out = claim.path();
    let dir = OutputDir::create(claim)?;
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
        csv::write_readings(&tmp.join("readings.csv"), summary)?;
        csv::write_beliefs(&tmp.join("beliefs.csv"), summary)?;
        csv::write_blocks(&tmp.join("block_summary.csv"), scenario, summary)?;
        csv::write_timeseries(&tmp.join("timeseries.csv"), summary)?;
        csv_checkpoints::write_checkpoints(&tmp.join("checkpoints.csv"), summary)?;
        if let Some(c) = extras.criticality {
            csv_analysis::write_criticality(&tmp.join("criticality.csv"), c)?;
        }
        if let Some(m) = extras.monitoring {
            csv_analysis::write_monitor(&tmp.join("monitor.csv"), scenario, m)?;
            if let Some(s) = &m.settled {
                csv_settled::write_settled(&tmp.join(csv_settled::FILE), s)?;
            }
        }
        go_on()?;
        parquet::write_trials(&tmp.join("trials.parquet"), scenario, agg)?;
        run_json::write(&tmp.join("run.json"), meta)?;
        let view = RunView::new(scenario, summary, meta, extras);
        crate::report::workbook::write(&tmp.join(crate::report::workbook::FILE), scenario, &view)?;
        go_on()?;
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

/// `write_report`, asking `go_on` before each chart and before the report.
fn write_report_checked(
    dir: &Path,
    view: &RunView,
    langs: &[Lang],
    go_on: &(dyn Fn() -> Result<(), ExportError> + Sync),
) -> Result<(), ExportError> {
    let data = dir.join("report_data.json");
    let json = serde_json::to_string(view).map_err(|e| ExportError::new(&data, e))?;
    std::fs::write(&data, json + "\n").map_err(|e| ExportError::new(&data, e))?;
    let charts = chart_langs::render_langs(view, langs, &dir.join("charts"), go_on)?;
    let html = dir.join("report.html");
    std::fs::write(&html, crate::report::html::render(view, &charts, langs)).map_err(|e| ExportError::new(&html, e))
}

/// Redraws the charts and report.html of the claimed run directory from `view` (its
/// `report_data.json`), touching nothing else there: data files, the data file itself and
/// anything a user keeps in the folder stay as they are. The new charts are drawn into a
/// temporary folder inside the directory, then `charts/` is swapped for them in one step and
/// report.html replaced by a rename, so a failure leaves the previous report in place; the
/// manifest is updated to list the new charts.
pub fn rebuild_report(
    claim: &Claim,
    view: &RunView,
    langs: &[Lang],
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<Kept, ExportError> {
    let dir = claim.path();
    if let target::Existing::Owned(_, id) = claim.existing() {
        if target::dir_id(dir) != Some(*id) {
            return Err(ExportError::new(
                dir,
                "was replaced by another folder or a link since it was checked; nothing was changed",
            ));
        }
    }
    let staging = dir.join(format!(".report.tmp-{}", unique::suffix()));
    std::fs::create_dir(&staging).map_err(|e| ExportError::new(&staging, e))?;
    let (new_charts, new_html) = (staging.join("charts"), staging.join("report.html"));
    let drawn = (|| {
        let go_on = || {
            if cancel.load(std::sync::atomic::Ordering::SeqCst) {
                Err(ExportError::new(dir, "interrupted"))
            } else {
                Ok(())
            }
        };
        let charts = chart_langs::render_langs(view, langs, &new_charts, &go_on)?;
        std::fs::create_dir_all(&new_charts).map_err(|e| ExportError::new(&new_charts, e))?;
        std::fs::write(&new_html, crate::report::html::render(view, &charts, langs))
            .map_err(|e| ExportError::new(&new_html, e))?;
        go_on()?;
        atomic::swap_in(&new_charts, &dir.join("charts"))
    })();
    let old_charts = match drawn {
        Ok(old) => old,
        Err(e) => {
            // only what this command drew is in the staging folder
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e.in_place_of(&staging, dir));
        }
    };
    let html = dir.join("report.html");
    std::fs::rename(&new_html, &html).map_err(|e| ExportError::new(&html, e))?;
    let mut kept = None;
    if let (Some(old), target::Existing::Owned(listed, _)) = (old_charts, claim.existing()) {
        let listed: Vec<String> = listed.iter().filter_map(|e| e.strip_prefix("charts/").map(str::to_string)).collect();
        // something that appeared among the old charts while drawing is kept, visibly
        kept = atomic::remove_old(&old, &listed, &dir.join("charts"))?;
    }
    let _ = std::fs::remove_dir(&staging);
    if manifest::read(dir).is_some() {
        manifest::update(dir, "charts/", &["report.html"]).map_err(|e| ExportError::new(dir, e))?;
    }
    Ok(kept)
}
