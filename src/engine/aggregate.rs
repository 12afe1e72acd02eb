//! What a run accumulates: monthly bands, target hits, per-block statistics and the kept
//! per-trial columns. Filled per chunk and merged in chunk order.

use crate::model::beliefs::BELIEF_COUNT;
use crate::model::{Plan, TrialOutcome, METRIC_COUNT, NOT_BY_HORIZON};
use crate::seeds::{Reading, READING_COUNT};
use crate::stats::{LogSketch, Proportion};

/// Earliest month index kept in start histograms (20 years before the model start).
pub const MIN_MONTH: i16 = -240;

/// Per-trial columns kept for tables and analysis (216 bytes a trial with the 20 annex blocks:
/// 40 the metrics, 40 the other readings, 24 the needed base values, 80 the blocks' starts
/// and deliveries, 4 the replacements, 28 the factors).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrialColumns {
    /// Metric at the deadline, by metric.
    pub metric: [Vec<f64>; METRIC_COUNT],
    /// The readings at the deadline other than the headline ones, by [`Reading`]; a headline
    /// reading's vector stays empty (its column is the metric's, bit for bit: [`Self::reading`]).
    pub readings: [Vec<f64>; READING_COUNT],
    /// The least value of each base figure that meets its target, by
    /// [`crate::model::beliefs::Belief`] (single precision: read as quantiles to three or four
    /// significant figures).
    pub needed: [Vec<f32>; BELIEF_COUNT],
    /// Start month index by block (`NOT_BY_HORIZON` if not by the horizon).
    pub start: Vec<Vec<i16>>,
    /// First-operation month index by block.
    pub delivery: Vec<Vec<i16>>,
    /// Bit i set: block i was replaced by a reserve block.
    pub replaced: Vec<u32>,
    /// Factor values by factor.
    pub factors: [Vec<f32>; 7],
}

/// The least single-precision value ≥ `v` (NaN stays NaN): a needed base value kept in single
/// precision still meets its target in its trial when the figure is fixed at it.
fn f32_at_least(v: f64) -> f32 {
    let f = v as f32;
    if (f as f64) < v {
        // the next float up (`f32::next_up`, stable only since Rust 1.86; f < v, so not NaN or +∞)
        match f {
            0.0 => f32::from_bits(1),
            _ if f > 0.0 => f32::from_bits(f.to_bits() + 1),
            _ => f32::from_bits(f.to_bits() - 1),
        }
    } else {
        f
    }
}

impl TrialColumns {
    /// Whether reading `r` has a column of its own: every reading but the headline ones
    /// (`headline`, [`Plan::headline`]), whose column is their metric's.
    pub fn stores(headline: &[Reading; METRIC_COUNT], r: Reading) -> bool {
        !headline.contains(&r)
    }

    /// Reading `r`'s column, `headline` being the run's headline readings in metric order
    /// ([`Plan::headline`]).
    pub fn reading(&self, headline: &[Reading; METRIC_COUNT], r: Reading) -> &[f64] {
        match headline.iter().position(|h| *h == r) {
            Some(m) => &self.metric[m],
            None => &self.readings[r as usize],
        }
    }
}

/// Month histogram: counts per month index from `MIN_MONTH` to the horizon, plus "not by
/// the horizon" in the last slot.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthCounts(pub Vec<u64>);

impl MonthCounts {
    fn new(months: usize) -> MonthCounts {
        MonthCounts(vec![0; (months as i64 - MIN_MONTH as i64) as usize + 1])
    }
    fn add(&mut self, m: i16) {
        let last = self.0.len() - 1;
        let i = if m == NOT_BY_HORIZON { last } else { ((m.max(MIN_MONTH) - MIN_MONTH) as usize).min(last - 1) };
        self.0[i] += 1;
    }
    fn merge(&mut self, o: &MonthCounts) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a += b;
        }
    }
    /// The month index at cumulative share `q` of all trials (`None` if it is "not by the horizon").
    pub fn quantile(&self, q: f64) -> Option<i16> {
        let total: u64 = self.0.iter().sum();
        let rank = ((q * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, c) in self.0.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return (i < self.0.len() - 1).then_some(i as i16 + MIN_MONTH);
            }
        }
        None
    }
    /// Share of trials with month index ≤ `m`.
    pub fn share_by(&self, m: i64) -> f64 {
        let total: u64 = self.0.iter().sum();
        let upto = ((m - MIN_MONTH as i64).max(-1) + 1).min(self.0.len() as i64 - 1) as usize;
        self.0[..upto].iter().sum::<u64>() as f64 / total.max(1) as f64
    }
}

/// Per-block statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockStats {
    pub start: MonthCounts,
    pub delivery: MonthCounts,
    pub replaced: u64,
    /// Sum over trials of the block's contribution at the deadline, by metric.
    pub contribution_sum: [f64; METRIC_COUNT],
}

/// Everything accumulated over a set of trials.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    pub trials: u64,
    /// `bands[metric][t]`.
    pub bands: Vec<Vec<LogSketch>>,
    /// Hits per target (metric order); a target the set lacks is never hit.
    pub met: [Proportion; METRIC_COUNT],
    pub all_met: Proportion,
    pub blocks: Vec<BlockStats>,
    pub base_sum: [f64; METRIC_COUNT],
    pub columns: TrialColumns,
}

impl Aggregate {
    pub fn new(plan: &Plan) -> Aggregate {
        let n = plan.blocks.len();
        Aggregate {
            trials: 0,
            bands: (0..METRIC_COUNT).map(|_| vec![LogSketch::default(); plan.months]).collect(),
            met: [Proportion::default(); METRIC_COUNT],
            all_met: Proportion::default(),
            blocks: (0..n)
                .map(|_| BlockStats {
                    start: MonthCounts::new(plan.months),
                    delivery: MonthCounts::new(plan.months),
                    replaced: 0,
                    contribution_sum: [0.0; METRIC_COUNT],
                })
                .collect(),
            base_sum: [0.0; METRIC_COUNT],
            columns: TrialColumns { start: vec![Vec::new(); n], delivery: vec![Vec::new(); n], ..Default::default() },
        }
    }

    /// An empty aggregate whose kept columns have room for `trials` trials: filling it to
    /// that many never moves or over-allocates them (growing vectors hold up to twice their
    /// length, and copy it on every doubling).
    pub fn with_capacity(plan: &Plan, trials: u64) -> Aggregate {
        let mut a = Aggregate::new(plan);
        let n = trials as usize;
        let c = &mut a.columns;
        let headline = plan.headline();
        c.metric.iter_mut().for_each(|v| v.reserve_exact(n));
        for (r, v) in Reading::ALL.iter().zip(&mut c.readings) {
            if TrialColumns::stores(&headline, *r) {
                v.reserve_exact(n);
            }
        }
        c.needed.iter_mut().for_each(|v| v.reserve_exact(n));
        c.start.iter_mut().chain(&mut c.delivery).for_each(|v| v.reserve_exact(n));
        c.replaced.reserve_exact(n);
        c.factors.iter_mut().for_each(|v| v.reserve_exact(n));
        a
    }

    /// Adds one trial.
    pub fn record(&mut self, plan: &Plan, o: &TrialOutcome) {
        self.trials += 1;
        for (m, bands) in self.bands.iter_mut().enumerate() {
            for (sketch, &v) in bands.iter_mut().zip(&o.paths[m]) {
                sketch.add(v);
            }
        }
        let mut all = true;
        for m in 0..METRIC_COUNT {
            if let Some(threshold) = plan.thresholds[m] {
                let hit = o.at_deadline[m] >= threshold;
                self.met[m].record(hit);
                all &= hit;
            }
            self.columns.metric[m].push(o.at_deadline[m]);
            self.base_sum[m] += o.base_at_deadline[m];
        }
        let headline = plan.headline();
        for ((column, &v), r) in self.columns.readings.iter_mut().zip(&o.readings).zip(Reading::ALL) {
            if TrialColumns::stores(&headline, r) {
                column.push(v);
            }
        }
        for (column, &v) in self.columns.needed.iter_mut().zip(&o.needed) {
            column.push(f32_at_least(v));
        }
        self.all_met.record(all);
        let mut replaced = 0u32;
        for (i, b) in self.blocks.iter_mut().enumerate() {
            b.start.add(o.block_start[i]);
            b.delivery.add(o.block_delivery[i]);
            if o.block_replaced[i] {
                b.replaced += 1;
                replaced |= 1 << i;
            }
            for m in 0..METRIC_COUNT {
                b.contribution_sum[m] += o.block_at_deadline[i][m];
            }
            self.columns.start[i].push(o.block_start[i]);
            self.columns.delivery[i].push(o.block_delivery[i]);
        }
        self.columns.replaced.push(replaced);
        for (f, v) in self.columns.factors.iter_mut().zip(o.factors) {
            f.push(v as f32);
        }
    }

    /// Adds another aggregate's trials after this one's.
    pub fn merge(&mut self, o: Aggregate) {
        self.trials += o.trials;
        for (a, b) in self.bands.iter_mut().zip(&o.bands) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        for m in 0..METRIC_COUNT {
            self.met[m].merge(&o.met[m]);
            self.base_sum[m] += o.base_sum[m];
        }
        self.all_met.merge(&o.all_met);
        for (a, b) in self.blocks.iter_mut().zip(&o.blocks) {
            a.start.merge(&b.start);
            a.delivery.merge(&b.delivery);
            a.replaced += b.replaced;
            for m in 0..METRIC_COUNT {
                a.contribution_sum[m] += b.contribution_sum[m];
            }
        }
        let c = o.columns;
        for (a, b) in self.columns.metric.iter_mut().zip(c.metric) {
            a.extend(b);
        }
        for (a, b) in self.columns.readings.iter_mut().zip(c.readings) {
            a.extend(b);
        }
        for (a, b) in self.columns.needed.iter_mut().zip(c.needed) {
            a.extend(b);
        }
        for (a, b) in self.columns.start.iter_mut().zip(c.start) {
            a.extend(b);
        }
        for (a, b) in self.columns.delivery.iter_mut().zip(c.delivery) {
            a.extend(b);
        }
        self.columns.replaced.extend(c.replaced);
        for (a, b) in self.columns.factors.iter_mut().zip(c.factors) {
            a.extend(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::f32_at_least;

    #[test]
    fn needed_values_round_up_to_the_least_single_precision_value_at_or_above_them() {
        for v in [0.1, -0.1, 1e-45, -1e-46, 60_774_183_598.678_535, -0.001_388_038_426, 3.0, 0.0, -0.0, 1e39, -1e39] {
            let f = f32_at_least(v);
            assert!(f as f64 >= v, "{v}: {f}");
            if f.is_finite() && f != 0.0 && f as f64 != v {
                let below = f32::from_bits(if f > 0.0 { f.to_bits() - 1 } else { f.to_bits() + 1 });
                assert!((below as f64) < v, "{v}: {f} is not the least");
            }
        }
        assert_eq!(f32_at_least(3.0), 3.0);
        assert!(f32_at_least(f64::NAN).is_nan());
        assert_eq!(f32_at_least(f64::INFINITY), f32::INFINITY);
        assert_eq!(f32_at_least(1e39), f32::INFINITY);
        assert_eq!(f32_at_least(-1e39), -f32::MAX);
    }
}
