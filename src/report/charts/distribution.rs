//! Distribution at the deadline: a histogram of the metric over trials, the target line, and
//! the share that meets it shaded.

use super::palette::{GREEN, GREY, VERMILLION};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub struct Distribution<'a> {
    pub s: &'a RunView,
    pub summary: &'a Summary,
    pub lang: Lang,
    pub metric: TargetId,
}

impl Chart for Distribution<'_> {
    fn name(&self) -> String {
        format!("distribution_{}", self.metric.key())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let t = self.summary.targets.iter().find(|t| t.id == self.metric).ok_or("no such target")?;
        let (unit, div) = l.unit(self.metric);
        let h = &t.histogram;
        let total = h.counts.iter().chain([&h.below, &h.above]).fold(0u64, |a, c| a.saturating_add(*c)).max(1);
        let (Some(first), Some(last)) = (h.edges.first(), h.edges.last()) else {
            return Err("no histogram to draw".into());
        };
        let lo = (first / div).min(t.threshold / div);
        let hi = (last / div).max(t.threshold / div);
        let pad = (hi - lo).max(1e-9) * 0.05;
        // headroom above the tallest bar for the legend
        let top = h.counts.iter().map(|c| *c as f64 / total as f64 * 100.0).fold(0.0, f64::max) * 1.3 + 0.1;
        // the legend goes to the upper corner away from the target line
        let line_at = (t.threshold / div - (lo - pad)) / (hi - lo + 2.0 * pad);
        let legend_at = if line_at > 0.5 { SeriesLabelPosition::UpperLeft } else { SeriesLabelPosition::UpperRight };
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => format!(
                "{}年底{}的分布 ({})",
                self.s.target_set.deadline.year(),
                l.metric(self.metric),
                scenario_label(self.s, l)
            ),
            Lang::En => format!(
                "{} at the end of {}: distribution over trials ({})",
                l.metric(self.metric),
                self.s.target_set.deadline.year(),
                scenario_label(self.s, l)
            ),
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 38))
            .margin(24)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(super::axis(lo - pad, hi + pad)?, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(unit)
            .x_label_formatter(&|x| {
                if x.abs() >= 100.0 || x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    format!("{x:.1}")
                }
            })
            .y_label_formatter(&|y| if top < 10.0 { format!("{y:.1}") } else { format!("{y:.0}") })
            .y_desc(l.t("模拟情形占比 (%)", "share of trials (%)"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let bars = h.counts.iter().zip(h.edges.windows(2)).map(|(c, e)| {
            let (a, b) = (e[0] / div, e[1] / div);
            // the histogram has an edge where values reach the target (Histogram::of)
            let meets = (e[0] + e[1]) / 2.0 >= t.threshold;
            let color = if meets { GREEN.mix(1.0) } else { GREY.mix(0.6) };
            Rectangle::new([(a, 0.0), (b, *c as f64 / total as f64 * 100.0)], color.filled())
        });
        chart.draw_series(bars).map_err(err)?;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(t.threshold / div, 0.0), (t.threshold / div, top)],
                12,
                8,
                VERMILLION.stroke_width(3),
            )))
            .map_err(err)?
            .label(match l {
                Lang::Zh => format!("目标{}", l.value(self.metric, t.threshold)),
                Lang::En => format!("target {}", l.value(self.metric, t.threshold)),
            })
            .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 24, y)], 6, 4, VERMILLION.stroke_width(3)));
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label(match l {
                Lang::Zh => format!("达标情形 ({})", l.percent(t.p_met)),
                Lang::En => format!("trials meeting the target ({})", l.percent(t.p_met)),
            })
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], GREEN.filled()));
        super::draw_legend(&mut chart, legend_at, 22)?;
        if h.below + h.above > 0 {
            let share = (h.below + h.above) as f64 / total as f64;
            let note = match l {
                Lang::Zh => format!("另有{}的模拟情形落在坐标范围之外（极端值），未画出", l.percent(share)),
                Lang::En => format!("{} of trials lie beyond the axis (far tails) and are not drawn", l.percent(share)),
            };
            let (_, height) = root.dim_in_pixel();
            root.draw(&Text::new(note, (30, height as i32 - 26), (FAMILY, 19).into_font().color(&GREY)))
                .map_err(err)?;
        }
        Ok(())
    }
}
