//! The at-risk list: each block's status against its plan at the as-of month, its chance of
//! operating by the deadline, what it would add to each target if it did (times the chance it
//! does not: its contribution at risk), whether the scenario's 有进有出 rule makes it a candidate
//! to leave the list, and what a reserve block started now would change.

use super::observations::{BlockObservation, Observations, Seen};
use crate::engine::{self, map_rows, Aggregate, RunError, RunOptions};
use crate::model::{Plan, StartRule, METRIC_COUNT, NOT_BY_HORIZON};
use crate::month::Month;
use crate::scenario::Scenario;
use crate::seeds::{Block, StartStatus};
use crate::sensitivity::criticality::{changes, hits, PairedChange, SLOTS};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

/// A block's status against its plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Operating (delivered) by the as-of month.
    Delivered,
    /// Started no later than planned (or already started at the policy date).
    OnSchedule,
    /// Started later than planned, or not started although its planned start has passed.
    Late,
    /// Not started, and its planned start (if any) is still ahead.
    NotStarted,
    /// Left the list.
    Removed,
    /// Nothing observed.
    NotObserved,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Delivered => "delivered",
            Status::OnSchedule => "on_schedule",
            Status::Late => "late",
            Status::NotStarted => "not_started",
            Status::Removed => "removed",
            Status::NotObserved => "not_observed",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Delivered => "已建成运营",
            Status::OnSchedule => "按计划推进",
            Status::Late => "滞后",
            Status::NotStarted => "未开工",
            Status::Removed => "已调出",
            Status::NotObserved => "无监测数据",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Status::Delivered => "delivered",
            Status::OnSchedule => "on schedule",
            Status::Late => "late",
            Status::NotStarted => "not started",
            Status::Removed => "removed",
            Status::NotObserved => "not observed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockRisk {
    pub id: u32,
    pub status: Status,
    /// The status in words, e.g. "not started; planned 2025-06, 12 months overdue".
    pub detail: String,
    #[serde(default)]
    pub detail_zh: String,
    pub counted: bool,
    pub p_started_by_checkpoint: f64,
    pub p_delivered_by_deadline: f64,
    /// Mean contribution at the deadline in trials where it operates by then, times the chance
    /// it does not: parks, 专精特新, tech SMEs, revenue (CNY), jobs.
    pub at_risk: [f64; METRIC_COUNT],
    /// Due to start by the 有进有出 checkpoint and seen not started after it, or (before the
    /// checkpoint) under a 50 % chance of starting by it.
    pub leave_candidate: bool,
    /// Why the block is a candidate, or (not a candidate) why its start should be checked: due
    /// by a checkpoint already passed, but no start observed.
    pub leave_reason: Option<String>,
    #[serde(default)]
    pub leave_reason_zh: Option<String>,
}

/// What the observations say of a block's start, for the 有进有出 flag.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Evidence {
    SeenNotStarted,
    Unseen,
}

/// A block's 有进有出 flag, in English and Chinese.
#[derive(Clone, Debug, PartialEq)]
struct LeaveFlag {
    candidate: bool,
    reason: String,
    reason_zh: String,
}

/// The flag of a counted block due to start by the checkpoint and not seen started, as of
/// `as_of`; `p_started` is its forecast chance of having started by the checkpoint. Only a
/// block seen not started after the checkpoint, or forecast unlikely to start before it, is a
/// candidate to leave; a block nobody observed after the checkpoint is to be checked, not
/// removed on a forecast.
fn leave_flag(evidence: Evidence, as_of: Month, checkpoint: Month, p_started: f64, rule_on: bool) -> Option<LeaveFlag> {
    let (rule, rule_zh) = if rule_on {
        (" (the scenario's 有进有出 rule)", "（按情景的有进有出规则）")
    } else {
        (" (有进有出 checkpoint; the rule is off in this scenario)", "（有进有出检查点；本情景未启用该规则）")
    };
    let p = format!("{:.0}%", p_started * 100.0);
    if as_of >= checkpoint {
        Some(match evidence {
            Evidence::SeenNotStarted => LeaveFlag {
                candidate: true,
                reason: format!("not started by the checkpoint {checkpoint}{rule}"),
                reason_zh: format!("列入调出研判：检查点 {checkpoint} 前未开工{rule_zh}"),
            },
            Evidence::Unseen => LeaveFlag {
                candidate: false,
                reason: format!("check its start: none observed; {p} chance it started by the checkpoint {checkpoint}"),
                reason_zh: format!("待核实：无开工数据，检查点 {checkpoint} 前开工概率约 {p}"),
            },
        })
    } else if p_started < 0.5 {
        Some(LeaveFlag {
            candidate: true,
            reason: format!("{p} chance of starting by the checkpoint {checkpoint}{rule}"),
            reason_zh: format!("可能调出：检查点 {checkpoint} 前开工概率 {p}{rule_zh}"),
        })
    } else {
        None
    }
}

/// What a reserve block started now would change: paired changes of P(met) per slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReserveEffect {
    pub start: Month,
    pub land_mu: f64,
    pub changes: [Option<PairedChange>; SLOTS],
}

fn months_between(a: Month, b: Month) -> i32 {
    b.since(a)
}

/// Status and words for one block.
/// Status and words for one block, in English and Chinese.
pub fn status(block: &Block, o: Option<&BlockObservation>, as_of: Month) -> (Status, String, String) {
    let plan = |zh: bool| {
        let added = block.id > crate::seeds::ANNEX_ROWS as u32;
        match (zh, added) {
            (false, false) => format!("annex start: {}", block.start.describe_en()),
            (false, true) => format!("added block, {}", block.start.describe_en()),
            (true, false) => format!("附件开工时间：{}", block.start_zh),
            (true, true) => format!("新增区块，{}", block.start_zh),
        }
    };
    let Some(o) = o else {
        return (
            Status::NotObserved,
            format!("no observation; {}", plan(false)),
            format!("无监测数据；{}", plan(true)),
        );
    };
    if o.removed {
        return (Status::Removed, "left the list (有进有出)".into(), "已调出推进表（有进有出）".into());
    }
    if let Some(Seen::In(d)) = o.delivered {
        return (Status::Delivered, format!("operating since {d}"), format!("{d} 起运营"));
    }
    // a plan for a year only is kept until the end of that year
    let plan_month = block.start.planned_month();
    let planned = match block.start {
        StartStatus::PlannedYear(y) => y.to_string(),
        _ => plan_month.map(|m| m.to_string()).unwrap_or_default(),
    };
    match (o.started, block.start) {
        (Some(Seen::In(m)), StartStatus::Started) => {
            (Status::OnSchedule, format!("under construction (started {m})"), format!("在建（{m} 开工）"))
        }
        (None, StartStatus::Started) => (
            Status::OnSchedule,
            "under construction (started before the policy date)".into(),
            "在建（政策发布前已开工）".into(),
        ),
        (Some(Seen::In(m)), _) => match plan_month {
            Some(p) if m > p => {
                let late = months_between(p, m);
                (
                    Status::Late,
                    format!("started {m}, {late} months after the planned {planned}"),
                    format!("{m} 开工，比计划（{planned}）晚 {late} 个月"),
                )
            }
            Some(_) => {
                (Status::OnSchedule, format!("started {m} (planned {planned})"), format!("{m} 开工（计划 {planned}）"))
            }
            None => (Status::OnSchedule, format!("started {m} (no planned date)"), format!("{m} 开工（无计划时间）")),
        },
        (Some(Seen::NotYet), _) => match plan_month {
            Some(p) if p < as_of => {
                let late = months_between(p, as_of);
                (
                    Status::Late,
                    format!("not started; planned {planned}, {late} months overdue"),
                    format!("未开工；计划 {planned}，已逾期 {late} 个月"),
                )
            }
            Some(_) => {
                (Status::NotStarted, format!("not started; planned {planned}"), format!("未开工；计划 {planned}"))
            }
            None => (Status::NotStarted, "not started (no planned date)".into(), "未开工（开工时间未定）".into()),
        },
        (None, _) => (
            Status::NotObserved,
            format!("start not observed; {}", plan(false)),
            format!("开工情况无监测数据；{}", plan(true)),
        ),
    }
}

struct TrialBlocks {
    delivered: Vec<bool>,
    started_by_checkpoint: Vec<bool>,
    contribution: Vec<[f64; METRIC_COUNT]>,
}

/// Computes the at-risk list from `n` trials of the conditioned plan. `p_delivered` is each
/// block's P(operating by the deadline) from the full run (in the plan's block order): shown as
/// it is, so the list agrees with the run's block table; the first `n` trials (the same trials)
/// give what a block adds when it operates and its chance of starting by the checkpoint.
#[allow(clippy::too_many_arguments)]
pub fn at_risk(
    scenario: &Scenario,
    plan: &Plan,
    obs: &Observations,
    p_delivered: &[f64],
    seed: u64,
    n: u64,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<BlockRisk>, RunError> {
    let start = plan.month_label(0);
    let checkpoint = scenario.levers.replacement.checkpoint;
    let checkpoint_idx = checkpoint.since(start) as i16;
    let deadline = plan.deadline as i16;
    let rows = map_rows(
        n as usize,
        threads,
        cancel,
        progress,
        || crate::model::TrialBuffers::new(plan),
        |buf, t| {
            crate::model::run_trial(plan, seed, t as u64, buf);
            let o = &buf.outcome;
            TrialBlocks {
                delivered: o.block_delivery.iter().map(|&d| d != NOT_BY_HORIZON && d <= deadline).collect(),
                started_by_checkpoint: o
                    .block_start
                    .iter()
                    .map(|&s| s != NOT_BY_HORIZON && s <= checkpoint_idx)
                    .collect(),
                contribution: o.block_at_deadline.clone(),
            }
        },
    )?;
    let nf = rows.len().max(1) as f64;
    let rule_on = scenario.levers.replacement.enabled;
    let mut out = Vec::new();
    for (i, b) in scenario.blocks.iter().enumerate() {
        let o = obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation)).find(|o| o.id == b.id);
        let (st, detail, detail_zh) = status(b, o, obs.as_of);
        let delivered = rows.iter().filter(|r| r.delivered[i]).count() as f64;
        let p_delivered = p_delivered.get(i).copied().unwrap_or(delivered / nf);
        let p_started = rows.iter().filter(|r| r.started_by_checkpoint[i]).count() as f64 / nf;
        let mut at_risk = [0.0; METRIC_COUNT];
        if delivered > 0.0 {
            for (m, v) in at_risk.iter_mut().enumerate() {
                let mean =
                    rows.iter().filter(|r| r.delivered[i]).map(|r| r.contribution[i][m]).sum::<f64>() / delivered;
                *v = mean * (1.0 - p_delivered);
            }
        }
        let due_by_checkpoint = match b.start {
            StartStatus::PlannedMonth(m) => m <= checkpoint,
            StartStatus::PlannedYear(y) => y <= checkpoint.year(),
            StartStatus::Undetermined => true,
            StartStatus::Started => false,
        };
        let seen_start = o.and_then(|o| o.started);
        let not_started = due_by_checkpoint
            && !matches!(st, Status::Delivered | Status::OnSchedule | Status::Removed)
            && !matches!(seen_start, Some(Seen::In(_)));
        let flag = if not_started && plan.blocks[i].counted {
            let evidence = match seen_start {
                Some(Seen::NotYet) => Evidence::SeenNotStarted,
                _ => Evidence::Unseen,
            };
            leave_flag(evidence, obs.as_of, checkpoint, p_started, rule_on)
        } else {
            None
        };
        out.push(BlockRisk {
            id: b.id,
            status: st,
            detail,
            detail_zh,
            counted: plan.blocks[i].counted,
            p_started_by_checkpoint: p_started,
            p_delivered_by_deadline: p_delivered,
            at_risk,
            leave_candidate: flag.as_ref().is_some_and(|f| f.candidate),
            leave_reason: flag.as_ref().map(|f| f.reason.clone()),
            leave_reason_zh: flag.map(|f| f.reason_zh),
        });
    }
    Ok(out)
}

/// What adding the scenario's reserve block, starting `lag` months after the as-of month on
/// schedule, changes for each target: paired with `base` (a run of `plan` with `opts`).
pub fn reserve_effect(
    scenario: &Scenario,
    plan: &Plan,
    base: &Aggregate,
    as_of: Month,
    opts: &RunOptions,
    cancel: &AtomicBool,
) -> Result<ReserveEffect, RunError> {
    let start = as_of.plus(scenario.levers.replacement.lag_months.round() as i32 + 1);
    let mut variant = plan.clone();
    let mut reserve = plan.reserve.clone();
    reserve.start = StartStatus::PlannedMonth(start);
    reserve.start_rule = StartRule::OnSchedule;
    reserve.counted = true;
    variant.blocks.push(reserve);
    let agg = engine::run(&variant, opts, cancel, &|_, _| {})?;
    let n = opts.trials.min(base.trials) as usize;
    Ok(ReserveEffect {
        start,
        land_mu: plan.reserve.land_mu,
        changes: changes(&hits(plan, base, n), &hits(&variant, &agg, n)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_block_seen_not_started_after_the_checkpoint_is_a_candidate() {
        let f = leave_flag(Evidence::SeenNotStarted, m("2026-06"), m("2025-12"), 0.0, true).unwrap();
        assert!(f.candidate);
        assert_eq!(f.reason, "not started by the checkpoint 2025-12 (the scenario's 有进有出 rule)");
        // unobserved after the checkpoint: to be checked, not removed on a forecast
        let f = leave_flag(Evidence::Unseen, m("2026-06"), m("2025-12"), 0.2, false).unwrap();
        assert!(!f.candidate);
        assert_eq!(f.reason, "check its start: none observed; 20% chance it started by the checkpoint 2025-12");
        assert_eq!(f.reason_zh, "待核实：无开工数据，检查点 2025-12 前开工概率约 20%");
    }

    #[test]
    fn before_the_checkpoint_the_forecast_decides() {
        let f = leave_flag(Evidence::Unseen, m("2025-06"), m("2025-12"), 0.3, false).unwrap();
        assert!(f.candidate);
        assert!(f.reason.starts_with("30% chance of starting by the checkpoint 2025-12"), "{}", f.reason);
        assert!(f.reason.ends_with("the rule is off in this scenario)"), "{}", f.reason);
        assert_eq!(leave_flag(Evidence::Unseen, m("2025-06"), m("2025-12"), 0.6, true), None);
    }
}
