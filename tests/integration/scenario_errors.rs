//! One test per class of bad scenario input, with the exact error text users see (snapshots in
//! tests/integration/snapshots/). Each scenario extends the built-in baseline and breaks one thing.

use parkcast::scenario::{load, ScenarioError, ScenarioSource};
use parkcast::seeds::Seeds;
use parkcast::toml_tree::Origin;
use std::path::Path;

/// Writes `files` into a fresh directory, loads the first with `overrides`, and returns the
/// error text with the directory shown as `<dir>`.
fn errors_with(files: &[(&str, &str)], overrides: &[&str]) -> String {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    errors_of_bytes(&bytes, overrides)
}

/// `errors_with` for files given as bytes (which need not be UTF-8).
fn errors_of_bytes(files: &[(&str, &[u8])], overrides: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let source = ScenarioSource::File(dir.path().join(files[0].0));
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let err = load(&source, &overrides, &Seeds::embedded()).expect_err("the scenario should be rejected");
    assert_located(&err);
    err.to_string().replace(&dir.path().display().to_string(), "<dir>")
}

/// Every problem says where it is: a file and line, or the override, or at least a key path.
fn assert_located(err: &ScenarioError) {
    assert!(!err.problems.is_empty(), "an error without problems");
    for p in err.problems.iter() {
        let located = match &p.origin {
            Origin::File { line, .. } => *line >= 1,
            Origin::Override { .. } | Origin::Cell { .. } => true,
            Origin::Builtin => !p.path.is_empty() || p.message.contains("scenario file"),
        };
        assert!(located && !p.message.is_empty(), "a problem without a place: {p:?}");
    }
}

fn errors(text: &str) -> String {
    errors_with(&[("x.toml", text)], &[])
}

#[test]
fn malformed_toml() {
    insta::assert_snapshot!(errors("extends = \"baseline.toml\"\n[params.start\non_time = 1\n"));
}

#[test]
fn wrong_type() {
    insta::assert_snapshot!(errors("extends = \"baseline.toml\"\n[settings]\ntrials = \"many\"\nhorizon = 2027\n"));
}

#[test]
fn unknown_keys_get_the_nearest_valid_name() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[params.start]\ndelay_month = { fixed = 3, source = \"x\" }\n[params.strat]\n[setings]\n[groups.land_type.M2.start]\n[groups.land.M1]\n"
    ));
}

#[test]
fn out_of_range_values() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[params.occupancy]\nceiling = { fixed = 1.4, assumption = \"typo\" }\n[params.start]\ndelay_months = { normal = { mean = 9, sd = 3 }, assumption = \"x\" }\n[settings]\ntrials = 0\nhorizon = \"2036-01\"\n[levers.parallel_approvals]\nvalue = 30\n"
    ));
}

#[test]
fn nan_and_inf_are_refused() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[params.build]\nduration_months = { triangular = { min = nan, mode = 16, max = inf }, source = \"x\" }\n"
    ));
}

#[test]
fn impossible_distributions() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n\
         [blocks.7.start]\n\
         delay_months = { pert = { min = 0, mode = 30, max = 24 }, assumption = \"x\" }\n\
         [params.build]\n\
         duration_months = { uniform = { min = 20, max = 10 }, assumption = \"x\" }\n\
         [params.revenue]\n\
         density_cny_per_m2 = { lognormal = { mu = 9, sigma = 0 }, assumption = \"x\" }\n\
         [params.start]\n\
         month_in_year = { discrete = { values = [1, 2, 3], weights = [0.5, 0.3, 0.3] }, assumption = \"x\" }\n"
    ));
}

#[test]
fn unknown_block_id() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[blocks.21.start]\non_time = { fixed = 1, assumption = \"x\" }\n[blocks.abc]\n[settings]\ncounted_blocks = [1, 2, 99]\n"
    ));
}

#[test]
fn extends_cycle() {
    insta::assert_snapshot!(errors_with(
        &[
            ("a.toml", "extends = \"b.toml\"\n"),
            ("b.toml", "extends = \"c.toml\"\n"),
            ("c.toml", "extends = \"a.toml\"\n")
        ],
        &[]
    ));
}

#[test]
fn missing_file() {
    let err = load(&ScenarioSource::File("no/such/scenario.toml".into()), &[], &Seeds::embedded()).unwrap_err();
    insta::assert_snapshot!(err.to_string());
    insta::assert_snapshot!("missing_parent", errors("extends = \"parent_that_is_not_there.toml\"\n"));
}

#[test]
fn a_parameter_without_source_or_assumption() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[params.start]\non_time = { bernoulli = 0.6 }\nhazard_per_month = 0.1\n"
    ));
}

#[test]
fn unknown_target_set_and_early_horizon() {
    insta::assert_snapshot!(errors("extends = \"baseline.toml\"\n[settings]\ntarget_set = \"city_2027_drafts\"\n"));
    insta::assert_snapshot!(
        "horizon_before_deadline",
        errors("extends = \"baseline.toml\"\n[settings]\nhorizon = \"2026-06\"\n")
    );
}

#[test]
fn bad_correlation_matrices() {
    let with = |matrix: &str| {
        errors(&format!(
            "extends = \"baseline.toml\"\n[shocks.correlation]\nfactors = [\"macro\", \"district.nanhu\", \"district.xiuzhou\", \"district.etdz\", \"industry.emerging\", \"industry.future\", \"industry.services\"]\nassumption = \"test\"\nmatrix = {matrix}\n"
        ))
    };
    let eye = |changes: &[(usize, usize, f64)]| {
        let mut m = [[0.0f64; 7]; 7];
        for (i, row) in m.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        for (i, j, v) in changes {
            m[*i][*j] = *v;
        }
        format!(
            "[{}]",
            m.iter()
                .map(|r| format!("[{}]", r.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ")))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    insta::assert_snapshot!("correlation_not_square", with("[[1.0, 0.0], [0.0, 1.0]]"));
    insta::assert_snapshot!("correlation_not_symmetric", with(&eye(&[(0, 1, 0.5), (1, 0, 0.4)])));
    insta::assert_snapshot!("correlation_out_of_range", with(&eye(&[(0, 1, 1.5), (1, 0, 1.5)])));
    let not_pd = eye(&[(4, 5, 0.9), (5, 4, 0.9), (4, 6, 0.9), (6, 4, 0.9), (5, 6, -0.9), (6, 5, -0.9)]);
    insta::assert_snapshot!("correlation_not_positive_definite", with(&not_pd));
}

#[test]
fn a_not_positive_definite_matrix_is_repaired_on_request_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let rows = "[[1.0,0,0,0,0,0,0],[0,1.0,0,0,0,0,0],[0,0,1.0,0,0,0,0],[0,0,0,1.0,0,0,0],[0,0,0,0,1.0,0.9,0.9],[0,0,0,0,0.9,1.0,-0.9],[0,0,0,0,0.9,-0.9,1.0]]";
    let text = format!(
        "extends = \"baseline.toml\"\n[shocks.correlation]\nfactors = [\"macro\", \"district.nanhu\", \"district.xiuzhou\", \"district.etdz\", \"industry.emerging\", \"industry.future\", \"industry.services\"]\nassumption = \"test\"\nrepair = true\nmatrix = {rows}\n"
    );
    let path = dir.path().join("x.toml");
    std::fs::write(&path, text).unwrap();
    let s = load(&ScenarioSource::File(path), &[], &Seeds::embedded()).unwrap();
    assert!(s.correlation.repaired);
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("not positive definite; repaired"), "{}", s.warnings[0]);
    assert!(s.correlation.matrix.clone().cholesky().is_some());
}

#[test]
fn bad_overrides() {
    insta::assert_snapshot!(errors_with(
        &[("x.toml", "extends = \"baseline.toml\"\n")],
        &["settings.trials", "settings.trials.x=3", "params.start.on_time=1.5", "params.start.on_tme=1"]
    ));
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = errors(
        "extends = \"baseline.toml\"\n[settings]\ntrials = -5\n[params.start]\non_time = { bernoulli = 2, source = \"x\" }\n[blocks.30]\n",
    );
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn the_examples_in_the_docs_are_the_messages_users_get() {
    // docs/scenario-format.md quotes this message.
    let text = errors("extends = \"baseline.toml\"\n[blocks.7.start]\ndelay_months = { pert = { min = 0, mode = 30, max = 24 }, assumption = \"x\" }\n");
    assert_eq!(text, "<dir>/x.toml:3: blocks.7.start.delay_months.pert: mode 30 is outside [min 0, max 24]");
    let _ = Path::new("docs/scenario-format.md");
}

// ── classes the snapshots above do not cover ─────────────────────────────────

#[test]
fn empty_and_duplicate_block_ids() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[blocks.\"\"]\n[blocks.07.start]\non_time = { fixed = 1, assumption = \"x\" }\n[blocks.\"+7\"]\n[settings]\ncounted_blocks = [3, 3, 0]\n"
    ));
    insta::assert_snapshot!(
        "empty_counted_blocks",
        errors("extends = \"baseline.toml\"\n[settings]\ncounted_blocks = []\n")
    );
    insta::assert_snapshot!(
        "a_block_table_twice",
        errors("extends = \"baseline.toml\"\n[blocks.7.start]\non_time = { fixed = 1, assumption = \"x\" }\n[blocks.7.start]\n")
    );
}

#[test]
fn horizons_before_the_policy_date_malformed_or_of_the_wrong_type() {
    for (name, horizon) in
        [("before_policy_date", "\"2024-06\""), ("malformed", "\"2027-13\""), ("a_number", "2027.12")]
    {
        insta::assert_snapshot!(
            format!("horizon_{name}"),
            errors(&format!("extends = \"baseline.toml\"\n[settings]\nhorizon = {horizon}\n"))
        );
    }
}

#[test]
fn nan_and_inf_anywhere_a_number_goes() {
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[settings]\ntrials = inf\n[levers.parallel_approvals]\nvalue = nan\n[levers.replacement]\nlag_months = -inf\n[reserve]\nland_mu = nan\n[params.start]\nmonth_in_year = { discrete = { values = [1, 2], weights = [inf, 0] }, assumption = \"x\" }\n[base]\nrevenue_2024_cny = { lognormal = { mu = -inf, sigma = 1 }, assumption = \"x\" }\n"
    ));
}

#[test]
fn values_so_large_they_would_overflow_the_model() {
    // Before this was refused, the first made revenue NaN in every trial.
    insta::assert_snapshot!(errors(
        "extends = \"baseline.toml\"\n[base]\nrevenue_2024_cny = { fixed = 1e308, assumption = \"x\" }\njobs_added_per_year = { normal = { mean = 0, sd = 1e29 }, assumption = \"x\" }\n[params.revenue]\ndensity_cny_per_m2 = { lognormal = { mu = 700, sigma = 1 }, assumption = \"x\" }\n"
    ));
}

#[test]
fn files_that_are_not_scenarios() {
    insta::assert_snapshot!(
        "not_utf8",
        errors_of_bytes(&[("x.toml", b"extends = \"baseline.toml\"\n# caf\xe9\n")], &[])
    );
    insta::assert_snapshot!("empty_file", errors(""));
    insta::assert_snapshot!("extends_not_a_string", errors("extends = [\"baseline.toml\"]\n"));
    let chain: Vec<(String, String)> =
        (0..20).map(|i| (format!("s{i}.toml"), format!("extends = \"s{}.toml\"\n", i + 1))).collect();
    let chain: Vec<(&str, &str)> = chain.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    insta::assert_snapshot!("extends_too_deep", errors_with(&chain, &[]));
}

// ── a fast fuzz of the loader (the long one is fuzz/, see README) ─────────────

use crate::common::mutate::{mutate, Choices, KEYS, VALUES};
use proptest::prelude::*;

/// Loads `bytes` as a scenario file; on success builds the plan and runs two trials.
fn load_and_run(dir: &Path, bytes: &[u8], overrides: &[String]) {
    let path = dir.join("x.toml");
    std::fs::write(&path, bytes).unwrap();
    match load(&ScenarioSource::File(path), overrides, &Seeds::embedded()) {
        Err(e) => assert_located(&e),
        Ok(s) => {
            let plan = parkcast::model::Plan::new(&s);
            let mut buf = parkcast::model::TrialBuffers::new(&plan);
            for trial in 0..2 {
                parkcast::model::run_trial(&plan, s.settings.seed, trial, &mut buf);
                assert!(buf.outcome.paths.iter().flatten().all(|x| x.is_finite()), "a metric is not finite");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Mutated library scenarios never panic, and every problem found is located.
    #[test]
    fn mutated_scenario_files_are_refused_with_located_problems_or_run(
        which in 0..parkcast::scenario::EMBEDDED.len(),
        choices in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let text = parkcast::scenario::EMBEDDED[which].1;
        load_and_run(dir.path(), &mutate(text, &mut Choices::new(&choices)), &[]);
    }

    /// So do `--set` overrides built from the format's keys and awkward values.
    #[test]
    fn arbitrary_overrides_are_refused_with_located_problems_or_run(
        sets in proptest::collection::vec(
            (proptest::sample::select(vec!["params.start", "levers.parallel_approvals", "settings", "base", "blocks.7.build", "shocks.correlation", "groups.land_type.R2.start", "reserve", "x"]),
             proptest::sample::select(KEYS), proptest::sample::select(VALUES), any::<bool>()),
            1..4,
        ),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let overrides: Vec<String> = sets
            .iter()
            .map(|(table, key, value, whole)| if *whole { format!("{table}.{key}={value}") } else { format!("{table}={value}") })
            .collect();
        load_and_run(dir.path(), b"extends = \"baseline.toml\"\n", &overrides);
    }
}
