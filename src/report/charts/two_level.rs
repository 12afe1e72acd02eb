//! Two-level charts (`run --two-level`): P(met) across plausible worlds per target (the
//! probability of a probability), and which unknown to measure first for one target.

use super::palette::{BLUE, DARK, GREY, ORANGE};
use super::{err, Chart, Lang, FAMILY};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One target's distribution of P(met) across worlds.
#[derive(Clone, Debug, PartialEq)]
pub struct BandRow {
    pub label: String,
    pub pooled: f64,
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    pub p05: f64,
    pub p95: f64,
}

/// P(met) bands per target.
pub struct BandsChart {
    pub title: String,
    /// Drawn top-down in this order.
    pub rows: Vec<BandRow>,
    pub lang: Lang,
}

impl Chart for BandsChart {
    fn name(&self) -> String {
        "two_level_bands".into()
    }

    fn size(&self) -> (u32, u32) {
        (1600, super::ranked_height(self.rows.len(), 90))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let n = self.rows.len().max(1);
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FAMILY, 30))
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(super::ranked_label_width(&labels))
            .build_cartesian_2d(0.0f64..1.0, -0.5f64..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| super::rank_label(&labels, *y))
            .x_labels(11)
            .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
            .x_desc(l.t("达成概率（各可能情形）", "P(met) in each plausible world"))
            .label_style((FAMILY, 20))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let y = |i: usize| n as f64 - 1.0 - i as f64;
        chart
            .draw_series(
                self.rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| PathElement::new(vec![(r.p05, y(i)), (r.p95, y(i))], GREY.stroke_width(4))),
            )
            .map_err(err)?
            .label(l.t("90% 的情形", "90% of worlds"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], GREY.stroke_width(4)));
        chart
            .draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new([(r.p10, y(i) - 0.17), (r.p90.max(r.p10 + 0.003), y(i) + 0.17)], BLUE.mix(0.85).filled())
            }))
            .map_err(err)?
            .label(l.t("80% 的情形", "80% of worlds"))
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], BLUE.mix(0.85).filled()));
        chart
            .draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                PathElement::new(vec![(r.median, y(i) - 0.28), (r.median, y(i) + 0.28)], DARK.stroke_width(5))
            }))
            .map_err(err)?
            .label(l.t("中位情形", "median world"))
            .legend(|(x, y)| PathElement::new(vec![(x + 12, y - 9), (x + 12, y + 9)], DARK.stroke_width(5)));
        chart
            .draw_series(self.rows.iter().enumerate().map(|(i, r)| Circle::new((r.pooled, y(i)), 10, ORANGE.filled())))
            .map_err(err)?
            .label(l.t("总体达成概率", "P(met) over all worlds"))
            .legend(|(x, y)| Circle::new((x + 12, y), 8, ORANGE.filled()));
        super::draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 20)
    }
}

/// One unknown's share of the across-world variance: (estimate, low, high), clipped to [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct ShareBar {
    pub label: String,
    pub share: (f64, f64, f64),
}

/// The ranked "measure first" chart of one target.
pub struct MeasureFirstChart {
    /// File stem, e.g. `measure_first_revenue`.
    pub name: String,
    pub title: String,
    /// In rank order (first drawn on top).
    pub bars: Vec<ShareBar>,
    pub lang: Lang,
}

impl Chart for MeasureFirstChart {
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
        let labels: Vec<String> = self.bars.iter().map(|b| b.label.clone()).collect();
        let hi = self.bars.iter().map(|b| b.share.2).fold(0.1f64, f64::max).min(1.0) * 1.05;
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FAMILY, 30))
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(super::ranked_label_width(&labels))
            .build_cartesian_2d(0.0f64..hi, -0.5f64..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| super::rank_label(&labels, *y))
            .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
            .x_desc(l.t("单独可解释的方差份额（一阶）", "share of the variance across worlds it explains alone"))
            .label_style((FAMILY, 20))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let y = |i: usize| n as f64 - 1.0 - i as f64;
        chart
            .draw_series(
                self.bars
                    .iter()
                    .enumerate()
                    .map(|(i, b)| Rectangle::new([(0.0, y(i) - 0.3), (b.share.0, y(i) + 0.3)], BLUE.mix(0.9).filled())),
            )
            .map_err(err)?
            .label(l.t("估计值", "estimate"))
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], BLUE.mix(0.9).filled()));
        chart
            .draw_series(
                self.bars
                    .iter()
                    .enumerate()
                    .map(|(i, b)| PathElement::new(vec![(b.share.1, y(i)), (b.share.2, y(i))], DARK.stroke_width(2))),
            )
            .map_err(err)?
            .label(l.t("95% 区间", "95% interval"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], DARK.stroke_width(2)));
        super::draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 20)
    }
}
