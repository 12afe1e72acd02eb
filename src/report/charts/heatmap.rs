//! Heat map of a two-lever grid sweep: P(met) of one target (or all) in each cell, a colour
//! bar, and the status quo marked where it lies in the grid.

use super::palette::DARK;
use super::{err, index_label, Chart, Lang, FAMILY};
use crate::seeds::TargetId;
use crate::whatif::{Axis, GridRow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct HeatMapChart<'a> {
    pub axes: &'a [Axis],
    pub rows: &'a [GridRow],
    pub target: Option<TargetId>,
    /// The scenario's own value on each axis, where known (levers).
    pub status_quo: [Option<f64>; 2],
    pub lang: Lang,
}

/// A sequential blue scale from pale (0) to dark (1), readable in greyscale.
pub fn colour(p: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 3] =
        [(0.0, (247.0, 251.0, 255.0)), (0.5, (107.0, 174.0, 214.0)), (1.0, (8.0, 48.0, 107.0))];
    let p = p.clamp(0.0, 1.0);
    let k = if p <= 0.5 { 0 } else { 1 };
    let (a, ca) = STOPS[k];
    let (b, cb) = STOPS[k + 1];
    let t = (p - a) / (b - a);
    let mix = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    RGBColor(mix(ca.0, cb.0), mix(ca.1, cb.1), mix(ca.2, cb.2))
}

/// The colour scale's ends in points: the values' range widened to whole 5 points, at least
/// 5 points wide, within 0–100.
fn scale(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p), b.max(p)));
    if !lo.is_finite() {
        return (0.0, 100.0);
    }
    lo = ((lo * 100.0) / 5.0).floor() * 5.0;
    hi = ((hi * 100.0) / 5.0).ceil() * 5.0;
    if hi - lo < 5.0 {
        hi = (lo + 5.0).min(100.0);
        lo = hi - 5.0;
    }
    (lo, hi)
}

/// Where `v` lies among `values` (ascending) in index units, if inside their range.
fn index_of(values: &[f64], v: f64) -> Option<f64> {
    let (first, last) = (*values.first()?, *values.last()?);
    if v < first.min(last) || v > first.max(last) {
        return None;
    }
    if let Some(i) = values.iter().position(|&x| x == v) {
        return Some(i as f64);
    }
    values.windows(2).position(|w| (w[0] <= v && v <= w[1]) || (w[1] <= v && v <= w[0])).map(|i| {
        let (a, b) = (values[i], values[i + 1]);
        i as f64 + (v - a) / (b - a)
    })
}

fn axis_name(path: &str, l: Lang) -> String {
    let lever =
        path.strip_prefix("levers.").and_then(|r| crate::scenario::levers::lever_def(r.split('.').next().unwrap_or(r)));
    match lever {
        Some(d) => format!("{} ({})", l.t(d.label_zh, d.label_en), l.t(unit_zh(d.unit), d.unit)),
        None => super::labels::factor_label(path, l),
    }
}

fn unit_zh(unit: &str) -> &str {
    match unit {
        "months" => "月",
        "share" => "比例",
        "multiplier" => "倍数",
        other => other,
    }
}

impl Chart for HeatMapChart<'_> {
    fn name(&self) -> String {
        "sweep_heatmap".into()
    }

    fn size(&self) -> (u32, u32) {
        (1600, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let (xs, ys) = (&self.axes[0].values, &self.axes[1].values);
        let fmt = |v: &f64| format!("{}", (v * 1e4).round() / 1e4);
        let x_names: Vec<String> = xs.iter().map(fmt).collect();
        let y_names: Vec<String> = ys.iter().map(fmt).collect();
        let what = match self.target {
            Some(t) => l.metric(t).to_string(),
            None => l.t("全部目标", "All targets").to_string(),
        };
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => format!("双参数扫描: {what}达成概率"),
            Lang::En => format!("Two-lever sweep: probability of meeting {what}"),
        };
        let (w, _) = root.dim_in_pixel();
        let titled = root.margin(20, 0, 0, 0).titled(&title, (FAMILY, 34)).map_err(err)?;
        let (main, side) = titled.split_horizontally(w - 200);
        let mut chart = ChartBuilder::on(&main)
            .margin(24)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.5f64..(xs.len() as f64 - 0.5), -0.5f64..(ys.len() as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(xs.len())
            .y_labels(ys.len())
            .x_label_formatter(&|x| index_label(&x_names, *x))
            .y_label_formatter(&|y| index_label(&y_names, *y))
            .x_desc(axis_name(&self.axes[0].path, l))
            .y_desc(axis_name(&self.axes[1].path, l))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .draw()
            .map_err(err)?;
        let cells: Vec<(usize, usize, f64)> = self
            .rows
            .iter()
            .filter(|r| r.target == self.target)
            .filter_map(|r| {
                let i = xs.iter().position(|&x| x == r.values[0])?;
                let j = ys.iter().position(|&y| y == r.values[1])?;
                Some((i, j, r.p_met))
            })
            .collect();
        // the colour scale spans the cells' range (to whole 5 points), so small differences show
        let (lo, hi) = scale(cells.iter().map(|c| c.2));
        let norm = |p: f64| (p * 100.0 - lo) / (hi - lo);
        chart
            .draw_series(cells.iter().map(|&(i, j, p)| {
                let (x, y) = (i as f64, j as f64);
                Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], colour(norm(p)).filled())
            }))
            .map_err(err)?;
        let label_size = if xs.len() * ys.len() > 100 { 14 } else { 20 };
        chart
            .draw_series(cells.iter().map(|&(i, j, p)| {
                let ink = if norm(p) > 0.55 { WHITE } else { DARK };
                let style = (FAMILY, label_size).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                Text::new(l.percent(p), (i as f64, j as f64), style)
            }))
            .map_err(err)?;
        if let (Some(x), Some(y)) =
            (self.status_quo[0].and_then(|v| index_of(xs, v)), self.status_quo[1].and_then(|v| index_of(ys, v)))
        {
            chart
                .draw_series([Circle::new((x, y), 26, ShapeStyle::from(&super::palette::VERMILLION).stroke_width(5))])
                .map_err(err)?
                .label(l.t("现状", "status quo"))
                .legend(|(x, y)| {
                    Circle::new((x + 12, y), 9, ShapeStyle::from(&super::palette::VERMILLION).stroke_width(4))
                });
            super::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 20)?;
        }
        // the colour bar
        let mut bar = ChartBuilder::on(&side)
            .margin_top(40)
            .margin_bottom(120)
            .margin_right(90)
            .y_label_area_size(0)
            .right_y_label_area_size(60)
            .build_cartesian_2d(0f64..1.0, lo..hi)
            .map_err(err)?;
        bar.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc(l.t("达成概率 (%)", "probability (%)"))
            // a narrow range (a few points) needs a decimal, or its ticks repeat
            .y_label_formatter(&|y| if hi - lo < 10.0 { format!("{y:.1}") } else { format!("{y:.0}") })
            .label_style((FAMILY, 20))
            .axis_desc_style((FAMILY, 22))
            .draw()
            .map_err(err)?;
        bar.draw_series((0..100).map(|k| {
            let (a, b) = (lo + (hi - lo) * k as f64 / 100.0, lo + (hi - lo) * (k + 1) as f64 / 100.0);
            Rectangle::new([(0.0, a), (1.0, b)], colour(k as f64 / 100.0).filled())
        }))
        .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_quo_is_placed_between_grid_values() {
        assert_eq!(index_of(&[0.0, 3.0, 6.0], 3.0), Some(1.0));
        assert_eq!(index_of(&[0.0, 3.0, 6.0], 4.5), Some(1.5));
        assert_eq!(index_of(&[1.0, 2.0], 0.5), None);
        assert_eq!(colour(0.0), RGBColor(247, 251, 255));
        assert_eq!(scale([0.026, 0.07].into_iter()), (0.0, 10.0));
        assert_eq!(scale([1.0, 1.0].into_iter()), (95.0, 100.0));
        assert_eq!(scale([0.3].into_iter()), (30.0, 35.0));
        assert_eq!(colour(1.0), RGBColor(8, 48, 107));
    }
}
