//! The monitoring section's part on what the observations settled (`monitor --two-level`).

use super::escape;
use crate::monitor::settled::Settled;
use crate::report::charts::Lang;
use std::fmt::Write;

fn whole(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

pub fn section(s: &Settled, l: Lang) -> String {
    let mut h = format!(
        "<h3>{}</h3><table id=\"{}-settled\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("观测消除了多少未知", "What the observations settled of what we did not know"),
        l.code(),
        l.t("目标", "target"),
        l.t("观测前达成概率（10%～90%）", "P(met) before (10–90%)"),
        l.t("观测后", "after"),
        l.t("范围宽度（百分点）", "width (points)"),
        l.t("消除的未知因素方差", "across-world variance removed")
    );
    for r in &s.rows {
        let name = match r.target {
            Some(t) => l.metric(t).to_string(),
            None => l.t("全部目标", "all targets").to_string(),
        };
        let (b, a) = (&r.before, &r.after);
        let _ = write!(
            h,
            "<tr data-target=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{:.0} → {:.0}</td><td>{}</td></tr>",
            r.target.map_or("all", |t| t.key()),
            escape(&name),
            l.range(&whole(b.p10), &whole(b.p90)),
            l.range(&whole(a.p10), &whole(a.p90)),
            b.width() * 100.0,
            a.width() * 100.0,
            crate::report::settled_table::removed_text(r)
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        escape(&match l {
            Lang::Zh => format!(
                "对尚不掌握的基数与参数各抽取{}组可能取值、每组模拟{}次，分别按观测前的情景和纳入观测后的情景计算达成概率；观测到的数据取代了它所度量的参数，各组之间的差异随之缩小。消除的方差：各组达成概率的方差（已扣除模拟误差）减少的比例；–：观测前各组之间没有差异。",
                crate::report::format::thousands(s.outer as f64),
                crate::report::format::thousands(s.inner as f64)
            ),
            Lang::En => format!(
                "What we do not know drawn in {} plausible worlds of {} trials each, on the scenario before the observations and on the scenario with them; an observed figure replaces the parameters it measures, so the worlds differ less. Variance removed: the share of the across-world variance of P(met) (simulation error removed) that the observations took away; –: P(met) did not vary across worlds before them.",
                crate::report::format::thousands(s.outer as f64),
                crate::report::format::thousands(s.inner as f64)
            ),
        })
    );
    h
}
