//! CSV tables of the analysis commands (tornado, Sobol, criticality, discovery, replay), in the
//! same format as the run's tables.

use super::csv::{col, target_key, write};
use super::ExportError;
use crate::seeds::TargetId;
use crate::sensitivity::tornado::Tornado;
use std::path::Path;

/// `tornado.csv`: one row per factor and target (`all` for all targets jointly), in the order
/// the factors were evaluated; `rank` is the factor's rank for that target.
pub fn write_tornado(path: &Path, t: &Tornado, targets: &[Option<usize>]) -> Result<(), ExportError> {
    let (mut factor, mut target, mut rank, mut low_setting, mut high_setting) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut p_low, mut p_high, mut swing, mut base_p) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut med_low, mut med_high, mut base_med) = (Vec::new(), Vec::new(), Vec::new());
    for &m in targets {
        let ranked = t.ranked(m);
        for row in &t.rows {
            let r = ranked.iter().position(|x| std::ptr::eq(*x, row)).expect("every row is ranked") as u32 + 1;
            factor.push(row.factor.key());
            target.push(target_key(m.map(|m| TargetId::ALL[m])));
            rank.push(r);
            low_setting.push(row.low_text.clone());
            high_setting.push(row.high_text.clone());
            p_low.push(row.low.p(m));
            p_high.push(row.high.p(m));
            swing.push(row.swing(m));
            base_p.push(t.baseline.p(m));
            med_low.push(m.map(|m| row.low.median[m]));
            med_high.push(m.map(|m| row.high.median[m]));
            base_med.push(m.map(|m| t.baseline.median[m]));
        }
    }
    write(
        path,
        vec![
            col("factor", factor),
            col("target", target),
            col("rank", rank),
            col("low_setting", low_setting),
            col("high_setting", high_setting),
            col("p_met_low", p_low),
            col("p_met_high", p_high),
            col("swing", swing),
            col("p_met_baseline", base_p),
            col("median_low", med_low),
            col("median_high", med_high),
            col("median_baseline", base_med),
        ],
    )
}
