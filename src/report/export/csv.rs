//! The CSV tables, written through polars with a UTF-8 BOM (so Excel on a Chinese-locale PC
//! reads the Chinese correctly).

use super::ExportError;
use crate::scenario::Scenario;
use crate::seeds::TargetId;
use crate::summary::Summary;
use polars::prelude::*;
use std::path::Path;

pub(super) fn col<T, P: ?Sized>(name: &str, values: T) -> Column
where
    Series: NamedFrom<T, P>,
{
    Column::new(name.into(), values)
}

/// Writes `columns` as a CSV table with a BOM, flushed and synced.
pub(super) fn write(path: &Path, columns: Vec<Column>) -> Result<(), ExportError> {
    let mut df = DataFrame::new_infer_height(columns).map_err(|e| ExportError::new(path, e))?;
    let file = std::fs::File::create(path).map_err(|e| ExportError::new(path, e))?;
    let mut w = std::io::BufWriter::new(file);
    CsvWriter::new(&mut w).include_bom(true).finish(&mut df).map_err(|e| ExportError::new(path, e))?;
    use std::io::Write;
    w.flush().map_err(|e| ExportError::new(path, e))?;
    w.into_inner().map_err(|e| ExportError::new(path, e.error()))?.sync_all().map_err(|e| ExportError::new(path, e))
}

/// `summary.csv`: one row per target (under its headline reading, named in `reading`) and a
/// row `all`.
pub fn write_summary(path: &Path, s: &Summary) -> Result<(), ExportError> {
    let mut target: Vec<String> = s.targets.iter().map(|t| t.id.key().to_string()).collect();
    let headline = |id: TargetId| s.readings.iter().find(|r| r.target == id && r.headline).map(|r| r.reading.key());
    let mut reading: Vec<Option<&str>> = s.targets.iter().map(|t| headline(t.id)).collect();
    reading.push(Some("headline"));
    let mut threshold: Vec<Option<f64>> = s.targets.iter().map(|t| Some(t.threshold)).collect();
    let mut p: Vec<f64> = s.targets.iter().map(|t| t.p_met).collect();
    let mut lo: Vec<f64> = s.targets.iter().map(|t| t.ci.low).collect();
    let mut hi: Vec<f64> = s.targets.iter().map(|t| t.ci.high).collect();
    let q = |f: fn(&crate::summary::TargetRow) -> f64| -> Vec<Option<f64>> {
        s.targets.iter().map(|t| Some(f(t))).chain(std::iter::once(None)).collect()
    };
    target.push("all".into());
    threshold.push(None);
    p.push(s.all.p_met);
    lo.push(s.all.ci.low);
    hi.push(s.all.ci.high);
    write(
        path,
        vec![
            col("target", target),
            col("reading", reading),
            col("threshold", threshold),
            col("p_met", p),
            col("ci_low", lo),
            col("ci_high", hi),
            col("p5", q(|t| t.p5)),
            col("p50", q(|t| t.p50)),
            col("p95", q(|t| t.p95)),
            col("mean", q(|t| t.mean)),
            col("base_mean", q(|t| t.base_mean)),
        ],
    )
}

/// `readings.csv`: every target under every reading (口径) on the same trials — P(met) at the
/// threshold and, for a 左右 target, at its tolerance — then all targets together under the
/// headline, narrowest and broadest readings (`target` = `all`).
pub fn write_readings(path: &Path, s: &Summary) -> Result<(), ExportError> {
    let rows = &s.readings;
    let all = &s.all_readings;
    let mut target: Vec<String> = rows.iter().map(|r| r.target.key().to_string()).collect();
    target.extend(all.iter().map(|_| "all".to_string()));
    let mut reading: Vec<String> = rows.iter().map(|r| r.reading.key().to_string()).collect();
    reading.extend(all.iter().map(|a| a.combination.clone()));
    let mut label_zh: Vec<String> = rows.iter().map(|r| r.reading.label_zh().to_string()).collect();
    label_zh.extend(all.iter().map(|a| a.readings.iter().map(|r| r.label_zh()).collect::<Vec<_>>().join("；")));
    let mut headline: Vec<bool> = rows.iter().map(|r| r.headline).collect();
    headline.extend(all.iter().map(|a| a.combination == "headline"));
    let some = |f: fn(&crate::summary::ReadingRow) -> f64| -> Vec<Option<f64>> {
        rows.iter().map(|r| Some(f(r))).chain(all.iter().map(|_| None)).collect()
    };
    let mut p: Vec<f64> = rows.iter().map(|r| r.p_met).collect();
    p.extend(all.iter().map(|a| a.p_met));
    let mut lo: Vec<f64> = rows.iter().map(|r| r.ci.low).collect();
    lo.extend(all.iter().map(|a| a.ci.low));
    let mut hi: Vec<f64> = rows.iter().map(|r| r.ci.high).collect();
    hi.extend(all.iter().map(|a| a.ci.high));
    let tolerance: Vec<Option<f64>> =
        rows.iter().map(|r| r.tolerance_threshold).chain(all.iter().map(|_| None)).collect();
    let p_tol: Vec<Option<f64>> = rows.iter().map(|r| r.p_met_tolerance).chain(all.iter().map(|_| None)).collect();
    write(
        path,
        vec![
            col("target", target),
            col("reading", reading),
            col("reading_zh", label_zh),
            col("headline", headline),
            col("threshold", some(|r| r.threshold)),
            col("p_met", p),
            col("ci_low", lo),
            col("ci_high", hi),
            col("tolerance_threshold", tolerance),
            col("p_met_tolerance", p_tol),
            col("p50", some(|r| r.p50)),
            col("mean", some(|r| r.mean)),
        ],
    )
}

/// `block_summary.csv`: one row per annex block.
pub fn write_blocks(path: &Path, scenario: &Scenario, s: &Summary) -> Result<(), ExportError> {
    let m = |f: fn(&crate::summary::BlockRow) -> Option<crate::month::Month>| -> Vec<Option<String>> {
        s.blocks.iter().map(|b| f(b).map(|m| m.to_string())).collect()
    };
    let contribution = |k: usize| -> Vec<f64> { s.blocks.iter().map(|b| b.mean_contribution[k]).collect() };
    let name = |id: u32| scenario.blocks.iter().find(|b| b.id == id).expect("annex block");
    write(
        path,
        vec![
            col("id", s.blocks.iter().map(|b| b.id).collect::<Vec<u32>>()),
            col("name_zh", s.blocks.iter().map(|b| name(b.id).name_zh.clone()).collect::<Vec<String>>()),
            col("name_en", s.blocks.iter().map(|b| name(b.id).name_en.clone()).collect::<Vec<String>>()),
            col("counted", s.blocks.iter().map(|b| b.counted).collect::<Vec<bool>>()),
            col("p_started_by_2025_12", s.blocks.iter().map(|b| b.p_started_2025).collect::<Vec<f64>>()),
            col("start_p10", m(|b| b.start_p10)),
            col("start_p50", m(|b| b.median_start)),
            col("start_p90", m(|b| b.start_p90)),
            col("delivery_p10", m(|b| b.delivery_p10)),
            col("delivery_p50", m(|b| b.median_delivery)),
            col("delivery_p90", m(|b| b.delivery_p90)),
            col("p_delivered_by_deadline", s.blocks.iter().map(|b| b.p_delivered_deadline).collect::<Vec<f64>>()),
            col("p_delivered_by_horizon", s.blocks.iter().map(|b| b.p_delivered_horizon).collect::<Vec<f64>>()),
            col("p_replaced", s.blocks.iter().map(|b| b.p_replaced).collect::<Vec<f64>>()),
            col("mean_parks", contribution(0)),
            col("mean_specialized", contribution(1)),
            col("mean_tech_smes", contribution(2)),
            col("mean_revenue_cny", contribution(3)),
            col("mean_jobs", contribution(4)),
        ],
    )
}

/// `timeseries.csv`: one row per month and metric.
pub fn write_timeseries(path: &Path, s: &Summary) -> Result<(), ExportError> {
    let f = |g: fn(&crate::summary::SeriesRow) -> f64| -> Vec<f64> { s.series.iter().map(g).collect() };
    write(
        path,
        vec![
            col("month", s.series.iter().map(|r| r.month.to_string()).collect::<Vec<String>>()),
            col("metric", s.series.iter().map(|r| r.metric.key().to_string()).collect::<Vec<String>>()),
            col("p5", f(|r| r.p5)),
            col("p25", f(|r| r.p25)),
            col("p50", f(|r| r.p50)),
            col("p75", f(|r| r.p75)),
            col("p95", f(|r| r.p95)),
            col("mean", f(|r| r.mean)),
        ],
    )
}

pub(super) fn target_key(t: Option<TargetId>) -> String {
    t.map(|t| t.key().to_string()).unwrap_or_else(|| "all".into())
}

/// `compare.csv`: one row per scenario and target, with the paired difference against the first.
pub fn write_compare(path: &Path, rows: &[crate::whatif::CompareRow]) -> Result<(), ExportError> {
    let f = |g: fn(&crate::whatif::CompareRow) -> f64| -> Vec<f64> { rows.iter().map(g).collect() };
    write(
        path,
        vec![
            col("scenario", rows.iter().map(|r| r.scenario.clone()).collect::<Vec<String>>()),
            col("target", rows.iter().map(|r| target_key(r.target)).collect::<Vec<String>>()),
            col("p_met", f(|r| r.p_met)),
            col("ci_low", f(|r| r.ci.low)),
            col("ci_high", f(|r| r.ci.high)),
            col("diff_vs_first", f(|r| r.diff.0)),
            col("diff_low", f(|r| r.diff.1)),
            col("diff_high", f(|r| r.diff.2)),
        ],
    )
}

/// `sweep.csv`: one row per value and target.
pub fn write_sweep(path: &Path, param: &str, rows: &[crate::whatif::SweepRow]) -> Result<(), ExportError> {
    let f = |g: fn(&crate::whatif::SweepRow) -> f64| -> Vec<f64> { rows.iter().map(g).collect() };
    write(
        path,
        vec![
            col("param", rows.iter().map(|_| param.to_string()).collect::<Vec<String>>()),
            col("value", f(|r| r.value)),
            col("target", rows.iter().map(|r| target_key(r.target)).collect::<Vec<String>>()),
            col("p_met", f(|r| r.p_met)),
            col("ci_low", f(|r| r.ci.low)),
            col("ci_high", f(|r| r.ci.high)),
        ],
    )
}
