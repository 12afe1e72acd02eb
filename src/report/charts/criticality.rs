//! Criticality charts: for each target, one bar per block from P(met) with the block dropped to
//! P(met) with it on schedule, around the baseline; the most critical blocks on top.

use super::tornado::{TornadoBar, TornadoChart};
use super::Lang;
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::sensitivity::criticality::{Criticality, SLOTS};

/// The least half-width of a criticality axis, in points of probability: a block that moves
/// P(met) by less than this shows as a short bar, as it reads at a meeting.
pub const MIN_HALF_SPAN_POINTS: f64 = 5.0;

/// Block label: id and a short name.
fn label(s: &RunView, id: u32, lang: Lang) -> String {
    let b = s.block(id);
    super::labels::block_label(id, &b.name_zh, &b.name_en, lang, 14, 28)
}

/// One chart per target of the set (and all targets jointly) that some block moves: a chart of
/// bars of zero width says nothing, so such targets get a sentence in the report instead.
pub fn charts(s: &RunView, c: &Criticality, lang: Lang) -> Vec<TornadoChart> {
    let mut out = Vec::new();
    for slot in (0..SLOTS).filter(|&k| c.baseline[k].is_some() && c.any_block_moves(k)) {
        let Some(base) = c.baseline[slot] else { continue };
        let mut bars: Vec<(f64, TornadoBar)> = c
            .blocks
            .iter()
            .filter_map(|b| {
                let dropped = b.dropped?[slot]?;
                let on = b.on_schedule.and_then(|v| v[slot]);
                let noise = |c: &crate::sensitivity::criticality::PairedChange| c.low <= 0.0 && c.high >= 0.0;
                let bar = TornadoBar {
                    label: label(s, b.id, lang),
                    low: (base + dropped.mean) * 100.0,
                    high: (base + on.map_or(0.0, |c| c.mean)) * 100.0,
                    low_is_noise: noise(&dropped),
                    high_is_noise: on.as_ref().is_none_or(noise),
                };
                let (dropped, on) = (dropped.mean, on.map_or(0.0, |c| c.mean));
                Some((on - dropped, bar))
            })
            .collect();
        bars.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (key, what) = if slot < TargetId::ALL.len() {
            (TargetId::ALL[slot].key(), lang.metric(TargetId::ALL[slot]).to_string())
        } else {
            ("all", lang.t("全部目标", "all targets").to_string())
        };
        out.push(TornadoChart {
            min_half_span: Some(MIN_HALF_SPAN_POINTS),
            name: format!("{}{key}", crate::report::html::CRITICALITY_CHART_PREFIX),
            title: match lang {
                Lang::Zh => {
                    format!(
                        "区块关键性：{what}达成概率（调出 ← 基准 → 确定按期开工；配对模拟{}次）",
                        crate::report::format::thousands(c.trials as f64)
                    )
                }
                Lang::En => format!(
                    "Block criticality: P({what} met), dropped ← baseline → on schedule ({} paired trials)",
                    crate::report::format::thousands(c.trials as f64)
                ),
            },
            x_desc: lang.t("达成概率 (%)", "probability (%)").into(),
            bars: bars.into_iter().map(|(_, b)| b).collect(),
            baseline: base * 100.0,
            percent: true,
            low_label: lang.t("区块调出推进表", "block dropped from the list").into(),
            high_label: lang.t("区块确定按期开工", "block starts on schedule for certain").into(),
            target: None,
            baseline_value: None,
            baseline_note: Some(match lang {
                Lang::Zh => format!("{}个配对模拟情形", crate::report::format::thousands(c.trials as f64)),
                Lang::En => format!("{} paired trials", crate::report::format::thousands(c.trials as f64)),
            }),
            lang,
        });
    }
    out
}
