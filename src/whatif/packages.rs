//! `packages`: the scenario as it stands (the status quo) and each of its lever packages on
//! common random numbers, with paired differences against the status quo and **regret** per
//! trial.
//!
//! Regret is measured trial by trial, among all the options (the status quo and every package):
//! in trial t the best options are those meeting the most targets; an option's regret in t is the
//! number of targets it misses that a best option meets (against the best option closest to it,
//! so a best option's regret is 0 and ties do not depend on the order). The all-targets regret
//! is 1 in a trial where some option meets every target and this one does not. Options are
//! ranked by mean regret, then mean all-targets regret, then P(all targets met), then their order
//! in the scenario.

use super::{evaluate, paired_difference, Common, Evaluated};
use crate::model::METRIC_COUNT;
use crate::scenario::packages::{Package, STATUS_QUO};
use crate::scenario::ScenarioSource;
use crate::seeds::{Seeds, TargetId};
use crate::stats::{Interval, Z95};
use crate::Error;
use std::sync::atomic::AtomicBool;

/// P(met) of one option for one target (or all targets, `target = None`).
#[derive(Clone, Debug, PartialEq)]
pub struct PackageTarget {
    pub target: Option<TargetId>,
    pub p_met: f64,
    pub ci: Interval,
    /// Paired difference against the status quo: (mean, low, high) of the 95 % interval.
    pub diff: (f64, f64, f64),
}

/// Regret of one option over the trials.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regret {
    /// Mean number of targets missed that the trial's best option meets.
    pub mean: f64,
    /// 90th percentile of that number (nearest rank).
    pub p90: u32,
    /// Share of trials in which some option meets every target and this one does not.
    pub all_mean: f64,
}

/// One option: the status quo (`package = None`) or a package.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageRow {
    /// `status_quo` or the package's id.
    pub id: String,
    pub package: Option<Package>,
    pub targets: Vec<PackageTarget>,
    pub regret: Regret,
    /// 1 = least regret.
    pub rank: usize,
}

impl PackageRow {
    /// The row for all targets.
    pub fn all(&self) -> &PackageTarget {
        self.targets.iter().find(|t| t.target.is_none()).expect("every option has all targets")
    }
}

/// What a packages analysis found.
#[derive(Clone, Debug, PartialEq)]
pub struct PackagesResult {
    pub scenario: String,
    pub label_zh: String,
    pub label_en: String,
    /// In the scenario's order, status quo first (see [`PackageRow::rank`] for the ranking).
    pub rows: Vec<PackageRow>,
    pub trials: u64,
    pub seed: u64,
}

impl PackagesResult {
    /// The rows in rank order.
    pub fn ranked(&self) -> Vec<&PackageRow> {
        let mut r: Vec<&PackageRow> = self.rows.iter().collect();
        r.sort_by_key(|r| r.rank);
        r
    }
}

/// Evaluates the status quo and every package of the scenario.
pub fn packages(
    source: &ScenarioSource,
    overrides: &[String],
    seeds: &Seeds,
    common: Common,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, usize),
) -> Result<PackagesResult, Error> {
    let scenario = crate::scenario::load(source, overrides, seeds)?;
    if scenario.packages.is_empty() {
        return Err(Error::Usage(format!(
            "scenario {} has no lever packages: add [packages.<id>] with label_zh, label_en, levers and cost_note (docs/scenario-format.md, section Lever packages), or use the baseline, which has four",
            scenario.name
        )));
    }
    let all = scenario.packages.len() + 1;
    let mut evaluated = vec![evaluate(source, overrides, seeds, common, cancel)?];
    progress(1, all);
    for p in &scenario.packages {
        let mut o = overrides.to_vec();
        o.extend(p.overrides());
        evaluated.push(evaluate(source, &o, seeds, common, cancel)?);
        progress(evaluated.len(), all);
    }
    let n = common.trials as usize;
    let present: Vec<usize> = (0..METRIC_COUNT).filter(|&m| evaluated[0].plan.thresholds[m].is_some()).collect();
    let regrets = regrets(
        evaluated.len(),
        n,
        |o, t| {
            present.iter().enumerate().fold(0u32, |mask, (bit, &m)| mask | (u32::from(evaluated[o].met(m, t)) << bit))
        },
        present.len(),
    );
    let ranks = rank(&regrets, &evaluated.iter().map(|e| e.agg.all_met.estimate()).collect::<Vec<_>>());
    let first = &evaluated[0];
    let mut rows = Vec::new();
    for (o, e) in evaluated.iter().enumerate() {
        let package = o.checked_sub(1).map(|i| scenario.packages[i].clone());
        rows.push(PackageRow {
            id: package.as_ref().map(|p| p.id.clone()).unwrap_or_else(|| STATUS_QUO.into()),
            package,
            targets: targets(first, e, &present, n),
            regret: regrets[o],
            rank: ranks[o],
        });
    }
    Ok(PackagesResult {
        scenario: scenario.name.clone(),
        label_zh: scenario.label_zh.clone(),
        label_en: scenario.label_en.clone(),
        rows,
        trials: common.trials,
        seed: common.seed,
    })
}

fn targets(first: &Evaluated, e: &Evaluated, present: &[usize], n: usize) -> Vec<PackageTarget> {
    let mut out: Vec<PackageTarget> = present
        .iter()
        .map(|&m| {
            let p = e.proportion(Some(m));
            PackageTarget {
                target: Some(TargetId::ALL[m]),
                p_met: p.estimate(),
                ci: p.wilson(Z95),
                diff: paired_difference(|t| first.met(m, t), |t| e.met(m, t), n),
            }
        })
        .collect();
    let p = e.proportion(None);
    out.push(PackageTarget {
        target: None,
        p_met: p.estimate(),
        ci: p.wilson(Z95),
        diff: paired_difference(|t| first.all_met(t), |t| e.all_met(t), n),
    });
    out
}

/// Regret of each of `options` over `trials`, from `met(option, trial)`: the bit mask of the
/// `targets` targets that option meets in that trial.
pub fn regrets(options: usize, trials: usize, met: impl Fn(usize, usize) -> u32, targets: usize) -> Vec<Regret> {
    let full = if targets >= 32 { u32::MAX } else { (1u32 << targets) - 1 };
    // counts[o][r]: trials in which option o has regret r
    let mut counts = vec![vec![0u64; targets + 1]; options];
    let mut all_regret = vec![0u64; options];
    let mut masks = vec![0u32; options];
    for t in 0..trials {
        for (o, m) in masks.iter_mut().enumerate() {
            *m = met(o, t) & full;
        }
        let most = masks.iter().map(|m| m.count_ones()).max().unwrap_or(0);
        let someone_all = masks.contains(&full);
        for o in 0..options {
            let r = masks
                .iter()
                .filter(|b| b.count_ones() == most)
                .map(|b| (b & !masks[o]).count_ones())
                .min()
                .unwrap_or(0);
            counts[o][r as usize] += 1;
            if someone_all && masks[o] != full {
                all_regret[o] += 1;
            }
        }
    }
    let n = trials.max(1) as f64;
    counts
        .iter()
        .zip(&all_regret)
        .map(|(c, &a)| {
            let mean = c.iter().enumerate().map(|(r, &k)| r as f64 * k as f64).sum::<f64>() / n;
            // nearest rank: the smallest r with at least 90 % of trials at or below it
            let need = (0.9 * trials as f64).ceil() as u64;
            let mut seen = 0;
            let mut p90 = 0;
            for (r, &k) in c.iter().enumerate() {
                seen += k;
                if seen >= need {
                    p90 = r as u32;
                    break;
                }
            }
            Regret { mean, p90, all_mean: a as f64 / n }
        })
        .collect()
}

/// Ranks (1 = best): mean regret, then all-targets regret, then P(all) (higher first), then order.
pub fn rank(regrets: &[Regret], p_all: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..regrets.len()).collect();
    order.sort_by(|&a, &b| {
        regrets[a]
            .mean
            .total_cmp(&regrets[b].mean)
            .then(regrets[a].all_mean.total_cmp(&regrets[b].all_mean))
            .then(p_all[b].total_cmp(&p_all[a]))
            .then(a.cmp(&b))
    });
    let mut ranks = vec![0; regrets.len()];
    for (place, o) in order.into_iter().enumerate() {
        ranks[o] = place + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_that_dominates_in_every_trial_has_no_regret() {
        // option 1 meets a superset of what the others meet, in every trial
        let masks = [
            [0b00001u32, 0b00011, 0b10101, 0b00000],
            [0b00111, 0b11111, 0b10101, 0b01000],
            [0b00110, 0b01011, 0b00100, 0b01000],
        ];
        let r = regrets(3, 4, |o, t| masks[o][t], 5);
        assert_eq!(r[1], Regret { mean: 0.0, p90: 0, all_mean: 0.0 });
        // option 0 misses, against option 1: 2, 3, 0, 1 targets; all targets: trial 1 only
        assert_eq!(r[0].mean, 6.0 / 4.0);
        assert_eq!(r[0].p90, 3);
        assert_eq!(r[0].all_mean, 0.25);
        assert_eq!(rank(&r, &[0.0, 0.25, 0.0]), [3, 1, 2]);
    }

    #[test]
    fn the_best_option_is_found_trial_by_trial() {
        // A meets both targets in trial 0 and none in trial 1; B the reverse; C one in each.
        // No option is best in every trial, yet in each trial the best one has regret 0.
        let masks = [[0b11u32, 0b00], [0b00, 0b11], [0b01, 0b10]];
        let r = regrets(3, 2, |o, t| masks[o][t], 2);
        assert_eq!(r[0], Regret { mean: 1.0, p90: 2, all_mean: 0.5 });
        assert_eq!(r[1], Regret { mean: 1.0, p90: 2, all_mean: 0.5 });
        // C misses one target of the best in each trial: regret 1, and all-targets regret 1
        assert_eq!(r[2], Regret { mean: 1.0, p90: 1, all_mean: 1.0 });
        // the same mean; A and B miss all targets less often
        assert_eq!(rank(&r, &[0.5, 0.5, 0.0]), [1, 2, 3]);
    }

    #[test]
    fn ties_among_the_best_measure_against_the_closest() {
        // trial 0: A meets {0}, B meets {1}: both best with one target; neither regrets
        let r = regrets(2, 1, |o, _| [0b01u32, 0b10][o], 2);
        assert_eq!(r[0].mean, 0.0);
        assert_eq!(r[1].mean, 0.0);
        assert_eq!(r[0].all_mean, 0.0);
    }
}
