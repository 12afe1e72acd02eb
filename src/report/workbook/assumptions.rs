//! 假设 (the report's key assumptions with their sources) and 运行信息 (what the run was:
//! version, scenario, hash, overrides, seed, trials …; its date and wall time are in run.json).

use super::sheet::{Cell, Column, Sheet};
use crate::report::view::RunView;

/// 假设: each key parameter's distribution, unit, where its mass lies, and its source or the
/// assumption it rests on.
pub fn assumptions(view: &RunView) -> Sheet {
    let a = &view.assumptions;
    let range = |f: fn(&crate::report::view::DistRange) -> f64| -> Vec<Cell> {
        a.iter().map(|x| Cell::opt(x.range.as_ref().map(f), Cell::Number)).collect()
    };
    let columns = vec![
        Column::new("参数", "path", a.iter().map(|x| Cell::text(&x.path)).collect()),
        Column::new("分布", "distribution", a.iter().map(|x| Cell::text(&x.distribution)).collect()),
        Column::new("单位", "unit", a.iter().map(|x| Cell::text(&x.unit)).collect()),
        Column::new("均值", "mean", range(|r| r.mean)),
        Column::new("P5", "p5", range(|r| r.p5)),
        Column::new("中位数", "median", range(|r| r.median)),
        Column::new("P95", "p95", range(|r| r.p95)),
        Column::new("来源或假设", "basis", a.iter().map(|x| Cell::text(&x.basis)).collect()),
    ];
    Sheet {
        name: "假设 assumptions".into(),
        note: Some("主要参数及其来源；完整的参数表见 parkcast validate · key parameters and their sources; every parameter: parkcast validate".into()),
        columns,
        key_columns: 1,
    }
}

/// 运行信息: one row per property of the run.
pub fn run_info(view: &RunView) -> Sheet {
    let m = &view.meta;
    let rows: Vec<(&str, &str, Cell)> = vec![
        ("版本", "parkcast_version", Cell::text(&m.parkcast_version)),
        ("情景", "scenario", Cell::text(&m.scenario)),
        ("情景文件", "scenario_files", Cell::text(m.scenario_files.join("\n"))),
        ("情景哈希", "scenario_hash", Cell::text(&m.scenario_hash)),
        ("覆盖设置", "overrides", Cell::text(m.overrides.join("\n"))),
        ("基础数据", "seeds", Cell::text(&m.seeds)),
        ("随机种子", "seed", Cell::text(m.seed.to_string())),
        ("模拟次数", "trials", Cell::Number(m.trials as f64)),
        ("请求的模拟次数", "trials_requested", Cell::Number(m.trials_requested as f64)),
        ("抽样方法", "sampling", Cell::text(&m.sampling)),
        ("精度要求", "precision", Cell::opt(m.precision, Cell::Number)),
        ("目标集", "target_set", Cell::text(&m.target_set)),
        ("截止月份", "deadline", Cell::text(&m.deadline)),
        ("模拟至", "horizon", Cell::text(&m.horizon)),
        ("警告", "warnings", Cell::text(m.warnings.join("\n"))),
    ];
    Sheet {
        name: "运行信息 run".into(),
        note: Some("运行日期和用时见 run.json · the run's date and wall time are in run.json".into()),
        columns: vec![
            Column::new("项目", "item_zh", rows.iter().map(|r| Cell::text(r.0)).collect()),
            Column::new("Item", "item", rows.iter().map(|r| Cell::text(r.1)).collect()),
            Column::new("值", "value", rows.into_iter().map(|r| r.2).collect()),
        ],
        key_columns: 2,
    }
}
