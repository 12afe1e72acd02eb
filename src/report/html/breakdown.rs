//! The report's breakdowns, as a mid-term review is organised (分区、分批次、分责任单位): the
//! existing base against the blocks for each target, and the blocks by district and batch and
//! by developer kind — what the first screen's reasons quote.

use super::escape;
use crate::report::charts::Lang;
use crate::report::view::{BlockView, RunView};
use crate::seeds::kinds::{DeveloperKind, District};
use crate::seeds::TargetId;
use crate::summary::BlockRow;
use std::fmt::Write;

/// The counted blocks of one group, summed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    pub blocks: usize,
    /// Blocks with no start date in the annex (未定).
    pub undetermined: usize,
    /// Mean contribution at the deadline, by metric ([`TargetId::ALL`] order).
    pub contribution: [f64; 5],
}

impl Group {
    fn add(&mut self, b: &BlockView, r: &BlockRow) {
        self.blocks += 1;
        self.undetermined += usize::from(b.status == "undetermined");
        for (m, v) in r.mean_contribution.iter().enumerate() {
            self.contribution[m] += v;
        }
    }

    /// Expected number built by the deadline as the parks target counts a park (its headline
    /// reading: at completion or at operation): the sum of the blocks' mean parks contribution.
    pub fn built(&self) -> f64 {
        self.contribution[0]
    }
}

/// The counted blocks grouped by `key` (groups in order of their key).
pub fn groups<K: Ord + Copy>(s: &RunView, key: impl Fn(&BlockView) -> Option<K>) -> Vec<(K, Group)> {
    let mut out: Vec<(K, Group)> = Vec::new();
    for r in s.summary.blocks.iter().filter(|r| r.counted) {
        let b = s.block(r.id);
        let Some(k) = key(b) else { continue };
        match out.iter_mut().find(|(g, _)| *g == k) {
            Some((_, g)) => g.add(b, r),
            None => {
                let mut g = Group::default();
                g.add(b, r);
                out.push((k, g));
            }
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out
}

/// The blocks by batch, as (batch, group); empty for report data without batches.
pub fn by_batch(s: &RunView) -> Vec<(u8, Group)> {
    groups(s, |b| (b.batch > 0).then_some(b.batch))
}

/// "第一批" / "batch 1".
pub fn batch_label(l: Lang, batch: u8) -> String {
    match (l, batch) {
        (Lang::Zh, 1) => "第一批".into(),
        (Lang::Zh, 2) => "第二批".into(),
        (Lang::Zh, n) => format!("第{n}批"),
        (Lang::En, n) => format!("batch {n}"),
    }
}

/// An expected count of parks or blocks, one decimal: "8.2个" / "8.2".
pub fn expected_count(l: Lang, x: f64) -> String {
    match l {
        Lang::Zh => format!("{x:.1}个"),
        Lang::En => format!("{x:.1}"),
    }
}

/// A block's mean contribution in the city's unit for the metric (firm counts one decimal:
/// they are means over the simulated futures, not counts of firms).
pub fn contribution(l: Lang, id: TargetId, x: f64) -> String {
    match id {
        TargetId::Parks => expected_count(l, x),
        TargetId::Specialized | TargetId::TechSmes => match l {
            Lang::Zh => format!("{x:.1}家"),
            Lang::En => format!("{x:.1}"),
        },
        _ => l.value(id, x),
    }
}

/// A total, its base part and its blocks part in the metric's unit, printed so that they add
/// up as printed (an official adds them): one number of decimals for the row (whole firms; 0.1
/// for parks and 亿元/¥ bn; 0.01万人 / 0.1 thousand jobs), the total and the base rounded to
/// it and the blocks' part their difference.
pub fn adding_up(l: Lang, id: TargetId, total: f64, base: f64) -> [String; 3] {
    let (unit, div) = l.unit(id);
    let decimals: i32 = match (l, id) {
        (_, TargetId::Specialized | TargetId::TechSmes) => 0,
        (Lang::Zh, TargetId::Jobs) => 2,
        _ => 1,
    };
    let scale = 10f64.powi(decimals);
    let round = |x: f64| (x / div * scale).round();
    let (t, b) = (round(total), round(base));
    let d = decimals as usize;
    [t, b, t - b].map(|v| {
        let v = v / scale + 0.0; // (+ 0.0: no "-0")
        match (l, id) {
            (Lang::Zh, _) => format!("{v:.d$}{unit}"),
            (Lang::En, TargetId::Revenue) => format!("¥{v:.d$} bn"),
            (Lang::En, _) => format!("{v:.d$} {unit}"),
        }
    })
}

/// The base's share of a target's mean at the deadline, whole percent ("98%"; "–" for a mean
/// that is not positive).
pub fn base_share(t: &crate::summary::TargetRow) -> String {
    if t.mean > 0.0 {
        format!("{:.0}%", t.base_mean / t.mean * 100.0)
    } else {
        "–".into()
    }
}

/// The existing base against the blocks, for every target: mean at the deadline, the base's
/// part, the blocks' part (the mean less the base: annex blocks and any reserve block taken in).
fn base_table(s: &RunView, l: Lang) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<h3>{}</h3><table id=\"{}-base-blocks\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("现有存量与重点区块", "Existing base and key blocks"),
        l.code(),
        l.t("目标", "target"),
        l.t("截止时平均值", "mean at the deadline"),
        l.t("其中：现有存量", "of which: existing base"),
        l.t("其中：重点区块（含调入区块）", "of which: key blocks (and any taken in)"),
        l.t("现有存量占比", "base share")
    );
    for t in &s.summary.targets {
        let [total, mut base, blocks] = adding_up(l, t.id, t.mean, t.base_mean);
        if t.id == TargetId::Parks && t.base_mean != 0.0 {
            // the parks "base" is no existing stock: parks outside the annex taken into the list
            base.push_str(l.t(
                "（名单外动态调入并建成的其他园区，假设）",
                " (other parks taken into the list and built, assumption)",
            ));
        }
        let _ = write!(
            h,
            "<tr data-target=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.id.key(),
            l.metric(t.id),
            total,
            base,
            blocks,
            base_share(t)
        );
    }
    h.push_str("</table>");
    h
}

/// One table of groups: blocks, 未定, expected delivered by the deadline, mean contributions.
fn group_table<K: Copy>(
    s: &RunView,
    l: Lang,
    id: &str,
    title: &str,
    head: &str,
    rows: &[(K, Group)],
    name: impl Fn(K) -> String,
) -> String {
    let metrics: Vec<TargetId> = s.summary.targets.iter().map(|t| t.id).filter(|m| *m != TargetId::Parks).collect();
    let mut h = String::new();
    let _ = write!(
        h,
        "<h3>{}</h3><table id=\"{}-{id}\"><thead><tr><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th>",
        escape(title),
        l.code(),
        escape(head),
        l.t("区块数", "blocks"),
        l.t("开工时间未定", "start undetermined"),
        l.t("截止前预计建成", "expected built by the deadline")
    );
    for m in &metrics {
        let _ = write!(h, "<th>{}</th>", escape(&format!("{}{}", l.metric(*m), l.t("（平均贡献）", " (mean)"))));
    }
    h.push_str("</tr></thead>");
    for (k, g) in rows {
        let _ = write!(
            h,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td>",
            escape(&name(*k)),
            g.blocks,
            g.undetermined,
            expected_count(l, g.built())
        );
        for m in &metrics {
            let i = TargetId::ALL.iter().position(|x| x == m).unwrap_or(0);
            let _ = write!(h, "<td>{}</td>", contribution(l, *m, g.contribution[i]));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    h
}

/// The section; empty for report data written before 0.4 (no districts or batches).
pub fn section(s: &RunView, l: Lang) -> String {
    if s.blocks.iter().all(|b| b.batch == 0) {
        return String::new();
    }
    let mut h = format!(
        "<h2>{}</h2><p class=\"meta\">{}</p>",
        l.t("分区、分批次情况", "By district, batch and developer"),
        l.t(
            "截止前预计建成：按园区目标的计数口径（见“口径比较”），各区块截止前计为建成的概率之和，即平均建成个数；平均贡献：截止时各区块对该指标贡献在全部模拟情形中的平均值（企业数为平均值，故有小数）。",
            "Expected built by the deadline: as the parks target counts a park (its reading, see “Readings of the targets”), the sum of the blocks' probabilities of counting as built by then, the mean number built; mean contribution: each block's contribution at the deadline averaged over all simulated futures (firm counts are means, hence decimals).",
        )
    );
    h.push_str(&base_table(s, l));
    let by_district_batch = groups(s, |b| b.district().map(|d| (d, b.batch)));
    let district_name = |d: District| l.t(d.label_zh(), d.label_en()).to_string();
    h.push_str(&group_table(
        s,
        l,
        "district-batch",
        l.t("按区和批次", "By district and batch"),
        l.t("区／批次", "district / batch"),
        &by_district_batch,
        |(d, b)| format!("{}{}{}", district_name(d), l.t("", ", "), batch_label(l, b)),
    ));
    h.push_str(&group_table(s, l, "batch", l.t("按批次", "By batch"), l.t("批次", "batch"), &by_batch(s), |b| {
        batch_label(l, b)
    }));
    let by_kind = groups(s, |b| b.developer_kind());
    h.push_str(&group_table(
        s,
        l,
        "developer",
        l.t("按开发主体类型", "By developer kind"),
        l.t("开发主体类型", "developer kind"),
        &by_kind,
        |k: DeveloperKind| l.t(k.label_zh(), k.label_en()).to_string(),
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_parts_add_up_as_printed() {
        // 2.74万 + 0.32万 printed as 2.7 + 0.32 = 3.1 did not add up
        assert_eq!(adding_up(Lang::Zh, TargetId::Jobs, 30_640.0, 27_420.0), ["3.06万人", "2.74万人", "0.32万人"]);
        // 232.6 + 10.6 = 243.2 firms: 243 = 233 + 10, not 233 + 11
        assert_eq!(adding_up(Lang::Zh, TargetId::TechSmes, 243.2, 232.6), ["243家", "233家", "10家"]);
        assert_eq!(
            adding_up(Lang::Zh, TargetId::Revenue, 1219.4e8, 1194.9e8),
            ["1219.4亿元", "1194.9亿元", "24.5亿元"]
        );
        assert_eq!(adding_up(Lang::En, TargetId::Revenue, 121.94e9, 119.49e9), ["¥121.9 bn", "¥119.5 bn", "¥2.4 bn"]);
        assert_eq!(adding_up(Lang::Zh, TargetId::Parks, 3.0, 3.0)[2], "0.0个", "no -0.0");
        for (total, base) in [(30_640.0, 27_420.0), (1.0, 0.4), (98_765.4, 12_345.6)] {
            let [t, b, k] = adding_up(Lang::Zh, TargetId::Jobs, total, base)
                .map(|v| v.trim_end_matches("万人").parse::<f64>().unwrap());
            assert!((t - b - k).abs() < 1e-9, "{t} = {b} + {k}");
        }
    }
}
