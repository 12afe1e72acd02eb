//! The inputs scenario discovery looks at, one value per trial: the common factors, the
//! uncertain city-wide parameters, each counted block's start month, and how many blocks start
//! after a given month (the count a rule like "≥ 4 blocks start after 2025-09" reads).

use super::inputs::{uncertain_inputs, InputKind};
use crate::engine::{map_rows, RunError};
use crate::model::{run_trial, Plan, TrialBuffers, METRIC_COUNT, NOT_BY_HORIZON};
use crate::month::Month;
use crate::scenario::{Scenario, FACTORS, PARAMS};
use std::sync::atomic::AtomicBool;

/// What a feature measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FeatureKind {
    /// A common factor, in standard deviations (macro including its mean).
    Factor(usize),
    /// A city-wide parameter's draw.
    City(usize),
    /// A block's construction start, as a month index since 2024-11 (not by the horizon: the
    /// month after the horizon). The block is the annex id.
    BlockStart(u32),
    /// How many counted blocks start after this month index (not by the horizon counts too).
    StartsAfter(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub kind: FeatureKind,
    /// Column name, e.g. `factor.macro`, `base.revenue_2024_cny`, `start.b16`, `starts_after.2025-09`.
    pub name: String,
    pub values: Vec<f64>,
}

/// Trials as a table: features and the metrics at the deadline.
#[derive(Clone, Debug)]
pub struct TrialTable {
    pub features: Vec<Feature>,
    /// `metrics[m][trial]`.
    pub metrics: [Vec<f64>; METRIC_COUNT],
}

/// The months `StartsAfter` counts are taken at: every quarter end from 2025-03 to the deadline.
fn count_months(plan: &Plan) -> Vec<i64> {
    let first = Month::new(2025, 3).expect("valid").since(plan.month_label(0)) as i64;
    (first..plan.deadline as i64 + 1).step_by(3).collect()
}

struct Row {
    metrics: [f64; METRIC_COUNT],
    factors: [f64; 7],
    city: Vec<f64>,
    starts: Vec<i16>,
}

/// Runs trials `0..trials` of the scenario and tabulates them.
pub fn trial_table(
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    trials: u64,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<TrialTable, RunError> {
    let city: Vec<usize> = uncertain_inputs(scenario, plan)
        .iter()
        .filter_map(|i| match i.kind {
            InputKind::CityParam(p) => Some(p),
            _ => None,
        })
        .collect();
    let counted: Vec<usize> = (0..plan.blocks.len()).filter(|&i| plan.blocks[i].counted).collect();
    let rows = map_rows(
        trials as usize,
        threads,
        cancel,
        progress,
        || TrialBuffers::new(plan),
        |buf, t| {
            run_trial(plan, seed, t as u64, buf);
            let o = &buf.outcome;
            Row {
                metrics: o.at_deadline,
                factors: o.factors,
                city: city.iter().map(|&p| o.city_values[p]).collect(),
                starts: counted.iter().map(|&i| o.block_start[i]).collect(),
            }
        },
    )?;
    let after_horizon = plan.months as f64;
    let start_value = |m: i16| if m == NOT_BY_HORIZON { after_horizon } else { m as f64 };
    let mut features = Vec::new();
    for (k, name) in FACTORS.iter().enumerate() {
        features.push(Feature {
            kind: FeatureKind::Factor(k),
            name: format!("factor.{name}"),
            values: rows.iter().map(|r| r.factors[k]).collect(),
        });
    }
    for (j, &p) in city.iter().enumerate() {
        features.push(Feature {
            kind: FeatureKind::City(p),
            name: PARAMS[p].path.to_string(),
            values: rows.iter().map(|r| r.city[j]).collect(),
        });
    }
    for (j, &i) in counted.iter().enumerate() {
        let id = plan.blocks[i].id;
        // blocks already started before the policy date always have a negative start: no information
        if rows.iter().all(|r| r.starts[j] < 0) {
            continue;
        }
        features.push(Feature {
            kind: FeatureKind::BlockStart(id),
            name: format!("start.b{id}"),
            values: rows.iter().map(|r| start_value(r.starts[j])).collect(),
        });
    }
    for m in count_months(plan) {
        features.push(Feature {
            kind: FeatureKind::StartsAfter(m),
            name: format!("starts_after.{}", plan.month_label(m as usize)),
            values: rows
                .iter()
                .map(|r| r.starts.iter().filter(|&&s| start_value(s) > m as f64).count() as f64)
                .collect(),
        });
    }
    let metrics = std::array::from_fn(|m| rows.iter().map(|r| r.metrics[m]).collect());
    Ok(TrialTable { features, metrics })
}
