//! compare, sweep and goal-seek on common random numbers.

use parkcast::scenario::ScenarioSource;
use parkcast::seeds::{Seeds, TargetId};
use parkcast::whatif::{
    compare, evaluate, goal_seek, sweep, Common, GoalSeek, GoalSeekResult, SweepSpec, TargetChoice,
};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn common(trials: u64) -> Common {
    Common { trials, seed: 99, threads: 2 }
}

#[test]
fn comparing_a_scenario_with_itself_gives_exactly_zero_difference() {
    let b = ScenarioSource::Embedded("baseline.toml");
    let rows = compare(&[b.clone(), b], &[], &Seeds::embedded(), common(3000), &AtomicBool::new(false)).unwrap();
    assert_eq!(rows.len(), 12);
    for r in &rows {
        assert_eq!(r.diff, (0.0, 0.0, 0.0), "{r:?}");
    }
    assert_eq!(
        rows[..6].iter().map(|r| r.p_met).collect::<Vec<_>>(),
        rows[6..].iter().map(|r| r.p_met).collect::<Vec<_>>()
    );
}

#[test]
fn a_lever_that_only_shortens_delays_never_lowers_p_parks_met() {
    // Nanhu's parks target (≥ 3 of its 9 blocks built) is neither certain nor impossible with
    // a 28-month build
    let seeds = Seeds::embedded();
    let nanhu = ScenarioSource::Embedded("nanhu.toml");
    let cancel = AtomicBool::new(false);
    let longer = "params.build.duration_months=28".to_string();
    let off = evaluate(&nanhu, std::slice::from_ref(&longer), &seeds, common(4000), &cancel).unwrap();
    let on = evaluate(
        &nanhu,
        &[longer, "levers.parallel_approvals.value=6".into(), "levers.joint_acceptance.value=4".into()],
        &seeds,
        common(4000),
        &cancel,
    )
    .unwrap();
    let parks = 0;
    let p_off = off.proportion(Some(parks)).estimate();
    assert!(p_off > 0.05 && p_off < 0.95, "P(parks) = {p_off}");
    for t in 0..4000 {
        assert!(!off.met(parks, t) || on.met(parks, t), "trial {t}: met without the lever, missed with it");
    }
    assert!(on.proportion(Some(parks)).estimate() > p_off);
    let rows =
        compare(&[nanhu.clone(), nanhu], &["levers.parallel_approvals.value=6".into()], &seeds, common(500), &cancel)
            .unwrap();
    assert!(rows.iter().all(|r| r.diff.0 == 0.0));
}

fn fixture() -> ScenarioSource {
    ScenarioSource::File(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixed.toml"))
}

#[test]
fn goal_seek_finds_the_closed_form_answer_in_a_fixed_revenue_scenario() {
    // In the fixed scenario revenue 2027 = R0 × 1.1³ + block revenue (规上 share 0.8 of the
    // firms new to the city, 0.8), with no randomness, so P(revenue ≥ ¥100 bn) jumps from 0
    // to 1 at R0* = (1e11 − block revenue) / 1.331.
    let delivered_mu = (140.0 + 131.0 + 91.0 + 73.0 + 128.0)
        + (328.0 + 146.9 + 25.0 + 45.8)
        + (39.7 + 231.0 + 101.2 + 80.0 + 88.0 + 49.0);
    let blocks = delivered_mu * 666.67 * 2.0 * 0.75 * 0.5 * 10_000.0 * 0.8 * 0.8;
    let r0 = (1.0e11 - blocks) / 1.1f64.powi(3);
    let tolerance = 1.0e6; // ¥1 m on a ¥70 bn base
    let q = GoalSeek {
        source: &fixture(),
        overrides: &[],
        path: "base.revenue_2024_cny",
        target: TargetChoice::One(TargetId::Revenue),
        prob: 0.5,
        bounds: (4.0e10, 9.0e10),
        tolerance,
    };
    match goal_seek(&q, &Seeds::embedded(), common(200), &AtomicBool::new(false)).unwrap() {
        GoalSeekResult::Found { value, increasing, p_met, interval, .. } => {
            assert!(increasing);
            assert!((value - r0).abs() <= tolerance, "found {value}, closed form {r0}");
            assert_eq!(p_met, 1.0);
            assert!(
                interval.0 <= value && value <= interval.1 && interval.1 - interval.0 <= 2.0 * tolerance,
                "{interval:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // no value in the bounds reaches it: said clearly
    let q = GoalSeek { bounds: (1.0e10, 2.0e10), ..q };
    assert_eq!(
        goal_seek(&q, &Seeds::embedded(), common(200), &AtomicBool::new(false)).unwrap(),
        GoalSeekResult::NotReached { at_low: 0.0, at_high: 0.0 }
    );
}

#[test]
fn sweep_gives_one_row_per_value_and_target_on_common_random_numbers() {
    let b = ScenarioSource::Embedded("baseline.toml");
    let values = [0.0, 6.0, 0.0];
    let rows = sweep(
        &b,
        &[],
        &SweepSpec { path: "levers.parallel_approvals.value", values: &values },
        &Seeds::embedded(),
        common(1000),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(rows.len(), 18);
    // the same value twice gives the same answer: the draws are common
    for k in 0..6 {
        assert_eq!(rows[k].p_met, rows[12 + k].p_met);
    }
    // the values ran side by side (1,000 trials each); one after another on one thread they
    // give the same rows, in the same order
    let one = sweep(
        &b,
        &[],
        &SweepSpec { path: "levers.parallel_approvals.value", values: &values },
        &Seeds::embedded(),
        Common { threads: 1, ..common(1000) },
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(one, rows);
    assert_ne!(rows[0].p_met, rows[6].p_met, "the lever moves parks: the comparison can fail");
}

#[test]
fn an_unknown_param_path_names_the_nearest_valid_paths() {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .args(["sweep", "--param", "params.start.delay_month", "--values", "1,2"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: --param params.start.delay_month: not a number of the scenario; nearest valid paths: params.start.delay_months"), "{err}");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .args(["goal-seek", "--param", "params.start.delay_months.pert.mode", "--target", "revenue", "--prob", "0.8"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--bounds LO,HI is needed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
