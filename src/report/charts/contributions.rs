//! Contributions at the deadline: the existing base and each block's mean contribution to a
//! metric, as horizontal bars.

use super::palette::{BLUE, DARK, SKY};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

pub struct Contributions<'a> {
    pub s: &'a RunView,
    pub summary: &'a Summary,
    pub lang: Lang,
    pub metric: TargetId,
}

impl Chart for Contributions<'_> {
    fn name(&self) -> String {
        format!("contributions_{}", self.metric.key())
    }

    fn size(&self) -> (u32, u32) {
        (1600, 1100)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let m = TargetId::ALL.iter().position(|t| *t == self.metric).expect("metric");
        let t = self.summary.targets.iter().find(|t| t.id == self.metric).ok_or("no such target")?;
        let (unit, div) = l.block_unit(self.metric);
        // the base is usually far larger than any block: it is stated in the title, not drawn
        let mut rows: Vec<(String, f64, bool)> = Vec::new();
        for b in &self.summary.blocks {
            if !b.counted {
                continue;
            }
            let block = self.s.block(b.id);
            let label = super::labels::block_label(b.id, &block.name_zh, &block.name_en, l, 16, 30);
            rows.push((label, b.mean_contribution[m] / div, false));
        }
        let n = rows.len();
        let lo = rows.iter().map(|r| r.1).fold(0.0, f64::min);
        // at least one firm, one job or ¥0.1 bn (10亿元) across, so that contributions of a
        // hundredth of a firm look as small as they are
        let least = if self.metric == TargetId::Revenue { 1e8 / div } else { 1.0 };
        let hi = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(lo + least);
        let pad = (hi - lo) * 0.08;
        root.fill(&WHITE).map_err(err)?;
        let blocks_total: f64 = rows.iter().map(|r| r.1).sum::<f64>() * div;
        let title = match l {
            Lang::Zh => format!(
                "{}年底{}构成（平均值）：现有基数{} + 区块{} = {}；目标{}",
                self.s.target_set.deadline.year(),
                l.metric(self.metric),
                l.value(self.metric, t.base_mean),
                l.value(self.metric, blocks_total),
                l.value(self.metric, t.mean),
                l.value(self.metric, t.threshold),
            ),
            Lang::En => format!(
                "{} at end of {} (means): base {} + blocks {} = {}; target {}",
                l.metric(self.metric),
                self.s.target_set.deadline.year(),
                l.value(self.metric, t.base_mean),
                l.value(self.metric, blocks_total),
                l.value(self.metric, t.mean),
                l.value(self.metric, t.threshold),
            ),
        };
        let subtitle = match l {
            Lang::Zh => format!("各区块平均贡献 ({})", scenario_label(self.s, l)),
            Lang::En => format!("mean contribution of each block ({})", scenario_label(self.s, l)),
        };
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 32))
            .margin(24)
            .x_label_area_size(60)
            .y_label_area_size(if l == Lang::Zh { 300 } else { 420 })
            .build_cartesian_2d(super::axis(lo - pad, hi + pad)?, (n as f64 - 0.5)..-0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| super::index_label(&labels, *y))
            .x_desc(unit)
            .label_style((FAMILY, 20))
            .axis_desc_style((FAMILY, 22))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (i, (_, v, is_base)) in rows.iter().enumerate() {
            let color = if *is_base {
                DARK
            } else if *v < 0.0 {
                SKY
            } else {
                BLUE
            };
            let y = i as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new([(0.0, y - 0.35), (*v, y + 0.35)], color.filled())))
                .map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                DARK.stroke_width(2),
            )))
            .map_err(err)?;
        let note = format!(
            "{}   {}",
            subtitle,
            l.t(
                "深蓝: 区块贡献; 浅蓝: 负贡献 (改造期间迁出企业)",
                "dark blue: block contribution; light blue: negative (firms moved out for renovation)"
            )
        );
        let (_, h) = root.dim_in_pixel();
        root.draw(&Text::new(note, (30, h as i32 - 26), (FAMILY, 19).into_font().color(&DARK))).map_err(err)?;
        Ok(())
    }
}
