//! Mergeable statistical accumulators. Each can be filled from a chunk of trials and merged
//! with others in a fixed order, so results do not depend on how trials were split.

pub mod first_order;
mod histogram;
mod proportion;
mod quantile;
pub mod sketch;

pub use histogram::Histogram;
pub use proportion::{Interval, Proportion, Z95};
pub use quantile::{quantile_sorted, quantiles};
pub use sketch::{LogSketch, SKETCH_BYTES};
