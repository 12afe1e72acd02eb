//! The two-level section (`run --two-level`): P(met) across plausible worlds beside the pooled
//! P(met), and which unknown to measure first, with their charts; and the page that holds it in
//! the two-level output directory (`report.html`, self-contained like the run's).

use super::{escape, figure, font_face, CSS};
use crate::engine::two_level::{Bands, TwoLevel};
use crate::report::charts::labels::factor_label;
use crate::report::charts::{ChartFile, Lang};
use crate::seeds::TargetId;
use std::fmt::Write;

fn target_name(b: &Bands, l: Lang) -> String {
    match b.target {
        Some(m) => l.metric(TargetId::ALL[m]).to_string(),
        None => l.t("全部目标", "All targets").to_string(),
    }
}

/// One sentence per target: its band, and the unknown that settles most of it.
fn sentence(t: &TwoLevel, b: &Bands, l: Lang) -> String {
    let (lo, hi, med) = (l.percent(b.p10), l.percent(b.p90), l.percent(b.median));
    let name = target_name(b, l);
    let first = b.shares.as_ref().and_then(|s| t.ranked(b).first().map(|&k| (k, s[k].estimate.max(0.0))));
    let band = match l {
        Lang::Zh => format!("{name}：在80%的可能情形中，达成概率介于{lo}与{hi}之间（中位{med}）"),
        Lang::En => format!("{name}: P(met) is between {lo} and {hi} in 80% of the plausible worlds (median {med})"),
    };
    let rest = match (first, l) {
        (None, Lang::Zh) => "；它几乎不随未知因素变化。".to_string(),
        (None, Lang::En) => "; it hardly varies with what we do not know.".to_string(),
        (Some((k, s)), Lang::Zh) => {
            format!("；查明“{}”可消除其中约{}的不确定性。", factor_label(&t.unknowns[k].key, l), l.percent(s))
        }
        (Some((k, s)), Lang::En) => format!(
            "; knowing {} would settle about {} of what we do not know about it.",
            factor_label(&t.unknowns[k].key, l).to_lowercase(),
            l.percent(s)
        ),
    };
    escape(&(band + &rest))
}

/// The section in one language: the bands table, the sentences and the charts.
pub fn section(t: &TwoLevel, charts: &[ChartFile], l: Lang) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p>",
        l.t("未知因素与随机波动", "What we do not know, and what varies by chance"),
        escape(&match l {
            Lang::Zh => format!(
                "普通运行结果中的区间只是模拟误差。此处把尚未查明的因素（基数、测算参数等）与随机波动（开工时间、企业入驻等）分开：先抽取{}个可能情形，每个情形再模拟{}次。达成概率在各情形间的分布，就是查明这些因素后可以消除的不确定性。",
                crate::report::format::thousands(t.outer as f64),
                crate::report::format::thousands(t.inner as f64)
            ),
            Lang::En => format!(
                "The interval of a plain run is simulation error only. Here what we do not know (the base's figures, calibrated parameters) is kept apart from what varies by chance (start dates, firm intake): {} plausible worlds, {} trials in each. How P(met) spreads across the worlds is the uncertainty that measuring could remove.",
                crate::report::format::thousands(t.outer as f64),
                crate::report::format::thousands(t.inner as f64)
            ),
        })
    );
    let head = [
        l.t("目标", "Target"),
        l.t("总体达成概率", "P(met), all worlds"),
        l.t("中位情形", "Median world"),
        l.t("80% 的情形", "80% of worlds"),
        l.t("90% 的情形", "90% of worlds"),
        l.t("达成概率 ≥ 50% 的情形占比", "Worlds with P(met) ≥ 50%"),
    ];
    h.push_str("<table><tr>");
    for c in head {
        let _ = write!(h, "<th>{}</th>", escape(c));
    }
    h.push_str("</tr>");
    for b in &t.outputs {
        let p = |x: f64| escape(&l.percent(x));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&target_name(b, l)),
            p(b.pooled),
            p(b.median),
            l.range(&p(b.p10), &p(b.p90)),
            l.range(&p(b.p05), &p(b.p95)),
            p(b.likely)
        );
    }
    h.push_str("</table>");
    let chart = |name: &str| charts.iter().find(|c| c.lang == l && c.name == name).map(figure).unwrap_or_default();
    h.push_str(&chart("two_level_bands"));
    let _ = write!(h, "<h3>{}</h3>", l.t("优先查明哪项因素", "Which unknown to measure first"));
    for b in &t.outputs {
        let _ = write!(h, "<p>{}</p>", sentence(t, b, l));
        h.push_str(&chart(&format!("measure_first_{}", crate::report::two_level_table::output_key(b))));
    }
    h
}

/// The page of a two-level output directory. With one language, the switch is left out.
pub fn page(t: &TwoLevel, scenario: &str, charts: &[ChartFile], langs: &[Lang]) -> String {
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    let _ = write!(h, "<title>parkcast — {}</title><style>{}{CSS}</style></head><body>", escape(scenario), font_face());
    if langs.len() > 1 {
        h.push_str("<input type=\"radio\" name=\"lang\" id=\"lang-zh\" checked><label class=\"lang\" for=\"lang-zh\">中文</label><input type=\"radio\" name=\"lang\" id=\"lang-en\"><label class=\"lang\" for=\"lang-en\">English</label>");
    }
    for &l in langs {
        let class = if langs.len() == 1 { "only" } else { l.code() };
        let title = match l {
            Lang::Zh => format!("情景“{}”：两层不确定性", escape(scenario)),
            Lang::En => format!("Scenario “{}”: two kinds of uncertainty", escape(scenario)),
        };
        let _ = write!(h, "<div class=\"{class}\"><h1>{title}</h1>{}</div>", section(t, charts, l));
    }
    h.push_str("</body></html>\n");
    h
}
