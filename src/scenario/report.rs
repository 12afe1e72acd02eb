//! `[report]`: what a run's report.html adds beyond the run itself — the what-if sliders: two
//! or three number levers, the values each slider snaps to, and the trials per grid cell. The
//! grid (every combination of the values) is run at report time on common random numbers
//! (`whatif::sliders`), so the cost is cells × trials more simulated futures.

use super::levers::{lever_def, LeverDef, LeverValue, Levers, LEVERS};
use crate::toml_tree::{nearest, numbers, string, Fields, Node, Problems, Value};

const KEYS: [&str; 6] = ["sliders", "slider_steps", "slider_values", "slider_trials", "slider_note", "slider_note_zh"];

/// Sliders per report: fewer than two is a sweep (`parkcast sweep`), more than three cannot be read.
pub const SLIDER_LEVERS: std::ops::RangeInclusive<usize> = 2..=3;
/// Values per slider when they are spread over the lever's range (`slider_steps`).
pub const SLIDER_STEPS: std::ops::RangeInclusive<i64> = 5..=9;
/// Values per slider when listed (`slider_values`).
pub const SLIDER_VALUES: std::ops::RangeInclusive<usize> = 2..=9;
/// Default values per slider.
pub const DEFAULT_STEPS: usize = 5;
/// Trials per grid cell: the default, and the allowed range.
pub const DEFAULT_SLIDER_TRIALS: u64 = 1_000;
pub const SLIDER_TRIALS: std::ops::RangeInclusive<i64> = 200..=20_000;
/// The most grid cells (every combination of the sliders' values).
pub const MAX_CELLS: usize = 125;
/// The most simulated futures the grid may add to a run (cells × trials).
pub const MAX_GRID_TRIALS: u64 = 250_000;

/// One slider: a number lever and the values it snaps to (ascending).
#[derive(Clone, Debug, PartialEq)]
pub struct Slider {
    pub def: &'static LeverDef,
    pub values: Vec<f64>,
}

impl Slider {
    /// The key path the slider varies (`levers.parallel_approvals`).
    pub fn path(&self) -> String {
        format!("levers.{}", self.def.name)
    }
}

/// The sliders of a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Sliders {
    pub sliders: Vec<Slider>,
    /// Trials per grid cell (the run's first trials, so every cell pairs with the run).
    pub trials: u64,
    /// Why these levers (the scenario's own note; shown under the sliders on the English
    /// page, and `note_zh` on the Chinese one).
    pub note: Option<String>,
    pub note_zh: Option<String>,
}

impl Sliders {
    /// Grid cells: every combination of the sliders' values.
    pub fn cells(&self) -> usize {
        self.sliders.iter().map(|s| s.values.len()).product()
    }
}

/// `[report]` as validated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportSettings {
    /// `None`: the scenario chooses no sliders and the report has none.
    pub sliders: Option<Sliders>,
}

/// Reads `[report]`; `None` when a problem was found (and reported).
pub fn read_report(node: Option<&Node>, levers: Option<&Levers>, problems: &mut Problems) -> Option<ReportSettings> {
    let Some(node) = node else { return Some(ReportSettings::default()) };
    let before = problems.len();
    let f = Fields::of(node, "report", problems)?;
    f.allow_only(&KEYS, problems);
    let Some(list) = f.node("sliders") else {
        for key in &KEYS[1..] {
            if let Some(n) = f.node(key) {
                problems.push(
                    &n.origin,
                    f.child(key),
                    "is set but `sliders` is not: name the levers first, e.g. sliders = [\"levers.parallel_approvals\", \"levers.special_fund\"]",
                );
            }
        }
        return (problems.len() == before).then(ReportSettings::default);
    };
    // every problem of the table at once: the other keys are read even when `sliders` is wrong
    let defs = slider_levers(list, &f.child("sliders"), problems);
    let steps = match f.node("slider_steps") {
        None => Some(DEFAULT_STEPS),
        Some(_) => f
            .integer_in("slider_steps", SLIDER_STEPS, "the allowed range 5 to 9 values per slider", problems)
            .map(|s| s as usize),
    };
    let trials = match f.node("slider_trials") {
        None => Some(DEFAULT_SLIDER_TRIALS),
        Some(_) => f
            .integer_in("slider_trials", SLIDER_TRIALS, "the allowed range 200 to 20000 trials per grid cell", problems)
            .map(|t| t as u64),
    };
    let note = f.opt_string("slider_note", problems).map(str::to_string);
    let note_zh = f.opt_string("slider_note_zh", problems).map(str::to_string);
    let listed = match (f.node("slider_values"), &defs) {
        (Some(n), Some(defs)) => listed_values(n, &f.child("slider_values"), defs, problems),
        _ => None,
    };
    if problems.len() != before {
        return None;
    }
    let (defs, steps, trials) = (defs.expect("no problems"), steps.expect("no problems"), trials.expect("no problems"));
    let listed = listed.unwrap_or_default();
    let sliders: Vec<Slider> = defs
        .iter()
        .map(|&def| {
            let values = match listed.iter().find(|(d, _)| d.name == def.name) {
                Some((_, v)) => v.clone(),
                None => {
                    let (lo, hi) = levers
                        .and_then(|l| l.settings.iter().find(|s| s.def.name == def.name))
                        .map(|s| s.range)
                        .unwrap_or_else(|| hard_range(def));
                    spread(lo, hi, steps)
                }
            };
            Slider { def, values }
        })
        .collect();
    let out = Sliders { sliders, trials, note, note_zh };
    let cells = out.cells();
    if cells > MAX_CELLS {
        problems.push(
            f.origin,
            "report",
            format!("the sliders make a grid of {cells} cells, more than the {MAX_CELLS} a report may run; use fewer values (slider_steps, slider_values) or two sliders"),
        );
    } else if cells as u64 * trials > MAX_GRID_TRIALS {
        problems.push(
            f.origin,
            f.child("slider_trials"),
            format!(
                "{cells} cells × {trials} trials = {} simulated futures, more than the {MAX_GRID_TRIALS} the sliders may add to a run; lower slider_trials or use fewer values",
                cells as u64 * trials
            ),
        );
    }
    (problems.len() == before).then_some(ReportSettings { sliders: Some(out) })
}

fn hard_range(def: &LeverDef) -> (f64, f64) {
    match def.value {
        LeverValue::Number { lo, hi, .. } => (lo, hi),
        LeverValue::Replacement => (0.0, 1.0),
    }
}

/// `n` values from `lo` to `hi`, evenly spaced (rounded to 1e-9 so 0.1 steps print as 0.1).
fn spread(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n).map(|i| ((lo + (hi - lo) * i as f64 / (n - 1) as f64) * 1e9).round() / 1e9).collect()
}

/// The levers `sliders` names: 2–3 key paths `levers.<name>` of number levers, no repeats.
fn slider_levers(node: &Node, path: &str, problems: &mut Problems) -> Option<Vec<&'static LeverDef>> {
    let example = "e.g. sliders = [\"levers.parallel_approvals\", \"levers.special_fund\"]";
    let Value::Array(items) = &node.value else {
        problems.push(
            &node.origin,
            path,
            format!("expected a list of 2 or 3 lever key paths, {example}; found {}", node.value.brief()),
        );
        return None;
    };
    if !SLIDER_LEVERS.contains(&items.len()) {
        problems.push(
            &node.origin,
            path,
            format!("names {} levers; a report has 2 or 3 sliders ({example})", items.len()),
        );
        return None;
    }
    let before = problems.len();
    let numbers: Vec<&str> =
        LEVERS.iter().filter(|l| matches!(l.value, LeverValue::Number { .. })).map(|l| l.name).collect();
    let mut out: Vec<&'static LeverDef> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Some(text) = string(item, &at, problems) else { continue };
        let name = text.strip_prefix("levers.").map(|n| n.strip_suffix(".value").unwrap_or(n));
        let def = name.and_then(lever_def);
        match def {
            Some(d) if matches!(d.value, LeverValue::Replacement) => problems.push(
                &item.origin,
                at,
                format!(
                    "\"{text}\" is the 有进有出 rule, on or off, not a number a slider can move (allowed: {})",
                    paths(&numbers)
                ),
            ),
            Some(d) if out.iter().any(|o| o.name == d.name) => {
                problems.push(&item.origin, at, format!("\"{text}\" is named twice; each slider moves another lever"))
            }
            Some(d) => out.push(d),
            None => {
                let guess = name.unwrap_or(text);
                let hint = nearest(guess, numbers.iter().copied())
                    .map(|n| format!("did you mean \"levers.{n}\"? "))
                    .unwrap_or_default();
                problems.push(
                    &item.origin,
                    at,
                    format!("\"{text}\" is not a lever's key path; {hint}(allowed: {})", paths(&numbers)),
                );
            }
        }
    }
    (problems.len() == before).then_some(out)
}

/// The levers' key paths, listed.
fn paths(names: &[&str]) -> String {
    names.iter().map(|n| format!("levers.{n}")).collect::<Vec<_>>().join(", ")
}

/// `slider_values = { <lever> = [v, …] }`: 2–9 ascending values within the lever's limits, for
/// levers among the sliders.
fn listed_values(
    node: &Node,
    path: &str,
    sliders: &[&'static LeverDef],
    problems: &mut Problems,
) -> Option<Vec<(&'static LeverDef, Vec<f64>)>> {
    let before = problems.len();
    let f = Fields::of(node, path, problems)?;
    let mut out = Vec::new();
    for (name, vnode) in f.table.iter() {
        let at = f.child(name);
        let Some(def) = sliders.iter().copied().find(|d| d.name == name) else {
            let names: Vec<&str> = sliders.iter().map(|d| d.name).collect();
            problems.push(
                &vnode.origin,
                at,
                format!(
                    "`{name}` is not one of the sliders (sliders: {}); values are given per slider lever",
                    names.join(", ")
                ),
            );
            continue;
        };
        let Some(values) = numbers(vnode, &at, problems) else { continue };
        let (lo, hi) = hard_range(def);
        if !SLIDER_VALUES.contains(&values.len()) {
            problems.push(&vnode.origin, at, format!("{} values; a slider has 2 to 9", values.len()));
        } else if values.windows(2).any(|w| w[0] >= w[1]) {
            problems.push(&vnode.origin, at, format!("{values:?} is not ascending without repeats"));
        } else if let Some(v) = values.iter().find(|v| !(lo..=hi).contains(*v)) {
            problems.push(
                &vnode.origin,
                at,
                format!("{v} is outside the lever's allowed range [{lo}, {hi}] {}", def.unit),
            );
        } else {
            out.push((def, values));
        }
    }
    (problems.len() == before).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toml_tree::parse;

    fn read(text: &str) -> Result<ReportSettings, String> {
        let root = parse("s.toml", text).unwrap();
        let mut problems = Problems::default();
        let r = read_report(root.as_table().unwrap().get("report"), None, &mut problems);
        r.ok_or_else(|| problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))
    }

    #[test]
    fn sliders_spread_over_the_range_or_take_the_listed_values() {
        let r = read("[report]\nsliders = [\"levers.parallel_approvals\", \"levers.special_fund\"]\nslider_values = { special_fund = [0, 0.25, 0.5] }\n").unwrap();
        let s = r.sliders.unwrap();
        assert_eq!(s.sliders[0].values, [0.0, 3.0, 6.0, 9.0, 12.0]);
        assert_eq!(s.sliders[1].values, [0.0, 0.25, 0.5]);
        assert_eq!((s.cells(), s.trials), (15, DEFAULT_SLIDER_TRIALS));
        assert_eq!(s.sliders[0].path(), "levers.parallel_approvals");
        assert_eq!(spread(0.0, 0.5, 6), [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(read("").unwrap(), ReportSettings::default());
    }

    #[test]
    fn bad_sliders_are_refused_naming_the_key_and_what_is_allowed() {
        let e = read("[report]\nsliders = [\"levers.replacement\", \"levers.paralel_approvals\"]\n").unwrap_err();
        assert!(e.contains("report.sliders[0]: \"levers.replacement\" is the 有进有出 rule"), "{e}");
        assert!(e.contains("report.sliders[1]: \"levers.paralel_approvals\" is not a lever's key path; did you mean \"levers.parallel_approvals\"?"), "{e}");
        let e = read("[report]\nsliders = [\"levers.multi_plan\"]\n").unwrap_err();
        assert!(e.contains("names 1 levers; a report has 2 or 3 sliders"), "{e}");
        let e = read("[report]\nsliders = [\"levers.multi_plan\", \"levers.special_fund\"]\nslider_steps = 4\n")
            .unwrap_err();
        assert!(e.contains("report.slider_steps: 4 is outside the allowed range 5 to 9"), "{e}");
        let e = read("[report]\nsliders = [\"levers.multi_plan\", \"levers.special_fund\"]\nslider_values = { multi_plan = [0, 2] }\n").unwrap_err();
        assert!(
            e.contains("report.slider_values.multi_plan: 2 is outside the lever's allowed range [0, 1] share"),
            "{e}"
        );
        let e = read("[report]\nsliders = [\"levers.multi_plan\", \"levers.special_fund\", \"levers.multi_storey\"]\nslider_steps = 9\n").unwrap_err();
        assert!(e.contains("a grid of 729 cells, more than the 125"), "{e}");
        let e = read("[report]\nsliders = [\"levers.multi_plan\", \"levers.special_fund\"]\nslider_steps = 9\nslider_trials = 20000\n").unwrap_err();
        assert!(e.contains("report.slider_trials: 81 cells × 20000 trials"), "{e}");
        let e = read("[report]\nslider_steps = 5\n").unwrap_err();
        assert!(e.contains("report.slider_steps: is set but `sliders` is not"), "{e}");
    }
}
