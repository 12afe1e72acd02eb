//! 达标所需 beliefs: beliefs.csv's rows — per target, the value of one base figure at which it
//! is met with probability 50 % and 80 %, beside the scenario's median of the figure.

use super::sheet::{Cell, Column, Sheet};
use crate::model::beliefs::Belief;
use crate::report::view::RunView;

/// A figure's value in its unit: yuan in 亿元, a growth rate as a percentage, counts as numbers.
fn value(b: Belief, x: f64) -> Cell {
    match b {
        Belief::Revenue2024 => Cell::Yuan(x),
        Belief::RevenueGrowth => Cell::Percent(x),
        _ => Cell::Number(x),
    }
}

/// The value for one share: empty where the target is met whatever the value, "不可达 not
/// reachable" where no value reaches the share.
fn needed(b: Belief, x: Option<f64>, reachable: bool) -> Cell {
    match (x, reachable) {
        (_, false) => Cell::text("不可达 not reachable"),
        (Some(x), true) if x.is_finite() => value(b, x),
        (Some(x), true) if x == f64::INFINITY => Cell::text("不可达 not reachable"),
        _ => Cell::text("任何取值均达标 met at any value"),
    }
}

pub fn sheet(view: &RunView) -> Sheet {
    let rows = &view.summary.beliefs;
    let columns = vec![
        Column::new("目标", "target", rows.iter().map(|r| Cell::text(r.target.key())).collect()),
        Column::new("基数", "figure", rows.iter().map(|r| Cell::text(r.belief.label_zh())).collect()),
        Column::new("参数", "param", rows.iter().map(|r| Cell::text(&r.param)).collect()),
        Column::new(
            "达标概率50%所需",
            "for_p50",
            rows.iter().map(|r| needed(r.belief, r.for_50, r.reachable_50)).collect(),
        ),
        Column::new(
            "达标概率80%所需",
            "for_p80",
            rows.iter().map(|r| needed(r.belief, r.for_80, r.reachable_80)).collect(),
        ),
        Column::new("情景中位数", "scenario_median", rows.iter().map(|r| value(r.belief, r.scenario_median)).collect()),
    ];
    Sheet {
        name: "达标所需 beliefs".into(),
        note: Some(
            "其余各项按情景抽样，仅此一项基数取表中数值时的达标概率 · the value of one base figure for P(met) = 50% / 80%, everything else as the scenario draws it (beliefs.csv)"
                .into(),
        ),
        columns,
        key_columns: 2,
    }
}
