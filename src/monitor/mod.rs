//! Monitoring (policy section 七(二)): forecast from observed progress. Observations are read
//! and validated ([`observations`], [`csv`]), fixed in every trial while the rest is drawn
//! conditionally on them ([`condition`]), used to update the common factors ([`learning`]),
//! and turned into a list of blocks at risk ([`at_risk`]).

pub mod csv;
pub mod observations;

pub use observations::{load, AddedBlock, BaseObservation, BlockObservation, ObservationError, Observations, Seen};
