//! Exceedance (S-)curve at the deadline: for every value of the metric, the probability of
//! reaching at least it — so a meeting reads P(≥ 18), P(≥ 15) off one curve for 「20个左右」.
//! The target and, for a 左右 target, its tolerance are marked with their probabilities as the
//! readings table gives them (counted on the trials, not read off the histogram).

use super::palette::{BLUE, DARK, ORANGE, VERMILLION};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::stats::Histogram;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub struct Exceedance<'a> {
    pub s: &'a RunView,
    pub summary: &'a Summary,
    pub lang: Lang,
    pub metric: TargetId,
}

/// (x, P(metric ≥ x)) at every histogram edge: the share of trials in the bins from that edge up,
/// plus those above the last edge, over all trials.
pub fn curve(h: &Histogram) -> Vec<(f64, f64)> {
    let total = h.counts.iter().chain([&h.below, &h.above]).fold(0u64, |a, c| a.saturating_add(*c)).max(1) as f64;
    let mut at_or_above = h.above as f64;
    let mut out = vec![(0.0, 0.0); h.edges.len()];
    for (i, x) in h.edges.iter().enumerate().rev() {
        if i < h.counts.len() {
            at_or_above += h.counts[i] as f64;
        }
        out[i] = (*x, at_or_above / total);
    }
    out
}

impl Chart for Exceedance<'_> {
    fn name(&self) -> String {
        format!("exceedance_{}", self.metric.key())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let t = self.summary.targets.iter().find(|t| t.id == self.metric).ok_or("no such target")?;
        let reading = self.summary.readings.iter().find(|r| r.target == self.metric && r.headline);
        let tolerance = reading.and_then(|r| r.tolerance_threshold.zip(r.p_met_tolerance));
        let (unit, div) = l.unit(self.metric);
        // a count's histogram edges sit at k − ½ (Histogram::of): P(X ≥ k − ½) is P(X ≥ k)
        let shift = if matches!(self.metric, TargetId::Revenue | TargetId::Jobs) { 0.0 } else { 0.5 };
        let points: Vec<(f64, f64)> = curve(&t.histogram).into_iter().map(|(x, p)| (x + shift, p)).collect();
        let (Some(first), Some(last)) = (points.first(), points.last()) else {
            return Err("no histogram to draw".into());
        };
        let mut lo = (first.0 / div).min(t.threshold / div);
        if let Some((x, _)) = tolerance {
            lo = lo.min(x / div);
        }
        let hi = (last.0 / div).max(t.threshold / div);
        let pad = (hi - lo).max(1e-9) * 0.04;
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => format!(
                "{}年底{}达到各数值的概率（{}）",
                self.s.target_set.deadline.year(),
                l.metric(self.metric),
                scenario_label(self.s, l)
            ),
            Lang::En => format!(
                "{} at the end of {}: probability of reaching at least each value ({})",
                l.metric(self.metric),
                self.s.target_set.deadline.year(),
                scenario_label(self.s, l)
            ),
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 36))
            .margin(24)
            .x_label_area_size(64)
            .y_label_area_size(90)
            .build_cartesian_2d(super::axis(lo - pad, hi + pad)?, 0f64..105.0)
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
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc(l.t("达到或超过该值的概率 (%)", "probability of at least this value (%)"))
            .label_style((FAMILY, 24))
            .axis_desc_style((FAMILY, 26))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(points.iter().map(|(x, p)| (x / div, p * 100.0)), BLUE.stroke_width(4)))
            .map_err(err)?
            .label(l.t("达到或超过横轴数值的概率", "P(at least the value on the axis)"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLUE.stroke_width(4)));
        let mut mark = |x: f64, p: f64, color: RGBColor, label: String| -> Result<(), String> {
            let x = x / div;
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(x, 0.0), (x, 105.0)],
                    12,
                    8,
                    color.stroke_width(3),
                )))
                .map_err(err)?
                .label(label)
                .legend(move |(a, b)| DashedPathElement::new(vec![(a, b), (a + 24, b)], 6, 4, color.stroke_width(3)));
            chart.draw_series(std::iter::once(Circle::new((x, p * 100.0), 9, color.filled()))).map_err(err)?;
            Ok(())
        };
        mark(
            t.threshold,
            t.p_met,
            VERMILLION,
            match l {
                Lang::Zh => format!("目标值{}：达成概率{}", l.value(self.metric, t.threshold), l.percent(t.p_met)),
                Lang::En => format!("target {}: P(met) {}", l.value(self.metric, t.threshold), l.percent(t.p_met)),
            },
        )?;
        if let Some((x, p)) = tolerance {
            mark(
                x,
                p,
                ORANGE,
                match l {
                    Lang::Zh => format!("按“左右”容差{}：{}", l.value(self.metric, x), l.percent(p)),
                    Lang::En => format!("左右 tolerance {}: {}", l.value(self.metric, x), l.percent(p)),
                },
            )?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(DARK.mix(0.3))
            .label_font((FAMILY, 24))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_falls_from_everything_to_what_lies_above() {
        // 10 trials: 1 below the first edge, bins of 2, 3, 3, and 1 above the last edge
        let h = Histogram { edges: vec![0.0, 1.0, 2.0, 3.0], counts: vec![2, 3, 3], below: 1, above: 1 };
        let c = curve(&h);
        let want = [(0.0, 0.9), (1.0, 0.7), (2.0, 0.4), (3.0, 0.1)];
        for ((x, p), (wx, wp)) in c.iter().zip(want) {
            assert_eq!(*x, wx);
            assert!((p - wp).abs() < 1e-12, "{c:?}");
        }
    }
}
