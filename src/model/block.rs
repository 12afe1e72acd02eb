//! One block in one trial: start, construction and phases, floor area, occupancy, firms,
//! revenue and jobs (docs/model.md, steps 1–6).

use super::condition;
use super::counts::{floor_any, whole, Counts};
use super::known::{KnownBlock, KnownTime};
use super::plan::{LeverValues, Plan, PlanBlock, StartRule};
use crate::engine::streams::{ids, BlockKey};
use crate::scenario::{Dist, ParamId as P};
use crate::seeds::{JobsMeasure, RevenueScope, SpecializedTier, StartStatus, StartedIn, M2_PER_MU};
use rand_distr::{Binomial, Distribution, Poisson};
use std::cell::Cell;

pub const MAX_PHASES: usize = 6;

/// A block's simulated life. Times are in months since the start of 2024-11 (negative: before).
#[derive(Clone, Debug, Default)]
pub struct BlockState {
    /// Construction start (`f64::INFINITY` if it never starts).
    pub start: f64,
    /// Operation start of each phase and its share of floor area.
    pub phases: [(f64, f64); MAX_PHASES],
    pub n_phases: usize,
    /// Completion (竣工) of the first phase: its operation start less the fit-out.
    pub completion: f64,
    /// Industrial floor area, m².
    pub area_m2: f64,
    pub ceiling: f64,
    half_fill: f64,
    steepness: f64,
    sigma0: f64,
    /// Tech SMEs per occupied m² (the tech share of firms new to the city over the area a firm takes).
    firms_per_m2: f64,
    tech: Counts,
    cert_lag: f64,
    /// Tech SMEs already 专精特新 when they arrived (driver: the tech SMEs count).
    arrived: Counts,
    /// Tech SMEs certified after the lag (driver: those not certified on arrival that arrived
    /// `cert_lag` months earlier).
    specialized: Counts,
    national: Counts,
    pub revenue_density: f64,
    /// Share of the park's revenue earned by 规上 firms.
    above_scale_share: f64,
    /// Jobs per occupied m² (1 / the area a job takes).
    jobs_per_m2: f64,
    /// Share of the park's firms (revenue, jobs) new to the central city: 1 − relocated share.
    new_share: f64,
    anchors: f64,
    anchor_arrival: f64,
    anchor_revenue: f64,
    anchor_jobs: f64,
    /// Revenue (all scopes) and jobs of a renovated site's urban-type firms that leave the
    /// city's total, lost from `start` on.
    lost_revenue: f64,
    lost_jobs: f64,
    /// Months added to the age of every phase on the occupancy ramp (monitoring: the ramp
    /// passes through the observed occupancy).
    ramp_shift: f64,
    /// [`Self::revenue_from_month`].
    revenue_from: i64,
}

#[inline]
fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl BlockState {
    /// Operation start of the first phase (`INFINITY` if never).
    pub fn first_operation(&self) -> f64 {
        self.phases[0].0
    }

    /// Occupancy share of one phase `y` months after it started operating.
    #[inline]
    fn occupancy(&self, y: f64) -> f64 {
        if y <= 0.0 {
            return 0.0;
        }
        let y = y + self.ramp_shift;
        if y <= 0.0 {
            return 0.0;
        }
        let raw = sigmoid(self.steepness * (y - self.half_fill));
        self.ceiling * ((raw - self.sigma0) / (1.0 - self.sigma0)).max(0.0)
    }

    /// Occupied industrial floor area at time `x`, m².
    #[inline]
    pub fn occupied_m2(&self, x: f64) -> f64 {
        let mut total = 0.0;
        for &(op, share) in &self.phases[..self.n_phases] {
            if x > op {
                total += share * self.occupancy(x - op);
            }
        }
        total * self.area_m2
    }

    /// Occupied area at every whole month `x = 0, 1, …, grid.len() − 1` (the ends of months):
    /// [`Self::occupied_m2`], with each phase's logistic term `e^(−k·(y − h))` carried from month
    /// to month by one multiplication by `e^(−k)` instead of an `exp` a month (the phases' terms
    /// added in phase order, as there; within a few parts in 10¹⁵ of it).
    pub fn fill_grid(&self, grid: &mut [f64]) {
        grid.fill(0.0);
        let months = grid.len();
        let step = (-self.steepness).exp();
        let spread = 1.0 - self.sigma0;
        for &(op, share) in &self.phases[..self.n_phases] {
            if op.is_nan() || op >= whole(months) {
                continue; // never operates, or not within the grid
            }
            // from the first whole month after the phase opens (the ramp's shift may hold its
            // occupancy at zero a little longer)
            let opens = if op < 0.0 { 0 } else { floor_any(op) as usize + 1 };
            let mut e = f64::NAN;
            for (x, g) in grid.iter_mut().enumerate().skip(opens) {
                let y = whole(x) - op + self.ramp_shift;
                if y <= 0.0 {
                    continue;
                }
                // exact at the start and wherever the carried term left the finite range
                e = if e.is_finite() && e > 0.0 { e * step } else { (-self.steepness * (y - self.half_fill)).exp() };
                let raw = 1.0 / (1.0 + e);
                *g += share * (self.ceiling * ((raw - self.sigma0) / spread).max(0.0));
            }
        }
        for g in grid.iter_mut() {
            *g *= self.area_m2;
        }
    }

    /// Expected tech SMEs at time `x`.
    #[inline]
    fn expected_firms(&self, x: f64) -> f64 {
        self.occupied_m2(x) * self.firms_per_m2
    }

    /// Expected tech SMEs at whole month `x`, read from the occupancy grid where it has the
    /// month (so that the monthly counts, read from the grid, reach their drivers exactly).
    #[inline]
    fn expected_firms_on(&self, grid: &[f64], x: usize) -> f64 {
        match grid.get(x) {
            Some(g) => g * self.firms_per_m2,
            None => self.expected_firms(whole(x)),
        }
    }

    /// Tech SMEs when `occupied` m² are occupied, on the deadline's side given.
    #[inline]
    fn tech_from(&self, occupied: f64, after_deadline: bool) -> f64 {
        self.tech.at(occupied * self.firms_per_m2, after_deadline)
    }

    /// Tech SMEs at whole month `x`, read from the occupancy grid.
    #[inline]
    pub fn tech_smes_on(&self, grid: &[f64], x: usize, deadline_end: f64) -> f64 {
        self.tech_from(grid[x], whole(x) > deadline_end)
    }

    /// Tech SMEs at time `x` that were not yet 专精特新 when they arrived (occupancy
    /// interpolated on the grid): the firms the certification lag applies to.
    #[inline]
    fn uncertified_at(&self, grid: &[f64], x: f64, deadline_end: f64) -> f64 {
        let after = x > deadline_end;
        let n = self.tech_from(interpolate(grid, x), after);
        n - self.arrived.at(n, after)
    }

    /// 专精特新 firms at whole month `x` (of the tier the target counts): those already
    /// certified when they arrived, and those certified among the others that had arrived
    /// `cert_lag` months earlier.
    #[inline]
    pub fn specialized_on(&self, grid: &[f64], x: usize, deadline_end: f64, tier: SpecializedTier) -> f64 {
        self.firms_on(grid, x, deadline_end, tier).1
    }

    /// Tech SMEs and 专精特新 firms at whole month `x`: the tech-SME count
    /// ([`Self::tech_smes_on`]) and the 专精特新 count that starts from it.
    #[inline]
    pub fn firms_on(&self, grid: &[f64], x: usize, deadline_end: f64, tier: SpecializedTier) -> (f64, f64) {
        let xf = whole(x);
        let after = xf > deadline_end;
        let tech = self.tech_from(grid[x], after);
        let arrived = self.arrived.at(tech, after);
        let eligible = self.uncertified_at(grid, xf - self.cert_lag, deadline_end);
        let s = arrived + self.specialized.at(eligible, after);
        let spec = match tier {
            SpecializedTier::ProvincialAndAbove => s,
            SpecializedTier::National => self.national.at(s, after),
        };
        (tech, spec)
    }

    /// Share of floor-area revenue that counts under `scope`.
    #[inline]
    fn scope_share(&self, scope: RevenueScope) -> f64 {
        match scope {
            RevenueScope::AboveScale => self.above_scale_share,
            RevenueScope::All => 1.0,
        }
    }

    /// Annual revenue rate the block adds when `occupied` m² are occupied at time `x` (CNY a
    /// year) under `scope`: its firms new to the city (anchors are 规上 firms), less the lost
    /// revenue of a renovated site once works began.
    #[inline]
    pub fn revenue_rate_at(&self, occupied: f64, x: f64, scope: RevenueScope) -> f64 {
        let share = self.scope_share(scope);
        let mut r = occupied * self.revenue_density * share;
        if x > self.anchor_arrival {
            r += self.anchors * self.anchor_revenue;
        }
        r *= self.new_share;
        if x > self.start && self.start >= 0.0 {
            r -= self.lost_revenue * share;
        }
        r
    }

    /// The revenue rate of a renovated site's urban-type firms that left, lost in month `t`
    /// under `scope` (they were part of the existing base).
    #[inline]
    pub fn lost_revenue_in_month(&self, t: i64, scope: RevenueScope) -> f64 {
        if t as f64 + 0.5 > self.start && self.start >= 0.0 {
            self.lost_revenue * self.scope_share(scope)
        } else {
            0.0
        }
    }

    /// The first month index whose revenue or lost revenue may be non-zero: before it the block
    /// has no occupied area (the grid is zero up to its first operation), no anchor and no firms
    /// moved out, so both are exactly zero (`i64::MAX` if never). Worked out once, at the end
    /// of [`simulate`].
    #[inline]
    pub fn revenue_from_month(&self) -> i64 {
        self.revenue_from
    }

    fn revenue_from_bound(&self) -> i64 {
        let lost_from = if self.start >= 0.0 { self.start - 0.5 } else { f64::INFINITY };
        let from = (self.first_operation() - 1.0).min(self.anchor_arrival - 0.5).min(lost_from);
        if from.is_nan() {
            i64::MIN
        } else if from >= i64::MAX as f64 {
            i64::MAX
        } else {
            // one month earlier than the bound, against rounding at the edge
            floor_any(from).max(i64::MIN as f64 + 1.0) as i64 - 1
        }
    }

    /// The first whole month `x` (end of month) at which [`Self::jobs_at`] may be non-zero: it
    /// is exactly zero while nothing is occupied, no anchor has arrived and no one has moved
    /// out (`usize::MAX` if never).
    pub fn jobs_from_month(&self) -> usize {
        let moved_from = if self.start >= 0.0 { self.start } else { f64::INFINITY };
        let from = self.first_operation().min(self.anchor_arrival).min(moved_from);
        if from.is_nan() || from < 1.0 {
            0
        } else if from >= usize::MAX as f64 {
            usize::MAX
        } else {
            // one month earlier than the bound, against rounding at the edge
            floor_any(from) as usize - 1
        }
    }

    /// Revenue rate in month `t` (may be before month 0) under `scope`: occupancy averaged
    /// over the month (trapezoid on the grid), the rest at mid-month.
    #[inline]
    pub fn revenue_in_month(&self, grid: &[f64], t: i64, scope: RevenueScope) -> f64 {
        let occupied = if t < 0 { 0.0 } else { (grid[t as usize] + grid[t as usize + 1]) / 2.0 };
        self.revenue_rate_at(occupied, t as f64 + 0.5, scope)
    }

    /// Jobs in the block's firms new to the city when `occupied` m² are occupied at time `x`;
    /// `Net` less the jobs of a renovated site's urban-type firms that left once works began.
    /// Gross ≥ net always; a block that never starts has none of either.
    #[inline]
    pub fn jobs_at(&self, occupied: f64, x: f64, measure: JobsMeasure) -> f64 {
        let mut j = occupied * self.jobs_per_m2;
        if x > self.anchor_arrival {
            j += self.anchors * self.anchor_jobs;
        }
        j *= self.new_share;
        if measure == JobsMeasure::Net && x > self.start && self.start >= 0.0 {
            j -= self.lost_jobs;
        }
        j
    }
}

/// Linear interpolation of a grid of values at whole months; 0 before month 0.
#[inline]
fn interpolate(grid: &[f64], x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let n = x as i64; // x > 0: truncation is the floor, without a libm call
    let i = n as usize;
    if i + 1 >= grid.len() {
        return grid[grid.len() - 1];
    }
    let f = x - n as f64;
    grid[i] * (1.0 - f) + grid[i + 1] * f
}

/// Context of one block draw.
pub struct BlockContext<'a> {
    pub plan: &'a Plan,
    /// The random keys of the block (annex index, or [`reserve_of`] it for its reserve) in
    /// the trial.
    pub key: BlockKey,
    /// The trial's common shocks.
    pub shocks: &'a Shocks,
    /// Fixed start for a reserve block (`None` for annex blocks).
    pub forced_start: Option<f64>,
    /// Values that replace this block's draws, indexed by [`P`] (NaN: drawn as usual).
    pub pins: Option<&'a [f64]>,
    /// Where each parameter's value is written, indexed by [`P`] (draws not made stay as they were).
    pub record: Option<&'a [Cell<f64>]>,
}

impl BlockContext<'_> {
    /// Parameter `id` of block `b`: its pinned value, or its inverse CDF at the parameter's
    /// own uniform (so it does not depend on any other draw, nor on whether others are made).
    #[inline]
    pub fn draw(&self, b: &PlanBlock, id: P) -> f64 {
        let x = match self.pins {
            Some(p) if !p[id as usize].is_nan() => p[id as usize],
            _ => match b.p(id) {
                Dist::Fixed(v) => *v,
                d => d.sample(self.key.uniform(id.key())),
            },
        };
        if let Some(r) = self.record {
            r[id as usize].set(x);
        }
        x
    }

    /// The model's own uniform `id` (not a parameter).
    #[inline]
    fn uniform(&self, id: u64) -> f64 {
        self.key.uniform(id)
    }

    /// A Poisson count of mean `lambda` from the count stream `id` (0 when the mean is not positive).
    fn poisson(&self, lambda: f64, id: u64) -> f64 {
        if lambda > 0.0 && lambda.is_finite() {
            Poisson::new(lambda).expect("positive").sample(&mut self.key.counter(id))
        } else {
            0.0
        }
    }

    /// A binomial count of `n` (rounded down) trials with chance `p` from the count stream `id`.
    fn binomial(&self, n: f64, p: f64, id: u64) -> f64 {
        if n < 1.0 || p <= 0.0 || !n.is_finite() {
            0.0
        } else {
            Binomial::new(n as u64, p.min(1.0)).expect("valid").sample(&mut self.key.counter(id)) as f64
        }
    }
}

/// The common shocks of one trial: the factor values and their effect sizes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shocks {
    /// macro, district.nanhu/xiuzhou/etdz, industry.emerging/future/services (macro includes its mean).
    pub factors: [f64; 7],
    pub macro_weight: f64,
    pub district_weight: f64,
    pub industry_weight: f64,
    pub delay_months_per_sd: f64,
    pub occupancy_log_per_sd: f64,
    pub revenue_log_per_sd: f64,
}

impl Shocks {
    /// A block's combined shock (positive is good): macro, district and industry factors.
    pub fn for_block(&self, district: usize, industry: usize) -> f64 {
        self.macro_weight * self.factors[0]
            + self.district_weight * self.factors[district]
            + self.industry_weight * self.factors[industry]
    }
}

/// Start time of a block that has not started at the policy date.
///
/// With `not_before` (monitoring saw no start by then) the start is drawn conditionally on
/// coming after it: a planned block's late delay from the tail of its delay distribution
/// (beyond that tail: from then on like an undetermined block, with the block's start hazard),
/// an undetermined block's wait by the memorylessness of its monthly hazard.
fn start_time(ctx: &BlockContext, b: &PlanBlock, shock_delay: f64, not_before: Option<f64>) -> f64 {
    // Every quantity has its own key: a block draws only what its start status uses.
    let lv = &ctx.plan.levers;
    let cut = lv.parallel_approvals_months;
    let start = super::plan::model_start();
    let on_schedule = b.start_rule == StartRule::OnSchedule;
    let extra = || {
        let rezoning = ctx.draw(b, P::StartRezoningDelayMonths) * (1.0 - lv.multi_plan_share);
        rezoning + ctx.draw(b, P::StartNoDeveloperDelayMonths)
    };
    let planned = |planned_at: f64| {
        if on_schedule && not_before.is_none() {
            return planned_at;
        }
        let on_time = ctx.draw(b, P::StartOnTime);
        let late = if on_time >= 0.5 { 0.0 } else { (ctx.draw(b, P::StartDelayMonths) - cut).max(0.0) };
        let other = extra() + shock_delay;
        let delay = (late + other).max(0.0);
        let drawn = planned_at + if on_schedule { 0.0 } else { delay };
        match not_before {
            Some(nb) if drawn < nb => {
                // late by at least nb − planned − other: the delay's tail beyond that
                let u = ctx.uniform(ids::COND_START);
                match condition::above(b.p(P::StartDelayMonths), nb - planned_at - other + cut, u) {
                    Some(d) => (planned_at + (d - cut).max(0.0) + other).max(nb),
                    None => {
                        nb + condition::geometric_wait(
                            ctx.draw(b, P::StartHazardPerMonth),
                            ctx.uniform(ids::COND_START_WAIT),
                        )
                    }
                }
            }
            _ => drawn,
        }
    };
    match b.start {
        StartStatus::Started => unreachable!("started blocks have no start to draw"),
        StartStatus::PlannedMonth(m) => planned(m.since(start) as f64),
        StartStatus::PlannedYear(y) => {
            let month_in_year = ctx.draw(b, P::StartMonthInYear);
            let m = crate::month::Month::new(y, month_in_year as u32).expect("month_in_year is 1–12");
            planned(m.since(start) as f64)
        }
        StartStatus::Undetermined if on_schedule => earliest_start(b, lv),
        StartStatus::Undetermined => {
            let lag = ctx.draw(b, P::StartDecisionLagMonths);
            let hazard = ctx.draw(b, P::StartHazardPerMonth);
            let ready = ((lag - cut).max(0.0) + extra() + shock_delay).max(0.0);
            // months of waiting: geometric, from one uniform (inverse CDF)
            let drawn = ready + condition::geometric_wait(hazard, ctx.uniform(ids::START_WAIT));
            match not_before {
                // memoryless: the months still to wait after nb are geometric again
                Some(nb) if drawn < nb => {
                    ready + (nb - ready).ceil() + condition::geometric_wait(hazard, ctx.uniform(ids::COND_START_WAIT))
                }
                _ => drawn,
            }
        }
    }
}

/// The published start of a started block in model time (before 0): its month, or for a year
/// only the month `start.month_in_year` of that year.
fn published_start(ctx: &BlockContext, b: &PlanBlock, s: StartedIn) -> f64 {
    let month = match s {
        StartedIn::Month(m) => m,
        StartedIn::Year(y) => {
            let m = ctx.draw(b, P::StartMonthInYear);
            crate::month::Month::new(y, m as u32).expect("month_in_year is 1–12")
        }
    };
    month.since(super::plan::model_start()) as f64
}

/// The earliest start the scenario allows an undetermined block: the shortest decision lag
/// (less parallel approvals) and the shortest extra delays, with no waiting and no bad shock.
pub fn earliest_start(b: &PlanBlock, lv: &LeverValues) -> f64 {
    let low = |id: P| b.p(id).support().0.max(0.0);
    (low(P::StartDecisionLagMonths) - lv.parallel_approvals_months).max(0.0)
        + low(P::StartRezoningDelayMonths) * (1.0 - lv.multi_plan_share)
        + low(P::StartNoDeveloperDelayMonths)
}

/// Simulates one block of one trial; `grid` (length months + 1) receives the occupied area at
/// the end of every month.
pub fn simulate(ctx: &BlockContext, b: &PlanBlock, grid: &mut [f64]) -> BlockState {
    let plan = ctx.plan;
    let lv = &plan.levers;
    let industry = b.industry_factor.unwrap_or_else(|| 4 + ((ctx.uniform(ids::INDUSTRY) * 3.0) as usize).min(2));
    let sh = ctx.shocks;
    let shock = sh.for_block(b.district_factor, industry);
    let started = b.start == StartStatus::Started && ctx.forced_start.is_none();

    // 2. construction (a block draws only the quantities its path uses)
    let renovation = ctx.draw(b, P::BuildRenovation) >= 0.5;
    let mut duration = ctx.draw(b, P::BuildDurationMonths);
    let threshold_mu = ctx.draw(b, P::BuildPhaseThresholdMu);
    let several = b.land_mu > threshold_mu;
    let phases = if several { ctx.draw(b, P::BuildPhases) } else { 1.0 };
    let gap = if several { ctx.draw(b, P::BuildPhaseGapMonths) } else { 0.0 };
    let fitout = (ctx.draw(b, P::BuildFitoutMonths) - lv.joint_acceptance_months).max(0.0);
    let heritage = ctx.draw(b, P::BuildHeritageExtraMonths);
    let mut vacate = 0.0;
    if renovation {
        duration *= 1.0 - lv.special_fund_share;
        if !started {
            vacate = ctx.draw(b, P::RenovationVacateMonths) * (1.0 - lv.special_fund_share);
        }
    }
    // 1. start: a started block's start is observed (monitoring), published (seeds), or lies
    // as far back as the drawn share of its work done by the policy date
    let shock_delay = -shock * sh.delay_months_per_sd;
    let known = b.known.as_deref();
    let known_start = known.and_then(|k| k.start);
    let not_before = match known_start {
        Some(KnownTime::NotYet) => known.map(|k| k.as_of),
        _ => None,
    };
    let published = match (started, known_start, b.started_in) {
        (true, None, Some(s)) => Some(published_start(ctx, b, s)),
        _ => None,
    };
    let by_progress = started && known_start.is_none() && published.is_none();
    let progress = if by_progress { ctx.draw(b, P::StartProgressAtPolicy) } else { 0.0 };
    let start = if started {
        match (known_start, published) {
            (Some(KnownTime::At(t)), _) => t,
            (_, Some(t)) => t,
            _ => -progress * (duration + heritage),
        }
    } else {
        let drawn = match ctx.forced_start {
            Some(t) => t,
            None => match known_start {
                Some(KnownTime::At(t)) => t,
                _ => start_time(ctx, b, shock_delay, not_before),
            },
        };
        match known_start {
            Some(KnownTime::At(t)) => t,
            _ => drawn,
        }
    };
    // completion as a function of the duration (before the special fund's cut)
    let scale = if renovation { 1.0 - lv.special_fund_share } else { 1.0 };
    let completion_of = |raw: f64| {
        if by_progress {
            (1.0 - progress) * (raw * scale + heritage)
        } else if started {
            start + raw * scale + heritage
        } else {
            start + vacate + raw * scale + heritage
        }
    };
    let mut completion = completion_of(duration / scale.max(1e-12));
    if published.is_some() {
        // a build shorter than the time since the published start: the annex lists the block as
        // under construction at the policy date, so it completes then (never before)
        completion = completion.max(0.0);
    }
    if let Some(k) = known {
        match k.operation {
            Some(KnownTime::At(t)) => completion = t - fitout,
            Some(KnownTime::NotYet) if completion + fitout <= k.as_of => {
                // not operating by the as-of month: the build took longer than drawn
                let slope = completion_of(1.0) - completion_of(0.0);
                let u = ctx.uniform(ids::COND_BUILD);
                let redrawn = (slope > 0.0)
                    .then(|| (k.as_of - fitout - completion_of(0.0)) / slope)
                    .and_then(|min| condition::above(b.p(P::BuildDurationMonths), min, u));
                completion = match redrawn {
                    Some(raw) => completion_of(raw).max(k.as_of - fitout + 1e-9),
                    // beyond every build time the scenario allows: operating within the
                    // coming fit-out period
                    None => k.as_of + u * fitout.max(1.0) - fitout,
                };
            }
            _ => {}
        }
    }
    let n = if several { (phases as usize).clamp(1, MAX_PHASES) } else { 1 };
    let mut phase_list = [(f64::INFINITY, 0.0); MAX_PHASES];
    for (k, slot) in phase_list.iter_mut().enumerate().take(n) {
        *slot = (completion + k as f64 * gap + fitout, 1.0 / n as f64);
    }

    // 3. floor area
    let area_m2 = match known.and_then(|k| k.area_m2) {
        Some(a) => a,
        None => {
            let mut plot_ratio = ctx.draw(b, P::FloorPlotRatio);
            if !started {
                plot_ratio *= lv.multi_storey;
            }
            b.land_mu * M2_PER_MU * plot_ratio * ctx.draw(b, P::FloorIndustrialShare)
        }
    };

    // 4. occupancy
    let ceiling = (ctx.draw(b, P::OccupancyCeiling) * (sh.occupancy_log_per_sd * shock).exp()).min(1.0);
    let half_fill = ctx.draw(b, P::OccupancyHalfFillMonths) / lv.investment_promotion;
    let span = ctx.draw(b, P::OccupancyFillSpanMonths);
    let steepness = 2.0 * 9f64.ln() / span;

    let mut state = BlockState {
        start,
        completion: phase_list[0].0 - fitout,
        phases: phase_list,
        n_phases: n,
        area_m2,
        ceiling,
        half_fill,
        steepness,
        sigma0: sigmoid(-steepness * half_fill),
        ..Default::default()
    };
    if let Some((k, o)) = known.and_then(|k| k.occupancy.map(|o| (k, o))) {
        // an occupancy above the drawn ceiling raises the ceiling to it
        if o > 0.98 * state.ceiling {
            state.ceiling = (o / 0.98).min(1.0);
        }
        let ramp = state.clone();
        state.ramp_shift = condition::ramp_shift(|y| ramp.occupancy(y), &state.phases[..n], k.as_of, o);
    }

    // 6. revenue and jobs
    // (every reading is computed in every trial, so both revenue scopes are always drawn)
    state.above_scale_share = ctx.draw(b, P::RevenueAboveScaleShare);
    state.revenue_density = ctx.draw(b, P::RevenueDensityCnyPerM2) * (sh.revenue_log_per_sd * shock).exp();
    state.jobs_per_m2 = 1.0 / ctx.draw(b, P::JobsAreaPerJobM2);
    state.new_share = 1.0 - ctx.draw(b, P::FirmsRelocatedShare);
    if renovation && !started {
        let leaving = ctx.draw(b, P::RenovationDisplacedUrbanTypeShare);
        state.lost_revenue = ctx.draw(b, P::RenovationExistingRevenueCnyPerMu) * b.land_mu * leaving;
        state.lost_jobs = ctx.draw(b, P::RenovationExistingJobsPerMu) * b.land_mu * leaving;
    }

    // 5. firms
    let area_per_firm = ctx.draw(b, P::FirmsAreaPerFirmM2) / lv.industry_funds;
    let tech_share = ctx.draw(b, P::FirmsTechShare);
    let arrive_share = (ctx.draw(b, P::FirmsArriveCertifiedShare) * lv.industry_funds).min(1.0);
    let spec_share = (ctx.draw(b, P::FirmsSpecializedShare) * lv.industry_funds).min(1.0);
    let national = plan.tier == SpecializedTier::National;
    let national_share = if national { ctx.draw(b, P::FirmsNationalShare) } else { 0.0 };
    let cert_lag = ctx.draw(b, P::FirmsCertificationLagMonths);
    // firms that moved in from elsewhere in the central city are in the base already: the
    // block's count is the arrivals thinned by the share new to the city (Poisson stays Poisson)
    state.firms_per_m2 = tech_share * state.new_share / area_per_firm;
    state.cert_lag = cert_lag;
    let d_end = plan.deadline as f64 + 1.0;
    let h_end = plan.months as f64;
    state.fill_grid(grid);
    let lam_d = state.expected_firms_on(grid, plan.deadline + 1);
    let lam_h = state.expected_firms_on(grid, plan.months).max(lam_d);
    let counts = |driver_deadline: f64, path_id: u64| Counts::new(driver_deadline, ctx.uniform(path_id));
    state.tech = counts(lam_d, ids::TECH_PATH);
    state.tech.set_driver_horizon(lam_h);
    state.tech.at_deadline = ctx.poisson(lam_d, ids::TECH_AT_DEADLINE);
    // an observed count is of all the park's firms; like its projected ones, those new to the
    // city count (the expected share, rounded): firms moved in from elsewhere in the central
    // city are counted in the base
    let new_share = state.new_share;
    let new_to_city = move |c: f64| (c * new_share).round();
    if let Some((k, c)) = known.and_then(|k| k.tech_smes.map(|c| (k, new_to_city(c)))) {
        // the firms counted at the as-of month, and Poisson arrivals after it
        // (from the grid at a whole month, as the monthly path reads it: the path hits c there)
        let lam_k = if k.as_of >= 0.0 && k.as_of.fract() == 0.0 {
            state.expected_firms_on(grid, k.as_of as usize)
        } else {
            state.expected_firms(k.as_of)
        };
        state.tech.known = Some((lam_k, c));
        state.tech.at_deadline = c + ctx.poisson((lam_d - lam_k).max(0.0), ids::TECH_AFTER_KNOWN);
    }
    // tech SMEs certified on arrival: a binomial share of the tech SMEs at the deadline, their
    // path following the tech SMEs count
    let tech_d = state.tech.at_deadline;
    state.arrived = counts(tech_d, ids::ARRIVED_CERTIFIED_PATH);
    state.arrived.at_deadline = ctx.binomial(tech_d, arrive_share, ids::ARRIVED_CERTIFIED_AT_DEADLINE);
    let known_spec = known.and_then(|k| k.specialized.map(|c| (k, new_to_city(c))));
    // monitoring: the observed 专精特新 count `c` splits into those certified on arrival (as many
    // as the path has, at most c) and those certified since
    let mut arrived_k = 0.0;
    if let Some((k, c)) = known_spec {
        let tech_k = state.tech_from(interpolate(grid, k.as_of), false).min(tech_d);
        arrived_k = state.arrived.at(tech_k, false).min(c);
        state.arrived.known = Some((tech_k, arrived_k));
        state.arrived.at_deadline =
            arrived_k + ctx.binomial(tech_d - tech_k, arrive_share, ids::ARRIVED_CERTIFIED_AFTER_KNOWN);
    }
    let elig_d = state.uncertified_at(grid, d_end - cert_lag, d_end);
    state.specialized = counts(elig_d, ids::SPECIALIZED_PATH);
    state.specialized.at_deadline = ctx.binomial(elig_d, spec_share, ids::SPECIALIZED_AT_DEADLINE);
    if let Some((k, c)) = known_spec {
        let elig_k = state.uncertified_at(grid, k.as_of - cert_lag, d_end).min(elig_d);
        let since = c - arrived_k;
        state.specialized.known = Some((elig_k, since));
        state.specialized.at_deadline = since + ctx.binomial(elig_d - elig_k, spec_share, ids::SPECIALIZED_AFTER_KNOWN);
    }
    let sd = state.arrived.at_deadline + state.specialized.at_deadline;

    // anchors (headquarters, chain leaders): whole firms arriving when the block is half full
    let mut anchors = ctx.draw(b, P::FirmsAnchorCount);
    if lv.investment_promotion > 1.0 {
        anchors += ctx.poisson((lv.investment_promotion - 1.0) * b.p(P::FirmsAnchorCount).mean(), ids::EXTRA_ANCHORS);
    }
    state.anchors = anchors;
    state.anchor_arrival = state.first_operation() + ctx.uniform(ids::ANCHOR_OFFSET) * half_fill;
    if anchors > 0.0 {
        state.anchor_revenue = ctx.draw(b, P::FirmsAnchorRevenueCny);
        state.anchor_jobs = ctx.draw(b, P::FirmsAnchorJobs);
    }

    // after the deadline: firms and certifications added by the horizon
    state.tech.extra = ctx.poisson(lam_h - lam_d, ids::TECH_EXTRA);
    state.arrived.set_driver_horizon(tech_d + state.tech.extra);
    state.arrived.extra = ctx.binomial(state.tech.extra, arrive_share, ids::ARRIVED_CERTIFIED_EXTRA);
    let elig_h = state.uncertified_at(grid, h_end - cert_lag, d_end).max(elig_d);
    state.specialized.set_driver_horizon(elig_h);
    state.specialized.extra = ctx.binomial(elig_h - elig_d, spec_share, ids::SPECIALIZED_EXTRA);
    if national {
        state.national = counts(sd, ids::NATIONAL_PATH);
        state.national.at_deadline = ctx.binomial(sd, national_share, ids::NATIONAL_AT_DEADLINE);
        let spec_h = sd + state.arrived.extra + state.specialized.extra;
        state.national.set_driver_horizon(spec_h);
        state.national.extra = ctx.binomial(spec_h - sd, national_share, ids::NATIONAL_EXTRA);
    }
    if let Some(k) = known {
        calibrate_to_observed(&mut state, k, grid);
    }
    state.revenue_from = state.revenue_from_bound();
    state
}

/// Sets revenue density and floor area per job so that the block's firms earn the observed
/// revenue over the 12 months to the as-of month and employ the observed headcount at it.
fn calibrate_to_observed(state: &mut BlockState, k: &KnownBlock, grid: &[f64]) {
    let a = k.as_of.round() as i64;
    if let Some(revenue) = k.revenue_cny {
        // revenue of all firms over 12 months = Σ (occupied × density + anchors' revenue) / 12
        let months = (a - 12..a).filter(|t| *t >= 0);
        let occupied: f64 = months.clone().map(|t| (grid[t as usize] + grid[t as usize + 1]) / 2.0).sum();
        let anchors: f64 = months
            .map(|t| if t as f64 + 0.5 > state.anchor_arrival { state.anchors * state.anchor_revenue } else { 0.0 })
            .sum();
        // (no calibration on a vanishing occupied area: the ratio would overflow)
        if occupied > 1e-3 {
            state.revenue_density = ((12.0 * revenue - anchors) / occupied).max(0.0);
        }
    }
    if let Some(jobs) = k.jobs {
        let occupied = grid[a as usize];
        let anchor_jobs = if k.as_of > state.anchor_arrival { state.anchors * state.anchor_jobs } else { 0.0 };
        if occupied > 1e-3 {
            state.jobs_per_m2 = if jobs > anchor_jobs { (jobs - anchor_jobs) / occupied } else { 0.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Sampling, TrialKey};
    use crate::scenario::{load, ScenarioSource};
    use crate::seeds::{kinds::DeveloperKind, Seeds};

    /// Occupied share of block `id`'s floor area `months` after its first phase opens, in each
    /// of `trials` baseline trials (without common shocks) where it opens.
    fn share_after_opening(id: u32, months: f64, trials: u64) -> Vec<f64> {
        let seeds = Seeds::embedded();
        let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds).unwrap();
        let plan = Plan::new(&s);
        let i = plan.blocks.iter().position(|b| b.id == id).unwrap();
        let mut grid = vec![0.0; plan.months + 1];
        (0..trials)
            .filter_map(|t| {
                let key = TrialKey::new(s.settings.seed, t, Sampling::Plain).block(i as u32);
                let shocks = Shocks::default();
                let ctx =
                    BlockContext { plan: &plan, key, shocks: &shocks, forced_start: None, pins: None, record: None };
                let state = simulate(&ctx, &plan.blocks[i], &mut grid);
                let op = state.first_operation();
                op.is_finite().then(|| state.occupied_m2(op + months) / state.area_m2)
            })
            .collect()
    }

    fn quantile(mut xs: Vec<f64>, q: f64) -> f64 {
        xs.sort_by(f64::total_cmp);
        xs[((xs.len() - 1) as f64 * q).round() as usize]
    }

    #[test]
    fn the_occupancy_grid_is_the_occupied_area_at_each_month() {
        let seeds = Seeds::embedded();
        for name in ["baseline.toml", "nanhu.toml"] {
            let s = load(&ScenarioSource::Embedded(name), &[], &seeds).unwrap();
            let plan = Plan::new(&s);
            let mut grid = vec![0.0; plan.months + 1];
            for t in 0..200 {
                for (i, b) in plan.blocks.iter().enumerate() {
                    let key = TrialKey::new(5, t, Sampling::Plain).block(i as u32);
                    let shocks = Shocks::default();
                    let ctx = BlockContext {
                        plan: &plan,
                        key,
                        shocks: &shocks,
                        forced_start: None,
                        pins: None,
                        record: None,
                    };
                    let mut state = simulate(&ctx, b, &mut grid);
                    for shift in [0.0, 2.5, -3.5] {
                        state.ramp_shift = shift;
                        state.fill_grid(&mut grid);
                        for (x, g) in grid.iter().enumerate() {
                            let want = state.occupied_m2(x as f64);
                            assert!(
                                (g - want).abs() <= 1e-12 * want.abs(),
                                "{name} trial {t} block {i} month {x}: {g} vs {want}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_self_use_park_is_mostly_occupied_three_months_after_delivery_and_a_state_park_is_not() {
        let seeds = Seeds::embedded();
        assert_eq!(seeds.block(2).unwrap().developer_kind, DeveloperKind::LeadingEnterprise);
        assert_eq!(seeds.block(8).unwrap().developer_kind, DeveloperKind::StateOwned);
        // block 2 (微创, built by the enterprise that uses it): baseline's leading_enterprise curve
        let own = share_after_opening(2, 3.0, 2000);
        assert_eq!(own.len(), 2000, "block 2 has started: it opens in every trial");
        let median = quantile(own.clone(), 0.5);
        assert!(median > 0.65, "median occupancy 3 months after delivery {median}");
        assert!(quantile(own.clone(), 0.25) > 0.5, "lower quartile {}", quantile(own, 0.25));
        // block 8 (a state-owned platform) keeps the slow curve: half full after 1–3.5 years
        let state = share_after_opening(8, 3.0, 2000);
        let median = quantile(state, 0.5);
        assert!(median < 0.1, "state park median occupancy 3 months after delivery {median}");
    }
}
