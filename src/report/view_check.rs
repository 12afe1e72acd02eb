//! Checks a [`RunView`] read back from `report_data.json` before anything is drawn: output folders
//! travel by e-mail and USB stick, so the file is untrusted input. Every invariant the charts and
//! the HTML report rely on is checked here, and the first one broken is named by its JSON path
//! (`summary.targets[2].p_met = 7.5: a probability must be between 0 and 1`).
//!
//! The invariants, as the renderer uses them:
//! - every block id in `summary.blocks`, `criticality.blocks` and `monitoring.blocks` is in
//!   `blocks` (names and start status are looked up there), each listed once;
//! - `summary.series` holds, for each of the five metrics, the same run of consecutive months
//!   (fan charts take a row's index as its month, the month axis reads the parks rows), at least
//!   two of them, with the deadline and the as-of month among them;
//! - each histogram has at least two strictly increasing edges and one count fewer than edges;
//! - probabilities lie within [0, 1], paired changes within [−1, 1] and the probabilities they
//!   lead to within [0, 1]; every interval and every set of percentiles is in order;
//! - every number lies within ±[`MAX_MAGNITUDE`]: plotters computes its axis ticks in f64, and a
//!   range whose width overflows (a fan's top is its highest p95 × 1.12) never ends;
//! - texts are at most [`MAX_TEXT_CHARS`] long (charts lay text out glyph by glyph) and free of
//!   control characters other than tab and line breaks (SVG files are XML);
//! - at most [`MAX_BLOCKS`] blocks and [`MAX_BINS`] histogram bins (one chart row or bar each).
//!
//! The renderer itself also avoids panicking where that is cheap (no indexing into lists read
//! from the file, no axis plotters cannot draw), as defence in depth.

use super::view::{AssumptionView, BlockView, RunView};
use crate::month::Month;
use crate::seeds::kinds::StartStatusKind;
use crate::seeds::TargetId;
use crate::sensitivity::criticality::{PairedChange, SLOTS};
use crate::summary::{SeriesRow, Summary, TargetRow};
use std::collections::HashMap;

/// The largest magnitude of any number in report data. The largest real figure is revenue in
/// CNY, about 1e11 for the city; 1e15 leaves four orders of magnitude of headroom, keeps every
/// sum, difference and headroom factor a chart computes finite, and below 2^53 ≈ 9e15 whole
/// numbers are still exact in f64, so axis ticks stay distinct.
pub const MAX_MAGNITUDE: f64 = 1e15;
/// The longest text (in characters): real texts (names, sources, bases) are a few hundred.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The most blocks a run may list: the annex has 20; a criticality chart gives each block a row
/// of 46 px, so 200 make a PNG of 1600 × 9460 px (45 MB while it is drawn).
pub const MAX_BLOCKS: usize = 200;
/// The most bins a histogram may have (runs write about 40).
pub const MAX_BINS: usize = 1_000;
/// Rounding allowed where a probability is a sum of two (a baseline and a change).
const SLACK: f64 = 1e-9;

/// The first broken invariant: the field by its JSON path, its value, and what is allowed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field} = {value}: {problem}")]
pub struct ViewError {
    pub field: String,
    pub value: String,
    pub problem: Problem,
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("a probability must be between 0 and 1")]
    Probability,
    #[error("a change in probability must be between -1 and 1")]
    Change,
    #[error("the probability it leads to ({0:?} + {1:?}) must be between 0 and 1")]
    ChangedProbability(f64, f64),
    #[error("a number must be between -1e15 and 1e15 (charts cannot draw beyond)")]
    Magnitude,
    #[error("must not be negative")]
    Negative,
    #[error("must not be below {0} (intervals and percentiles are in increasing order)")]
    Order(String),
    #[error("no block with this id in blocks")]
    UnknownBlock,
    #[error("this id is listed twice (also at {0})")]
    Duplicate(String),
    #[error("must not be empty")]
    Empty,
    #[error("at most {0} entries are allowed")]
    TooMany(usize),
    #[error("a text may have at most {MAX_TEXT_CHARS} characters")]
    TooLong,
    #[error("control characters are not allowed (only tab and line breaks)")]
    Control,
    #[error("must be one of {0}")]
    OneOf(&'static str),
    /// A structural problem, in words.
    #[error("{0}")]
    Shape(String),
    #[error("must be a month of the forecast ({0} to {1})")]
    OutsideForecast(Month, Month),
}

type Check = Result<(), ViewError>;

fn fail<T>(field: impl std::fmt::Display, value: impl std::fmt::Display, problem: Problem) -> Result<T, ViewError> {
    Err(ViewError { field: field.to_string(), value: value.to_string(), problem })
}

/// Checks every invariant the charts and the report rely on.
pub fn check(v: &RunView) -> Check {
    text("name", &v.name)?;
    text("target_set.id", &v.target_set.id)?;
    text("target_set.label_zh", &v.target_set.label_zh)?;
    text("target_set.label_en", &v.target_set.label_en)?;
    blocks(&v.blocks)?;
    for (i, a) in v.assumptions.iter().enumerate() {
        assumption(&format!("assumptions[{i}]"), a)?;
    }
    let ids: HashMap<u32, usize> = v.blocks.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
    let (first, last) = summary(&v.summary, &ids)?;
    let months = |field: &str, m: Month| within(field, m, first, last);
    months("target_set.deadline", v.target_set.deadline)?;
    meta(&v.meta)?;
    if let Some(c) = &v.criticality {
        criticality(c, &ids)?;
    }
    if let Some(m) = &v.monitoring {
        months("monitoring.as_of", m.as_of)?;
        monitoring(m, &ids)?;
    }
    if let Some(e) = &v.epistemic {
        epistemic(e)?;
    }
    if let Some(g) = &v.sliders {
        sliders(g)?;
    }
    Ok(())
}

/// The sliders' grid: no more cells than a scenario may ask for, probabilities and finite
/// numbers (the page checks that the parts fit together and leaves out a grid that does not).
fn sliders(g: &crate::whatif::sliders::SliderGrid) -> Check {
    let most = crate::scenario::report::MAX_CELLS;
    if g.cells.len() > most {
        return fail("sliders.cells", format!("{} entries", g.cells.len()), Problem::TooMany(most));
    }
    for (i, c) in g.cells.iter().enumerate() {
        let prefix = format!("sliders.cells[{i}]");
        for (name, p) in [("all.p_met", c.all.p_met), ("all.ci.low", c.all.ci.low), ("all.ci.high", c.all.ci.high)] {
            probability(&format!("{prefix}.{name}"), p)?;
        }
        for (k, t) in c.targets.iter().enumerate() {
            let prefix = format!("{prefix}.targets[{k}]");
            for (name, p) in [("p_met", t.p_met), ("ci.low", t.ci.low), ("ci.high", t.ci.high)] {
                probability(&format!("{prefix}.{name}"), p)?;
            }
            number(&format!("{prefix}.median"), t.median)?;
            for (j, band) in t.fan.iter().enumerate() {
                for (q, x) in band.iter().enumerate() {
                    number(&format!("{prefix}.fan[{j}][{q}]"), *x)?;
                }
            }
        }
    }
    Ok(())
}

/// The epistemic bands: probabilities, in order, one per output at most.
fn epistemic(e: &super::epistemic::EpistemicView) -> Check {
    if e.bands.len() > TargetId::ALL.len() + 1 {
        return fail("epistemic.bands", e.bands.len(), Problem::TooMany(TargetId::ALL.len() + 1));
    }
    for (i, b) in e.bands.iter().enumerate() {
        let prefix = format!("epistemic.bands[{i}]");
        for (name, p) in [("p10", b.p10), ("median", b.median), ("p90", b.p90)] {
            probability(&format!("{prefix}.{name}"), p)?;
        }
        ordered(&prefix, &[("p10", b.p10), ("median", b.median), ("p90", b.p90)])?;
    }
    Ok(())
}

fn text(field: &str, s: &str) -> Check {
    let n = s.chars().count();
    if n > MAX_TEXT_CHARS {
        let start: String = s.chars().take(20).collect();
        return fail(field, format!("{start:?}… ({n} characters)"), Problem::TooLong);
    }
    if s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return fail(field, format!("{s:?}"), Problem::Control);
    }
    Ok(())
}

fn number(field: &str, x: f64) -> Check {
    if x.is_finite() && x.abs() <= MAX_MAGNITUDE {
        Ok(())
    } else {
        fail(field, format!("{x:?}"), Problem::Magnitude)
    }
}

fn non_negative(field: &str, x: f64) -> Check {
    number(field, x)?;
    if x < 0.0 {
        return fail(field, format!("{x:?}"), Problem::Negative);
    }
    Ok(())
}

fn probability(field: &str, p: f64) -> Check {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        fail(field, format!("{p:?}"), Problem::Probability)
    }
}

/// `values` (name, value) in increasing order; the names are relative to `prefix`.
fn ordered(prefix: &str, values: &[(&str, f64)]) -> Check {
    for w in values.windows(2) {
        let ((a, x), (b, y)) = (w[0], w[1]);
        if y < x {
            return fail(format!("{prefix}.{b}"), format!("{y:?}"), Problem::Order(format!("{a} = {x:?}")));
        }
    }
    Ok(())
}

/// Months that may be absent (beyond the horizon), in increasing order where present; a later
/// quantile is absent whenever an earlier one is.
fn ordered_months(prefix: &str, values: &[(&str, Option<Month>)]) -> Check {
    for w in values.windows(2) {
        let ((a, x), (b, y)) = (w[0], w[1]);
        match (x, y) {
            (Some(x), Some(y)) if y < x => {
                return fail(format!("{prefix}.{b}"), y, Problem::Order(format!("{a} = {x}")));
            }
            (None, Some(y)) => {
                return fail(format!("{prefix}.{b}"), y, Problem::Order(format!("{a} = null (beyond the horizon)")));
            }
            _ => {}
        }
    }
    Ok(())
}

fn within(field: &str, m: Month, first: Month, last: Month) -> Check {
    if m < first || m > last {
        return fail(field, m, Problem::OutsideForecast(first, last));
    }
    Ok(())
}

fn count(field: &str, n: usize, max: usize) -> Check {
    if n > max {
        return fail(field, format!("{n} entries"), Problem::TooMany(max));
    }
    Ok(())
}

/// Each id once; the map from id to first position.
fn unique<'a>(field: &str, ids: impl Iterator<Item = &'a u32>) -> Check {
    let mut seen = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(j) = seen.insert(*id, i) {
            return fail(format!("{field}[{i}].id"), id, Problem::Duplicate(format!("{field}[{j}]")));
        }
    }
    Ok(())
}

fn known_block(field: &str, id: u32, ids: &HashMap<u32, usize>) -> Check {
    if !ids.contains_key(&id) {
        return fail(field, id, Problem::UnknownBlock);
    }
    Ok(())
}

fn blocks(blocks: &[BlockView]) -> Check {
    if blocks.is_empty() {
        return fail("blocks", "[]", Problem::Empty);
    }
    count("blocks", blocks.len(), MAX_BLOCKS)?;
    unique("blocks", blocks.iter().map(|b| &b.id))?;
    for (i, b) in blocks.iter().enumerate() {
        let f = |name: &str| format!("blocks[{i}].{name}");
        text(&f("name_zh"), &b.name_zh)?;
        text(&f("name_en"), &b.name_en)?;
        text(&f("start_zh"), &b.start_zh)?;
        text(&f("start_en"), &b.start_en)?;
        text(&f("status"), &b.status)?;
        if StartStatusKind::from_key(&b.status).is_none() {
            return fail(f("status"), format!("{:?}", b.status), Problem::OneOf("started, planned, undetermined"));
        }
    }
    Ok(())
}

fn assumption(prefix: &str, a: &AssumptionView) -> Check {
    text(&format!("{prefix}.path"), &a.path)?;
    text(&format!("{prefix}.distribution"), &a.distribution)?;
    text(&format!("{prefix}.basis"), &a.basis)?;
    text(&format!("{prefix}.unit"), &a.unit)?;
    if let Some(r) = &a.range {
        let prefix = format!("{prefix}.range");
        for (name, x) in [("mean", r.mean), ("p5", r.p5), ("median", r.median), ("p95", r.p95)] {
            number(&format!("{prefix}.{name}"), x)?;
        }
        ordered(&prefix, &[("p5", r.p5), ("median", r.median), ("p95", r.p95)])?;
    }
    Ok(())
}

/// A probability with its 95 % interval around it.
fn estimate(prefix: &str, p: f64, ci: &crate::stats::Interval) -> Check {
    probability(&format!("{prefix}.p_met"), p)?;
    probability(&format!("{prefix}.ci.low"), ci.low)?;
    probability(&format!("{prefix}.ci.high"), ci.high)?;
    ordered(prefix, &[("ci.low", ci.low), ("p_met", p), ("ci.high", ci.high)])
}

/// Checks the summary; the first and last month of its series.
fn summary(s: &Summary, ids: &HashMap<u32, usize>) -> Result<(Month, Month), ViewError> {
    if s.targets.is_empty() {
        return fail("summary.targets", "[]", Problem::Empty);
    }
    let mut seen = HashMap::new();
    for (i, t) in s.targets.iter().enumerate() {
        if let Some(j) = seen.insert(t.id, i) {
            return fail(
                format!("summary.targets[{i}].id"),
                format!("{:?}", t.id.key()),
                Problem::Duplicate(format!("summary.targets[{j}]")),
            );
        }
        target(&format!("summary.targets[{i}]"), t)?;
    }
    estimate("summary.all", s.all.p_met, &s.all.ci)?;
    let (first, last) = series(&s.series)?;
    unique("summary.blocks", s.blocks.iter().map(|b| &b.id))?;
    for (i, b) in s.blocks.iter().enumerate() {
        let prefix = format!("summary.blocks[{i}]");
        let f = |name: &str| format!("{prefix}.{name}");
        known_block(&f("id"), b.id, ids)?;
        for (name, p) in [
            ("p_started_2025", b.p_started_2025),
            ("p_delivered_deadline", b.p_delivered_deadline),
            ("p_delivered_horizon", b.p_delivered_horizon),
            ("p_replaced", b.p_replaced),
        ] {
            probability(&f(name), p)?;
        }
        ordered_months(
            &prefix,
            &[("start_p10", b.start_p10), ("median_start", b.median_start), ("start_p90", b.start_p90)],
        )?;
        ordered_months(
            &prefix,
            &[
                ("delivery_p10", b.delivery_p10),
                ("median_delivery", b.median_delivery),
                ("delivery_p90", b.delivery_p90),
            ],
        )?;
        // a block month after the last month of the forecast would be drawn beyond the chart
        for (name, m) in [
            ("start_p10", b.start_p10),
            ("median_start", b.median_start),
            ("start_p90", b.start_p90),
            ("delivery_p10", b.delivery_p10),
            ("median_delivery", b.median_delivery),
            ("delivery_p90", b.delivery_p90),
        ] {
            if let Some(m) = m.filter(|m| *m > last) {
                return fail(
                    f(name),
                    m,
                    Problem::Shape(format!("must be no later than the last month of the forecast, {last}")),
                );
            }
        }
        for (k, x) in b.mean_contribution.iter().enumerate() {
            number(&f(&format!("mean_contribution[{k}]")), *x)?;
        }
    }
    Ok((first, last))
}

fn target(prefix: &str, t: &TargetRow) -> Check {
    let f = |name: &str| format!("{prefix}.{name}");
    for (name, x) in [
        ("threshold", t.threshold),
        ("p5", t.p5),
        ("p50", t.p50),
        ("p95", t.p95),
        ("mean", t.mean),
        ("base_mean", t.base_mean),
    ] {
        number(&f(name), x)?;
    }
    estimate(prefix, t.p_met, &t.ci)?;
    ordered(prefix, &[("p5", t.p5), ("p50", t.p50), ("p95", t.p95)])?;
    let h = &t.histogram;
    let hist = f("histogram");
    if h.edges.len() < 2 {
        return fail(
            format!("{hist}.edges"),
            format!("{} edges", h.edges.len()),
            Problem::Shape("a histogram needs at least 2 edges".into()),
        );
    }
    count(&format!("{hist}.counts"), h.counts.len(), MAX_BINS)?;
    if h.counts.len() + 1 != h.edges.len() {
        return fail(
            format!("{hist}.counts"),
            format!("{} counts", h.counts.len()),
            Problem::Shape(format!(
                "a histogram has one count fewer than edges ({} for {} edges)",
                h.edges.len() - 1,
                h.edges.len()
            )),
        );
    }
    for (i, e) in h.edges.iter().enumerate() {
        number(&format!("{hist}.edges[{i}]"), *e)?;
    }
    for (i, w) in h.edges.windows(2).enumerate() {
        if w[1] <= w[0] {
            return fail(
                format!("{hist}.edges[{}]", i + 1),
                format!("{:?}", w[1]),
                Problem::Shape(format!("must be above the edge before it, edges[{i}] = {:?}", w[0])),
            );
        }
    }
    let total = h.counts.iter().chain([&h.below, &h.above]).try_fold(0u64, |sum, c| sum.checked_add(*c));
    if total.is_none() {
        return fail(
            format!("{hist}.counts"),
            "a sum beyond 2^64",
            Problem::Shape("the counts add up to more than 2^64 trials".into()),
        );
    }
    Ok(())
}

/// The series: per metric the same consecutive months, at least two; its first and last month.
fn series(rows: &[SeriesRow]) -> Result<(Month, Month), ViewError> {
    let Some(first) = rows.first().map(|r| r.month) else {
        return fail("summary.series", "[]", Problem::Empty);
    };
    let mut next: HashMap<TargetId, Month> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let prefix = format!("summary.series[{i}]");
        let want = next.get(&r.metric).copied().unwrap_or(first);
        if r.month != want {
            return fail(
                format!("{prefix}.month"),
                r.month,
                Problem::Shape(format!(
                    "must be {want}: each metric's rows run month by month from the first row's month, {first}"
                )),
            );
        }
        next.insert(r.metric, want.plus(1));
        for (name, x) in
            [("p5", r.p5), ("p25", r.p25), ("p50", r.p50), ("p75", r.p75), ("p95", r.p95), ("mean", r.mean)]
        {
            number(&format!("{prefix}.{name}"), x)?;
        }
        ordered(&prefix, &[("p5", r.p5), ("p25", r.p25), ("p50", r.p50), ("p75", r.p75), ("p95", r.p95)])?;
    }
    let parks = next.get(&TargetId::Parks).copied().unwrap_or(first);
    let months = parks.since(first);
    for id in TargetId::ALL {
        let n = next.get(&id).map_or(0, |m| m.since(first));
        if n != months || n < 2 {
            return fail(
                "summary.series",
                format!("{n} months of {}", id.key()),
                Problem::Shape(format!(
                    "every metric needs the same months, at least 2 (parks has {months}, from {first})"
                )),
            );
        }
    }
    Ok((first, parks.plus(-1)))
}

fn meta(m: &super::export::RunMeta) -> Check {
    for (name, s) in [
        ("parkcast_version", &m.parkcast_version),
        ("scenario", &m.scenario),
        ("scenario_hash", &m.scenario_hash),
        ("seeds", &m.seeds),
        ("target_set", &m.target_set),
        ("horizon", &m.horizon),
        ("deadline", &m.deadline),
        ("date", &m.date),
    ] {
        text(&format!("meta.{name}"), s)?;
    }
    for (name, list) in [("scenario_files", &m.scenario_files), ("overrides", &m.overrides), ("warnings", &m.warnings)]
    {
        for (i, s) in list.iter().enumerate() {
            text(&format!("meta.{name}[{i}]"), s)?;
        }
    }
    if let Some(p) = m.precision {
        non_negative("meta.precision", p)?;
    }
    non_negative("meta.wall_seconds", m.wall_seconds)
}

/// A paired change of P(met), and where it leads from `base` (when the slot has one).
fn change(prefix: &str, c: &PairedChange, base: Option<f64>) -> Check {
    for (name, x) in [("mean", c.mean), ("low", c.low), ("high", c.high)] {
        if !(-1.0..=1.0).contains(&x) {
            return fail(format!("{prefix}.{name}"), format!("{x:?}"), Problem::Change);
        }
    }
    ordered(prefix, &[("low", c.low), ("mean", c.mean), ("high", c.high)])?;
    if let Some(b) = base {
        if !(-SLACK..=1.0 + SLACK).contains(&(b + c.mean)) {
            return fail(format!("{prefix}.mean"), format!("{:?}", c.mean), Problem::ChangedProbability(b, c.mean));
        }
    }
    Ok(())
}

fn changes(prefix: &str, v: &[Option<PairedChange>; SLOTS], base: &[Option<f64>; SLOTS]) -> Check {
    for (k, c) in v.iter().enumerate() {
        if let Some(c) = c {
            change(&format!("{prefix}[{k}]"), c, base[k])?;
        }
    }
    Ok(())
}

fn criticality(c: &crate::sensitivity::criticality::Criticality, ids: &HashMap<u32, usize>) -> Check {
    for (k, p) in c.baseline.iter().enumerate() {
        if let Some(p) = p {
            probability(&format!("criticality.baseline[{k}]"), *p)?;
        }
    }
    unique("criticality.blocks", c.blocks.iter().map(|b| &b.id))?;
    for (i, b) in c.blocks.iter().enumerate() {
        let prefix = format!("criticality.blocks[{i}]");
        known_block(&format!("{prefix}.id"), b.id, ids)?;
        if let Some(v) = &b.on_schedule {
            changes(&format!("{prefix}.on_schedule"), v, &c.baseline)?;
        }
        if let Some(v) = &b.dropped {
            changes(&format!("{prefix}.dropped"), v, &c.baseline)?;
        }
        for (k, p) in b.under_construction_in_misses.iter().enumerate() {
            if let Some(p) = p {
                probability(&format!("{prefix}.under_construction_in_misses[{k}]"), *p)?;
            }
        }
    }
    Ok(())
}

fn monitoring(m: &crate::monitor::view::MonitorView, ids: &HashMap<u32, usize>) -> Check {
    text("monitoring.observations_file", &m.observations_file)?;
    text("monitoring.source", &m.source)?;
    for (i, p) in m.progress.iter().enumerate() {
        number(&format!("monitoring.progress[{i}].at_as_of"), p.at_as_of)?;
        number(&format!("monitoring.progress[{i}].at_deadline"), p.at_deadline)?;
    }
    if let Some(l) = &m.learning {
        non_negative("monitoring.learning.effective_sample", l.effective_sample)?;
        for (i, (name, u)) in l.factors.iter().enumerate() {
            let prefix = format!("monitoring.learning.factors[{i}]");
            text(&format!("{prefix}[0]"), name)?;
            number(&format!("{prefix}[1].prior_mean"), u.prior_mean)?;
            non_negative(&format!("{prefix}[1].prior_sd"), u.prior_sd)?;
            number(&format!("{prefix}[1].posterior_mean"), u.posterior_mean)?;
            non_negative(&format!("{prefix}[1].posterior_sd"), u.posterior_sd)?;
        }
        if let Some(u) = &l.on_time {
            probability("monitoring.learning.on_time.prior_p", u.prior_p)?;
            probability("monitoring.learning.on_time.posterior_p", u.posterior_p)?;
        }
    }
    unique("monitoring.blocks", m.blocks.iter().map(|b| &b.id))?;
    for (i, b) in m.blocks.iter().enumerate() {
        let prefix = format!("monitoring.blocks[{i}]");
        let f = |name: &str| format!("{prefix}.{name}");
        known_block(&f("id"), b.id, ids)?;
        text(&f("detail"), &b.detail)?;
        text(&f("detail_zh"), &b.detail_zh)?;
        if let Some(s) = &b.leave_reason {
            text(&f("leave_reason"), s)?;
        }
        if let Some(s) = &b.leave_reason_zh {
            text(&f("leave_reason_zh"), s)?;
        }
        probability(&f("p_started_by_checkpoint"), b.p_started_by_checkpoint)?;
        probability(&f("p_delivered_by_deadline"), b.p_delivered_by_deadline)?;
        for (k, x) in b.at_risk.iter().enumerate() {
            number(&f(&format!("at_risk[{k}]")), *x)?;
        }
    }
    if let Some(r) = &m.reserve {
        non_negative("monitoring.reserve.land_mu", r.land_mu)?;
        changes("monitoring.reserve.changes", &r.changes, &[None; SLOTS])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small valid view: two blocks, one target, every metric over 2024-11 to 2024-12.
    fn view() -> RunView {
        let series: Vec<_> = TargetId::ALL
            .iter()
            .flat_map(|m| {
                ["2024-11", "2024-12"].map(|month| {
                    json!({"month": month, "metric": m.key(), "p5": 1.0, "p25": 2.0, "p50": 3.0, "p75": 4.0, "p95": 5.0, "mean": 3.0})
                })
            })
            .collect();
        let block = |id: u32| json!({"id": id, "name_zh": "区块", "name_en": "block", "start_zh": "已开工", "start_en": "started", "status": "started"});
        let row = |id: u32| {
            json!({"id": id, "counted": true, "p_started_2025": 1.0, "median_start": "2024-11", "start_p10": "2024-11",
                   "start_p90": "2024-12", "delivery_p10": "2024-12", "median_delivery": null, "delivery_p90": null,
                   "p_delivered_deadline": 0.2, "p_delivered_horizon": 0.2, "p_replaced": 0.0,
                   "mean_contribution": [1.0, 0.0, 0.0, 1e9, 10.0]})
        };
        let change = json!({"mean": 0.1, "low": 0.05, "high": 0.15});
        serde_json::from_value(json!({
            "name": "baseline",
            "target_set": {"id": "t", "label_zh": "目标", "label_en": "targets", "deadline": "2024-12"},
            "blocks": [block(1), block(2)],
            "assumptions": [{"path": "build.duration_months", "distribution": "{ fixed = 16 }", "basis": "assumption: x",
                             "unit": "months", "range": {"mean": 16.0, "p5": 16.0, "median": 16.0, "p95": 16.0}}],
            "summary": {
                "trials": 10,
                "targets": [{"id": "parks", "threshold": 3.0, "p_met": 0.5, "ci": {"low": 0.2, "high": 0.8},
                             "p5": 1.0, "p50": 3.0, "p95": 5.0, "mean": 3.0, "base_mean": 0.0,
                             "histogram": {"edges": [0.5, 1.5, 2.5], "counts": [4, 6]}}],
                "all": {"p_met": 0.5, "ci": {"low": 0.2, "high": 0.8}},
                "blocks": [row(1), row(2)],
                "series": series
            },
            "meta": {"parkcast_version": "0.1.0", "scenario": "baseline", "scenario_files": [], "scenario_hash": "h",
                     "seeds": "s", "seed": 1, "trials": 10, "trials_requested": 10, "precision": null,
                     "target_set": "t", "horizon": "2024-12", "deadline": "2024-12", "threads": 1,
                     "wall_seconds": 0.1, "date": "d", "warnings": []},
            "criticality": {"trials": 10, "baseline": [0.5, null, null, null, null, 0.5],
                            "blocks": [{"id": 1, "on_schedule": null, "dropped": [change, null, null, null, null, change],
                                        "under_construction_in_misses": [0.5, null, null, null, null, 0.5]}]}
        }))
        .unwrap()
    }

    /// The error `change` leads to, as users read it.
    fn error(change: impl FnOnce(&mut RunView)) -> String {
        let mut v = view();
        change(&mut v);
        check(&v).expect_err("the change should be refused").to_string()
    }

    #[test]
    fn a_slider_grid_with_a_probability_out_of_range_is_named_by_its_path() {
        let grid = json!({"trials": 10, "seed": 1, "levers": [{"name": "special_fund", "values": [0.0], "scenario_value": 0.0}],
                          "targets": [{"id": "parks", "threshold": 3.0}], "months": ["2024-12"], "note": null,
                          "cells": [{"values": [0.0], "all": {"p_met": 0.5, "ci": {"low": 0.2, "high": 0.8}},
                                     "targets": [{"p_met": 1.5, "ci": {"low": 0.2, "high": 0.8}, "median": 3.0, "fan": [[1.0, 2.0, 3.0]]}]}]});
        let g: crate::whatif::sliders::SliderGrid = serde_json::from_value(grid).unwrap();
        let mut ok = g.clone();
        ok.cells[0].targets[0].p_met = 0.5;
        let mut v = view();
        v.sliders = Some(ok);
        assert_eq!(check(&v), Ok(()));
        assert_eq!(
            error(|v| v.sliders = Some(g)),
            "sliders.cells[0].targets[0].p_met = 1.5: a probability must be between 0 and 1"
        );
    }

    #[test]
    fn a_view_as_runs_write_it_passes() {
        assert_eq!(check(&view()), Ok(()));
    }

    #[test]
    fn the_reproducers_of_issue_20_are_named_by_their_json_path() {
        assert_eq!(
            error(|v| v.summary.blocks[1].id = 99),
            "summary.blocks[1].id = 99: no block with this id in blocks"
        );
        assert_eq!(error(|v| v.summary.series.clear()), "summary.series = []: must not be empty");
        assert_eq!(
            error(|v| v.summary.targets[0].histogram.edges.clear()),
            "summary.targets[0].histogram.edges = 0 edges: a histogram needs at least 2 edges"
        );
        assert_eq!(
            error(|v| v.summary.targets[0].p_met = 7.5),
            "summary.targets[0].p_met = 7.5: a probability must be between 0 and 1"
        );
        assert_eq!(
            error(|v| v.summary.series[3].p95 = 1.7e308),
            "summary.series[3].p95 = 1.7e308: a number must be between -1e15 and 1e15 (charts cannot draw beyond)"
        );
    }

    #[test]
    fn shapes_the_charts_rely_on_are_checked() {
        assert_eq!(
            error(|v| v.summary.targets[0].histogram.counts.push(1)),
            "summary.targets[0].histogram.counts = 3 counts: a histogram has one count fewer than edges (2 for 3 edges)"
        );
        assert_eq!(
            error(|v| v.summary.targets[0].histogram.edges[2] = 1.5),
            "summary.targets[0].histogram.edges[2] = 1.5: must be above the edge before it, edges[1] = 1.5"
        );
        assert_eq!(
            error(|v| {
                v.summary.series.pop();
            }),
            "summary.series = 1 months of jobs: every metric needs the same months, at least 2 (parks has 2, from 2024-11)"
        );
        assert_eq!(
            error(|v| v.summary.series.swap(0, 1)),
            "summary.series[1].month = 2024-11: must be 2025-01: each metric's rows run month by month from the first row's month, 2024-12"
        );
        assert_eq!(
            error(|v| v.target_set.deadline = "2025-01".parse().unwrap()),
            "target_set.deadline = 2025-01: must be a month of the forecast (2024-11 to 2024-12)"
        );
        assert_eq!(
            error(|v| v.summary.blocks[0].delivery_p10 = Some("2025-06".parse().unwrap())),
            "summary.blocks[0].delivery_p10 = 2025-06: must be no later than the last month of the forecast, 2024-12"
        );
        assert_eq!(
            error(|v| v.summary.blocks.push(v.summary.blocks[0].clone())),
            "summary.blocks[2].id = 1: this id is listed twice (also at summary.blocks[0])"
        );
        assert_eq!(
            error(|v| v.criticality.as_mut().unwrap().blocks[0].id = 7),
            "criticality.blocks[0].id = 7: no block with this id in blocks"
        );
    }

    #[test]
    fn intervals_and_percentiles_are_in_order() {
        assert_eq!(
            error(|v| v.summary.all.ci.high = 0.4),
            "summary.all.ci.high = 0.4: must not be below p_met = 0.5 (intervals and percentiles are in increasing order)"
        );
        assert_eq!(
            error(|v| v.summary.series[2].p75 = 1.5),
            "summary.series[2].p75 = 1.5: must not be below p50 = 3.0 (intervals and percentiles are in increasing order)"
        );
        assert_eq!(
            error(|v| v.summary.blocks[0].median_start = None),
            "summary.blocks[0].start_p90 = 2024-12: must not be below median_start = null (beyond the horizon) (intervals and percentiles are in increasing order)"
        );
        assert_eq!(
            error(|v| v.assumptions[0].range.as_mut().unwrap().p5 = 17.0),
            "assumptions[0].range.median = 16.0: must not be below p5 = 17.0 (intervals and percentiles are in increasing order)"
        );
    }

    #[test]
    fn paired_changes_stay_within_the_probabilities_they_change() {
        let set = |v: &mut RunView, mean: f64, high: f64| {
            let c = v.criticality.as_mut().unwrap().blocks[0].dropped.as_mut().unwrap()[5].as_mut().unwrap();
            (c.mean, c.high) = (mean, high);
        };
        assert_eq!(
            error(|v| set(v, 0.7, 0.8)),
            "criticality.blocks[0].dropped[5].mean = 0.7: the probability it leads to (0.5 + 0.7) must be between 0 and 1"
        );
        assert_eq!(
            error(|v| set(v, 0.1, 1.5)),
            "criticality.blocks[0].dropped[5].high = 1.5: a change in probability must be between -1 and 1"
        );
    }

    #[test]
    fn texts_are_bounded_and_free_of_control_characters() {
        assert_eq!(
            error(|v| v.name = "x".repeat(MAX_TEXT_CHARS + 1)),
            "name = \"xxxxxxxxxxxxxxxxxxxx\"… (10001 characters): a text may have at most 10000 characters"
        );
        assert_eq!(
            error(|v| v.blocks[1].name_en = "a\u{1b}[2Jb".into()),
            "blocks[1].name_en = \"a\\u{1b}[2Jb\": control characters are not allowed (only tab and line breaks)"
        );
        assert_eq!(
            error(|v| v.blocks[0].status = "late".into()),
            "blocks[0].status = \"late\": must be one of started, planned, undetermined"
        );
        // line breaks and tabs are text
        let mut v = view();
        v.assumptions[0].basis = "source: a\n\tb".into();
        assert_eq!(check(&v), Ok(()));
    }
}
