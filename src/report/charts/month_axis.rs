//! Month axes: ticks on Januaries (and Julys when a chart spans few years), drawn by hand, and
//! the as-of mark of a monitoring forecast. The ticks are hand-drawn because
//! plotters places f64 ticks at round numbers of months (2024-11, 2025-04, …), and its custom
//! key points do not take a label formatter on f64 axes.

use super::palette::DARK;
use super::{err, month_label, Lang, FAMILY};
use crate::month::Month;
use crate::summary::Summary;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Tick positions on a month-index axis from `from` to `to` (index 0 = `first`): every
/// January, or every January and July when that gives fewer than four ticks.
pub fn month_ticks(first: Month, from: f64, to: f64) -> Vec<f64> {
    let at = |months: &[u32]| -> Vec<f64> {
        ((from.ceil() as i32)..=(to.floor() as i32))
            .filter(|&i| months.contains(&first.plus(i).month()))
            .map(f64::from)
            .collect()
    };
    let yearly = at(&[1]);
    if yearly.len() >= 4 {
        yearly
    } else {
        at(&[1, 7])
    }
}

/// Draws the ticks from `from` to `to` on a chart whose mesh draws no x labels: a grid line from
/// `y_bottom` to `y_top`, a tick below the axis and the month under it. Call it before drawing
/// the data, so the grid lies underneath.
#[allow(clippy::too_many_arguments)]
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    summary: &Summary,
    from: f64,
    to: f64,
    y_bottom: f64,
    y_top: f64,
    size: u32,
    lang: Lang,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let Some(first) = summary.series.first().map(|r| r.month) else { return Ok(()) };
    let style = (FAMILY, size).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
    // a label that would run into the one before it (a narrow print canvas) is left out
    let mut last_right = i32::MIN;
    // the chart's coordinates are the canvas's; `root` may be a part of it (below a stamp's strip)
    let (ox, oy) = root.get_base_pixel();
    for x in month_ticks(first, from, to) {
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(x, y_bottom), (x, y_top)], BLACK.mix(0.2))))
            .map_err(err)?;
        let (px, py) = chart.backend_coord(&(x, y_bottom));
        let (px, py) = (px - ox, py - oy);
        root.draw(&PathElement::new(vec![(px, py), (px, py + 6)], BLACK)).map_err(err)?;
        let label = month_label(summary, x, lang);
        let half = (root.estimate_text_size(&label, &style).map_err(err)?.0 as f64 * 0.6).ceil() as i32;
        if px - half < last_right + 12 {
            continue;
        }
        last_right = px + half;
        root.draw(&Text::new(label, (px, py + 10), style.clone())).map_err(err)?;
    }
    Ok(())
}

/// Marks the as-of month of a forecast from observed progress: a dashed vertical line at `x`
/// from `y0` to `y1`, with its legend entry.
#[allow(clippy::too_many_arguments)]
pub fn draw_as_of<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    as_of: Month,
    x: f64,
    y0: f64,
    y1: f64,
    lang: Lang,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let style = DARK.mix(0.7).stroke_width(2);
    chart
        .draw_series(std::iter::once(DashedPathElement::new(vec![(x, y0), (x, y1)], 8, 6, style)))
        .map_err(err)?
        .label(match lang {
            Lang::Zh => format!("观测截至{}", crate::zh::month(as_of)),
            Lang::En => format!("observed to {as_of}"),
        })
        .legend(move |(x, y)| DashedPathElement::new(vec![(x + 12, y - 9), (x + 12, y + 9)], 4, 3, style));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_januaries_or_on_januaries_and_julys() {
        let first: Month = "2024-11".parse().unwrap();
        // 2024-11 … 2027-12: three Januaries, so Julys join them
        assert_eq!(month_ticks(first, 0.0, 37.0), vec![2.0, 8.0, 14.0, 20.0, 26.0, 32.0]);
        // from 2024-01 (index −10) over six years: Januaries only
        assert_eq!(month_ticks(first, -10.0, 62.0), vec![-10.0, 2.0, 14.0, 26.0, 38.0, 50.0, 62.0]);
    }

    /// A chart drawn below a stamp's strip (a part of the canvas, not all of it) gets its tick
    /// marks just under its own plot, not one strip lower, where they ran into the note.
    #[test]
    fn ticks_sit_under_the_plot_on_a_part_of_the_canvas() {
        use plotters::backend::BitMapBackend;
        super::super::register_font().unwrap();
        let summary: Summary = serde_json::from_value(serde_json::json!({
            "trials": 1, "targets": [], "all": {"p_met": 0.0, "ci": {"low": 0.0, "high": 0.0}},
            "blocks": [],
            "series": [{"month": "2024-11", "metric": "parks", "p5": 0, "p25": 0, "p50": 0, "p75": 0, "p95": 0, "mean": 0}]
        }))
        .unwrap();
        let (w, h, strip) = (400u32, 300u32, 52u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        let bottom = {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            let (_, rest) = root.split_vertically(strip);
            let mut chart = plotters::chart::ChartBuilder::on(&rest)
                .x_label_area_size(60)
                .build_cartesian_2d(0f64..37.0, 0f64..1.0)
                .unwrap();
            draw(&rest, &mut chart, &summary, 0.0, 37.0, 0.0, 1.0, 12, Lang::En).unwrap();
            let at = chart.backend_coord(&(2.0, 0.0));
            rest.present().unwrap();
            at
        };
        let dark = |x: i32, y: i32| buf[((y as u32 * w + x as u32) * 3) as usize] < 100;
        // the tick below 2025-01 (index 2): black in the 6 pixels under the plot's bottom edge
        let (px, py) = bottom;
        assert!((py + 1..py + 6).any(|y| dark(px, y)), "no tick under the plot at ({px}, {py})");
        assert!(!(py + strip as i32 + 1..py + strip as i32 + 6).any(|y| dark(px, y)), "tick one strip lower");
    }
}
