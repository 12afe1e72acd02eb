//! Fan chart: a metric over the months, median with 25–75 % and 5–95 % bands, the target as a
//! dashed line ending at its deadline, and P(met) written on the chart; in a monitoring forecast
//! the as-of month and what was observed before it (points).

use super::palette::{BLUE, DARK, VERMILLION};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct Fan<'a> {
    pub s: &'a RunView,
    pub summary: &'a Summary,
    pub lang: Lang,
    pub metric: TargetId,
}

impl Chart for Fan<'_> {
    fn name(&self) -> String {
        format!("fan_{}", self.metric.key())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let (unit, div) = l.unit(self.metric);
        let rows: Vec<_> = self.summary.series.iter().filter(|r| r.metric == self.metric).collect();
        let target = self.summary.targets.iter().find(|t| t.id == self.metric).ok_or("no such target")?;
        let first = rows.first().ok_or("no months to draw")?.month;
        let deadline = self.s.target_set.deadline.since(first) as f64;
        let n = rows.len() as f64;
        let thr = target.threshold / div;
        let top = rows.iter().map(|r| r.p95 / div).fold(thr, f64::max) * 1.12;
        let low = rows.iter().map(|r| r.p5 / div).fold(f64::INFINITY, f64::min).min(thr);
        // counts of parks start at zero; other metrics zoom to their range
        let bottom = if self.metric == TargetId::Parks {
            0.0
        } else if low > 0.0 {
            low * 0.85
        } else {
            low * 1.15
        };
        // The legend sits in the top fifth of the plot, upper left: a target line drawn there
        // would run under it, so raise the top until the line is clear below the legend.
        // (about 25 px an entry plus its frame, in a plot about 730 px high)
        let observed: Vec<(f64, f64)> = self
            .s
            .monitoring
            .iter()
            .flat_map(|m| m.observed.iter())
            .filter(|p| p.target == self.metric && p.month >= first)
            .map(|p| (p.month.since(first) as f64, p.value / div))
            .collect();
        // a narrow (print) canvas has no room for P(met) beside the legend: it joins the legend
        let narrow = root.dim_in_pixel().0 < 1200;
        let entries = 4.0
            + f64::from(u8::from(self.s.monitoring.is_some()))
            + f64::from(u8::from(!observed.is_empty()))
            + f64::from(u8::from(narrow));
        let legend_floor = 1.0 - (entries * 25.0 + 45.0) / 730.0;
        let top =
            if (thr - bottom) / (top - bottom) > legend_floor { bottom + (thr - bottom) / legend_floor } else { top };
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => {
                format!("{}预测（{}）", l.metric(self.metric), scenario_label(self.s, l))
            }
            Lang::En => {
                format!("{} forecast ({})", l.metric(self.metric), scenario_label(self.s, l))
            }
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 38))
            .margin(24)
            .x_label_area_size(60)
            .y_label_area_size(100)
            .build_cartesian_2d(super::axis(0.0, n - 1.0)?, super::axis(bottom, top)?)
            .map_err(err)?;
        let summary = self.summary;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            // a lone rotated CJK unit (个) reads as an arrow: name the metric with it
            .y_desc(match l {
                Lang::Zh => format!("{} ({unit})", l.metric(self.metric)),
                Lang::En => unit.to_string(),
            })
            .y_label_formatter(&|y| {
                if y.abs() >= 100.0 || y.fract() == 0.0 {
                    format!("{y:.0}")
                } else {
                    format!("{y:.1}")
                }
            })
            .x_desc(l.t("月份 (月末)", "month (end of)"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        super::month_axis::draw(root, &mut chart, summary, 0.0, n - 1.0, bottom, top, 22, l)?;
        let band =
            |lo: fn(&crate::summary::SeriesRow) -> f64, hi: fn(&crate::summary::SeriesRow) -> f64| -> Vec<(f64, f64)> {
                let mut pts: Vec<(f64, f64)> = rows.iter().enumerate().map(|(i, r)| (i as f64, hi(r) / div)).collect();
                pts.extend(rows.iter().enumerate().rev().map(|(i, r)| (i as f64, lo(r) / div)));
                pts
            };
        chart
            .draw_series(std::iter::once(Polygon::new(band(|r| r.p5, |r| r.p95), BLUE.mix(0.15).filled())))
            .map_err(err)?
            .label(l.t("5%～95%区间", "5–95% band"))
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], BLUE.mix(0.15).filled()));
        chart
            .draw_series(std::iter::once(Polygon::new(band(|r| r.p25, |r| r.p75), BLUE.mix(0.35).filled())))
            .map_err(err)?
            .label(l.t("25%～75%区间", "25–75% band"))
            .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], BLUE.mix(0.35).filled()));
        chart
            .draw_series(LineSeries::new(
                rows.iter().enumerate().map(|(i, r)| (i as f64, r.p50 / div)),
                BLUE.stroke_width(4),
            ))
            .map_err(err)?
            .label(l.t("中位数", "median"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLUE.stroke_width(4)));
        let target_label = match l {
            Lang::Zh => {
                format!("目标{}（{}）", l.value(self.metric, target.threshold), l.month(self.s.target_set.deadline))
            }
            Lang::En => format!("target {} ({})", l.value(self.metric, target.threshold), self.s.target_set.deadline),
        };
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(0.0, thr), (deadline, thr)],
                14,
                8,
                VERMILLION.stroke_width(3),
            )))
            .map_err(err)?
            .label(target_label)
            .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 24, y)], 6, 4, VERMILLION.stroke_width(3)));
        if let Some(m) = &self.s.monitoring {
            // what lies left of the as-of month was observed (or drawn given the observations)
            let x = m.as_of.since(first) as f64;
            super::month_axis::draw_as_of(&mut chart, m.as_of, x, bottom, top, l)?;
        }
        if !observed.is_empty() {
            // what was observed, before the as-of line: dark points ringed in white
            chart.draw_series(observed.iter().map(|p| Circle::new(*p, 9, WHITE.filled()))).map_err(err)?;
            chart
                .draw_series(observed.iter().map(|p| Circle::new(*p, 6, DARK.filled())))
                .map_err(err)?
                .label(l.t(
                    "已报告投运的区块（累计；无报告的区块不计）",
                    "reported operating (cumulative; blocks without a report not counted)",
                ))
                .legend(|(x, y)| Circle::new((x + 12, y), 6, DARK.filled()));
        }
        let p = match l {
            Lang::Zh => format!(
                "{}年底达标概率{}（模拟误差范围{}～{}）",
                self.s.target_set.deadline.year(),
                l.percent(target.p_met),
                l.percent(target.ci.low),
                l.percent(target.ci.high)
            ),
            Lang::En => format!(
                "P(met by end of {}) = {} (95% CI {}–{})",
                self.s.target_set.deadline.year(),
                l.percent(target.p_met),
                l.percent(target.ci.low),
                l.percent(target.ci.high)
            ),
        };
        if narrow {
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                .map_err(err)?
                .label(p)
                .legend(|(x, y)| EmptyElement::at((x, y)));
            return super::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 22);
        }
        super::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 22)?;
        let (w, _) = root.dim_in_pixel();
        // right-aligned, clear of the as-of line of a monitoring forecast
        let style = (FAMILY, 26).into_font().color(&DARK).pos(Pos::new(HPos::Right, VPos::Top));
        root.draw(&Text::new(p, (w as i32 - 60, 90), style)).map_err(err)?;
        Ok(())
    }
}
