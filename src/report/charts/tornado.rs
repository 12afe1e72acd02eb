//! Tornado: one horizontal bar per factor, from its value with the factor at its low setting to
//! its value at the high setting, split at the baseline (marked by a vertical line), largest
//! swing on top.

use super::palette::{BLUE, DARK, ORANGE, VERMILLION};
use super::{err, Chart, Lang, FAMILY};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    /// The value with the factor at its low (p10 / lower end) and high (p90 / upper end) setting.
    pub low: f64,
    pub high: f64,
    /// Whether the change at the low / high setting cannot be told apart from Monte Carlo
    /// noise (its 95 % interval contains zero): drawn faint.
    pub low_is_noise: bool,
    pub high_is_noise: bool,
}

pub struct TornadoChart {
    /// The least half-width of the axis around the baseline (e.g. ±5 points for criticality),
    /// so that noise never fills the chart as long bars.
    pub min_half_span: Option<f64>,
    /// File stem, e.g. `tornado_revenue`.
    pub name: String,
    pub title: String,
    /// Axis description, with its unit.
    pub x_desc: String,
    /// Bars in rank order (first is drawn on top).
    pub bars: Vec<TornadoBar>,
    pub baseline: f64,
    /// Draw the axis from 0 to 100 at least partly (probabilities in %).
    pub percent: bool,
    /// Legend of the low and high bars.
    pub low_label: String,
    pub high_label: String,
    /// Added to the baseline's legend entry (e.g. how many paired trials it rests on).
    pub baseline_note: Option<String>,
    /// The baseline's value as the tables write it (e.g. 「1206亿元」), in place of the axis's
    /// number format.
    pub baseline_value: Option<String>,
    /// A target to mark with a dashed line: its value on the axis, and its label.
    pub target: Option<(f64, String)>,
    pub lang: Lang,
}

impl TornadoChart {
    /// The legend of a tornado: the factor at its low and high setting.
    pub fn factor_labels(lang: Lang) -> (String, String) {
        (
            lang.t("因素取低值 (p10 / 下限)", "factor at its low setting (p10 / lower end)").into(),
            lang.t("因素取高值 (p90 / 上限)", "factor at its high setting (p90 / upper end)").into(),
        )
    }
}

impl Chart for TornadoChart {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn size(&self) -> (u32, u32) {
        (1600, super::ranked_height(self.bars.len(), 46))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let n = self.bars.len().max(1);
        let (mut lo, mut hi) = self
            .bars
            .iter()
            .fold((self.baseline, self.baseline), |(a, b), r| (a.min(r.low).min(r.high), b.max(r.low).max(r.high)));
        if let Some((x, _)) = self.target {
            (lo, hi) = (lo.min(x), hi.max(x));
        }
        if let Some(m) = self.min_half_span {
            (lo, hi) = (lo.min(self.baseline - m), hi.max(self.baseline + m));
        }
        let pad = ((hi - lo) * 0.08).max(if self.percent { 1.0 } else { self.baseline.abs() * 0.01 + 1e-9 });
        lo -= pad;
        hi += pad;
        if self.percent {
            lo = lo.max(0.0);
            hi = hi.min(100.0);
        }
        let labels: Vec<String> = self.bars.iter().map(|b| b.label.clone()).collect();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FAMILY, 32))
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(super::ranked_label_width(&labels))
            .build_cartesian_2d(super::axis(lo, hi)?, -0.5f64..(n as f64 - 0.5))
            .map_err(err)?;
        let x_fmt = |x: &f64| {
            if self.percent || x.abs() < 1e4 {
                crate::report::format::short_number(*x)
            } else {
                crate::report::format::thousands(*x)
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            // rank 1 at the top: row i is drawn at y = n − 1 − i
            .y_label_formatter(&|y| super::rank_label(&labels, *y))
            .x_label_formatter(&x_fmt)
            .x_desc(&self.x_desc)
            .label_style((FAMILY, 20))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let base = self.baseline;
        let y = |i: usize| n as f64 - 1.0 - i as f64;
        // A bar from the baseline to each setting's value; when both settings move the value
        // the same way, each takes half the row so neither hides the other.
        let rect = |i: usize, b: &TornadoBar, high: bool| {
            let (value, noise, color) =
                if high { (b.high, b.high_is_noise, ORANGE) } else { (b.low, b.low_is_noise, BLUE) };
            let same_side = (b.low - base) * (b.high - base) > 0.0;
            let (top, bottom) = match (same_side, high) {
                (false, _) => (y(i) - 0.32, y(i) + 0.32),
                (true, false) => (y(i) - 0.32, y(i)),
                (true, true) => (y(i), y(i) + 0.32),
            };
            Rectangle::new([(base, top), (value, bottom)], color.mix(if noise { 0.3 } else { 0.85 }).filled())
        };
        chart
            .draw_series(self.bars.iter().enumerate().map(|(i, b)| rect(i, b, false)))
            .map_err(err)?
            .label(self.low_label.clone())
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], BLUE.mix(0.85).filled()));
        chart
            .draw_series(self.bars.iter().enumerate().map(|(i, b)| rect(i, b, true)))
            .map_err(err)?
            .label(self.high_label.clone())
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], ORANGE.mix(0.85).filled()));
        if self.bars.iter().any(|b| b.low_is_noise || b.high_is_noise) {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(err)?
                .label(l.t("浅色：模拟误差范围含0，与随机误差无法区分", "faint: 95% interval contains 0 (noise)"))
                .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], BLUE.mix(0.3).filled()));
        }
        let value = match &self.baseline_value {
            Some(v) => v.clone(),
            None => format!("{}{}", x_fmt(&base), if self.percent { "%" } else { "" }),
        };
        let mut baseline_label = format!("{} {value}", l.t("基准", "baseline"));
        if let Some(note) = &self.baseline_note {
            baseline_label = format!("{baseline_label} ({note})");
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(base, -0.5), (base, n as f64 - 0.5)],
                DARK.stroke_width(3),
            )))
            .map_err(err)?
            .label(baseline_label.clone())
            .legend(|(x, y)| PathElement::new(vec![(x + 12, y - 10), (x + 12, y + 10)], DARK.stroke_width(3)));
        if let Some((x, label)) = &self.target {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(*x, -0.5), (*x, n as f64 - 0.5)],
                    10,
                    6,
                    VERMILLION.stroke_width(3),
                )))
                .map_err(err)?
                .label(format!("{} {label}", l.t("目标", "target")))
                .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 24, y)], 6, 4, VERMILLION.stroke_width(3)));
        }
        // the legend goes where it covers the fewest bars and lines (its size measured in
        // this language's text)
        let (lo_x, hi_x) = (lo, hi);
        let unit = |x: f64, y: f64| ((x - lo_x) / (hi_x - lo_x), (y + 0.5) / n as f64);
        let mut drawn: Vec<Vec<(f64, f64)>> = self
            .bars
            .iter()
            .enumerate()
            .map(|(i, b)| vec![unit(b.low.min(base), y(i)), unit(b.high.max(base), y(i))])
            .collect();
        drawn.extend(
            self.bars.iter().enumerate().map(|(i, b)| vec![unit(b.high.min(base), y(i)), unit(b.low.max(base), y(i))]),
        );
        drawn.push(vec![unit(base, -0.5), unit(base, n as f64 - 0.5)]);
        if let Some((x, _)) = &self.target {
            drawn.push(vec![unit(*x, -0.5), unit(*x, n as f64 - 0.5)]);
        }
        let area = chart.plotting_area();
        let (pw, ph) = area.dim_in_pixel();
        let font = TextStyle::from((FAMILY, 20).into_font());
        let mut legend_labels = vec![self.low_label.clone(), self.high_label.clone(), baseline_label.clone()];
        if let Some((_, label)) = &self.target {
            legend_labels.push(format!("{} {label}", l.t("目标", "target")));
        }
        let widest = legend_labels
            .iter()
            .map(|t| area.estimate_text_size(t, &font).map(|s| s.0).unwrap_or(300))
            .max()
            .unwrap_or(300);
        let rows = legend_labels.len() + usize::from(self.bars.iter().any(|b| b.low_is_noise || b.high_is_noise));
        let corner = super::legend_place::quietest(
            &super::legend_place::densify(&drawn, 60),
            (widest + 60) as f64 / pw.max(1) as f64,
            (rows as f64 * 24.0 + 20.0) / ph.max(1) as f64,
        );
        super::draw_legend(&mut chart, corner, 20)
    }
}
