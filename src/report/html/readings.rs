//! The report's readings (口径) table: every target under each of its readings, on the same
//! trials, so the spread across readings shows at a glance.

use super::{escape, pct};
use crate::report::charts::Lang;
use crate::seeds::Reading;
use crate::summary::Summary;
use std::fmt::Write;

/// The label of a reading in the report's language.
pub fn label(l: Lang, r: Reading) -> &'static str {
    l.t(r.label_zh(), r.label_en())
}

/// The section: a table of every reading, then all targets together under three combinations.
pub fn section(summary: &Summary, l: Lang) -> String {
    if summary.readings.is_empty() {
        return String::new(); // report data written before 0.3
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.t("口径比较", "Readings of the targets"),
        l.t(
            "政策文本可有不同理解之处，逐一列出各口径下的达成概率（同一批试验）；标“★”者为上表采用的口径。",
            "Where the policy text can be read more than one way, each reading's P(met) on the same trials; ★ marks the reading used in the table above.",
        ),
        l.t("目标", "target"),
        l.t("口径", "reading"),
        l.t("达成概率", "P(met)"),
        l.t("95% 区间", "95% interval"),
        l.t("按“左右”容差", "within the 左右 tolerance"),
        l.t("中位数", "median"),
    );
    for r in &summary.readings {
        let tolerance = match (r.tolerance_threshold, r.p_met_tolerance) {
            (Some(x), Some(p)) => format!("≥ {}：{}", l.value(r.target, x), pct(l, p)),
            _ => String::new(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"l\">{}{}</td><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td></tr>",
            l.metric(r.target),
            escape(label(l, r.reading)),
            if r.headline { " ★" } else { "" },
            pct(l, r.p_met),
            pct(l, r.ci.low),
            pct(l, r.ci.high),
            escape(&tolerance),
            l.value(r.target, r.p50),
        );
    }
    for a in &summary.all_readings {
        let name = match a.combination.as_str() {
            "narrowest" => l.t("全部目标（均取最窄口径）", "all targets, each under its narrowest reading"),
            "broadest" => l.t("全部目标（均取最宽口径）", "all targets, each under its broadest reading"),
            _ => l.t("全部目标（上表口径）★", "all targets, headline readings ★"),
        };
        let _ = write!(
            h,
            "<tr><td colspan=\"2\" class=\"l\">{}</td><td>{}</td><td>{}–{}</td><td></td><td></td></tr>",
            name,
            pct(l, a.p_met),
            pct(l, a.ci.low),
            pct(l, a.ci.high),
        );
    }
    h.push_str("</table>");
    h
}
