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
}

criterion_group!(benches, bench);
criterion_main!(benches);
