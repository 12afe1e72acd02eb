//! Numerical guards, as properties over random valid scenarios: the baseline with parameters,
//! levers and settings moved anywhere inside their allowed ranges (up to the largest magnitude
//! a parameter may take, 1e30). In every month of every trial the metrics are finite and the
//! counts (parks, specialized, tech SMEs) whole and ≥ 0; the summary's probabilities lie in
//! [0, 1] inside their intervals, and every set of quantiles is monotone.
//!
//! Revenue is ≥ 0 too: the revenue of firms a renovation moves out
//! (`renovation.existing_revenue_cny_per_mu`) belongs to the existing base and takes it down to
//! zero at most. Jobs are the one net figure: net new jobs since the policy date, which go
//! negative when renovation moves more jobs out than the blocks and the base add. The Wilson
//! interval is checked at p = 0 and p = 1.

use parkcast::engine::{run, RunOptions};
use parkcast::model::{run_trial, Plan, TrialBuffers};
use parkcast::scenario::levers::LeverValue;
use parkcast::scenario::registry::Kind;
use parkcast::scenario::{load, Scenario, ScenarioSource, Scope, LEVERS, PARAMS};
use parkcast::seeds::{Seeds, TargetId};
use parkcast::stats::{Proportion, Z95};
use parkcast::summary::Summary;
use proptest::prelude::*;
use std::sync::atomic::AtomicBool;

/// The largest magnitude the generator uses where a range is unbounded (the validator's limit).
const REACH: f64 = 1e30;

/// A value in [lo, hi] from u ∈ [0, 1]; an unbounded side is reached on a log scale, so that
/// 1, 1e6 and 1e30 are all likely.
fn within(lo: f64, hi: f64, u: f64) -> f64 {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => lo + u * (hi - lo),
        (true, false) => lo + 10f64.powf(u * 30.0) - 1.0,
        (false, true) => hi - 10f64.powf(u * 30.0) + 1.0,
        (false, false) => (2.0 * u - 1.0).signum() * (10f64.powf((2.0 * u - 1.0).abs() * 30.0) - 1.0),
    }
    .clamp(lo.max(-REACH), hi.min(REACH))
}

/// A number as TOML reads it (never an integer too long for TOML's 64 bits).
fn num(x: f64) -> String {
    format!("{x:e}")
}

/// One random change to the baseline: a parameter (at one level), a lever or a setting.
#[derive(Clone, Debug)]
struct Change {
    what: usize,
    family: u8,
    level: u8,
    u: [f64; 3],
}

/// The `--set` override a change makes, valid by construction.
fn override_of(c: &Change) -> String {
    let [u0, u1, u2] = c.u;
    let settings = 3;
    if c.what < settings {
        return match c.what {
            0 => format!(
                "settings.target_set=\"{}\"",
                ["city_2027_draft", "city_2027_final", "nanhu_2027"][c.level as usize % 3]
            ),
            1 => format!("settings.horizon=\"{}-12\"", 2027 + (u0 * 8.0) as i32),
            _ => format!("settings.seed={}", (u0 * 1e9) as u64),
        };
    }
    let lever = c.what - settings;
    if lever < LEVERS.len() {
        let l = &LEVERS[lever];
        return match l.value {
            LeverValue::Number { lo, hi, .. } => format!("levers.{}.value={}", l.name, num(within(lo, hi, u0))),
            LeverValue::Replacement => format!(
                "levers.replacement={{ enabled = {}, checkpoint = \"{}-{:02}\", lag_months = {} }}",
                c.level % 2 == 0,
                2025 + (u0 * 3.0) as i32,
                1 + (u1 * 11.0) as u32,
                num(within(0.0, 60.0, u2))
            ),
        };
    }
    let def = &PARAMS[(c.what - settings - LEVERS.len()) % PARAMS.len()];
    let path = match (def.scope, c.level % 4) {
        (Scope::City, _) => def.path.to_string(),
        (Scope::Block, 0) => format!("blocks.{}.{}", 1 + c.level as usize % 20, def.path),
        (Scope::Block, 1) => format!("groups.start_status.undetermined.{}", def.path),
        (Scope::Block, _) => format!("params.{}", def.path),
    };
    let (lo, hi) = (def.lo, def.hi);
    let dist = match def.kind {
        Kind::Event if c.family % 2 == 0 => format!("bernoulli = {}", num(u0)),
        Kind::Event => format!("fixed = {}", (u0 < 0.5) as u8),
        Kind::Count => {
            let a = within(lo, hi.min(1e6), u0).round();
            let b = within(lo, hi.min(1e6), u1).round();
            match c.family % 3 {
                0 => format!("fixed = {}", num(a)),
                1 if lo <= 0.0 && a > 0.0 => format!("poisson = {}", num(a)),
                _ => format!(
                    "discrete = {{ values = [{}, {}], weights = [{}, {}] }}",
                    num(a),
                    num(b),
                    num(u2),
                    num(1.0 - u2)
                ),
            }
        }
        Kind::Real => {
            let mut v = [within(lo, hi, u0), within(lo, hi, u1), within(lo, hi, u2)];
            v.sort_by(f64::total_cmp);
            let [a, m, b] = v;
            match c.family % 5 {
                0 => format!("fixed = {}", num(m)),
                1 if a < b => format!("uniform = {{ min = {}, max = {} }}", num(a), num(b)),
                2 if a < b => format!("triangular = {{ min = {}, mode = {}, max = {} }}", num(a), num(m), num(b)),
                3 if a < b => format!("pert = {{ min = {}, mode = {}, max = {} }}", num(a), num(m), num(b)),
                4 if lo == 0.0 && hi == 1.0 => {
                    format!("beta = {{ alpha = {}, beta = {} }}", num(0.1 + 10.0 * u0), num(0.1 + 10.0 * u1))
                }
                _ => format!("fixed = {}", num(a)),
            }
        }
    };
    format!("{path}={{ {dist}, assumption = \"property test\" }}")
}

/// The revenue of the firms a renovation moves out (part of the existing base).
const LOST_REVENUE: &str = "renovation.existing_revenue_cny_per_mu";

/// Up to nine changes (renovation losses included: they take the base down to zero at most).
fn changes() -> impl Strategy<Value = Vec<String>> {
    let whats = 3 + LEVERS.len() + PARAMS.len();
    proptest::collection::vec(
        (0..whats, any::<u8>(), any::<u8>(), [0.0..=1.0f64, 0.0..=1.0f64, 0.0..=1.0f64])
            .prop_map(|(what, family, level, u)| override_of(&Change { what, family, level, u })),
        1..10,
    )
}

fn scenario(overrides: &[String]) -> Scenario {
    load(&ScenarioSource::Embedded("baseline.toml"), overrides, &Seeds::embedded())
        .unwrap_or_else(|e| panic!("the generator made an invalid scenario:\n{e}\n{overrides:#?}"))
}

/// Every month of `trials` trials: finite metrics, whole non-negative counts, parks no more than
/// the counted blocks, and revenue ≥ 0 if `revenue_floor`.
fn check_paths(plan: &Plan, seed: u64, trials: u64, revenue_floor: bool) -> Result<(), String> {
    let mut buf = TrialBuffers::new(plan);
    // parks: the counted blocks, and under the dynamic-list reading the other parks listed
    let listed = match plan.parks_sites {
        parkcast::seeds::ParksSites::DynamicList => {
            plan.city(parkcast::scenario::ParamId::BaseOtherParksListed).support().1
        }
        parkcast::seeds::ParksSites::Annex => 0.0,
    };
    let counted = plan.blocks.iter().filter(|b| b.counted).count() as f64 + listed;
    for trial in 0..trials {
        run_trial(plan, seed, trial, &mut buf);
        for (m, id) in TargetId::ALL.iter().enumerate() {
            for (t, &x) in buf.outcome.paths[m].iter().enumerate() {
                let at = || format!("trial {trial}, month {t}: {} = {x}", id.key());
                if !x.is_finite() {
                    return Err(at());
                }
                let is_count = matches!(id, TargetId::Parks | TargetId::Specialized | TargetId::TechSmes);
                if is_count && (x < 0.0 || x.fract() != 0.0) {
                    return Err(format!("{} is not a whole number ≥ 0", at()));
                }
                if *id == TargetId::Parks && x > counted {
                    return Err(format!("{} exceeds the {counted} counted blocks and listed parks", at()));
                }
                if *id == TargetId::Revenue && revenue_floor && x < 0.0 {
                    return Err(format!("{} is negative", at()));
                }
            }
        }
    }
    Ok(())
}

/// The summary of `trials` trials: probabilities in [0, 1] within their intervals, quantiles
/// monotone and finite, means finite.
fn check_summary(plan: &Plan, seed: u64, trials: u64) -> Result<(), String> {
    let opts = RunOptions { trials, seed, threads: 1, precision: None };
    let agg = run(plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let s = Summary::new(plan, &agg);
    let prob = |what: &str, p: f64, lo: f64, hi: f64| {
        if (0.0..=1.0).contains(&lo) && lo <= p && p <= hi && hi <= 1.0 {
            Ok(())
        } else {
            Err(format!("{what}: p {p} with interval [{lo}, {hi}]"))
        }
    };
    for t in &s.targets {
        prob(t.id.key(), t.p_met, t.ci.low, t.ci.high)?;
        let q = [t.p5, t.p50, t.p95, t.mean, t.base_mean];
        if q.iter().any(|x| !x.is_finite()) || !(t.p5 <= t.p50 && t.p50 <= t.p95) {
            return Err(format!("{}: quantiles {:?}", t.id.key(), q));
        }
    }
    prob("all", s.all.p_met, s.all.ci.low, s.all.ci.high)?;
    for r in &s.series {
        let q = [r.p5, r.p25, r.p50, r.p75, r.p95];
        if q.iter().chain([&r.mean]).any(|x| !x.is_finite()) || q.windows(2).any(|w| w[0] > w[1]) {
            return Err(format!("{} {}: bands {q:?}, mean {}", r.metric.key(), r.month, r.mean));
        }
    }
    for b in &s.blocks {
        for (what, p) in [
            ("p_started_2025", b.p_started_2025),
            ("p_delivered_deadline", b.p_delivered_deadline),
            ("p_delivered_horizon", b.p_delivered_horizon),
            ("p_replaced", b.p_replaced),
        ] {
            prob(&format!("block {} {what}", b.id), p, p, p)?;
        }
        if b.p_delivered_deadline > b.p_delivered_horizon || b.mean_contribution.iter().any(|x| !x.is_finite()) {
            return Err(format!("block {}: {b:?}", b.id));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn metrics_stay_finite_whole_and_non_negative_in_every_valid_scenario(overrides in changes()) {
        let s = scenario(&overrides);
        let plan = Plan::new(&s);
        let checked =
            check_paths(&plan, s.settings.seed, 40, true).and_then(|_| check_summary(&plan, s.settings.seed, 200));
        prop_assert!(checked.is_ok(), "{}\noverrides: {:#?}", checked.unwrap_err(), overrides);
    }
}

/// The library's scenarios keep the guards, revenue ≥ 0 included.
#[test]
fn library_scenarios_keep_the_guards() {
    for (name, _) in parkcast::scenario::EMBEDDED {
        let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
        let plan = Plan::new(&s);
        let checked =
            check_paths(&plan, s.settings.seed, 300, true).and_then(|_| check_summary(&plan, s.settings.seed, 500));
        assert!(checked.is_ok(), "{name}: {}", checked.unwrap_err());
    }
}

/// Firms moved out for a renovation belong to the existing base: with no base (parks_only),
/// there is nothing to lose, and revenue stays ≥ 0 while renovated blocks are empty.
#[test]
fn parks_only_revenue_stays_non_negative_while_renovated_blocks_are_empty() {
    let s = load(&ScenarioSource::Embedded("parks_only.toml"), &[], &Seeds::embedded()).unwrap();
    let plan = Plan::new(&s);
    assert_eq!(check_paths(&plan, s.settings.seed, 200, true), Ok(()));
    // and a renovation does take revenue away when there is a base to take it from
    let with_base = scenario(&[format!("params.{LOST_REVENUE}=1e9"), "params.build.renovation=1".into()]);
    let plan = Plan::new(&with_base);
    let mut buf = TrialBuffers::new(&plan);
    run_trial(&plan, with_base.settings.seed, 0, &mut buf);
    let quiet = scenario(&[format!("params.{LOST_REVENUE}=0"), "params.build.renovation=1".into()]);
    let plan_quiet = Plan::new(&quiet);
    let mut buf_quiet = TrialBuffers::new(&plan_quiet);
    run_trial(&plan_quiet, quiet.settings.seed, 0, &mut buf_quiet);
    assert!(buf.outcome.paths[3][20] < buf_quiet.outcome.paths[3][20]);
}

proptest! {
    /// At p = 0 the Wilson interval is [0, z²/(n + z²)], at p = 1 it is [n/(n + z²), 1]
    /// (closed forms); in between it holds the estimate and stays inside [0, 1].
    #[test]
    fn the_wilson_interval_is_exact_at_zero_and_one(n in 1u64..10_000_000, k in 0u64..10_000_000) {
        let z2 = Z95 * Z95;
        let none = Proportion { hits: 0, trials: n }.wilson(Z95);
        prop_assert_eq!(none.low, 0.0);
        prop_assert!((none.high - z2 / (n as f64 + z2)).abs() <= 1e-12 * none.high.max(1e-300), "{:?}", none);
        let all = Proportion { hits: n, trials: n }.wilson(Z95);
        prop_assert_eq!(all.high, 1.0);
        prop_assert!((all.low - n as f64 / (n as f64 + z2)).abs() <= 1e-12, "{:?}", all);
        let p = Proportion { hits: k % (n + 1), trials: n };
        let i = p.wilson(Z95);
        prop_assert!(0.0 <= i.low && i.low <= p.estimate() && p.estimate() <= i.high && i.high <= 1.0, "{:?} {:?}", p, i);
    }
}
