//! The Monte Carlo engine: deterministic random streams, chunks of trials run in parallel,
//! partial results merged in a fixed order.

pub mod aggregate;
pub mod budget;
pub mod codec;
pub mod cost;
pub mod design_codec;
pub mod replay;
mod rows;
mod run;
pub mod shard;
mod side_by_side;
pub mod streams;
pub mod two_level;

pub use aggregate::{Aggregate, BlockStats, MonthCounts, TrialColumns};
pub use replay::{replay, BlockReplay, Replay};
pub use rows::map_rows;
pub use run::{precise_enough, run, run_pinned, RunError, RunOptions, CHUNKS_PER_BATCH, CHUNK_TRIALS};
pub use side_by_side::side_by_side;
