//! The report's section on per-block criticality: a table and one chart per target.

use super::{escape, figure, pct};
use crate::report::charts::{ChartFile, Lang};
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::sensitivity::criticality::{Criticality, PairedChange, SLOTS};
use std::fmt::Write;

/// Names of the criticality charts start with this.
pub const CHART_PREFIX: &str = "criticality_";

/// A change in points; greyed when its 95 % interval contains zero (not told apart from
/// Monte Carlo noise).
fn pts(c: Option<PairedChange>) -> String {
    match c {
        Some(c) => {
            let v = c.mean * 100.0;
            let text = format!("{:+.1}", if v.abs() < 0.05 { 0.0 } else { v });
            if c.low <= 0.0 && c.high >= 0.0 {
                format!("<span class=\"ns\">{text}</span>")
            } else {
                text
            }
        }
        None => "–".into(),
    }
}

fn slot_name(slot: usize, l: Lang) -> String {
    if slot < TargetId::ALL.len() {
        l.metric(TargetId::ALL[slot]).to_string()
    } else {
        l.t("全部目标", "all targets").to_string()
    }
}

/// One sentence: whether any block moves any P(met) beyond simulation error, and the largest
/// such change (the charts' axes span at least ± 5 points around the baseline).
fn beyond_noise(s: &RunView, c: &Criticality, slots: &[usize], l: Lang) -> String {
    let mut real: Vec<(f64, u32, usize)> = Vec::new();
    for b in &c.blocks {
        for &k in slots {
            for change in [b.on_schedule.and_then(|v| v[k]), b.dropped.and_then(|v| v[k])].into_iter().flatten() {
                if change.low > 0.0 || change.high < 0.0 {
                    real.push((change.mean, b.id, k));
                }
            }
        }
    }
    let blocks = {
        let mut ids: Vec<u32> = real.iter().map(|r| r.1).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    let span = crate::report::charts::CRITICALITY_MIN_HALF_SPAN_POINTS;
    match real.iter().max_by(|a, b| a.0.abs().total_cmp(&b.0.abs())) {
        None => match l {
            Lang::Zh => format!("没有任何区块对达成概率的影响超出模拟误差（图中横轴至少为基准±{span:.0}个百分点）。"),
            Lang::En => format!("No block changes any P(met) beyond simulation error (the axes span at least ±{span:.0} points around the baseline)."),
        },
        Some(&(mean, id, k)) => {
            let b = s.block(id);
            match l {
                Lang::Zh => format!(
                    "{blocks}个区块对至少一项达成概率的影响超出模拟误差；最大的是{} {}对{}的{:+.1}个百分点（图中横轴至少为基准±{span:.0}个百分点）。",
                    id,
                    crate::zh::punctuate(&b.name_zh),
                    slot_name(k, l),
                    mean * 100.0
                ),
                Lang::En => format!(
                    "{blocks} blocks change at least one P(met) beyond simulation error; the largest is {} {} on {}, {:+.1} points (the axes span at least ±{span:.0} points around the baseline).",
                    id,
                    b.name_en,
                    slot_name(k, l).to_lowercase(),
                    mean * 100.0
                ),
            }
        }
    }
}

pub fn section(s: &RunView, c: &Criticality, charts: &[ChartFile], l: Lang) -> String {
    let slots: Vec<usize> = (0..SLOTS).filter(|&k| c.baseline[k].is_some()).collect();
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p>",
        l.t("区块关键性", "Block criticality"),
        escape(&match l {
            Lang::Zh => format!(
                "每个区块：若确定按计划开工（未定区块按情景允许的最早时间），各目标达成概率上升多少；若调出推进表，下降多少（百分点，与基准共用同一组{}个模拟情形）；以及未达成目标的模拟情形中该区块在截止时仍在建设的比例。",
                crate::report::format::thousands(c.trials as f64)
            ),
            Lang::En => format!(
                "For each block: how many points P(met) rises if it starts on schedule with certainty (an undetermined block at the earliest month the scenario allows), how many it falls if the block leaves the list (paired with the base run on the same {} trials), and the share of trials missing the target in which the block was still under construction at the deadline.",
                c.trials
            ),
        })
    );
    let _ = write!(
        h,
        "<p>{}</p>",
        escape(&match l {
            Lang::Zh => format!(
                "灰色数字：其模拟误差范围包含0，与随机误差无法区分。基准为这{}个配对模拟情形中的达成概率，与上文全部模拟情形的结果相差在模拟误差之内。",
                crate::report::format::thousands(c.trials as f64)
            ),
            Lang::En => format!(
                "Grey figures: their simulation error (95%) contains 0, so they cannot be told apart from noise. The baseline is P(met) in these {} paired trials; it differs from the full run above within sampling error.",
                c.trials
            ),
        })
    );
    let _ = write!(h, "<p class=\"verdict\">{}</p>", escape(&beyond_noise(s, c, &slots, l)));
    let flat: Vec<String> = slots.iter().filter(|&&k| !c.any_block_moves(k)).map(|&k| slot_name(k, l)).collect();
    if !flat.is_empty() {
        let _ = write!(
            h,
            "<p>{}</p>",
            escape(&match l {
                Lang::Zh =>
                    format!("{}：在这些配对模拟情形中，没有任何单个区块改变其达成概率，故不绘图。", flat.join("、")),
                Lang::En => format!(
                    "{}: no single block changes P(met) in these paired trials, so no chart is drawn.",
                    flat.join(", ")
                ),
            })
        );
    }
    h.push_str("<table><thead><tr><th>");
    h.push_str(l.t("区块", "block"));
    h.push_str("</th>");
    for &k in &slots {
        let _ = write!(
            h,
            "<th>{}<br>{}</th>",
            escape(&slot_name(k, l)),
            l.t("按期开工 / 调出 / 未达成时在建", "on schedule / dropped / under construction in misses")
        );
    }
    h.push_str("</tr></thead>");
    for b in &c.blocks {
        let view = s.block(b.id);
        let name = match l {
            Lang::Zh => &view.name_zh,
            Lang::En => &view.name_en,
        };
        let _ = write!(h, "<tr><td class=\"l\">{} {}</td>", b.id, escape(name));
        for &k in &slots {
            let on = match &b.on_schedule {
                Some(v) => pts(v[k]),
                None if b.dropped.is_some() => l.t("已开工", "started").to_string(),
                None => "–".into(),
            };
            let dropped = b.dropped.map(|v| pts(v[k])).unwrap_or_else(|| l.t("不计入", "not counted").into());
            let under = b.under_construction_in_misses[k].map(|x| pct(l, x)).unwrap_or_else(|| "–".into());
            let _ = write!(h, "<td>{on} / {dropped} / {under}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    for ch in charts.iter().filter(|ch| ch.lang == l && ch.name.starts_with(CHART_PREFIX)) {
        h.push_str(&figure(ch));
    }
    h
}
