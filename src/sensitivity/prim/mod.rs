//! Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999):
//! given input columns and a yes/no outcome per row (say "the target was missed"), find boxes —
//! one interval per input — in which the outcome is concentrated, described by short rules.
//!
//! ```
//! use parkcast::sensitivity::prim::{Column, Prim, PrimOptions};
//! let x: Vec<f64> = (0..1000).map(|i| (i % 100) as f64).collect();
//! let y: Vec<bool> = x.iter().map(|&v| v >= 80.0).collect();
//! let prim = Prim::new(vec![Column { name: "x".into(), values: x }], y, PrimOptions::default()).unwrap();
//! let found = prim.find(0.9, 0.0).unwrap();
//! assert_eq!(found.restrictions()[0].lower, Some(80.0));
//! assert_eq!(found.density(), 1.0);
//! ```
//!
//! **Inclusion rule.** A row is in a box when `lower ≤ x ≤ upper` for every column (closed on
//! both sides; unrestricted sides are ∓∞). Finite bounds are always values that occur in the
//! data. Every count — coverage, density, mass, the counts that steer peeling, pasting and
//! simplifying — uses this rule.
//!
//! **Peeling** ([`Prim::peel`]). From the whole space, each step considers, for every column,
//! removing the rows of the box with the lowest values or with the highest, about a share
//! `alpha` of the box's rows. The target is
//! r = max(1, round(alpha · rows in box)) rows. With ties (integer-valued columns) a peel removes
//! whole values only: it takes the most rows ≤ r that end at a change of value; if the lowest
//! (highest) value alone has more than r rows it removes just that value — the smallest peel
//! possible on that side, so a peel never exceeds r unless no smaller one exists. Candidates that
//! would leave fewer than `min_mass` of all rows are skipped. The peel made is the one with the
//! largest rise in density per share of the box removed — for peels of equal size simply the
//! one leaving the highest density, while a large peel of tied values must earn its size;
//! peeling stops when no candidate raises the density. Ties between candidates: the smaller
//! peel, then the lower column, then the low side. Densities are compared exactly (as fractions of counts), so results do not
//! depend on rounding.
//!
//! **Choosing, pasting, simplifying.** [`Trajectory::choose`] picks a box by coverage;
//! [`Prim::paste`] widens it again where that raises density; [`Prim::simplify`] drops the
//! sides that matter least; [`Prim::find`] does all three.

mod boxes;
mod peel;
mod refine;
#[cfg(test)]
mod tests;

pub use boxes::{PrimBox, Restriction, Trajectory};

/// One input column: a name (for the caller's rules) and one value per row.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: Vec<f64>,
}

/// PRIM's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's rows a peel removes (or a paste adds), in (0, 0.5]. Default 0.05.
    pub alpha: f64,
    /// Smallest share of all rows a peeled box may hold, in (0, 1]. Default 0.05.
    pub min_mass: f64,
    /// Whether [`Prim::find`] pastes the chosen box. Default true.
    pub paste: bool,
}

impl Default for PrimOptions {
    fn default() -> PrimOptions {
        PrimOptions { alpha: 0.05, min_mass: 0.05, paste: true }
    }
}

/// Why PRIM cannot run on the data given.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PrimError {
    #[error("PRIM needs at least one input column")]
    NoColumns,
    #[error("PRIM needs at least one row")]
    NoRows,
    #[error("{rows} rows are more than PRIM supports ({max})")]
    TooManyRows { rows: usize, max: usize },
    #[error("column {column:?} has {len} values but there are {rows} outcomes")]
    LengthMismatch { column: String, len: usize, rows: usize },
    #[error("column {column:?} row {row} is {value}; every value must be a finite number")]
    NotFinite { column: String, row: usize, value: f64 },
    #[error("every one of the {rows} outcomes is {value}; PRIM needs both true and false rows")]
    OneOutcome { value: bool, rows: usize },
    #[error("alpha = {alpha} must be more than 0 and at most 0.5")]
    BadAlpha { alpha: f64 },
    #[error("min_mass = {min_mass} must be more than 0 and at most 1")]
    BadMinMass { min_mass: f64 },
}

/// Validated data and settings for PRIM.
#[derive(Clone, Debug)]
pub struct Prim {
    columns: Vec<Column>,
    y: Vec<bool>,
    positives: usize,
    options: PrimOptions,
}

impl Prim {
    /// Checks the data: at least one column, every column as long as `y` with finite values,
    /// both outcomes present, and the options in range. (−0.0 is stored as 0.0.)
    pub fn new(mut columns: Vec<Column>, y: Vec<bool>, options: PrimOptions) -> Result<Prim, PrimError> {
        if !(options.alpha > 0.0 && options.alpha <= 0.5) {
            return Err(PrimError::BadAlpha { alpha: options.alpha });
        }
        if !(options.min_mass > 0.0 && options.min_mass <= 1.0) {
            return Err(PrimError::BadMinMass { min_mass: options.min_mass });
        }
        if columns.is_empty() {
            return Err(PrimError::NoColumns);
        }
        let rows = y.len();
        if rows == 0 {
            return Err(PrimError::NoRows);
        }
        if rows > u32::MAX as usize {
            return Err(PrimError::TooManyRows { rows, max: u32::MAX as usize });
        }
        for column in &mut columns {
            if column.values.len() != rows {
                return Err(PrimError::LengthMismatch { column: column.name.clone(), len: column.values.len(), rows });
            }
            if let Some(row) = column.values.iter().position(|v| !v.is_finite()) {
                return Err(PrimError::NotFinite { column: column.name.clone(), row, value: column.values[row] });
            }
            // −0.0 == 0.0 for the inclusion rule but not for sorting by total order.
            column.values.iter_mut().for_each(|v| *v += 0.0);
        }
        let positives = y.iter().filter(|&&t| t).count();
        if positives == 0 || positives == rows {
            return Err(PrimError::OneOutcome { value: positives == rows, rows });
        }
        Ok(Prim { columns, y, positives, options })
    }

    /// The input columns, in the order boxes index them.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The outcome of each row.
    pub fn outcomes(&self) -> &[bool] {
        &self.y
    }

    /// The settings.
    pub fn options(&self) -> &PrimOptions {
        &self.options
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.y.len()
    }

    /// The peeling trajectory (see the module documentation).
    pub fn peel(&self) -> Trajectory {
        Trajectory { boxes: peel::peel(self) }
    }

    /// `b` widened by pasting: each step considers, for every side of every column, letting in
    /// about `alpha` · (rows in box) of the rows that fail only that side (the nearest ones,
    /// whole values only, by the same rule as peeling), and makes the one that gives the highest
    /// density (ties: fewer rows added, lower column, low side); it stops when none raises the
    /// density. A side widened past every row is unrestricted. Counts are taken afresh on this
    /// data. Panics if `b` does not have one interval per column.
    pub fn paste(&self, b: &PrimBox) -> PrimBox {
        refine::paste(self, b)
    }

    /// `b` with the sides that matter least dropped, one at a time: each step drops the
    /// restricted side whose removal leaves the highest density (ties: lower column, then the
    /// lower side), as long as the density stays ≥ `b.density() − max_density_loss` (the loss
    /// is bounded in total, not per step). Panics if `b` does not have one interval per column.
    pub fn simplify(&self, b: &PrimBox, max_density_loss: f64) -> PrimBox {
        refine::simplify(self, b, max_density_loss)
    }

    /// Peels, chooses the densest box with coverage ≥ `min_coverage`, pastes it (if the options
    /// say so), and simplifies it with `max_density_loss`. `None` if `min_coverage` > 1.
    pub fn find(&self, min_coverage: f64, max_density_loss: f64) -> Option<PrimBox> {
        let trajectory = self.peel();
        let chosen = trajectory.choose(min_coverage)?;
        let pasted = if self.options.paste { self.paste(chosen) } else { chosen.clone() };
        Some(self.simplify(&pasted, max_density_loss))
    }

    /// The rows in `b`, in order. Panics if `b` does not have one interval per column.
    pub fn members(&self, b: &PrimBox) -> Vec<usize> {
        assert_eq!(b.lower.len(), self.columns.len(), "the box must have one interval per column");
        (0..self.rows()).filter(|&i| self.row_in(i, &b.lower, &b.upper)).collect()
    }

    /// A box with these bounds and its counts on this data.
    fn make_box(&self, lower: Vec<f64>, upper: Vec<f64>, count: usize, positives: usize) -> PrimBox {
        PrimBox { lower, upper, count, positives, rows: self.rows(), all_positives: self.positives }
    }

    /// Counts the rows and true rows within these bounds (a full pass).
    fn recount(&self, lower: &[f64], upper: &[f64]) -> (usize, usize) {
        (0..self.rows())
            .filter(|&i| self.row_in(i, lower, upper))
            .fold((0, 0), |(n, p), i| (n + 1, p + self.y[i] as usize))
    }

    fn row_in(&self, row: usize, lower: &[f64], upper: &[f64]) -> bool {
        self.columns.iter().enumerate().all(|(c, col)| lower[c] <= col.values[row] && col.values[row] <= upper[c])
    }
}

/// Side of a column's interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Low,
    High,
}

/// r = max(1, round(alpha · rows)): the rows one peel or paste aims to move.
fn step_size(alpha: f64, rows: usize) -> usize {
    ((alpha * rows as f64).round() as usize).max(1)
}

/// Of `k` values sorted in the order they would leave (or join) the box, how many to take when
/// aiming at `r ≥ 1`, taking whole values only: all if k ≤ r; else the most ≤ r that end at a
/// change of value; if the first value alone has more than r rows, exactly the rows of that
/// value.
fn take_count(k: usize, r: usize, value: impl Fn(usize) -> f64) -> usize {
    debug_assert!(r >= 1);
    if k <= r {
        return k;
    }
    let w = value(r);
    if value(r - 1) != w {
        return r;
    }
    // Values before index r equal to w form a run ending at r; find where it starts.
    let start = partition_point(0, r, |i| value(i) != w);
    if start > 0 {
        start
    } else {
        partition_point(r + 1, k, |i| value(i) == w)
    }
}

/// The first i in lo..hi where `pred` is false, for a `pred` true on a prefix (hi if none).
fn partition_point(mut lo: usize, mut hi: usize, pred: impl Fn(usize) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}
