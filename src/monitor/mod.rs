//! Monitoring (policy section 七(二)): forecast from observed progress. Observations are read
//! and validated ([`observations`], [`csv`]), fixed in every trial while the rest is drawn
//! conditionally on them ([`condition`]), used to update the common factors ([`learning`]),
//! and turned into a list of blocks at risk ([`at_risk`]); [`view`] is what the report shows.

pub mod at_risk;
pub mod condition;
pub mod csv;
pub mod csv_cells;
pub mod learning;
pub mod observations;
pub mod plausibility;
pub mod settled;
pub mod view;

pub use observations::{load, AddedBlock, BaseObservation, BlockObservation, ObservationError, Observations, Seen};
