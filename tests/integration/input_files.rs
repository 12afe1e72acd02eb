//! Input files that are not files: every input (scenario and `extends`, `--observed`,
//! `--seeds DIR/blocks.csv`, `report DIR/report_data.json`) that is a device, a symlink to one,
//! a FIFO, a directory or larger than its cap is refused at once with exit code 2 and a message
//! naming the file, what it is and the limit — no hang, no memory growth. And no user text
//! reaches the terminal with its control characters: ANSI escapes and bidi overrides in an
//! observation source, a block name, a scenario description or a `--set` value show escaped.
//! The messages are pinned in tests/integration/snapshots/integration__input_files__*.snap.

use crate::common;
use crate::common::{assert_no_panic, finish_within, transcript};
use parkcast::input_file::{CSV_LIMIT, JSON_LIMIT, TOML_LIMIT};
use std::path::Path;
use std::time::Duration;

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.display().to_string()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

/// A file of `len` bytes that takes no space (a sparse file: its size set, nothing written).
fn sparse(path: &Path, len: u64) {
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

/// A seeds directory holding the embedded targets and `blocks` as blocks.csv (made by `make`).
fn seeds_dir(root: &Path, name: &str, make: impl FnOnce(&Path)) {
    let d = root.join(name);
    std::fs::create_dir(&d).unwrap();
    make(&d.join("blocks.csv"));
    std::fs::write(d.join("targets.toml"), parkcast::seeds::EMBEDDED_TARGETS_TOML).unwrap();
}

#[test]
fn devices_symlinks_fifos_directories_and_oversized_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let link = |target: &str, name: &str| std::os::unix::fs::symlink(target, root.join(name)).unwrap();
    std::fs::write(root.join("extends_zero.toml"), "extends = \"/dev/zero\"\n").unwrap();
    std::fs::write(root.join("extends_fifo.toml"), "extends = \"fifo.toml\"\n").unwrap();
    link("/dev/urandom", "random.toml");
    link("/dev/urandom", "random.csv");
    mkfifo(&root.join("fifo.toml"));
    mkfifo(&root.join("fifo.csv"));
    std::fs::create_dir(root.join("a_directory.toml")).unwrap();
    sparse(&root.join("huge.toml"), TOML_LIMIT + 1);
    sparse(&root.join("huge_observed.toml"), TOML_LIMIT + 1);
    sparse(&root.join("huge.csv"), CSV_LIMIT + 1);
    seeds_dir(root, "zero_seeds", |p| std::os::unix::fs::symlink("/dev/zero", p).unwrap());
    seeds_dir(root, "fifo_seeds", mkfifo);
    seeds_dir(root, "huge_seeds", |p| sparse(p, CSV_LIMIT + 1));
    for (name, make) in [
        ("random_report", &(|p: &Path| std::os::unix::fs::symlink("/dev/urandom", p).unwrap()) as &dyn Fn(&Path)),
        ("fifo_report", &mkfifo),
        ("huge_report", &|p: &Path| sparse(p, JSON_LIMIT + 1)),
    ] {
        std::fs::create_dir(root.join(name)).unwrap();
        make(&root.join(name).join("report_data.json"));
    }
    insta::assert_snapshot!(transcript(
        root,
        &[
            (&["validate", "extends_zero.toml"], 2),
            (&["validate", "/dev/zero"], 2),
            (&["run", "random.toml", "--trials", "100"], 2),
            (&["validate", "fifo.toml"], 2),
            (&["validate", "extends_fifo.toml"], 2),
            (&["validate", "a_directory.toml"], 2),
            (&["validate", "huge.toml"], 2),
            (&["monitor", "--observed", "/dev/zero", "--no-write"], 2),
            (&["monitor", "--observed", "random.csv", "--no-write"], 2),
            (&["monitor", "--observed", "fifo.csv", "--no-write"], 2),
            (&["monitor", "--observed", "huge.csv", "--no-write"], 2),
            (&["monitor", "--observed", "huge_observed.toml", "--no-write"], 2),
            (&["--seeds", "zero_seeds", "blocks"], 2),
            (&["--seeds", "fifo_seeds", "blocks"], 2),
            (&["--seeds", "huge_seeds", "run", "--trials", "100"], 2),
            (&["report", "random_report"], 2),
            (&["report", "fifo_report"], 2),
            (&["report", "huge_report"], 2),
        ],
    ));
}

/// Whether `c` would act on a terminal: C0 controls but line feed, DEL, C1, bidi controls.
fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn control_characters_in_user_text_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // TOML basic strings may carry any character as an escape
    std::fs::write(
        root.join("spoof.toml"),
        "extends = \"baseline.toml\"\n[scenario]\nname = \"spoof\"\ndescription = \"\\u001b[2J\\u001b[Hall targets met \\u202Eevil\\u2066\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("observed.toml"),
        "as_of = \"2026-06\"\nsource = \"\\u001b[2J\\u001b[32mP(met) 100 %\\u009b\\u202E\\u0007\"\n",
    )
    .unwrap();
    seeds_dir(root, "spoof_seeds", |p| {
        // block 1's names with a raw ESC sequence, a bell and a bidi override
        let mut reader = csv::Reader::from_reader(parkcast::seeds::EMBEDDED_BLOCKS_CSV.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let mut writer = csv::Writer::from_path(p).unwrap();
        writer.write_record(&headers).unwrap();
        for (i, record) in reader.records().enumerate() {
            let record = record.unwrap();
            let cells = headers.iter().zip(record.iter()).map(|(h, cell)| match (i, h) {
                (0, "name_zh" | "name_en") => format!("\u{1b}[31mFAKE\u{7}\u{202e}{cell}"),
                _ => cell.to_string(),
            });
            writer.write_record(cells).unwrap();
        }
        writer.flush().unwrap();
    });
    // each command, and the escaped text it must show (None: the text is not printed)
    let cases: &[(&[&str], i32, Option<&str>)] = &[
        (&["validate", "spoof.toml"], 0, Some("\\u{1b}[2J\\u{1b}[Hall targets met \\u{202e}evil\\u{2066}")),
        (&["run", "spoof.toml", "--trials", "200", "--no-write"], 0, None),
        (&["monitor", "--observed", "observed.toml", "--trials", "200", "--no-write"], 0, Some("\\u{1b}[32mP(met)")),
        (&["--seeds", "spoof_seeds", "blocks"], 0, Some("\\u{1b}[31mFAKE\\u{7}\\u{202e}")),
        (&["--seeds", "spoof_seeds", "run", "--trials", "200", "--no-write"], 0, Some("\\u{1b}[31mFAKE")),
        (&["validate", "--set", "scenario.description=\"\\u001b]0;owned\\u0007\\u202E\""], 0, Some("\\u{1b}]0;owned")),
        (&["validate", "--set", "settings.target_set=\"\\u001b[2Jcity\""], 2, Some("\\u{1b}[2Jcity")),
        (&["validate", "--set", "settings.trials=\u{1b}[2J"], 2, Some("\\u{1b}[2J")),
        (&["validate", "no/such/\u{1b}[2J.toml"], 2, Some("no/such/\\u{1b}[2J.toml")),
        (&["run", "--lang", "\u{1b}[2J"], 2, Some("invalid value")), // clap drops the escape sequence
    ];
    for (args, code, shown) in cases {
        let r = finish_within(common::command(root, args), Duration::from_secs(120));
        assert_eq!(r.code, Some(*code), "parkcast {args:?}:\n{}", r.stderr);
        assert_no_panic(&r.stderr);
        for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            let raw: Vec<String> =
                text.chars().filter(|c| acts_on_terminal(*c)).map(|c| format!("U+{:04X}", c as u32)).collect();
            assert!(raw.is_empty(), "parkcast {args:?}: raw {raw:?} on {stream}:\n{text}");
        }
        // the text is shown, escaped, not dropped
        let all = format!("{}{}", r.stdout, r.stderr);
        if let Some(shown) = shown {
            assert!(all.contains(shown), "parkcast {args:?}: {shown} is not shown:\n{all}");
        }
    }
}
