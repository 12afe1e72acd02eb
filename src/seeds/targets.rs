//! `seeds/targets.toml`: named sets of 2027 targets (the draft, the final text, Nanhu's plan).

use super::kinds::District;
use super::readings::{JobsMeasure, ParksCountAt, ParksSites, Reading};
use crate::month::Month;
use crate::toml_tree::{self, Fields, Problems};

/// The five target metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetId {
    Parks,
    Specialized,
    TechSmes,
    Revenue,
    Jobs,
}

impl TargetId {
    pub const ALL: [TargetId; 5] =
        [TargetId::Parks, TargetId::Specialized, TargetId::TechSmes, TargetId::Revenue, TargetId::Jobs];
    pub fn key(self) -> &'static str {
        match self {
            TargetId::Parks => "parks",
            TargetId::Specialized => "specialized",
            TargetId::TechSmes => "tech_smes",
            TargetId::Revenue => "revenue",
            TargetId::Jobs => "jobs",
        }
    }
    pub fn from_key(key: &str) -> Option<TargetId> {
        TargetId::ALL.iter().copied().find(|t| t.key() == key)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            TargetId::Parks => "建成产业园",
            TargetId::Specialized => "专精特新企业",
            TargetId::TechSmes => "科技型中小企业",
            TargetId::Revenue => "营业收入",
            TargetId::Jobs => "新增就业",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            TargetId::Parks => "parks built",
            TargetId::Specialized => "specialized (专精特新) firms",
            TargetId::TechSmes => "tech SMEs",
            TargetId::Revenue => "revenue",
            TargetId::Jobs => "new jobs",
        }
    }
}

/// Which 专精特新 firms count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecializedTier {
    /// Provincial 专精特新 and national 小巨人.
    ProvincialAndAbove,
    /// National 专精特新 小巨人 only.
    National,
}

/// Which revenue counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevenueScope {
    /// Above-designated-size (规上) firms only (the draft's 规上工业营收).
    AboveScale,
    /// All urban-type industry revenue (the final text's 营业收入).
    All,
}

/// Which annex blocks count toward a target set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockScope {
    All,
    District(District),
}

/// Which existing base counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseScope {
    City,
    Nanhu,
}

/// One target of a set.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub id: TargetId,
    /// The number to reach (inclusive: met when the metric ≥ threshold).
    pub threshold: f64,
    /// The text says 左右 ("about"); `threshold` is the explicit number used.
    pub about: bool,
    pub unit: String,
    pub counts: String,
    /// For `specialized`.
    pub tier: Option<SpecializedTier>,
    /// For `revenue`.
    pub revenue_scope: Option<RevenueScope>,
    /// The reading (口径) the target is judged under: the headline reading.
    pub reading: Reading,
    /// For a 左右 target: the share below the threshold within which it also reports
    /// P(met) (0.1: ≥ 18 parks for "about 20").
    pub tolerance: Option<f64>,
}

impl Target {
    /// The threshold less the tolerance of a 左右 target (`None` if it states none).
    pub fn tolerance_threshold(&self) -> Option<f64> {
        self.tolerance.map(|t| self.threshold * (1.0 - t))
    }
}

/// The tolerance of a 左右 target when its set states none: ±10 %.
pub const DEFAULT_TOLERANCE: f64 = 0.1;

/// A named set of targets.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetSet {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    pub source: String,
    pub policy_date: Month,
    pub deadline: Month,
    pub blocks: BlockScope,
    pub base: BaseScope,
    pub targets: Vec<Target>,
}

impl TargetSet {
    pub fn target(&self, id: TargetId) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }
    /// The metrics this set sets no target for (a set may give any non-empty subset of the
    /// five; "all targets" then combines the ones it gives).
    pub fn omitted(&self) -> Vec<TargetId> {
        TargetId::ALL.into_iter().filter(|id| self.target(*id).is_none()).collect()
    }
}

const SET_KEYS: [&str; 8] = ["label_zh", "label_en", "source", "policy_date", "deadline", "blocks", "base", "targets"];
const TARGET_KEYS: [&str; 12] = [
    "id",
    "threshold",
    "about",
    "tolerance",
    "unit",
    "counts",
    "tier",
    "revenue_scope",
    "count_at",
    "sites",
    "measure",
    "period",
];

/// Parses `targets.toml`, reporting every problem.
pub fn parse_target_sets(file: &str, text: &str) -> Result<Vec<TargetSet>, Problems> {
    let mut problems = Problems::default();
    let root = toml_tree::parse(file, text).map_err(|p| Problems(vec![p]))?;
    let mut sets = Vec::new();
    if let Some(fields) = Fields::of(&root, "", &mut problems) {
        for (id, node) in fields.table.iter() {
            if let Some(set) = Fields::of(node, id, &mut problems).and_then(|f| parse_set(id, &f, &mut problems)) {
                sets.push(set);
            }
        }
        if sets.is_empty() && problems.is_empty() {
            problems.push(fields.origin, "", "no target sets defined");
        }
    }
    if problems.is_empty() {
        Ok(sets)
    } else {
        Err(problems)
    }
}

fn month(f: &Fields, key: &str, problems: &mut Problems) -> Option<Month> {
    let text = f.string(key, problems)?;
    match text.parse::<Month>() {
        Ok(m) => Some(m),
        Err(e) => {
            problems.push(&f.node(key).expect("read").origin, f.child(key), e.to_string());
            None
        }
    }
}

fn parse_set(id: &str, f: &Fields, problems: &mut Problems) -> Option<TargetSet> {
    let before = problems.len();
    f.allow_only(&SET_KEYS, problems);
    let label_zh = f.string("label_zh", problems);
    let label_en = f.string("label_en", problems);
    let source = f.string("source", problems);
    let policy_date = month(f, "policy_date", problems);
    let deadline = month(f, "deadline", problems);
    if let (Some(p), Some(d)) = (policy_date, deadline) {
        if d <= p {
            problems.push(f.origin, f.child("deadline"), format!("deadline {d} is not after policy_date {p}"));
        }
    }
    let blocks = f.string("blocks", problems).and_then(|b| {
        if b == "all" {
            Some(BlockScope::All)
        } else if let Some(d) = District::from_zh(b).or_else(|| District::from_key(b)) {
            Some(BlockScope::District(d))
        } else {
            problems.push(
                f.origin,
                f.child("blocks"),
                format!("{b:?} is not \"all\" or a district (南湖区, 秀洲区, 经开区)"),
            );
            None
        }
    });
    let base = f.string("base", problems).and_then(|b| match b {
        "city" => Some(BaseScope::City),
        "nanhu" => Some(BaseScope::Nanhu),
        other => {
            problems.push(f.origin, f.child("base"), format!("{other:?} is not \"city\" or \"nanhu\""));
            None
        }
    });
    let mut targets = Vec::new();
    if let Some(node) = f.require("targets", problems) {
        match &node.value {
            toml_tree::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{}[{i}]", f.child("targets"));
                    if let Some(t) = Fields::of(item, &path, problems).and_then(|tf| parse_target(&tf, problems)) {
                        if targets.iter().any(|x: &Target| x.id == t.id) {
                            problems.push(&item.origin, path, format!("target `{}` is defined twice", t.id.key()));
                        } else {
                            targets.push(t);
                        }
                    }
                }
            }
            other => problems.push(
                &node.origin,
                f.child("targets"),
                format!("expected an array of tables, found {}", other.brief()),
            ),
        }
        if problems.len() == before && targets.is_empty() {
            problems.push(
                &node.origin,
                f.child("targets"),
                format!(
                    "gives no target; add at least one [[{}]] table (ids: parks, specialized, tech_smes, revenue, jobs)",
                    f.child("targets")
                ),
            );
        }
    }
    if problems.len() > before {
        return None;
    }
    Some(TargetSet {
        id: id.to_string(),
        label_zh: label_zh?.to_string(),
        label_en: label_en?.to_string(),
        source: source?.to_string(),
        policy_date: policy_date?,
        deadline: deadline?,
        blocks: blocks?,
        base: base?,
        targets,
    })
}

fn parse_target(f: &Fields, problems: &mut Problems) -> Option<Target> {
    let before = problems.len();
    f.allow_only(&TARGET_KEYS, problems);
    let id = f.string("id", problems).and_then(|s| {
        TargetId::from_key(s).or_else(|| {
            let keys: Vec<&str> = TargetId::ALL.iter().map(|t| t.key()).collect();
            problems.push(f.origin, f.child("id"), format!("{s:?} is not a target id (allowed: {})", keys.join(", ")));
            None
        })
    });
    let threshold = f.number("threshold", problems);
    if let Some(t) = threshold {
        if t <= 0.0 {
            problems.push(f.origin, f.child("threshold"), format!("{t} must be positive"));
        }
    }
    let about = f.opt_bool("about", problems).unwrap_or(false);
    let unit = f.string("unit", problems);
    let counts = f.string("counts", problems);
    let tier = f.opt_string("tier", problems).and_then(|s| match s {
        "provincial_and_above" => Some(SpecializedTier::ProvincialAndAbove),
        "national" => Some(SpecializedTier::National),
        other => {
            problems.push(f.origin, f.child("tier"), format!("{other:?} is not provincial_and_above or national"));
            None
        }
    });
    let revenue_scope = f.opt_string("revenue_scope", problems).and_then(|s| match s {
        "above_scale" => Some(RevenueScope::AboveScale),
        "all" => Some(RevenueScope::All),
        other => {
            problems.push(f.origin, f.child("revenue_scope"), format!("{other:?} is not above_scale or all"));
            None
        }
    });
    let _period = f.opt_string("period", problems);
    let tolerance = f.opt_number("tolerance", problems);
    if let Some(t) = tolerance {
        if !(0.0..1.0).contains(&t) {
            problems.push(f.origin, f.child("tolerance"), format!("{t} is not a share in [0, 1) (0.1 = ±10 %)"));
        } else if !about {
            problems.push(f.origin, f.child("tolerance"), "a tolerance needs `about = true` (the text says 左右)");
        }
    }
    let choice = |key: &str, allowed: &[&str], problems: &mut Problems| -> Option<usize> {
        let s = f.opt_string(key, problems)?;
        let at = allowed.iter().position(|a| *a == s);
        if at.is_none() {
            problems.push(f.origin, f.child(key), format!("{s:?} is not allowed (allowed: {})", allowed.join(", ")));
        }
        at
    };
    let count_at = choice("count_at", &["completion", "operation"], problems)
        .map(|i| [ParksCountAt::Completion, ParksCountAt::Operation][i]);
    let sites =
        choice("sites", &["dynamic_list", "annex"], problems).map(|i| [ParksSites::DynamicList, ParksSites::Annex][i]);
    let measure = choice("measure", &["gross", "net"], problems).map(|i| [JobsMeasure::Gross, JobsMeasure::Net][i]);
    // each reading field belongs to one target, and that target must state it
    if let Some(id) = id {
        let fields: [(&str, TargetId); 4] = [
            ("count_at", TargetId::Parks),
            ("sites", TargetId::Parks),
            ("measure", TargetId::Jobs),
            ("revenue_scope", TargetId::Revenue),
        ];
        for (key, owner) in fields {
            let stated = f.node(key).is_some();
            if owner != id && stated {
                problems.push(
                    f.origin,
                    f.child(key),
                    format!("`{key}` is a reading of the `{}` target only", owner.key()),
                );
            } else if owner == id && !stated {
                problems.push(
                    f.origin,
                    f.child(key),
                    format!("missing: the `{}` target must state its reading `{key}` (docs/targets.md)", owner.key()),
                );
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let id = id?;
    let reading = match id {
        TargetId::Parks => Reading::parks(count_at?, sites?),
        TargetId::Specialized => Reading::Specialized,
        TargetId::TechSmes => Reading::TechSmes,
        TargetId::Revenue => Reading::revenue(revenue_scope?),
        TargetId::Jobs => Reading::jobs(measure?),
    };
    Some(Target {
        id,
        threshold: threshold?,
        about,
        unit: unit?.to_string(),
        counts: counts?.to_string(),
        tier: if id == TargetId::Specialized {
            Some(tier.unwrap_or(SpecializedTier::ProvincialAndAbove))
        } else {
            None
        },
        revenue_scope: if id == TargetId::Revenue { revenue_scope } else { None },
        reading,
        tolerance: about.then(|| tolerance.unwrap_or(DEFAULT_TOLERANCE)),
    })
}
