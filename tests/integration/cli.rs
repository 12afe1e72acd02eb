//! The `parkcast` binary as a user runs it: exit codes, stdout and stderr.

use std::process::Command;

fn parkcast(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_parkcast")).args(args).current_dir(dir).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn blocks_prints_twenty_rows_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = parkcast(&["blocks"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("甪里大健康产业园") && out.contains("Luli Great Health Industrial Park"));
    assert!(out.contains("20 blocks, 2382.1 mu in all"));
    let rows = out
        .lines()
        .filter(|l| !l.contains("blocks,"))
        .filter(|l| l.split_whitespace().next().is_some_and(|w| w.parse::<u32>().is_ok()))
        .count();
    assert_eq!(rows, 20);
}

#[test]
fn validate_prints_every_parameter_with_its_source_or_assumption() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = parkcast(&["validate"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("baseline: valid"), "{err}");
    assert!(out.contains("# files: <embedded>/scenarios/baseline.toml"));
    let param_lines: Vec<&str> = out.lines().filter(|l| l.contains(" = { ") && !l.starts_with('#')).collect();
    // every block parameter × (global + 20 blocks) and every city-wide one
    let block = parkcast::scenario::PARAMS.iter().filter(|p| p.scope == parkcast::scenario::Scope::Block).count();
    let city = parkcast::scenario::PARAMS.len() - block;
    assert!(block >= 35 && city >= 21);
    assert_eq!(param_lines.len(), block * 21 + city);
    for line in param_lines {
        assert!(line.contains("· source: ") || line.contains("· assumption: "), "no basis: {line}");
        assert!(line.contains(" @ "), "no origin: {line}");
    }
}

#[test]
fn validate_lists_all_problems_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "extends = \"baseline.toml\"\n[settings]\ntrials = 0\n[params.start]\non_time = { bernoulli = 1.2, source = \"x\" }\n",
    )
    .unwrap();
    let (code, out, err) = parkcast(&["validate", "bad.toml", "--set", "blocks.40.start.on_time=1"], dir.path());
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "error: bad.toml:3: settings.trials: 0 is outside the allowed range 1 to 20000000\n\
         bad.toml:5: params.start.on_time.bernoulli: p 1.2 is outside [0, 1]\n\
         --set blocks.40.start.on_time=1: blocks.40: unknown block id `40` (the annex has blocks 1–20)\n"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn validate_one_block_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = parkcast(&["validate", "baseline", "--block", "13"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("[blocks.13.start]") && !out.contains("[blocks.12.start]"));
    assert!(out.contains("on_time = { bernoulli = { p = 0.55 } }  # groups.land_type.R2 @"));
    let (code, _, err) = parkcast(&["validate", "nope.toml"], dir.path());
    assert_eq!(code, 2);
    assert!(err.starts_with("error: cannot read scenario file nope.toml: no such file"), "{err}");
    let (code, _, err) = parkcast(&["validate", "--block", "99"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("--block 99: unknown block id"), "{err}");
}

#[test]
fn a_seeds_directory_with_a_bad_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("myseeds");
    std::fs::create_dir(&seeds).unwrap();
    std::fs::write(seeds.join("blocks.csv"), "id,name\n1,x\n").unwrap();
    std::fs::write(seeds.join("targets.toml"), parkcast::seeds::EMBEDDED_TARGETS_TOML).unwrap();
    let (code, _, err) = parkcast(&["--seeds", "myseeds", "blocks"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("myseeds/blocks.csv: missing column `district_zh`"), "{err}");
}

#[test]
fn a_closed_pipe_ends_quietly_without_a_panic() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkcast"))
        .arg("validate")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap(); // then the pipe closes
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("# parkcast"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_child_scenario_without_a_name_is_named_after_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.toml"), "extends = \"baseline.toml\"\n").unwrap();
    let (code, out, _) = parkcast(&["validate", "mine.toml"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("name = \"mine\""), "{}", &out[..400]);
}
