//! An observations file: what has been seen of the blocks and the city by an as-of month.
//! TOML (everything) or CSV (the per-block table). Validated like scenarios: every problem is
//! collected with its file, line and key path; an observation that contradicts the seeds or
//! lies after the as-of month is an error.

use crate::model::MODEL_START;
use crate::month::Month;
use crate::seeds::kinds::{BuildPath, DeveloperKind, District, IndustryGroup, LandType, Zone};
use crate::seeds::{Block, Seeds, StartStatus};
use crate::toml_tree::{Fields, Node, Origin, Problems, Table, Value};

/// A start: in a month, or not yet by the as-of month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    In(Month),
    NotYet,
}

/// What was observed of one block.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockObservation {
    pub id: u32,
    pub origin: Origin,
    /// Construction start (for a block already started at the policy date, the start month if
    /// known).
    pub started: Option<Seen>,
    /// First operation (delivery of the first phase).
    pub delivered: Option<Seen>,
    /// Delivered industrial floor area, m².
    pub floor_area_m2: Option<f64>,
    /// Occupied share of the delivered floor area at the as-of month.
    pub occupancy: Option<f64>,
    pub tech_smes: Option<f64>,
    pub specialized: Option<f64>,
    /// Revenue of the block's firms over the 12 months to the as-of month, CNY.
    pub revenue_cny: Option<f64>,
    /// People working in the block at the as-of month.
    pub jobs: Option<f64>,
    /// Left the list (有进有出): it no longer counts toward the targets.
    pub removed: bool,
}

/// City-wide figures of the existing base (outside the listed blocks).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseObservation {
    /// Above-scale (规上) urban-type industrial revenue of a complete calendar year.
    pub revenue: Option<(i32, f64)>,
    /// 专精特新 (provincial and above) and tech SMEs at the as-of month.
    pub specialized: Option<f64>,
    pub tech_smes: Option<f64>,
}

/// A block that joined the list, with what has been observed of it.
#[derive(Clone, Debug, PartialEq)]
pub struct AddedBlock {
    pub block: Block,
    pub observation: BlockObservation,
}

/// A validated observations file.
#[derive(Clone, Debug, PartialEq)]
pub struct Observations {
    pub file: String,
    pub as_of: Month,
    pub source: String,
    pub blocks: Vec<BlockObservation>,
    pub added: Vec<AddedBlock>,
    pub base: BaseObservation,
}

/// The file could not be read or is invalid; every problem found is listed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{problems}")]
pub struct ObservationError {
    pub problems: Problems,
}

/// The fields an observed block may have.
pub(super) const BLOCK_KEYS: [&str; 10] = [
    "started",
    "delivered",
    "floor_area_m2",
    "occupancy",
    "tech_smes",
    "specialized",
    "revenue_cny",
    "jobs",
    "removed",
    "note",
];

fn policy_month() -> Month {
    Month::new(MODEL_START.0, MODEL_START.1).expect("valid")
}

/// Reads and validates a file: `.csv` as the per-block table, anything else as TOML.
pub fn load(path: &std::path::Path, seeds: &Seeds, deadline: Month) -> Result<Observations, ObservationError> {
    from_bytes(path, &read(path)?, seeds, deadline)
}

fn fail(message: String) -> ObservationError {
    let mut p = Problems::default();
    p.push(&Origin::Builtin, "", message);
    ObservationError { problems: p }
}

/// The bytes of an observations file (a regular file within the size cap of its format).
pub fn read(path: &std::path::Path) -> Result<Vec<u8>, ObservationError> {
    use crate::input_file::InputKind;
    let kind = if crate::excel::is_workbook(path) {
        InputKind::Workbook
    } else if is_csv(path) {
        InputKind::ObservationsCsv
    } else {
        InputKind::ObservationsToml
    };
    crate::input_file::read(path, kind)
        .map_err(|e| fail(format!("cannot read observations file {}: {e}", path.display())))
}

/// `.csv` files hold the per-block table; anything else is TOML.
fn is_csv(path: &std::path::Path) -> bool {
    path.display().to_string().to_ascii_lowercase().ends_with(".csv")
}

/// Validates the bytes read from `path`: `.csv` as the per-block table, `.xlsx` as that table
/// on the workbook's first sheet, anything else as TOML.
pub fn from_bytes(
    path: &std::path::Path,
    bytes: &[u8],
    seeds: &Seeds,
    deadline: Month,
) -> Result<Observations, ObservationError> {
    let file = path.display().to_string();
    if crate::excel::is_workbook(path) {
        let problems = |problems| ObservationError { problems };
        let mut book = crate::excel::Book::from_bytes(&file, bytes.to_vec()).map_err(problems)?;
        let table = crate::excel::observations_table(&mut book).map_err(problems)?;
        let tree = super::csv::from_table(table, Problems::default())?;
        return validate(&file, &tree, seeds, deadline);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        let (line, why) = crate::input_file::not_utf8(bytes);
        match line {
            0 => fail(format!("{file}: {why}")),
            line => {
                let mut p = Problems::default();
                p.push(&Origin::file(&file, line as u32), "", why);
                ObservationError { problems: p }
            }
        }
    })?;
    let tree = if is_csv(path) {
        super::csv::to_tree(&file, text)?
    } else {
        crate::toml_tree::parse(&file, text).map_err(quote_hint)?
    };
    validate(&file, &tree, seeds, deadline)
}

/// A TOML syntax error, with a hint when a month was left unquoted (TOML then reads a date).
fn quote_hint(mut p: crate::toml_tree::Problem) -> ObservationError {
    if p.message.contains("date") {
        p.message.push_str(" (months go in quotes: started = \"2025-04\")");
    }
    ObservationError { problems: Problems(vec![p]) }
}

/// Parses and validates TOML text (`file` names it in messages).
pub fn from_toml(file: &str, text: &str, seeds: &Seeds, deadline: Month) -> Result<Observations, ObservationError> {
    let tree = crate::toml_tree::parse(file, text).map_err(quote_hint)?;
    validate(file, &tree, seeds, deadline)
}

/// Validates a parsed tree.
pub fn validate(file: &str, tree: &Node, seeds: &Seeds, deadline: Month) -> Result<Observations, ObservationError> {
    let mut problems = Problems::default();
    let Some(top) = Fields::of(tree, "", &mut problems) else { return Err(ObservationError { problems }) };
    top.allow_only(&["as_of", "source", "blocks", "added", "base"], &mut problems);
    let as_of = month_field(&top, "as_of", &mut problems);
    if let (Some(m), Some(node)) = (as_of, top.node("as_of")) {
        if m < policy_month() || m > deadline {
            problems.push(
                &node.origin,
                "as_of",
                format!("{m} is outside {}–{deadline} (from the policy date to the targets' deadline)", policy_month()),
            );
        }
    }
    let source = top.string("source", &mut problems).map(str::to_string);
    if source.as_deref().is_some_and(|s| s.trim().is_empty()) {
        problems.push(top.origin, "source", "is empty: say where the observed figures come from");
    }
    let mut blocks = Vec::new();
    if let Some(node) = top.node("blocks") {
        if let Some(f) = Fields::of(node, "blocks", &mut problems) {
            let mut seen_ids: std::collections::HashMap<u32, String> = Default::default();
            let annex_ids = seeds.blocks.iter().map(|b| b.id.to_string()).collect::<Vec<_>>().join(", ");
            for (key, bnode) in f.table.iter() {
                let path = f.child(key);
                let id = key.parse::<u32>().ok();
                // one spelling per block: `03` or `+3` next to `3` would observe it twice
                if let Some(id) = id {
                    if key != id.to_string() {
                        problems.push(&bnode.origin, &path, format!("write the block id as {id}, not `{key}`"));
                        continue;
                    }
                    if let Some(first) = seen_ids.get(&id) {
                        problems.push(
                            &bnode.origin,
                            &path,
                            format!("block {id} is already observed as `{first}`; observe each block once"),
                        );
                        continue;
                    }
                    seen_ids.insert(id, key.to_string());
                }
                let block = id.and_then(|id| seeds.block(id));
                let Some(block) = block else {
                    problems.push(
                        &bnode.origin,
                        &path,
                        format!("no annex block has id {key} (ids: {annex_ids}; a new block goes under [[added]])"),
                    );
                    continue;
                };
                if let Some(o) = read_block(bnode, &path, block, as_of, &mut problems) {
                    blocks.push(o);
                }
            }
        }
    }
    let mut added = Vec::new();
    if let Some(node) = top.node("added") {
        match &node.value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("added[{i}]");
                    if let Some(a) = read_added(item, &path, seeds, &added, as_of, &mut problems) {
                        added.push(a);
                    }
                }
            }
            other => problems.push(
                &node.origin,
                "added",
                format!("expected an array of tables ([[added]]), found {}", other.brief()),
            ),
        }
    }
    let base = match top.node("base") {
        Some(node) => read_base(node, as_of, &mut problems),
        None => BaseObservation::default(),
    };
    if !problems.is_empty() {
        problems.sort_by_location();
        return Err(ObservationError { problems });
    }
    Ok(Observations {
        file: file.to_string(),
        as_of: as_of.expect("no problems"),
        source: source.expect("no problems"),
        blocks,
        added,
        base,
    })
}

fn month_field(f: &Fields, key: &str, problems: &mut Problems) -> Option<Month> {
    let text = f.string(key, problems)?;
    match text.parse::<Month>() {
        Ok(m) => Some(m),
        Err(e) => {
            problems.push(f.node(key).map(|n| &n.origin).unwrap_or(f.origin), f.child(key), e.to_string());
            None
        }
    }
}

/// `started` / `delivered`: a month, or `false` for "not yet".
fn seen(f: &Fields, key: &str, problems: &mut Problems) -> Option<Seen> {
    let node = f.node(key)?;
    match &node.value {
        Value::Boolean(false) => Some(Seen::NotYet),
        Value::String(s) => match s.parse::<Month>() {
            Ok(m) => Some(Seen::In(m)),
            Err(e) => {
                problems.push(&node.origin, f.child(key), format!("{e}, or false for not yet"));
                None
            }
        },
        other => {
            problems.push(
                &node.origin,
                f.child(key),
                format!("expected a month \"YYYY-MM\" or false, found {}", other.brief()),
            );
            None
        }
    }
}

/// A number ≥ 0 (≤ `max`), optionally a whole number.
fn amount(f: &Fields, key: &str, max: f64, whole: bool, problems: &mut Problems) -> Option<f64> {
    let node = f.node(key)?;
    let range = if max.is_finite() { format!("0 to {max}") } else { "0 or more".into() };
    if !matches!(node.value, Value::Integer(_) | Value::Float(_)) {
        let hint = match &node.value {
            Value::String(t) if t.trim().ends_with('%') => " (a share: write 0.25 for 25%)",
            _ => "",
        };
        problems.push(
            &node.origin,
            f.child(key),
            format!("expected a number from {range}, found {}{hint}", node.value.brief()),
        );
        return None;
    }
    let x = f.opt_number(key, problems)?;
    if !(0.0..=max).contains(&x) {
        problems.push(&node.origin, f.child(key), format!("{x} is outside the allowed range {range}"));
        return None;
    }
    if whole && x.fract() != 0.0 {
        problems.push(&node.origin, f.child(key), format!("{x} is not a whole number of firms"));
        return None;
    }
    Some(x)
}

fn read_block(
    node: &Node,
    path: &str,
    block: &Block,
    as_of: Option<Month>,
    problems: &mut Problems,
) -> Option<BlockObservation> {
    let f = Fields::of(node, path, problems)?;
    f.allow_only(&BLOCK_KEYS, problems);
    let before = problems.len();
    let o = BlockObservation {
        id: block.id,
        origin: node.origin.clone(),
        started: seen(&f, "started", problems),
        delivered: seen(&f, "delivered", problems),
        floor_area_m2: amount(&f, "floor_area_m2", 1.0e7, false, problems),
        occupancy: amount(&f, "occupancy", 1.0, false, problems),
        tech_smes: amount(&f, "tech_smes", 1.0e5, true, problems),
        specialized: amount(&f, "specialized", 1.0e5, true, problems),
        revenue_cny: amount(&f, "revenue_cny", 1.0e13, false, problems),
        jobs: amount(&f, "jobs", 1.0e6, false, problems),
        removed: f.opt_bool("removed", problems).unwrap_or(false),
    };
    let _ = f.opt_string("note", problems);
    if let (Some(a), Some(n)) = (o.floor_area_m2, f.node("floor_area_m2")) {
        if a < 1.0 {
            problems.push(
                &n.origin,
                f.child("floor_area_m2"),
                format!("{a} m² is less than 1 m²: give the delivered floor area in m²"),
            );
        }
    }
    // the rules between fields hold for the fields that could be read
    check_consistency(&f, &o, block, as_of, problems);
    (problems.len() == before).then_some(o)
}

/// The rules an observation must keep with the seeds, the as-of month and itself.
fn check_consistency(f: &Fields, o: &BlockObservation, block: &Block, as_of: Option<Month>, problems: &mut Problems) {
    let at = |key: &str| f.node(key).map(|n| n.origin.clone()).unwrap_or_else(|| f.origin.clone());
    let policy = policy_month();
    let already = block.start == StartStatus::Started;
    let annex = format!("block {} is {} ({}) in the annex", block.id, block.start.describe_en(), block.start_zh);
    if let Some(as_of) = as_of {
        for key in ["started", "delivered"] {
            let value = if key == "started" { o.started } else { o.delivered };
            if let Some(Seen::In(m)) = value {
                if m > as_of {
                    problems.push(
                        &at(key),
                        f.child(key),
                        format!("{m} is after the as-of month {as_of}: only what has happened by then can be observed"),
                    );
                }
            }
        }
    }
    match o.started {
        Some(Seen::NotYet) if already => {
            problems.push(
                &at("started"),
                f.child("started"),
                format!("false contradicts the seeds: {annex}, started before the policy date"),
            );
        }
        Some(Seen::In(m)) if already && m > policy => problems.push(
            &at("started"),
            f.child("started"),
            format!("{m} contradicts the seeds: {annex}, so it started by {policy}"),
        ),
        Some(Seen::In(m)) if !already && m < policy => problems.push(
            &at("started"),
            f.child("started"),
            format!("{m} contradicts the seeds: {annex}, so it had not started at the policy date {policy}"),
        ),
        _ => {}
    }
    match (o.started, o.delivered) {
        (Some(Seen::NotYet), Some(Seen::In(m))) => {
            problems.push(
                &at("delivered"),
                f.child("delivered"),
                format!("{m}, but started = false: a block cannot operate before it starts"),
            );
        }
        (Some(Seen::In(s)), Some(Seen::In(d))) if d < s => {
            problems.push(&at("delivered"), f.child("delivered"), format!("{d} is before the start {s}"));
        }
        (None, Some(Seen::In(_))) if !already => problems.push(
            &at("delivered"),
            f.child("delivered"),
            "is given but `started` is not: give the start month as well",
        ),
        _ => {}
    }
    let delivered = matches!(o.delivered, Some(Seen::In(_)));
    for (key, value) in [
        ("floor_area_m2", o.floor_area_m2),
        ("occupancy", o.occupancy),
        ("tech_smes", o.tech_smes),
        ("specialized", o.specialized),
        ("revenue_cny", o.revenue_cny),
        ("jobs", o.jobs),
    ] {
        if let (Some(v), false) = (value, delivered) {
            problems.push(
                &at(key),
                f.child(key),
                format!("{v} describes a block in operation, but the block has no `delivered = \"YYYY-MM\"`: give its delivery month"),
            );
        }
    }
    if let (Some(s), Some(t)) = (o.specialized, o.tech_smes) {
        if s > t {
            problems.push(
                &at("specialized"),
                f.child("specialized"),
                format!("{s} is more than tech_smes {t}: parkcast counts 专精特新 firms among a block's tech SMEs"),
            );
        }
    }
}

fn read_added(
    node: &Node,
    path: &str,
    seeds: &Seeds,
    earlier: &[AddedBlock],
    as_of: Option<Month>,
    problems: &mut Problems,
) -> Option<AddedBlock> {
    let f = Fields::of(node, path, problems)?;
    let mut allowed: Vec<&str> = vec![
        "id",
        "name_zh",
        "name_en",
        "land_mu",
        "land_type",
        "district",
        "industry_group",
        "path",
        "developer_kind",
        "planned_start",
    ];
    allowed.extend(BLOCK_KEYS);
    f.allow_only(&allowed, problems);
    let before = problems.len();
    let id = f.integer_in("id", 21..=999, "21–999 (1–20 are the annex's blocks)", problems);
    if let (Some(id), Some(n)) = (id, f.node("id")) {
        if seeds.block(id as u32).is_some() || earlier.iter().any(|a| a.block.id == id as u32) {
            problems.push(&n.origin, f.child("id"), format!("{id} is already used by another block"));
        }
    }
    let name_zh = f.string("name_zh", problems).unwrap_or_default().to_string();
    let name_en = f.string("name_en", problems).unwrap_or_default().to_string();
    let land_mu = f.number("land_mu", problems);
    if let (Some(mu), Some(n)) = (land_mu, f.node("land_mu")) {
        if !(mu > 0.0 && mu <= 10_000.0) {
            problems.push(
                &n.origin,
                f.child("land_mu"),
                format!("{mu} is outside the allowed range 0 (exclusive) to 10,000 mu"),
            );
        }
    }
    fn vocab<T>(
        f: &Fields,
        key: &str,
        parse: fn(&str) -> Option<T>,
        keys: Vec<&str>,
        problems: &mut Problems,
    ) -> Option<T> {
        let text = f.string(key, problems)?;
        let v = parse(text);
        if v.is_none() {
            let origin = f.node(key).map(|n| n.origin.clone()).unwrap_or_else(|| f.origin.clone());
            problems.push(&origin, f.child(key), format!("`{text}` is not one of: {}", keys.join(", ")));
        }
        v
    }
    let land_type = vocab(&f, "land_type", LandType::from_key, LandType::keys(), problems);
    let district = vocab(&f, "district", District::from_key, District::keys(), problems);
    let industry_group = vocab(&f, "industry_group", IndustryGroup::from_key, IndustryGroup::keys(), problems);
    let build_path = vocab(&f, "path", BuildPath::from_key, BuildPath::keys(), problems);
    let developer_kind = vocab(&f, "developer_kind", DeveloperKind::from_key, DeveloperKind::keys(), problems);
    let started = seen(&f, "started", problems);
    let planned = f.node("planned_start").and_then(|_| month_field(&f, "planned_start", problems));
    let start = match (planned, started) {
        (Some(p), _) => Some(StartStatus::PlannedMonth(p)),
        // a block that has started is simulated from its observed start
        (None, Some(Seen::In(m))) => Some(StartStatus::PlannedMonth(m)),
        _ => {
            problems.push(
                f.origin,
                path,
                "give `planned_start = \"YYYY-MM\"` (or `started = \"YYYY-MM\"` if it has started)",
            );
            None
        }
    };
    if problems.len() > before {
        return None;
    }
    let start = start.expect("checked");
    let id = id.expect("checked") as u32;
    let mut block = Block {
        id,
        district: district.expect("checked"),
        batch: 0,
        name_zh: name_zh.clone(),
        name_en: name_en.clone(),
        street_zh: String::new(),
        street_en: String::new(),
        land_mu: land_mu.expect("checked"),
        land_type: land_type.expect("checked"),
        start_zh: String::new(),
        start,
        industry_zh: String::new(),
        industry_en: String::new(),
        developer_zh: String::new(),
        developer_en: String::new(),
        developer_kind: developer_kind.expect("checked"),
        zone: Zone::Undetermined,
        industry_group: industry_group.expect("checked"),
        path: build_path.expect("checked"),
        known_start: None,
    };
    block.start_zh = match start {
        StartStatus::PlannedMonth(m) => format!("{}年{}月（新增）", m.year(), m.month()),
        _ => "新增".into(),
    };
    let observation = read_block(&observation_fields(node), path, &block, as_of, problems)?;
    Some(AddedBlock { block, observation })
}

/// The observation fields of an `[[added]]` table (its block definition left out).
fn observation_fields(node: &Node) -> Node {
    let mut t = Table::default();
    if let Value::Table(table) = &node.value {
        for (k, v) in table.iter() {
            if BLOCK_KEYS.contains(&k) {
                t.insert(k, v.clone());
            }
        }
    }
    Node { value: Value::Table(t), origin: node.origin.clone() }
}

fn read_base(node: &Node, as_of: Option<Month>, problems: &mut Problems) -> BaseObservation {
    let Some(f) = Fields::of(node, "base", problems) else { return BaseObservation::default() };
    f.allow_only(&["revenue_year", "revenue_cny", "specialized", "tech_smes", "note"], problems);
    let year = f.opt_integer("revenue_year", problems);
    let revenue = amount(&f, "revenue_cny", 1.0e13, false, problems);
    let given = (f.node("revenue_year").is_some(), f.node("revenue_cny").is_some());
    let revenue = match (year, revenue) {
        (Some(y), Some(r)) => {
            let origin = f.node("revenue_year").map(|n| n.origin.clone()).unwrap_or_else(|| f.origin.clone());
            let last_complete = as_of.map(|m| if m.month() == 12 { m.year() } else { m.year() - 1 } as i64);
            if y < 2024 || y > last_complete.unwrap_or(2100) {
                problems.push(
                    &origin,
                    "base.revenue_year",
                    format!(
                        "{y} is not a complete calendar year between 2024 and the as-of month{}",
                        as_of.map(|m| format!(" {m}")).unwrap_or_default()
                    ),
                );
                None
            } else {
                Some((y as i32, r))
            }
        }
        _ if given.0 != given.1 => {
            problems.push(f.origin, "base", "give revenue_year and revenue_cny together");
            None
        }
        _ => None,
    };
    let _ = f.opt_string("note", problems);
    BaseObservation {
        revenue,
        specialized: amount(&f, "specialized", 1.0e5, true, problems),
        tech_smes: amount(&f, "tech_smes", 1.0e6, true, problems),
    }
}
