//! The catalogue of runs (issue 17 part 5): `outputs/runs.sqlite` and `parkcast runs`.

use crate::common::{command, ok, parkcast};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

/// `text` with `dir` shown as `<dir>`, every date and time (`2026-12-01 20:00`,
/// `2026-12-01T20:00:39Z`) as `YYYY-MM-DD hh:mm(:ss)`, the version as `<version>`, lines
/// trimmed and table rules shortened (their length follows the directory's).
fn masked(text: &str, dir: &Path) -> String {
    let text = text.replace(&dir.display().to_string(), "<dir>").replace(env!("CARGO_PKG_VERSION"), "<version>");
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if !line.is_empty() && line.chars().all(|c| c == '─') {
            out.push_str("───\n");
            continue;
        }
        let mut chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i + 16 <= chars.len() {
            let s: String = chars[i..i + 16].iter().collect();
            let b = s.as_bytes();
            let digits = |r: std::ops::Range<usize>| r.into_iter().all(|k| b[k].is_ascii_digit());
            if b.len() == 16
                && digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && (b[10] == b' ' || b[10] == b'T')
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
            {
                let mask: Vec<char> = format!("YYYY-MM-DD{}hh:mm", b[10] as char).chars().collect();
                chars.splice(i..i + 16, mask);
                if chars.get(i + 16) == Some(&':') {
                    chars.splice(i + 17..i + 19, "ss".chars());
                }
                i += 16;
            } else {
                i += 1;
            }
        }
        out.extend(chars);
        out.push('\n');
    }
    out
}

#[test]
fn runs_are_listed_shown_filtered_and_deleted_directories_marked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fixed = fixture("fixed.toml");
    ok(dir, &["run", &fixed, "--trials", "200", "--lang", "en", "--out", "outputs/first"]);
    ok(dir, &["run", &fixed, "--trials", "300", "--set", "settings.seed=9", "--lang", "en", "--out", "outputs/second"]);
    std::fs::remove_dir_all(dir.join("outputs/first")).unwrap();
    insta::assert_snapshot!("list", masked(&ok(dir, &["runs"]), dir));
    insta::assert_snapshot!("show", masked(&ok(dir, &["runs", "show", "2"]), dir));
    assert!(ok(dir, &["runs", "--scenario", "no_such"]).starts_with("No runs registered in outputs/runs.sqlite match."));
    let since = ok(dir, &["runs", "--since", "2000-01-01"]);
    assert_eq!(since.lines().count(), 4, "{since}");
    assert!(ok(dir, &["runs", "--since", "2999-01-01"]).starts_with("No runs"));
    let r = parkcast(dir, &["runs", "--since", "2026-13-01"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr, "error: --since 2026-13-01: give a date as YYYY-MM-DD (e.g. 2026-12-01)\n");
    let r = parkcast(dir, &["runs", "show", "99"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr, "error: run catalogue outputs/runs.sqlite: no run with id 99 (parkcast runs lists them)\n");
}

#[test]
fn two_processes_registering_at_once_both_land() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fixed = fixture("fixed.toml");
    let children: Vec<_> = ["a", "b"]
        .iter()
        .map(|name| {
            let out = format!("outputs/{name}");
            command(dir, &["run", &fixed, "--trials", "200", "--lang", "en", "--out", &out])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("not registered"));
    }
    let list = ok(dir, &["runs"]);
    let mut dirs: Vec<&str> = list.lines().skip(2).map(|l| l.split_whitespace().last().unwrap()).collect();
    dirs.sort();
    let want: Vec<String> = ["a", "b"].iter().map(|n| dir.join("outputs").join(n).display().to_string()).collect();
    assert_eq!(dirs, want, "{list}");
    assert!(ok(dir, &["runs", "show", "1"]).contains("P(met)"));
}

#[test]
fn a_catalogue_that_cannot_be_written_warns_and_the_run_still_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // a directory where the database file should be
    std::fs::create_dir_all(dir.join("outputs/runs.sqlite")).unwrap();
    let r = parkcast(dir, &["run", &fixture("fixed.toml"), "--trials", "200", "--lang", "en", "--out", "o"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: the run was not registered in the catalogue (run catalogue outputs/runs.sqlite:"),
        "{}",
        r.stderr
    );
    assert!(dir.join("o/report.html").exists());
}

#[test]
fn runs_without_a_catalogue_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let r = parkcast(tmp.path(), &["runs"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr, "error: run catalogue outputs/runs.sqlite: not found (no run has registered in it yet)\n");
}

/// A child of tests/fixtures/fixed.toml named `name` with the approvals lever at 6 months and
/// one lever package (written in `dir`).
fn fixed_child(dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.toml"));
    let text = format!(
        "extends = {:?}\n[scenario]\nname = \"{name}\"\ndescription = \"test\"\n[levers.parallel_approvals]\nvalue = 6\n\n[packages.promote]\nlabel_zh = \"招商\"\nlabel_en = \"Promotion\"\ncost_note = \"assumption: test\"\nlevers = {{ investment_promotion = 1.5 }}\n",
        fixture("fixed.toml")
    );
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// compare, sweep (one path and a grid), packages, replay and discover register, each
/// with its kind; the multi-variant ones with the headline of every variant. The catalogue
/// starts as one written before they registered (schema 1), so the migration runs too.
#[test]
fn every_command_that_writes_a_directory_registers_with_its_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("outputs")).unwrap();
    std::fs::copy(fixture("runs_schema1.sqlite"), dir.join("outputs/runs.sqlite")).unwrap();
    let fixed = fixture("fixed.toml");
    let child = fixed_child(dir, "fixed_fast");
    let t = ["--trials", "200", "--lang", "en"];
    let with = |args: &[&'static str]| -> Vec<String> { args.iter().chain(&t).map(|s| s.to_string()).collect() };
    let runs: Vec<Vec<String>> = vec![
        [vec!["compare".to_string(), fixed.clone(), child.clone()], with(&["--out", "o/compare"])].concat(),
        [
            vec!["sweep".to_string(), fixed.clone()],
            with(&["--param", "levers.parallel_approvals.value", "--values", "0,6", "--out", "o/sweep"]),
        ]
        .concat(),
        [
            vec!["sweep".to_string(), fixed.clone()],
            with(&[
                "--vary",
                "levers.parallel_approvals.value=0,6",
                "--vary",
                "levers.investment_promotion.value=1,2",
                "--out",
                "o/grid",
            ]),
        ]
        .concat(),
        [vec!["packages".to_string(), child.clone()], with(&["--out", "o/packages"])].concat(),
        vec!["replay".into(), fixed.clone(), "--trial".into(), "3".into(), "--out".into(), "o/replay".into()],
        [vec!["discover".to_string(), fixed.clone()], with(&["--target", "parks", "--out", "o/discover"])].concat(),
    ];
    for a in &runs {
        let args: Vec<&str> = a.iter().map(|s| s.as_str()).collect();
        let r = parkcast(dir, &args);
        assert_eq!(r.code, Some(0), "parkcast {}: {}", args.join(" "), r.stderr);
        assert!(!r.stderr.contains("not registered"), "{}", r.stderr);
    }
    let list = ok(dir, &["runs"]);
    let kinds: Vec<&str> = list.lines().skip(2).map(|l| l.split_whitespace().nth(3).unwrap()).collect();
    assert_eq!(kinds, ["run", "compare", "sweep", "sweep", "packages", "replay", "discover"], "{list}");
    insta::assert_snapshot!("list_of_kinds", masked(&list, dir));
    // the compare's rows: one per scenario with P(met) per target and the paired difference
    let show = ok(dir, &["runs", "show", "2"]);
    insta::assert_snapshot!("show_compare", masked(&show, dir));
    assert!(show.contains("kind         compare"), "{show}");
    assert!(show.contains("fixed_fast") && show.contains("all vs fixed:"), "{show}");
    let grid = ok(dir, &["runs", "show", "4"]);
    assert!(grid.contains("kind         sweep --vary (grid)"), "{grid}");
    assert_eq!(grid.lines().filter(|l| l.contains("point ")).count(), 4, "{grid}");
    let packages = ok(dir, &["runs", "show", "5"]);
    assert!(packages.contains("status_quo") && packages.contains("promote"), "{packages}");
    assert!(packages.contains("rank 1 · regret "), "{packages}");
    // --scenario finds the compare that included fixed_fast, and the packages run of it
    let only = ok(dir, &["runs", "--scenario", "fixed_fast"]);
    let ids: Vec<&str> = only.lines().skip(2).map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(ids, ["2", "5"], "{only}");
    // the old row is still there, its directory gone
    assert!(ok(dir, &["runs", "show", "1"]).contains("/tmp/oldcat/outputs/old_run (deleted)"));
}
