//! `seeds/base.toml`: the bureau's base figures per district replace the scenario's priors
//! when entered for every district, labelled official or 待核实, and bad entries are refused.

use crate::common::{assert_no_panic, parkcast};
use std::path::Path;

/// A seeds directory holding the shipped blocks and targets and the given base file.
fn seeds_with(dir: &Path, base: &str) {
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for f in ["blocks.csv", "targets.toml"] {
        std::fs::copy(repo.join(f), seeds.join(f)).unwrap();
    }
    std::fs::write(seeds.join("base.toml"), base).unwrap();
}

const OFFICIAL_REVENUE: &str = r#"
[nanhu]
revenue_2024_cny = { status = "official", value = 2.0e10, source = "南湖区统计年鉴 2025, 表 5" }
[xiuzhou]
revenue_2024_cny = { status = "official", value = 3.5e10, source = "秀洲区统计年鉴 2025, 表 4" }
[etdz]
revenue_2024_cny = { status = "official", value = 2.0e10, source = "经开区 2024 年报" }
tech_smes_2024 = { status = "assumed", value = 300 }
"#;

#[test]
fn official_figures_for_every_district_replace_the_prior_and_leave_the_assumed_ones_flagged() {
    let dir = tempfile::tempdir().unwrap();
    seeds_with(dir.path(), OFFICIAL_REVENUE);
    let v = parkcast(dir.path(), &["validate", "--seeds", "seeds"]);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    let line = v.stdout.lines().find(|l| l.starts_with("revenue_2024_cny = ")).expect("printed");
    assert!(
        line.contains("75_000_000_000") && line.contains("· source: ") && line.contains("秀洲区统计年鉴"),
        "{line}"
    );
    // tech SMEs entered for one district only: the scenario's prior stays
    let tech = v.stdout.lines().find(|l| l.starts_with("tech_smes_2024 = ")).expect("printed");
    assert!(tech.contains("uniform") && tech.contains("· assumption: "), "{tech}");
    let r = parkcast(dir.path(), &["run", "--seeds", "seeds", "--trials", "500", "--no-write"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let assumed = r.stdout.lines().find(|l| l.starts_with("Assumed base (待核实)")).expect("flagged");
    assert!(!assumed.contains("base.revenue_2024_cny") && assumed.contains("base.tech_smes_2024"), "{assumed}");
    // a --set on the command line wins over the file
    let o = parkcast(dir.path(), &["validate", "--seeds", "seeds", "--set", "base.revenue_2024_cny=6e10"]);
    let line = o.stdout.lines().find(|l| l.starts_with("revenue_2024_cny = ")).expect("printed");
    assert!(line.contains("60_000_000_000") && line.contains("command-line"), "{line}");
}

/// Districts may be written by their Chinese names, as a Chinese IME types them.
#[test]
fn districts_may_be_named_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let zh = OFFICIAL_REVENUE.replace("[nanhu]", "[\"南湖区\"]").replace("[etdz]", "[\"经开区\"]");
    seeds_with(dir.path(), &zh);
    let v = parkcast(dir.path(), &["validate", "--seeds", "seeds"]);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    let line = v.stdout.lines().find(|l| l.starts_with("revenue_2024_cny = ")).expect("printed");
    assert!(line.contains("75_000_000_000"), "{line}");
}

#[test]
fn an_entered_but_unconfirmed_figure_is_used_and_stays_to_be_verified() {
    let dir = tempfile::tempdir().unwrap();
    let assumed = OFFICIAL_REVENUE.replace(
        r#"{ status = "official", value = 2.0e10, source = "经开区 2024 年报" }"#,
        r#"{ status = "assumed", value = 2.0e10 }"#,
    );
    seeds_with(dir.path(), &assumed);
    let r = parkcast(dir.path(), &["run", "--seeds", "seeds", "--trials", "500", "--no-write"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let flagged = r.stdout.lines().find(|l| l.starts_with("Assumed base (待核实)")).expect("flagged");
    assert!(flagged.contains("base.revenue_2024_cny"), "{flagged}");
}

#[test]
fn a_bad_base_file_is_refused_with_its_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    seeds_with(
        dir.path(),
        "[nanhu]\nrevenue_2024_cny = { status = \"official\", value = 2e10 }\nspecialized_2024 = { status = \"maybe\" }\n[\"秀州区\"]\n",
    );
    let r = parkcast(dir.path(), &["run", "--seeds", "seeds", "--trials", "500", "--no-write"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_no_panic(&r.stderr);
    for want in [
        "base.toml:2: nanhu.revenue_2024_cny.source: missing: an official figure needs its source",
        "base.toml:3: nanhu.specialized_2024.status: \"maybe\" is not allowed (allowed: assumed, official)",
        "unknown key `秀州区`",
    ] {
        assert!(r.stderr.contains(want), "{want}\n{}", r.stderr);
    }
}

/// The by-district table: every district's blocks, and the base split by the districts'
/// entered figures (here revenue: 20 / 35 / 20 of 75).
#[test]
fn results_are_broken_down_by_district_with_the_base_split_where_entered() {
    let dir = tempfile::tempdir().unwrap();
    let plain = parkcast(dir.path(), &["run", "--trials", "500", "--no-write"]);
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert!(plain.stdout.contains("the base is not split by district"), "{}", plain.stdout);
    seeds_with(dir.path(), OFFICIAL_REVENUE);
    let r = parkcast(dir.path(), &["run", "--seeds", "seeds", "--trials", "500", "--no-write"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let table: Vec<&str> = r.stdout.lines().skip_while(|l| !l.starts_with("By district")).take(6).collect();
    let blocks: usize = table[3..6]
        .iter()
        .map(|l| l.split_whitespace().nth(2).expect("a block count").parse::<usize>().expect("a number"))
        .sum();
    assert_eq!(blocks, 20, "{table:#?}");
    // the revenue column adds the district's share of the base; the others cannot be split
    let share = |l: &str| {
        let at = l.find("+ base ¥").unwrap_or_else(|| panic!("{l}"));
        l[at + 9..].split(' ').next().unwrap().parse::<f64>().unwrap()
    };
    let (nanhu, xiuzhou) = (share(table[3]), share(table[4]));
    assert!((xiuzhou / nanhu - 35.0 / 20.0).abs() < 0.02, "{table:#?}");
    assert!(!table[3].contains("tech") && table[3].matches("+ base").count() == 1, "{}", table[3]);
}

#[test]
fn a_folder_holding_only_the_bureaus_base_file_is_enough() {
    // the run's own advice: "Enter the bureau's figures in seeds/base.toml (run with --seeds DIR)"
    let dir = tempfile::tempdir().unwrap();
    let bureau = dir.path().join("bureau");
    std::fs::create_dir_all(&bureau).unwrap();
    std::fs::write(bureau.join("base.toml"), OFFICIAL_REVENUE).unwrap();
    let v = parkcast(dir.path(), &["validate", "--seeds", "bureau"]);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    assert!(v.stderr.contains("note: seeds from bureau; blocks.csv and targets.toml built in"), "{}", v.stderr);
    let line = v.stdout.lines().find(|l| l.starts_with("revenue_2024_cny = ")).expect("printed");
    assert!(line.contains("75_000_000_000"), "the bureau's figures are used: {line}");
    // the same as a full seeds folder with the shipped blocks and targets
    seeds_with(dir.path(), OFFICIAL_REVENUE);
    let full = parkcast(dir.path(), &["validate", "--seeds", "seeds"]);
    let hash = |out: &str| out.lines().find(|l| l.starts_with("# hash: ")).map(str::to_string);
    assert!(hash(&v.stdout).is_some());
    assert_eq!(hash(&full.stdout), hash(&v.stdout), "the same seeds, the same scenario hash");
    // an empty folder is a slip, not a request for the built-in seeds
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let e = parkcast(dir.path(), &["validate", "--seeds", "empty"]);
    assert_eq!(e.code, Some(2), "{}", e.stderr);
    assert!(e.stderr.contains("holds none of blocks.csv, targets.toml or base.toml"), "{}", e.stderr);
    assert_no_panic(&e.stderr);
}
