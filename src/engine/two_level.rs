//! Two-level simulation (docs/uncertainty.md): outer draws of what we do not know, inner trials
//! of what varies by chance.
//!
//! World `w` draws each epistemic parameter (in each block that uses it) from its own keyed
//! uniform — key (seed, world, block, parameter id) on a stream apart from the trials' — and
//! pins it; then inner trials 0..M run with those values pinned and everything else drawn as in
//! `run`. The inner trials are the same M trials in every world (common random numbers), so
//! worlds differ by what we do not know only. Worlds run in parallel and are collected in world
//! order: results do not depend on the number of threads.
//!
//! Each world's P(met) is estimated from its M trials; the even and the odd trials give two
//! independent halves, from which the across-world variance and each unknown's share of it are
//! estimated free of the inner noise ([`crate::stats::first_order`]).

use super::streams::{name_key, TrialKey, CITY};
use super::RunError;
use crate::model::{run_trial_at_deadline, Pins, Plan, TrialBuffers, METRIC_COUNT};
use crate::scenario::PARAMS;
use crate::stats::first_order::{first_order_shares, Estimate};
use crate::stats::{quantile_sorted, Interval, Proportion, Z95};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The outer and inner sizes when not given: the baseline finishes in seconds.
pub const DEFAULT_OUTER: usize = 400;
pub const DEFAULT_INNER: u64 = 250;
/// Limits of `--outer` (at least enough worlds for bins of ten) and `--inner` (even: two halves).
pub const MIN_OUTER: usize = 40;
pub const MAX_OUTER: usize = 100_000;
pub const MIN_INNER: u64 = 2;
/// At most this many trials in all (outer × inner), like `run`'s most trials.
pub const MAX_TOTAL: u64 = crate::scenario::MAX_TRIALS;
/// Bootstrap resamples for the shares' intervals: 200, fewer (down to 30) where that would take
/// more than [`BOOTSTRAP_WORK`] element operations (large `--outer`).
pub const BOOTSTRAP: usize = 200;
pub const MIN_BOOTSTRAP: usize = 30;
pub const BOOTSTRAP_WORK: f64 = 4e10;
/// Element operations of the bootstrap a thread does a second (release build, measured).
pub const BOOTSTRAP_OPS_PER_SECOND_PER_THREAD: f64 = 5e8;

/// The bootstrap resamples and their work for `outer` worlds, these unknowns and `outputs`
/// outputs.
pub fn bootstrap_plan(outer: usize, unknowns: &[Unknown], outputs: usize) -> (usize, f64) {
    let sizes: Vec<usize> = unknowns.iter().map(Unknown::dims).collect();
    let work = crate::stats::first_order::resample_work(outer, &sizes, outputs);
    let resamples = ((BOOTSTRAP_WORK / work.max(1.0)) as usize).clamp(MIN_BOOTSTRAP, BOOTSTRAP);
    (resamples, resamples as f64 * work)
}

/// The band pass of a plain `run` (its report's epistemic band): at most this many trials, and
/// at most a [`BAND_SHARE`]th of the run's own, as [`BAND_INNER`] trials in each world.
pub const BAND_TRIALS: u64 = 20_000;
pub const BAND_SHARE: u64 = 5;
pub const BAND_INNER: u64 = 200;
pub const BAND_OUTER: usize = 100;

/// Worlds and trials per world of the band pass of a run of `trials`: 100 × 200 for the
/// baseline's 100,000; fewer for a smaller run, never below [`MIN_OUTER`] worlds of
/// [`MIN_INNER`] trials.
pub fn band_pass_sizes(trials: u64) -> (usize, u64) {
    let budget = BAND_TRIALS.min(trials / BAND_SHARE);
    let outer = ((budget / BAND_INNER) as usize).clamp(MIN_OUTER, BAND_OUTER);
    let inner = (budget / outer as u64 / 2 * 2).clamp(MIN_INNER, BAND_INNER);
    (outer, inner)
}

/// The seed of the worlds' stream, apart from the trials' (same seed, other key).
fn world_seed(seed: u64) -> u64 {
    seed ^ name_key("two_level.world")
}

/// One epistemic parameter path and where it is drawn per world.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    /// `params.revenue.density_cny_per_m2` or `base.revenue_2024_cny`.
    pub key: String,
    pub param: usize,
    /// Blocks (plan indices) it is drawn in; empty for a city-wide parameter.
    pub blocks: Vec<usize>,
}

impl Unknown {
    pub fn dims(&self) -> usize {
        self.blocks.len().max(1)
    }
}

/// What one output (a target, or all) looks like across worlds.
#[derive(Clone, Debug)]
pub struct Bands {
    /// Index into [`crate::seeds::TargetId::ALL`], or `None` for all targets together.
    pub target: Option<usize>,
    /// P(met) in each world, in world order.
    pub p: Vec<f64>,
    /// P(met) over all worlds and trials (the one-level answer, `run`'s P on these trials).
    pub pooled: f64,
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    pub p05: f64,
    pub p95: f64,
    /// Share of worlds in which P(met) ≥ 50 %, with its 95 % Wilson interval over worlds.
    pub likely: f64,
    pub likely_ci: Interval,
    /// The across-world standard deviation of P(met), inner noise removed (NaN if negative).
    pub sd: f64,
    /// First-order share of each unknown (indexing [`TwoLevel::unknowns`]); `None` when P(met)
    /// does not vary across worlds beyond the inner noise.
    pub shares: Option<Vec<Estimate>>,
    /// Bins of the estimator.
    pub bins: usize,
}

/// A two-level result.
#[derive(Clone, Debug)]
pub struct TwoLevel {
    /// Bootstrap resamples of the shares' intervals.
    pub resamples: usize,
    pub outer: usize,
    pub inner: u64,
    pub seed: u64,
    pub unknowns: Vec<Unknown>,
    /// Per target with a threshold (in [`crate::seeds::TargetId::ALL`] order), then all.
    pub outputs: Vec<Bands>,
}

/// Per world: the uniforms of its unknowns and the met counts of its two halves.
struct World {
    u: Vec<f64>,
    /// `[output][half]` hits; outputs: the five targets, then all.
    hits: [[u32; 2]; METRIC_COUNT + 1],
}

fn simulate_world(
    plan: &Plan,
    unknowns: &[Unknown],
    seed: u64,
    w: usize,
    inner: u64,
    state: &mut (TrialBuffers, Pins),
    cancel: &AtomicBool,
) -> Option<World> {
    let (buf, pins) = state;
    pins.clear();
    let key = TrialKey::new(world_seed(seed), w as u64, plan.sampling);
    let mut u = Vec::new();
    for k in unknowns {
        let id = crate::scenario::registry::PARAM_KEYS[k.param];
        if k.blocks.is_empty() {
            let x = key.block(CITY).uniform(id);
            pins.set_city(k.param, plan.city[k.param].sample(x));
            u.push(x);
        } else {
            for &b in &k.blocks {
                let x = key.block(b as u32).uniform(id);
                pins.set_block(b, k.param, plan.blocks[b].params[k.param].sample(x));
                u.push(x);
            }
        }
    }
    let mut hits = [[0u32; 2]; METRIC_COUNT + 1];
    for trial in 0..inner {
        if trial % 64 == 0 && cancel.load(Ordering::Relaxed) {
            return None;
        }
        // (only the deadline's metrics are read: the trial stops there)
        let at_deadline = run_trial_at_deadline(plan, seed, trial, buf, Some(pins));
        let half = (trial % 2) as usize;
        let mut all = true;
        for ((h, t), x) in hits.iter_mut().zip(&plan.thresholds).zip(&at_deadline) {
            if let Some(t) = t {
                let hit = x >= t;
                h[half] += hit as u32;
                all &= hit;
            }
        }
        hits[METRIC_COUNT][half] += all as u32;
    }
    Some(World { u, hits })
}

/// Runs `outer` worlds of `inner` trials each, drawing `unknowns` per world
/// ([`crate::sensitivity::unknowns`]). `progress(done, outer)` counts worlds.
#[allow(clippy::too_many_arguments)]
pub fn two_level(
    plan: &Plan,
    unknowns: Vec<Unknown>,
    seed: u64,
    outer: usize,
    inner: u64,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<TwoLevel, RunError> {
    simulate(plan, unknowns, seed, outer, inner, threads, cancel, progress, true)
}

/// [`two_level`] without the unknowns' shares (every `shares` is `None`, no bootstrap): the
/// bands only, for the band in a plain run's report and for what monitoring settled.
#[allow(clippy::too_many_arguments)]
pub fn two_level_bands(
    plan: &Plan,
    unknowns: Vec<Unknown>,
    seed: u64,
    outer: usize,
    inner: u64,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<TwoLevel, RunError> {
    simulate(plan, unknowns, seed, outer, inner, threads, cancel, progress, false)
}

#[allow(clippy::too_many_arguments)]
fn simulate(
    plan: &Plan,
    unknowns: Vec<Unknown>,
    seed: u64,
    outer: usize,
    inner: u64,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
    with_shares: bool,
) -> Result<TwoLevel, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads { threads, message: e.to_string() })?;
    let done = AtomicUsize::new(0);
    let worlds: Vec<Option<World>> = pool.install(|| {
        (0..outer)
            .into_par_iter()
            .map_init(
                || (TrialBuffers::new(plan), Pins::none(plan.blocks.len())),
                |state, w| {
                    let world = simulate_world(plan, &unknowns, seed, w, inner, state, cancel);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, outer);
                    world
                },
            )
            .collect()
    });
    let Some(worlds) = worlds.into_iter().collect::<Option<Vec<World>>>() else {
        let finished = done.load(Ordering::Relaxed) as u64;
        return Err(RunError::Interrupted { done: finished * inner, total: outer as u64 * inner });
    };
    let mut groups = Vec::new();
    let mut next = 0;
    for k in &unknowns {
        groups.push((next..next + k.dims()).collect::<Vec<usize>>());
        next += k.dims();
    }
    let u: Vec<Vec<f64>> = worlds.iter().map(|w| w.u.clone()).collect();
    let halves = [inner.div_ceil(2) as f64, (inner / 2) as f64];
    let outputs: Vec<usize> =
        (0..=METRIC_COUNT).filter(|&m| m == METRIC_COUNT || plan.thresholds[m].is_some()).collect();
    let half = |m: usize, h: usize| worlds.iter().map(|w| w.hits[m][h] as f64 / halves[h]).collect::<Vec<f64>>();
    let a: Vec<Vec<f64>> = outputs.iter().map(|&m| half(m, 0)).collect();
    let b: Vec<Vec<f64>> = outputs.iter().map(|&m| half(m, 1)).collect();
    // shares only where P varies across worlds by more than 0.1 point (variance 1e-6)
    let (resamples, shares) = if with_shares {
        let (resamples, _) = bootstrap_plan(outer, &unknowns, outputs.len());
        (resamples, pool.install(|| first_order_shares(&a, &b, &u, &groups, resamples, seed, 1e-6)))
    } else {
        (0, vec![None; outputs.len()])
    };
    let outputs = outputs
        .iter()
        .zip(shares)
        .enumerate()
        .map(|(o, (&m, shares))| {
            let p: Vec<f64> = worlds.iter().map(|w| (w.hits[m][0] + w.hits[m][1]) as f64 / inner as f64).collect();
            bands(if m == METRIC_COUNT { None } else { Some(m) }, p, &a[o], &b[o], shares)
        })
        .collect();
    Ok(TwoLevel { resamples, outer, inner, seed, unknowns, outputs })
}

fn bands(
    target: Option<usize>,
    p: Vec<f64>,
    a: &[f64],
    b: &[f64],
    shares: Option<crate::stats::first_order::Shares>,
) -> Bands {
    let mut sorted = p.clone();
    sorted.sort_by(f64::total_cmp);
    let q = |x| quantile_sorted(&sorted, x);
    let likely = Proportion { hits: p.iter().filter(|&&x| x >= 0.5).count() as u64, trials: p.len() as u64 };
    let n = p.len() as f64;
    let pooled = p.iter().sum::<f64>() / n;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (n - 1.0);
    Bands {
        target,
        pooled,
        median: q(0.5),
        p10: q(0.1),
        p90: q(0.9),
        p05: q(0.05),
        p95: q(0.95),
        likely: likely.estimate(),
        likely_ci: likely.wilson(Z95),
        sd: if cov >= 0.0 { cov.sqrt() } else { f64::NAN },
        bins: shares.as_ref().map_or(0, |s| s.bins),
        shares: shares.map(|s| s.groups),
        p,
    }
}

impl TwoLevel {
    /// The unknowns ranked by their share of `bands`' across-world variance, largest first.
    pub fn ranked(&self, bands: &Bands) -> Vec<usize> {
        let Some(s) = &bands.shares else { return Vec::new() };
        let mut order: Vec<usize> = (0..s.len()).collect();
        order.sort_by(|&x, &y| s[y].estimate.total_cmp(&s[x].estimate).then(x.cmp(&y)));
        order
    }

    /// Total trials simulated.
    pub fn trials(&self) -> u64 {
        self.outer as u64 * self.inner
    }
}

/// The parameter's path without `params.` (for display).
pub fn short_key(u: &Unknown) -> &str {
    u.key.strip_prefix("params.").unwrap_or(&u.key)
}

/// Whether parameter `p` is block scope (for display: "in N blocks").
pub fn is_block_param(p: usize) -> bool {
    PARAMS[p].scope == crate::scenario::Scope::Block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_pass_is_a_fifth_of_a_run_at_most_and_never_below_the_minimum() {
        assert_eq!(band_pass_sizes(100_000), (100, 200));
        assert_eq!(band_pass_sizes(10_000_000), (100, 200));
        assert_eq!(band_pass_sizes(50_000), (50, 200));
        assert_eq!(band_pass_sizes(2_000), (40, 10));
        assert_eq!(band_pass_sizes(10), (40, 2));
    }
}
