//! Per-block what-ifs beside `start.at` (issue 17 part 3): `delivered.at` pins a block's
//! delivery, `dropped = true` takes it off the list; bad settings give clear errors; a block's
//! own start parameter with a group delay stacked on it is warned about; the built-in
//! scenario `undetermined_2025` starts the five undetermined blocks in 2025.

use crate::common::{parkcast, transcript};
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;

fn baseline_with(overrides: &[&str]) -> parkcast::scenario::Scenario {
    let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load(&ScenarioSource::Embedded("baseline.toml"), &o, &Seeds::embedded()).unwrap()
}

/// The block_summary.csv row of block `id` of a run in `dir`, as (column, value).
fn block_row(dir: &std::path::Path, id: &str) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(dir.join("block_summary.csv")).unwrap();
    let headers: Vec<String> =
        r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    let row = r.records().map(|x| x.unwrap()).find(|x| &x[0] == id).unwrap();
    headers.into_iter().zip(row.iter().map(str::to_string)).collect()
}

fn field(row: &[(String, String)], key: &str) -> String {
    row.iter().find(|(k, _)| k == key).unwrap().1.clone()
}

#[test]
fn delivered_at_and_dropped_override_the_draws() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = parkcast(
        d,
        &[
            "run",
            "--trials",
            "400",
            "--set",
            "blocks.13.delivered.at=2026-09",
            "--set",
            "blocks.12.dropped=true",
            "--out",
            "w",
            "--lang",
            "en",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let b13 = block_row(&d.join("w"), "13");
    // delivered in 2026-09 in every trial, whatever its start, build and fit-out draws
    assert_eq!(field(&b13, "delivery_p10"), "2026-09");
    assert_eq!(field(&b13, "delivery_p90"), "2026-09");
    assert_eq!(field(&b13, "p_delivered_by_deadline"), "1.0");
    assert_eq!(field(&block_row(&d.join("w"), "12"), "counted"), "false");

    let s = baseline_with(&["blocks.12.dropped=true", "blocks.13.delivered.at=2026-09"]);
    assert!(!s.counted_blocks.contains(&12));
    assert_eq!(s.dropped_blocks, vec![12]);
    assert_eq!(s.block_deliveries.len(), 1);
    assert_ne!(s.hash, baseline_with(&[]).hash);
    assert_eq!(baseline_with(&["blocks.12.dropped=false"]).hash, baseline_with(&[]).hash);
    let v = parkcast(d, &["validate", "--set", "blocks.12.dropped=true", "--set", "blocks.13.delivered.at=2026-09"]);
    assert!(v.stdout.contains("#   blocks.13.delivered.at = \"2026-09\""), "{}", v.stdout);
    assert!(v.stdout.contains("#   blocks.12.dropped = true"), "{}", v.stdout);
}

#[test]
fn bad_per_block_settings_are_named() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["validate", "--set", "blocks.13.start.at=2026-06", "--set", "blocks.13.delivered.at=2026-01"], 2),
            (&["validate", "--set", "blocks.13.dropped=true", "--set", "blocks.13.start.at=2026-06"], 2),
            (&["validate", "--set", "blocks.13.delivered.at=2026-13"], 2),
            (&["validate", "--set", "blocks.13.delivered.at=2030-01"], 2),
            (&["validate", "--set", "blocks.13.dropped=yes"], 2),
            (&["validate", "--set", "blocks.13.delivered.on=2026-06"], 2),
        ]
    ));
}

#[test]
fn group_delays_stacked_on_a_blocks_own_start_setting_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // block 13 is on R2 land (rezoning wait) and block 11 has no developer (developer search)
    let set = [
        "--set",
        "blocks.13.start.decision_lag_months={ fixed = 1, assumption = \"decided\" }",
        "--set",
        "blocks.11.start.hazard_per_month={ fixed = 0.5, assumption = \"soon\" }",
    ];
    let mut args = vec!["validate"];
    args.extend(set);
    let r = parkcast(d, &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let warnings: Vec<&str> = r.stderr.lines().filter(|l| l.contains("on top of it")).collect();
    insta::assert_snapshot!(warnings.join("\n"));
    // a direct setting has no start draw to stack on: no warning
    let r =
        parkcast(d, &["validate", "--set", "blocks.13.start.at=2026-06", "--set", "blocks.11.delivered.at=2027-06"]);
    assert!(!r.stderr.contains("on top of it"), "{}", r.stderr);
    // and the baseline writes no block-level start parameter
    let r = parkcast(d, &["validate"]);
    assert!(!r.stderr.contains("on top of it"), "{}", r.stderr);
}

#[test]
fn the_undetermined_blocks_start_in_2025_in_the_builtin_scenario() {
    let s = load(&ScenarioSource::Embedded("undetermined_2025.toml"), &[], &Seeds::embedded()).unwrap();
    let undetermined: Vec<u32> =
        s.blocks.iter().filter(|b| b.start == parkcast::seeds::StartStatus::Undetermined).map(|b| b.id).collect();
    assert_eq!(undetermined, vec![11, 12, 13, 14, 15]);
    let pinned: Vec<u32> = s.block_starts.iter().map(|(id, _)| *id).collect();
    assert_eq!(pinned, undetermined);
    assert!(s.block_starts.iter().all(|(_, m)| m.to_string().starts_with("2025-")));
    assert_eq!(s.label_en, "Undetermined blocks start in 2025");
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &["run", "undetermined_2025", "--trials", "400", "--out", "u", "--lang", "en"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for id in ["11", "12", "13", "14", "15"] {
        assert_eq!(field(&block_row(&dir.path().join("u"), id), "p_started_by_2025_12"), "1.0", "block {id}");
    }
}
