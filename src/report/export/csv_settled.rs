//! `monitor_two_level.csv` (`monitor --two-level`): per target (and `all`), P(met) across the
//! plausible worlds before and after the observations, and the share of its across-world
//! variance they removed (empty when it did not vary before).

use super::csv::{col, write};
use super::ExportError;
use crate::monitor::settled::Settled;
use std::path::Path;

pub const FILE: &str = "monitor_two_level.csv";

pub fn write_settled(path: &Path, s: &Settled) -> Result<(), ExportError> {
    let r = &s.rows;
    let f = |g: &dyn Fn(&crate::monitor::settled::SettledRow) -> f64| r.iter().map(g).collect::<Vec<f64>>();
    write(
        path,
        vec![
            col("target", r.iter().map(|x| x.target.map_or("all", |t| t.key())).collect::<Vec<&str>>()),
            col("worlds", vec![s.outer as u64; r.len()]),
            col("trials_per_world", vec![s.inner; r.len()]),
            col("p10_before", f(&|x| x.before.p10)),
            col("median_before", f(&|x| x.before.median)),
            col("p90_before", f(&|x| x.before.p90)),
            col("variance_before", f(&|x| x.before.variance)),
            col("p10_after", f(&|x| x.after.p10)),
            col("median_after", f(&|x| x.after.median)),
            col("p90_after", f(&|x| x.after.p90)),
            col("variance_after", f(&|x| x.after.variance)),
            col("variance_removed", r.iter().map(|x| x.variance_removed()).collect::<Vec<Option<f64>>>()),
        ],
    )
}
