//! Evaluating many independent rows (trials, or points of a sensitivity design) in parallel,
//! returning results in row order: the same for any number of threads.

use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

use super::RunError;

/// Rows per chunk (each chunk makes its scratch state once).
const ROWS_PER_CHUNK: usize = 2_000;

/// Evaluates `f(state, row)` for rows `0..rows` on a pool of `threads`, with one `init()` state
/// per chunk, and returns the results in row order. `progress(done, rows)` is called as chunks
/// finish (in chunk order); setting `cancel` stops within a chunk.
pub fn map_rows<S, T: Send>(
    rows: usize,
    threads: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, usize) -> T + Sync,
) -> Result<Vec<T>, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads { threads, message: e.to_string() })?;
    let chunks = rows.div_ceil(ROWS_PER_CHUNK);
    let mut out = Vec::with_capacity(rows);
    // a few chunks per thread between progress reports
    let batch = (threads * 4).max(1);
    let mut next = 0;
    while next < chunks {
        let ids: Vec<usize> = (next..(next + batch).min(chunks)).collect();
        let results: Vec<Option<Vec<T>>> = pool.install(|| {
            ids.par_iter()
                .map(|&c| {
                    let mut state = init();
                    let mut v = Vec::with_capacity(ROWS_PER_CHUNK);
                    for row in c * ROWS_PER_CHUNK..((c + 1) * ROWS_PER_CHUNK).min(rows) {
                        if row % 256 == 0 && cancel.load(Ordering::Relaxed) {
                            return None;
                        }
                        v.push(f(&mut state, row));
                    }
                    Some(v)
                })
                .collect()
        });
        for r in results {
            match r {
                Some(v) => out.extend(v),
                None => return Err(RunError::Interrupted { done: out.len() as u64, total: rows as u64 }),
            }
        }
        progress(out.len(), rows);
        next += ids.len();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_row_order_for_any_thread_count() {
        let f = |_: &mut (), row: usize| (row as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let one = map_rows(10_001, 1, &AtomicBool::new(false), &|_, _| {}, || (), f).unwrap();
        let three = map_rows(10_001, 3, &AtomicBool::new(false), &|_, _| {}, || (), f).unwrap();
        assert_eq!(one, three);
        assert_eq!(one.len(), 10_001);
        assert_eq!(one[4321], f(&mut (), 4321));
    }

    #[test]
    fn cancelling_stops_with_an_error() {
        let r = map_rows(100_000, 2, &AtomicBool::new(true), &|_, _| {}, || (), |_, r| r);
        assert!(matches!(r, Err(RunError::Interrupted { .. })));
    }
}
