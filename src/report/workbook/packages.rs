//! 政策包比较: the rows of packages.csv — per option (status quo, each lever package) and
//! target, P(met), the paired difference against the status quo and the regret.

use super::sheet::{Cell, Column, Sheet};
use crate::report::charts::{option_label, Lang};
use crate::whatif::{PackageRow, PackageTarget, PackagesResult};

pub fn packages(r: &PackagesResult) -> Sheet {
    let rows: Vec<(&PackageRow, &PackageTarget)> =
        r.rows.iter().flat_map(|o| o.targets.iter().map(move |t| (o, t))).collect();
    let col = |zh: &str, en: &str, f: &dyn Fn(&PackageRow, &PackageTarget) -> Cell| {
        Column::new(zh, en, rows.iter().map(|(o, t)| f(o, t)).collect())
    };
    let target = |t: &PackageTarget| match t.target {
        Some(id) => Lang::Zh.metric(id).to_string(),
        None => "全部目标".into(),
    };
    let columns = vec![
        col("方案", "package", &|o, _| Cell::text(&o.id)),
        col("方案名称", "label_zh", &|o, _| Cell::text(option_label(o, Lang::Zh))),
        col("排名", "rank", &|o, _| Cell::Number(o.rank as f64)),
        col("目标", "target", &|_, t| Cell::text(target(t))),
        col("达标概率", "p_met", &|_, t| Cell::Percent(t.p_met)),
        col("下限", "ci_low", &|_, t| Cell::Percent(t.ci.low)),
        col("上限", "ci_high", &|_, t| Cell::Percent(t.ci.high)),
        col("较现状变化", "diff_vs_status_quo", &|_, t| Cell::Percent(t.diff.0)),
        col("变化下限", "diff_low", &|_, t| Cell::Percent(t.diff.1)),
        col("变化上限", "diff_high", &|_, t| Cell::Percent(t.diff.2)),
        col("平均遗憾值（项）", "regret_mean", &|o, _| Cell::Number(o.regret.mean)),
        col("遗憾值第90百分位（项）", "regret_p90", &|o, _| Cell::Number(o.regret.p90.into())),
        col("全部目标遗憾率", "all_targets_regret_mean", &|o, _| Cell::Percent(o.regret.all_mean)),
        col("措施", "levers", &|o, _| Cell::text(o.package.as_ref().map(|p| p.levers_text()).unwrap_or_default())),
        col("成本说明", "cost_note_zh", &|o, _| {
            Cell::opt_text(o.package.as_ref().map(|p| p.cost_note_zh.as_deref().unwrap_or(&p.cost_note)))
        }),
        col("成本说明（英文）", "cost_note", &|o, _| {
            Cell::opt_text(o.package.as_ref().map(|p| p.cost_note.as_str()))
        }),
        col("责任单位", "departments", &|o, _| {
            Cell::text(o.package.as_ref().map(|p| p.departments.join("、")).unwrap_or_default())
        }),
    ];
    Sheet {
        name: "政策包 packages".into(),
        note: Some(format!(
            "{} 次配对模拟，随机种子 {}；遗憾值：同一次模拟中最优方案达成而本方案未达成的目标数 · {} paired trials, seed {}; regret: targets the trial's best option meets that this one misses",
            r.trials, r.seed, r.trials, r.seed
        )),
        columns,
        key_columns: 2,
    }
}
