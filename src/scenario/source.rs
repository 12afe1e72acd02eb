//! Where scenario text comes from: files on disk, the scenarios compiled into parkcast, the
//! `extends` chain, and `--set` overrides. The result is one merged TOML tree.

use crate::input_file::{self, InputError, InputKind};
use crate::toml_tree::{self, Node, Origin, Problems, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The scenario library compiled into parkcast (name, text).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("baseline.toml", include_str!("../../scenarios/baseline.toml")),
    ("draft_definition.toml", include_str!("../../scenarios/draft_definition.toml")),
    ("parks_only.toml", include_str!("../../scenarios/parks_only.toml")),
    ("slow_approvals.toml", include_str!("../../scenarios/slow_approvals.toml")),
    ("policy_package.toml", include_str!("../../scenarios/policy_package.toml")),
    ("no_replacement.toml", include_str!("../../scenarios/no_replacement.toml")),
    ("replacement.toml", include_str!("../../scenarios/replacement.toml")),
    ("downturn.toml", include_str!("../../scenarios/downturn.toml")),
    ("nanhu.toml", include_str!("../../scenarios/nanhu.toml")),
    ("undetermined_2025.toml", include_str!("../../scenarios/undetermined_2025.toml")),
];

/// Text of an embedded scenario by file name (`baseline.toml`) or name (`baseline`).
pub fn embedded(name: &str) -> Option<(&'static str, &'static str)> {
    let file = if name.ends_with(".toml") { name.to_string() } else { format!("{name}.toml") };
    EMBEDDED.iter().find(|(n, _)| *n == file).copied()
}

/// Where a scenario is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioSource {
    /// A file on disk.
    File(PathBuf),
    /// A scenario compiled into parkcast, by file name (`baseline.toml`).
    Embedded(&'static str),
}

impl ScenarioSource {
    /// The default scenario: `scenarios/baseline.toml` if present in the working directory,
    /// else the embedded baseline.
    pub fn default_baseline() -> ScenarioSource {
        let on_disk = Path::new("scenarios/baseline.toml");
        if on_disk.is_file() {
            ScenarioSource::File(on_disk.to_path_buf())
        } else {
            ScenarioSource::Embedded("baseline.toml")
        }
    }

    /// Resolves what a user typed: an existing file, else the name of an embedded scenario;
    /// a name that is neither is kept as a file so that reading it reports it missing.
    pub fn from_arg(arg: &str) -> ScenarioSource {
        let path = Path::new(arg);
        if path.exists() {
            return ScenarioSource::File(path.to_path_buf());
        }
        let is_bare_name = path.components().count() == 1;
        match embedded(arg) {
            Some((name, _)) if is_bare_name => ScenarioSource::Embedded(name),
            _ => ScenarioSource::File(path.to_path_buf()),
        }
    }

    /// How the source is named in messages.
    pub fn display_name(&self) -> String {
        match self {
            ScenarioSource::File(p) => p.display().to_string(),
            ScenarioSource::Embedded(name) => format!("<embedded>/scenarios/{name}"),
        }
    }
}

/// The merged tree of a scenario and its `extends` chain, child file first in `files`.
pub struct RawScenario {
    pub root: Node,
    pub files: Vec<String>,
    /// Overrides that could not be applied (reported with the validation problems).
    pub override_problems: Problems,
}

const MAX_EXTENDS_DEPTH: usize = 16;

/// Reads a scenario, follows `extends`, merges parents under children, then applies `--set`
/// overrides. `is_leaf` names tables that are replaced whole when merging. Fails only when the
/// text cannot be read or parsed; overrides that cannot be applied are returned in the result.
pub fn load(
    source: &ScenarioSource,
    overrides: &[String],
    is_leaf: &dyn Fn(&[String]) -> bool,
) -> Result<RawScenario, Problems> {
    if let Some(problems) = spaced_override(source, overrides) {
        return Err(problems);
    }
    let mut files = Vec::new();
    let mut root = load_chain(source, &mut Vec::new(), &mut files, None, is_leaf)?;
    if let Some(t) = root.as_table_mut() {
        t.remove("extends");
    }
    let mut override_problems = Problems::default();
    for arg in overrides {
        apply_override(&mut root, arg, is_leaf, &mut override_problems);
    }
    Ok(RawScenario { root, files, override_problems })
}

/// `--set KEY VALUE` (a space for `=`): the shell gives VALUE to parkcast as the scenario
/// file. When that file does not exist and an override has no `=`, say so instead of "no such
/// file".
fn spaced_override(source: &ScenarioSource, overrides: &[String]) -> Option<Problems> {
    let ScenarioSource::File(path) = source else { return None };
    let key = overrides.iter().find(|o| !o.contains('=') && !o.contains('＝'))?;
    if path.exists() {
        return None;
    }
    let value = path.display().to_string();
    let mut problems = Problems::default();
    problems.push(
        &Origin::Override { arg: Arc::from(key.as_str()) },
        "",
        format!(
            "no `=` between key and value; write --set {key}={value} (one word, no space): the shell passed `{value}` as the scenario file"
        ),
    );
    Some(problems)
}

fn read(source: &ScenarioSource, from: Option<&Origin>) -> Result<(String, String), Problems> {
    let name = source.display_name();
    match source {
        ScenarioSource::Embedded(file) => {
            let (_, text) = embedded(file).expect("embedded names are checked when built");
            Ok((name, text.to_string()))
        }
        ScenarioSource::File(path) => {
            let missing = |message: String| {
                let origin = from.cloned().unwrap_or(Origin::Builtin);
                let path_text = if from.is_some() { "extends" } else { "" };
                let mut problems = Problems::default();
                problems.push(&origin, path_text, message);
                problems
            };
            let bytes = input_file::read(path, InputKind::Scenario).map_err(|e| {
                let reason = match e.io_kind() {
                    Some(k @ std::io::ErrorKind::NotFound) => {
                        format!("no such file{}", input_file::backslash_hint(e.file(), k))
                    }
                    _ => e.to_string(),
                };
                // `validate my_scenario` for my_scenario.xlsx beside it
                let sibling = ["xlsx", "toml"]
                    .iter()
                    .map(|ext| path.with_extension(ext))
                    .find(|p| path.extension().is_none() && p.is_file());
                let hint = match e {
                    InputError::Io { .. } if sibling.is_some() => {
                        format!("; did you mean {}?", sibling.as_ref().expect("checked").display())
                    }
                    InputError::Io { .. } => {
                        let embedded_names: Vec<&str> =
                            EMBEDDED.iter().map(|(n, _)| n.trim_end_matches(".toml")).collect();
                        format!(
                            " (give a path to a .toml file, or the name of a built-in scenario: {})",
                            embedded_names.join(", ")
                        )
                    }
                    _ => String::new(),
                };
                missing(format!("cannot read scenario file {name}: {reason}{hint}"))
            })?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count();
                let mut p = Problems::default();
                p.push(&Origin::file(&name, line as u32), "", "not valid UTF-8 (save the file as UTF-8)");
                p
            })?;
            Ok((name, text))
        }
    }
}

fn identity(source: &ScenarioSource) -> String {
    match source {
        ScenarioSource::File(p) => std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()).display().to_string(),
        ScenarioSource::Embedded(n) => format!("<embedded>/{n}"),
    }
}

fn load_chain(
    source: &ScenarioSource,
    stack: &mut Vec<(String, String)>,
    files: &mut Vec<String>,
    from: Option<&Origin>,
    is_leaf: &dyn Fn(&[String]) -> bool,
) -> Result<Node, Problems> {
    let id = identity(source);
    if let Some(pos) = stack.iter().position(|(i, _)| *i == id) {
        let mut chain: Vec<&str> = stack[pos..].iter().map(|(_, shown)| shown.as_str()).collect();
        chain.push(stack[pos].1.as_str());
        let mut p = Problems::default();
        p.push(from.unwrap_or(&Origin::Builtin), "extends", format!("`extends` makes a cycle: {}", chain.join(" → ")));
        return Err(p);
    }
    if stack.len() >= MAX_EXTENDS_DEPTH {
        let mut p = Problems::default();
        p.push(
            from.unwrap_or(&Origin::Builtin),
            "extends",
            format!("`extends` chain is longer than {MAX_EXTENDS_DEPTH} files"),
        );
        return Err(p);
    }
    let (name, node) = match source {
        // a workbook is another way to write the same tree (src/excel/)
        ScenarioSource::File(path) if crate::excel::is_workbook(path) => {
            (source.display_name(), crate::excel::scenario_tree(path)?)
        }
        _ => {
            let (name, text) = read(source, from)?;
            let node = toml_tree::parse(&name, &text).map_err(|p| Problems(vec![p]))?;
            (name, node)
        }
    };
    files.push(name.clone());
    stack.push((id, name));
    let parent = match node.as_table().and_then(|t| t.get("extends")) {
        None => None,
        Some(ext) => match &ext.value {
            Value::String(target) => Some((parent_source(source, target), ext.origin.clone())),
            other => {
                let mut p = Problems::default();
                p.push(&ext.origin, "extends", format!("expected a file name string, found {}", other.brief()));
                return Err(p);
            }
        },
    };
    let merged = match parent {
        None => node,
        Some((parent_source, origin)) => {
            let mut base = load_chain(&parent_source, stack, files, Some(&origin), is_leaf)?;
            base.merge(node, &mut Vec::new(), is_leaf);
            base
        }
    };
    stack.pop();
    Ok(merged)
}

/// `extends = "x.toml"` is relative to the extending file; a file that is not on disk but is a
/// built-in scenario name (e.g. `baseline.toml`) uses the built-in one.
fn parent_source(child: &ScenarioSource, target: &str) -> ScenarioSource {
    match child {
        ScenarioSource::File(path) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let candidate = dir.join(target);
            if !candidate.exists() {
                if let Some((name, _)) = embedded(target).filter(|_| Path::new(target).components().count() == 1) {
                    return ScenarioSource::Embedded(name);
                }
            }
            ScenarioSource::File(candidate)
        }
        ScenarioSource::Embedded(_) => match embedded(target) {
            Some((name, _)) => ScenarioSource::Embedded(name),
            None => ScenarioSource::File(PathBuf::from(target)),
        },
    }
}

/// Applies one `--set key.path=value`. The value is read as TOML (a number, a boolean, a quoted
/// string, an inline table or array); anything that is not valid TOML is taken as a plain string.
fn apply_override(root: &mut Node, arg: &str, is_leaf: &dyn Fn(&[String]) -> bool, problems: &mut Problems) {
    let origin = Origin::Override { arg: Arc::from(arg) };
    let Some((path, value_text)) = arg.split_once('=').or_else(|| arg.split_once('＝')) else {
        problems.push(&origin, "", "expected KEY.PATH=VALUE, e.g. --set settings.trials=20000");
        return;
    };
    let path: Vec<String> = path.trim().split('.').map(|s| s.trim().to_string()).collect();
    if path.iter().any(|k| k.is_empty()) {
        problems.push(&origin, "", "the key path has an empty part (write keys separated by single dots)");
        return;
    }
    let value_text = value_text.trim();
    if let Some(fraction) = crate::text::percent_as_fraction(value_text) {
        problems.push(
            &origin,
            path.join("."),
            format!("`{value_text}` is a percent: parkcast writes shares as fractions, so write {fraction}"),
        );
        return;
    }
    // full-width digits, minus and point from a Chinese input method, when they make a number
    let ascii = crate::text::ascii_form(value_text);
    let value_text = if ascii != value_text && ascii.parse::<f64>().is_ok() { ascii.as_str() } else { value_text };
    let value = match toml_tree::parse("--set", &format!("v = {value_text}")) {
        Ok(node) => node.as_table().and_then(|t| t.get("v")).map(|n| n.value.clone()).expect("parsed v"),
        Err(_) => Value::String(value_text.to_string()),
    };
    let node = Node { value: restamp(value, &origin), origin: origin.clone() };
    if let Err(message) = root.set_path(&path, node, is_leaf) {
        problems.push(&origin, path.join("."), message);
    }
}

/// Gives every nested value the override's origin.
fn restamp(value: Value, origin: &Origin) -> Value {
    match value {
        Value::Table(mut t) => {
            for n in t.values_mut() {
                n.origin = origin.clone();
                n.value = restamp(std::mem::replace(&mut n.value, Value::Boolean(false)), origin);
            }
            Value::Table(t)
        }
        Value::Array(items) => Value::Array(
            items.into_iter().map(|n| Node { value: restamp(n.value, origin), origin: origin.clone() }).collect(),
        ),
        other => other,
    }
}
