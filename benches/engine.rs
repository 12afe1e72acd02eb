//! Trials per second of the baseline on all cores (`cargo bench --bench engine`).
//! For the end-to-end figure (10⁶ trials with every output written, wall time and peak memory)
//! run `scripts/measure.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use parkcast::engine::{run, RunOptions};
use parkcast::model::Plan;
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use std::sync::atomic::AtomicBool;

fn bench(c: &mut Criterion) {
    let scenario = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let plan = Plan::new(&scenario);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let trials = 20_000;
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.throughput(Throughput::Elements(trials));
    group.bench_function(format!("baseline, {trials} trials, {threads} threads"), |b| {
        b.iter(|| {
            let opts = RunOptions { trials, seed: 20241031, threads, precision: None };
            run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
