//! Same scenario + seed ⇒ byte-identical data files, whatever the thread count; `--precision`
//! stops at a whole chunk and meets its tolerance.

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

fn run_json_without_volatile_fields(path: &Path) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let obj = v.as_object_mut().unwrap();
    for key in ["threads", "wall_seconds", "date"] {
        assert!(obj.remove(key).is_some(), "run.json has {key}");
    }
    v
}

#[test]
fn data_files_are_byte_identical_for_1_2_and_4_threads() {
    let dir = tempfile::tempdir().unwrap();
    // 25,000 trials: two full chunks and a partial one
    let mut tables = Vec::new();
    for t in ["1", "2", "4"] {
        let (stdout, _) = run(dir.path(), &format!("out{t}"), &["--trials", "25000", "--threads", t]);
        tables.push(stdout);
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[0], tables[2]);
    for f in DATA_FILES {
        let a = std::fs::read(dir.path().join("out1").join(f)).unwrap();
        for t in ["2", "4"] {
            let b = std::fs::read(dir.path().join(format!("out{t}")).join(f)).unwrap();
            assert!(a == b, "{f} differs between 1 and {t} threads");
        }
    }
    let meta = run_json_without_volatile_fields(&dir.path().join("out1/run.json"));
    for t in ["2", "4"] {
        assert_eq!(meta, run_json_without_volatile_fields(&dir.path().join(format!("out{t}/run.json"))));
    }
    assert_eq!(meta["trials"], 25000);
    assert_eq!(meta["seed"], 20241031);
    assert!(meta["scenario_hash"].as_str().unwrap().starts_with("sha256:"));
    // CSVs start with a UTF-8 BOM for Excel
    assert!(std::fs::read(dir.path().join("out1/summary.csv")).unwrap().starts_with(&[0xEF, 0xBB, 0xBF]));
    // no temporary directories are left behind
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn precision_stops_at_a_whole_chunk_within_the_tolerance_and_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), "a", &["--precision", "0.01", "--trials", "200000", "--threads", "2"]);
    run(dir.path(), "b", &["--precision", "0.01", "--trials", "200000", "--threads", "1"]);
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
    for f in DATA_FILES {
        assert_eq!(
            std::fs::read(dir.path().join("a").join(f)).unwrap(),
            std::fs::read(dir.path().join("b").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn a_second_run_replaces_the_first_and_an_output_path_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), "out", &["--trials", "2000"]);
    run(dir.path(), "out", &["--trials", "3000"]);
    let meta = run_json_without_volatile_fields(&dir.path().join("out/run.json"));
    assert_eq!(meta["trials"], 3000);
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
