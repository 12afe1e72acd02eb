//! `run --two-level` (issue 14) against closed forms, across thread counts, and on bad flags.
//!
//! The fixture is `tests/fixtures/fixed.toml` (no randomness left) with the base's yearly net
//! jobs `J` (and, in the second test, its yearly jobs lost `L`) uniform and epistemic, and the
//! macro factor (standard normal, aleatory) adding σ = 400 jobs a year per sd. New jobs at the
//! deadline are `c + (J + L + σ z) × years`, so in a world with `J`, `L`:
//! `P(met) = Φ((J + L − J*) / σ)` with `J* = (threshold − c) / years`.
//!
//! Tolerances, derived: the q-quantile of P across W worlds has standard deviation
//! `sqrt(q(1−q)/W) × dP/dq`; a world's P estimated from M trials adds `sqrt(P(1−P)/M)`; checks
//! allow 4.5 of the combined standard deviation. Shares are checked against their binned closed
//! form (the estimator's target: the variance of P's mean within each of its equal bins, by
//! quadrature) within 4.5 bootstrap standard errors.

use crate::common::{parkcast, transcript};
use parkcast::engine::two_level::{two_level, TwoLevel};
use parkcast::model::{run_trial, Plan, TrialBuffers};
use parkcast::scenario::quantile::normal_cdf;
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use parkcast::sensitivity::unknowns::unknowns;
use parkcast::stats::first_order::{bin_of, bins_for};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

const SIGMA: f64 = 400.0;
const OUTER: usize = 400;
const INNER: u64 = 200;
const JOBS: usize = 4;

fn fixture(overrides: &[String]) -> (parkcast::scenario::Scenario, Plan) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixed.toml");
    let s = load(&ScenarioSource::File(path), overrides, &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    (s, plan)
}

/// New jobs at the deadline with J fixed (everything else fixed too): `c + J × years`.
fn jobs_with(j: f64) -> f64 {
    let (_, plan) = fixture(&[format!("base.jobs_added_per_year.fixed={j}")]);
    let mut buf = TrialBuffers::new(&plan);
    run_trial(&plan, 1, 0, &mut buf);
    buf.outcome.at_deadline[JOBS]
}

/// `J*`: the yearly jobs at which the target is met at the mean shock.
fn j_star(threshold: f64) -> f64 {
    let (c, c1) = (jobs_with(0.0), jobs_with(1000.0));
    let years = (c1 - c) / 1000.0;
    (threshold - c) / years
}

fn simulate(overrides: &[String], outer: usize, inner: u64, threads: usize) -> TwoLevel {
    let (s, plan) = fixture(overrides);
    let u = unknowns(&s, &plan);
    two_level(&plan, u, s.settings.seed, outer, inner, threads, &AtomicBool::new(false), &|_, _| {}).unwrap()
}

fn jobs_bands(t: &TwoLevel) -> &parkcast::engine::two_level::Bands {
    t.outputs.iter().find(|b| b.target == Some(JOBS)).unwrap()
}

#[test]
fn one_unknown_gives_the_closed_form_bands_and_explains_everything() {
    let (_, plan) = fixture(&[]);
    let threshold = plan.thresholds[JOBS].unwrap();
    let js = j_star(threshold);
    let (lo, hi) = (js - 800.0, js + 1200.0);
    let overrides = vec![
        format!("base.jobs_added_per_year={{ uniform = {{ min = {lo}, max = {hi} }} }}"),
        format!("shocks.base_jobs_per_sd.fixed={SIGMA}"),
    ];
    let t = simulate(&overrides, OUTER, INNER, 2);
    assert_eq!(t.unknowns.len(), 1, "{:?}", t.unknowns);
    assert_eq!(t.unknowns[0].key, "base.jobs_added_per_year");
    let b = jobs_bands(&t);
    let p_of_u = |u: f64| normal_cdf((lo + u * (hi - lo) - js) / SIGMA);
    let w = OUTER as f64;
    for (q, got) in [(0.05, b.p05), (0.1, b.p10), (0.5, b.median), (0.9, b.p90), (0.95, b.p95)] {
        let want = p_of_u(q);
        let density =
            (-(((lo + q * (hi - lo) - js) / SIGMA).powi(2)) / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let dp_dq = density * (hi - lo) / SIGMA;
        let sd = ((q * (1.0 - q) / w) * dp_dq * dp_dq + want * (1.0 - want) / INNER as f64).sqrt();
        assert!((got - want).abs() <= 4.5 * sd + 1.0 / INNER as f64, "q {q}: got {got}, closed form {want} (sd {sd})");
    }
    // pooled P = E[Φ] over the uniform, by quadrature
    let grid = 20_000;
    let ps: Vec<f64> = (0..grid).map(|i| p_of_u((i as f64 + 0.5) / grid as f64)).collect();
    let mean = ps.iter().sum::<f64>() / grid as f64;
    let var = ps.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / grid as f64;
    let pooled_sd =
        (var / w + 0.25 / (w * INNER as f64) + 0.25 / INNER as f64 / w).sqrt() + (var / INNER as f64).sqrt();
    assert!((b.pooled - mean).abs() <= 4.5 * pooled_sd, "pooled {} vs {mean}", b.pooled);
    // the share of worlds with P ≥ 50 %: P(J ≥ J*) = (hi − J*) / (hi − lo)
    let likely = (hi - js) / (hi - lo);
    assert!((b.likely - likely).abs() <= 4.5 * (likely * (1.0 - likely) / w).sqrt() + 0.01, "{} vs {likely}", b.likely);
    // the one unknown explains its binned share of the variance
    let bins = bins_for(OUTER);
    let binned = binned_share(&ps, bins);
    let s = b.shares.as_ref().unwrap()[0];
    assert!((s.estimate - binned).abs() <= 4.5 * s.std_error, "share {s:?}, binned closed form {binned}");
    assert!(binned > 0.95, "the fixture should be explained by its one unknown: {binned}");
}

/// Var(E[P | bin]) / Var(P) of values of P on an even grid of u in (0, 1).
fn binned_share(ps: &[f64], bins: usize) -> f64 {
    let n = ps.len();
    let mean = ps.iter().sum::<f64>() / n as f64;
    let var = ps.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / n as f64;
    let mut sums = vec![(0.0, 0usize); bins];
    for (i, p) in ps.iter().enumerate() {
        let b = bin_of((i as f64 + 0.5) / n as f64, bins);
        sums[b].0 += p;
        sums[b].1 += 1;
    }
    sums.iter().map(|(s, c)| *c as f64 * (s / *c as f64 - mean).powi(2)).sum::<f64>() / n as f64 / var
}

#[test]
fn two_independent_unknowns_share_the_variance_as_the_closed_form_says() {
    let (_, plan) = fixture(&[]);
    let threshold = plan.thresholds[JOBS].unwrap();
    let js = j_star(threshold);
    // J over 1,200 jobs a year, L over 600: J explains about four times as much as L
    let (jl, jh, ll, lh) = (js - 900.0, js + 300.0, 0.0, 600.0);
    let overrides = vec![
        format!("base.jobs_added_per_year={{ uniform = {{ min = {jl}, max = {jh} }} }}"),
        format!("base.jobs_lost_per_year={{ uniform = {{ min = {ll}, max = {lh} }} }}"),
        format!("shocks.base_jobs_per_sd.fixed={SIGMA}"),
    ];
    let t = simulate(&overrides, OUTER, INNER, 2);
    let keys: Vec<&str> = t.unknowns.iter().map(|u| u.key.as_str()).collect();
    assert_eq!(keys, ["base.jobs_added_per_year", "base.jobs_lost_per_year"]);
    let b = jobs_bands(&t);
    // closed form on a grid: P(u1, u2) = Φ((J + L − J*) / σ)
    let g = 600;
    let bins = bins_for(OUTER);
    let p = |i: usize, k: usize| {
        let (u1, u2) = ((i as f64 + 0.5) / g as f64, (k as f64 + 0.5) / g as f64);
        normal_cdf((jl + u1 * (jh - jl) + ll + u2 * (lh - ll) - js) / SIGMA)
    };
    let all: Vec<f64> = (0..g).flat_map(|i| (0..g).map(move |k| (i, k))).map(|(i, k)| p(i, k)).collect();
    let n = all.len() as f64;
    let mean = all.iter().sum::<f64>() / n;
    let var = all.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let share_of = |first: bool| {
        let marginal: Vec<f64> =
            (0..g).map(|i| (0..g).map(|k| if first { p(i, k) } else { p(k, i) }).sum::<f64>() / g as f64).collect();
        let mvar_binned = binned_share(&marginal, bins) * {
            let m = marginal.iter().sum::<f64>() / g as f64;
            marginal.iter().map(|x| (x - m).powi(2)).sum::<f64>() / g as f64
        };
        mvar_binned / var
    };
    let want = [share_of(true), share_of(false)];
    let got = b.shares.as_ref().unwrap();
    for (k, w) in want.iter().enumerate() {
        assert!((got[k].estimate - w).abs() <= 4.5 * got[k].std_error, "{}: {:?} vs closed form {w}", keys[k], got[k]);
    }
    // independent unknowns acting (nearly) additively: their shares add up to almost all of it
    let sum_want = want[0] + want[1];
    let sum_got = got[0].estimate + got[1].estimate;
    let se = (got[0].std_error.powi(2) + got[1].std_error.powi(2)).sqrt();
    assert!(sum_want > 0.9, "closed-form shares {want:?} should nearly add up to 1");
    assert!((sum_got - sum_want).abs() <= 4.5 * se, "sum {sum_got} vs {sum_want} (se {se})");
    assert!(got[0].estimate > got[1].estimate, "J is the one to measure first: {got:?}");
}

#[test]
fn outputs_are_byte_identical_at_1_2_and_4_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut csvs = Vec::new();
    let mut tables = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("t{threads}"));
        let r = parkcast(
            dir.path(),
            &[
                "run",
                "--two-level",
                "--outer",
                "40",
                "--inner",
                "20",
                "--threads",
                threads,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        csvs.push(std::fs::read(out.join("two_level.csv")).unwrap());
        // the first line states the wall time and threads; the rest must match
        tables.push(r.stdout.lines().skip(1).collect::<Vec<_>>().join("\n"));
    }
    assert!(csvs[0] == csvs[1] && csvs[1] == csvs[2], "two_level.csv differs between thread counts");
    assert!(tables[0] == tables[1] && tables[1] == tables[2], "tables differ between thread counts");
    // charts in both languages and the report page beside the table
    let out = dir.path().join("t1");
    for lang in ["zh", "en"] {
        for chart in ["two_level_bands", "measure_first_revenue", "measure_first_all"] {
            assert!(out.join(format!("charts/{lang}/{chart}.png")).is_file(), "{lang}/{chart}.png missing");
        }
    }
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("未知因素与随机波动") && page.contains("Which unknown to measure first"), "report.html");
    let text = String::from_utf8(csvs[0].clone()).unwrap();
    assert!(text.contains("bands,revenue,"), "{text}");
    assert!(tables[0].contains("Measure first"), "{}", tables[0]);
}

#[test]
fn bad_two_level_flags_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["run", "--outer", "100"], 2),
            (&["run", "--two-level", "--outer", "5"], 2),
            (&["run", "--two-level", "--outer", "200000"], 2),
            (&["run", "--two-level", "--inner", "1"], 2),
            (&["run", "--two-level", "--outer", "100000", "--inner", "1000"], 2),
            (&["run", "--two-level", "--trials", "1000"], 2),
            (&["run", "--two-level", "--precision", "0.01"], 2),
            (&["run", "--two-level", "--outer", "-3"], 2),
        ],
    ));
}
