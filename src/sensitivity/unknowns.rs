//! What we do not know: the epistemic parameters a two-level run draws once per world.

use super::inputs::{uncertain_inputs, InputKind};
use crate::engine::two_level::Unknown;
use crate::model::Plan;
use crate::scenario::{Scenario, Uncertainty};

/// The uncertain epistemic parameters of a scenario, in parameter-table order: each block
/// parameter in the counted blocks where it is epistemic and uncertain, each uncertain
/// epistemic city parameter the target set reads. The common factors are aleatory.
pub fn unknowns(scenario: &Scenario, plan: &Plan) -> Vec<Unknown> {
    let epistemic = |b: Option<usize>, p: usize| scenario.kind_of(b, p).0 == Uncertainty::Epistemic;
    uncertain_inputs(scenario, plan)
        .into_iter()
        .filter_map(|i| match i.kind {
            InputKind::BlockParam(p) => {
                let blocks: Vec<usize> = i.blocks.into_iter().filter(|&b| epistemic(Some(b), p)).collect();
                (!blocks.is_empty()).then_some(Unknown { key: i.key, param: p, blocks })
            }
            InputKind::CityParam(p) => epistemic(None, p).then(|| Unknown { key: i.key, param: p, blocks: vec![] }),
            InputKind::Factor(_) => None,
        })
        .collect()
}
