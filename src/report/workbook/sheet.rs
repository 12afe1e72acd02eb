//! A sheet as parkcast fills it: a name, columns with a Chinese and an English header (the
//! English one is the CSV's column name, so the two files line up), and typed cells that carry
//! the exact values of the CSVs; [`add`] lays it out with frozen headers, number formats and
//! column widths that fit Chinese text.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// One cell's value and how it is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A share, shown as a percentage (the cell holds the fraction).
    Percent(f64),
    /// Yuan, shown in 亿元 (the cell holds yuan).
    Yuan(f64),
    /// A count or other quantity, shown with thousands separators.
    Number(f64),
    /// A number in Excel's General format, every digit shown (for cells meant to be edited).
    Plain(f64),
    Bool(bool),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// `Some(text)` as text, `None` as an empty cell.
    pub fn opt_text(t: Option<&str>) -> Cell {
        t.map(Cell::text).unwrap_or(Cell::Empty)
    }

    /// `Some(x)` as `f(x)`, `None` as an empty cell.
    pub fn opt(x: Option<f64>, f: fn(f64) -> Cell) -> Cell {
        x.map(f).unwrap_or(Cell::Empty)
    }

    /// A metric's value: yuan for revenue, a number for the others.
    pub fn metric(id: crate::seeds::TargetId, x: f64) -> Cell {
        match id {
            crate::seeds::TargetId::Revenue => Cell::Yuan(x),
            _ => Cell::Number(x),
        }
    }

    /// Display width in Excel's character units (a hanzi counts two).
    fn width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(t) => t.lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
            Cell::Percent(_) => 7,
            Cell::Yuan(_) => 12,
            Cell::Number(x) => format!("{:.1}", x.abs()).len() + x.abs().log10().max(0.0) as usize / 3 + 1,
            Cell::Plain(x) => format!("{x}").len(),
            Cell::Bool(_) => 5,
        }
    }
}

/// A column: its headers and one cell per row.
#[derive(Clone, Debug)]
pub struct Column {
    pub zh: String,
    /// The English header: the CSV column name where the sheet mirrors a CSV.
    pub en: String,
    pub cells: Vec<Cell>,
}

impl Column {
    pub fn new(zh: &str, en: &str, cells: Vec<Cell>) -> Column {
        Column { zh: zh.into(), en: en.into(), cells }
    }
}

/// A sheet: its name (at most 31 characters), an optional note above the table, and columns
/// of equal length; `key_columns` stay visible when scrolling right.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub note: Option<String>,
    pub columns: Vec<Column>,
    pub key_columns: u16,
}

/// The first row of data: the note (if any) then the two header rows come before it.
pub fn first_data_row(sheet: &Sheet) -> u32 {
    2 + u32::from(sheet.note.is_some())
}

struct Formats {
    zh: Format,
    en: Format,
    note: Format,
    text: Format,
    percent: Format,
    yuan: Format,
    whole: Format,
    decimal: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDE7F0)).set_text_wrap();
        Formats {
            zh: header.clone().set_border_bottom(FormatBorder::None),
            en: header.set_bold().set_font_color(Color::RGB(0x44546A)).set_border_bottom(FormatBorder::Thin),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x595959)),
            text: Format::new().set_align(FormatAlign::Left),
            percent: Format::new().set_num_format("0.0%"),
            // 亿 = 10⁸: `,,` scales by 10⁶ and the literal point (escaped: `\.`) two digits more
            yuan: Format::new().set_num_format("0\\.00,,\"亿元\""),
            whole: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.0##"),
        }
    }
}

/// Adds `sheet` to `book`.
pub fn add(book: &mut Workbook, sheet: &Sheet) -> Result<(), XlsxError> {
    let f = Formats::new();
    let ws = book.add_worksheet();
    ws.set_name(&sheet.name)?;
    let mut row = 0;
    if let Some(n) = &sheet.note {
        ws.write_string_with_format(0, 0, n, &f.note)?;
        row = 1;
    }
    for (c, col) in sheet.columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(row, c, &col.zh, &f.zh)?;
        ws.write_string_with_format(row + 1, c, &col.en, &f.en)?;
        for (r, cell) in col.cells.iter().enumerate() {
            write_cell(ws, row + 2 + r as u32, c, cell, &f)?;
        }
        let widest = col.cells.iter().map(Cell::width).max().unwrap_or(0);
        let header = UnicodeWidthStr::width(col.zh.as_str()).max(col.en.len());
        ws.set_column_width(c, (widest.max(header) + 2).clamp(6, 60) as f64)?;
    }
    ws.set_freeze_panes(row + 2, sheet.key_columns)?;
    // printed (or saved as PDF) for a meeting: A4 landscape, every column on one page width
    ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    Ok(())
}

fn write_cell(ws: &mut Worksheet, r: u32, c: u16, cell: &Cell, f: &Formats) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(t) => {
            ws.write_string_with_format(r, c, t, &f.text)?;
        }
        Cell::Percent(x) => {
            ws.write_number_with_format(r, c, *x, &f.percent)?;
        }
        Cell::Yuan(x) => {
            ws.write_number_with_format(r, c, *x, &f.yuan)?;
        }
        Cell::Number(x) => {
            let format = if x.fract() == 0.0 { &f.whole } else { &f.decimal };
            ws.write_number_with_format(r, c, *x, format)?;
        }
        Cell::Plain(x) => {
            ws.write_number(r, c, *x)?;
        }
        Cell::Bool(b) => {
            ws.write_boolean(r, c, *b)?;
        }
    }
    Ok(())
}
