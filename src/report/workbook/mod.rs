//! `parkcast.xlsx`: a run's tables as one Excel workbook for analysts who work in Excel — one
//! sheet per table, Chinese and English headers frozen above the data, shares as percentages,
//! revenue shown in 亿元 (the cells keep the CSVs' exact values), and a native Excel line chart
//! of each target's fan. Everything here goes through rust_xlsxwriter; nothing else in parkcast
//! uses it.
//!
//! The workbook holds no wall-clock data (its creation date is fixed, the run's date is in
//! run.json), so the same run writes the same bytes whatever the thread count.

mod assumptions;
mod beliefs;
mod blocks;
mod charts;
mod checkpoints;
mod criticality;
mod packages;
mod sheet;
mod summary;
mod whatif;

pub use packages::packages as packages_sheet;
pub use sheet::{add as add_sheet, first_data_row, Cell, Column, Sheet};
pub use whatif::{compare as compare_sheet, grid as grid_sheet, sweep as sweep_sheet};

use super::export::ExportError;
use super::view::RunView;
use crate::scenario::Scenario;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use std::path::Path;

/// The workbook's file name in an output directory.
pub const FILE: &str = "parkcast.xlsx";

/// Every sheet of a run's workbook, in order (the charts sheet is added after the time series).
pub fn sheets(scenario: &Scenario, view: &RunView) -> Vec<Sheet> {
    let mut out = vec![summary::targets(view)];
    if !view.summary.readings.is_empty() {
        out.push(summary::readings(view));
    }
    out.push(blocks::blocks(scenario, view));
    out.push(blocks::districts_by_batch(scenario, view));
    out.push(summary::series(view));
    if !view.summary.checkpoints.is_empty() {
        out.push(checkpoints::sheet(view));
    }
    if let Some(c) = &view.criticality {
        out.push(criticality::sheet(c));
    }
    if !view.summary.beliefs.is_empty() {
        out.push(beliefs::sheet(view));
    }
    out.push(assumptions::assumptions(view));
    out.push(assumptions::run_info(view));
    out
}

/// Writes `parkcast.xlsx` of a run to `path`.
pub fn write(path: &Path, scenario: &Scenario, view: &RunView) -> Result<(), ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::new(path, e);
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 10, 31).map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("parkcast: {}", view.name))
            .set_comment("written by parkcast; the run's date is in run.json")
            .set_creation_datetime(&created),
    );
    for s in sheets(scenario, view) {
        sheet::add(&mut book, &s).map_err(err)?;
        if s.name == summary::SERIES_SHEET {
            charts::add(&mut book, view, sheet::first_data_row(&s)).map_err(err)?;
        }
    }
    save(&mut book, path)
}

/// Writes `sheets` alone as `parkcast.xlsx` of a what-if command (e.g. `packages`) to `path`.
pub fn write_tables(path: &Path, title: &str, sheets: &[Sheet]) -> Result<(), ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::new(path, e);
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 10, 31).map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("parkcast: {title}"))
            .set_comment("written by parkcast")
            .set_creation_datetime(&created),
    );
    for s in sheets {
        sheet::add(&mut book, s).map_err(err)?;
    }
    save(&mut book, path)
}

fn save(book: &mut Workbook, path: &Path) -> Result<(), ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::new(path, e);
    let bytes = book.save_to_buffer().map_err(err)?;
    let io = |e: std::io::Error| ExportError::new(path, e);
    let mut file = std::fs::File::create(path).map_err(io)?;
    std::io::Write::write_all(&mut file, &bytes).map_err(io)?;
    file.sync_all().map_err(io)
}
