//! Sharded designs (docs/scale-out.md): `parkcast sobol --shard I/N` and
//! `parkcast sweep --vary … --shard I/N` evaluate their share of the design's chunks — blocks of
//! a Sobol design's base points, or sweep points, round robin — and write them as one partial
//! file; `parkcast merge` of the parts parses the recorded command again and does what the
//! command does after its design is evaluated, with the parts' outputs in design order.

use super::args::{Cli, Command, SobolArgs, SweepArgs};
use super::merge::MergeArgs;
use crate::engine::codec;
use crate::engine::shard::Shard;
use crate::report::export::partial::{self, DesignCommand, Part, PartHeader, PartWriter};
use crate::scenario::Scenario;
use crate::seeds::Seeds;
use crate::Error;
use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::time::Instant;

/// A design shard being evaluated: which one, its chunks and where its part goes.
pub(super) struct DesignShard {
    /// This shard's chunks of the design, in order.
    pub chunks: Vec<u64>,
    pub dir: PathBuf,
    started: Instant,
    part: PartWriter,
}

/// What a sharded design is: the numbers its part's header records.
pub(super) struct DesignShape<'a> {
    /// `sobol` or `sweep`.
    pub kind: &'static str,
    pub scenario: &'a Scenario,
    pub seed: u64,
    /// Rows of the whole design (`sobol`) or trials per point (`sweep`).
    pub trials: u64,
    /// Trials per chunk.
    pub chunk_trials: u64,
    /// Chunks of the whole design.
    pub chunks: u64,
    /// `chunks` described for messages ("4 blocks of 16 base points").
    pub chunks_text: String,
    /// The canonical arguments of the command.
    pub args: Vec<String>,
}

impl DesignShard {
    /// Reads `--shard SPEC` for a design of `shape.chunks` chunks (every shard needs one), and
    /// starts its part; `out` is `--out`, the folder of the parts (default `outputs/KIND-parts`).
    pub fn new(spec: &str, shape: &DesignShape, out: &Option<PathBuf>) -> Result<DesignShard, Error> {
        let shard = Shard::parse(spec, &|name| std::env::var(name).ok()).map_err(|e| Error::Usage(e.to_string()))?;
        if u64::from(shard.count) > shape.chunks {
            return Err(Error::Usage(format!(
                "--shard {}/{}: {}, fewer than {} shards; use at most {} shards",
                shard.index + 1,
                shard.count,
                shape.chunks_text,
                shard.count,
                shape.chunks
            )));
        }
        let s = shape.scenario;
        let header = PartHeader {
            parkcast_version: env!("CARGO_PKG_VERSION").into(),
            kind: shape.kind.into(),
            scenario: s.name.clone(),
            scenario_hash: s.hash.clone(),
            seed: shape.seed,
            trials: shape.trials,
            sampling: s.settings.sampling.name().into(),
            chunk_trials: shape.chunk_trials,
            shard: shard.index + 1,
            shards: shard.count,
            command: None,
            design: Some(DesignCommand { chunks: shape.chunks, args: shape.args.clone() }),
            wall_seconds: 0.0,
        };
        let dir = out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-parts", shape.kind)));
        let chunks = shard.share(shape.chunks);
        errln!(
            "parkcast {}: {} of scenario {} ({}), shard {} of {}: {} of {} (chunks {}), seed {}",
            env!("CARGO_PKG_VERSION"),
            shape.kind,
            s.name,
            s.hash,
            shard.index + 1,
            shard.count,
            chunks.len(),
            shape.chunks_text,
            super::shard::chunk_list(&chunks),
            shape.seed
        );
        Ok(DesignShard { chunks, dir, started: Instant::now(), part: PartWriter::new(header) })
    }

    /// Adds chunk `index`'s encoded payload (in the order of [`DesignShard::chunks`]).
    pub fn add(&mut self, index: u64, payload: codec::Writer) {
        self.part.add_payload(index, &payload.0);
    }

    /// Writes the part (whole or not at all).
    pub fn write(mut self) -> Result<(), Error> {
        self.part.wall_seconds(self.started.elapsed().as_secs_f64());
        let path = self.part.write(&self.dir).map_err(|e| Error::Runtime(e.to_string()))?;
        errln!("wrote {} in {:.1} s", path.display(), self.started.elapsed().as_secs_f64());
        Ok(())
    }
}

/// Checks that the parts of a design were made of the design the merge rebuilt here: the same
/// scenario (hash), size and chunks. (The parts agree with each other: [`partial::check_set`].)
pub(super) fn check_parts(parts: &[Part], shape: &DesignShape) -> Result<(), Error> {
    let first = &parts[0];
    let h = &first.header;
    if h.scenario_hash != shape.scenario.hash {
        return Err(Error::Usage(format!(
            "{}: the shards ran scenario {} with hash {}, but it loads here as {}: its files or the seeds (--seeds) changed since; merge where the shards ran, or run them again",
            first.name(),
            h.scenario,
            h.scenario_hash,
            shape.scenario.hash
        )));
    }
    let chunks = h.design.as_ref().map_or(0, |d| d.chunks);
    if (h.seed, h.trials, h.chunk_trials, chunks) != (shape.seed, shape.trials, shape.chunk_trials, shape.chunks) {
        return Err(Error::Usage(format!(
            "{}: a design of {chunks} chunks of {} trials ({} in all, seed {}), but its command makes {} here ({} in all, seed {}); merge with the parkcast that ran the shards",
            first.name(),
            h.chunk_trials,
            h.trials,
            h.seed,
            shape.chunks_text,
            shape.trials,
            shape.seed
        )));
    }
    Ok(())
}

/// Decodes every chunk of a checked set of parts in design order with `decode(index, reader)`,
/// which must read the whole payload.
pub(super) fn decode_all<T>(
    parts: &[Part],
    mut decode: impl FnMut(u64, &mut codec::Reader) -> Result<T, codec::DecodeError>,
) -> Result<Vec<T>, Error> {
    partial::payloads(parts)
        .into_iter()
        .map(|(index, part, bytes)| {
            let mut r = codec::Reader::new(bytes);
            decode(index, &mut r)
                .and_then(|t| if r.at_end() { Ok(t) } else { Err(r.invalid("bytes after the chunk")) })
                .map_err(|e| Error::Usage(part.chunk_error(index, e).to_string()))
        })
        .collect()
}

fn value<T: ValueEnum>(v: &T) -> String {
    v.to_possible_value().expect("no skipped values").get_name().to_string()
}

/// The arguments of `sobol` that decide its outputs, as `--flag=value` (the scenario last,
/// after `--`): what a sobol part records and the merge parses again.
pub(super) fn sobol_args(a: &SobolArgs) -> Vec<String> {
    let mut v = Vec::new();
    if !a.outputs.is_empty() {
        v.push(format!("--outputs={}", a.outputs.join(",")));
    }
    v.push(format!("--n={}", a.n));
    v.push(format!("--groups={}", value(&a.groups)));
    v.push(format!("--bootstrap={}", a.bootstrap));
    v.push(format!("--top={}", a.top));
    seed_set_lang(&mut v, a.settings.seed, &a.settings.overrides, &a.lang);
    scenario_last(&mut v, &a.scenario);
    v
}

/// The arguments of `sweep --vary` that decide its outputs (see [`sobol_args`]).
pub(super) fn sweep_args(a: &SweepArgs) -> Vec<String> {
    let mut v: Vec<String> = a.vary.iter().map(|x| format!("--vary={x}")).collect();
    v.push(format!("--design={}", value(&a.design)));
    if let Some(p) = a.points {
        v.push(format!("--points={p}"));
    }
    v.push(format!("--target={}", a.target));
    if let Some(t) = a.common.trials {
        v.push(format!("--trials={t}"));
    }
    seed_set_lang(&mut v, a.common.seed, &a.common.overrides, &a.lang);
    scenario_last(&mut v, &a.scenario);
    v
}

fn seed_set_lang(v: &mut Vec<String>, seed: Option<u64>, set: &[String], lang: &super::args::LangArg) {
    if let Some(s) = seed {
        v.push(format!("--seed={s}"));
    }
    v.extend(set.iter().map(|o| format!("--set={o}")));
    v.push(format!("--lang={}", value(lang)));
}

fn scenario_last(v: &mut Vec<String>, scenario: &Option<String>) {
    if let Some(s) = scenario {
        v.push("--".into());
        v.push(s.clone());
    }
}

/// `parkcast merge` of the parts of a design (`kind` sobol or sweep): the recorded command,
/// parsed again with the merge's `--out` and `--threads`, run on the parts' outputs.
pub(super) fn merge(seeds: &Seeds, args: &MergeArgs, parts: &[Part]) -> Result<(), Error> {
    let first = &parts[0];
    let h = &first.header;
    if args.json {
        return Err(Error::Usage(format!(
            "--json: {} holds a shard of a `{}`, which has no JSON summary; --json is for merging a run",
            first.name(),
            h.kind
        )));
    }
    let mut argv: Vec<String> = vec!["parkcast".into(), h.kind.clone(), "--yes".into()];
    if let Some(o) = &args.out {
        argv.push(format!("--out={}", o.display()));
    }
    if let Some(t) = args.threads {
        argv.push(format!("--threads={t}"));
    }
    argv.extend(h.design.as_ref().map(|d| d.args.clone()).unwrap_or_default());
    let parsed = Cli::try_parse_from(&argv).map_err(|e| {
        let first_line = e.to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
        Error::Usage(format!(
            "{}: its command `{}` does not parse here: {first_line}",
            first.name(),
            argv[1..].join(" ")
        ))
    })?;
    errln!(
        "parkcast {}: merging {} shards of `{}` for scenario {} ({})",
        env!("CARGO_PKG_VERSION"),
        h.shards,
        h.kind,
        h.scenario,
        h.scenario_hash
    );
    match parsed.command {
        Some(Command::Sobol(a)) => super::sensitivity::sobol_with(seeds, &a, Some(parts)),
        Some(Command::Sweep(a)) if !a.vary.is_empty() => super::grid::grid_sweep_with(seeds, &a, Some(parts)),
        _ => Err(Error::Usage(format!("{}: a `{}` part whose command is not one", first.name(), h.kind))),
    }
}
