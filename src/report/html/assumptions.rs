//! The report's key-assumptions table: each parameter by name, where its distribution puts the
//! median and the middle 90 % in the parameter's unit, the distribution as a scenario file writes
//! it (for researchers), and its source or the reason for the assumption.

use super::escape;
use crate::report::charts::labels::factor_zh;
use crate::report::charts::Lang;
use crate::report::format::thousands;
use crate::report::view::{AssumptionView, DistRange};
use std::fmt::Write;

pub(super) fn section(assumptions: &[AssumptionView], l: Lang) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.t("主要假设", "Key assumptions"),
        l.t(
            "现有存量和开工参数决定了大部分结果。各项参数的分布写法与来源原文列于英文页的同名一节。",
            "The existing base and the start parameters drive most of the result; every parameter and its source: parkcast validate."
        ),
        l.t("参数", "parameter"),
        l.t("取值（中位数与90%区间）", "value (median and middle 90%)"),
        l.t("依据", "source or assumption")
    );
    for a in assumptions {
        // the Chinese page reads in words; keys, the TOML form and the notes as written are the
        // English page's appendix
        let (name, value) = match l {
            Lang::Zh => (
                escape(&factor_zh(&a.path).unwrap_or_else(|| "（未命名参数）".into())),
                a.range.as_ref().map(|r| escape(&readable(r, &a.unit, l))).unwrap_or_else(|| "见英文页".into()),
            ),
            Lang::En => (
                format!("<code>{}</code>", escape(&a.path)),
                match &a.range {
                    Some(r) => {
                        format!("{}<br><code>{}</code>", escape(&readable(r, &a.unit, l)), escape(&a.distribution))
                    }
                    None => format!("<code>{}</code>", escape(&a.distribution)),
                },
            ),
        };
        let _ = write!(
            h,
            "<tr><td>{name}</td><td class=\"l\">{value}</td><td class=\"l\">{}</td></tr>",
            basis(&a.basis, l)
        );
    }
    h.push_str("</table>");
    h
}

/// The basis: in Chinese its kind (a published source or a judgement), the note as the scenario
/// wrote it being on the English page; in English the kind and the note.
fn basis(text: &str, l: Lang) -> String {
    if l == Lang::Zh {
        // the wording in Chinese where the scenario's reason has one (the built-in scenarios'
        // always do: tested); a reason written in English only points to the English page
        let (kind, rest, elsewhere) = if let Some(rest) = text.strip_prefix("source: ") {
            ("公开资料", rest, "出处见英文页")
        } else if let Some(rest) = text.strip_prefix("assumption: ") {
            ("判断假设，待核实", rest, "理由见英文页")
        } else if text == "command-line override" {
            return "命令行临时设定".into();
        } else {
            ("判断假设，待核实", text, "理由见英文页")
        };
        return match super::basis_zh::chinese(rest) {
            Some(zh) => format!("<b>{kind}</b>：{}", escape(zh)),
            None => format!("{kind}（{elsewhere}）"),
        };
    }
    let (kind_zh, kind_en, rest) = if let Some(rest) = text.strip_prefix("source: ") {
        ("来源", "source", rest)
    } else if let Some(rest) = text.strip_prefix("assumption: ") {
        ("假设", "assumption", rest)
    } else if text == "command-line override" {
        ("命令行覆盖", "command-line override", "")
    } else {
        return escape(text);
    };
    let kind = l.t(kind_zh, kind_en);
    if rest.is_empty() {
        format!("<b>{kind}</b>")
    } else {
        format!("<b>{kind}</b>: {}", escape(rest))
    }
}

/// How a value in `unit` reads: scale and suffix per language.
struct Unit {
    scale: f64,
    prefix: &'static str,
    suffix: &'static str,
    percent: bool,
}

fn unit_of(unit: &str, l: Lang) -> Unit {
    let plain = |suffix| Unit { scale: 1.0, prefix: "", suffix, percent: false };
    match (unit, l) {
        ("CNY per year", Lang::Zh) => Unit { scale: 1e8, prefix: "", suffix: "亿元/年", percent: false },
        ("CNY per year", Lang::En) => Unit { scale: 1e9, prefix: "¥", suffix: " bn a year", percent: false },
        ("share per year", _) => Unit { scale: 0.01, prefix: "", suffix: l.t("/年", " a year"), percent: true },
        ("probability per month", _) => {
            Unit { scale: 0.01, prefix: "", suffix: l.t("/月", " a month"), percent: true }
        }
        ("months", _) => plain(l.t("个月", " months")),
        ("firms", _) => plain(l.t("家", " firms")),
        ("parks", _) => plain(l.t("个", " parks")),
        ("jobs per year", Lang::Zh) => Unit { scale: 1e4, prefix: "", suffix: "万人/年", percent: false },
        ("jobs per year", Lang::En) => plain(" jobs a year"),
        ("CNY per occupied m² per year", _) => plain(l.t("元/平方米·年（已入驻面积）", " ¥ per occupied m² a year")),
        _ => Unit { scale: 1.0, prefix: "", suffix: "", percent: false },
    }
}

/// A number as a table shows it: whole from 100 (thousands separated), else one decimal (two
/// below 1), trailing zeros dropped.
fn number(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 || x.fract() == 0.0 {
        thousands(x)
    } else if a >= 1.0 {
        format!("{x:.1}").trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x:.2}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// "median 73.4 ¥ bn a year; middle 90% 63.3–85.8" in the parameter's unit; an event reads as its
/// probability, a fixed value as itself.
pub(super) fn readable(r: &DistRange, unit: &str, l: Lang) -> String {
    if unit == "event" {
        return match l {
            Lang::Zh => format!("概率{}%", number(r.mean * 100.0)),
            Lang::En => format!("probability {}%", number(r.mean * 100.0)),
        };
    }
    let u = unit_of(unit, l);
    let n = |x: f64| {
        let v = u.prefix.to_string() + &number(x / u.scale);
        if u.percent {
            v + "%"
        } else {
            v
        }
    };
    if r.p5 == r.p95 {
        return match l {
            Lang::Zh => format!("固定为{}{}", n(r.median), u.suffix),
            Lang::En => format!("fixed at {}{}", n(r.median), u.suffix),
        };
    }
    match l {
        // a range of numbers takes the wave dash (GB/T 15834), a magnitude (万, 亿) on both
        // ends and the unit once: 615亿～885亿元/年 (GB/T 15835)
        Lang::Zh => {
            let magnitude: String = u.suffix.chars().take_while(|c| "万亿".contains(*c)).collect();
            format!("中位数{}{}；90%区间{}{magnitude}～{}{}", n(r.median), u.suffix, n(r.p5), n(r.p95), u.suffix)
        }
        Lang::En => format!("median {}{}; middle 90% {}–{}{}", n(r.median), u.suffix, n(r.p5), n(r.p95), u.suffix),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::distribution::Dist;

    fn range(d: &Dist) -> DistRange {
        DistRange { mean: d.mean(), p5: d.quantile(0.05), median: d.quantile(0.5), p95: d.quantile(0.95) }
    }

    #[test]
    fn values_read_in_the_parameter_unit() {
        // uniform 400–900 firms: median 650, 5 % at 425, 95 % at 875
        let firms = range(&Dist::uniform(400.0, 900.0).unwrap());
        assert_eq!(readable(&firms, "firms", Lang::Zh), "中位数650家；90%区间425～875家");
        assert_eq!(readable(&firms, "firms", Lang::En), "median 650 firms; middle 90% 425–875 firms");
        // revenue in 亿元 and ¥ bn
        let revenue = range(&Dist::uniform(6e10, 9e10).unwrap());
        assert_eq!(readable(&revenue, "CNY per year", Lang::Zh), "中位数750亿元/年；90%区间615亿～885亿元/年");
        assert_eq!(
            readable(&revenue, "CNY per year", Lang::En),
            "median ¥75 bn a year; middle 90% ¥61.5–¥88.5 bn a year"
        );
        // shares as percentages
        let growth = range(&Dist::uniform(0.02, 0.12).unwrap());
        assert_eq!(readable(&growth, "share per year", Lang::En), "median 7% a year; middle 90% 2.5%–11.5% a year");
        // an event as its probability; a fixed value as itself
        let on_time = range(&Dist::bernoulli(0.75).unwrap());
        assert_eq!(readable(&on_time, "event", Lang::Zh), "概率75%");
        let fixed = range(&Dist::fixed(16.0).unwrap());
        assert_eq!(readable(&fixed, "months", Lang::En), "fixed at 16 months");
    }

    #[test]
    fn the_basis_kind_is_translated_and_the_text_kept() {
        assert_eq!(basis("source: docs/calibration.md Timing", Lang::Zh), "公开资料（出处见英文页）");
        assert_eq!(basis("assumption: 参照本区<年报>", Lang::Zh), "<b>判断假设，待核实</b>：参照本区&lt;年报&gt;");
        assert_eq!(basis("source: docs/calibration.md Timing", Lang::En), "<b>source</b>: docs/calibration.md Timing");
        assert_eq!(basis("assumption: a <guess>", Lang::En), "<b>assumption</b>: a &lt;guess&gt;");
        assert_eq!(basis("command-line override", Lang::Zh), "命令行临时设定");
    }
}
