//! `compare`: several scenarios on common random numbers, with paired differences against the
//! first.

use super::{evaluate, paired_difference, Common, Evaluated};
use crate::scenario::ScenarioSource;
use crate::seeds::{Seeds, TargetId};
use crate::stats::{Interval, Z95};
use crate::Error;
use std::sync::atomic::AtomicBool;

/// One scenario × target (or all targets, `target = None`).
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    pub scenario: String,
    pub target: Option<TargetId>,
    pub p_met: f64,
    pub ci: Interval,
    /// Paired difference against the first scenario: (mean, low, high).
    pub diff: (f64, f64, f64),
}

/// Runs every scenario and compares each with the first.
pub fn compare(
    sources: &[ScenarioSource],
    overrides: &[String],
    seeds: &Seeds,
    common: Common,
    cancel: &AtomicBool,
) -> Result<Vec<CompareRow>, Error> {
    let evaluated: Vec<Evaluated> =
        sources.iter().map(|s| evaluate(s, overrides, seeds, common, cancel)).collect::<Result<_, _>>()?;
    let first = &evaluated[0];
    let n = common.trials as usize;
    let mut rows = Vec::new();
    for e in &evaluated {
        for (m, id) in TargetId::ALL.iter().enumerate() {
            if e.plan.thresholds[m].is_none() {
                continue;
            }
            let p = e.proportion(Some(m));
            rows.push(CompareRow {
                scenario: e.scenario.name.clone(),
                target: Some(*id),
                p_met: p.estimate(),
                ci: p.wilson(Z95),
                diff: paired_difference(|t| first.met(m, t), |t| e.met(m, t), n),
            });
        }
        let p = e.proportion(None);
        rows.push(CompareRow {
            scenario: e.scenario.name.clone(),
            target: None,
            p_met: p.estimate(),
            ci: p.wilson(Z95),
            diff: paired_difference(|t| first.all_met(t), |t| e.all_met(t), n),
        });
    }
    Ok(rows)
}
