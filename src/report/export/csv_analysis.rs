//! CSV tables of the analysis commands (tornado, Sobol, criticality, discovery, replay), in the
//! same format as the run's tables.

use super::csv::{col, target_key, write};
use super::ExportError;
use crate::engine::Replay;
use crate::model::{Plan, METRIC_COUNT};
use crate::monitor::view::MonitorView;
use crate::scenario::Scenario;
use crate::seeds::TargetId;
use crate::sensitivity::criticality::{Criticality, SLOTS};
use crate::sensitivity::discover::Discovery;
use crate::sensitivity::prim::PrimBox;
use crate::sensitivity::sobol_model::ModelSobol;
use crate::sensitivity::tornado::Tornado;
use std::path::Path;

/// `tornado.csv`: one row per factor and target (`all` for all targets jointly), in the order
/// the factors were evaluated; `rank` is the factor's rank for that target.
pub fn write_tornado(path: &Path, t: &Tornado, targets: &[Option<usize>]) -> Result<(), ExportError> {
    let (mut factor, mut target, mut rank, mut low_setting, mut high_setting) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut p_low, mut p_high, mut swing, mut base_p) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut med_low, mut med_high, mut base_med) = (Vec::new(), Vec::new(), Vec::new());
    for &m in targets {
        let ranked = t.ranked(m);
        for row in &t.rows {
            let r = ranked.iter().position(|x| std::ptr::eq(*x, row)).expect("every row is ranked") as u32 + 1;
            factor.push(row.factor.key());
            target.push(target_key(m.map(|m| TargetId::ALL[m])));
            rank.push(r);
            low_setting.push(row.low_text.clone());
            high_setting.push(row.high_text.clone());
            p_low.push(row.low.p(m));
            p_high.push(row.high.p(m));
            swing.push(row.swing(m));
            base_p.push(t.baseline.p(m));
            med_low.push(m.map(|m| row.low.median[m]));
            med_high.push(m.map(|m| row.high.median[m]));
            base_med.push(m.map(|m| t.baseline.median[m]));
        }
    }
    write(
        path,
        vec![
            col("factor", factor),
            col("target", target),
            col("rank", rank),
            col("low_setting", low_setting),
            col("high_setting", high_setting),
            col("p_met_low", p_low),
            col("p_met_high", p_high),
            col("swing", swing),
            col("p_met_baseline", base_p),
            col("median_low", med_low),
            col("median_high", med_high),
            col("median_baseline", base_med),
        ],
    )
}

/// `replay_months.csv`: one row per month and part (`total`, `base`, `b<id>`), the value of
/// each metric at the end of that month.
pub fn write_replay(path: &Path, scenario: &Scenario, plan: &Plan, r: &Replay) -> Result<(), ExportError> {
    let mut month = Vec::new();
    let mut part = Vec::new();
    let mut values: [Vec<f64>; METRIC_COUNT] = Default::default();
    let mut add = |name: &str, paths: &[Vec<f64>; METRIC_COUNT]| {
        for t in 0..plan.months {
            month.push(plan.month_label(t).to_string());
            part.push(name.to_string());
            for (v, path) in values.iter_mut().zip(paths.iter()) {
                v.push(path[t]);
            }
        }
    };
    add("total", &r.outcome.paths);
    add("base", &r.base);
    for (b, br) in scenario.blocks.iter().zip(&r.blocks) {
        add(&format!("b{}", b.id), &br.paths);
    }
    let [parks, spec, tech, revenue, jobs] = values;
    write(
        path,
        vec![
            col("month", month),
            col("part", part),
            col("parks", parks),
            col("specialized", spec),
            col("tech_smes", tech),
            col("revenue_cny", revenue),
            col("jobs", jobs),
        ],
    )
}

/// `replay_blocks.csv`: each block's dates in the replayed trial (month index since 2024-11 and
/// month; empty when not by the horizon).
pub fn write_replay_blocks(path: &Path, scenario: &Scenario, plan: &Plan, r: &Replay) -> Result<(), ExportError> {
    let month = |x: f64| (x.is_finite()).then(|| plan.month_label(0).plus(x.floor() as i32).to_string());
    let o = &r.outcome;
    let idx = |m: i16| (m != crate::model::NOT_BY_HORIZON).then_some(m as i32);
    write(
        path,
        vec![
            col("block", scenario.blocks.iter().map(|b| b.id).collect::<Vec<u32>>()),
            col("counted", plan.blocks.iter().map(|b| b.counted).collect::<Vec<bool>>()),
            col("start_index", o.block_start.iter().map(|m| idx(*m)).collect::<Vec<_>>()),
            col("start_month", r.blocks.iter().map(|b| month(b.start)).collect::<Vec<_>>()),
            col("delivery_index", o.block_delivery.iter().map(|m| idx(*m)).collect::<Vec<_>>()),
            col(
                "delivery_month",
                r.blocks.iter().map(|b| b.phases.first().and_then(|p| month(p.0))).collect::<Vec<_>>(),
            ),
            col("phases", r.blocks.iter().map(|b| b.phases.len() as u32).collect::<Vec<u32>>()),
            col("area_m2", r.blocks.iter().map(|b| b.area_m2).collect::<Vec<f64>>()),
            col("replaced", r.blocks.iter().map(|b| b.replaced).collect::<Vec<bool>>()),
        ],
    )
}

/// `criticality.csv`: one row per block and target (`all`: all targets jointly). Changes are in
/// probability (0.012 = +1.2 points); empty where they do not apply (a block already started
/// has no on-schedule variant; a block that does not count is neither dropped nor on schedule).
pub fn write_criticality(path: &Path, c: &Criticality) -> Result<(), ExportError> {
    let (mut block, mut target, mut base) = (Vec::new(), Vec::new(), Vec::new());
    let mut cols: [Vec<Option<f64>>; 7] = Default::default();
    for b in &c.blocks {
        for s in (0..SLOTS).filter(|&s| c.baseline[s].is_some()) {
            block.push(b.id);
            target.push(target_key((s < METRIC_COUNT).then(|| TargetId::ALL[s])));
            base.push(c.baseline[s]);
            let on = b.on_schedule.and_then(|v| v[s]);
            let dr = b.dropped.and_then(|v| v[s]);
            let vals = [
                on.map(|x| x.mean),
                on.map(|x| x.low),
                on.map(|x| x.high),
                dr.map(|x| x.mean),
                dr.map(|x| x.low),
                dr.map(|x| x.high),
                b.under_construction_in_misses[s],
            ];
            for (col, v) in cols.iter_mut().zip(vals) {
                col.push(v);
            }
        }
    }
    let [on, on_lo, on_hi, dr, dr_lo, dr_hi, under] = cols;
    write(
        path,
        vec![
            col("block", block),
            col("target", target),
            col("p_met_baseline", base),
            col("on_schedule_change", on),
            col("on_schedule_low", on_lo),
            col("on_schedule_high", on_hi),
            col("dropped_change", dr),
            col("dropped_low", dr_lo),
            col("dropped_high", dr_hi),
            col("under_construction_share_of_misses", under),
            col("trials", vec![c.trials; c.blocks.len() * c.baseline.iter().flatten().count()]),
        ],
    )
}

/// `sobol.csv`: one row per output and input group: first-order and total indices with their
/// bootstrap standard errors and 95 % intervals, the output's variance and the design size.
pub fn write_sobol(path: &Path, r: &ModelSobol) -> Result<(), ExportError> {
    let mut output = Vec::new();
    let mut group = Vec::new();
    let mut cols: [Vec<f64>; 10] = Default::default();
    for (o, s) in &r.outputs {
        for (g, name) in r.groups.iter().enumerate() {
            output.push(o.key());
            group.push(name.clone());
            let (f, t) = (s.first[g], s.total[g]);
            let vals =
                [f.estimate, f.low, f.high, f.std_error, t.estimate, t.low, t.high, t.std_error, s.variance, s.mean];
            for (c, v) in cols.iter_mut().zip(vals) {
                c.push(v);
            }
        }
    }
    let [f, fl, fh, fse, t, tl, th, tse, var, mean] = cols;
    let rows = output.len();
    write(
        path,
        vec![
            col("output", output),
            col("group", group),
            col("first", f),
            col("first_low", fl),
            col("first_high", fh),
            col("first_se", fse),
            col("total", t),
            col("total_low", tl),
            col("total_high", th),
            col("total_se", tse),
            col("output_variance", var),
            col("output_mean", mean),
            col("n", vec![r.n as u64; rows]),
        ],
    )
}

/// `discover.csv`: the peeling trajectory, one row per box (step 0 is the whole space), with
/// its coverage, density, mass, trials in the box and its rules; the chosen box last, as step
/// `chosen`.
pub fn write_discovery(path: &Path, d: &Discovery, months: usize) -> Result<(), ExportError> {
    let mut boxes: Vec<(String, &PrimBox)> = d.trajectory.iter().enumerate().map(|(i, b)| (i.to_string(), b)).collect();
    if let Some(c) = &d.chosen {
        boxes.push(("chosen".into(), c));
    }
    let f = |g: fn(&PrimBox) -> f64| -> Vec<f64> { boxes.iter().map(|(_, b)| g(b)).collect() };
    write(
        path,
        vec![
            col("step", boxes.iter().map(|(s, _)| s.clone()).collect::<Vec<String>>()),
            col("coverage", f(|b| b.coverage())),
            col("density", f(|b| b.density())),
            col("mass", f(|b| b.mass())),
            col("trials_in_box", boxes.iter().map(|(_, b)| b.count() as u64).collect::<Vec<u64>>()),
            col(
                "rules",
                boxes
                    .iter()
                    .map(|(_, b)| crate::report::rules::box_rules(d, b, months).join(" and "))
                    .collect::<Vec<String>>(),
            ),
        ],
    )
}

/// `monitor.csv`: the at-risk list, one row per block (annex and added): status against plan,
/// chances, contribution at risk per metric and the 有进有出 flag.
pub fn write_monitor(path: &Path, scenario: &Scenario, m: &MonitorView) -> Result<(), ExportError> {
    let b = &m.blocks;
    let name = |id: u32| scenario.blocks.iter().find(|x| x.id == id).map(|x| x.name_zh.clone()).unwrap_or_default();
    let risk = |k: usize| -> Vec<f64> { b.iter().map(|r| r.at_risk[k]).collect() };
    write(
        path,
        vec![
            col("as_of", vec![m.as_of.to_string(); b.len()]),
            col("block", b.iter().map(|r| r.id).collect::<Vec<u32>>()),
            col("name_zh", b.iter().map(|r| name(r.id)).collect::<Vec<String>>()),
            col("status", b.iter().map(|r| r.status.key().to_string()).collect::<Vec<String>>()),
            col("detail", b.iter().map(|r| r.detail.clone()).collect::<Vec<String>>()),
            col("counted", b.iter().map(|r| r.counted).collect::<Vec<bool>>()),
            col("p_started_by_checkpoint", b.iter().map(|r| r.p_started_by_checkpoint).collect::<Vec<f64>>()),
            col("p_delivered_by_deadline", b.iter().map(|r| r.p_delivered_by_deadline).collect::<Vec<f64>>()),
            col("at_risk_parks", risk(0)),
            col("at_risk_specialized", risk(1)),
            col("at_risk_tech_smes", risk(2)),
            col("at_risk_revenue_cny", risk(3)),
            col("at_risk_jobs", risk(4)),
            col("leave_candidate", b.iter().map(|r| r.leave_candidate).collect::<Vec<bool>>()),
            col("leave_reason", b.iter().map(|r| r.leave_reason.clone()).collect::<Vec<Option<String>>>()),
            col("leave_reason_zh", b.iter().map(|r| r.leave_reason_zh.clone()).collect::<Vec<Option<String>>>()),
        ],
    )
}

/// `discover.csv` when every trial (or none) misses: the whole space is the only box.
pub fn write_discovery_trivial(path: &Path, trials: usize, misses: usize) -> Result<(), ExportError> {
    let all = misses == trials;
    write(
        path,
        vec![
            col("step", vec!["0".to_string()]),
            col("coverage", vec![if misses > 0 { 1.0 } else { 0.0 }]),
            col("density", vec![if all { 1.0 } else { 0.0 }]),
            col("mass", vec![1.0]),
            col("trials_in_box", vec![trials as u64]),
            col("rules", vec![format!("none: the target is {} in every trial", if all { "missed" } else { "met" })]),
        ],
    )
}
