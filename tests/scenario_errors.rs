//! One test per class of bad scenario input, with the exact error text users see (snapshots in
//! tests/snapshots/). Each scenario extends the built-in baseline and breaks one thing.

use parkcast::scenario::{load, ScenarioSource};
use parkcast::seeds::Seeds;
use std::path::Path;

/// Writes `files` into a fresh directory, loads the first with `overrides`, and returns the
/// error text with the directory shown as `<dir>`.
fn errors_with(files: &[(&str, &str)], overrides: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let source = ScenarioSource::File(dir.path().join(files[0].0));
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let err = load(&source, &overrides, &Seeds::embedded()).expect_err("the scenario should be rejected");
    err.to_string().replace(&dir.path().display().to_string(), "<dir>")
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
