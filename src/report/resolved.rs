//! `parkcast validate`: the fully resolved scenario as TOML, each value with where it came from.

use crate::scenario::levers::LeverValue;
use crate::scenario::{KindBasis, Level, Param, Scenario, Scope, Uncertainty, FACTORS, PARAMS};

fn provenance(p: &Param, section: &str, kind: (Uncertainty, KindBasis)) -> String {
    let level = match (&p.level, p.origin.is_override()) {
        (_, true) => "override".to_string(),
        (Level::Global, false) => section.to_string(),
        (l, false) => l.to_string(),
    };
    format!("# {level} @ {} · {} · {}", p.origin, kind_text(kind), p.basis)
}

/// `epistemic`, `aleatory (default)`, `epistemic (section)`: the kind of uncertainty a two-level
/// run gives the parameter, and whether the scenario said so.
fn kind_text((kind, basis): (Uncertainty, KindBasis)) -> String {
    match basis {
        KindBasis::Parameter => kind.name().to_string(),
        KindBasis::Section(s) => format!("{} (section {s})", kind.name()),
        KindBasis::Default => format!("{} (default)", kind.name()),
    }
}

fn toml_str(s: &str) -> String {
    format!("{s:?}")
}

/// Renders the resolved scenario. `only_block` limits the per-block part to one block.
pub fn render(s: &Scenario, only_block: Option<u32>) -> String {
    let mut out = String::new();
    let push = |out: &mut String, line: String| {
        out.push_str(&line);
        out.push('\n');
    };
    push(&mut out, format!("# parkcast {} — resolved scenario", env!("CARGO_PKG_VERSION")));
    push(&mut out, format!("# files: {}", s.files.join(" ← extends ")));
    push(&mut out, format!("# seeds: {}", s.seeds_origin));
    push(&mut out, format!("# hash: {}", s.hash));
    push(
        &mut out,
        "# Each value is followed by: the level that set it @ file:line · its kind of uncertainty · its source or assumption."
            .into(),
    );
    push(
        &mut out,
        "# Kinds (run --two-level; docs/uncertainty.md): epistemic = what we do not know, one value per plausible world; aleatory = what varies by chance, drawn in every trial."
            .into(),
    );
    push(&mut out, String::new());
    push(&mut out, "[scenario]".into());
    push(&mut out, format!("name = {}", toml_str(&s.name)));
    push(&mut out, format!("description = {}", toml_str(&s.description)));
    push(&mut out, String::new());
    if !s.block_starts.is_empty() {
        push(&mut out, "# Starts pinned in every trial (no start delay, start hazard, developer search or rezoning wait is added):".into());
        for (id, month) in &s.block_starts {
            push(&mut out, format!("#   blocks.{id}.start.at = \"{month}\""));
        }
        push(&mut out, String::new());
    }
    if !s.block_deliveries.is_empty() {
        push(&mut out, "# Deliveries pinned in every trial (the block operates from that month, whatever its start, build and fit-out draws):".into());
        for (id, month) in &s.block_deliveries {
            push(&mut out, format!("#   blocks.{id}.delivered.at = \"{month}\""));
        }
        push(&mut out, String::new());
    }
    if !s.dropped_blocks.is_empty() {
        push(&mut out, "# Blocks dropped from the list (they count toward no target):".into());
        for id in &s.dropped_blocks {
            push(&mut out, format!("#   blocks.{id}.dropped = true"));
        }
        push(&mut out, String::new());
    }

    let st = &s.settings;
    let origin_of =
        |key: &str| st.origins.iter().find(|(k, _)| *k == key).map(|(_, o)| format!("  # {o}")).unwrap_or_default();
    push(&mut out, "[settings]".into());
    push(&mut out, format!("target_set = {}{}", toml_str(&st.target_set), origin_of("target_set")));
    push(&mut out, format!("horizon = \"{}\"{}", st.horizon, origin_of("horizon")));
    push(&mut out, format!("seed = {}{}", st.seed, origin_of("seed")));
    push(&mut out, format!("trials = {}{}", st.trials, origin_of("trials")));
    push(&mut out, format!("counted_blocks = {:?}{}", s.counted_blocks, origin_of("counted_blocks")));
    push(
        &mut out,
        format!(
            "# target set {}: {} — deadline {}, policy date {}",
            s.target_set.id, s.target_set.label_en, s.target_set.deadline, s.target_set.policy_date
        ),
    );
    for t in &s.target_set.targets {
        push(
            &mut out,
            format!(
                "#   {:<12} ≥ {}{}  ({})",
                t.id.key(),
                crate::scenario::distribution::fmt_num(t.threshold),
                if t.about { " (about, 左右)" } else { "" },
                t.counts
            ),
        );
    }
    push(&mut out, String::new());

    // Global defaults of block parameters.
    let mut section = "";
    for (i, def) in PARAMS.iter().enumerate().filter(|(_, d)| d.scope == Scope::Block) {
        let (sec, key) = def.path.split_once('.').expect("two-part path");
        if sec != section {
            section = sec;
            push(&mut out, format!("[params.{sec}]"));
        }
        let p = &s.global[i];
        push(&mut out, format!("{key} = {}  {}", p.dist, provenance(p, "params", s.kind_of(None, i))));
    }
    push(&mut out, String::new());

    // City-wide parameters.
    for sec in ["base", "shocks"] {
        push(&mut out, format!("[{sec}]"));
        for (i, def) in PARAMS.iter().enumerate().filter(|(_, d)| d.scope == Scope::City && d.path.starts_with(sec)) {
            let key = def.path.split_once('.').expect("two-part path").1;
            let p = &s.global[i];
            push(&mut out, format!("{key} = {}  {}", p.dist, provenance(p, sec, s.kind_of(None, i))));
        }
        push(&mut out, String::new());
    }
    push(&mut out, "[shocks.correlation]".into());
    push(&mut out, format!("factors = {:?}", FACTORS));
    push(&mut out, "matrix = [".into());
    let m = &s.correlation.matrix;
    for r in 0..m.nrows() {
        let row: Vec<String> = (0..m.ncols()).map(|c| format!("{}", (m[(r, c)] * 1e6).round() / 1e6)).collect();
        push(&mut out, format!("  [{}],", row.join(", ")));
    }
    push(&mut out, "]".into());
    push(
        &mut out,
        format!("# {}{}", s.correlation.basis, if s.correlation.repaired { " (repaired: see warnings)" } else { "" }),
    );
    push(&mut out, String::new());

    // Levers.
    for l in &s.levers.settings {
        push(
            &mut out,
            format!("[levers.{}]  # {} — {} ({})", l.def.name, l.def.label_zh, l.def.label_en, l.def.seed_section),
        );
        push(
            &mut out,
            format!("value = {}  # {} · range [{}, {}] {}", l.value, l.origin, l.range.0, l.range.1, l.def.unit),
        );
        push(&mut out, format!("# effect: {}; acts on {}", l.def.effect, l.def.acts_on.join(", ")));
        push(&mut out, format!("# 责任单位: {}", l.def.departments_text()));
    }
    let r = &s.levers.replacement;
    let def = crate::scenario::levers::lever_def("replacement").expect("listed");
    debug_assert!(matches!(def.value, LeverValue::Replacement));
    push(&mut out, format!("[levers.replacement]  # {} — {} ({})", def.label_zh, def.label_en, def.seed_section));
    push(&mut out, format!("enabled = {}", r.enabled));
    push(&mut out, format!("checkpoint = \"{}\"", r.checkpoint));
    push(&mut out, format!("lag_months = {}", r.lag_months));
    push(&mut out, format!("# effect: {}", def.effect));
    push(&mut out, format!("# 责任单位: {}", def.departments_text()));
    push(&mut out, String::new());
    for p in &s.packages {
        let bare = !p.id.is_empty() && p.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let key = if bare { p.id.clone() } else { toml_str(&p.id) };
        push(&mut out, format!("[packages.{key}]  # {} — {}", p.label_zh, p.label_en));
        push(&mut out, format!("# cost: {}", p.cost_note));
        let whose = if p.departments_given { "" } else { " (the levers' own)" };
        push(&mut out, format!("# 责任单位{whose}: {}", p.departments.join("、")));
        push(&mut out, format!("[packages.{key}.levers]"));
        for l in &p.levers {
            push(&mut out, format!("{} = {}", l.def.name, l.value_text()));
        }
    }
    if !s.packages.is_empty() {
        push(&mut out, String::new());
    }
    let v = &s.reserve;
    push(&mut out, "[reserve]".into());
    push(&mut out, format!("land_mu = {}", v.land_mu));
    push(&mut out, format!("land_type = {}", toml_str(v.land_type.key())));
    push(&mut out, format!("district = {}", toml_str(v.district.key())));
    push(&mut out, format!("industry_group = {}", toml_str(v.industry_group.key())));
    push(&mut out, format!("path = {}", toml_str(v.path.key())));
    push(&mut out, format!("developer_kind = {}", toml_str(v.developer_kind.key())));
    push(&mut out, format!("assumption = {}", toml_str(&v.assumption)));
    push(&mut out, String::new());

    // Every block, every parameter.
    push(&mut out, "# ── Resolved per block ────────────────────────────────────────────────".into());
    for (b, block) in s.blocks.iter().enumerate() {
        if only_block.is_some_and(|id| id != block.id) {
            continue;
        }
        let counted = if s.counted_blocks.contains(&block.id) { "counted" } else { "not counted" };
        push(
            &mut out,
            format!(
                "# block {}: {} / {} — {}, {}, {:.1} mu {}, {}, {}",
                block.id,
                block.name_zh,
                block.name_en,
                block.district.label_zh(),
                block.start.describe_en(),
                block.land_mu,
                block.land_type.key(),
                block.developer_kind.key(),
                counted
            ),
        );
        let mut section = "";
        for (i, def) in PARAMS.iter().enumerate().filter(|(_, d)| d.scope == Scope::Block) {
            let (sec, key) = def.path.split_once('.').expect("two-part path");
            if sec != section {
                section = sec;
                push(&mut out, format!("[blocks.{}.{sec}]", block.id));
            }
            let p = &s.params[b][i];
            push(&mut out, format!("{key} = {}  {}", p.dist, provenance(p, "params", s.kind_of(Some(b), i))));
        }
        push(&mut out, String::new());
    }
    out
}
