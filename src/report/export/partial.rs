//! Partial files: what one shard of a run (`parkcast run --shard I/N`) computed, for
//! `parkcast merge` to turn into the outputs of the whole run. One file per shard,
//! `part-IIII-of-NNNN.pcpart`, laid out as
//!
//! ```text
//! 8 bytes   magic "PCPART\r\n"
//! u32       format version (FORMAT_VERSION)
//! u32       header length, then the header as JSON (PartHeader)
//! u64       number of chunks, then per chunk: u64 chunk index, u64 payload length, payload
//! 32 bytes  SHA-256 of everything before
//! ```
//!
//! all little-endian. A payload is, by the header's `kind`: one chunk's aggregate in the
//! encoding of [`crate::engine::codec`] (`run`); the outputs of one block of a Sobol design's
//! rows (`sobol`); the hits of one point of a multi-lever sweep (`sweep`) — the latter two in the
//! encoding of [`crate::engine::design_codec`].

use super::ExportError;
use crate::engine::codec::{self, Reader, Writer};
use crate::engine::shard::{chunk_count, try_fold, Shard};
use crate::engine::{Aggregate, CHUNK_TRIALS};
use crate::model::Plan;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub const MAGIC: &[u8; 8] = b"PCPART\r\n";
/// Bumped whenever the layout or a payload's encoding changes; a merge refuses other versions.
pub const FORMAT_VERSION: u32 = 2;
/// The file name ending of partial files.
pub const EXTENSION: &str = "pcpart";
/// The most chunks a sharded design may have (a Sobol design of the largest N has 2^26 blocks).
pub const MAX_DESIGN_CHUNKS: u64 = 1 << 26;
const DIGEST: usize = 32;

/// How the run was asked for, so that the merge loads the same scenario and writes what a
/// one-machine run of the same command writes.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunCommand {
    /// The scenario argument (`None`: the default baseline).
    pub scenario: Option<String>,
    /// `--set` overrides as given.
    pub set: Vec<String>,
    /// Overrides that run flags became (`settings.trials=…`), applied after `set`.
    pub flags: Vec<String>,
    pub criticality_trials: u64,
    /// Paired trials for the levers' measured effects in the report (0: none).
    pub effect_trials: u64,
    /// Whether the report gets the tornado's top factors.
    pub with_tornado: bool,
    /// Languages of charts and report (`zh`, `en`).
    pub langs: Vec<String>,
}

/// How a sharded design (`sobol`, `sweep --vary`) was asked for: its size in chunks and the
/// command's arguments in a canonical form, which `merge` parses again to do what the command
/// does after its design is evaluated.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DesignCommand {
    /// Chunks of the whole design: blocks of a Sobol design's base points, or sweep points.
    pub chunks: u64,
    /// The arguments after the command's name (no `--shard`, `--out`, `--threads`, `--yes`).
    pub args: Vec<String>,
}

/// The kinds of partial file: what `parkcast run --shard`, `sobol --shard` and
/// `sweep --vary … --shard` write.
pub const KINDS: [&str; 3] = ["run", "sobol", "sweep"];

/// The header of a partial file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PartHeader {
    pub parkcast_version: String,
    /// What the payloads are: `run` (chunk aggregates), `sobol` (a block of design rows' outputs)
    /// or `sweep` (a sweep point's hits).
    pub kind: String,
    pub scenario: String,
    pub scenario_hash: String,
    pub seed: u64,
    /// Trials of the run (`run`), rows of the whole design (`sobol`), trials per point (`sweep`).
    pub trials: u64,
    pub sampling: String,
    /// Trials per chunk: [`CHUNK_TRIALS`] (`run`), rows per block (`sobol`), trials per point
    /// (`sweep`).
    pub chunk_trials: u64,
    /// 1-based.
    pub shard: u32,
    pub shards: u32,
    /// The run command (`run` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<RunCommand>,
    /// The design command (`sobol`, `sweep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<DesignCommand>,
    /// Wall time of the shard's simulation (not compared).
    pub wall_seconds: f64,
}

impl PartHeader {
    fn shard(&self) -> Shard {
        Shard { index: self.shard - 1, count: self.shards }
    }

    /// Chunks of the whole run or design.
    fn chunk_total(&self) -> u64 {
        match &self.design {
            Some(d) => d.chunks,
            None => chunk_count(self.trials),
        }
    }
}

/// The file name of shard `shard` (0-based).
pub fn file_name(shard: Shard) -> String {
    format!("part-{:04}-of-{:04}.{EXTENSION}", shard.index + 1, shard.count)
}

/// A problem with partial files: bad input (exit code 2), naming the file.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// The parts do not make one whole run.
    #[error("{0}")]
    Set(String),
}

fn file_error(path: &Path, message: impl Into<String>) -> PartError {
    PartError::File { file: path.display().to_string(), message: message.into() }
}

/// A partial file being filled, chunk by chunk, in memory (each chunk encoded at once).
pub struct PartWriter {
    header: PartHeader,
    body: Writer,
    chunks: u64,
}

impl PartWriter {
    pub fn new(header: PartHeader) -> PartWriter {
        PartWriter { header, body: Writer::default(), chunks: 0 }
    }

    /// Adds chunk `index`'s aggregate (chunks in the shard's order).
    pub fn add(&mut self, index: u64, agg: &Aggregate) {
        let mut payload = Writer::default();
        codec::encode(&mut payload, agg);
        self.add_payload(index, &payload.0);
    }

    /// Adds chunk `index`'s encoded payload (chunks in the shard's order).
    pub fn add_payload(&mut self, index: u64, payload: &[u8]) {
        self.body.u64(index);
        self.body.u64(payload.len() as u64);
        self.body.0.extend_from_slice(payload);
        self.chunks += 1;
    }

    /// Sets the wall time the header records.
    pub fn wall_seconds(&mut self, s: f64) {
        self.header.wall_seconds = s;
    }

    /// Writes the file into `dir` (created if missing) as `file_name(shard)`, through a
    /// temporary file renamed into place, so the file is whole or absent. An existing file of
    /// that name is replaced only if it is a partial file (a re-run of the same task).
    pub fn write(self, dir: &Path) -> Result<PathBuf, ExportError> {
        std::fs::create_dir_all(dir).map_err(|e| ExportError::new(dir, e))?;
        let name = file_name(self.header.shard());
        let path = dir.join(&name);
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            let is_part = meta.is_file() && std::fs::read(&path).is_ok_and(|b| b.starts_with(MAGIC));
            if !is_part {
                return Err(ExportError::new(&path, "exists and is not a parkcast partial file; it was left as it is"));
            }
        }
        let json = serde_json::to_vec(&self.header).map_err(|e| ExportError::new(&path, e))?;
        let mut w = Writer(Vec::with_capacity(self.body.0.len() + json.len() + 64));
        w.0.extend_from_slice(MAGIC);
        w.u32(FORMAT_VERSION);
        w.u32(json.len() as u32);
        w.0.extend_from_slice(&json);
        w.u64(self.chunks);
        w.0.extend_from_slice(&self.body.0);
        let digest = Sha256::digest(&w.0);
        w.0.extend_from_slice(&digest);
        let tmp = dir.join(format!(".{name}.tmp-{}", super::unique::suffix()));
        let written = std::fs::write(&tmp, &w.0)
            .and_then(|()| std::fs::File::open(&tmp)?.sync_all())
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(ExportError::new(&path, e));
        }
        Ok(path)
    }
}

/// A partial file read and checked (magic, version, checksum, header, chunk frame).
pub struct Part {
    pub path: PathBuf,
    pub header: PartHeader,
    bytes: Vec<u8>,
    chunks: Vec<(u64, Range<usize>)>,
}

/// Reads a partial file; its payloads are decoded later, against the plan ([`Part::aggregates`]).
pub fn read(path: &Path) -> Result<Part, PartError> {
    let bytes = std::fs::read(path).map_err(|e| file_error(path, format!("cannot read it: {e}")))?;
    if !bytes.starts_with(MAGIC) {
        return Err(file_error(path, "not a parkcast partial file (written by `parkcast run --shard`)"));
    }
    let corrupt = |what: String| file_error(path, format!("damaged or cut short ({what}); run its shard again"));
    if bytes.len() < MAGIC.len() + 8 + DIGEST {
        return Err(corrupt(format!("only {} bytes", bytes.len())));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(file_error(
            path,
            format!(
                "partial format version {version}; this parkcast ({}) reads version {FORMAT_VERSION}",
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    let (content, digest) = bytes.split_at(bytes.len() - DIGEST);
    if Sha256::digest(content).as_slice() != digest {
        return Err(corrupt("its checksum does not match".into()));
    }
    let mut r = Reader::new(content);
    let frame = (|| {
        r.bytes(12)?;
        let len = r.u32()? as usize;
        let json = r.bytes(len)?;
        let header: PartHeader =
            serde_json::from_slice(json).map_err(|e| r.invalid(format!("the header is not valid: {e}")))?;
        let n = r.u64()?;
        let mut chunks = Vec::new();
        for _ in 0..n {
            let index = r.u64()?;
            let len = r.u64()? as usize;
            let start = r.pos;
            r.bytes(len)?;
            chunks.push((index, start..start + len));
        }
        if !r.at_end() {
            return Err(r.invalid("bytes after the last chunk"));
        }
        Ok((header, chunks))
    })();
    let (header, chunks) = frame.map_err(|e: codec::DecodeError| corrupt(e.to_string()))?;
    if header.shards == 0 || header.shard == 0 || header.shard > header.shards {
        return Err(corrupt(format!("shard {} of {}", header.shard, header.shards)));
    }
    if !KINDS.contains(&header.kind.as_str()) {
        return Err(file_error(
            path,
            format!(
                "holds a shard of a `{}`; this parkcast ({}) merges shards of {}",
                header.kind,
                env!("CARGO_PKG_VERSION"),
                KINDS.map(|k| format!("`{k}`")).join(", ")
            ),
        ));
    }
    let is_run = header.kind == "run";
    if is_run != header.command.is_some() || is_run == header.design.is_some() {
        return Err(corrupt(format!("a `{}` header without its command", header.kind)));
    }
    if is_run && (header.trials == 0 || header.trials > crate::scenario::MAX_TRIALS) {
        return Err(corrupt(format!("a run of {} trials", header.trials)));
    }
    if header.design.as_ref().is_some_and(|d| d.chunks == 0 || d.chunks > MAX_DESIGN_CHUNKS) {
        return Err(corrupt(format!("a design of {} chunks", header.chunk_total())));
    }
    let expected = header.shard().share(header.chunk_total());
    let got: Vec<u64> = chunks.iter().map(|(c, _)| *c).collect();
    if is_run && (got != expected || header.chunk_trials != CHUNK_TRIALS) {
        return Err(corrupt(format!(
            "holds chunks {got:?} of {} trials; shard {} of {} holds chunks {expected:?} of {CHUNK_TRIALS}",
            header.chunk_trials, header.shard, header.shards
        )));
    }
    if got != expected {
        return Err(corrupt(format!(
            "holds chunks {got:?}; shard {} of {} of a design of {} chunks holds chunks {expected:?}",
            header.shard,
            header.shards,
            header.chunk_total()
        )));
    }
    Ok(Part { path: path.to_path_buf(), header, bytes, chunks })
}

impl Part {
    /// The name to show for this part.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Decodes the `k`th chunk this part holds for `plan`.
    fn aggregate(&self, k: usize, plan: &Plan) -> Result<Aggregate, PartError> {
        let (index, range) = &self.chunks[k];
        let size = CHUNK_TRIALS.min(self.header.trials - index * CHUNK_TRIALS);
        let mut r = Reader::new(&self.bytes[range.clone()]);
        let agg = codec::decode(&mut r, plan, size)
            .and_then(|a| if r.at_end() { Ok(a) } else { Err(r.invalid("bytes after the chunk")) })
            .map_err(|e| file_error(&self.path, format!("chunk {index} does not fit the scenario: {e}")))?;
        if agg.trials != size {
            return Err(file_error(&self.path, format!("chunk {index} holds {} trials, not {size}", agg.trials)));
        }
        Ok(agg)
    }
}

/// Every chunk's payload of a checked set of parts ([`check_set`]) in chunk order, with the part
/// that holds it.
pub fn payloads(parts: &[Part]) -> Vec<(u64, &Part, &[u8])> {
    let mut all: Vec<(u64, &Part, &[u8])> = parts
        .iter()
        .flat_map(|part| part.chunks.iter().map(move |(c, range)| (*c, part, &part.bytes[range.clone()])))
        .collect();
    all.sort_unstable_by_key(|(c, _, _)| *c);
    all
}

impl Part {
    /// The error for chunk `index` of this part that does not decode: `e` says why.
    pub fn chunk_error(&self, index: u64, e: impl std::fmt::Display) -> PartError {
        file_error(&self.path, format!("chunk {index} does not fit the {}: {e}", self.header.kind))
    }
}

/// The whole run's aggregate from a checked set of parts ([`check_set`]): every chunk decoded
/// in chunk order and folded as one machine folds them, one chunk in memory at a time.
pub fn fold(parts: &[Part], plan: &Plan) -> Result<Aggregate, PartError> {
    let mut order: Vec<(u64, usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| part.chunks.iter().enumerate().map(move |(k, (c, _))| (*c, p, k)))
        .collect();
    order.sort_unstable();
    try_fold(plan, order.into_iter().map(|(_, p, k)| parts[p].aggregate(k, plan)))
}

/// Checks that `parts` are all the shards of one run, each once: same version, scenario,
/// seed, trials, sampling, command and shard count, no shard missing or doubled.
pub fn check_set(parts: &[Part]) -> Result<(), PartError> {
    let Some(first) = parts.first() else {
        return Err(PartError::Set("no partial files given".into()));
    };
    let h = &first.header;
    for p in parts {
        let o = &p.header;
        if o.kind != h.kind {
            return Err(file_error(
                &p.path,
                format!(
                    "holds a shard of a `{}`, but {} holds one of a `{}`; parts of different commands cannot be merged",
                    o.kind,
                    first.name(),
                    h.kind
                ),
            ));
        }
        let differs: Option<(&str, String, String)> = if o.parkcast_version != h.parkcast_version {
            Some(("parkcast version", o.parkcast_version.clone(), h.parkcast_version.clone()))
        } else if o.seed != h.seed {
            Some(("seed", o.seed.to_string(), h.seed.to_string()))
        } else if o.trials != h.trials {
            Some(("trials", o.trials.to_string(), h.trials.to_string()))
        } else if o.sampling != h.sampling {
            Some(("sampling", o.sampling.clone(), h.sampling.clone()))
        } else if o.shards != h.shards {
            Some(("shard count", o.shards.to_string(), h.shards.to_string()))
        } else if o.scenario_hash != h.scenario_hash {
            Some((
                "scenario",
                format!("{} ({})", o.scenario, o.scenario_hash),
                format!("{} ({})", h.scenario, h.scenario_hash),
            ))
        } else if o.command != h.command {
            Some(("run command", format!("{:?}", o.command), format!("{:?}", h.command)))
        } else if o.design != h.design {
            let args = |h: &PartHeader| h.design.as_ref().map(|d| d.args.join(" ")).unwrap_or_default();
            Some(("command", format!("`{} {}`", o.kind, args(o)), format!("`{} {}`", h.kind, args(h))))
        } else if o.chunk_trials != h.chunk_trials {
            Some(("chunk size", o.chunk_trials.to_string(), h.chunk_trials.to_string()))
        } else {
            None
        };
        if let Some((what, this, that)) = differs {
            return Err(file_error(
                &p.path,
                format!(
                    "does not belong with {}: {what} {this} here, {that} there; parts of different {} cannot be merged",
                    first.name(),
                    if h.kind == "run" { "runs" } else { "designs" }
                ),
            ));
        }
    }
    let mut by_shard: Vec<Option<&Part>> = vec![None; h.shards as usize];
    for p in parts {
        let slot = &mut by_shard[p.header.shard as usize - 1];
        if let Some(other) = slot {
            return Err(file_error(
                &p.path,
                format!(
                    "is shard {} of {} again: {} is that shard too; give each shard once",
                    p.header.shard,
                    h.shards,
                    other.name()
                ),
            ));
        }
        *slot = Some(p);
    }
    let missing: Vec<String> =
        by_shard.iter().enumerate().filter(|(_, p)| p.is_none()).map(|(i, _)| (i + 1).to_string()).collect();
    if !missing.is_empty() {
        let (s, are) = if missing.len() == 1 { ("", "is") } else { ("s", "are") };
        let of = match &h.design {
            None => format!("{}, seed {}, {} trials", h.scenario, h.seed, h.trials),
            Some(d) => format!("{}, seed {}, `{} {}`", h.scenario, h.seed, h.kind, d.args.join(" ")),
        };
        return Err(PartError::Set(format!(
            "shard{s} {} of {} {are} missing ({of}): expected {}",
            missing.join(", "),
            h.shards,
            missing
                .iter()
                .map(|i| file_name(Shard { index: i.parse::<u32>().expect("index") - 1, count: h.shards }))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    debug_assert_eq!(parts.iter().map(|p| p.chunks.len() as u64).sum::<u64>(), h.chunk_total());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{run, RunOptions};
    use std::sync::atomic::AtomicBool;

    fn header(shard: u32, shards: u32, trials: u64) -> PartHeader {
        PartHeader {
            parkcast_version: env!("CARGO_PKG_VERSION").into(),
            kind: "run".into(),
            scenario: "baseline".into(),
            scenario_hash: "sha256:test".into(),
            seed: 3,
            trials,
            sampling: "plain".into(),
            chunk_trials: CHUNK_TRIALS,
            shard,
            shards,
            command: Some(RunCommand {
                scenario: None,
                set: vec![],
                flags: vec![],
                criticality_trials: 0,
                effect_trials: 0,
                with_tornado: false,
                langs: vec!["en".into()],
            }),
            design: None,
            wall_seconds: 0.0,
        }
    }

    #[test]
    fn a_part_reads_back_and_folds_to_what_it_held_and_damage_is_caught() {
        let seeds = crate::seeds::Seeds::embedded();
        let source = crate::scenario::ScenarioSource::Embedded("baseline.toml");
        let plan = Plan::new(&crate::scenario::load(&source, &[], &seeds).unwrap());
        let opts = RunOptions { trials: 200, seed: 3, threads: 1, precision: None };
        let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut w = PartWriter::new(header(1, 1, 200));
        w.add(0, &agg);
        let path = w.write(dir.path()).unwrap();
        assert_eq!(path.file_name().unwrap(), "part-0001-of-0001.pcpart");
        let part = read(&path).unwrap();
        check_set(std::slice::from_ref(&part)).unwrap();
        assert_eq!(fold(std::slice::from_ref(&part), &plan).unwrap(), agg);
        // the same shard twice is refused, naming the second file
        let again = read(&path).unwrap();
        let e = check_set(&[part, again]).unwrap_err().to_string();
        assert!(e.contains("is shard 1 of 1 again"), "{e}");
        // any flipped bit or cut end is caught by the checksum
        let bytes = std::fs::read(&path).unwrap();
        for at in [20, bytes.len() / 2, bytes.len() - 1] {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            std::fs::write(&path, &b).unwrap();
            let e = read(&path).err().expect("a damaged part is refused").to_string();
            assert!(e.contains("damaged or cut short"), "flip at {at}: {e}");
        }
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        assert!(read(&path).is_err());
        // a file of that name that is not a part is not replaced
        std::fs::write(&path, "notes").unwrap();
        let mut w = PartWriter::new(header(1, 1, 200));
        w.add(0, &agg);
        assert!(w.write(dir.path()).unwrap_err().to_string().contains("not a parkcast partial file"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "notes");
    }

    #[test]
    fn design_parts_read_back_in_chunk_order_and_do_not_mix_with_runs() {
        let dir = tempfile::tempdir().unwrap();
        let design = |shard, shards| PartHeader {
            kind: "sobol".into(),
            command: None,
            design: Some(DesignCommand { chunks: 3, args: vec!["--n=64".into()] }),
            ..header(shard, shards, 300)
        };
        let mut w = PartWriter::new(design(1, 2));
        w.add_payload(0, b"zero");
        w.add_payload(2, b"two");
        let one = read(&w.write(dir.path()).unwrap()).unwrap();
        let mut w = PartWriter::new(design(2, 2));
        w.add_payload(1, b"one");
        let two = read(&w.write(dir.path()).unwrap()).unwrap();
        let parts = [two, one];
        check_set(&parts).unwrap();
        let got: Vec<(u64, &[u8])> = payloads(&parts).into_iter().map(|(c, _, b)| (c, b)).collect();
        assert_eq!(got, [(0, &b"zero"[..]), (1, b"one"), (2, b"two")]);
        // a shard holding another shard's chunks, and a design header without its design
        let mut w = PartWriter::new(design(2, 2));
        w.add_payload(2, b"two");
        assert!(read(&w.write(dir.path()).unwrap()).err().unwrap().to_string().contains("holds chunks [2]"));
        let w = PartWriter::new(PartHeader { design: None, ..design(1, 1) });
        assert!(read(&w.write(dir.path()).unwrap()).is_err());
        // a run's part with a design's: refused, naming the run's part
        let sub = tempfile::tempdir().unwrap();
        let mut w = PartWriter::new(header(1, 2, 20_000));
        w.add_payload(0, b"not decoded yet");
        let run = read(&w.write(sub.path()).unwrap()).unwrap();
        let [_, one] = parts;
        let e = check_set(&[one, run]).unwrap_err().to_string();
        assert!(e.contains("holds a shard of a `run`, but") && e.contains("one of a `sobol`"), "{e}");
    }
}
