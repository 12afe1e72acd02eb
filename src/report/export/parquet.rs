//! `trials.parquet`: one row per trial.

use super::ExportError;
use crate::engine::Aggregate;
use crate::scenario::{Scenario, FACTORS};
use crate::seeds::TargetId;
use polars::prelude::*;
use std::ops::Range;
use std::path::Path;

/// Rows per row group. The rows are converted one row group at a time: converting them all
/// at once held about 250 bytes a trial more at the peak (10⁶ trials with every output,
/// measured with 0.3's columns: 605 MB written whole, 426 MB in groups of 262,144 rows, 357 MB
/// in groups of these).
const ROW_GROUP: usize = 65_536;

/// Columns: `trial`, each metric at the deadline, `start_b<id>` and `delivery_b<id>` (month
/// index since 2024-11; null = not by the horizon), `replaced` (bit i: block i+1 replaced),
/// and each common factor.
pub fn write_trials(path: &Path, scenario: &Scenario, agg: &Aggregate) -> Result<(), ExportError> {
    write_in_groups(path, scenario, agg, ROW_GROUP)
}

fn write_in_groups(path: &Path, scenario: &Scenario, agg: &Aggregate, group: usize) -> Result<(), ExportError> {
    let err = |e: PolarsError| ExportError::new(path, e);
    let n = agg.trials as usize;
    let schema = frame(scenario, agg, 0..0).map_err(err)?.schema().as_ref().clone();
    let file = std::fs::File::create(path).map_err(|e| ExportError::new(path, e))?;
    let mut writer = ParquetWriter::new(&file)
        .with_compression(ParquetCompression::Zstd(None))
        .set_parallel(false)
        .batched(&schema)
        .map_err(err)?;
    for start in (0..n).step_by(group) {
        writer.write_batch(&frame(scenario, agg, start..(start + group).min(n)).map_err(err)?).map_err(err)?;
    }
    writer.finish().map_err(err)?;
    file.sync_all().map_err(|e| ExportError::new(path, e))
}

/// The rows `rows` of the trials table.
fn frame(scenario: &Scenario, agg: &Aggregate, rows: Range<usize>) -> PolarsResult<DataFrame> {
    let c = &agg.columns;
    let mut columns = vec![Column::new("trial".into(), (rows.start as u64..rows.end as u64).collect::<Vec<u64>>())];
    for (m, id) in TargetId::ALL.iter().enumerate() {
        columns.push(Column::new(id.key().into(), &c.metric[m][rows.clone()]));
    }
    let month = |name: String, v: &[i16]| {
        let months = v.iter().map(|&m| (m != crate::model::NOT_BY_HORIZON).then_some(m as i32));
        Int32Chunked::from_iter_options(name.into(), months).into_column()
    };
    for (i, b) in scenario.blocks.iter().enumerate() {
        columns.push(month(format!("start_b{}", b.id), &c.start[i][rows.clone()]));
        columns.push(month(format!("delivery_b{}", b.id), &c.delivery[i][rows.clone()]));
    }
    columns.push(Column::new("replaced".into(), &c.replaced[rows.clone()]));
    for (k, name) in FACTORS.iter().enumerate() {
        columns.push(Column::new(format!("factor_{}", name.replace('.', "_")).into(), &c.factors[k][rows.clone()]));
    }
    DataFrame::new_infer_height(columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{run, RunOptions};
    use crate::model::Plan;
    use crate::scenario::{load, ScenarioSource};
    use crate::seeds::Seeds;

    #[test]
    fn a_file_written_in_row_groups_holds_the_rows_of_one_written_whole() {
        let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
        let plan = Plan::new(&s);
        let opts = RunOptions { trials: 2_500, seed: 3, threads: 1, precision: None };
        let agg = run(&plan, &opts, &Default::default(), &|_, _| {}).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let read = |name: &str, group: usize| {
            let path = dir.path().join(name);
            write_in_groups(&path, &s, &agg, group).unwrap();
            ParquetReader::new(std::fs::File::open(&path).unwrap()).finish().unwrap()
        };
        let (whole, grouped) = (read("whole.parquet", ROW_GROUP), read("grouped.parquet", 1_000));
        assert_eq!(grouped.height(), 2_500);
        assert_eq!(whole.schema(), grouped.schema());
        assert!(whole.equals_missing(&grouped), "the rows differ");
        let trial = grouped.column("trial").unwrap().u64().unwrap();
        assert_eq!((trial.get(0), trial.get(1_000), trial.get(2_499)), (Some(0), Some(1_000), Some(2_499)));
    }
}
