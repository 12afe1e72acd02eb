//! The bad-input corpus at the command line: every class of mistake in arguments, seeds files,
//! report directories and output paths gets a message naming the argument or file, the value
//! and what is allowed; exit code 2 for input errors, 1 for failures while running; never a
//! panic or a backtrace. The messages are pinned in tests/integration/snapshots/integration__bad_input__*.snap; the
//! classes of bad scenario files are in tests/integration/scenario_errors.rs.

use crate::common::{assert_no_panic, command, files_under, finish, hidden_entries, parkcast, transcript};
use std::os::unix::process::CommandExt;
use std::path::Path;

#[test]
fn run_arguments() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["run", "--trials", "0"], 2),
            (&["run", "--trials", "20000001"], 2),
            (&["run", "--trials", "-5"], 2),
            (&["run", "--trails", "5"], 2),
            (&["run", "--seed", "18446744073709551615"], 2),
            (&["run", "--targets", "city_2027"], 2),
            (&["run", "--horizon", "2024-06"], 2),
            (&["run", "--horizon", "2026-06"], 2),
            (&["run", "--horizon", "2036-01"], 2),
            (&["run", "--horizon", "2027-13"], 2),
            (&["run", "--precision", "0"], 2),
            (&["run", "--precision", "0.5"], 2),
            (&["run", "--precision", "nan"], 2),
            (&["run", "--precision", "0.00001"], 2),
            (&["run", "--threads", "0"], 2),
            (&["run", "--threads", "5000"], 2),
            (&["run", "--lang", "fr"], 2),
            (&["run", "no/such/scenario.toml"], 2),
            (&["run", "--set", "settings.trials=many"], 2),
            (&["run", "--set", "levers.parallel_approvals.value=nan"], 2),
        ],
    ));
}

#[test]
fn output_paths_that_are_files_or_under_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("afile"), "not a directory").unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["run", "--trials", "100", "--out", "afile"], 2),
            (&["run", "--trials", "100", "--out", "afile/results"], 2),
            (&["run", "--trials", "100", "--out", "/dev/full"], 2),
            (&["run", "--trials", "100", "--out", "/dev/full/results"], 2),
            (&["compare", "baseline", "downturn", "--trials", "100", "--out", "afile"], 2),
            (&["sweep", "--param", "levers.parallel_approvals.value", "--values", "0,6", "--out", "afile/x"], 2),
        ],
    ));
    assert_eq!(std::fs::read_to_string(dir.path().join("afile")).unwrap(), "not a directory");
}

#[test]
fn an_unwritable_output_directory_is_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    // As root, permissions do not stop writes: use a place no one may create directories in.
    let root = unsafe { libc::geteuid() } == 0;
    let out = if root {
        "/sys/parkcast-out".to_string()
    } else {
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
        locked.join("out").display().to_string()
    };
    let r = parkcast(dir.path(), &["run", "--trials", "100", "--out", &out]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_no_panic(&r.stderr);
    let parent = Path::new(&out).parent().unwrap().display().to_string();
    let expected = format!("error: --out {out}: cannot create a directory in {parent}: ");
    assert!(r.stderr.starts_with(&expected) && r.stderr.ends_with("(choose a writable directory)\n"), "{}", r.stderr);
    assert!(!r.stderr.contains("scenario baseline"), "refused before simulating: {}", r.stderr);
}

/// A resource limit for a child process.
#[derive(Clone, Copy)]
enum Limit {
    /// Address space (the memory check reads `ulimit -v`).
    Memory(u64),
    /// File size: a write beyond it fails with EFBIG, as on a full disk (SIGXFSZ is ignored, so
    /// the write fails instead of killing the process).
    FileSize(u64),
}

/// `c` run under `limit`.
fn limited(mut c: std::process::Command, limit: Limit) -> std::process::Command {
    // SAFETY: signal and setrlimit are async-signal-safe; nothing else runs before exec.
    unsafe {
        c.pre_exec(move || {
            let set = |bytes: u64| libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
            let ok = match limit {
                Limit::Memory(bytes) => libc::setrlimit(libc::RLIMIT_AS, &set(bytes)),
                Limit::FileSize(bytes) => {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    libc::setrlimit(libc::RLIMIT_FSIZE, &set(bytes))
                }
            };
            if ok != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c
}

#[test]
fn runs_that_cannot_fit_in_memory_are_refused_with_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for args in [
        &["run", "--trials", "20000000"][..],
        &["run", "--precision", "0.0003", "--trials", "20000000"],
        &["compare", "baseline", "downturn", "policy_package", "--trials", "2000000"],
        // 1.8·10⁸ trials of five outputs
        &["sobol", "--n", "4194304"],
        // the documented largest N: 4.7·10¹⁰ trials, refused for its time before its memory
        &["sobol", "--n", "1073741824", "--threads", "1"],
    ] {
        let r = finish(limited(command(dir.path(), args), Limit::Memory(1 << 30)));
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert_no_panic(&r.stderr);
        text.push_str(&format!("$ parkcast {}\n{}\n", args.join(" "), r.stderr.trim_end()));
    }
    insta::assert_snapshot!(text);
}

/// A seeds directory holding the embedded seeds, with `change` applied to blocks.csv's bytes.
fn seeds_dir(root: &Path, name: &str, change: impl FnOnce(&mut Vec<u8>)) {
    let d = root.join(name);
    std::fs::create_dir(&d).unwrap();
    let mut blocks = parkcast::seeds::EMBEDDED_BLOCKS_CSV.as_bytes().to_vec();
    change(&mut blocks);
    std::fs::write(d.join("blocks.csv"), blocks).unwrap();
    std::fs::write(d.join("targets.toml"), parkcast::seeds::EMBEDDED_TARGETS_TOML).unwrap();
}

fn replace_once(bytes: &mut Vec<u8>, from: &str, to: &str) {
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains(from), "{from}");
    *bytes = text.replacen(from, to, 1).into_bytes();
}

#[test]
fn bad_seeds_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    seeds_dir(root, "missing_column", |b| replace_once(b, "land_type", "landtype"));
    seeds_dir(root, "bad_utf8", |b| {
        let third_line = b.iter().enumerate().filter(|(_, c)| **c == b'\n').nth(1).unwrap().0 + 5;
        b[third_line] = 0xff;
    });
    seeds_dir(root, "a_row_less", |b| {
        let text = String::from_utf8(b.clone()).unwrap();
        *b = text.lines().take(20).map(|l| format!("{l}\n")).collect::<String>().into_bytes();
    });
    seeds_dir(root, "duplicate_id", |b| replace_once(b, "\n2,", "\n1,"));
    seeds_dir(root, "empty_id", |b| replace_once(b, "\n3,", "\n,"));
    seeds_dir(root, "bad_targets", |_| {});
    std::fs::write(root.join("bad_targets/targets.toml"), "[[target_set]]\nid = \"x\"\nthreshold = [\n").unwrap();
    // (a folder lacking a seed file takes the built-in one: base_file.rs; one with none is a slip)
    std::fs::create_dir(root.join("no_seed_files")).unwrap();
    std::fs::write(root.join("afile"), "x").unwrap();
    insta::assert_snapshot!(transcript(
        root,
        &[
            (&["--seeds", "missing_column", "blocks"], 2),
            (&["--seeds", "bad_utf8", "blocks"], 2),
            (&["--seeds", "a_row_less", "blocks"], 2),
            (&["--seeds", "duplicate_id", "blocks"], 2),
            (&["--seeds", "empty_id", "validate"], 2),
            (&["--seeds", "bad_targets", "run", "--trials", "100"], 2),
            (&["--seeds", "no_seed_files", "blocks"], 2),
            (&["--seeds", "nowhere", "blocks"], 2),
            (&["--seeds", "afile", "compare", "baseline", "downturn"], 2),
        ],
    ));
}

#[test]
fn what_if_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let lever = "levers.parallel_approvals.value";
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["compare", "baseline"], 2),
            (&["compare", "baseline", "nope"], 2),
            (&["compare", "baseline", "downturn", "--trials", "0"], 2),
            (&["compare", "baseline", "downturn", "--seed", "18446744073709551615"], 2),
            (&["compare", "baseline", "downturn", "--threads", "0"], 2),
            (&["compare", "baseline", "downturn", "--set", "settings.horizon=\"2024-06\""], 2),
            (&["sweep", "--param", lever], 2),
            (&["sweep", "--param", lever, "--range", "0:12"], 2),
            (&["sweep", "--param", lever, "--range", "12:0:3"], 2),
            (&["sweep", "--param", lever, "--range", "0:12:1"], 2),
            (&["sweep", "--param", lever, "--values", "1,nan"], 2),
            (&["sweep", "--param", lever, "--values", "1,x"], 2),
            (&["sweep", "--param", lever, "--values", "3,99"], 2),
            (&["sweep", "--param", "params.start.delay_month", "--values", "1"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenu", "--prob", "0.8"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "1"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "nan"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "0.8", "--bounds", "5"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "0.8", "--bounds", "6,2"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "0.8", "--bounds", "0,inf"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "0.8", "--bounds", "0,99"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "0.8", "--tolerance=0"], 2),
            (&["goal-seek", "--param", lever, "--target", "revenue", "--prob", "0.8", "--tolerance=-1"], 2),
            (&["goal-seek", "--param", "base.revenue_growth_per_year", "--target", "revenue", "--prob", "0.8"], 2),
        ],
    ));
}

#[test]
fn report_validate_and_blocks_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("afile"), "x").unwrap();
    for (name, data) in [
        ("empty", None),
        ("corrupt", Some(&b"{\"name\": \"baseline\", \"summary\": "[..])),
        ("wrong_shape", Some(&b"{\"a\": 1}\n"[..])),
        ("not_utf8", Some(&b"{\"name\": \"\xff\"}"[..])),
    ] {
        std::fs::create_dir(root.join(name)).unwrap();
        if let Some(d) = data {
            std::fs::write(root.join(name).join("report_data.json"), d).unwrap();
        }
    }
    insta::assert_snapshot!(transcript(
        root,
        &[
            (&["report", "nowhere"], 2),
            (&["report", "afile"], 2),
            (&["report", "empty"], 2),
            (&["report", "corrupt"], 2),
            (&["report", "wrong_shape"], 2),
            (&["report", "not_utf8"], 2),
            (&["report", "empty", "--lang", "de"], 2),
            (&["validate", "--block", "0"], 2),
            (&["validate", "--block", "21"], 2),
            (&["validate", "--block", "abc"], 2),
            (&["validate", "nope.toml"], 2),
            (&["validate", "--set", "settings.trials"], 2),
            (&["blocks", "extra"], 2),
        ],
    ));
}

/// A disk that fills up while a run writes (simulated with a file size limit, so it hits every
/// writer: polars CSV and Parquet, serde JSON, plotters SVG and PNG, the report) fails with exit
/// code 1 naming the file, leaves the previous results byte for byte and no temporary files.
#[test]
fn a_write_that_fails_midway_keeps_the_previous_results_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let run = ["run", "--trials", "1000", "--out", "out", "--lang", "en"];
    assert_eq!(parkcast(dir.path(), &run).code, Some(0));
    let before = files_under(&dir.path().join("out"));
    // files are written in this order: CSVs, trials.parquet (~86 kB), run.json,
    // report_data.json (~175 kB with the sliders' grid), charts (PNGs of 50–200 kB), report.html (~3 MB). (A limit that
    // falls in the Parquet footer, e.g. 40,000 bytes, fails as polars' "Invalid thrift: transport
    // error", without the OS error.)
    for (limit, failing) in [
        (8_000, "timeseries.csv"),
        (30_000, "trials.parquet"),
        (100_000, "report_data.json"),
        (1_000_000, "report.html"),
    ] {
        let mut args = run.to_vec();
        args.extend(["--seed", "7"]);
        let r = finish(limited(command(dir.path(), &args), Limit::FileSize(limit)));
        assert_eq!(r.code, Some(1), "limit {limit}: {}", r.stderr);
        assert_no_panic(&r.stderr);
        let message = r.stderr.lines().last().unwrap();
        assert!(message.starts_with("error: cannot write "), "limit {limit}: {message}");
        assert!(message.contains(failing) && message.contains("File too large"), "limit {limit}: {message}");
        assert!(files_under(&dir.path().join("out")) == before, "limit {limit}: previous results changed");
        assert!(hidden_entries(dir.path()).is_empty(), "limit {limit}: {:?}", hidden_entries(dir.path()));
    }
    // the other writers: sweep's table and chart, and report's redraw (which keeps the old report)
    let sweep =
        ["sweep", "--param", "levers.parallel_approvals.value", "--values", "0,6", "--trials", "200", "--out", "sw"];
    let r = finish(limited(command(dir.path(), &sweep), Limit::FileSize(100)));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("sweep.csv") && r.stderr.contains("File too large"), "{}", r.stderr);
    assert!(!dir.path().join("sw").exists() && hidden_entries(dir.path()).is_empty());
    let r = finish(limited(command(dir.path(), &["report", "out", "--lang", "en"]), Limit::FileSize(10_000)));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_no_panic(&r.stderr);
    assert!(files_under(&dir.path().join("out")) == before, "report changed the run directory");
}

#[test]
fn analysis_and_monitoring_arguments() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("afile"), "x").unwrap();
    std::fs::write(dir.path().join("late.toml"), "as_of = \"2029-01\"\nsource = \"test\"\n").unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["tornado", "--target", "revenu"], 2),
            (&["tornado", "nanhu", "--target", "parks", "--top", "0"], 2),
            (&["tornado", "--out", "afile"], 2),
            (&["sobol", "--n", "1000"], 2),
            (&["sobol", "--outputs", "revenue,profit"], 2),
            (&["sobol", "--groups", "district"], 2),
            (&["discover"], 2),
            (&["discover", "--target", "revenue", "--min-coverage", "1.5"], 2),
            (&["discover", "--target", "revenue", "--alpha", "0.7"], 2),
            (&["discover", "--target", "revenue", "--trials", "10"], 2),
            (&["replay"], 2),
            (&["replay", "--trial", "-1"], 2),
            (&["replay", "--trial", "3", "--seed", "18446744073709551615"], 2),
            (&["monitor"], 2),
            (&["monitor", "--observed", "missing.toml"], 2),
            (&["monitor", "--observed", "late.toml"], 2),
            (&["monitor", "--observed", "afile"], 2),
        ],
    ));
}
