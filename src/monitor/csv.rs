//! The per-block observations as a CSV table (one row per block, an empty cell = not observed),
//! read into the same tree as a TOML file, with each cell's line, so one validator serves both.
//!
//! Columns: `as_of` and `source` (the same in every row), `block`, then any of `started`,
//! `delivered` (a month YYYY-MM, or `false` / `no` for not yet), `floor_area_m2`, `occupancy`,
//! `tech_smes`, `specialized`, `revenue_cny`, `jobs`, `removed` (true / false), `note`. Chinese
//! headers, 是/否 and months Excel rewrote as dates are read as [`super::csv_cells`] says.

use super::csv_cells::{self as cells, MonthCell};
use super::observations::ObservationError;
use crate::toml_tree::{Node, Origin, Problems, Table, Value};

/// The columns: the file's `as_of` and `source`, the block id, and a block's fields.
fn columns() -> Vec<&'static str> {
    let mut c = vec!["as_of", "source", "block"];
    c.extend(super::observations::BLOCK_KEYS);
    c
}

fn cell_value(column: &str, text: &str) -> Value {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    match (column, cells::chinese_bool(t)) {
        ("started" | "delivered", Some(false)) | ("removed", Some(_)) => {
            return Value::Boolean(cells::chinese_bool(t) == Some(true))
        }
        _ => {}
    }
    if let ("as_of" | "started" | "delivered", MonthCell::Month(m)) = (column, cells::month_cell(t)) {
        return Value::String(m);
    }
    match column {
        "started" | "delivered" | "removed" if matches!(lower.as_str(), "false" | "no") => Value::Boolean(false),
        "removed" if matches!(lower.as_str(), "true" | "yes") => Value::Boolean(true),
        "as_of" | "source" | "started" | "delivered" | "note" | "removed" => Value::String(t.to_string()),
        _ => match t.replace(['_', ','], "").parse::<f64>() {
            Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => Value::Integer(x as i64),
            Ok(x) => Value::Float(x),
            Err(_) => Value::String(t.to_string()),
        },
    }
}

/// A table read from a CSV file or a sheet of a workbook: its header cells and rows, every cell
/// as text with where it is, so that one reader makes the tree of either.
pub struct TextTable {
    pub origin: Origin,
    pub headers: Vec<(Origin, String)>,
    pub rows: Vec<TextRow>,
}

/// One row of a [`TextTable`]: where it is (its line, or its first cell) and its cells.
pub struct TextRow {
    pub origin: Origin,
    pub cells: Vec<(Origin, String)>,
}

/// Reads the CSV text of `file` into a tree: `as_of`, `source` and `blocks.<id>.<column>`.
pub fn to_tree(file: &str, text: &str) -> Result<Node, ObservationError> {
    let mut problems = Problems::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header_origin = Origin::file(file, 1);
    let headers: Vec<(Origin, String)> = match reader.headers() {
        Ok(h) => h.iter().map(|s| (header_origin.clone(), s.to_string())).collect(),
        Err(e) => {
            problems.push(&header_origin, "", format!("cannot read the header row: {e}"));
            return Err(ObservationError { problems });
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                problems.push(&Origin::file(file, line), "", format!("cannot read the row: {e}"));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
        let origin = Origin::file(file, line);
        if record.len() != headers.len() {
            problems.push(
                &origin,
                "",
                format!(
                    "{} cells, but the header has {} columns; give every row the same columns",
                    record.len(),
                    headers.len()
                ),
            );
            continue;
        }
        rows.push(TextRow { cells: record.iter().map(|c| (origin.clone(), c.to_string())).collect(), origin });
    }
    // problems by line, as the file reads (the rows' own come before the header's otherwise)
    from_table(TextTable { origin: header_origin, headers, rows }, problems).map_err(|mut e| {
        e.problems.sort_by_location();
        e
    })
}

/// Where a cell is, as a message names it after "differs from": `line 3` or `cell 观测!A3`.
fn place(origin: &Origin) -> String {
    match origin {
        Origin::File { line, .. } => format!("line {line}"),
        Origin::Cell { sheet, row, col, .. } => {
            format!("cell {sheet}!{}{}", crate::toml_tree::column_letters(*col), row + 1)
        }
        _ => "another row".into(),
    }
}

/// The tree of a table (see [`to_tree`]); `problems` holds what reading it found already.
pub fn from_table(table: TextTable, mut problems: Problems) -> Result<Node, ObservationError> {
    let header_origin = table.origin;
    let headers: Vec<(Origin, String)> =
        table.headers.into_iter().map(|(o, h)| (o, cells::column_of(h.trim()).to_string())).collect();
    let columns = columns();
    for (origin, h) in &headers {
        if !columns.contains(&h.as_str()) {
            problems.push(
                origin,
                h.clone(),
                crate::toml_tree::unknown_key_message(h, &columns).replacen("unknown key", "unknown column", 1),
            );
        }
    }
    for required in ["as_of", "source", "block"] {
        if !headers.iter().any(|(_, h)| h == required) {
            problems.push(&header_origin, "", format!("missing column `{required}`"));
        }
    }
    let mut top = Table::default();
    let mut blocks = Table::default();
    let mut excel_dates: Vec<(Origin, String, String)> = Vec::new();
    for record in table.rows {
        let origin = record.origin;
        let mut row = Table::default();
        let mut id = None;
        for ((_, h), (cell_origin, cell)) in headers.iter().zip(record.cells.iter()) {
            if cell.trim().is_empty() || !columns.contains(&h.as_str()) {
                continue;
            }
            if matches!(h.as_str(), "as_of" | "started" | "delivered")
                && cells::month_cell(cell) == MonthCell::Ambiguous
            {
                excel_dates.push((cell_origin.clone(), h.clone(), cell.trim().to_string()));
                continue;
            }
            let node = Node { value: cell_value(h, cell), origin: cell_origin.clone() };
            match h.as_str() {
                "block" => id = Some(cell.trim().to_string()),
                "as_of" | "source" => match top.get(h) {
                    Some(first) if first.value != node.value => problems.push(
                        cell_origin,
                        h.clone(),
                        format!(
                            "`{}` differs from {}'s; every row must have the same {h}",
                            cell.trim(),
                            place(&first.origin)
                        ),
                    ),
                    Some(_) => {}
                    None => top.insert(h, node),
                },
                _ => row.insert(h, node),
            }
        }
        match id {
            Some(id) if blocks.get(&id).is_some() => {
                problems.push(&origin, format!("blocks.{id}"), "is observed on two rows; give one row per block")
            }
            Some(id) => blocks.insert(&id, Node { value: Value::Table(row), origin: origin.clone() }),
            None => problems.push(&origin, "block", "is empty: every row needs the block's id"),
        }
    }
    if let Some((at, column, cell)) = excel_dates.first() {
        // one problem, not one per cell and per check that needs the month
        let more = match excel_dates.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more such cells)"),
        };
        let mut one = Problems::default();
        one.push(
            at,
            column.clone(),
            format!(
                "`{cell}` looks like a date Excel made of a month{more}; parkcast reads months as YYYY-MM (e.g. 2026-03), or year-first dates such as 2026/3/1. In Excel, format the month columns as text (设置单元格格式 → 文本) and type the months again"
            ),
        );
        return Err(ObservationError { problems: one });
    }
    if !problems.is_empty() {
        return Err(ObservationError { problems });
    }
    top.insert("blocks", Node { value: Value::Table(blocks), origin: header_origin.clone() });
    Ok(Node { value: Value::Table(top), origin: header_origin })
}
