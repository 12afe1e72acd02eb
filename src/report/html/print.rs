//! Printing report.html on A4 (a meeting pack): the page size, a cover line (单位, 日期, 情景,
//! 口径, 数据截至), the language switch hidden, table headers repeated on every page, no table
//! row, list item or chart split across pages, charts as wide as the page.
//!
//! Charts print from their print drawings (`charts::print_fit`: 840 units wide, so text of 18
//! units and more prints at 9 pt and more at the page's 186 mm), two standard charts (115 mm
//! high) to a page; the sentences that did not fit the print drawing print as its caption. Each
//! print drawing links to the chart's standalone SVG, which also lets a test find, in the PDF,
//! on which pages and how large each chart printed.

use super::escape;
use crate::report::charts::{ChartFile, Lang};
use crate::report::view::RunView;

/// The printed width of a chart, in mm: A4's 210 mm less the page margins.
pub const CHART_WIDTH_MM: f64 = 210.0 - 2.0 * 12.0;
/// Points of printed text for `units` of chart text in a print drawing at the printed width.
#[cfg(test)]
fn printed_points(units: f64) -> f64 {
    units * CHART_WIDTH_MM / crate::report::charts::print_fit::PRINT_WIDTH as f64 / 25.4 * 72.0
}

/// A chart's print drawing, linked to its standalone SVG, and its caption: shown only in print.
pub fn figure(c: &ChartFile) -> String {
    let svg = c.print_svg.find("<svg").map(|i| &c.print_svg[i..]).unwrap_or(&c.print_svg);
    let caption = if c.print_notes.is_empty() {
        String::new()
    } else {
        format!("<figcaption class=\"prt\">{}</figcaption>", escape(&c.print_notes.join(" ")))
    };
    format!("<a class=\"prt\" href=\"charts/{}/{}.svg\">{svg}</a>{caption}", c.lang.code(), c.name)
}

/// The print stylesheet.
pub fn css() -> String {
    format!(
        "@page{{size:A4;margin:14mm 12mm}}.cover{{color:#333;font-size:.9em;border-bottom:1px solid #999;padding-bottom:4px}}\
@media print{{body{{max-width:none;padding:0;font-size:10pt;line-height:1.4}}label.lang,input[name=lang]{{display:none!important}}\
h1{{font-size:15pt;margin:0 0 4mm}}h2{{font-size:12.5pt;break-after:avoid}}h3{{font-size:11pt;break-after:avoid}}\
thead{{display:table-header-group}}tr,li,p,.headline{{break-inside:avoid}}table{{font-size:9pt}}\
figure{{break-inside:avoid;margin:0 0 3mm;width:{w}mm}}figure .scr{{display:none}}figure .prt{{display:block}}\
figure a.prt svg{{width:{w}mm;height:auto}}figcaption{{font-size:9pt;color:#333}}}}.prt{{display:none}}",
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
    fn the_stylesheet_prints_on_a4_with_chart_text_of_at_least_9_points() {
        assert!(css().contains("@page{size:A4"));
        assert!(css().contains("thead{display:table-header-group}"));
        // the least text of a print drawing (18 px in plotters, 14.5 units in the SVG) and titles
        let least = crate::report::charts::print_fit::MIN_PX / 1.24;
        let (smallest, titles) = (printed_points(least), printed_points(30.65));
        assert!((9.0..9.5).contains(&smallest) && (18.0..20.0).contains(&titles), "{smallest} {titles}");
        assert!(css().contains("figure .scr{display:none}"), "screen drawings are not printed");
    }
}
