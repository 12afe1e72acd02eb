//! A progress bar on stderr (hidden when stderr is not a terminal, and for short runs).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this many trials finish in about a second: no bar.
const MIN_TRIALS_FOR_BAR: u64 = 50_000;

pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar counting trials (none for short runs).
    pub fn new(total: u64) -> Bar {
        if total < MIN_TRIALS_FOR_BAR {
            return Bar(None);
        }
        Bar::counting(total, "trials")
    }

    /// A bar counting `what` (e.g. "evaluations"), whatever the total.
    pub fn counting(total: u64, what: &str) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template =
            format!("{{spinner}} {what} {{human_pos}}/{{human_len}} [{{bar:30}}] {{percent}}% · {{elapsed_precise}} elapsed, ~{{eta}} left");
        bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
        Bar(Some(bar))
    }
    pub fn set(&self, done: u64) {
        if let Some(b) = &self.0 {
            b.set_position(done);
        }
    }
    /// Sets the total (for work whose size is known only once it starts).
    pub fn set_total(&self, total: u64) {
        if let Some(b) = &self.0 {
            b.set_length(total);
        }
    }
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
