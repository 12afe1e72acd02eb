//! `parkcast sweep --vary PATH=VALUES …`: a multi-lever sweep over a grid or a Latin hypercube.

use super::args::{DesignArg, SweepArgs};
use super::design_shard::{DesignShape, DesignShard};
use super::whatif::{
    chart_dir, check_out, check_values, common, confirm_evaluations, parse_target, source, write_outputs,
};
use crate::engine::codec::Writer;
use crate::engine::design_codec;
use crate::report::charts::{render, HeatMapChart};
use crate::report::export::csv_packages::write_grid;
use crate::report::export::partial::Part;
use crate::report::export::ExportError;
use crate::report::format::percent;
use crate::report::table::{Align, TextTable};
use crate::scenario::Scenario;
use crate::seeds::{Seeds, TargetId};
use crate::whatif::{self, Axis, Design, GridRow, TargetChoice, MAX_POINTS};
use crate::Error;

/// The most values one axis of a grid takes.
const MAX_AXIS_VALUES: usize = 100;

/// `--vary PATH=VALUES`: the values as a list, LO:HI:STEPS, or (Latin hypercube) LO:HI.
fn axis(text: &str, lhs: bool) -> Result<Axis, Error> {
    let Some((path, values)) = text.split_once('=') else {
        return Err(Error::Usage(format!(
            "--vary {text}: expected PATH=VALUES, e.g. levers.parallel_approvals.value=0,3,6 or =0:12:5{}",
            if lhs { " (with --design lhs: PATH=LO:HI)" } else { "" }
        )));
    };
    let flag = format!("--vary {path}=");
    let path = path.trim().to_string();
    let values = if lhs {
        let (lo, hi) = super::typed::bounds(&flag, &values.replace(':', ",")).map_err(|_| {
            Error::Usage(format!(
                "--vary {text}: with --design lhs give PATH=LO:HI with LO < HI, e.g. levers.special_fund.value=0:0.5"
            ))
        })?;
        vec![lo, hi]
    } else if values.contains(':') {
        super::typed::range(&flag, values, MAX_AXIS_VALUES)?
    } else {
        super::typed::list(&flag, values)?
    };
    Ok(Axis { path, values })
}

/// The scenario's own value of a lever path (`levers.<name>.value`), to mark the status quo.
fn status_quo(s: &Scenario, path: &str) -> Option<f64> {
    let name = path.strip_prefix("levers.")?.strip_suffix(".value")?;
    s.levers.settings.iter().find(|l| l.def.name == name).map(|l| l.value)
}

pub fn grid_sweep(seeds: &Seeds, args: &SweepArgs) -> Result<(), Error> {
    grid_sweep_with(seeds, args, None)
}

/// A multi-lever sweep, or with `--shard` one shard of its points, or (`merged`: the checked
/// parts of its shards, from `parkcast merge`) its outputs from the points the shards evaluated.
pub(super) fn grid_sweep_with(seeds: &Seeds, args: &SweepArgs, merged: Option<&[Part]>) -> Result<(), Error> {
    let src = source(&args.scenario);
    let lhs = args.design == DesignArg::Lhs;
    let axes: Vec<Axis> = args.vary.iter().map(|v| axis(v, lhs)).collect::<Result<_, _>>()?;
    if axes.len() < 2 {
        return Err(Error::Usage(format!(
            "--vary {}: a multi-lever sweep varies two or more paths (repeat --vary); for one, use --param {} with --values or --range",
            args.vary[0],
            axes[0].path
        )));
    }
    for (i, a) in axes.iter().enumerate() {
        if axes[..i].iter().any(|b| b.path == a.path) {
            return Err(Error::Usage(format!("--vary {}: the path is varied twice; give each path once", a.path)));
        }
    }
    let design = match (lhs, args.points) {
        (true, Some(n)) if (2..=MAX_POINTS).contains(&n) => Design::Lhs { points: n, seed: 0 },
        (true, Some(n)) => {
            return Err(Error::Usage(format!("--points {n}: a Latin hypercube has 2 to {MAX_POINTS} points")))
        }
        (true, None) => {
            return Err(Error::Usage(format!(
                "--design lhs needs --points N, the number of points (2 to {MAX_POINTS})"
            )))
        }
        (false, Some(_)) => {
            return Err(Error::Usage("--points is for --design lhs; a grid takes every combination".into()))
        }
        (false, None) => Design::Grid,
    };
    let count = match design {
        Design::Grid => axes.iter().try_fold(1usize, |n, a| n.checked_mul(a.values.len())).unwrap_or(usize::MAX),
        Design::Lhs { points, .. } => points,
    };
    if count > MAX_POINTS {
        return Err(Error::Usage(format!(
            "--vary: {count} grid points, more than the {MAX_POINTS} a sweep may have; give fewer values, or --design lhs --points N"
        )));
    }
    let target = parse_target(&args.target)?;
    let scenario = crate::scenario::load(&src, &args.common.overrides, seeds)?;
    for a in &axes {
        whatif::check_param_path(&a.path, &scenario)?;
        let shown = a.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",");
        check_values(&src, &args.common.overrides, &a.path, &a.values, &format!("--vary {}={shown}", a.path), seeds)?;
    }
    let sharded = args.shard.as_deref().filter(|_| merged.is_none());
    // the evaluations run here: a shard's points, none for a merge
    let here = match (sharded, merged) {
        (Some(spec), _) => {
            let shard = crate::engine::shard::Shard::parse(spec, &|name| std::env::var(name).ok())
                .map_err(|e| Error::Usage(e.to_string()))?;
            shard.share(count as u64).len()
        }
        (None, Some(_)) => 0,
        (None, None) => count,
    };
    let c = common(&args.common, &src, seeds, Some(20_000), (here as u64, 1))?;
    // a Latin hypercube is drawn from the run's seed, so the same command gives the same design
    let design = match design {
        Design::Lhs { points, .. } => Design::Lhs { points, seed: c.seed },
        d => d,
    };
    let points = whatif::design_points(&axes, design);
    let shape = DesignShape {
        kind: "sweep",
        scenario: &scenario,
        seed: c.seed,
        trials: c.trials,
        chunk_trials: c.trials,
        chunks: count as u64,
        chunks_text: format!("{} of {count} points", if lhs { "a Latin hypercube" } else { "a grid" }),
        args: super::design_shard::sweep_args(args),
    };
    let plan = crate::model::Plan::new(&scenario);
    let targets: Vec<Option<usize>> =
        (0..TargetId::ALL.len()).filter(|&m| plan.thresholds[m].is_some()).map(Some).chain([None]).collect();
    if let Some(spec) = sharded {
        let mut shard = DesignShard::new(spec, &shape, &args.out)?;
        confirm_evaluations(shard.chunks.len() as u64, &c, &args.common)?;
        super::catch_interrupts();
        for (k, &i) in shard.chunks.clone().iter().enumerate() {
            let point = &points[i as usize];
            let hits =
                whatif::evaluate_point(&src, &args.common.overrides, &axes, point, seeds, c, &super::INTERRUPTED)?;
            let mut w = Writer::default();
            design_codec::encode_point(&mut w, point, &hits);
            shard.add(i, w);
            errln!("  {}/{} points done", k + 1, shard.chunks.len());
        }
        return shard.write();
    }
    let out = check_out(&args.out, "outputs/sweep", "sweep")?;
    let rows = match merged {
        Some(parts) => {
            super::design_shard::check_parts(parts, &shape)?;
            let hits = super::design_shard::decode_all(parts, |i, r| {
                design_codec::decode_point(r, &points[i as usize], &targets, c.trials)
            })?;
            hits.iter().enumerate().flat_map(|(i, h)| whatif::point_rows(i, &points[i], h)).collect()
        }
        None => {
            confirm_evaluations(count as u64, &c, &args.common)?;
            super::catch_interrupts();
            errln!(
                "sweeping {} paths over {} points ({}): {} trials each, seed {}",
                axes.len(),
                points.len(),
                if lhs { "Latin hypercube" } else { "grid" },
                c.trials,
                c.seed
            );
            whatif::grid_sweep(
                &src,
                &args.common.overrides,
                &whatif::GridSpec { axes: &axes, points: &points },
                seeds,
                c,
                &super::INTERRUPTED,
                &|done, all| errln!("  {done}/{all} points done"),
            )?
        }
    };
    outln!(
        "P(met) at each point (common random numbers: the same {} trials, seed {}; ± = half-width of the 95% interval, points).",
        c.trials,
        c.seed
    );
    out!("{}", table(&axes, &rows).render());
    let marks: Vec<Option<f64>> = axes.iter().map(|a| status_quo(&scenario, &a.path)).collect();
    write_outputs(&out, |dir| {
        let design = if lhs { "lhs" } else { "grid" };
        write_grid(&dir.join("sweep_grid.csv"), &axes, &rows, design)?;
        let sheet = crate::report::workbook::grid_sheet(&axes, &rows, design, c.trials, c.seed);
        crate::report::workbook::write_tables(&dir.join(crate::report::workbook::FILE), "sweep --vary", &[sheet])?;
        if axes.len() == 2 && !lhs {
            let t = match target {
                TargetChoice::One(id) => Some(id),
                TargetChoice::All => None,
            };
            for lang in args.lang.langs() {
                let chart =
                    HeatMapChart { axes: &axes, rows: &rows, target: t, status_quo: [marks[0], marks[1]], lang };
                render(&chart, lang, &chart_dir(dir, lang)?).map_err(|e| ExportError::new(dir, e))?;
            }
        }
        Ok(())
    })?;
    let kind = if lhs { "sweep --vary (Latin hypercube)" } else { "sweep --vary (grid)" };
    super::runs::register_analysis(
        kind,
        &scenario,
        &args.common.overrides,
        c.trials,
        vec![],
        variants(&axes, &rows, &scenario.name),
        &out.shown,
    );
    Ok(())
}

/// Each point of the design as a catalogue variant: `a=1, b=2` and its P(met).
fn variants(axes: &[Axis], rows: &[GridRow], scenario: &str) -> Vec<crate::catalogue::Variant> {
    let points = rows.last().map(|r| r.point + 1).unwrap_or(0);
    (0..points)
        .map(|p| {
            let at: Vec<&GridRow> = rows.iter().filter(|r| r.point == p).collect();
            let label = axes
                .iter()
                .zip(&at[0].values)
                .map(|(a, v)| format!("{}={}", a.path, (v * 1e6).round() / 1e6))
                .collect::<Vec<_>>()
                .join(", ");
            let p_met = super::runs::p_met_of(at.iter().map(|r| (r.target, r.p_met)));
            super::runs::variant(label, scenario, p_met, format!("point {p}"))
        })
        .collect()
}

fn table(axes: &[Axis], rows: &[GridRow]) -> TextTable {
    let mut targets = Vec::new();
    for r in rows {
        if !targets.contains(&r.target) {
            targets.push(r.target);
        }
    }
    let mut headers: Vec<(String, Align)> = vec![("point".into(), Align::Right)];
    headers.extend(axes.iter().map(|a| (a.path.clone(), Align::Right)));
    headers
        .extend(targets.iter().map(|t| (t.map(|t| t.key().to_string()).unwrap_or_else(|| "all".into()), Align::Right)));
    let refs: Vec<(&str, Align)> = headers.iter().map(|(h, a)| (h.as_str(), *a)).collect();
    let mut t = TextTable::new(&refs);
    let points = rows.last().map(|r| r.point + 1).unwrap_or(0);
    for p in 0..points {
        let at: Vec<&GridRow> = rows.iter().filter(|r| r.point == p).collect();
        let mut cells = vec![p.to_string()];
        cells.extend(at[0].values.iter().map(|v| format!("{}", (v * 1e6).round() / 1e6)));
        cells.extend(at.iter().map(|r| format!("{} (±{:.1})", percent(r.p_met), r.ci.half_width() * 100.0)));
        t.row(cells);
    }
    t
}
