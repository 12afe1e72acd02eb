//! Sensitivity analysis and scenario discovery: which uncertainties and levers drive the chance
//! of meeting the targets (tornado, Sobol indices), which blocks matter most (criticality), and
//! under which conditions the targets are missed (PRIM). Nothing here prints.
//!
//! Two generic methods work on plain numbers and know nothing of the model: [`sobol`]
//! apportions the variance of an output among inputs or groups of inputs (first-order and total
//! Sobol indices from a Saltelli design, with bootstrap intervals); [`prim`] finds boxes of input
//! values in which a binary outcome such as "the target was missed" is concentrated (the
//! Patient Rule Induction Method). The other modules apply them, and one-at-a-time analyses, to
//! the model: [`inputs`] lists a scenario's uncertain inputs, [`tornado`], [`criticality`],
//! [`features`] tabulates trials for [`prim`].

pub mod criticality;
pub mod discover;
pub mod features;
pub mod inputs;
pub mod outcome;
pub mod prim;
pub mod sobol;
pub mod sobol_model;
pub mod tornado;
pub mod unknowns;
