//! Block timeline: one row per block, the 10–90 % range and median of its start (thin) and of
//! its delivery (thick), coloured by start status (in a monitoring forecast: by the block's
//! status at the as-of month), with the planned start and the deadline marked.

use super::palette::{BLUE, DARK, GREEN, GREY, ORANGE, SKY, VERMILLION};
use super::{err, scenario_label, Chart, Lang, FAMILY};
use crate::monitor::at_risk::Status;
use crate::month::Month;
use crate::report::view::RunView;
use crate::seeds::kinds::StartStatusKind;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct Timeline<'a> {
    pub s: &'a RunView,
    pub summary: &'a Summary,
    pub lang: Lang,
}

fn status_color(k: StartStatusKind) -> RGBColor {
    match k {
        StartStatusKind::Started => GREEN,
        StartStatusKind::Planned => BLUE,
        StartStatusKind::Undetermined => ORANGE,
    }
}

/// The current status of a monitored block: its colour and its name (已建成投运 / 在建 / 滞后 /
/// 未开工 / 已调出, or 无监测数据).
fn current(status: Status) -> (RGBColor, &'static str, &'static str) {
    match status {
        Status::Delivered => (GREEN, "已建成投运", "operating"),
        Status::OnSchedule => (BLUE, "在建", "under construction"),
        Status::Late => (VERMILLION, "滞后", "behind schedule"),
        Status::NotStarted => (ORANGE, "未开工", "not started"),
        Status::Removed => (GREY, "已调出", "removed"),
        Status::NotObserved => (SKY, "无监测数据", "not observed"),
    }
}

/// The order the legend lists current statuses in.
const CURRENT: [Status; 6] =
    [Status::Delivered, Status::OnSchedule, Status::Late, Status::NotStarted, Status::Removed, Status::NotObserved];

impl Timeline<'_> {
    /// A monitoring forecast's current status of block `id` (`None` without monitoring, or for
    /// a block the at-risk list does not hold).
    fn status(&self, id: u32) -> Option<Status> {
        self.s.monitoring.as_ref().and_then(|m| m.blocks.iter().find(|r| r.id == id)).map(|r| r.status)
    }

    /// Whether a monitoring forecast observed block `id` leaving the list.
    fn removed(&self, id: u32) -> bool {
        self.status(id) == Some(Status::Removed)
    }

    /// The colour of block `id`'s bars: its current status when monitored, else the annex's
    /// start status.
    fn color(&self, id: u32) -> RGBColor {
        match (self.s.monitoring.is_some(), self.status(id)) {
            (true, Some(st)) => current(st).0,
            (true, None) => current(Status::NotObserved).0,
            (false, _) => status_color(self.s.block(id).status()),
        }
    }
}

impl Chart for Timeline<'_> {
    fn name(&self) -> String {
        "timeline".into()
    }

    fn size(&self) -> (u32, u32) {
        (1600, 1100)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let l = self.lang;
        let first = self.summary.series.first().ok_or("no months to draw")?.month;
        let months = self.summary.series.iter().filter(|r| r.metric == crate::seeds::TargetId::Parks).count() as f64;
        let idx = |m: Option<Month>| m.map(|m| m.since(first) as f64).unwrap_or(months);
        // (a delivery is never before its start; both count, so no bar can start left of the axis)
        let earliest =
            self.summary.blocks.iter().map(|b| idx(b.start_p10).min(idx(b.delivery_p10))).fold(0.0, f64::min) - 1.0;
        // A column right of the horizon for each block's P(delivered by the deadline), so that a
        // block mostly delivered later reads as a probability, not as a mark at the edge.
        let column = ((months - earliest) * 0.17).max(5.0);
        let right = months + column;
        let n = self.summary.blocks.len();
        let names: Vec<String> = self
            .summary
            .blocks
            .iter()
            .map(|b| {
                let block = self.s.block(b.id);
                let label = super::labels::block_label(b.id, &block.name_zh, &block.name_en, l, 16, 34);
                if self.removed(b.id) {
                    format!("{label} {}", l.t("(已调出)", "(removed)"))
                } else {
                    label
                }
            })
            .collect();
        root.fill(&WHITE).map_err(err)?;
        let title = match l {
            Lang::Zh => format!("各区块开工与投运时间（10%～90%区间与中位数，{}）", scenario_label(self.s, l)),
            Lang::En => format!("Block start and delivery (10–90% range and median, {})", scenario_label(self.s, l)),
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 36))
            .margin(24)
            .x_label_area_size(60)
            .y_label_area_size(if l == Lang::Zh { 330 } else { 470 })
            .build_cartesian_2d(super::axis(earliest, right)?, (n as f64 - 0.5)..-0.7)
            .map_err(err)?;
        let summary = self.summary;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| super::index_label(&names, *y))
            .disable_x_mesh()
            .x_labels(0)
            .label_style((FAMILY, 20))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        super::month_axis::draw(root, &mut chart, summary, earliest, months - 1.0, n as f64 - 0.5, -0.7, 20, l)?;
        let deadline = self.s.target_set.deadline.since(first) as f64 + 1.0;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(months, -0.7), (right, n as f64 - 0.5)],
                RGBColor(241, 241, 241).filled(),
            )))
            .map_err(err)?;
        let header = match l {
            Lang::Zh => "截止前投运概率".to_string(),
            Lang::En => format!("delivered by {}", self.s.target_set.deadline),
        };
        let centre = |size: u32| (FAMILY, size).into_font().color(&DARK).pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(header, ((months + right) / 2.0, -0.5), centre(18))))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(deadline, -0.7), (deadline, n as f64 - 0.5)],
                10,
                6,
                VERMILLION.stroke_width(3),
            )))
            .map_err(err)?
            .label(match l {
                Lang::Zh => format!("截止{}", l.month(self.s.target_set.deadline)),
                Lang::En => format!("deadline {}", self.s.target_set.deadline),
            })
            .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 24, y)], 6, 4, VERMILLION.stroke_width(3)));
        for (i, b) in self.summary.blocks.iter().enumerate() {
            let c = self.color(b.id);
            let y = i as f64;
            let (s10, s50, s90) = (idx(b.start_p10), idx(b.median_start), idx(b.start_p90));
            let (d10, d50, d90) = (idx(b.delivery_p10), idx(b.median_delivery), idx(b.delivery_p90));
            if b.start_p10.is_some() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(s10, y - 0.33), (s90.max(s10 + 0.2), y - 0.13)],
                        c.mix(0.45).filled(),
                    )))
                    .map_err(err)?;
            }
            if b.median_start.is_some() {
                chart.draw_series(std::iter::once(Circle::new((s50, y - 0.23), 6, c.filled()))).map_err(err)?;
            }
            if b.delivery_p10.is_some() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(d10, y - 0.05), (d90.max(d10 + 0.2), y + 0.3)],
                        c.filled(),
                    )))
                    .map_err(err)?;
            }
            if b.median_delivery.is_some() {
                chart
                    .draw_series(std::iter::once(TriangleMarker::new((d50, y + 0.12), 9, DARK.filled())))
                    .map_err(err)?;
            }
            if let Some(m) = self.s.block(b.id).planned_start {
                // the planned start: a dark tick across the start bar's row
                let x = m.since(first) as f64;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, y - 0.42), (x, y - 0.04)],
                        DARK.stroke_width(3),
                    )))
                    .map_err(err)?;
            }
            let p = super::labels::rounded_percent(b.p_delivered_deadline);
            chart.draw_series(std::iter::once(Text::new(p, ((months + right) / 2.0, y), centre(22)))).map_err(err)?;
        }
        if let Some(m) = &self.s.monitoring {
            let x = m.as_of.since(first) as f64 + 1.0;
            super::month_axis::draw_as_of(&mut chart, m.as_of, x, -0.7, n as f64 - 0.5, l)?;
        }
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
            .map_err(err)?
            .label(l.t("计划开工时间（只定年份的记为当年12月）", "planned start (a year only: its December)"))
            .legend(|(x, y)| PathElement::new(vec![(x + 12, y - 9), (x + 12, y + 9)], DARK.stroke_width(3)));
        if self.s.monitoring.is_some() {
            // colours: each block's status at the as-of month (blocks the list does not hold
            // read as not observed)
            let shown =
                |st: Status| self.summary.blocks.iter().any(|b| self.status(b.id).unwrap_or(Status::NotObserved) == st);
            for st in CURRENT.into_iter().filter(|st| shown(*st)) {
                let (c, zh, en) = current(st);
                chart
                    .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                    .map_err(err)?
                    .label(l.t(zh, en))
                    .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], c.filled()));
            }
        } else {
            // colours: the start status the annex gives
            for (k, label_zh, label_en) in [
                (StartStatusKind::Started, "已开工", "started"),
                (StartStatusKind::Planned, "计划开工", "planned"),
                (StartStatusKind::Undetermined, "开工时间未定", "undetermined"),
            ] {
                let c = status_color(k);
                chart
                    .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                    .map_err(err)?
                    .label(l.t(label_zh, label_en))
                    .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], c.filled()));
            }
        }
        super::draw_legend(&mut chart, SeriesLabelPosition::LowerLeft, 20)?;
        let note = l.t(
            "细条: 开工 (圆点为中位数); 粗条: 建成投运 (三角为中位数); 条延伸至灰色栏表示晚于预测期末, 无标记表示中位数晚于期末",
            "thin bar: start (dot = median); thick bar: delivery (triangle = median); bars reaching the grey column continue beyond the horizon; no mark: median beyond the horizon",
        );
        let (_, h) = root.dim_in_pixel();
        root.draw(&Text::new(note, (30, h as i32 - 26), (FAMILY, 19).into_font().color(&DARK))).map_err(err)?;
        Ok(())
    }
}
