//! 年度节点: per target, the probability of being on track at the end of each year until the
//! deadline, against the path the run judged it by (see [`crate::checkpoints`]).

use super::{escape, pct};
use crate::checkpoints::CheckpointRow;
use crate::month::Month;
use crate::report::charts::Lang;
use crate::report::view::RunView;
use std::fmt::Write;

/// A checkpoint's name: 2025年底 / end of 2025 for a December, else the month.
fn checkpoint_label(l: Lang, m: Month) -> String {
    match (l, m.month()) {
        (Lang::Zh, 12) => format!("{}年底", m.year()),
        (Lang::En, 12) => format!("end of {}", m.year()),
        _ => l.month(m),
    }
}

/// The month the run's data are as of: the observations' under monitoring, else the model's start.
fn data_month(s: &RunView) -> Month {
    s.monitoring.as_ref().map_or(crate::model::model_start(), |m| m.as_of)
}

/// The checkpoints in `months` after the data's date and before the run's month (`meta.date`,
/// YYYY-MM-DD…): past on the calendar, still simulated in the table.
fn past_checkpoints(s: &RunView, months: &[Month]) -> Vec<Month> {
    let run = s
        .meta
        .date
        .get(..7)
        .and_then(|ym| ym.split_once('-'))
        .and_then(|(y, m)| Month::new(y.parse().ok()?, m.parse().ok()?));
    let data = data_month(s);
    match run {
        Some(run) => months.iter().copied().filter(|m| *m > data && *m < run).collect(),
        None => Vec::new(),
    }
}

pub fn section(s: &RunView, l: Lang) -> String {
    let rows = &s.summary.checkpoints;
    let mut months: Vec<Month> = rows.iter().map(|r| r.month).collect();
    months.sort();
    months.dedup();
    if months.is_empty() {
        return String::new();
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><table id=\"{}-checkpoints\"><thead><tr><th rowspan=\"2\">{}</th><th rowspan=\"2\">{}</th>",
        l.t("年度节点：按进度推进的概率", "Yearly checkpoints: probability of being on track"),
        l.code(),
        l.t("目标", "target"),
        l.t("起点（2024年11月）", "start (2024-11)"),
    );
    for &m in &months {
        let _ = write!(h, "<th colspan=\"2\">{}</th>", escape(&checkpoint_label(l, m)));
    }
    h.push_str("</tr><tr>");
    for _ in &months {
        let _ = write!(h, "<th>{}</th><th>{}</th>", l.t("进度线", "path"), l.t("达到概率", "P(on track)"));
    }
    h.push_str("</tr></thead>");
    let mut targets: Vec<_> = rows.iter().map(|r| r.target).collect();
    targets.dedup();
    for id in targets {
        let of: Vec<&CheckpointRow> = rows.iter().filter(|r| r.target == id).collect();
        let _ = write!(
            h,
            "<tr data-target=\"{}\"><td>{}</td><td>{}</td>",
            id.key(),
            l.metric(id),
            escape(&l.value(id, of[0].base))
        );
        for &m in &months {
            match of.iter().find(|r| r.month == m) {
                Some(r) => {
                    let _ = write!(
                        h,
                        "<td>≥ {}</td><td data-p=\"{}\">{}</td>",
                        escape(&l.value(id, r.path_value)),
                        r.p_on_track,
                        pct(l, r.p_on_track)
                    );
                }
                None => h.push_str("<td></td><td></td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    let deadline = l.month(s.target_set.deadline);
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        escape(&match l {
            Lang::Zh => format!(
                "进度线：目标口径未规定年度进度，按线性推进计，即自2024年11月的起点（中间情形）至{deadline}的目标值逐月等量推进；计数类指标取整到下一个整数。达到概率：该节点时指标不低于进度线的模拟情形所占比例；截止时的数值即上表的达成概率。截止前各节点由逐月分布统计得出，进度线附近0.39%以内的数值按比例计入。"
            ),
            Lang::En => format!(
                "Path: the target set states no yearly path, so the path is linear — from the start (the median at 2024-11) to the target value at {deadline}, in equal monthly steps; counts are rounded up to the next whole number. P(on track): the share of simulated futures at or above the path at the checkpoint; at the deadline it is the P(met) of the table above. Checkpoints before the deadline are read off the monthly distribution, values within 0.39% of the path counted in proportion."
            ),
        })
    );
    let past = past_checkpoints(s, &months);
    if let Some(last) = past.last() {
        // a checkpoint the calendar has passed is still a forecast from the data's date: say so,
        // before someone quotes it as what happened
        let data = l.month(data_month(s));
        let when = checkpoint_label(l, *last);
        let _ = write!(
            h,
            "<p class=\"meta\"><b>{}</b></p>",
            escape(&match l {
                Lang::Zh => format!(
                    "截至报告日期，{when}及以前的节点已过，但本表仍是依据截至{data}的资料所作的模拟，并非实际统计；取得实际数据后，宜录入监测数据重新测算。"
                ),
                Lang::En => format!(
                    "As of the report's date, the checkpoints up to {when} have passed, but this table is still simulated from the data as of {data}, not what happened; with the actual figures, enter them as observations and run again."
                ),
            })
        );
    }
    h
}
