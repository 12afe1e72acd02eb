//! The sheets of the targets: 汇总 (summary.csv), 口径 (readings.csv) and 时间序列
//! (timeseries.csv, with each metric's target for the fan charts).

use super::sheet::{Cell, Column, Sheet};
use crate::report::view::RunView;
use crate::seeds::TargetId;

/// The time series sheet's name; the fan charts read from it.
pub const SERIES_SHEET: &str = "时间序列 series";

fn target_label(id: TargetId) -> String {
    format!("{} {}", id.label_zh(), id.label_en())
}

/// 汇总: one row per target under its headline reading, and a row for all targets together.
pub fn targets(view: &RunView) -> Sheet {
    let s = &view.summary;
    let headline = |id: TargetId| s.readings.iter().find(|r| r.target == id && r.headline).map(|r| r.reading);
    let n = s.targets.len() + 1;
    let col = |zh: &str, en: &str, f: &dyn Fn(&crate::summary::TargetRow) -> Cell, all: Cell| {
        let mut cells: Vec<Cell> = s.targets.iter().map(f).collect();
        cells.push(all);
        debug_assert_eq!(cells.len(), n);
        Column::new(zh, en, cells)
    };
    let columns = vec![
        col("目标", "target", &|t| Cell::text(t.id.key()), Cell::text("all")),
        col("指标", "label", &|t| Cell::text(target_label(t.id)), Cell::text("全部目标 all targets")),
        col("口径", "reading", &|t| Cell::opt_text(headline(t.id).map(|r| r.key())), Cell::text("headline")),
        col("目标值", "threshold", &|t| Cell::metric(t.id, t.threshold), Cell::Empty),
        col("达标概率", "p_met", &|t| Cell::Percent(t.p_met), Cell::Percent(s.all.p_met)),
        col("95%区间下限", "ci_low", &|t| Cell::Percent(t.ci.low), Cell::Percent(s.all.ci.low)),
        col("95%区间上限", "ci_high", &|t| Cell::Percent(t.ci.high), Cell::Percent(s.all.ci.high)),
        col("P5", "p5", &|t| Cell::metric(t.id, t.p5), Cell::Empty),
        col("中位数", "p50", &|t| Cell::metric(t.id, t.p50), Cell::Empty),
        col("P95", "p95", &|t| Cell::metric(t.id, t.p95), Cell::Empty),
        col("均值", "mean", &|t| Cell::metric(t.id, t.mean), Cell::Empty),
        col("存量部分均值", "base_mean", &|t| Cell::metric(t.id, t.base_mean), Cell::Empty),
    ];
    Sheet {
        name: "汇总 summary".into(),
        note: Some(format!(
            "{} · {} · {} 次模拟 trials · 截至 deadline {}",
            view.name, view.target_set.label_zh, s.trials, view.target_set.deadline
        )),
        columns,
        key_columns: 2,
    }
}

/// 口径: every target under every reading, then all targets together under the headline,
/// narrowest and broadest readings.
pub fn readings(view: &RunView) -> Sheet {
    let s = &view.summary;
    let (rows, all) = (&s.readings, &s.all_readings);
    let both = |f: &dyn Fn(&crate::summary::ReadingRow) -> Cell,
                g: &dyn Fn(&crate::summary::AllReadingsRow) -> Cell| {
        rows.iter().map(f).chain(all.iter().map(g)).collect::<Vec<Cell>>()
    };
    let joined =
        |a: &crate::summary::AllReadingsRow| a.readings.iter().map(|r| r.label_zh()).collect::<Vec<_>>().join("；");
    let columns = vec![
        Column::new("目标", "target", both(&|r| Cell::text(r.target.key()), &|_| Cell::text("all"))),
        Column::new("口径", "reading", both(&|r| Cell::text(r.reading.key()), &|a| Cell::text(&a.combination))),
        Column::new("口径说明", "reading_zh", both(&|r| Cell::text(r.reading.label_zh()), &|a| Cell::text(joined(a)))),
        Column::new(
            "主口径",
            "headline",
            both(&|r| Cell::Bool(r.headline), &|a| Cell::Bool(a.combination == "headline")),
        ),
        Column::new("目标值", "threshold", both(&|r| Cell::metric(r.target, r.threshold), &|_| Cell::Empty)),
        Column::new("达标概率", "p_met", both(&|r| Cell::Percent(r.p_met), &|a| Cell::Percent(a.p_met))),
        Column::new("95%区间下限", "ci_low", both(&|r| Cell::Percent(r.ci.low), &|a| Cell::Percent(a.ci.low))),
        Column::new("95%区间上限", "ci_high", both(&|r| Cell::Percent(r.ci.high), &|a| Cell::Percent(a.ci.high))),
        Column::new(
            "左右容差下的目标值",
            "tolerance_threshold",
            both(&|r| r.tolerance_threshold.map(|x| Cell::metric(r.target, x)).unwrap_or(Cell::Empty), &|_| {
                Cell::Empty
            }),
        ),
        Column::new(
            "容差下达标概率",
            "p_met_tolerance",
            both(&|r| Cell::opt(r.p_met_tolerance, Cell::Percent), &|_| Cell::Empty),
        ),
        Column::new("中位数", "p50", both(&|r| Cell::metric(r.target, r.p50), &|_| Cell::Empty)),
        Column::new("均值", "mean", both(&|r| Cell::metric(r.target, r.mean), &|_| Cell::Empty)),
    ];
    Sheet { name: "口径 readings".into(), note: None, columns, key_columns: 2 }
}

/// 时间序列: per metric (in blocks of consecutive rows) and month, the percentiles and mean,
/// and the metric's target (the fan charts draw it as a line).
pub fn series(view: &RunView) -> Sheet {
    let rows = &view.summary.series;
    let threshold = |id: TargetId| view.summary.targets.iter().find(|t| t.id == id).map(|t| t.threshold);
    let q = |zh: &str, en: &str, f: fn(&crate::summary::SeriesRow) -> f64| {
        Column::new(zh, en, rows.iter().map(|r| Cell::metric(r.metric, f(r))).collect())
    };
    let columns = vec![
        Column::new("月份", "month", rows.iter().map(|r| Cell::text(r.month.to_string())).collect()),
        Column::new("指标", "metric", rows.iter().map(|r| Cell::text(r.metric.key())).collect()),
        q("P5", "p5", |r| r.p5),
        q("P25", "p25", |r| r.p25),
        q("中位数", "p50", |r| r.p50),
        q("P75", "p75", |r| r.p75),
        q("P95", "p95", |r| r.p95),
        q("均值", "mean", |r| r.mean),
        Column::new(
            "目标值",
            "threshold",
            rows.iter()
                .map(|r| threshold(r.metric).map(|x| Cell::metric(r.metric, x)).unwrap_or(Cell::Empty))
                .collect(),
        ),
    ];
    Sheet { name: SERIES_SHEET.into(), note: None, columns, key_columns: 2 }
}
