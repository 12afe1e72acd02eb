//! Validation: the merged raw tree → [`Scenario`], collecting every problem.

use super::correlation::{read_correlation, Correlation};
use super::levers::{lever_def, LeverSetting, LeverValue, Levers, Replacement, LEVERS};
use super::param::{read_param, Level, Param};
use super::registry::{block_keys, block_sections, city_keys, find, Scope, PARAMS, RENAMED};
use super::source::RawScenario;
use super::uncertainty::{read_kind, Uncertainty};
use super::{group_value, group_values, Reserve, Scenario, Settings, GROUP_AXES, MAX_HORIZON, MAX_TRIALS};
use crate::engine::streams::Sampling;
use crate::month::Month;
use crate::seeds::kinds::StartStatusKind;
use crate::seeds::{kinds, BlockScope, Seeds};
use crate::toml_tree::{integer, nearest, unknown_key_message, Fields, Node, Origin, Problems, Value};
use sha2::{Digest, Sha256};

const TOP_KEYS: [&str; 11] =
    ["scenario", "settings", "params", "groups", "blocks", "base", "shocks", "levers", "reserve", "packages", "report"];
const SETTINGS_KEYS: [&str; 6] = ["target_set", "horizon", "seed", "trials", "counted_blocks", "sampling"];

/// Tables that a child scenario replaces whole rather than merging into its parent's: a
/// parameter (so a distribution never mixes fields from two files) and the correlation matrix.
pub fn is_leaf(path: &[String]) -> bool {
    let first = path.first().map(String::as_str);
    matches!(
        (first, path.len()),
        (Some("params"), 3)
            | (Some("groups"), 5)
            | (Some("blocks"), 4)
            | (Some("base"), 2)
            | (Some("shocks"), 2)
            | (Some("packages"), 2)
            | (Some("report"), 1)
    )
}

pub fn validate(raw: RawScenario, seeds: &Seeds) -> Result<Scenario, Problems> {
    let mut problems = raw.override_problems.clone();
    let mut warnings = Vec::new();
    let root = &raw.root;
    let Some(top) = Fields::of(root, "", &mut problems) else { return Err(problems) };
    if top.table.is_empty() {
        // one problem instead of one per missing parameter
        problems.push(
            &root.origin,
            "",
            "the scenario sets nothing: start it with extends = \"baseline.toml\" and change what you question, or give every section (docs/scenario-format.md)",
        );
        return Err(problems);
    }
    top.allow_only(&TOP_KEYS, &mut problems);

    let (name, description, labels) = read_header(&top, &raw.files, &mut problems);
    let settings = read_settings(&top, seeds, &mut problems);
    let target_set = settings.as_ref().and_then(|s| seeds.target_set(&s.target_set)).cloned();
    let counted_blocks = read_counted_blocks(&top, seeds, target_set.as_ref(), &mut problems);

    // Global values: block-scope defaults from [params], city-scope from [base] and [shocks].
    let mut global: Vec<Option<Param>> = vec![None; PARAMS.len()];
    let mut section_kinds: SectionKinds = Vec::new();
    read_param_sections(top.node("params"), "params", Level::Global, &mut global, &mut section_kinds, &mut problems);
    for section in ["base", "shocks"] {
        read_city_section(top.node(section), section, &mut global, &mut section_kinds, &mut problems);
    }
    let correlation = match top.node("shocks").and_then(|s| s.as_table()).and_then(|t| t.get("correlation")) {
        Some(node) => read_correlation(node, "shocks.correlation", &mut problems, &mut warnings),
        None => Some(Correlation::identity()),
    };
    for (i, def) in PARAMS.iter().enumerate() {
        let path = match def.scope {
            Scope::Block => format!("params.{}", def.path),
            Scope::City => def.path.to_string(),
        };
        // A parameter that is present but invalid has been reported already.
        if global[i].is_none() && !has_path(root, &path) {
            let missing = format!("missing: every parameter needs a default ({}; {})", def.unit, def.doc);
            // set for some blocks only (a workbook row whose scope was changed, say): point there
            match scoped_only(root, def.path) {
                Some((scope, node)) => problems.push(
                    &node.origin,
                    path,
                    format!("{missing}; it is set only for {scope}: set it under params too, for every block"),
                ),
                None => problems.push(&root.origin, path, missing),
            }
        }
    }

    // Per-block values: groups (in axis precedence), then blocks.<id>.
    let group_params = read_groups(top.node("groups"), &mut problems);
    let mut block_starts = Vec::new();
    let mut whatifs = (Vec::new(), Vec::new());
    let block_params = read_blocks(top.node("blocks"), seeds, &mut block_starts, &mut whatifs, &mut problems);
    let (deliveries, drops) = whatifs;
    if let Some(st) = &settings {
        super::block_starts::check_months(&block_starts, st.horizon, &mut problems);
        super::block_whatifs::check(&block_starts, &deliveries, &drops, st.horizon, &mut problems);
    }

    let levers = read_levers(top.node("levers"), &mut problems);
    let reserve = read_reserve(&top, &mut problems);
    let packages = super::packages::read_packages(top.node("packages"), &mut problems);
    let report = super::report::read_report(top.node("report"), levers.as_ref(), &mut problems);

    if !problems.is_empty() {
        return Err(problems);
    }
    let mut global: Vec<Param> = global.into_iter().map(|p| p.expect("checked above")).collect();
    apply_base_file(seeds, &mut global);
    let resolve = |block: &crate::seeds::Block| {
        let mut resolved = resolve_groups(&global, &group_params, block);
        for (id, idx, p) in &block_params {
            if *id == block.id {
                resolved[*idx] = p.clone();
            }
        }
        resolved
    };
    let params: Vec<Vec<Param>> = seeds.blocks.iter().map(resolve).collect();
    let reserve = reserve.expect("no problems");
    let reserve_params = resolve(&reserve.as_block());
    warn_group_conflicts(seeds, &group_params, &block_params, &mut warnings);
    warn_unused_block_settings(seeds, &block_params, &mut warnings);
    let direct = |id: u32| {
        block_starts.iter().any(|b| b.id == id)
            || deliveries.iter().any(|d| d.id == id)
            || drops.iter().any(|d| d.id == id)
    };
    super::block_whatifs::warn_stacked_delays(&seeds.blocks, &params, &direct, &mut warnings);

    let settings = settings.expect("no problems");
    let target_set = target_set.expect("no problems");
    let correlation = correlation.expect("no problems");
    let levers = levers.expect("no problems");
    let mut counted_blocks = counted_blocks.expect("no problems");
    counted_blocks.retain(|id| !drops.iter().any(|d| d.id == *id));
    let packages = packages.expect("no problems");
    let report = report.expect("no problems");
    let mut scenario = Scenario {
        name,
        description,
        label_zh: labels.0,
        label_en: labels.1,
        files: raw.files,
        settings,
        target_set,
        blocks: seeds.blocks.clone(),
        counted_blocks,
        params,
        reserve_params,
        global,
        group_params: group_params.clone(),
        section_kinds,
        correlation,
        levers,
        packages,
        report,
        reserve,
        seeds_origin: seeds.origin.clone(),
        base_file: seeds.base.clone(),
        warnings,
        block_starts: block_starts.iter().map(|b| (b.id, b.month)).collect(),
        block_deliveries: deliveries.iter().map(|d| (d.id, d.month)).collect(),
        dropped_blocks: drops.iter().map(|d| d.id).collect(),
        hash: String::new(),
    };
    scenario.hash = hash(&scenario, &seeds.fingerprint);
    Ok(scenario)
}

/// The scenario's name, description and its labels for readers (`label_zh`, `label_en`; empty
/// where the file itself does not give them).
type Header = (String, String, (String, String));

fn read_header(top: &Fields, files: &[String], problems: &mut Problems) -> Header {
    let fallback_name = files
        .first()
        .map(|f| std::path::Path::new(f).file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default())
        .unwrap_or_default();
    let none = || (String::new(), String::new());
    let Some(node) = top.node("scenario") else { return (fallback_name, String::new(), none()) };
    let Some(f) = Fields::of(node, "scenario", problems) else { return (fallback_name, String::new(), none()) };
    f.allow_only(&["name", "description", "label_zh", "label_en"], problems);
    // A name inherited through `extends` belongs to the parent: a child that does not name
    // itself takes its file's name, so its outputs never overwrite the parent's.
    let named_here = |n: &Node| match (&n.origin, files.first()) {
        (Origin::File { file, .. } | Origin::Cell { file, .. }, Some(first)) => **file == **first,
        (Origin::Override { .. }, _) => true,
        _ => false,
    };
    let name = match f.node("name") {
        Some(n) if named_here(n) => match f.opt_string("name", problems) {
            Some(name) => {
                check_name(name, &n.origin, problems);
                name.to_string()
            }
            None => fallback_name,
        },
        Some(n) => {
            let _ = crate::toml_tree::string(n, "scenario.name", problems);
            fallback_name
        }
        None => fallback_name,
    };
    let description = f.opt_string("description", problems).unwrap_or("").to_string();
    // like the name, a label inherited through `extends` describes the parent, not this file
    let label = |key: &str, problems: &mut Problems| match f.node(key) {
        Some(n) if named_here(n) => f.opt_string(key, problems).map(|text| {
            check_label(key, text, &n.origin, problems);
            text.to_string()
        }),
        _ => None,
    };
    let labels = (label("label_zh", problems).unwrap_or_default(), label("label_en", problems).unwrap_or_default());
    (name, description, labels)
}

/// A label is what a reader sees for the scenario on every title, legend and table: one short
/// line; the Chinese one in Chinese with full-width punctuation (GB/T 15834).
fn check_label(key: &str, text: &str, origin: &Origin, problems: &mut Problems) {
    let path = format!("scenario.{key}");
    let chars = text.chars().count();
    if text.trim().is_empty() {
        problems.push(origin, path, "an empty label; give the scenario a short name for readers (e.g. label_zh = \"基准情景\"), or leave the key out");
    } else if chars > super::MAX_LABEL_CHARS {
        problems.push(
            origin,
            path,
            format!(
                "a label of {chars} characters; at most {} (it is shown in every chart title)",
                super::MAX_LABEL_CHARS
            ),
        );
    } else if let Some(c) = text.chars().find(|c| c.is_control()) {
        problems.push(origin, path, format!("contains the control character U+{:04X}; a label may not", c as u32));
    } else if key == "label_zh" {
        if !text.chars().any(crate::zh::is_cjk) {
            problems.push(origin, path, format!("{text:?} has no Chinese characters; label_zh is the scenario's Chinese name (e.g. \"基准情景\"; the English one is label_en)"));
        } else if let Some(c) = text.chars().find(|c| "(),:;".contains(*c)) {
            let full = crate::zh::full_width(c).unwrap_or(c);
            problems.push(origin, path, format!("{text:?} uses the half-width {c:?}; Chinese labels take full-width punctuation (GB/T 15834): write {full:?}"));
        }
    }
}

/// A scenario's name is shown on screen and in reports and names its output directory
/// (`outputs/<name>`, made safe by [`super::dir_name`]): it must leave a usable directory name,
/// be of a readable length and hold no control characters.
fn check_name(name: &str, origin: &Origin, problems: &mut Problems) {
    let chars = name.chars().count();
    let control = name.chars().find(|c| c.is_control());
    if name.trim().is_empty() {
        problems.push(origin, "scenario.name", "an empty name; give the scenario a name with letters or digits (it names the output directory outputs/<name>)");
    } else if chars > super::MAX_NAME_CHARS {
        problems.push(
            origin,
            "scenario.name",
            format!(
                "a name of {chars} characters; at most {} (it names the output directory and appears in every chart)",
                super::MAX_NAME_CHARS
            ),
        );
    } else if let Some(c) = control {
        problems.push(origin, "scenario.name", format!("contains the control character U+{:04X}; a name may not (it is shown on screen and names the output directory)", c as u32));
    } else if let Err(e) = super::dir_name(name) {
        problems.push(origin, "scenario.name", e.to_string());
    }
}

fn read_settings(top: &Fields, seeds: &Seeds, problems: &mut Problems) -> Option<Settings> {
    let node = top.require("settings", problems)?;
    let f = Fields::of(node, "settings", problems)?;
    let before = problems.len();
    f.allow_only(&SETTINGS_KEYS, problems);
    let target_set = f.string("target_set", problems).and_then(|id| {
        if seeds.target_set(id).is_some() {
            Some(id.to_string())
        } else {
            let ids: Vec<&str> = seeds.target_sets.iter().map(|s| s.id.as_str()).collect();
            let hint = nearest(id, ids.iter().copied()).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default();
            problems.push(
                &f.node("target_set").expect("read").origin,
                f.child("target_set"),
                format!(
                    "unknown target set {id:?}{hint} (allowed: {}, defined in {}/targets.toml)",
                    ids.join(", "),
                    seeds.origin
                ),
            );
            None
        }
    });
    let horizon = f.string("horizon", problems).and_then(|text| {
        let origin = &f.node("horizon").expect("read").origin;
        match text.parse::<Month>() {
            Err(e) => {
                problems.push(origin, f.child("horizon"), e.to_string());
                None
            }
            Ok(h) => {
                let max = Month::new(MAX_HORIZON.0, MAX_HORIZON.1).expect("valid");
                let set = target_set.as_deref().and_then(|id| seeds.target_set(id));
                if h > max {
                    problems.push(origin, f.child("horizon"), format!("{h} is beyond the latest horizon {max}"));
                    None
                } else if let Some(set) = set.filter(|s| h <= s.policy_date) {
                    problems.push(origin, f.child("horizon"), format!("{h} is not after the policy date {} of target set {}", set.policy_date, set.id));
                    None
                } else if let Some(set) = set.filter(|s| h < s.deadline) {
                    problems.push(origin, f.child("horizon"), format!(
                        "{h} is before the deadline {} of target set {}: the targets could not be judged (allowed: {} to {max})",
                        set.deadline, set.id, set.deadline
                    ));
                    None
                } else {
                    Some(h)
                }
            }
        }
    });
    let seed = f.integer_in("seed", 0..=i64::MAX, "the allowed range (a whole number ≥ 0)", problems).map(|s| s as u64);
    let trials = f
        .integer_in("trials", 1..=MAX_TRIALS as i64, &format!("the allowed range 1 to {MAX_TRIALS}"), problems)
        .map(|t| t as u64);
    let sampling = match f.opt_string("sampling", problems) {
        None => Some(Sampling::Plain),
        Some(name) => Sampling::from_name(name).or_else(|| {
            problems.push(
                &f.node("sampling").expect("read").origin,
                f.child("sampling"),
                format!("unknown sampling method {name:?} (allowed: {})", Sampling::NAMES.join(", ")),
            );
            None
        }),
    };
    let origins = SETTINGS_KEYS.iter().filter_map(|k| f.node(k).map(|n| (*k, n.origin.clone()))).collect();
    if problems.len() > before {
        return None;
    }
    Some(Settings {
        target_set: target_set?,
        horizon: horizon?,
        seed: seed?,
        trials: trials?,
        sampling: sampling?,
        origins,
    })
}

fn read_counted_blocks(
    top: &Fields,
    seeds: &Seeds,
    set: Option<&crate::seeds::TargetSet>,
    problems: &mut Problems,
) -> Option<Vec<u32>> {
    let from_set = |set: &crate::seeds::TargetSet| -> Vec<u32> {
        seeds
            .blocks
            .iter()
            .filter(|b| match set.blocks {
                BlockScope::All => true,
                BlockScope::District(d) => b.district == d,
            })
            .map(|b| b.id)
            .collect()
    };
    let node = top.node("settings").and_then(|s| s.as_table()).and_then(|t| t.get("counted_blocks"));
    match node {
        None => set.map(from_set).or_else(|| (!problems.is_empty()).then(Vec::new)),
        Some(n) => match &n.value {
            Value::String(s) if s == "target_set" => set.map(from_set),
            Value::Array(items) => {
                let mut ids = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let path = format!("settings.counted_blocks[{i}]");
                    if let Some(id) = integer(item, &path, problems) {
                        if seeds.block(id as u32).is_none() || id < 1 {
                            problems.push(
                                &item.origin,
                                path,
                                format!("unknown block id {id} (the annex has blocks 1–{})", seeds.blocks.len()),
                            );
                        } else if ids.contains(&(id as u32)) {
                            problems.push(&item.origin, path, format!("block {id} is listed twice"));
                        } else {
                            ids.push(id as u32);
                        }
                    }
                }
                if items.is_empty() {
                    problems.push(
                        &n.origin,
                        "settings.counted_blocks",
                        "is empty: list at least one block id, or write \"target_set\"",
                    );
                }
                ids.sort_unstable();
                Some(ids)
            }
            other => {
                problems.push(
                    &n.origin,
                    "settings.counted_blocks",
                    format!("expected \"target_set\" or an array of block ids, found {}", other.brief()),
                );
                None
            }
        },
    }
}

/// Reads `<prefix>.<section>.<key>` block-scope parameters into `out` (indexed by PARAMS).
fn read_param_sections(
    node: Option<&Node>,
    prefix: &str,
    level: Level,
    out: &mut [Option<Param>],
    kinds: &mut SectionKinds,
    problems: &mut Problems,
) {
    let Some(node) = node else { return };
    let Some(f) = Fields::of(node, prefix, problems) else { return };
    let sections = block_sections();
    f.allow_only(&sections, problems);
    for (section, snode) in f.table.iter() {
        if !sections.contains(&section) {
            continue;
        }
        let Some(sf) = Fields::of(snode, &f.child(section), problems) else { continue };
        let mut keys = block_keys(section);
        for (key, pnode) in sf.table.iter() {
            if let Some(r) = RENAMED.iter().find(|r| r.old == format!("{section}.{key}")) {
                keys.push(key);
                problems.push(
                    &pnode.origin,
                    sf.child(key),
                    format!("renamed to `params.{}` in parkcast {}: {}", r.new, r.since, r.why),
                );
            }
        }
        keys.push("kind");
        sf.allow_only(&keys, problems);
        if let Some(knode) = sf.node("kind") {
            read_section_kind(knode, &sf.child("kind"), section_name(section), &level, kinds, problems);
        }
        for (key, pnode) in sf.table.iter() {
            if let Some((idx, def)) = find(&format!("{section}.{key}")) {
                if let Some(p) = read_param(pnode, &sf.child(key), def, level.clone(), problems) {
                    out[idx] = Some(p);
                }
            }
        }
    }
}

fn read_city_section(
    node: Option<&Node>,
    section: &'static str,
    out: &mut [Option<Param>],
    kinds: &mut SectionKinds,
    problems: &mut Problems,
) {
    let Some(node) = node else { return };
    let Some(f) = Fields::of(node, section, problems) else { return };
    let mut keys = city_keys(section);
    if section == "shocks" {
        keys.push("correlation");
    }
    keys.push("kind");
    f.allow_only(&keys, problems);
    if let Some(knode) = f.node("kind") {
        read_section_kind(knode, &f.child("kind"), section, &Level::Global, kinds, problems);
    }
    for (key, pnode) in f.table.iter() {
        if let Some((idx, def)) = find(&format!("{section}.{key}")) {
            if let Some(p) = read_param(pnode, &f.child(key), def, Level::Global, problems) {
                out[idx] = Some(p);
            }
        }
    }
}

type GroupParams = Vec<(&'static str, String, usize, Param)>;
/// `kind = …` of whole sections: (section, kind).
type SectionKinds = Vec<(&'static str, Uncertainty)>;

/// The static name of a block-scope section.
fn section_name(section: &str) -> &'static str {
    block_sections().into_iter().find(|s| *s == section).expect("checked against block_sections")
}

/// Reads a section's `kind`: allowed in `[params.<section>]`, `[base]` and `[shocks]` (the
/// kind of a parameter path is one for the whole scenario unless a parameter says otherwise).
fn read_section_kind(
    node: &Node,
    path: &str,
    section: &'static str,
    level: &Level,
    kinds: &mut SectionKinds,
    problems: &mut Problems,
) {
    if *level != Level::Global {
        problems.push(
            &node.origin,
            path,
            format!(
                "a whole section's kind of uncertainty is set only in [params.{section}]; here set `kind` in a parameter's own table, e.g. {{ fixed = 3, source = \"…\", kind = \"epistemic\" }}"
            ),
        );
        return;
    }
    if let Some(k) = read_kind(node, path, problems) {
        kinds.push((section, k));
    }
}

/// A block's parameters from the global defaults and the groups it belongs to (in axis
/// precedence), before any setting of its own.
pub fn resolve_groups(global: &[Param], groups: &GroupParams, block: &crate::seeds::Block) -> Vec<Param> {
    let mut resolved = global.to_vec();
    for axis in GROUP_AXES {
        let value = group_value(block, axis);
        for (a, v, idx, p) in groups {
            if *a == axis && v == value {
                resolved[*idx] = p.clone();
            }
        }
    }
    resolved
}

fn read_groups(node: Option<&Node>, problems: &mut Problems) -> GroupParams {
    let mut out = Vec::new();
    let Some(node) = node else { return out };
    let Some(f) = Fields::of(node, "groups", problems) else { return out };
    f.allow_only(&GROUP_AXES, problems);
    for axis in GROUP_AXES {
        let Some(anode) = f.node(axis) else { continue };
        let Some(af) = Fields::of(anode, &f.child(axis), problems) else { continue };
        let values = group_values(axis);
        for (value, vnode) in af.table.iter() {
            if !values.contains(&value) {
                problems.push(
                    &vnode.origin,
                    af.child(value),
                    unknown_key_message(value, &values).replacen("unknown key", &format!("unknown {axis}"), 1),
                );
                continue;
            }
            let mut slots: Vec<Option<Param>> = vec![None; PARAMS.len()];
            let level = Level::Group { axis, value: value.to_string() };
            read_param_sections(Some(vnode), &af.child(value), level, &mut slots, &mut Vec::new(), problems);
            for (idx, p) in slots.into_iter().enumerate() {
                if let Some(p) = p {
                    out.push((axis, value.to_string(), idx, p));
                }
            }
        }
    }
    out
}

type BlockParams = Vec<(u32, usize, Param)>;

fn read_blocks(
    node: Option<&Node>,
    seeds: &Seeds,
    starts: &mut Vec<super::block_starts::BlockStart>,
    whatifs: &mut (Vec<super::block_whatifs::BlockDelivery>, Vec<super::block_whatifs::BlockDrop>),
    problems: &mut Problems,
) -> BlockParams {
    let mut out = Vec::new();
    let Some(node) = node else { return out };
    let Some(f) = Fields::of(node, "blocks", problems) else { return out };
    for (key, bnode) in f.table.iter() {
        let id = key.parse::<u32>().ok().filter(|id| seeds.block(*id).is_some());
        let Some(id) = id else {
            problems.push(
                &bnode.origin,
                f.child(key),
                format!("unknown block id `{key}` (the annex has blocks 1–{})", seeds.blocks.len()),
            );
            continue;
        };
        if key != id.to_string() {
            // `07` or `+7` next to `7` would set one block in two places, the later silently winning
            problems.push(
                &bnode.origin,
                f.child(key),
                format!("block {id} written as `{key}`: write it `{id}`, so that each block is set in one place"),
            );
            continue;
        }
        let (bnode, start) = super::block_starts::take(id, bnode, &f.child(key), seeds, problems);
        starts.extend(start);
        let (bnode, delivery, drop) = super::block_whatifs::take(id, bnode, &f.child(key), problems);
        whatifs.0.extend(delivery);
        whatifs.1.extend(drop);
        let mut slots: Vec<Option<Param>> = vec![None; PARAMS.len()];
        read_param_sections(Some(&bnode), &f.child(key), Level::Block(id), &mut slots, &mut Vec::new(), problems);
        for (idx, p) in slots.into_iter().enumerate() {
            if let Some(p) = p {
                out.push((id, idx, p));
            }
        }
    }
    out
}

#[allow(clippy::needless_range_loop)] // idx indexes PARAMS and the parameter slots alike
/// Two groups of different axes both setting a parameter for the same block, with different
/// values, is legal (the higher axis wins) but worth a warning.
fn warn_group_conflicts(seeds: &Seeds, groups: &GroupParams, blocks: &BlockParams, warnings: &mut Vec<String>) {
    for block in &seeds.blocks {
        for idx in 0..PARAMS.len() {
            if blocks.iter().any(|(id, i, _)| *id == block.id && *i == idx) {
                continue;
            }
            let matching: Vec<&(&str, String, usize, Param)> =
                groups.iter().filter(|(axis, value, i, _)| *i == idx && group_value(block, axis) == value).collect();
            if matching.len() > 1 {
                let first = matching[0];
                let last = matching[matching.len() - 1];
                if first.3.dist.to_string() != last.3.dist.to_string() {
                    warnings.push(format!(
                        "block {}: {} is set by groups.{}.{} ({}) and groups.{}.{} ({}); groups.{}.{} wins (axis precedence: {}). Set blocks.{}.{} to decide explicitly.",
                        block.id, PARAMS[idx].path, first.0, first.1, first.3.origin, last.0, last.1, last.3.origin,
                        last.0, last.1, GROUP_AXES.join(" < "), block.id, PARAMS[idx].path
                    ));
                }
            }
        }
    }
}

/// Whether `block` ever uses parameter `path` (start parameters apply to some blocks only, by
/// start status and published start; every other parameter applies to every block).
pub fn param_applies(path: &str, block: &crate::seeds::Block) -> bool {
    use crate::seeds::{StartStatus, StartedIn};
    let Some((statuses, _)) = used_by(path) else { return true };
    let published = block.known_start.as_ref().map(|k| k.started_in);
    match path {
        "start.progress_at_policy" => block.start == StartStatus::Started && published.is_none(),
        "start.month_in_year" => {
            matches!(block.start, StartStatus::PlannedYear(_)) || matches!(published, Some(StartedIn::Year(_)))
        }
        _ => statuses.contains(&block.start.kind()),
    }
}

/// Which start statuses use a start parameter, and which blocks in words (`None`: every block
/// uses it).
fn used_by(path: &str) -> Option<(&'static [StartStatusKind], &'static str)> {
    use StartStatusKind::*;
    match path {
        "start.progress_at_policy" => Some((
            &[Started],
            "blocks already started (已开工) without a published start (seeds/blocks.csv known_start)",
        )),
        "start.on_time" | "start.delay_months" => Some((&[Planned], "blocks with a planned start")),
        "start.month_in_year" => Some((
            &[Planned, Started],
            "blocks planned for a year only (e.g. 2025年) and started blocks whose published start is a year only",
        )),
        "start.decision_lag_months" | "start.hazard_per_month" => {
            Some((&[Undetermined], "blocks with no start date (未定)"))
        }
        "start.rezoning_delay_months" | "start.no_developer_delay_months" => {
            Some((&[Planned, Undetermined], "blocks not yet started"))
        }
        _ => None,
    }
}

/// A block's own setting that it never uses is almost certainly a mistake (it changes
/// nothing): say so.
fn warn_unused_block_settings(seeds: &Seeds, blocks: &BlockParams, warnings: &mut Vec<String>) {
    for (id, idx, p) in blocks {
        let Some(block) = seeds.block(*id) else { continue };
        let path = PARAMS[*idx].path;
        let Some((_, who)) = used_by(path) else { continue };
        if !param_applies(path, block) {
            let published = match &block.known_start {
                Some(k) => format!(", published start {}", k.started_in),
                None => String::new(),
            };
            warnings.push(format!(
                "{}: blocks.{id}.{path} has no effect: block {id} is {} ({}{published}), and {path} applies only to {who}",
                p.origin,
                block.start.describe_en(),
                block.start_zh
            ));
        }
    }
}

fn read_levers(node: Option<&Node>, problems: &mut Problems) -> Option<Levers> {
    let before = problems.len();
    let empty = Node::table(Origin::Builtin);
    let node = node.unwrap_or(&empty);
    let f = Fields::of(node, "levers", problems)?;
    let names: Vec<&str> = LEVERS.iter().map(|l| l.name).collect();
    f.allow_only(&names, problems);
    let mut settings = Vec::new();
    let mut replacement =
        Replacement { enabled: false, checkpoint: Month::new(2025, 12).expect("valid"), lag_months: 6.0 };
    for def in LEVERS {
        let lnode = f.node(def.name);
        let lf = lnode.and_then(|n| Fields::of(n, &f.child(def.name), problems));
        match def.value {
            LeverValue::Number { off, lo, hi } => {
                let mut setting = LeverSetting {
                    def: lever_def(def.name).expect("listed"),
                    value: off,
                    range: (lo, hi),
                    origin: "default (off)".into(),
                    note: None,
                };
                if let Some(lf) = &lf {
                    lf.allow_only(&["value", "range", "note"], problems);
                    if let Some(v) = lf.opt_number("value", problems) {
                        let origin = &lf.node("value").expect("read").origin;
                        if !(lo..=hi).contains(&v) {
                            problems.push(
                                origin,
                                lf.child("value"),
                                format!("{v} is outside the allowed range [{lo}, {hi}] {}", def.unit),
                            );
                        }
                        setting.value = v;
                        setting.origin = origin.to_string();
                    }
                    if let Some(rnode) = lf.node("range") {
                        if let Some(r) = crate::toml_tree::numbers(rnode, &lf.child("range"), problems) {
                            if r.len() != 2 || r[0] > r[1] || r[0] < lo || r[1] > hi {
                                problems.push(
                                    &rnode.origin,
                                    lf.child("range"),
                                    format!(
                                        "{r:?} is not [low, high] within the lever's limits [{lo}, {hi}] {}",
                                        def.unit
                                    ),
                                );
                            } else {
                                setting.range = (r[0], r[1]);
                            }
                        }
                    }
                    setting.note = lf.opt_string("note", problems).map(str::to_string);
                }
                settings.push(setting);
            }
            LeverValue::Replacement => {
                if let Some(lf) = &lf {
                    lf.allow_only(&["enabled", "checkpoint", "lag_months", "note"], problems);
                    if let Some(e) = lf.opt_bool("enabled", problems) {
                        replacement.enabled = e;
                    }
                    if let Some(text) = lf.opt_string("checkpoint", problems) {
                        match text.parse::<Month>() {
                            Ok(m) => replacement.checkpoint = m,
                            Err(e) => problems.push(
                                &lf.node("checkpoint").expect("read").origin,
                                lf.child("checkpoint"),
                                e.to_string(),
                            ),
                        }
                    }
                    if let Some(lag) = lf.opt_number("lag_months", problems) {
                        if !(0.0..=60.0).contains(&lag) {
                            problems.push(
                                &lf.node("lag_months").expect("read").origin,
                                lf.child("lag_months"),
                                format!("{lag} is outside the allowed range [0, 60] months"),
                            );
                        }
                        replacement.lag_months = lag;
                    }
                    let _ = lf.opt_string("note", problems);
                }
            }
        }
    }
    (problems.len() == before).then_some(Levers { settings, replacement })
}

fn read_reserve(top: &Fields, problems: &mut Problems) -> Option<Reserve> {
    let node = top.require("reserve", problems)?;
    let f = Fields::of(node, "reserve", problems)?;
    let before = problems.len();
    f.allow_only(
        &["land_mu", "land_type", "district", "industry_group", "path", "developer_kind", "assumption"],
        problems,
    );
    let land_mu = f.number("land_mu", problems);
    if let Some(mu) = land_mu.filter(|mu| !(*mu > 0.0 && *mu <= 2000.0)) {
        problems.push(f.origin, f.child("land_mu"), format!("{mu} is outside the allowed range (0, 2000] mu"));
    }
    fn keyed<T>(
        f: &Fields,
        key: &str,
        from: fn(&str) -> Option<T>,
        keys: Vec<&str>,
        problems: &mut Problems,
    ) -> Option<T> {
        let s = f.string(key, problems)?;
        from(s).or_else(|| {
            problems.push(
                &f.node(key).expect("read").origin,
                f.child(key),
                format!("{s:?} is not allowed (allowed: {})", keys.join(", ")),
            );
            None
        })
    }
    let land_type = keyed(&f, "land_type", kinds::LandType::from_key, kinds::LandType::keys(), problems);
    let district = keyed(&f, "district", kinds::District::from_key, kinds::District::keys(), problems);
    let industry_group =
        keyed(&f, "industry_group", kinds::IndustryGroup::from_key, kinds::IndustryGroup::keys(), problems);
    let path = keyed(&f, "path", kinds::BuildPath::from_key, kinds::BuildPath::keys(), problems);
    let developer_kind =
        keyed(&f, "developer_kind", kinds::DeveloperKind::from_key, kinds::DeveloperKind::keys(), problems);
    let assumption = f.string("assumption", problems);
    if problems.len() > before {
        return None;
    }
    Some(Reserve {
        land_mu: land_mu?,
        land_type: land_type?,
        district: district?,
        industry_group: industry_group?,
        path: path?,
        developer_kind: developer_kind?,
        assumption: assumption?.to_string(),
    })
}

/// The canonical text of everything that affects results, for the scenario hash.
pub fn canonical_text(s: &Scenario) -> String {
    let mut out = String::new();
    let st = &s.settings;
    out.push_str(&format!(
        "target_set={}\nhorizon={}\nseed={}\ntrials={}\nsampling={}\n",
        st.target_set,
        st.horizon,
        st.seed,
        st.trials,
        st.sampling.name()
    ));
    out.push_str(&format!("counted={:?}\n", s.counted_blocks));
    for (b, block) in s.blocks.iter().enumerate() {
        for (i, def) in PARAMS.iter().enumerate() {
            if def.scope == Scope::Block {
                out.push_str(&format!("blocks.{}.{}={}\n", block.id, def.path, s.params[b][i].dist));
            }
        }
    }
    for (i, def) in PARAMS.iter().enumerate() {
        if def.scope == Scope::City {
            out.push_str(&format!("{}={}\n", def.path, s.global[i].dist));
        }
    }
    // kinds of uncertainty that differ from the defaults (they change two-level results only)
    for (b, block) in s.blocks.iter().enumerate() {
        for (i, def) in PARAMS.iter().enumerate() {
            let (kind, _) = s.kind_of(Some(b), i);
            if def.scope == Scope::Block && kind != super::uncertainty::default_kind_at(i) {
                out.push_str(&format!("kind.blocks.{}.{}={}\n", block.id, def.path, kind.name()));
            }
        }
    }
    for (i, def) in PARAMS.iter().enumerate() {
        let (kind, _) = s.kind_of(None, i);
        if def.scope == Scope::City && kind != super::uncertainty::default_kind_at(i) {
            out.push_str(&format!("kind.{}={}\n", def.path, kind.name()));
        }
    }
    out.push_str(&format!("correlation={:?}\n", s.correlation.matrix.as_slice()));
    for l in &s.levers.settings {
        out.push_str(&format!("levers.{}={}\n", l.def.name, l.value));
    }
    let r = &s.levers.replacement;
    out.push_str(&format!("replacement={} {} {}\n", r.enabled, r.checkpoint, r.lag_months));
    // only when set, so that the hashes of scenarios without them stay as they were
    for (id, month) in &s.block_starts {
        out.push_str(&format!("blocks.{id}.start.at={month}\n"));
    }
    for (id, month) in &s.block_deliveries {
        out.push_str(&format!("blocks.{id}.delivered.at={month}\n"));
    }
    for id in &s.dropped_blocks {
        out.push_str(&format!("blocks.{id}.dropped\n"));
    }
    let v = &s.reserve;
    out.push_str(&format!(
        "reserve={} {} {} {} {} {}\n",
        v.land_mu,
        v.land_type.key(),
        v.district.key(),
        v.industry_group.key(),
        v.path.key(),
        v.developer_kind.key()
    ));
    out
}

fn hash(s: &Scenario, seeds_fingerprint: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(canonical_text(s).as_bytes());
    h.update(seeds_fingerprint);
    let digest = h.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{}", &hex[..16])
}

/// The first place a block parameter `path` is set for some blocks only: `blocks.<id>.path` or
/// `groups.<axis>.<value>.path`, with its node.
fn scoped_only<'a>(root: &'a Node, path: &str) -> Option<(String, &'a Node)> {
    let entries = |n: Option<&'a Node>| n.and_then(|n| n.as_table()).into_iter().flat_map(|t| t.iter());
    let blocks =
        entries(at_path(root, "blocks")).filter_map(|(id, b)| at_path(b, path).map(|n| (format!("blocks.{id}"), n)));
    let groups = entries(at_path(root, "groups")).flat_map(|(axis, a)| {
        entries(Some(a)).filter_map(move |(value, v)| at_path(v, path).map(|n| (format!("groups.{axis}.{value}"), n)))
    });
    blocks.chain(groups).next()
}

/// The node at the dotted `path` below `node`, if the tree has it.
fn at_path<'a>(node: &'a Node, path: &str) -> Option<&'a Node> {
    path.split('.').try_fold(node, |n, key| n.as_table().and_then(|t| t.get(key)))
}

/// True if the dotted `path` exists in the tree.
fn has_path(root: &Node, path: &str) -> bool {
    at_path(root, path).is_some()
}

/// The bureau's base figures (`seeds/base.toml`) entered for every district replace the
/// scenario's priors by their sum, unless the command line sets the parameter (docs/targets.md).
fn apply_base_file(seeds: &Seeds, global: &mut [Param]) {
    for f in seeds.base.city_figures() {
        let p = &mut global[f.param as usize];
        if p.origin.is_override() {
            continue;
        }
        let Ok(dist) = super::Dist::fixed(f.value) else { continue }; // finite ≥ 0 by parsing
        let basis = if f.official {
            super::Basis::Source(f.basis)
        } else {
            super::Basis::Assumption(format!("{} — 待核实: entered, not yet official", f.basis))
        };
        *p =
            Param { dist, origin: Origin::file(&seeds.base.file, 1), level: super::Level::Global, basis, kind: p.kind };
    }
}
