//! A mergeable histogram with logarithmic buckets: quantiles within 0.39 % relative error (2⁻⁸)
//! with memory fixed in advance, whatever the number of values. Used for the monthly bands of
//! the fan charts, where keeping every trial's value for every month would grow with trials.

/// Mantissa bits kept per bucket: each power of two is split into 2^7 = 128 buckets, so a
/// bucket's midpoint is within 2^-8 ≈ 0.39 % of any value in it.
const MANTISSA_BITS: u32 = 7;
const SHIFT: u32 = 52 - MANTISSA_BITS;
/// Smallest magnitude kept apart from zero: 2^-7.
const MIN_ABS: f64 = 0.0078125;
/// Largest magnitude with its own bucket: 2^47 ≈ 1.4e14 (larger values share the last one).
const MAX_EXPONENT: i32 = 47;
pub const BUCKETS: usize = ((MAX_EXPONENT + 7) as usize) << MANTISSA_BITS;
/// Memory of one sketch of non-negative values at most: its positive bucket counts (27,648
/// bytes) when values fall in every power of two; negative values add as much again. A sketch
/// allocates only the powers of two its values fall in (a monthly band: a few kilobytes).
pub const SKETCH_BYTES: u64 = (BUCKETS * std::mem::size_of::<u32>()) as u64;

/// Counts of values by sign and logarithmic bucket, plus their exact sum.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogSketch {
    positive: Buckets,
    negative: Buckets,
    zero: u64,
    count: u64,
    sum: f64,
}

/// Buckets of one power of two (a page).
const PAGE: usize = 1 << MANTISSA_BITS;
/// Powers of two with buckets of their own.
const PAGES: usize = BUCKETS / PAGE;

/// Bucket counts stored by the page (power of two), a page allocated when a value first falls
/// in it. A month's values of one metric span a few powers of two of the 54, so a sketch
/// holds a few kilobytes instead of 27, and adding a value touches memory that stays in cache.
#[derive(Clone, Debug)]
struct Buckets {
    /// `slot[p]`: 1 + the index in `pages` of power of two `p`'s page; 0 for none.
    slot: [u8; PAGES],
    pages: Vec<[u32; PAGE]>,
}

impl Default for Buckets {
    fn default() -> Buckets {
        Buckets { slot: [0; PAGES], pages: Vec::new() }
    }
}

impl Buckets {
    #[inline]
    fn add(&mut self, i: usize) {
        let p = i / PAGE;
        if self.slot[p] == 0 {
            self.pages.push([0; PAGE]);
            self.slot[p] = self.pages.len() as u8; // PAGES < 256
        }
        self.pages[self.slot[p] as usize - 1][i % PAGE] += 1;
    }

    /// Bucket `p`'s page, if any value fell in it.
    #[inline]
    fn page(&self, p: usize) -> Option<&[u32; PAGE]> {
        (self.slot[p] > 0).then(|| &self.pages[self.slot[p] as usize - 1])
    }

    fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The non-empty buckets as (index, count), in increasing index.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (usize, u32)> + '_ {
        (0..PAGES)
            .filter_map(move |p| self.page(p).map(|page| (p, page)))
            .flat_map(|(p, page)| page.iter().enumerate().map(move |(k, &c)| (p * PAGE + k, c)))
            .filter(|&(_, c)| c > 0)
    }

    /// Every bucket's count, [`BUCKETS`] of them (empty if no value fell in any).
    fn dense(&self) -> Vec<u32> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut out = vec![0; BUCKETS];
        for (i, c) in self.iter() {
            out[i] = c;
        }
        out
    }

    fn from_dense(counts: &[u32]) -> Buckets {
        let mut b = Buckets::default();
        for (p, chunk) in counts.chunks(PAGE).enumerate() {
            if chunk.iter().any(|&c| c > 0) {
                b.pages.push(chunk.try_into().expect("BUCKETS is a whole number of pages"));
                b.slot[p] = b.pages.len() as u8;
            }
        }
        b
    }

    fn merge(&mut self, other: &Buckets) {
        for p in 0..PAGES {
            let Some(theirs) = other.page(p) else { continue };
            if self.slot[p] == 0 {
                self.pages.push(*theirs);
                self.slot[p] = self.pages.len() as u8;
            } else {
                let ours = &mut self.pages[self.slot[p] as usize - 1];
                for (a, b) in ours.iter_mut().zip(theirs) {
                    *a += b;
                }
            }
        }
    }
}

impl PartialEq for Buckets {
    /// The same counts in every bucket, whatever order the pages were made in.
    fn eq(&self, other: &Buckets) -> bool {
        (0..PAGES).all(|p| match (self.page(p), other.page(p)) {
            (Some(a), Some(b)) => a == b,
            (Some(a), None) | (None, Some(a)) => a.iter().all(|&c| c == 0),
            (None, None) => true,
        })
    }
}

/// The bucket of a magnitude ≥ MIN_ABS: its binary exponent and top mantissa bits, read
/// straight from the float's bits (no logarithm).
#[inline]
fn bucket(abs: f64) -> usize {
    let first = MIN_ABS.to_bits() >> SHIFT;
    (((abs.to_bits() >> SHIFT) - first) as usize).min(BUCKETS - 1)
}

/// The value a bucket stands for (the midpoint of its mantissa range).
#[inline]
fn representative(i: usize) -> f64 {
    let first = MIN_ABS.to_bits() >> SHIFT;
    f64::from_bits(((i as u64 + first) << SHIFT) | (1u64 << (SHIFT - 1)))
}

/// A sketch's state as stored in partial files ([`LogSketch::raw`], [`LogSketch::from_raw`]):
/// every bucket's count, [`BUCKETS`] of them (negative: or none).
pub struct RawSketch {
    pub positive: Vec<u32>,
    pub negative: Vec<u32>,
    pub zero: u64,
    pub count: u64,
    pub sum: f64,
}

impl LogSketch {
    /// The counts and sum, to store a sketch exactly.
    pub fn raw(&self) -> RawSketch {
        let mut positive = self.positive.dense();
        if positive.is_empty() {
            positive = vec![0; BUCKETS];
        }
        RawSketch { positive, negative: self.negative.dense(), zero: self.zero, count: self.count, sum: self.sum }
    }

    /// A sketch from stored counts; `None` unless the bucket vectors have the sketch's length
    /// (negative: or none) and the counts add up to `count`.
    pub fn from_raw(positive: Vec<u32>, negative: Vec<u32>, zero: u64, count: u64, sum: f64) -> Option<LogSketch> {
        let total = positive.iter().chain(&negative).map(|&c| c as u64).sum::<u64>() + zero;
        (positive.len() == BUCKETS && (negative.is_empty() || negative.len() == BUCKETS) && total == count).then(|| {
            LogSketch {
                positive: Buckets::from_dense(&positive),
                negative: Buckets::from_dense(&negative),
                zero,
                count,
                sum,
            }
        })
    }

    #[inline]
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.sum += x;
        if x.abs() < MIN_ABS {
            self.zero += 1;
        } else if x > 0.0 {
            self.positive.add(bucket(x));
        } else {
            self.negative.add(bucket(-x));
        }
    }

    pub fn merge(&mut self, other: &LogSketch) {
        self.count += other.count;
        self.sum += other.sum;
        self.zero += other.zero;
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }

    /// How many values are ≥ `x`: exact for every bucket wholly above or below `x` (a value
    /// within 2⁻⁸ ≈ 0.39 % of `x` shares its bucket and is counted in proportion to the part of
    /// the bucket's range at or above `x`). Values below 2⁻⁷ in magnitude count as 0. Whole
    /// numbers of magnitude below 256 each have a bucket of their own that starts at them, so
    /// `count_at_least` of a whole number is exact for them.
    pub fn count_at_least(&self, x: f64) -> f64 {
        let first = MIN_ABS.to_bits() >> SHIFT;
        let lower = |i: usize| f64::from_bits((i as u64 + first) << SHIFT);
        // share of bucket i's magnitude range [lo, hi) that is ≥ a (for magnitudes)
        let above = |i: usize, a: f64| {
            let (lo, hi) = (lower(i), if i + 1 < BUCKETS { lower(i + 1) } else { f64::INFINITY });
            if a <= lo {
                1.0
            } else if a >= hi {
                0.0
            } else {
                (hi - a) / (hi - lo)
            }
        };
        let mut n = 0.0;
        for (i, c) in self.positive.iter() {
            n += c as f64 * if x <= 0.0 { 1.0 } else { above(i, x) };
        }
        if x <= 0.0 {
            n += self.zero as f64;
        }
        for (i, c) in self.negative.iter() {
            // a negative value −v is ≥ x (x < 0) when v ≤ −x: the part of [lo, hi) at or below
            // −x, and all of a bucket narrower than 1 that starts at or below it (its one
            // whole number is then ≤ −x)
            if x < 0.0 {
                let (lo, hi) = (lower(i), lower(i + 1));
                let share = if -x < lo {
                    0.0
                } else if -x >= hi || hi - lo <= 1.0 {
                    1.0
                } else {
                    (-x - lo) / (hi - lo)
                };
                n += c as f64 * share;
            }
        }
        n
    }

    /// The `q` quantile (0 ≤ q ≤ 1): the value of the bucket holding the value of rank
    /// ⌈q·n⌉ (nearest-rank), within 0.39 % relative error (2⁻⁸) of the true value. Quantiles
    /// never decrease in `q`.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        // negatives from the most negative up
        for (i, c) in self.negative.iter().rev() {
            seen += c as u64;
            if seen >= rank {
                return -representative(i);
            }
        }
        seen += self.zero;
        if seen >= rank {
            return 0.0;
        }
        for (i, c) in self.positive.iter() {
            seen += c as u64;
            if seen >= rank {
                return representative(i);
            }
        }
        representative(BUCKETS - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_within_half_a_percent() {
        let mut s = LogSketch::default();
        let xs: Vec<f64> = (1..=10_000).map(|i| i as f64 * 1.7e6).collect();
        for &x in &xs {
            s.add(x);
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = xs[((q * xs.len() as f64).ceil() as usize).max(1) - 1];
            let got = s.quantile(q);
            assert!((got / exact - 1.0).abs() < 0.004, "q {q}: {got} vs {exact}");
        }
        assert!((s.mean() - xs.iter().sum::<f64>() / xs.len() as f64).abs() < 1e-3);
    }

    #[test]
    fn signs_zero_and_monotone_quantiles() {
        let mut s = LogSketch::default();
        for x in [-500.0, -3.0, 0.0, 0.0, 2.0, 7.0, 1000.0] {
            s.add(x);
        }
        assert!((s.quantile(0.0) + 500.0).abs() < 2.5);
        assert_eq!(s.quantile(0.4), 0.0);
        assert!((s.quantile(1.0) - 1000.0).abs() < 5.0);
        let mut last = f64::NEG_INFINITY;
        for i in 0..=100 {
            let v = s.quantile(i as f64 / 100.0);
            assert!(v >= last);
            last = v;
        }
    }

    #[test]
    fn count_at_least_exact_for_small_integers_and_within_a_bucket_otherwise() {
        let mut s = LogSketch::default();
        // 0..=250 once each, and −3, −1
        for x in (0..=250).chain([-3, -1]) {
            s.add(x as f64);
        }
        for x in [-5, -3, -2, -1, 0, 1, 7, 64, 65, 127, 128, 200, 250, 251] {
            let want = (0..=250).chain([-3, -1]).filter(|&v| v >= x).count() as f64;
            assert_eq!(s.count_at_least(x as f64), want, "x = {x}");
        }
        // a continuous spread: off by at most the values in the threshold's own bucket
        let mut c = LogSketch::default();
        let xs: Vec<f64> = (0..5000).map(|i| 1.0e10 + i as f64 * 3.1e7).collect();
        for &x in &xs {
            c.add(x);
        }
        for t in [1.0e10, 5.5e10, 1.2e11] {
            let exact = xs.iter().filter(|&&v| v >= t).count() as f64;
            let in_bucket = xs.iter().filter(|&&v| (v / t - 1.0).abs() < 0.0079).count() as f64;
            assert!((c.count_at_least(t) - exact).abs() <= in_bucket, "t {t}: {} vs {exact}", c.count_at_least(t));
        }
    }

    #[test]
    fn stored_counts_round_trip_and_equality_ignores_the_order_pages_were_made_in() {
        let xs = [3.0, 1e9, -7.5, 0.0, 2.5e11, 3.1, -1e4, 1e9];
        let (mut a, mut b) = (LogSketch::default(), LogSketch::default());
        xs.iter().for_each(|&x| a.add(x));
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a, b);
        let r = a.raw();
        assert_eq!((r.positive.len(), r.negative.len()), (BUCKETS, BUCKETS));
        let back = LogSketch::from_raw(r.positive, r.negative, r.zero, r.count, r.sum).unwrap();
        assert_eq!(back, a);
        for q in [0.0, 0.3, 0.5, 0.9, 1.0] {
            assert_eq!(back.quantile(q).to_bits(), a.quantile(q).to_bits());
        }
        let mut c = LogSketch::default();
        c.add(1.0);
        assert!(c.raw().negative.is_empty(), "no negative value: no negative counts stored");
        assert_ne!(a, c);
        // pages are allocated only where values fall
        assert_eq!(a.positive.pages.len(), 3);
        assert_eq!(a.negative.pages.len(), 2);
    }

    #[test]
    fn merge_equals_adding_together() {
        let (mut a, mut b, mut all) = (LogSketch::default(), LogSketch::default(), LogSketch::default());
        for i in 0..1000 {
            let x = (i as f64 - 300.0) * 13.7;
            if i % 2 == 0 {
                a.add(x)
            } else {
                b.add(x)
            }
            all.add(x);
        }
        a.merge(&b);
        assert_eq!(a.count(), all.count());
        for q in [0.1, 0.5, 0.9] {
            assert_eq!(a.quantile(q), all.quantile(q));
        }
    }
}
