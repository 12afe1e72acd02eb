//! A run's results as tables of numbers: per target, per block, per month. Computed from the
//! engine's aggregate by the stats layer; reports and exports only format these.

use crate::engine::Aggregate;
use crate::model::{Plan, METRIC_COUNT};
use crate::month::Month;
use crate::seeds::TargetId;
use crate::stats::{quantiles, Histogram, Interval, Z95};

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
    pub blocks: Vec<BlockRow>,
    pub series: Vec<SeriesRow>,
}

/// Integer metrics are whole numbers: their sketch quantiles are rounded.
fn is_count(m: usize) -> bool {
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
        Summary {
            trials: agg.trials,
            targets,
            all: AllRow { p_met: agg.all_met.estimate(), ci: agg.all_met.wilson(Z95) },
            blocks,
            series,
        }
    }
}
