//! An interrupted run stops promptly, leaves no temporary files and leaves the previous results
//! untouched.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_a_long_run_promptly_and_keeps_the_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_parkcast");
    let ok = Command::new(bin)
        .args(["run", "--trials", "1000", "--out", "out", "--lang", "en"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(ok.status.success());
    let before = std::fs::read(dir.path().join("out/summary.csv")).unwrap();

    let mut child = Command::new(bin)
        .args(["run", "--trials", "5000000", "--out", "out"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the long run ended before it was interrupted");
    let sent = Instant::now();
    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
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
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted after"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // generous bound: the run stops within about a second (a chunk's slice of 256 trials)
    assert!(waited < Duration::from_secs(5), "took {waited:?} to stop");
    assert_eq!(std::fs::read(dir.path().join("out/summary.csv")).unwrap(), before, "previous results changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
