//! The Monte Carlo engine: deterministic random streams, chunks of trials run in parallel,
//! partial results merged in a fixed order.

pub mod streams;
