//! Every scenario of the library opens with its question, validates and runs.

use parkcast::engine::{run, RunOptions};
use parkcast::model::Plan;
use parkcast::scenario::{load, ScenarioSource, EMBEDDED};
use parkcast::seeds::Seeds;
use std::sync::atomic::AtomicBool;

#[test]
fn each_library_scenario_states_its_question_validates_and_runs() {
    let names: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
    for expected in [
        "baseline.toml",
        "draft_definition.toml",
        "parks_only.toml",
        "slow_approvals.toml",
        "policy_package.toml",
        "no_replacement.toml",
        "replacement.toml",
        "downturn.toml",
        "nanhu.toml",
        "undetermined_2025.toml",
    ] {
        assert!(names.contains(&expected), "{expected} is not in the library");
        let on_disk = std::fs::read_to_string(format!("{}/scenarios/{expected}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert!(on_disk.starts_with("# Question"), "{expected} does not open with its question");
    }
    for (name, text) in EMBEDDED {
        let on_disk = std::fs::read_to_string(format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(&on_disk, text, "{name}: the embedded copy differs from the file");
        let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
        let plan = Plan::new(&s);
        let agg = run(
            &plan,
            &RunOptions { trials: 1000, seed: 3, threads: 2, precision: None },
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        assert_eq!(agg.trials, 1000, "{name}");
    }
}

#[test]
fn the_library_scenarios_move_the_results_the_way_their_questions_say() {
    let p = |name: &'static str, metric: usize| {
        let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
        let plan = Plan::new(&s);
        let agg = run(
            &plan,
            &RunOptions { trials: 4000, seed: 11, threads: 2, precision: None },
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        agg.columns.metric[metric].iter().sum::<f64>() / agg.trials as f64
    };
    // mean revenue: lower in a downturn, lower under the draft's definition (规上 only), far
    // lower without the base
    let base = p("baseline.toml", 3);
    assert!(p("downturn.toml", 3) < base);
    assert!(p("draft_definition.toml", 3) < base);
    assert!(p("parks_only.toml", 3) < 0.1 * base);
    // mean parks delivered: fewer with slow approvals, more with the policy package
    let parks = p("baseline.toml", 0);
    assert!(p("slow_approvals.toml", 0) < parks);
    assert!(p("policy_package.toml", 0) > parks);
}
