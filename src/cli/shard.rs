//! `parkcast run --shard I/N`: this machine's share of a run's chunks, written as one partial
//! file for `parkcast merge` (docs/scale-out.md).

use super::args::RunArgs;
use super::run::{check_seed, threads, DEFAULT_CRITICALITY_TRIALS};
use crate::engine::cost::Cost;
use crate::engine::shard::{self, Shard};
use crate::engine::{budget, RunOptions};
use crate::model::Plan;
use crate::report::export::partial::{PartHeader, PartWriter, RunCommand};
use crate::seeds::Seeds;
use crate::Error;
use std::path::PathBuf;
use std::time::Instant;

/// Refuses the flags a shard cannot honour.
fn refuse_flags(args: &RunArgs, spec: &str) -> Result<(), Error> {
    let refused = [
        (
            args.precision.is_some(),
            "--precision",
            "a run that stops at a precision needs every earlier chunk before it can decide; give --trials",
        ),
        (
            args.two_level.two_level || args.two_level.outer.is_some() || args.two_level.inner.is_some(),
            "--two-level",
            "two-level runs are not sharded",
        ),
        (args.no_write, "--no-write", "a shard's only result is its partial file"),
        (args.json, "--json", "a shard has no summary; `parkcast merge --json` prints it"),
    ];
    match refused.iter().find(|(given, _, _)| *given) {
        Some((_, flag, why)) => Err(Error::Usage(format!("--shard {spec} cannot be combined with {flag}: {why}"))),
        None => Ok(()),
    }
}

pub fn run(seeds: &Seeds, args: &RunArgs, spec: &str) -> Result<(), Error> {
    refuse_flags(args, spec)?;
    let shard = Shard::parse(spec, &|name| std::env::var(name).ok()).map_err(|e| Error::Usage(e.to_string()))?;
    let threads = threads(args.threads)?;
    check_seed(args.seed)?;
    let scenario = args.load(seeds)?;
    super::print_warnings(&scenario.warnings);
    let trials = scenario.settings.trials;
    shard.check_fits(trials).map_err(|e| Error::Usage(e.to_string()))?;
    let plan = Plan::new(&scenario);
    let chunks = shard.chunks(trials);
    let mine: u64 =
        chunks.iter().map(|&c| crate::engine::CHUNK_TRIALS.min(trials - c * crate::engine::CHUNK_TRIALS)).sum();
    let what = format!("--shard {spec} ({} of {} trials)", budget::group(mine), budget::group(trials));
    budget::MemoryNeed::new(mine, 1, budget::RUN_BYTES_PER_TRIAL)
        .check(budget::available_memory().as_ref())
        .map_err(|e| Error::Usage(format!("{what}: {e}; use more shards")))?;
    let dir = args.out.clone().unwrap_or_else(|| {
        let name = super::out_name::with_overrides(&scenario.dir_name(), &args.scenario.overrides);
        PathBuf::from("outputs").join(format!("{name}-parts"))
    });
    super::confirm::confirm(
        &Cost::new(mine, format!("shard {} of {}", shard.index + 1, shard.count), threads),
        &what,
        args.yes,
    )?;
    let opts = RunOptions { trials, seed: scenario.settings.seed, threads, precision: None };
    errln!(
        "parkcast {}: scenario {} ({}), shard {} of {}: {} of {} trials (chunks {}), seed {}, {} threads",
        env!("CARGO_PKG_VERSION"),
        scenario.name,
        scenario.hash,
        shard.index + 1,
        shard.count,
        mine,
        trials,
        chunk_list(&chunks),
        opts.seed,
        threads
    );
    let header = PartHeader {
        parkcast_version: env!("CARGO_PKG_VERSION").into(),
        kind: "run".into(),
        scenario: scenario.name.clone(),
        scenario_hash: scenario.hash.clone(),
        seed: opts.seed,
        trials,
        sampling: scenario.settings.sampling.name().into(),
        chunk_trials: crate::engine::CHUNK_TRIALS,
        shard: shard.index + 1,
        shards: shard.count,
        command: Some(RunCommand {
            scenario: args.scenario.scenario.clone(),
            set: args.scenario.overrides.clone(),
            flags: args.flag_overrides().into_iter().map(|(set, _)| set).collect(),
            criticality_trials: args.criticality_trials.unwrap_or(DEFAULT_CRITICALITY_TRIALS),
            effect_trials: args.effect_trials.unwrap_or(super::run_extras::DEFAULT_EFFECT_TRIALS),
            with_tornado: args.with_tornado,
            langs: args.lang.langs().iter().map(|l| l.code().to_string()).collect(),
        }),
        design: None,
        wall_seconds: 0.0,
    };
    let started = Instant::now();
    let mut part = PartWriter::new(header);
    let bar = super::progress::Bar::new(mine);
    super::catch_interrupts();
    let ran = shard::run_chunks(&plan, &opts, &chunks, &super::INTERRUPTED, &|done, _| bar.set(done), &mut |c, agg| {
        part.add(c, &agg)
    });
    bar.finish();
    ran.map_err(super::run_failed)?;
    part.wall_seconds(started.elapsed().as_secs_f64());
    let path = part.write(&dir).map_err(|e| Error::Runtime(e.to_string()))?;
    errln!("wrote {} in {:.1} s", path.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// `0, 4, 8` — or `0, 4, …, 96` when long.
pub(super) fn chunk_list(chunks: &[u64]) -> String {
    let shown: Vec<String> = chunks.iter().map(u64::to_string).collect();
    match shown.len() {
        0..=4 => shown.join(", "),
        n => format!("{}, {}, …, {}", shown[0], shown[1], shown[n - 1]),
    }
}
