//! parkcast: a Monte Carlo forecast of whether Jiaxing's 2027 urban-type industry targets are met.
//!
//! The pipeline: [`seeds`] (the annex's blocks and the target sets) and [`scenario`] (a TOML
//! file → a validated `Scenario`) feed the model and engine; [`report`] formats what users read;
//! [`cli`] parses arguments and runs commands. The numerical core never prints.

pub mod catalogue;
pub mod checkpoints;
pub mod cli;
pub mod engine;
pub mod error;
pub mod excel;
pub mod input_file;
pub mod model;
pub mod monitor;
pub mod month;
pub mod report;
pub mod scenario;
pub mod seeds;
pub mod sensitivity;
pub mod stats;
pub mod summary;
pub mod text;
pub mod toml_tree;
pub mod whatif;
pub mod zh;

pub use error::Error;
