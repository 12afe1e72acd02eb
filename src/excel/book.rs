//! Opening a workbook (through [`crate::input_file`], with its size cap) and reading its
//! sheets as grids of cells that know their place, so every problem names `file:sheet!D14`.

use crate::input_file::{self, InputKind};
use crate::toml_tree::{Origin, Problem, Problems};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// `.xlsx` and `.xlsm` files are workbooks (by name; a workbook under another name is told
/// apart by its first bytes where text was expected, see [`crate::input_file::not_utf8`]).
pub fn is_workbook(path: &Path) -> bool {
    let name = path.display().to_string().to_ascii_lowercase();
    name.ends_with(".xlsx") || name.ends_with(".xlsm")
}

/// An open workbook.
pub struct Book {
    file: Arc<str>,
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

fn one(origin: &Origin, message: String) -> Problems {
    Problems(vec![Problem::new(origin, "", message)])
}

impl Book {
    /// Opens `path` (named `what` in messages, e.g. "scenario workbook").
    pub fn open(path: &Path, what: &str) -> Result<Book, Problems> {
        let file: Arc<str> = Arc::from(path.display().to_string());
        let bytes = input_file::read(path, InputKind::Workbook).map_err(|e| {
            let reason = match e.io_kind() {
                Some(k @ std::io::ErrorKind::NotFound) => {
                    format!("no such file{}", input_file::backslash_hint(e.file(), k))
                }
                _ => e.to_string(),
            };
            one(&Origin::Builtin, format!("cannot read {what} {file}: {reason}"))
        })?;
        Book::from_bytes(&file, bytes)
    }

    /// A workbook from its bytes (`file` names it in messages).
    pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Book, Problems> {
        let file: Arc<str> = Arc::from(file);
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
            one(
                &Origin::Builtin,
                format!(
                    "{file}: not an Excel workbook parkcast can read ({e}); save it from Excel as .xlsx (Excel 工作簿)"
                ),
            )
        })?;
        Ok(Book { file, xlsx })
    }

    /// The file as named in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The sheet `name` as a grid; a missing sheet is one problem that lists the sheets there are.
    pub fn sheet(&mut self, name: &str, holds: &str) -> Result<Grid, Problems> {
        let names = self.xlsx.sheet_names();
        if !names.iter().any(|n| n == name) {
            let there = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            return Err(one(
                &Origin::Builtin,
                format!(
                    "{}: no sheet `{name}` ({holds}); the workbook has {there}. Make a workbook with the right sheets with `parkcast template FILE.xlsx`",
                    self.file
                ),
            ));
        }
        let range = self
            .xlsx
            .worksheet_range(name)
            .map_err(|e| one(&Origin::Builtin, format!("{}: cannot read sheet `{name}`: {e}", self.file)))?;
        Ok(Grid { file: self.file.clone(), sheet: Arc::from(name), range })
    }

    /// The first sheet as a grid (for a table of observations, whatever its sheet is called).
    pub fn first_sheet(&mut self) -> Result<Grid, Problems> {
        let name = self.xlsx.sheet_names().first().cloned();
        match name {
            Some(n) => self.sheet(&n, "the table"),
            None => Err(one(&Origin::Builtin, format!("{}: the workbook has no sheets", self.file))),
        }
    }
}

/// What a cell holds, as the readers distinguish it.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date (Excel keeps dates as day numbers shown in a date format): year, month, day.
    Date(i32, u32, u32),
    /// An Excel error value such as `#DIV/0!`, or a duration.
    Other(String),
}

impl CellValue {
    /// The cell as the text a CSV export of it would hold (numbers in full precision, dates
    /// year first).
    pub fn as_text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(t) => t.clone(),
            CellValue::Number(x) => format!("{x}"),
            CellValue::Bool(b) => b.to_string(),
            CellValue::Date(y, m, d) => format!("{y}/{m}/{d}"),
            CellValue::Other(t) => t.clone(),
        }
    }

    /// How the cell is described in messages.
    pub fn brief(&self) -> String {
        match self {
            CellValue::Empty => "an empty cell".into(),
            CellValue::Text(t) => format!("the text {t:?}"),
            CellValue::Number(x) => format!("the number {x}"),
            CellValue::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
            CellValue::Date(y, m, d) => format!("the date {y}-{m:02}-{d:02}"),
            CellValue::Other(t) => t.clone(),
        }
    }
}

fn classify(d: &Data) -> CellValue {
    match d {
        Data::Empty => CellValue::Empty,
        Data::String(s) if s.trim().is_empty() => CellValue::Empty,
        Data::String(s) => CellValue::Text(s.trim().to_string()),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(x) => CellValue::Number(*x),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day) = civil_from_serial(dt.as_f64());
            CellValue::Date(y, m, day)
        }
        Data::DateTime(dt) => CellValue::Other(format!("the duration {}", dt.as_f64())),
        Data::DateTimeIso(s) => {
            let ymd: Vec<&str> = s.get(..10).unwrap_or(s).split('-').collect();
            match ymd.as_slice() {
                [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
                    (Ok(y), Ok(m), Ok(d)) => CellValue::Date(y, m, d),
                    _ => CellValue::Other(format!("the date {s}")),
                },
                _ => CellValue::Other(format!("the date {s}")),
            }
        }
        Data::DurationIso(s) => CellValue::Other(format!("the duration {s}")),
        Data::Error(e) => CellValue::Other(format!("the Excel error {e}")),
    }
}

/// The calendar date of an Excel day number (1900 date system: day 1 is 1900-01-01, and
/// Excel counts a 1900-02-29 that never was, so from day 61 on the days run from 1899-12-30).
pub fn civil_from_serial(serial: f64) -> (i32, u32, u32) {
    let day = serial.floor() as i64;
    let from_1970 = if day >= 61 { day - 25_569 } else { day - 25_568 };
    // Howard Hinnant's civil_from_days
    let z = from_1970 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// One sheet's cells, by absolute row and column (from 0).
pub struct Grid {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    range: calamine::Range<Data>,
}

impl Grid {
    /// Where the cell at `row`, `col` is, for messages.
    pub fn origin(&self, row: u32, col: u16) -> Origin {
        Origin::Cell { file: self.file.clone(), sheet: self.sheet.clone(), row, col }
    }

    /// The cell at `row`, `col`.
    pub fn cell(&self, row: u32, col: u16) -> CellValue {
        self.range.get_value((row, u32::from(col))).map(classify).unwrap_or(CellValue::Empty)
    }

    /// The last row with anything in it (`None` for an empty sheet).
    pub fn last_row(&self) -> Option<u32> {
        self.range.end().map(|(r, _)| r)
    }

    /// The last column with anything in it.
    pub fn last_col(&self) -> u16 {
        self.range.end().map(|(_, c)| c.min(u32::from(u16::MAX)) as u16).unwrap_or(0)
    }

    /// Finds the header row among the first rows: the first with a cell reading `key` (the
    /// English header of the sheet's first column) or `zh`; returns its row and, for each
    /// header cell, its column and text. A Chinese header row just above it is skipped.
    pub fn header(&self, key: &str, zh: &str) -> Option<(u32, Vec<(u16, String)>)> {
        let last = self.last_row()?;
        let search_to = last.min(9);
        for row in 0..=search_to {
            let found = (0..=self.last_col()).any(|c| match self.cell(row, c) {
                CellValue::Text(t) => t.eq_ignore_ascii_case(key),
                _ => false,
            });
            if found {
                let cells = (0..=self.last_col())
                    .filter_map(|c| match self.cell(row, c) {
                        CellValue::Text(t) => Some((c, t.to_ascii_lowercase())),
                        _ => None,
                    })
                    .collect();
                return Some((row, cells));
            }
        }
        // only Chinese headers: the row that has `zh`
        for row in 0..=search_to {
            let found = (0..=self.last_col()).any(|c| self.cell(row, c) == CellValue::Text(zh.to_string()));
            if found {
                let cells = (0..=self.last_col())
                    .filter_map(|c| match self.cell(row, c) {
                        CellValue::Text(t) => Some((c, t)),
                        _ => None,
                    })
                    .collect();
                return Some((row, cells));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_are_excel_dates() {
        assert_eq!(civil_from_serial(1.0), (1900, 1, 1));
        assert_eq!(civil_from_serial(59.0), (1900, 2, 28));
        assert_eq!(civil_from_serial(61.0), (1900, 3, 1));
        assert_eq!(civil_from_serial(25_569.0), (1970, 1, 1));
        assert_eq!(civil_from_serial(46_357.0), (2026, 12, 1));
        assert_eq!(civil_from_serial(46_357.75), (2026, 12, 1));
    }

    #[test]
    fn workbooks_are_known_by_name() {
        assert!(is_workbook(Path::new("a/B.XLSX")));
        assert!(!is_workbook(Path::new("b.toml")));
    }
}
