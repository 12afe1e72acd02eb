//! The terminal tables of `run --two-level`: P(met) across plausible worlds, and which unknown
//! to measure first.

use super::format::percent;
use super::table::{Align, TextTable};
use crate::engine::two_level::{short_key, Bands, TwoLevel};
use crate::seeds::TargetId;

/// The output's name: `revenue (营业收入)` or `all targets (全部)`.
pub fn output_name(b: &Bands) -> String {
    match b.target {
        Some(m) => format!("{} ({})", TargetId::ALL[m].key(), TargetId::ALL[m].label_zh()),
        None => "all targets (全部)".into(),
    }
}

/// The output's key in files: `revenue`, …, `all`.
pub fn output_key(b: &Bands) -> &'static str {
    match b.target {
        Some(m) => TargetId::ALL[m].key(),
        None => "all",
    }
}

/// P(met) across worlds per target.
pub fn bands(t: &TwoLevel) -> String {
    let mut table = TextTable::new(&[
        ("target", Align::Left),
        ("P(met) pooled", Align::Right),
        ("median world", Align::Right),
        ("80% of worlds", Align::Right),
        ("90% of worlds", Align::Right),
        ("worlds with P ≥ 50%", Align::Right),
    ]);
    for b in &t.outputs {
        table.row(vec![
            output_name(b),
            percent(b.pooled),
            percent(b.median),
            format!("{}–{}", percent(b.p10), percent(b.p90)),
            format!("{}–{}", percent(b.p05), percent(b.p95)),
            format!("{} ({}–{})", percent(b.likely), percent(b.likely_ci.low), percent(b.likely_ci.high)),
        ]);
    }
    table.render()
}

/// How many of the unknowns to list per target.
pub const TOP: usize = 5;

/// The unknowns that explain most of each target's across-world variance, with a sentence.
pub fn measure_first(t: &TwoLevel) -> String {
    let mut out = String::new();
    for b in &t.outputs {
        out.push_str(&format!("{}: {}\n", output_name(b), sentence(t, b)));
        let Some(shares) = &b.shares else { continue };
        let mut table = TextTable::new(&[
            ("rank", Align::Right),
            ("unknown", Align::Left),
            ("share explained", Align::Right),
            ("95% interval", Align::Right),
        ]);
        for (i, k) in t.ranked(b).into_iter().take(TOP).enumerate() {
            let s = shares[k];
            let u = &t.unknowns[k];
            let name = match u.blocks.len() {
                0 => short_key(u).to_string(),
                1 => format!("{} (1 block)", short_key(u)),
                n => format!("{} ({n} blocks)", short_key(u)),
            };
            table.row(vec![
                (i + 1).to_string(),
                name,
                percent(s.estimate.max(0.0)),
                format!("{}–{}", percent(s.low.max(0.0)), percent(s.high.max(0.0))),
            ]);
        }
        out.push_str(&table.render());
    }
    out
}

/// One sentence in words: what knowing the first unknown would settle.
pub fn sentence(t: &TwoLevel, b: &Bands) -> String {
    let spread = format!(
        "P(met) is between {} and {} in 80% of the plausible worlds (median {})",
        percent(b.p10),
        percent(b.p90),
        percent(b.median)
    );
    let Some(shares) = &b.shares else {
        return format!(
            "{spread}; it hardly varies with what we do not know, so no unknown is worth measuring first for it."
        );
    };
    let ranked = t.ranked(b);
    let Some(&first) = ranked.first() else { return format!("{spread}.") };
    let s = shares[first].estimate.max(0.0);
    let how_much = if s >= 0.5 {
        "most"
    } else if s >= 0.25 {
        "a large part"
    } else if s >= 0.1 {
        "some"
    } else {
        "little"
    };
    format!(
        "{spread}; knowing {} would settle {how_much} ({}) of what we do not know about it.",
        short_key(&t.unknowns[first]),
        percent(s)
    )
}
