//! `report.html`: one self-contained page (inline SVG and CSS, no network, no script) with a
//! Chinese/English switch: headline, probability table, charts, block table, key assumptions
//! and run metadata.

mod assumptions;
mod basis_zh;
mod beliefs;
mod breakdown;
mod checkpoints;
pub mod compare;
mod criticality;
mod effects;
mod epistemic;
mod first_screen;
mod monitoring;
pub mod packages;
mod page;
mod points;
mod print;
mod readings;
mod settled;
mod sliders;
pub mod tornado;
pub mod two_level;

pub use criticality::CHART_PREFIX as CRITICALITY_CHART_PREFIX;

use super::charts::{ChartFile, Lang};
use super::view::RunView;
use crate::seeds::TargetId;
use crate::summary::Summary;
use std::fmt::Write;

/// A probability as the report shows it ("<0.1%" escaped).
fn pct(l: Lang, p: f64) -> String {
    escape(&l.percent(p))
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const CSS: &str = "body{font-family:'Noto Sans SC','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#222;line-height:1.5}\
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:1em 0;font-size:.92em}\
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child,td.l,th.l{text-align:left}\
.first{border:1px solid #cfd8e3;padding:4px 18px 8px;margin:1em 0}.first h2{margin-top:.6em}.first li{margin:.3em 0}h3{margin-top:1.2em}\
.stamp{display:inline-block;color:#d55e00;border:2px solid #d55e00;padding:0 6px;margin-right:8px;font-size:.85em}\
.headline{font-size:1.15em;background:#f3f6fa;padding:12px 16px;border-left:4px solid #0072b2}\
figure{margin:1.2em 0}figure svg{width:100%;height:auto}.meta{color:#555;font-size:.9em}code{font-size:.85em;color:#555}.ns{color:#999}td.nw{white-space:nowrap}\
label.lang{display:inline-block;margin:0 .6em 1em 0;cursor:pointer;padding:4px 12px;border:1px solid #0072b2;border-radius:4px}\
input[name=lang]{display:none}input[name=lang]:checked+label.lang{background:#0072b2;color:#fff}\
.en{display:none}#lang-en:checked~.zh{display:none}#lang-en:checked~.en{display:block}";

fn headline(s: &RunView, summary: &Summary, lang: Lang) -> String {
    let targets: Vec<(TargetId, f64)> = summary.targets.iter().map(|t| (t.id, t.p_met)).collect();
    let clause = |t: Option<TargetId>| epistemic::headline_clause(s, lang, t);
    headline_text(s, &s.scenario_label(lang), (summary.all.p_met, summary.all.ci), &targets, &clause, lang)
}

/// The headline sentence under `label` (escaped here), from P(all met) with its interval and
/// each target's P(met); `clause(target)` adds what follows a probability (the epistemic band).
fn headline_text(
    s: &RunView,
    label: &str,
    all: (f64, crate::stats::Interval),
    targets: &[(TargetId, f64)],
    clause: &dyn Fn(Option<TargetId>) -> String,
    lang: Lang,
) -> String {
    // the least likely targets: every target tied at the lowest P(met) as shown (one decimal)
    let lowest = targets.iter().map(|t| t.1).fold(f64::INFINITY, f64::min);
    let worst: Vec<_> = targets.iter().filter(|t| pct(lang, t.1) == pct(lang, lowest)).collect();
    let year = s.target_set.deadline.year();
    let n = targets.len();
    let (p, ci) = all;
    match lang {
        Lang::Zh => {
            let mut t = format!(
                "{}下，{year}年底{n}项目标全部达成的概率约为{}（模拟误差范围{}～{}{}）",
                escape(label),
                pct(lang, p),
                pct(lang, ci.low),
                pct(lang, ci.high),
                clause(None)
            );
            match worst.as_slice() {
                [] => {}
                [w] => {
                    let _ = write!(
                        t,
                        "；最可能未达成的是{}（达成概率{}{}）",
                        lang.metric(w.0),
                        pct(lang, w.1),
                        clause(Some(w.0))
                    );
                }
                ws => {
                    let names: Vec<&str> = ws.iter().map(|w| lang.metric(w.0)).collect();
                    let _ = write!(t, "；最可能未达成的是{}（达成概率均为{}）", names.join("、"), pct(lang, ws[0].1));
                }
            }
            t + "。"
        }
        Lang::En => {
            let mut t = format!(
                "Under {}, the probability that all {n} targets are met by the end of {year} is about {} (simulation error {}–{}{})",
                escape(label),
                pct(lang, p),
                pct(lang, ci.low),
                pct(lang, ci.high),
                clause(None)
            );
            match worst.as_slice() {
                [] => {}
                [w] => {
                    let _ = write!(
                        t,
                        "; the target most likely to be missed is {} (P(met) {}{})",
                        lang.metric(w.0).to_lowercase(),
                        pct(lang, w.1),
                        clause(Some(w.0))
                    );
                }
                ws => {
                    let names: Vec<String> = ws.iter().map(|w| lang.metric(w.0).to_lowercase()).collect();
                    let _ = write!(
                        t,
                        "; the targets most likely to be missed are {} (P(met) {} each)",
                        names.join(" and "),
                        pct(lang, ws[0].1)
                    );
                }
            }
            t + "."
        }
    }
}

fn section(s: &RunView, charts: &[ChartFile], lang: Lang) -> String {
    let summary = &s.summary;
    let l = lang;
    let mut h = page::open_section(l);
    h.push_str(&print::cover(s, l));
    let _ = write!(
        h,
        "<h1>{}{}</h1>",
        super::charts::stamp(s, l).map(|t| format!("<span class=\"stamp\">{}</span>", escape(t))).unwrap_or_default(),
        escape(&match (l, &s.monitoring) {
            (Lang::Zh, None) => format!("{}：达成预测", s.target_set.label_zh),
            (Lang::Zh, Some(m)) => format!("{}：动态监测预测（截至{}）", s.target_set.label_zh, l.month(m.as_of)),
            (Lang::En, None) => format!("{}: forecast", s.target_set.label_en),
            (Lang::En, Some(m)) => format!("{}: forecast from progress as of {}", s.target_set.label_en, m.as_of),
        })
    );
    let stamp =
        super::charts::stamp(s, l).map(|t| format!("<span class=\"stamp\">{}</span>", escape(t))).unwrap_or_default();
    let _ = write!(h, "<p class=\"headline\">{stamp}{}</p>", headline(s, summary, l));
    h.push_str(&readings::headline_note(summary, l));
    h.push_str(&readings::assumed_base_note(s, l));
    h.push_str(&first_screen::section(s, l));
    // probability table
    let _ = write!(
        h,
        "<h2>{}</h2><table id=\"{}-targets\"><thead><tr><th>{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th>{}<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("各目标达成概率", "Probability of each target"),
        l.code(),
        l.t("目标", "target"),
        l.t("口径", "reading"),
        l.t("目标值", "target value"),
        l.t("达成概率", "P(met)"),
        l.t("模拟误差范围", "simulation error"),
        epistemic::column_head(s, l),
        l.t("较差情形", "low case (5th pct.)"),
        l.t("中间情形", "median"),
        l.t("较好情形", "high case (95th pct.)"),
        l.t("完成度（中间情形）", "completion (median)")
    );
    for t in &summary.targets {
        let reading = summary.readings.iter().find(|r| r.target == t.id && r.headline);
        let _ = write!(
            h,
            "<tr data-target=\"{}\"><td>{}</td><td class=\"l\">{}</td><td>≥ {}</td><td>{}</td><td class=\"nw\">{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.id.key(),
            l.metric(t.id),
            reading.map(|r| escape(readings::label(l, r.reading))).unwrap_or_default(),
            l.value(t.id, t.threshold),
            pct(l, t.p_met),
            l.range(&pct(l, t.ci.low), &pct(l, t.ci.high)),
            epistemic::cell(s, l, Some(t.id)),
            l.value(t.id, t.p5),
            l.value(t.id, t.p50),
            l.value(t.id, t.p95),
            completion(t.p50, t.threshold)
        );
    }
    let _ = write!(
        h,
        "<tr><td>{}</td><td></td><td></td><td>{}</td><td class=\"nw\">{}</td>{}<td></td><td></td><td></td><td></td></tr></table>",
        l.t("全部目标", "all targets"),
        pct(l, summary.all.p_met),
        l.range(&pct(l, summary.all.ci.low), &pct(l, summary.all.ci.high)),
        epistemic::cell(s, l, None)
    );
    let band_note = s.epistemic.as_ref().map(|e| epistemic::note(e, l));
    let mut notes = vec![l.t(
        "达成概率为全部模拟情形中达到目标值的比例；模拟误差范围（95%）只反映模拟次数有限带来的误差，不反映假设本身的不确定。较差、中间、较好情形：截止时该指标在全部模拟情形中由低到高排在第5%、50%、95%的数值。完成度：中间情形占目标值的比例。",
        "P(met) is the share of simulated futures that reach the target value; the simulation error (95%) is only the error from the number of simulated futures, not the uncertainty of the assumptions. Low, median and high case: the 5th, 50th and 95th percentiles of the metric at the deadline over all simulated futures. Completion: the median as a share of the target value.",
    )];
    if let Some(n) = &band_note {
        notes.push(n);
    }
    if summary.targets.iter().any(|t| t.p5 < 0.0) {
        notes.push(l.t(
            "负值：改造期间迁出的企业与就业多于新增（迁出的部分原属现有基数）。",
            "Negative values: a renovation moved out more firms or jobs than came in by then (those moved out were part of the existing base).",
        ));
    }
    let _ = write!(h, "<p class=\"meta\">{}</p>", notes.join(" "));
    h.push_str(&checkpoints::section(s, l));
    h.push_str(&breakdown::section(s, l));
    if let Some(e) = &s.effects {
        h.push_str(&effects::table(s, e, l));
    }
    if let Some(t) = &s.tornado {
        h.push_str(&tornado::table(t, l));
    }
    if let Some(g) = &s.sliders {
        h.push_str(&sliders::section(s, g, l));
    }
    h.push_str(&readings::section(summary, l));
    h.push_str(&beliefs::section(summary, l));
    // charts
    let _ = write!(h, "<h2>{}</h2>", l.t("图表", "Charts"));
    for c in charts.iter().filter(|c| c.lang == l && !c.name.starts_with(criticality::CHART_PREFIX)) {
        h.push_str(&figure(c));
    }
    // block table
    let _ = write!(
        h,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("重点区块", "Key blocks"),
        l.t("区块", "block"),
        l.t("开工时间（附件）", "start (annex)"),
        l.t("2025年底前开工概率", "P(started by 2025-12)"),
        l.t("开工中位数", "median start"),
        l.t("预测期末投运概率", "P(delivered by horizon)"),
        l.t("投运时间中位数", "median delivery")
    );
    for b in &summary.blocks {
        let block = s.block(b.id);
        let m = |x: Option<crate::month::Month>| {
            x.map(|m| l.month(m)).unwrap_or_else(|| l.t("预测期之后", "after horizon").into())
        };
        let _ = write!(
            h,
            "<tr><td>{} {}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            b.id,
            escape(match l {
                Lang::Zh => &block.name_zh,
                Lang::En => &block.name_en,
            }),
            escape(match l {
                Lang::Zh => &block.start_zh,
                Lang::En => &block.start_en,
            }),
            pct(l, b.p_started_2025),
            m(b.median_start),
            pct(l, b.p_delivered_horizon),
            m(b.median_delivery)
        );
    }
    h.push_str("</table>");
    if let Some(m) = &s.monitoring {
        h.push_str(&monitoring::section(s, m, l));
    }
    if let Some(c) = &s.criticality {
        h.push_str(&criticality::section(s, c, charts, l));
    }
    h.push_str(&assumptions::section(&s.assumptions, l));
    h.push_str(&run_info(s, l));
    h.push_str("</section>");
    h
}

/// The median as a share of the target value, whole percent: "85%".
fn completion(median: f64, target: f64) -> String {
    if target > 0.0 && median.is_finite() {
        format!("{:.0}%", median / target * 100.0)
    } else {
        "–".into()
    }
}

/// The run's identity, enough to reproduce it: scenario, target set, trials, seed, the
/// scenario's hash (in Chinese as 情景校验码, without the algorithm's name), date and version;
/// in English with the scenario's and the target set's keys.
fn run_info(s: &RunView, l: Lang) -> String {
    let meta = &s.meta;
    match l {
        Lang::Zh => format!(
            "<h2>运行信息</h2><p class=\"meta\">{} · 目标口径：{} · 模拟情形{}个 · 随机种子{} · 情景校验码{} · 运行日期{} · parkcast {}</p>",
            escape(&s.scenario_label(l)),
            escape(&s.target_set.label_zh),
            crate::report::format::thousands(meta.trials as f64),
            meta.seed,
            escape(meta.scenario_hash.strip_prefix("sha256:").unwrap_or(&meta.scenario_hash)),
            escape(&zh_date(&meta.date)),
            escape(&meta.parkcast_version),
        ),
        Lang::En => format!(
            "<h2>Run</h2><p class=\"meta\">parkcast {} · scenario <code>{}</code> · hash {} · seed {} · trials {} · target set <code>{}</code> · {}</p>",
            escape(&meta.parkcast_version),
            escape(&meta.scenario),
            escape(&meta.scenario_hash),
            meta.seed,
            crate::report::format::thousands(meta.trials as f64),
            escape(&meta.target_set),
            escape(&meta.date)
        ),
    }
}

/// An RFC 3339 date (2026-12-01T16:30:45Z) as Chinese writes it: 2026年12月1日; anything else
/// as it is.
fn zh_date(date: &str) -> String {
    let mut parts = date.get(..10).unwrap_or("").split('-').map(|p| p.parse::<u32>());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) => format!("{y}年{m}月{d}日"),
        _ => date.to_string(),
    }
}

/// A chart inlined as SVG: the screen drawing, and the print drawing (`print::figure`).
fn figure(c: &ChartFile) -> String {
    let svg = c.svg.find("<svg").map(|i| &c.svg[i..]).unwrap_or(&c.svg);
    format!("<figure id=\"{}-{}\"><div class=\"scr\">{}</div>{}</figure>", c.lang.code(), c.name, svg, print::figure(c))
}

/// Standard base64 (RFC 4648) of `bytes`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bundled font as a CSS @font-face, so Chinese renders on machines without CJK fonts.
fn font_face() -> String {
    format!(
        "@font-face{{font-family:'Noto Sans SC';font-style:normal;font-weight:400;src:url(data:font/otf;base64,{}) format('opentype')}}",
        base64(super::charts::FONT)
    )
}

/// The whole page. With one language, the switch is left out.
pub fn render(s: &RunView, charts: &[ChartFile], langs: &[Lang]) -> String {
    page::document(&s.scenario_label(Lang::Zh), langs, |lang| section(s, charts, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(zh_date("2026-12-01T16:30:45Z"), "2026年12月1日");
        assert_eq!(zh_date("unknown"), "unknown");
        assert_eq!(completion(17.0, 20.0), "85%");
    }
}
