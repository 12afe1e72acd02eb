//! Several runs of the same trials (a grid's points, a tornado's evaluations) when each is too
//! small to keep every thread busy: a run of fewer chunks of [`CHUNK_TRIALS`] than threads runs
//! its chunks on fewer threads than it was given (the report's 1,000-trial slider cells ran on
//! one of two cores), so such runs go side by side, one thread each. A run's result does not
//! depend on its thread count, so every run gives what it gives alone.

use super::run::{RunError, RunOptions, CHUNK_TRIALS};
use rayon::prelude::*;

/// `run(item, options)` for every item, in item order; `progress(done, total)` after each
/// group of runs. Runs of `opts.trials` that fill every thread go one after another on all of
/// them; smaller ones side by side, `opts.threads` at a time, on one thread each. The first
/// error (in item order) is returned.
pub fn side_by_side<I: Sync, T: Send, E: Send + From<RunError>>(
    items: &[I],
    opts: &RunOptions,
    progress: &dyn Fn(usize, usize),
    run: impl Fn(&I, &RunOptions) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let threads = opts.threads.max(1);
    let at_once = if opts.trials.div_ceil(CHUNK_TRIALS) < threads as u64 { threads } else { 1 };
    let each = RunOptions { threads: threads / at_once, ..*opts };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(at_once)
        .build()
        .map_err(|e| RunError::Threads { threads: at_once, message: e.to_string() })?;
    let mut out = Vec::with_capacity(items.len());
    for group in items.chunks(at_once) {
        let results: Vec<Result<T, E>> = pool.install(|| group.par_iter().map(|item| run(item, &each)).collect());
        for r in results {
            out.push(r?);
        }
        progress(out.len(), items.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn small_runs_go_side_by_side_on_one_thread_each_and_large_ones_get_every_thread() {
        let opts = |trials, threads| RunOptions { trials, seed: 1, threads, precision: None };
        let items: Vec<u64> = (0..5).collect();
        let seen = Mutex::new(Vec::new());
        let progress = Mutex::new(Vec::new());
        let f = |i: &u64, o: &RunOptions| -> Result<u64, RunError> {
            seen.lock().unwrap().push(o.threads);
            Ok(i * 10)
        };
        let r = side_by_side(&items, &opts(5_000, 2), &|d, n| progress.lock().unwrap().push((d, n)), f).unwrap();
        assert_eq!(r, [0, 10, 20, 30, 40]);
        assert!(seen.lock().unwrap().iter().all(|&t| t == 1));
        assert_eq!(*progress.lock().unwrap(), [(2, 5), (4, 5), (5, 5)]);
        seen.lock().unwrap().clear();
        let r = side_by_side(&items, &opts(2 * CHUNK_TRIALS, 2), &|_, _| {}, f).unwrap();
        assert_eq!(r, [0, 10, 20, 30, 40]);
        assert!(seen.lock().unwrap().iter().all(|&t| t == 2));
        // the first error in item order, whichever finished first
        let e = side_by_side(&items, &opts(10, 3), &|_, _| {}, |i: &u64, _: &RunOptions| match i {
            1 | 2 => Err(RunError::Interrupted { done: *i, total: 5 }),
            _ => Ok(*i),
        });
        assert_eq!(e, Err(RunError::Interrupted { done: 1, total: 5 }));
    }
}
