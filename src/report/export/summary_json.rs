//! A run's summary as one JSON document on standard output (`parkcast run --json`) and for the
//! Python package: what a program calling parkcast reads instead of the tables.
//!
//! Versioned by `schema`; fields are added, never renamed, within a schema version.

use crate::scenario::Scenario;
use crate::summary::Summary;
use serde_json::{json, Value};

/// Version of the document's layout.
pub const SCHEMA: u32 = 1;

/// The document: what was run (scenario, its hash, seed, trials, target set and its headline
/// readings) and the summary (targets, readings, what you must believe, blocks, monthly series).
pub fn document(scenario: &Scenario, summary: &Summary) -> Value {
    let headline: serde_json::Map<String, Value> =
        scenario.target_set.targets.iter().map(|t| (t.id.key().to_string(), json!(t.reading.key()))).collect();
    json!({
        "schema": SCHEMA,
        "parkcast": env!("CARGO_PKG_VERSION"),
        "scenario": scenario.name,
        "scenario_hash": scenario.hash,
        "seed": scenario.settings.seed,
        "trials": summary.trials,
        "sampling": scenario.settings.sampling.name(),
        "target_set": scenario.target_set.id,
        "headline_readings": headline,
        "assumed_base": scenario.assumed_base(),
        "summary": summary,
    })
}

/// The document as the text `run --json` prints (pretty, one trailing newline).
pub fn to_text(scenario: &Scenario, summary: &Summary) -> String {
    let mut s = serde_json::to_string_pretty(&document(scenario, summary)).expect("a summary serialises");
    s.push('\n');
    s
}
