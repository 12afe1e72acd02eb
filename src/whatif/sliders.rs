//! The grid behind the report's what-if sliders (`[report] sliders`): every combination of the
//! sliders' values, each on the run's first trials and seed (common random numbers, so moving a
//! slider changes the answer by the lever alone, not by new draws), reduced per cell to what
//! the page shows — P(met) per target and for all, the median at the deadline, and the fan's
//! 10th/50th/90th percentiles every third month up to the deadline.

use super::grid::{lever_grid, points, Axis, Design, GridSpec};
use crate::engine::{Aggregate, RunOptions};
use crate::model::Plan;
use crate::month::Month;
use crate::scenario::report::Sliders;
use crate::scenario::Scenario;
use crate::seeds::TargetId;
use crate::stats::{quantiles, Interval, Z95};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

/// The fan's percentiles, in each band's order.
pub const FAN_QUANTILES: [f64; 3] = [0.1, 0.5, 0.9];

/// One slider of the grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SliderLever {
    /// The lever's name (`parallel_approvals`); its key path is `levers.<name>`.
    pub name: String,
    /// The values the slider snaps to, ascending.
    pub values: Vec<f64>,
    /// The value the scenario itself sets (the slider starts at the grid value nearest it).
    pub scenario_value: f64,
}

/// A target the cells report on, in the order of every cell's `targets`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SliderTarget {
    pub id: TargetId,
    pub threshold: f64,
}

/// A hit rate with its 95 % Wilson interval (the Monte Carlo error of the cell).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellP {
    pub p_met: f64,
    pub ci: Interval,
}

/// One target in one cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellTarget {
    pub p_met: f64,
    pub ci: Interval,
    /// The median of the metric at the deadline (as the targets table's 中间情形).
    pub median: f64,
    /// `[p10, p50, p90]` at each of the grid's `months`, in the metric's natural unit.
    pub fan: Vec<[f64; 3]>,
}

/// One grid cell: the sliders at `values`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SliderCell {
    /// One value per lever, in the order of the grid's `levers`.
    pub values: Vec<f64>,
    pub all: CellP,
    pub targets: Vec<CellTarget>,
}

/// The whole grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SliderGrid {
    /// Trials per cell: the run's first trials, on its seed.
    pub trials: u64,
    pub seed: u64,
    pub levers: Vec<SliderLever>,
    pub targets: Vec<SliderTarget>,
    /// The fan's months: every third month back from the deadline (the deadline last).
    pub months: Vec<Month>,
    /// Every combination of the levers' values, the first lever varying slowest.
    pub cells: Vec<SliderCell>,
    /// The scenario's note on why these levers, in English and in Chinese.
    pub note: Option<String>,
    #[serde(default)]
    pub note_zh: Option<String>,
}

impl SliderGrid {
    /// The cell at one value index per lever (`None` if an index is out of range).
    pub fn cell(&self, index: &[usize]) -> Option<&SliderCell> {
        if index.len() != self.levers.len() {
            return None;
        }
        let mut k = 0;
        for (l, &i) in self.levers.iter().zip(index) {
            if i >= l.values.len() {
                return None;
            }
            k = k * l.values.len() + i;
        }
        self.cells.get(k)
    }
}

/// The fan's month indices: every third month back from the deadline, ascending.
fn fan_months(deadline: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (0..=deadline).rev().step_by(3).collect();
    out.reverse();
    out
}

/// One cell from the aggregate of its run.
fn cell(values: &[f64], plan: &Plan, agg: &Aggregate, months: &[usize]) -> SliderCell {
    let targets = TargetId::ALL
        .iter()
        .enumerate()
        .filter(|(m, _)| plan.thresholds[*m].is_some())
        .map(|(m, _)| {
            let round = |v: f64| if crate::summary::is_count(m) { v.round() } else { v };
            CellTarget {
                p_met: agg.met[m].estimate(),
                ci: agg.met[m].wilson(Z95),
                median: quantiles(&agg.columns.metric[m], &[0.5])[0],
                fan: months.iter().map(|&t| FAN_QUANTILES.map(|q| round(agg.bands[m][t].quantile(q)))).collect(),
            }
        })
        .collect();
    SliderCell {
        values: values.to_vec(),
        all: CellP { p_met: agg.all_met.estimate(), ci: agg.all_met.wilson(Z95) },
        targets,
    }
}

/// Runs the sliders' grid for `scenario` on `opts`' seed, `sliders.trials` trials a cell (at most
/// `opts.trials`, the run's). `progress(done, total)` counts cells.
pub fn slider_grid(
    scenario: &Scenario,
    sliders: &Sliders,
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, usize),
) -> Result<SliderGrid, Error> {
    let axes: Vec<Axis> = sliders.sliders.iter().map(|s| Axis { path: s.path(), values: s.values.clone() }).collect();
    let design = points(&axes, Design::Grid);
    let trials = sliders.trials.min(opts.trials).max(1);
    let plan = Plan::new(scenario);
    let months = fan_months(plan.deadline);
    let copts = RunOptions { trials, precision: None, ..*opts };
    let spec = GridSpec { axes: &axes, points: &design };
    let cells = lever_grid(scenario, &spec, &copts, cancel, progress, |point, p, agg| cell(point, p, agg, &months))?;
    Ok(SliderGrid {
        trials,
        seed: opts.seed,
        levers: sliders
            .sliders
            .iter()
            .map(|s| SliderLever {
                name: s.def.name.to_string(),
                values: s.values.clone(),
                scenario_value: scenario.levers.value(s.def.name),
            })
            .collect(),
        targets: TargetId::ALL
            .iter()
            .enumerate()
            .filter_map(|(m, id)| plan.thresholds[m].map(|threshold| SliderTarget { id: *id, threshold }))
            .collect(),
        months: months.iter().map(|&t| plan.month_label(t)).collect(),
        cells,
        note: sliders.note.clone(),
        note_zh: sliders.note_zh.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;
    use crate::seeds::Seeds;

    #[test]
    fn the_cell_at_the_scenarios_own_values_is_the_run_on_the_same_trials() {
        let scenario = crate::scenario::load(&ScenarioSource::from_arg("baseline"), &[], &Seeds::embedded()).unwrap();
        let mut sliders = scenario.report.sliders.clone().expect("the baseline chooses sliders");
        sliders.trials = 300;
        let opts = RunOptions { trials: 2000, seed: 11, threads: 1, precision: None };
        let cancel = AtomicBool::new(false);
        let grid = slider_grid(&scenario, &sliders, &opts, &cancel, &|_, _| {}).unwrap();
        assert_eq!(grid.trials, 300);
        assert_eq!(grid.cells.len(), sliders.cells());
        assert_eq!(grid.months.last(), Some(&scenario.target_set.deadline));
        // the baseline's levers are off: the first value of every slider, the first cell
        let own: Vec<f64> = grid.levers.iter().map(|l| l.scenario_value).collect();
        assert_eq!(grid.cells[0].values, own);
        assert_eq!(grid.cell(&vec![0; grid.levers.len()]), Some(&grid.cells[0]));
        let plan = Plan::new(&scenario);
        let agg = crate::engine::run(&plan, &RunOptions { trials: 300, ..opts }, &cancel, &|_, _| {}).unwrap();
        assert_eq!(grid.cells[0].all.p_met, agg.all_met.estimate());
        for (t, m) in grid.targets.iter().zip(grid.cells[0].targets.iter()) {
            let k = TargetId::ALL.iter().position(|x| *x == t.id).unwrap();
            assert_eq!(m.p_met, agg.met[k].estimate(), "{:?}", t.id);
            assert_eq!(m.fan.len(), grid.months.len());
            assert!(m.fan.iter().all(|b| b[0] <= b[1] && b[1] <= b[2]));
        }
        // the last cell (every lever at its highest value) is another future: parks are
        // delivered no later with approvals and renovations faster
        let last = grid.cells.last().unwrap();
        assert!(last.targets[0].p_met >= grid.cells[0].targets[0].p_met);
        assert_eq!(grid.cell(&grid.levers.iter().map(|l| l.values.len() - 1).collect::<Vec<_>>()), Some(last));
        assert_eq!(grid.cell(&[99, 0]), None);
    }

    #[test]
    fn fan_months_step_back_from_the_deadline() {
        assert_eq!(fan_months(7), [1, 4, 7]);
        assert_eq!(fan_months(6), [0, 3, 6]);
        assert_eq!(fan_months(0), [0]);
    }
}
