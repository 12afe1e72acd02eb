//! `report.html` of `parkcast packages`: the lever packages ranked by regret, with P(all
//! targets met), each target's P(met), the paired change against the status quo, what each
//! package sets, what it costs and who is responsible. Chinese and English, as the run report.

use super::{escape, figure, font_face, pct, print, CSS};
use crate::report::charts::{option_label, ChartFile, Lang};
use crate::scenario::packages::{PackageLever, PackageValue};
use crate::whatif::{PackageRow, PackagesResult};
use std::fmt::Write;

/// A paired change in points, signed, without a unit ("+3.2"; one that rounds to zero is +0.0).
fn signed(x: f64) -> String {
    let p = if (x * 100.0).abs() < 0.05 { 0.0 } else { x * 100.0 };
    format!("{p:+.1}")
}

/// A paired change in points with its unit ("+3.2 个百分点").
fn points(l: Lang, x: f64) -> String {
    format!("{}{}", signed(x), l.t("个百分点", " pts"))
}

/// What a package sets one lever to, in words.
pub fn lever_text(p: &PackageLever, l: Lang) -> String {
    let name = l.t(p.def.label_zh, p.def.label_en);
    match (p.value, p.def.unit, l) {
        (PackageValue::Enabled(e), _, Lang::Zh) => format!("{name}：{}", if e { "启用" } else { "不启用" }),
        (PackageValue::Enabled(e), _, Lang::En) => format!("{name}: {}", if e { "on" } else { "off" }),
        (PackageValue::Number(v), "months", Lang::Zh) => format!("{name}：缩短{v}个月"),
        (PackageValue::Number(v), "share", Lang::Zh) => format!("{name}：缩减{}%", v * 100.0),
        (PackageValue::Number(v), _, Lang::Zh) => format!("{name}：{v}倍"),
        (PackageValue::Number(v), "months", Lang::En) => format!("{name}: {v} months less"),
        (PackageValue::Number(v), "share", Lang::En) => format!("{name}: cut by {}%", v * 100.0),
        (PackageValue::Number(v), _, Lang::En) => format!("{name}: ×{v}"),
    }
}

fn headline(r: &PackagesResult, l: Lang) -> String {
    let ranked = r.ranked();
    let best = ranked[0];
    let sq = &r.rows[0];
    let name = escape(&option_label(best, l));
    match l {
        Lang::Zh => format!(
            "在{}次同一组随机情景的配对模拟中，遗憾值最小的是{name}：平均每次模拟比当次最优方案少达成{:.2}项目标，全部目标达成概率{}（现状{}，变化{}）。",
            crate::report::format::thousands(r.trials as f64),
            best.regret.mean,
            pct(l, best.all().p_met),
            pct(l, sq.all().p_met),
            points(l, best.all().diff.0)
        ),
        Lang::En => format!(
            "Over {} paired trials (common random numbers), {name} has the least regret: on average it meets {:.2} fewer targets than the best option of the same trial; P(all targets met) {} (status quo {}, change {}).",
            crate::report::format::thousands(r.trials as f64),
            best.regret.mean,
            pct(l, best.all().p_met),
            pct(l, sq.all().p_met),
            points(l, best.all().diff.0)
        ),
    }
}

fn ranking_table(r: &PackagesResult, l: Lang) -> String {
    let ranked = r.ranked();
    let targets: Vec<_> = r.rows[0].targets.iter().filter_map(|t| t.target).collect();
    let mut h = format!(
        "<table id=\"{}-packages\"><thead><tr><th>{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th>",
        l.code(),
        l.t("排名", "rank"),
        l.t("方案", "option"),
        l.t("平均遗憾值（项）", "mean regret (targets)"),
        l.t("遗憾值（九成模拟情形不超过）", "regret, 90th pct."),
        l.t("全部目标遗憾率", "all-targets regret"),
    );
    let _ = write!(
        h,
        "<th>{}</th><th>{}</th>",
        l.t("全部目标达成概率", "P(all targets met)"),
        l.t("较现状变化（百分点，95%区间）", "change vs status quo (points, 95% interval)")
    );
    for t in &targets {
        let _ = write!(h, "<th>{}</th>", escape(l.metric(*t)));
    }
    h.push_str("</tr></thead><tbody>");
    for row in ranked {
        let all = row.all();
        let _ = write!(
            h,
            "<tr data-package=\"{}\"><td>{}</td><td class=\"l nw\">{}</td><td>{:.2}</td><td>{}</td><td>{}</td><td>{}</td><td>{}（{}～{}）</td>",
            escape(&row.id),
            row.rank,
            escape(&option_label(row, l)),
            row.regret.mean,
            row.regret.p90,
            pct(l, row.regret.all_mean),
            pct(l, all.p_met),
            signed(all.diff.0),
            signed(all.diff.1),
            signed(all.diff.2)
        );
        for t in row.targets.iter().filter(|t| t.target.is_some()) {
            let _ = write!(h, "<td>{}<br><span class=\"meta\">{}</span></td>", pct(l, t.p_met), signed(t.diff.0));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

fn contents_table(rows: &[PackageRow], l: Lang) -> String {
    let mut h = format!(
        "<table id=\"{}-package-contents\"><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th></tr></thead><tbody>",
        l.code(),
        l.t("方案", "package"),
        l.t("措施", "levers"),
        l.t("成本说明", "cost"),
        l.t("责任单位", "responsible departments")
    );
    for row in rows {
        let Some(p) = &row.package else { continue };
        let levers: Vec<String> = p.levers.iter().map(|x| escape(&lever_text(x, l))).collect();
        let whose =
            if p.departments_given { "" } else { l.t("（取各措施的责任单位）", " (the levers' own)") };
        // the cost note and departments are the scenario's own words, shown as written
        let _ = write!(
            h,
            "<tr><td class=\"l nw\">{}</td><td class=\"l nw\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}{whose}</td></tr>",
            escape(&option_label(row, l)),
            levers.join("<br>"),
            escape(l.t(p.cost_note_zh.as_deref().unwrap_or(&p.cost_note), &p.cost_note)),
            escape(&p.departments.join("、"))
        );
    }
    h.push_str("</tbody></table>");
    h
}

/// The section in one language.
pub fn section(r: &PackagesResult, charts: &[ChartFile], l: Lang) -> String {
    let mut h = String::new();
    let _ = write!(h, "<section class=\"{}\" lang=\"{}\">", l.code(), l.t("zh-CN", "en"));
    let scenario = escape(l.t(&r.label_zh, &r.label_en));
    let _ = write!(
        h,
        "<h1>{}</h1>",
        match l {
            Lang::Zh => format!("{scenario}：政策包比较"),
            Lang::En => format!("{scenario}: lever packages compared"),
        }
    );
    let _ = write!(h, "<p class=\"headline\">{}</p>", headline(r, l));
    if let Some(c) = charts.iter().find(|c| c.lang == l && c.name == "packages") {
        h.push_str(&figure(c));
    }
    let _ = write!(h, "<h2>{}</h2>", l.t("按遗憾值排序", "Ranked by regret"));
    h.push_str(&ranking_table(r, l));
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        l.t(
            "遗憾值按每次模拟分别计算：在同一次模拟中，达成目标项数最多的方案为当次最优，本方案未达成而最优方案达成的目标项数即为遗憾值（有多个最优方案时取与本方案最接近者）；全部目标遗憾率为有方案全部达成而本方案未全部达成的模拟所占比例。排序依次按平均遗憾值、全部目标遗憾率、全部目标达成概率。各目标栏下方为较现状的配对变化（百分点）。",
            "Regret is computed trial by trial: in each trial the best options are those meeting the most targets, and an option's regret is the number of targets it misses that a best option meets (the closest best option when several tie); the all-targets regret is the share of trials in which some option meets every target and this one does not. Ranked by mean regret, then all-targets regret, then P(all targets met). Under each target: the paired change against the status quo (points).",
        )
    );
    let _ = write!(h, "<h2>{}</h2>", l.t("各方案内容", "What each package does"));
    h.push_str(&contents_table(&r.rows, l));
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p></section>",
        match l {
            Lang::Zh => format!(
                "各方案与现状使用同一随机种子（{}）和同一组{}次模拟，差值为配对差值。",
                r.seed,
                crate::report::format::thousands(r.trials as f64)
            ),
            Lang::En => format!(
                "Every option runs on the same seed ({}) and the same {} trials, so differences are paired.",
                r.seed,
                crate::report::format::thousands(r.trials as f64)
            ),
        }
    );
    h
}

/// The whole page. With one language, the switch is left out.
pub fn render(r: &PackagesResult, charts: &[ChartFile], langs: &[Lang]) -> String {
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        h,
        "<title>parkcast — {}：政策包比较</title><style>{}{CSS}{}.nw{{white-space:nowrap}}</style></head><body>",
        escape(&r.label_zh),
        font_face(),
        print::css()
    );
    if langs.len() > 1 {
        h.push_str("<input type=\"radio\" name=\"lang\" id=\"lang-zh\" checked><label class=\"lang\" for=\"lang-zh\">中文</label><input type=\"radio\" name=\"lang\" id=\"lang-en\"><label class=\"lang\" for=\"lang-en\">English</label>");
    }
    for &lang in langs {
        let mut sec = section(r, charts, lang);
        if langs.len() == 1 {
            sec = sec.replacen(&format!("class=\"{}\"", lang.code()), "class=\"only\"", 1);
        }
        h.push_str(&sec);
    }
    h.push_str("</body></html>\n");
    h
}
