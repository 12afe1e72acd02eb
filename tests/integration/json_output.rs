//! `parkcast run --json`: one JSON document on standard output, nothing else there, the same
//! numbers as the tables and as report_data.json.

use crate::common::{command, finish};

fn run_json(dir: &std::path::Path, extra: &[&str]) -> (serde_json::Value, String) {
    let mut args = vec!["run", "--json", "--trials", "1500", "--seed", "9", "--criticality-trials", "0"];
    args.extend_from_slice(extra);
    let r = finish(command(dir, &args));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    (doc, r.stderr)
}

#[test]
fn run_json_prints_one_document_with_the_run_and_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, stderr) = run_json(dir.path(), &["--no-write"]);
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["parkcast"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["scenario"], "baseline");
    assert_eq!(doc["seed"], 9);
    assert_eq!(doc["trials"], 1500);
    assert_eq!(doc["target_set"], "city_2027_final");
    assert!(doc["scenario_hash"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(doc["headline_readings"]["jobs"], "gross");
    let targets = doc["summary"]["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 5);
    for t in targets {
        let p = t["p_met"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p), "{t}");
    }
    assert!(stderr.contains("parkcast"), "the run line stays on standard error: {stderr}");
    assert!(!dir.path().join("outputs").exists(), "--no-write writes nothing");
}

#[test]
fn run_json_equals_the_written_report_data() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, _) = run_json(dir.path(), &["--out", "o"]);
    let text = std::fs::read_to_string(dir.path().join("o/report_data.json")).unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["summary"], data["summary"], "one summary, whichever way it is read");
}
