//! Pasting and simplifying a chosen box. Both look at the rows that fail exactly one side of
//! the box: widening (or dropping) that side lets exactly those rows in.

use super::boxes::{compare_fractions, PrimBox};
use super::{step_size, take_count, Prim, Side};
use std::cmp::Ordering;

/// Slot of a side in per-side lists: 2 · column + (0 low, 1 high).
fn slot(column: usize, side: Side) -> usize {
    2 * column + (side == Side::High) as usize
}

/// For every side of every column, the rows that fail that side and nothing else.
fn single_failures(prim: &Prim, lower: &[f64], upper: &[f64]) -> Vec<Vec<u32>> {
    let mut lists = vec![Vec::new(); 2 * prim.columns.len()];
    for row in 0..prim.rows() {
        let mut failed = None;
        let mut failures = 0;
        for (c, col) in prim.columns.iter().enumerate() {
            let x = col.values[row];
            let side = if x < lower[c] {
                Side::Low
            } else if x > upper[c] {
                Side::High
            } else {
                continue;
            };
            failures += 1;
            if failures > 1 {
                break;
            }
            failed = Some(slot(c, side));
        }
        if failures == 1 {
            lists[failed.expect("one failure recorded")].push(row as u32);
        }
    }
    lists
}

/// A candidate widening of one side.
struct Paste {
    column: usize,
    side: Side,
    added: usize,
    added_positives: usize,
    bound: f64,
}

pub(super) fn paste(prim: &Prim, b: &PrimBox) -> PrimBox {
    assert_eq!(b.lower.len(), prim.columns.len(), "the box must have one interval per column");
    let (mut lower, mut upper) = (b.lower.clone(), b.upper.clone());
    // Counted afresh, so a box from elsewhere is treated by this data's counts.
    let (mut count, mut positives) = prim.recount(&lower, &upper);
    loop {
        let r = step_size(prim.options.alpha, count);
        let lists = single_failures(prim, &lower, &upper);
        let mut best: Option<Paste> = None;
        for (c, col) in prim.columns.iter().enumerate() {
            for side in [Side::Low, Side::High] {
                let mut rows = lists[slot(c, side)].clone();
                if rows.is_empty() {
                    continue;
                }
                // Nearest to the box first: below the lower bound, the highest values.
                rows.sort_by(|&a, &b| {
                    let (xa, xb) = (col.values[a as usize], col.values[b as usize]);
                    match side {
                        Side::Low => xb.total_cmp(&xa),
                        Side::High => xa.total_cmp(&xb),
                    }
                    .then(a.cmp(&b))
                });
                let added = take_count(rows.len(), r, |i| col.values[rows[i] as usize]);
                let added_positives = rows[..added].iter().filter(|&&i| prim.y[i as usize]).count();
                let bound = col.values[rows[added - 1] as usize];
                let p = Paste { column: c, side, added, added_positives, bound };
                let better = match &best {
                    None => true,
                    Some(q) => {
                        compare_fractions(
                            positives + p.added_positives,
                            count + p.added,
                            positives + q.added_positives,
                            count + q.added,
                        )
                        .then(q.added.cmp(&p.added))
                            == Ordering::Greater
                    }
                };
                if better {
                    best = Some(p);
                }
            }
        }
        let Some(p) = best else { break };
        let raises =
            compare_fractions(positives + p.added_positives, count + p.added, positives, count) == Ordering::Greater;
        if !raises {
            break;
        }
        let values = &prim.columns[p.column].values;
        match p.side {
            // A bound past every value of the column restricts nothing.
            Side::Low => {
                lower[p.column] = if values.iter().all(|&x| x >= p.bound) { f64::NEG_INFINITY } else { p.bound }
            }
            Side::High => upper[p.column] = if values.iter().all(|&x| x <= p.bound) { f64::INFINITY } else { p.bound },
        }
        count += p.added;
        positives += p.added_positives;
        debug_assert_eq!((count, positives), prim.recount(&lower, &upper));
    }
    prim.make_box(lower, upper, count, positives)
}

pub(super) fn simplify(prim: &Prim, b: &PrimBox, max_density_loss: f64) -> PrimBox {
    assert_eq!(b.lower.len(), prim.columns.len(), "the box must have one interval per column");
    let (mut lower, mut upper) = (b.lower.clone(), b.upper.clone());
    let (mut count, mut positives) = prim.recount(&lower, &upper);
    let floor = positives as f64 / count.max(1) as f64 - max_density_loss;
    loop {
        let lists = single_failures(prim, &lower, &upper);
        // The restricted side whose removal leaves the highest density; ties keep the first.
        let mut best: Option<(usize, Side, usize, usize)> = None;
        for c in 0..prim.columns.len() {
            for side in [Side::Low, Side::High] {
                let restricted = match side {
                    Side::Low => lower[c].is_finite(),
                    Side::High => upper[c].is_finite(),
                };
                if !restricted {
                    continue;
                }
                let rows = &lists[slot(c, side)];
                let n = count + rows.len();
                let p = positives + rows.iter().filter(|&&i| prim.y[i as usize]).count();
                if best.is_none_or(|(_, _, bn, bp)| compare_fractions(p, n, bp, bn) == Ordering::Greater) {
                    best = Some((c, side, n, p));
                }
            }
        }
        let Some((c, side, n, p)) = best else { break };
        if (p as f64 / n as f64) < floor {
            break;
        }
        match side {
            Side::Low => lower[c] = f64::NEG_INFINITY,
            Side::High => upper[c] = f64::INFINITY,
        }
        (count, positives) = (n, p);
        debug_assert_eq!((count, positives), prim.recount(&lower, &upper));
    }
    prim.make_box(lower, upper, count, positives)
}
