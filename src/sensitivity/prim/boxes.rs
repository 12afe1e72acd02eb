//! Boxes, their restrictions, and the peeling trajectory.

use std::cmp::Ordering;

/// A box: one closed interval `lower ≤ x ≤ upper` per input column, with −∞ / +∞ for a side
/// that is not restricted, and what it holds of the data it was found on.
///
/// **Inclusion rule** (used for every count, everywhere): a row is in the box when, for every
/// column, `lower ≤ x ≤ upper`. Finite bounds are always values that occur in the column, so a
/// rule reads as the data does (`k ≥ 7` for a count).
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    pub(super) lower: Vec<f64>,
    pub(super) upper: Vec<f64>,
    pub(super) count: usize,
    pub(super) positives: usize,
    /// All rows and all true rows of the data.
    pub(super) rows: usize,
    pub(super) all_positives: usize,
}

/// The restricted sides of one column of a box: the box holds `lower ≤ x ≤ upper`, a missing
/// side being unrestricted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Restriction {
    pub column: usize,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl Restriction {
    /// Whether `x` satisfies this restriction.
    pub fn contains(&self, x: f64) -> bool {
        self.lower.is_none_or(|l| l <= x) && self.upper.is_none_or(|u| x <= u)
    }
}

impl PrimBox {
    /// Lower bound of each column (−∞ when unrestricted).
    pub fn lower(&self) -> &[f64] {
        &self.lower
    }

    /// Upper bound of each column (+∞ when unrestricted).
    pub fn upper(&self) -> &[f64] {
        &self.upper
    }

    /// Rows in the box.
    pub fn count(&self) -> usize {
        self.count
    }

    /// True rows in the box.
    pub fn positives(&self) -> usize {
        self.positives
    }

    /// Share of all true rows that are in the box.
    pub fn coverage(&self) -> f64 {
        self.positives as f64 / self.all_positives as f64
    }

    /// Share of the rows in the box that are true (0 for an empty box).
    pub fn density(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.positives as f64 / self.count as f64
        }
    }

    /// Share of all rows that are in the box.
    pub fn mass(&self) -> f64 {
        self.count as f64 / self.rows as f64
    }

    /// The restricted columns in column order, each with its restricted sides.
    pub fn restrictions(&self) -> Vec<Restriction> {
        (0..self.lower.len())
            .filter_map(|c| {
                let lower = Some(self.lower[c]).filter(|l| l.is_finite());
                let upper = Some(self.upper[c]).filter(|u| u.is_finite());
                (lower.is_some() || upper.is_some()).then_some(Restriction { column: c, lower, upper })
            })
            .collect()
    }

    /// Whether a row with these values (one per column) is in the box.
    pub fn contains(&self, values: &[f64]) -> bool {
        assert_eq!(values.len(), self.lower.len(), "one value per column");
        values.iter().zip(self.lower.iter().zip(&self.upper)).all(|(x, (l, u))| l <= x && x <= u)
    }

    /// Whether this box's density is higher than `other`'s (compared exactly, as fractions).
    pub(super) fn denser(&self, other: &PrimBox) -> Ordering {
        compare_fractions(self.positives, self.count, other.positives, other.count)
    }
}

/// Compares a/b with c/d exactly (b, d > 0).
pub(super) fn compare_fractions(a: usize, b: usize, c: usize, d: usize) -> Ordering {
    (a as u128 * d as u128).cmp(&(c as u128 * b as u128))
}

/// The boxes of one peeling run, from the whole space (box 0) to the last peel; each box is
/// inside the one before it and has fewer rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub(super) boxes: Vec<PrimBox>,
}

impl Trajectory {
    /// Every box, in peeling order.
    pub fn boxes(&self) -> &[PrimBox] {
        &self.boxes
    }

    /// The box with the highest density among those with coverage ≥ `min_coverage`; of boxes
    /// with equal density (compared exactly), the one with the higher coverage, then the earlier
    /// one. `None` only when no box has that coverage (box 0 has coverage 1).
    pub fn choose(&self, min_coverage: f64) -> Option<&PrimBox> {
        self.boxes.iter().filter(|b| b.coverage() >= min_coverage).fold(None, |best: Option<&PrimBox>, b| match best {
            None => Some(b),
            Some(best) => match b.denser(best).then(b.positives.cmp(&best.positives)) {
                Ordering::Greater => Some(b),
                _ => Some(best),
            },
        })
    }
}
