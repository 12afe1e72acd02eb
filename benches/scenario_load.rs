//! How long reading and validating a scenario takes (it runs before every command, and once per
//! point in sweeps and goal-seeks).

use criterion::{criterion_group, criterion_main, Criterion};
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let seeds = Seeds::embedded();
    c.bench_function("load and validate the embedded baseline", |b| {
        b.iter(|| load(black_box(&ScenarioSource::Embedded("baseline.toml")), &[], &seeds).unwrap())
    });
    c.bench_function("parse the embedded seeds", |b| b.iter(Seeds::embedded));
    // loaders are linear: twice the keys should take twice the time
    for keys in [50_000, 100_000] {
        let text: String = (0..keys).map(|i| format!("[t{i}]\na = {i}\n")).collect();
        c.bench_function(&format!("parse {keys} one-key tables"), |b| {
            b.iter(|| parkcast::toml_tree::parse("big.toml", black_box(&text)).unwrap())
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
