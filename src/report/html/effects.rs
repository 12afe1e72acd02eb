//! The levers' measured effects on `run`'s report: the table 措施效果 (each lever and all of them
//! together, switched on against off on the run's own simulated futures, in points with the
//! paired 95 % interval) and the first screen's actions, which quote the table's cells.

use super::escape;
use super::first_screen::departments_zh;
use super::points::{change, signed};
use crate::report::charts::Lang;
use crate::report::view::RunView;
use crate::scenario::levers::{lever_def, LeverDef};
use crate::seeds::TargetId;
use crate::sensitivity::criticality::{PairedChange, SLOTS};
use crate::whatif::effects::{LeverEffect, LeverEffects};
use std::fmt::Write;

/// The slots the table shows: the run's targets, then all targets jointly.
fn slots(s: &RunView) -> Vec<(usize, String, String)> {
    let mut out: Vec<(usize, String, String)> = TargetId::ALL
        .iter()
        .enumerate()
        .filter(|(_, id)| s.summary.targets.iter().any(|t| t.id == **id))
        .map(|(m, id)| (m, Lang::Zh.metric(*id).to_string(), Lang::En.metric(*id).to_string()))
        .collect();
    out.push((SLOTS - 1, "全部目标".into(), "all targets".into()));
    out
}

fn slot_key(m: usize) -> &'static str {
    TargetId::ALL.get(m).map(|t| t.key()).unwrap_or("all")
}

/// The value a lever was measured at, in words.
fn value_text(l: Lang, d: &LeverDef, e: &LeverEffect) -> String {
    // what the value does, not a bare number: 0.2 of the 腾笼换鸟 lever is 改造用时缩短20%
    let what = match (l, e.value) {
        (Lang::Zh, None) => "启用".to_string(),
        (Lang::En, None) => "on".to_string(),
        (_, Some(v)) => {
            let amount = super::sliders::value_text(l, d, v);
            match (l, d.unit) {
                (Lang::Zh, "months" | "share") => format!("用时缩短{amount}"),
                (Lang::En, "months" | "share") => format!("{amount} less time"),
                (Lang::Zh, "multiplier") => format!("提高至{amount}"),
                _ => amount,
            }
        }
    };
    match (l, e.from_scenario) {
        (Lang::Zh, true) => format!("{what}（本情景取值）"),
        (Lang::Zh, false) => format!("{what}（政策组合情景取值）"),
        (Lang::En, true) => format!("{what} (this scenario's)"),
        (Lang::En, false) => format!("{what} (the policy package's)"),
    }
}

fn cell(l: Lang, c: &Option<PairedChange>) -> String {
    c.as_ref().map(|c| change(l, c)).unwrap_or_else(|| "–".into())
}

/// The table.
pub fn table(s: &RunView, e: &LeverEffects, l: Lang) -> String {
    let slots = slots(s);
    let mut h = format!(
        "<h2>{}</h2><table id=\"{}-effects\"><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th>",
        l.t("措施效果（达成概率的变化，个百分点）", "Effect of the levers (change of P(met), points)"),
        l.code(),
        l.t("措施", "lever"),
        l.t("责任单位", "responsible"),
        l.t("测算取值", "measured at")
    );
    for (_, zh, en) in &slots {
        let _ = write!(h, "<th>{}</th>", escape(l.t(zh, en)));
    }
    h.push_str("</tr></thead>");
    let _ = write!(
        h,
        "<tr data-lever=\"package\"><td class=\"l\"><b>{}</b></td><td class=\"l\"></td><td class=\"l\">{}</td>",
        l.t("全部措施同时实施", "all levers together"),
        l.t("各措施取值同下", "each as below")
    );
    for (m, _, _) in &slots {
        let _ = write!(h, "<td data-target=\"{}\">{}</td>", slot_key(*m), cell(l, &e.package[*m]));
    }
    h.push_str("</tr>");
    for x in &e.levers {
        let Some(d) = lever_def(&x.lever) else { continue };
        let _ = write!(
            h,
            "<tr data-lever=\"{}\"><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td>",
            escape(d.name),
            escape(l.t(d.label_zh, d.label_en)),
            escape(&match l {
                Lang::Zh => departments_zh(d),
                Lang::En => d.departments.join(", "),
            }),
            escape(&value_text(l, d, x))
        );
        for (m, _, _) in &slots {
            let _ = write!(h, "<td data-target=\"{}\">{}</td>", slot_key(*m), cell(l, &x.change[*m]));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        match l {
            Lang::Zh => format!(
                "每项措施启用与不启用相比，其余设定不变，在本次运行的前{}个模拟情形上逐一配对计算；括号内为95%区间，只反映模拟次数有限带来的误差。本情景未启用的措施按政策组合情景的取值测算。",
                crate::report::format::thousands(e.trials as f64)
            ),
            Lang::En => format!(
                "Each lever on against off, everything else unchanged, paired on the run's first {} simulated futures; in brackets the 95% interval, only the error from the number of simulated futures. A lever this scenario leaves off is measured at the policy package's value.",
                crate::report::format::thousands(e.trials as f64)
            ),
        }
    );
    h
}

/// The target (not all jointly) a lever moves most, by the size of its mean change.
fn most_moved(s: &RunView, x: &[Option<PairedChange>; SLOTS]) -> Option<(usize, PairedChange)> {
    slots(s)
        .into_iter()
        .filter(|(m, _, _)| *m < SLOTS - 1)
        .filter_map(|(m, _, _)| x[m].map(|c| (m, c)))
        .max_by(|a, b| a.1.mean.abs().total_cmp(&b.1.mean.abs()).then(b.0.cmp(&a.0)))
}

/// One action's effect in words, quoting the table's cells.
fn effect_words(s: &RunView, l: Lang, x: &[Option<PairedChange>; SLOTS]) -> String {
    let all = cell(l, &x[SLOTS - 1]);
    let most = most_moved(s, x).filter(|(_, c)| signed(c.mean) != "+0.0");
    match (l, most) {
        (Lang::Zh, None) => format!("全部目标达成概率{all}个百分点，各目标变化均不足0.1个百分点"),
        (Lang::Zh, Some((m, c))) => format!(
            "全部目标达成概率{all}个百分点；影响最大的是{}，{}个百分点",
            TargetId::ALL.get(m).map(|t| Lang::Zh.metric(*t)).unwrap_or(""),
            change(l, &c)
        ),
        (Lang::En, None) => format!("P(all targets met) {all} points, no target moves by 0.1 points"),
        (Lang::En, Some((m, c))) => format!(
            "P(all targets met) {all} points; most for {}, {} points",
            TargetId::ALL.get(m).map(|t| Lang::En.metric(*t).to_lowercase()).unwrap_or_default(),
            change(l, &c)
        ),
    }
}

/// The first screen's lever actions, largest effect on all targets first, after the package.
pub fn actions(s: &RunView, e: &LeverEffects, l: Lang) -> Vec<String> {
    let mut out = vec![match l {
        Lang::Zh => format!("<b>全部措施同时实施</b>（测算见“措施效果”）：{}。", effect_words(s, l, &e.package)),
        Lang::En => {
            format!("<b>All levers together</b> (see “Effect of the levers”): {}.", effect_words(s, l, &e.package))
        }
    }];
    let mut levers: Vec<&LeverEffect> = e.levers.iter().filter(|x| lever_def(&x.lever).is_some()).collect();
    let size = |x: &LeverEffect| x.change[SLOTS - 1].map(|c| c.mean).unwrap_or(0.0);
    let moved = |x: &LeverEffect| most_moved(s, &x.change).map(|(_, c)| c.mean.abs()).unwrap_or(0.0);
    levers.sort_by(|a, b| size(b).total_cmp(&size(a)).then(moved(b).total_cmp(&moved(a))));
    for x in levers {
        let Some(d) = lever_def(&x.lever) else { continue };
        out.push(match l {
            Lang::Zh => format!(
                "<b>{}</b>（实施意见{}；责任单位{}）：{}时，{}。",
                escape(d.label_zh),
                escape(&crate::zh::punctuate(d.seed_section)),
                escape(&departments_zh(d)),
                escape(&value_text(l, d, x)),
                effect_words(s, l, &x.change)
            ),
            Lang::En => format!(
                "<b>{}</b> (section {}; responsible {}): with {}, {}.",
                escape(d.label_en),
                escape(d.seed_section),
                escape(&d.departments.join(", ")),
                escape(&value_text(l, d, x)),
                effect_words(s, l, &x.change)
            ),
        });
    }
    out
}
