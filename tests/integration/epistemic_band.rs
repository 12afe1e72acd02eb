//! The epistemic band beside each headline probability of a plain run's report (issue 14
//! part 4): a small two-level pass that only a run writing its report makes.

use crate::common::parkcast;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

#[test]
fn the_report_shows_the_band_and_keeps_it_in_report_data() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &["run", &fixture("one_dominant.toml"), "--trials", "1000", "--out", "o"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join("o/report.html")).unwrap();
    assert!(html.contains("<th>未知因素范围（10%～90%）</th>"), "no band column");
    assert!(html.contains("<th>what we do not know (10–90%)</th>"));
    // the base decides revenue: P(revenue) is 0 in some worlds and 1 in others
    assert!(html.contains("<td>0%–100%</td>"), "the revenue band should span 0–100%");
    assert!(html.contains("<td>0%～100%</td>"), "the Chinese page writes a range with GB/T 15834's wave dash");
    assert!(html.contains("在尚不掌握的基数与参数的各种可能取值下，八成情况"), "no band in the headline");
    assert!(html.contains("（视尚不掌握的情况，介于0%至100%之间）"), "no band in the revenue conclusion");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/report_data.json")).unwrap()).unwrap();
    let e = &data["epistemic"];
    // a run of 1000 trials: a fifth, 200, as 40 worlds of 4 trials (even: two halves)
    assert_eq!((e["outer"].as_u64(), e["inner"].as_u64()), (Some(40), Some(4)), "{e}");
    let revenue = e["bands"].as_array().unwrap().iter().find(|b| b["target"] == "revenue").unwrap();
    assert_eq!((revenue["p10"].as_f64(), revenue["p90"].as_f64()), (Some(0.0), Some(1.0)));
    // redrawn from report_data.json, the band stays
    let r = parkcast(dir.path(), &["report", "o"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(std::fs::read_to_string(dir.path().join("o/report.html")).unwrap().contains("<td>0%–100%</td>"));
}

#[test]
fn a_scenario_with_nothing_epistemic_uncertain_has_no_band() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &["run", &fixture("fixed.toml"), "--trials", "200", "--out", "o", "--lang", "en"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join("o/report.html")).unwrap();
    assert!(!html.contains("what we do not know (10–90%)"));
    let data = std::fs::read_to_string(dir.path().join("o/report_data.json")).unwrap();
    assert!(data.contains("\"epistemic\":null"), "report data should say there is no band");
}
