//! Issue 17's rough edges, as a new analyst meets them: numbers typed as people type them,
//! `--set` mistakes, Windows paths, spreadsheets' CSV files, partial target sets, `replay`
//! bounds, `run --help` and where `--set` runs go. Error texts are pinned as snapshots.

use crate::common::{assert_no_panic, parkcast, transcript};
use std::path::{Path, PathBuf};

fn example_csv() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06-blocks.csv");
    std::fs::read_to_string(p).unwrap()
}

/// The example CSV with its header row replaced by `header` and each data line changed by `edit`.
fn write_csv(dir: &Path, name: &str, header: Option<&str>, edit: impl Fn(&str) -> String) -> String {
    let text = example_csv();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    let mut out = vec![header.unwrap_or(first).to_string()];
    out.extend(lines.map(edit));
    std::fs::write(dir.join(name), out.join("\n") + "\n").unwrap();
    name.to_string()
}

#[test]
fn typed_numbers_and_set_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["sweep", "--param", "levers.parallel_approvals.value", "--values", "8%,10%"], 2),
            (&["sweep", "--param", "levers.parallel_approvals.value", "--values", "1,,2"], 2),
            (&["sweep", "--param", "levers.parallel_approvals.value", "--values", "0，x"], 2),
            (&["sweep", "--param", "levers.parallel_approvals.value", "--range", "-1:１:3%"], 2),
            (&["sweep", "--param", "base.revenue_growth_per_year", "--range", "-1:1:3"], 2),
            (
                &[
                    "goal-seek",
                    "--param",
                    "base.revenue_growth_per_year",
                    "--target",
                    "revenue",
                    "--prob",
                    "0.8",
                    "--bounds",
                    "0.3,-0.1"
                ],
                2
            ),
            (
                &[
                    "goal-seek",
                    "--param",
                    "base.revenue_growth_per_year",
                    "--target",
                    "revenue",
                    "--prob",
                    "0.8",
                    "--bounds",
                    "-10%,30%"
                ],
                2
            ),
            (&["run", "--set", "settings.trials", "20000"], 2),
            (&["validate", "--set", "levers.parallel_approvals.value=8%"], 2),
            (&["run", "--set", "base.revenue_growth_per_year=12.5％"], 2),
            (&["run", "scenarios\\baseline.toml"], 2),
            (&["monitor", "--observed", "observed\\2026-06.csv"], 2),
            (&["run", "--trials", "2000", "--out", "results\\run1"], 2),
            (&["goal-seek", "--param", "base.revenue_growth_per_year", "--target", "revenue", "--prob", "80%"], 2),
            (&["--trials", "2000"], 2),
            (&["template", "my\\x.xlsx"], 2),
            (&["replay", "--trial", "20000000"], 2),
        ],
    ));
    // nothing was written under a name with a backslash
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains('\\')));
}

#[test]
fn negative_and_full_width_values_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |values: &[&str], out: &str| {
        let mut args = vec!["sweep", "--param", "base.revenue_growth_per_year", "--trials", "300", "--out", out];
        args.extend_from_slice(values);
        let r = parkcast(dir.path(), &args);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        std::fs::read_to_string(dir.path().join(out).join("sweep.csv")).unwrap()
    };
    let ascii = sweep(&["--values", "-0.02,0,0.05"], "a");
    assert!(ascii.contains(",-0.02,parks,") && ascii.contains(",0.05,all,"), "{ascii}");
    assert_eq!(sweep(&["--values", "－0.02，０、0.05"], "b"), ascii);
    assert_eq!(sweep(&["--values=-0.02,0,0.05"], "c"), ascii);
    let range = sweep(&["--range", "-0.02:0.02:3"], "d");
    assert!(range.contains(",-0.02,parks,") && range.contains(",0.02,all,"), "{range}");
    let r = parkcast(
        dir.path(),
        &["goal-seek", "--param", "base.revenue_growth_per_year", "--target", "revenue", "--prob", "0.5"]
            .iter()
            .chain(&["--bounds", "-0.1,0.3", "--trials", "300"])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("in [-0.1, 0.3]"), "{}", r.stderr);
}

#[test]
fn set_runs_without_out_get_their_own_directory_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let quick = ["--trials", "200", "--criticality-trials", "0", "--lang", "en"];
    let run = |extra: &[&str]| {
        let mut args = vec!["run"];
        args.extend_from_slice(&quick);
        args.extend_from_slice(extra);
        let r = parkcast(dir.path(), &args);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        r
    };
    run(&[]);
    let baseline = std::fs::read(dir.path().join("outputs/baseline/summary.csv")).unwrap();
    let r = run(&["--set", "levers.parallel_approvals.value=6"]);
    let own = "outputs/baseline+levers.parallel_approvals.value=6";
    assert!(
        r.stderr.contains(&format!(
            "with --set overrides, the results go to their own directory {own} (--out DIR to choose)"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stdout.starts_with("Scenario baseline with --set levers.parallel_approvals.value=6 · "), "{}", r.stdout);
    assert!(dir.path().join(own).join("summary.csv").is_file());
    assert_eq!(std::fs::read(dir.path().join("outputs/baseline/summary.csv")).unwrap(), baseline, "baseline untouched");
    // many overrides: a short name with a hash
    let sets: Vec<String> = (0..6).map(|i| format!("params.start.delay_months.pert.mode={}", 6 + i)).collect();
    let mut extra = Vec::new();
    for s in &sets {
        extra.extend(["--set", s.as_str()]);
    }
    let r = run(&extra);
    let dirs: Vec<String> = std::fs::read_dir(dir.path().join("outputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("baseline+set-"))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    assert!(r.stderr.contains(&format!("outputs/{}", dirs[0])), "{}", r.stderr);
}

#[test]
fn spreadsheet_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = example_csv();
    std::fs::write(d.join("gbk.csv"), encoding_gbk(&text)).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(d.join("utf16.csv"), utf16).unwrap();
    std::fs::write(d.join("book.csv"), b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe").unwrap();
    write_csv(d, "mar26.csv", None, |l| l.replacen("2026-06", "Jun-26", 1).replace("2026-03", "Mar-26"));
    write_csv(d, "us.csv", None, |l| l.replacen("2026-06", "6/30/2026", 1));
    write_csv(
        d,
        "unknown_zh.csv",
        Some("截至月份,来源,地块,开工,投产,建筑面积,入驻率,科技型中小企业,专精特新,营业收入,就业,移出,备注"),
        |l| l.into(),
    );
    insta::assert_snapshot!(transcript(
        d,
        &[
            (&["monitor", "--observed", "gbk.csv", "--no-write"], 2),
            (&["monitor", "--observed", "utf16.csv", "--no-write"], 2),
            (&["monitor", "--observed", "book.csv", "--no-write"], 2),
            (&["monitor", "--observed", "mar26.csv", "--no-write"], 2),
            (&["monitor", "--observed", "us.csv", "--no-write"], 2),
            (&["monitor", "--observed", "unknown_zh.csv", "--no-write"], 2),
        ],
    ));
}

/// The example's Chinese characters in GBK (the ones it has: 已开工), everything else ASCII.
fn encoding_gbk(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        match c {
            '已' => out.extend([0xd2, 0xd1]),
            '开' => out.extend([0xbf, 0xaa]),
            '工' => out.extend([0xb9, 0xa4]),
            c => {
                assert!(c.is_ascii(), "{c} has no GBK bytes here");
                out.push(c as u8)
            }
        }
    }
    assert!(out.len() < text.len(), "the example has Chinese text to encode");
    out
}

#[test]
fn chinese_headers_and_year_first_dates_read_as_the_english_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_csv(d, "en.csv", None, |l| l.into());
    write_csv(
        d,
        "zh.csv",
        Some("截至月份,来源,地块,开工,投运,建筑面积,入驻率,科技型中小企业,专精特新,营业收入,就业,移出,备注"),
        |l| l.into(),
    );
    write_csv(d, "dates.csv", None, |l| {
        l.replacen("2026-06", "2026/6/30", 1).replace("2025-04", "2025年4月").replace("2026-03", "2026-03-01")
    });
    let monitor = |file: &str| {
        let r = parkcast(d, &["monitor", "--observed", file, "--trials", "300", "--no-write"]);
        assert_eq!(r.code, Some(0), "{file}: {}", r.stderr);
        assert_no_panic(&r.stderr);
        // the tables, without the line naming the file
        r.stdout.lines().filter(|l| !l.starts_with("Forecast as of")).collect::<Vec<_>>().join("\n")
    };
    let en = monitor("en.csv");
    assert!(en.contains("Observed: 5 blocks"), "{en}");
    assert_eq!(monitor("zh.csv"), en);
    assert_eq!(monitor("dates.csv"), en);
}

/// The seeds with the final text's set cut down to the targets `keep` names (by id).
fn seeds_with_targets(dir: &std::path::Path, name: &str, keep: &[&str]) {
    let seeds = dir.join(name);
    std::fs::create_dir(&seeds).unwrap();
    std::fs::write(seeds.join("blocks.csv"), parkcast::seeds::EMBEDDED_BLOCKS_CSV).unwrap();
    let targets = parkcast::seeds::EMBEDDED_TARGETS_TOML;
    let set = targets.find("[city_2027_final]").unwrap();
    let next = set + targets[set..].find("[nanhu_2027]").unwrap();
    let mut parts = targets[set..next].split("[[city_2027_final.targets]]");
    let header = parts.next().unwrap();
    let kept: String = parts
        .filter(|p| keep.iter().any(|k| p.contains(&format!("id = \"{k}\""))))
        .map(|p| format!("[[city_2027_final.targets]]{p}"))
        .collect();
    assert_eq!(kept.matches("[[city_2027_final.targets]]").count(), keep.len(), "{kept}");
    std::fs::write(seeds.join("targets.toml"), format!("{}{header}{kept}{}", &targets[..set], &targets[next..]))
        .unwrap();
}

#[test]
fn a_target_set_with_some_of_the_five_targets_runs_and_charts_those_it_has() {
    let dir = tempfile::tempdir().unwrap();
    seeds_with_targets(dir.path(), "seeds4", &["parks", "revenue"]);
    let r = parkcast(dir.path(), &["--seeds", "seeds4", "validate"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = parkcast(dir.path(), &["--seeds", "seeds4", "run", "--trials", "300", "--out", "partial"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_no_panic(&r.stderr);
    assert!(
        r.stdout.contains("The set city_2027_final gives 2 of the five targets; it sets none for specialized, tech_smes, jobs, and \"all targets\" combines the 2 it gives."),
        "{}",
        r.stdout
    );
    // the headline names no base figure that enters no target of the set
    let assumed = r.stdout.lines().find(|l| l.starts_with("Assumed base")).unwrap_or_default();
    assert!(
        assumed.contains("base.revenue_2024_cny") && !assumed.contains("jobs") && !assumed.contains("specialized"),
        "{assumed}"
    );
    let out = dir.path().join("partial");
    for lang in ["zh", "en"] {
        for kind in ["fan", "distribution", "exceedance", "contributions", "waterfall", "criticality"] {
            // contributions are drawn for the firm and money targets only (a park is a block)
            for id in ["parks", "revenue"].into_iter().filter(|id| kind != "contributions" || *id != "parks") {
                let png = out.join(format!("charts/{lang}/{kind}_{id}.png"));
                assert!(png.is_file(), "{} missing", png.display());
            }
            for id in ["specialized", "tech_smes", "jobs"] {
                assert!(!out.join(format!("charts/{lang}/{kind}_{id}.png")).exists(), "{lang} {kind}_{id}");
            }
        }
    }
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let rows: Vec<&str> = summary.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    assert_eq!(rows, ["parks", "revenue", "all"], "{summary}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("2项目标全部达成"), "the Chinese answer counts the set's targets");
    assert!(report.contains("本口径未设专精特新企业、科技型中小企业、新增就业目标，“全部目标”仅指以上2项。"));
    assert!(report.contains("This target set gives no target for specialized (专精特新) firms, tech SMEs, new jobs"));
    assert!(out.join("parkcast.xlsx").is_file());
    // what-ifs on the same set: a target it does not give is named as such
    let r = parkcast(
        dir.path(),
        &[
            "--seeds",
            "seeds4",
            "goal-seek",
            "--param",
            "levers.industry_funds.value",
            "--target",
            "jobs",
            "--prob",
            "0.5",
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("has no such target"), "{}", r.stderr);
}

#[test]
fn a_target_set_with_no_target_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds0");
    std::fs::create_dir(&seeds).unwrap();
    std::fs::write(seeds.join("blocks.csv"), parkcast::seeds::EMBEDDED_BLOCKS_CSV).unwrap();
    let targets = parkcast::seeds::EMBEDDED_TARGETS_TOML;
    let set = targets.find("[city_2027_final]").unwrap();
    let next = set + targets[set..].find("[nanhu_2027]").unwrap();
    let first = set + targets[set..next].find("[[city_2027_final.targets]]").unwrap();
    // the set's own keys, then `targets = []` in place of its tables
    std::fs::write(seeds.join("targets.toml"), format!("{}targets = []\n\n{}", &targets[..first], &targets[next..]))
        .unwrap();
    insta::assert_snapshot!(transcript(dir.path(), &[(&["--seeds", "seeds0", "validate"], 2)]));
}

#[test]
fn run_help_lists_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(dir.path(), &["run", "--help"]);
    assert_eq!(r.code, Some(0));
    let help = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for name in parkcast::report::export::manifest::OUTPUT_FILES {
        let run_writes = ![
            "monitor.csv",
            "compare.csv",
            "sweep.csv",
            "tornado.csv",
            "sobol.csv",
            "discover.csv",
            "packages.csv",
            "sweep_grid.csv",
            "monitor_two_level.csv",
        ]
        .contains(name)
            && !name.starts_with("replay_");
        assert_eq!(help.contains(name), run_writes, "{name} in run --help:\n{help}");
    }
    for chart in ["fan chart", "goal probabilities", "distribution", "timeline", "contributions", "criticality"] {
        assert!(help.contains(chart), "{chart}:\n{help}");
    }
}

#[test]
fn a_pinned_block_start_holds_in_every_trial() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pinned.toml"),
        "extends = \"baseline.toml\"\n[scenario]\nname = \"pinned\"\n[blocks.13]\nstart.at = \"2026-06\"\n[blocks.11]\nstart.at = \"2025-03\"\n",
    )
    .unwrap();
    let r = parkcast(
        dir.path(),
        &["run", "pinned.toml", "--trials", "3000", "--criticality-trials", "0", "--lang", "en", "--out", "o"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // every trial: block 13 starts in 2026-06 (model month 19), block 11 in 2025-03 (month 4)
    use polars::prelude::{ParquetReader, SerReader};
    let df = ParquetReader::new(std::fs::File::open(dir.path().join("o/trials.parquet")).unwrap()).finish().unwrap();
    assert_eq!(df.height(), 3000);
    for (id, month) in [(13, 19), (11, 4)] {
        let starts = df.column(&format!("start_b{id}")).unwrap().i32().unwrap().clone();
        assert!(
            (0..starts.len()).all(|i| starts.get(i) == Some(month)),
            "block {id} starts in month {month} in every trial"
        );
    }
    let summary = std::fs::read_to_string(dir.path().join("o/block_summary.csv")).unwrap();
    let row = |id: &str| {
        summary
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let header: Vec<&str> = summary.lines().next().unwrap().trim_start_matches('\u{feff}').split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (id, month, started_2025) in [("13", "2026-06", "0.0"), ("11", "2025-03", "1.0")] {
        let r = row(id);
        // and the block table says so
        for c in ["start_p10", "start_p50", "start_p90"] {
            assert_eq!(r[col(c)], month, "block {id} {c}: {r:?}");
        }
        assert_eq!(r[col("p_started_by_2025_12")], started_2025, "block {id}");
    }
    // validate shows the pins; the same setting by --set gives the same hash
    let v = parkcast(dir.path(), &["validate", "pinned.toml"]);
    assert!(v.stdout.contains("#   blocks.13.start.at = \"2026-06\""), "{}", v.stdout);
    let hash = |stderr: &str| stderr.split("hash ").nth(1).unwrap().trim_end_matches([')', '\n']).to_string();
    let set = parkcast(
        dir.path(),
        &[
            "validate",
            "--set",
            "blocks.13.start.at=2026-06",
            "--set",
            "blocks.11.start.at=\"2025-03\"",
            "--set",
            "scenario.name=\"pinned\"",
        ],
    );
    assert_eq!(hash(&set.stderr), hash(&v.stderr));
    let plain = parkcast(dir.path(), &["validate"]);
    assert_ne!(hash(&plain.stderr), hash(&v.stderr), "a pin changes the hash");
    insta::assert_snapshot!(transcript(
        dir.path(),
        &[
            (&["validate", "--set", "blocks.2.start.at=2026-06"], 2),
            (&["validate", "--set", "blocks.13.start.at=2036-06"], 2),
            (&["validate", "--set", "blocks.13.start.at=2024-06"], 2),
            (&["validate", "--set", "blocks.13.start.at=soon"], 2),
            (&["validate", "--set", "blocks.13.start.at=6"], 2),
        ],
    ));
}
