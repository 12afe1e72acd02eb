//! Equal-width histograms of a sample (for the distribution-at-deadline charts).

/// Bin edges (one more than counts) and counts.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

impl Histogram {
    /// About `bins` equal-width bins over the sample's range. Whole-number samples with a small
    /// range get one bin per whole number (edges at k ± 0.5).
    pub fn of(values: &[f64], bins: usize) -> Histogram {
        let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        if values.is_empty() || !lo.is_finite() {
            return Histogram { edges: vec![0.0, 1.0], counts: vec![0] };
        }
        let whole = values.iter().all(|x| x.fract() == 0.0);
        let edges: Vec<f64> = if whole && hi - lo <= 2.0 * bins as f64 {
            let step = ((hi - lo) / bins as f64).ceil().max(1.0);
            let n = ((hi - lo) / step).floor() as usize + 1;
            (0..=n).map(|i| lo - 0.5 + i as f64 * step).collect()
        } else if hi > lo {
            let width = (hi - lo) / bins as f64;
            (0..=bins).map(|i| lo + i as f64 * width).collect()
        } else {
            vec![lo - 0.5, hi + 0.5]
        };
        let n = edges.len() - 1;
        let mut counts = vec![0u64; n];
        let (first, width) = (edges[0], (edges[n] - edges[0]) / n as f64);
        for &x in values {
            let i = (((x - first) / width).floor().max(0.0) as usize).min(n - 1);
            counts[i] += 1;
        }
        Histogram { edges, counts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_value_once() {
        let xs: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.37).sin() * 100.0).collect();
        let h = Histogram::of(&xs, 25);
        assert_eq!(h.counts.iter().sum::<u64>(), 1000);
        assert_eq!(h.edges.len(), 26);
        let ints = [8.0, 9.0, 9.0, 10.0, 13.0];
        let h = Histogram::of(&ints, 40);
        assert_eq!(h.edges.first(), Some(&7.5));
        assert_eq!(h.counts, vec![1, 2, 1, 0, 0, 1]);
    }
}
