//! First-order and total Sobol indices from the outputs of a Saltelli design, with bootstrap
//! intervals.

use super::design::SaltelliDesign;
use crate::stats::quantile_sorted;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// One index: the estimate and its bootstrap spread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Index {
    pub estimate: f64,
    /// Standard deviation of the bootstrap replicates (0 with fewer than 2 replicates).
    pub std_error: f64,
    /// 2.5th and 97.5th percentiles of the bootstrap replicates (type 7 quantiles); both equal
    /// the estimate when there are no replicates.
    pub low: f64,
    pub high: f64,
}

impl Index {
    fn exact(value: f64) -> Index {
        Index { estimate: value, std_error: 0.0, low: value, high: value }
    }
}

/// Sobol indices of each group of a design, in the design's group order.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolIndices {
    /// Base sample size.
    pub n: usize,
    /// Number of bootstrap resamples behind the intervals.
    pub bootstrap: usize,
    /// Mean of the output over the A and B rows.
    pub mean: f64,
    /// Variance V of the output over the A and B rows together (divisor 2n).
    pub variance: f64,
    /// True when every A and B output is the same value, so V = 0 and the indices are
    /// undefined: they are then reported as exactly 0 (with zero spread), never NaN.
    pub constant: bool,
    /// First-order index S_g of each group.
    pub first: Vec<Index>,
    /// Total index ST_g of each group.
    pub total: Vec<Index>,
}

impl SobolIndices {
    /// Σ_g S_g: 1 for an additive function (of the groups), less when groups interact.
    pub fn sum_first(&self) -> f64 {
        self.first.iter().map(|i| i.estimate).sum()
    }
}

/// Estimates the indices from `y`, one output per row of `design` (in row order).
///
/// With f_A, f_B and f_g the outputs of rows A_j, B_j and A_B^(g)_j, and means over j = 0..n:
///
/// - V = the variance of the 2n outputs of the A and B rows (divisor 2n), around their mean m;
/// - first order (Saltelli et al. 2010, table 2 b): S_g = mean((f_B − m)(f_g − f_A)) / V;
/// - total (Jansen 1999): ST_g = mean((f_A − f_g)²) / (2V).
///
/// Centring f_B by m does not change the estimator's expectation (E f_g = E f_A) but removes
/// the m² term from its variance (SALib does the same by standardising the outputs first).
///
/// Intervals: `bootstrap` resamples of the n base indices j with replacement (each j brings its
/// whole block A_j, B_j, A_B^(g)_j), every statistic recomputed on the resample, percentile
/// interval 2.5–97.5 % and standard deviation of the replicates. Resample r draws from a
/// generator seeded by (seed, r) alone, so the result is identical for the same inputs whatever
/// the number of threads. If a resample happens to have V = 0 its indices count as 0.
///
/// `y` must be finite. Panics if `y.len() != design.rows()`.
pub fn estimate(design: &SaltelliDesign, y: &[f64], bootstrap: usize, seed: u64) -> SobolIndices {
    estimate_cancellable(design, y, bootstrap, seed, &AtomicBool::new(false)).expect("never cancelled")
}

/// [`estimate`], checking `cancel` before each bootstrap resample: `None` once it is set.
pub fn estimate_cancellable(
    design: &SaltelliDesign,
    y: &[f64],
    bootstrap: usize,
    seed: u64,
    cancel: &AtomicBool,
) -> Option<SobolIndices> {
    assert_eq!(y.len(), design.rows(), "one output per row of the design");
    let (n, groups) = (design.n(), design.group_count());
    let layout = Layout { n, groups };
    let first_ab = y[layout.a(0)];
    let constant = (0..n).all(|j| y[layout.a(j)] == first_ab && y[layout.b(j)] == first_ab);
    if constant {
        let zeros = vec![Index::exact(0.0); groups];
        return Some(SobolIndices {
            n,
            bootstrap,
            mean: first_ab,
            variance: 0.0,
            constant,
            first: zeros.clone(),
            total: zeros,
        });
    }
    let mean = (0..n).map(|j| y[layout.a(j)] + y[layout.b(j)]).sum::<f64>() / (2 * n) as f64;
    // Every statistic is shift-invariant; subtracting the mean once keeps the sums well scaled.
    let centred: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let point = layout.statistics(&centred, None);

    let replicates: Vec<Statistics> = (0..bootstrap)
        .into_par_iter()
        .map_init(
            || vec![0u32; n],
            |counts, r| {
                if cancel.load(Ordering::Relaxed) {
                    return None;
                }
                counts.fill(0);
                let mut rng = replicate_rng(seed, r as u64);
                for _ in 0..n {
                    counts[rng.random_range(0..n)] += 1;
                }
                Some(layout.statistics(&centred, Some(counts)))
            },
        )
        .collect::<Option<_>>()?;
    let spread = |g: usize, pick: fn(&Statistics, usize) -> f64, estimate: f64| {
        let mut values: Vec<f64> = replicates.iter().map(|s| pick(s, g)).collect();
        spread_of(&mut values, estimate)
    };
    Some(SobolIndices {
        n,
        bootstrap,
        mean,
        variance: point.variance,
        constant,
        first: (0..groups).map(|g| spread(g, |s, g| s.first[g], point.first[g])).collect(),
        total: (0..groups).map(|g| spread(g, |s, g| s.total[g], point.total[g])).collect(),
    })
}

/// The generator of bootstrap resample `r`.
fn replicate_rng(seed: u64, r: u64) -> Xoshiro256PlusPlus {
    // SplitMix64's finaliser, chained as in the engine's streams: nearby (seed, r) give
    // unrelated generators.
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    Xoshiro256PlusPlus::seed_from_u64(mix(mix(seed ^ 0x9e37_79b9_7f4a_7c15) ^ r))
}

fn spread_of(values: &mut [f64], estimate: f64) -> Index {
    if values.is_empty() {
        return Index::exact(estimate);
    }
    values.sort_by(f64::total_cmp);
    let k = values.len() as f64;
    let m = values.iter().sum::<f64>() / k;
    let std_error =
        if values.len() < 2 { 0.0 } else { (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (k - 1.0)).sqrt() };
    Index { estimate, std_error, low: quantile_sorted(values, 0.025), high: quantile_sorted(values, 0.975) }
}

/// Where the outputs of base index j are (see [`SaltelliDesign`]'s row layout).
#[derive(Clone, Copy)]
struct Layout {
    n: usize,
    groups: usize,
}

struct Statistics {
    variance: f64,
    first: Vec<f64>,
    total: Vec<f64>,
}

impl Layout {
    fn a(&self, j: usize) -> usize {
        j * (self.groups + 2)
    }
    fn b(&self, j: usize) -> usize {
        j * (self.groups + 2) + self.groups + 1
    }

    /// V, S_g and ST_g of the sample in which base index j appears `counts[j]` times (once each
    /// without counts). Sums run over j in order, so the result is deterministic.
    fn statistics(&self, y: &[f64], counts: Option<&[u32]>) -> Statistics {
        let (n, groups) = (self.n, self.groups);
        let weight = |j: usize| counts.map_or(1.0, |c| c[j] as f64);
        let mut sum = 0.0;
        for j in 0..n {
            sum += weight(j) * (y[self.a(j)] + y[self.b(j)]);
        }
        let m = sum / (2 * n) as f64;
        let (mut squares, mut first, mut total) = (0.0, vec![0.0; groups], vec![0.0; groups]);
        for j in 0..n {
            let w = weight(j);
            if w == 0.0 {
                continue;
            }
            let block = &y[self.a(j)..self.a(j) + groups + 2];
            let (fa, fb) = (block[0] - m, block[groups + 1] - m);
            squares += w * (fa * fa + fb * fb);
            for g in 0..groups {
                let fg = block[g + 1] - m;
                first[g] += w * fb * (fg - fa);
                total[g] += w * (fa - fg) * (fa - fg);
            }
        }
        let variance = squares / (2 * n) as f64;
        if variance > 0.0 {
            let scale = 1.0 / (n as f64 * variance);
            first.iter_mut().for_each(|s| *s *= scale);
            total.iter_mut().for_each(|s| *s *= scale / 2.0);
        } else {
            first.fill(0.0);
            total.fill(0.0);
        }
        Statistics { variance, first, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs of f on every row of the design.
    fn outputs(design: &SaltelliDesign, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
        let mut x = vec![0.0; design.dims()];
        (0..design.rows())
            .map(|r| {
                design.point(r, &mut x);
                f(&x)
            })
            .collect()
    }

    #[test]
    fn an_additive_linear_function_has_exact_shares() {
        // f = x0 + 2 x1 (x2 unused): V_i ∝ c_i², so S = ST = (1/5, 4/5, 0). Tolerance: 4
        // bootstrap standard errors, which at n = 2^12 are ≈ 0.004–0.017 (bounded by 0.025 so
        // that the check can fail); see tests/integration/sensitivity_methods.rs. (The actual errors of these
        // Sobol points are ≈ 1e-5: the bootstrap treats them as random, so it is conservative.)
        let design = SaltelliDesign::ungrouped(4096, 3).unwrap();
        let y = outputs(&design, |x| x[0] + 2.0 * x[1]);
        let s = estimate(&design, &y, 200, 1);
        let checks = [(s.first[0], 0.2), (s.first[1], 0.8), (s.total[0], 0.2), (s.total[1], 0.8)];
        for (got, want) in checks {
            assert!(got.std_error < 0.025 && (got.estimate - want).abs() <= 4.0 * got.std_error, "{s:?}");
        }
        // f does not depend on x2: its A_B rows reproduce f_A exactly, so both indices are 0.
        assert_eq!((s.first[2].estimate, s.total[2].estimate), (0.0, 0.0));
        // V = 1/12 + 4/12; its bootstrap spread is about 0.4 % of it.
        assert!((s.variance / (5.0 / 12.0) - 1.0).abs() < 0.02, "{}", s.variance);
    }

    #[test]
    fn a_constant_output_gives_zero_indices_not_nan() {
        let design = SaltelliDesign::ungrouped(64, 3).unwrap();
        let y = vec![0.1; design.rows()];
        let s = estimate(&design, &y, 50, 7);
        assert!(s.constant);
        assert_eq!(s.variance, 0.0);
        assert_eq!(s.mean, 0.1);
        for i in s.first.iter().chain(&s.total) {
            assert_eq!(*i, Index { estimate: 0.0, std_error: 0.0, low: 0.0, high: 0.0 });
        }
    }

    #[test]
    fn an_output_that_is_rarely_not_constant_gives_no_nan() {
        // Only one A row differs: many resamples leave it out and have V = 0.
        let design = SaltelliDesign::ungrouped(8, 2).unwrap();
        let mut y = vec![1.0; design.rows()];
        y[design.row(3, super::super::RowKind::A)] = 2.0;
        let s = estimate(&design, &y, 200, 3);
        assert!(!s.constant);
        for i in s.first.iter().chain(&s.total) {
            assert!(i.estimate.is_finite() && i.std_error.is_finite() && i.low.is_finite() && i.high.is_finite());
        }
    }

    #[test]
    fn intervals_contain_the_estimate_and_depend_on_the_seed_only() {
        let design = SaltelliDesign::ungrouped(256, 3).unwrap();
        let y = outputs(&design, |x| x[0] * x[1] + x[2] * x[2]);
        let a = estimate(&design, &y, 300, 11);
        let b = estimate(&design, &y, 300, 11);
        assert_eq!(a, b);
        let c = estimate(&design, &y, 300, 12);
        assert_ne!(a.first[0].low, c.first[0].low);
        assert_eq!(a.first[0].estimate, c.first[0].estimate);
        for i in a.first.iter().chain(&a.total) {
            assert!(i.low <= i.high && i.std_error > 0.0);
        }
        // One thread gives the same bytes as the default pool.
        let one_pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let serial = one_pool.install(|| estimate(&design, &y, 300, 11));
        assert_eq!(a, serial);
    }

    #[test]
    fn a_cancelled_bootstrap_returns_nothing() {
        let design = SaltelliDesign::ungrouped(64, 2).unwrap();
        let y = outputs(&design, |x| x[0] + 2.0 * x[1]);
        assert!(estimate_cancellable(&design, &y, 100, 1, &AtomicBool::new(true)).is_none());
        assert_eq!(
            estimate_cancellable(&design, &y, 100, 1, &AtomicBool::new(false)),
            Some(estimate(&design, &y, 100, 1))
        );
    }

    #[test]
    fn no_resamples_collapse_the_interval() {
        let design = SaltelliDesign::ungrouped(64, 2).unwrap();
        let y = outputs(&design, |x| x[0] + x[1] * x[1]);
        let s = estimate(&design, &y, 0, 0);
        assert_eq!(s.first[0].low, s.first[0].estimate);
        assert_eq!(s.first[0].std_error, 0.0);
    }
}
