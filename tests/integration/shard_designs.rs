//! Sharded designs (docs/scale-out.md): `sobol --shard` and `sweep --vary … --shard` run as
//! separate processes, each writing a partial file of its blocks of design rows or its sweep
//! points, and `parkcast merge` of the parts writes every file the one-machine command writes,
//! with the same bytes, and prints the same tables. Parts of different commands, and sets with
//! a shard missing or doubled, are refused with exit code 2, naming the part.

use crate::common::{command, files_under, finish, hidden_entries, ok, run_shards, transcript};
use std::path::Path;

/// Runs `args` on one machine into `one`, its shards into `parts` and their merge into
/// `merged`, and checks that the merge printed the same tables and wrote the same files, byte
/// for byte.
fn sharded_equals_one_machine(dir: &Path, shards: u32, args: &[&str]) {
    for printed in run_shards(dir, "parts", shards, args) {
        assert!(printed.is_empty(), "a shard prints no tables");
    }
    let names: Vec<String> = files_under(&dir.join("parts")).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, (1..=shards).map(|i| format!("part-000{i}-of-000{shards}.pcpart")).collect::<Vec<_>>());
    let mut one = args.to_vec();
    one.extend(["--out", "one"]);
    let printed = ok(dir, &one);
    let merged = ok(dir, &["merge", "parts", "--out", "merged"]);
    assert_eq!(merged, printed, "the printed tables differ");
    let (a, b) = (files_under(&dir.join("one")), files_under(&dir.join("merged")));
    assert_eq!(a.iter().map(|(n, _)| n).collect::<Vec<_>>(), b.iter().map(|(n, _)| n).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between the one-machine run and the merge");
    }
    assert!(hidden_entries(&dir.join("parts")).is_empty() && hidden_entries(dir).is_empty());
}

const SOBOL: [&str; 11] =
    ["sobol", "--outputs", "revenue,all_met", "--n", "64", "--bootstrap", "100", "--top", "5", "--lang", "en"];

#[test]
fn a_sobol_design_in_three_shards_merges_to_the_bytes_of_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // N = 64: 4 blocks of 16 base points, blocks 0 and 3 in shard 1
    sharded_equals_one_machine(d, 3, &SOBOL);
    let sobol_csv = std::fs::read_to_string(d.join("merged/sobol.csv")).unwrap();
    assert!(sobol_csv.lines().count() > 10, "{sobol_csv}");
    assert!(d.join("merged/charts/en/sobol_revenue.svg").is_file());

    // refused: a part of a run among sobol parts, a shard missing, one doubled, and the like
    let mut run = command(d, &["run", "--trials", "1000", "--shard", "1/1", "--out", "runparts"]);
    run.args(["--criticality-trials", "0", "--lang", "en"]);
    assert_eq!(finish(run).code, Some(0));
    std::fs::copy(d.join("parts/part-0002-of-0003.pcpart"), d.join("copy.pcpart")).unwrap();
    let mut foreign = command(d, &SOBOL);
    foreign.args(["--seed", "8", "--shard", "3/3", "--out", "foreign"]);
    assert_eq!(finish(foreign).code, Some(0));
    let (p1, p2, p3) =
        ("parts/part-0001-of-0003.pcpart", "parts/part-0002-of-0003.pcpart", "parts/part-0003-of-0003.pcpart");
    let run_part = "runparts/part-0001-of-0001.pcpart";
    let cases: &[(&[&str], i32)] = &[
        (&["merge", p1, p2, p3, run_part, "--out", "bad"], 2),
        (&["merge", run_part, p1, "--out", "bad"], 2),
        (&["merge", p1, p3, "--out", "bad"], 2),
        (&["merge", p1, p2, "copy.pcpart", p3, "--out", "bad"], 2),
        (&["merge", p1, p2, "foreign/part-0003-of-0003.pcpart", "--out", "bad"], 2),
        (&["merge", "parts", "--json", "--out", "bad"], 2),
        (&["sobol", "--n", "64", "--shard", "5/5"], 2),
        (&["sobol", "--n", "64", "--shard", "0/4"], 2),
    ];
    insta::assert_snapshot!(transcript(d, cases));
    assert!(!d.join("bad").exists(), "a refused merge wrote its output directory");
    assert!(hidden_entries(d).is_empty(), "{:?}", hidden_entries(d));
}

#[test]
fn a_two_lever_grid_sweep_in_two_shards_merges_to_the_bytes_of_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "sweep",
        "--vary",
        "levers.parallel_approvals.value=0:6:3",
        "--vary",
        "levers.joint_acceptance.value=0,3",
        "--trials",
        "300",
        "--lang",
        "en",
    ];
    // 6 points: 0, 2, 4 in shard 1 and 1, 3, 5 in shard 2
    sharded_equals_one_machine(dir.path(), 2, &args);
    assert!(dir.path().join("merged/charts/en/sweep_heatmap.svg").is_file());
}

#[test]
fn a_latin_hypercube_sweep_in_three_shards_merges_to_the_bytes_of_one_machine_and_bad_shards_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = [
        "sweep",
        "--vary",
        "levers.special_fund.value=0:0.5",
        "--vary",
        "levers.multi_storey.value=1:1.6",
        "--design",
        "lhs",
        "--points",
        "5",
        "--trials",
        "300",
        "--seed",
        "4",
    ];
    sharded_equals_one_machine(d, 3, &args);
    let vary = ["--vary", "levers.parallel_approvals.value=0,6", "--vary", "levers.joint_acceptance.value=0,3"];
    let cases: &[(&[&str], i32)] = &[
        (&["sweep", vary[0], vary[1], vary[2], vary[3], "--trials", "300", "--shard", "5/5"], 2),
        (&["sweep", "--param", "levers.joint_acceptance.value", "--values", "0,3", "--shard", "1/2"], 2),
        (&["merge", "parts/part-0001-of-0003.pcpart", "parts/part-0003-of-0003.pcpart", "--out", "bad"], 2),
    ];
    insta::assert_snapshot!(transcript(d, cases));
    assert!(!d.join("bad").exists());
}
