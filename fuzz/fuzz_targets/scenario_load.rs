#![no_main]
//! Fuzzes the scenario loader, `parkcast::scenario::load`. The first byte chooses what the rest
//! is: 0 the bytes of a scenario file; 1 the same after `extends = "baseline.toml"`; 2 choices
//! for structure-aware mutations of a library scenario (tests/integration/common/mutate.rs, shared with the
//! property test in tests/integration/scenario_errors.rs); 3 `--set` overrides on the baseline, one a line.
//!
//! No input may panic, hang or allocate without bound (libFuzzer's -timeout and -rss_limit_mb);
//! a refused input must locate every problem (file and line, override, or key path); an accepted
//! one must build its plan and simulate two trials with finite metrics.

#[allow(dead_code)]
#[path = "../../tests/integration/common/mutate.rs"]
mod mutate;

use libfuzzer_sys::fuzz_target;
use parkcast::model::{run_trial, Plan, TrialBuffers};
use parkcast::scenario::{load, ScenarioSource, EMBEDDED};
use parkcast::seeds::Seeds;
use parkcast::toml_tree::Origin;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(Seeds::embedded)
}

/// The scenario file, in a directory of this process's own (without a baseline.toml, so that
/// `extends = "baseline.toml"` reaches the built-in one).
fn scenario_file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let dir = base.join(format!("parkcast-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir.join("scenario.toml")
    })
}

const EXTENDS_BASELINE: &[u8] = b"extends = \"baseline.toml\"\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let (bytes, overrides): (Vec<u8>, Vec<String>) = match mode % 4 {
        0 => (rest.to_vec(), Vec::new()),
        1 => ([EXTENDS_BASELINE, rest].concat(), Vec::new()),
        2 => {
            let Some((&which, choices)) = rest.split_first() else { return };
            let text = EMBEDDED[which as usize % EMBEDDED.len()].1;
            (mutate::mutate(text, &mut mutate::Choices::new(choices)), Vec::new())
        }
        // arguments reach parkcast as UTF-8 (clap refuses anything else)
        _ => (EXTENDS_BASELINE.to_vec(), String::from_utf8_lossy(rest).split('\n').map(str::to_string).collect()),
    };
    let file = scenario_file();
    std::fs::write(file, &bytes).expect("the scratch file can be written");
    match load(&ScenarioSource::File(file.clone()), &overrides, seeds()) {
        Err(e) => {
            assert!(!e.problems.is_empty(), "an error without problems");
            for p in e.problems.iter() {
                let located = match &p.origin {
                    Origin::File { line, .. } => *line >= 1,
                    Origin::Override { .. } | Origin::Cell { .. } => true,
                    Origin::Builtin => !p.path.is_empty(),
                };
                assert!(located && !p.message.is_empty(), "a problem without a place: {p:?}");
            }
        }
        Ok(s) => {
            let plan = Plan::new(&s);
            let mut buf = TrialBuffers::new(&plan);
            for trial in 0..2 {
                run_trial(&plan, s.settings.seed, trial, &mut buf);
                for (m, path) in buf.outcome.paths.iter().enumerate() {
                    assert!(path.iter().all(|x| x.is_finite()), "metric {m} is not finite: {path:?}");
                }
            }
        }
    }
});
