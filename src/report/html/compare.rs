//! `compare`'s report.html: the scenarios' differences against the first in points with their
//! paired intervals, first in words (结论), then the table they come from and the chart.

use super::page::{analysis_info, document, open_section};
use super::points::{change, change_words};
use super::{escape, figure, pct};
use crate::report::charts::{ChartFile, Lang};
use crate::report::view::scenario_label;
use crate::sensitivity::criticality::PairedChange;
use crate::whatif::CompareRow;
use std::fmt::Write;

/// A compared scenario's name and labels.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: String,
    pub label_zh: String,
    pub label_en: String,
}

impl Named {
    fn label(&self, l: Lang) -> String {
        scenario_label(&self.name, &self.label_zh, &self.label_en, l)
    }
}

/// What the compare report shows.
pub struct CompareReport<'a> {
    /// Rows as `whatif::compare` gives them: scenario by scenario, the first first.
    pub rows: &'a [CompareRow],
    pub scenarios: Vec<Named>,
    /// The (first) scenario's target set, in Chinese and English.
    pub target_set: (String, String),
    pub year: i32,
    pub trials: u64,
    pub seed: u64,
    pub date: String,
}

fn diff(r: &CompareRow) -> PairedChange {
    PairedChange { mean: r.diff.0, low: r.diff.1, high: r.diff.2 }
}

fn target_name(l: Lang, r: &CompareRow) -> String {
    r.target.map(|t| l.metric(t).to_string()).unwrap_or_else(|| l.t("全部目标", "all targets").into())
}

fn key(r: &CompareRow) -> &'static str {
    r.target.map(|t| t.key()).unwrap_or("all")
}

impl CompareReport<'_> {
    fn named(&self, name: &str) -> String {
        let fallback = Named { name: name.to_string(), label_zh: String::new(), label_en: String::new() };
        self.scenarios.iter().find(|s| s.name == name).unwrap_or(&fallback).label(Lang::Zh)
    }

    fn label(&self, name: &str, l: Lang) -> String {
        match self.scenarios.iter().find(|s| s.name == name) {
            Some(s) => s.label(l),
            None => scenario_label(name, "", "", l),
        }
    }

    fn others(&self) -> impl Iterator<Item = &str> {
        let first = self.rows.first().map(|r| r.scenario.as_str()).unwrap_or("");
        let mut seen: Vec<&str> = Vec::new();
        for r in self.rows.iter().filter(|r| r.scenario != first) {
            if !seen.contains(&r.scenario.as_str()) {
                seen.push(&r.scenario);
            }
        }
        seen.into_iter()
    }

    /// The headline: every other scenario's change of P(all targets met) against the first.
    fn headline(&self, l: Lang) -> String {
        let Some(first) = self.rows.first() else { return String::new() };
        let base = self.rows.iter().find(|r| r.scenario == first.scenario && r.target.is_none());
        let mut parts = Vec::new();
        for name in self.others() {
            let Some(r) = self.rows.iter().find(|r| r.scenario == name && r.target.is_none()) else { continue };
            parts.push(match l {
                Lang::Zh => format!(
                    "{}下{}年底全部目标达成的概率为{}，{}",
                    escape(&self.label(name, l)),
                    self.year,
                    pct(l, r.p_met),
                    change_words(l, &diff(r))
                ),
                Lang::En => format!(
                    "under {} the probability that all targets are met by the end of {} is {}, {}",
                    escape(&self.label(name, l)),
                    self.year,
                    pct(l, r.p_met),
                    change_words(l, &diff(r))
                ),
            });
        }
        let base_p = base.map(|b| pct(l, b.p_met)).unwrap_or_default();
        match l {
            Lang::Zh => format!(
                "与{}（全部目标达成概率{base_p}）相比：{}。",
                escape(&self.label(&first.scenario, l)),
                parts.join("；")
            ),
            Lang::En => format!(
                "Against {} (P(all targets met) {base_p}): {}.",
                escape(&self.label(&first.scenario, l)),
                parts.join("; ")
            ),
        }
    }

    /// 结论: per other scenario, the change of each target in words.
    fn conclusions(&self, l: Lang) -> String {
        let mut h = format!("<h2>{}</h2><ul id=\"{}-conclusions\">", l.t("结论", "Answer"), l.code());
        for name in self.others() {
            let parts: Vec<String> = self
                .rows
                .iter()
                .filter(|r| r.scenario == name)
                .map(|r| match l {
                    Lang::Zh => {
                        format!("{}达成概率{}，{}", target_name(l, r), pct(l, r.p_met), change_words(l, &diff(r)))
                    }
                    Lang::En => format!("{} {}, {}", target_name(l, r), pct(l, r.p_met), change_words(l, &diff(r))),
                })
                .collect();
            let first = self.rows.first().map(|r| self.label(&r.scenario, l)).unwrap_or_default();
            let _ = match l {
                Lang::Zh => write!(
                    h,
                    "<li data-scenario=\"{}\"><b>{}</b>与{}相比：{}。</li>",
                    escape(name),
                    escape(&self.label(name, l)),
                    escape(&first),
                    parts.join("；")
                ),
                Lang::En => write!(
                    h,
                    "<li data-scenario=\"{}\"><b>{}</b> against {}: {}.</li>",
                    escape(name),
                    escape(&self.label(name, l)),
                    escape(&first),
                    parts.join("; ")
                ),
            };
        }
        h.push_str("</ul>");
        h
    }

    fn table(&self, l: Lang) -> String {
        let first = self.rows.first().map(|r| self.label(&r.scenario, l)).unwrap_or_default();
        let mut h = format!(
            "<h2>{}</h2><table id=\"{}-compare\"><thead><tr><th>{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            l.t("各情景达成概率", "Probability of each target by scenario"),
            l.code(),
            l.t("情景", "scenario"),
            l.t("目标", "target"),
            l.t("达成概率", "P(met)"),
            l.t("模拟误差范围", "simulation error"),
            escape(&match l {
                Lang::Zh => format!("与{first}相比（个百分点，95%区间）"),
                Lang::En => format!("against {first} (points, 95% interval)"),
            })
        );
        for r in self.rows {
            let _ = write!(
                h,
                "<tr data-scenario=\"{}\" data-target=\"{}\"><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&r.scenario),
                key(r),
                escape(&self.label(&r.scenario, l)),
                target_name(l, r),
                pct(l, r.p_met),
                l.range(&pct(l, r.ci.low), &pct(l, r.ci.high)),
                if Some(r.scenario.as_str()) == self.rows.first().map(|f| f.scenario.as_str()) {
                    "–".to_string()
                } else {
                    change(l, &diff(r))
                }
            );
        }
        h.push_str("</table>");
        let _ = write!(
            h,
            "<p class=\"meta\">{}</p>",
            l.t(
                "各情景在同一批模拟情形上计算，差值为逐一配对比较的结果，只由情景设定的不同引起；95%区间只反映模拟次数有限带来的误差，不反映假设本身的不确定。",
                "Every scenario runs on the same simulated futures (common random numbers), so each difference is paired and caused by the scenarios' settings alone; the 95% intervals are only the error from the number of simulated futures, not the uncertainty of the assumptions.",
            )
        );
        h
    }

    fn section(&self, charts: &[ChartFile], l: Lang) -> String {
        let mut h = open_section(l);
        let title = match l {
            Lang::Zh => format!("{}：情景比较", self.target_set.0),
            Lang::En => format!("{}: scenarios compared", self.target_set.1),
        };
        let _ = write!(h, "<h1>{}</h1><p class=\"headline\">{}</p>", escape(&title), self.headline(l));
        let _ = write!(h, "<div class=\"first\" id=\"{}-first\">{}</div>", l.code(), self.conclusions(l));
        h.push_str(&self.table(l));
        for c in charts.iter().filter(|c| c.lang == l) {
            h.push_str(&figure(c));
        }
        h.push_str(&analysis_info(l, self.trials, self.seed, &self.date));
        h.push_str("</section>");
        h
    }
}

/// The page.
pub fn render(r: &CompareReport, charts: &[ChartFile], langs: &[Lang]) -> String {
    let title = r.rows.first().map(|f| format!("情景比较（与{}相比）", r.named(&f.scenario))).unwrap_or_default();
    document(&title, langs, |l| r.section(charts, l))
}
