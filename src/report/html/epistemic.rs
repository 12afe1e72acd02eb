//! The epistemic band beside each headline probability of a run's report: P(met) across the
//! plausible worlds of the run's band pass ([`crate::report::epistemic`]), in whole percent
//! (a band from a hundred worlds carries no tenths).

use super::escape;
use crate::report::charts::Lang;
use crate::report::epistemic::{EpistemicBand, EpistemicView};
use crate::report::view::RunView;
use crate::seeds::TargetId;

/// A band bound in whole percent ("<1%" and ">99%" at the edges, as a probability shows them).
fn whole(p: f64) -> String {
    let r = (p * 100.0).round();
    if p > 0.0 && r == 0.0 {
        "<1%".into()
    } else if p < 1.0 && r == 100.0 {
        ">99%".into()
    } else {
        format!("{r:.0}%")
    }
}

fn band(s: &RunView, target: Option<TargetId>) -> Option<&EpistemicBand> {
    s.epistemic.as_ref().and_then(|e| e.band(target))
}

/// The range in words: "介于3%至48%之间" / "between 3% and 48%"; "约为0%" / "about 0%" when
/// both ends show the same.
fn range(l: Lang, b: &EpistemicBand) -> String {
    let (lo, hi) = (whole(b.p10), whole(b.p90));
    if lo == hi {
        return match l {
            Lang::Zh => format!("约为{}", in_words(l, &lo)),
            Lang::En => format!("about {}", in_words(l, &lo)),
        };
    }
    let (lo, hi) = (in_words(l, &lo), in_words(l, &hi));
    match l {
        // "介于1%至99%以上" (an open end needs no closing 之间)
        Lang::Zh if hi.ends_with("以上") => format!("介于{lo}至{hi}"),
        Lang::Zh => format!("介于{lo}至{hi}之间"),
        Lang::En => format!("between {lo} and {hi}"),
    }
}

/// A percent of [`whole`] as a sentence reads it: "<1%" → "不足1%" / "under 1%", ">99%" →
/// "99%以上" / "over 99%" (a sign inside a sentence reads as a typo).
fn in_words(l: Lang, p: &str) -> String {
    match (l, p.strip_prefix('<'), p.strip_prefix('>')) {
        (Lang::Zh, Some(v), _) => format!("不足{v}"),
        (Lang::Zh, _, Some(v)) => format!("{v}以上"),
        (Lang::En, Some(v), _) => format!("under {v}"),
        (Lang::En, _, Some(v)) => format!("over {v}"),
        _ => p.to_string(),
    }
}

/// The clause the headline adds inside its bracket, after the simulation error.
pub fn headline_clause(s: &RunView, l: Lang, target: Option<TargetId>) -> String {
    let Some(b) = band(s, target) else { return String::new() };
    match l {
        Lang::Zh => format!("；在尚不掌握的基数与参数的各种可能取值下，八成情况{}", range(l, b)),
        Lang::En => format!(
            "; across what we do not know (the base and the calibration), {} in 80% of plausible worlds",
            range(l, b)
        ),
    }
}

/// The bracket a conclusion adds after its probability: "（视尚不掌握的情况，介于3%至48%之间）".
pub fn conclusion_clause(s: &RunView, l: Lang, target: Option<TargetId>) -> String {
    let Some(b) = band(s, target) else { return String::new() };
    match l {
        Lang::Zh => format!("（视尚不掌握的情况，{}）", range(l, b)),
        Lang::En => format!(" ({} across what we do not know)", range(l, b)),
    }
}

/// The probability table's extra column: its head, if the run has bands.
pub fn column_head(s: &RunView, l: Lang) -> String {
    match s.epistemic {
        Some(_) => format!("<th>{}</th>", l.t("未知因素范围（10%～90%）", "what we do not know (10–90%)")),
        None => String::new(),
    }
}

/// The column's cell for `target` (`None`: all targets): "3%–48%", with an open end in words
/// ("1%至99%以上": "1%–>99%" reads as a typo).
pub fn cell(s: &RunView, l: Lang, target: Option<TargetId>) -> String {
    match (&s.epistemic, band(s, target)) {
        (Some(_), Some(b)) => {
            let (lo, hi) = (whole(b.p10), whole(b.p90));
            let text = match (l, lo.starts_with('<') || hi.starts_with('>')) {
                (_, false) => l.range(&lo, &hi),
                (Lang::Zh, true) => format!("{}至{}", in_words(l, &lo), in_words(l, &hi)),
                (Lang::En, true) => format!("{} to {}", in_words(l, &lo), in_words(l, &hi)),
            };
            format!("<td>{}</td>", escape(&text))
        }
        (Some(_), None) => "<td></td>".into(),
        (None, _) => String::new(),
    }
}

/// What the column means, for the table's note.
pub fn note(e: &EpistemicView, l: Lang) -> String {
    match l {
        Lang::Zh => format!(
            "未知因素范围：对尚不掌握的现有基数与测算参数（共{}项）各抽取{}组可能取值，每组模拟{}次，所得达成概率由低到高的第10%至第90%位，即八成可能的情况；每组的概率另含约±{:.0}个百分点的模拟误差。各未知因素的影响大小见两层模拟报告。",
            e.unknowns,
            crate::report::format::thousands(e.outer as f64),
            crate::report::format::thousands(e.inner as f64),
            e.world_error_points()
        ),
        Lang::En => format!(
            "What we do not know: the {} uncertain figures of the base and the calibration (epistemic) drawn in {} plausible worlds of {} trials each; the column gives the 10th to 90th percentile of P(met) across them (80% of the plausible worlds). Each world's P(met) also carries a simulation error of about ±{:.0} points. Which unknown matters most: parkcast run --two-level.",
            e.unknowns,
            crate::report::format::thousands(e.outer as f64),
            crate::report::format::thousands(e.inner as f64),
            e.world_error_points()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_whole_percent_and_never_round_to_certainty() {
        assert_eq!(whole(0.034), "3%");
        assert_eq!(whole(0.004), "<1%");
        assert_eq!(whole(0.0), "0%");
        assert_eq!(whole(0.996), ">99%");
        assert_eq!(whole(1.0), "100%");
        assert_eq!(in_words(Lang::Zh, ">99%"), "99%以上");
        assert_eq!(in_words(Lang::Zh, "<1%"), "不足1%");
        assert_eq!(in_words(Lang::En, ">99%"), "over 99%");
        assert_eq!(in_words(Lang::Zh, "35%"), "35%");
        let b = EpistemicBand { target: None, p10: 0.03, median: 0.16, p90: 0.48 };
        assert_eq!(range(Lang::Zh, &b), "介于3%至48%之间");
        assert_eq!(range(Lang::En, &b), "between 3% and 48%");
        let same = EpistemicBand { target: None, p10: 0.0, median: 0.0, p90: 0.0 };
        assert_eq!(range(Lang::Zh, &same), "约为0%");
        assert_eq!(range(Lang::En, &same), "about 0%");
    }
}
