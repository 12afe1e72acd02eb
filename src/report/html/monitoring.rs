//! The report's monitoring section: the as-of month, what was observed, progress to date, what
//! was learnt, the blocks at risk and a reserve block's effect.

use super::{escape, pct};
use crate::monitor::view::MonitorView;
use crate::report::charts::Lang;
use crate::report::view::RunView;
use crate::sensitivity::criticality::SLOTS;
use std::fmt::Write;

pub fn section(s: &RunView, m: &MonitorView, l: Lang) -> String {
    let mut h = String::new();
    let f = &m.facts;
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p>",
        escape(&match l {
            Lang::Zh => format!("动态监测：截至{}", l.month(m.as_of)),
            Lang::En => format!("Monitoring as of {}", m.as_of),
        }),
        escape(&match l {
            Lang::Zh => format!(
                "依据{}（{}）：观测{}个区块（{}个已开工，{}个未开工，{}个已运营；{}个调出，{}个新增），{}项城市存量数据。已观测的事实在每个模拟情形中固定，其余按观测条件抽样。",
                m.observations_file, m.source, f.blocks_observed, f.started, f.not_started, f.delivered, f.removed, f.added, f.base_figures
            ),
            Lang::En => format!(
                "From {} ({}): {} blocks observed ({} started, {} not started, {} operating; {} removed, {} added) and {} city-wide base figures. What was observed is fixed in every trial; the rest is drawn given it.",
                m.observations_file, m.source, f.blocks_observed, f.started, f.not_started, f.delivered, f.removed, f.added, f.base_figures
            ),
        })
    );
    // progress
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("目标", "target"),
        escape(&match l {
            Lang::Zh => format!("截至{}已实现（中位数）", l.month(m.as_of)),
            Lang::En => format!("reached by {} (median)", m.as_of),
        }),
        l.t("占目标", "share of the target"),
        l.t("截止时预测（中位数）", "forecast at the deadline (median)"),
        l.t("占截止时预测", "share of the forecast")
    );
    for p in &m.progress {
        let share = |of: f64| if of.abs() > 0.0 { pct(l, p.at_as_of / of) } else { "–".into() };
        let threshold = s.summary.targets.iter().find(|t| t.id == p.target).map_or(0.0, |t| t.threshold);
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            l.metric(p.target),
            l.value(p.target, p.at_as_of),
            share(threshold),
            l.value(p.target, p.at_deadline),
            share(p.at_deadline)
        );
    }
    h.push_str("</table>");
    // learning
    if let Some(lr) = &m.learning {
        let text = match (l, lr.updated) {
            (Lang::Zh, true) => format!("根据{}项观测事实，调整了宏观、区域和产业共同影响的估计（以{}个事先模拟情形中与观测相符的程度加权，相当于约{:.0}个有效情形）；其他参数保持情景设定。", lr.facts, lr.prior_trials, lr.effective_sample),
            (Lang::Zh, false) => format!("{}项观测事实与事先模拟情形相符的仅相当于约{:.0}个（共{}个），证据不足，宏观、区域和产业共同影响的估计未调整。", lr.facts, lr.effective_sample, lr.prior_trials),
            (Lang::En, true) => format!("The common factors were updated from {} observed facts (re-weighting {} prior trials; effective sample {:.0}); every other parameter keeps its scenario distribution.", lr.facts, lr.prior_trials, lr.effective_sample),
            (Lang::En, false) => format!("{} observed facts left an effective sample of only {:.0} of {} prior trials: too little to update the common factors, which keep their scenario distribution.", lr.facts, lr.effective_sample, lr.prior_trials),
        };
        let _ = write!(
            h,
            "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            escape(&text),
            l.t("因子", "factor"),
            l.t("先验均值", "prior mean"),
            l.t("先验标准差", "prior sd"),
            l.t("更新后均值", "updated mean"),
            l.t("更新后标准差", "updated sd")
        );
        for (name, u) in &lr.factors {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{:+.2}</td><td>{:.2}</td><td>{:+.2}</td><td>{:.2}</td></tr>",
                escape(
                    &crate::report::charts::labels::factor_label(&format!("shocks.factor.{name}"), l)
                        .replace("shocks.factor.", "")
                ),
                u.prior_mean,
                u.prior_sd,
                u.posterior_mean,
                u.posterior_sd
            );
        }
        h.push_str("</table>");
        if let Some(u) = &lr.on_time {
            let _ = write!(
                h,
                "<p>{}</p>",
                escape(&match l {
                    Lang::Zh => format!("按计划开工概率（情景设定按相当于{:.0}个区块的经验计入）：已到期的{}个计划开工中{}个按期；尚未开工区块的按期概率由{:.2}（这些区块情景设定的平均值）调整为{:.2}。", crate::monitor::learning::ON_TIME_PRIOR_STRENGTH, u.on_time + u.late, u.on_time, u.prior_p, u.posterior_p),
                    Lang::En => format!("On-time starts (conjugate Beta update; the scenario's figure weighs as {:.0} blocks): {} of {} planned starts now due were on time; P(on time) for the planned blocks still to start goes from {:.2} (the scenario's mean over those blocks) to {:.2}.", crate::monitor::learning::ON_TIME_PRIOR_STRENGTH, u.on_time, u.on_time + u.late, u.prior_p, u.posterior_p),
                })
            );
        }
    }
    // at-risk list
    let _ = write!(
        h,
        "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("风险区块清单", "Blocks at risk"),
        l.t("区块", "block"),
        l.t("进度状态", "status against plan"),
        l.t("截止前运营概率", "P(operating by the deadline)"),
        l.t("风险中的科技型中小企业", "tech SMEs at risk"),
        l.t("风险中的营收", "revenue at risk"),
        l.t("有进有出", "有进有出 (in or out)")
    );
    for r in &m.blocks {
        let b = s.block(r.id);
        let name = match l {
            Lang::Zh => &b.name_zh,
            Lang::En => &b.name_en,
        };
        let status = match l {
            Lang::Zh => format!("{}：{}", r.status.label_zh(), r.detail_zh),
            Lang::En => format!("{}: {}", r.status.label_en(), r.detail),
        };
        let flag = match (l, &r.leave_reason, &r.leave_reason_zh) {
            (Lang::Zh, _, Some(zh)) => zh.clone(),
            (Lang::Zh, Some(_), None) => "列入调出研判（未在检查点前开工）".to_string(),
            (Lang::En, Some(reason), _) if r.leave_candidate => format!("candidate to leave: {reason}"),
            (Lang::En, Some(reason), _) => reason.clone(),
            _ => String::new(),
        };
        let (tech, revenue) = match l {
            _ if r.p_delivered_by_deadline == 0.0 => ("–".to_string(), "–".to_string()),
            Lang::Zh => (format!("{:.1}", r.at_risk[2]), crate::report::format::cny_wan(r.at_risk[3])),
            Lang::En => (format!("{:.1}", r.at_risk[2]), crate::report::format::cny_millions(r.at_risk[3])),
        };
        let name =
            if r.counted { name.to_string() } else { format!("{name} {}", l.t("（不计入）", "(not counted)")) };
        let _ = write!(
            h,
            "<tr><td class=\"l\">{} {}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            r.id,
            escape(&name),
            escape(&status),
            pct(l, r.p_delivered_by_deadline),
            tech,
            revenue,
            escape(&flag)
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        l.t(
            "风险中的贡献：区块若在截止前运营对各目标的平均贡献，乘以其未能运营的概率（负值：即使运营也会减少该指标，如改造腾退企业；–：所有模拟情形中均未能在截止前运营，贡献未知）。",
            "Contribution at risk: what the block adds to a target by the deadline when it operates by then, times the chance it does not (negative: operating by then would still cost that metric, e.g. firms moved out for a renovation; –: it operates by the deadline in no trial, so what it would add is unknown)."
        )
    );
    if let Some(r) = &m.reserve {
        let all = r.changes[SLOTS - 1].map(|c| c.mean * 100.0).unwrap_or(0.0);
        let _ = write!(
            h,
            "<p>{}</p>",
            escape(&match l {
                Lang::Zh => format!("若现在增补一个储备区块（{}亩，情景模板），于{}开工，全部目标达成概率变化{:+.1}个百分点。", r.land_mu, r.start, all),
                Lang::En => format!("A reserve block ({} mu, the scenario's template) starting in {} would change P(all targets) by {:+.1} points.", r.land_mu, r.start, all),
            })
        );
    }
    if let Some(st) = &m.settled {
        h.push_str(&super::settled::section(st, l));
    }
    h
}
