//! Trials per second of the baseline on 1 and 2 threads, plain and Latin hypercube sampling
//! (`cargo bench --bench engine`).
//! For the end-to-end figure (10⁶ trials with every output written, wall time and peak memory)
//! run `scripts/measure.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use parkcast::engine::{run, RunOptions};
use parkcast::model::Plan;
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use std::sync::atomic::AtomicBool;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    let trials = 20_000;
    group.throughput(Throughput::Elements(trials));
    for sampling in ["plain", "lhs"] {
        let o = [format!("settings.sampling={sampling}")];
        let scenario = load(&ScenarioSource::Embedded("baseline.toml"), &o, &Seeds::embedded()).unwrap();
        let plan = Plan::new(&scenario);
        // 1 and 2 threads: the ratio of their times is the 1→2-thread speed-up
        for threads in [1, 2] {
            group.bench_function(format!("baseline {sampling}, {trials} trials, {threads} threads"), |b| {
                b.iter(|| {
                    let opts = RunOptions { trials, seed: 20241031, threads, precision: None };
                    run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
