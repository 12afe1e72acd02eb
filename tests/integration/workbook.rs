//! parkcast.xlsx read back with calamine: every sheet that mirrors a CSV holds the CSV's
//! columns (under its English headers) with the same values — numbers bit for bit, months and
//! names as text — and the district × batch sheet adds up to the blocks.

use crate::common::parkcast;
use calamine::{open_workbook, Data, DataType, Range, Reader, Xlsx};
use std::path::Path;

fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (headers, rows)
}

/// The row of `range` holding the English headers (the one whose first cell is `first`).
fn header_row(range: &Range<Data>, first: &str) -> usize {
    (0..range.height())
        .find(|&r| range.get((r, 0)).is_some_and(|c| matches!(c, Data::String(s) if s == first)))
        .unwrap_or_else(|| panic!("no header row starting with {first}"))
}

/// Checks that `sheet` holds every column and value of `csv_file`.
fn same_as_csv(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str, csv_file: &Path) -> usize {
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    let (headers, rows) = csv_table(csv_file);
    let hr = header_row(&range, &headers[0]);
    let width = range.width();
    let xlsx_headers: Vec<String> =
        (0..width).map(|c| range.get((hr, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    let mut compared = 0;
    for (k, h) in headers.iter().enumerate() {
        let c = xlsx_headers.iter().position(|x| x == h).unwrap_or_else(|| panic!("{sheet}: no column {h}"));
        for (i, row) in rows.iter().enumerate() {
            let (want, got) = (&row[k], range.get((hr + 1 + i, c)).unwrap_or(&Data::Empty));
            let same = match got {
                Data::Empty => want.is_empty(),
                Data::Float(x) => want.parse::<f64>().is_ok_and(|w| w == *x || (w.is_nan() && x.is_nan())),
                Data::Int(x) => want.parse::<i64>() == Ok(*x),
                Data::Bool(b) => want == &b.to_string(),
                Data::String(s) => s == want,
                other => panic!("{sheet} {h} row {i}: unexpected cell {other:?}"),
            };
            assert!(same, "{sheet}, column {h}, row {i}: xlsx {got:?}, csv {want:?}");
            compared += 1;
        }
    }
    let extra = (hr + 1 + rows.len()..range.height())
        .any(|r| (0..width).any(|c| range.get((r, c)).is_some_and(|d| *d != Data::Empty)));
    assert!(!extra, "{sheet} has rows beyond {}'s", csv_file.display());
    compared
}

#[test]
fn the_workbook_holds_every_number_of_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let r =
        parkcast(dir.path(), &["run", "--trials", "3000", "--criticality-trials", "300", "--lang", "en", "--out", "o"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let o = dir.path().join("o");
    let mut book: Xlsx<_> = open_workbook(o.join("parkcast.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "汇总 summary",
            "口径 readings",
            "地块 blocks",
            "区县×批次 districts",
            "时间序列 series",
            "图表 charts",
            "年度节点 checkpoints",
            "关键性 criticality",
            "达标所需 beliefs",
            "假设 assumptions",
            "运行信息 run"
        ]
    );
    let mut cells = 0;
    for (sheet, file) in [
        ("汇总 summary", "summary.csv"),
        ("口径 readings", "readings.csv"),
        ("地块 blocks", "block_summary.csv"),
        ("时间序列 series", "timeseries.csv"),
        ("年度节点 checkpoints", "checkpoints.csv"),
        ("关键性 criticality", "criticality.csv"),
    ] {
        cells += same_as_csv(&mut book, sheet, &o.join(file));
    }
    assert!(cells > 3000, "{cells} cells compared");

    // district × batch: the counted blocks' mean contributions, summed
    let (bh, blocks) = csv_table(&o.join("block_summary.csv"));
    let col = |name: &str| bh.iter().position(|h| h == name).unwrap();
    let d = book.worksheet_range("区县×批次 districts").unwrap();
    let hr = header_row(&d, "district");
    let dcol =
        |name: &str| (0..d.width()).find(|&c| matches!(d.get((hr, c)), Some(Data::String(s)) if s == name)).unwrap();
    let counted: Vec<&Vec<String>> = blocks.iter().filter(|r| r[col("counted")] == "true").collect();
    let rows = hr + 1..d.height();
    let count: f64 = rows.clone().map(|r| d.get((r, dcol("blocks"))).unwrap().as_f64().unwrap()).sum();
    assert_eq!(count, counted.len() as f64);
    for (csv_name, sheet_name) in
        [("mean_parks", "mean_parks"), ("mean_revenue_cny", "mean_revenue"), ("mean_jobs", "mean_jobs")]
    {
        let want: f64 = counted.iter().map(|r| r[col(csv_name)].parse::<f64>().unwrap()).sum();
        let got: f64 = rows.clone().map(|r| d.get((r, dcol(sheet_name))).unwrap().as_f64().unwrap()).sum();
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{csv_name}: {got} vs {want}");
    }

    // what you must believe: beliefs.csv's figures, an empty CSV cell in words
    let (bh, beliefs) = csv_table(&o.join("beliefs.csv"));
    let bcol = |name: &str| bh.iter().position(|h| h == name).unwrap();
    let b = book.worksheet_range("达标所需 beliefs").unwrap();
    let br = header_row(&b, "target");
    let sheet_col =
        |name: &str| (0..b.width()).find(|&c| matches!(b.get((br, c)), Some(Data::String(s)) if s == name)).unwrap();
    assert_eq!(b.height() - br - 1, beliefs.len());
    for (k, row) in beliefs.iter().enumerate() {
        let r = br + 1 + k;
        assert_eq!(b.get((r, sheet_col("param"))).unwrap().to_string(), row[bcol("param")]);
        for (csv_name, reach) in [("for_p50", "reachable_p50"), ("for_p80", "reachable_p80"), ("scenario_median", "")] {
            let cell = b.get((r, sheet_col(csv_name))).unwrap();
            match row[bcol(csv_name)].parse::<f64>() {
                Ok(want) => assert_eq!(cell.as_f64(), Some(want), "{csv_name} of {}", row[bcol("param")]),
                Err(_) => {
                    let words = if row[bcol(reach)] == "false" { "不可达" } else { "任何取值均达标" };
                    assert!(cell.to_string().starts_with(words), "{csv_name}: {cell}");
                }
            }
        }
    }

    // run info names the run as run.json does
    let info = book.worksheet_range("运行信息 run").unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(o.join("run.json")).unwrap()).unwrap();
    let value = |item: &str| {
        (0..info.height())
            .find(|&r| info.get((r, 1)).is_some_and(|c| matches!(c, Data::String(s) if s == item)))
            .map(|r| info.get((r, 2)).unwrap().clone())
    };
    assert_eq!(value("scenario_hash"), Some(Data::String(meta["scenario_hash"].as_str().unwrap().into())));
    assert_eq!(value("seed"), Some(Data::String(meta["seed"].to_string())));
    assert_eq!(value("trials"), Some(Data::Float(meta["trials"].as_f64().unwrap())));

    // a native chart per target, and the file is listed in the manifest
    let bytes = std::fs::read(o.join("parkcast.xlsx")).unwrap();
    let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    assert!(has("xl/charts/chart5.xml") && !has("xl/charts/chart6.xml"), "five fan charts");
    let manifest = std::fs::read_to_string(o.join(".parkcast-manifest.json")).unwrap();
    assert!(manifest.contains("\"parkcast.xlsx\""), "{manifest}");
}

/// compare, sweep and sweep --vary write parkcast.xlsx too: one sheet holding their CSV's every
/// value under its column names.
#[test]
fn what_if_workbooks_hold_every_number_of_their_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fixed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fixed.toml");
    let quick = ["--trials", "200", "--lang", "en"];
    let lever = "levers.parallel_approvals.value";
    for (args, out, sheet, csv) in [
        (vec!["compare", fixed, "baseline"], "c", "情景比较 compare", "compare.csv"),
        (vec!["sweep", "--param", lever, "--values", "0,3,6"], "s", "参数扫描 sweep", "sweep.csv"),
        (
            vec!["sweep", "--vary", "levers.parallel_approvals.value=0,6", "--vary", "levers.multi_storey.value=1,1.3"],
            "g",
            "多参数扫描 sweep_grid",
            "sweep_grid.csv",
        ),
    ] {
        let mut a = args.clone();
        a.extend(quick);
        a.extend(["--out", out]);
        let r = parkcast(d, &a);
        assert_eq!(r.code, Some(0), "{}: {}", a.join(" "), r.stderr);
        let o = d.join(out);
        let mut book: Xlsx<_> = open_workbook(o.join("parkcast.xlsx")).unwrap();
        assert_eq!(book.sheet_names(), [sheet]);
        let cells = same_as_csv(&mut book, sheet, &o.join(csv));
        assert!(cells >= 6 * 6, "{sheet}: {cells} cells compared");
        let manifest = std::fs::read_to_string(o.join(".parkcast-manifest.json")).unwrap();
        assert!(manifest.contains("\"parkcast.xlsx\""), "{manifest}");
    }
}
