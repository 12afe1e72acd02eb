//! The block model (docs/model.md): what one trial simulates. Pure functions of the scenario
//! and the random streams; nothing here prints, allocates per month, or knows about threads.

mod base;
mod block;
mod counts;
mod plan;
mod trial;

pub use plan::{Plan, PlanBlock, MODEL_START};
pub use trial::{run_trial, TrialBuffers, TrialOutcome, NOT_BY_HORIZON};

/// The five metrics, in the order of [`crate::seeds::TargetId::ALL`].
pub const METRIC_COUNT: usize = 5;
