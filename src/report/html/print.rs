//! Printing report.html on A4 (a meeting pack): the page size, a cover line (单位, 日期, 情景,
//! 口径, 数据截至), the language switch hidden, table headers repeated on every page, no table
//! row, list item or chart split across pages, charts as wide as the page.
//!
//! Chart text is not enlarged for print: a chart's legend box is sized for its text when the
//! chart is drawn, so larger text would be clipped. At page width (186 mm for 1600 units) the
//! charts' labels print at about 5–6 pt and titles at about 10 pt (`printed_points`); text of
//! 9 pt and more needs charts drawn for print.

use super::escape;
use crate::report::charts::Lang;
use crate::report::view::RunView;

/// The printed width of a chart, in mm: A4's 210 mm less the page margins.
pub const CHART_WIDTH_MM: f64 = 210.0 - 2.0 * 12.0;
/// Charts are drawn 1600 units wide.
#[cfg(test)]
const CHART_UNITS: f64 = 1600.0;
/// Points of printed text for `units` of chart text at the printed chart width.
#[cfg(test)]
fn printed_points(units: f64) -> f64 {
    units * CHART_WIDTH_MM / CHART_UNITS / 25.4 * 72.0
}

/// The print stylesheet.
pub fn css() -> String {
    format!(
        "@page{{size:A4;margin:14mm 12mm}}.cover{{color:#333;font-size:.9em;border-bottom:1px solid #999;padding-bottom:4px}}\
@media print{{body{{max-width:none;padding:0;font-size:10pt;line-height:1.4}}label.lang,input[name=lang]{{display:none!important}}\
h1{{font-size:15pt;margin:0 0 4mm}}h2{{font-size:12.5pt;break-after:avoid}}h3{{font-size:11pt;break-after:avoid}}\
thead{{display:table-header-group}}tr,li,p,.headline{{break-inside:avoid}}table{{font-size:9pt}}\
figure{{break-inside:avoid;margin:3mm 0;width:{w}mm}}figure svg{{width:{w}mm;height:auto}}}}",
        w = CHART_WIDTH_MM
    )
}

/// The cover line: issuing unit, date, scenario, target set (口径) and the data's date.
pub fn cover(s: &RunView, l: Lang) -> String {
    let date = super::zh_date(&s.meta.date);
    let data = match (&s.monitoring, l) {
        (Some(m), _) => l.month(m.as_of),
        (None, Lang::Zh) => "2024年11月（实施意见附件）".into(),
        (None, Lang::En) => "2024-11 (the policy's annex)".into(),
    };
    let text = match l {
        Lang::Zh => format!(
            "单位：市经信局 · 日期：{date} · 情景：{} · 口径：{} · 数据截至：{data}",
            s.scenario_label(l),
            s.target_set.label_zh
        ),
        Lang::En => format!(
            "Unit: Jiaxing Economy and Information Bureau · date: {} · scenario: {} · targets: {} · data as of: {data}",
            s.meta.date.get(..10).unwrap_or(&s.meta.date),
            s.scenario_label(l),
            s.target_set.label_en
        ),
    };
    format!("<p class=\"cover\">{}</p>", escape(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_prints_on_a4_and_says_how_large_chart_text_prints() {
        assert!(css().contains("@page{size:A4"));
        assert!(css().contains("thead{display:table-header-group}"));
        // tick labels (20 px in plotters, 16.1 units in the SVG) and titles (38 px, 30.6 units)
        let (ticks, titles) = (printed_points(16.13), printed_points(30.65));
        assert!((5.0..6.0).contains(&ticks) && (9.0..11.0).contains(&titles), "{ticks} {titles}");
    }
}
