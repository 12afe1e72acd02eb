//! Which key paths a sweep or goal-seek may vary: numbers of the scenario, named the way
//! `--set` names them.

use crate::scenario::levers::LeverValue;
use crate::scenario::{Dist, Scenario, Scope, GROUP_AXES, LEVERS, PARAMS};
use crate::toml_tree::nearest;
use crate::Error;

/// Field names of a distribution as written in files.
fn fields(d: &Dist) -> Vec<String> {
    let family = d.family();
    let names: &[&str] = match d {
        Dist::Fixed(_) => &["value"],
        Dist::Uniform { .. } => &["min", "max"],
        Dist::Triangular { .. } => &["min", "mode", "max"],
        Dist::Pert { .. } => &["min", "mode", "max", "shape"],
        Dist::Normal { .. } => &["mean", "sd"],
        Dist::LogNormal { median_p90: Some(_), .. } => &["median", "p90"],
        Dist::LogNormal { .. } => &["mu", "sigma"],
        Dist::Beta { .. } => &["alpha", "beta"],
        Dist::Poisson { .. } => &["lambda"],
        Dist::Bernoulli { .. } => &["p"],
        Dist::Discrete { .. } => &[],
    };
    names.iter().map(|f| format!("{family}.{f}")).collect()
}

/// The numeric paths of a scenario: lever values, every parameter (set as a fixed value) and
/// every field of its distribution, globally.
pub fn numeric_paths(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    for l in LEVERS {
        match l.value {
            LeverValue::Number { .. } => out.push(format!("levers.{}.value", l.name)),
            LeverValue::Replacement => out.push("levers.replacement.lag_months".into()),
        }
    }
    for (i, def) in PARAMS.iter().enumerate() {
        let base = match def.scope {
            Scope::Block => format!("params.{}", def.path),
            Scope::City => def.path.to_string(),
        };
        for f in fields(&s.global[i].dist) {
            out.push(format!("{base}.{f}"));
        }
        out.push(base);
    }
    out
}

/// Checks that `path` names a number of the scenario; otherwise an error naming the nearest
/// valid paths. Paths under `blocks.<id>.` and `groups.<axis>.<value>.` take the same
/// parameter names as `params.`.
pub fn check_param_path(path: &str, s: &Scenario) -> Result<(), Error> {
    let valid = numeric_paths(s);
    if valid.iter().any(|v| v == path) {
        return Ok(());
    }
    let parts: Vec<&str> = path.split('.').collect();
    let param_rest = match parts.first() {
        Some(&"blocks") if parts.len() >= 4 && s.blocks.iter().any(|b| b.id.to_string() == parts[1]) => {
            Some(parts[2..].join("."))
        }
        Some(&"groups") if parts.len() >= 5 && GROUP_AXES.contains(&parts[1]) => Some(parts[3..].join(".")),
        _ => None,
    };
    if let Some(rest) = param_rest {
        let as_param = format!("params.{rest}");
        let param_only = format!("params.{}", rest.split('.').take(2).collect::<Vec<_>>().join("."));
        if valid.contains(&param_only) && (as_param == param_only || rest.split('.').count() == 4) {
            return Ok(());
        }
    }
    let mut scored: Vec<(f64, &String)> =
        valid.iter().map(|v| (strsim::normalized_damerau_levenshtein(path, v), v)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let best = nearest(path, valid.iter().map(String::as_str));
    let mut names: Vec<&str> = best.into_iter().collect();
    for (_, v) in scored {
        if names.len() >= 3 {
            break;
        }
        if !names.contains(&v.as_str()) {
            names.push(v);
        }
    }
    Err(Error::Usage(format!(
        "--param {path}: not a number of the scenario; nearest valid paths: {} (every parameter: parkcast validate; levers: levers.<name>.value)",
        names.join(", ")
    )))
}
