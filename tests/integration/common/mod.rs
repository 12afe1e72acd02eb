//! Helpers shared by integration tests that run the `parkcast` binary (`mod common;`).
#![allow(dead_code)] // each test file uses some of them

pub mod mutate;
pub mod outputs;

use std::path::Path;
use std::process::{Command, Stdio};

/// What a finished `parkcast` process left.
pub struct Run {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// A `parkcast` command with `args`, run in `dir`.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_parkcast"));
    c.args(args).current_dir(dir);
    c
}

/// Runs `command` to its end.
pub fn finish(mut command: Command) -> Run {
    let o = command.output().unwrap();
    Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs `command` to its end, killing it (and failing the test) if it takes longer than `limit`
/// — for inputs that could make parkcast block, such as a FIFO.
pub fn finish_within(mut command: Command, limit: std::time::Duration) -> Run {
    use std::io::Read;
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // drain both pipes in threads, so a chatty child cannot block on a full pipe
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("parkcast did not finish within {limit:?}: {command:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run { code: status.code(), stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() }
}

/// Runs each command line in `dir` (each within a minute), checks its exit code and that
/// nothing panicked, and returns what users see on stderr, with `dir` shown as `<dir>`.
pub fn transcript(dir: &Path, cases: &[(&[&str], i32)]) -> String {
    let mut out = String::new();
    for (args, code) in cases {
        let r = finish_within(command(dir, args), std::time::Duration::from_secs(60));
        assert_eq!(r.code, Some(*code), "parkcast {}:\n{}", args.join(" "), r.stderr);
        assert_no_panic(&r.stderr);
        assert!(r.stderr.contains("error: "), "parkcast {}: no error message:\n{}", args.join(" "), r.stderr);
        let shown = r.stderr.replace(&dir.display().to_string(), "<dir>");
        out.push_str(&format!("$ parkcast {}\n[exit {code}]\n{}\n\n", args.join(" "), shown.trim_end()));
    }
    out
}

/// Runs `parkcast args` in `dir`.
pub fn parkcast(dir: &Path, args: &[&str]) -> Run {
    finish(command(dir, args))
}

/// Bad input never shows a panic or a backtrace.
pub fn assert_no_panic(stderr: &str) {
    for sign in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!stderr.contains(sign), "{sign} in stderr:\n{stderr}");
    }
}

/// Hidden entries of `dir` (parkcast's temporary and probe directories start with a dot).
pub fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// Every file under `dir` with its bytes, by path relative to `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The goal-seek of issue #20: a tolerance below the resolution of floats near 9e10 (before
/// goal-seek stopped at adjacent floats it looped forever); `--trials` follows.
pub const GOAL_SEEK_BELOW_RESOLUTION: [&str; 11] = [
    "goal-seek",
    "--param",
    "base.revenue_2024_cny",
    "--target",
    "revenue",
    "--prob",
    "0.5",
    "--bounds",
    "6e10,9e10",
    "--tolerance",
    "0.000001",
];

/// [`GOAL_SEEK_BELOW_RESOLUTION`] with `extra` arguments after it.
pub fn goal_seek_below_resolution<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    GOAL_SEEK_BELOW_RESOLUTION.iter().copied().chain(extra.iter().copied()).collect()
}

/// A headless Chromium on this machine, if any (the report's browser tests are skipped without).
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| std::process::Command::new(b).arg("--version").output().map(|o| o.status.success()).unwrap_or(false))
}

/// Runs headless `browser` on `page` (a file) with a fresh profile, no network and no first-run
/// work, and the `extra` flags that say what to do (`--dump-dom`, `--print-to-pdf=…`, …).
pub fn headless(browser: &str, extra: &[String], page: &Path) -> std::process::Output {
    headless_url(browser, extra, &format!("file://{}", page.display()))
}

/// [`headless`] at a `file://` URL (with a query string, say).
pub fn headless_url(browser: &str, extra: &[String], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().cloned());
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.push(url.to_string());
    Command::new(browser).args(&args).output().unwrap()
}

/// Runs parkcast with `args` in `dir` and returns its standard output; fails the test, naming
/// the command and its error output, unless it exits 0.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let r = finish(command(dir, args));
    assert_eq!(r.code, Some(0), "parkcast {}:\n{}", args.join(" "), r.stderr);
    r.stdout
}

/// Runs `shards` shards of `args` (a whole command: `run …`, `sobol …`) at the same time, as
/// separate processes on one thread each, into `parts`; fails unless each exits 0, and returns
/// what each printed.
pub fn run_shards(dir: &Path, parts: &str, shards: u32, args: &[&str]) -> Vec<String> {
    let children: Vec<_> = (1..=shards)
        .map(|i| {
            let spec = format!("{i}/{shards}");
            let mut c = command(dir, args);
            c.args(["--shard", &spec, "--threads", "1", "--out", parts]).stdout(Stdio::piped()).stderr(Stdio::piped());
            (spec, c.spawn().unwrap())
        })
        .collect();
    children
        .into_iter()
        .map(|(spec, child)| {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "--shard {spec}: {}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8_lossy(&o.stdout).into_owned()
        })
        .collect()
}
