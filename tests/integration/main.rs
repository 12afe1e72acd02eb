//! parkcast's integration tests, as one test binary: every file beside this one is a module.
//! One binary instead of one per file keeps a debug build to one link of polars and plotters
//! (23 links of ~230 MB each had filled the CI machine's disk: ld died with SIGBUS).

mod bad_input;
mod base_file;
mod block_whatifs;
mod charts;
mod checkpoints;
mod cli;
mod closed_form;
mod common;
mod common_random_numbers;
mod costs;
mod epistemic_band;
mod excel_in;
mod input_files;
mod interrupt;
mod json_output;
mod meeting_report;
mod monitor;
mod numerical_guards;
mod output_safety;
mod packages;
mod readings;
mod replay;
mod report_data;
mod reproducibility;
mod run_options;
mod runs_catalogue;
mod sampling;
mod scenario_errors;
mod scenario_library;
mod scenario_resolution;
mod seeds;
mod sensitivity;
mod sensitivity_methods;
mod settled;
mod shard;
mod shard_designs;
mod sliders;
mod sweep_grid;
mod two_level;
mod uncertainty_kinds;
mod waterfall;
mod whatif;
mod workbench;
mod workbook;
