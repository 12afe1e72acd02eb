//! `goal-seek`: the smallest (or, for a parameter that works the other way, the largest) value
//! of a parameter at which P(met) ≥ p, by bisection on common random numbers, with the interval
//! of the answer that the Monte Carlo error allows.

use super::{evaluate, Common};
use crate::scenario::ScenarioSource;
use crate::seeds::{Seeds, TargetId};
use crate::stats::{Interval, Proportion, Z95};
use crate::Error;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

/// Which target the probability is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetChoice {
    One(TargetId),
    All,
}

/// The question.
pub struct GoalSeek<'a> {
    pub source: &'a ScenarioSource,
    pub overrides: &'a [String],
    pub path: &'a str,
    pub target: TargetChoice,
    pub prob: f64,
    pub bounds: (f64, f64),
    /// Stop when the bracket is this narrow.
    pub tolerance: f64,
}

/// The answer.
#[derive(Clone, Debug, PartialEq)]
pub enum GoalSeekResult {
    Found {
        value: f64,
        /// True if P(met) rises with the parameter (the smallest value is sought).
        increasing: bool,
        p_met: f64,
        ci: Interval,
        /// Values between which the answer lies given the Monte Carlo error: where the 95 %
        /// interval's upper and lower ends reach p.
        interval: (f64, f64),
        evaluations: usize,
    },
    NotReached {
        /// P(met) at the two bounds.
        at_low: f64,
        at_high: f64,
    },
}

/// Solves a goal-seek question.
pub fn goal_seek(q: &GoalSeek, seeds: &Seeds, common: Common, cancel: &AtomicBool) -> Result<GoalSeekResult, Error> {
    let mut cache: BTreeMap<u64, Proportion> = BTreeMap::new();
    let mut eval = |x: f64| -> Result<Proportion, Error> {
        if let Some(p) = cache.get(&x.to_bits()) {
            return Ok(*p);
        }
        let mut o = q.overrides.to_vec();
        o.push(format!("{}={x}", q.path));
        let e = evaluate(q.source, &o, seeds, common, cancel)?;
        let m = match q.target {
            TargetChoice::One(id) => {
                let m = TargetId::ALL.iter().position(|t| *t == id).expect("metric");
                if e.plan.thresholds[m].is_none() {
                    return Err(Error::Usage(format!(
                        "--target {}: the target set {} has no such target",
                        id.key(),
                        e.scenario.target_set.id
                    )));
                }
                Some(m)
            }
            TargetChoice::All => None,
        };
        let p = e.proportion(m);
        cache.insert(x.to_bits(), p);
        Ok(p)
    };
    let (lo, hi) = q.bounds;
    let (p_lo, p_hi) = (eval(lo)?, eval(hi)?);
    let increasing = p_hi.estimate() >= p_lo.estimate();
    // the end where the target is easiest to meet, and the other end
    let (good, bad) = if increasing { (hi, lo) } else { (lo, hi) };
    let reached = |p: &Proportion, which: u8| match which {
        0 => p.estimate() >= q.prob,
        1 => p.wilson(Z95).high >= q.prob, // optimistic: could reach p
        _ => p.wilson(Z95).low >= q.prob,  // pessimistic: surely reaches p
    };
    if !reached(&eval(good)?, 0) {
        return Ok(GoalSeekResult::NotReached { at_low: p_lo.estimate(), at_high: p_hi.estimate() });
    }
    let mut bisect = |which: u8| -> Result<f64, Error> {
        let (mut ok, mut not_ok) = (good, bad);
        if reached(&eval(not_ok)?, which) {
            return Ok(not_ok);
        }
        if !reached(&eval(ok)?, which) {
            return Ok(ok);
        }
        while (ok - not_ok).abs() > q.tolerance {
            let mid = (ok + not_ok) / 2.0;
            if reached(&eval(mid)?, which) {
                ok = mid;
            } else {
                not_ok = mid;
            }
        }
        Ok(ok)
    };
    let value = bisect(0)?;
    let optimistic = bisect(1)?;
    let pessimistic = bisect(2)?;
    let p = eval(value)?;
    let (a, b) = if optimistic <= pessimistic { (optimistic, pessimistic) } else { (pessimistic, optimistic) };
    Ok(GoalSeekResult::Found {
        value,
        increasing,
        p_met: p.estimate(),
        ci: p.wilson(Z95),
        interval: (a, b),
        evaluations: cache.len(),
    })
}
