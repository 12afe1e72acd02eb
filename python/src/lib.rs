//! parkcast from Python: the compiled part of the `parkcast` package (`parkcast._parkcast`).
//!
//! One more edge of the pipeline, like the CLI: it loads scenarios, runs the engine and returns
//! what the library computes — the summary as the same JSON document `parkcast run --json`
//! prints, and the per-trial columns as little-endian bytes the Python wrapper views as NumPy
//! arrays. No NumPy or pandas on the Rust side; the wrapper (python/parkcast/__init__.py)
//! builds the DataFrames. The GIL is released while simulating.

use parkcast::cli::load_seeds;
use parkcast::engine::{self, Aggregate, RunOptions};
use parkcast::model::{Plan, METRIC_COUNT};
use parkcast::report::export::summary_json;
use parkcast::scenario::levers::LeverValue;
use parkcast::scenario::{Scenario, ScenarioSource, Scope, LEVERS, PARAMS};
use parkcast::seeds::{Reading, Seeds, TargetId};
use parkcast::summary::Summary;
use parkcast::whatif::{self, Common};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde_json::json;
use std::path::Path;
use std::sync::atomic::AtomicBool;

pyo3::create_exception!(
    _parkcast,
    ParkcastError,
    PyException,
    "A problem parkcast reports (bad scenario, override, seeds or argument): the same text the command line prints."
);

/// A parkcast error as a Python exception with the CLI's text; `code` is the CLI's exit code
/// (2: input to fix, 1: failure at run time, 130: interrupted).
fn py_err(e: parkcast::Error) -> PyErr {
    ParkcastError::new_err((e.to_string(), e.exit_code()))
}

fn usage(message: String) -> PyErr {
    py_err(parkcast::Error::Usage(message))
}

fn source(scenario: Option<&str>) -> ScenarioSource {
    match scenario {
        Some(s) => ScenarioSource::from_arg(s),
        None => ScenarioSource::default_baseline(),
    }
}

fn seeds(dir: Option<&str>) -> PyResult<Seeds> {
    load_seeds(dir.map(Path::new)).map_err(py_err)
}

/// The overrides with the keyword arguments that set settings, as the CLI's flags do.
fn overrides(mut o: Vec<String>, targets: Option<&str>, sampling: Option<&str>) -> Vec<String> {
    if let Some(t) = targets {
        o.push(format!("settings.target_set={}", toml_string(t)));
    }
    if let Some(m) = sampling {
        o.push(format!("settings.sampling={}", toml_string(m)));
    }
    o
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn load(source: &ScenarioSource, overrides: &[String], seeds: &Seeds) -> PyResult<Scenario> {
    parkcast::scenario::load(source, overrides, seeds).map_err(|e| py_err(e.into()))
}

/// Threads: the CLI's rule (at least 1, at most 1024; all cores when not given).
fn threads(t: Option<usize>) -> PyResult<usize> {
    match t {
        Some(0) => Err(usage("threads=0: give at least 1 thread".into())),
        Some(t) if t > 1024 => Err(usage(format!("threads={t}: at most 1024"))),
        Some(t) => Ok(t),
        None => Ok(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
    }
}

/// The scenario's common settings with `trials` and `seed` when given (as `settings.*`
/// overrides, so they are validated like the CLI's `--trials` and `--seed`).
fn common(
    source: &ScenarioSource,
    overrides: &[String],
    seeds: &Seeds,
    trials: Option<u64>,
    seed: Option<u64>,
    threads_arg: Option<usize>,
) -> PyResult<(Common, Vec<String>)> {
    let mut o = overrides.to_vec();
    if let Some(t) = trials {
        o.push(format!("settings.trials={t}"));
    }
    if let Some(s) = seed {
        if s > i64::MAX as u64 {
            return Err(usage(format!("seed={s}: outside the allowed range 0 to {} (2^63 − 1)", i64::MAX)));
        }
        o.push(format!("settings.seed={s}"));
    }
    let s = load(source, &o, seeds)?;
    Ok((Common { trials: s.settings.trials, seed: s.settings.seed, threads: threads(threads_arg)? }, o))
}

/// f64 values as little-endian bytes.
fn f64_bytes<'py>(py: Python<'py>, v: &[f64]) -> Bound<'py, PyBytes> {
    let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    PyBytes::new(py, &bytes)
}

/// Per-trial columns of a run: each target's value at the deadline (headline reading), every
/// reading (`reading.<target>.<reading>`), and each block's start and first-operation month index (`block_start`, blocks ×
/// trials, i16; 32767 = not by the horizon).
fn columns<'py>(py: Python<'py>, plan: &Plan, agg: &Aggregate) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (m, id) in TargetId::ALL.iter().enumerate().take(METRIC_COUNT) {
        d.set_item(id.key(), f64_bytes(py, &agg.columns.metric[m]))?;
    }
    for r in Reading::ALL {
        d.set_item(
            format!("reading.{}.{}", r.target().key(), r.key()),
            f64_bytes(py, agg.columns.reading(&plan.headline(), r)),
        )?;
    }
    for (name, months) in [("block_start", &agg.columns.start), ("block_delivery", &agg.columns.delivery)] {
        let bytes: Vec<u8> = months.iter().flatten().flat_map(|m| m.to_le_bytes()).collect();
        d.set_item(name, PyBytes::new(py, &bytes))?;
    }
    Ok(d)
}

/// Runs a scenario: (the summary document as JSON text, the per-trial columns as bytes).
#[pyfunction]
#[pyo3(signature = (scenario=None, overrides=Vec::new(), trials=None, seed=None, threads=None, targets=None, sampling=None, seeds_dir=None))]
#[allow(clippy::too_many_arguments)]
fn run<'py>(
    py: Python<'py>,
    scenario: Option<&str>,
    overrides: Vec<String>,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    targets: Option<&str>,
    sampling: Option<&str>,
    seeds_dir: Option<&str>,
) -> PyResult<(String, Bound<'py, PyDict>)> {
    let seeds = self::seeds(seeds_dir)?;
    let src = source(scenario);
    let o = self::overrides(overrides, targets, sampling);
    let (common, o) = self::common(&src, &o, &seeds, trials, seed, threads)?;
    let s = load(&src, &o, &seeds)?;
    let plan = Plan::new(&s);
    let opts = RunOptions { trials: common.trials, seed: common.seed, threads: common.threads, precision: None };
    let cancel = AtomicBool::new(false);
    let agg = py.detach(|| engine::run(&plan, &opts, &cancel, &|_, _| {})).map_err(|e| py_err(run_failed(e)))?;
    let summary = Summary::new(&plan, &agg);
    Ok((summary_json::to_text(&s, &summary), columns(py, &plan, &agg)?))
}

fn run_failed(e: engine::RunError) -> parkcast::Error {
    match e {
        engine::RunError::Interrupted { .. } => parkcast::Error::Interrupted(e.to_string()),
        other => parkcast::Error::Runtime(other.to_string()),
    }
}

/// Several scenarios on common random numbers, each against the first: JSON rows (scenario,
/// target or "all", p_met, ci_low, ci_high, diff, diff_low, diff_high).
#[pyfunction]
#[pyo3(signature = (scenarios, overrides=Vec::new(), trials=None, seed=None, threads=None, seeds_dir=None))]
fn compare(
    py: Python<'_>,
    scenarios: Vec<String>,
    overrides: Vec<String>,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    seeds_dir: Option<&str>,
) -> PyResult<String> {
    if scenarios.len() < 2 {
        return Err(usage(format!("compare needs at least two scenarios, got {}", scenarios.len())));
    }
    let seeds = self::seeds(seeds_dir)?;
    let sources: Vec<ScenarioSource> = scenarios.iter().map(|s| source(Some(s))).collect();
    let (common, _) = self::common(&sources[0], &overrides, &seeds, trials, seed, threads)?;
    let cancel = AtomicBool::new(false);
    let rows = py.detach(|| whatif::compare(&sources, &overrides, &seeds, common, &cancel)).map_err(py_err)?;
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "scenario": r.scenario,
                "target": r.target.map_or("all", |t| t.key()),
                "p_met": r.p_met, "ci_low": r.ci.low, "ci_high": r.ci.high,
                "diff": r.diff.0, "diff_low": r.diff.1, "diff_high": r.diff.2,
            })
        })
        .collect();
    Ok(json!({ "trials": common.trials, "seed": common.seed, "rows": rows }).to_string())
}

/// One key path over values on common random numbers: JSON rows (value, target or "all",
/// p_met, ci_low, ci_high).
#[pyfunction]
#[pyo3(signature = (path, values, scenario=None, overrides=Vec::new(), trials=None, seed=None, threads=None, seeds_dir=None))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    path: &str,
    values: Vec<f64>,
    scenario: Option<&str>,
    overrides: Vec<String>,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    seeds_dir: Option<&str>,
) -> PyResult<String> {
    if values.is_empty() {
        return Err(usage("sweep needs at least one value".into()));
    }
    if let Some(v) = values.iter().find(|v| !v.is_finite()) {
        return Err(usage(format!("sweep value {v} is not a finite number")));
    }
    let seeds = self::seeds(seeds_dir)?;
    let src = source(scenario);
    let (common, _) = self::common(&src, &overrides, &seeds, trials, seed, threads)?;
    let s = load(&src, &overrides, &seeds)?;
    whatif::check_param_path(path, &s).map_err(py_err)?;
    let spec = whatif::SweepSpec { path, values: &values };
    let cancel = AtomicBool::new(false);
    let rows =
        py.detach(|| whatif::sweep(&src, &overrides, &spec, &seeds, common, &cancel, &|_, _| {})).map_err(py_err)?;
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "value": r.value, "target": r.target.map_or("all", |t| t.key()),
                "p_met": r.p_met, "ci_low": r.ci.low, "ci_high": r.ci.high,
            })
        })
        .collect();
    Ok(json!({ "path": path, "trials": common.trials, "seed": common.seed, "rows": rows }).to_string())
}

/// The scenario's uncertainties (every parameter with its scenario-wide distribution: family,
/// mean, 5/50/95 % quantiles, support, allowed range, unit, kind: epistemic or aleatory) and levers (value, range, unit,
/// 责任单位), as JSON.
#[pyfunction]
#[pyo3(signature = (scenario=None, overrides=Vec::new(), seeds_dir=None))]
fn parameters(scenario: Option<&str>, overrides: Vec<String>, seeds_dir: Option<&str>) -> PyResult<String> {
    let seeds = self::seeds(seeds_dir)?;
    let s = load(&source(scenario), &overrides, &seeds)?;
    let finite = |x: f64| if x.is_finite() { json!(x) } else { json!(null) };
    let uncertainties: Vec<_> = PARAMS
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let d = &s.global[i].dist;
            let (lo, hi) = d.support();
            let path = match def.scope {
                Scope::Block => format!("params.{}", def.path),
                Scope::City => def.path.to_string(),
            };
            json!({
                "path": path,
                "scope": match def.scope { Scope::Block => "block", Scope::City => "city" },
                "family": d.family(),
                "mean": finite(d.mean()),
                "p05": finite(d.quantile(0.05)), "p50": finite(d.quantile(0.5)), "p95": finite(d.quantile(0.95)),
                "support_low": finite(lo), "support_high": finite(hi),
                "allowed_low": finite(def.lo), "allowed_high": finite(def.hi),
                "unit": def.unit,
                "kind": s.kind_of(None, i).0.name(),
            })
        })
        .collect();
    let levers: Vec<_> = LEVERS
        .iter()
        .filter_map(|l| match l.value {
            LeverValue::Number { off, lo, hi } => Some(json!({
                "path": format!("levers.{}.value", l.name),
                "name": l.name, "label_zh": l.label_zh, "label_en": l.label_en,
                "value": s.levers.value(l.name), "off": off, "low": lo, "high": hi,
                "unit": l.unit, "departments": l.departments,
            })),
            LeverValue::Replacement => None,
        })
        .collect();
    Ok(json!({ "scenario": s.name, "uncertainties": uncertainties, "levers": levers }).to_string())
}

/// The Rust library's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _parkcast(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ParkcastError", m.py().get_type::<ParkcastError>())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(parameters, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
