//! The targets' readings (口径, docs/targets.md): every reading computed on the same trials,
//! hand-computed counts under each, and relocation and renovation counted once.

use parkcast::engine::{run, RunOptions};
use parkcast::model::{run_trial, Plan, TrialBuffers};
use parkcast::scenario::{load, Scenario, ScenarioSource};
use parkcast::seeds::{Reading, Seeds, TargetId};
use parkcast::summary::Summary;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn load_with(source: ScenarioSource, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load(&source, &overrides, &Seeds::embedded()).unwrap()
}

fn fixed(overrides: &[&str]) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixed.toml");
    load_with(ScenarioSource::File(path), overrides)
}

fn baseline(overrides: &[&str]) -> Scenario {
    load_with(ScenarioSource::Embedded("baseline.toml"), overrides)
}

/// Calls `check` with every trial's outcome of `trials` trials.
fn each_trial(s: &Scenario, trials: u64, mut check: impl FnMut(&Plan, &TrialBuffers, u64)) {
    let plan = Plan::new(s);
    let mut buf = TrialBuffers::new(&plan);
    for t in 0..trials {
        run_trial(&plan, 11, t, &mut buf);
        check(&plan, &buf, t);
    }
}

fn reading(buf: &TrialBuffers, r: Reading) -> f64 {
    buf.outcome.readings[r as usize]
}

#[test]
fn the_default_target_set_is_the_final_text_with_its_readings_stated() {
    let s = baseline(&[]);
    assert_eq!(s.target_set.id, "city_2027_final");
    let plan = Plan::new(&s);
    assert_eq!(
        plan.headline(),
        [
            Reading::ParksCompletionListed,
            Reading::Specialized,
            Reading::TechSmes,
            Reading::RevenueAll,
            Reading::JobsGross
        ]
    );
    let parks = s.target_set.target(TargetId::Parks).unwrap();
    assert_eq!((parks.threshold, parks.tolerance_threshold()), (20.0, Some(18.0)));
    let revenue = s.target_set.target(TargetId::Revenue).unwrap();
    assert_eq!(revenue.tolerance_threshold(), Some(90e9));
}

#[test]
fn gross_jobs_are_never_below_net_and_counting_rules_nest_in_every_trial() {
    for name in ["baseline.toml", "replacement.toml", "policy_package.toml"] {
        let s = load_with(ScenarioSource::Embedded(name), &[]);
        each_trial(&s, 2000, |_, b, t| {
            let r = |x| reading(b, x);
            assert!(r(Reading::JobsGross) >= r(Reading::JobsNet), "{name}: trial {t}");
            // a park operates only after completion; the list holds the annex and more
            assert!(r(Reading::ParksOperationAnnex) <= r(Reading::ParksCompletionAnnex), "{name}: trial {t}");
            assert!(r(Reading::ParksOperationListed) <= r(Reading::ParksCompletionListed), "{name}: trial {t}");
            assert!(r(Reading::ParksCompletionAnnex) <= r(Reading::ParksCompletionListed), "{name}: trial {t}");
            assert!(r(Reading::ParksCompletionAnnex) <= 20.0, "{name}: trial {t}");
        });
    }
}

/// The fixed scenario with a 30-month build and 6 months of fit-out: the 5 started blocks
/// complete at month 15 (half of 30 left at the policy date), the 4 planned for 2024-12 at 31
/// and operate at 37, the 6 planned for 2025-06 (month 7) complete at 37 and operate at 43,
/// after the end of 2027-12 (38). The 5 undetermined never start. Three parks outside the annex
/// are on the list.
#[test]
fn each_parks_reading_reproduces_hand_counted_parks() {
    let s = fixed(&[
        "params.build.duration_months.fixed=30",
        "params.build.fitout_months.fixed=6",
        "base.other_parks_listed.fixed=3",
    ]);
    each_trial(&s, 50, |_, b, _| {
        assert_eq!(reading(b, Reading::ParksCompletionAnnex), 15.0);
        assert_eq!(reading(b, Reading::ParksOperationAnnex), 9.0);
        assert_eq!(reading(b, Reading::ParksCompletionListed), 18.0);
        assert_eq!(reading(b, Reading::ParksOperationListed), 12.0);
        // the draft set's headline: at completion, the dynamic list
        assert_eq!(b.outcome.at_deadline[0], 18.0);
    });
    // 18 parks: below 20, within the ±10 % tolerance (≥ 18)
    let plan = Plan::new(&s);
    let opts = RunOptions { trials: 200, seed: 3, threads: 2, precision: None };
    let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let summary = Summary::new(&plan, &agg);
    let row = |r: Reading| summary.readings.iter().find(|x| x.reading == r).unwrap();
    let listed = row(Reading::ParksCompletionListed);
    assert!(listed.headline);
    assert_eq!((listed.p_met, listed.tolerance_threshold, listed.p_met_tolerance), (0.0, Some(18.0), Some(1.0)));
    assert_eq!(row(Reading::ParksOperationListed).p_met_tolerance, Some(0.0));
}

/// 有进有出 swap-ins: with replacement on (checkpoint 2025-12, no lag) the 5 undetermined
/// blocks are replaced by reserves starting at month 14, completing at 26 (12-month build) and
/// operating at 32: all 20 slots count under every reading.
#[test]
fn swap_ins_count_under_every_parks_reading() {
    let s = fixed(&[
        "params.build.fitout_months.fixed=6",
        "levers.replacement.enabled=true",
        "levers.replacement.lag_months=0",
    ]);
    each_trial(&s, 50, |_, b, _| {
        for r in Reading::of(TargetId::Parks) {
            assert_eq!(reading(b, r), 20.0, "{r:?}");
        }
        assert_eq!(b.outcome.block_replaced.iter().filter(|x| **x).count(), 5);
    });
}

/// Renovations lose the jobs of the site's urban-type firms that leave (net only); the base's
/// gross adds the jobs it loses a year: gross − net is exactly both.
#[test]
fn gross_minus_net_jobs_is_the_jobs_lost_by_hand() {
    let s = fixed(&[
        "params.build.renovation.fixed=1",
        "params.renovation.existing_jobs_per_mu.fixed=10",
        "params.renovation.displaced_urban_type_share.fixed=0.5",
        "base.jobs_lost_per_year.fixed=600",
    ]);
    // planned blocks (renovations that begin after the policy date): 4 for 2024-12, 6 for 2025
    let planned_mu = (328.0 + 146.9 + 25.0 + 45.8) + (39.7 + 231.0 + 101.2 + 80.0 + 88.0 + 49.0);
    let lost = 10.0 * planned_mu * 0.5 + 600.0 * 38.0 / 12.0;
    each_trial(&s, 20, |_, b, t| {
        let diff = reading(b, Reading::JobsGross) - reading(b, Reading::JobsNet);
        assert!((diff - lost).abs() < 1e-6, "trial {t}: gross − net = {diff}, want {lost}");
    });
}

/// A firm that moves from a renovated site into a park changes no city total: with every park
/// firm relocated from within the city and none of the cleared sites' firms leaving the city's
/// urban-type total, every block adds exactly nothing and each total is the base's.
#[test]
fn a_firm_moved_from_a_renovated_site_into_a_park_changes_no_city_total() {
    let s = fixed(&[
        "params.build.renovation.fixed=1",
        "params.renovation.existing_jobs_per_mu.fixed=10",
        "params.renovation.existing_revenue_cny_per_mu.fixed=1000000",
        "params.renovation.displaced_urban_type_share.fixed=0",
        "params.firms.relocated_share.fixed=1",
        "params.firms.tech_share.fixed=0.5",
        "params.firms.specialized_share.fixed=0.5",
        "params.firms.anchor_count.fixed=1",
        "params.firms.anchor_revenue_cny.fixed=100000000",
        "params.firms.anchor_jobs.fixed=100",
    ]);
    each_trial(&s, 50, |_, b, t| {
        let o = &b.outcome;
        for (i, c) in o.block_at_deadline.iter().enumerate() {
            assert_eq!(c[1..], [0.0; 4], "trial {t}, block {}: {c:?}", i + 1);
        }
        for m in 1..5 {
            assert_eq!(o.at_deadline[m], o.base_at_deadline[m], "trial {t}, metric {m}");
        }
    });
}

/// Blocks that never start (undetermined, hazard 0) contribute exactly zero to every metric,
/// even where the block would renovate; a negative contribution only where a renovation began.
#[test]
fn a_block_that_never_starts_contributes_exactly_zero() {
    let s = baseline(&["params.start.hazard_per_month=0", "params.build.renovation=1"]);
    let d_end = {
        let plan = Plan::new(&s);
        plan.deadline as i16 + 1
    };
    each_trial(&s, 500, |plan, b, t| {
        let o = &b.outcome;
        for (i, c) in o.block_at_deadline.iter().enumerate() {
            let never = o.block_start[i] == parkcast::model::NOT_BY_HORIZON;
            if never {
                assert_eq!(*c, [0.0; 5], "trial {t}, block {} never starts: {c:?}", plan.blocks[i].id);
            }
            let began = o.block_start[i] >= 0 && o.block_start[i] < d_end;
            if c.iter().any(|x| *x < 0.0) {
                assert!(
                    began,
                    "trial {t}, block {}: negative without a renovation under way: {c:?}",
                    plan.blocks[i].id
                );
            }
        }
    });
}

/// The readings table on a run: the headline rows are the target table's, and "all" under the
/// headline readings is the run's P(all met).
#[test]
fn the_readings_table_agrees_with_the_target_table() {
    let s = baseline(&[]);
    let plan = Plan::new(&s);
    let opts = RunOptions { trials: 3000, seed: 5, threads: 2, precision: None };
    let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let summary = Summary::new(&plan, &agg);
    assert_eq!(summary.readings.len(), 10);
    for t in &summary.targets {
        let h: Vec<_> = summary.readings.iter().filter(|r| r.target == t.id && r.headline).collect();
        assert_eq!(h.len(), 1, "{:?}", t.id);
        assert_eq!(h[0].p_met, t.p_met, "{:?}", t.id);
        assert_eq!(h[0].p50, t.p50, "{:?}", t.id);
    }
    let all = |c: &str| summary.all_readings.iter().find(|a| a.combination == c).unwrap().p_met;
    assert_eq!(all("headline"), summary.all.p_met);
    assert!(all("narrowest") <= all("broadest"));
}
