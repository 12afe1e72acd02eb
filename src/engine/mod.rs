//! The Monte Carlo engine: deterministic random streams, chunks of trials run in parallel,
//! partial results merged in a fixed order.

pub mod aggregate;
pub mod budget;
mod run;
pub mod streams;

pub use aggregate::{Aggregate, BlockStats, MonthCounts, TrialColumns};
pub use run::{precise_enough, run, RunError, RunOptions, CHUNK_TRIALS};
