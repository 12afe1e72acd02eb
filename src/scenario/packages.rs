//! Lever packages: named sets of lever values that officials choose between
//! (`[packages.<id>]`), each with its labels, a note on what it costs and the departments
//! responsible (责任单位; the levers' own when the package names none). A package changes only
//! lever values; `parkcast packages` evaluates each against the scenario as it stands.

use super::levers::{lever_def, LeverDef, LeverValue, LEVERS};
use crate::toml_tree::{nearest, string, Fields, Node, Problems, Value};

/// The most packages one scenario may hold (each is one more evaluation of every trial).
pub const MAX_PACKAGES: usize = 12;

/// The name under which the scenario as it stands is shown beside its packages.
pub const STATUS_QUO: &str = "status_quo";

const KEYS: [&str; 7] = ["label_zh", "label_en", "levers", "cost_note", "cost_note_zh", "departments", "责任单位"];

/// What a package sets one lever to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PackageValue {
    /// A number lever's value.
    Number(f64),
    /// The 有进有出 rule on or off (its checkpoint and lag stay the scenario's).
    Enabled(bool),
}

/// One lever of a package.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PackageLever {
    pub def: &'static LeverDef,
    pub value: PackageValue,
}

impl PackageLever {
    /// The `--set` override that applies this lever to a scenario.
    pub fn override_text(&self) -> String {
        match self.value {
            PackageValue::Number(v) => format!("levers.{}.value={v}", self.def.name),
            PackageValue::Enabled(e) => format!("levers.{}.enabled={e}", self.def.name),
        }
    }

    /// The value as written (`6`, `1.5`, `true`).
    pub fn value_text(&self) -> String {
        match self.value {
            PackageValue::Number(v) => v.to_string(),
            PackageValue::Enabled(e) => e.to_string(),
        }
    }
}

/// A package of levers.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    /// In the order of [`LEVERS`].
    pub levers: Vec<PackageLever>,
    pub cost_note: String,
    /// The cost note in Chinese, for Chinese pages (`cost_note` when not given).
    pub cost_note_zh: Option<String>,
    /// 责任单位: the package's own list, else every department its levers name (lead first,
    /// without repeats).
    pub departments: Vec<String>,
    /// Whether the package named its departments (otherwise they come from the levers).
    pub departments_given: bool,
}

impl Package {
    /// The overrides that turn the scenario into this package's variant.
    pub fn overrides(&self) -> Vec<String> {
        self.levers.iter().map(PackageLever::override_text).collect()
    }

    /// The levers as `name=value, …`.
    pub fn levers_text(&self) -> String {
        self.levers.iter().map(|l| format!("{}={}", l.def.name, l.value_text())).collect::<Vec<_>>().join(", ")
    }
}

/// Reads `[packages]`; `None` when a problem was found (and reported).
pub fn read_packages(node: Option<&Node>, problems: &mut Problems) -> Option<Vec<Package>> {
    let Some(node) = node else { return Some(Vec::new()) };
    let before = problems.len();
    let f = Fields::of(node, "packages", problems)?;
    if f.table.len() > MAX_PACKAGES {
        problems.push(
            f.origin,
            "packages",
            format!("{} packages, more than the {MAX_PACKAGES} a scenario may hold", f.table.len()),
        );
    }
    let mut out = Vec::new();
    for (id, pnode) in f.table.iter() {
        if id == STATUS_QUO {
            problems.push(
                &pnode.origin,
                f.child(id),
                format!("`{STATUS_QUO}` is the name of the scenario without a package; name the package otherwise"),
            );
            continue;
        }
        if let Some(p) = read_package(id, pnode, &f.child(id), problems) {
            out.push(p);
        }
    }
    (problems.len() == before).then_some(out)
}

fn read_package(id: &str, node: &Node, path: &str, problems: &mut Problems) -> Option<Package> {
    let before = problems.len();
    let f = Fields::of(node, path, problems)?;
    f.allow_only(&KEYS, problems);
    let label_zh = f.string("label_zh", problems);
    let label_en = f.string("label_en", problems);
    let cost_note = f.string("cost_note", problems);
    let cost_note_zh = f.opt_string("cost_note_zh", problems);
    for (key, text) in
        [("label_zh", label_zh), ("label_en", label_en), ("cost_note", cost_note), ("cost_note_zh", cost_note_zh)]
    {
        if text.is_some_and(|t| t.trim().is_empty()) {
            problems.push(&f.node(key).expect("read").origin, f.child(key), "is empty; write it out");
        }
    }
    let levers = f.require("levers", problems).and_then(|n| read_levers(n, &f.child("levers"), problems));
    let given = match (f.node("departments"), f.node("责任单位")) {
        (Some(_), Some(n)) => {
            problems.push(
                &n.origin,
                f.child("责任单位"),
                "give the departments once: `departments` or `责任单位`, not both",
            );
            None
        }
        (Some(n), None) => strings(n, &f.child("departments"), problems),
        (None, Some(n)) => strings(n, &f.child("责任单位"), problems),
        (None, None) => None,
    };
    if problems.len() != before {
        return None;
    }
    let levers = levers.expect("no problems");
    let departments_given = given.is_some();
    let departments = given.unwrap_or_else(|| lever_departments(&levers));
    Some(Package {
        id: id.to_string(),
        label_zh: label_zh.expect("no problems").to_string(),
        label_en: label_en.expect("no problems").to_string(),
        levers,
        cost_note: cost_note.expect("no problems").to_string(),
        cost_note_zh: cost_note_zh.map(str::to_string),
        departments,
        departments_given,
    })
}

fn read_levers(node: &Node, path: &str, problems: &mut Problems) -> Option<Vec<PackageLever>> {
    let before = problems.len();
    let f = Fields::of(node, path, problems)?;
    if f.table.is_empty() {
        problems.push(f.origin, path, "the package sets no lever; give at least one, e.g. parallel_approvals = 6");
        return None;
    }
    let names: Vec<&str> = LEVERS.iter().map(|l| l.name).collect();
    let mut out = Vec::new();
    for (name, vnode) in f.table.iter() {
        let Some(def) = lever_def(name) else {
            let hint =
                nearest(name, names.iter().copied()).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default();
            problems.push(&vnode.origin, f.child(name), format!("not a lever; {hint}(levers: {})", names.join(", ")));
            continue;
        };
        let value = match (def.value, &vnode.value) {
            (LeverValue::Replacement, Value::Boolean(b)) => PackageValue::Enabled(*b),
            (LeverValue::Replacement, other) => {
                problems.push(
                    &vnode.origin,
                    f.child(name),
                    format!("expected true or false (the 有进有出 rule on or off), found {}", other.brief()),
                );
                continue;
            }
            (LeverValue::Number { lo, hi, .. }, _) => {
                let Some(v) = crate::toml_tree::number(vnode, &f.child(name), problems) else { continue };
                if !(lo..=hi).contains(&v) {
                    problems.push(
                        &vnode.origin,
                        f.child(name),
                        format!("{v} is outside the lever's allowed range [{lo}, {hi}] {}", def.unit),
                    );
                    continue;
                }
                PackageValue::Number(v)
            }
        };
        out.push(PackageLever { def, value });
    }
    out.sort_by_key(|l| LEVERS.iter().position(|d| d.name == l.def.name));
    (problems.len() == before).then_some(out)
}

/// A non-empty list of non-empty strings.
fn strings(node: &Node, path: &str, problems: &mut Problems) -> Option<Vec<String>> {
    let Value::Array(items) = &node.value else {
        problems.push(
            &node.origin,
            path,
            format!("expected a list of departments, e.g. [\"市经信局\", \"市财政局\"], found {}", node.value.brief()),
        );
        return None;
    };
    if items.is_empty() {
        problems.push(
            &node.origin,
            path,
            "the list is empty; name the departments, or leave the key out to use the levers' own",
        );
        return None;
    }
    let before = problems.len();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(s) = string(item, &format!("{path}[{i}]"), problems) {
            if s.trim().is_empty() {
                problems.push(&item.origin, format!("{path}[{i}]"), "is empty");
            }
            out.push(s.to_string());
        }
    }
    (problems.len() == before).then_some(out)
}

/// Every department the levers name, in lever order, without repeats.
fn lever_departments(levers: &[PackageLever]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in levers.iter().flat_map(|l| l.def.departments.iter()) {
        if !out.iter().any(|o| o == d) {
            out.push(d.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toml_tree::parse;

    fn read(text: &str) -> Result<Vec<Package>, String> {
        let root = parse("t.toml", text).map_err(|e| e.to_string())?;
        let mut problems = Problems::default();
        let node = root.as_table().and_then(|t| t.get("packages"));
        read_packages(node, &mut problems).ok_or_else(|| problems.to_string())
    }

    #[test]
    fn a_package_reads_its_levers_in_lever_order_and_takes_the_levers_departments() {
        let p = read(
            "[packages.fast]\nlabel_zh = \"审批提速\"\nlabel_en = \"Faster approvals\"\ncost_note = \"assumption: staff time\"\n[packages.fast.levers]\njoint_acceptance = 2\nparallel_approvals = 6\nreplacement = true\n",
        )
        .unwrap();
        assert_eq!(p.len(), 1);
        let names: Vec<&str> = p[0].levers.iter().map(|l| l.def.name).collect();
        assert_eq!(names, ["parallel_approvals", "joint_acceptance", "replacement"]);
        assert_eq!(
            p[0].overrides(),
            ["levers.parallel_approvals.value=6", "levers.joint_acceptance.value=2", "levers.replacement.enabled=true"]
        );
        assert!(!p[0].departments_given);
        assert_eq!(p[0].departments[0], "市经信局");
        // APPROVAL_DEPTS is shared by both approval levers: listed once
        let n = p[0].departments.iter().filter(|d| *d == "市经信局").count();
        assert_eq!(n, 1);
    }

    #[test]
    fn bad_packages_are_refused_with_their_key_paths() {
        let e =
            read("[packages.a]\nlabel_zh = \"甲\"\nlabel_en = \"A\"\ncost_note = \"x\"\nlevers = {}\n").unwrap_err();
        assert!(e.contains("packages.a.levers: the package sets no lever"), "{e}");
        let e = read("[packages.a]\nlabel_zh = \"甲\"\nlabel_en = \"A\"\ncost_note = \"x\"\nlevers = { paralel_approvals = 3 }\n")
            .unwrap_err();
        assert!(
            e.contains("packages.a.levers.paralel_approvals: not a lever; did you mean `parallel_approvals`?"),
            "{e}"
        );
        let e = read(
            "[packages.a]\nlabel_zh = \"甲\"\nlabel_en = \"A\"\ncost_note = \"x\"\nlevers = { multi_storey = 3 }\n",
        )
        .unwrap_err();
        assert!(e.contains("packages.a.levers.multi_storey: 3 is outside the lever's allowed range [1, 1.6]"), "{e}");
        let e = read("[packages.a]\nlabel_zh = \"甲\"\nlevers = { multi_storey = 1.2 }\n").unwrap_err();
        assert!(e.contains("packages.a: missing key `label_en`") && e.contains("missing key `cost_note`"), "{e}");
    }

    #[test]
    fn departments_may_be_given_under_either_name_but_not_both() {
        let base =
            "[packages.a]\nlabel_zh = \"甲\"\nlabel_en = \"A\"\ncost_note = \"x\"\nlevers = { special_fund = 0.2 }\n";
        let p = read(&format!("{base}\"责任单位\" = [\"市财政局\"]\n")).unwrap();
        assert_eq!(p[0].departments, ["市财政局"]);
        assert!(p[0].departments_given);
        let e = read(&format!("{base}\"责任单位\" = [\"市财政局\"]\ndepartments = [\"市财政局\"]\n")).unwrap_err();
        assert!(e.contains("not both"), "{e}");
    }

    /// A package's 责任单位 are shown as written on the Chinese pages (report.html, the
    /// workbook's 政策包 sheet): those of the built-in scenarios, given or taken from the levers,
    /// have no Latin letters.
    #[test]
    fn the_built_in_scenarios_packages_name_their_departments_in_chinese() {
        let seeds = crate::seeds::Seeds::embedded();
        let mut seen = 0;
        for (file, _) in crate::scenario::EMBEDDED {
            let s = crate::scenario::load(&crate::scenario::ScenarioSource::Embedded(file), &[], &seeds).unwrap();
            for p in &s.packages {
                for d in &p.departments {
                    assert!(!d.chars().any(|c| c.is_ascii_alphabetic()), "{file} {}: 责任单位 {d:?}", p.id);
                    seen += 1;
                }
            }
        }
        assert!(seen > 0);
        // a package that names none takes its levers', which are Chinese too
        let p = read("[packages.p]\nlabel_zh = \"招商\"\nlabel_en = \"Promotion\"\ncost_note = \"assumption: x\"\n[packages.p.levers]\ninvestment_promotion = 1.5\nreplacement = true\n").unwrap();
        assert!(!p[0].departments_given);
        assert_eq!(p[0].departments, ["都市型工业发展工作小组", "市商务局", "市经信局", "各区人民政府"]);
    }
}
