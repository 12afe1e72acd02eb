//! report.html as a meeting document (issue 15): the first screen answers per target with the
//! numbers of the tables below, gives reasons and actions with responsible units, and the
//! Chinese page speaks Chinese — no scenario or target-set keys, no TOML, no half-width
//! punctuation in Chinese text.

use crate::common;
use parkcast::report::charts::Lang;
use parkcast::report::view::RunView;
use parkcast::seeds::TargetId;
use std::path::Path;

/// A baseline run's report and report data (one run for every test of this module).
pub(crate) fn baseline() -> &'static (String, RunView) {
    static RUN: std::sync::OnceLock<(String, RunView)> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let r = common::finish(common::command(
            dir.path(),
            &["run", "--trials", "3000", "--criticality-trials", "0", "--out", "run"],
        ));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let read = |f: &str| std::fs::read_to_string(Path::new(dir.path()).join("run").join(f)).unwrap();
        (read("report.html"), serde_json::from_str(&read("report_data.json")).unwrap())
    })
}

/// The part of `html` from `start` to the next `end`.
pub(crate) fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[i..];
    if end == "</section>" {
        return section(rest);
    }
    &rest[..rest.find(end).unwrap_or_else(|| panic!("no {end} after {start}"))]
}

/// The `<section>` `html` starts with, up to its own `</section>` (sections nest: the sliders'
/// section sits inside a language's).
fn section(html: &str) -> &str {
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let open = html[at..].find("<section").map(|k| at + k);
        let close = html[at..].find("</section>").map(|k| at + k).unwrap_or_else(|| panic!("unclosed <section>"));
        match open {
            Some(o) if o < close => {
                depth += 1;
                at = o + "<section".len();
            }
            _ => {
                depth -= 1;
                at = close + "</section>".len();
                if depth == 0 {
                    return &html[..close];
                }
            }
        }
    }
}

/// Text without tags, entities decoded.
fn text(html: &str) -> String {
    // scripts and their data (the sliders' grid) are not text the reader sees
    let mut visible = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        visible.push_str(&rest[..i]);
        rest = rest[i..].find("</script>").map_or("", |j| &rest[i + j + "</script>".len()..]);
    }
    visible.push_str(rest);
    let html = visible.as_str();
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push('\n');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// The cells of the table row `<tr data-target="key">` inside `table`.
pub(crate) fn cells(table: &str, key: &str) -> Vec<String> {
    let row = between(table, &format!("<tr data-target=\"{key}\">"), "</tr>");
    row.split("<td").skip(1).map(|c| text(&format!("<td{c}")).trim().to_string()).collect()
}

fn list_items(ul: &str) -> Vec<String> {
    ul.split("<li").skip(1).map(|li| text(&format!("<li{li}")).trim().to_string()).collect()
}

#[test]
fn the_first_screen_answers_each_target_with_the_tables_numbers() {
    let (html, view) = baseline();
    for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let section = between(html, &format!("<section class=\"{code}\""), "</section>");
        let first = between(section, &format!("id=\"{code}-first\""), "</div>");
        let table = between(section, &format!("id=\"{code}-targets\""), "</table>");
        let base_table = between(section, &format!("id=\"{code}-base-blocks\""), "</table>");
        let conclusions = between(first, &format!("id=\"{code}-conclusions\""), "</ul>");
        assert_eq!(view.summary.targets.len(), 5);
        for t in &view.summary.targets {
            let key = t.id.key();
            let li = text(between(conclusions, &format!("<li data-target=\"{key}\">"), "</li>"));
            let row = cells(table, key);
            // target value, P(met), low / median / high case: the table's cells, word for word
            let target_value = row[2].trim_start_matches("≥ ").to_string();
            // the epistemic band's column, when the run made its band pass, comes before the cases
            let e = usize::from(view.epistemic.is_some());
            assert_eq!(e, 1, "the baseline report shows the epistemic band");
            for (what, cell) in [
                ("target", &target_value),
                ("P(met)", &row[3]),
                ("low", &row[5 + e]),
                ("median", &row[6 + e]),
                ("high", &row[7 + e]),
            ] {
                assert!(li.contains(cell.as_str()), "{code} {key}: the {what} {cell:?} of the table is not in {li:?}");
            }
            // the gap between the median as printed and the target, in the target's unit (so
            // that the target value and the gap add up to the printed median)
            let median_cell = &row[6 + e];
            let digits: String = median_cell.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            let unit = match (lang, t.id) {
                (Lang::En, parkcast::seeds::TargetId::Jobs) if !median_cell.contains("thousand") => 1.0,
                _ => lang.unit(t.id).1,
            };
            let printed = digits.parse::<f64>().map(|v| v * unit).unwrap_or(t.p50);
            let gap = lang.value(t.id, (printed - t.threshold).abs());
            assert!(li.contains(&gap), "{code} {key}: gap {gap} not in {li:?}");
            let word = match (lang, t.p50 < t.threshold) {
                (Lang::Zh, true) => "差",
                (Lang::Zh, false) => "超出",
                (Lang::En, true) => "short",
                (Lang::En, false) => "above",
            };
            assert!(
                li.contains(&format!("{}{gap}", if lang == Lang::Zh { word } else { "" })) || li.contains(word),
                "{li}"
            );
            // the reading used
            assert!(li.contains(lang.t("口径", "Reading")), "{li}");
            if t.id == TargetId::Parks && lang == Lang::Zh {
                assert!(li.contains("20个左右"), "{li}");
            }
        }
        let reasons = list_items(between(first, &format!("id=\"{code}-reasons\""), "</ul>"));
        assert!(reasons.len() >= 3, "{reasons:?}");
        // the base's share quoted in the reasons is the base table's
        let base_reason =
            reasons.iter().find(|r| r.contains(lang.t("存量与区块", "Base and blocks"))).expect("base reason");
        for t in view.summary.targets.iter().filter(|t| t.id != TargetId::Parks) {
            let share = cells(base_table, t.id.key()).last().cloned().unwrap();
            assert!(base_reason.contains(&share), "{share} not in {base_reason}");
        }
        // by batch: the expected number built per batch is the batch table's
        let batch_table = between(section, &format!("id=\"{code}-batch\""), "</table>");
        let batch_reason = reasons.iter().find(|r| r.contains(lang.t("分批次", "By batch"))).expect("batch reason");
        for row in batch_table.split("<tr>").skip(2) {
            let c: Vec<String> =
                row.split("<td").skip(1).map(|c| text(&format!("<td{c}")).trim().to_string()).collect();
            assert!(batch_reason.contains(&c[3]), "{} not in {batch_reason}", c[3]);
        }
        let actions = list_items(between(first, &format!("id=\"{code}-actions\""), "</ul>"));
        let with_units = actions.iter().filter(|a| a.contains(lang.t("责任单位", "responsible"))).count();
        assert!(with_units >= 8, "every lever with its responsible units: {actions:?}");
        assert!(actions.iter().any(|a| a.contains("市经信局")), "{actions:?}");
        assert!(
            actions.iter().any(|a| a.contains(lang.t("请市统计局提供", "Request from the city statistics bureau"))),
            "{actions:?}"
        );
    }
}

#[test]
fn the_chinese_page_has_no_keys_no_toml_and_chinese_punctuation() {
    let (html, _) = baseline();
    let zh = text(between(html, "<section class=\"zh\"", "</section>"));
    let scenario_keys =
        ["baseline", "policy_package", "downturn", "draft_definition", "city_2027_final", "city_2027_draft"];
    for key in scenario_keys {
        assert!(!zh.contains(key), "the Chinese page shows the key {key}");
    }
    for toml in ["= {", "triangular", "base.revenue", "params.", "sha256"] {
        assert!(!zh.contains(toml), "the Chinese page shows {toml:?}");
    }
    // no half-width bracket, comma, colon or semicolon next to a Chinese character
    let chars: Vec<char> = zh.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if "(),;:".contains(*c) {
            let near = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| parkcast::zh::is_cjk(*c));
            let context: String = chars[i.saturating_sub(12)..(i + 12).min(chars.len())].iter().collect();
            assert!(!near(i.checked_sub(1)) && !near(Some(i + 1)), "half-width {c:?} in Chinese text: {context:?}");
        }
    }
    // block names keep their full-width brackets in the charts too
    assert!(zh.contains("嘉冶厂区（原嘉兴冶金机械厂）"), "block 11 as the annex writes it");
    assert!(zh.contains("基准情景"));
    assert!(!zh.contains("2027-12"), "Chinese dates read 2027年12月");
    // what the Chinese page leaves out is on the English page
    let en = text(between(html, "<section class=\"en\"", "</section>"));
    for kept in ["baseline", "city_2027_final", "= {", "sha256"] {
        assert!(en.contains(kept), "the English page keeps {kept:?}");
    }
}

/// The objects of a PDF Chromium wrote, by number (Skia writes pages and annotations as plain
/// objects, outside compressed streams).
fn pdf_objects(pdf: &str) -> std::collections::HashMap<u32, &str> {
    let mut out = std::collections::HashMap::new();
    for (i, _) in pdf.match_indices(" 0 obj\n") {
        let start = pdf[..i].rfind('\n').map_or(0, |n| n + 1);
        let Ok(id) = pdf[start..i].trim().parse::<u32>() else { continue };
        let body = &pdf[i + 7..];
        out.insert(id, &body[..body.find("endobj").unwrap_or(body.len())]);
    }
    out
}

/// The numbers inside `key [ … ]` of a PDF object.
fn pdf_numbers(obj: &str, key: &str) -> Vec<f64> {
    let Some(i) = obj.find(key) else { return Vec::new() };
    obj[i + key.len()..].split(']').next().unwrap_or("").split_whitespace().filter_map(|n| n.parse().ok()).collect()
}

/// A PDF's pages in order: each page's size in points and its links (URI, height in points,
/// width in points).
#[allow(clippy::type_complexity)]
fn pdf_pages(pdf: &[u8]) -> Vec<((f64, f64), Vec<(String, f64, f64)>)> {
    let text = String::from_utf8_lossy(pdf);
    let objects = pdf_objects(&text);
    // the page tree's root (the one node without a parent), read depth first: Chromium nests
    // /Pages nodes once there are more than a few pages
    let root = objects.values().find(|o| o.contains("/Type /Pages") && !o.contains("/Parent")).copied().unwrap();
    fn leaves<'a>(node: &'a str, objects: &std::collections::HashMap<u32, &'a str>, out: &mut Vec<&'a str>) {
        // "/Kids [2 0 R 10 0 R]" reads as 2, 0, 10, 0: every other number
        for k in pdf_numbers(node, "/Kids [").chunks(2) {
            let kid = objects[&(k[0] as u32)];
            if kid.contains("/Type /Pages") {
                leaves(kid, objects, out)
            } else {
                out.push(kid)
            }
        }
    }
    let mut pages = Vec::new();
    leaves(root, &objects, &mut pages);
    pages
        .into_iter()
        .map(|page| {
            let b = pdf_numbers(page, "/MediaBox [");
            let annots = pdf_numbers(page, "/Annots [");
            let links = annots
                .chunks(2)
                .filter_map(|a| {
                    let o = objects.get(&(a[0] as u32))?;
                    let uri = o.split("/URI (").nth(1)?.split(')').next()?.to_string();
                    let r = pdf_numbers(o, "/Rect [");
                    Some((uri, r[3] - r[1], r[2] - r[0]))
                })
                .collect();
            ((b[2] - b[0], b[3] - b[1]), links)
        })
        .collect()
}

/// The least font size in the print drawings of `html`'s Chinese section, in SVG units.
fn least_print_font(html: &str) -> f64 {
    let zh = between(html, "<section class=\"zh\"", "</section>");
    zh.split("<a class=\"prt\"")
        .skip(1)
        .flat_map(|a| {
            let a = &a[..a.find("</a>").unwrap()];
            a.split("font-size=\"").skip(1).filter_map(|f| f.split('"').next()?.parse::<f64>().ok()).collect::<Vec<_>>()
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn the_report_prints_on_a4_with_no_chart_split_and_chart_text_of_9_points() {
    let (html, _) = baseline();
    assert!(html.contains("@page{size:A4"), "A4 print stylesheet");
    assert!(html.contains("thead{display:table-header-group}"));
    assert!(html.contains("单位：市经信局 · 日期："), "cover line");
    assert!(!html.contains("<table><tr><th>"), "every table's header row is a thead, repeated on each page");
    let least = least_print_font(html);
    let Some(browser) = common::chromium() else {
        use std::io::Write;
        let _ =
            writeln!(std::io::stderr(), "SKIPPED: printing report.html to PDF (no chromium here; .ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    std::fs::write(&report, html).unwrap();
    let pdf = dir.path().join("report.pdf");
    let o = common::headless(
        browser,
        &["--no-pdf-header-footer".into(), format!("--print-to-pdf={}", pdf.display())],
        &report,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    assert!(!pages.is_empty(), "no pages found in the PDF");
    // A4 is 595 × 842 points
    for ((w, h), _) in &pages {
        assert!((w - 595.3).abs() < 2.0 && (h - 841.9).abs() < 2.0, "page of {w} × {h} pt, not A4");
    }
    // each chart's print drawing links to its SVG: on which pages, how large
    let mut on_pages: std::collections::BTreeMap<String, (Vec<usize>, f64, f64)> = Default::default();
    for (i, (_, links)) in pages.iter().enumerate() {
        for (uri, h, w) in links.iter().filter(|l| l.0.contains("/charts/zh/")) {
            let e = on_pages.entry(uri.clone()).or_default();
            if !e.0.contains(&i) {
                e.0.push(i);
            }
            if *h > e.1 {
                (e.1, e.2) = (*h, *w);
            }
        }
    }
    assert!(on_pages.len() >= 20, "{} charts printed", on_pages.len());
    for (uri, (ps, h, w)) in &on_pages {
        assert_eq!(ps.len(), 1, "{uri} split across pages {ps:?}");
        // 186 mm wide (527 pt); its least text at that size, in points
        assert!((500.0..530.0).contains(w), "{uri} printed {w} pt wide");
        let points = least * w / 840.0;
        assert!(points >= 9.0, "{uri}: text of {points:.1} pt");
        assert!(*h < 760.0, "{uri} taller than a page ({h} pt)");
    }
    // the standard charts (115 mm high) print two to a page
    let pairs = pages
        .iter()
        .filter(|(_, links)| {
            let mut uris: Vec<&str> =
                links.iter().filter(|l| l.0.contains("/charts/zh/")).map(|l| l.0.as_str()).collect();
            uris.dedup();
            uris.len() == 2
        })
        .count();
    assert!(pairs >= 6, "{pairs} pages hold two charts");
    // the Chinese page only (the switch's default): first screen, tables and 26 charts
    eprintln!("report.html prints on {} A4 pages; least chart text {:.1} pt", pages.len(), least * 527.2 / 840.0);
    assert!((20..=34).contains(&pages.len()), "{} pages", pages.len());
}

#[test]
fn a_scenario_label_that_is_not_chinese_or_uses_half_width_punctuation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (label, says) in [
        ("Baseline", "has no Chinese characters"),
        ("基准情景(测试)", "uses the half-width '('"),
        ("", "an empty label"),
    ] {
        let text = format!("extends = \"baseline.toml\"\n[scenario]\nname = \"mine\"\nlabel_zh = {label:?}\n");
        std::fs::write(dir.path().join("mine.toml"), text).unwrap();
        let r = common::finish(common::command(dir.path(), &["validate", "mine.toml"]));
        assert_eq!(r.code, Some(2), "{label:?}: {}", r.stderr);
        assert!(r.stderr.contains("scenario.label_zh") && r.stderr.contains(says), "{label:?}: {}", r.stderr);
        assert!(r.stderr.contains("mine.toml"), "{}", r.stderr);
    }
    // a good label is taken, and a child scenario does not inherit its parent's
    std::fs::write(
        dir.path().join("mine.toml"),
        "extends = \"baseline.toml\"\n[scenario]\nname = \"mine\"\nlabel_zh = \"我的情景（测试）\"\n",
    )
    .unwrap();
    let r = common::finish(common::command(dir.path(), &["validate", "mine.toml"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// The cell `<td data-target="key">` of the effects table's row for `lever`.
fn effect_cell(table: &str, lever: &str, key: &str) -> String {
    let row = between(table, &format!("<tr data-lever=\"{lever}\">"), "</tr>");
    text(between(row, &format!("<td data-target=\"{key}\">"), "</td>")).trim().to_string()
}

#[test]
fn the_first_screens_actions_quote_the_levers_measured_effects_and_compare_agrees() {
    let (html, view) = baseline();
    let e = view.effects.as_ref().expect("a run measures its levers by default");
    assert_eq!(e.trials, 3000, "paired with the run's 3,000 trials");
    assert_eq!(e.levers.len(), parkcast::scenario::LEVERS.len());
    let keys: Vec<&str> = view.summary.targets.iter().map(|t| t.id.key()).chain(["all"]).collect();
    for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let section = between(html, &format!("<section class=\"{code}\""), "</section>");
        let first = between(section, &format!("id=\"{code}-first\""), "</div>");
        let actions = list_items(between(first, &format!("id=\"{code}-actions\""), "</ul>"));
        let table = between(section, &format!("id=\"{code}-effects\""), "</table>");
        let mut levers: Vec<(String, String)> =
            vec![("package".into(), lang.t("全部措施同时实施", "All levers together").into())];
        for x in &e.levers {
            let d = parkcast::scenario::levers::lever_def(&x.lever).unwrap();
            levers.push((x.lever.clone(), lang.t(d.label_zh, d.label_en).into()));
        }
        for (lever, label) in &levers {
            let li = actions
                .iter()
                .find(|a| a.starts_with(label.as_str()))
                .unwrap_or_else(|| panic!("{code}: no action for {lever}"));
            // the change for all targets, and the target it moves most, are the table's cells
            let all = effect_cell(table, lever, "all");
            assert!(li.contains(&all), "{code} {lever}: {li:?} lacks the table's {all:?}");
            let quoted = keys.iter().filter(|k| li.contains(&effect_cell(table, lever, k))).count();
            assert!(
                quoted >= 2 || li.contains(lang.t("变化均不足0.1个百分点", "no target moves by 0.1 points")),
                "{code} {lever}: {li:?} quotes no target's cell"
            );
            if *lever != "package" {
                let d = parkcast::scenario::levers::lever_def(lever).unwrap();
                let unit = lang.t(d.departments[0], d.departments[0]);
                let unit = unit.split(" (").next().unwrap();
                assert!(li.contains(unit), "{code} {lever}: {li:?} names no responsible unit");
            }
        }
    }
    // the package's effect is what `compare` reports for the policy package against the
    // baseline on the same seed and trials: the same paired trials, the same numbers
    let dir = tempfile::tempdir().unwrap();
    let r = common::finish(common::command(
        dir.path(),
        &["compare", "baseline", "policy_package", "--trials", "3000", "--out", "cmp"],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let compare = std::fs::read_to_string(dir.path().join("cmp").join("report.html")).unwrap();
    for code in ["zh", "en"] {
        let run_section = between(html, &format!("<section class=\"{code}\""), "</section>");
        let run_table = between(run_section, &format!("id=\"{code}-effects\""), "</table>");
        let section = between(&compare, &format!("<section class=\"{code}\""), "</section>");
        let table = between(section, &format!("id=\"{code}-compare\""), "</table>");
        let conclusions = text(between(section, &format!("id=\"{code}-conclusions\""), "</ul>"));
        for key in &keys {
            let row = between(table, &format!("<tr data-scenario=\"policy_package\" data-target=\"{key}\">"), "</tr>");
            let cells: Vec<String> =
                row.split("<td").skip(1).map(|c| text(&format!("<td{c}")).trim().to_string()).collect();
            assert_eq!(cells[4], effect_cell(run_table, "package", key), "{code} {key}");
            // the conclusion quotes the table's P(met)
            assert!(conclusions.contains(&cells[2]), "{code} {key}: {conclusions:?} lacks {}", cells[2]);
        }
        if code == "zh" {
            assert!(!text(section).contains("policy_package"), "no ids on the Chinese page");
            assert!(text(section).contains("政策组合情景") && text(section).contains("个百分点"));
        }
    }
}

#[test]
fn tornado_writes_a_report_whose_first_screen_quotes_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let r = common::finish(common::command(
        dir.path(),
        &["tornado", "--trials", "200", "--target", "all", "--top", "4", "--out", "t"],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join("t").join("report.html")).unwrap();
    for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let section = between(&html, &format!("<section class=\"{code}\""), "</section>");
        let table = between(section, &format!("id=\"{code}-tornado\""), "</table>");
        let rows = table.matches("<tr data-target=\"all\"").count();
        assert_eq!(rows, 4, "{code}: --top 4");
        let reason = text(between(section, &format!("id=\"{code}-reasons\""), "</ul>"));
        // the first factor's P(met) low and high are the table's
        let row = between(table, "<tr data-target=\"all\"", "</tr>");
        let cells: Vec<String> =
            row.split("<td").skip(1).map(|c| text(&format!("<td{c}")).trim().to_string()).collect();
        assert!(
            reason.contains(&cells[1]) && reason.contains(&cells[3]) && reason.contains(&cells[4]),
            "{code}: {reason:?} vs {cells:?}"
        );
        assert!(section.contains("<svg"), "{code}: the charts are inlined");
        let _ = lang;
    }
    assert!(!text(between(&html, "<section class=\"zh\"", "</section>")).contains("baseline"));
}
