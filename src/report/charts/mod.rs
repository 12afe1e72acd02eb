//! Charts drawn with plotters from numbers the stats layer computed (this code does no
//! statistics). Each chart is written as SVG and as PNG (1600 px wide, fit for a slide), in
//! Chinese or English. Text is rendered with a bundled Noto Sans SC subset (SIL OFL 1.1), so
//! Chinese shows on machines without any CJK font; in SVG files the font family names common
//! CJK fonts so viewers fall back gracefully.

mod bitmap;
mod compare;
mod contributions;
mod criticality;
mod distribution;
mod exceedance;
mod fan;
mod heatmap;
pub mod labels;
mod legend_place;
mod month_axis;
mod packages;
mod palette;
pub mod print_fit;
mod probability;
mod punctuated;
mod sobol;
mod sweep;
mod text_layer;
mod timeline;
pub(crate) mod tornado;
mod trajectory;
mod two_level;
pub mod waterfall;

pub use compare::CompareChart;
pub use criticality::MIN_HALF_SPAN_POINTS as CRITICALITY_MIN_HALF_SPAN_POINTS;
pub use heatmap::HeatMapChart;
pub use labels::Lang;
pub use packages::{option_label, PackagesChart};
pub use sobol::{SobolBar, SobolChart};
pub use sweep::SweepChart;
pub use tornado::{TornadoBar, TornadoChart};
pub use trajectory::TrajectoryChart;
pub use two_level::{BandRow, BandsChart, MeasureFirstChart, ShareBar};

use crate::report::view::RunView;
use crate::seeds::TargetId;
use crate::summary::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use punctuated::punctuated;
use std::path::Path;
use std::sync::OnceLock;

/// The bundled font (a subset of Noto Sans SC Regular; licence in assets/fonts/OFL.txt).
pub static FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-parkcast.otf");
/// The family name charts use; the bundled font is registered under it.
pub const FAMILY: &str = "sans-serif";
/// What SVG files ask viewers for instead: common CJK fonts first, then any sans-serif.
pub const SVG_FAMILY: &str = "'Noto Sans SC','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif";

/// Registers the bundled font with plotters (once per process).
pub fn register_font() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "the bundled font cannot be read".to_string())
    })
    .clone()
}

/// A chart that can be drawn on any plotters backend.
pub trait Chart {
    /// File stem, e.g. `fan_revenue`.
    fn name(&self) -> String;
    /// Size in pixels.
    fn size(&self) -> (u32, u32) {
        (1600, 900)
    }
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static;
}

/// A chart written to disk.
#[derive(Clone, Debug)]
pub struct ChartFile {
    pub name: String,
    pub lang: Lang,
    /// The SVG text (for inlining in the HTML report).
    pub svg: String,
    /// The same chart drawn for print (`print_fit`): its SVG, and the sentences that did not fit
    /// the narrower canvas, for the figure's caption.
    pub print_svg: String,
    pub print_notes: Vec<String>,
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Draws `chart` into `dir/<name>.svg` and `dir/<name>.png`.
pub fn render(chart: &impl Chart, lang: Lang, dir: &Path) -> Result<ChartFile, String> {
    render_stamped(chart, lang, dir, None)
}

/// The stamp every chart, title and headline of a run carries when its observations are only an
/// illustration (「示例数据，非实际进度」), in `lang`; `None` for any other run.
pub fn stamp(s: &RunView, lang: Lang) -> Option<&'static str> {
    s.monitoring
        .as_ref()
        .filter(|m| crate::report::view::illustrative(m))
        .map(|_| lang.t("示例数据，非实际进度", "ILLUSTRATIVE DATA, not actual progress"))
}

/// The height of the strip above a stamped chart that holds the stamp.
const STAMP_STRIP: u32 = 52;

/// A chart's canvas, taller by the stamp's strip when it carries one.
fn stamped_size((w, h): (u32, u32), stamp: Option<&str>) -> (u32, u32) {
    (w, h + if stamp.is_some() { STAMP_STRIP } else { 0 })
}

/// Draws `chart` on `area`; with a stamp, the chart below a strip holding the stamp in
/// vermillion on a white box at its left, so it covers neither title nor data.
fn draw_stamped<DB: DrawingBackend>(
    chart: &impl Chart,
    area: &DrawingArea<DB, Shift>,
    stamp: Option<&str>,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let Some(text) = stamp else { return chart.draw(area) };
    let (strip, rest) = area.split_vertically(STAMP_STRIP);
    chart.draw(&rest)?;
    strip.fill(&WHITE).map_err(err)?;
    let style = (FAMILY, 30).into_font().color(&palette::VERMILLION);
    let (w, h) = strip.estimate_text_size(text, &style).map_err(err)?;
    strip.draw(&Rectangle::new([(8, 6), (24 + w as i32, 20 + h as i32)], WHITE.filled())).map_err(err)?;
    strip
        .draw(&Rectangle::new([(8, 6), (24 + w as i32, 20 + h as i32)], palette::VERMILLION.stroke_width(3)))
        .map_err(err)?;
    strip.draw(&Text::new(text.to_string(), (16, 12), style)).map_err(err)
}

/// [`render`], with `stamp` drawn on the chart when given.
pub fn render_stamped(chart: &impl Chart, lang: Lang, dir: &Path, stamp: Option<&str>) -> Result<ChartFile, String> {
    register_font()?;
    let size = stamped_size(chart.size(), stamp);
    let mut svg = String::new();
    {
        let area = punctuated(SVGBackend::with_string(&mut svg, size), lang == Lang::Zh).into_drawing_area();
        draw_stamped(chart, &area, stamp)?;
        area.present().map_err(err)?;
    }
    let svg = svg.replace("font-family=\"sans-serif\"", &format!("font-family=\"{SVG_FAMILY}\""));
    let (print_svg, print_notes) = draw_print(chart, lang, stamp)?;
    let name = chart.name();
    std::fs::write(dir.join(format!("{name}.svg")), &svg).map_err(|e| format!("{name}.svg: {e}"))?;
    {
        let png = dir.join(format!("{name}.png"));
        let backend = bitmap::bitmap(BitMapBackend::new(&png, size)).ok_or("the bundled font does not parse")?;
        let area = punctuated(backend, lang == Lang::Zh).into_drawing_area();
        draw_stamped(chart, &area, stamp)?;
        area.present().map_err(|e| format!("{name}.png: {}", save_error(e)))?;
    }
    Ok(ChartFile { name, lang, svg, print_svg, print_notes })
}

/// `chart` drawn on its print canvas (`print_fit::print_size`): the SVG and the sentences moved
/// out of it.
fn draw_print(chart: &impl Chart, lang: Lang, stamp: Option<&str>) -> Result<(String, Vec<String>), String> {
    let mut svg = String::new();
    let moved;
    {
        let (fit, m) = print_fit::print_fit(SVGBackend::with_string(
            &mut svg,
            stamped_size(print_fit::print_size(chart.size()), stamp),
        ));
        moved = m;
        let area = punctuated(fit, lang == Lang::Zh).into_drawing_area();
        draw_stamped(chart, &area, stamp)?;
        area.present().map_err(err)?;
    }
    let notes = moved.borrow().clone();
    Ok((svg.replace("font-family=\"sans-serif\"", &format!("font-family=\"{SVG_FAMILY}\"")), notes))
}

/// Why a file could not be saved: the innermost I/O message where the error wraps one
/// (plotters' bitmap errors print only as nested debug structures).
fn save_error(e: impl std::fmt::Debug + std::fmt::Display) -> String {
    let debug = format!("{e:?}");
    for key in ["message: \"", "error: \""] {
        if let Some(rest) = debug.rfind(key).map(|start| &debug[start + key.len()..]) {
            if let Some(end) = rest.find('"') {
                return rest[..end].to_string();
            }
        }
    }
    e.to_string()
}

/// Every chart of a run in one language, written into `dir`.
pub fn render_all(
    s: &RunView,
    lang: Lang,
    dir: &Path,
    interrupted: &dyn Fn() -> bool,
) -> Result<Vec<ChartFile>, String> {
    let summary = &s.summary;
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut d = Drawer { lang, dir, stamp: stamp(s, lang), interrupted, out: Vec::new() };
    d.draw(&probability::Probabilities { s, summary, lang })?;
    let targeted = |id: &TargetId| summary.targets.iter().any(|t| t.id == *id);
    for id in TargetId::ALL.into_iter().filter(targeted) {
        d.draw(&fan::Fan { s, summary, lang, metric: id })?;
    }
    for id in TargetId::ALL.into_iter().filter(targeted) {
        d.draw(&distribution::Distribution { s, summary, lang, metric: id })?;
    }
    for id in TargetId::ALL.into_iter().filter(targeted) {
        d.draw(&exceedance::Exceedance { s, summary, lang, metric: id })?;
    }
    d.draw(&timeline::Timeline { s, summary, lang })?;
    // each contributions chart names its target in the title: only for targets of the set
    for id in
        [TargetId::Revenue, TargetId::Jobs, TargetId::TechSmes, TargetId::Specialized].into_iter().filter(targeted)
    {
        d.draw(&contributions::Contributions { s, summary, lang, metric: id })?;
    }
    for id in TargetId::ALL.into_iter().filter(targeted) {
        d.draw(&waterfall::Waterfall { s, lang, metric: id })?;
    }
    if let Some(c) = &s.criticality {
        for chart in criticality::charts(s, c, lang) {
            d.draw(&chart)?;
        }
    }
    Ok(d.out)
}

/// Draws a run's charts one by one, stopping before the next once `interrupted` says so (a
/// report of 26 charts per language takes seconds; SIGTERM must not wait for all of them).
struct Drawer<'a> {
    lang: Lang,
    dir: &'a Path,
    stamp: Option<&'a str>,
    interrupted: &'a dyn Fn() -> bool,
    out: Vec<ChartFile>,
}

impl Drawer<'_> {
    fn draw(&mut self, chart: &impl Chart) -> Result<(), String> {
        if (self.interrupted)() {
            return Err("interrupted".to_string());
        }
        self.out.push(render_stamped(chart, self.lang, self.dir, self.stamp)?);
        Ok(())
    }
}

/// An axis range plotters can draw, from `lo` to `hi`: plotters steps through its ticks in f64
/// and never ends on a range whose width is not finite (and asserts on NaN), so such a range is
/// an error; a range too narrow for the magnitude of its ends widens around its middle.
fn axis(lo: f64, hi: f64) -> Result<std::ops::Range<f64>, String> {
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        return Err(format!("an axis from {lo:?} to {hi:?} cannot be drawn"));
    }
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let least = (lo.abs().max(hi.abs()) * 1e-9).max(1e-9);
    if hi - lo < least {
        let mid = lo / 2.0 + hi / 2.0;
        return Ok(mid - least..mid + least);
    }
    Ok(lo..hi)
}

/// The scenario a chart shows, and for a forecast from observed progress its as-of month.
fn scenario_label(s: &RunView, lang: Lang) -> String {
    match (lang, &s.monitoring) {
        (_, None) => s.scenario_label(lang),
        (Lang::Zh, Some(m)) => format!("{}，截至{}", s.scenario_label(lang), crate::zh::month(m.as_of)),
        (Lang::En, Some(m)) => format!("{}, as of {}", s.scenario_label(lang), m.as_of),
    }
}

/// Month index → "2026-06" (in Chinese "2026年6月").
fn month_label(summary: &Summary, t: f64, lang: Lang) -> String {
    let months: Vec<_> = summary.series.iter().filter(|r| r.metric == TargetId::Parks).map(|r| r.month).collect();
    let i = t.round();
    let m = if i < 0.0 {
        months.first().map(|m| m.plus(i as i32))
    } else {
        months.get(i as usize).copied().or_else(|| months.last().map(|m| m.plus(i as i32 - months.len() as i32 + 1)))
    };
    m.map(|m| lang.month(m)).unwrap_or_default()
}

/// The label of a category axis at value `v`: the name at that index, only at whole values.
fn index_label(names: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 {
        names.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// The label of a ranked category axis drawn top-down (rank 1 at the top): row i sits at
/// y = n − 1 − i.
fn rank_label(labels: &[String], y: f64) -> String {
    index_label(labels, labels.len() as f64 - 1.0 - y)
}

/// The height of a ranked horizontal bar chart of `rows` rows, `px_per_row` each.
fn ranked_height(rows: usize, px_per_row: u32) -> u32 {
    (260 + px_per_row * rows as u32).max(600)
}

/// The width of a ranked chart's label area for `labels`.
fn ranked_label_width(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|s| s.chars().count()).max().unwrap_or(10) as u32;
    (longest * 12 + 30).clamp(120, 640)
}

/// Draws a chart's legend in the house style.
fn draw_legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    size: u32,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(palette::DARK.mix(0.3))
        .label_font((FAMILY, size))
        .draw()
        .map_err(err)
}

#[cfg(test)]
mod tests {
    use super::axis;

    #[test]
    fn axes_plotters_cannot_draw_are_refused_or_widened() {
        // a fan whose p95 is near f64::MAX: its top (× 1.12) overflows, and so does a width
        assert!(axis(0.0, 1.7e308 * 1.12).is_err());
        assert!(axis(-1.7e308, 1.7e308).is_err());
        assert!(axis(0.0, f64::NAN).is_err());
        // ordinary axes are left alone; reversed ends are put in order
        assert_eq!(axis(-3.0, 250.5), Ok(-3.0..250.5));
        assert_eq!(axis(5.0, 1.0), Ok(1.0..5.0));
        // a range of no width widens around its value
        let r = axis(1e15, 1e15).unwrap();
        assert!(r.start < 1e15 && r.end > 1e15 && r.end - r.start >= 1e6, "{r:?}");
        let r = axis(0.0, 0.0).unwrap();
        assert!(r.start < 0.0 && r.end > 0.0, "{r:?}");
    }
}
