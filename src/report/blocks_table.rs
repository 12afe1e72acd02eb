//! `parkcast blocks`: the annex's 20 blocks as a table.

use super::table::{Align, TextTable};
use crate::seeds::{Block, ANNEX_TOTAL_MU};

/// The block table: id, Chinese and English names, district, mu, land type, start (with a
/// published start where the seeds give one), developer kind.
pub fn render(blocks: &[Block]) -> String {
    let mut t = TextTable::new(&[
        ("id", Align::Right),
        ("name (区块名称)", Align::Left),
        ("English name", Align::Left),
        ("district", Align::Left),
        ("mu", Align::Right),
        ("land", Align::Left),
        ("start (开工时间)", Align::Left),
        ("developer kind*", Align::Left),
    ]);
    for b in blocks {
        t.row(vec![
            b.id.to_string(),
            b.name_zh.clone(),
            truncate(&b.name_en, 42),
            b.district.label_zh().to_string(),
            format!("{:.1}", b.land_mu),
            b.land_type.key().to_string(),
            match &b.known_start {
                Some(k) => format!("{} ({} {}†)", b.start_zh, b.start.describe_en(), k.started_in),
                None => format!("{} ({})", b.start_zh, b.start.describe_en()),
            },
            b.developer_kind.key().to_string(),
        ]);
    }
    let total: f64 = blocks.iter().map(|b| b.land_mu).sum();
    let mut out = t.render();
    out.push_str(&format!(
        "{} blocks, {total:.1} mu in all (annex total {ANNEX_TOTAL_MU} mu)\n\
         * added classification, not in the annex: see seeds/README.md\n",
        blocks.len()
    ));
    if blocks.iter().any(|b| b.known_start.is_some()) {
        out.push_str("† published start, not in the annex: its source is in seeds/blocks.csv (known_start_source)\n");
    }
    out
}

/// Shortens text to at most `max` characters, ending in "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}
