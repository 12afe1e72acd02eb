//! Sharded runs (docs/scale-out.md): shards run as separate processes, each writing a partial
//! file, and `parkcast merge` of the parts writes every file a one-machine run of the same
//! command writes, with the same bytes (run metadata aside: threads, wall time, date). Parts
//! that do not make one whole run are refused with exit code 2, naming the part, and nothing
//! is written.

use crate::common::outputs::{assert_same_outputs, run_json_without_volatile_fields};
use crate::common::{self, command, files_under, finish, hidden_entries, ok, transcript};
use std::path::Path;

/// Small runs: a short paired criticality sample and one language keep the test quick.
const QUICK: [&str; 4] = ["--criticality-trials", "2000", "--lang", "en"];

/// Runs `shards` shards of `run ARGS` (quick) at the same time, as separate processes, into `parts`.
fn run_shards(dir: &Path, parts: &str, shards: u32, args: &[&str]) {
    let mut all = vec!["run"];
    all.extend(args);
    all.extend(QUICK);
    common::run_shards(dir, parts, shards, &all);
}

fn one_machine(dir: &Path, out: &str, args: &[&str]) -> String {
    let mut all = vec!["run", "--out", out];
    all.extend(args);
    all.extend(QUICK);
    ok(dir, &all)
}

#[test]
fn four_shards_merge_to_the_bytes_of_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = ["--trials", "40000", "--seed", "7"]; // 4 chunks: one each
    run_shards(d, "parts", 4, &args);
    let names: Vec<String> = files_under(&d.join("parts")).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, (1..=4).map(|i| format!("part-000{i}-of-0004.pcpart")).collect::<Vec<_>>());
    let one = one_machine(d, "one", &args);
    // the parts in any order
    let merged = ok(
        d,
        &[
            "merge",
            "parts/part-0003-of-0004.pcpart",
            "parts/part-0001-of-0004.pcpart",
            "parts/part-0004-of-0004.pcpart",
            "parts/part-0002-of-0004.pcpart",
            "--out",
            "merged",
        ],
    );
    assert_eq!(merged, one, "the printed tables differ");
    assert_same_outputs(&d.join("one"), &d.join("merged"));
    // the data files are compared as they are, not only after taking out the metadata
    for f in [
        "summary.csv",
        "readings.csv",
        "beliefs.csv",
        "block_summary.csv",
        "timeseries.csv",
        "criticality.csv",
        "trials.parquet",
        "parkcast.xlsx",
    ] {
        assert!(
            std::fs::read(d.join("one").join(f)).unwrap() == std::fs::read(d.join("merged").join(f)).unwrap(),
            "{f}"
        );
    }
    let meta = run_json_without_volatile_fields(&d.join("merged/run.json"));
    assert_eq!(meta, run_json_without_volatile_fields(&d.join("one/run.json")));
    assert_eq!(meta["trials"], 40000);
    assert!(hidden_entries(&d.join("parts")).is_empty() && hidden_entries(d).is_empty());
}

#[test]
fn shards_that_do_not_divide_the_chunks_merge_the_same_and_bad_sets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 25,000 trials: chunks 0 and 2 (a short one) in shard 1, chunk 1 in shard 2
    let args = ["--trials", "25000", "--set", "levers.parallel_approvals.value=6"];
    run_shards(d, "parts", 2, &args);
    one_machine(d, "one", &args);
    // a folder of parts is read as its *.pcpart files
    ok(d, &["merge", "parts", "--out", "merged"]);
    assert_same_outputs(&d.join("one"), &d.join("merged"));

    // parts that do not belong together: another seed, a copy, damage, not a part at all
    let mut foreign = command(d, &["run", "--trials", "25000", "--seed", "8", "--shard", "2/2", "--out", "foreign"]);
    foreign.args(args[2..].iter()).args(QUICK);
    assert_eq!(finish(foreign).code, Some(0));
    std::fs::copy(d.join("parts/part-0001-of-0002.pcpart"), d.join("copy.pcpart")).unwrap();
    let mut bytes = std::fs::read(d.join("parts/part-0002-of-0002.pcpart")).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(d.join("damaged.pcpart"), &bytes).unwrap();
    std::fs::write(d.join("notes.pcpart"), "shard 2 is still running\n").unwrap();
    let p1 = "parts/part-0001-of-0002.pcpart";
    let p2 = "parts/part-0002-of-0002.pcpart";
    let cases: &[(&[&str], i32)] = &[
        (&["merge", p1, "--out", "bad"], 2),
        (&["merge", p1, "copy.pcpart", p2, "--out", "bad"], 2),
        (&["merge", p1, "foreign/part-0002-of-0002.pcpart", "--out", "bad"], 2),
        (&["merge", p1, "damaged.pcpart", "--out", "bad"], 2),
        (&["merge", p1, "notes.pcpart", "--out", "bad"], 2),
        (&["merge", p1, "missing.pcpart", "--out", "bad"], 2),
    ];
    insta::assert_snapshot!(transcript(d, cases));
    assert!(!d.join("bad").exists(), "a refused merge wrote its output directory");
    assert!(hidden_entries(d).is_empty(), "{:?}", hidden_entries(d));
}

#[test]
fn bad_shard_arguments_are_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], i32)] = &[
        (&["run", "--shard", "0/4"], 2),
        (&["run", "--shard", "5/4"], 2),
        (&["run", "--shard", "x/4"], 2),
        (&["run", "--shard", "2/0"], 2),
        (&["run", "--shard", "4"], 2),
        (&["run", "--trials", "25000", "--shard", "1/4"], 2),
        (&["run", "--shard", "1/4", "--precision", "0.01"], 2),
        (&["run", "--shard", "1/4", "--no-write"], 2),
        (&["run", "--shard", "slurm"], 2),
        (&["run", "--shard", "k8s/4"], 2),
    ];
    insta::assert_snapshot!(transcript(dir.path(), cases));
    let mut slurm = command(dir.path(), &["run", "--shard", "slurm", "--trials", "40000"]);
    slurm.env("SLURM_ARRAY_TASK_ID", "9").env("SLURM_ARRAY_TASK_MIN", "1").env("SLURM_ARRAY_TASK_COUNT", "4");
    let r = finish(slurm);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr, "error: --shard slurm: shard 9 of 4 does not exist (shards are 1 to 4)\n");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "a refused shard wrote something");
}
