//! The Saltelli design: base matrices A and B from one Sobol sequence, and the rows that take
//! the inputs of one group from B.

use super::SobolError;
use sobol::params::JoeKuoD6;
use sobol::Sobol;

/// Bits of each Sobol coordinate: the significand of an `f64`, so every coordinate k / 2^53 is
/// exact.
const BITS: usize = 53;

/// Dimensions of the largest Joe–Kuo D6 table in the `sobol` crate. A and B together take
/// 2 · dims of them.
pub const MAX_SEQUENCE_DIMS: usize = 21_201;

/// The largest base sample size n accepted (2^30 base rows is far beyond any practical run; the
/// cap keeps every sequence index and row number well inside 53 bits).
pub const MAX_N: usize = 1 << 30;

/// The largest number of leading points that may be skipped.
pub const MAX_SKIP: usize = 1 << 40;

/// Inputs above which [`SaltelliDesign::new`] uses pseudo-random points instead of Sobol
/// points. Unscrambled Sobol points have strongly dependent projections in high dimensions at
/// practical n: with 520 inputs and n = 1024, the A and B columns of one input had a correlation
/// of 0.75 (measured), which ruins the estimators. Up to 64 inputs (128 sequence dimensions) the
/// worst A–B correlation measured was at the level of chance (≤ 0.05 at n = 1024).
pub const MAX_SOBOL_INPUTS: usize = 64;

/// Where the base points come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// One Sobol sequence of 2 · dims dimensions (quasi-Monte Carlo).
    Sobol,
    /// Independent uniform pseudo-random coordinates, each a hash of (seed, point, coordinate):
    /// plain Monte Carlo, for many inputs.
    Random { seed: u64 },
}

/// What a row of the design is: for base index j, A_j, B_j, or A_j with the inputs of group g
/// taken from B_j (written A_B^(g)_j).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowKind {
    A,
    B,
    /// A with the inputs of this group (0-based) taken from B.
    AB(usize),
}

/// A Saltelli design of `n` base points for a function of `dims` inputs in (0, 1), with the
/// inputs partitioned into groups (one index per group).
///
/// **Points.** One Sobol sequence of 2 · dims dimensions (Joe–Kuo D6 direction numbers, the
/// `sobol` crate's tables, 53-bit coordinates) gives base point j = 0..n as its point
/// `skip + j`: A_j is its first `dims` coordinates, B_j the other `dims`. Point 0 of a Sobol
/// sequence is all zeros and no other point of the first 2^53 has a zero coordinate, so with
/// `skip ≥ 1` every coordinate lies strictly inside (0, 1) (the largest is 1 − 2^-53) and inverse
/// CDFs of the coordinates are finite. `skip = n` (what [`SaltelliDesign::ungrouped`] uses) keeps
/// the n base points one whole block of the sequence, which is itself a (t, m, s)-net and so as
/// evenly spread as points 0..n (Owen 2020, "On dropping the first Sobol' point").
///
/// **Row layout.** `rows() = n · (groups + 2)`, in blocks of `groups + 2` rows per base index j
/// (the layout of SALib's Saltelli sample without second-order rows):
///
/// ```text
/// row j·(G+2)         A_j
/// row j·(G+2) + 1+g   A_B^(g)_j   (g = 0..G: A_j with group g's inputs from B_j)
/// row j·(G+2) + G+1   B_j
/// ```
///
/// Every row is computed from its number alone (no state, no iteration), so rows can be
/// evaluated in any order, in parallel chunks, with identical results.
#[derive(Clone, Debug)]
pub struct SaltelliDesign {
    n: usize,
    dims: usize,
    skip: usize,
    groups: Vec<Vec<usize>>,
    /// The group of each input.
    group_of: Vec<usize>,
    /// Direction numbers of the 2 · dims sequence dimensions, `BITS` per dimension, each in the
    /// top 53 bits of a u64 (the `sobol` crate's own representation); empty for random points.
    directions: Vec<Vec<u64>>,
    sampling: Sampling,
}

impl SaltelliDesign {
    /// A design of `n` base points (a power of two, at least 2) for `dims` inputs partitioned
    /// into `groups` (every input in exactly one group; groups are numbered by their position),
    /// skipping the first `skip ≥ 1` points of the Sobol sequence.
    ///
    /// Sobol points for up to [`MAX_SOBOL_INPUTS`] inputs, pseudo-random points (seeded by
    /// `skip`) above that; [`SaltelliDesign::with_sampling`] chooses explicitly.
    pub fn new(n: usize, dims: usize, groups: Vec<Vec<usize>>, skip: usize) -> Result<SaltelliDesign, SobolError> {
        let sampling = if dims <= MAX_SOBOL_INPUTS { Sampling::Sobol } else { Sampling::Random { seed: skip as u64 } };
        SaltelliDesign::with_sampling(n, dims, groups, skip, sampling)
    }

    /// A design with the given kind of points (`skip` only matters for Sobol points).
    pub fn with_sampling(
        n: usize,
        dims: usize,
        groups: Vec<Vec<usize>>,
        skip: usize,
        sampling: Sampling,
    ) -> Result<SaltelliDesign, SobolError> {
        if dims == 0 {
            return Err(SobolError::NoInputs);
        }
        if 2 * dims > MAX_SEQUENCE_DIMS {
            return Err(SobolError::TooManyInputs { dims, max: MAX_SEQUENCE_DIMS / 2 });
        }
        if n < 2 {
            return Err(SobolError::TooFewPoints { n });
        }
        if !n.is_power_of_two() {
            let above = n.next_power_of_two();
            return Err(SobolError::NotPowerOfTwo { n, below: above / 2, above });
        }
        if n > MAX_N {
            return Err(SobolError::TooManyPoints { n, max: MAX_N });
        }
        if skip == 0 {
            return Err(SobolError::SkipZero);
        }
        if skip > MAX_SKIP {
            return Err(SobolError::SkipTooLarge { skip, max: MAX_SKIP });
        }
        let group_of = partition(dims, &groups)?;
        let directions = match sampling {
            Sampling::Sobol => {
                let table = if 2 * dims <= 100 {
                    JoeKuoD6::minimal()
                } else if 2 * dims <= 1000 {
                    JoeKuoD6::standard()
                } else {
                    JoeKuoD6::extended()
                };
                Sobol::<f64>::init_direction_vals::<u32>(2 * dims, BITS, &table)
            }
            Sampling::Random { .. } => Vec::new(),
        };
        Ok(SaltelliDesign { n, dims, skip, groups, group_of, directions, sampling })
    }

    /// One group per input (group i = input i), skipping the first n points of the sequence.
    pub fn ungrouped(n: usize, dims: usize) -> Result<SaltelliDesign, SobolError> {
        SaltelliDesign::new(n, dims, (0..dims).map(|d| vec![d]).collect(), n)
    }

    /// Base sample size n.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of inputs.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Where the points come from.
    pub fn sampling(&self) -> Sampling {
        self.sampling
    }

    /// Number of leading points of the Sobol sequence skipped.
    pub fn skip(&self) -> usize {
        self.skip
    }

    /// The groups, as given.
    pub fn groups(&self) -> &[Vec<usize>] {
        &self.groups
    }

    /// Number of groups.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Number of rows: n · (groups + 2) (at most 2^30 · 10,602, well inside a u64).
    pub fn rows(&self) -> usize {
        self.n * self.block()
    }

    /// Rows per base index: groups + 2.
    fn block(&self) -> usize {
        self.groups.len() + 2
    }

    /// Which base index and kind a row is. Panics if `row ≥ rows()`.
    pub fn locate(&self, row: usize) -> (usize, RowKind) {
        assert!(row < self.rows(), "row {row} is outside the design's {} rows", self.rows());
        let (j, k) = (row / self.block(), row % self.block());
        let kind = match k {
            0 => RowKind::A,
            k if k == self.block() - 1 => RowKind::B,
            k => RowKind::AB(k - 1),
        };
        (j, kind)
    }

    /// The row of base index `j` and `kind`. Panics if j ≥ n or the group does not exist.
    pub fn row(&self, j: usize, kind: RowKind) -> usize {
        assert!(j < self.n, "base index {j} is outside 0..{}", self.n);
        let k = match kind {
            RowKind::A => 0,
            RowKind::AB(g) => {
                assert!(g < self.groups.len(), "group {g} is outside 0..{}", self.groups.len());
                g + 1
            }
            RowKind::B => self.block() - 1,
        };
        j * self.block() + k
    }

    /// Fills `out` (length dims) with the input vector of `row`, every coordinate in (0, 1).
    /// Panics if `row ≥ rows()` or `out.len() != dims()`.
    pub fn point(&self, row: usize, out: &mut [f64]) {
        assert_eq!(out.len(), self.dims, "the output buffer must have one slot per input");
        let (j, kind) = self.locate(row);
        let index = (self.skip + j) as u64;
        let gray = index ^ (index >> 1);
        for (d, x) in out.iter_mut().enumerate() {
            let from_b = match kind {
                RowKind::A => false,
                RowKind::B => true,
                RowKind::AB(g) => self.group_of[d] == g,
            };
            let column = if from_b { self.dims + d } else { d };
            *x = match self.sampling {
                Sampling::Sobol => coordinate(&self.directions[column], gray),
                Sampling::Random { seed } => random_coordinate(seed, j as u64, column as u64),
            };
        }
    }
}

/// Coordinate of the Sobol point whose Gray code is `gray`: the XOR of the direction numbers of
/// its set bits (Antonov–Saleev), the same value the `sobol` crate's iterator reaches
/// recursively.
#[inline]
fn coordinate(directions: &[u64], gray: u64) -> f64 {
    let mut x = 0u64;
    let mut bits = gray;
    while bits != 0 {
        x ^= directions[bits.trailing_zeros() as usize];
        bits &= bits - 1;
    }
    // x has only its top 53 bits set, so this is exact (as in `sobol`'s own rendering).
    x as f64 * (-64f64).exp2()
}

/// A uniform coordinate strictly inside (0, 1), a hash of (seed, point, column): the midpoint
/// of one of 2^53 equal cells.
#[inline]
fn random_coordinate(seed: u64, point: u64, column: u64) -> f64 {
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let h = mix(mix(mix(seed ^ 0x9e37_79b9_7f4a_7c15) ^ point) ^ column.wrapping_mul(0xd6e8_feb8_6659_fd93));
    ((h >> 11) as f64 + 0.5) * (-53f64).exp2()
}

/// Checks that `groups` partition 0..dims and returns the group of each input.
fn partition(dims: usize, groups: &[Vec<usize>]) -> Result<Vec<usize>, SobolError> {
    const UNSET: usize = usize::MAX;
    let mut group_of = vec![UNSET; dims];
    for (g, members) in groups.iter().enumerate() {
        if members.is_empty() {
            return Err(SobolError::EmptyGroup { group: g });
        }
        for &d in members {
            if d >= dims {
                return Err(SobolError::InputOutOfRange { group: g, input: d, dims });
            }
            if group_of[d] != UNSET {
                return Err(SobolError::InputInTwoGroups { input: d, first: group_of[d], second: g });
            }
            group_of[d] = g;
        }
    }
    match group_of.iter().position(|&g| g == UNSET) {
        Some(d) => Err(SobolError::InputInNoGroup { input: d }),
        None => Ok(group_of),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_inputs_get_independent_random_points_inside_the_unit_interval() {
        let d = SaltelliDesign::ungrouped(1024, 520).unwrap();
        assert_eq!(d.sampling(), Sampling::Random { seed: 1024 });
        let mut x = vec![0.0; 520];
        let (mut a, mut b) = (vec![], vec![]);
        for j in 0..1024 {
            d.point(d.row(j, RowKind::A), &mut x);
            assert!(x.iter().all(|v| *v > 0.0 && *v < 1.0));
            a.push(x[517]);
            d.point(d.row(j, RowKind::B), &mut x);
            b.push(x[517]);
        }
        // the A and B columns of one input are uncorrelated: |r| < 4.5 / sqrt(n)
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (ma, mb) = (mean(&a), mean(&b));
        let cov = a.iter().zip(&b).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / 1024.0;
        assert!((cov * 12.0).abs() < 4.5 / 32.0, "correlation {}", cov * 12.0);
        assert_eq!(SaltelliDesign::ungrouped(1024, 64).unwrap().sampling(), Sampling::Sobol);
    }

    fn rows_of(design: &SaltelliDesign) -> Vec<Vec<f64>> {
        let mut x = vec![0.0; design.dims()];
        (0..design.rows())
            .map(|r| {
                design.point(r, &mut x);
                x.clone()
            })
            .collect()
    }

    #[test]
    fn base_points_are_the_crates_sequence() {
        // A and B are points skip..skip+n of the crate's own 2·dims sequence, split in halves.
        for skip in [1, 8, 13] {
            let design = SaltelliDesign::new(8, 3, vec![vec![0], vec![1], vec![2]], skip).unwrap();
            let seq: Vec<Vec<f64>> = Sobol::<f64>::new(6, &JoeKuoD6::minimal()).skip(skip).take(8).collect();
            let mut x = vec![0.0; 3];
            for (j, p) in seq.iter().enumerate() {
                design.point(design.row(j, RowKind::A), &mut x);
                assert_eq!(x, p[..3]);
                design.point(design.row(j, RowKind::B), &mut x);
                assert_eq!(x, p[3..]);
            }
        }
    }

    #[test]
    fn first_points_match_published_sobol_values() {
        // The unscrambled Sobol points 1..8 of dims 1–3 (Joe–Kuo; the same as
        // scipy.stats.qmc.Sobol(3, scramble=False)), as A = dims 1–3 of a 6-dim sequence.
        let expected = [
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
        ];
        let design = SaltelliDesign::new(8, 3, vec![vec![0, 1, 2]], 1).unwrap();
        let mut x = vec![0.0; 3];
        for (j, e) in expected.iter().enumerate() {
            design.point(design.row(j, RowKind::A), &mut x);
            assert_eq!(x, e, "point {}", j + 1);
        }
    }

    #[test]
    fn rows_mix_a_and_b_by_group() {
        let design = SaltelliDesign::new(16, 5, vec![vec![3, 0], vec![1], vec![2, 4]], 16).unwrap();
        assert_eq!(design.rows(), 16 * 5);
        let rows = rows_of(&design);
        for j in 0..16 {
            let a = &rows[design.row(j, RowKind::A)];
            let b = &rows[design.row(j, RowKind::B)];
            for (g, members) in design.groups().iter().enumerate() {
                let row = design.row(j, RowKind::AB(g));
                assert_eq!(design.locate(row), (j, RowKind::AB(g)));
                for d in 0..5 {
                    let expected = if members.contains(&d) { b[d] } else { a[d] };
                    assert_eq!(rows[row][d], expected);
                }
            }
            assert_eq!(design.locate(design.row(j, RowKind::A)), (j, RowKind::A));
            assert_eq!(design.locate(design.row(j, RowKind::B)), (j, RowKind::B));
        }
    }

    #[test]
    fn every_coordinate_is_strictly_inside_the_unit_interval() {
        for skip in [1, 1024] {
            let design = SaltelliDesign::new(1024, 10, (0..10).map(|d| vec![d]).collect(), skip).unwrap();
            for row in rows_of(&design) {
                assert!(row.iter().all(|&u| u > 0.0 && u < 1.0), "{row:?}");
            }
        }
        // Point 0, which skip ≥ 1 leaves out, is the one with zeros.
        let first = Sobol::<f64>::new(20, &JoeKuoD6::minimal()).next().unwrap();
        assert!(first.iter().all(|&u| u == 0.0));
    }

    #[test]
    fn rows_do_not_depend_on_evaluation_order() {
        let design = SaltelliDesign::ungrouped(64, 4).unwrap();
        let forward = rows_of(&design);
        let mut x = vec![0.0; 4];
        for row in (0..design.rows()).rev() {
            design.point(row, &mut x);
            assert_eq!(x, forward[row]);
        }
    }

    #[test]
    fn a_large_design_uses_the_larger_tables() {
        // 2 · 600 dims needs the 21,201-dimension table; the last dims are still in (0, 1).
        let design = SaltelliDesign::ungrouped(4, 600).unwrap();
        let mut x = vec![0.0; 600];
        for row in 0..design.rows() {
            design.point(row, &mut x);
            assert!(x.iter().all(|&u| u > 0.0 && u < 1.0));
        }
    }

    #[test]
    fn bad_sizes_are_errors() {
        let err = SaltelliDesign::ungrouped(1000, 3).unwrap_err();
        assert_eq!(err, SobolError::NotPowerOfTwo { n: 1000, below: 512, above: 1024 });
        assert!(
            err.to_string().contains("1000") && err.to_string().contains("512") && err.to_string().contains("1024")
        );
        assert_eq!(SaltelliDesign::ungrouped(1, 3).unwrap_err(), SobolError::TooFewPoints { n: 1 });
        assert_eq!(SaltelliDesign::ungrouped(0, 3).unwrap_err(), SobolError::TooFewPoints { n: 0 });
        assert_eq!(SaltelliDesign::ungrouped(8, 0).unwrap_err(), SobolError::NoInputs);
        let err = SaltelliDesign::ungrouped(8, 10_601).unwrap_err();
        assert_eq!(err, SobolError::TooManyInputs { dims: 10_601, max: 10_600 });
        assert!(err.to_string().contains("21201"), "{err}");
        assert_eq!(SaltelliDesign::new(8, 1, vec![vec![0]], 0).unwrap_err(), SobolError::SkipZero);
        assert_eq!(
            SaltelliDesign::ungrouped(MAX_N * 2, 1).unwrap_err(),
            SobolError::TooManyPoints { n: MAX_N * 2, max: MAX_N }
        );
    }

    #[test]
    fn groups_must_partition_the_inputs() {
        let new = |groups: Vec<Vec<usize>>| SaltelliDesign::new(8, 4, groups, 8).unwrap_err();
        assert_eq!(new(vec![vec![0, 1], vec![2]]), SobolError::InputInNoGroup { input: 3 });
        assert_eq!(
            new(vec![vec![0, 1], vec![2, 1], vec![3]]),
            SobolError::InputInTwoGroups { input: 1, first: 0, second: 1 }
        );
        assert_eq!(new(vec![vec![0, 1, 2, 3, 4]]), SobolError::InputOutOfRange { group: 0, input: 4, dims: 4 });
        assert_eq!(new(vec![vec![0, 1, 2, 3], vec![]]), SobolError::EmptyGroup { group: 1 });
        assert!(new(vec![vec![0, 1], vec![2]]).to_string().contains("input 3"));
    }
}
