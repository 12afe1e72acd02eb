//! No command runs without end or starts a cost it cannot bear: goal-seek stops when its
//! bracket cannot shrink, and long or large jobs are announced, confirmed or refused before
//! they start.

use crate::common;
use crate::common::{assert_no_panic, parkcast};

#[test]
fn goal_seek_with_a_tolerance_below_the_float_resolution_ends_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &common::goal_seek_below_resolution(&["--trials", "200"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_no_panic(&r.stderr);
    assert!(r.stdout.starts_with("smallest base.revenue_2024_cny with P(revenue met) ≥ 50.0%: "), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "  --tolerance 0.000001 is below the resolution of floats here: the bracket stopped at two adjacent values 7.62939453125e-6 apart, and the value above is the best found"
        ),
        "{}",
        r.stdout
    );
}

/// Runs each command line in `dir` without a terminal (stdin from /dev/null, stderr piped),
/// checks its exit code and that nothing panicked, and returns its stderr.
fn transcript(dir: &std::path::Path, cases: &[(Vec<String>, i32)]) -> String {
    let mut out = String::new();
    for (args, code) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut c = common::command(dir, &args);
        c.stdin(std::process::Stdio::null());
        let r = common::finish(c);
        assert_eq!(r.code, Some(*code), "parkcast {}:\n{}", args.join(" "), r.stderr);
        assert_no_panic(&r.stderr);
        let shown: Vec<&str> = args.iter().map(|a| if a.len() > 80 { "<1,001 values>" } else { a }).collect();
        let shown = shown.join(" ");
        out.push_str(&format!("$ parkcast {shown}\n[exit {code}]\n{}\n\n", r.stderr.trim_end()));
    }
    out
}

fn line(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

#[test]
fn long_and_absurd_jobs_are_refused_before_they_start_and_short_ones_show_their_cost() {
    let dir = tempfile::tempdir().unwrap();
    let lever = "levers.parallel_approvals.value";
    let many: String = (0..1001).map(|i| (i % 13).to_string()).collect::<Vec<_>>().join(",");
    let seek = |trials: &str| line(&common::goal_seek_below_resolution(&["--trials", trials, "--threads", "1"]));
    let text = transcript(
        dir.path(),
        &[
            // 107 evaluations of 2·10⁷ trials
            (line(&["tornado", "--trials", "20000000", "--threads", "1"]), 2),
            (line(&["sweep", "--param", lever, "--range", "0:12:600", "--trials", "2000000", "--threads", "1"]), 2),
            (line(&["sweep", "--param", lever, "--values", &many]), 2),
            (line(&["sweep", "--param", lever, "--range", "0:12:5000"]), 2),
            // hours without a terminal to confirm on, and no --yes
            (line(&["sobol", "--n", "1048576", "--threads", "1"]), 2),
            (seek("2000000"), 2),
            (line(&["sobol", "--bootstrap", "1000000000"]), 2),
            // a short job: its cost line, then the job
            (
                line(&[
                    "sweep",
                    "--param",
                    lever,
                    "--values",
                    "0,6",
                    "--trials",
                    "100",
                    "--threads",
                    "1",
                    "--out",
                    "o",
                    "--lang",
                    "en",
                ]),
                0,
            ),
        ],
    );
    insta::assert_snapshot!(text);
}
