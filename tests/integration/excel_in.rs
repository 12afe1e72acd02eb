//! Excel in (issue 17 part 2): `parkcast template` writes a scenario as a workbook that every
//! command reads back through the same validation. The round trip reproduces the TOML
//! scenario's results bit for bit; an edited cell changes them; bad cells give one error naming
//! the sheet and cell (snapshots). Test workbooks are built here with rust_xlsxwriter from the
//! template as calamine reads it.

use crate::common::{assert_no_panic, parkcast, transcript};
use calamine::{open_workbook, Data, Reader, Xlsx};
use parkcast::scenario::{ScenarioSource, EMBEDDED};
use parkcast::seeds::Seeds;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// What a test puts into a cell.
#[derive(Clone, Debug)]
enum Put {
    Text(&'static str),
    Number(f64),
    /// A number formatted as a percentage (Excel shows 8% and holds 0.08).
    Percent(f64),
    /// A date, as Excel stores a month it rewrote (year, month, day).
    Date(u16, u8, u8),
}

/// A workbook's sheets: (name, cells by absolute row and column).
type Sheets = Vec<(String, Vec<(u32, u32, Data)>)>;

/// Every sheet of a workbook as calamine reads it.
fn read_book(path: &Path) -> Sheets {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let cells = range.used_cells().map(|(r, c, d)| {
                let (r0, c0) = range.start().unwrap();
                (r as u32 + r0, c as u32 + c0, d.clone())
            });
            (name, cells.collect())
        })
        .collect()
}

/// The row (from 0) of the first cell of `sheet` whose text is `text`.
fn row_of(sheets: &Sheets, sheet: &str, text: &str) -> u32 {
    let (_, cells) = sheets.iter().find(|(n, _)| n == sheet).unwrap();
    cells.iter().find(|(_, _, d)| matches!(d, Data::String(s) if s == text)).map(|(r, _, _)| *r).unwrap()
}

/// Writes `sheets` to `path` (leaving out the sheet `drop`), with `edits` (sheet, row, column) in
/// place of what the cells held.
fn write_book(path: &Path, sheets: &Sheets, edits: &[(&str, u32, u16, Put)], drop: Option<&str>) {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("yyyy-mm");
    for (name, cells) in sheets.iter().filter(|(n, _)| Some(n.as_str()) != drop) {
        let ws = book.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, c, d) in cells {
            let c = *c as u16;
            match d {
                Data::String(s) => ws.write_string(*r, c, s).map(|_| ()).unwrap(),
                Data::Float(x) => ws.write_number(*r, c, *x).map(|_| ()).unwrap(),
                Data::Int(i) => ws.write_number(*r, c, *i as f64).map(|_| ()).unwrap(),
                Data::Bool(b) => ws.write_boolean(*r, c, *b).map(|_| ()).unwrap(),
                _ => {}
            }
        }
        for (_, r, c, put) in edits.iter().filter(|(s, ..)| s == name) {
            match put {
                Put::Text(t) => ws.write_string(*r, *c, *t).map(|_| ()).unwrap(),
                Put::Number(x) => ws.write_number(*r, *c, *x).map(|_| ()).unwrap(),
                Put::Percent(x) => ws.write_number_with_format(*r, *c, *x, &percent).map(|_| ()).unwrap(),
                Put::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(*r, *c, &dt, &date).map(|_| ()).unwrap()
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The column (from 0) of the parameters sheet's header `key` (the English header row).
fn param_col(sheets: &Sheets, key: &str) -> u16 {
    let header = row_of(sheets, "参数", "parameter");
    let (_, cells) = sheets.iter().find(|(n, _)| n == "参数").unwrap();
    cells.iter().find(|(r, _, d)| *r == header && matches!(d, Data::String(s) if s == key)).unwrap().1 as u16
}

fn template(dir: &Path, file: &str, scenario: &str) {
    let r = parkcast(dir, &["template", file, scenario]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains(&format!("Wrote {file}")), "{}", r.stdout);
}

/// The hash `validate` prints for a scenario.
fn hash(dir: &Path, scenario: &str) -> String {
    let r = parkcast(dir, &["validate", scenario]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r.stderr.lines().last().unwrap().split("hash ").nth(1).unwrap().trim_end_matches(')').to_string()
}

#[test]
fn every_builtin_scenario_reads_back_from_its_template_with_the_same_hash() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Seeds::embedded();
    for (file, _) in EMBEDDED {
        let name = file.trim_end_matches(".toml");
        let xlsx = format!("{name}_t.xlsx");
        template(dir.path(), &xlsx, name);
        let toml = parkcast::scenario::load(&ScenarioSource::Embedded(file), &[], &seeds).unwrap();
        let book = parkcast::scenario::load(&ScenarioSource::File(dir.path().join(&xlsx)), &[], &seeds).unwrap();
        assert_eq!(book.hash, toml.hash, "{name}");
        assert_eq!(book.name, format!("{name}_t"), "the workbook's name names its outputs");
        assert_eq!(book.block_starts, toml.block_starts, "{name}");
        assert_eq!(book.counted_blocks, toml.counted_blocks, "{name}");
    }
}

#[test]
fn a_template_runs_bit_for_bit_as_its_scenario_and_an_edited_cell_changes_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    template(d, "base.xlsx", "baseline");
    let sheets = read_book(&d.join("base.xlsx"));
    let row = row_of(&sheets, "参数", "base.revenue_growth_per_year");
    let value = param_col(&sheets, "value");
    let mode = param_col(&sheets, "mode");
    let (_, cells) = sheets.iter().find(|(n, _)| n == "参数").unwrap();
    let has_value = cells.iter().any(|(r, c, _)| *r == row && *c == value as u32);
    let col = if has_value { value } else { mode };
    // the baseline's growth is a pert from 0.03 to 0.1 (or a fixed value): 0.095 is inside
    write_book(&d.join("edited.xlsx"), &sheets, &[("参数", row, col, Put::Number(0.095))], None);
    let run = |scenario: &str, out: &str| {
        let r = parkcast(d, &["run", scenario, "--trials", "2000", "--out", out, "--lang", "en"]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert_no_panic(&r.stderr);
    };
    run("baseline", "toml");
    run("base.xlsx", "xlsx");
    run("edited.xlsx", "edited");
    for file in ["summary.csv", "readings.csv", "block_summary.csv", "timeseries.csv", "criticality.csv"] {
        let a = std::fs::read(d.join("toml").join(file)).unwrap();
        let b = std::fs::read(d.join("xlsx").join(file)).unwrap();
        assert!(a == b, "{file} differs between the TOML scenario and its template");
    }
    let a = std::fs::read_to_string(d.join("toml/summary.csv")).unwrap();
    let e = std::fs::read_to_string(d.join("edited/summary.csv")).unwrap();
    assert_ne!(a, e, "the edited growth rate must change the results");
    // validate names the edited cell as the value's origin
    let r = parkcast(d, &["validate", "edited.xlsx"]);
    let line = r.stdout.lines().find(|l| l.starts_with("revenue_growth_per_year")).unwrap().to_string();
    let cell = format!("edited.xlsx:参数!A{}", row + 1);
    assert!(line.contains("0.095") && line.contains(&cell), "{line}");
    assert_ne!(hash(d, "edited.xlsx"), hash(d, "base.xlsx"));
}

#[test]
fn a_copy_saved_under_another_name_is_another_scenario_and_levers_take_decimals() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    template(d, "mine.xlsx", "baseline");
    let sheets = read_book(&d.join("mine.xlsx"));
    // Excel's Save As: the same cells under another file name, one lever set to a share
    let lever = row_of(&sheets, "设置", "levers.special_fund.value");
    write_book(&d.join("fast_fund.xlsx"), &sheets, &[("设置", lever, 2, Put::Number(0.3))], None);
    let r = parkcast(d, &["run", "fast_fund.xlsx", "--trials", "2000", "--lang", "en"]);
    assert_eq!(r.code, Some(0), "a lever strength of 0.3 is a number, not a whole one: {}", r.stderr);
    assert!(d.join("outputs/fast_fund/summary.csv").exists(), "the copy writes outputs/fast_fund: {}", r.stderr);
    assert!(!d.join("outputs/mine").exists(), "never over the original's outputs");
    let (_, cells) = sheets.iter().find(|(n, _)| n == "设置").unwrap();
    for key in ["scenario.name", "scenario.label_zh", "scenario.label_en"] {
        assert!(!cells.iter().any(|(_, _, v)| matches!(v, Data::String(t) if t == key)), "{key} is not templated");
    }
    // a setting that must be whole says which type cell to change
    let trials = row_of(&sheets, "设置", "settings.trials");
    write_book(&d.join("half.xlsx"), &sheets, &[("设置", trials, 2, Put::Number(1500.5))], None);
    let r = parkcast(d, &["validate", "half.xlsx"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains(&format!("its type cell B{} says integer", trials + 1)), "{}", r.stderr);
}

#[test]
fn overrides_are_written_into_the_template_with_where_they_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let set = ["--set", "params.start.delay_months=12", "--set", "settings.trials=3000"];
    let mut args = vec!["template", "o.xlsx", "baseline"];
    args.extend(set);
    let r = parkcast(d, &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut args = vec!["validate", "baseline"];
    args.extend(set);
    let r = parkcast(d, &args);
    let toml_hash = r.stderr.lines().last().unwrap().split("hash ").nth(1).unwrap().trim_end_matches(')').to_string();
    assert_eq!(hash(d, "o.xlsx"), toml_hash);
    let v = parkcast(d, &["validate", "o.xlsx"]);
    assert!(v.stdout.contains("set on the command line: --set params.start.delay_months=12"), "{}", v.stdout);
}

#[test]
fn a_cell_formatted_as_a_percentage_holds_the_fraction() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    template(d, "base.xlsx", "baseline");
    let sheets = read_book(&d.join("base.xlsx"));
    let row = row_of(&sheets, "参数", "start.on_time");
    let p = param_col(&sheets, "p");
    write_book(&d.join("pct.xlsx"), &sheets, &[("参数", row, p, Put::Percent(0.75))], None);
    assert_eq!(hash(d, "pct.xlsx"), hash(d, "base.xlsx"), "75% is the 0.75 the template holds");
}

#[test]
fn bad_cells_give_one_error_naming_the_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    template(d, "base.xlsx", "baseline");
    let sheets = read_book(&d.join("base.xlsx"));
    let delay = row_of(&sheets, "参数", "start.delay_months");
    let duration = row_of(&sheets, "参数", "build.duration_months");
    let on_time = row_of(&sheets, "参数", "start.on_time");
    let horizon = row_of(&sheets, "设置", "settings.horizon");
    let (mode, dist, p) = (param_col(&sheets, "mode"), param_col(&sheets, "distribution"), param_col(&sheets, "p"));
    write_book(&d.join("text.xlsx"), &sheets, &[("参数", delay, mode, Put::Text("nine"))], None);
    write_book(&d.join("dist.xlsx"), &sheets, &[("参数", duration, dist, Put::Text("trianglar"))], None);
    write_book(&d.join("nosheet.xlsx"), &sheets, &[], Some("设置"));
    write_book(&d.join("date.xlsx"), &sheets, &[("设置", horizon, 2, Put::Date(2027, 12, 1))], None);
    write_book(&d.join("pct.xlsx"), &sheets, &[("参数", on_time, p, Put::Text("8%"))], None);
    // a comma typed with a Chinese IME, and a decimal comma: refused, never read as 12 or 75
    write_book(&d.join("imecomma.xlsx"), &sheets, &[("参数", delay, mode, Put::Text("1，2"))], None);
    write_book(&d.join("deccomma.xlsx"), &sheets, &[("参数", on_time, p, Put::Text("0,75"))], None);
    // thousands separators are what they look like (1,200 is read as 1200: outside the range)
    write_book(&d.join("grouped.xlsx"), &sheets, &[("参数", delay, mode, Put::Text("1,200"))], None);
    // two rows whose scope names no block or group: each error names its own row, the missing
    // default too (it used to name 设置!A1)
    let scope = param_col(&sheets, "scope");
    let scope_edits =
        [("参数", delay, scope, Put::Text("blocks.99")), ("参数", duration, scope, Put::Text("groups.land_type.R9"))];
    write_book(&d.join("scope.xlsx"), &sheets, &scope_edits, None);
    std::fs::write(d.join("notxlsx.xlsx"), "a,b\n1,2\n").unwrap();
    insta::assert_snapshot!(transcript(
        d,
        &[
            (&["validate", "text.xlsx"], 2),
            (&["validate", "dist.xlsx"], 2),
            (&["run", "nosheet.xlsx"], 2),
            (&["validate", "date.xlsx"], 2),
            (&["validate", "pct.xlsx"], 2),
            (&["validate", "imecomma.xlsx"], 2),
            (&["validate", "deccomma.xlsx"], 2),
            (&["validate", "grouped.xlsx"], 2),
            (&["validate", "scope.xlsx"], 2),
            (&["validate", "notxlsx.xlsx"], 2),
            (&["validate", "missing.xlsx"], 2),
            (&["validate", "base"], 2),
            (&["template", "base.xlsx"], 2),
            (&["template", "out.toml"], 2),
        ]
    ));
    let r = parkcast(d, &["validate", "scope.xlsx"]);
    let (delay_cell, duration_cell) = (format!("参数!A{}:", delay + 1), format!("参数!A{}:", duration + 1));
    for line in r.stderr.lines().filter(|l| l.contains("scope.xlsx")) {
        assert!(line.contains(&delay_cell) || line.contains(&duration_cell), "names another cell: {line}");
    }
    assert_eq!(r.stderr.matches("set it under params too").count(), 2, "{}", r.stderr);
    for f in ["text.xlsx", "dist.xlsx", "date.xlsx", "pct.xlsx", "imecomma.xlsx", "deccomma.xlsx"] {
        let r = parkcast(d, &["validate", f]);
        assert_eq!(r.stderr.matches("error").count(), 1, "{f}: one error only:\n{}", r.stderr);
    }
}

#[test]
fn observations_read_from_a_workbook_as_from_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06-blocks.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let headers = reader.headers().unwrap().clone();
    for (c, h) in headers.iter().enumerate() {
        cells.push((0u32, c as u32, Data::String(h.to_string())));
    }
    for (r, rec) in reader.records().enumerate() {
        for (c, v) in rec.unwrap().iter().enumerate() {
            let d = match v.parse::<f64>() {
                _ if v.is_empty() => continue,
                Ok(x) => Data::Float(x),
                Err(_) => Data::String(v.to_string()),
            };
            cells.push((r as u32 + 1, c as u32, d));
        }
    }
    let sheets = vec![("观测".to_string(), cells)];
    let xlsx = dir.path().join("obs.xlsx");
    write_book(&xlsx, &sheets, &[], None);
    let seeds = Seeds::embedded();
    let deadline = parkcast::month::Month::new(2027, 12).unwrap();
    let from_csv = parkcast::monitor::load(&csv, &seeds, deadline).unwrap();
    let from_xlsx = parkcast::monitor::load(&xlsx, &seeds, deadline).unwrap();
    // the same observations; only where each was read differs
    let unplaced = |o: &parkcast::monitor::Observations| -> Vec<parkcast::monitor::BlockObservation> {
        let mut blocks = o.blocks.clone();
        blocks.iter_mut().for_each(|b| b.origin = parkcast::toml_tree::Origin::Builtin);
        blocks
    };
    assert_eq!(unplaced(&from_xlsx), unplaced(&from_csv));
    assert!(from_xlsx.blocks[0].origin.to_string().ends_with("obs.xlsx:观测!A2"), "{}", from_xlsx.blocks[0].origin);
    assert_eq!((from_xlsx.as_of, &from_xlsx.source), (from_csv.as_of, &from_csv.source));
    // an Excel date in a month column is its month; a bad cell is named
    let as_of = headers.iter().position(|h| h == "as_of").unwrap() as u16;
    let occupancy = headers.iter().position(|h| h == "occupancy").unwrap() as u16;
    let dated = dir.path().join("dated.xlsx");
    write_book(&dated, &sheets, &[("观测", 1, as_of, Put::Date(2026, 6, 1))], None);
    assert_eq!(unplaced(&parkcast::monitor::load(&dated, &seeds, deadline).unwrap()), unplaced(&from_csv));
    let bad = dir.path().join("bad.xlsx");
    write_book(&bad, &sheets, &[("观测", 2, occupancy, Put::Text("lots"))], None);
    let e = parkcast::monitor::load(&bad, &seeds, deadline).unwrap_err().to_string();
    let cell = format!("{}:观测!{}3", bad.display(), (b'A' + occupancy as u8) as char);
    assert!(e.starts_with(&cell), "{e}");
}
