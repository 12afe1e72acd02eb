//! The promise of common random numbers (docs/model.md): two scenarios run with one seed see
//! the same draws for the same uncertainties. For random pairs of distinct parameters (p, q)
//! over the baseline and the library scenarios, changing p's distribution (to `fixed`, to
//! another family, or to other parameters) leaves every draw of q as it was in every trial,
//! and every target whose metric cannot depend on p keeps its per-trial values bit for bit:
//! P(met) identical, and the paired difference `compare` reports exactly zero with a
//! zero-width interval.

use parkcast::engine::streams::Sampling;
use parkcast::engine::Aggregate;
use parkcast::model::{run_trial, Plan, TrialBuffers, METRIC_COUNT};
use parkcast::scenario::{load, Dist, Kind, ScenarioSource, Scope, PARAMS};
use parkcast::seeds::Seeds;
use parkcast::whatif::{compare, paired_difference, Common};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

const TRIALS: u64 = 24;
const SCENARIOS: [&str; 9] = [
    "baseline.toml",
    "downturn.toml",
    "draft_definition.toml",
    "nanhu.toml",
    "no_replacement.toml",
    "parks_only.toml",
    "policy_package.toml",
    "replacement.toml",
    "slow_approvals.toml",
];
const PARKS: usize = 0;
const SPECIALIZED: usize = 1;
const TECH: usize = 2;
const REVENUE: usize = 3;
const JOBS: usize = 4;

/// Whether parameter `path` can affect metric `m` by the model (docs/model.md §1–§8). Only
/// the independences matter: each is checked bit for bit.
fn may_affect(path: &str, m: usize) -> bool {
    let only = |ms: &[usize]| ms.contains(&m);
    match path {
        "revenue.density_cny_per_m2"
        | "revenue.above_scale_share"
        | "renovation.existing_revenue_cny_per_mu"
        | "firms.anchor_revenue_cny"
        | "base.revenue_2024_cny"
        | "base.revenue_growth_per_year"
        | "base.all_revenue_factor"
        | "shocks.revenue_log_per_sd"
        | "shocks.base_revenue_log_per_sd" => only(&[REVENUE]),
        "jobs.area_per_job_m2"
        | "renovation.existing_jobs_per_mu"
        | "firms.anchor_jobs"
        | "base.jobs_added_per_year"
        | "base.jobs_lost_per_year"
        | "shocks.base_jobs_per_sd" => only(&[JOBS]),
        "renovation.displaced_urban_type_share" => only(&[REVENUE, JOBS]),
        "firms.relocated_share" => m != PARKS,
        "base.other_parks_listed" => only(&[PARKS]),
        "firms.anchor_count" => only(&[REVENUE, JOBS]),
        "firms.specialized_share"
        | "firms.arrive_certified_share"
        | "firms.national_share"
        | "firms.certification_lag_months"
        | "base.specialized_2024"
        | "base.specialized_added_per_year"
        | "base.national_share" => only(&[SPECIALIZED]),
        "firms.area_per_firm_m2" | "firms.tech_share" => only(&[SPECIALIZED, TECH]),
        "base.tech_smes_2024" | "base.tech_smes_added_per_year" => only(&[TECH]),
        "floor.plot_ratio"
        | "floor.industrial_share"
        | "occupancy.ceiling"
        | "occupancy.half_fill_months"
        | "occupancy.fill_span_months"
        | "shocks.occupancy_log_per_sd"
        | "base.nanhu_share" => m != PARKS,
        _ => true,
    }
}

/// What one trial left: the metrics at the deadline and every parameter value drawn.
struct Trial {
    at_deadline: [f64; METRIC_COUNT],
    city: Vec<f64>,
    blocks: Vec<f64>,
}

fn simulate(plan: &Plan, seed: u64) -> (Vec<Trial>, Aggregate) {
    simulate_n(plan, seed, TRIALS)
}

fn simulate_n(plan: &Plan, seed: u64, n: u64) -> (Vec<Trial>, Aggregate) {
    let mut buf = TrialBuffers::recording(plan);
    let mut agg = Aggregate::new(plan);
    let trials = (0..n)
        .map(|t| {
            run_trial(plan, seed, t, &mut buf);
            agg.record(plan, &buf.outcome);
            let o = &buf.outcome;
            Trial { at_deadline: o.at_deadline, city: o.city_values.clone(), blocks: o.block_values.clone() }
        })
        .collect();
    (trials, agg)
}

struct Loaded {
    plan: Plan,
    seed: u64,
    trials: Vec<Trial>,
    agg: Aggregate,
}

fn scenarios() -> &'static [Loaded] {
    static LOADED: OnceLock<Vec<Loaded>> = OnceLock::new();
    LOADED.get_or_init(|| {
        SCENARIOS
            .iter()
            .map(|&name| {
                let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
                let plan = Plan::new(&s);
                let (trials, agg) = simulate(&plan, s.settings.seed);
                Loaded { plan, seed: s.settings.seed, trials, agg }
            })
            .collect()
    })
}

/// A different distribution for a parameter of kind `kind` that stays where `d` lives (so
/// every value is one the parameter allows): chosen by `how`, shaped by `v`, `w` in (0, 1).
fn changed(d: &Dist, kind: Kind, how: u8, v: f64, w: f64) -> Dist {
    let (a, b) = (d.quantile(0.02 + 0.96 * v), d.quantile(0.02 + 0.96 * w));
    let (lo, hi) = (a.min(b), a.max(b));
    match kind {
        Kind::Event => match how % 3 {
            0 => Dist::fixed(0.0),
            1 => Dist::fixed(1.0),
            _ => Dist::bernoulli(v),
        },
        Kind::Count => match how % 2 {
            0 => Dist::fixed(a.round()),
            _ => Dist::discrete(vec![a.round(), b.round()], vec![0.5, 0.5]),
        },
        Kind::Real => match how % 4 {
            0 => Dist::fixed(a),
            1 if lo < hi => Dist::uniform(lo, hi),
            2 if lo < hi => Dist::triangular(lo, lo + (hi - lo) * v, hi),
            3 if lo < hi => Dist::pert(lo, lo + (hi - lo) * w, hi, None),
            _ => Dist::fixed(d.mean().clamp(d.support().0, d.support().1)),
        },
    }
    .unwrap()
}

/// Sets parameter `p` to a changed distribution: a city-wide one, or a block one in every
/// block and the reserve (`block: None`) or in one block.
fn change(plan: &Plan, p: usize, block: Option<usize>, how: u8, v: f64, w: f64) -> Plan {
    let mut out = plan.clone();
    let kind = PARAMS[p].kind;
    if PARAMS[p].scope == Scope::City {
        out.city[p] = changed(&plan.city[p], kind, how, v, w);
        return out;
    }
    let n = out.blocks.len();
    for (i, b) in out.blocks.iter_mut().enumerate().filter(|(i, _)| block.is_none_or(|k| k % n == *i)) {
        b.params[p] = changed(&plan.blocks[i].params[p], kind, how, v, w);
    }
    if block.is_none() {
        out.reserve.params[p] = changed(&plan.reserve.params[p], kind, how, v, w);
    }
    out
}

fn same(a: f64, b: f64) -> bool {
    a.is_nan() || b.is_nan() || a.to_bits() == b.to_bits()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn changing_one_parameter_moves_no_other_draw_and_no_target_it_cannot_affect(
        scenario in 0..SCENARIOS.len(),
        p in 0..PARAMS.len(),
        q_offset in 1..PARAMS.len(),
        block in proptest::option::of(0usize..64),
        how in any::<u8>(),
        v in 0.0f64..1.0,
        w in 0.0f64..1.0,
    ) {
        let q = (p + q_offset) % PARAMS.len();
        let base = &scenarios()[scenario];
        let plan = change(&base.plan, p, block, how, v, w);
        let (trials, agg) = simulate(&plan, base.seed);
        let width = PARAMS.len();
        for (t, (a, b)) in base.trials.iter().zip(&trials).enumerate() {
            // every draw of q that both runs made is the same
            prop_assert!(same(a.city[q], b.city[q]), "{}: trial {t}: {} {} → {}", SCENARIOS[scenario], PARAMS[q].path, a.city[q], b.city[q]);
            for (k, (x, y)) in a.blocks.chunks(width).zip(b.blocks.chunks(width)).enumerate() {
                prop_assert!(same(x[q], y[q]), "{}: trial {t}, block slot {k}: {} {} → {} after changing {}",
                    SCENARIOS[scenario], PARAMS[q].path, x[q], y[q], PARAMS[p].path);
            }
        }
        for m in (0..METRIC_COUNT).filter(|&m| !may_affect(PARAMS[p].path, m)) {
            for (t, (a, b)) in base.trials.iter().zip(&trials).enumerate() {
                prop_assert_eq!(a.at_deadline[m].to_bits(), b.at_deadline[m].to_bits(),
                    "{}: trial {}, metric {} moved when {} changed", SCENARIOS[scenario], t, m, PARAMS[p].path);
            }
            prop_assert_eq!(base.agg.met[m], agg.met[m]);
            if let Some(thr) = plan.thresholds[m] {
                let hit = |o: &[Trial], t: usize| o[t].at_deadline[m] >= thr;
                let d = paired_difference(|t| hit(&base.trials, t), |t| hit(&trials, t), TRIALS as usize);
                prop_assert_eq!(d, (0.0, 0.0, 0.0));
            }
        }
    }
}

#[test]
fn every_parameter_is_drawn_somewhere_so_the_property_test_sees_it() {
    // a parameter never drawn in any scenario would make the check above vacuous for it;
    // firms.national_share counts only for a target of national 小巨人 alone, which no target
    // set of the seeds has
    for (q, def) in PARAMS.iter().enumerate().filter(|(_, d)| d.path != "firms.national_share") {
        let drawn = scenarios().iter().any(|s| {
            s.trials.iter().any(|t| !t.city[q].is_nan() || t.blocks.chunks(PARAMS.len()).any(|b| !b[q].is_nan()))
        });
        assert!(drawn, "{} is never drawn", def.path);
    }
}

#[test]
fn sweeping_revenue_growth_leaves_firm_counts_exactly_as_they_were() {
    // the example of issue 16: revenue growth enters neither firm count
    let seeds = Seeds::embedded();
    let common = Common { trials: 3000, seed: 20241031, threads: 2 };
    let cancel = AtomicBool::new(false);
    let spec = parkcast::whatif::SweepSpec { path: "base.revenue_growth_per_year", values: &[0.03, 0.05, 0.08] };
    let rows = parkcast::whatif::sweep(
        &ScenarioSource::Embedded("baseline.toml"),
        &[],
        &spec,
        &seeds,
        common,
        &cancel,
        &|_, _| {},
    )
    .unwrap();
    let base =
        parkcast::whatif::evaluate(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds, common, &cancel).unwrap();
    use parkcast::seeds::TargetId;
    for target in [TargetId::Specialized, TargetId::TechSmes] {
        let ps: Vec<f64> = rows.iter().filter(|r| r.target == Some(target)).map(|r| r.p_met).collect();
        assert_eq!(ps.len(), 3);
        let m = TargetId::ALL.iter().position(|t| *t == target).unwrap();
        assert!(ps.iter().all(|p| *p == base.proportion(Some(m)).estimate()), "{target:?}: {ps:?}");
    }
    // and compare reports exactly zero difference for them, with a zero-width interval
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("growth.toml");
    let baseline = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    std::fs::write(
        &file,
        format!(
            "extends = {:?}\n[scenario]\nname = \"growth\"\ndescription = \"8 % growth\"\n[base]\nrevenue_growth_per_year = {{ fixed = 0.08, assumption = \"test\" }}\n",
            baseline.display().to_string()
        ),
    )
    .unwrap();
    let rows =
        compare(&[ScenarioSource::File(baseline), ScenarioSource::File(file)], &[], &seeds, common, &cancel).unwrap();
    for r in rows.iter().filter(|r| matches!(r.target, Some(TargetId::Specialized | TargetId::TechSmes))) {
        assert_eq!(r.diff, (0.0, 0.0, 0.0), "{r:?}");
    }
}

#[test]
fn a_lever_on_firm_counts_leaves_revenue_and_jobs_as_they_were() {
    // industry funds change firm counts only (docs/model.md §5)
    let seeds = Seeds::embedded();
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds).unwrap();
    let t =
        load(&ScenarioSource::Embedded("baseline.toml"), &["levers.industry_funds.value=1.5".into()], &seeds).unwrap();
    let (a, b) = (Plan::new(&s), Plan::new(&t));
    let (ta, _) = simulate_n(&a, 1, 200);
    let (tb, _) = simulate_n(&b, 1, 200);
    for (x, y) in ta.iter().zip(&tb) {
        for m in [PARKS, REVENUE, JOBS] {
            assert_eq!(x.at_deadline[m].to_bits(), y.at_deadline[m].to_bits(), "metric {m}");
        }
    }
    // (while firm counts do move)
    assert!(ta.iter().zip(&tb).any(|(x, y)| x.at_deadline[TECH] != y.at_deadline[TECH]));
}

#[test]
fn latin_hypercube_keeps_the_promise_too() {
    let seeds = Seeds::embedded();
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &["settings.sampling=\"lhs\"".into()], &seeds).unwrap();
    assert_eq!(s.settings.sampling, Sampling::Lhs);
    let plan = Plan::new(&s);
    let growth = PARAMS.iter().position(|d| d.path == "base.revenue_growth_per_year").unwrap();
    let (a, _) = simulate(&plan, 5);
    let (b, _) = simulate(&change(&plan, growth, None, 0, 0.3, 0.6), 5);
    for (x, y) in a.iter().zip(&b) {
        for m in [PARKS, SPECIALIZED, TECH, JOBS] {
            assert_eq!(x.at_deadline[m].to_bits(), y.at_deadline[m].to_bits());
        }
        assert_ne!(x.city[growth], y.city[growth]);
    }
}
