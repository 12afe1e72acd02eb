//! An observations table as a sheet: the first sheet of the workbook, headed as the CSV table is
//! (`as_of`, `source`, `block`, `started` …, or the Chinese headers of
//! [`crate::monitor::csv_cells::HEADER_ALIASES`]), read into the same [`TextTable`] as a CSV
//! file so that one reader and one validator serve both; every cell keeps its place.

use super::book::{Book, CellValue};
use crate::monitor::csv::{TextRow, TextTable};
use crate::toml_tree::Problems;

/// The first sheet of `book` as a table: the first row with anything in it is the header.
pub fn observations_table(book: &mut Book) -> Result<TextTable, Problems> {
    let grid = book.first_sheet()?;
    let Some(last) = grid.last_row() else {
        let mut p = Problems::default();
        p.push(&grid.origin(0, 0), "", "the sheet is empty: the first row names the columns (as_of, source, block, …)");
        return Err(p);
    };
    let width = grid.last_col();
    let texts = |row: u32| -> Vec<String> { (0..=width).map(|c| grid.cell(row, c).as_text()).collect() };
    let header_row = (0..=last).find(|r| texts(*r).iter().any(|t| !t.is_empty())).unwrap_or(0);
    let headers: Vec<(crate::toml_tree::Origin, String)> = (0..=width)
        .map(|c| (grid.origin(header_row, c), grid.cell(header_row, c).as_text()))
        .filter(|(_, h)| !h.trim().is_empty())
        .collect();
    let header_cols: Vec<u16> = (0..=width).filter(|c| grid.cell(header_row, *c) != CellValue::Empty).collect();
    let mut rows = Vec::new();
    for row in header_row + 1..=last {
        if texts(row).iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        let cells = header_cols.iter().map(|c| (grid.origin(row, *c), grid.cell(row, *c).as_text())).collect();
        rows.push(TextRow { origin: grid.origin(row, header_cols.first().copied().unwrap_or(0)), cells });
    }
    Ok(TextTable { origin: grid.origin(header_row, 0), headers, rows })
}
