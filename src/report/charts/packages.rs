//! Lever packages side by side, best first: P(all targets met) with its 95 % interval, and the
//! mean regret (targets missed that the trial's best option meets) with its 90th percentile.

use super::palette::{BLUE, DARK, GREY, ORANGE};
use super::{err, index_label, Chart, Lang, FAMILY};
use crate::whatif::{PackageRow, PackagesResult};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// An option's name: the package's label, or the status quo's.
pub fn option_label(row: &PackageRow, lang: Lang) -> String {
    match &row.package {
        Some(p) => lang.t(&p.label_zh, &p.label_en).to_string(),
        None => lang.t("现状（不加措施）", "status quo (no package)").to_string(),
    }
}

pub struct PackagesChart<'a> {
    pub result: &'a PackagesResult,
    pub lang: Lang,
}

impl Chart for PackagesChart<'_> {
    fn name(&self) -> String {
        "packages".into()
    }

    fn size(&self) -> (u32, u32) {
        (1600, (300 + 90 * self.result.rows.len() as u32).max(700))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        // best at the top: the last index is drawn highest
        let mut ranked = self.result.ranked();
        ranked.reverse();
        let n = ranked.len();
        let names: Vec<String> = ranked.iter().map(|r| format!("{}. {}", r.rank, option_label(r, l))).collect();
        root.fill(&WHITE).map_err(err)?;
        let title = l.t(
            "政策包比较：全部目标达成概率与遗憾值（同一组随机情景配对比较）",
            "Lever packages: probability of meeting all targets, and regret (common random numbers)",
        );
        let (w, h) = root.dim_in_pixel();
        let titled = root.margin(20, 0, 0, 0).titled(title, (FAMILY, 34)).map_err(err)?;
        let body = titled.margin(10, 60, 10, 20);
        let (left, right) = body.split_horizontally((w as f64 * 0.58) as u32);
        let y_range = -0.5f64..(n as f64 - 0.5);

        let mut a = ChartBuilder::on(&left)
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(340)
            .build_cartesian_2d(0f64..100.0, y_range.clone())
            .map_err(err)?;
        a.configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| index_label(&names, *y))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc(l.t("全部目标达成概率 (%)", "P(all targets met) (%)"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let all: Vec<_> = ranked.iter().map(|r| r.all()).collect();
        a.draw_series(all.iter().enumerate().map(|(i, t)| {
            let y = i as f64;
            Rectangle::new([(0.0, y - 0.32), (t.p_met * 100.0, y + 0.32)], BLUE.filled())
        }))
        .map_err(err)?;
        a.draw_series(all.iter().enumerate().map(|(i, t)| {
            let y = i as f64;
            PathElement::new(vec![(t.ci.low * 100.0, y), (t.ci.high * 100.0, y)], DARK.stroke_width(2))
        }))
        .map_err(err)?;
        a.draw_series(all.iter().enumerate().map(|(i, t)| {
            let style = (FAMILY, 20).into_font().color(&DARK).pos(Pos::new(HPos::Left, VPos::Center));
            Text::new(l.percent(t.p_met), ((t.ci.high * 100.0 + 1.5).min(88.0), i as f64), style)
        }))
        .map_err(err)?;

        let most = ranked.iter().map(|r| r.regret.p90 as f64).fold(1.0, f64::max);
        let mut b = ChartBuilder::on(&right)
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(10)
            .build_cartesian_2d(0f64..(most * 1.15), y_range)
            .map_err(err)?;
        b.configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(l.t("遗憾值 (未达成目标项数)", "regret (targets missed)"))
            .label_style((FAMILY, 22))
            .axis_desc_style((FAMILY, 24))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        b.draw_series(ranked.iter().enumerate().map(|(i, r)| {
            let y = i as f64;
            Rectangle::new([(0.0, y - 0.32), (r.regret.mean, y + 0.32)], ORANGE.filled())
        }))
        .map_err(err)?
        .label(l.t("平均遗憾值", "mean regret"))
        .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], ORANGE.filled()));
        b.draw_series(ranked.iter().enumerate().map(|(i, r)| {
            let y = i as f64;
            let x = r.regret.p90 as f64;
            PathElement::new(vec![(x, y - 0.4), (x, y + 0.4)], DARK.stroke_width(4))
        }))
        .map_err(err)?
        .label(l.t("九成模拟情形不超过此值", "90th percentile"))
        .legend(|(x, y)| PathElement::new(vec![(x + 12, y - 10), (x + 12, y + 10)], DARK.stroke_width(4)));
        b.draw_series(ranked.iter().enumerate().map(|(i, r)| {
            let style = (FAMILY, 20).into_font().color(&DARK).pos(Pos::new(HPos::Left, VPos::Bottom));
            Text::new(format!("{:.2}", r.regret.mean), (r.regret.mean + most * 0.01, i as f64 + 0.05), style)
        }))
        .map_err(err)?;
        super::draw_legend(&mut b, SeriesLabelPosition::UpperRight, 20)?;

        let note = l.t(
            "遗憾值: 同一次模拟中, 表现最好的方案达成而本方案未达成的目标项数; 按平均遗憾值排序, 误差线为模拟误差范围 (95%)",
            "regret: targets the best option of the same trial meets and this one misses; ranked by mean regret; whiskers: 95% interval (Monte Carlo error)",
        );
        root.draw(&Text::new(note, (24, h as i32 - 30), (FAMILY, 20).into_font().color(&GREY))).map_err(err)?;
        Ok(())
    }
}
