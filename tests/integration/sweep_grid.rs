//! Multi-lever sweeps: `sweep --vary PATH=VALUES …` over a grid or a Latin hypercube, on
//! common random numbers.

use crate::common::{parkcast, transcript};
use parkcast::scenario::ScenarioSource;
use parkcast::seeds::{Seeds, TargetId};
use parkcast::whatif::{design_points, grid_sweep, Axis, Common, Design, GridSpec};
use std::sync::atomic::AtomicBool;

#[test]
fn a_grid_has_every_point_and_a_target_no_lever_touches_is_identical_at_each() {
    let axes = [
        Axis { path: "levers.investment_promotion.value".into(), values: vec![1.0, 2.0] },
        Axis { path: "levers.multi_storey.value".into(), values: vec![1.0, 1.3, 1.6] },
    ];
    let points = design_points(&axes, Design::Grid);
    let on = |threads| {
        grid_sweep(
            &ScenarioSource::Embedded("baseline.toml"),
            &[],
            &GridSpec { axes: &axes, points: &points },
            &Seeds::embedded(),
            Common { trials: 2000, seed: 11, threads },
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap()
    };
    let rows = on(2);
    // 2 × 3 points, each with five targets and all
    assert_eq!(rows.len(), 6 * 6);
    for (p, point) in points.iter().enumerate() {
        assert_eq!(rows.iter().filter(|r| r.point == p && &r.values == point).count(), 6);
    }
    // neither lever changes when blocks are built: P(parks met) is the same at every point,
    // because every point sees the same trials
    let parks: Vec<f64> = rows.iter().filter(|r| r.target == Some(TargetId::Parks)).map(|r| r.p_met).collect();
    assert!(parks[0] > 0.0 && parks.iter().all(|p| *p == parks[0]), "{parks:?}");
    // while jobs move with the levers
    let jobs: Vec<f64> = rows.iter().filter(|r| r.target == Some(TargetId::Jobs)).map(|r| r.p_met).collect();
    assert!(jobs[5] > jobs[0], "{jobs:?}");
    // the points ran side by side (2,000 trials each); one after another on one thread they
    // give the same rows
    assert_eq!(on(1), rows);
}

#[test]
fn a_two_lever_grid_writes_its_table_and_heat_map_and_one_lever_sweeps_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(
        dir.path(),
        &[
            "sweep",
            "--vary",
            "levers.parallel_approvals.value=0:6:3",
            "--vary",
            "levers.joint_acceptance.value=0,3",
            "--trials",
            "300",
            "--threads",
            "2",
            "--out",
            "g",
            "--target",
            "parks",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let csv = std::fs::read_to_string(dir.path().join("g/sweep_grid.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}design,point,levers.parallel_approvals.value,levers.joint_acceptance.value,target"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 6 * 6);
    for lang in ["zh", "en"] {
        assert!(dir.path().join(format!("g/charts/{lang}/sweep_heatmap.png")).is_file());
    }
    let lhs = parkcast(
        dir.path(),
        &[
            "sweep",
            "--vary",
            "levers.special_fund.value=0:0.5",
            "--vary",
            "levers.multi_storey.value=1:1.6",
            "--vary",
            "levers.industry_funds.value=1:2",
            "--design",
            "lhs",
            "--points",
            "4",
            "--trials",
            "200",
            "--out",
            "l",
        ],
    );
    assert_eq!(lhs.code, Some(0), "{}", lhs.stderr);
    let csv = std::fs::read_to_string(dir.path().join("l/sweep_grid.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4 * 6);
    assert!(!dir.path().join("l/charts/zh/sweep_heatmap.png").exists(), "a heat map only for a two-lever grid");
    let one = parkcast(
        dir.path(),
        &["sweep", "--param", "levers.joint_acceptance.value", "--values", "0,3", "--trials", "200", "--out", "o"],
    );
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert!(dir.path().join("o/sweep.csv").is_file() && !dir.path().join("o/sweep_grid.csv").exists());
}

#[test]
fn bad_multi_lever_sweeps_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["sweep", "--vary", "levers.parallel_approvals.value=0,6"], 2),
            (&["sweep", "--vary", "levers.parallel_approvals.value", "--vary", "levers.joint_acceptance.value=0,3"], 2),
            (
                &[
                    "sweep",
                    "--vary",
                    "levers.parallel_approvals.value=0,6",
                    "--vary",
                    "levers.parallel_approvals.value=1,2"
                ],
                2
            ),
            (
                &[
                    "sweep",
                    "--vary",
                    "levers.parallel_approvals.value=0,6",
                    "--vary",
                    "levers.joint_acceptance.value=0,30"
                ],
                2
            ),
            (
                &[
                    "sweep",
                    "--vary",
                    "levers.parallel_approvals.value=0:6",
                    "--vary",
                    "levers.joint_acceptance.value=0:3",
                    "--design",
                    "lhs"
                ],
                2
            ),
            (
                &[
                    "sweep",
                    "--vary",
                    "levers.parallel_approvals.value=0:12:40",
                    "--vary",
                    "levers.joint_acceptance.value=0:6:40"
                ],
                2
            ),
        ],
    ));
}
