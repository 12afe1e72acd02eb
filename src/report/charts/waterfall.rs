//! Contributions as a waterfall: the existing base, then each batch's blocks district by
//! district (and any reserve block taken in), adding up to the mean at the deadline, against the
//! target line — "the base carries the target, the blocks add this much" at a glance.

use super::palette::{BLUE, DARK, GREY, SKY, VERMILLION};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::report::view::RunView;
use crate::seeds::kinds::District;
use crate::seeds::TargetId;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar of the waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    /// Where the bar starts and what it adds (the base and the total start at 0).
    pub from: f64,
    pub value: f64,
    pub kind: StepKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Base,
    Blocks,
    Total,
}

/// The group's name: 南湖区第一批 / "Nanhu, batch 1".
fn group_label(l: Lang, batch: u8, district: Option<District>) -> String {
    let batch_zh = match batch {
        1 => "第一批".to_string(),
        2 => "第二批".to_string(),
        n => format!("第{n}批"),
    };
    match (l, district) {
        (Lang::Zh, Some(d)) => format!("{}{batch_zh}", d.label_zh()),
        (Lang::Zh, None) => batch_zh,
        (Lang::En, Some(d)) => {
            let short = match d {
                District::Etdz => "ETDZ",
                d => d.label_en().trim_end_matches(" District"),
            };
            format!("{short}, batch {batch}")
        }
        (Lang::En, None) => format!("batch {batch}"),
    }
}

/// The steps for target `m` (index in [`TargetId::ALL`]), in the metric's natural unit: the base's
/// mean at the deadline, the counted blocks' mean contributions by batch then district, the rest
/// of the mean (a reserve block taken in under 有进有出; left out when it is nothing), and the
/// mean itself as the total — the steps add up to it exactly.
pub fn steps(s: &RunView, id: TargetId, l: Lang) -> Option<Vec<Step>> {
    let m = TargetId::ALL.iter().position(|t| *t == id)?;
    let t = s.summary.targets.iter().find(|t| t.id == id)?;
    let mut groups: Vec<((u8, Option<District>), f64)> = Vec::new();
    for r in s.summary.blocks.iter().filter(|r| r.counted) {
        let b = s.block(r.id);
        let key = (b.batch, b.district());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v += r.mean_contribution[m],
            None => groups.push((key, r.mean_contribution[m])),
        }
    }
    groups.sort_by_key(|((batch, d), _)| (*batch, d.map(|d| District::ALL.iter().position(|x| *x == d))));
    let mut out = vec![Step {
        label: l.t("现有基数", "existing base").into(),
        from: 0.0,
        value: t.base_mean,
        kind: StepKind::Base,
    }];
    let mut level = t.base_mean;
    for ((batch, d), v) in groups {
        out.push(Step { label: group_label(l, batch, d), from: level, value: v, kind: StepKind::Blocks });
        level += v;
    }
    let rest = t.mean - level;
    if rest.abs() > 1e-9 * t.mean.abs().max(1.0) {
        out.push(Step {
            label: l.t("调入区块等", "reserve blocks etc.").into(),
            from: level,
            value: rest,
            kind: StepKind::Blocks,
        });
    }
    out.push(Step {
        label: l.t("截止时合计", "total at deadline").into(),
        from: 0.0,
        value: t.mean,
        kind: StepKind::Total,
    });
    Some(out)
}

/// A step's amount in words, signed for the blocks: "+24亿元", "+不足1家", "−0.3万人".
fn amount(l: Lang, id: TargetId, step: &Step) -> String {
    if step.kind != StepKind::Blocks {
        return l.value(id, step.value);
    }
    // a district's few jobs in 万人 would read 0.00万人: say 不足0.01万人 instead, in one unit
    let words = if l == Lang::Zh && id == TargetId::Jobs && step.value != 0.0 && step.value.abs() < 50.0 {
        "不足0.01万人".to_string()
    } else {
        l.value(id, step.value.abs())
    };
    match (step.value < 0.0, l) {
        (false, _) if words.starts_with("不足") || words.starts_with("less") => words,
        (false, _) => format!("+{words}"),
        (true, Lang::Zh) if words.starts_with("不足") => format!("减少{words}"),
        (true, Lang::En) if words.starts_with("less") => format!("−({words})"),
        (true, _) => format!("−{words}"),
    }
}

pub struct Waterfall<'a> {
    pub s: &'a RunView,
    pub lang: Lang,
    pub metric: TargetId,
}

impl Chart for Waterfall<'_> {
    fn name(&self) -> String {
        format!("waterfall_{}", self.metric.key())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (l, id) = (self.lang, self.metric);
        let steps = steps(self.s, id, l).ok_or("no such target")?;
        let t = self.s.summary.targets.iter().find(|t| t.id == id).ok_or("no such target")?;
        let (unit, div) = l.unit(id);
        // the base is usually far larger than the blocks: the axis starts just below the lowest
        // level any bar or the target reaches (not at zero), and the base and total bars show a
        // break mark where they leave the axis
        let levels = steps.iter().flat_map(|s| match s.kind {
            StepKind::Blocks => [s.from, s.from + s.value],
            _ => [s.value, s.value],
        });
        let (mut lo, mut hi) = (t.threshold, t.threshold);
        for v in levels {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        let span = (hi - lo).max(if id == TargetId::Revenue { 1e8 } else { 1.0 });
        let bottom = if lo - 0.6 * span <= 0.0 { 0.0f64.min(lo) } else { lo - 0.6 * span };
        let top = hi + 0.18 * span;
        let broken = bottom > 0.0;
        let n = steps.len();
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => format!(
                "{}年底{}：现有基数{} + 重点区块{} = {}，目标{}",
                self.s.target_set.deadline.year(),
                l.metric(id),
                l.value(id, t.base_mean),
                l.value(id, t.mean - t.base_mean),
                l.value(id, t.mean),
                l.value(id, t.threshold)
            ),
            Lang::En => format!(
                "{} at end of {}: base {} + blocks {} = {}; target {}",
                l.metric(id),
                self.s.target_set.deadline.year(),
                l.value(id, t.base_mean),
                l.value(id, t.mean - t.base_mean),
                l.value(id, t.mean),
                l.value(id, t.threshold)
            ),
        };
        let names: Vec<String> = steps.iter().map(|s| s.label.clone()).collect();
        // axis numbers with as many decimals as the span needs (1250, 16, 3.1万人)
        let span_shown = (top - bottom) / div;
        let decimals = if span_shown >= 20.0 {
            0
        } else if span_shown >= 2.0 {
            1
        } else {
            2
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 34))
            .margin(24)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), super::axis(bottom / div, top / div)?)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| super::index_label(&names, *x))
            .y_desc(unit)
            .y_label_formatter(&|y| format!("{y:.decimals$}"))
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .draw()
            .map_err(err)?;
        let label_font = (FAMILY, 24).into_font().color(&DARK);
        for (i, s) in steps.iter().enumerate() {
            let x = i as f64;
            let (a, b) = match s.kind {
                StepKind::Blocks => (s.from, s.from + s.value),
                _ => (bottom.max(0.0f64.min(s.value)), s.value),
            };
            let color = match s.kind {
                StepKind::Base => GREY,
                StepKind::Total => DARK,
                StepKind::Blocks if s.value < 0.0 => SKY,
                StepKind::Blocks => BLUE,
            };
            let (y0, y1) = (a.min(b) / div, a.max(b) / div);
            // a step too small to see still shows as a hairline
            let y1 = y1.max(y0 + (top - bottom) / div * 0.002);
            chart
                .draw_series(std::iter::once(Rectangle::new([(x - 0.34, y0), (x + 0.34, y1)], color.filled())))
                .map_err(err)?;
            if broken && s.kind != StepKind::Blocks {
                // two white slashes across the bar near the axis: the bar is cut there
                let h = (top - bottom) / div;
                for k in 0..2 {
                    let y = y0 + h * (0.03 + 0.025 * k as f64);
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(x - 0.4, y - h * 0.01), (x + 0.4, y + h * 0.01)],
                            WHITE.stroke_width(5),
                        )))
                        .map_err(err)?;
                }
            }
            if i + 1 < n && s.kind != StepKind::Total {
                // the connector to the next bar, at the level this bar ends on
                let end = if s.kind == StepKind::Base { s.value } else { s.from + s.value } / div;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x + 0.34, end), (x + 0.66, end)],
                        GREY.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    amount(l, id, s),
                    (x, y1 + (top - bottom) / div * 0.015),
                    label_font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))
                .map_err(err)?;
        }
        let target = t.threshold / div;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(-0.5, target), (n as f64 - 0.5, target)],
                10,
                6,
                VERMILLION.stroke_width(3),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                match l {
                    Lang::Zh => format!("目标{}", l.value(id, t.threshold)),
                    Lang::En => format!("target {}", l.value(id, t.threshold)),
                },
                (n as f64 - 0.52, target),
                (FAMILY, 24).into_font().color(&VERMILLION).pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))
            .map_err(err)?;
        let note = format!(
            "{} ({})",
            if broken {
                l.t(
                    "截止时平均值; 灰: 现有基数, 蓝: 重点区块 (浅蓝为迁出减少), 黑: 合计; 纵轴不从零起, 基数与合计柱在斜线处截断",
                    "means at the deadline; grey: existing base, blue: blocks (light: moved out), black: total; the axis does not start at zero, the base and total bars are cut at the slashes",
                )
            } else {
                l.t(
                    "截止时平均值; 灰: 现有基数, 蓝: 重点区块 (浅蓝为迁出减少), 黑: 合计",
                    "means at the deadline; grey: existing base, blue: blocks (light: moved out), black: total",
                )
            },
            scenario_label(self.s, l)
        );
        let (_, h) = root.dim_in_pixel();
        root.draw(&Text::new(note, (30, h as i32 - 26), (FAMILY, 19).into_font().color(&DARK))).map_err(err)?;
        Ok(())
    }
}
