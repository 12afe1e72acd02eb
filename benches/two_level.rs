//! The two-level run of the embedded baseline at its defaults (`cargo bench --bench two_level`):
//! 400 worlds × 250 trials on 2 threads, the size `run --two-level` uses unless told otherwise,
//! with the first-order shares and their 200 bootstrap resamples.

use criterion::{criterion_group, criterion_main, Criterion};
use parkcast::engine::two_level::{two_level, DEFAULT_INNER, DEFAULT_OUTER};
use parkcast::model::Plan;
use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use parkcast::sensitivity::unknowns::unknowns;
use std::sync::atomic::AtomicBool;

fn bench(c: &mut Criterion) {
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    let mut group = c.benchmark_group("two_level");
    group.sample_size(10);
    group.bench_function(format!("baseline, {DEFAULT_OUTER} worlds × {DEFAULT_INNER} trials, 2 threads"), |b| {
        b.iter(|| {
            two_level(
                &plan,
                unknowns(&s, &plan),
                s.settings.seed,
                DEFAULT_OUTER,
                DEFAULT_INNER,
                2,
                &AtomicBool::new(false),
                &|_, _| {},
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
