//! A progress bar on stderr (hidden when stderr is not a terminal, and for short runs).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this many trials finish in about a second: no bar.
const MIN_TRIALS_FOR_BAR: u64 = 50_000;

pub struct Bar(Option<ProgressBar>);

impl Bar {
    pub fn new(total: u64) -> Bar {
        if total < MIN_TRIALS_FOR_BAR {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} trials {human_pos}/{human_len} [{bar:30}] {percent}% · {elapsed_precise} elapsed, ~{eta} left")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar(Some(bar))
    }
    pub fn set(&self, done: u64) {
        if let Some(b) = &self.0 {
            b.set_position(done);
        }
    }
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
