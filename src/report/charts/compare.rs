//! Grouped bars: P(met) per target for each compared scenario, with 95 % whiskers.

use super::palette::{DARK, GREY, SERIES};
use super::{err, index_label, Chart, Lang, FAMILY};
use crate::whatif::CompareRow;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct CompareChart<'a> {
    pub rows: &'a [CompareRow],
    pub lang: Lang,
}

impl Chart for CompareChart<'_> {
    fn name(&self) -> String {
        "compare".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let mut scenarios: Vec<&str> = Vec::new();
        let mut targets = Vec::new();
        for r in self.rows {
            if !scenarios.contains(&r.scenario.as_str()) {
                scenarios.push(&r.scenario);
            }
            if !targets.contains(&r.target) {
                targets.push(r.target);
            }
        }
        let names: Vec<String> = targets
            .iter()
            .map(|t| t.map(|t| l.metric(t).to_string()).unwrap_or_else(|| l.t("全部目标", "All targets").into()))
            .collect();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(root)
            .caption(
                l.t(
                    "情景比较: 各目标达成概率 (配对比较)",
                    "Scenarios compared: probability of each target (common random numbers)",
                ),
                (FAMILY, 36),
            )
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(-0.5f64..(targets.len() as f64 - 0.5), 0f64..107.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(targets.len())
            .x_label_formatter(&|x| index_label(&names, *x))
            // the axis runs to 107 so that a value over a bar near 100% clears its whisker
            .y_label_formatter(&|y| if *y <= 100.0 { format!("{y:.0}") } else { String::new() })
            .y_desc(l.t("达成概率 (%)", "probability (%)"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for pct in [50.0, 80.0] {
            let line = DashedPathElement::new(
                vec![(-0.5, pct), (targets.len() as f64 - 0.5, pct)],
                6,
                6,
                GREY.stroke_width(2),
            );
            chart.draw_series(std::iter::once(line)).map_err(err)?;
        }
        let width = 0.8 / scenarios.len() as f64;
        for (k, sc) in scenarios.iter().enumerate() {
            let color = SERIES[k % SERIES.len()];
            let bars = self.rows.iter().filter(|r| r.scenario == *sc).map(|r| {
                let i = targets.iter().position(|t| *t == r.target).expect("listed") as f64;
                let x0 = i - 0.4 + k as f64 * width;
                Rectangle::new([(x0 + 0.05 * width, 0.0), (x0 + 0.95 * width, r.p_met * 100.0)], color.filled())
            });
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(sc.to_string())
                .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], color.filled()));
            let whiskers = self.rows.iter().filter(|r| r.scenario == *sc).map(|r| {
                let i = targets.iter().position(|t| *t == r.target).expect("listed") as f64;
                let x = i - 0.4 + (k as f64 + 0.5) * width;
                PathElement::new(vec![(x, r.ci.low * 100.0), (x, r.ci.high * 100.0)], DARK.stroke_width(2))
            });
            chart.draw_series(whiskers).map_err(err)?;
            // the value over each bar, so a zero chance reads as one, not as missing data
            let values = self.rows.iter().filter(|r| r.scenario == *sc).map(|r| {
                let i = targets.iter().position(|t| *t == r.target).expect("listed") as f64;
                let x = i - 0.4 + (k as f64 + 0.5) * width;
                let style = (FAMILY, 18).into_font().color(&DARK).pos(Pos::new(HPos::Center, VPos::Bottom));
                Text::new(l.percent(r.p_met), (x, r.ci.high * 100.0 + 1.5), style)
            });
            chart.draw_series(values).map_err(err)?;
        }
        super::draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 22)?;
        let note = l.t(
            "误差线: 模拟误差范围 (95%); 虚线: 50%、80%参考线",
            "whiskers: 95% interval (Monte Carlo error); dashed: 50% and 80% reference lines",
        );
        let (_, h) = root.dim_in_pixel();
        root.draw(&Text::new(note, (120, h as i32 - 22), (FAMILY, 20).into_font().color(&GREY))).map_err(err)?;
        Ok(())
    }
}
