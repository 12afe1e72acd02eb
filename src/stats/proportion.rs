//! The share of trials in which something happened, with a Wilson score interval.

/// The 97.5th percentile of the standard normal: a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A closed interval of probabilities.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

/// Counts of hits among trials. Mergeable: `a.merge(b)` equals counting both sets at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Proportion {
    pub hits: u64,
    pub trials: u64,
}

impl Proportion {
    pub fn record(&mut self, hit: bool) {
        self.trials += 1;
        self.hits += hit as u64;
    }

    pub fn merge(&mut self, other: &Proportion) {
        self.hits += other.hits;
        self.trials += other.trials;
    }

    /// The estimate hits / trials (0 when there are no trials).
    pub fn estimate(&self) -> f64 {
        if self.trials == 0 {
            0.0
        } else {
            self.hits as f64 / self.trials as f64
        }
    }

    /// The Wilson score interval at normal quantile `z` (e.g. [`Z95`]). Unlike the Wald interval
    /// it stays inside [0, 1] and is not empty when every trial (or none) is a hit.
    /// With no trials it is the whole of [0, 1].
    pub fn wilson(&self, z: f64) -> Interval {
        if self.trials == 0 {
            return Interval { low: 0.0, high: 1.0 };
        }
        let n = self.trials as f64;
        let p = self.estimate();
        let z2 = z * z;
        let denom = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denom;
        let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        // exact ends at p = 0 and p = 1 (rounding would leave 1e-17 off)
        let low = if self.hits == 0 { 0.0 } else { (centre - half).max(0.0) };
        let high = if self.hits == self.trials { 1.0 } else { (centre + half).min(1.0) };
        Interval { low, high }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(hits: u64, trials: u64) -> Proportion {
        Proportion { hits, trials }
    }

    #[test]
    fn wilson_matches_published_values() {
        // 8 of 10: 95 % Wilson interval 0.4902–0.9433 (Newcombe 1998, Table I style values)
        let i = p(8, 10).wilson(Z95);
        assert!((i.low - 0.4902).abs() < 5e-5 && (i.high - 0.9433).abs() < 5e-5, "{i:?}");
        // 0 of 10: upper end z²/(n+z²) = 0.2775
        let i = p(0, 10).wilson(Z95);
        assert_eq!(i.low, 0.0);
        assert!((i.high - Z95 * Z95 / (10.0 + Z95 * Z95)).abs() < 1e-12, "{i:?}");
        // 10 of 10: mirror image
        let i = p(10, 10).wilson(Z95);
        assert_eq!(i.high, 1.0);
        assert!((i.low - 10.0 / (10.0 + Z95 * Z95)).abs() < 1e-12, "{i:?}");
        assert_eq!(p(0, 0).wilson(Z95), Interval { low: 0.0, high: 1.0 });
    }

    #[test]
    fn wilson_contains_the_estimate_and_shrinks_like_one_over_root_n() {
        for (h, n) in [(1, 3), (50, 100), (999, 1000), (12_345, 100_000)] {
            let x = p(h, n);
            let i = x.wilson(Z95);
            assert!(i.low <= x.estimate() && x.estimate() <= i.high);
        }
        let w1 = p(5_000, 10_000).wilson(Z95).half_width();
        let w4 = p(20_000, 40_000).wilson(Z95).half_width();
        assert!((w1 / w4 - 2.0).abs() < 1e-3, "{}", w1 / w4);
        // at p = 0.5 and large n the half-width is z·sqrt(p(1-p)/n)
        assert!((w1 - Z95 * (0.25f64 / 10_000.0).sqrt()).abs() < 1e-5);
    }

    #[test]
    fn merge_equals_counting_together() {
        let mut a = Proportion::default();
        let mut b = Proportion::default();
        let mut all = Proportion::default();
        for i in 0..1000u64 {
            let hit = (i * 7919) % 13 < 5;
            if i % 3 == 0 {
                a.record(hit)
            } else {
                b.record(hit)
            }
            all.record(hit);
        }
        a.merge(&b);
        assert_eq!(a, all);
    }
}
