//! Splitting a run across machines. A run is a fixed sequence of chunks of
//! [`CHUNK_TRIALS`] trials whose aggregates are merged in chunk order; shard `i` of `n`
//! (0-based here, shown 1-based) computes the chunks `c` with `c mod n = i` and keeps each
//! chunk's aggregate separately, so a merge can fold all chunks in chunk order exactly as one
//! machine does ([`fold`]) and give the same bits.

use super::aggregate::Aggregate;
use super::run::{run_chunk, RunError, RunOptions, CHUNK_TRIALS};
use crate::model::Plan;
use rayon::prelude::*;
use std::sync::atomic::AtomicBool;

/// One shard of a run: `index` of `count`, 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// The most shards a run may be split into.
pub const MAX_SHARDS: u32 = 9_999;

/// A shard that cannot be run: the message names what was given and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ShardError(pub String);

/// Where the shard index comes from.
const SPEC_HELP: &str = "give I/N (shard I of N, 1-based, e.g. 3/4), slurm (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT) or k8s/N (JOB_COMPLETION_INDEX, 0-based, of N)";

fn number(text: &str, what: &str, spec: &str) -> Result<u32, ShardError> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| ShardError(format!("--shard {spec}: {what} {text:?} is not a whole number; {SPEC_HELP}")))
}

impl Shard {
    /// Reads `--shard`: `I/N` (1-based), `slurm`, or `k8s/N`; `env` looks up environment
    /// variables (`std::env::var` in the binary).
    pub fn parse(spec: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let var = |name: &str| {
            env(name).ok_or_else(|| ShardError(format!("--shard {spec}: the environment variable {name} is not set")))
        };
        let env_number = |name: &str| -> Result<u32, ShardError> {
            let v = var(name)?;
            v.trim()
                .parse::<u32>()
                .map_err(|_| ShardError(format!("--shard {spec}: {name}={v:?} is not a whole number")))
        };
        let shard = if spec == "slurm" {
            let (id, min, count) = (
                env_number("SLURM_ARRAY_TASK_ID")?,
                env_number("SLURM_ARRAY_TASK_MIN")?,
                env_number("SLURM_ARRAY_TASK_COUNT")?,
            );
            if id < min {
                return Err(ShardError(format!(
                    "--shard slurm: SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"
                )));
            }
            // `--array=1-4` and `--array=0-3` both give shards 0..3; a stepped or sparse array
            // (`--array=0-6:2`) has ids beyond the count and is refused below
            Shard { index: id - min, count }
        } else if let Some(n) = spec.strip_prefix("k8s/") {
            let count = number(n, "the shard count", spec)?;
            Shard { index: env_number("JOB_COMPLETION_INDEX")?, count }
        } else if let Some((i, n)) = spec.split_once('/') {
            let (i, count) = (number(i, "the shard", spec)?, number(n, "the shard count", spec)?);
            if i == 0 {
                return Err(ShardError(format!("--shard {spec}: shards are numbered from 1 to {count}; {SPEC_HELP}")));
            }
            Shard { index: i - 1, count }
        } else {
            return Err(ShardError(format!("--shard {spec:?}: {SPEC_HELP}")));
        };
        if shard.count == 0 || shard.count > MAX_SHARDS {
            return Err(ShardError(format!(
                "--shard {spec}: the shard count must be 1 to {MAX_SHARDS}, not {}",
                shard.count
            )));
        }
        if shard.index >= shard.count {
            return Err(ShardError(format!(
                "--shard {spec}: shard {} of {} does not exist (shards are 1 to {})",
                shard.index + 1,
                shard.count,
                shard.count
            )));
        }
        Ok(shard)
    }

    /// Checks that a run of `trials` has at least one chunk for every shard.
    pub fn check_fits(&self, trials: u64) -> Result<(), ShardError> {
        let chunks = chunk_count(trials);
        if u64::from(self.count) > chunks {
            return Err(ShardError(format!(
                "--shard {}/{}: {} trials make {chunks} chunk{} of {}, fewer than {} shards; use at most {chunks} shards or more trials",
                self.index + 1,
                self.count,
                super::budget::group(trials),
                if chunks == 1 { "" } else { "s" },
                super::budget::group(CHUNK_TRIALS),
                self.count
            )));
        }
        Ok(())
    }

    /// The chunks of a run of `trials` this shard computes, in order.
    pub fn chunks(&self, trials: u64) -> Vec<u64> {
        self.share(chunk_count(trials))
    }

    /// This shard's chunks of `total` (a run's, or a design's: Sobol blocks, sweep points),
    /// round robin, in order.
    pub fn share(&self, total: u64) -> Vec<u64> {
        (u64::from(self.index)..total).step_by(self.count as usize).collect()
    }

    /// The shard that computes `chunk`.
    pub fn owner(chunk: u64, count: u32) -> u32 {
        (chunk % u64::from(count)) as u32
    }
}

/// Chunks in a run of `trials`.
pub fn chunk_count(trials: u64) -> u64 {
    trials.div_ceil(CHUNK_TRIALS)
}

/// Runs the chunks `chunks` of the run `opts` (no `precision`: a run that stops early needs
/// every earlier chunk) in parallel, a few at a time, and hands each chunk's aggregate to
/// `keep` in the order of `chunks` (so a shard holds at most a batch of dense aggregates; the
/// partial writer stores each one compactly at once). `progress(done, total)` counts trials.
pub fn run_chunks(
    plan: &Plan,
    opts: &RunOptions,
    chunks: &[u64],
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
    keep: &mut dyn FnMut(u64, Aggregate),
) -> Result<(), RunError> {
    assert!(opts.precision.is_none(), "a sharded run has a fixed number of trials");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| RunError::Threads { threads: opts.threads, message: e.to_string() })?;
    let size = |c: u64| CHUNK_TRIALS.min(opts.trials - c * CHUNK_TRIALS);
    let total: u64 = chunks.iter().map(|&c| size(c)).sum();
    let mut done = 0;
    for batch in chunks.chunks(super::CHUNKS_PER_BATCH as usize) {
        let results: Vec<Option<Aggregate>> = pool.install(|| {
            batch.par_iter().map(|&c| run_chunk(plan, opts.seed, c * CHUNK_TRIALS, size(c), None, cancel)).collect()
        });
        for (&c, r) in batch.iter().zip(results) {
            let agg = r.ok_or(RunError::Interrupted { done, total })?;
            done += agg.trials;
            keep(c, agg);
            progress(done, total);
        }
    }
    Ok(())
}

/// Folds chunk aggregates, given in chunk order, as [`super::run`] does (from an empty
/// aggregate, one chunk after another): the same bits. Stops at the first error.
pub fn try_fold<E>(plan: &Plan, chunks: impl IntoIterator<Item = Result<Aggregate, E>>) -> Result<Aggregate, E> {
    let mut total = Aggregate::new(plan);
    for agg in chunks {
        total.merge(agg?);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load, ScenarioSource};
    use crate::seeds::Seeds;
    use std::collections::HashMap;

    fn parse(spec: &str, vars: &[(&str, &str)]) -> Result<Shard, ShardError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Shard::parse(spec, &|k| vars.get(k).cloned())
    }

    #[test]
    fn specs_are_one_based_and_checked() {
        assert_eq!(parse("3/4", &[]), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(parse("1/1", &[]), Ok(Shard { index: 0, count: 1 }));
        for bad in ["0/4", "5/4", "4/0", "a/4", "3/x", "3", "-1/4", "1/10000", ""] {
            assert!(parse(bad, &[]).is_err(), "{bad}");
        }
        assert!(parse("0/4", &[]).unwrap_err().0.contains("numbered from 1 to 4"));
    }

    #[test]
    fn slurm_counts_from_the_array_minimum_and_k8s_from_zero() {
        let slurm = |id, min, count| {
            parse(
                "slurm",
                &[("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_COUNT", count)],
            )
        };
        assert_eq!(slurm("1", "1", "4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(slurm("3", "0", "4"), Ok(Shard { index: 3, count: 4 }));
        assert!(slurm("4", "0", "4").is_err());
        assert!(slurm("0", "1", "4").is_err());
        assert!(parse("slurm", &[("SLURM_ARRAY_TASK_ID", "1")]).unwrap_err().0.contains("SLURM_ARRAY_TASK_MIN"));
        assert_eq!(parse("k8s/4", &[("JOB_COMPLETION_INDEX", "3")]), Ok(Shard { index: 3, count: 4 }));
        assert!(parse("k8s/4", &[("JOB_COMPLETION_INDEX", "4")]).is_err());
        assert!(parse("k8s/4", &[]).unwrap_err().0.contains("JOB_COMPLETION_INDEX is not set"));
    }

    #[test]
    fn every_chunk_has_exactly_one_shard() {
        let trials = 95_000; // 10 chunks, the last one short
        let mut seen: Vec<u64> = (0..3).flat_map(|i| Shard { index: i, count: 3 }.chunks(trials)).collect();
        seen.sort();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert!(Shard { index: 0, count: 11 }.check_fits(trials).is_err());
        assert!(Shard { index: 0, count: 10 }.check_fits(trials).is_ok());
    }

    #[test]
    fn shards_folded_in_chunk_order_equal_one_run() {
        let seeds = Seeds::embedded();
        let s = load(&ScenarioSource::Embedded("baseline.toml"), &[], &seeds).unwrap();
        let plan = Plan::new(&s);
        let opts = RunOptions { trials: 2 * CHUNK_TRIALS + 500, seed: 11, threads: 2, precision: None };
        let cancel = AtomicBool::new(false);
        let whole = super::super::run(&plan, &opts, &cancel, &|_, _| {}).unwrap();
        let mut chunks = Vec::new();
        for i in 0..2 {
            let mine = Shard { index: i, count: 2 }.chunks(opts.trials);
            run_chunks(&plan, &opts, &mine, &cancel, &|_, _| {}, &mut |c, a| chunks.push((c, a))).unwrap();
        }
        chunks.sort_by_key(|(c, _)| *c);
        let merged = try_fold::<()>(&plan, chunks.into_iter().map(|(_, a)| Ok(a))).unwrap();
        assert_eq!(merged, whole);
    }
}
