//! The sensitivity methods against published and closed-form values.
//!
//! Sobol tolerances. Each check is |estimate − analytic| ≤ 4 · SE, where SE is the bootstrap
//! standard error of that index (resampling the n base indices). The estimators are means over
//! the n base points, so their error shrinks as 1/√n for random points and SE estimates it; four
//! standard errors leave a false-alarm chance below 1e-4 per index under normality, and Sobol
//! points are more even than random ones, so their actual error is usually smaller than SE (the
//! check is conservative). So that the check can fail, each test also bounds SE itself: the
//! largest SE is ≈ c/√n for a constant c of the function; n is chosen so that 4 · SE stays
//! below about 0.05, and the bound is set a little above the SE observed at that n.

use parkcast::sensitivity::sobol::{analyze, estimate, evaluate, Index, SaltelliDesign, SobolError, SobolIndices};
use std::f64::consts::PI;

/// Checks one index against its analytic value and bounds its standard error.
fn check(what: &str, got: &Index, analytic: f64, max_se: f64) {
    assert!(got.std_error < max_se, "{what}: standard error {} is not below {max_se}", got.std_error);
    assert!(
        (got.estimate - analytic).abs() <= 4.0 * got.std_error,
        "{what}: estimate {} vs analytic {analytic}: off by {:.5}, more than 4 × SE = {:.5}",
        got.estimate,
        (got.estimate - analytic).abs(),
        4.0 * got.std_error
    );
    assert!(got.low <= got.estimate && got.estimate <= got.high, "{what}: {got:?}");
}

fn check_all(s: &SobolIndices, first: &[f64], total: &[f64], max_se: f64) {
    for (g, (i, a)) in s.first.iter().zip(first).enumerate() {
        check(&format!("S_{g}"), i, *a, max_se);
    }
    for (g, (i, a)) in s.total.iter().zip(total).enumerate() {
        check(&format!("ST_{g}"), i, *a, max_se);
    }
}

// ---------------------------------------------------------------------------------------------
// Ishigami: f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i ~ U(−π, π).

const A: f64 = 7.0;
const B: f64 = 0.1;

fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
    x[0].sin() + A * x[1].sin().powi(2) + B * x[2].powi(4) * x[0].sin()
}

/// Analytic (S, ST) of Ishigami from its variance decomposition (Sobol & Levitan 1999):
/// V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0, V13 = b²π⁸ (1/18 − 1/50), and
/// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
fn ishigami_analytic() -> ([f64; 3], [f64; 3]) {
    let pi4 = PI.powi(4);
    let v1 = (1.0 + B * pi4 / 5.0).powi(2) / 2.0;
    let v2 = A * A / 8.0;
    let v13 = B * B * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = A * A / 8.0 + B * pi4 / 5.0 + B * B * PI.powi(8) / 18.0 + 0.5;
    assert!((v - (v1 + v2 + v13)).abs() < 1e-12, "the terms add up to V");
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[test]
fn ishigami_closed_form_matches_the_published_values() {
    // Published (e.g. Saltelli et al. 2008, Global Sensitivity Analysis: The Primer; SALib's
    // test values): S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    let (s, st) = ishigami_analytic();
    for (got, published) in s.iter().chain(&st).zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437]) {
        assert!((got - published).abs() <= 0.5e-4, "{got} rounds to {published}");
    }
}

#[test]
fn ishigami_indices_match_the_analytic_values() {
    // n = 2^14: the largest SE (ST_1) is ≈ 0.0117 (≈ 1.5/√n), bound 0.015.
    let design = SaltelliDesign::ungrouped(1 << 14, 3).unwrap();
    let s = analyze(&design, ishigami, 500, 20241031);
    let (first, total) = ishigami_analytic();
    check_all(&s, &first, &total, 0.015);
    // V itself: the analytic 13.8446 within 1 %.
    assert!((s.variance / 13.844_6 - 1.0).abs() < 0.01, "V = {}", s.variance);
}

// ---------------------------------------------------------------------------------------------
// Sobol's G-function: f = Π (|4 x_i − 2| + a_i) / (1 + a_i), x_i ~ U(0, 1).

const G_A: [f64; 8] = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];

fn g_function(x: &[f64]) -> f64 {
    x.iter().zip(G_A).map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a)).product()
}

/// V_i = 1 / (3 (1 + a_i)²) and V = Π (1 + V_i) − 1.
fn g_partial_variances() -> (Vec<f64>, f64) {
    let vi: Vec<f64> = G_A.iter().map(|a| 1.0 / (3.0 * (1.0 + a) * (1.0 + a))).collect();
    let v = vi.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
    (vi, v)
}

#[test]
fn g_function_indices_match_the_analytic_values() {
    // S_i = V_i / V, ST_i = V_i Π_{j≠i} (1 + V_j) / V.
    let (vi, v) = g_partial_variances();
    let first: Vec<f64> = vi.iter().map(|x| x / v).collect();
    let total: Vec<f64> =
        (0..8).map(|i| vi[i] * (0..8).filter(|&j| j != i).map(|j| 1.0 + vi[j]).product::<f64>() / v).collect();
    // n = 2^13: the largest SE (ST_1) is ≈ 0.0126 (≈ 1.1/√n), bound 0.015.
    let design = SaltelliDesign::ungrouped(1 << 13, 8).unwrap();
    let s = analyze(&design, g_function, 500, 7);
    check_all(&s, &first, &total, 0.015);
}

#[test]
fn grouped_g_function_indices_match_the_analytic_values() {
    // Groups {x0, x1} and {x2..x7}: a group's first-order index is the variance of the
    // conditional mean of its inputs, Π_{i∈g} (1 + V_i) − 1, over V; with two groups the total
    // index of one is 1 minus the first-order index of the other.
    let (vi, v) = g_partial_variances();
    let closed = |members: &[usize]| (members.iter().map(|&i| 1.0 + vi[i]).product::<f64>() - 1.0) / v;
    let (g0, g1) = (vec![0, 1], vec![2, 3, 4, 5, 6, 7]);
    let first = [closed(&g0), closed(&g1)];
    let total = [1.0 - closed(&g1), 1.0 - closed(&g0)];
    // n = 2^14: the largest SE (S of {x0, x1}) is ≈ 0.0105 (≈ 1.35/√n), bound 0.015.
    let design = SaltelliDesign::new(1 << 14, 8, vec![g0, g1], 1 << 14).unwrap();
    assert_eq!(design.rows(), (1 << 14) * 4);
    let s = analyze(&design, g_function, 500, 7);
    check_all(&s, &first, &total, 0.015);
    assert!((s.sum_first() - first.iter().sum::<f64>()).abs() < 4.0 * (s.first[0].std_error + s.first[1].std_error));
}

// ---------------------------------------------------------------------------------------------

#[test]
fn the_same_design_and_seed_give_identical_results_on_any_number_of_threads() {
    let design = SaltelliDesign::ungrouped(1 << 10, 3).unwrap();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let three = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
    let a = one.install(|| analyze(&design, ishigami, 200, 5));
    let b = three.install(|| analyze(&design, ishigami, 200, 5));
    assert_eq!(a, b);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    // Evaluating the rows in reverse order and estimating gives the same too.
    let mut y = vec![0.0; design.rows()];
    let mut x = vec![0.0; 3];
    for row in (0..design.rows()).rev() {
        design.point(row, &mut x);
        y[row] = ishigami(&x);
    }
    assert_eq!(y, evaluate(&design, ishigami));
    assert_eq!(estimate(&design, &y, 200, 5), a);
}

#[test]
fn bad_designs_are_errors_and_a_constant_function_gives_no_nan() {
    assert_eq!(
        SaltelliDesign::ungrouped(3000, 3).unwrap_err(),
        SobolError::NotPowerOfTwo { n: 3000, below: 2048, above: 4096 }
    );
    assert_eq!(
        SaltelliDesign::new(8, 3, vec![vec![0], vec![2]], 8).unwrap_err(),
        SobolError::InputInNoGroup { input: 1 }
    );
    let design = SaltelliDesign::ungrouped(256, 3).unwrap();
    let s = analyze(&design, |_| 42.0, 100, 1);
    assert!(s.constant);
    for i in s.first.iter().chain(&s.total) {
        assert_eq!((i.estimate, i.std_error, i.low, i.high), (0.0, 0.0, 0.0, 0.0));
    }
    assert_eq!(s.sum_first(), 0.0);
}

// ---------------------------------------------------------------------------------------------
// PRIM on data with a known box.
//
// Tolerances. For a found box the expected density and coverage follow in closed form from its
// bounds (inputs are uniform and independent; the outcome is Bernoulli with a known
// probability at every point). The observed density is a proportion among the box's `count`
// rows, so its Monte Carlo standard error is √(d (1 − d) / count); the observed coverage is a
// proportion among all true rows, with standard error √(c (1 − c) / positives). The box was
// chosen on the same data, which biases both upwards by about one standard error; 4 standard
// errors cover that with room (≈ 0.03 for density and ≈ 0.035 for coverage here).

use parkcast::sensitivity::prim::{Column, Prim, PrimBox, PrimOptions, Restriction};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

const ROWS: usize = 20_000;

/// Six uniform inputs on [0, 1] (x0..x5) and a count k uniform on 0..=10; y true with
/// probability `p(x, k)`.
fn synthetic(seed: u64, p: impl Fn(&[f64], f64) -> f64) -> (Vec<Column>, Vec<bool>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut columns: Vec<Vec<f64>> = (0..7).map(|_| Vec::with_capacity(ROWS)).collect();
    let mut y = Vec::with_capacity(ROWS);
    let mut x = [0.0; 6];
    for _ in 0..ROWS {
        x.iter_mut().for_each(|v| *v = rng.random::<f64>());
        let k = f64::from(rng.random_range(0..=10u32));
        for (c, v) in x.iter().chain([&k]).enumerate() {
            columns[c].push(*v);
        }
        y.push(rng.random::<f64>() < p(&x, k));
    }
    let names = ["x0", "x1", "x2", "x3", "x4", "x5", "k"];
    (columns.into_iter().zip(names).map(|(values, name)| Column { name: name.into(), values }).collect(), y)
}

/// Asserts that the observed density and coverage of `b` are within 4 Monte Carlo standard
/// errors of the expected ones.
fn check_box(b: &PrimBox, expected_density: f64, expected_coverage: f64) {
    let se_density = (expected_density * (1.0 - expected_density) / b.count() as f64).sqrt();
    let positives = b.positives() as f64 / b.coverage();
    let se_coverage = (expected_coverage * (1.0 - expected_coverage) / positives).sqrt();
    assert!(
        (b.density() - expected_density).abs() <= 4.0 * se_density,
        "density {} vs expected {expected_density} (SE {se_density})",
        b.density()
    );
    assert!(
        (b.coverage() - expected_coverage).abs() <= 4.0 * se_coverage,
        "coverage {} vs expected {expected_coverage} (SE {se_coverage})",
        b.coverage()
    );
}

#[test]
fn prim_recovers_a_box_on_two_continuous_inputs() {
    // y ~ 0.9 inside {x0 < 0.3, x2 > 0.6} (mass 0.12), 0.05 outside: 15.2 % of rows are true,
    // and the true box has density 0.9 and coverage 0.108 / 0.152 = 0.711.
    let inside = |x: &[f64]| x[0] < 0.3 && x[2] > 0.6;
    let (columns, y) = synthetic(20241031, |x, _| if inside(x) { 0.9 } else { 0.05 });
    let prim = Prim::new(columns, y, PrimOptions::default()).unwrap();
    // Coverage 0.6 leaves room below the true box's 0.71 for the sampling spread; simplifying
    // drops the noise inputs' slivers (each worth < 0.02 of density).
    let found = prim.find(0.6, 0.02).unwrap();
    let r = found.restrictions();
    assert_eq!(r.len(), 2, "{r:?}");
    let (x0, x2) = (r[0], r[1]);
    assert_eq!((x0.column, x0.lower, x2.column, x2.upper), (0, None, 2, None), "{r:?}");
    let (u0, l2) = (x0.upper.unwrap(), x2.lower.unwrap());
    assert!((u0 - 0.3).abs() <= 0.05 && (l2 - 0.6).abs() <= 0.05, "{r:?}");
    // Expected shares of the found box {x0 ≤ u0, x2 ≥ l2}.
    let mass = u0 * (1.0 - l2);
    let overlap = u0.min(0.3) * (1.0 - l2.max(0.6));
    let true_share = 0.9 * overlap + 0.05 * (mass - overlap);
    check_box(&found, true_share / mass, true_share / (0.9 * 0.12 + 0.05 * 0.88));
}

#[test]
fn prim_recovers_a_box_on_a_count() {
    // y ~ 0.8 when k ≥ 7 (4 of 11 values), 0.1 otherwise: density 0.8, coverage
    // (4/11 · 0.8) / (4/11 · 0.8 + 7/11 · 0.1) = 3.2 / 3.9 = 0.821. The next box, k ≥ 8, would have
    // coverage 2.4 / 3.9 = 0.615, so asking for 0.75 leaves the sampling spread room.
    let (columns, y) = synthetic(7, |_, k| if k >= 7.0 { 0.8 } else { 0.1 });
    let prim = Prim::new(columns, y, PrimOptions::default()).unwrap();
    let found = prim.find(0.75, 0.02).unwrap();
    assert_eq!(found.restrictions(), vec![Restriction { column: 6, lower: Some(7.0), upper: None }]);
    check_box(&found, 0.8, 3.2 / 3.9);
}
