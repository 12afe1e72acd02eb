//! Kinds of uncertainty in the scenario format (issue 14): the documented defaults, a kind on a
//! parameter or a section, what `validate` shows, and the exact errors for bad kinds.

use crate::common::{parkcast, transcript};
use parkcast::scenario::{load, KindBasis, ParamId, Scenario, ScenarioSource, Uncertainty};
use parkcast::seeds::Seeds;

fn load_text(text: &str, overrides: &[&str]) -> Result<Scenario, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.toml"), text).unwrap();
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load(&ScenarioSource::File(dir.path().join("x.toml")), &overrides, &Seeds::embedded())
        .map_err(|e| e.to_string().replace(&dir.path().display().to_string(), "<dir>"))
}

#[test]
fn the_baseline_uses_the_documented_defaults() {
    let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let kind = |id: ParamId| s.kind_of(Some(0), id as usize);
    assert_eq!(kind(ParamId::BaseRevenue2024Cny), (Uncertainty::Epistemic, KindBasis::Default));
    assert_eq!(kind(ParamId::RevenueDensityCnyPerM2), (Uncertainty::Epistemic, KindBasis::Default));
    assert_eq!(kind(ParamId::StartDelayMonths), (Uncertainty::Aleatory, KindBasis::Default));
    assert_eq!(kind(ParamId::FirmsAnchorCount), (Uncertainty::Aleatory, KindBasis::Default));
}

#[test]
fn a_parameter_a_section_and_a_block_can_state_their_kind() {
    let s = load_text(
        "extends = \"baseline.toml\"\n\
         [params.start]\nkind = \"epistemic\"\n\
         delay_months = { pert = { min = 3, mode = 9, max = 18 }, assumption = \"x\", kind = \"aleatory\" }\n\
         [blocks.7.start]\ndecision_lag_months = { fixed = 3, assumption = \"y\", kind = \"aleatory\" }\n\
         [base]\nkind = \"aleatory\"\n\
         revenue_2024_cny = { uniform = { min = 5e10, max = 8e10 }, assumption = \"z\", kind = \"epistemic\" }\n",
        &[],
    )
    .unwrap();
    let b7 = s.blocks.iter().position(|b| b.id == 7).unwrap();
    let kind = |b: usize, id: ParamId| s.kind_of(Some(b), id as usize);
    assert_eq!(kind(0, ParamId::StartOnTime), (Uncertainty::Epistemic, KindBasis::Section("start")));
    assert_eq!(kind(0, ParamId::StartDelayMonths), (Uncertainty::Aleatory, KindBasis::Parameter));
    assert_eq!(kind(0, ParamId::StartDecisionLagMonths), (Uncertainty::Epistemic, KindBasis::Section("start")));
    assert_eq!(kind(b7, ParamId::StartDecisionLagMonths), (Uncertainty::Aleatory, KindBasis::Parameter));
    assert_eq!(kind(0, ParamId::BaseRevenue2024Cny), (Uncertainty::Epistemic, KindBasis::Parameter));
    assert_eq!(kind(0, ParamId::BaseTechSmes2024), (Uncertainty::Aleatory, KindBasis::Section("base")));
    // a kind that differs from the default changes the scenario's hash; the defaults do not
    let base = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    assert_ne!(s.hash, base.hash);
}

#[test]
fn stating_the_default_kind_does_not_change_the_hash() {
    let base = load(&ScenarioSource::Embedded("baseline.toml"), &[], &Seeds::embedded()).unwrap();
    let s = load_text(
        "extends = \"baseline.toml\"\n[params.revenue]\nkind = \"epistemic\"\n",
        &["params.start.kind=aleatory"],
    )
    .unwrap();
    assert_eq!(s.hash, base.hash);
}

#[test]
fn bad_kinds_name_the_key_and_what_is_allowed() {
    let err = load_text(
        "extends = \"baseline.toml\"\n\
         [params.start]\nkind = \"epistemc\"\n\
         [params.revenue]\ndensity_cny_per_m2 = { fixed = 1e4, assumption = \"x\", kind = 3 }\n\
         [groups.land_type.R2.start]\nkind = \"aleatory\"\n\
         [base]\nkind = \"random\"\n",
        &[],
    )
    .unwrap_err();
    insta::assert_snapshot!(err);
}

#[test]
fn validate_shows_each_kind_and_a_bad_kind_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &["validate", "--block", "3"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("revenue_2024_cny = "), "{}", r.stdout);
    let line = |key: &str| r.stdout.lines().find(|l| l.starts_with(key)).unwrap().to_string();
    assert!(line("revenue_2024_cny").contains("· epistemic (default) ·"), "{}", line("revenue_2024_cny"));
    assert!(line("delay_months").contains("· aleatory (default) ·"), "{}", line("delay_months"));
    let shown = transcript(dir.path(), &[(&["validate", "--set", "params.occupancy.kind=unknown"], 2)]);
    insta::assert_snapshot!(shown);
}
