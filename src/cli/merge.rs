//! `parkcast merge PARTS… --out DIR`: the outputs of a sharded run from its partial files,
//! the same as `parkcast run` of the same command writes on one machine (docs/scale-out.md).
//! Parts of a Sobol design or a multi-lever sweep go to [`super::design_shard::merge`].

use super::args::ScenarioArgs;
use super::run::{check_out, finish, threads, Finish};
use crate::engine::{budget, RunOptions};
use crate::model::Plan;
use crate::report::charts::Lang;
use crate::report::export::partial::{self, Part, PartError};
use crate::seeds::Seeds;
use crate::Error;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `parkcast merge`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The partial files of every shard (part-IIII-of-NNNN.pcpart), in any order, or folders
    /// holding them.
    #[arg(value_name = "PARTS", required = true)]
    pub parts: Vec<PathBuf>,
    /// Output directory (default: the one the command of the parts uses on one machine).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads for the criticality trials (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Print the summary as one JSON document on standard output instead of the tables.
    #[arg(long)]
    pub json: bool,
}

fn usage(e: PartError) -> Error {
    Error::Usage(e.to_string())
}

/// The partial files named: files as given, folders as the `.pcpart` files in them (sorted).
fn part_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut paths = Vec::new();
    for p in given {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::Usage(format!("{}: cannot list it: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == partial::EXTENSION) && f.is_file())
                .collect();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: a folder without partial files (*.{})",
                    p.display(),
                    partial::EXTENSION
                )));
            }
            found.sort();
            paths.extend(found);
        } else {
            paths.push(p.clone());
        }
    }
    Ok(paths)
}

pub fn merge(seeds: &Seeds, args: &MergeArgs) -> Result<(), Error> {
    let started = Instant::now();
    let threads = threads(args.threads)?;
    let parts: Vec<Part> =
        part_paths(&args.parts)?.iter().map(|p| partial::read(p)).collect::<Result<_, _>>().map_err(usage)?;
    partial::check_set(&parts).map_err(usage)?;
    let first = &parts[0];
    let h = &first.header;
    if h.parkcast_version != env!("CARGO_PKG_VERSION") {
        return Err(Error::Usage(format!(
            "{}: written by parkcast {}; merge with that version (this is {})",
            first.name(),
            h.parkcast_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    if h.kind != "run" {
        return super::design_shard::merge(seeds, args, &parts);
    }
    let Some(cmd) = &h.command else {
        return Err(Error::Usage(format!("{}: a run's part without its run command", first.name())));
    };
    let source = ScenarioArgs { scenario: cmd.scenario.clone(), overrides: cmd.set.clone() }.source();
    let overrides: Vec<String> = cmd.set.iter().chain(&cmd.flags).cloned().collect();
    let scenario = crate::scenario::load(&source, &overrides, seeds).map_err(|e| {
        Error::Usage(format!("{}: the scenario of the parts ({}) does not load here: {e}", first.name(), h.scenario))
    })?;
    super::print_warnings(&scenario.warnings);
    if scenario.hash != h.scenario_hash {
        return Err(Error::Usage(format!(
            "{}: the shards ran scenario {} with hash {}, but it loads here as {}: its files or the seeds (--seeds) changed since; merge where the shards ran, or run them again",
            first.name(),
            h.scenario,
            h.scenario_hash,
            scenario.hash
        )));
    }
    let langs: Vec<Lang> = cmd
        .langs
        .iter()
        .map(|l| match l.as_str() {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(Error::Usage(format!("{}: unknown language {other:?} in its header", first.name()))),
        })
        .collect::<Result<_, _>>()?;
    let plan = Plan::new(&scenario);
    // every chunk decoded before anything is claimed or written
    let agg = partial::fold(&parts, &plan).map_err(usage)?;
    let name = super::out_name::with_overrides(&scenario.dir_name(), &cmd.set);
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(name));
    let what = match &args.out {
        Some(o) => format!("--out {}", o.display()),
        None => format!("output directory {}", out.display()),
    };
    let claimed =
        check_out(&out, &what, "run", budget::OUTPUT_FIXED_BYTES + budget::OUTPUT_BYTES_PER_TRIAL * h.trials)?;
    errln!(
        "parkcast {}: merging {} shards of scenario {} ({}), {} trials, seed {}",
        env!("CARGO_PKG_VERSION"),
        h.shards,
        scenario.name,
        scenario.hash,
        h.trials,
        h.seed
    );
    let opts = RunOptions { trials: h.trials, seed: h.seed, threads, precision: None };
    super::catch_interrupts();
    finish(
        Finish {
            scenario: &scenario,
            plan: &plan,
            opts,
            overrides,
            set: &cmd.set,
            criticality_trials: cmd.criticality_trials,
            effect_trials: cmd.effect_trials,
            with_tornado: cmd.with_tornado,
            seeds,
            command: "merge",
            json: args.json,
            langs,
            claimed: Some(claimed),
            out: &out,
            started,
        },
        agg,
    )
}
