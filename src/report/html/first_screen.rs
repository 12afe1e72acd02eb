//! The report's first screen, in the form a meeting reads: 结论 (the answer per target, in words
//! an official can quote), 原因 (by batch and district, the base against the blocks, the figures
//! the answer rests on) and 建议 (the levers with their 责任单位, the blocks at risk, the data
//! to request). Generated from the run's numbers, formatted by the same functions as the tables
//! below, so every number on it can be found again in one of them.

use super::breakdown::{batch_label, by_batch, expected_count, groups};
use super::{beliefs, escape, pct, readings};
use crate::model::beliefs::Belief;
use crate::report::charts::Lang;
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::summary::TargetRow;
use std::fmt::Write;

/// Who holds a base figure the bureau should request (the statistics a department keeps).
fn holder(b: Belief) -> (&'static str, &'static str) {
    match b {
        Belief::Revenue2024 | Belief::RevenueGrowth => ("市统计局", "the city statistics bureau"),
        Belief::Specialized2024 => ("市经信局", "the city economy and information bureau"),
        Belief::TechSmes2024 => ("市科技局", "the city science and technology bureau"),
        Belief::JobsPerYear => ("市人力社保局", "the city human resources and social security bureau"),
        Belief::OtherParks => ("各区（推进表动态调整情况）", "the districts (changes to the block list)"),
    }
}

/// The 责任单位 of a lever in Chinese: the seed's departments, a note in English on the lead
/// group cut to its name.
pub(super) fn departments_zh(d: &crate::scenario::levers::LeverDef) -> String {
    let names: Vec<&str> = d.departments.iter().map(|x| x.split(" (").next().unwrap_or(x).trim()).collect();
    names.join("、")
}

/// The median as the table prints it and its gap to the target value, in words: the gap is
/// worked out from the printed median, so that the target value and the gap add up to it as
/// printed ("预计3.1万人 … 目标值3万人，超出0.1万人", not "… 超出0.06万人").
fn median_and_gap(l: Lang, t: &TargetRow) -> (String, String) {
    let median = l.value(t.id, t.p50);
    let d = as_printed(l, t.id, t.p50, &median) - t.threshold;
    let amount = l.value(t.id, d.abs());
    let gap = match (l, d < 0.0) {
        (Lang::Zh, true) => format!("差{amount}"),
        (Lang::Zh, false) => format!("超出{amount}"),
        (Lang::En, true) => format!("{amount} short"),
        (Lang::En, false) => format!("{amount} above"),
    };
    (median, gap)
}

/// The value `printed` (= `l.value(id, x)`) shows, in the metric's base unit; `x` itself where
/// the text is words ("不足1家").
fn as_printed(l: Lang, id: TargetId, x: f64, printed: &str) -> f64 {
    let number: String = printed.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-')).collect();
    let unit = match (l, id) {
        (Lang::En, TargetId::Jobs) if !printed.contains("thousand") => 1.0,
        _ => l.unit(id).1,
    };
    match number.parse::<f64>() {
        Ok(v) if !printed.contains("不足") && !printed.contains("less than") => v * unit,
        _ => x,
    }
}

/// One target's conclusion.
fn conclusion(s: &RunView, l: Lang, t: &TargetRow) -> String {
    let reading = s.summary.readings.iter().find(|r| r.target == t.id && r.headline);
    let about = reading.and_then(|r| r.tolerance_threshold.zip(r.p_met_tolerance));
    let (median, gap) = median_and_gap(l, t);
    let mut text = match l {
        Lang::Zh => format!(
            "<b>{}</b>：预计{}（中间情形；较差情形{}，较好情形{}），目标值{}{}，{}；达成概率{}{}",
            l.metric(t.id),
            median,
            l.value(t.id, t.p5),
            l.value(t.id, t.p95),
            l.value(t.id, t.threshold),
            if about.is_some() { "左右" } else { "" },
            gap,
            pct(l, t.p_met),
            super::epistemic::conclusion_clause(s, l, Some(t.id))
        ),
        Lang::En => format!(
            "<b>{}</b>: expected {} (median; low case {}, high case {}) against {}{}, {}; P(met) {}{}",
            l.metric(t.id),
            median,
            l.value(t.id, t.p5),
            l.value(t.id, t.p95),
            if about.is_some() { "about " } else { "" },
            l.value(t.id, t.threshold),
            gap,
            pct(l, t.p_met),
            super::epistemic::conclusion_clause(s, l, Some(t.id))
        ),
    };
    if let Some((x, p)) = about {
        let _ = match l {
            Lang::Zh => write!(text, "，按“左右”容差（≥ {}）为{}", l.value(t.id, x), pct(l, p)),
            Lang::En => write!(text, ", {} at the 左右 tolerance (≥ {})", pct(l, p), l.value(t.id, x)),
        };
    }
    if let Some(r) = reading {
        let _ = match l {
            Lang::Zh => write!(text, "。口径：{}。", escape(readings::label(l, r.reading))),
            Lang::En => write!(text, ". Reading: {}.", escape(readings::label(l, r.reading))),
        };
    } else {
        text.push_str(l.t("。", "."));
    }
    text
}

fn conclusions(s: &RunView, l: Lang) -> String {
    let summary = &s.summary;
    let mut h = format!("<h2>{}</h2><ul id=\"{}-conclusions\">", l.t("结论", "Answer"), l.code());
    for t in &summary.targets {
        let _ = write!(h, "<li data-target=\"{}\">{}</li>", t.id.key(), conclusion(s, l, t));
    }
    let all = &summary.all;
    let _ = match l {
        Lang::Zh => write!(
            h,
            "<li data-target=\"all\"><b>{}项目标全部达成</b>的概率为{}（模拟误差范围{}～{}{}）。{}</li>",
            summary.targets.len(),
            pct(l, all.p_met),
            pct(l, all.ci.low),
            pct(l, all.ci.high),
            super::epistemic::headline_clause(s, l, None),
            omitted_note(s, l)
        ),
        Lang::En => write!(
            h,
            "<li data-target=\"all\"><b>All {} targets</b> are met with probability {} (simulation error {}–{}{}).{}</li>",
            summary.targets.len(),
            pct(l, all.p_met),
            pct(l, all.ci.low),
            pct(l, all.ci.high),
            super::epistemic::headline_clause(s, l, None),
            omitted_note(s, l)
        ),
    };
    h.push_str("</ul>");
    h
}

/// Names the metrics the target set gives no target for (empty when it gives all five), so that
/// 「全部达成」 is not read as all five of the policy's targets.
fn omitted_note(s: &RunView, l: Lang) -> String {
    let given = s.summary.targets.len();
    let omitted: Vec<TargetId> =
        TargetId::ALL.into_iter().filter(|id| !s.summary.targets.iter().any(|t| t.id == *id)).collect();
    if omitted.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = omitted.iter().map(|id| l.t(id.label_zh(), id.label_en())).collect();
    match l {
        Lang::Zh => format!("本口径未设{}目标，“全部目标”仅指以上{}项。", names.join("、"), given),
        Lang::En => format!(
            " This target set gives no target for {}; “all targets” means the {} above.",
            names.join(", "),
            given
        ),
    }
}

fn reasons(s: &RunView, l: Lang) -> Vec<String> {
    let mut out = Vec::new();
    // by batch
    let batches = by_batch(s);
    if !batches.is_empty() {
        let parts: Vec<String> = batches
            .iter()
            .map(|(b, g)| match l {
                Lang::Zh => {
                    format!("{}{}个区块平均建成{}", batch_label(l, *b), g.blocks, expected_count(l, g.built()))
                }
                Lang::En => {
                    format!("{} of the {} blocks of {}", expected_count(l, g.built()), g.blocks, batch_label(l, *b))
                }
            })
            .collect();
        out.push(match l {
            Lang::Zh => format!("<b>分批次</b>：截止前{}（见“按批次”）。", parts.join("，")),
            Lang::En => {
                format!("<b>By batch</b>: on average {} are built by the deadline (see “By batch”).", parts.join(", "))
            }
        });
    }
    // by district: where the blocks with no start date are
    let districts = groups(s, |b| b.district());
    let undetermined: usize = districts.iter().map(|(_, g)| g.undetermined).sum();
    if undetermined > 0 {
        let parts: Vec<String> = districts
            .iter()
            .filter(|(_, g)| g.undetermined > 0)
            .map(|(d, g)| match l {
                Lang::Zh => format!("{}{}个", d.label_zh(), g.undetermined),
                Lang::En => format!("{} in {}", g.undetermined, d.label_en()),
            })
            .collect();
        out.push(match l {
            Lang::Zh => format!(
                "<b>分区</b>：开工时间未定的{undetermined}个区块中，{}；这些区块截止前建成的可能性小（见“按区和批次”与“重点区块”）。",
                parts.join("，")
            ),
            Lang::En => format!(
                "<b>By district</b>: of the {undetermined} blocks with no start date, {}; they are unlikely to be built by the deadline (see “By district and batch” and “Key blocks”).",
                parts.join(", ")
            ),
        });
    }
    // the base against the blocks
    let parts: Vec<String> = s
        .summary
        .targets
        .iter()
        .filter(|t| t.id != TargetId::Parks)
        .map(|t| match l {
            Lang::Zh => format!("{}现有存量占{}", l.metric(t.id), super::breakdown::base_share(t)),
            Lang::En => format!("{} {}", l.metric(t.id), super::breakdown::base_share(t)),
        })
        .collect();
    if !parts.is_empty() {
        out.push(match l {
            Lang::Zh => format!(
                "<b>存量与区块</b>：除建成产业园外，各目标主要靠现有存量，重点区块到截止时贡献有限（按平均值）：{}（见“现有存量与重点区块”）。",
                parts.join("；")
            ),
            Lang::En => format!(
                "<b>Base and blocks</b>: but for parks, the targets rest mainly on the existing base, and the blocks add little by the deadline. The base's share of the mean: {} (see “Existing base and key blocks”).",
                parts.join("; ")
            ),
        });
    }
    // the unknowns the answer rests on: the base figures at which a target is a coin toss
    let parts: Vec<String> = s
        .summary
        .beliefs
        .iter()
        .filter(|b| b.reachable_50 && b.for_50.is_some())
        .map(|b| match l {
            Lang::Zh => format!(
                "{}须达{}（情景假设{}）",
                b.belief.label_zh(),
                beliefs::value(l, b.belief, b.for_50, true),
                beliefs::value(l, b.belief, Some(b.scenario_median), true)
            ),
            Lang::En => format!(
                "{} {} (assumed {})",
                b.belief.label_en(),
                beliefs::value(l, b.belief, b.for_50, true),
                beliefs::value(l, b.belief, Some(b.scenario_median), true)
            ),
        })
        .collect();
    if let Some(r) = s.tornado.as_ref().and_then(|t| super::tornado::reason(t, l)) {
        out.push(r);
    }
    if !parts.is_empty() {
        out.push(match l {
            Lang::Zh => format!(
                "<b>关键未知数</b>：现有存量尚无公开数据，结果取决于假设值。相应目标达成概率为50%时：{}（见“达标所需的基数”）。",
                parts.join("；")
            ),
            Lang::En => format!(
                "<b>Key unknowns</b>: the existing base is not published and the answer rests on assumed figures. For P(met) = 50%: {} (see “What you must believe”).",
                parts.join("; ")
            ),
        });
    }
    out
}

fn actions(s: &RunView, l: Lang) -> Vec<String> {
    let mut levers = Vec::new();
    for v in &s.levers {
        let Some(d) = v.def() else { continue };
        let state = match (l, v.on) {
            (Lang::Zh, true) => "本情景已启用",
            (Lang::Zh, false) => "本情景未启用",
            (Lang::En, true) => "on in this scenario",
            (Lang::En, false) => "off in this scenario",
        };
        levers.push(match l {
            Lang::Zh => format!(
                "<b>{}</b>（实施意见{}；{}）：责任单位{}。",
                escape(d.label_zh),
                escape(&crate::zh::punctuate(d.seed_section)),
                state,
                escape(&departments_zh(d))
            ),
            Lang::En => format!(
                "<b>{}</b> (section {}; {}): responsible {}.",
                escape(d.label_en),
                escape(d.seed_section),
                state,
                escape(&d.departments.join(", "))
            ),
        });
    }
    if let Some(e) = &s.effects {
        levers = super::effects::actions(s, e, l);
    } else if !levers.is_empty() {
        levers.push(
            l.t(
                "以上措施的效果未在本次运行中测算：需在同一批模拟情形上将本情景与政策组合情景配对比较。",
                "The levers' effects were not measured in this run: compare this scenario with the policy package on the same simulated futures.",
            )
            .to_string(),
        );
    }
    // the levers' measured effects come first: they are what the meeting can decide
    let mut out = if s.effects.is_some() { std::mem::take(&mut levers) } else { Vec::new() };
    // the blocks least likely to be built in time, with their developer
    let mut at_risk: Vec<_> = s.summary.blocks.iter().filter(|r| r.counted && r.p_delivered_deadline < 0.1).collect();
    at_risk.sort_by(|a, b| a.p_delivered_deadline.total_cmp(&b.p_delivered_deadline).then(a.id.cmp(&b.id)));
    if !at_risk.is_empty() {
        let parts: Vec<String> = at_risk
            .iter()
            .map(|r| {
                let b = s.block(r.id);
                let district = b.district().map(|d| l.t(d.label_zh(), d.label_en())).unwrap_or("");
                match l {
                    Lang::Zh => format!(
                        "{} {}（{}，开发主体：{}，截止前投运概率{}）",
                        r.id,
                        escape(&crate::zh::punctuate(&b.name_zh)),
                        district,
                        escape(if b.developer_zh.is_empty() { "未定" } else { &b.developer_zh }),
                        pct(l, r.p_delivered_deadline)
                    ),
                    Lang::En => format!(
                        "{} {} ({}, developer: {}, P(operating by the deadline) {})",
                        r.id,
                        escape(&b.name_en),
                        district,
                        escape(if b.developer_en.is_empty() { "undetermined" } else { &b.developer_en }),
                        pct(l, r.p_delivered_deadline)
                    ),
                }
            })
            .collect();
        out.push(match l {
            Lang::Zh => format!(
                "<b>重点督办区块</b>（截止前投运概率不足10%）：{}。请所在区明确开发主体与开工时间（见“重点区块”）。",
                parts.join("；")
            ),
            Lang::En => format!(
                "<b>Blocks to follow up</b> (P(operating by the deadline) under 10%): {}. Their districts to settle developer and start date (see “Key blocks”).",
                parts.join("; ")
            ),
        });
    }
    // data to request: the base figures the answer rests on, from who holds them
    let mut seen = Vec::new();
    for b in s.summary.beliefs.iter().filter(|b| b.belief != Belief::OtherParks) {
        if seen.contains(&b.belief) {
            continue;
        }
        seen.push(b.belief);
        let (zh, en) = holder(b.belief);
        out.push(match l {
            Lang::Zh => format!(
                "<b>请{zh}提供</b>{}（分区）：情景假设为{}，现为假设值，待核实。",
                b.belief.label_zh(),
                beliefs::value(l, b.belief, Some(b.scenario_median), true)
            ),
            Lang::En => format!(
                "<b>Request from {en}</b>: {} by district (assumed {}, to be verified).",
                b.belief.label_en(),
                beliefs::value(l, b.belief, Some(b.scenario_median), true)
            ),
        });
    }
    out.extend(levers);
    out
}

fn list(id: &str, items: &[String]) -> String {
    let mut h = format!("<ul id=\"{id}\">");
    for i in items {
        let _ = write!(h, "<li>{i}</li>");
    }
    h.push_str("</ul>");
    h
}

/// The first screen.
pub fn section(s: &RunView, l: Lang) -> String {
    let mut h = format!("<div class=\"first\" id=\"{}-first\">", l.code());
    h.push_str(&conclusions(s, l));
    let _ = write!(h, "<h2>{}</h2>", l.t("原因", "Why"));
    h.push_str(&list(&format!("{}-reasons", l.code()), &reasons(s, l)));
    let _ = write!(h, "<h2>{}</h2>", l.t("建议", "What can be done"));
    h.push_str(&list(&format!("{}-actions", l.code()), &actions(s, l)));
    h.push_str("</div>");
    h
}
