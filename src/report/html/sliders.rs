//! The what-if sliders on `run`'s report (`[report] sliders`): a section per language with a
//! slider per lever, the headline, a probability table and a fan chart that follow the sliders.
//! parkcast formats every number of every grid cell here, in the page's language, and embeds
//! them as JSON; the inline script (`sliders.js`, once per page) only picks the cell the sliders
//! point at and draws its fan. Without JavaScript the section stays hidden and a note says so;
//! the static report above it is complete on its own.

use super::{completion, escape, headline_text, pct};
use crate::engine::budget::group;
use crate::report::charts::Lang;
use crate::report::view::RunView;
use crate::scenario::levers::{lever_def, LeverDef};
use crate::whatif::sliders::{SliderCell, SliderGrid, SliderLever};
use serde_json::{json, Value};
use std::fmt::Write;

/// The script that runs every sliders section of a page.
const SCRIPT: &str = include_str!("sliders.js");

/// The marker of a page with sliders (the section's opening tag).
const MARKER: &str = "<section class=\"sliders\"";

/// The sections' style; in print the sliders show their current state as text (the values
/// beside them), without the controls.
const STYLE: &str = ".sl-controls{display:grid;grid-template-columns:max-content minmax(10em,22em) max-content 1fr;gap:.4em 1em;align-items:center;margin:1em 0}\
.sl-lever{display:contents}.sl-lever output{font-weight:bold}.sl-fan svg{width:100%;max-width:760px;height:auto}\
@media print{.sl-range,.sl-metric{display:none}.sliders{break-inside:avoid}}";

/// The style and `<script>…</script>` for a page holding a sliders section, else nothing.
pub fn script_for(page: &str) -> String {
    if page.contains(MARKER) {
        format!("<style>{STYLE}</style><script>{SCRIPT}</script>")
    } else {
        String::new()
    }
}

/// A lever's value with its unit, in words: 4个月, 20%, 1.5倍 (4 months, 20%, ×1.5).
pub(super) fn value_text(l: Lang, d: &LeverDef, v: f64) -> String {
    let n = crate::report::format::short_number;
    match (l, d.unit) {
        (Lang::Zh, "months") => format!("{}个月", n(v)),
        (Lang::En, "months") => format!("{} months", n(v)),
        (_, "share") => format!("{}%", n(v * 100.0)),
        (Lang::Zh, "multiplier") => format!("{}倍", n(v)),
        (Lang::En, "multiplier") => format!("×{}", n(v)),
        _ => n(v),
    }
}

fn label(l: Lang, d: &LeverDef) -> &'static str {
    l.t(d.label_zh, d.label_en)
}

/// The grid value index nearest the scenario's own value: where the sliders start.
fn start(lever: &SliderLever) -> usize {
    let d = |i: usize| (lever.values[i] - lever.scenario_value).abs();
    (0..lever.values.len()).min_by(|&a, &b| d(a).total_cmp(&d(b))).unwrap_or(0)
}

/// The headline of one cell: the static headline's wording, the scenario named with the
/// sliders' values.
fn cell_headline(s: &RunView, g: &SliderGrid, defs: &[&LeverDef], c: &SliderCell, l: Lang) -> String {
    let values: Vec<String> = defs
        .iter()
        .zip(&c.values)
        .map(|(d, &v)| format!("{}{}{}", label(l, d), l.t("：", ": "), value_text(l, d, v)))
        .collect();
    let name = match l {
        Lang::Zh => format!("{}（{}）", s.scenario_label(l), values.join("；")),
        Lang::En => format!("{} ({})", s.scenario_label(l), values.join("; ")),
    };
    let targets: Vec<_> = g.targets.iter().zip(&c.targets).map(|(t, x)| (t.id, x.p_met)).collect();
    headline_text(s, &name, (c.all.p_met, c.all.ci), &targets, &|_| String::new(), l)
}

/// One language's data for the script: every cell's texts and fan, the levers, the targets.
fn data(s: &RunView, g: &SliderGrid, defs: &[&LeverDef], l: Lang) -> Value {
    let levers: Vec<Value> = g
        .levers
        .iter()
        .zip(defs)
        .map(|(lever, d)| {
            json!({
                "key": lever.name,
                "values": lever.values,
                "texts": lever.values.iter().map(|&v| value_text(l, d, v)).collect::<Vec<_>>(),
                "start": start(lever),
            })
        })
        .collect();
    let targets: Vec<Value> = g
        .targets
        .iter()
        .map(|t| {
            let (unit, div) = l.unit(t.id);
            json!({
                "key": t.id.key(),
                "label": l.metric(t.id),
                "title": match l {
                    Lang::Zh => format!("{}（{unit}）", l.metric(t.id)),
                    Lang::En => format!("{} ({unit})", l.metric(t.id)),
                },
                "unit": unit,
                "threshold": t.threshold / div,
                "thresholdText": format!("≥ {}", l.value(t.id, t.threshold)),
            })
        })
        .collect();
    // a tick at every December (the year's end), and at the first month
    let months: Vec<Value> = g
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let label = (m.month() == 12 || i == 0).then(|| l.month(*m));
            json!({ "month": m.to_string(), "label": label })
        })
        .collect();
    let cells: Vec<Value> = g
        .cells
        .iter()
        .map(|c| {
            let mut rows: Vec<Value> = g
                .targets
                .iter()
                .zip(&c.targets)
                .map(|(t, x)| {
                    json!({
                        "p": pct(l, x.p_met),
                        "ci": l.range(&pct(l, x.ci.low), &pct(l, x.ci.high)),
                        "med": escape(&l.value(t.id, x.median)),
                        "done": completion(x.median, t.threshold),
                    })
                })
                .collect();
            rows.push(json!({
                "p": pct(l, c.all.p_met),
                "ci": l.range(&pct(l, c.all.ci.low), &pct(l, c.all.ci.high)),
                "med": "",
                "done": "",
            }));
            let fan: Vec<Vec<[f64; 3]>> = g
                .targets
                .iter()
                .zip(&c.targets)
                .map(|(t, x)| {
                    let div = l.unit(t.id).1;
                    x.fan.iter().map(|b| b.map(|v| round4(v / div))).collect()
                })
                .collect();
            json!({ "headline": cell_headline(s, g, defs, c, l), "rows": rows, "fan": fan })
        })
        .collect();
    json!({
        "levers": levers,
        "targets": targets,
        "months": months,
        "cells": cells,
        "text": {
            "band": l.t("80%的模拟情形落在此范围", "80% of simulated futures lie in the band"),
            "median": l.t("中间情形", "median"),
            "target": l.t("目标值", "target"),
        },
    })
}

/// Four significant digits: the fan is a picture, and the page stays small.
fn round4(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

/// JSON safe inside `<script>`: no `</` can close the element early.
fn embed(v: &Value) -> String {
    v.to_string().replace("</", "<\\/")
}

/// The largest Monte Carlo error (half the 95 % interval, in points) of any cell's P(met).
fn largest_error(g: &SliderGrid) -> f64 {
    g.cells
        .iter()
        .flat_map(|c| c.targets.iter().map(|t| t.ci).chain([c.all.ci]))
        .map(|ci| (ci.high - ci.low) / 2.0 * 100.0)
        .fold(0.0, f64::max)
}

/// Whether the grid's parts fit together (report data read back may be edited): one cell per
/// combination, each with a value per lever, a row and a fan point per target and month.
fn consistent(g: &SliderGrid) -> bool {
    let combinations: usize = g.levers.iter().map(|l| l.values.len()).product();
    !g.levers.is_empty()
        && g.levers.iter().all(|l| !l.values.is_empty())
        && g.cells.len() == combinations
        && g.cells.iter().all(|c| {
            c.values.len() == g.levers.len()
                && c.targets.len() == g.targets.len()
                && c.targets.iter().all(|t| t.fan.len() == g.months.len())
        })
}

/// The section in language `l`.
pub fn section(s: &RunView, g: &SliderGrid, l: Lang) -> String {
    let defs: Vec<&LeverDef> = g.levers.iter().filter_map(|lever| lever_def(&lever.name)).collect();
    if defs.len() != g.levers.len() || !consistent(g) {
        return String::new(); // report data from another parkcast: nothing to slide
    }
    let code = l.code();
    let mut h = format!(
        "{MARKER} id=\"{code}-sliders\" hidden><h2>{}</h2><p class=\"meta\">{}</p><div class=\"sl-controls\">",
        l.t("情景推演：调整措施力度", "What if: move the levers"),
        escape(&match l {
            Lang::Zh => format!(
                "拖动滑块，下表、结论和图随之变化。每种组合模拟{}个情形，均为上文模拟情形中的前{}个（各组合相同，差异只来自措施取值），因此与上文各表的数值略有差异；单个达成概率的模拟误差不超过±{:.1}个百分点（95%）。",
                g.trials, g.trials, largest_error(g)
            ),
            Lang::En => format!(
                "Move a slider and the table, the headline and the chart follow. Every combination is {} simulated futures, the first {} of the run above (the same for every combination, so differences come from the levers alone), hence slightly different numbers from the tables above; the simulation error of any P(met) here is at most ±{:.1} points (95%).",
                group(g.trials), group(g.trials), largest_error(g)
            ),
        })
    );
    for (j, (lever, d)) in g.levers.iter().zip(&defs).enumerate() {
        let first = value_text(l, d, lever.values[start(lever)]);
        let _ = write!(
            h,
            "<p class=\"sl-lever\"><label for=\"{code}-sl-{j}\">{}</label> <input type=\"range\" class=\"sl-range\" id=\"{code}-sl-{j}\" data-lever=\"{}\" min=\"0\" max=\"{}\" step=\"1\" value=\"{}\"> <output id=\"{code}-sl-{j}-v\">{}</output> <span class=\"meta\">{}</span></p>",
            escape(label(l, d)),
            lever.name,
            lever.values.len() - 1,
            start(lever),
            escape(&first),
            escape(&format!(
                "{}{}",
                l.t("取值范围", "range "),
                l.range(&value_text(l, d, lever.values[0]), &value_text(l, d, lever.values[lever.values.len() - 1]))
            ))
        );
    }
    h.push_str("</div><p class=\"headline sl-headline\"></p>");
    let _ = write!(
        h,
        "<table id=\"{code}-sl-table\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("目标", "target"),
        l.t("目标值", "target value"),
        l.t("达成概率", "P(met)"),
        l.t("模拟误差范围", "simulation error"),
        l.t("中间情形", "median"),
        l.t("完成度（中间情形）", "completion (median)")
    );
    for (i, t) in g.targets.iter().enumerate() {
        let _ = write!(
            h,
            "<tr data-row=\"{i}\" data-target=\"{}\"><td>{}</td><td>≥ {}</td><td class=\"p\"></td><td class=\"ci\"></td><td class=\"med\"></td><td class=\"done\"></td></tr>",
            t.id.key(),
            l.metric(t.id),
            escape(&l.value(t.id, t.threshold))
        );
    }
    let _ = write!(
        h,
        "<tr data-row=\"{}\" data-target=\"all\"><td>{}</td><td></td><td class=\"p\"></td><td class=\"ci\"></td><td></td><td></td></tr></table>",
        g.targets.len(),
        l.t("全部目标", "all targets")
    );
    let _ = write!(
        h,
        "<p><label for=\"{code}-sl-metric\">{}</label> <select class=\"sl-metric\" id=\"{code}-sl-metric\">",
        l.t("图中指标：", "Chart: ")
    );
    for (i, t) in g.targets.iter().enumerate() {
        let _ = write!(h, "<option value=\"{i}\">{}</option>", l.metric(t.id));
    }
    h.push_str("</select></p><figure class=\"sl-fan\"></figure>");
    let note = match l {
        Lang::Zh => g.note_zh.as_deref(),
        Lang::En => g.note.as_deref(),
    };
    let _ = write!(
        h,
        "<p class=\"meta\">{}{}</p>",
        l.t(
            "图中阴影为80%的模拟情形所在范围（由低到高第10%至第90%），实线为中间情形，虚线为目标值；每季度末一个点。",
            "The band holds 80% of simulated futures (10th to 90th percentile), the line is the median, the dashed line the target; one point a quarter. ",
        ),
        note.map(|n| escape(&format!("{}{n}", l.t("滑块的选择依据：", "Why these levers — ")))).unwrap_or_default()
    );
    let _ = write!(
        h,
        "<script type=\"application/json\" class=\"sl-data\">{}</script></section>",
        embed(&data(s, g, &defs, l))
    );
    let _ = write!(
        h,
        "<noscript><p class=\"meta\">{}</p></noscript>",
        l.t(
            "（此处为情景推演滑块，需在浏览器中启用JavaScript；上文各表与图为完整的静态结果。）",
            "(What-if sliders appear here with JavaScript enabled; the tables and charts above are complete without it.)"
        )
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Interval;
    use crate::whatif::sliders::{CellP, CellTarget, SliderTarget};

    fn grid() -> SliderGrid {
        let ci = |p: f64| Interval { low: p - 0.01, high: p + 0.02 };
        let cell = |a: f64, b: f64, p: f64| SliderCell {
            values: vec![a, b],
            all: CellP { p_met: p / 2.0, ci: ci(p / 2.0) },
            targets: vec![CellTarget {
                p_met: p,
                ci: ci(p),
                median: 15.0 + 10.0 * p,
                fan: vec![[1.0, 2.0, 3.0], [9.0, 15.0, 21.0]],
            }],
        };
        SliderGrid {
            trials: 1000,
            seed: 1,
            levers: vec![
                SliderLever { name: "parallel_approvals".into(), values: vec![0.0, 6.0], scenario_value: 0.0 },
                SliderLever { name: "special_fund".into(), values: vec![0.0, 0.25, 0.5], scenario_value: 0.3 },
            ],
            targets: vec![SliderTarget { id: crate::seeds::TargetId::Parks, threshold: 20.0 }],
            months: vec![crate::month::Month::new(2027, 9).unwrap(), crate::month::Month::new(2027, 12).unwrap()],
            cells: vec![
                cell(0.0, 0.0, 0.1),
                cell(0.0, 0.25, 0.2),
                cell(0.0, 0.5, 0.3),
                cell(6.0, 0.0, 0.4),
                cell(6.0, 0.25, 0.5),
                cell(6.0, 0.5, 0.6),
            ],
            note: Some("why".into()),
            note_zh: Some("原因".into()),
        }
    }

    fn view() -> RunView {
        let t = json!({"id": "parks", "threshold": 20.0, "p_met": 0.5, "ci": {"low": 0.4, "high": 0.6},
                       "p5": 1.0, "p50": 3.0, "p95": 5.0, "mean": 3.0, "base_mean": 0.0,
                       "histogram": {"edges": [0.5, 1.5], "counts": [1]}});
        serde_json::from_value(json!({
            "name": "baseline", "label_zh": "基准情景", "label_en": "Baseline",
            "target_set": {"id": "t", "label_zh": "目标", "label_en": "targets", "deadline": "2027-12"},
            "blocks": [], "assumptions": [],
            "summary": {"trials": 10, "targets": [t], "all": {"p_met": 0.5, "ci": {"low": 0.2, "high": 0.8}},
                        "blocks": [], "series": []},
            "meta": {"parkcast_version": "0.4.0", "scenario": "baseline", "scenario_files": [], "scenario_hash": "h",
                     "seeds": "s", "seed": 1, "trials": 10, "trials_requested": 10, "precision": null,
                     "target_set": "t", "horizon": "2027-12", "deadline": "2027-12", "threads": 1,
                     "wall_seconds": 0.1, "date": "d", "warnings": []}
        }))
        .unwrap()
    }

    /// The JSON a section embeds.
    fn embedded(h: &str) -> Value {
        let start = h.find("<script type=\"application/json\" class=\"sl-data\">").unwrap();
        let rest = &h[start..];
        let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn every_cell_is_embedded_with_its_numbers_as_the_page_writes_them() {
        let g = grid();
        let s = view();
        for l in [Lang::Zh, Lang::En] {
            let h = section(&s, &g, l);
            let d = embedded(&h);
            let cells = d["cells"].as_array().unwrap();
            assert_eq!(cells.len(), 6);
            for (c, e) in g.cells.iter().zip(cells) {
                assert_eq!(e["rows"][0]["p"], pct(l, c.targets[0].p_met));
                assert_eq!(e["rows"][1]["p"], pct(l, c.all.p_met), "the last row is all targets");
                assert_eq!(e["rows"][0]["done"], completion(c.targets[0].median, 20.0));
                assert_eq!(e["fan"][0][1][2], 21.0);
                let headline = e["headline"].as_str().unwrap();
                assert!(headline.contains(&pct(l, c.all.p_met)), "{headline}");
            }
            // the cell order is the grid's: the first lever slowest
            assert_eq!(g.cell(&[1, 2]), Some(&g.cells[5]));
            // the sliders start at the grid value nearest the scenario's own (0.3 → 0.25)
            assert_eq!(d["levers"][1]["start"], 1);
            assert!(h.contains("max=\"2\" step=\"1\" value=\"1\""));
            assert!(script_for(&h).contains("slider."), "the page gets the script");
        }
        let zh = section(&s, &g, Lang::Zh);
        let d = embedded(&zh);
        assert_eq!(d["levers"][1]["texts"], json!(["0%", "25%", "50%"]));
        assert_eq!(d["levers"][0]["texts"][1], "6个月");
        let h0 = d["cells"][5]["headline"].as_str().unwrap();
        assert!(h0.contains("（并联审批、双评合一：6个月；"), "{h0}");
        assert!(h0.contains("年底1项目标全部达成的概率约为30.0%（模拟误差范围29.0%～32.0%）"), "{h0}");
        assert!(zh.contains("原因") && !zh.contains("why"), "the Chinese note only");
        assert!(!zh.contains("parallel_approvals\">") || zh.contains("data-lever=\"parallel_approvals\""));
        assert_eq!(script_for("<p>no sliders</p>"), "");
        // a grid that does not fit together (edited report data) gives no section, not a panic
        let mut bad = grid();
        bad.cells.pop();
        assert_eq!(section(&s, &bad, Lang::Zh), "");
        let mut bad = grid();
        bad.levers[0].values.clear();
        assert_eq!(section(&s, &bad, Lang::En), "");
    }

    #[test]
    fn json_cannot_close_the_script_and_the_fan_is_rounded() {
        assert_eq!(embed(&json!({"a": "</script>"})), "{\"a\":\"<\\/script>\"}");
        assert_eq!(round4(123456.0), 123500.0);
        assert_eq!(round4(0.0012345), 0.001235);
        assert_eq!(round4(0.0), 0.0);
    }
}
