//! The tornado's top factors: which unknowns and levers move P(met) most when set to their 10th
//! and 90th percentile (levers to the ends of their range). A table and one reason on `run`'s
//! first screen (`run --with-tornado`), and `tornado`'s own report.html.

use super::page::{analysis_info, document, open_section};
use super::points::signed;
use super::{escape, figure, pct};
use crate::report::charts::labels::factor_label;
use crate::report::charts::{ChartFile, Lang};
use crate::seeds::TargetId;
use crate::sensitivity::tornado::Tornado;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Factors a run's report lists per target.
pub const RUN_TOP: usize = 5;

/// One factor: P(met) with it at its low and at its high setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopFactor {
    /// The factor's key (`base.revenue_2024_cny`, `levers.multi_storey`, …).
    pub key: String,
    pub low: f64,
    pub high: f64,
}

impl TopFactor {
    /// The swing, high − low (probability).
    pub fn swing(&self) -> f64 {
        self.high - self.low
    }
}

/// One target's (or all targets', `target = None`) top factors, largest swing first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopTarget {
    pub target: Option<TargetId>,
    pub baseline: f64,
    pub factors: Vec<TopFactor>,
}

/// The top factors of a tornado of `trials` trials per evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TornadoTop {
    pub trials: u64,
    pub seed: u64,
    pub targets: Vec<TopTarget>,
}

impl TornadoTop {
    /// The `top` factors of `t` for each of `targets` (metric indices; `None`: all jointly).
    pub fn of(t: &Tornado, targets: &[Option<usize>], top: usize) -> TornadoTop {
        TornadoTop {
            trials: t.trials,
            seed: t.seed,
            targets: targets
                .iter()
                .map(|&m| TopTarget {
                    target: m.and_then(|m| TargetId::ALL.get(m).copied()),
                    baseline: t.baseline.p(m),
                    factors: t
                        .ranked(m)
                        .into_iter()
                        .take(top)
                        .map(|r| TopFactor { key: r.factor.key(), low: r.low.p(m), high: r.high.p(m) })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn target_name(l: Lang, t: Option<TargetId>) -> String {
    t.map(|t| l.metric(t).to_string()).unwrap_or_else(|| l.t("全部目标", "all targets").into())
}

fn key(t: Option<TargetId>) -> &'static str {
    t.map(|t| t.key()).unwrap_or("all")
}

/// The table of the top factors, `<tr data-target data-factor>` per row.
pub fn table(top: &TornadoTop, l: Lang) -> String {
    let mut h = format!(
        "<h2>{}</h2><table id=\"{}-tornado\"><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("影响最大的因素", "The factors that matter most"),
        l.code(),
        l.t("目标", "target"),
        l.t("因素", "factor"),
        l.t("当前达成概率", "P(met) as assumed"),
        l.t("该因素偏低时", "factor low (10th pct.)"),
        l.t("该因素偏高时", "factor high (90th pct.)"),
        l.t("相差（个百分点）", "swing (points)")
    );
    for t in &top.targets {
        for f in &t.factors {
            let _ = write!(
                h,
                "<tr data-target=\"{}\" data-factor=\"{}\"><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                key(t.target),
                escape(&f.key),
                target_name(l, t.target),
                escape(&factor_label(&f.key, l)),
                pct(l, t.baseline),
                pct(l, f.low),
                pct(l, f.high),
                signed(f.swing())
            );
        }
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        match l {
            Lang::Zh => format!(
                "每次只改变一个因素：不确定的因素取偏低值（由低到高第10%）和偏高值（第90%），措施取其范围的两端，其余按情景设定；每种设定模拟{}个情形，各设定使用同一批模拟情形。",
                crate::report::format::thousands(top.trials as f64)
            ),
            Lang::En => format!(
                "One factor at a time: each uncertain factor at its 10th and 90th percentile, each lever at the ends of its range, everything else as in the scenario; {} trials per setting on common random numbers.",
                crate::report::format::thousands(top.trials as f64)
            ),
        }
    );
    h
}

/// The first screen's reason: per target, the two factors that move its P(met) most.
pub fn reason(top: &TornadoTop, l: Lang) -> Option<String> {
    let parts: Vec<String> = top
        .targets
        .iter()
        .filter(|t| t.factors.first().is_some_and(|f| f.swing().abs() >= 0.0005))
        .map(|t| {
            let fs: Vec<String> = t
                .factors
                .iter()
                .take(2)
                .filter(|f| f.swing().abs() >= 0.0005)
                .map(|f| match l {
                    Lang::Zh => {
                        format!("{}（{}至{}）", escape(&factor_label(&f.key, l)), pct(l, f.low), pct(l, f.high))
                    }
                    Lang::En => {
                        format!("{} ({} to {})", escape(&factor_label(&f.key, l)), pct(l, f.low), pct(l, f.high))
                    }
                })
                .collect();
            match l {
                Lang::Zh => format!("{}看{}", target_name(l, t.target), fs.join("、")),
                Lang::En => format!("{}: {}", target_name(l, t.target), fs.join(", ")),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| match l {
        Lang::Zh => format!(
            "<b>影响最大的因素</b>（括号内为该因素偏低、偏高时的达成概率）：{}（见“影响最大的因素”）。",
            parts.join("；")
        ),
        Lang::En => format!(
            "<b>What matters most</b> (P(met) with the factor low and high): {} (see “The factors that matter most”).",
            parts.join("; ")
        ),
    })
}

/// What the tornado report shows.
pub struct TornadoReport<'a> {
    pub top: &'a TornadoTop,
    /// The scenario as a reader names it, per language.
    pub scenario: (String, String),
    pub target_set: (String, String),
    pub date: String,
}

impl TornadoReport<'_> {
    fn section(&self, charts: &[ChartFile], l: Lang) -> String {
        let mut h = open_section(l);
        let (scenario, set) = match l {
            Lang::Zh => (&self.scenario.0, &self.target_set.0),
            Lang::En => (&self.scenario.1, &self.target_set.1),
        };
        let title = match l {
            Lang::Zh => format!("{set}：影响达成的主要因素（{scenario}）"),
            Lang::En => format!("{set}: what moves the chance of meeting the targets ({scenario})"),
        };
        let _ = write!(h, "<h1>{}</h1>", escape(&title));
        if let Some(r) = reason(self.top, l) {
            let _ = write!(
                h,
                "<div class=\"first\" id=\"{}-first\"><h2>{}</h2><ul id=\"{}-reasons\"><li>{r}</li></ul></div>",
                l.code(),
                l.t("结论", "Answer"),
                l.code()
            );
        }
        h.push_str(&table(self.top, l));
        for c in charts.iter().filter(|c| c.lang == l) {
            h.push_str(&figure(c));
        }
        h.push_str(&analysis_info(l, self.top.trials, self.top.seed, &self.date));
        h.push_str("</section>");
        h
    }
}

/// The page.
pub fn render(r: &TornadoReport, charts: &[ChartFile], langs: &[Lang]) -> String {
    document(&format!("影响达成的主要因素（{}）", r.scenario.0), langs, |l| r.section(charts, l))
}
