//! Latin hypercube sampling (`--sampling lhs`): the same answers as plain Monte Carlo within
//! Monte Carlo error, the same results for any number of threads and however `--precision`
//! splits the run, and recorded in run.json.

use parkcast::engine::{run, Aggregate, RunOptions};
use parkcast::model::{Plan, METRIC_COUNT};
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use std::process::Command;
use std::sync::atomic::AtomicBool;

fn simulate(sampling: &str, trials: u64, seed: u64, threads: usize, precision: Option<f64>) -> (Plan, Aggregate) {
    let o = [format!("settings.sampling={sampling}")];
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &o, &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    let opts = RunOptions { trials, seed, threads, precision };
    let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    (plan, agg)
}

#[test]
fn lhs_agrees_with_plain_sampling_within_monte_carlo_error() {
    // Two estimates of one P(met) from independent runs of n trials each (different seeds):
    // plain has variance p(1−p)/n; LHS at most n/(n−1) times that (Owen 1997), so their
    // difference has standard deviation at most sqrt(p(1−p)/n · (1 + n/(n−1))). Allow 4.5 of
    // them (a false alarm about once in 150,000 checks).
    let n = 20_000;
    let (plan, plain) = simulate("plain", n, 11, 2, None);
    let (_, lhs) = simulate("lhs", n, 12, 2, None);
    let mut checked = 0;
    for m in (0..METRIC_COUNT).filter(|&m| plan.thresholds[m].is_some()) {
        let (a, b) = (plain.met[m].estimate(), lhs.met[m].estimate());
        let p = (a + b) / 2.0;
        let sd = (p * (1.0 - p) / n as f64 * (1.0 + n as f64 / (n as f64 - 1.0))).sqrt();
        assert!((a - b).abs() <= 4.5 * sd + 1e-12, "target {m}: plain {a}, lhs {b} (sd of the difference {sd})");
        checked += 1;
    }
    assert!(checked >= 4);
    // and the means of the metrics at the deadline agree likewise (sd from the plain run)
    for m in 0..METRIC_COUNT {
        let (x, y) = (&plain.columns.metric[m], &lhs.columns.metric[m]);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let var = x.iter().map(|v| (v - mean(x)).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        let sd = (var / n as f64 * 2.0).sqrt();
        assert!((mean(x) - mean(y)).abs() <= 4.5 * sd + 1e-9 * mean(x).abs(), "metric {m}: {} vs {}", mean(x), mean(y));
    }
}

#[test]
fn lhs_runs_are_the_same_for_any_thread_count_and_with_precision_stops() {
    // 25,000 trials: two whole hypercubes and part of a third
    let (_, one) = simulate("lhs", 25_000, 3, 1, None);
    let (_, three) = simulate("lhs", 25_000, 3, 3, None);
    assert!(one == three, "LHS results depend on the thread count");
    // a precision run stops after a whole chunk and equals a run of that many trials
    let (_, stopped) = simulate("lhs", 200_000, 3, 2, Some(0.02));
    assert!(stopped.trials % 10_000 == 0 && stopped.trials < 200_000, "{}", stopped.trials);
    let (_, fixed) = simulate("lhs", stopped.trials, 3, 1, None);
    assert!(stopped == fixed);
    // and the first trials of a run are those of a longer one (strata fixed by trial number)
    let (_, short) = simulate("lhs", 3_000, 3, 2, None);
    assert_eq!(short.columns.metric[3][..], one.columns.metric[3][..3_000]);
}

#[test]
fn the_sampling_flag_is_recorded_and_a_bad_value_names_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .args(["run", "--trials", "2000", "--criticality-trials", "0", "--sampling", "lhs", "--lang", "en"])
        .args(["--out", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/run.json")).unwrap()).unwrap();
    assert_eq!(meta["sampling"], "lhs");
    let o = Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .args(["run", "--trials", "2000", "--no-write", "--sampling", "sobol"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--sampling sobol") && err.contains("allowed: plain, lhs"), "{err}");
}
