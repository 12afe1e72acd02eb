//! The terminal table of `monitor --two-level`: per target, P(met) across what we do not know
//! before and after the observations, and how much of it they settled.

use super::format::percent;
use super::table::{Align, TextTable};
use crate::monitor::settled::{Settled, SettledRow};

/// `revenue (营业收入)` or `all targets (全部)`.
pub fn row_name(r: &SettledRow) -> String {
    match r.target {
        Some(t) => format!("{} ({})", t.key(), t.label_zh()),
        None => "all targets (全部)".into(),
    }
}

/// The share removed as the table shows it: `87%`, or `–` when nothing varied before.
pub fn removed_text(r: &SettledRow) -> String {
    r.variance_removed().map_or("–".into(), |x| format!("{:.0}%", x * 100.0))
}

pub fn table(s: &Settled) -> String {
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        ("P(met) 10–90% before", Align::Right),
        ("after", Align::Right),
        ("width before → after (points)", Align::Right),
        ("across-world variance removed", Align::Right),
    ]);
    for r in &s.rows {
        let (b, a) = (&r.before, &r.after);
        t.row(vec![
            row_name(r),
            format!("{} – {}", percent(b.p10), percent(b.p90)),
            format!("{} – {}", percent(a.p10), percent(a.p90)),
            format!("{:.1} → {:.1}", b.width() * 100.0, a.width() * 100.0),
            removed_text(r),
        ]);
    }
    t.render()
}
