//! 年度节点: checkpoints.csv's rows — per target and year end, the path value and the
//! probability of being at or above it.

use super::sheet::{Cell, Column, Sheet};
use crate::report::view::RunView;

pub fn sheet(view: &RunView) -> Sheet {
    let rows = &view.summary.checkpoints;
    let columns = vec![
        Column::new("目标", "target", rows.iter().map(|r| Cell::text(r.target.key())).collect()),
        Column::new("节点", "month", rows.iter().map(|r| Cell::text(r.month.to_string())).collect()),
        Column::new("进度线", "path", rows.iter().map(|r| Cell::text(&r.path)).collect()),
        Column::new("起点", "base", rows.iter().map(|r| Cell::metric(r.target, r.base)).collect()),
        Column::new("进度线数值", "path_value", rows.iter().map(|r| Cell::metric(r.target, r.path_value)).collect()),
        Column::new("按进度概率", "p_on_track", rows.iter().map(|r| Cell::Percent(r.p_on_track)).collect()),
        Column::new("95%区间下限", "ci_low", rows.iter().map(|r| Cell::Percent(r.ci.low)).collect()),
        Column::new("95%区间上限", "ci_high", rows.iter().map(|r| Cell::Percent(r.ci.high)).collect()),
        Column::new("逐次计数", "exact", rows.iter().map(|r| Cell::Bool(r.exact)).collect()),
    ];
    Sheet {
        name: "年度节点 checkpoints".into(),
        note: Some(
            "进度线：自2024年11月起点（中间情形）至截止月目标值按月线性推进 · linear path from the median at 2024-11 to the target at the deadline"
                .into(),
        ),
        columns,
        key_columns: 2,
    }
}
