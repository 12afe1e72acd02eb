//! `run.json`: how the outputs were made.

use super::ExportError;
use std::path::Path;

/// Run metadata. Only `threads`, `wall_seconds` and `date` differ between runs of the same
/// scenario, seed and version.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RunMeta {
    pub parkcast_version: String,
    pub scenario: String,
    pub scenario_files: Vec<String>,
    /// Hash of the resolved scenario (every parameter, trials, seed, horizon, target set) and
    /// the seeds.
    pub scenario_hash: String,
    /// `--set` overrides (and run flags) applied after the files, in order.
    #[serde(default)]
    pub overrides: Vec<String>,
    pub seeds: String,
    pub seed: u64,
    pub trials: u64,
    pub trials_requested: u64,
    /// How the trials' uniforms were sampled: `plain` or `lhs` (Latin hypercube).
    #[serde(default = "plain")]
    pub sampling: String,
    pub precision: Option<f64>,
    pub target_set: String,
    pub horizon: String,
    pub deadline: String,
    pub threads: usize,
    pub wall_seconds: f64,
    pub date: String,
    pub warnings: Vec<String>,
}

fn plain() -> String {
    "plain".into()
}

pub fn write(path: &Path, meta: &RunMeta) -> Result<(), ExportError> {
    let text = serde_json::to_string_pretty(meta).map_err(|e| ExportError::new(path, e))?;
    std::fs::write(path, text + "\n").map_err(|e| ExportError::new(path, e))
}
