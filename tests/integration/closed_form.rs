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
/// Land operating by the end of 2026-04 (month 18) in the fixed scenario: the 5 started blocks
/// (2 and 4, whose published starts 2021-06 and 2022-06 lie more than the 12 months of building
/// before the policy date, complete at month 0; 6, 7 and 8, half built, at month 6) and the 4
/// planned for 2024-12 (done 2025-12, month 13).
const OPERATING_BY_2026_04_MU: f64 = (140.0 + 131.0 + 91.0 + 73.0 + 128.0) + (328.0 + 146.9 + 25.0 + 45.8);
/// Blocks that deliver by 2027-12: those and the 6 planned for 2025 (start 2025-06, done
/// 2026-06, month 19); the 5 undetermined never start (hazard 0).
const DELIVERED_MU: f64 = OPERATING_BY_2026_04_MU + (39.7 + 231.0 + 101.2 + 80.0 + 88.0 + 49.0);

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

/// Every firm a tech SME, no base firms: the block counts alone.
const BLOCK_FIRMS_ONLY: [&str; 5] = [
    "params.firms.tech_share.fixed=1",
    "base.tech_smes_2024.fixed=0",
    "base.tech_smes_added_per_year.fixed=0",
    "base.specialized_2024.fixed=0",
    "base.specialized_added_per_year.fixed=0",
];
const SPECIALIZED: usize = 1;
const TECH: usize = 2;

/// The monthly paths of `trials` trials of the fixture under `overrides`.
fn paths(overrides: &[&str], trials: u64) -> Vec<[Vec<f64>; 5]> {
    use parkcast::model::{run_trial, TrialBuffers};
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let s = load(&ScenarioSource::File(fixture()), &overrides, &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    let mut buf = TrialBuffers::new(&plan);
    (0..trials)
        .map(|t| {
            run_trial(&plan, s.settings.seed, t, &mut buf);
            buf.outcome.paths.clone()
        })
        .collect()
}

#[test]
fn firms_certified_on_arrival_count_at_once_and_the_others_only_after_the_lag() {
    let with = |extra: &[&'static str]| [&BLOCK_FIRMS_ONLY[..], extra].concat();
    // every tech SME arrives certified: the 专精特新 count is the tech SME count, month by month
    let all_at_once = paths(
        &with(&[
            "params.firms.arrive_certified_share.fixed=1",
            "params.firms.specialized_share.fixed=0",
            "params.firms.certification_lag_months.fixed=20",
        ]),
        300,
    );
    // none arrives certified and every one is certified 20 months after it arrived: the count
    // is the tech SME count of 20 months earlier, and nothing before month 20
    let after_lag = paths(
        &with(&[
            "params.firms.arrive_certified_share.fixed=0",
            "params.firms.specialized_share.fixed=1",
            "params.firms.certification_lag_months.fixed=20",
        ]),
        300,
    );
    for (a, l) in all_at_once.iter().zip(&after_lag) {
        assert_eq!(a[SPECIALIZED], a[TECH]);
        assert_eq!(a[TECH], l[TECH], "the share certified on arrival changes no tech SME count");
        for t in 0..l[TECH].len() {
            let want = if t < 20 { 0.0 } else { l[TECH][t - 20] };
            assert_eq!(l[SPECIALIZED][t], want, "month {t}");
        }
    }
    assert!(after_lag.iter().any(|p| p[TECH][37] > p[TECH][17]), "some firms arrive in the last 20 months");
    for sampling in SAMPLING {
        a_mixed_share_gives_the_hand_computed_mean_with(sampling);
    }
}

fn a_mixed_share_gives_the_hand_computed_mean_with(sampling: &str) {
    // a quarter arrive certified; half of the others are certified 20 months after arriving:
    // E[专精特新 at 2027-12] = 0.25 λ(2027-12) + 0.5 × 0.75 × λ(2026-04)
    let overrides = [
        &BLOCK_FIRMS_ONLY[..],
        &[
            sampling,
            "params.firms.arrive_certified_share.fixed=0.25",
            "params.firms.specialized_share.fixed=0.5",
            "params.firms.certification_lag_months.fixed=20",
            "settings.trials=20000",
        ],
    ]
    .concat();
    let (_, agg) = simulate(&overrides);
    // (arrivals thinned by the share new to the city, 1 − relocated share 0.2)
    let per_mu = M2_PER_MU * 2.0 * 0.75 * 0.5 / 21_000.0 * 0.8;
    let (lambda_d, lambda_18) = (DELIVERED_MU * per_mu, OPERATING_BY_2026_04_MU * per_mu);
    let want = 0.25 * lambda_d + 0.5 * 0.75 * lambda_18;
    let xs = &agg.columns.metric[SPECIALIZED];
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let se = (variance(xs) / n).sqrt();
    assert!((mean - want).abs() < 4.5 * se, "{sampling}: mean {mean}, hand-computed {want} (se {se})");
    // and the tech SMEs are their Poisson mean
    let tech = agg.columns.metric[TECH].iter().sum::<f64>() / n;
    assert!((tech - lambda_d).abs() < 4.5 * (lambda_d / n).sqrt(), "{sampling}: tech {tech} vs {lambda_d}");
}

#[test]
fn published_starts_hold_in_every_trial_and_other_started_blocks_keep_their_drawn_start() {
    use parkcast::model::{run_trial, TrialBuffers};
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    let mut buf = TrialBuffers::new(&plan);
    let (y0, m0) = parkcast::model::MODEL_START;
    let policy = parkcast::month::Month::new(y0, m0).unwrap();
    let month = |y, m| parkcast::month::Month::new(y, m).unwrap().since(policy) as i16;
    let mut block2_months = std::collections::BTreeSet::new();
    let mut drawn = std::collections::BTreeSet::new();
    for t in 0..2000 {
        run_trial(&plan, s.settings.seed, t, &mut buf);
        let o = &buf.outcome;
        // block 2 (index 1): some month of 2021; block 4 (index 3): 2022-06
        assert!((month(2021, 1)..=month(2021, 12)).contains(&o.block_start[1]), "trial {t}: {}", o.block_start[1]);
        block2_months.insert(o.block_start[1]);
        assert_eq!(o.block_start[3], month(2022, 6), "trial {t}");
        // the baseline's build times (at most 24 months) are shorter than the time since: both
        // complete at the policy date and operate after the fit-out (6–12 months) alone
        for i in [1, 3] {
            assert!((6..=12).contains(&o.block_delivery[i]), "trial {t}, block {}: {}", i + 1, o.block_delivery[i]);
        }
        // blocks 6, 7, 8 keep their drawn start: up to 60 % of at most 24 months done
        for i in [5, 6, 7] {
            assert!((-15..=-1).contains(&o.block_start[i]), "trial {t}, block {}: {}", i + 1, o.block_start[i]);
            drawn.insert(o.block_start[i]);
        }
    }
    assert_eq!(block2_months.len(), 12, "every month of 2021 is possible for block 2: {block2_months:?}");
    assert!(drawn.len() > 5, "{drawn:?}");
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
