//! Peeling: the box shrinks by one small slice at a time (see the module documentation).
//!
//! Each column keeps the rows still in the box sorted by value (ties by row), so a candidate
//! peel is a prefix or suffix of that list: finding one costs its size plus a binary search, and
//! a step costs one pass over the lists to drop the peeled rows. No step sorts.

use super::boxes::{compare_fractions, PrimBox};
use super::{step_size, take_count, Prim, Side};
use rayon::prelude::*;
use std::cmp::Ordering;

/// One candidate peel.
#[derive(Clone, Copy, Debug)]
struct Peel {
    column: usize,
    side: Side,
    /// Rows and true rows it removes.
    removed: usize,
    removed_positives: usize,
    /// The new bound: the value of the nearest row that stays.
    bound: f64,
}

pub(super) fn peel(prim: &Prim) -> Vec<PrimBox> {
    let rows = prim.rows();
    let columns: Vec<&[f64]> = prim.columns.iter().map(|c| c.values.as_slice()).collect();
    let y = &prim.y;
    // Fewest rows a box may keep (a small allowance so that e.g. 0.05 · 20,000 is 1,000).
    let min_count = ((prim.options.min_mass * rows as f64 - 1e-9).ceil() as usize).max(1);

    let mut order: Vec<Vec<u32>> = columns
        .par_iter()
        .map(|values| {
            let mut o: Vec<u32> = (0..rows as u32).collect();
            // Stable: equal values stay in row order.
            o.sort_by(|&a, &b| values[a as usize].total_cmp(&values[b as usize]));
            o
        })
        .collect();
    let mut in_box = vec![true; rows];
    let mut lower = vec![f64::NEG_INFINITY; columns.len()];
    let mut upper = vec![f64::INFINITY; columns.len()];
    let (mut count, mut positives) = (rows, prim.positives);
    let mut boxes = vec![prim.make_box(lower.clone(), upper.clone(), count, positives)];

    loop {
        let r = step_size(prim.options.alpha, count);
        let mut best: Option<Peel> = None;
        for (c, values) in columns.iter().enumerate() {
            for side in [Side::Low, Side::High] {
                let Some(p) = candidate(c, values, &order[c], y, side, r) else { continue };
                if count - p.removed < min_count {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some(b) => {
                        efficiency(positives, count, &p)
                            .cmp(&efficiency(positives, count, b))
                            .then(b.removed.cmp(&p.removed))
                            == Ordering::Greater
                    }
                };
                if better {
                    best = Some(p);
                }
            }
        }
        let Some(p) = best else { break };
        let raises = compare_fractions(positives - p.removed_positives, count - p.removed, positives, count)
            == Ordering::Greater;
        if !raises {
            break;
        }
        let ord = &order[p.column];
        let peeled = match p.side {
            Side::Low => &ord[..p.removed],
            Side::High => &ord[ord.len() - p.removed..],
        };
        for &i in peeled {
            in_box[i as usize] = false;
        }
        match p.side {
            Side::Low => lower[p.column] = p.bound,
            Side::High => upper[p.column] = p.bound,
        }
        count -= p.removed;
        positives -= p.removed_positives;
        order.par_iter_mut().for_each(|o| o.retain(|&i| in_box[i as usize]));
        boxes.push(prim.make_box(lower.clone(), upper.clone(), count, positives));
    }
    boxes
}

/// A peel's rise in density per share of the box it removes, as an exact fraction compared by
/// cross-multiplication: with P true rows of C in the box and a peel removing p of c rows, the
/// rise is (P − p)/(C − c) − P/C = (P·c − p·C) / (C·(C − c)); per share c/C removed, that is
/// (P·c − p·C) / (c·(C − c)). For peels of equal size it ranks as the density after the peel;
/// it keeps a large peel of tied values (say 75 % of the box sharing one value) from winning on
/// a small rise that a patient 5 % peel elsewhere would beat per row removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Efficiency {
    num: i128,
    den: i128,
}

impl Ord for Efficiency {
    fn cmp(&self, other: &Self) -> Ordering {
        // denominators are positive
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl PartialOrd for Efficiency {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn efficiency(positives: usize, count: usize, p: &Peel) -> Efficiency {
    let (big_p, big_c, p_, c_) = (positives as i128, count as i128, p.removed_positives as i128, p.removed as i128);
    Efficiency { num: big_p * c_ - p_ * big_c, den: c_ * (big_c - c_) }
}

/// The peel of `side` of column `c`, whose in-box rows are `ord` (sorted by value); `None` if
/// the column has a single value in the box.
fn candidate(c: usize, values: &[f64], ord: &[u32], y: &[bool], side: Side, r: usize) -> Option<Peel> {
    let k = ord.len();
    if k < 2 || values[ord[0] as usize] == values[ord[k - 1] as usize] {
        return None;
    }
    // Position i in the order rows leave from this side.
    let at = |i: usize| match side {
        Side::Low => ord[i] as usize,
        Side::High => ord[k - 1 - i] as usize,
    };
    let removed = take_count(k, r, |i| values[at(i)]);
    // Cannot happen (the column is not constant and r < k for alpha ≤ 0.5, k ≥ 2), but a peel
    // must leave a row.
    if removed >= k {
        return None;
    }
    let removed_positives = (0..removed).filter(|&i| y[at(i)]).count();
    Some(Peel { column: c, side, removed, removed_positives, bound: values[at(removed)] })
}
