//! parkcast never destroys what it did not write: an output directory is replaced only if it is
//! parkcast's own (its manifest lists everything in it), a scenario's name never chooses where
//! parkcast writes, `--out` through symbolic links is resolved and reported, `report DIR`
//! rewrites only its charts and report.html, and one writer at a time holds an output
//! directory. The refusals are pinned in tests/integration/snapshots/integration__output_safety__*.snap.

use crate::common;
use crate::common::{assert_no_panic, command, files_under, hidden_entries, parkcast, transcript};
use std::path::Path;
use std::process::Stdio;

/// A quick run's arguments: few trials, no criticality, English charts only.
const QUICK: [&str; 6] = ["--trials", "200", "--criticality-trials", "0", "--lang", "en"];

fn quick_run(dir: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&QUICK);
    parkcast(dir, &args)
}

fn scenario_named(dir: &Path, file: &str, name: &str) {
    let text = format!("extends = \"baseline.toml\"\n\n[scenario]\nname = {}\n", toml_string(name));
    std::fs::write(dir.join(file), text).unwrap();
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn a_folder_parkcast_did_not_write_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("docs")).unwrap();
    std::fs::write(d.join("docs/thesis.docx"), "thesis").unwrap();
    std::fs::create_dir_all(d.join("outputs/baseline/my_notes")).unwrap();
    std::fs::write(d.join("outputs/baseline/my_notes/todo.txt"), "todo").unwrap();
    std::fs::create_dir_all(d.join("linked")).unwrap();
    std::os::unix::fs::symlink("/etc", d.join("linked/etc")).unwrap();
    // files with parkcast's names but no sign that parkcast wrote them
    std::fs::create_dir_all(d.join("mine")).unwrap();
    std::fs::write(d.join("mine/report.html"), "my page").unwrap();
    std::fs::write(d.join("mine/summary.csv"), "a,b").unwrap();
    std::os::unix::fs::symlink("not-yet", d.join("dangling")).unwrap();
    std::fs::write(d.join("victim.txt"), "victim").unwrap();
    std::os::unix::fs::symlink("victim.txt", d.join(".locked.lock")).unwrap();
    insta::assert_snapshot!(transcript(
        d,
        &[
            (&["run", "--trials", "1000", "--out", "docs"], 2),
            (&["run", "--trials", "1000"], 2),
            (&["run", "--trials", "1000", "--out", "linked"], 2),
            (&["compare", "baseline", "downturn", "--trials", "100", "--out", "docs"], 2),
            (&["sweep", "--param", "levers.parallel_approvals.value", "--values", "0,6", "--out", "docs"], 2),
            (&["run", "--trials", "1000", "--out", "mine"], 2),
            (&["run", "--trials", "1000", "--out", "dangling"], 2),
            (&["run", "--trials", "1000", "--out", "locked"], 2),
        ],
    ));
    assert_eq!(std::fs::read_to_string(d.join("mine/report.html")).unwrap(), "my page");
    assert_eq!(std::fs::read_to_string(d.join("victim.txt")).unwrap(), "victim");
    assert!(std::fs::symlink_metadata(d.join("dangling")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(d.join("docs/thesis.docx")).unwrap(), "thesis");
    assert_eq!(std::fs::read_to_string(d.join("outputs/baseline/my_notes/todo.txt")).unwrap(), "todo");
    assert!(std::fs::symlink_metadata(d.join("linked/etc")).unwrap().file_type().is_symlink());
}

#[test]
fn an_empty_folder_is_used_and_parkcasts_own_folder_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("empty")).unwrap();
    let r = quick_run(d, &["--out", "empty"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(d.join("empty/summary.csv").exists() && d.join("empty/.parkcast-manifest.json").exists());
    let first = files_under(&d.join("empty"));
    let r = quick_run(d, &["--out", "empty", "--seed", "7"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let second = files_under(&d.join("empty"));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&first), names(&second), "the same set of files");
    assert_ne!(first, second, "new results");
    let dots = hidden_entries(d);
    assert!(dots.is_empty(), "no temporary folder or lock file left: {dots:?}");
}

#[test]
fn scenario_names_never_choose_where_parkcast_writes() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("a/b/work");
    std::fs::create_dir_all(&work).unwrap();
    // the reproducer: a name that climbs two levels up, onto a directory with a file in it
    std::fs::create_dir_all(dir.path().join("a/escaped_dir")).unwrap();
    std::fs::write(dir.path().join("a/escaped_dir/precious.txt"), "precious").unwrap();
    scenario_named(&work, "escape.toml", "../../escaped_dir");
    let r = quick_run(&work, &["escape.toml"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("wrote outputs/escaped_dir in "), "{}", r.stderr);
    assert!(work.join("outputs/escaped_dir/summary.csv").exists());
    assert_eq!(std::fs::read_to_string(dir.path().join("a/escaped_dir/precious.txt")).unwrap(), "precious");
    assert_eq!(std::fs::read_dir(dir.path().join("a/escaped_dir")).unwrap().count(), 1);
    // the name as given is what the report shows
    let html = std::fs::read_to_string(work.join("outputs/escaped_dir/report.html")).unwrap();
    assert!(html.contains("../../escaped_dir"));

    // names with nothing usable, or that hide control characters, are refused before simulating
    scenario_named(&work, "empty.toml", "");
    scenario_named(&work, "dot.toml", ".");
    scenario_named(&work, "newline.toml", "baseline\n");
    scenario_named(&work, "long.toml", &"长".repeat(200));
    insta::assert_snapshot!(transcript(
        &work,
        &[
            (&["run", "empty.toml"], 2),
            (&["run", "dot.toml"], 2),
            (&["run", "newline.toml"], 2),
            (&["run", "long.toml"], 2),
            (&["validate", "--set", "scenario.name=\"\""], 2),
            (&["validate", "--set", "scenario.name=\"..\""], 2),
        ],
    ));
    let outputs: Vec<String> = std::fs::read_dir(work.join("outputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // the catalogue of runs (outputs/runs.sqlite) registers the run that did write
        .filter(|name| !name.starts_with("runs.sqlite"))
        .collect();
    assert_eq!(outputs, ["escaped_dir"], "nothing else was written, nothing wiped");
}

#[test]
fn awkward_names_all_land_in_a_folder_of_their_own_under_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, (name, folder)) in
        [("a/b\\c", "a_b_c"), ("CON", "CON_"), ("嘉兴 🚀 基准", "嘉兴 🚀 基准"), ("..\\..\\x", "x")].iter().enumerate()
    {
        let file = format!("s{i}.toml");
        scenario_named(d, &file, name);
        let r = quick_run(d, &[&file]);
        assert_eq!(r.code, Some(0), "{name:?}: {}", r.stderr);
        assert!(d.join("outputs").join(folder).join("summary.csv").exists(), "{name:?}");
    }
    let mut top: Vec<String> =
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    top.sort();
    assert_eq!(top, ["outputs", "s0.toml", "s1.toml", "s2.toml", "s3.toml"]);
}

#[test]
fn paths_that_can_never_be_an_output_folder_are_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    let long = "报".repeat(82);
    let t = transcript(
        &d.join("sub"),
        &[
            (&["run", "--out", "."], 2),
            (&["run", "--out", ".."], 2),
            (&["run", "--out", "/"], 2),
            (&["run", "--out", &long], 2),
        ],
    );
    insta::assert_snapshot!(t.replace(&d.display().to_string(), "<tmp>"));
    assert!(!t.contains("scenario baseline"), "refused before simulating");
}

#[test]
fn out_through_a_symbolic_link_is_resolved_reported_and_the_link_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::os::unix::fs::symlink("real", d.join("link")).unwrap();
    for _ in 0..2 {
        let r = quick_run(d, &["--out", "link"]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let real = std::fs::canonicalize(d.join("real")).unwrap();
        assert!(
            r.stderr
                .contains(&format!("note: link resolves to {} through a symbolic link; writing there", real.display())),
            "{}",
            r.stderr
        );
        assert!(std::fs::symlink_metadata(d.join("link")).unwrap().file_type().is_symlink(), "the link stays a link");
        assert!(d.join("real/summary.csv").exists());
    }
}

#[test]
fn report_rewrites_only_its_charts_and_report_and_works_from_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = quick_run(d, &["--out", "run"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let run = d.join("run");
    std::fs::create_dir(run.join("my_notes")).unwrap();
    std::fs::write(run.join("my_notes/todo.txt"), "todo").unwrap();
    std::os::unix::fs::symlink("/etc/hostname", run.join("link")).unwrap();
    let data_before = std::fs::read(run.join("summary.csv")).unwrap();
    for (cwd, arg) in [(d.to_path_buf(), "run"), (run.clone(), ".")] {
        let r = parkcast(&cwd, &["report", arg, "--lang", "en"]);
        assert_eq!(r.code, Some(0), "report {arg}: {}", r.stderr);
        assert_no_panic(&r.stderr);
        assert_eq!(std::fs::read_to_string(run.join("my_notes/todo.txt")).unwrap(), "todo");
        assert!(std::fs::symlink_metadata(run.join("link")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(run.join("summary.csv")).unwrap(), data_before);
        assert!(run.join("charts/en/fan_revenue.svg").exists() && run.join("report.html").exists());
        let dots: Vec<String> = hidden_entries(&run).into_iter().filter(|n| n != ".parkcast-manifest.json").collect();
        assert!(dots.is_empty(), "{dots:?}");
    }
    // a file of the user's inside charts/, or charts/ as a link, stops report before it draws
    std::fs::write(run.join("charts/en/mine.txt"), "mine").unwrap();
    std::fs::create_dir(d.join("elsewhere")).unwrap();
    let r2 = d.join("run2");
    std::fs::create_dir(&r2).unwrap();
    std::fs::copy(run.join("report_data.json"), r2.join("report_data.json")).unwrap();
    std::os::unix::fs::symlink("../elsewhere", r2.join("charts")).unwrap();
    insta::assert_snapshot!(transcript(d, &[(&["report", "run"], 2), (&["report", "run2"], 2)]));
    assert_eq!(std::fs::read_to_string(run.join("charts/en/mine.txt")).unwrap(), "mine");
    assert!(std::fs::symlink_metadata(r2.join("charts")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_dir(d.join("elsewhere")).unwrap().count(), 0);
    // and the run folder, holding the user's notes now, is no longer replaced by a run
    std::fs::remove_file(run.join("charts/en/mine.txt")).unwrap();
    let r = quick_run(d, &["--out", "run"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("run already holds run/link (a symbolic link or special file)"), "{}", r.stderr);
}

#[test]
fn one_writer_at_a_time_holds_an_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = quick_run(d, &["--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for round in 0..3 {
        let seed = format!("{}", 100 + round);
        let mut a = command(d, &["run", "--out", "out", "--seed", &seed, "--trials", "3000", "--lang", "en"]);
        let mut b = command(d, &["run", "--out", "out", "--seed", "9", "--trials", "3000", "--lang", "en"]);
        let mut c = command(d, &["report", "out", "--lang", "en"]);
        let spawn = |cmd: &mut std::process::Command| cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let (pa, pb) = (spawn(&mut a), spawn(&mut b));
        std::thread::sleep(std::time::Duration::from_millis(200));
        let pc = spawn(&mut c);
        let outs: Vec<_> = [pa, pb, pc].into_iter().map(|p| p.wait_with_output().unwrap()).collect();
        let mut won = 0;
        for o in &outs {
            let err = String::from_utf8_lossy(&o.stderr);
            assert_no_panic(&err);
            match o.status.code() {
                Some(0) => won += 1,
                Some(2) => assert!(
                    err.contains("another parkcast is writing it (PID ") && err.contains("wait for it to finish"),
                    "round {round}: {err}"
                ),
                other => panic!("round {round}: exit {other:?}: {err}"),
            }
        }
        assert!(won >= 1, "round {round}: someone wrote");
        // one complete, consistent set: the report and the data name the same run
        let json = |f: &str| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(d.join("out").join(f)).unwrap()).unwrap()
        };
        assert_eq!(json("report_data.json")["meta"]["seed"], json("run.json")["seed"], "round {round}");
        assert!(!std::fs::read_to_string(d.join("out/summary.csv")).unwrap().is_empty());
        let manifest = std::fs::read_to_string(d.join("out/.parkcast-manifest.json")).unwrap();
        for (name, _) in files_under(&d.join("out")) {
            assert!(name == ".parkcast-manifest.json" || manifest.contains(&format!("\"{name}\"")), "{name}");
        }
        let dots = hidden_entries(d);
        assert!(dots.is_empty(), "round {round}: {dots:?}");
    }
}
