//! Exact quantiles of a sample.

/// The `q` quantile of `sorted` (ascending), by linear interpolation between order statistics
/// (Hyndman & Fan type 7, the default of R and numpy). NaN for an empty sample.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Sorts a copy of `values` and returns the quantiles `qs`.
pub fn quantiles(values: &[f64], qs: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    qs.iter().map(|q| quantile_sorted(&v, *q)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_7_matches_numpy() {
        // numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
        let got = quantiles(&[4.0, 1.0, 3.0, 2.0], &[0.0, 0.25, 0.5, 0.9, 1.0]);
        for (g, e) in got.iter().zip([1.0, 1.75, 2.5, 3.7, 4.0]) {
            assert!((g - e).abs() < 1e-12, "{got:?}");
        }
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }
}
