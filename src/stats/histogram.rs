//! Equal-width histograms of a sample (for the distribution-at-deadline charts).

/// Bin edges (one more than counts) and counts.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    /// Values below the first edge and at or above the last (the far tails, not drawn).
    #[serde(default)]
    pub below: u64,
    #[serde(default)]
    pub above: u64,
}

impl Histogram {
    /// About `bins` equal-width bins over the sample's range, one edge exactly where values start
    /// to count as reaching `anchor` (a target): at `anchor` itself, or for whole-number samples
    /// at ⌈anchor⌉ − ½, with whole-number widths so no bin holds more integers than another. The
    /// bins whose middle is ≥ `anchor` then hold exactly the values ≥ `anchor`.
    ///
    /// The bins span the 0.1th to 99.9th percentiles (widened to the extremes where the anchor
    /// lies beyond them), so a few far outliers do not squeeze the rest into a corner; values
    /// outside are counted in `below` and `above`.
    pub fn of(values: &[f64], bins: usize, anchor: f64) -> Histogram {
        let bins = bins.max(1);
        let (min, max) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        if values.is_empty() || !min.is_finite() || !max.is_finite() {
            return Histogram { edges: vec![0.0, 1.0], counts: vec![0], below: 0, above: 0 };
        }
        let anchor = if anchor.is_finite() { anchor } else { min };
        let (q_lo, q_hi) = tails(values);
        let lo = if anchor < q_lo && anchor > min { min } else { q_lo };
        let hi = if anchor > q_hi && anchor <= max { max } else { q_hi };
        let whole = values.iter().all(|x| x.fract() == 0.0);
        let (origin, width) = if whole {
            (anchor.ceil() - 0.5, ((hi - lo + 1.0) / bins as f64).ceil().max(1.0))
        } else if hi > lo {
            (anchor, (hi - lo) / bins as f64)
        } else {
            (lo - 0.5, 1.0)
        };
        // the first edge at or below `lo` on the grid origin + k · width
        let first = origin + ((lo - origin) / width).floor() * width;
        let n = (((hi - first) / width).floor() as usize + 1).max(1);
        let edges: Vec<f64> = (0..=n).map(|i| first + i as f64 * width).collect();
        let mut counts = vec![0u64; n];
        let (mut below, mut above) = (0, 0);
        for &x in values {
            let k = ((x - first) / width).floor();
            if k < 0.0 {
                below += 1;
            } else if k >= n as f64 {
                above += 1;
            } else {
                counts[k as usize] += 1;
            }
        }
        Histogram { edges, counts, below, above }
    }

    /// The number of values ≥ `anchor` for the anchor the histogram was made with: those in
    /// bins whose middle is at or above it, and those beyond the bins on its side.
    pub fn count_from(&self, anchor: f64) -> u64 {
        let binned: u64 = self
            .counts
            .iter()
            .enumerate()
            .filter(|(i, _)| (self.edges[*i] + self.edges[*i + 1]) / 2.0 >= anchor)
            .map(|(_, c)| c)
            .sum();
        // values below the bins are below the anchor, unless the anchor lies below them all
        // (Histogram::of widens the bins down to the anchor whenever some value is below it)
        let below = if anchor < self.edges[0] { self.below } else { 0 };
        // and values above the bins are above it, unless it lies above them all
        let above = if anchor <= self.edges[self.edges.len() - 1] { self.above } else { 0 };
        binned + above + below
    }

    /// Every value counted, drawn or not.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.below + self.above
    }
}

/// The 0.1th and 99.9th percentiles (order statistics) of a non-empty sample.
fn tails(values: &[f64]) -> (f64, f64) {
    let mut v: Vec<f64> = values.to_vec();
    let n = v.len();
    let (i, j) = ((n - 1) / 1000, n - 1 - (n - 1) / 1000);
    let lo = *v.select_nth_unstable_by(i, f64::total_cmp).1;
    let hi = *v.select_nth_unstable_by(j, f64::total_cmp).1;
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_value_once() {
        let xs: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.37).sin() * 100.0).collect();
        let h = Histogram::of(&xs, 25, 0.0);
        assert_eq!(h.total(), 1000);
        assert!((25..=27).contains(&h.counts.len()), "{}", h.counts.len());
        let ints = [8.0, 9.0, 9.0, 10.0, 13.0];
        let h = Histogram::of(&ints, 40, 20.0);
        assert_eq!(h.edges.first(), Some(&7.5));
        assert_eq!(h.counts, vec![1, 2, 1, 0, 0, 1]);
    }

    #[test]
    fn far_outliers_do_not_stretch_the_bins() {
        // 10,000 values in 0..100 and one at 10,000: the bins cover 0..100, the outlier is in the last
        let mut xs: Vec<f64> = (0..10_000).map(|i| (i % 100) as f64 + 0.5).collect();
        xs.push(10_000.0);
        let h = Histogram::of(&xs, 20, 50.0);
        assert!(*h.edges.last().unwrap() < 110.0, "{:?}", h.edges);
        assert_eq!(h.total(), 10_001);
        assert_eq!(h.above, 1);
        assert_eq!(h.count_from(50.0), xs.iter().filter(|&&x| x >= 50.0).count() as u64);
        // an anchor out among the outliers widens the bins to reach it, so the count stays exact
        let h = Histogram::of(&xs, 20, 5_000.0);
        assert_eq!(h.count_from(5_000.0), 1);
    }

    #[test]
    fn the_bins_from_the_anchor_hold_exactly_the_values_reaching_it() {
        // whole numbers 100..=299 with 40 bins: width 5, an edge at 199.5
        let ints: Vec<f64> = (0..2000).map(|i| (100 + (i * 37) % 200) as f64).collect();
        let h = Histogram::of(&ints, 40, 200.0);
        assert!(h.edges.contains(&199.5), "{:?}", h.edges);
        assert_eq!(h.edges[1] - h.edges[0], 5.0);
        assert_eq!(h.count_from(200.0), ints.iter().filter(|&&x| x >= 200.0).count() as u64);
        // continuous values with the anchor outside their range, and inside it
        let xs: Vec<f64> = (0..5000).map(|i| 1.0e4 + 7.3 * i as f64).collect();
        for anchor in [3.0e4, 2.2e4, 0.0, 1.0e4, 1.0e6, 46_491.0] {
            let h = Histogram::of(&xs, 40, anchor);
            assert_eq!(h.total(), 5000);
            assert!(h.edges.len() <= 43, "{}", h.edges.len());
            assert_eq!(h.count_from(anchor), xs.iter().filter(|&&x| x >= anchor).count() as u64, "anchor {anchor}");
        }
    }
}
