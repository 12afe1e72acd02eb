//! Sobol indices of the model: each row of a Saltelli design is one trial whose uncertain
//! inputs are pinned at the row's point (each coordinate mapped through the input's inverse CDF)
//! and whose remaining randomness — firm counts, waiting times, anchor arrivals — comes from a
//! trial stream chosen by one more coordinate, so that intrinsic noise is an input group of its
//! own ("intrinsic").

use super::inputs::{uncertain_inputs, InputKind};
use super::sobol::{estimate_cancellable, SaltelliDesign, SobolError, SobolIndices};
use crate::engine::{map_rows, RunError};
use crate::model::{run_trial_pinned, Pins, Plan, TrialBuffers, METRIC_COUNT};
use crate::scenario::quantile::normal_quantile;
use crate::scenario::{Scenario, PARAMS};
use crate::seeds::TargetId;
use std::sync::atomic::AtomicBool;

/// How inputs are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// One group per parameter path (all blocks' values of it together), per city parameter,
    /// and per kind of common factor (the default).
    Param,
    /// One group per block (all its parameters), per city parameter and per kind of factor.
    Block,
    /// Every input on its own (each block's value of each parameter).
    None,
}

/// What a Sobol analysis explains the variance of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SobolOutput {
    /// A metric at the deadline.
    Metric(usize),
    /// Whether a target is met (1) or not (0).
    Met(usize),
    /// Whether all targets are met.
    AllMet,
}

impl SobolOutput {
    pub fn key(self) -> String {
        match self {
            SobolOutput::Metric(m) => TargetId::ALL[m].key().to_string(),
            SobolOutput::Met(m) => format!("{}_met", TargetId::ALL[m].key()),
            SobolOutput::AllMet => "all_met".into(),
        }
    }

    /// Parses `revenue`, `revenue_met` or `all_met`.
    pub fn parse(key: &str) -> Option<SobolOutput> {
        if key == "all_met" {
            return Some(SobolOutput::AllMet);
        }
        let (base, met) = match key.strip_suffix("_met") {
            Some(b) => (b, true),
            None => (key, false),
        };
        let m = TargetId::ALL.iter().position(|t| t.key() == base)?;
        Some(if met { SobolOutput::Met(m) } else { SobolOutput::Metric(m) })
    }

    fn value(self, plan: &Plan, at_deadline: &[f64; METRIC_COUNT]) -> f64 {
        let met = |m: usize| plan.thresholds[m].is_some_and(|t| at_deadline[m] >= t);
        match self {
            SobolOutput::Metric(m) => at_deadline[m],
            SobolOutput::Met(m) => met(m) as u8 as f64,
            SobolOutput::AllMet => (0..METRIC_COUNT).all(|m| plan.thresholds[m].is_none() || met(m)) as u8 as f64,
        }
    }
}

/// One coordinate of the design.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Dim {
    Block { block: usize, param: usize },
    City(usize),
    FactorZ(usize),
    Noise,
}

/// The result: indices per output, groups in design order.
#[derive(Clone, Debug)]
pub struct ModelSobol {
    pub groups: Vec<String>,
    pub outputs: Vec<(SobolOutput, SobolIndices)>,
    pub n: usize,
    pub dims: usize,
    pub rows: usize,
}

/// Why a Sobol analysis could not run.
#[derive(Debug, thiserror::Error)]
pub enum ModelSobolError {
    #[error("{0}")]
    Design(#[from] SobolError),
    #[error("{0}")]
    Run(#[from] RunError),
}

const FACTOR_GROUPS: [(&str, &[usize]); 3] = [
    ("shocks.macro (common factor)", &[0]),
    ("shocks.districts (district factors beyond the macro)", &[1, 2, 3]),
    ("shocks.industries (industry factors beyond the macro)", &[4, 5, 6]),
];

/// The design's coordinates and groups for a scenario.
fn layout(scenario: &Scenario, plan: &Plan, grouping: Grouping) -> (Vec<Dim>, Vec<String>, Vec<Vec<usize>>) {
    let mut dims = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut add = |name: String, members: Vec<Dim>, dims: &mut Vec<Dim>| {
        let first = dims.len();
        dims.extend(members);
        names.push(name);
        groups.push((first..dims.len()).collect());
    };
    let inputs = uncertain_inputs(scenario, plan);
    let block_dims: Vec<(usize, usize)> = inputs
        .iter()
        .filter_map(|i| match i.kind {
            InputKind::BlockParam(p) => Some(i.blocks.iter().map(move |&b| (b, p))),
            _ => None,
        })
        .flatten()
        .collect();
    match grouping {
        Grouping::Param => {
            for i in &inputs {
                if let InputKind::BlockParam(p) = i.kind {
                    add(
                        i.key.clone(),
                        i.blocks.iter().map(|&b| Dim::Block { block: b, param: p }).collect(),
                        &mut dims,
                    );
                }
            }
        }
        Grouping::Block => {
            for b in 0..plan.blocks.len() {
                let members: Vec<Dim> = block_dims
                    .iter()
                    .filter(|(bb, _)| *bb == b)
                    .map(|&(block, param)| Dim::Block { block, param })
                    .collect();
                if !members.is_empty() {
                    add(format!("block {}", plan.blocks[b].id), members, &mut dims);
                }
            }
        }
        Grouping::None => {
            for &(block, param) in &block_dims {
                add(
                    format!("params.{}@b{}", PARAMS[param].path, plan.blocks[block].id),
                    vec![Dim::Block { block, param }],
                    &mut dims,
                );
            }
        }
    }
    for i in &inputs {
        if let InputKind::CityParam(p) = i.kind {
            add(i.key.clone(), vec![Dim::City(p)], &mut dims);
        }
    }
    for (name, ks) in FACTOR_GROUPS {
        add(name.to_string(), ks.iter().map(|&k| Dim::FactorZ(k)).collect(), &mut dims);
    }
    add("intrinsic (firm counts, waiting times, anchor arrivals)".into(), vec![Dim::Noise], &mut dims);
    (dims, names, groups)
}

/// The trial stream a noise coordinate selects.
fn noise_trial(u: f64) -> u64 {
    (u * (1u64 << 52) as f64) as u64
}

/// The size of the analysis `sobol` would run, checked as it checks it: the number of input
/// groups and of rows (trials) of its design, n × (groups + 2).
pub fn shape(scenario: &Scenario, plan: &Plan, n: usize, grouping: Grouping) -> Result<(usize, usize), SobolError> {
    let (dims, _, groups) = layout(scenario, plan, grouping);
    let count = groups.len();
    let design = SaltelliDesign::new(n, dims.len(), groups, n)?;
    Ok((count, design.rows()))
}

/// Runs the analysis: `n` (a power of two) base points, so n × (groups + 2) trials.
/// `progress(done, total)` counts trials.
#[allow(clippy::too_many_arguments)]
pub fn sobol(
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    n: usize,
    grouping: Grouping,
    outputs: &[SobolOutput],
    bootstrap: usize,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ModelSobol, ModelSobolError> {
    let (dims, names, groups) = layout(scenario, plan, grouping);
    let design = SaltelliDesign::new(n, dims.len(), groups, n)?;
    let ys = map_rows(
        design.rows(),
        threads,
        cancel,
        progress,
        || (TrialBuffers::new(plan), Pins::none(plan.blocks.len()), vec![0.0; dims.len()]),
        |(buf, pins, u), row| {
            design.point(row, u);
            pins.clear();
            let mut trial = 0;
            for (d, &x) in dims.iter().zip(u.iter()) {
                match *d {
                    Dim::Block { block, param } => {
                        pins.set_block(block, param, plan.blocks[block].params[param].quantile(x))
                    }
                    Dim::City(p) => pins.set_city(p, plan.city[p].quantile(x)),
                    Dim::FactorZ(k) => pins.set_factor_z(k, normal_quantile(x)),
                    Dim::Noise => trial = noise_trial(x),
                }
            }
            run_trial_pinned(plan, seed, trial, buf, Some(pins));
            outputs.iter().map(|o| o.value(plan, &buf.outcome.at_deadline)).collect::<Vec<f64>>()
        },
    )?;
    let rows = design.rows() as u64;
    let results = outputs
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let y: Vec<f64> = ys.iter().map(|v| v[k]).collect();
            estimate_cancellable(&design, &y, bootstrap, seed ^ k as u64, cancel)
                .map(|s| (*o, s))
                .ok_or(RunError::Interrupted { done: rows, total: rows })
        })
        .collect::<Result<_, _>>()?;
    Ok(ModelSobol { groups: names, outputs: results, n, dims: dims.len(), rows: design.rows() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_parse_and_print() {
        for key in ["revenue", "jobs_met", "all_met", "tech_smes"] {
            assert_eq!(SobolOutput::parse(key).unwrap().key(), key);
        }
        assert_eq!(SobolOutput::parse("revenu"), None);
        assert_eq!(SobolOutput::parse("x_met"), None);
    }
}
