//! `parkcast replay --trial K` is exactly row K of the run's trials.parquet.

use parkcast::engine::replay;
use parkcast::model::{Plan, NOT_BY_HORIZON};
use parkcast::scenario::ScenarioSource;
use parkcast::seeds::{Seeds, TargetId};
use polars::prelude::*;
use std::process::Command;

fn parkcast(dir: &std::path::Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_parkcast")).args(args).current_dir(dir).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn read(path: &std::path::Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap()).finish().unwrap()
}

#[test]
fn replay_matches_the_trials_row_exactly() {
    let dir = tempfile::tempdir().unwrap();
    parkcast(dir.path(), &["run", "--trials", "3000", "--seed", "77", "--out", "run", "--lang", "en"]);
    let df = read(&dir.path().join("run/trials.parquet"));
    let seeds = Seeds::embedded();
    let scenario = parkcast::scenario::load(
        &ScenarioSource::Embedded("baseline.toml"),
        &["settings.seed=77".into(), "settings.trials=3000".into()],
        &seeds,
    )
    .unwrap();
    let plan = Plan::new(&scenario);
    for k in [0u64, 1234, 2999] {
        let r = replay(&plan, 77, k);
        let row = k as usize;
        for (m, id) in TargetId::ALL.iter().enumerate() {
            let v = df.column(id.key()).unwrap().f64().unwrap().get(row).unwrap();
            assert_eq!(v.to_bits(), r.outcome.at_deadline[m].to_bits(), "trial {k} {}", id.key());
            assert_eq!(r.outcome.paths[m][plan.deadline].to_bits(), v.to_bits());
        }
        for (i, b) in scenario.blocks.iter().enumerate() {
            let month = |name: String| df.column(&name).unwrap().i32().unwrap().get(row);
            let expect = |m: i16| (m != NOT_BY_HORIZON).then_some(m as i32);
            assert_eq!(month(format!("start_b{}", b.id)), expect(r.outcome.block_start[i]), "trial {k} block {}", b.id);
            assert_eq!(month(format!("delivery_b{}", b.id)), expect(r.outcome.block_delivery[i]));
        }
        let macro_factor = df.column("factor_macro").unwrap().f32().unwrap().get(row).unwrap();
        assert_eq!(macro_factor, r.outcome.factors[0] as f32);
    }
    // the command prints the same: its CSV's total at the deadline is the parquet value
    parkcast(dir.path(), &["replay", "--seed", "77", "--trial", "1234", "--out", "replay"]);
    let csv = std::fs::read_to_string(dir.path().join("replay/replay_months.csv")).unwrap();
    let line = csv.lines().find(|l| l.starts_with("2027-12,total,")).unwrap();
    let revenue: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
    let parquet = df.column("revenue").unwrap().f64().unwrap().get(1234).unwrap();
    assert_eq!(revenue, parquet);
}
