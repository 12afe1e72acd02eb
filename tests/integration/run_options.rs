//! Target sets, horizons and levers change what a run counts, as documented.

use parkcast::engine::{run, Aggregate, RunOptions};
use parkcast::model::Plan;
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use std::sync::atomic::AtomicBool;

fn simulate(overrides: &[&str]) -> (Plan, Aggregate) {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &overrides, &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    let opts = RunOptions { trials: 3000, seed: 7, threads: 2, precision: None };
    let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    (plan, agg)
}

#[test]
fn targets_are_judged_at_the_deadline_whatever_the_horizon() {
    let (short, a) = simulate(&[]);
    let (long, b) = simulate(&["settings.horizon=\"2030-12\""]);
    assert_eq!(short.months, 38);
    assert_eq!(long.months, 74);
    assert!(a.columns.metric == b.columns.metric, "deadline metrics changed with the horizon");
    assert_eq!(a.met, b.met);
    assert_eq!(b.bands[0].len(), 74);
}

#[test]
fn nanhu_counts_only_its_nine_blocks_and_its_share_of_the_base() {
    let (plan, agg) = simulate(&["settings.target_set=\"nanhu_2027\""]);
    assert_eq!(plan.blocks.iter().filter(|b| b.counted).count(), 9);
    assert!(agg.columns.metric[0].iter().all(|&p| p <= 9.0));
    let (_, city) = simulate(&[]);
    let mean = |a: &Aggregate, m: usize| a.columns.metric[m].iter().sum::<f64>() / a.trials as f64;
    // Nanhu's revenue is a fraction (its base share 25–45 % plus its blocks) of the city's
    assert!(mean(&agg, 3) < 0.5 * mean(&city, 3), "{} vs {}", mean(&agg, 3), mean(&city, 3));
}

#[test]
fn a_lever_that_only_shortens_delays_never_lowers_parks_in_any_trial() {
    let (_, off) = simulate(&[]);
    let (_, on) = simulate(&["levers.parallel_approvals.value=6", "levers.joint_acceptance.value=3"]);
    for (a, b) in off.columns.metric[0].iter().zip(&on.columns.metric[0]) {
        assert!(b >= a, "parks fell from {a} to {b}");
    }
    assert!(on.met[0].hits >= off.met[0].hits);
    let mean = |a: &Aggregate| a.columns.metric[0].iter().sum::<f64>() / a.trials as f64;
    assert!(mean(&on) > mean(&off));
}

#[test]
fn replacement_swaps_in_reserve_blocks_only_for_blocks_not_started_by_the_checkpoint() {
    let (plan, agg) = simulate(&["levers.replacement.enabled=true", "levers.replacement.checkpoint=\"2025-12\""]);
    let started = plan.blocks.iter().position(|b| b.id == 2).unwrap(); // 已开工: never replaced
    assert!(agg.columns.replaced.iter().all(|r| r & (1 << started) == 0));
    let undetermined = plan.blocks.iter().position(|b| b.id == 11).unwrap();
    let share =
        agg.columns.replaced.iter().filter(|r| *r & (1 << undetermined) != 0).count() as f64 / agg.trials as f64;
    assert!(share > 0.9, "block 11 (未定) replaced in {share} of trials");
}
