//! What a run will need, worked out before it starts, so that a run that cannot finish is
//! refused at once with the figures instead of failing after minutes: the trials a precision
//! may take, the memory of the kept per-trial columns, and the disk space of the outputs.

use crate::stats::Z95;

/// Peak memory of `parkcast run` per trial. The kept columns take 152 bytes a trial
/// ([`super::TrialColumns`]); growing vectors may hold up to twice that, and writing
/// trials.parquet converts them once more (measured: about 640 bytes a trial at the peak).
pub const RUN_BYTES_PER_TRIAL: u64 = 700;
/// Peak memory per trial of an evaluation whose trials are not written out (what-if commands):
/// the kept columns and their growth.
pub const EVAL_BYTES_PER_TRIAL: u64 = 400;
/// Memory whatever the number of trials: the program, the monthly bands, charts and report.
pub const FIXED_BYTES: u64 = 128_000_000;
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

/// Memory a computation keeping `evaluations` × `trials` trials needs at its peak.
pub fn memory_needed(trials: u64, evaluations: u64, bytes_per_trial: u64) -> u64 {
    FIXED_BYTES.saturating_add(trials.saturating_mul(evaluations).saturating_mul(bytes_per_trial))
}

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
        found.push(Available { bytes, what: "the address-space limit, ulimit -v" });
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

/// Checks that `evaluations` × `trials` trials fit in `available` memory. The error says how
/// much is needed, how much there is, and how many trials would fit.
pub fn check_memory(
    trials: u64,
    evaluations: u64,
    bytes_per_trial: u64,
    available: Option<&Available>,
) -> Result<(), String> {
    let needed = memory_needed(trials, evaluations, bytes_per_trial);
    let Some(av) = available else { return Ok(()) };
    if needed <= av.bytes {
        return Ok(());
    }
    let per_evaluation =
        if evaluations > 1 { format!(" × {evaluations} scenarios kept at once") } else { String::new() };
    let fits = av.bytes.saturating_sub(FIXED_BYTES) / (bytes_per_trial * evaluations.max(1));
    Err(format!(
        "{} trials{per_evaluation} need about {} of memory ({bytes_per_trial} bytes a trial and {} besides), but only {} is available ({}); at most about {} trials fit",
        group(trials),
        human_bytes(needed),
        human_bytes(FIXED_BYTES),
        human_bytes(av.bytes),
        av.what,
        group(fits / 1000 * 1000)
    ))
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
            "20,000,000 trials need about 14.1 GB of memory (700 bytes a trial and 128.0 MB besides), but only 2.0 GB is available (test); at most about 2,674,000 trials fit"
        );
        let err = check_memory(5_000_000, 3, EVAL_BYTES_PER_TRIAL, Some(&av)).unwrap_err();
        assert!(err.starts_with("5,000,000 trials × 3 scenarios kept at once need about 6.1 GB"), "{err}");
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
