//! Sampling by inversion: a parameter's value is its inverse CDF at one uniform.
//!
//! - The standard normal's inverse CDF by Wichura's algorithm AS 241 (PPND16, Applied
//!   Statistics 37(3), 1988): rational approximations accurate to about 1 part in 10¹⁶.
//! - Beta (and PERT, a scaled beta) by a [`QuantileTable`]: the regularised incomplete beta
//!   function at [`KNOTS`] + 1 equally spaced points of [0, 1], inverted by linear
//!   interpolation. The true quantile and the interpolated one lie in the same cell, so the
//!   error is at most 1/[`KNOTS`] of the range (2.4·10⁻⁴) anywhere; inside the cells where
//!   the density is smooth it is second order, measured below 5·10⁻⁶ of the range for u in
//!   [0.001, 0.999] on the families the scenarios use (the unit tests check both).
//!   That inversion searches the table, and its look-ups miss the cache (a table is 48 kB); to
//!   spare them, the quantile is also tabulated at [`U_CELLS`] + 1 equally spaced u with its
//!   slope (1 / the density there), both refined by Newton's method on the incomplete beta
//!   function, and interpolated by cubic Hermite polynomials in u (8 kB a table) in every
//!   cell of u where that stays within [`DIRECT_TOLERANCE`] (10⁻⁸ of the range) of the
//!   refined quantile at the cell's quarter points; the other cells (the steep tails) search.
//!   Tables are built once per distinct shape per process and shared.
//! - Poisson by its cumulative probabilities, tabulated once per distribution.

use statrs::function::beta::beta_reg;
use statrs::function::gamma::ln_gamma;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The standard normal's inverse CDF at `p` in (0, 1) (AS 241).
#[inline]
#[allow(clippy::excessive_precision)]
pub fn normal_inv(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((2.509_080_928_730_122_7e3 * r + 3.343_057_558_358_812_8e4) * r + 6.726_577_092_700_87e4) * r
                + 4.592_195_393_154_987e4)
                * r
                + 1.373_169_376_550_946e4)
                * r
                + 1.971_590_950_306_551_3e3)
                * r
                + 1.331_416_678_917_843_8e2)
                * r
                + 3.387_132_872_796_366_5)
            / (((((((5.226_495_278_852_545e3 * r + 2.872_908_573_572_194_3e4) * r + 3.930_789_580_009_271e4) * r
                + 2.121_379_430_158_659_7e4)
                * r
                + 5.394_196_021_424_751e3)
                * r
                + 6.871_870_074_920_579e2)
                * r
                + 4.231_333_070_160_091e1)
                * r
                + 1.0);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    if tail <= 0.0 {
        return if q < 0.0 { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    let mut r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        r -= 1.6;
        (((((((7.745_450_142_783_414e-4 * r + 2.272_384_498_926_918_4e-2) * r + 2.417_807_251_774_506e-1) * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_5)
            * r
            + 5.769_497_221_460_691)
            * r
            + 4.630_337_846_156_546)
            * r
            + 1.423_437_110_749_683_5)
            / (((((((1.050_750_071_644_416_9e-9 * r + 5.475_938_084_995_345e-4) * r + 1.519_866_656_361_645_7e-2)
                * r
                + 1.481_039_764_274_800_8e-1)
                * r
                + 6.897_673_349_851e-1)
                * r
                + 1.676_384_830_183_803_8)
                * r
                + 2.053_191_626_637_759)
                * r
                + 1.0)
    } else {
        r -= 5.0;
        (((((((2.010_334_399_292_288_1e-7 * r + 2.711_555_568_743_487_6e-5) * r + 1.242_660_947_388_078_4e-3) * r
            + 2.653_218_952_657_612_4e-2)
            * r
            + 2.965_605_718_285_048_7e-1)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114)
            * r
            + 6.657_904_643_501_103)
            / (((((((2.044_263_103_389_939_7e-15 * r + 1.421_511_758_316_446e-7) * r + 1.846_318_317_510_054_8e-5)
                * r
                + 7.868_691_311_456_133e-4)
                * r
                + 1.487_536_129_085_061_5e-2)
                * r
                + 1.369_298_809_227_358e-1)
                * r
                + 5.998_322_065_558_879e-1)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -z
    } else {
        z
    }
}

/// Cells of a beta quantile table.
pub const KNOTS: usize = 4096;

/// Cells of u of a quantile table's direct part.
pub const U_CELLS: usize = 512;

/// Largest difference allowed, checked at build, between the quantile interpolated in u and the
/// refined quantile, as a share of the range (a cell above it searches).
pub const DIRECT_TOLERANCE: f64 = 1e-8;

/// Tables by the bits of their shapes (alpha, beta).
type TableCache = HashMap<(u64, u64), Arc<QuantileTable>>;

/// The inverse of a beta CDF on [0, 1], by linear interpolation of the CDF at equally spaced
/// knots (see the module documentation for the error bound).
#[derive(Debug)]
pub struct QuantileTable {
    /// F(i / KNOTS) for i = 0..=KNOTS.
    cdf: Vec<f64>,
    /// `guide[k]`: the last knot i < KNOTS with F(x_i) ≤ k / KNOTS (where the search starts).
    guide: Vec<u32>,
    /// The quantile at u = k / U_CELLS and its slope in u, k = 0..=U_CELLS ...
    at_u: Vec<[f64; 2]>,
    /// ... and whether interpolating them is good enough in cell k of u (k = 0..U_CELLS).
    direct: Vec<bool>,
}

impl QuantileTable {
    fn build(alpha: f64, beta: f64) -> QuantileTable {
        let mut cdf: Vec<f64> = (0..=KNOTS).map(|i| beta_reg(alpha, beta, i as f64 / KNOTS as f64)).collect();
        cdf[0] = 0.0;
        cdf[KNOTS] = 1.0;
        for i in 1..=KNOTS {
            // monotone whatever the rounding of the incomplete beta function (and never NaN:
            // the constructors bound the shapes, this keeps a table total regardless)
            let v = cdf[i];
            cdf[i] = if v.is_nan() { cdf[i - 1] } else { v.clamp(cdf[i - 1], 1.0) };
        }
        let mut guide = Vec::with_capacity(KNOTS);
        let mut i = 0;
        for k in 0..KNOTS {
            let level = k as f64 / KNOTS as f64;
            while i + 1 < KNOTS && cdf[i + 1] <= level {
                i += 1;
            }
            guide.push(i as u32);
        }
        let t = QuantileTable { cdf, guide, at_u: Vec::new(), direct: Vec::new() };
        let ln_beta = ln_gamma(alpha) + ln_gamma(beta) - ln_gamma(alpha + beta);
        let density = |x: f64| ((alpha - 1.0) * x.ln() + (beta - 1.0) * (-x).ln_1p() - ln_beta).exp();
        // the search's quantile, refined by up to two steps of Newton's method, each kept only
        // if it brings the CDF closer to u
        let refined = |u: f64| {
            let mut x = t.search(u);
            let mut miss = beta_reg(alpha, beta, x) - u;
            for _ in 0..2 {
                let f = density(x);
                let next = x - miss / f;
                if !(f.is_finite() && f > 0.0 && next.is_finite() && (0.0..=1.0).contains(&next)) {
                    break;
                }
                let next_miss = beta_reg(alpha, beta, next) - u;
                if next_miss.is_nan() || miss.is_nan() || next_miss.abs() >= miss.abs() {
                    break;
                }
                (x, miss) = (next, next_miss);
            }
            x
        };
        let step = 1.0 / U_CELLS as f64;
        let mut at_u: Vec<[f64; 2]> = (0..=U_CELLS)
            .map(|k| {
                let x = refined(k as f64 * step);
                [x, 1.0 / density(x)]
            })
            .collect();
        // never decreasing (in a steep tail Newton's method may stop short of the quantile;
        // those cells search, within their ends)
        for k in 1..=U_CELLS {
            at_u[k][0] = at_u[k][0].max(at_u[k - 1][0]);
        }
        let direct = (0..U_CELLS)
            .map(|k| {
                let finite = at_u[k].iter().chain(&at_u[k + 1]).all(|v| v.is_finite());
                finite
                    && [0.25, 0.5, 0.75].iter().all(|&f| {
                        let u = (k as f64 + f) * step;
                        (hermite(&at_u, k, f) - refined(u)).abs() <= DIRECT_TOLERANCE
                    })
            })
            .collect();
        QuantileTable { at_u, direct, ..t }
    }

    #[inline]
    fn interpolate(&self, k: usize, f: f64) -> f64 {
        hermite(&self.at_u, k, f)
    }

    /// The table of Beta(alpha, beta), built once per process for each shape.
    pub fn shared(alpha: f64, beta: f64) -> Arc<QuantileTable> {
        static CACHE: OnceLock<Mutex<TableCache>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key = (alpha.to_bits(), beta.to_bits());
        if let Some(t) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return t.clone();
        }
        let t = Arc::new(QuantileTable::build(alpha, beta));
        let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= 4096 {
            map.clear(); // (a long goal-seek over shapes: bound the memory)
        }
        map.entry(key).or_insert(t).clone()
    }

    /// The quantile at `u` in (0, 1), in [0, 1].
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let scaled = u.max(0.0) * U_CELLS as f64;
        let k = (scaled as i64 as usize).min(U_CELLS - 1); // (through i64: u ≥ 0, one instruction)
        if self.direct[k] {
            return self.interpolate(k, scaled - k as i64 as f64).clamp(0.0, 1.0);
        }
        // within the cell's tabulated ends, where an interpolating neighbour starts or ends, so
        // that quantiles never decrease across cells (min/max: never a panic on disorder)
        self.search(u).max(self.at_u[k][0]).min(self.at_u[k + 1][0])
    }

    /// The quantile at `u` by searching the CDF's cells.
    fn search(&self, u: f64) -> f64 {
        let k = ((u.max(0.0) * KNOTS as f64) as i64 as usize).min(KNOTS - 1);
        let lo = self.guide[k] as usize;
        let hi = if k + 1 < KNOTS { self.guide[k + 1] as usize + 1 } else { KNOTS - 1 };
        // the cell i with F(x_i) ≤ u < F(x_{i+1}), between lo and hi
        let i = lo + self.cdf[lo + 1..=hi.max(lo)].partition_point(|f| *f <= u);
        let i = i.min(KNOTS - 1);
        let (f0, f1) = (self.cdf[i], self.cdf[i + 1]);
        let t = if f1 > f0 { ((u - f0) / (f1 - f0)).clamp(0.0, 1.0) } else { 0.0 };
        (i as i64 as f64 + t) / KNOTS as f64
    }
}

/// The quantile interpolated in u in cell `k` of u, at its share `f` of the cell: the cubic
/// Hermite polynomial through the quantiles and slopes (`at_u`) at the cell's ends.
#[inline]
fn hermite(at_u: &[[f64; 2]], k: usize, f: f64) -> f64 {
    let ([q0, s0], [q1, s1]) = (at_u[k], at_u[k + 1]);
    let h = 1.0 / U_CELLS as f64;
    let (f2, f3) = (f * f, f * f * f);
    q0 * (2.0 * f3 - 3.0 * f2 + 1.0) + h * s0 * (f3 - 2.0 * f2 + f) + q1 * (3.0 * f2 - 2.0 * f3) + h * s1 * (f3 - f2)
}

/// A lazily built shared table (clones of a distribution share it).
pub type LazyTable = Arc<OnceLock<Arc<QuantileTable>>>;

/// Cumulative Poisson probabilities P(X ≤ k) while they are below 1 − 10⁻¹⁶ (λ ≤ 700: beyond,
/// e^−λ underflows and the quantile is computed instead).
pub fn poisson_cdf_table(lambda: f64) -> Vec<f64> {
    if lambda > 700.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut pmf, mut cum) = ((-lambda).exp(), 0.0);
    let mut k = 0.0;
    while cum < 1.0 - 1e-16 && out.len() < 100_000 {
        cum += pmf;
        out.push(cum);
        k += 1.0;
        pmf *= lambda / k;
        if pmf == 0.0 && k > lambda {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::function::beta::inv_beta_reg;

    #[test]
    fn extreme_shapes_never_panic() {
        for (a, b) in [(1e6, 1e6), (1e-6, 1e-6), (1e6, 1e-6), (1e300, 1e300), (f64::MIN_POSITIVE, 2.0)] {
            let t = QuantileTable::build(a, b);
            for u in [1e-12, 0.25, 0.5, 0.75, 1.0 - 1e-12] {
                let q = t.quantile(u);
                assert!((0.0..=1.0).contains(&q), "Beta({a}, {b}) at {u}: {q}");
            }
        }
    }

    #[test]
    fn normal_inverse_matches_statrs_and_known_values() {
        assert_eq!(normal_inv(0.5), 0.0);
        assert!((normal_inv(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((normal_inv(0.9) - 1.281_551_565_544_600_4).abs() < 1e-14);
        for i in 1..2000 {
            let p = i as f64 / 2000.0;
            let want = super::super::quantile::normal_quantile(p);
            assert!((normal_inv(p) - want).abs() < 1e-9 * (1.0 + want.abs()), "{p}: {} vs {want}", normal_inv(p));
            assert!((normal_inv(p) + normal_inv(1.0 - p)).abs() < 1e-12, "{p}: not symmetric");
        }
        // the far tails (the smallest uniform handed out is 2^-54): Φ(Φ⁻¹(p)) = p
        for p in [1e-6, 1e-10, 0.5 / (1u64 << 53) as f64, 1e-300] {
            let back = super::super::quantile::normal_cdf(normal_inv(p));
            assert!((back / p - 1.0).abs() < 1e-9, "{p}: {back}");
        }
    }

    #[test]
    fn beta_tables_stay_within_their_error_bound() {
        // shapes as PERT makes them (1 + 4·(mode − min)/range, …) and plain betas of the scenarios
        let bound = 1.0 / KNOTS as f64;
        let mut worst_inner: f64 = 0.0;
        for (a, b) in [(1.0, 5.0), (2.0, 4.0), (3.0, 3.0), (1.4, 4.6), (4.9, 1.1), (0.5, 0.5), (2.0, 30.0), (8.0, 2.0)]
        {
            let t = QuantileTable::build(a, b);
            for i in 1..20_000 {
                let u = i as f64 / 20_000.0;
                let (got, want) = (t.quantile(u), inv_beta_reg(a, b, u));
                assert!((got - want).abs() <= bound * 1.0001, "Beta({a}, {b}) at {u}: {got} vs {want}");
                if (0.001..=0.999).contains(&u) && a >= 1.0 && b >= 1.0 {
                    worst_inner = worst_inner.max((got - want).abs());
                }
            }
            assert!(t.quantile(1e-300) < 1e-6);
            assert!(t.quantile(1.0 - 1e-16) <= 1.0);
        }
        eprintln!("worst interior error {worst_inner:e}");
        assert!(worst_inner < 1e-5, "worst interior error {worst_inner}");
    }

    #[test]
    fn interpolating_in_u_stays_within_its_tolerance_in_most_cells() {
        for (a, b) in [(1.0, 5.0), (2.0, 4.0), (3.0, 3.0), (1.4, 4.6), (4.9, 1.1), (0.5, 0.5), (2.0, 30.0), (8.0, 2.0)]
        {
            let t = QuantileTable::build(a, b);
            let mut worst: f64 = 0.0;
            for i in 1..20_000 {
                let u = i as f64 / 20_000.0;
                if t.direct[(u * U_CELLS as f64) as usize] {
                    worst = worst.max((t.quantile(u) - inv_beta_reg(a, b, u)).abs());
                }
            }
            // checked at three points of a cell; between them a smooth cell stays as close
            assert!(worst <= 1e-7, "Beta({a}, {b}): {worst:e}");
            let share = t.direct.iter().filter(|d| **d).count() as f64 / U_CELLS as f64;
            eprintln!("Beta({a}, {b}): {share} of the cells interpolate in u, worst {worst:e}");
            if a >= 1.0 && b >= 1.0 {
                assert!(share > 0.9, "Beta({a}, {b}): {share} of the cells interpolate in u");
            }
        }
    }

    #[test]
    fn quantiles_never_decrease_in_u_across_interpolated_and_searched_cells() {
        for (a, b) in [(1.0, 5.0), (2.0, 4.0), (0.5, 0.5), (2.0, 30.0), (8.0, 2.0), (1.0, 1.0)] {
            let t = QuantileTable::build(a, b);
            let mut last = 0.0;
            for i in 1..400_000 {
                let u = i as f64 / 400_000.0;
                let q = t.quantile(u);
                assert!(q >= last, "Beta({a}, {b}) at {u}: {q} < {last}");
                last = q;
            }
            // and just either side of every cell edge
            for k in 1..U_CELLS {
                let edge = k as f64 / U_CELLS as f64;
                let (below, at) = (t.quantile(edge - 1e-12), t.quantile(edge));
                assert!(at >= below, "Beta({a}, {b}) at the edge {edge}: {at} < {below}");
            }
        }
    }

    #[test]
    fn poisson_tables_are_cumulative_probabilities() {
        let t = poisson_cdf_table(3.5);
        assert!((t[0] - (-3.5f64).exp()).abs() < 1e-15);
        // F(2) = e^−λ (1 + λ + λ²/2)
        let want = (-3.5f64).exp() * (1.0 + 3.5 + 3.5 * 3.5 / 2.0);
        assert!((t[2] - want).abs() < 1e-15, "{} vs {want}", t[2]);
        assert!(*t.last().unwrap() >= 1.0 - 1e-16 || t.len() > 30);
        assert!(poisson_cdf_table(1000.0).is_empty());
    }
}
