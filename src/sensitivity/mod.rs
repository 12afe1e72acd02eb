//! Sensitivity analysis and scenario discovery: which uncertainties and levers drive the chance
//! of meeting the targets (tornado, Sobol indices), which blocks matter most (criticality), and
//! under which conditions the targets are missed (PRIM). The numerical core never prints.

pub mod criticality;
pub mod inputs;
pub mod outcome;
pub mod tornado;
pub mod features;
