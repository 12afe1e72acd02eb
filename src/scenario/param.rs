//! Reading one parameter: a distribution with its source or assumption.
//!
//! In a file a parameter is a table with one distribution family and a `source` or an
//! `assumption`, e.g. `delay_months = { pert = { min = 6, mode = 9, max = 18 }, source = "…" }`.
//! A command-line override may give a bare number (a fixed value).

use super::distribution::{Dist, DistError, FAMILIES};
use super::registry::{Kind, ParamDef};
use super::uncertainty::{read_kind, Uncertainty};
use crate::toml_tree::{nearest, Fields, Node, Origin, Problems, Value};
use std::fmt;

/// Why a value is what it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Basis {
    /// A published figure (see docs/calibration.md).
    Source(String),
    /// A judgement, with the reason.
    Assumption(String),
    /// Set on the command line.
    Override,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Basis::Source(s) => write!(f, "source: {s}"),
            Basis::Assumption(s) => write!(f, "assumption: {s}"),
            Basis::Override => write!(f, "command-line override"),
        }
    }
}

/// Which level of the scenario set a block's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    /// `[params]` (or a city-wide section: `[base]`, `[shocks]`).
    Global,
    /// `[groups.<axis>.<value>]`.
    Group { axis: &'static str, value: String },
    /// `[blocks.<id>]`.
    Block(u32),
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Global => write!(f, "params"),
            Level::Group { axis, value } => write!(f, "groups.{axis}.{value}"),
            Level::Block(id) => write!(f, "blocks.{id}"),
        }
    }
}

/// A validated parameter.
#[derive(Clone, Debug)]
pub struct Param {
    pub dist: Dist,
    pub origin: Origin,
    pub level: Level,
    pub basis: Basis,
    /// The kind of uncertainty stated in the parameter's table (`kind = "epistemic"`), if any.
    pub kind: Option<Uncertainty>,
}

/// Reads a parameter node at `path` (e.g. `blocks.7.start.delay_months`) for `def`.
pub fn read_param(node: &Node, path: &str, def: &ParamDef, level: Level, problems: &mut Problems) -> Option<Param> {
    let before = problems.len();
    let mut kind = None;
    let (dist, basis) = match &node.value {
        Value::Integer(_) | Value::Float(_) | Value::Boolean(_) if node.origin.is_override() => {
            let x = match node.value {
                Value::Boolean(b) => Some(if b { 1.0 } else { 0.0 }),
                _ => crate::toml_tree::number(node, path, problems),
            }?;
            (dist_or_problem(Dist::fixed(x), &node.origin, path, problems)?, Basis::Override)
        }
        Value::Table(_) => {
            let f = Fields::of(node, path, problems)?;
            let mut family = None;
            for (key, child) in f.table.iter() {
                if FAMILIES.contains(&key) {
                    if let Some((first, _)) = family {
                        problems.push(
                            &child.origin,
                            f.child(key),
                            format!("a parameter has one distribution; found both `{first}` and `{key}`"),
                        );
                    } else {
                        family = Some((key, child));
                    }
                } else if key == "kind" {
                    kind = read_kind(child, &f.child(key), problems);
                } else if key != "source" && key != "assumption" {
                    let mut allowed: Vec<&str> = FAMILIES.to_vec();
                    allowed.extend(["source", "assumption", "kind"]);
                    let hint = match nearest(key, allowed.iter().copied()) {
                        Some(n) => format!("; did you mean `{n}`?"),
                        None => String::new(),
                    };
                    problems.push(&child.origin, f.child(key), format!(
                        "unknown key `{key}`{hint} (a parameter takes one distribution — {} — and `source` or `assumption`, optionally `kind`)",
                        FAMILIES.join(", ")
                    ));
                }
            }
            let source = f.opt_string("source", problems);
            let assumption = f.opt_string("assumption", problems);
            let basis = match (source, assumption) {
                (Some(s), _) if !s.trim().is_empty() => Some(Basis::Source(s.to_string())),
                (_, Some(a)) if !a.trim().is_empty() => Some(Basis::Assumption(a.to_string())),
                _ if node.origin.is_override() => Some(Basis::Override),
                _ => {
                    problems.push(
                        &node.origin,
                        path,
                        "says neither where its value comes from nor why: add `source = \"…\"` or `assumption = \"…\"`",
                    );
                    None
                }
            };
            let Some((family, spec)) = family else {
                problems.push(
                    &node.origin,
                    path,
                    format!("no distribution given (use one of: {})", FAMILIES.join(", ")),
                );
                return None;
            };
            let dist = read_dist(family, spec, &f.child(family), problems)?;
            (dist, basis?)
        }
        other => {
            problems.push(
                &node.origin,
                path,
                format!(
                    "expected a distribution table such as {{ fixed = 12, source = \"…\" }}, found {}",
                    other.brief()
                ),
            );
            return None;
        }
    };
    check_domain(&dist, def, &node.origin, path, problems);
    (problems.len() == before).then(|| Param { dist, origin: node.origin.clone(), level, basis, kind })
}

fn dist_or_problem(r: Result<Dist, DistError>, origin: &Origin, path: &str, problems: &mut Problems) -> Option<Dist> {
    r.map_err(|e| problems.push(origin, path, e.to_string())).ok()
}

/// Reads a distribution given its family name and its parameters node.
pub fn read_dist(family: &str, spec: &Node, path: &str, problems: &mut Problems) -> Option<Dist> {
    // Families with a single parameter also take a bare number: `fixed = 3`, `bernoulli = 0.7`.
    let scalar_key = match family {
        "fixed" => Some("value"),
        "bernoulli" => Some("p"),
        "poisson" => Some("lambda"),
        _ => None,
    };
    let spec = match (&spec.value, scalar_key) {
        (Value::Integer(_) | Value::Float(_), Some(key)) => {
            let mut t = crate::toml_tree::Table::default();
            t.insert(key, spec.clone());
            Node { value: Value::Table(t), origin: spec.origin.clone() }
        }
        _ => spec.clone(),
    };
    let f = Fields::of(&spec, path, problems)?;
    let before = problems.len();
    let keys: &[&str] = match family {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "triangular" => &["min", "mode", "max"],
        "pert" => &["min", "mode", "max", "shape"],
        "normal" => &["mean", "sd"],
        "lognormal" => &["median", "p90", "mu", "sigma"],
        "beta" => &["alpha", "beta"],
        "poisson" => &["lambda"],
        "bernoulli" => &["p"],
        "discrete" => &["values", "weights"],
        _ => unreachable!("family names come from FAMILIES"),
    };
    f.allow_only(keys, problems);
    let n = |k: &str, p: &mut Problems| f.number(k, p);
    let result = match family {
        "fixed" => n("value", problems).map(Dist::fixed),
        "uniform" => zip2(n("min", problems), n("max", problems)).map(|(a, b)| Dist::uniform(a, b)),
        "triangular" => {
            zip3(n("min", problems), n("mode", problems), n("max", problems)).map(|(a, c, b)| Dist::triangular(a, c, b))
        }
        "pert" => {
            let shape = f.opt_number("shape", problems);
            zip3(n("min", problems), n("mode", problems), n("max", problems))
                .map(|(a, c, b)| Dist::pert(a, c, b, shape))
        }
        "normal" => zip2(n("mean", problems), n("sd", problems)).map(|(m, s)| Dist::normal(m, s)),
        "lognormal" => {
            let by_quantiles = f.node("median").is_some() || f.node("p90").is_some();
            let by_moments = f.node("mu").is_some() || f.node("sigma").is_some();
            if by_quantiles && by_moments {
                problems.push(f.origin, path, "give either median and p90, or mu and sigma, not both");
                None
            } else if by_moments {
                zip2(n("mu", problems), n("sigma", problems)).map(|(m, s)| Dist::lognormal(m, s))
            } else {
                zip2(n("median", problems), n("p90", problems)).map(|(m, p)| Dist::lognormal_median_p90(m, p))
            }
        }
        "beta" => zip2(n("alpha", problems), n("beta", problems)).map(|(a, b)| Dist::beta(a, b)),
        "poisson" => n("lambda", problems).map(Dist::poisson),
        "bernoulli" => n("p", problems).map(Dist::bernoulli),
        "discrete" => {
            let values =
                f.require("values", problems).and_then(|v| crate::toml_tree::numbers(v, &f.child("values"), problems));
            // weights may be left out: equal weights
            let weights = match f.node("weights") {
                Some(v) => crate::toml_tree::numbers(v, &f.child("weights"), problems),
                None => values.as_ref().map(|v| vec![1.0 / v.len().max(1) as f64; v.len()]),
            };
            zip2(values, weights).map(|(v, w)| Dist::discrete(v, w))
        }
        _ => unreachable!(),
    };
    if problems.len() > before {
        return None;
    }
    dist_or_problem(result?, f.origin, path, problems)
}

fn zip2<A, B>(a: Option<A>, b: Option<B>) -> Option<(A, B)> {
    Some((a?, b?))
}
fn zip3<A, B, C>(a: Option<A>, b: Option<B>, c: Option<C>) -> Option<(A, B, C)> {
    Some((a?, b?, c?))
}

fn range_text(lo: f64, hi: f64) -> String {
    let f = |x: f64| {
        if x.is_infinite() {
            if x > 0.0 {
                "inf".to_string()
            } else {
                "-inf".to_string()
            }
        } else {
            super::distribution::fmt_num(x)
        }
    };
    format!("[{}, {}]", f(lo), f(hi))
}

/// The largest magnitude a parameter's values may reach. Far beyond any real quantity in the
/// model (the largest, revenue, is about 1e11 CNY a year), and small enough that no product or
/// sum of parameters in the model (at most four factors) can overflow to infinity, which would
/// make metrics NaN.
pub const MAX_MAGNITUDE: f64 = 1e30;
/// How many standard deviations an unbounded family is checked to: the normal sampler's tail
/// never reaches 14 (its uniforms have 53 bits).
const Z_REACH: f64 = 15.0;

/// The range an unbounded distribution can actually draw from (bounded ones: their support),
/// and how it was worked out.
fn reach(dist: &Dist) -> ((f64, f64), &'static str) {
    let z = Z_REACH;
    match *dist {
        Dist::Normal { mean, sd } => ((mean - z * sd, mean + z * sd), "mean ± 15 sd"),
        Dist::LogNormal { mu, sigma, .. } => ((0.0, (mu + z * sigma).exp()), "exp(mu + 15 sigma)"),
        Dist::Poisson { lambda, .. } => ((0.0, lambda + z * lambda.sqrt() + z), "lambda + 15 sd"),
        _ => (dist.support(), "its largest value"),
    }
}

/// Checks that the distribution can only produce values the parameter allows.
fn check_domain(dist: &Dist, def: &ParamDef, origin: &Origin, path: &str, problems: &mut Problems) {
    let (lo, hi) = dist.support();
    let allowed = range_text(def.lo, def.hi);
    match def.kind {
        Kind::Event => {
            let ok = matches!(dist, Dist::Bernoulli { .. }) || matches!(dist, Dist::Fixed(v) if *v == 0.0 || *v == 1.0);
            if !ok {
                problems.push(
                    origin,
                    path,
                    format!(
                        "{} is an event (it happens or not): use bernoulli = {{ p = … }}, or fixed = 0 or 1; found {}",
                        def.path,
                        dist.family()
                    ),
                );
            }
            return;
        }
        Kind::Count if !dist.is_integer_valued() => {
            problems.push(origin, path, format!(
                "{} is a whole number of {}: use fixed (a whole number), poisson or discrete with whole values; found {}",
                def.path, def.unit, dist.family()
            ));
            return;
        }
        _ => {}
    }
    if lo < def.lo || hi > def.hi {
        let values = if lo == hi {
            format!("value {}", super::distribution::fmt_num(lo))
        } else {
            format!("values in {}", range_text(lo, hi))
        };
        let hint = if lo.is_infinite() || hi.is_infinite() {
            " (an unbounded family cannot be used here; try triangular, pert, uniform or beta)"
        } else {
            ""
        };
        problems.push(
            origin,
            path,
            format!(
                "{} {values}, outside the allowed range {allowed} ({}) of {}{hint}",
                dist.family(),
                def.unit,
                def.path
            ),
        );
        return;
    }
    let ((lo, hi), how) = reach(dist);
    let far = if hi > MAX_MAGNITUDE { hi } else { lo };
    if far.abs() > MAX_MAGNITUDE || far.is_nan() {
        let at = if far.is_finite() { format!("{far:.3e}") } else { format!("{far}") };
        problems.push(
            origin,
            path,
            format!(
                "{} reaches {at} ({how}), beyond ±1e30, the largest magnitude a parameter may take (larger values overflow the model's sums)",
                dist.family()
            ),
        );
    }
}
