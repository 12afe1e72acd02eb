//! Multi-lever sweeps: P(met) over a design of two or more parameters at once — a full grid of
//! their values or a Latin hypercube — every point on common random numbers, so differences
//! between points are paired and caused by the values alone.

use super::{evaluate, Common};
use crate::engine::{self, Aggregate, RunOptions};
use crate::model::Plan;
use crate::scenario::{Scenario, ScenarioSource};
use crate::seeds::{Seeds, TargetId};
use crate::stats::{Interval, Proportion, Z95};
use crate::Error;
use rand::{RngExt, SeedableRng};
use std::sync::atomic::AtomicBool;

/// The most points one design may have.
pub const MAX_POINTS: usize = 1000;

/// One varied parameter: its key path and its grid values, or (for a Latin hypercube) the two
/// ends of its range.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub path: String,
    pub values: Vec<f64>,
}

/// How the points are laid out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Design {
    /// Every combination of the axes' values (the first axis varies slowest).
    Grid,
    /// `points` points, each axis's range cut into `points` equal strata with one point in
    /// each, the strata paired at random (seeded) and each point at its stratum's middle.
    Lhs { points: usize, seed: u64 },
}

/// The points of a design: one value per axis each.
pub fn points(axes: &[Axis], design: Design) -> Vec<Vec<f64>> {
    match design {
        Design::Grid => {
            let mut out: Vec<Vec<f64>> = vec![Vec::new()];
            for a in axes {
                out = out.iter().flat_map(|p| a.values.iter().map(move |&v| [p.as_slice(), &[v]].concat())).collect();
            }
            out
        }
        Design::Lhs { points, seed } => {
            let mut rng =
                rand::rngs::Xoshiro256PlusPlus::seed_from_u64(crate::engine::streams::mix(seed ^ 0x6c68_735f));
            let columns: Vec<Vec<f64>> = axes
                .iter()
                .map(|a| {
                    let (lo, hi) = (a.values[0], a.values[a.values.len() - 1]);
                    let mut strata: Vec<usize> = (0..points).collect();
                    // Fisher–Yates
                    for i in (1..points).rev() {
                        strata.swap(i, rng.random_range(0..=i));
                    }
                    strata.iter().map(|&k| lo + (hi - lo) * (k as f64 + 0.5) / points as f64).collect()
                })
                .collect();
            (0..points).map(|i| columns.iter().map(|c| c[i]).collect()).collect()
        }
    }
}

/// One point × target (or all targets, `target = None`).
#[derive(Clone, Debug, PartialEq)]
pub struct GridRow {
    /// Index of the point in the design.
    pub point: usize,
    /// The axes' values at the point.
    pub values: Vec<f64>,
    pub target: Option<TargetId>,
    pub p_met: f64,
    pub ci: Interval,
}

/// A design to evaluate: the axes and their points (from [`points`]).
pub struct GridSpec<'a> {
    pub axes: &'a [Axis],
    pub points: &'a [Vec<f64>],
}

/// What one point's evaluation found: the hits of every target of the set, then of all targets
/// together (`None`), as metric indices.
pub type PointHits = Vec<(Option<usize>, Proportion)>;

/// Evaluates the scenario at one point, with each axis's path set to the point's value.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_point(
    source: &ScenarioSource,
    overrides: &[String],
    axes: &[Axis],
    point: &[f64],
    seeds: &Seeds,
    common: Common,
    cancel: &AtomicBool,
) -> Result<PointHits, Error> {
    let mut o = overrides.to_vec();
    o.extend(axes.iter().zip(point).map(|(a, v)| format!("{}={v}", a.path)));
    let e = evaluate(source, &o, seeds, common, cancel)?;
    let mut hits: PointHits = (0..TargetId::ALL.len())
        .filter(|&m| e.plan.thresholds[m].is_some())
        .map(|m| (Some(m), e.proportion(Some(m))))
        .collect();
    hits.push((None, e.proportion(None)));
    Ok(hits)
}

/// The rows of point `i` (at `point`) from its hits.
pub fn point_rows(i: usize, point: &[f64], hits: &PointHits) -> Vec<GridRow> {
    hits.iter()
        .map(|(m, p)| GridRow {
            point: i,
            values: point.to_vec(),
            target: m.map(|m| TargetId::ALL[m]),
            p_met: p.estimate(),
            ci: p.wilson(Z95),
        })
        .collect()
}

/// Evaluates the scenario at every point, with each axis's path set to the point's value.
pub fn grid_sweep(
    source: &ScenarioSource,
    overrides: &[String],
    spec: &GridSpec,
    seeds: &Seeds,
    common: Common,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<GridRow>, Error> {
    let (axes, points) = (spec.axes, spec.points);
    let indexed: Vec<(usize, &Vec<f64>)> = points.iter().enumerate().collect();
    let rows = engine::side_by_side(&indexed, &common.run_options(), progress, |&(i, point), o| {
        let hits =
            evaluate_point(source, overrides, axes, point, seeds, Common { threads: o.threads, ..common }, cancel)?;
        Ok::<_, Error>(point_rows(i, point, &hits))
    })?;
    Ok(rows.concat())
}

/// Runs `scenario` at every point of a grid over number levers (each axis's path is
/// `levers.<name>`), every point on `opts`' seed and trials, so trial k of every point is the
/// run's trial k (common random numbers); `take(point, plan, aggregate)` reduces each point's
/// aggregate as it comes, so at most one aggregate a thread is held at a time.
/// `progress(done, total)` counts points.
///
/// Points too small to keep every thread busy run side by side ([`engine::side_by_side`]).
pub fn lever_grid<T: Send>(
    scenario: &Scenario,
    spec: &GridSpec,
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, usize),
    take: impl Fn(&[f64], &Plan, &Aggregate) -> T + Sync,
) -> Result<Vec<T>, Error> {
    let run_point = |point: &Vec<f64>, point_opts: &RunOptions| -> Result<T, Error> {
        let mut s = scenario.clone();
        for (axis, &v) in spec.axes.iter().zip(point) {
            let name = axis.path.strip_prefix("levers.").unwrap_or(&axis.path);
            match s.levers.settings.iter_mut().find(|l| l.def.name == name) {
                Some(l) => l.value = v,
                None => return Err(Error::Runtime(format!("{} is not a number lever", axis.path))),
            }
        }
        let plan = Plan::new(&s);
        let agg = engine::run(&plan, point_opts, cancel, &|_, _| {}).map_err(super::engine_error)?;
        Ok(take(point, &plan, &agg))
    };
    engine::side_by_side(spec.points, opts, progress, run_point)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(path: &str, values: &[f64]) -> Axis {
        Axis { path: path.into(), values: values.to_vec() }
    }

    #[test]
    fn a_grid_has_every_combination_with_the_first_axis_slowest() {
        let p = points(&[axis("a", &[0.0, 1.0]), axis("b", &[5.0, 6.0, 7.0])], Design::Grid);
        assert_eq!(p, [[0.0, 5.0], [0.0, 6.0], [0.0, 7.0], [1.0, 5.0], [1.0, 6.0], [1.0, 7.0]]);
        assert_eq!(points(&[axis("a", &[1.0]), axis("b", &[2.0]), axis("c", &[3.0, 4.0])], Design::Grid).len(), 2);
    }

    #[test]
    fn a_latin_hypercube_puts_one_point_in_every_stratum_of_every_axis() {
        let axes = [axis("a", &[0.0, 10.0]), axis("b", &[1.0, 2.0]), axis("c", &[-4.0, 4.0])];
        let p = points(&axes, Design::Lhs { points: 20, seed: 5 });
        assert_eq!(p.len(), 20);
        for (k, a) in axes.iter().enumerate() {
            let (lo, hi) = (a.values[0], a.values[1]);
            let mut strata: Vec<usize> = p.iter().map(|x| ((x[k] - lo) / (hi - lo) * 20.0).floor() as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..20).collect::<Vec<_>>(), "axis {k}");
        }
        // seeded: the same design again, another with another seed
        assert_eq!(p, points(&axes, Design::Lhs { points: 20, seed: 5 }));
        assert_ne!(p, points(&axes, Design::Lhs { points: 20, seed: 6 }));
    }

    #[test]
    fn small_points_side_by_side_give_what_one_at_a_time_gives() {
        let scenario = crate::scenario::load(&ScenarioSource::from_arg("baseline"), &[], &Seeds::embedded()).unwrap();
        let axes = [axis("levers.parallel_approvals", &[0.0, 6.0, 12.0]), axis("levers.special_fund", &[0.0, 0.5])];
        let design = points(&axes, Design::Grid);
        let spec = GridSpec { axes: &axes, points: &design };
        let cancel = AtomicBool::new(false);
        let take = |point: &[f64], plan: &Plan, agg: &Aggregate| {
            let mut bits = vec![agg.all_met.estimate().to_bits(), agg.trials];
            bits.extend(agg.met.iter().map(|p| p.estimate().to_bits()));
            bits.extend(agg.bands.iter().map(|b| b[plan.deadline].quantile(0.5).to_bits()));
            (point.to_vec(), bits)
        };
        let on = |threads| {
            let opts = RunOptions { trials: 400, seed: 3, threads, precision: None };
            let done = std::sync::Mutex::new(Vec::new());
            let r =
                lever_grid(&scenario, &spec, &opts, &cancel, &|d, n| done.lock().unwrap().push((d, n)), take).unwrap();
            (r, done.into_inner().unwrap())
        };
        let (one, one_progress) = on(1);
        let (three, three_progress) = on(3);
        assert_eq!(one, three);
        assert_eq!(one.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), design);
        // the points differ (the levers move the parks target), so the comparison can fail
        assert_ne!(one[0].1, one[5].1);
        assert_eq!(one_progress.last(), Some(&(6, 6)));
        assert_eq!(three_progress, [(3, 6), (6, 6)]);
    }
}
