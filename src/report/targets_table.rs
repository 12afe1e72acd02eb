//! A target set as a table.

use super::table::{Align, TextTable};
use crate::scenario::distribution::fmt_num;
use crate::seeds::TargetSet;

pub fn render(set: &TargetSet) -> String {
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        ("目标", Align::Left),
        ("threshold", Align::Right),
        ("what counts", Align::Left),
    ]);
    for target in &set.targets {
        let number = if target.unit == "cny" {
            format!("¥{} bn", fmt_num(target.threshold / 1e9))
        } else {
            fmt_num(target.threshold).replace('_', ",")
        };
        let threshold = format!("≥ {number}{}", if target.about { " (about)" } else { "" });
        t.row(vec![target.id.key().to_string(), target.id.label_zh().to_string(), threshold, target.counts.clone()]);
    }
    format!(
        "Targets {} — {} ({}), judged at the end of {}\n{}\nSource: {}\n",
        set.id,
        set.label_en,
        set.label_zh,
        set.deadline,
        t.render().trim_end(),
        set.source
    )
}
