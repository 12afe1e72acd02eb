//! Sobol indices of one output: per input group, the first-order index (its effect alone) and
//! the total index (with all its interactions), with 95 % bootstrap whiskers, largest total on
//! top.

use super::palette::{BLUE, DARK, ORANGE};
use super::{err, Chart, Lang, FAMILY};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One group's indices: (estimate, low, high).
#[derive(Clone, Debug, PartialEq)]
pub struct SobolBar {
    pub label: String,
    pub first: (f64, f64, f64),
    pub total: (f64, f64, f64),
}

pub struct SobolChart {
    /// File stem, e.g. `sobol_revenue`.
    pub name: String,
    pub title: String,
    /// In rank order (first drawn on top).
    pub bars: Vec<SobolBar>,
    pub lang: Lang,
}

impl Chart for SobolChart {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn size(&self) -> (u32, u32) {
        (1600, super::ranked_height(self.bars.len(), 56))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let n = self.bars.len().max(1);
        let hi = self.bars.iter().map(|b| b.total.2.max(b.first.2)).fold(0.0f64, f64::max).clamp(0.1, 1.0) * 1.05;
        let lo = self.bars.iter().map(|b| b.first.1.min(b.total.1)).fold(0.0f64, f64::min).max(-0.2);
        let labels: Vec<String> = self.bars.iter().map(|b| b.label.clone()).collect();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FAMILY, 32))
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(super::ranked_label_width(&labels))
            .build_cartesian_2d(lo..hi, -0.5f64..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| super::rank_label(&labels, *y))
            .x_label_formatter(&|x| format!("{x:.2}"))
            .x_desc(l.t("Sobol 指数 (方差占比)", "Sobol index (share of variance)"))
            .label_style((FAMILY, 20))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let y = |i: usize| n as f64 - 1.0 - i as f64;
        let series = [
            (l.t("一阶指数 S1 (单独作用)", "first order S1 (alone)"), BLUE, 0.02, false),
            (l.t("总指数 ST (含交互作用)", "total ST (with interactions)"), ORANGE, -0.34, true),
        ];
        for (label, color, offset, total) in series {
            let value = |b: &SobolBar| if total { b.total } else { b.first };
            let bars = self.bars.iter().enumerate().map(move |(i, b)| {
                Rectangle::new([(0.0, y(i) + offset), (value(b).0, y(i) + offset + 0.32)], color.mix(0.9).filled())
            });
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], color.mix(0.9).filled()));
            let whiskers = self.bars.iter().enumerate().map(move |(i, b)| {
                let (_, lo, hi) = value(b);
                let yy = y(i) + offset + 0.16;
                PathElement::new(vec![(lo, yy), (hi, yy)], DARK.stroke_width(2))
            });
            chart.draw_series(whiskers).map_err(err)?;
        }
        super::draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 20)
    }
}
