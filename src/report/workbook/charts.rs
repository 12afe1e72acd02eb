//! 图表: a native Excel line chart of each target's fan, read from the time series sheet — the
//! 5–95 % and 25–75 % band edges, the median and the target — so it can be restyled, copied
//! into slides or extended in Excel.

use super::summary::SERIES_SHEET;
use crate::report::view::RunView;
use crate::seeds::TargetId;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartLine, ChartLineDashType, Color, Workbook, XlsxError,
};

/// Columns of the time series sheet (see `summary::series`).
const MONTH: u16 = 0;
const P5: u16 = 2;
const P25: u16 = 3;
const P50: u16 = 4;
const P75: u16 = 5;
const P95: u16 = 6;
const THRESHOLD: u16 = 8;

/// Rows a chart takes on the sheet, and its size in pixels.
const CHART_ROWS: u32 = 22;
const WIDTH: u32 = 720;
const HEIGHT: u32 = 400;

/// Adds the 图表 sheet: one chart per target of the run, two per row of charts; `first` is the
/// time series sheet's first row of data.
pub fn add(book: &mut Workbook, view: &RunView, first: u32) -> Result<(), XlsxError> {
    let series = &view.summary.series;
    let mut charts = Vec::new();
    for t in &view.summary.targets {
        let rows: Vec<usize> = (0..series.len()).filter(|&i| series[i].metric == t.id).collect();
        let (Some(&lo), Some(&hi)) = (rows.first(), rows.last()) else { continue };
        debug_assert_eq!(hi + 1 - lo, rows.len(), "a metric's months are consecutive rows");
        let (r0, r1) = (first + lo as u32, first + hi as u32);
        charts.push(fan(t.id, t.p_met, (r0, r1))?);
    }
    let ws = book.add_worksheet();
    ws.set_name("图表 charts")?;
    ws.set_paper_size(9).set_landscape();
    ws.write_string(0, 0, "各目标的扇形图：5%～95%与25%～75%区间的边界、中位数和目标值（数据见“时间序列”表）· fan of each target: band edges, median and target (data: the series sheet)")?;
    for (i, chart) in charts.iter().enumerate() {
        let (row, col) = (1 + (i as u32 / 2) * CHART_ROWS, (i as u16 % 2) * 12);
        ws.insert_chart(row, col, chart)?;
    }
    Ok(())
}

fn line(color: u32, width: f64, dash: ChartLineDashType) -> ChartFormat {
    let mut f = ChartFormat::new();
    f.set_line(ChartLine::new().set_color(Color::RGB(color)).set_width(width).set_dash_type(dash));
    f
}

fn fan(id: TargetId, p_met: f64, (r0, r1): (u32, u32)) -> Result<Chart, XlsxError> {
    let mut chart = Chart::new_line();
    chart.title().set_name(&format!("{} {} · 达标概率 P(met) {:.1}%", id.label_zh(), id.label_en(), p_met * 100.0));
    chart.set_width(WIDTH).set_height(HEIGHT);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    if id == TargetId::Revenue {
        chart.y_axis().set_num_format("0\\.00,,\"亿元\"");
    } else {
        chart.y_axis().set_num_format("#,##0");
    }
    let band = 0x9DC3E6;
    let parts: [(&str, u16, ChartFormat); 6] = [
        ("P5", P5, line(band, 1.0, ChartLineDashType::Dash)),
        ("P25", P25, line(0x2E75B6, 1.25, ChartLineDashType::Solid)),
        ("中位数 median", P50, line(0x1F3864, 2.5, ChartLineDashType::Solid)),
        ("P75", P75, line(0x2E75B6, 1.25, ChartLineDashType::Solid)),
        ("P95", P95, line(band, 1.0, ChartLineDashType::Dash)),
        ("目标 target", THRESHOLD, line(0xC00000, 1.5, ChartLineDashType::LongDash)),
    ];
    for (name, col, mut format) in parts {
        chart
            .add_series()
            .set_name(name)
            .set_categories((SERIES_SHEET, r0, MONTH, r1, MONTH))
            .set_values((SERIES_SHEET, r0, col, r1, col))
            .set_format(&mut format);
    }
    Ok(chart)
}
