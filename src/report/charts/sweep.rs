//! Lines: P(met) per target along the values of a swept parameter, with 50 % and 80 % lines.

use super::palette::{GREY, SERIES};
use super::{err, Chart, Lang, FAMILY};
use crate::whatif::SweepRow;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub struct SweepChart<'a> {
    pub rows: &'a [SweepRow],
    pub param: &'a str,
    pub lang: Lang,
}

impl Chart for SweepChart<'_> {
    fn name(&self) -> String {
        "sweep".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let (lo, hi) =
            self.rows.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| (a.min(r.value), b.max(r.value)));
        let pad = ((hi - lo) * 0.02).max(1e-9);
        let mut targets = Vec::new();
        for r in self.rows {
            if !targets.contains(&r.target) {
                targets.push(r.target);
            }
        }
        root.fill(&WHITE).map_err(err)?;
        // the parameter in words: a lever by its name and unit, else the factor's label
        let lever = self
            .param
            .strip_prefix("levers.")
            .and_then(|rest| crate::scenario::levers::lever_def(rest.split('.').next().unwrap_or(rest)));
        let name = match lever {
            Some(d) => format!("{} ({})", l.t(d.label_zh, d.label_en), unit(d.unit, l)),
            None => super::labels::factor_label(self.param, l),
        };
        let title = match l {
            Lang::Zh => format!("参数扫描: {name}对各目标达成概率的影响"),
            Lang::En => format!("Sweep of {name}: probability of each target"),
        };
        // keys are for the English page only
        let x_desc =
            if name == self.param || l == Lang::Zh { name.clone() } else { format!("{name} — {}", self.param) };
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 34))
            .margin(24)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d((lo - pad)..(hi + pad), 0f64..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(l.t("达成概率 (%)", "probability (%)"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for pct in [50.0, 80.0] {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(lo - pad, pct), (hi + pad, pct)],
                    6,
                    6,
                    GREY.stroke_width(2),
                )))
                .map_err(err)?;
        }
        let span = (hi + pad) - (lo - pad);
        let mut drawn = Vec::new();
        for (k, t) in targets.iter().enumerate() {
            let color = SERIES[k % SERIES.len()];
            let pts: Vec<(f64, f64)> =
                self.rows.iter().filter(|r| r.target == *t).map(|r| (r.value, r.p_met * 100.0)).collect();
            let mut name = t.map(|t| l.metric(t).to_string()).unwrap_or_else(|| l.t("全部目标", "All targets").into());
            // lines at zero all along lie on one another: say so in the legend
            if pts.iter().all(|p| p.1 == 0.0) {
                name.push_str(l.t("（全为0%）", " (0% throughout)"));
            }
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(3)))
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3)));
            chart.draw_series(pts.iter().map(|p| Circle::new(*p, 5, color.filled()))).map_err(err)?;
            drawn.push(pts.iter().map(|p| ((p.0 - (lo - pad)) / span, p.1 / 100.0)).collect());
        }
        // the legend box: about a quarter of the width, a row of 26 px a line in a plot ≈ 650 px high
        let height = (targets.len() as f64 * 26.0 + 24.0) / 650.0;
        let at = super::legend_place::quietest(&super::legend_place::densify(&drawn, 40), 0.25, height);
        super::draw_legend(&mut chart, at, 22)
    }
}

/// A lever's unit in `l`: Chinese words for the Chinese chart.
fn unit(unit: &str, l: Lang) -> &str {
    match (l, unit) {
        (Lang::Zh, "months") => "个月",
        (Lang::Zh, "multiplier") => "倍",
        (Lang::Zh, "share") => "比例",
        (Lang::Zh, "rule") => "规则",
        _ => unit,
    }
}
