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

/// A Sobol analysis of the model laid out: the design's coordinates, its groups and its rows.
/// Every row is one trial computed from its number alone, so rows can be evaluated anywhere,
/// in any order ([`SobolModel::evaluate`]), and their outputs put together ([`SobolModel::analyze`]).
pub struct SobolModel {
    dims: Vec<Dim>,
    names: Vec<String>,
    design: SaltelliDesign,
    n: usize,
}

/// Base points per block of a sharded Sobol design: a block is every row of 16 consecutive base
/// points (16 × (groups + 2) rows), and N, a power of two of at least 64, is a whole number of
/// blocks.
pub const BLOCK_BASE_POINTS: usize = 16;

impl SobolModel {
    /// The design of `n` (a power of two) base points, so n × (groups + 2) rows.
    pub fn new(scenario: &Scenario, plan: &Plan, n: usize, grouping: Grouping) -> Result<SobolModel, SobolError> {
        let (dims, names, groups) = layout(scenario, plan, grouping);
        let design = SaltelliDesign::new(n, dims.len(), groups, n)?;
        Ok(SobolModel { dims, names, design, n })
    }

    /// Input groups of the design.
    pub fn groups(&self) -> usize {
        self.names.len()
    }

    /// Rows (trials) of the whole design.
    pub fn rows(&self) -> usize {
        self.design.rows()
    }

    /// Rows of one block ([`BLOCK_BASE_POINTS`] base points).
    pub fn block_rows(&self) -> usize {
        self.rows() / self.n * BLOCK_BASE_POINTS.min(self.n)
    }

    /// Blocks of the whole design.
    pub fn blocks(&self) -> usize {
        self.rows().div_ceil(self.block_rows())
    }

    /// The outputs of the design's rows `rows` (in that order) in parallel; the result does not
    /// depend on the number of threads. `progress(done, total)` counts trials.
    #[allow(clippy::too_many_arguments)]
    pub fn evaluate(
        &self,
        plan: &Plan,
        seed: u64,
        outputs: &[SobolOutput],
        rows: &[usize],
        threads: usize,
        cancel: &AtomicBool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<Vec<f64>>, RunError> {
        let (dims, design) = (&self.dims, &self.design);
        map_rows(
            rows.len(),
            threads,
            cancel,
            progress,
            || (TrialBuffers::new(plan), Pins::none(plan.blocks.len()), vec![0.0; dims.len()]),
            |(buf, pins, u), i| {
                design.point(rows[i], u);
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
        )
    }

    /// The indices from the outputs of every row, in row order (`ys[row][output]`).
    pub fn analyze(
        self,
        ys: &[Vec<f64>],
        outputs: &[SobolOutput],
        seed: u64,
        bootstrap: usize,
        cancel: &AtomicBool,
    ) -> Result<ModelSobol, ModelSobolError> {
        let rows = self.rows() as u64;
        let results = outputs
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let y: Vec<f64> = ys.iter().map(|v| v[k]).collect();
                estimate_cancellable(&self.design, &y, bootstrap, seed ^ k as u64, cancel)
                    .map(|s| (*o, s))
                    .ok_or(RunError::Interrupted { done: rows, total: rows })
            })
            .collect::<Result<_, _>>()?;
        Ok(ModelSobol {
            groups: self.names,
            outputs: results,
            n: self.n,
            dims: self.dims.len(),
            rows: self.design.rows(),
        })
    }
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
    let model = SobolModel::new(scenario, plan, n, grouping)?;
    let all: Vec<usize> = (0..model.rows()).collect();
    let ys = model.evaluate(plan, seed, outputs, &all, threads, cancel, progress)?;
    model.analyze(&ys, outputs, seed, bootstrap, cancel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_rows_evaluated_apart_equal_the_whole_design() {
        let seeds = crate::seeds::Seeds::embedded();
        let source = crate::scenario::ScenarioSource::Embedded("baseline.toml");
        let scenario = crate::scenario::load(&source, &[], &seeds).unwrap();
        let plan = Plan::new(&scenario);
        let model = SobolModel::new(&scenario, &plan, 64, Grouping::Block).unwrap();
        assert_eq!(model.blocks(), 4);
        assert_eq!(model.block_rows() * 4, model.rows());
        let outputs = [SobolOutput::Metric(3), SobolOutput::AllMet];
        let cancel = AtomicBool::new(false);
        let all: Vec<usize> = (0..model.rows()).collect();
        let whole = model.evaluate(&plan, 5, &outputs, &all, 2, &cancel, &|_, _| {}).unwrap();
        // blocks 3 and 1, evaluated on one thread, are the same rows of the whole
        let b = model.block_rows();
        let mine: Vec<usize> = (3 * b..4 * b).chain(b..2 * b).collect();
        let part = model.evaluate(&plan, 5, &outputs, &mine, 1, &cancel, &|_, _| {}).unwrap();
        for (i, &row) in mine.iter().enumerate() {
            assert!(part[i].iter().zip(&whole[row]).all(|(x, y)| x.to_bits() == y.to_bits()), "row {row}");
        }
    }

    #[test]
    fn outputs_parse_and_print() {
        for key in ["revenue", "jobs_met", "all_met", "tech_smes"] {
            assert_eq!(SobolOutput::parse(key).unwrap().key(), key);
        }
        assert_eq!(SobolOutput::parse("revenu"), None);
        assert_eq!(SobolOutput::parse("x_met"), None);
    }
}
