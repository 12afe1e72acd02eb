//! Sensitivity analysis on scenarios whose answer is known.

use parkcast::engine::RunOptions;
use parkcast::model::Plan;
use parkcast::scenario::ScenarioSource;
use parkcast::seeds::Seeds;
use parkcast::sensitivity::tornado::tornado;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn fixture(name: &str) -> ScenarioSource {
    ScenarioSource::File(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
}

const REVENUE: usize = 3;

#[test]
fn tornado_ranks_the_one_dominant_parameter_first() {
    let seeds = Seeds::embedded();
    let scenario = parkcast::scenario::load(&fixture("one_dominant.toml"), &[], &seeds).unwrap();
    let plan = Plan::new(&scenario);
    let opts = RunOptions { trials: 1000, seed: 5, threads: 2, precision: None };
    let t = tornado(&scenario, &plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let ranked = t.ranked(Some(REVENUE));
    assert_eq!(ranked[0].factor.key(), "base.revenue_2024_cny");
    // p10 and p90 of U(40, 80) bn are 44 and 76 bn; 2027 revenue is 1.331 × base + blocks, so
    // the low setting misses ¥100 bn in every trial and the high one meets it in every trial
    assert_eq!(ranked[0].low.p(Some(REVENUE)), 0.0);
    assert_eq!(ranked[0].high.p(Some(REVENUE)), 1.0);
    assert!(ranked[0].swing(Some(REVENUE)) > 2.0 * ranked[1].swing(Some(REVENUE)));
    // the median swing ranks it first too: 1.331 × 32 bn ≈ 42.6 bn; growth at p10 / p90 (9.2 % /
    // 10.8 %) moves the median by (1.108³ − 1.092³) × 60 bn ≈ 3.5 bn, everything else by less
    let m0 = ranked[0].median_swing(REVENUE);
    assert!((m0 - 1.331 * 32e9).abs() < 1e9, "{m0}");
    assert!(t.rows.iter().filter(|r| r.factor.key() != "base.revenue_2024_cny").all(|r| r.median_swing(REVENUE) < 4e9));
    // factors with no effect (shocks with zero weight) swing exactly zero on common random numbers
    let macro_row = t.rows.iter().find(|r| r.factor.key() == "shocks.factor.macro").unwrap();
    assert_eq!(macro_row.low, macro_row.high);
}
