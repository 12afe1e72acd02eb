//! An interrupted run stops promptly, leaves no temporary files and leaves the previous results
//! untouched — whether it is stopped while simulating or while writing its files, and for the
//! what-if commands too.

use crate::common;
use crate::common::{assert_no_panic, command, files_under, hidden_entries, parkcast};
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Starts `parkcast args` in `dir` with stderr captured.
fn start(dir: &Path, args: &[&str]) -> Child {
    command(dir, args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
}

/// Sends SIGTERM once `ready()` holds, and waits for the end: the status, stderr, and how long
/// the process took to stop.
fn terminate_when(mut child: Child, ready: impl Fn() -> bool) -> (ExitStatus, String, Duration) {
    let started = Instant::now();
    while !ready() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be interrupted");
        assert!(started.elapsed() < Duration::from_secs(60), "never ready to be interrupted");
        std::thread::sleep(Duration::from_millis(5));
    }
    let sent = Instant::now();
    // SAFETY: kill with a pid this test started and has not yet reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(sent.elapsed() < Duration::from_secs(10), "still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    let waited = sent.elapsed();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    (status, stderr, waited)
}

/// The checks every interrupted run must pass.
fn assert_stopped_cleanly(dir: &Path, status: ExitStatus, stderr: &str, waited: Duration) {
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_no_panic(stderr);
    // generous bound: the run stops within about a second (a chunk's slice of 256 trials, or
    // the file or chart being written; a debug build on a loaded 2-core machine has taken 5.7 s
    // to finish the chart it was drawing)
    assert!(waited < Duration::from_secs(8), "took {waited:?} to stop");
    assert!(hidden_entries(dir).is_empty(), "{:?}", hidden_entries(dir));
}

/// A directory with the results of a first run in `out`, and those results.
fn previous_results() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let dir = tempfile::tempdir().unwrap();
    let ok = parkcast(dir.path(), &["run", "--trials", "1000", "--out", "out", "--lang", "en"]);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    let before = files_under(&dir.path().join("out"));
    (dir, before)
}

#[test]
fn sigterm_stops_a_long_run_promptly_and_keeps_the_previous_results() {
    let (dir, before) = previous_results();

    let child = start(dir.path(), &["run", "--trials", "1000000", "--out", "out"]);
    let t0 = Instant::now();
    let (status, stderr, waited) = terminate_when(child, || t0.elapsed() > Duration::from_millis(1500));
    assert_stopped_cleanly(dir.path(), status, &stderr, waited);
    assert!(stderr.contains("interrupted after"), "{stderr}");
    assert!(files_under(&dir.path().join("out")) == before, "previous results changed");
}

#[test]
fn sigterm_while_the_files_are_being_written_replaces_nothing() {
    let (dir, before) = previous_results();

    // a second run into the same directory, stopped once its first file is in the temporary
    // directory (the charts of two languages that follow take seconds)
    let child = start(dir.path(), &["run", "--trials", "1000", "--seed", "7", "--out", "out"]);
    // its temporary directory: `.out.tmp-HOST-PID-RANDOM`
    let pid = format!("-{}-", child.id());
    let written = |root: &Path| {
        std::fs::read_dir(root).unwrap().flatten().any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(".out.tmp-") && n.contains(&pid) && e.path().join("summary.csv").exists()
        })
    };
    let (status, stderr, waited) = terminate_when(child, || written(dir.path()));
    assert_stopped_cleanly(dir.path(), status, &stderr, waited);
    assert!(stderr.contains("interrupted while writing out; earlier results there are untouched"), "{stderr}");
    assert!(files_under(&dir.path().join("out")) == before, "previous results changed");
}

#[test]
fn sigterm_stops_compare_and_sweep_and_keeps_their_previous_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |trials: &str| {
        vec!["sweep", "--param", "levers.parallel_approvals.value", "--values", "0,3,6,9,12", "--trials", trials]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let args = sweep("500");
    let ok = parkcast(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    let before = files_under(&dir.path().join("outputs/sweep"));
    for long in [sweep("300000"), ["compare", "baseline", "downturn", "--trials", "300000"].map(String::from).to_vec()]
    {
        let child = start(dir.path(), &long.iter().map(String::as_str).collect::<Vec<_>>());
        let t0 = Instant::now();
        let (status, stderr, waited) = terminate_when(child, || t0.elapsed() > Duration::from_millis(1500));
        assert_stopped_cleanly(&dir.path().join("outputs"), status, &stderr, waited);
        assert!(files_under(&dir.path().join("outputs/sweep")) == before, "previous sweep changed");
        assert!(!dir.path().join("outputs/compare").exists());
    }
}

#[test]
fn sigterm_stops_the_analysis_and_monitoring_commands_and_keeps_their_previous_results() {
    let example = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06.toml");
    let example = example.to_str().unwrap();
    for (quick, long) in [
        (
            vec![
                "tornado", "nanhu", "--target", "parks", "--trials", "200", "--top", "3", "--out", "o", "--lang", "en",
            ],
            vec!["tornado", "--trials", "200000", "--out", "o", "--yes"],
        ),
        (
            vec!["sobol", "--outputs", "revenue", "--n", "64", "--bootstrap", "100", "--out", "o", "--lang", "en"],
            vec!["sobol", "--n", "1048576", "--out", "o", "--yes"],
        ),
        (
            vec!["discover", "--target", "revenue", "--trials", "500", "--out", "o", "--lang", "en"],
            vec!["discover", "--target", "revenue", "--trials", "1000000", "--out", "o"],
        ),
        (
            vec!["monitor", "--observed", example, "--trials", "500", "--out", "o", "--lang", "en"],
            vec!["monitor", "--observed", example, "--trials", "5000000", "--out", "o"],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let ok = parkcast(dir.path(), &quick);
        assert_eq!(ok.code, Some(0), "{quick:?}: {}", ok.stderr);
        let before = files_under(&dir.path().join("o"));
        let child = start(dir.path(), &long);
        let t0 = Instant::now();
        let (status, stderr, waited) = terminate_when(child, || t0.elapsed() > Duration::from_millis(1500));
        assert_stopped_cleanly(dir.path(), status, &stderr, waited);
        assert!(files_under(&dir.path().join("o")) == before, "{long:?}: previous results changed");
    }
}

#[test]
fn sigterm_stops_report_and_keeps_the_previous_report() {
    let (dir, before) = previous_results();
    let out = dir.path().join("out");
    // report draws both languages' charts (seconds); stop it once it has started drawing
    let child = start(dir.path(), &["report", "out", "--lang", "both"]);
    let drawing = |root: &Path| {
        std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".report.tmp-") && e.path().join("charts").exists())
    };
    let (status, stderr, waited) = terminate_when(child, || drawing(&out));
    assert_stopped_cleanly(dir.path(), status, &stderr, waited);
    assert!(stderr.contains("interrupted; the report in out is untouched"), "{stderr}");
    assert!(files_under(&out) == before, "previous report changed");
    let inside: Vec<String> = hidden_entries(&out).into_iter().filter(|n| n != ".parkcast-manifest.json").collect();
    assert!(inside.is_empty(), "{inside:?}");
}

#[test]
fn sigterm_stops_a_goal_seek_promptly() {
    let dir = tempfile::tempdir().unwrap();
    // a tolerance below the resolution of floats near 9e10: before goal-seek stopped at adjacent
    // floats it looped on cached evaluations forever and never looked at the signal
    let child = start(dir.path(), &common::goal_seek_below_resolution(&["--trials", "20000"]));
    let t0 = Instant::now();
    let (status, stderr, waited) = terminate_when(child, || t0.elapsed() > Duration::from_millis(1500));
    assert_stopped_cleanly(dir.path(), status, &stderr, waited);
}
