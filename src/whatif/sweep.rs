//! `sweep`: P(met) along the values of one parameter, on common random numbers.

use super::{evaluate, Common};
use crate::engine::{self, RunOptions};
use crate::scenario::ScenarioSource;
use crate::seeds::{Seeds, TargetId};
use crate::stats::{Interval, Z95};
use crate::Error;
use std::sync::atomic::AtomicBool;

/// One value × target (or all targets, `target = None`).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    pub value: f64,
    pub target: Option<TargetId>,
    pub p_met: f64,
    pub ci: Interval,
}

/// What to sweep: a key path and its values.
pub struct SweepSpec<'a> {
    pub path: &'a str,
    pub values: &'a [f64],
}

/// Evaluates the scenario with the path set to each value.
pub fn sweep(
    source: &ScenarioSource,
    overrides: &[String],
    spec: &SweepSpec,
    seeds: &Seeds,
    common: Common,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<SweepRow>, Error> {
    let (path, values) = (spec.path, spec.values);
    let value_rows = |&v: &f64, o: &RunOptions| -> Result<Vec<SweepRow>, Error> {
        let mut set = overrides.to_vec();
        set.push(format!("{path}={v}"));
        let e = evaluate(source, &set, seeds, Common { threads: o.threads, ..common }, cancel)?;
        let mut rows = Vec::new();
        for (m, id) in TargetId::ALL.iter().enumerate() {
            if e.plan.thresholds[m].is_some() {
                let p = e.proportion(Some(m));
                rows.push(SweepRow { value: v, target: Some(*id), p_met: p.estimate(), ci: p.wilson(Z95) });
            }
        }
        let p = e.proportion(None);
        rows.push(SweepRow { value: v, target: None, p_met: p.estimate(), ci: p.wilson(Z95) });
        Ok(rows)
    };
    // (values of a few thousand trials each run side by side)
    let rows = engine::side_by_side(values, &common.run_options(), progress, value_rows)?;
    Ok(rows.concat())
}
