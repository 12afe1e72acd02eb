//! `goal-seek`: the smallest (or, for a parameter that works the other way, the largest) value
//! of a parameter at which P(met) ≥ p, by bisection on common random numbers, with the interval
//! of the answer that the Monte Carlo error allows.

use super::{evaluate, Common};
use crate::scenario::ScenarioSource;
use crate::seeds::{Seeds, TargetId};
use crate::stats::{Interval, Proportion, Z95};
use crate::Error;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// The most halvings of the bracket per bisection. Each halving costs a simulation, so this
/// is a guarantee rather than a limit anyone should meet: 100 halvings narrow any bracket by
/// 2^100 ≈ 10^30, and a bracket of finite floats reaches one unit in the last place within
/// about 2,100 (the exponent range).
pub const MAX_HALVINGS: usize = 100;

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
        /// Why the bisection stopped (the worst of its three searches).
        stop: Stop,
    },
    NotReached {
        /// P(met) at the two bounds.
        at_low: f64,
        at_high: f64,
    },
}

/// Why a bisection stopped.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub enum Stop {
    /// The bracket became as narrow as the tolerance.
    Tolerance,
    /// The bracket's ends are adjacent floats: no value lies between them, so the tolerance
    /// was below the resolution of floats there. `width` is the bracket's width.
    Resolution { width: f64 },
    /// [`MAX_HALVINGS`] halvings did not reach the tolerance; `width` is the bracket's width.
    Halvings { width: f64 },
}

impl Stop {
    /// The more telling of two reasons (the resolution or the cap over the tolerance).
    fn worst(self, other: Stop) -> Stop {
        let rank = |s: &Stop| match s {
            Stop::Tolerance => 0,
            Stop::Resolution { .. } => 1,
            Stop::Halvings { .. } => 2,
        };
        if rank(&other) > rank(&self) {
            other
        } else {
            self
        }
    }
}

/// The point halfway between `a` and `b`, without overflowing near `f64::MAX`.
fn midpoint(a: f64, b: f64) -> f64 {
    a / 2.0 + b / 2.0
}

/// Bisects between `ok` (where `reached` holds) and `not_ok` until the bracket is as narrow as
/// `tolerance`, cannot shrink (its ends are adjacent floats), or has been halved
/// [`MAX_HALVINGS`] times; checks `cancel` before every halving, as an evaluation served from
/// a cache never reaches the simulation's own check. Returns the end where `reached` holds.
fn bisect(
    (mut ok, mut not_ok): (f64, f64),
    tolerance: f64,
    cancel: &AtomicBool,
    mut reached: impl FnMut(f64) -> Result<bool, Error>,
) -> Result<(f64, Stop), Error> {
    for _ in 0..MAX_HALVINGS {
        if (ok - not_ok).abs() <= tolerance {
            return Ok((ok, Stop::Tolerance));
        }
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Interrupted(format!(
                "goal-seek interrupted with the answer between {ok} and {not_ok}; no output was written"
            )));
        }
        let mid = midpoint(ok, not_ok);
        if mid == ok || mid == not_ok {
            return Ok((ok, Stop::Resolution { width: (ok - not_ok).abs() }));
        }
        if reached(mid)? {
            ok = mid;
        } else {
            not_ok = mid;
        }
    }
    let width = (ok - not_ok).abs();
    Ok((ok, if width <= tolerance { Stop::Tolerance } else { Stop::Halvings { width } }))
}

/// The most evaluations a goal-seek between `bounds` may run: both bounds, then three
/// bisections (the estimate and the two ends of its interval), each of at most the halvings
/// that narrow the bracket to `tolerance` or to the resolution of floats there, and at most
/// [`MAX_HALVINGS`]. Evaluations the bisections share are counted once each time, so the
/// true number is often lower.
pub fn most_evaluations((lo, hi): (f64, f64), tolerance: f64) -> u64 {
    let width = 2.0 * (hi / 2.0 - lo / 2.0);
    // adjacent floats there are at most this far apart
    let resolution = lo.abs().max(hi.abs()) * f64::EPSILON;
    let finest = tolerance.max(resolution).max(f64::MIN_POSITIVE);
    let needed = (width / finest).log2().ceil().max(0.0);
    let halvings = if needed.is_finite() { (needed as u64 + 1).min(MAX_HALVINGS as u64) } else { MAX_HALVINGS as u64 };
    2 + 3 * halvings
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
    let mut search = |which: u8| -> Result<(f64, Stop), Error> {
        if reached(&eval(bad)?, which) {
            return Ok((bad, Stop::Tolerance));
        }
        if !reached(&eval(good)?, which) {
            return Ok((good, Stop::Tolerance));
        }
        bisect((good, bad), q.tolerance, cancel, |x| Ok(reached(&eval(x)?, which)))
    };
    let (value, s0) = search(0)?;
    let (optimistic, s1) = search(1)?;
    let (pessimistic, s2) = search(2)?;
    let p = eval(value)?;
    let (a, b) = if optimistic <= pessimistic { (optimistic, pessimistic) } else { (pessimistic, optimistic) };
    Ok(GoalSeekResult::Found {
        value,
        increasing,
        p_met: p.estimate(),
        ci: p.wilson(Z95),
        interval: (a, b),
        evaluations: cache.len(),
        stop: s0.worst(s1).worst(s2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> AtomicBool {
        AtomicBool::new(false)
    }

    #[test]
    fn bisection_stops_at_the_tolerance() {
        let (x, stop) = bisect((10.0, 0.0), 0.01, &never(), |x| Ok(x >= std::f64::consts::PI)).unwrap();
        assert_eq!(stop, Stop::Tolerance);
        assert!(x >= std::f64::consts::PI && x - std::f64::consts::PI <= 0.01, "{x}");
    }

    #[test]
    fn a_tolerance_below_the_resolution_stops_at_adjacent_floats() {
        // the reproducer's bracket: floats near 9e10 are 1.5e-5 apart, more than 1e-6
        let calls = std::cell::Cell::new(0);
        let (x, stop) = bisect((9e10, 6e10), 1e-6, &never(), |x| {
            calls.set(calls.get() + 1);
            Ok(x >= 7.5e10 + 0.3)
        })
        .unwrap();
        let Stop::Resolution { width } = stop else { panic!("{stop:?}") };
        assert_eq!(width, 7.5e10f64.next_up() - 7.5e10, "one unit in the last place");
        assert!(x >= 7.5e10 + 0.3 && x - (7.5e10 + 0.3) <= width, "{x}");
        assert!(calls.get() < 60, "{} evaluations", calls.get());
    }

    #[test]
    fn the_halvings_are_capped_and_huge_brackets_do_not_overflow() {
        // an answer near zero in [-MAX, MAX] needs about 2,100 halvings to reach adjacent floats
        let (x, stop) = bisect((f64::MAX, -f64::MAX), 1e-300, &never(), |x| Ok(x >= 1e-200)).unwrap();
        let Stop::Halvings { width } = stop else { panic!("{stop:?}") };
        assert!(x.is_finite() && x >= 1e-200 && width.is_finite() && width > 0.0, "{x} {width}");
    }

    #[test]
    fn a_cancelled_bisection_stops_at_once_even_without_new_evaluations() {
        let cancel = AtomicBool::new(true);
        let err = bisect((1.0, 0.0), 1e-9, &cancel, |_| Ok(true)).unwrap_err();
        assert!(matches!(err, Error::Interrupted(_)), "{err}");
    }

    #[test]
    fn the_evaluations_are_bounded_before_starting() {
        // the reproducer: 51 halvings to adjacent floats near 9e10 (148 evaluations measured)
        assert_eq!(most_evaluations((6e10, 9e10), 1e-6), 2 + 3 * 52);
        // the default tolerance, a 200th of the bracket: 8 halvings
        assert_eq!(most_evaluations((0.0, 12.0), 12.0 / 200.0), 2 + 3 * 9);
        assert_eq!(most_evaluations((-f64::MAX, f64::MAX), 1e-300), 2 + 3 * MAX_HALVINGS as u64);
        assert_eq!(most_evaluations((0.0, 1.0), 5.0), 2 + 3);
    }

    #[test]
    fn the_worst_reason_is_kept() {
        let r = Stop::Resolution { width: 1.0 };
        assert_eq!(Stop::Tolerance.worst(r), r);
        assert_eq!(r.worst(Stop::Tolerance), r);
        assert_eq!(r.worst(Stop::Halvings { width: 2.0 }), Stop::Halvings { width: 2.0 });
    }
}
