//! Variance-based sensitivity (Sobol indices) of any function of a vector of inputs in the unit
//! hypercube (map each coordinate through an inverse CDF to get other distributions).
//!
//! ```
//! use parkcast::sensitivity::sobol::{analyze, SaltelliDesign};
//! let design = SaltelliDesign::ungrouped(1024, 2).unwrap();
//! let s = analyze(&design, |x| x[0] + 0.1 * x[1], 200, 1);
//! assert!(s.first[0].estimate > 0.95);
//! ```
//!
//! [`SaltelliDesign`] lays out the n · (groups + 2) rows to evaluate; [`estimate`] turns their
//! outputs into first-order and total indices with bootstrap intervals; [`analyze`] does both,
//! evaluating rows in parallel.

mod design;
mod estimate;

pub use design::{RowKind, SaltelliDesign, Sampling, MAX_N, MAX_SEQUENCE_DIMS, MAX_SKIP, MAX_SOBOL_INPUTS};
pub use estimate::{estimate, estimate_cancellable, Index, SobolIndices};

use rayon::prelude::*;

/// Why a design cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SobolError {
    #[error("a Sobol design needs at least one input")]
    NoInputs,
    #[error(
        "{dims} inputs need a Sobol sequence of {} dimensions (A and B side by side), more than the \
         {MAX_SEQUENCE_DIMS} of the Joe–Kuo direction numbers: at most {max} inputs (group them)",
        2 * dims
    )]
    TooManyInputs { dims: usize, max: usize },
    #[error("the base sample size n must be a power of two, at least 2; got {n}")]
    TooFewPoints { n: usize },
    #[error("the base sample size n must be a power of two; {n} is not (the nearest are {below} and {above})")]
    NotPowerOfTwo { n: usize, below: usize, above: usize },
    #[error("the base sample size n = {n} is more than the largest supported, {max}")]
    TooManyPoints { n: usize, max: usize },
    #[error("skip must be at least 1: the first Sobol point is all zeros (an inverse CDF makes it infinite)")]
    SkipZero,
    #[error("skip = {skip} is more than the largest supported, {max}")]
    SkipTooLarge { skip: usize, max: usize },
    #[error("group {group} is empty")]
    EmptyGroup { group: usize },
    #[error("group {group} names input {input}, but the inputs are 0..{dims}")]
    InputOutOfRange { group: usize, input: usize, dims: usize },
    #[error("input {input} is in group {first} and in group {second}; each input must be in exactly one group")]
    InputInTwoGroups { input: usize, first: usize, second: usize },
    #[error("input {input} is in no group; each input must be in exactly one group")]
    InputInNoGroup { input: usize },
}

/// The outputs of `f` on every row of `design`, in row order. Rows are evaluated in parallel on
/// the current rayon pool; the result does not depend on the number of threads.
pub fn evaluate<F>(design: &SaltelliDesign, f: F) -> Vec<f64>
where
    F: Fn(&[f64]) -> f64 + Sync,
{
    (0..design.rows())
        .into_par_iter()
        .map_init(
            || vec![0.0; design.dims()],
            |x, row| {
                design.point(row, x);
                f(x)
            },
        )
        .collect()
}

/// [`evaluate`] then [`estimate`]: the Sobol indices of `f` over `design`.
pub fn analyze<F>(design: &SaltelliDesign, f: F, bootstrap: usize, seed: u64) -> SobolIndices
where
    F: Fn(&[f64]) -> f64 + Sync,
{
    estimate(design, &evaluate(design, f), bootstrap, seed)
}
