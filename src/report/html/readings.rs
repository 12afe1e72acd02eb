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

/// The warning that the existing base is assumed (待核实), naming its assumed figures.
pub fn assumed_base_note(view: &crate::report::view::RunView, l: Lang) -> String {
    let assumed: Vec<&str> = view
        .assumptions
        .iter()
        .filter(|a| {
            a.path.starts_with("base.") && a.path != "base.other_parks_listed" && a.basis.starts_with("assumption")
        })
        .map(|a| a.path.as_str())
        .collect();
    if assumed.is_empty() {
        return String::new();
    }
    let names: Vec<String> = assumed
        .iter()
        .map(|p| match l {
            Lang::Zh => crate::report::charts::labels::factor_zh(p).unwrap_or_else(|| p.to_string()),
            Lang::En => p.to_string(),
        })
        .collect();
    let text = match l {
        Lang::Zh => format!(
            "现有存量基数待核实：{}均为假设值，尚无公开数据，以上结果均以其为前提。请以掌握的实际数字替换，并参见“达标所需的基数”。",
            names.join("、")
        ),
        Lang::En => format!(
            "The existing base is assumed, to be verified: {} are assumptions, not published figures, and every result above rests on them. Replace them with the bureau's figures; see “What you must believe”.",
            names.join(", ")
        ),
    };
    format!("<p class=\"meta\">{}</p>", escape(&text))
}

/// The readings the headline uses, for targets that can be read more than one way.
pub fn headline_note(summary: &Summary, l: Lang) -> String {
    let parts: Vec<String> = summary
        .readings
        .iter()
        .filter(|r| r.headline && Reading::of(r.target).count() > 1)
        .map(|r| match l {
            Lang::Zh => format!("{}按{}", l.metric(r.target), label(l, r.reading)),
            Lang::En => format!("{}: {}", l.metric(r.target).to_lowercase(), label(l, r.reading)),
        })
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    let text = match l {
        Lang::Zh => format!("口径：{}。其他口径的结果见“口径比较”。", parts.join("；")),
        Lang::En => format!("Readings: {}. The other readings are under “Readings of the targets”.", parts.join("; ")),
    };
    format!("<p class=\"meta\">{}</p>", escape(&text))
}

/// The section: a table of every reading, then all targets together under three combinations.
pub fn section(summary: &Summary, l: Lang) -> String {
    if summary.readings.is_empty() {
        return String::new(); // report data written before 0.3
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p><table><thead><tr><th>{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("口径比较", "Readings of the targets"),
        l.t(
            "政策文本可有不同理解之处，逐一列出各口径下的达成概率（同一批模拟情形）；标“★”者为上表采用的口径。",
            "Where the policy text can be read more than one way, each reading's P(met) on the same trials; ★ marks the reading used in the table above.",
        ),
        l.t("目标", "target"),
        l.t("口径", "reading"),
        l.t("达成概率", "P(met)"),
        l.t("模拟误差范围", "simulation error"),
        l.t("按“左右”容差", "within the 左右 tolerance"),
        l.t("中位数", "median"),
    );
    for r in &summary.readings {
        let tolerance = match (r.tolerance_threshold, r.p_met_tolerance) {
            (Some(x), Some(p)) => format!("≥ {}{}{}", l.value(r.target, x), l.t("：", ": "), pct(l, p)),
            _ => String::new(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"l\">{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            l.metric(r.target),
            escape(label(l, r.reading)),
            if r.headline { " ★" } else { "" },
            pct(l, r.p_met),
            l.range(&pct(l, r.ci.low), &pct(l, r.ci.high)),
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
            "<tr><td colspan=\"2\" class=\"l\">{}</td><td>{}</td><td>{}</td><td></td><td></td></tr>",
            name,
            pct(l, a.p_met),
            l.range(&pct(l, a.ci.low), &pct(l, a.ci.high)),
        );
    }
    h.push_str("</table>");
    h
}
