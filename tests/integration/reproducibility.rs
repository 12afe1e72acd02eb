//! The reproducibility contract: the same scenario, seed and version give byte-identical output
//! files — data, charts and report — whatever the thread count, run after run, and however
//! `--precision` splits the run into chunks. Only the run's metadata differs: `threads`,
//! `wall_seconds` and `date` in run.json and report_data.json, and the date in report.html.

use crate::common::outputs::{assert_same_outputs, run_json_without_volatile_fields};
use crate::common::{files_under, hidden_entries};
use std::path::Path;
use std::process::Command;

fn run(dir: &Path, out: &str, args: &[&str]) -> (String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .arg("run")
        .args(args)
        // criticality is part of the contract too; a small paired sample keeps the test quick
        .args(["--criticality-trials", "2000", "--out", out])
        .current_dir(dir)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap());
    assert!(o.status.success(), "{stderr}");
    (stdout, stderr)
}

const DATA_FILES: [&str; 5] =
    ["summary.csv", "block_summary.csv", "timeseries.csv", "trials.parquet", "criticality.csv"];

#[test]
fn every_output_file_is_byte_identical_for_1_2_and_4_threads_and_run_after_run() {
    let dir = tempfile::tempdir().unwrap();
    // 25,000 trials: two full chunks and a partial one
    let mut tables = Vec::new();
    for (out, t) in [("out1", "1"), ("out2", "2"), ("out4", "4"), ("again2", "2")] {
        let (stdout, _) = run(dir.path(), out, &["--trials", "25000", "--threads", t]);
        tables.push(stdout);
    }
    assert!(tables.windows(2).all(|w| w[0] == w[1]), "the printed tables differ");
    let out = |name: &str| dir.path().join(name);
    for other in ["out2", "out4", "again2"] {
        assert_same_outputs(&out("out1"), &out(other));
    }
    // charts of both languages are among the files compared
    let files: Vec<String> = files_under(&out("out1")).into_iter().map(|(n, _)| n).collect();
    for f in DATA_FILES.iter().chain(&["charts/zh/fan_revenue.png", "charts/en/fan_revenue.svg", "report.html"]) {
        assert!(files.iter().any(|n| n == f), "{f} was not written");
    }
    let meta = run_json_without_volatile_fields(&out("out1/run.json"));
    assert_eq!(meta["trials"], 25000);
    assert_eq!(meta["seed"], 20241031);
    assert!(meta["scenario_hash"].as_str().unwrap().starts_with("sha256:"));
    // CSVs start with a UTF-8 BOM for Excel
    assert!(std::fs::read(out("out1/summary.csv")).unwrap().starts_with(&[0xEF, 0xBB, 0xBF]));
    // no temporary directories are left behind
    assert!(hidden_entries(dir.path()).is_empty(), "{:?}", hidden_entries(dir.path()));
}

#[test]
fn precision_stops_at_a_whole_chunk_within_the_tolerance_and_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), "a", &["--precision", "0.01", "--trials", "200000", "--threads", "2", "--lang", "en"]);
    run(dir.path(), "b", &["--precision", "0.01", "--trials", "200000", "--threads", "1", "--lang", "en"]);
    let meta = run_json_without_volatile_fields(&dir.path().join("a/run.json"));
    let trials = meta["trials"].as_u64().unwrap();
    assert_eq!(trials % 10_000, 0);
    assert!(trials < 200_000, "stopped early at {trials}");
    let summary = std::fs::read_to_string(dir.path().join("a/summary.csv")).unwrap();
    for line in summary.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (lo, hi): (f64, f64) = (cells[3].parse().unwrap(), cells[4].parse().unwrap());
        assert!((hi - lo) / 2.0 <= 0.01 + 1e-12, "{line}");
    }
    assert_same_outputs(&dir.path().join("a"), &dir.path().join("b"));
    // a run of exactly as many trials without --precision computes the same: the chunks a
    // precision run checks after are the chunks of any run
    run(dir.path(), "c", &["--trials", &trials.to_string(), "--threads", "2", "--lang", "en"]);
    for f in DATA_FILES {
        assert!(
            std::fs::read(dir.path().join("a").join(f)).unwrap()
                == std::fs::read(dir.path().join("c").join(f)).unwrap(),
            "{f} differs between --precision (stopped at {trials}) and --trials {trials}"
        );
    }
}

#[test]
fn a_second_run_replaces_the_first_and_an_output_path_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), "out", &["--trials", "2000", "--lang", "en"]);
    run(dir.path(), "out", &["--trials", "3000", "--lang", "en"]);
    let meta = run_json_without_volatile_fields(&dir.path().join("out/run.json"));
    assert_eq!(meta["trials"], 3000);
    assert!(hidden_entries(dir.path()).is_empty(), "{:?}", hidden_entries(dir.path()));
    std::fs::write(dir.path().join("afile"), "x").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .args(["run", "--trials", "1000", "--out", "afile"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: --out afile: it exists and is not a directory (choose another directory)\n"
    );
}
