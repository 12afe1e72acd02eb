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
    // its 1,000-trial evaluations ran side by side on two threads; one after another on one
    // thread they give the same tornado, to the bit (medians are f64, compared exactly)
    let one = tornado(&scenario, &plan, &RunOptions { threads: 1, ..opts }, &AtomicBool::new(false), &|_, _| {});
    assert_eq!(one.unwrap(), t);
}

/// 4.5 standard errors of a mean of `n` draws with variance `var` (a false alarm ≈ 7e-6).
fn tolerance(var: f64, n: f64) -> f64 {
    4.5 * (var / n).sqrt()
}

#[test]
fn criticality_matches_closed_forms_on_nanhu_coin_flips() {
    use parkcast::sensitivity::criticality::criticality;
    let seeds = Seeds::embedded();
    let scenario = parkcast::scenario::load(&fixture("nanhu_coin.toml"), &[], &seeds).unwrap();
    let plan = Plan::new(&scenario);
    let n = 4000u64;
    let opts = RunOptions { trials: n, seed: 11, threads: 2, precision: None };
    let cancel = AtomicBool::new(false);
    let base = parkcast::engine::run(&plan, &opts, &cancel, &|_, _| {}).unwrap();
    let starts: Vec<_> = scenario.blocks.iter().map(|b| b.start).collect();
    let c = criticality(&plan, &base, &starts, &opts, &cancel, &|_, _| {}).unwrap();
    let parks = 0;
    let block = |id: u32| c.blocks.iter().find(|b| b.id == id).unwrap();
    let nf = n as f64;
    // baseline: P(Bin(3, 1/2) ≥ 2) = 1/2
    let p0 = c.baseline[parks].unwrap();
    assert!((p0 - 0.5).abs() < tolerance(0.25, nf), "{p0}");
    // block 1 on schedule: the parks target needs one of blocks 3 and 10: +1/4 (d = 1 in a quarter of trials)
    let on1 = block(1).on_schedule.unwrap()[parks].unwrap();
    assert!((on1.mean - 0.25).abs() < tolerance(0.1875, nf), "{on1:?}");
    assert!(on1.low < on1.mean && on1.mean < on1.high);
    // block 1 dropped: needs both 3 and 10: 1/4 − 1/2 = −1/4
    let drop1 = block(1).dropped.unwrap()[parks].unwrap();
    assert!((drop1.mean + 0.25).abs() < tolerance(0.1875, nf), "{drop1:?}");
    // block 2 is already started: no on-schedule variant; dropping it needs all three: 1/8 − 1/2
    assert!(block(2).on_schedule.is_none());
    let drop2 = block(2).dropped.unwrap()[parks].unwrap();
    assert!((drop2.mean + 0.375).abs() < tolerance(0.375 * 0.625, nf), "{drop2:?}");
    // undetermined block 11 on schedule starts at once and delivers: needs one of three: 7/8 − 1/2
    let on11 = block(11).on_schedule.unwrap()[parks].unwrap();
    assert!((on11.mean - 0.375).abs() < tolerance(0.375 * 0.625, nf), "{on11:?}");
    // dropping an undetermined block that never starts changes nothing, exactly
    assert_eq!(
        block(11).dropped.unwrap()[parks].unwrap(),
        parkcast::sensitivity::criticality::PairedChange { mean: 0.0, low: 0.0, high: 0.0 }
    );
    // among trials that miss, block 1 is late (started, not operating) with probability
    // P(late and ≤ 1 of the other two on time) / P(miss) = (1/2 · 3/4) / (1/2) = 3/4
    let misses = nf * 0.5;
    for id in [1, 3, 10] {
        let share = block(id).under_construction_in_misses[parks].unwrap();
        assert!((share - 0.75).abs() < tolerance(0.75 * 0.25, misses), "block {id}: {share}");
    }
    assert_eq!(block(11).under_construction_in_misses[parks], Some(0.0));
    // blocks outside Nanhu do not count
    assert!(block(4).dropped.is_none() && block(4).on_schedule.is_none());
}

#[test]
fn sobol_of_the_model_attributes_revenue_to_the_dominant_parameter() {
    use parkcast::sensitivity::sobol_model::{sobol, Grouping, SobolOutput};
    let seeds = Seeds::embedded();
    let scenario = parkcast::scenario::load(&fixture("one_dominant.toml"), &[], &seeds).unwrap();
    let plan = Plan::new(&scenario);
    let out = SobolOutput::Metric(REVENUE);
    let r =
        sobol(&scenario, &plan, 3, 1024, Grouping::Param, &[out], 200, 2, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let s = &r.outputs[0].1;
    let group = |name: &str| r.groups.iter().position(|g| g.starts_with(name)).unwrap();
    // revenue = R0 (1 + g)³ + blocks: Var(R0)(E(1+g)³)² is about 99 % of the variance
    let base = group("base.revenue_2024_cny");
    assert!(s.first[base].estimate > 0.95 && s.total[base].estimate > 0.95, "{:?}", s.first[base]);
    for (k, name) in r.groups.iter().enumerate() {
        if k != base {
            assert!(s.total[k].estimate < 0.05, "{name}: {:?}", s.total[k]);
        }
    }
    // inputs that cannot act (factors with zero weight, no intrinsic noise in this scenario)
    // change no trial, so their total index is exactly zero
    for name in ["shocks.macro", "shocks.districts", "intrinsic"] {
        assert_eq!(s.total[group(name)].estimate, 0.0, "{name}");
    }
    assert_eq!(r.rows, 1024 * (r.groups.len() + 2));
}

#[test]
fn sobol_of_the_baseline_matches_the_closed_form_share_of_the_tech_sme_stock() {
    // Tech SMEs at the deadline are the base's stock T0 + a · 38/12 (rounded) plus a little from
    // the blocks; T0 ~ U(400, 900) enters alone and linearly, so its first-order index is
    // Var(T0) / V = (500² / 12) / V exactly, V being the output's variance.
    use parkcast::sensitivity::sobol_model::{sobol, Grouping, SobolOutput};
    let seeds = Seeds::embedded();
    let scenario = parkcast::scenario::load(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds).unwrap();
    let plan = Plan::new(&scenario);
    let r = sobol(
        &scenario,
        &plan,
        9,
        2048,
        Grouping::Param,
        &[SobolOutput::Metric(2)],
        200,
        2,
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    let s = &r.outputs[0].1;
    let g = r.groups.iter().position(|g| g == "base.tech_smes_2024").unwrap();
    let expected = 500.0f64.powi(2) / 12.0 / s.variance;
    let f = s.first[g];
    assert!(f.std_error < 0.05, "{f:?}");
    assert!((f.estimate - expected).abs() < 4.5 * f.std_error, "S1 {f:?}, closed form {expected}");
    assert!(expected > 0.7, "the stock dominates: {expected}");
}
