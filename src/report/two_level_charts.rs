//! The charts of `run --two-level`, in one language: the P(met) bands of every target, and a
//! ranked "measure first" chart per target whose P(met) varies across worlds.

use super::charts::labels::factor_label;
use super::charts::{render, BandRow, BandsChart, ChartFile, Lang, MeasureFirstChart, ShareBar};
use super::two_level_table::output_key;
use crate::engine::two_level::{Bands, TwoLevel};
use crate::seeds::TargetId;
use std::path::Path;

/// Unknowns per measure-first chart.
pub const TOP: usize = 8;

fn target_label(b: &Bands, lang: Lang) -> String {
    match b.target {
        Some(m) => lang.metric(TargetId::ALL[m]).to_string(),
        None => lang.t("全部目标", "All targets").to_string(),
    }
}

/// Writes the charts into `dir` (PNG and SVG each); `scenario` is the scenario as readers name
/// it in `lang` (its label).
pub fn render_charts(t: &TwoLevel, scenario: &str, lang: Lang, dir: &Path) -> Result<Vec<ChartFile>, String> {
    let mut files = Vec::new();
    let rows = t
        .outputs
        .iter()
        .map(|b| BandRow {
            label: target_label(b, lang),
            pooled: b.pooled,
            median: b.median,
            p10: b.p10,
            p90: b.p90,
            p05: b.p05,
            p95: b.p95,
        })
        .collect();
    let title = match lang {
        Lang::Zh => {
            format!(
                "未知因素下的达成概率（{scenario}，{} 个可能情形 × 每个 {} 次模拟）",
                crate::report::format::thousands(t.outer as f64),
                crate::report::format::thousands(t.inner as f64)
            )
        }
        Lang::En => {
            format!(
                "P(met) across what we do not know (scenario {scenario}; {} worlds × {} trials)",
                crate::report::format::thousands(t.outer as f64),
                crate::report::format::thousands(t.inner as f64)
            )
        }
    };
    files.push(render(&BandsChart { title, rows, lang }, lang, dir)?);
    for b in &t.outputs {
        let Some(shares) = &b.shares else { continue };
        let bars = t
            .ranked(b)
            .into_iter()
            .take(TOP)
            .map(|k| {
                let s = shares[k];
                let u = &t.unknowns[k];
                let name = factor_label(&u.key, lang);
                let label = match (u.blocks.len(), lang) {
                    (0, _) => name,
                    (n, Lang::Zh) => match name.strip_suffix('）') {
                        Some(head) => format!("{head}，{n} 个区块）"),
                        None => format!("{name}（{n} 个区块）"),
                    },
                    (n, Lang::En) => match name.strip_suffix(')') {
                        Some(head) => format!("{head}; {n} blocks)"),
                        None => format!("{name} ({n} blocks)"),
                    },
                };
                let clip = |x: f64| x.clamp(0.0, 1.0);
                ShareBar { label, share: (clip(s.estimate), clip(s.low), clip(s.high)) }
            })
            .collect();
        let what = target_label(b, lang);
        let title = match lang {
            Lang::Zh => format!("优先查明：{what}达成概率的未知部分由谁决定"),
            Lang::En => format!("Measure first: what settles the unknown part of P({})", what.to_lowercase()),
        };
        let name = format!("measure_first_{}", output_key(b));
        files.push(render(&MeasureFirstChart { name, title, bars, lang }, lang, dir)?);
    }
    Ok(files)
}
