//! One trial: common shocks, the base, every block (and reserves under 有进有出), then the
//! monthly paths of the five metrics and what each block contributed at the deadline.

use super::base::Base;
use super::beliefs::BELIEF_COUNT;
use super::block::{simulate, BlockContext, BlockState, Shocks};
use super::counts::{floor_any, whole};
use super::pins::{pinned, Pins};
use super::plan::{Plan, PlanBlock};
use super::METRIC_COUNT;
use crate::engine::streams::{factor_key, ids, reserve_of, TrialKey, CITY};
use crate::scenario::inversion::normal_inv;
use crate::scenario::{ParamId as P, FACTORS, PARAMS};
use crate::seeds::{JobsMeasure, ParksCountAt, ParksSites, Reading, RevenueScope, READING_COUNT};
use std::cell::Cell;

/// Month index meaning "not by the horizon" in per-block records.
pub const NOT_BY_HORIZON: i16 = i16::MAX;

/// What one trial leaves for aggregation; reused from trial to trial (no allocation per trial).
#[derive(Clone, Debug)]
pub struct TrialOutcome {
    /// Monthly paths, `paths[metric][t]` for t in 0..months (value at the end of month t).
    /// Metrics in [`crate::seeds::TargetId::ALL`] order: parks, specialized, tech SMEs,
    /// revenue (trailing 12 months, CNY), new jobs since the target set's policy date.
    pub paths: [Vec<f64>; METRIC_COUNT],
    /// The metrics at the deadline (under the target set's headline readings).
    pub at_deadline: [f64; METRIC_COUNT],
    /// Every reading of every target at the deadline, indexed by [`Reading`]; the headline
    /// readings equal `at_deadline` bit for bit.
    pub readings: [f64; READING_COUNT],
    /// The existing base's part of each metric at the deadline (parks: the other parks listed
    /// under the dynamic-list reading, else 0).
    pub base_at_deadline: [f64; METRIC_COUNT],
    /// The least value of each base figure that meets its target in this trial
    /// ([`super::beliefs`], in [`super::beliefs::Belief::ALL`] order).
    pub needed: [f64; BELIEF_COUNT],
    /// Each annex block's contribution at the deadline (counted or not; if replaced, its reserve's).
    pub block_at_deadline: Vec<[f64; METRIC_COUNT]>,
    /// Month index of each annex block's construction start (or [`NOT_BY_HORIZON`]).
    pub block_start: Vec<i16>,
    /// Month index of each block's first operation (or [`NOT_BY_HORIZON`]).
    pub block_delivery: Vec<i16>,
    /// Whether each block was replaced by a reserve block.
    pub block_replaced: Vec<bool>,
    /// The trial's factor values (macro including its mean, districts, industries).
    pub factors: [f64; 7],
    /// The trial's draws of the city-wide parameters, indexed by parameter (NaN for block ones).
    pub city_values: Vec<f64>,
    /// With [`TrialBuffers::recording`]: each block's parameter values, `block_values[(s ·
    /// blocks + i) · PARAMS.len() + p]` for annex block i (s = 0) and its reserve (s = 1); NaN
    /// where the trial made no such draw. Empty otherwise.
    pub block_values: Vec<f64>,
}

/// Scratch space for one thread.
#[derive(Clone, Debug)]
pub struct TrialBuffers {
    pub outcome: TrialOutcome,
    states: Vec<BlockState>,
    /// Occupied area of each block at the end of each month (index = whole month 0..=months).
    grids: Vec<Vec<f64>>,
    /// Each block's jobs at the target set's policy date, gross and net ([`measure_index`]).
    jobs_at_from: Vec<[f64; 2]>,
    revenue_month: Vec<f64>,
    /// Revenue of firms moved out for renovations, per month (as `revenue_month`).
    lost_month: Vec<f64>,
    /// Each counted block's revenue rate in each month of the deadline's year (headline scope),
    /// kept by [`revenue_rates`] for the block's contribution at the deadline.
    year_revenue: Vec<[f64; 12]>,
    base: Base,
    /// The last trial's keys and common shocks (criticality re-simulates one block under them).
    key: Option<TrialKey>,
    shocks: Shocks,
    /// Each block's and the base's terms in the headline readings at the deadline, kept by
    /// [`run_trial_at_deadline`] (criticality's variants re-add them instead of re-reading
    /// every block); `terms_ready` says they belong to the last trial.
    terms: Vec<BlockTerms>,
    base_terms: BaseTerms,
    terms_ready: bool,
}

impl TrialBuffers {
    pub fn new(plan: &Plan) -> TrialBuffers {
        let n = plan.blocks.len();
        TrialBuffers {
            outcome: TrialOutcome {
                paths: std::array::from_fn(|_| vec![0.0; plan.months]),
                at_deadline: [0.0; METRIC_COUNT],
                readings: [0.0; READING_COUNT],
                base_at_deadline: [0.0; METRIC_COUNT],
                needed: [f64::NAN; BELIEF_COUNT],
                block_at_deadline: vec![[0.0; METRIC_COUNT]; n],
                block_start: vec![0; n],
                block_delivery: vec![0; n],
                block_replaced: vec![false; n],
                factors: [0.0; 7],
                city_values: vec![f64::NAN; PARAMS.len()],
                block_values: Vec::new(),
            },
            states: vec![BlockState::default(); n],
            grids: vec![vec![0.0; plan.months + 1]; n],
            jobs_at_from: vec![[0.0; 2]; n],
            revenue_month: vec![0.0; plan.months + 11],
            lost_month: vec![0.0; plan.months + 11],
            year_revenue: vec![[0.0; 12]; n],
            base: Base::default(),
            key: None,
            shocks: Shocks::default(),
            terms: vec![BlockTerms::default(); n],
            base_terms: BaseTerms::default(),
            terms_ready: false,
        }
    }

    /// Buffers that also record every block's parameter values in `outcome.block_values`.
    pub fn recording(plan: &Plan) -> TrialBuffers {
        let mut b = TrialBuffers::new(plan);
        b.outcome.block_values = vec![f64::NAN; 2 * plan.blocks.len() * PARAMS.len()];
        b
    }

    /// Block `i`'s metrics at month index `t` (parks, 专精特新, tech SMEs, trailing-12-month
    /// revenue, new jobs), whether or not it is counted: the breakdown `parkcast replay` shows.
    pub fn block_metrics(&self, plan: &Plan, i: usize, t: usize) -> [f64; METRIC_COUNT] {
        let at_from = self.jobs_at_from[i][measure_index(plan.jobs_measure)];
        let c = counts_at(plan, &self.states[i], &self.grids[i], at_from, t + 1);
        let (s, grid) = (&self.states[i], &self.grids[i]);
        let scope = plan.revenue_scope;
        let revenue = (t as i64 - 11..=t as i64).map(|m| s.revenue_in_month(grid, m, scope)).sum::<f64>() / 12.0;
        [c[0], c[1], c[2], revenue, c[3]]
    }

    /// The existing base's metrics at month index `t` (parks: those outside the annex on the
    /// dynamic list, under that reading).
    pub fn base_metrics(&self, plan: &Plan, t: usize) -> [f64; METRIC_COUNT] {
        let b = &self.base;
        let x = (t + 1) as f64;
        let revenue = (t as i64 - 11..=t as i64).map(|m| b.revenue_rate(m, plan.revenue_scope)).sum::<f64>() / 12.0;
        let parks = match plan.parks_sites {
            ParksSites::DynamicList => b.other_parks(x, (plan.deadline + 1) as f64),
            ParksSites::Annex => 0.0,
        };
        [
            parks,
            b.specialized(x, plan.tier),
            b.tech_smes(x),
            revenue,
            b.new_jobs(x, plan.jobs_from as f64, plan.jobs_measure),
        ]
    }

    /// The last trial's metrics at the deadline with one block changed (criticality: block `i`
    /// on schedule, given as its changed plan block, or dropped), everything else as drawn.
    /// `grid` (length months + 1) is scratch space. With [`Change::None`] it is exactly
    /// `outcome.at_deadline` (and what [`run_trial_at_deadline`] returned). After
    /// [`run_trial_at_deadline`] the unchanged blocks' terms are those it kept (bit for bit what
    /// re-reading them gives, in the same order), so a variant costs one block at most.
    pub fn deadline_with(&self, plan: &Plan, change: Change, grid: &mut [f64]) -> [f64; METRIC_COUNT] {
        let counted = |i: usize| plan.blocks[i].counted && !matches!(change, Change::Dropped(k) if k == i);
        let swapped = match change {
            Change::Replaced(i, b) => {
                let key = self.key.as_ref().expect("a trial has run");
                let state = simulate_slot(plan, key, &self.shocks, i, b, None, [None, None], grid).0;
                let at_from = jobs_at_from(plan, &state, grid);
                Some((i, BlockTerms::of(plan, &state, grid, at_from)))
            }
            _ => None,
        };
        let fresh;
        let base_terms = if self.terms_ready {
            &self.base_terms
        } else {
            fresh = BaseTerms::of(plan, &self.base);
            &fresh
        };
        let mut sums = Sums::start(base_terms);
        for i in (0..plan.blocks.len()).filter(|&i| counted(i)) {
            match &swapped {
                Some((k, t)) if *k == i => sums.add(t),
                _ if self.terms_ready => sums.add(&self.terms[i]),
                _ => sums.add(&BlockTerms::of(plan, &self.states[i], &self.grids[i], self.jobs_at_from[i])),
            }
        }
        sums.finish(plan, base_terms)
    }

    /// Block `i`'s simulated state in the last trial (start, phases, floor area).
    pub fn block_state(&self, i: usize) -> &BlockState {
        &self.states[i]
    }
}

/// Index of a jobs measure in per-measure arrays: gross 0, net 1.
#[inline]
fn measure_index(m: JobsMeasure) -> usize {
    match m {
        JobsMeasure::Gross => 0,
        JobsMeasure::Net => 1,
    }
}

/// A block's jobs at the target set's policy date, gross and net.
fn jobs_at_from(plan: &Plan, s: &BlockState, grid: &[f64]) -> [f64; 2] {
    let (g, x) = (grid[plan.jobs_from], plan.jobs_from as f64);
    [s.jobs_at(g, x, JobsMeasure::Gross), s.jobs_at(g, x, JobsMeasure::Net)]
}

/// When a block counts as a built park under the count rule (`INFINITY`: never).
#[inline]
fn built_at(s: &BlockState, at: ParksCountAt) -> f64 {
    match at {
        ParksCountAt::Completion => s.completion,
        ParksCountAt::Operation => s.first_operation(),
    }
}

/// A block's parks (0 or 1), 专精特新, tech SMEs and new jobs at the end of whole month `x`
/// (1 = the end of month index 0), under the headline readings.
#[inline]
fn counts_at(plan: &Plan, s: &BlockState, grid: &[f64], jobs_at_from: f64, x: usize) -> [f64; 4] {
    let xf = whole(x);
    let d_end = plan.deadline as f64 + 1.0;
    let jobs = if xf > plan.jobs_from as f64 { s.jobs_at(grid[x], xf, plan.jobs_measure) - jobs_at_from } else { 0.0 };
    let park = if built_at(s, plan.parks_count_at) < xf { 1.0 } else { 0.0 };
    if s.first_operation() >= xf {
        return [park, 0.0, 0.0, jobs]; // nothing operates yet: no firms
    }
    let (tech, spec) = s.firms_on(grid, x, d_end, plan.tier);
    [park, spec, tech, jobs]
}

/// The keys of the factors' standard-normal draws, in [`FACTORS`] order.
fn factor_keys() -> &'static [u64; 7] {
    static KEYS: std::sync::OnceLock<[u64; 7]> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| std::array::from_fn(|k| factor_key(FACTORS[k])))
}

fn draw_shocks(plan: &Plan, key: &TrialKey, pins: Option<&Pins>, record: &mut [f64]) -> Shocks {
    let city = key.block(CITY);
    let keys = factor_keys();
    // a Gaussian copula: independent standard normals (one keyed uniform each), then correlated
    let z: [f64; 7] = std::array::from_fn(|k| pinned(pins.map(|p| p.factor_z()[k]), normal_inv(city.uniform(keys[k]))));
    let mut factors = [0.0; 7];
    for (i, f) in factors.iter_mut().enumerate() {
        *f = (0..=i).map(|j| plan.cholesky[i][j] * z[j]).sum();
    }
    if let Some(p) = pins {
        for (f, v) in factors.iter_mut().zip(p.factor_sd()) {
            *f = pinned(Some(*v), *f);
        }
    }
    let mut d = |id: P| {
        let x = pinned(pins.map(|p| p.city()[id as usize]), plan.city(id).sample(city.uniform(id.key())));
        record[id as usize] = x;
        x
    };
    let macro_mean = d(P::ShocksMacroMean);
    factors[0] += macro_mean;
    let shocks = Shocks {
        factors,
        macro_weight: d(P::ShocksMacroWeight),
        district_weight: d(P::ShocksDistrictWeight),
        industry_weight: d(P::ShocksIndustryWeight),
        delay_months_per_sd: d(P::ShocksDelayMonthsPerSd),
        occupancy_log_per_sd: d(P::ShocksOccupancyLogPerSd),
        revenue_log_per_sd: d(P::ShocksRevenueLogPerSd),
    };
    // monitoring: the factors learnt from observations, one prior trial's vector drawn by weight
    match &plan.known.factors {
        Some(pool) => {
            let f = pool.pick(city.uniform(ids::FACTOR_POOL));
            let mut factors = *f;
            factors[0] += macro_mean;
            Shocks { factors, ..shocks }
        }
        None => shocks,
    }
}

fn month_index(x: f64) -> i16 {
    if x.is_finite() && x < i16::MAX as f64 {
        floor_any(x).max(i16::MIN as f64) as i16
    } else {
        NOT_BY_HORIZON
    }
}

/// The common shocks of trial `trial` and its draw of the macro factor's mean (monitoring:
/// candidate factor values for learning).
/// With `z`, the factors' standard-normal draws (before correlation) are those values.
pub fn shocks_of(plan: &Plan, seed: u64, trial: u64, z: Option<[f64; 7]>) -> (Shocks, f64) {
    let mut record = vec![f64::NAN; PARAMS.len()];
    let pins = z.map(|z| {
        let mut p = Pins::none(0);
        for (k, v) in z.iter().enumerate() {
            p.set_factor_z(k, *v);
        }
        p
    });
    let shocks = draw_shocks(plan, &TrialKey::new(seed, trial, plan.sampling), pins.as_ref(), &mut record);
    (shocks, record[P::ShocksMacroMean as usize])
}

/// Block `i` under the common shocks `shocks`, with its own draws from the streams of trial
/// `block_trial` (monitoring: how likely what was observed of a block is, given the shocks).
/// `grid` (length months + 1) receives its occupied area at the end of every month.
pub fn block_under(
    plan: &Plan,
    seed: u64,
    shocks: &Shocks,
    block_trial: u64,
    i: usize,
    grid: &mut [f64],
) -> BlockState {
    let key = TrialKey::new(seed, block_trial, plan.sampling).block(i as u32);
    let ctx = BlockContext { plan, key, shocks, forced_start: None, pins: None, record: None };
    simulate(&ctx, &plan.blocks[i], grid)
}

/// Runs trial `trial` of a run with `seed`, leaving the result in `buf.outcome`.
pub fn run_trial(plan: &Plan, seed: u64, trial: u64, buf: &mut TrialBuffers) {
    run_trial_pinned(plan, seed, trial, buf, None)
}

/// Runs a trial with some draws replaced by `pins`.
pub fn run_trial_pinned(plan: &Plan, seed: u64, trial: u64, buf: &mut TrialBuffers, pins: Option<&Pins>) {
    let base = simulate_trial(plan, seed, trial, buf, pins);
    let out = &mut buf.outcome;
    let slots = Slots { states: &buf.states, grids: &buf.grids, jobs_at_from: &buf.jobs_at_from };
    let counted = |i: usize| plan.blocks[i].counted;
    revenue_rates(
        plan,
        &base,
        &buf.states,
        &buf.grids,
        &mut buf.revenue_month,
        &mut buf.lost_month,
        &mut buf.year_revenue,
    );
    assemble_paths(plan, &base, &slots, &counted, &buf.revenue_month, &mut out.paths);
    let (scope, tier, measure) = (plan.revenue_scope, plan.tier, plan.jobs_measure);
    let (jobs_from, d_end, mi) = (plan.jobs_from as f64, plan.deadline as f64 + 1.0, measure_index(measure));
    let d = plan.deadline;
    for m in 0..METRIC_COUNT {
        out.at_deadline[m] = out.paths[m][d];
    }
    // the headline readings are the paths' values at the deadline (bit for bit, tested): only
    // the other readings are summed again
    out.readings = other_readings(plan, &base, &slots, &counted);
    for (m, h) in plan.headline().iter().enumerate() {
        out.readings[*h as usize] = out.at_deadline[m];
    }
    // the base's share and each block's contribution at the deadline
    let deadline_year_months = (d as i64 - 11)..=(d as i64);
    out.base_at_deadline = [
        base.other_parks(d_end, d_end) * f64::from(plan.parks_sites == ParksSites::DynamicList),
        base.specialized(d_end, tier),
        base.tech_smes(d_end),
        deadline_year_months.clone().map(|t| base.revenue_rate(t, scope)).sum::<f64>() / 12.0,
        base.new_jobs(d_end, jobs_from, measure),
    ];
    let gap: [f64; METRIC_COUNT] = std::array::from_fn(|m| match plan.thresholds[m] {
        Some(threshold) => threshold - (out.at_deadline[m] - out.base_at_deadline[m]),
        None => f64::NAN,
    });
    out.needed = base.needed(plan, &gap, &out.city_values);
    let dx = plan.deadline + 1;
    for (i, (s, grid)) in buf.states.iter().zip(&buf.grids).enumerate() {
        let (tech, spec) = if s.first_operation() < d_end { s.firms_on(grid, dx, d_end, tier) } else { (0.0, 0.0) };
        // (the same terms, in the same order, as re-reading them: a counted block's were kept)
        let revenue = if plan.blocks[i].counted {
            buf.year_revenue[i].iter().sum::<f64>()
        } else {
            deadline_year_months.clone().map(|t| s.revenue_in_month(grid, t, scope)).sum::<f64>()
        };
        out.block_at_deadline[i] = [
            if built_at(s, plan.parks_count_at) < d_end { 1.0 } else { 0.0 },
            spec,
            tech,
            revenue / 12.0,
            if d_end > jobs_from { s.jobs_at(grid[dx], d_end, measure) - buf.jobs_at_from[i][mi] } else { 0.0 },
        ];
    }
}

/// The draws and blocks of a trial: common shocks, the base, every block (and reserves), left
/// in `buf` (states, grids, jobs at the policy date, starts and deliveries); returns the base.
fn simulate_trial(plan: &Plan, seed: u64, trial: u64, buf: &mut TrialBuffers, pins: Option<&Pins>) -> Base {
    let key = TrialKey::new(seed, trial, plan.sampling);
    let shocks = draw_shocks(plan, &key, pins, &mut buf.outcome.city_values);
    let base = Base::draw(plan, &key, shocks.factors[0], pins.map(Pins::city), &mut buf.outcome.city_values);
    buf.base = base;
    buf.key = Some(key);
    buf.shocks = shocks;
    buf.terms_ready = false;
    let out = &mut buf.outcome;
    out.factors = shocks.factors;
    let months = plan.months;
    let n_params = PARAMS.len();
    let n_blocks = plan.blocks.len();
    out.block_values.fill(f64::NAN);
    let recorded = Cell::from_mut(&mut out.block_values[..]).as_slice_of_cells();
    let record = |slot: usize, i: usize| {
        let at = (slot * n_blocks + i) * n_params;
        recorded.get(at..at + n_params)
    };

    for (i, b) in plan.blocks.iter().enumerate() {
        let grid = &mut buf.grids[i];
        let pins = pins.map(|p| p.block(i));
        let (state, replaced) = simulate_slot(plan, &key, &shocks, i, b, pins, [record(0, i), record(1, i)], grid);
        let horizon_end = months as f64;
        out.block_start[i] = if state.start < horizon_end { month_index(state.start) } else { NOT_BY_HORIZON };
        let op = state.first_operation();
        out.block_delivery[i] = if op < horizon_end { month_index(op) } else { NOT_BY_HORIZON };
        out.block_replaced[i] = replaced;
        buf.jobs_at_from[i] = jobs_at_from(plan, &state, grid);
        buf.states[i] = state;
    }
    base
}

/// Runs trial `trial` of a run with `seed` (some draws replaced by `pins`) as far as the five
/// metrics at the deadline under the headline readings, and returns them: bit for bit
/// `outcome.at_deadline` of [`run_trial_pinned`], without the monthly paths, the other readings
/// and the per-block contributions (the paired variants of criticality, the levers' effects
/// and the epistemic band read nothing else). `outcome` keeps the draws, starts and deliveries
/// only; the blocks' terms are kept for [`TrialBuffers::deadline_with`].
pub fn run_trial_at_deadline(
    plan: &Plan,
    seed: u64,
    trial: u64,
    buf: &mut TrialBuffers,
    pins: Option<&Pins>,
) -> [f64; METRIC_COUNT] {
    let base = simulate_trial(plan, seed, trial, buf, pins);
    buf.base_terms = BaseTerms::of(plan, &base);
    let mut sums = Sums::start(&buf.base_terms);
    for (i, t) in buf.terms.iter_mut().enumerate() {
        *t = BlockTerms::of(plan, &buf.states[i], &buf.grids[i], buf.jobs_at_from[i]);
        if plan.blocks[i].counted {
            sums.add(t);
        }
    }
    buf.terms_ready = true;
    sums.finish(plan, &buf.base_terms)
}

/// The revenue rate of every month from 11 months before the model start (for trailing
/// sums), less the revenue of firms moved out for renovations (`lost`, scratch of the same
/// length); `year` receives each counted block's rates in the 12 months to the deadline.
#[inline(never)]
fn revenue_rates(
    plan: &Plan,
    base: &Base,
    states: &[BlockState],
    grids: &[Vec<f64>],
    rates: &mut [f64],
    lost: &mut [f64],
    year: &mut [[f64; 12]],
) {
    // Sums run block by block over the months (in block order, so each month's sum adds the
    // same terms in the same order as `revenue_rate`, month by month, does), skipping the
    // months before a block can contribute anything: its terms there are exactly zero.
    let scope = plan.revenue_scope;
    for (k, (r, l)) in rates.iter_mut().zip(lost.iter_mut()).enumerate() {
        *r = base.revenue_rate(k as i64 - 11, scope);
        *l = 0.0;
    }
    let year_from = plan.deadline as i64 - 11;
    for (((b, s), grid), year) in plan.blocks.iter().zip(states).zip(grids).zip(year) {
        if !b.counted {
            continue;
        }
        *year = [0.0; 12]; // (a month before `from` has exactly zero revenue)
        let from = s.revenue_from_month().max(-11);
        for t in from..(plan.months as i64) {
            let k = (t + 11) as usize;
            let r = s.revenue_in_month(grid, t, scope);
            rates[k] += r;
            lost[k] += s.lost_revenue_in_month(t, scope);
            if let Some(slot) = usize::try_from(t - year_from).ok().and_then(|j| year.get_mut(j)) {
                *slot = r;
            }
        }
    }
    for (k, r) in rates.iter_mut().enumerate() {
        *r = clamp_lost(*r, base.revenue_rate(k as i64 - 11, scope), lost[k]);
    }
}

/// The monthly paths of the five metrics under the headline readings: the base plus the
/// blocks in `slots` that `counted` keeps; revenue as the trailing 12 months of `revenue_month`
/// ([`revenue_rates`]).
#[inline(never)]
fn assemble_paths(
    plan: &Plan,
    base: &Base,
    slots: &Slots,
    counted: &dyn Fn(usize) -> bool,
    revenue_month: &[f64],
    paths: &mut [Vec<f64>; METRIC_COUNT],
) {
    let months = plan.months;
    let [parks, spec, tech, revenue, jobs] = paths;
    let tier = plan.tier;
    let jobs_from = plan.jobs_from as f64;
    let measure = plan.jobs_measure;
    let d_end = plan.deadline as f64 + 1.0;
    for t in 0..months {
        let xf = whole(t + 1);
        parks[t] = 0.0;
        spec[t] = base.specialized(xf, tier);
        tech[t] = base.tech_smes(xf);
        jobs[t] = base.new_jobs(xf, jobs_from, measure);
    }
    let mi = measure_index(measure);
    for i in (0..plan.blocks.len()).filter(|&i| counted(i)) {
        let (s, grid, at_from) = slots.get(i);
        let at_from = at_from[mi];
        for t in first_jobs_month(plan, s, at_from)..months {
            jobs[t] += s.jobs_at(grid[t + 1], whole(t + 1), measure) - at_from;
        }
        let built = built_at(s, plan.parks_count_at);
        let first_park = if built.is_finite() { (floor_any(built.max(0.0)) as usize).min(months) } else { months };
        for (t, p) in parks.iter_mut().enumerate().skip(first_park) {
            if built < whole(t + 1) {
                *p += 1.0;
            }
        }
        let op = s.first_operation();
        let first_firms = if op.is_finite() { (floor_any(op.max(0.0)) as usize).min(months) } else { months };
        for t in first_firms..months {
            let x = t + 1;
            if op < whole(x) {
                let (n_tech, n_spec) = s.firms_on(grid, x, d_end, tier);
                spec[t] += n_spec;
                tech[t] += n_tech;
            }
        }
    }
    if plan.parks_sites == ParksSites::DynamicList {
        for (t, p) in parks.iter_mut().enumerate() {
            *p += base.other_parks(whole(t + 1), d_end);
        }
    }
    for (t, r) in revenue.iter_mut().enumerate() {
        *r = trailing_revenue(&revenue_month[t..t + 12]);
    }
}

/// Annex block `i` of a trial, replaced by its reserve under 有进有出 if it has not started by
/// the checkpoint: its state and whether it was replaced. `record` receives the block's and
/// the reserve's parameter values.
#[allow(clippy::too_many_arguments)]
fn simulate_slot(
    plan: &Plan,
    key: &TrialKey,
    shocks: &Shocks,
    i: usize,
    b: &PlanBlock,
    pins: Option<&[f64]>,
    record: [Option<&[Cell<f64>]>; 2],
    grid: &mut [f64],
) -> (BlockState, bool) {
    let ctx = BlockContext { plan, key: key.block(i as u32), shocks, forced_start: None, pins, record: record[0] };
    let state = simulate(&ctx, b, grid);
    if let Some((checkpoint_end, lag)) = plan.levers.replacement {
        let not_started = state.start >= checkpoint_end;
        if not_started && b.start != crate::seeds::StartStatus::Started {
            let ctx = BlockContext {
                key: key.block(reserve_of(i as u32)),
                forced_start: Some(checkpoint_end + lag),
                pins: None,
                record: record[1],
                ..ctx
            };
            return (simulate(&ctx, &plan.reserve, grid), true);
        }
    }
    (state, false)
}

/// A month's revenue rate less the revenue of firms moved out for renovations: they belong to
/// the existing base, and their loss takes the base down to zero at most (a base set to zero,
/// as in parks_only, has no firms to lose). Clamped at zero against rounding.
#[inline]
fn clamp_lost(rate: f64, base_rate: f64, lost: f64) -> f64 {
    if lost <= base_rate { rate } else { rate - base_rate + lost }.max(0.0)
}

/// Revenue over the trailing 12 months from their monthly rates (a year's rate, CNY).
#[inline]
fn trailing_revenue(rates: &[f64]) -> f64 {
    (rates.iter().sum::<f64>() / 12.0).max(0.0)
}

/// The first month index at which a block's jobs count (from the target set's policy date; a
/// block with none then adds none until something happens there): its terms before are zero.
#[inline]
fn first_jobs_month(plan: &Plan, s: &BlockState, at_from: f64) -> usize {
    let from = if at_from == 0.0 { plan.jobs_from.max(s.jobs_from_month().saturating_sub(1)) } else { plan.jobs_from };
    // jobs count strictly after the policy date
    from.max(plan.jobs_from)
}

/// A change to one block of a trial whose effect on the deadline's metrics criticality asks.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    None,
    /// Block `i` does not count.
    Dropped(usize),
    /// Block `i` simulated as this plan block instead (e.g. on schedule), on the trial's draws.
    Replaced(usize, &'a PlanBlock),
}

/// The blocks of a trial as the metrics read them.
struct Slots<'a> {
    states: &'a [BlockState],
    grids: &'a [Vec<f64>],
    jobs_at_from: &'a [[f64; 2]],
}

impl Slots<'_> {
    #[inline]
    fn get(&self, i: usize) -> (&BlockState, &[f64], [f64; 2]) {
        (&self.states[i], &self.grids[i], self.jobs_at_from[i])
    }
}

/// The existing base's terms in the headline readings at the deadline.
#[derive(Clone, Copy, Debug, Default)]
struct BaseTerms {
    specialized: f64,
    tech_smes: f64,
    /// Parks outside the annex on the dynamic list.
    listed: f64,
    jobs: f64,
    /// Revenue rate of each month of the deadline's year (the 12 months to the deadline).
    rates: [f64; 12],
}

impl BaseTerms {
    fn of(plan: &Plan, base: &Base) -> BaseTerms {
        let d = plan.deadline;
        let xf = (d + 1) as f64;
        BaseTerms {
            specialized: base.specialized(xf, plan.tier),
            tech_smes: base.tech_smes(xf),
            listed: base.other_parks(xf, xf),
            jobs: base.new_jobs(xf, plan.jobs_from as f64, plan.jobs_measure),
            rates: std::array::from_fn(|j| base.revenue_rate(d as i64 - 11 + j as i64, plan.revenue_scope)),
        }
    }
}

/// One block's terms in the headline readings at the deadline: what the monthly paths of
/// [`run_trial`] add for it at the deadline, so that sums over the blocks can be made again
/// (a block dropped or swapped) without re-reading the others.
#[derive(Clone, Copy, Debug, Default)]
struct BlockTerms {
    completed: bool,
    operating: bool,
    /// Tech SMEs and 专精特新 firms (0 unless operating).
    tech: f64,
    specialized: f64,
    /// New jobs (`None`: the block adds no term, not even a zero).
    jobs: Option<f64>,
    /// The first of the deadline year's months (0..12) in which the block adds revenue terms
    /// (12: none).
    revenue_from: usize,
    revenue: [f64; 12],
    lost: [f64; 12],
}

impl BlockTerms {
    fn of(plan: &Plan, s: &BlockState, grid: &[f64], at_from: [f64; 2]) -> BlockTerms {
        let d = plan.deadline;
        let (x, xf) = (d + 1, (d + 1) as f64);
        let operating = s.first_operation() < xf;
        let (tech, specialized) = if operating { s.firms_on(grid, x, xf, plan.tier) } else { (0.0, 0.0) };
        let at_from = at_from[measure_index(plan.jobs_measure)];
        let jobs =
            (d >= first_jobs_month(plan, s, at_from)).then(|| s.jobs_at(grid[x], xf, plan.jobs_measure) - at_from);
        let scope = plan.revenue_scope;
        let from = s.revenue_from_month().max(-11);
        let month = |j: usize| d as i64 - 11 + j as i64;
        let revenue_from = (0..12).find(|&j| month(j) >= from).unwrap_or(12);
        let mut t = BlockTerms {
            completed: s.completion < xf,
            operating,
            tech,
            specialized,
            jobs,
            revenue_from,
            revenue: [0.0; 12],
            lost: [0.0; 12],
        };
        for j in revenue_from..12 {
            t.revenue[j] = s.revenue_in_month(grid, month(j), scope);
            t.lost[j] = s.lost_revenue_in_month(month(j), scope);
        }
        t
    }
}

/// Sums of the terms of the counted blocks, added in block order: each sum adds the same terms
/// in the same order as the monthly paths do at the deadline, so it has the same bits.
struct Sums {
    completed: f64,
    operating: f64,
    specialized: f64,
    tech: f64,
    jobs: f64,
    rates: [f64; 12],
    lost: [f64; 12],
}

impl Sums {
    fn start(b: &BaseTerms) -> Sums {
        Sums {
            completed: 0.0,
            operating: 0.0,
            specialized: b.specialized,
            tech: b.tech_smes,
            jobs: b.jobs,
            rates: b.rates,
            lost: [0.0; 12],
        }
    }

    #[inline]
    fn add(&mut self, t: &BlockTerms) {
        if t.completed {
            self.completed += 1.0;
        }
        if t.operating {
            self.operating += 1.0;
            self.specialized += t.specialized;
            self.tech += t.tech;
        }
        if let Some(j) = t.jobs {
            self.jobs += j;
        }
        for j in t.revenue_from..12 {
            self.rates[j] += t.revenue[j];
            self.lost[j] += t.lost[j];
        }
    }

    /// The five metrics at the deadline under the headline readings, in metric order.
    fn finish(self, plan: &Plan, b: &BaseTerms) -> [f64; METRIC_COUNT] {
        let mut parks = match plan.parks_count_at {
            ParksCountAt::Completion => self.completed,
            ParksCountAt::Operation => self.operating,
        };
        if plan.parks_sites == ParksSites::DynamicList {
            parks += b.listed;
        }
        let rates: [f64; 12] = std::array::from_fn(|j| clamp_lost(self.rates[j], b.rates[j], self.lost[j]));
        [parks, self.specialized, self.tech, trailing_revenue(&rates), self.jobs]
    }
}

/// The readings at the deadline other than the headline ones (those are the paths' values at
/// the deadline): every parks count, and the jobs and revenue readings that are not the
/// headline (the firm counts and the headline readings left at 0).
fn other_readings(plan: &Plan, base: &Base, slots: &Slots, counted: &dyn Fn(usize) -> bool) -> [f64; READING_COUNT] {
    let d = plan.deadline;
    let (x, xf) = (d + 1, (d + 1) as f64);
    let mut out = [0.0; READING_COUNT];
    let headline = plan.headline();
    let wanted = |r: Reading| !headline.contains(&r);
    let blocks = (0..plan.blocks.len()).filter(|&i| counted(i));
    // (the firm counts have one reading each, always the headline: the paths give them)
    let (mut completed, mut operating) = (0.0, 0.0);
    for i in blocks.clone() {
        let (s, _, _) = slots.get(i);
        if s.completion < xf {
            completed += 1.0;
        }
        if s.first_operation() < xf {
            operating += 1.0;
        }
    }
    let listed = base.other_parks(xf, xf);
    out[Reading::ParksCompletionAnnex as usize] = completed;
    out[Reading::ParksOperationAnnex as usize] = operating;
    out[Reading::ParksCompletionListed as usize] = completed + listed;
    out[Reading::ParksOperationListed as usize] = operating + listed;
    for (reading, measure) in [(Reading::JobsGross, JobsMeasure::Gross), (Reading::JobsNet, JobsMeasure::Net)] {
        if !wanted(reading) {
            continue;
        }
        let mut jobs = base.new_jobs(xf, plan.jobs_from as f64, measure);
        for i in blocks.clone() {
            let (s, grid, at_from) = slots.get(i);
            let at_from = at_from[measure_index(measure)];
            if d >= first_jobs_month(plan, s, at_from) {
                jobs += s.jobs_at(grid[x], xf, measure) - at_from;
            }
        }
        out[reading as usize] = jobs;
    }
    for (reading, scope) in
        [(Reading::RevenueAll, RevenueScope::All), (Reading::RevenueAboveScale, RevenueScope::AboveScale)]
    {
        if !wanted(reading) {
            continue;
        }
        let mut rates = [0.0; 12];
        for (j, r) in rates.iter_mut().enumerate() {
            let t = d as i64 - 11 + j as i64;
            let base_rate = base.revenue_rate(t, scope);
            let (mut rate, mut lost) = (base_rate, 0.0);
            for i in blocks.clone() {
                let (s, grid, _) = slots.get(i);
                if t >= s.revenue_from_month().max(-11) {
                    rate += s.revenue_in_month(grid, t, scope);
                    lost += s.lost_revenue_in_month(t, scope);
                }
            }
            *r = clamp_lost(rate, base_rate, lost);
        }
        out[reading as usize] = trailing_revenue(&rates);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load, ScenarioSource};
    use crate::seeds::Seeds;

    #[test]
    fn deadline_metrics_are_the_paths_at_the_deadline_bit_for_bit() {
        for name in ["baseline.toml", "replacement.toml", "nanhu.toml"] {
            let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
            let plan = Plan::new(&s);
            let mut buf = TrialBuffers::new(&plan);
            let mut grid = vec![0.0; plan.months + 1];
            for t in 0..300 {
                run_trial(&plan, 7, t, &mut buf);
                let got = buf.deadline_with(&plan, Change::None, &mut grid);
                assert_eq!(got.map(f64::to_bits), buf.outcome.at_deadline.map(f64::to_bits), "{name}: trial {t}");
                let headline = plan.headline().map(|r| buf.outcome.readings[r as usize]);
                assert_eq!(headline.map(f64::to_bits), got.map(f64::to_bits), "{name}: trial {t}, readings");
                // a block swapped for itself changes nothing either
                let i = t as usize % plan.blocks.len();
                let same = buf.deadline_with(&plan, Change::Replaced(i, &plan.blocks[i]), &mut grid);
                assert_eq!(same.map(f64::to_bits), got.map(f64::to_bits), "{name}: trial {t}, block {i}");
            }
        }
    }

    /// Criticality's variants read from the kept terms are what whole runs give: a dropped block
    /// is a run in which it does not count, bit for bit, under every headline reading; the
    /// deadline-only trial is the full trial at the deadline; a swapped block reads the same
    /// from kept terms and from re-read ones.
    #[test]
    fn kept_terms_give_what_whole_runs_give_bit_for_bit() {
        use crate::model::{PlanBlock, StartRule};
        let bits = |m: [f64; METRIC_COUNT]| m.map(f64::to_bits);
        for name in ["baseline.toml", "replacement.toml", "nanhu.toml", "undetermined_2025.toml"] {
            let s = load(&ScenarioSource::Embedded(name), &[], &Seeds::embedded()).unwrap();
            let plan0 = Plan::new(&s);
            for readings in 0..4 {
                let mut plan = plan0.clone();
                plan.parks_count_at = [ParksCountAt::Completion, ParksCountAt::Operation][readings % 2];
                plan.parks_sites = [ParksSites::Annex, ParksSites::DynamicList][readings / 2];
                plan.jobs_measure = [JobsMeasure::Gross, JobsMeasure::Net][readings % 2];
                plan.revenue_scope = [RevenueScope::All, RevenueScope::AboveScale][readings / 2];
                let (mut fast, mut full) = (TrialBuffers::new(&plan), TrialBuffers::new(&plan));
                let mut grid = vec![0.0; plan.months + 1];
                for t in 0..80 {
                    let at = run_trial_at_deadline(&plan, 11, t, &mut fast, None);
                    run_trial(&plan, 11, t, &mut full);
                    let what = format!("{name}, readings {readings}, trial {t}");
                    assert_eq!(bits(at), bits(full.outcome.at_deadline), "{what}");
                    let k = t as usize % plan.blocks.len();
                    let on = PlanBlock { start_rule: StartRule::OnSchedule, ..plan.blocks[k].clone() };
                    let kept = fast.deadline_with(&plan, Change::Replaced(k, &on), &mut grid);
                    let reread = full.deadline_with(&plan, Change::Replaced(k, &on), &mut grid);
                    assert_eq!(bits(kept), bits(reread), "{what}, block {k} on schedule");
                    if !plan.blocks[k].counted {
                        continue;
                    }
                    let dropped = fast.deadline_with(&plan, Change::Dropped(k), &mut grid);
                    let mut without = plan.clone();
                    without.blocks[k].counted = false;
                    run_trial(&without, 11, t, &mut full);
                    assert_eq!(bits(dropped), bits(full.outcome.at_deadline), "{what}, block {k} dropped");
                }
            }
        }
    }
}
