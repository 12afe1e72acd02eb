//! `trials.parquet`: one row per trial.

use super::ExportError;
use crate::engine::Aggregate;
use crate::scenario::{Scenario, FACTORS};
use crate::seeds::TargetId;
use polars::prelude::*;
use std::path::Path;

/// Columns: `trial`, each metric at the deadline, `start_b<id>` and `delivery_b<id>` (month
/// index since 2024-11; null = not by the horizon), `replaced` (bit i: block i+1 replaced),
/// and each common factor.
pub fn write_trials(path: &Path, scenario: &Scenario, agg: &Aggregate) -> Result<(), ExportError> {
    let c = &agg.columns;
    let mut columns = vec![Column::new("trial".into(), (0..agg.trials).collect::<Vec<u64>>())];
    for (m, id) in TargetId::ALL.iter().enumerate() {
        columns.push(Column::new(id.key().into(), c.metric[m].clone()));
    }
    let month = |v: &Vec<i16>| -> Vec<Option<i32>> {
        v.iter().map(|&m| (m != crate::model::NOT_BY_HORIZON).then_some(m as i32)).collect()
    };
    for (i, b) in scenario.blocks.iter().enumerate() {
        columns.push(Column::new(format!("start_b{}", b.id).into(), month(&c.start[i])));
        columns.push(Column::new(format!("delivery_b{}", b.id).into(), month(&c.delivery[i])));
    }
    columns.push(Column::new("replaced".into(), c.replaced.clone()));
    for (k, name) in FACTORS.iter().enumerate() {
        columns.push(Column::new(format!("factor_{}", name.replace('.', "_")).into(), c.factors[k].clone()));
    }
    let mut df = DataFrame::new_infer_height(columns).map_err(|e| ExportError::new(path, e))?;
    let file = std::fs::File::create(path).map_err(|e| ExportError::new(path, e))?;
    ParquetWriter::new(&file)
        .with_compression(ParquetCompression::Zstd(None))
        .set_parallel(false)
        .finish(&mut df)
        .map_err(|e| ExportError::new(path, e))?;
    file.sync_all().map_err(|e| ExportError::new(path, e))
}
