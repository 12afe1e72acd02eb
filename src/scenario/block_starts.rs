//! `[blocks.<id>] start.at = "YYYY-MM"`: a block's construction start pinned to a month in
//! every trial — "what if block 13 starts in 2026-06?". Nothing else is added to it: the
//! start-delay, hazard, developer-search and rezoning draws that the block's groups would give
//! it do not apply (the model treats the start as it treats a start observed in monitoring).
//! Only blocks not yet started (planned or 未定) may be pinned; the month lies between the
//! policy month and the horizon.

use crate::month::Month;
use crate::seeds::{Seeds, StartStatus};
use crate::toml_tree::{Node, Origin, Problems, Value};

/// A pinned start as written: block, month and where it was set.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockStart {
    pub id: u32,
    pub month: Month,
    pub origin: Origin,
}

/// Takes `start.at` out of a `[blocks.<id>]` table (so the parameter reader never sees it) and
/// reads it; `path` is `blocks.<id>`.
pub fn take(id: u32, block: &Node, path: &str, seeds: &Seeds, problems: &mut Problems) -> (Node, Option<BlockStart>) {
    let mut block = block.clone();
    let at = block
        .as_table_mut()
        .and_then(|t| t.get_mut("start"))
        .and_then(|n| n.as_table_mut())
        .and_then(|t| t.remove("at"));
    let Some(at) = at else { return (block, None) };
    let key = format!("{path}.start.at");
    let month = month_of(&at, &key, "the month the block's construction starts, e.g. \"2026-06\"", problems);
    let Some(month) = month else { return (block, None) };
    if let Some(b) = seeds.block(id).filter(|b| b.start == StartStatus::Started) {
        problems.push(
            &at.origin,
            &key,
            format!(
                "block {id} ({}) is already under construction (已开工); start.at pins the start of a block not yet started",
                b.name_zh
            ),
        );
        return (block, None);
    }
    (block, Some(BlockStart { id, month, origin: at.origin.clone() }))
}

/// A month `"YYYY-MM"` at `key` (`what` says what it is, for messages).
pub(crate) fn month_of(at: &Node, key: &str, what: &str, problems: &mut Problems) -> Option<Month> {
    match &at.value {
        Value::String(s) => match s.trim().parse::<Month>() {
            Ok(m) => Some(m),
            Err(e) => {
                problems.push(&at.origin, key, format!("{e} ({what})"));
                None
            }
        },
        other => {
            problems.push(&at.origin, key, format!("expected a month \"YYYY-MM\" in quotes, found {}", other.brief()));
            None
        }
    }
}

/// Checks the pinned months against the policy month and the horizon.
pub fn check_months(starts: &[BlockStart], horizon: Month, problems: &mut Problems) {
    let policy = Month::new(crate::seeds::POLICY_MONTH.0, crate::seeds::POLICY_MONTH.1).expect("valid");
    for s in starts {
        if s.month < policy || s.month > horizon {
            problems.push(
                &s.origin,
                format!("blocks.{}.start.at", s.id),
                format!(
                    "{} is outside the allowed range {policy} (the policy month) to {horizon} (settings.horizon)",
                    s.month
                ),
            );
        }
    }
}
