//! `two_level.csv` (`run --two-level`): per target (and `all`), the distribution of P(met)
//! across plausible worlds, then one row per unknown with its share of that distribution's
//! variance. Rows of kind `bands` leave the unknown's columns empty; rows of kind `share` repeat
//! the target's figures.

use super::csv::{col, write};
use super::ExportError;
use crate::engine::two_level::TwoLevel;
use crate::report::two_level_table::output_key;
use std::path::Path;

pub fn write_two_level(path: &Path, t: &TwoLevel) -> Result<(), ExportError> {
    let mut kind: Vec<&str> = Vec::new();
    let mut target: Vec<&str> = Vec::new();
    let mut unknown: Vec<Option<String>> = Vec::new();
    let mut blocks: Vec<Option<u64>> = Vec::new();
    let mut rank: Vec<Option<u64>> = Vec::new();
    let mut share: [Vec<Option<f64>>; 4] = Default::default();
    let mut fig: [Vec<f64>; 9] = Default::default();
    for b in &t.outputs {
        let figures = [b.pooled, b.median, b.p10, b.p90, b.p05, b.p95, b.likely, b.sd, b.bins as f64];
        let mut push = |k, u: Option<String>, n: Option<u64>, r: Option<u64>, s: [Option<f64>; 4]| {
            kind.push(k);
            target.push(output_key(b));
            unknown.push(u);
            blocks.push(n);
            rank.push(r);
            for (c, v) in share.iter_mut().zip(s) {
                c.push(v);
            }
            for (c, v) in fig.iter_mut().zip(figures) {
                c.push(v);
            }
        };
        push("bands", None, None, None, [None; 4]);
        if let Some(shares) = &b.shares {
            for (r, k) in t.ranked(b).into_iter().enumerate() {
                let s = shares[k];
                let u = &t.unknowns[k];
                push(
                    "share",
                    Some(u.key.clone()),
                    Some(u.blocks.len() as u64),
                    Some(r as u64 + 1),
                    [Some(s.estimate), Some(s.low), Some(s.high), Some(s.std_error)],
                );
            }
        }
    }
    let rows = kind.len();
    let [pooled, median, p10, p90, p05, p95, likely, sd, bins] = fig;
    let [s, sl, sh, se] = share;
    write(
        path,
        vec![
            col("kind", kind),
            col("target", target),
            col("p_met_pooled", pooled),
            col("p_met_median", median),
            col("p_met_p10", p10),
            col("p_met_p90", p90),
            col("p_met_p5", p05),
            col("p_met_p95", p95),
            col("share_of_worlds_p_ge_50", likely),
            col("p_met_sd_across_worlds", sd),
            col("unknown", unknown),
            col("unknown_blocks", blocks),
            col("rank", rank),
            col("share_explained", s),
            col("share_low", sl),
            col("share_high", sh),
            col("share_se", se),
            col("bins", bins.into_iter().map(|b| b as u64).collect::<Vec<u64>>()),
            col("outer", vec![t.outer as u64; rows]),
            col("inner", vec![t.inner; rows]),
            col("seed", vec![t.seed; rows]),
        ],
    )
}
