//! The run's tables on the terminal: targets, then blocks.

use super::format::{metric_en, percent};
use super::table::{Align, TextTable};
use crate::scenario::Scenario;
use crate::seeds::TargetId;
use crate::summary::Summary;

/// The target table: threshold, P(met) with its 95 % interval of simulation error (Monte Carlo
/// only: what we do not know is shown by `run --two-level`), and percentiles at the deadline.
pub fn targets(s: &Scenario, summary: &Summary) -> String {
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        ("reading", Align::Left),
        ("threshold", Align::Right),
        ("P(met)", Align::Right),
        ("simulation error (95%)", Align::Right),
        ("p5", Align::Right),
        ("median", Align::Right),
        ("p95", Align::Right),
    ]);
    for r in &summary.targets {
        let about = s.target_set.target(r.id).is_some_and(|t| t.about);
        let reading = summary.readings.iter().find(|x| x.target == r.id && x.headline).map(|x| x.reading.key());
        t.row(vec![
            format!("{} ({})", r.id.key(), r.id.label_zh()),
            reading.unwrap_or("").to_string(),
            format!("{}{}", metric_en(r.id, r.threshold), if about { " ~" } else { "" }),
            percent(r.p_met),
            format!("{}–{}", percent(r.ci.low), percent(r.ci.high)),
            metric_en(r.id, r.p5),
            metric_en(r.id, r.p50),
            metric_en(r.id, r.p95),
        ]);
    }
    t.row(vec![
        "all targets (全部)".into(),
        "headline".into(),
        String::new(),
        percent(summary.all.p_met),
        format!("{}–{}", percent(summary.all.ci.low), percent(summary.all.ci.high)),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let omitted = s.target_set.omitted();
    let partial = if omitted.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = omitted.iter().map(|id| id.key()).collect();
        format!(
            "The set {} gives {} of the five targets; it sets none for {}, and \"all targets\" combines the {} it gives.\n",
            s.target_set.id,
            s.target_set.targets.len(),
            names.join(", "),
            s.target_set.targets.len()
        )
    };
    format!(
        "P(met) at the end of {}; metrics at the deadline ({}). ~ = the text says 左右 (about).\n{}{}",
        s.target_set.deadline,
        s.target_set.label_en,
        partial,
        t.render()
    )
}

/// The warning that the base is assumed, naming its assumed figures (empty when none is).
pub fn assumed_base(s: &Scenario) -> String {
    let assumed = s.assumed_base();
    if assumed.is_empty() {
        return String::new();
    }
    format!(
        "Assumed base (待核实): {} are assumptions, not published figures; every result above rests on them. \
         Enter the bureau's figures in seeds/base.toml (run with --seeds DIR) or with --set, and see \
         \"What you must believe\" below.\n",
        assumed.join(", ")
    )
}

/// The readings table: each target under each of its readings (口径), on the same trials, with
/// P(met) at the threshold and, for a 左右 target, at its tolerance; then all targets together
/// under the headline, narrowest and broadest readings.
pub fn readings(summary: &Summary) -> String {
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        ("reading", Align::Left),
        ("counts", Align::Left),
        ("P(met)", Align::Right),
        ("simulation error (95%)", Align::Right),
        ("within tolerance", Align::Right),
        ("median", Align::Right),
    ]);
    for r in &summary.readings {
        let tolerance = match (r.tolerance_threshold, r.p_met_tolerance) {
            (Some(x), Some(p)) => format!("≥{}: {}", metric_en(r.target, x), percent(p)),
            _ => String::new(),
        };
        t.row(vec![
            r.target.key().to_string(),
            format!("{}{}", r.reading.key(), if r.headline { " *" } else { "" }),
            r.reading.label_en().to_string(),
            percent(r.p_met),
            format!("{}–{}", percent(r.ci.low), percent(r.ci.high)),
            tolerance,
            metric_en(r.target, r.p50),
        ]);
    }
    for a in &summary.all_readings {
        t.row(vec![
            "all".into(),
            format!("{}{}", a.combination, if a.combination == "headline" { " *" } else { "" }),
            match a.combination.as_str() {
                "narrowest" => "every target under the reading that counts least".into(),
                "broadest" => "every target under the reading that counts most".into(),
                _ => "every target under its headline reading".into(),
            },
            percent(a.p_met),
            format!("{}–{}", percent(a.ci.low), percent(a.ci.high)),
            String::new(),
            String::new(),
        ]);
    }
    format!(
        "Readings (口径): where the text can be read more than one way, every reading on the same trials \
         (docs/targets.md). * = the headline reading, used in the table above.\n{}",
        t.render()
    )
}

/// A needed base value in English conventions.
pub fn belief_value_en(b: crate::model::beliefs::Belief, v: Option<f64>, reachable: bool) -> String {
    use crate::model::beliefs::Belief;
    match (v, reachable) {
        (_, false) => "not reachable".into(),
        (None, true) => "any value".into(),
        (Some(x), true) => match b {
            Belief::Revenue2024 => format!("¥{:.1} bn", x / 1e9),
            Belief::RevenueGrowth => format!("{:.1}%", x * 100.0),
            Belief::JobsPerYear => format!("{} a year", super::format::thousands(x)),
            _ => super::format::thousands(x.ceil()),
        },
    }
}

/// "What you must believe": for each target, the value of one base figure at which it is met
/// with probability 50 % and 80 %, against the scenario's median.
pub fn beliefs(summary: &Summary) -> String {
    if summary.beliefs.is_empty() {
        return String::new();
    }
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        ("base figure", Align::Left),
        ("for P(met) = 50%", Align::Right),
        ("for 80%", Align::Right),
        ("scenario median", Align::Right),
    ]);
    for r in &summary.beliefs {
        t.row(vec![
            r.target.key().to_string(),
            format!("{} ({})", r.belief.label_en(), r.param),
            belief_value_en(r.belief, r.for_50, r.reachable_50),
            belief_value_en(r.belief, r.for_80, r.reachable_80),
            belief_value_en(r.belief, Some(r.scenario_median), true),
        ]);
    }
    format!(
        "What you must believe: the value of one base figure at which each target is met with \
         probability 50% or 80%, everything else as drawn (same trials). Compare it with the figure \
         the bureau holds.\n{}",
        t.render()
    )
}

/// The block table: start, delivery and mean contributions at the deadline.
pub fn blocks(s: &Scenario, summary: &Summary) -> String {
    let mut t = TextTable::new(&[
        ("id", Align::Right),
        ("block", Align::Left),
        ("P(start≤2025-12)", Align::Right),
        ("median start", Align::Left),
        ("P(delivered by horizon)", Align::Right),
        ("专精特新", Align::Right),
        ("tech SMEs", Align::Right),
        ("revenue", Align::Right),
        ("jobs", Align::Right),
    ]);
    let month = |m: Option<crate::month::Month>| m.map(|m| m.to_string()).unwrap_or_else(|| "after horizon".into());
    for r in &summary.blocks {
        let b = s.blocks.iter().find(|b| b.id == r.id).expect("annex block");
        let c = r.mean_contribution;
        t.row(vec![
            format!("{}{}", r.id, if r.counted { "" } else { "*" }),
            b.name_zh.clone(),
            percent(r.p_started_2025),
            month(r.median_start),
            percent(r.p_delivered_horizon),
            format!("{:.1}", c[1]),
            format!("{:.1}", c[2]),
            super::format::signed_cny_bn(c[3]),
            format!("{:.0}", c[4]),
        ]);
    }
    let base: Vec<String> = summary
        .targets
        .iter()
        .filter(|r| r.id != TargetId::Parks)
        .map(|r| format!("{} {}", r.id.key(), metric_en(r.id, r.base_mean)))
        .collect();
    format!(
        "Blocks: contributions are means at the deadline (revenue: calendar year {}). * not counted by this target set.\n{}Existing base (mean at the deadline): {}\n",
        s.target_set.deadline.year(),
        t.render(),
        base.join(", ")
    )
}

/// The criticality table: per block and target, the change in P(met) (points) if the block
/// starts on schedule for certain and if it is dropped.
pub fn criticality(s: &Scenario, c: &crate::sensitivity::criticality::Criticality) -> String {
    use crate::sensitivity::criticality::{PairedChange, SLOTS};
    let slots: Vec<usize> = (0..SLOTS).filter(|&k| c.baseline[k].is_some()).collect();
    let names: Vec<String> = slots
        .iter()
        .map(|&k| if k < TargetId::ALL.len() { TargetId::ALL[k].key().to_string() } else { "all".into() })
        .collect();
    let mut headers: Vec<(&str, Align)> = vec![("id", Align::Right), ("block", Align::Left)];
    headers.extend(names.iter().map(|n| (n.as_str(), Align::Right)));
    let mut t = TextTable::new(&headers);
    let pts = |x: Option<PairedChange>| match x {
        Some(x) => {
            let v = x.mean * 100.0;
            format!("{:+.1}", if v.abs() < 0.05 { 0.0 } else { v })
        }
        None => "·".into(),
    };
    for b in &c.blocks {
        let Some(dropped) = b.dropped else { continue };
        let block = s.blocks.iter().find(|x| x.id == b.id).expect("annex block");
        let short: String = block.name_zh.chars().take(12).collect();
        let mut cells = vec![b.id.to_string(), short];
        for &k in &slots {
            let on = b.on_schedule.map(|v| pts(v[k])).unwrap_or_else(|| "started".into());
            cells.push(format!("{on} / {}", pts(dropped[k])));
        }
        t.row(cells);
    }
    t.render()
}
