//! The what-if sliders of run's report.html (issue 15 part 6): the grid in report_data.json,
//! embedded in the page per language, and — in headless Chromium — a slider moved by the URL
//! parameter `slider.<lever>=<value>` shows exactly the grid cell's numbers. Without chromium
//! the browser check says SKIPPED (.ci/run installs it).

use crate::common;
use crate::meeting_report::between;
use parkcast::report::charts::Lang;
use parkcast::whatif::sliders::{SliderCell, SliderGrid};
use std::path::{Path, PathBuf};

/// A baseline run with a small grid (200 trials a cell): its directory, report and grid.
fn run() -> &'static (tempfile::TempDir, String, SliderGrid) {
    static RUN: std::sync::OnceLock<(tempfile::TempDir, String, SliderGrid)> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let r = common::finish(common::command(
            dir.path(),
            &[
                "run",
                "--trials",
                "2000",
                "--criticality-trials",
                "0",
                "--effect-trials",
                "0",
                "--set",
                "report.slider_trials=200",
                "--out",
                "run",
            ],
        ));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(r.stderr.contains("what-if sliders: 42 grid cells of 200 paired trials"), "{}", r.stderr);
        assert!(r.stderr.contains("a slider grid of 42 cells of 200"), "the cost line counts the grid: {}", r.stderr);
        let read = |f: &str| std::fs::read_to_string(dir.path().join("run").join(f)).unwrap();
        let data: serde_json::Value = serde_json::from_str(&read("report_data.json")).unwrap();
        let grid: SliderGrid = serde_json::from_value(data["sliders"].clone()).unwrap();
        let html = read("report.html");
        (dir, html, grid)
    })
}

fn report_path() -> PathBuf {
    run().0.path().join("run").join("report.html")
}

/// The cell at the given lever values.
fn cell<'a>(g: &'a SliderGrid, values: &[f64]) -> &'a SliderCell {
    g.cells.iter().find(|c| c.values == values).unwrap_or_else(|| panic!("no cell at {values:?}"))
}

/// A probability as the page writes it (HTML-escaped, as a DOM dump shows it).
fn pct(l: Lang, p: f64) -> String {
    parkcast::report::html::escape(&l.percent(p))
}

/// The text of the `<td class="{class}">` of row `target` in the sliders table of `lang`.
fn shown(dom: &str, lang: &str, target: &str, class: &str) -> String {
    let table = between(dom, &format!("<table id=\"{lang}-sl-table\">"), "</table>");
    let row = between(table, &format!("data-target=\"{target}\">"), "</tr>");
    let cell = between(row, &format!("<td class=\"{class}\">"), "</td>");
    cell[cell.find('>').unwrap() + 1..].to_string()
}

#[test]
fn the_grid_is_in_report_data_and_on_both_pages() {
    let (_, html, g) = run();
    assert_eq!(g.trials, 200);
    assert_eq!(g.levers.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["parallel_approvals", "special_fund"]);
    assert_eq!(g.levers[0].values, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
    assert_eq!(g.cells.len(), 42);
    assert_eq!(g.targets.len(), 5);
    // common random numbers: every lever at its most can only bring parks forward
    let (off, most) = (cell(g, &[0.0, 0.0]), cell(g, &[12.0, 0.5]));
    assert!(most.targets[0].p_met > off.targets[0].p_met, "{} vs {}", most.targets[0].p_met, off.targets[0].p_met);
    for lang in ["zh", "en"] {
        assert!(html.contains(&format!("<section class=\"sliders\" id=\"{lang}-sliders\" hidden>")), "{lang}");
        assert!(html.contains(&format!("<table id=\"{lang}-sl-table\">")));
    }
    assert_eq!(html.matches("<script>").count(), 1, "one script for the page");
    assert!(!html.contains("<script src"), "no external script");
    // the Chinese section speaks Chinese: the levers' Chinese names, no keys in its text
    let zh = between(html, "<section class=\"sliders\" id=\"zh-sliders\"", "<script type=\"application/json\"");
    assert!(zh.contains("并联审批、双评合一") && zh.contains("取值范围0个月～12个月"), "{zh}");
    for english in ["parallel approvals", "special fund", "assumption"] {
        assert!(!zh.contains(english), "{english:?} on the Chinese page");
    }
}

/// The page's DOM after its scripts ran, opened at `file://…report.html{suffix}`.
fn dom(browser: &str, report: &Path, suffix: &str) -> String {
    let o = common::headless_url(
        browser,
        &["--virtual-time-budget=2000".into(), "--dump-dom".into()],
        &format!("file://{}{suffix}", report.display()),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_slider_moved_by_url_shows_the_grid_cells_numbers_in_chromium() {
    let (_, _, g) = run();
    let Some(browser) = common::chromium() else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: the sliders in headless Chromium (no chromium here; .ci/run installs it)"
        );
        return;
    };
    let report = report_path();
    // a query (and a value off the grid, 0.27, which snaps to 0.3) and a fragment
    for (suffix, values) in [
        ("?slider.parallel_approvals=6&slider.special_fund=0.27", [6.0, 0.3]),
        ("#slider.special_fund=0.1&slider.parallel_approvals=12", [12.0, 0.1]),
        ("", [0.0, 0.0]),
    ] {
        let d = dom(browser, &report, suffix);
        let c = cell(g, &values);
        for (lang, l) in [("zh", Lang::Zh), ("en", Lang::En)] {
            let section = between(&d, &format!("<section class=\"sliders\" id=\"{lang}-sliders\""), ">");
            assert!(!section.contains("hidden"), "the script shows the section: {section}");
            assert!(section.contains(&format!("data-values=\"{},{}\"", values[0], values[1])), "{suffix}: {section}");
            for (t, x) in g.targets.iter().zip(&c.targets) {
                assert_eq!(shown(&d, lang, t.id.key(), "p"), pct(l, x.p_met), "{suffix} {lang} {:?}", t.id);
                assert_eq!(
                    shown(&d, lang, t.id.key(), "ci"),
                    l.range(&pct(l, x.ci.low), &pct(l, x.ci.high)),
                    "{suffix} {lang} {:?}",
                    t.id
                );
                assert_eq!(
                    shown(&d, lang, t.id.key(), "med"),
                    parkcast::report::html::escape(&l.value(t.id, x.median))
                );
            }
            assert_eq!(shown(&d, lang, "all", "p"), pct(l, c.all.p_met), "{suffix} {lang} all");
            let headline = between(&d, &format!("id=\"{lang}-sliders\""), "</p><table");
            let headline = &headline[headline.find("sl-headline\">").unwrap()..];
            let all = format!("{}{}", l.t("概率约为", "is about "), pct(l, c.all.p_met));
            assert!(headline.contains(&all), "{suffix} {lang}: {headline}");
            // the fan is drawn for the first target, with its target line
            let fan = between(&d, &format!("id=\"{lang}-sliders\""), "</figure>");
            assert!(fan.contains("<figure class=\"sl-fan\" data-target=\"parks\"><svg"), "{lang}: no fan chart");
            assert!(fan.contains("stroke-dasharray=\"8 5\""), "{lang}: no target line");
        }
    }
}

#[test]
fn bad_sliders_are_refused_with_the_key_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "extends = \"baseline.toml\"\n[scenario]\nname = \"s\"\n[report]\nsliders = [\"levers.parallel_approvals\", \"levers.replacement\"]\nslider_steps = 12\n",
    )
    .unwrap();
    let r = common::parkcast(dir.path(), &["validate", "s.toml"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    common::assert_no_panic(&r.stderr);
    insta::assert_snapshot!(r.stderr.replace(&dir.path().display().to_string(), "<dir>"));
}
