//! `packages.csv` (one row per option — the status quo, then each lever package — and target,
//! with its paired difference against the status quo and its regret) and `sweep_grid.csv`.

use super::csv::{col, target_key, write};
use super::ExportError;
use crate::report::charts::{option_label, Lang};
use crate::whatif::{PackageRow, PackageTarget, PackagesResult};
use std::path::Path;

pub fn write_packages(path: &Path, r: &PackagesResult) -> Result<(), ExportError> {
    let rows: Vec<(&PackageRow, &PackageTarget)> =
        r.rows.iter().flat_map(|o| o.targets.iter().map(move |t| (o, t))).collect();
    let f = |g: fn(&PackageRow, &PackageTarget) -> f64| -> Vec<f64> { rows.iter().map(|(o, t)| g(o, t)).collect() };
    let s = |g: fn(&PackageRow) -> String| -> Vec<String> { rows.iter().map(|(o, _)| g(o)).collect() };
    write(
        path,
        vec![
            col("package", s(|o| o.id.clone())),
            col("rank", rows.iter().map(|(o, _)| o.rank as u32).collect::<Vec<u32>>()),
            col("target", rows.iter().map(|(_, t)| target_key(t.target)).collect::<Vec<String>>()),
            col("p_met", f(|_, t| t.p_met)),
            col("ci_low", f(|_, t| t.ci.low)),
            col("ci_high", f(|_, t| t.ci.high)),
            col("diff_vs_status_quo", f(|_, t| t.diff.0)),
            col("diff_low", f(|_, t| t.diff.1)),
            col("diff_high", f(|_, t| t.diff.2)),
            col("regret_mean", f(|o, _| o.regret.mean)),
            col("regret_p90", rows.iter().map(|(o, _)| o.regret.p90).collect::<Vec<u32>>()),
            col("all_targets_regret_mean", f(|o, _| o.regret.all_mean)),
            col("label_zh", s(|o| option_label(o, Lang::Zh))),
            col("label_en", s(|o| option_label(o, Lang::En))),
            col("levers", s(|o| o.package.as_ref().map(|p| p.levers_text()).unwrap_or_default())),
            col("cost_note", s(|o| o.package.as_ref().map(|p| p.cost_note.clone()).unwrap_or_default())),
            col("cost_note_zh", s(|o| o.package.as_ref().and_then(|p| p.cost_note_zh.clone()).unwrap_or_default())),
            col("departments", s(|o| o.package.as_ref().map(|p| p.departments.join("、")).unwrap_or_default())),
            col("trials", rows.iter().map(|_| r.trials).collect::<Vec<u64>>()),
            col("seed", rows.iter().map(|_| r.seed).collect::<Vec<u64>>()),
        ],
    )
}

/// `sweep_grid.csv`: one row per point of a multi-lever sweep and target, one column per
/// varied path.
pub fn write_grid(
    path: &Path,
    axes: &[crate::whatif::Axis],
    rows: &[crate::whatif::GridRow],
    design: &str,
) -> Result<(), ExportError> {
    let f = |g: fn(&crate::whatif::GridRow) -> f64| -> Vec<f64> { rows.iter().map(g).collect() };
    let mut columns = vec![
        col("design", rows.iter().map(|_| design.to_string()).collect::<Vec<String>>()),
        col("point", rows.iter().map(|r| r.point as u32).collect::<Vec<u32>>()),
    ];
    for (k, a) in axes.iter().enumerate() {
        columns.push(col(&a.path, rows.iter().map(|r| r.values[k]).collect::<Vec<f64>>()));
    }
    columns.extend([
        col("target", rows.iter().map(|r| target_key(r.target)).collect::<Vec<String>>()),
        col("p_met", f(|r| r.p_met)),
        col("ci_low", f(|r| r.ci.low)),
        col("ci_high", f(|r| r.ci.high)),
    ]);
    write(path, columns)
}
