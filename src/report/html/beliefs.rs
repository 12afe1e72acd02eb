//! The report's "what you must believe" table: for each target, the value of one base figure
//! at which it is met with probability 50 % and 80 %, beside the scenario's median.

use super::escape;
use crate::model::beliefs::Belief;
use crate::report::charts::Lang;
use crate::report::format::thousands;
use crate::seeds::TargetId;
use crate::summary::{BeliefRow, Summary};
use std::fmt::Write;

/// A needed value in the report's language.
pub(super) fn value(l: Lang, b: Belief, v: Option<f64>, reachable: bool) -> String {
    match (v, reachable) {
        (_, false) => l.t("无法达到", "not reachable").into(),
        (None, true) => l.t("任意值均可", "any value").into(),
        (Some(x), true) => match b {
            Belief::Revenue2024 => l.value(TargetId::Revenue, x),
            Belief::RevenueGrowth => format!("{:.1}%", x * 100.0),
            Belief::JobsPerYear => match l {
                Lang::Zh => format!("{}万人/年", crate::report::format::wan(x)),
                Lang::En => format!("{} a year", thousands(x)),
            },
            Belief::OtherParks => match l {
                Lang::Zh => format!("{}个", thousands(x.ceil())),
                Lang::En => format!("{} parks", thousands(x.ceil())),
            },
            Belief::Specialized2024 | Belief::TechSmes2024 => match l {
                Lang::Zh => format!("{}家", thousands(x.ceil())),
                Lang::En => format!("{} firms", thousands(x.ceil())),
            },
        },
    }
}

fn row(l: Lang, r: &BeliefRow) -> String {
    format!(
        "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        l.metric(r.target),
        escape(l.t(r.belief.label_zh(), r.belief.label_en())),
        value(l, r.belief, r.for_50, r.reachable_50),
        value(l, r.belief, r.for_80, r.reachable_80),
        value(l, r.belief, Some(r.scenario_median), true),
    )
}

pub fn section(summary: &Summary, l: Lang) -> String {
    if summary.beliefs.is_empty() {
        return String::new();
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p><table><thead><tr><th>{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("达标所需的基数", "What you must believe"),
        l.t(
            "现有存量尚无公开数据。下表给出：其余条件按情景抽样不变，现有存量的某一数字须达到多少，相应目标的达成概率才为50%或80%。请与掌握的实际数字对照。",
            "The existing base is not published. For each target: the value of one base figure at which it is met with probability 50% or 80%, everything else as the scenario draws it. Compare it with the figure the bureau holds.",
        ),
        l.t("目标", "target"),
        l.t("现有存量数字", "base figure"),
        l.t("达成概率50%所需", "for P(met) = 50%"),
        l.t("达成概率80%所需", "for 80%"),
        l.t("情景假设（中位数）", "scenario median"),
    );
    for r in &summary.beliefs {
        h.push_str(&row(l, r));
    }
    h.push_str("</table>");
    h
}
