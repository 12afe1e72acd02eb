//! A run's results as tables of numbers: per target, per block, per month. Computed from the
//! engine's aggregate by the stats layer; reports and exports only format these.

use crate::engine::Aggregate;
use crate::model::{Plan, METRIC_COUNT};
use crate::month::Month;
use crate::seeds::{Reading, TargetId};
use crate::stats::{quantiles, Histogram, Interval, Proportion, Z95};

/// One target's result.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TargetRow {
    pub id: TargetId,
    pub threshold: f64,
    pub p_met: f64,
    pub ci: Interval,
    /// 5th, 50th and 95th percentiles of the metric at the deadline.
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub mean: f64,
    /// Mean at the deadline of the existing base's part.
    pub base_mean: f64,
    /// Distribution of the metric at the deadline.
    pub histogram: Histogram,
}

/// One target under one of its readings (口径), on the same trials as every other reading.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReadingRow {
    pub target: TargetId,
    pub reading: Reading,
    /// The reading the target set judges the target under (the target table's row).
    pub headline: bool,
    pub threshold: f64,
    pub p_met: f64,
    pub ci: Interval,
    /// For a 左右 target: the threshold less its tolerance, and P(metric ≥ it).
    pub tolerance_threshold: Option<f64>,
    pub p_met_tolerance: Option<f64>,
    pub p50: f64,
    pub mean: f64,
}

/// "What you must believe": the value of one base figure at which a target is met with
/// probability 50 % and 80 %, everything else as the scenario draws it (docs/targets.md).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BeliefRow {
    pub belief: crate::model::beliefs::Belief,
    pub target: TargetId,
    /// The parameter's key path (`base.revenue_2024_cny`).
    pub param: String,
    /// The figure's value for P(met) = 50 % and 80 % (`+∞`: not reachable at any value,
    /// `−∞`: met whatever the value; serialised as null).
    pub for_50: Option<f64>,
    pub for_80: Option<f64>,
    /// Reachable at all: `false` when even an unbounded value leaves P(met) below the share.
    pub reachable_50: bool,
    pub reachable_80: bool,
    /// The scenario's median of the figure, to compare with.
    pub scenario_median: f64,
}

/// All targets together under one combination of readings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AllReadingsRow {
    /// `headline` (the target set's readings), `narrowest` (each target's reading that counts
    /// least) or `broadest`.
    pub combination: String,
    pub p_met: f64,
    pub ci: Interval,
    /// For each target (in [`TargetId::ALL`] order, present targets only), the reading used.
    pub readings: Vec<Reading>,
}

/// All targets together.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AllRow {
    pub p_met: f64,
    pub ci: Interval,
}

/// One block's result.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlockRow {
    pub id: u32,
    pub counted: bool,
    /// P(construction started by the end of 2025-12).
    pub p_started_2025: f64,
    /// Median start month (`None`: not by the horizon in at least half the trials).
    pub median_start: Option<Month>,
    /// 10th and 90th percentile start months.
    pub start_p10: Option<Month>,
    pub start_p90: Option<Month>,
    pub delivery_p10: Option<Month>,
    pub median_delivery: Option<Month>,
    pub delivery_p90: Option<Month>,
    pub p_delivered_deadline: f64,
    pub p_delivered_horizon: f64,
    pub p_replaced: f64,
    /// Mean contribution at the deadline, by metric.
    pub mean_contribution: [f64; METRIC_COUNT],
}

/// One metric in one month.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeriesRow {
    pub month: Month,
    pub metric: TargetId,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub mean: f64,
}

/// Everything a run reports.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub trials: u64,
    pub targets: Vec<TargetRow>,
    pub all: AllRow,
    /// Every target under every reading, side by side (headline rows flagged; empty in
    /// report data written before 0.3).
    #[serde(default)]
    pub readings: Vec<ReadingRow>,
    /// All targets together under the headline, narrowest and broadest readings.
    #[serde(default)]
    pub all_readings: Vec<AllReadingsRow>,
    /// The base value each target needs for P(met) = 50 % and 80 % (empty before 0.3).
    #[serde(default)]
    pub beliefs: Vec<BeliefRow>,
    pub blocks: Vec<BlockRow>,
    pub series: Vec<SeriesRow>,
    /// P(on track) at the end of each year until the deadline (empty before 0.4).
    #[serde(default)]
    pub checkpoints: Vec<crate::checkpoints::CheckpointRow>,
}

/// Integer metrics are whole numbers: their sketch quantiles are rounded.
pub(crate) fn is_count(m: usize) -> bool {
    m != 3 && m != 4
}

impl Summary {
    pub fn new(plan: &Plan, agg: &Aggregate) -> Summary {
        let n = agg.trials.max(1) as f64;
        let mut targets = Vec::new();
        for (m, id) in TargetId::ALL.iter().enumerate() {
            let Some(threshold) = plan.thresholds[m] else { continue };
            let q = quantiles(&agg.columns.metric[m], &[0.05, 0.5, 0.95]);
            let mean = agg.columns.metric[m].iter().sum::<f64>() / n;
            targets.push(TargetRow {
                id: *id,
                threshold,
                p_met: agg.met[m].estimate(),
                ci: agg.met[m].wilson(Z95),
                p5: q[0],
                p50: q[1],
                p95: q[2],
                mean,
                base_mean: agg.base_sum[m] / n,
                histogram: Histogram::of(&agg.columns.metric[m], 40, threshold),
            });
        }
        let month = |i: Option<i16>| i.map(|i| plan.month_label(0).plus(i as i32));
        let blocks = plan
            .blocks
            .iter()
            .zip(&agg.blocks)
            .map(|(b, s)| BlockRow {
                id: b.id,
                counted: b.counted,
                p_started_2025: s.start.share_by(plan.month_2025_12 as i64),
                median_start: month(s.start.quantile(0.5)),
                start_p10: month(s.start.quantile(0.1)),
                start_p90: month(s.start.quantile(0.9)),
                delivery_p10: month(s.delivery.quantile(0.1)),
                median_delivery: month(s.delivery.quantile(0.5)),
                delivery_p90: month(s.delivery.quantile(0.9)),
                p_delivered_deadline: s.delivery.share_by(plan.deadline as i64),
                p_delivered_horizon: s.delivery.share_by(plan.months as i64 - 1),
                p_replaced: s.replaced as f64 / n,
                mean_contribution: s.contribution_sum.map(|x| x / n),
            })
            .collect();
        let mut series = Vec::new();
        for (m, id) in TargetId::ALL.iter().enumerate() {
            for (t, sketch) in agg.bands[m].iter().enumerate() {
                let q = |p: f64| {
                    let v = sketch.quantile(p);
                    if is_count(m) {
                        v.round()
                    } else {
                        v
                    }
                };
                series.push(SeriesRow {
                    month: plan.month_label(t),
                    metric: *id,
                    p5: q(0.05),
                    p25: q(0.25),
                    p50: q(0.5),
                    p75: q(0.75),
                    p95: q(0.95),
                    mean: sketch.mean(),
                });
            }
        }
        let (readings, all_readings) = readings(plan, agg);
        let beliefs = beliefs(plan, agg);
        Summary {
            trials: agg.trials,
            targets,
            all: AllRow { p_met: agg.all_met.estimate(), ci: agg.all_met.wilson(Z95) },
            readings,
            all_readings,
            beliefs,
            blocks,
            series,
            checkpoints: crate::checkpoints::rows(plan, agg),
        }
    }
}

/// The readings table: every reading of every target of the set on the run's trials, and all
/// targets together under three combinations of readings.
fn readings(plan: &Plan, agg: &Aggregate) -> (Vec<ReadingRow>, Vec<AllReadingsRow>) {
    let headline = plan.headline();
    let column = |r: Reading| agg.columns.reading(&headline, r);
    let share = |xs: &[f64], t: f64| {
        let mut p = Proportion::default();
        for &x in xs {
            p.record(x >= t);
        }
        p
    };
    let mut rows = Vec::new();
    let present: Vec<(usize, TargetId, f64)> =
        TargetId::ALL.iter().enumerate().filter_map(|(m, id)| plan.thresholds[m].map(|t| (m, *id, t))).collect();
    for &(m, id, threshold) in &present {
        for r in Reading::of(id) {
            let xs = column(r);
            let met = share(xs, threshold);
            let tolerance = plan.tolerance_thresholds[m];
            let q = quantiles(xs, &[0.5]);
            rows.push(ReadingRow {
                target: id,
                reading: r,
                headline: headline[m] == r,
                threshold,
                p_met: met.estimate(),
                ci: met.wilson(Z95),
                tolerance_threshold: tolerance,
                p_met_tolerance: tolerance.map(|t| share(xs, t).estimate()),
                p50: if is_count(m) { q[0].round() } else { q[0] },
                mean: xs.iter().sum::<f64>() / xs.len().max(1) as f64,
            });
        }
    }
    type Pick<'a> = &'a dyn Fn(usize, TargetId) -> Reading;
    let combinations: [(&str, Pick); 3] = [
        ("headline", &|m, _| headline[m]),
        ("narrowest", &|_, id| Reading::narrowest(id)),
        ("broadest", &|_, id| Reading::broadest(id)),
    ];
    let all = combinations
        .iter()
        .map(|(name, pick)| {
            let chosen: Vec<(Reading, f64)> = present.iter().map(|&(m, id, t)| (pick(m, id), t)).collect();
            let mut p = Proportion::default();
            for k in 0..agg.trials as usize {
                p.record(chosen.iter().all(|&(r, t)| column(r)[k] >= t));
            }
            AllReadingsRow {
                combination: name.to_string(),
                p_met: p.estimate(),
                ci: p.wilson(Z95),
                readings: chosen.iter().map(|c| c.0).collect(),
            }
        })
        .collect();
    (rows, all)
}

/// The value of each base figure for P(met) = 50 % and 80 %: the ⌈q·n⌉-th smallest of the
/// trials' least values, so that with the figure fixed there, at least that share of the same
/// trials meet the target (crate::model::beliefs).
fn beliefs(plan: &Plan, agg: &Aggregate) -> Vec<BeliefRow> {
    use crate::model::beliefs::Belief;
    let mut rows = Vec::new();
    for (k, b) in Belief::ALL.iter().enumerate() {
        let column = &agg.columns.needed[k];
        if column.is_empty() || column.iter().any(|x| x.is_nan()) {
            continue; // the figure does not apply (target absent, reading, or observed)
        }
        let mut sorted: Vec<f64> = column.iter().map(|&x| f64::from(x)).collect();
        sorted.sort_by(f64::total_cmp);
        let at = |q: f64| sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
        // nudged up by one part in 10⁹, so that the value fixed in a scenario meets the target
        // in that trial despite rounding (a figure that is a whole number is a count already)
        let nudge = |v: f64| if v.is_finite() && v.fract() != 0.0 { v + (v.abs() * 1e-9).max(1e-12) } else { v };
        let (v50, v80) = (nudge(at(0.5)), nudge(at(0.8)));
        rows.push(BeliefRow {
            belief: *b,
            target: b.target(),
            param: b.param().def().path.to_string(),
            for_50: v50.is_finite().then_some(v50),
            for_80: v80.is_finite().then_some(v80),
            reachable_50: v50 < f64::INFINITY,
            reachable_80: v80 < f64::INFINITY,
            scenario_median: plan.city(b.param()).sample(0.5),
        });
    }
    rows
}
