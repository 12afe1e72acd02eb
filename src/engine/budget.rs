//! What a run will need, worked out before it starts, so that a run that cannot finish is
//! refused at once with the figures instead of failing after minutes: the trials a precision
//! may take, the memory of the kept per-trial columns, and the disk space of the outputs.

use super::{CHUNKS_PER_BATCH, CHUNK_TRIALS};
use crate::model::METRIC_COUNT;
use crate::stats::{SKETCH_BYTES, Z95};

/// Peak memory of `parkcast run` per trial. The kept columns take 216 bytes a trial
/// ([`super::TrialColumns`]), reserved for the run's trials (no growth slack), and
/// trials.parquet is converted a row group at a time. Measured for 0.4.0 (`scripts/measure.sh`,
/// every output written): 221–239 bytes a trial of growth between 10⁵, 10⁶ and 4·10⁶ trials.
/// A run with `--precision` does not know its trials in advance, so its columns grow and may
/// hold up to twice their length: this allows for that (0.3.0 needed 960).
pub const RUN_BYTES_PER_TRIAL: u64 = 480;
/// Peak memory per trial of an evaluation whose trials are not written out (what-if commands):
/// the kept columns. Measured for 0.4.0: `compare baseline downturn` grows by 218 bytes a trial
/// and scenario between 10⁵ and 5·10⁵ trials; this allows 1.5 times that (0.3.0 needed 660).
pub const EVAL_BYTES_PER_TRIAL: u64 = 330;
/// Memory whatever the number of trials: the program, the monthly bands, charts and report.
pub const FIXED_BYTES: u64 = 128_000_000;
/// The monthly band histograms of one aggregate, per simulated month: a sketch per metric
/// (5 × 27,648 bytes). A run holds the chunks of a batch and their total at once.
pub const BAND_BYTES_PER_MONTH: u64 = METRIC_COUNT as u64 * SKETCH_BYTES;
/// Memory criticality keeps per trial and variant: since 0.2 every trial is simulated once and
/// each variant re-reads only the deadline's metrics on the trial's own draws, keeping one row
/// per trial of the variant's met/not-met slots (six bytes, rounded up with the row's share of
/// its vector header). Unlike 0.1's separate runs (223 kB a variant-month, measured), nothing
/// here grows with the horizon.
pub const CRITICALITY_BYTES_PER_VARIANT_TRIAL: u64 = 16;
/// ... and per trial whatever the variants (the row's vector).
pub const CRITICALITY_BYTES_PER_TRIAL: u64 = 32;
/// Disk space of a run's outputs: trials.parquet per trial (measured: about 64 bytes) ...
pub const OUTPUT_BYTES_PER_TRIAL: u64 = 70;
/// ... and the rest (charts in two languages, report.html, tables): about 8 MB, doubled.
pub const OUTPUT_FIXED_BYTES: u64 = 16 << 20;

/// Trials that make a 95 % interval as narrow as ±`h` in the worst case, p = 0.5:
/// n = z²·p(1−p)/h² (the Wilson interval is slightly narrower than this normal one).
pub fn trials_for_precision(h: f64) -> f64 {
    (Z95 * Z95 * 0.25 / (h * h)).ceil()
}

/// The half-width that `trials` trials guarantee in the worst case (the inverse of
/// [`trials_for_precision`]).
pub fn precision_of(trials: u64) -> f64 {
    Z95 * (0.25 / trials as f64).sqrt()
}

/// Memory a computation keeping `evaluations` × `trials` trials needs at its peak, besides
/// any [`MemoryNeed`] parts.
pub fn memory_needed(trials: u64, evaluations: u64, bytes_per_trial: u64) -> u64 {
    FIXED_BYTES.saturating_add(trials.saturating_mul(evaluations).saturating_mul(bytes_per_trial))
}

/// Memory of the monthly bands of one run of `trials` trials over `months` months: the
/// chunks of a batch (at most [`CHUNKS_PER_BATCH`]) and their total.
pub fn band_bytes(trials: u64, months: u64) -> u64 {
    let at_once = trials.div_ceil(CHUNK_TRIALS).clamp(1, CHUNKS_PER_BATCH) + 1;
    at_once.saturating_mul(months).saturating_mul(BAND_BYTES_PER_MONTH)
}

/// Memory of criticality's `variants` variants paired on `trials` trials (`months` no longer
/// matters: no variant keeps monthly bands).
pub fn criticality_bytes(variants: u64, trials: u64, _months: u64) -> u64 {
    if variants == 0 {
        return 0;
    }
    trials.saturating_mul(
        variants.saturating_mul(CRITICALITY_BYTES_PER_VARIANT_TRIAL).saturating_add(CRITICALITY_BYTES_PER_TRIAL),
    )
}

/// Peak memory of a Sobol analysis per row (trial) of its design with `outputs` outputs: the
/// row's output vector (24 bytes, and a heap block of 8 bytes an output with the allocator's
/// 8-byte header, in steps of 16 and at least 32) and, one output at a time, its column and
/// centred copy (16 bytes). An upper bound: measured (debug build, `/usr/bin/time -v`), `sobol
/// --n 8192` (360,448 rows, 5 outputs) peaked 12 MB above `--n 64`, against 32 MB estimated.
pub fn sobol_bytes_per_row(outputs: u64) -> u64 {
    24 + (8 * outputs + 8).next_multiple_of(16).max(32) + 16
}

/// Peak memory of a Sobol bootstrap of `resamples` resamples over `groups` input groups:
/// each resample keeps its statistics (a variance and two vectors of a value per group, with
/// their headers and heap blocks), and one group's replicates are sorted at a time (8 bytes
/// each). Measured (debug build): 100,000 resamples over 42 groups peaked 57 MB above 100
/// resamples, 570 bytes a resample, against 768 estimated.
pub fn sobol_bootstrap_bytes(resamples: u64, groups: u64) -> u64 {
    let per = 8 + 2 * 24 + 2 * (8 * groups + 8).next_multiple_of(16) + 8;
    resamples.saturating_mul(per)
}

/// Everything a computation holds at its peak: `evaluations` × `trials` kept trials of
/// `bytes_per_trial` bytes, [`FIXED_BYTES`], and further parts (bands, variants, outputs).
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryNeed {
    pub trials: u64,
    pub evaluations: u64,
    pub bytes_per_trial: u64,
    /// Bytes, and what they are for ("the monthly bands of 38 months").
    pub parts: Vec<(u64, String)>,
}

impl MemoryNeed {
    pub fn new(trials: u64, evaluations: u64, bytes_per_trial: u64) -> MemoryNeed {
        MemoryNeed { trials, evaluations, bytes_per_trial, parts: Vec::new() }
    }

    /// Adds a part (none if it is empty).
    pub fn and(mut self, bytes: u64, what: impl Into<String>) -> MemoryNeed {
        if bytes > 0 {
            self.parts.push((bytes, what.into()));
        }
        self
    }

    /// The memory besides the kept trials.
    fn besides(&self) -> u64 {
        self.parts.iter().fold(FIXED_BYTES, |a, (b, _)| a.saturating_add(*b))
    }

    pub fn bytes(&self) -> u64 {
        let kept = self.trials.saturating_mul(self.evaluations).saturating_mul(self.bytes_per_trial);
        self.besides().saturating_add(kept)
    }

    /// Checks that it fits in `available` memory. The error says how much is needed and for
    /// what, how much there is, and how many trials would fit (or that even none would).
    pub fn check(&self, available: Option<&Available>) -> Result<(), String> {
        let needed = self.bytes();
        let Some(av) = available else { return Ok(()) };
        if needed <= av.bytes {
            return Ok(());
        }
        let evaluations = self.evaluations.max(1);
        let per_evaluation =
            if evaluations > 1 { format!(" × {evaluations} scenarios kept at once") } else { String::new() };
        let mut items =
            vec![format!("{} bytes a trial", self.bytes_per_trial), format!("{} besides", human_bytes(FIXED_BYTES))];
        items.extend(self.parts.iter().map(|(b, what)| format!("{} for {what}", human_bytes(*b))));
        let last = items.pop().expect("two items at least");
        let fits = match av.bytes.checked_sub(self.besides()) {
            Some(room) => {
                let fits = room / self.bytes_per_trial.saturating_mul(evaluations).max(1);
                format!("at most about {} trials fit", group(fits / 1000 * 1000))
            }
            None => format!("without its trials it still needs {}", human_bytes(self.besides())),
        };
        Err(format!(
            "{} trials{per_evaluation} need about {} of memory ({} and {last}), but only {} is available ({}); {fits}",
            group(self.trials),
            human_bytes(needed),
            items.join(", "),
            human_bytes(av.bytes),
            av.what,
        ))
    }
}

/// Address space the process reserves beyond what it uses, counted against `ulimit -v` only:
/// the mapped program (310 MB for a debug build) and the heap each thread's allocator arena
/// reserves (64 MB each, up to 8 per core). Measured: `run --trials 1000 --no-write` (335 MB
/// resident at its peak, debug build, 2 cores) aborts under `ulimit -v` 1.1 GB and runs under
/// 1.3 GB.
pub const ADDRESS_SPACE_RESERVE: u64 = 750_000_000;

/// How much memory this process may use, and what says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Available {
    pub bytes: u64,
    pub what: &'static str,
}

/// The least of the memory the system has available (MemAvailable in /proc/meminfo), the
/// container's limit less its usage (cgroup), and the address-space limit (`ulimit -v`);
/// `None` where none of them is known.
pub fn available_memory() -> Option<Available> {
    let mut found: Vec<Available> = Vec::new();
    if let Some(kb) = std::fs::read_to_string("/proc/meminfo").ok().as_deref().and_then(meminfo_available_kb) {
        found.push(Available { bytes: kb.saturating_mul(1024), what: "MemAvailable in /proc/meminfo" });
    }
    if let Some(bytes) = cgroup_room() {
        found.push(Available { bytes, what: "the container's cgroup memory limit less its usage" });
    }
    if let Some(bytes) = address_space_limit() {
        found.push(Available {
            bytes: bytes.saturating_sub(ADDRESS_SPACE_RESERVE),
            what: "the address-space limit, ulimit -v, less 750 MB the program and its threads reserve",
        });
    }
    found.into_iter().min_by_key(|a| a.bytes)
}

/// MemAvailable of /proc/meminfo, in kB.
fn meminfo_available_kb(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Room left under a cgroup v2 (or v1) memory limit, if there is a limit.
fn cgroup_room() -> Option<u64> {
    let read = |p: &str| std::fs::read_to_string(p).ok().and_then(|s| s.trim().parse::<u64>().ok());
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    if let Some(path) = own.lines().find_map(|l| l.strip_prefix("0::")) {
        let dir = format!("/sys/fs/cgroup{}", path.trim_end_matches('/'));
        let limit = read(&format!("{dir}/memory.max"))?; // "max" does not parse: no limit
        let used = read(&format!("{dir}/memory.current")).unwrap_or(0);
        return Some(limit.saturating_sub(used));
    }
    let limit = read("/sys/fs/cgroup/memory/memory.limit_in_bytes")?;
    // an unlimited v1 cgroup reports a number near 2^63
    (limit < 1 << 60).then(|| limit.saturating_sub(read("/sys/fs/cgroup/memory/memory.usage_in_bytes").unwrap_or(0)))
}

#[cfg(unix)]
fn address_space_limit() -> Option<u64> {
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit fills the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every platform
    Some(r.rlim_cur as u64)
}

#[cfg(not(unix))]
fn address_space_limit() -> Option<u64> {
    None
}

/// Checks that `evaluations` × `trials` trials fit in `available` memory (a [`MemoryNeed`]
/// with no further parts).
pub fn check_memory(
    trials: u64,
    evaluations: u64,
    bytes_per_trial: u64,
    available: Option<&Available>,
) -> Result<(), String> {
    MemoryNeed::new(trials, evaluations, bytes_per_trial).check(available)
}

/// Bytes in decimal units with one decimal: `1.5 GB`.
pub fn human_bytes(b: u64) -> String {
    let x = b as f64;
    match b {
        0..1_000 => format!("{b} B"),
        1_000..1_000_000 => format!("{:.1} kB", x / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", x / 1e6),
        1_000_000_000..1_000_000_000_000 => format!("{:.1} GB", x / 1e9),
        _ => format!("{:.1} TB", x / 1e12),
    }
}

/// A whole number with thousands separators: `20,000,000`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_and_trials_are_inverse_at_the_worst_case() {
        // ±0.5 points: 1.96² × 0.25 / 0.005² = 38,415.
        assert_eq!(trials_for_precision(0.005), 38_415.0);
        assert!((precision_of(38_415) - 0.005).abs() < 1e-7);
        // the finest precision 20 million trials promise
        assert!((precision_of(20_000_000) - 0.000_219_1).abs() < 1e-7, "{}", precision_of(20_000_000));
    }

    #[test]
    fn memory_is_refused_with_the_figures() {
        let av = Available { bytes: 2_000_000_000, what: "test" };
        assert!(check_memory(1_000_000, 1, RUN_BYTES_PER_TRIAL, Some(&av)).is_ok());
        assert!(check_memory(20_000_000, 1, RUN_BYTES_PER_TRIAL, None).is_ok());
        assert_eq!(
            check_memory(20_000_000, 1, RUN_BYTES_PER_TRIAL, Some(&av)).unwrap_err(),
            "20,000,000 trials need about 9.7 GB of memory (480 bytes a trial and 128.0 MB besides), but only 2.0 GB is available (test); at most about 3,900,000 trials fit"
        );
        let err = check_memory(5_000_000, 3, EVAL_BYTES_PER_TRIAL, Some(&av)).unwrap_err();
        assert!(err.starts_with("5,000,000 trials × 3 scenarios kept at once need about 5.1 GB"), "{err}");
    }

    #[test]
    fn bands_grow_with_the_months_and_the_chunks_held_at_once() {
        assert_eq!(BAND_BYTES_PER_MONTH, 138_240);
        // one chunk and its total
        assert_eq!(band_bytes(1_000, 38), 2 * 38 * 138_240);
        // a full batch of 8 chunks and the total, however many trials
        assert_eq!(band_bytes(100_000, 134), 9 * 134 * 138_240);
        assert_eq!(band_bytes(20_000_000, 134), band_bytes(100_000, 134));
    }

    #[test]
    fn criticality_counts_every_variant_and_trial_but_not_the_months() {
        assert_eq!(criticality_bytes(35, 1_000, 38), 1_000 * (35 * 16 + 32));
        assert_eq!(criticality_bytes(35, 1_000, 134), criticality_bytes(35, 1_000, 38));
        assert_eq!(criticality_bytes(0, 5_000, 38), 0);
        assert_eq!(criticality_bytes(u64::MAX, u64::MAX, 38), u64::MAX);
    }

    #[test]
    fn sobol_rows_and_resamples() {
        // one output: 24 + 32 + 16; five: 24 + 48 + 16
        assert_eq!(sobol_bytes_per_row(1), 72);
        assert_eq!(sobol_bytes_per_row(5), 88);
        // --n 2^30 with 42 groups: 4.7·10¹⁰ rows, about 4 TB
        let rows = (1u64 << 30) * 44;
        assert!(MemoryNeed::new(rows, 1, sobol_bytes_per_row(5)).bytes() > 4_000_000_000_000);
        assert_eq!(sobol_bootstrap_bytes(500, 42), 500 * (64 + 2 * 352));
        assert_eq!(sobol_bootstrap_bytes(u64::MAX, 42), u64::MAX);
    }

    #[test]
    fn every_part_is_named_in_a_refusal() {
        let av = Available { bytes: 150_000_000, what: "test" };
        let need = MemoryNeed::new(1_000, 1, EVAL_BYTES_PER_TRIAL)
            .and(band_bytes(1_000, 134), "the monthly bands of 134 months")
            .and(criticality_bytes(35, 1_000, 134), "35 criticality variants of 1,000 trials over 134 months")
            .and(0, "nothing");
        assert_eq!(
            need.check(Some(&av)).unwrap_err(),
            "1,000 trials need about 166.0 MB of memory (330 bytes a trial, 128.0 MB besides, 37.0 MB for the monthly bands of 134 months and 592.0 kB for 35 criticality variants of 1,000 trials over 134 months), but only 150.0 MB is available (test); without its trials it still needs 165.6 MB"
        );
        let small = Available { bytes: 2_000_000_000, what: "test" };
        assert!(need.check(Some(&small)).is_ok());
        let need = MemoryNeed::new(20_000_000, 1, RUN_BYTES_PER_TRIAL).and(10_000_000, "x");
        assert!(need.check(Some(&small)).unwrap_err().ends_with("at most about 3,879,000 trials fit"));
    }

    #[test]
    fn meminfo_and_units() {
        assert_eq!(meminfo_available_kb("MemTotal: 100 kB\nMemAvailable:   23700112 kB\n"), Some(23_700_112));
        assert_eq!(meminfo_available_kb("MemTotal: 100 kB\n"), None);
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_500_000_000), "1.5 GB");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(group(12), "12");
        assert!(available_memory().is_none_or(|a| a.bytes > 0));
    }
}
