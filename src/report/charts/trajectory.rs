//! PRIM's peeling trajectory: density against coverage of each box, from the whole space
//! (coverage 100 %, density = the overall miss rate) to the smallest box; the chosen box marked.

use super::palette::{BLUE, GREY, VERMILLION};
use super::{err, Chart, Lang, FAMILY};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub struct TrajectoryChart {
    pub title: String,
    /// (coverage, density) of each box along the trajectory, as shares.
    pub points: Vec<(f64, f64)>,
    /// The chosen box, if any.
    pub chosen: Option<(f64, f64)>,
    /// The share of all trials that miss.
    pub base_rate: f64,
    /// The chosen box's rules, as `discover` prints them.
    pub rules: Vec<String>,
    pub lang: Lang,
}

impl Chart for TrajectoryChart {
    fn name(&self) -> String {
        "discover_trajectory".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        root.fill(&WHITE).map_err(err)?;
        // densities lie between the overall miss rate and 100 %: zoom to them, with room below
        // for the legend and the chosen box's rules
        let lowest = self.points.iter().map(|p| p.1).fold(self.base_rate, f64::min) * 100.0;
        let room = 8.0 * (3 + self.rules.len()) as f64 * (100.0 - lowest).max(10.0) / 100.0 + 5.0;
        let floor = ((lowest - room) / 10.0).floor().clamp(0.0, 90.0) * 10.0;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FAMILY, 32))
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(0f64..100.0, floor..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(
                l.t("覆盖率: 框内未达成情形占全部未达成情形 (%)", "coverage: share of all misses inside the box (%)"),
            )
            .y_desc(l.t("密度: 框内模拟情形未达成的比例 (%)", "density: share of trials in the box that miss (%)"))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let base = self.base_rate * 100.0;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(0.0, base), (100.0, base)],
                6,
                6,
                GREY.stroke_width(2),
            )))
            .map_err(err)?
            .label(match l {
                Lang::Zh => format!("总体未达成率{base:.0}%"),
                Lang::En => format!("overall miss rate {base:.0}%"),
            })
            .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 24, y)], 6, 4, GREY.stroke_width(2)));
        let pts: Vec<(f64, f64)> = self.points.iter().map(|(c, d)| (c * 100.0, d * 100.0)).collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), BLUE.stroke_width(3)))
            .map_err(err)?
            .label(l.t("逐步剥离的框", "boxes along the peeling trajectory"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLUE.stroke_width(3)));
        chart.draw_series(pts.iter().map(|p| Circle::new(*p, 4, BLUE.filled()))).map_err(err)?;
        if let Some((c, d)) = self.chosen {
            let p = (c * 100.0, d * 100.0);
            chart
                .draw_series(std::iter::once(Circle::new(p, 12, VERMILLION.stroke_width(4))))
                .map_err(err)?
                .label(match l {
                    Lang::Zh => format!("选定的框（粘贴并简化后，可不在曲线上）：覆盖{:.0}%，密度{:.0}%", p.0, p.1),
                    Lang::En => {
                        format!(
                            "chosen box (pasted and simplified, so off the curve): coverage {:.0}%, density {:.0}%",
                            p.0, p.1
                        )
                    }
                })
                .legend(|(x, y)| Circle::new((x + 12, y), 8, VERMILLION.stroke_width(3)));
            for rule in &self.rules {
                chart
                    .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                    .map_err(err)?
                    .label(format!("  · {rule}"))
                    .legend(|(x, y)| EmptyElement::at((x, y)));
            }
        }
        super::draw_legend(&mut chart, SeriesLabelPosition::LowerLeft, 22)
    }
}
