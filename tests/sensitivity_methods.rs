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
