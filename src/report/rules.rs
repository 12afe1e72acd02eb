//! PRIM boxes as sentences people read: "the macro factor ≤ −0.60 sd", "≥ 4 blocks start
//! after 2025-09", "block 16 starts in 2026-03 or later".

use super::format::{short_number, thousands};
use crate::model::MODEL_START;
use crate::month::Month;
use crate::scenario::{FACTORS, PARAMS};
use crate::sensitivity::discover::Discovery;
use crate::sensitivity::features::FeatureKind;
use crate::sensitivity::prim::{PrimBox, Restriction};

fn month(index: f64) -> Month {
    Month::new(MODEL_START.0, MODEL_START.1).expect("valid").plus(index.round() as i32)
}

fn param_value(p: usize, x: f64) -> String {
    if PARAMS[p].unit.starts_with("CNY") {
        format!("¥{:.1} bn", x / 1e9)
    } else if PARAMS[p].unit.starts_with("share") {
        format!("{:.1}%", x * 100.0)
    } else {
        short_number(x)
    }
}

/// One restriction as Chinese text, for the Chinese chart: the factor's Chinese name, 亿元 and
/// 2025年9月 (GB/T 15834 punctuation; no code ids).
pub fn restriction_text_zh(kind: FeatureKind, r: &Restriction, months: usize) -> String {
    use crate::report::charts::labels::factor_zh;
    let (lo, hi) = (r.lower, r.upper);
    let range = |f: &dyn Fn(f64) -> String, name: &str| match (lo, hi) {
        (Some(a), Some(b)) => format!("{name}在{}至{}之间", f(a), f(b)),
        (Some(a), None) => format!("{name}不低于{}", f(a)),
        (None, Some(b)) => format!("{name}不高于{}", f(b)),
        (None, None) => format!("{name}不限"),
    };
    let zh_month = |x: f64| crate::zh::month(month(x));
    match kind {
        FeatureKind::Factor(k) => {
            let key = format!("shocks.factor.{}", FACTORS[k]);
            let name = factor_zh(&key).unwrap_or(key);
            range(&|x| format!("{x:+.2}个标准差"), &name)
        }
        FeatureKind::City(p) => {
            let name = factor_zh(PARAMS[p].path).unwrap_or_else(|| PARAMS[p].path.to_string());
            let value = |x: f64| {
                if PARAMS[p].unit.starts_with("CNY") {
                    format!("{:.0}亿元", x / 1e8)
                } else if PARAMS[p].unit.starts_with("share") {
                    format!("{:.1}%", x * 100.0)
                } else {
                    short_number(x)
                }
            };
            range(&value, &name)
        }
        FeatureKind::BlockStart(id) => {
            let never = months as f64;
            match (lo, hi) {
                (Some(a), _) if a >= never => format!("区块{id}在预测期内未开工"),
                (Some(a), Some(b)) if b >= never => format!("区块{id}于{}或以后开工（或未开工）", zh_month(a)),
                (Some(a), Some(b)) => format!("区块{id}于{}至{}之间开工", zh_month(a), zh_month(b)),
                (Some(a), None) => format!("区块{id}于{}或以后开工（或未开工）", zh_month(a)),
                (None, Some(b)) => format!("区块{id}不晚于{}开工", zh_month(b)),
                (None, None) => format!("区块{id}开工时间不限"),
            }
        }
        FeatureKind::StartsAfter(m) => {
            let after = crate::zh::month(month(m as f64));
            let n = |x: f64| thousands(x);
            match (lo, hi) {
                (Some(a), Some(b)) if a == b => format!("{after}以后开工的区块恰为{}个", n(a)),
                (Some(a), Some(b)) => format!("{after}以后开工的区块为{}至{}个", n(a), n(b)),
                (Some(a), None) => format!("{after}以后开工的区块不少于{}个", n(a)),
                (None, Some(b)) => format!("{after}以后开工的区块不超过{}个", n(b)),
                (None, None) => format!("{after}以后开工的区块个数不限"),
            }
        }
    }
}

/// The restrictions of a box, each as Chinese text.
pub fn box_rules_zh(d: &Discovery, b: &PrimBox, months: usize) -> Vec<String> {
    b.restrictions().iter().map(|r| restriction_text_zh(d.features[r.column].1, r, months)).collect()
}

/// One restriction as text. `months` is the number of simulated months (a start at that index
/// means "not by the horizon").
pub fn restriction_text(kind: FeatureKind, r: &Restriction, months: usize) -> String {
    let (lo, hi) = (r.lower, r.upper);
    let range = |f: &dyn Fn(f64) -> String, name: &str| match (lo, hi) {
        (Some(a), Some(b)) => format!("{} ≤ {name} ≤ {}", f(a), f(b)),
        (Some(a), None) => format!("{name} ≥ {}", f(a)),
        (None, Some(b)) => format!("{name} ≤ {}", f(b)),
        (None, None) => format!("any {name}"),
    };
    match kind {
        FeatureKind::Factor(k) => {
            let name = format!("the {} factor", FACTORS[k].replace('.', " "));
            range(&|x| format!("{x:+.2} sd"), &name)
        }
        FeatureKind::City(p) => range(&|x| param_value(p, x), PARAMS[p].path),
        FeatureKind::BlockStart(id) => {
            let never = months as f64;
            match (lo, hi) {
                (Some(a), _) if a >= never => format!("block {id} does not start by the horizon"),
                (Some(a), Some(b)) if b >= never => {
                    format!("block {id} starts in {} or later (or not at all)", month(a))
                }
                (Some(a), Some(b)) => format!("block {id} starts between {} and {}", month(a), month(b)),
                (Some(a), None) => format!("block {id} starts in {} or later (or not at all)", month(a)),
                (None, Some(b)) => format!("block {id} starts by {}", month(b)),
                (None, None) => format!("block {id} starts at any time"),
            }
        }
        FeatureKind::StartsAfter(m) => {
            let after = month(m as f64);
            let n = |x: f64| thousands(x);
            match (lo, hi) {
                (Some(a), Some(b)) if a == b => format!("exactly {} blocks start after {after}", n(a)),
                (Some(a), Some(b)) => format!("{} to {} blocks start after {after}", n(a), n(b)),
                (Some(a), None) => format!("≥ {} blocks start after {after}", n(a)),
                (None, Some(b)) => format!("at most {} blocks start after {after}", n(b)),
                (None, None) => format!("any number of blocks start after {after}"),
            }
        }
    }
}

/// The restrictions of a box, each as text.
pub fn box_rules(d: &Discovery, b: &PrimBox, months: usize) -> Vec<String> {
    b.restrictions().iter().map(|r| restriction_text(d.features[r.column].1, r, months)).collect()
}

/// The headline sentence about the chosen box.
pub fn headline(d: &Discovery, b: &PrimBox, months: usize, what: &str) -> String {
    let rules = box_rules(d, b, months);
    let condition =
        if rules.is_empty() { "in any trial".to_string() } else { format!("where {}", rules.join(" and ")) };
    format!(
        "{what} is missed in {:.0}% of trials {condition}; these trials are {:.0}% of all misses and {:.0}% of all trials (overall, {what} is missed in {:.0}% of trials).",
        b.density() * 100.0,
        b.coverage() * 100.0,
        b.mass() * 100.0,
        d.miss_rate() * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(lower: Option<f64>, upper: Option<f64>) -> Restriction {
        Restriction { column: 0, lower, upper }
    }

    #[test]
    fn rules_read_as_sentences() {
        assert_eq!(restriction_text(FeatureKind::Factor(0), &r(None, Some(-0.6)), 38), "the macro factor ≤ -0.60 sd");
        // month index 10 = 2025-09
        assert_eq!(
            restriction_text(FeatureKind::StartsAfter(10), &r(Some(4.0), None), 38),
            "≥ 4 blocks start after 2025-09"
        );
        assert_eq!(
            restriction_text(FeatureKind::BlockStart(16), &r(Some(16.0), None), 38),
            "block 16 starts in 2026-03 or later (or not at all)"
        );
        assert_eq!(
            restriction_text(FeatureKind::BlockStart(16), &r(Some(38.0), None), 38),
            "block 16 does not start by the horizon"
        );
        let p = crate::scenario::ParamId::BaseRevenue2024Cny as usize;
        assert_eq!(
            restriction_text(FeatureKind::City(p), &r(None, Some(7.42e10)), 38),
            "base.revenue_2024_cny ≤ ¥74.2 bn"
        );
    }

    #[test]
    fn rules_read_as_chinese_sentences_with_no_code_ids() {
        assert_eq!(
            restriction_text_zh(FeatureKind::StartsAfter(10), &r(Some(4.0), None), 38),
            "2025年9月以后开工的区块不少于4个"
        );
        assert_eq!(
            restriction_text_zh(FeatureKind::BlockStart(16), &r(Some(16.0), None), 38),
            "区块16于2026年3月或以后开工（或未开工）"
        );
        assert_eq!(
            restriction_text_zh(FeatureKind::BlockStart(16), &r(Some(38.0), None), 38),
            "区块16在预测期内未开工"
        );
        let p = crate::scenario::ParamId::BaseRevenue2024Cny as usize;
        let revenue = restriction_text_zh(FeatureKind::City(p), &r(None, Some(7.42e10)), 38);
        assert!(revenue.ends_with("不高于742亿元"), "{revenue}");
        for k in 0..FACTORS.len() {
            let t = restriction_text_zh(FeatureKind::Factor(k), &r(Some(-0.6), Some(0.5)), 38);
            assert!(t.ends_with("在-0.60个标准差至+0.50个标准差之间"), "{t}");
            assert!(!t.chars().any(|c| c.is_ascii_alphabetic()), "{t}");
        }
        for (q, def) in PARAMS.iter().enumerate() {
            if matches!(def.scope, crate::scenario::Scope::City) {
                let t = restriction_text_zh(FeatureKind::City(q), &r(Some(1.0), None), 38);
                assert!(!t.contains('_') && !t.contains("base."), "{t}");
            }
        }
    }
}
