//! `monitor --two-level` (issue 14 part 5): what the observations settled of what we do not
//! know. On `one_dominant.toml` the 2024 base revenue (uniform ¥40–80 bn, epistemic) decides the
//! revenue target in nearly every world; observing the base's 2025 revenue replaces it (and the
//! growth), so the band of P(revenue) across worlds must collapse. With nothing observed the
//! pass after is the pass before: nothing is settled, exactly.

use crate::common::parkcast;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

/// `monitor_two_level.csv` as rows of (column → value).
fn settled_csv(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("monitor_two_level.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let heads: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|x| heads.iter().cloned().zip(x.unwrap().iter().map(String::from)).collect()).collect()
}

fn monitor(dir: &Path, observed: &str, out: &str) -> Vec<std::collections::HashMap<String, String>> {
    let r = parkcast(
        dir,
        &[
            "monitor",
            &fixture("one_dominant.toml"),
            "--observed",
            &fixture(observed),
            "--trials",
            "400",
            "--two-level",
            "--outer",
            "80",
            "--inner",
            "20",
            "--lang",
            "en",
            "--out",
            out,
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("What the observations settled of what we do not know"), "{}", r.stdout);
    let html = std::fs::read_to_string(dir.join(out).join("report.html")).unwrap();
    assert!(html.contains("What the observations settled of what we did not know"));
    settled_csv(&dir.join(out))
}

fn revenue(rows: &[std::collections::HashMap<String, String>]) -> &std::collections::HashMap<String, String> {
    rows.iter().find(|r| r["target"] == "revenue").unwrap()
}

#[test]
fn observing_the_dominant_unknown_settles_most_of_the_band() {
    let dir = tempfile::tempdir().unwrap();
    let rows = monitor(dir.path(), "observed/base_revenue.toml", "m");
    let r = revenue(&rows);
    let f = |k: &str| r[k].parse::<f64>().unwrap();
    // before: the base decides, so P(revenue) is near 0 in some worlds and near 1 in others
    assert!(f("p90_before") - f("p10_before") > 0.8, "{r:?}");
    assert!(f("p90_after") - f("p10_after") < 0.2, "{r:?}");
    assert!(f("variance_removed") > 0.9, "{r:?}");
}

#[test]
fn observing_nothing_settles_nothing_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let rows = monitor(dir.path(), "observed/nothing.toml", "m");
    for r in &rows {
        for k in ["p10", "median", "p90", "variance"] {
            assert_eq!(r[&format!("{k}_before")], r[&format!("{k}_after")], "{r:?}");
        }
        let removed = &r["variance_removed"];
        assert!(removed.is_empty() || removed.parse::<f64>().unwrap() == 0.0, "{r:?}");
    }
    assert_eq!(revenue(&rows)["variance_removed"].parse::<f64>().unwrap(), 0.0);
}

#[test]
fn outer_and_inner_without_two_level_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(
        dir.path(),
        &["monitor", &fixture("fixed.toml"), "--observed", &fixture("observed/nothing.toml"), "--outer", "50"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--outer sizes a two-level run: add --two-level"), "{}", r.stderr);
}
