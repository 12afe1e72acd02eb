//! The block model (docs/model.md): what one trial simulates. Pure functions of the scenario
//! and the random streams; nothing here prints, allocates per month, or knows about threads.

mod base;
pub mod beliefs;
mod block;
mod condition;
mod counts;
mod known;
mod pins;
mod plan;
mod trial;

pub use block::{earliest_start, BlockState, Shocks};
pub use known::{FactorPool, Known, KnownBase, KnownBlock, KnownTime};
pub use pins::Pins;
pub use plan::{model_start, LeverValues, Plan, PlanBlock, StartRule, MODEL_START};
pub use trial::{
    block_under, run_trial, run_trial_at_deadline, run_trial_pinned, shocks_of, Change, TrialBuffers, TrialOutcome,
    NOT_BY_HORIZON,
};

/// The five metrics, in the order of [`crate::seeds::TargetId::ALL`].
pub const METRIC_COUNT: usize = 5;
