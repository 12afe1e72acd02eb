//! The sheets of `compare`, `sweep` and `sweep --vary`: compare.csv, sweep.csv and
//! sweep_grid.csv, cell for cell under the CSVs' column names, with Chinese headers above.

use super::sheet::{Cell, Column, Sheet};
use crate::report::charts::Lang;
use crate::seeds::TargetId;
use crate::whatif::{Axis, CompareRow, GridRow, SweepRow};

fn target_key(t: Option<TargetId>) -> Cell {
    Cell::text(t.map_or("all", |t| t.key()))
}

fn target_zh(t: Option<TargetId>) -> Cell {
    Cell::text(t.map_or_else(|| "全部目标".to_string(), |t| Lang::Zh.metric(t).to_string()))
}

/// 情景比较: compare.csv.
pub fn compare(rows: &[CompareRow], trials: u64, seed: u64) -> Sheet {
    let col = |zh: &str, en: &str, f: &dyn Fn(&CompareRow) -> Cell| Column::new(zh, en, rows.iter().map(f).collect());
    Sheet {
        name: "情景比较 compare".into(),
        note: Some(format!(
            "各情景使用相同的 {trials} 次模拟（随机种子 {seed}），差值为与第一个情景的配对差 · the same {trials} trials (seed {seed}) for every scenario; differences are paired against the first"
        )),
        columns: vec![
            col("情景", "scenario", &|r| Cell::text(&r.scenario)),
            col("目标", "target", &|r| target_key(r.target)),
            col("指标", "label_zh", &|r| target_zh(r.target)),
            col("达标概率", "p_met", &|r| Cell::Percent(r.p_met)),
            col("下限", "ci_low", &|r| Cell::Percent(r.ci.low)),
            col("上限", "ci_high", &|r| Cell::Percent(r.ci.high)),
            col("较第一个情景变化", "diff_vs_first", &|r| Cell::Percent(r.diff.0)),
            col("变化下限", "diff_low", &|r| Cell::Percent(r.diff.1)),
            col("变化上限", "diff_high", &|r| Cell::Percent(r.diff.2)),
        ],
        key_columns: 2,
    }
}

/// 参数扫描: sweep.csv.
pub fn sweep(param: &str, rows: &[SweepRow], trials: u64, seed: u64) -> Sheet {
    let col = |zh: &str, en: &str, f: &dyn Fn(&SweepRow) -> Cell| Column::new(zh, en, rows.iter().map(f).collect());
    Sheet {
        name: "参数扫描 sweep".into(),
        note: Some(format!(
            "{param}：每个取值使用相同的 {trials} 次模拟（随机种子 {seed}） · the same {trials} trials (seed {seed}) at every value"
        )),
        columns: vec![
            col("参数", "param", &|_| Cell::text(param)),
            col("取值", "value", &|r| Cell::Plain(r.value)),
            col("目标", "target", &|r| target_key(r.target)),
            col("指标", "label_zh", &|r| target_zh(r.target)),
            col("达标概率", "p_met", &|r| Cell::Percent(r.p_met)),
            col("下限", "ci_low", &|r| Cell::Percent(r.ci.low)),
            col("上限", "ci_high", &|r| Cell::Percent(r.ci.high)),
        ],
        key_columns: 2,
    }
}

/// 多参数扫描: sweep_grid.csv (`design` is `grid` or `lhs`).
pub fn grid(axes: &[Axis], rows: &[GridRow], design: &str, trials: u64, seed: u64) -> Sheet {
    let col = |zh: &str, en: &str, f: &dyn Fn(&GridRow) -> Cell| Column::new(zh, en, rows.iter().map(f).collect());
    let mut columns =
        vec![col("设计", "design", &|_| Cell::text(design)), col("点", "point", &|r| Cell::Number(r.point as f64))];
    for (k, a) in axes.iter().enumerate() {
        columns.push(col(&a.path, &a.path, &|r| Cell::Plain(r.values[k])));
    }
    columns.extend([
        col("目标", "target", &|r| target_key(r.target)),
        col("指标", "label_zh", &|r| target_zh(r.target)),
        col("达标概率", "p_met", &|r| Cell::Percent(r.p_met)),
        col("下限", "ci_low", &|r| Cell::Percent(r.ci.low)),
        col("上限", "ci_high", &|r| Cell::Percent(r.ci.high)),
    ]);
    let kind = if design == "lhs" { "拉丁超立方" } else { "网格" };
    Sheet {
        name: "多参数扫描 sweep_grid".into(),
        note: Some(format!(
            "{kind}设计，每个点使用相同的 {trials} 次模拟（随机种子 {seed}） · {design} design, the same {trials} trials (seed {seed}) at every point"
        )),
        columns,
        key_columns: 2 + axes.len() as u16,
    }
}
