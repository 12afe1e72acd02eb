//! `[blocks.<id>] delivered.at = "YYYY-MM"` and `dropped = true`: the other direct per-block
//! what-ifs beside [`super::block_starts`]' `start.at`. Each overrides every inherited delay: a
//! delivered block operates (its first phase delivered) in that month in every trial, whatever
//! its start, build and fit-out draws would give; a dropped block leaves the list and counts
//! toward no target. Since a direct setting replaces the draws that delays add to, group delays
//! cannot stack on it; they can stack on a block's own start *parameters* (its
//! `start.decision_lag_months`, `start.hazard_per_month`, …), and [`warn_stacked_delays`] says
//! so.

use super::block_starts::{month_of, BlockStart};
use super::{Level, Param, ParamId, PARAMS};
use crate::month::Month;
use crate::seeds::{Block, StartStatus};
use crate::toml_tree::{Node, Origin, Problems, Value};

/// A delivery pinned as written: block, month and where it was set.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockDelivery {
    pub id: u32,
    pub month: Month,
    pub origin: Origin,
}

/// A block dropped from the list, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockDrop {
    pub id: u32,
    pub origin: Origin,
}

/// Takes `delivered.at` and `dropped` out of a `[blocks.<id>]` table (so the parameter reader
/// never sees them) and reads them; `path` is `blocks.<id>`.
pub fn take(
    id: u32,
    block: Node,
    path: &str,
    problems: &mut Problems,
) -> (Node, Option<BlockDelivery>, Option<BlockDrop>) {
    let mut block = block;
    let Some(table) = block.as_table_mut() else { return (block, None, None) };
    let mut delivery = None;
    if let Some(delivered) = table.remove("delivered") {
        match delivered.as_table() {
            Some(t) => {
                for (key, n) in t.iter().filter(|(k, _)| *k != "at") {
                    problems.push(
                        &n.origin,
                        format!("{path}.delivered.{key}"),
                        crate::toml_tree::unknown_key_message(key, &["at"]),
                    );
                }
                if let Some(at) = t.get("at") {
                    let key = format!("{path}.delivered.at");
                    let what = "the month the block is delivered and starts operating, e.g. \"2027-03\"";
                    delivery = month_of(at, &key, what, problems).map(|month| BlockDelivery {
                        id,
                        month,
                        origin: at.origin.clone(),
                    });
                }
            }
            None => problems.push(
                &delivered.origin,
                format!("{path}.delivered"),
                format!("expected delivered.at = \"YYYY-MM\", found {}", delivered.value.brief()),
            ),
        }
    }
    let mut drop = None;
    if let Some(d) = table.remove("dropped") {
        match d.value {
            Value::Boolean(true) => drop = Some(BlockDrop { id, origin: d.origin.clone() }),
            Value::Boolean(false) => {}
            ref other => problems.push(
                &d.origin,
                format!("{path}.dropped"),
                format!("expected true or false, found {}", other.brief()),
            ),
        }
    }
    (block, delivery, drop)
}

/// Checks the deliveries against the policy month, the horizon and the block's pinned start,
/// and that a dropped block has no dates.
pub fn check(
    starts: &[BlockStart],
    deliveries: &[BlockDelivery],
    drops: &[BlockDrop],
    horizon: Month,
    problems: &mut Problems,
) {
    let policy = Month::new(crate::seeds::POLICY_MONTH.0, crate::seeds::POLICY_MONTH.1).expect("valid");
    for d in deliveries {
        let key = format!("blocks.{}.delivered.at", d.id);
        if d.month < policy || d.month > horizon {
            problems.push(
                &d.origin,
                &key,
                format!(
                    "{} is outside the allowed range {policy} (the policy month) to {horizon} (settings.horizon)",
                    d.month
                ),
            );
        } else if let Some(s) = starts.iter().find(|s| s.id == d.id && d.month < s.month) {
            problems.push(
                &d.origin,
                &key,
                format!(
                    "{} is before blocks.{}.start.at = \"{}\" ({}): a block is delivered after its construction starts",
                    d.month, d.id, s.month, s.origin
                ),
            );
        }
    }
    for drop in drops {
        let dates: Vec<String> = starts
            .iter()
            .filter(|s| s.id == drop.id)
            .map(|s| format!("start.at ({})", s.origin))
            .chain(deliveries.iter().filter(|d| d.id == drop.id).map(|d| format!("delivered.at ({})", d.origin)))
            .collect();
        if !dates.is_empty() {
            problems.push(
                &drop.origin,
                format!("blocks.{}.dropped", drop.id),
                format!(
                    "block {} is dropped, yet given {}: a dropped block is neither started nor delivered; remove one of them",
                    drop.id,
                    dates.join(" and ")
                ),
            );
        }
    }
}

/// The start parameters a block's own setting may give, on which group delays are added.
const START_PARAMS: [ParamId; 4] =
    [ParamId::StartOnTime, ParamId::StartDelayMonths, ParamId::StartDecisionLagMonths, ParamId::StartHazardPerMonth];
/// The delays added on top of a block's start as its groups set them.
const ADDED_DELAYS: [ParamId; 2] = [ParamId::StartRezoningDelayMonths, ParamId::StartNoDeveloperDelayMonths];

/// A warning for each block whose own start parameter (`[blocks.<id>.start]`) the user wrote
/// while a group adds a delay on top of it (the developer search, the rezoning wait): the
/// start then comes later than the block's own setting suggests. A block with `start.at`,
/// `delivered.at` or `dropped` has no start draw, so nothing stacks on it.
pub fn warn_stacked_delays(
    blocks: &[Block],
    params: &[Vec<Param>],
    direct: &dyn Fn(u32) -> bool,
    warnings: &mut Vec<String>,
) {
    for (b, block) in blocks.iter().enumerate() {
        if block.start == StartStatus::Started || direct(block.id) {
            continue;
        }
        let own: Vec<&str> = START_PARAMS
            .iter()
            .filter(|id| params[b][**id as usize].level == Level::Block(block.id))
            .filter(|id| super::param_applies(id.def().path, block))
            .map(|id| id.def().path)
            .collect();
        if own.is_empty() {
            continue;
        }
        for delay in ADDED_DELAYS {
            let p = &params[b][delay as usize];
            let zero = matches!(p.dist, super::Dist::Fixed(x) if x == 0.0);
            if let (Level::Group { .. }, false) = (&p.level, zero) {
                warnings.push(format!(
                    "block {}: {} set for the block itself, but {} adds {} ({}, {}) on top of it, so the start comes later than the block's own setting says; to decide the start directly, write blocks.{}.start.at = \"YYYY-MM\" (nothing is added to it)",
                    block.id,
                    own.iter().map(|p| format!("blocks.{}.{p}", block.id)).collect::<Vec<_>>().join(" and "),
                    p.level,
                    PARAMS[delay as usize].path,
                    p.dist,
                    p.origin,
                    block.id
                ));
            }
        }
    }
}
