//! Lever packages: `[packages.<id>]` read and refused, and `parkcast packages` on common random
//! numbers (paired differences, regret, outputs).

use crate::common::{parkcast, transcript};
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use parkcast::whatif::{packages, Common};
use std::sync::atomic::AtomicBool;

const PACKAGE: &str = "[packages.same]\nlabel_zh = \"维持现状\"\nlabel_en = \"Same as now\"\ncost_note = \"none\"\nlevers = { parallel_approvals = 0, replacement = false }\n\n[packages.faster]\nlabel_zh = \"审批提速\"\nlabel_en = \"Faster approvals\"\ncost_note = \"assumption: staff time\"\nlevers = { parallel_approvals = 6, joint_acceptance = 3 }\n";

/// A scenario extending the baseline, with `text` after it (the baseline's packages stay, and
/// `text` may add more).
fn scenario_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), format!("extends = \"baseline.toml\"\n{text}")).unwrap();
    dir
}

/// The baseline without its packages, with `text` as its only packages.
fn only_packages(text: &str) -> tempfile::TempDir {
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline.toml")).unwrap();
    let cut = base.find("[packages.").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), format!("{}\n{text}", &base[..cut])).unwrap();
    dir
}

#[test]
fn the_baseline_has_four_packages_with_cost_notes_and_departments() {
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let ids: Vec<&str> = s.packages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["investment_push", "faster_clearance", "funding_boost", "combined"]);
    for p in &s.packages {
        assert!(!p.cost_note.is_empty() && p.cost_note_zh.is_some() && !p.departments.is_empty(), "{p:?}");
    }
    // packages change nothing in a run: the scenario hash is that of the levers alone
    let without = load(&ScenarioSource::Embedded("baseline.toml"), &["packages={}".into()], &Seeds::embedded());
    assert_eq!(without.unwrap().hash, s.hash);
}

#[test]
fn a_package_identical_to_the_status_quo_differs_by_exactly_zero_and_a_faster_one_by_more() {
    let dir = only_packages(PACKAGE);
    let src = ScenarioSource::File(dir.path().join("s.toml"));
    let common = Common { trials: 3000, seed: 7, threads: 2 };
    let r = packages(&src, &[], &Seeds::embedded(), common, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let same = r.rows.iter().find(|o| o.id == "same").unwrap();
    for t in &same.targets {
        assert_eq!(t.diff, (0.0, 0.0, 0.0), "{t:?}");
        assert_eq!(t.p_met, r.rows[0].targets.iter().find(|s| s.target == t.target).unwrap().p_met);
    }
    // the same hits in every trial: the same regret as the status quo
    assert_eq!(same.regret, r.rows[0].regret);
    let faster = r.rows.iter().find(|o| o.id == "faster").unwrap();
    assert!(faster.all().diff.0 > 0.0 && faster.all().diff.1 > 0.0, "{:?}", faster.all());
    // faster approvals win most trials (not all: a renovation site cleared earlier can still be
    // empty at the deadline), so the least regret
    assert!(faster.regret.mean < same.regret.mean, "{:?} {:?}", faster.regret, same.regret);
    assert_eq!(faster.rank, 1);
    assert_eq!(r.rows.len(), 3);
}

#[test]
fn packages_writes_its_table_workbook_chart_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &["packages", "--trials", "400", "--threads", "2", "--out", "pk", "--lang", "zh"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("ranked by mean regret"), "{}", r.stdout);
    let out = dir.path().join("pk");
    for f in ["packages.csv", "parkcast.xlsx", "report.html", "charts/zh/packages.png", "charts/zh/packages.svg"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("packages.csv")).unwrap();
    // five options × (five targets + all)
    assert_eq!(csv.lines().count(), 1 + 5 * 6, "{csv}");
    assert!(csv.contains(",all,"), "{csv}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("政策包比较") && html.contains("组合推进") && !html.contains("investment_promotion="));
}

#[test]
fn bad_packages_are_refused_with_key_paths() {
    let dir = scenario_dir(
        "[packages.a]\nlabel_zh = \"甲\"\nlabel_en = \"A\"\ncost_note = \"x\"\nlevers = { multi_storey = 2.5, invesment_promotion = 1.2 }\n[packages.b]\nlabel_zh = \"乙\"\nlabel_en = \"B\"\ncost_note = \"y\"\nlevers = {}\n[packages.c]\nlabel_en = \"C\"\nlevers = { replacement = 1 }\n",
    );
    insta::assert_snapshot!(transcript(dir.path(), &[(&["validate", "s.toml"], 2), (&["packages", "s.toml"], 2)]));
    let none = scenario_dir("");
    let r = parkcast(none.path(), &["packages", "s.toml", "--set", "packages={}"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("has no lever packages"), "{}", r.stderr);
}
