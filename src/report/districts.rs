//! Results by district (南湖区, 秀洲区, 经开区): each district's blocks' mean contribution at the
//! deadline and, where `seeds/base.toml` gives every district's figure, its share of the base.

use super::format::metric_en;
use super::table::{Align, TextTable};
use crate::scenario::Scenario;
use crate::seeds::kinds::District;
use crate::seeds::{TargetId, BASE_FILE_FIGURES};
use crate::summary::Summary;

/// One district's part of the results.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictRow {
    pub district: District,
    /// Counted blocks in the district.
    pub blocks: usize,
    /// Mean contribution of its counted blocks at the deadline, by metric.
    pub blocks_mean: [f64; 5],
    /// Its part of the base's mean at the deadline, by metric, where the base file gives the
    /// district's share (`None`: not entered for every district, to be verified).
    pub base_mean: [Option<f64>; 5],
}

/// The base file's share of each district in a figure, where entered for all three.
fn shares(s: &Scenario, figure: &str) -> Option<[f64; 3]> {
    let k = BASE_FILE_FIGURES.iter().position(|f| f.0 == figure)?;
    let values: Vec<f64> = s.base_file.figures.iter().filter_map(|row| row[k].as_ref().and_then(|f| f.value)).collect();
    let total: f64 = values.iter().sum();
    (values.len() == 3 && total > 0.0).then(|| [values[0] / total, values[1] / total, values[2] / total])
}

pub fn rows(s: &Scenario, summary: &Summary) -> Vec<DistrictRow> {
    let base_mean = |id: TargetId| summary.targets.iter().find(|t| t.id == id).map(|t| t.base_mean);
    let figure_of = |id: TargetId| match id {
        TargetId::Revenue => Some("revenue_2024_cny"),
        TargetId::Specialized => Some("specialized_2024"),
        TargetId::TechSmes => Some("tech_smes_2024"),
        _ => None,
    };
    District::ALL
        .iter()
        .enumerate()
        .map(|(d, district)| {
            let mut blocks_mean = [0.0; 5];
            let mut blocks = 0;
            for r in summary.blocks.iter().filter(|r| r.counted) {
                if s.blocks.iter().any(|b| b.id == r.id && b.district == *district) {
                    blocks += 1;
                    for (m, v) in r.mean_contribution.iter().enumerate() {
                        blocks_mean[m] += v;
                    }
                }
            }
            let base = TargetId::ALL.map(|id| {
                let share = figure_of(id).and_then(|f| shares(s, f))?;
                base_mean(id).map(|b| b * share[d])
            });
            DistrictRow { district: *district, blocks, blocks_mean, base_mean: base }
        })
        .collect()
}

/// The terminal table.
pub fn table(s: &Scenario, summary: &Summary) -> String {
    let mut t = TextTable::new(&[
        ("district", Align::Left),
        ("blocks", Align::Right),
        ("parks built", Align::Right),
        ("专精特新", Align::Right),
        ("tech SMEs", Align::Right),
        ("revenue", Align::Right),
        ("jobs", Align::Right),
    ]);
    let rows = rows(s, summary);
    for r in &rows {
        let cell = |m: usize| {
            let id = TargetId::ALL[m];
            let blocks = if id == TargetId::Jobs {
                super::format::thousands(r.blocks_mean[m])
            } else if id == TargetId::Revenue {
                super::format::signed_cny_bn(r.blocks_mean[m])
            } else {
                format!("{:.1}", r.blocks_mean[m])
            };
            match r.base_mean[m] {
                Some(b) => format!("{blocks} + base {}", metric_en(id, b)),
                None => blocks,
            }
        };
        t.row(vec![
            format!("{} ({})", r.district.label_zh(), r.district.key()),
            r.blocks.to_string(),
            cell(0),
            cell(1),
            cell(2),
            cell(3),
            cell(4),
        ]);
    }
    let split = rows.iter().any(|r| r.base_mean.iter().any(Option::is_some));
    format!(
        "By district: the mean contribution of each district's counted blocks at the deadline{}.\n{}",
        if split {
            ", and its share of the base where seeds/base.toml gives every district's figure"
        } else {
            " (the base is not split by district: enter the districts' figures in seeds/base.toml, 待核实)"
        },
        t.render()
    )
}
