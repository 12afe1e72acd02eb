//! `checkpoints.csv`: per target and yearly checkpoint, the path the target is judged against
//! and the probability of being at or above it (see [`crate::checkpoints`]).

use super::csv::{col, write};
use super::ExportError;
use crate::summary::Summary;
use std::path::Path;

pub fn write_checkpoints(path: &Path, s: &Summary) -> Result<(), ExportError> {
    let rows = &s.checkpoints;
    let f = |g: fn(&crate::checkpoints::CheckpointRow) -> f64| -> Vec<f64> { rows.iter().map(g).collect() };
    write(
        path,
        vec![
            col("target", rows.iter().map(|r| r.target.key().to_string()).collect::<Vec<String>>()),
            col("month", rows.iter().map(|r| r.month.to_string()).collect::<Vec<String>>()),
            col("path", rows.iter().map(|r| r.path.clone()).collect::<Vec<String>>()),
            col("base", f(|r| r.base)),
            col("path_value", f(|r| r.path_value)),
            col("p_on_track", f(|r| r.p_on_track)),
            col("ci_low", f(|r| r.ci.low)),
            col("ci_high", f(|r| r.ci.high)),
            col("exact", rows.iter().map(|r| r.exact).collect::<Vec<bool>>()),
        ],
    )
}
