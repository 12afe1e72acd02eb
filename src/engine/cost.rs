//! What a command will cost in time, worked out before it starts from measured rates, so that
//! a job of hours is announced (and confirmed) before it starts, and one of weeks is refused.

use super::budget::group;

/// Trials a second of one worker thread on this machine (release build, baseline), measured
/// for 0.4.0 by `scripts/measure.sh` (medians of 3 whole-process runs): 10⁶ trials in 22.5 s
/// on one thread (44,500 a second), 12.4 s on two (`run --trials 1000000 --no-write
/// --criticality-trials 0`), rounded down to 40,000 against a busier machine (0.1.0 ran
/// 54,000 a thread, 0.2.0 18,000, 0.3.0 14,000: keyed streams, then every reading and the
/// needed base values in every trial). A debug build runs about 14 times slower. Scaled by the
/// threads a command uses (at most the cores there are).
pub const TRIALS_PER_SECOND_PER_THREAD: f64 = 40_000.0;
/// Rows (trials) of a Sobol design one thread runs a second (release build): each row pins
/// its inputs through their inverse CDFs, which costs about three plain trials. From the
/// README's measurement, `sobol` at its defaults (184,320 rows) in 5 s on 2 cores, charts
/// included, so at least 18,000 rows a second a thread.
pub const SOBOL_ROWS_PER_SECOND_PER_THREAD: f64 = 18_000.0;
/// Rows of a Sobol design one thread resamples a second in the bootstrap (each resample
/// passes over every row once per output). Measured in a debug build, so an overestimate of
/// the time in release: `sobol --n 64 --bootstrap 100000 --threads 2` (2,816 rows, 5 outputs,
/// 1.4·10⁹ row visits) took 97 s more than with 100 resamples, 7.3·10⁶ a second a thread.
pub const BOOTSTRAP_ROWS_PER_SECOND_PER_THREAD: f64 = 7_300_000.0;
/// Above this estimated time (5 minutes) a command asks before it starts, or wants `--yes`.
pub const CONFIRM_ABOVE_SECONDS: f64 = 300.0;
/// The most trials one command may run in all: 10⁹, about 3.5 hours on this machine's two
/// cores, fifty runs of the largest size a run may have. More is refused, `--yes` or not.
pub const MAX_TRIALS_PER_COMMAND: u64 = 1_000_000_000;

/// A command's cost: its trials in all, how they are made up, and further work in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    pub trials: u64,
    /// How the trials are made up, e.g. "13 evaluations of 20,000 trials".
    pub what: String,
    /// Worker threads the command uses.
    pub threads: usize,
    /// Work besides the trials (a bootstrap), in seconds on one thread.
    pub extra_thread_seconds: f64,
    /// Trials one thread runs a second.
    pub rate: f64,
}

impl Cost {
    pub fn new(trials: u64, what: impl Into<String>, threads: usize) -> Cost {
        Cost { trials, what: what.into(), threads, extra_thread_seconds: 0.0, rate: TRIALS_PER_SECOND_PER_THREAD }
    }

    /// `evaluations` × `trials` trials, described as such.
    pub fn evaluations(evaluations: u64, trials: u64, threads: usize) -> Cost {
        let what = format!("{} evaluations of {} trials", group(evaluations), group(trials));
        Cost::new(evaluations.saturating_mul(trials), what, threads)
    }

    /// The threads that run at once: those asked for, at most the cores there are.
    fn parallel(&self) -> f64 {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        self.threads.clamp(1, cores) as f64
    }

    /// Estimated wall time on this machine.
    pub fn seconds(&self) -> f64 {
        (self.trials as f64 / self.rate + self.extra_thread_seconds) / self.parallel()
    }

    /// The line printed before the job starts.
    pub fn line(&self) -> String {
        format!(
            "cost: {} trials ({}), estimated {} with {} (at {} trials a second a thread, measured on a 2-core machine)",
            group(self.trials),
            self.what,
            duration(self.seconds()),
            match self.parallel() as usize {
                1 => "1 thread".to_string(),
                n => format!("{n} threads"),
            },
            group(self.rate as u64)
        )
    }

    /// Whether it runs long enough to ask first.
    pub fn is_long(&self) -> bool {
        self.seconds() > CONFIRM_ABOVE_SECONDS
    }

    /// Refuses more than [`MAX_TRIALS_PER_COMMAND`] trials, with the figures.
    pub fn check_total(&self) -> Result<(), String> {
        if self.trials <= MAX_TRIALS_PER_COMMAND {
            return Ok(());
        }
        Err(format!(
            "{} trials ({}) are more than one command may run ({}), about {} on this machine",
            group(self.trials),
            self.what,
            group(MAX_TRIALS_PER_COMMAND),
            duration(self.seconds())
        ))
    }
}

/// A duration in the largest unit that keeps it readable: `45 s`, `12.5 min`, `3.2 h`,
/// `4.0 days`, `12 years`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0);
    if s < 1.0 {
        "under a second".into()
    } else if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7_200.0 {
        format!("{:.1} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3_600.0)
    } else if s < 2.0 * 31_557_600.0 {
        format!("{:.1} days", s / 86_400.0)
    } else {
        format!("{:.0} years", s / 31_557_600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_a_sensible_unit() {
        assert_eq!(duration(0.2), "under a second");
        assert_eq!(duration(45.4), "45 s");
        assert_eq!(duration(750.0), "12.5 min");
        assert_eq!(duration(3.2 * 3600.0), "3.2 h");
        assert_eq!(duration(4.0 * 86_400.0), "4.0 days");
        assert_eq!(duration(1e12), "31688 years");
    }

    #[test]
    fn time_follows_trials_and_threads() {
        let one = Cost::new(TRIALS_PER_SECOND_PER_THREAD as u64 * 600, "x", 1);
        assert!((one.seconds() - 600.0).abs() < 1e-6);
        assert!(one.is_long());
        // never faster than the cores allow, never slower than one thread
        let many = Cost { threads: 10_000, ..one.clone() };
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) as f64;
        assert!((many.seconds() - 600.0 / cores).abs() < 1e-6);
        assert_eq!(Cost { threads: 0, ..one.clone() }.seconds(), one.seconds());
        let boot = Cost { extra_thread_seconds: 60.0, ..one.clone() };
        assert!((boot.seconds() - 660.0).abs() < 1e-6);
        let slower = Cost { rate: TRIALS_PER_SECOND_PER_THREAD / 3.0, ..one };
        assert!((slower.seconds() - 1800.0).abs() < 1e-6);
        assert!(!Cost::new(1_000_000, "x", 1).is_long());
    }

    #[test]
    fn absurd_totals_are_refused_with_the_figures() {
        // tornado --trials 20000000 on the baseline: 107 evaluations
        let c = Cost::evaluations(107, 20_000_000, 1);
        assert_eq!(c.trials, 2_140_000_000);
        assert_eq!(
            c.check_total().unwrap_err(),
            "2,140,000,000 trials (107 evaluations of 20,000,000 trials) are more than one command may run (1,000,000,000), about 14.9 h on this machine"
        );
        assert!(Cost::evaluations(50, 20_000_000, 2).check_total().is_ok());
        assert_eq!(Cost::evaluations(u64::MAX, 2, 1).trials, u64::MAX);
    }
}
