//! `report_data.json` is untrusted input (output folders travel by e-mail and USB stick):
//! `parkcast report DIR` on an edited file exits 0 or 2 with a message naming the field by its
//! JSON path — never a panic (exit 101), never a hang — and no string of the file reaches
//! report.html or an SVG unescaped. The messages are pinned in
//! tests/integration/snapshots/integration__report_data__*.snap.

use crate::common;
use crate::common::assert_no_panic;
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A debug build draws a language's charts in a few seconds; a minute means a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Real report data: a small run with criticality (`r`) and a forecast from observed progress
/// (`m`), written once for every test of this file.
struct Fixture {
    _dir: tempfile::TempDir,
    run: Value,
    monitor: Value,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let observed = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/observed/2026-06.toml");
        for args in [
            &["run", "--trials", "500", "--criticality-trials", "200", "--lang", "zh", "--out", "r"][..],
            &["monitor", "--observed", observed.to_str().unwrap(), "--trials", "500", "--lang", "zh", "--out", "m"],
        ] {
            let r = common::parkcast(dir.path(), args);
            assert_eq!(r.code, Some(0), "parkcast {}:\n{}", args.join(" "), r.stderr);
        }
        let read = |name: &str| -> Value {
            serde_json::from_slice(&std::fs::read(dir.path().join(name).join("report_data.json")).unwrap()).unwrap()
        };
        let (run, monitor) = (read("r"), read("m"));
        assert!(!run["criticality"].is_null() && !monitor["monitoring"].is_null());
        Fixture { _dir: dir, run, monitor }
    })
}

/// What `parkcast report` left: exit code (`None`: killed after [`TIMEOUT`]) and stderr.
struct Outcome {
    code: Option<i32>,
    stderr: String,
    seconds: f64,
}

/// Runs `parkcast report DIR --lang LANG` on `data` written into `root/name/report_data.json`,
/// killing it after [`TIMEOUT`].
fn report(root: &Path, name: &str, data: &[u8], lang: &str) -> Outcome {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report_data.json"), data).unwrap();
    let err_file = root.join(format!("{name}.stderr"));
    let mut child = common::command(root, &["report", name, "--lang", lang])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome { code, stderr: std::fs::read_to_string(&err_file).unwrap(), seconds: start.elapsed().as_secs_f64() }
}

/// `v` with `change` applied, as the JSON text a user's editor would save.
fn edited(v: &Value, change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v = v.clone();
    change(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn edited_report_data_is_refused_naming_the_field_and_a_bom_is_accepted() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let bom = [&b"\xef\xbb\xbf"[..], &serde_json::to_vec(&f.run).unwrap()].concat();
    let cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("unknown_block", edited(&f.run, |v| v["summary"]["blocks"][3]["id"] = 99.into()), 2),
        ("empty_series", edited(&f.run, |v| v["summary"]["series"] = Value::Array(vec![])), 2),
        (
            "empty_histogram",
            edited(&f.run, |v| {
                v["summary"]["targets"][1]["histogram"]["edges"] = Value::Array(vec![]);
                v["summary"]["targets"][1]["histogram"]["counts"] = Value::Array(vec![]);
            }),
            2,
        ),
        ("p_met_7.5", edited(&f.run, |v| v["summary"]["targets"][2]["p_met"] = 7.5.into()), 2),
        ("p95_1.7e308", edited(&f.run, |v| v["summary"]["series"][40]["p95"] = 1.7e308.into()), 2),
        ("criticality_unknown_block", edited(&f.run, |v| v["criticality"]["blocks"][0]["id"] = 0.into()), 2),
        ("monitoring_as_of_after_horizon", edited(&f.monitor, |v| v["monitoring"]["as_of"] = "2031-01".into()), 2),
        ("utf16", [&b"\xff\xfe"[..], b"{"].concat(), 2),
        ("notepad_bom", bom, 0),
    ];
    let mut transcript = String::new();
    for (name, data, want) in cases {
        let r = report(dir.path(), name, &data, "en");
        assert_eq!(r.code, Some(want), "{name} ({:.1} s):\n{}", r.seconds, r.stderr);
        assert_no_panic(&r.stderr);
        let shown = r.stderr.replace(&dir.path().display().to_string(), "<dir>");
        transcript.push_str(&format!("$ parkcast report {name}\n[exit {want}]\n{}\n\n", shown.trim_end()));
    }
    insta::assert_snapshot!(transcript);
}

/// Strings that would run script if they reached the page or an SVG unescaped.
const PLANTS: [&str; 2] = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"];

/// Replaces every free text of `v` (not months, metric keys or status keys, which are checked
/// against their lists) with a planted string; returns how many.
fn plant(v: &mut Value, n: &mut usize) {
    const KEYS: [&str; 28] = [
        "revenue2024",
        "revenue_growth",
        "specialized2024",
        "tech_smes2024",
        "jobs_per_year",
        "other_parks",
        "parks_completion_listed",
        "parks_completion_annex",
        "parks_operation_listed",
        "parks_operation_annex",
        "revenue_all",
        "revenue_above_scale",
        "jobs_gross",
        "jobs_net",
        "parks",
        "specialized",
        "tech_smes",
        "revenue",
        "jobs",
        "started",
        "planned",
        "undetermined",
        "delivered",
        "on_schedule",
        "late",
        "not_started",
        "removed",
        "not_observed",
    ];
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            let month = b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit());
            if !(month || KEYS.contains(&s.as_str())) {
                *s = format!("{}{}", PLANTS[*n % 2], *n);
                *n += 1;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| plant(x, n)),
        Value::Object(map) => map.values_mut().for_each(|x| plant(x, n)),
        _ => {}
    }
}

/// Every file under `dir` whose name ends with `ext`.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p, ext));
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
    out
}

#[test]
fn no_string_of_report_data_reaches_the_html_or_the_svgs_unescaped() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in [("run", &f.run), ("monitor", &f.monitor)] {
        let mut planted = data.clone();
        let mut n = 0;
        plant(&mut planted, &mut n);
        assert!(n > 40, "{name}: only {n} texts planted");
        let r = report(dir.path(), name, &serde_json::to_vec(&planted).unwrap(), "both");
        assert_eq!(r.code, Some(0), "{name}:\n{}", r.stderr);
        let html = std::fs::read_to_string(dir.path().join(name).join("report.html")).unwrap();
        let svgs = files(&dir.path().join(name).join("charts"), ".svg");
        assert!(svgs.len() > 20, "{name}: {} SVG files", svgs.len());
        let mut escaped_in_svgs = 0;
        for (path, text) in std::iter::once((PathBuf::from("report.html"), html.clone()))
            .chain(svgs.iter().map(|p| (p.clone(), std::fs::read_to_string(p).unwrap())))
        {
            let lower = text.to_lowercase();
            for raw in ["<script", "<img", "onerror=alert(1)>"] {
                assert!(!lower.contains(raw), "{name}: {} holds {raw} unescaped", path.display());
            }
            // either planted text (which one a string gets depends on its place in the file)
            let planted = text.contains("&lt;script&gt;") || text.contains("&lt;img src=x");
            if path.extension().is_some_and(|e| e == "svg") && planted {
                escaped_in_svgs += 1;
            }
        }
        // the planted texts did reach the page and the charts (escaped)
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{name}");
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "{name}");
        assert!(escaped_in_svgs > 10, "{name}: planted text in only {escaped_in_svgs} SVGs");
    }
}

/// One way to break report data, at one node.
#[derive(Clone, Debug)]
enum Mutation {
    /// Replace a node by an extreme or nonsense number.
    Number(usize),
    /// Replace a node by a value of another type.
    WrongType(usize),
    /// Remove an array element.
    DeleteElement,
    /// Remove a key from its object.
    DeleteKey,
    /// Empty an array or a string (other nodes: replace by an empty array).
    Empty,
    /// Insert a copy of an array element beside it.
    Duplicate,
    /// Swap an array element with the next one.
    Swap,
    /// Replace a node by a long or hostile string.
    Text(usize),
}

const NUMBERS: [f64; 16] =
    [1.7e308, -1.7e308, 1e16, -1e16, 1e15, -1e15, 7.5, -1.0, -0.5, 0.0, 1.0, 1e-300, 1.5, 4294967296.0, 1e9, 2024.0];
const OTHER_TYPES: [&str; 7] = ["\"x\"", "true", "null", "{}", "[]", "[1, 2]", "18446744073709551615"];
const TEXTS: [&str; 5] = ["", "<script>alert(1)</script>", "\u{1b}[2J", "2024-13", "x"];

/// Mostly mutations that keep the file's types, so that most cases pass the parser and reach the
/// checks and the charts.
fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (0..NUMBERS.len()).prop_map(Mutation::Number),
        1 => (0..OTHER_TYPES.len()).prop_map(Mutation::WrongType),
        2 => Just(Mutation::DeleteElement),
        1 => Just(Mutation::DeleteKey),
        2 => Just(Mutation::Empty),
        1 => Just(Mutation::Duplicate),
        1 => Just(Mutation::Swap),
        2 => (0..TEXTS.len() + 1).prop_map(Mutation::Text),
    ]
}

impl Mutation {
    /// Whether the mutation applies to `node` (`in_array`: an array element).
    fn fits(&self, node: &Value, in_array: bool) -> bool {
        match self {
            Mutation::Number(_) => node.is_number(),
            Mutation::WrongType(_) | Mutation::DeleteKey => true,
            Mutation::DeleteElement | Mutation::Duplicate | Mutation::Swap => in_array,
            Mutation::Empty => node.is_array() || node.is_string(),
            Mutation::Text(_) => node.is_string(),
        }
    }
}

/// A step from a node to a child.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The paths of the nodes `m` fits, grouped by their shape (indices left out), so that each kind
/// of field is as likely to be picked as any other however many instances of it the file holds.
fn shapes(v: &Value, m: &Mutation) -> Vec<Vec<Vec<Step>>> {
    fn walk(
        v: &Value,
        m: &Mutation,
        path: &mut Vec<Step>,
        out: &mut std::collections::BTreeMap<String, Vec<Vec<Step>>>,
    ) {
        let shape: String = path
            .iter()
            .map(|s| match s {
                Step::Key(k) => format!(".{k}"),
                Step::Index(_) => "[]".into(),
            })
            .collect();
        if m.fits(v, matches!(path.last(), Some(Step::Index(_)))) {
            out.entry(shape).or_default().push(path.clone());
        }
        let children: Vec<(Step, &Value)> = match v {
            Value::Array(items) => items.iter().enumerate().map(|(i, x)| (Step::Index(i), x)).collect(),
            Value::Object(map) => map.iter().map(|(k, x)| (Step::Key(k.clone()), x)).collect(),
            _ => vec![],
        };
        for (step, child) in children {
            path.push(step);
            walk(child, m, path, out);
            path.pop();
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(v, m, &mut Vec::new(), &mut out);
    out.into_values().collect()
}

fn node<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Applies `m` at the node `pick` selects (shape, then instance).
fn apply(v: &mut Value, m: &Mutation, pick: (usize, usize)) {
    let shapes = shapes(v, m);
    if shapes.is_empty() {
        return;
    }
    let group = &shapes[pick.0 % shapes.len()];
    let path = &group[pick.1 % group.len()];
    let Some((last, parent_path)) = path.split_last() else {
        *v = Value::Array(vec![]);
        return;
    };
    match m {
        Mutation::Number(k) => *node(v, path) = NUMBERS[*k].into(),
        Mutation::WrongType(k) => *node(v, path) = serde_json::from_str(OTHER_TYPES[*k]).unwrap(),
        Mutation::Text(k) => {
            *node(v, path) = TEXTS.get(*k).map_or_else(|| "字".repeat(20_000), |s| s.to_string()).into()
        }
        Mutation::Empty => {
            let n = node(v, path);
            *n = if n.is_string() { "".into() } else { Value::Array(vec![]) };
        }
        Mutation::DeleteElement | Mutation::DeleteKey | Mutation::Duplicate | Mutation::Swap => {
            let parent = node(v, parent_path);
            match (parent, last, m) {
                (Value::Object(map), Step::Key(k), _) => {
                    map.remove(k);
                }
                (Value::Array(items), Step::Index(i), Mutation::DeleteElement | Mutation::DeleteKey) => {
                    items.remove(*i);
                }
                (Value::Array(items), Step::Index(i), Mutation::Duplicate) => items.insert(*i, items[*i].clone()),
                (Value::Array(items), Step::Index(i), _) => {
                    let j = (*i + 1) % items.len();
                    items.swap(*i, j);
                }
                _ => {}
            }
        }
    }
}

proptest! {
    // each case draws one language's charts (2–5 s in a debug build); shrinking a failure
    // redraws them for every step, so it stops early
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 24, ..ProptestConfig::default() })]

    #[test]
    fn mutated_report_data_exits_0_or_2_and_never_panics_or_hangs(
        monitoring in any::<bool>(),
        english in any::<bool>(),
        mutations in prop::collection::vec((mutation(), any::<usize>(), any::<usize>()), 1..4),
    ) {
        let f = fixture();
        let mut v = if monitoring { f.monitor.clone() } else { f.run.clone() };
        for (m, shape, instance) in &mutations {
            apply(&mut v, m, (*shape, *instance));
        }
        let dir = tempfile::tempdir().unwrap();
        let r = report(dir.path(), "out", &serde_json::to_vec(&v).unwrap(), if english { "en" } else { "zh" });
        // shown with --nocapture: how the cases ended
        eprintln!("exit {:?} in {:.1} s: {}", r.code, r.seconds, r.stderr.lines().next().unwrap_or(""));
        prop_assert!(r.code.is_some(), "killed after {:?}: a hang", TIMEOUT);
        prop_assert!(matches!(r.code, Some(0 | 2)), "exit {:?}:\n{}", r.code, r.stderr);
        for sign in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
            prop_assert!(!r.stderr.contains(sign), "{} in stderr:\n{}", sign, r.stderr);
        }
        if r.code == Some(0) {
            let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
            prop_assert!(!without_own_scripts(&html).contains("<script"), "script in report.html");
        } else {
            prop_assert!(r.stderr.contains("report_data.json"), "the error names no file:\n{}", r.stderr);
        }
    }
}

/// `html` without the page's own scripts: the sliders' inline script and their JSON data, whose
/// `</` is escaped so that nothing inside can close the element early.
fn without_own_scripts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let own =
            tail.starts_with("<script>") || tail.starts_with("<script type=\"application/json\" class=\"sl-data\">");
        match (own, tail.find("</script>")) {
            (true, Some(j)) => rest = &tail[j + "</script>".len()..],
            _ => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
