//! How much of the variance of a noisy function of independent inputs each input explains on
//! its own (its first-order share), from a plain sample of the inputs — the binning estimator of
//! EVPPI-style analyses, made unbiased for the noise of the function's estimates.
//!
//! The data: for each of `W` points (plausible worlds) the uniforms `u[d]` of its inputs and two
//! independent estimates `a`, `b` of the function there (the two halves of its inner trials).
//! Products `a·b` instead of squares remove the inner noise from every variance: `E[a b | x] =
//! f(x)²` while `E[a² | x] = f(x)² + noise`. So
//!
//! - the variance of `f` is the sample covariance of `a` and `b` over the points;
//! - the variance of `E[f | input d]` is estimated by binning `u[d]` into `B` equal-probability
//!   bins (uniforms: equal widths) and taking the one-way (fixed-effects) ANOVA estimator of
//!   the variance of the bin means, `(SSB − (k − 1) MSW) / W`, with cross-products in place of
//!   squares. It
//!   estimates the variance of `E[f | bin]`, a little below that of `E[f | u[d]]` when `f` varies
//!   within a bin (the finer the bins the smaller that loss, the noisier the estimate).
//!
//! A group of several inputs (one parameter in several blocks) is estimated by regression on its
//! members' uniforms instead (bins of 20 inputs at once would be empty): the variance of the
//! least-squares fit, again from cross-products of the halves, less its expected overfit
//! (`k` parameters × the residual variance). It captures the part of `E[f | group]` that is
//! linear in the members' uniforms: a lower bound of the group's first-order share.
//!
//! Intervals: ±1.96 bootstrap standard deviations over the points (a percentile interval
//! would inherit the bias that resampled duplicates give the noise corrections).

use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

/// The estimate and its 95 % bootstrap percentile interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
    /// The bootstrap standard deviation of the estimate.
    pub std_error: f64,
}

/// The bin count for `w` points: about √w/2, between 2 and 20 (≥ 10 points a bin on average).
pub fn bins_for(w: usize) -> usize {
    (((w as f64).sqrt() / 2.0).round() as usize).clamp(2, 20)
}

/// The bin of a uniform in (0, 1).
#[inline]
pub fn bin_of(u: f64, bins: usize) -> usize {
    ((u * bins as f64) as usize).min(bins - 1)
}

/// Unbiased covariance of `a` and `b` over the points with weights (multiplicities) `w`.
fn covariance(a: &[f64], b: &[f64], w: &[u32]) -> f64 {
    let n: f64 = w.iter().map(|&k| k as f64).sum();
    if n < 2.0 {
        return f64::NAN;
    }
    let (mut sa, mut sb, mut sab) = (0.0, 0.0, 0.0);
    for i in 0..a.len() {
        let k = w[i] as f64;
        sa += k * a[i];
        sb += k * b[i];
        sab += k * a[i] * b[i];
    }
    (sab - sa * sb / n) / (n - 1.0)
}

/// The between-bin variance component of `f` over the bins `bin[i]` of one input, from the
/// two half estimates, with multiplicities `w`.
fn between(a: &[f64], b: &[f64], bin: &[u8], w: &[u32], bins: usize) -> f64 {
    let mut n = [0.0f64; 20];
    let mut sa = [0.0f64; 20];
    let mut sb = [0.0f64; 20];
    let mut sab = [0.0f64; 20];
    for i in 0..a.len() {
        let k = w[i] as f64;
        if k == 0.0 {
            continue;
        }
        let j = bin[i] as usize;
        n[j] += k;
        sa[j] += k * a[i];
        sb[j] += k * b[i];
        sab[j] += k * a[i] * b[i];
    }
    let total: f64 = n[..bins].iter().sum();
    let used = n[..bins].iter().filter(|&&x| x > 0.0).count();
    if used < 2 || total <= used as f64 {
        return f64::NAN;
    }
    let (ma, mb) = (sa[..bins].iter().sum::<f64>() / total, sb[..bins].iter().sum::<f64>() / total);
    let (mut ssb, mut ssw) = (0.0, 0.0);
    for j in 0..bins {
        if n[j] == 0.0 {
            continue;
        }
        let (aj, bj) = (sa[j] / n[j], sb[j] / n[j]);
        ssb += n[j] * (aj - ma) * (bj - mb);
        ssw += sab[j] - n[j] * aj * bj;
    }
    // bins are fixed intervals (fixed effects): E[SSB] = (k − 1) σ²_within + Σ n_j (m_j − m)²
    let k = used as f64;
    let msw = ssw / (total - k);
    (ssb - (k - 1.0) * msw) / total
}

/// The cross-product regression estimate of the variance that the members `dims` explain
/// linearly, for each output (`a[o]`, `b[o]`), at multiplicities `w`.
fn regression(a: &[Vec<f64>], b: &[Vec<f64>], u: &[Vec<f64>], dims: &[usize], w: &[u32]) -> Vec<f64> {
    let k = dims.len();
    let n: f64 = w.iter().map(|&x| x as f64).sum();
    let nan = vec![f64::NAN; a.len()];
    if n <= (k + 1) as f64 {
        return nan;
    }
    // weighted means of the members' uniforms
    let mut mean = vec![0.0; k];
    for (i, p) in u.iter().enumerate() {
        let c = w[i] as f64;
        for (m, &d) in mean.iter_mut().zip(dims) {
            *m += c * p[d];
        }
    }
    mean.iter_mut().for_each(|m| *m /= n);
    let mut xtx = nalgebra::DMatrix::<f64>::zeros(k, k);
    let mut x = vec![0.0; k];
    for (i, p) in u.iter().enumerate() {
        let c = w[i] as f64;
        if c == 0.0 {
            continue;
        }
        for (j, &d) in dims.iter().enumerate() {
            x[j] = p[d] - mean[j];
        }
        for r in 0..k {
            for col in 0..=r {
                xtx[(r, col)] += c * x[r] * x[col];
            }
        }
    }
    for r in 0..k {
        for col in 0..r {
            xtx[(col, r)] = xtx[(r, col)];
        }
    }
    let Some(chol) = xtx.clone().cholesky() else { return nan };
    a.iter()
        .zip(b)
        .map(|(a, b)| {
            let (mut sa, mut sb, mut sab) = (0.0, 0.0, 0.0);
            let mut xa = nalgebra::DVector::<f64>::zeros(k);
            let mut xb = nalgebra::DVector::<f64>::zeros(k);
            for (i, p) in u.iter().enumerate() {
                let c = w[i] as f64;
                if c == 0.0 {
                    continue;
                }
                sa += c * a[i];
                sb += c * b[i];
                sab += c * a[i] * b[i];
                for (j, &d) in dims.iter().enumerate() {
                    let xj = p[d] - mean[j];
                    xa[j] += c * xj * a[i];
                    xb[j] += c * xj * b[i];
                }
            }
            let ba = chol.solve(&xa);
            // cross sums of squares: fitted (β_a' X'X β_b = β_a' X'b) and total
            let ssr = ba.dot(&xb);
            let sst = sab - sa * sb / n;
            let sse = sst - ssr;
            let resid = sse / (n - k as f64 - 1.0);
            (ssr - k as f64 * resid) / n
        })
        .collect()
}

/// The explained variance of every group for every output (`[group][output]`), and the
/// outputs' variances, at multiplicities `w`.
fn explained(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    u: &[Vec<f64>],
    bins: &[Vec<u8>],
    nbins: usize,
    groups: &[Vec<usize>],
    w: &[u32],
) -> (Vec<f64>, Vec<Vec<f64>>) {
    let variance: Vec<f64> = a.iter().zip(b).map(|(a, b)| covariance(a, b, w)).collect();
    let per_group = groups
        .iter()
        .map(|g| match g.as_slice() {
            [d] => a.iter().zip(b).map(|(a, b)| between(a, b, &bins[*d], w, nbins)).collect(),
            dims => regression(a, b, u, dims, w),
        })
        .collect();
    (variance, per_group)
}

/// The work of one bootstrap resample (element operations) for `points` points, groups of the
/// given sizes and `outputs` outputs: binning is linear in the points, regression quadratic in
/// the group's size.
pub fn resample_work(points: usize, group_sizes: &[usize], outputs: usize) -> f64 {
    let per_point: usize =
        group_sizes.iter().map(|&k| if k == 1 { 4 * outputs } else { k * k + 2 * k * outputs }).sum();
    points as f64 * per_point as f64
}

/// First-order shares of groups of inputs in the variance of one output.
#[derive(Clone, Debug, PartialEq)]
pub struct Shares {
    /// The variance of the output over the points, inner noise removed.
    pub variance: f64,
    /// Per group, in the order given.
    pub groups: Vec<Estimate>,
    pub bins: usize,
}

/// The first-order share of each group (a list of input dimensions) in the variance of each
/// output, whose half estimates at the points are `a[o]` and `b[o]`; `u[i][d]` are the points'
/// uniforms. `resamples` bootstrap resamples (keyed by `seed`) give the intervals. `None` for
/// an output that does not vary over the points (its variance is not above `min_variance`).
pub fn first_order_shares(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    u: &[Vec<f64>],
    groups: &[Vec<usize>],
    resamples: usize,
    seed: u64,
    min_variance: f64,
) -> Vec<Option<Shares>> {
    let w = u.len();
    let nbins = bins_for(w);
    let dims = u.first().map_or(0, Vec::len);
    let bins: Vec<Vec<u8>> = (0..dims).map(|d| u.iter().map(|p| bin_of(p[d], nbins) as u8).collect()).collect();
    let ones = vec![1u32; w];
    let (variance, point) = explained(a, b, u, &bins, nbins, groups, &ones);
    // each resample draws from its own keyed generator, so the intervals do not depend on how
    // the resamples are spread over threads
    let replicates: Vec<(Vec<f64>, Vec<Vec<f64>>)> = (0..resamples as u64)
        .into_par_iter()
        .map(|r| {
            let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(crate::engine::streams::mix(
                seed ^ r.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            ));
            let mut mult = vec![0u32; w];
            for _ in 0..w {
                mult[rng.random_range(0..w)] += 1;
            }
            explained(a, b, u, &bins, nbins, groups, &mult)
        })
        .collect();
    // boot[o][g]: the bootstrap shares
    let mut boot: Vec<Vec<Vec<f64>>> = vec![vec![Vec::with_capacity(resamples); groups.len()]; a.len()];
    for (v, e) in &replicates {
        for (o, vo) in v.iter().enumerate() {
            if vo.is_nan() || *vo <= 0.0 {
                continue;
            }
            for (g, eg) in e.iter().enumerate() {
                let x = eg[o] / vo;
                if x.is_finite() {
                    boot[o][g].push(x);
                }
            }
        }
    }
    (0..a.len())
        .map(|o| {
            if variance[o].is_nan() || variance[o] <= min_variance {
                return None;
            }
            let groups = point
                .iter()
                .zip(&boot[o])
                .map(|(e, bs)| {
                    let estimate = e[o] / variance[o];
                    let n = bs.len() as f64;
                    let mean = bs.iter().sum::<f64>() / n.max(1.0);
                    let sd = (bs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
                    let half = super::Z95 * sd;
                    Estimate { estimate, low: estimate - half, high: estimate + half, std_error: sd }
                })
                .collect();
            Some(Shares { variance: variance[o], groups, bins: nbins })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keyed uniform for tests.
    fn unif(i: u64, k: u64) -> f64 {
        let x = crate::engine::streams::mix(i.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ k);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    #[test]
    fn an_additive_function_of_two_inputs_splits_its_variance_by_their_variances() {
        // f = 2 u0 + u1 (+ noise of sd 0.3 in each half): Var(2 u0) = 4/12, Var(u1) = 1/12
        let w = 4000;
        let u: Vec<Vec<f64>> = (0..w).map(|i| vec![unif(i, 1), unif(i, 2), unif(i, 3)]).collect();
        let noise = |i: u64, k: u64| (unif(i, k) - 0.5) * 0.3 * 12f64.sqrt();
        let f: Vec<f64> = u.iter().map(|p| 2.0 * p[0] + p[1]).collect();
        let a: Vec<f64> = (0..w).map(|i| f[i as usize] + noise(i, 10)).collect();
        let b: Vec<f64> = (0..w).map(|i| f[i as usize] + noise(i, 11)).collect();
        let s = first_order_shares(
            std::slice::from_ref(&a),
            std::slice::from_ref(&b),
            &u,
            &[vec![0], vec![1], vec![2]],
            100,
            7,
            0.0,
        )[0]
        .clone()
        .unwrap();
        // binning loses Var within a bin: slope² w²/12 with bin width 1/20
        let bins = s.bins as f64;
        let loss = |slope: f64| slope * slope / (12.0 * bins * bins);
        let total = 5.0 / 12.0;
        let want = [(4.0 / 12.0 - loss(2.0)) / total, (1.0 / 12.0 - loss(1.0)) / total, 0.0];
        assert!((s.variance - total).abs() < 0.03, "variance {}", s.variance);
        for (g, e) in s.groups.iter().zip(want) {
            assert!((g.estimate - e).abs() < 4.5 * g.std_error + 1e-9, "{g:?} vs {e}");
            assert!(g.low <= g.estimate && g.estimate <= g.high, "{g:?}");
        }
        // a group of two inputs acting linearly: regression explains all of it (no bin loss)
        let both = first_order_shares(&[a], &[b], &u, &[vec![0, 1], vec![1, 2]], 100, 7, 0.0)[0].clone().unwrap();
        let (g01, g12) = (both.groups[0], both.groups[1]);
        assert!((g01.estimate - 1.0).abs() < 4.5 * g01.std_error + 1e-9, "{g01:?}");
        assert!((g12.estimate - 0.2).abs() < 4.5 * g12.std_error + 1e-9, "{g12:?}");
    }

    #[test]
    fn a_constant_output_has_no_shares() {
        let u: Vec<Vec<f64>> = (0..100).map(|i| vec![unif(i, 1)]).collect();
        let a = vec![0.3; 100];
        assert!(first_order_shares(
            std::slice::from_ref(&a),
            std::slice::from_ref(&a),
            &u,
            &[vec![0], vec![0, 0]],
            10,
            1,
            1e-12
        )[0]
        .is_none());
    }

    #[test]
    fn bins_grow_with_the_sample() {
        assert_eq!(bins_for(16), 2);
        assert_eq!(bins_for(400), 10);
        assert_eq!(bins_for(100_000), 20);
        assert_eq!(bin_of(0.999_999, 10), 9);
        assert_eq!(bin_of(0.05, 10), 0);
    }
}
