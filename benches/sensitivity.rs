//! The sensitivity methods at the sizes parkcast uses (`cargo bench --bench sensitivity`):
//! PRIM's peeling and full find on 50,000 rows × 60 columns, and Sobol indices with bootstrap
//! intervals from a design of 2^14 base points × 10 inputs.

use criterion::{criterion_group, criterion_main, Criterion};
use parkcast::sensitivity::prim::{Column, Prim, PrimOptions};
use parkcast::sensitivity::sobol::{estimate, evaluate, SaltelliDesign};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// 50,000 rows × 60 columns (every fifth a count 0..=20, with ties), y mostly true in a box on
/// two columns.
fn prim_data() -> (Vec<Column>, Vec<bool>) {
    let (rows, cols) = (50_000, 60);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let columns: Vec<Column> = (0..cols)
        .map(|c| Column {
            name: format!("x{c}"),
            values: (0..rows)
                .map(|_| if c % 5 == 4 { f64::from(rng.random_range(0..=20u32)) } else { rng.random::<f64>() })
                .collect(),
        })
        .collect();
    let y = (0..rows)
        .map(|i| {
            let inside = columns[0].values[i] < 0.3 && columns[4].values[i] >= 12.0;
            rng.random::<f64>() < if inside { 0.8 } else { 0.1 }
        })
        .collect();
    (columns, y)
}

fn bench(c: &mut Criterion) {
    let (columns, y) = prim_data();
    let prim = Prim::new(columns, y, PrimOptions::default()).unwrap();
    let mut group = c.benchmark_group("prim");
    group.sample_size(10);
    group.bench_function("peel, 50,000 rows × 60 columns", |b| b.iter(|| prim.peel()));
    group.bench_function("find (peel, paste, simplify), 50,000 × 60", |b| b.iter(|| prim.find(0.5, 0.02)));
    group.finish();

    let design = SaltelliDesign::ungrouped(1 << 14, 10).unwrap();
    let f = |x: &[f64]| x.iter().enumerate().map(|(i, v)| (i as f64 + 1.0) * v * v).sum::<f64>() + x[0] * x[1];
    let y = evaluate(&design, f);
    let mut group = c.benchmark_group("sobol");
    group.sample_size(10);
    group.bench_function("design rows, 2^14 × 10 inputs (196,608 rows)", |b| b.iter(|| evaluate(&design, f)));
    group.bench_function("estimate with 1,000 bootstrap resamples, 2^14 × 10", |b| {
        b.iter(|| estimate(&design, &y, 1000, 1))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
