//! How a scenario resolves: inheritance through `extends`, group and block precedence, and
//! `--set` overrides applied last.

use parkcast::scenario::{load, Basis, Dist, Level, ParamId, ScenarioSource, EMBEDDED};
use parkcast::seeds::Seeds;
use parkcast::toml_tree::Origin;

fn load_files(files: &[(&str, &str)], overrides: &[&str]) -> parkcast::scenario::Scenario {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load(&ScenarioSource::File(dir.path().join(files[0].0)), &overrides, &Seeds::embedded()).unwrap()
}

fn block_index(id: u32) -> usize {
    id as usize - 1
}

#[test]
fn every_embedded_scenario_validates_and_every_parameter_has_a_basis() {
    for (name, _) in EMBEDDED {
        let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
        assert!(s.warnings.is_empty(), "{name}: {:?}", s.warnings);
        for p in s.global.iter().chain(s.params.iter().flatten()) {
            match &p.basis {
                Basis::Source(t) | Basis::Assumption(t) => assert!(!t.trim().is_empty()),
                Basis::Override => panic!("{name}: no overrides were given"),
            }
        }
    }
}

#[test]
fn the_file_on_disk_equals_the_embedded_baseline() {
    let disk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let a = load(&ScenarioSource::File(disk), &[], &Seeds::embedded()).unwrap();
    let b = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    assert_eq!(a.hash, b.hash);
}

#[test]
fn groups_override_params_and_blocks_override_groups() {
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    // block 13 is R2: the land-type group sets on_time
    let p13 = s.block_param(block_index(13), ParamId::StartOnTime);
    assert_eq!(p13.level, Level::Group { axis: "land_type", value: "R2".into() });
    assert!(matches!(p13.dist, Dist::Bernoulli { p } if p == 0.55));
    // block 1 is M1: the global default
    let p1 = s.block_param(block_index(1), ParamId::StartOnTime);
    assert_eq!(p1.level, Level::Global);
    assert!(matches!(p1.dist, Dist::Bernoulli { p } if p == 0.75));
    // block 11 is classified renovation
    let r11 = s.block_param(block_index(11), ParamId::BuildRenovation);
    assert!(matches!(r11.dist, Dist::Fixed(v) if v == 1.0));

    // now a block setting beats the group
    let s = load_files(
        &[("x.toml", "extends = \"baseline.toml\"\n[blocks.13.start]\non_time = { bernoulli = 0.9, assumption = \"developer confirmed\" }\n")],
        &[],
    );
    let p13 = s.block_param(block_index(13), ParamId::StartOnTime);
    assert_eq!(p13.level, Level::Block(13));
    assert!(matches!(p13.dist, Dist::Bernoulli { p } if p == 0.9));
    assert_eq!(p13.basis, Basis::Assumption("developer confirmed".into()));
}

#[test]
fn a_higher_axis_wins_between_groups_with_a_warning() {
    // block 17 is 宅地 (land_type) and has no developer (developer_kind undetermined)
    let s = load_files(
        &[("x.toml", "extends = \"baseline.toml\"\n[groups.developer_kind.undetermined.start]\non_time = { bernoulli = 0.4, assumption = \"x\" }\n")],
        &[],
    );
    let p17 = s.block_param(block_index(17), ParamId::StartOnTime);
    assert_eq!(p17.level, Level::Group { axis: "land_type", value: "宅地".into() });
    assert!(
        s.warnings
            .iter()
            .any(|w| w.starts_with("block 17: start.on_time is set by groups.developer_kind.undetermined")),
        "{:?}",
        s.warnings
    );
    // block 11 has no developer and is M1: the developer group applies
    let p11 = s.block_param(block_index(11), ParamId::StartOnTime);
    assert!(matches!(p11.dist, Dist::Bernoulli { p } if p == 0.4));
}

#[test]
fn a_child_replaces_a_parameter_whole_and_inherits_the_rest() {
    let s = load_files(
        &[
            ("child.toml", "extends = \"parent.toml\"\n[params.start]\ndelay_months = { fixed = 4, assumption = \"child\" }\n"),
            ("parent.toml", "extends = \"baseline.toml\"\n[params.start]\ndelay_months = { pert = { min = 1, mode = 2, max = 30 }, source = \"parent\" }\nhazard_per_month = { fixed = 0.1, assumption = \"parent\" }\n"),
        ],
        &[],
    );
    let d = s.city_param(ParamId::StartDelayMonths);
    assert!(matches!(d.dist, Dist::Fixed(v) if v == 4.0));
    assert_eq!(d.basis, Basis::Assumption("child".into()));
    assert!(d.origin.to_string().ends_with("child.toml:3"), "{}", d.origin);
    let h = s.city_param(ParamId::StartHazardPerMonth);
    assert!(matches!(h.dist, Dist::Fixed(v) if v == 0.1));
    assert!(h.origin.to_string().ends_with("parent.toml:4"), "{}", h.origin);
    // untouched values come from the baseline
    assert!(s.city_param(ParamId::StartOnTime).origin.to_string().contains("baseline.toml"));
    assert_eq!(s.files.len(), 3);
}

#[test]
fn overrides_apply_last_in_order() {
    let s = load_files(
        &[("x.toml", "extends = \"baseline.toml\"\n[settings]\ntrials = 500\n")],
        &[
            "settings.trials=2000",
            "settings.trials=3000",
            "settings.target_set=city_2027_final",
            "params.start.delay_months.pert.mode=12",
            "blocks.7.start.delay_months=2",
        ],
    );
    assert_eq!(s.settings.trials, 3000);
    assert_eq!(s.settings.target_set, "city_2027_final");
    let d = s.city_param(ParamId::StartDelayMonths);
    assert!(matches!(d.dist, Dist::Pert { min, mode, max, .. } if (min, mode, max) == (3.0, 12.0, 18.0)), "{}", d.dist);
    assert!(matches!(&d.origin, Origin::Override { arg } if &**arg == "params.start.delay_months.pert.mode=12"));
    let b7 = s.block_param(block_index(7), ParamId::StartDelayMonths);
    assert!(matches!(b7.dist, Dist::Fixed(v) if v == 2.0));
    assert_eq!(b7.basis, Basis::Override);
    assert_eq!(b7.level, Level::Block(7));
}

#[test]
fn the_hash_changes_with_results_relevant_content_only() {
    let base = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let same = load(
        &ScenarioSource::Embedded("baseline.toml"),
        &["scenario.description=\"other words\"".into()],
        &Seeds::embedded(),
    )
    .unwrap();
    let other =
        load(&ScenarioSource::Embedded("baseline.toml"), &["settings.seed=1".into()], &Seeds::embedded()).unwrap();
    assert_eq!(base.hash, same.hash);
    assert_ne!(base.hash, other.hash);
}

#[test]
fn the_example_in_the_scenario_format_docs_validates() {
    let doc = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario-format.md"))
        .unwrap();
    let start = doc.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let s = load_files(&[("slow_rezoning.toml", example)], &[]);
    assert_eq!(s.name, "slow_rezoning");
    assert_eq!(s.settings.trials, 20000);
    assert_eq!(s.block_param(block_index(13), ParamId::StartDecisionLagMonths).level, Level::Block(13));
    // the example sets block 13's own decision lag while its land type adds a rezoning wait:
    // the one warning is the one the docs show beside it
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("blocks.13.start.decision_lag_months set for the block itself"), "{:?}", s.warnings);
}

#[test]
fn a_block_setting_its_start_status_never_uses_is_warned_about() {
    let s = load(
        &ScenarioSource::Embedded("baseline.toml"),
        &[
            "blocks.13.start.on_time=1".into(),
            "blocks.17.start.month_in_year=3".into(),
            // block 2's published start is a year (2021): its month is drawn; block 4's is a
            // month (2022-06), so neither its month nor a share of work done is drawn
            "blocks.2.start.month_in_year=5".into(),
            "blocks.4.start.month_in_year=5".into(),
            "blocks.4.start.progress_at_policy=0.5".into(),
            "blocks.6.start.progress_at_policy=0.5".into(),
        ],
        &Seeds::embedded(),
    )
    .unwrap();
    assert_eq!(
        s.warnings,
        vec![
            "--set blocks.13.start.on_time=1: blocks.13.start.on_time has no effect: block 13 is undetermined (未定), and start.on_time applies only to blocks with a planned start".to_string(),
            "--set blocks.4.start.progress_at_policy=0.5: blocks.4.start.progress_at_policy has no effect: block 4 is started (已开工, published start 2022-06), and start.progress_at_policy applies only to blocks already started (已开工) without a published start (seeds/blocks.csv known_start)".to_string(),
            "--set blocks.4.start.month_in_year=5: blocks.4.start.month_in_year has no effect: block 4 is started (已开工, published start 2022-06), and start.month_in_year applies only to blocks planned for a year only (e.g. 2025年) and started blocks whose published start is a year only".to_string(),
        ]
    );
}
