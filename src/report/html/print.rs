//! Printing report.html on A4 (a meeting pack): the page size, a cover line (单位, 日期, 情景,
//! 口径, 数据截至), the language switch hidden, table headers repeated on every page, no table
//! row, list item or chart split across pages, and chart text enlarged so that it prints at 9 pt
//! or more on a chart as wide as the page.

use super::escape;
use crate::report::charts::Lang;
use crate::report::view::RunView;

/// The printed width of a chart, in mm: A4's 210 mm less the page margins.
pub const CHART_WIDTH_MM: f64 = 210.0 - 2.0 * 12.0;
/// Charts are drawn 1600 units wide.
#[cfg(test)]
const CHART_UNITS: f64 = 1600.0;
/// The smallest chart text when printed, in SVG units: every smaller size is raised to it.
pub const MIN_CHART_TEXT_UNITS: f64 = 28.0;

/// Points of printed text for `units` of chart text at the printed chart width.
#[cfg(test)]
fn printed_points(units: f64) -> f64 {
    units * CHART_WIDTH_MM / CHART_UNITS / 25.4 * 72.0
}

/// The print stylesheet. Chart text sizes plotters writes (14.5 to 21 units for labels and
/// legends) are raised to [`MIN_CHART_TEXT_UNITS`] by attribute selectors.
pub fn css() -> String {
    let small: Vec<String> = (14..=27).map(|n| format!("svg text[font-size^=\"{n}\"]")).collect();
    format!(
        "@page{{size:A4;margin:14mm 12mm}}.cover{{color:#333;font-size:.9em;border-bottom:1px solid #999;padding-bottom:4px}}\
@media print{{body{{max-width:none;padding:0;font-size:10pt;line-height:1.4}}label.lang,input[name=lang]{{display:none!important}}\
h1{{font-size:15pt;margin:0 0 4mm}}h2{{font-size:12.5pt;break-after:avoid}}h3{{font-size:11pt;break-after:avoid}}\
thead{{display:table-header-group}}tr,li,p,.headline{{break-inside:avoid}}table{{font-size:9pt}}\
figure{{break-inside:avoid;margin:3mm 0;width:{w}mm}}figure svg{{width:{w}mm;height:auto}}\
{sel}{{font-size:{min}px}}}}",
        w = CHART_WIDTH_MM,
        sel = small.join(","),
        min = MIN_CHART_TEXT_UNITS
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
    fn chart_text_prints_at_nine_points_or_more() {
        assert!(printed_points(MIN_CHART_TEXT_UNITS) >= 9.0, "{}", printed_points(MIN_CHART_TEXT_UNITS));
        assert!(css().contains("@page{size:A4"));
        assert!(css().contains("svg text[font-size^=\"14\"]"));
    }
}
