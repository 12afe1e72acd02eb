//! Sensitivity analysis of a model's outputs to its uncertain inputs. [`sobol`] apportions the
//! variance of an output among inputs or groups of inputs (first-order and total Sobol indices
//! from a Saltelli design, with bootstrap intervals); [`prim`] finds scenarios — boxes of input
//! values — in which a binary outcome such as "the target was missed" is concentrated (the
//! Patient Rule Induction Method). Both work on plain numbers, know nothing of the model, and
//! never print.

pub mod prim;
pub mod sobol;
