//! Goal probability bars: P(met) per target and for all targets, 95 % interval whiskers, and
//! reference lines at 50 % and 80 %.

use super::palette::{BLUE, DARK, GREY, ORANGE};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::report::view::RunView;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct Probabilities<'a> {
    pub s: &'a RunView,
    pub summary: &'a Summary,
    pub lang: Lang,
}

impl Chart for Probabilities<'_> {
    fn name(&self) -> String {
        "probabilities".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let mut bars: Vec<(String, f64, f64, f64)> =
            self.summary.targets.iter().map(|t| (l.metric(t.id).to_string(), t.p_met, t.ci.low, t.ci.high)).collect();
        let all = &self.summary.all;
        bars.push((l.t("全部目标", "All targets").to_string(), all.p_met, all.ci.low, all.ci.high));
        let n = bars.len();
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => {
                format!("{}年底各目标达成概率 ({})", self.s.target_set.deadline.year(), scenario_label(self.s, l))
            }
            Lang::En => format!(
                "Probability of meeting each target by end of {} ({})",
                self.s.target_set.deadline.year(),
                scenario_label(self.s, l)
            ),
        };
        let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 38))
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| super::index_label(&names, *x))
            .y_desc(l.t("达成概率 (%)", "probability (%)"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .draw()
            .map_err(err)?;
        for (pct, label) in [(50.0, "50%"), (80.0, "80%")] {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(-0.5, pct), (n as f64 - 0.5, pct)],
                    6,
                    6,
                    GREY.stroke_width(2),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    (-0.48, pct + 2.5),
                    (FAMILY, 20).into_font().color(&GREY),
                )))
                .map_err(err)?;
        }
        for (i, (_, p, lo, hi)) in bars.iter().enumerate() {
            let x = i as f64;
            let color = if i + 1 == n { ORANGE } else { BLUE };
            chart
                .draw_series(std::iter::once(Rectangle::new([(x - 0.32, 0.0), (x + 0.32, p * 100.0)], color.filled())))
                .map_err(err)?;
            let whisker = DARK.stroke_width(3);
            chart
                .draw_series([
                    PathElement::new(vec![(x, lo * 100.0), (x, hi * 100.0)], whisker),
                    PathElement::new(vec![(x - 0.08, lo * 100.0), (x + 0.08, lo * 100.0)], whisker),
                    PathElement::new(vec![(x - 0.08, hi * 100.0), (x + 0.08, hi * 100.0)], whisker),
                ])
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    l.percent(*p),
                    (x, (hi * 100.0 + 2.0).min(95.0)),
                    (FAMILY, 26).into_font().color(&DARK).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))
                .map_err(err)?;
        }
        let note = l.t(
            "误差线：模拟误差范围（95%）；虚线：50%与80%参考线",
            "whiskers: 95% interval (Monte Carlo error); dashed: 50% and 80% reference lines",
        );
        let (_, h) = root.dim_in_pixel();
        root.draw(&Text::new(note, (120, h as i32 - 28), (FAMILY, 20).into_font().color(&GREY))).map_err(err)?;
        Ok(())
    }
}
