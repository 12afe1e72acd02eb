//! The model against closed-form answers, with tolerances from the Monte Carlo error.
//!
//! `tests/fixtures/fixed.toml` removes every random element; each test puts back one.
//! Tolerances: an estimated probability p̂ from n trials has standard error sqrt(p(1−p)/n);
//! checks allow 4.5 standard errors (a false alarm about once in 150,000 checks). Every test
//! runs under plain and Latin hypercube sampling: an LHS estimate's variance is at most
//! n/(n−1) times the plain one (Owen 1997), so the same tolerances hold.

use parkcast::engine::{run, Aggregate, RunOptions};
use parkcast::model::Plan;
use parkcast::scenario::{load, Scenario, ScenarioSource};
use parkcast::seeds::Seeds;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixed.toml")
}

/// Both sampling methods.
const SAMPLING: [&str; 2] = ["settings.sampling=plain", "settings.sampling=lhs"];

fn simulate(overrides: &[&str]) -> (Scenario, Aggregate) {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let s = load(&ScenarioSource::File(fixture()), &overrides, &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    let opts = RunOptions { trials: s.settings.trials, seed: s.settings.seed, threads: 2, precision: None };
    let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    (s, agg)
}

const M2_PER_MU: f64 = 666.67;
/// Blocks that deliver by 2027-12 in the fixed scenario: the 5 started (done at month 6),
/// the 4 planned for 2024-12 (done 2025-12) and the 6 planned for 2025 (start 2025-06, done
/// 2026-06); the 5 undetermined never start (hazard 0).
const DELIVERED_MU: f64 =
    (140.0 + 131.0 + 91.0 + 73.0 + 128.0) + (328.0 + 146.9 + 25.0 + 45.8) + (39.7 + 231.0 + 101.2 + 80.0 + 88.0 + 49.0);

fn assert_close(got: f64, want: f64, rel: f64, what: &str) {
    assert!((got - want).abs() <= rel * want.abs().max(1.0), "{what}: got {got}, want {want}");
}

/// Standard error allowance for a probability estimate.
fn tolerance(p: f64, n: u64) -> f64 {
    4.5 * (p * (1.0 - p) / n as f64).sqrt() + 1e-12
}

#[test]
fn everything_fixed_reproduces_hand_computed_metrics() {
    for sampling in SAMPLING {
        everything_fixed_reproduces_hand_computed_metrics_with(sampling);
    }
}

fn everything_fixed_reproduces_hand_computed_metrics_with(sampling: &str) {
    let (_, agg) = simulate(&[sampling]);
    // occupied floor area at the deadline: land × 666.67 × plot ratio 2 × industrial share 0.75 × ceiling 0.5
    let occupied = DELIVERED_MU * M2_PER_MU * 2.0 * 0.75 * 0.5;
    let months = 38.0; // 2024-11 to the end of 2027-12
                       // the parks' firms new to the city (1 − relocated share 0.2) add revenue and jobs
    let revenue = 50e9 * 1.1f64.powi(3) + occupied * 10_000.0 * 0.8 * 0.8;
    let revenue_all = 50e9 * 1.1f64.powi(3) * 1.2 + occupied * 10_000.0 * 0.8;
    let jobs = 1200.0 * months / 12.0 + occupied / 100.0 * 0.8;
    for t in 0..agg.trials as usize {
        let m = |k: usize| agg.columns.metric[k][t];
        assert_eq!(m(0), 15.0, "parks");
        assert_eq!(m(1), (100.0f64 + 12.0 * months / 12.0).round(), "specialized");
        assert_eq!(m(2), (500.0f64 + 60.0 * months / 12.0).round(), "tech SMEs");
        // the occupancy logistic reaches its ceiling to within 1e-12 in 2027
        assert_close(m(3), revenue, 1e-9, "revenue");
        assert_close(m(4), jobs, 1e-9, "jobs");
        // the other readings on the same trial
        let r = |x: parkcast::seeds::Reading| agg.columns.readings[x as usize][t];
        assert_close(r(parkcast::seeds::Reading::RevenueAll), revenue_all, 1e-9, "revenue, all");
        assert_close(r(parkcast::seeds::Reading::JobsNet), jobs, 1e-9, "jobs, net (nothing lost)");
    }
    assert_eq!(agg.met[0].hits, 0); // 15 < 20 parks
}

#[test]
fn independent_on_time_starts_give_binomial_parks() {
    for sampling in SAMPLING {
        independent_on_time_starts_give_binomial_parks_with(sampling);
    }
}

fn independent_on_time_starts_give_binomial_parks_with(sampling: &str) {
    // the 10 planned blocks start on time with p = 0.6, else 100 months late (after the horizon)
    let (_, agg) = simulate(&[sampling, "params.start.on_time={ bernoulli = 0.6 }", "settings.trials=20000"]);
    let n = agg.trials;
    let binom = |k: u64| -> f64 {
        // P(X = k), X ~ Binomial(10, 0.6)
        let c = (0..k).fold(1.0, |c, i| c * (10 - i) as f64 / (i + 1) as f64);
        c * 0.6f64.powi(k as i32) * 0.4f64.powi(10 - k as i32)
    };
    for k in 10..=15u64 {
        // parks = 5 started + X
        let want: f64 = (k - 5..=10).map(binom).sum();
        let got = agg.columns.metric[0].iter().filter(|&&p| p >= k as f64).count() as f64 / n as f64;
        assert!((got - want).abs() < tolerance(want, n), "{sampling}: P(parks ≥ {k}) = {got}, binomial {want}");
    }
}

#[test]
fn poisson_intake_gives_the_poisson_tail() {
    for sampling in SAMPLING {
        poisson_intake_gives_the_poisson_tail_with(sampling);
    }
}

fn poisson_intake_gives_the_poisson_tail_with(sampling: &str) {
    let (_, agg) = simulate(&[
        sampling,
        "params.firms.tech_share.fixed=1",
        "base.tech_smes_2024.fixed=0",
        "base.tech_smes_added_per_year.fixed=0",
        "settings.trials=20000",
    ]);
    // arrivals thinned by the share new to the city (1 − 0.2): Poisson still
    let lambda = DELIVERED_MU * M2_PER_MU * 2.0 * 0.75 * 0.5 / 21_000.0 * 0.8;
    let n = agg.trials;
    let mut pmf = (-lambda).exp();
    let mut cdf_below = 0.0;
    for k in 0..80u64 {
        if k > 0 {
            pmf *= lambda / k as f64;
        }
        if [30, 35, 40, 45, 50].contains(&(k + 1)) {
            let want = 1.0 - (cdf_below + pmf); // P(N ≥ k+1)
            let got = agg.columns.metric[2].iter().filter(|&&x| x >= (k + 1) as f64).count() as f64 / n as f64;
            assert!((got - want).abs() < tolerance(want, n), "P(N ≥ {}) = {got}, Poisson({lambda:.3}) {want}", k + 1);
        }
        cdf_below += pmf;
    }
    // mean and variance of a Poisson are both λ
    let xs = &agg.columns.metric[2];
    let mean = xs.iter().sum::<f64>() / n as f64;
    assert!((mean - lambda).abs() < 4.5 * (lambda / n as f64).sqrt(), "mean {mean} vs {lambda}");
}

fn normal_cdf(x: f64) -> f64 {
    // Abramowitz–Stegun 7.1.26 via erf, error < 1.5e-7
    let z = x / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t + 0.254_829_592)
            * t
            * (-z * z).exp();
    0.5 * (1.0 + if z >= 0.0 { y } else { -y })
}

fn variance(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
}

#[test]
fn a_sum_of_normals_gives_the_normal_tail_and_a_common_shock_widens_it() {
    for sampling in SAMPLING {
        a_sum_of_normals_gives_the_normal_tail_and_a_common_shock_widens_it_with(sampling);
    }
}

fn a_sum_of_normals_gives_the_normal_tail_and_a_common_shock_widens_it_with(sampling: &str) {
    let occupied = DELIVERED_MU * M2_PER_MU * 2.0 * 0.75 * 0.5;
    let block_jobs = occupied / 100.0 * 0.8;
    let years = 38.0 / 12.0;
    let mean = block_jobs + 1200.0 * years;
    // base jobs a year ~ Normal(1200, 300): new jobs = block jobs + years × J
    let (_, quiet) = simulate(&[
        sampling,
        "base.jobs_added_per_year={ normal = { mean = 1200, sd = 300 } }",
        "settings.trials=20000",
    ]);
    let sd = 300.0 * years;
    let n = quiet.trials;
    for z in [-1.5, -0.5, 0.0, 0.7, 1.6] {
        let threshold = mean + z * sd;
        let want = 1.0 - normal_cdf(z);
        let got = quiet.columns.metric[4].iter().filter(|&&x| x >= threshold).count() as f64 / n as f64;
        assert!((got - want).abs() < tolerance(want, n), "P(jobs ≥ mean + {z} sd) = {got}, normal {want}");
    }
    // with the macro factor (sd 1) adding 400 jobs a year per sd: variance × (300² + 400²) / 300²
    let (_, shocked) = simulate(&[
        sampling,
        "base.jobs_added_per_year={ normal = { mean = 1200, sd = 300 } }",
        "shocks.base_jobs_per_sd.fixed=400",
        "settings.trials=20000",
    ]);
    let factor = variance(&shocked.columns.metric[4]) / variance(&quiet.columns.metric[4]);
    let predicted = (300.0f64.powi(2) + 400.0f64.powi(2)) / 300.0f64.powi(2);
    // each sample variance has relative standard error sqrt(2/(n−1)) ≈ 1 %; the ratio ≈ 1.4 %
    let rel_se = (2.0 * 2.0 / (n as f64 - 1.0)).sqrt();
    assert!((factor / predicted - 1.0).abs() < 4.5 * rel_se, "variance factor {factor}, predicted {predicted}");
}
