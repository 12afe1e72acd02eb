//! Monitoring: forecasts conditioned on observations.

use parkcast::engine::{self, RunOptions};
use parkcast::model::{run_trial, Plan, TrialBuffers};
use parkcast::monitor::condition::condition;
use parkcast::monitor::observations::from_toml;
use parkcast::scenario::ScenarioSource;
use parkcast::seeds::Seeds;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn conditioned(
    scenario: &ScenarioSource,
    overrides: &[String],
    observations: &str,
) -> (parkcast::scenario::Scenario, Plan) {
    let seeds = Seeds::embedded();
    let s = parkcast::scenario::load(scenario, overrides, &seeds).unwrap();
    let obs = from_toml("observations.toml", observations, &seeds, s.target_set.deadline).unwrap();
    let c = condition(&s, &obs, observations.as_bytes());
    (c.scenario, c.plan)
}

#[test]
fn with_everything_observed_and_nothing_random_the_forecast_is_the_observed_totals() {
    let text = std::fs::read_to_string(fixture("observed/all_fixed.toml")).unwrap();
    let (s, plan) = conditioned(&ScenarioSource::File(fixture("fixed.toml")), &[], &text);
    let obs = from_toml("o", &text, &Seeds::embedded(), s.target_set.deadline).unwrap();
    // the observed totals at the as-of month (2026-12, month index 25)
    let t = 25;
    let sum = |f: &dyn Fn(&parkcast::monitor::BlockObservation) -> f64| obs.blocks.iter().map(f).sum::<f64>();
    let delivered = obs.blocks.iter().filter(|o| matches!(o.delivered, Some(parkcast::monitor::Seen::In(_)))).count();
    // a block's observed firms count for the share new to the city (1 − relocated share 0.2),
    // rounded block by block
    let new_to_city = |c: Option<f64>| (c.unwrap_or(0.0) * 0.8).round();
    let expected = [
        delivered as f64,
        130.0 + sum(&|o| new_to_city(o.specialized)),
        700.0 + sum(&|o| new_to_city(o.tech_smes)),
        // base: the observed 2026 revenue; blocks: the 规上 share (0.8) of their observed
        // revenue, new to the city (0.8)
        60e9 + 0.8 * 0.8 * sum(&|o| o.revenue_cny.unwrap_or(0.0)),
        // base: 1,200 new jobs a year for 26 months; blocks: the observed headcount less the
        // share that only relocated (0.2)
        1200.0 * 26.0 / 12.0 + 0.8 * sum(&|o| o.jobs.unwrap_or(0.0)),
    ];
    let mut buf = TrialBuffers::new(&plan);
    let mut first: Option<Vec<f64>> = None;
    for trial in [0, 1, 17, 999] {
        run_trial(&plan, 1, trial, &mut buf);
        let at: Vec<f64> = (0..5).map(|m| buf.outcome.paths[m][t]).collect();
        assert_eq!(at[0], expected[0], "parks");
        assert_eq!(at[1], expected[1], "专精特新");
        assert_eq!(at[2], expected[2], "tech SMEs");
        for m in [3, 4] {
            assert!((at[m] - expected[m]).abs() <= 1e-9 * expected[m], "metric {m}: {} vs {}", at[m], expected[m]);
        }
        // nothing random is left: every trial is the same, to the deadline
        let whole: Vec<f64> = (0..5).flat_map(|m| buf.outcome.paths[m].clone()).collect();
        match &first {
            None => first = Some(whole),
            Some(f) => assert_eq!(f, &whole, "trial {trial}"),
        }
    }
}

#[test]
fn an_observed_specialized_count_is_met_exactly_when_firms_arrive_certified() {
    // the observed count splits into firms certified on arrival and firms certified since; both
    // paths pass through their part, so the total is the observed count whatever the share
    let text = std::fs::read_to_string(fixture("observed/all_fixed.toml")).unwrap();
    let obs = from_toml("o", &text, &Seeds::embedded(), parkcast::month::Month::new(2027, 12).unwrap()).unwrap();
    // (each block's count new to the city: 1 − relocated share 0.2, rounded)
    let observed: f64 = obs.blocks.iter().map(|o| (o.specialized.unwrap_or(0.0) * 0.8).round()).sum();
    assert!(observed > 0.0);
    for share in ["0.5", "1"] {
        let (_, plan) = conditioned(
            &ScenarioSource::File(fixture("fixed.toml")),
            &[format!("params.firms.arrive_certified_share.fixed={share}")],
            &text,
        );
        let mut buf = TrialBuffers::new(&plan);
        for trial in [0, 1, 17, 999] {
            run_trial(&plan, 1, trial, &mut buf);
            assert_eq!(buf.outcome.paths[1][25], 130.0 + observed, "share {share}, trial {trial}");
        }
    }
}

#[test]
fn a_block_seen_not_started_never_starts_before_the_as_of_month() {
    let text = "as_of = \"2026-06\"\nsource = \"test\"\n[blocks.9]\nstarted = false\n[blocks.16]\nstarted = false\n[blocks.11]\nstarted = false\n";
    let baseline = ScenarioSource::Embedded("baseline.toml");
    let (s, plan) = conditioned(&baseline, &[], text);
    let opts = RunOptions { trials: 4000, seed: 3, threads: 2, precision: None };
    let cancel = AtomicBool::new(false);
    let agg = engine::run(&plan, &opts, &cancel, &|_, _| {}).unwrap();
    let free = engine::run(&Plan::new(&s), &opts, &cancel, &|_, _| {}).unwrap();
    // 2026-06 is month index 19: no start before index 20 (2026-07)
    for id in [9, 16, 11] {
        let i = s.blocks.iter().position(|b| b.id == id).unwrap();
        let earliest = agg.columns.start[i].iter().min().unwrap();
        assert!(*earliest >= 20, "block {id} starts at month index {earliest}");
        // without the observation it often starts earlier, so the check can fail
        assert!(free.columns.start[i].iter().filter(|m| **m < 20).count() > 100, "block {id}");
    }
}

#[test]
fn observing_a_block_as_delivered_raises_p_parks_met_on_common_random_numbers() {
    let nanhu = ScenarioSource::Embedded("nanhu.toml");
    let seen = "as_of = \"2025-12\"\nsource = \"test\"\n[blocks.1]\nstarted = \"2025-01\"\ndelivered = \"2025-12\"\n";
    let unseen = "as_of = \"2025-12\"\nsource = \"test\"\n";
    // a 28-month build keeps Nanhu's parks target (≥ 3 blocks built) uncertain
    let longer = ["params.build.duration_months=28".to_string()];
    let (_, with) = conditioned(&nanhu, &longer, seen);
    let (_, without) = conditioned(&nanhu, &longer, unseen);
    let opts = RunOptions { trials: 4000, seed: 8, threads: 2, precision: None };
    let cancel = AtomicBool::new(false);
    let a = engine::run(&with, &opts, &cancel, &|_, _| {}).unwrap();
    let b = engine::run(&without, &opts, &cancel, &|_, _| {}).unwrap();
    let parks = 0;
    let (pa, pb) = (a.met[parks].estimate(), b.met[parks].estimate());
    assert!(pb > 0.05 && pb < 0.95, "P(parks) without the observation: {pb}");
    assert!(pa > pb, "{pa} vs {pb}");
    // trial by trial: the block counts as a park in every trial, the others are unchanged
    for t in 0..4000 {
        assert!(a.columns.metric[parks][t] >= b.columns.metric[parks][t], "trial {t}");
    }
}

fn parkcast(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_parkcast")).args(args).current_dir(dir).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn a_bad_observations_file_gets_every_error_and_exit_2() {
    let dir = fixture("observed");
    for (file, snapshot) in [("bad.toml", "bad_observations_toml"), ("bad.csv", "bad_observations_csv")] {
        let (code, stdout, stderr) = parkcast(&dir, &["monitor", "--observed", file, "--trials", "1000", "--no-write"]);
        assert_eq!(code, 2, "{file}: {stderr}");
        assert!(stdout.is_empty());
        assert!(!stderr.contains("panicked"));
        insta::assert_snapshot!(snapshot, stderr);
    }
}

#[test]
fn the_example_observations_run_and_write_the_monitoring_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06.toml");
    let (code, stdout, stderr) = parkcast(
        dir.path(),
        &["monitor", "--observed", example.to_str().unwrap(), "--trials", "2000", "--out", "m", "--lang", "en"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Forecast as of 2026-06"), "{stdout}");
    assert!(stdout.contains("Blocks at risk as of 2026-06"));
    let monitor = std::fs::read_to_string(dir.path().join("m/monitor.csv")).unwrap();
    assert_eq!(monitor.lines().count(), 1 + 21, "20 annex blocks and the added one");
    assert!(monitor.contains("candidate") || monitor.contains("true"));
    let html = std::fs::read_to_string(dir.path().join("m/report.html")).unwrap();
    assert!(html.contains("Monitoring as of 2026-06"), "the report has a monitoring section");
    // the CSV form of the per-block table is read the same way
    let csv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06-blocks.csv");
    let (code, _, stderr) =
        parkcast(dir.path(), &["monitor", "--observed", csv.to_str().unwrap(), "--trials", "1000", "--no-write"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn late_blocks_everywhere_teach_a_worse_economy_and_no_evidence_teaches_nothing() {
    use parkcast::monitor::learning::learn;
    let baseline = ScenarioSource::Embedded("baseline.toml");
    let late: String =
        [1, 3, 5, 9, 10, 16, 17, 18, 19, 20].iter().map(|id| format!("[blocks.{id}]\nstarted = false\n")).collect();
    let (_, plan) = conditioned(&baseline, &[], &format!("as_of = \"2026-06\"\nsource = \"test\"\n{late}"));
    let cancel = AtomicBool::new(false);
    let (l, pool) = learn(&plan, 5, 10_000, 2, &cancel, &|_, _| {}).unwrap();
    assert_eq!(l.facts, 10);
    assert!(l.updated && pool.is_some(), "effective sample {}", l.effective_sample);
    let macro_factor = &l.factors[0].1;
    // ten blocks all at least 6 months late: the factor that delays every block moved down
    // by far more than its Monte Carlo error (prior sd 1 over an effective sample of at least 30)
    assert!(macro_factor.posterior_mean < macro_factor.prior_mean - 0.3, "{macro_factor:?}");
    assert!(macro_factor.posterior_sd < macro_factor.prior_sd);
    let (_, quiet) = conditioned(&baseline, &[], "as_of = \"2026-06\"\nsource = \"test\"\n");
    let (l, pool) = learn(&quiet, 5, 500, 2, &cancel, &|_, _| {}).unwrap();
    assert!(!l.updated && pool.is_none() && l.facts == 0);
}

#[test]
fn on_time_starts_are_updated_by_the_beta_binomial_closed_form() {
    use parkcast::monitor::learning::{apply_on_time, on_time_update, ON_TIME_PRIOR_STRENGTH};
    use parkcast::scenario::ParamId;
    let text = "as_of = \"2025-06\"\nsource = \"test\"\n[blocks.1]\nstarted = \"2024-12\"\n[blocks.3]\nstarted = \"2025-03\"\n[blocks.5]\nstarted = false\n[blocks.9]\nstarted = false\n";
    let baseline = ScenarioSource::Embedded("baseline.toml");
    let (s, mut plan) = conditioned(&baseline, &[], text);
    let obs = from_toml("o", text, &Seeds::embedded(), s.target_set.deadline).unwrap();
    let u = on_time_update(&s, &plan, &obs).unwrap();
    // four planned starts due (2024-12), one on time; prior mean 0.75 with strength 10
    assert_eq!((u.on_time, u.late), (1, 3));
    assert!((u.prior_p - 0.75).abs() < 1e-12);
    let expected = (ON_TIME_PRIOR_STRENGTH * 0.75 + 1.0) / (ON_TIME_PRIOR_STRENGTH + 4.0);
    assert!((u.posterior_p - expected).abs() < 1e-12, "{}", u.posterior_p);
    apply_on_time(&mut plan, &u);
    let p = |id: u32| plan.blocks[s.blocks.iter().position(|b| b.id == id).unwrap()].p(ParamId::StartOnTime).mean();
    // blocks still to start scale by posterior / prior: M0 land 0.75 → 0.607, 宅地 0.55 → 0.445
    assert!((p(16) - expected).abs() < 1e-12);
    assert!((p(17) - 0.55 * expected / 0.75).abs() < 1e-12);
    // a block whose start is known keeps its distribution (it is not drawn)
    assert_eq!(p(1), 0.75);
}

// ── a fast fuzz of the observations loader: mutated example files never panic ──────────────

use crate::common::mutate;

use proptest::prelude::*;

/// Loads `bytes` as an observations file; on success conditions the baseline and runs two
/// trials, whose metrics must be finite.
fn load_and_run(bytes: &[u8], ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("obs.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    let seeds = Seeds::embedded();
    let s = parkcast::scenario::load(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds).unwrap();
    match parkcast::monitor::load(&path, &seeds, s.target_set.deadline) {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(obs) => {
            let c = condition(&s, &obs, bytes);
            let mut buf = TrialBuffers::new(&c.plan);
            for trial in 0..2 {
                run_trial(&c.plan, 1, trial, &mut buf);
                assert!(buf.outcome.paths.iter().flatten().all(|x| x.is_finite()), "a metric is not finite");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_observation_files_are_refused_or_run(
        csv in any::<bool>(),
        choices in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed");
        let (file, ext) = if csv { ("2026-06-blocks.csv", "csv") } else { ("2026-06.toml", "toml") };
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        load_and_run(&mutate::mutate(&text, &mut mutate::Choices::new(&choices)), ext);
    }
}

/// Found by the mutation test above: a year far beyond i32 once wrapped around and was accepted.
#[test]
fn a_revenue_year_out_of_any_range_is_refused() {
    let text = "as_of = \"2026-06\"\nsource = \"t\"\n[base]\nrevenue_year = 1e15\nrevenue_cny = 1\n";
    let e = from_toml("o.toml", text, &Seeds::embedded(), parkcast::month::Month::new(2027, 12).unwrap()).unwrap_err();
    assert!(e.to_string().contains("base.revenue_year: 1000000000000000 is not a complete calendar year"), "{e}");
}

/// Found by the mutation test in CI: a vanishing floor area made the revenue calibration
/// overflow to infinity.
#[test]
fn a_floor_area_under_one_square_metre_is_refused() {
    let text = "as_of = \"2026-06\"\nsource = \"t\"\n[blocks.2]\ndelivered = \"2026-03\"\nfloor_area_m2 = 1e-320\noccupancy = 0.25\nrevenue_cny = 1e8\n";
    let e = from_toml("o.toml", text, &Seeds::embedded(), parkcast::month::Month::new(2027, 12).unwrap()).unwrap_err();
    assert!(e.to_string().contains("blocks.2.floor_area_m2"), "{e}");
}

#[test]
fn an_illustrative_monitoring_report_is_stamped_draws_what_was_observed_and_the_current_status() {
    let dir = tempfile::tempdir().unwrap();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06.toml");
    let (code, _, stderr) =
        parkcast(dir.path(), &["monitor", "--observed", example.to_str().unwrap(), "--trials", "1000", "--out", "m"]);
    assert_eq!(code, 0, "{stderr}");
    let read = |f: &str| std::fs::read_to_string(dir.path().join("m").join(f)).unwrap();
    // the example reports blocks 2 (2026-03) and 4 (2026-05) operating: a step at each, and the
    // count at the as-of month
    let data: serde_json::Value = serde_json::from_str(&read("report_data.json")).unwrap();
    let observed: Vec<(String, f64)> = data["monitoring"]["observed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["month"].as_str().unwrap().to_string(), p["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        observed,
        vec![("2026-03".to_string(), 1.0), ("2026-05".to_string(), 2.0), ("2026-06".to_string(), 2.0)]
    );
    // the stamp on the title, the headline and every chart, in both languages
    let html = read("report.html");
    let zh = &html[html.find("<section class=\"zh\"").unwrap()..];
    assert!(zh.contains("<h1><span class=\"stamp\">示例数据，非实际进度</span>"), "title");
    assert!(zh.contains("<p class=\"headline\"><span class=\"stamp\">示例数据，非实际进度</span>"), "headline");
    for (lang, stamp) in [("zh", "示例数据，非实际进度"), ("en", "ILLUSTRATIVE DATA")] {
        let charts: Vec<_> = std::fs::read_dir(dir.path().join("m/charts").join(lang))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "svg"))
            .collect();
        assert!(charts.len() >= 20, "{lang}: {} charts", charts.len());
        for c in &charts {
            assert!(std::fs::read_to_string(c).unwrap().contains(stamp), "{} has no stamp", c.display());
        }
    }
    // observed points before the as-of line on the parks fan
    let fan = read("charts/zh/fan_parks.svg");
    assert!(fan.contains("已报告投运的区块（累计；无报告的区块不计）") && fan.contains("观测截至"), "fan legend");
    // the timeline coloured by the status at the as-of month, the planned starts marked
    let timeline = read("charts/zh/timeline.svg");
    for status in ["已建成投运", "在建", "滞后", "未开工", "已调出", "无监测数据", "计划开工时间"]
    {
        assert!(timeline.contains(status), "timeline legend lacks {status}");
    }
    assert!(!timeline.contains("（附件）"), "the annex's status is not the legend's");
}
