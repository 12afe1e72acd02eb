//! Mergeable statistical accumulators. Each can be filled from a chunk of trials and merged
//! with others in a fixed order, so results do not depend on how trials were split.

mod proportion;

pub use proportion::{Interval, Proportion, Z95};
