//! What is known by an as-of month (monitoring): facts fixed in every trial, in model time
//! (months since the start of 2024-11; the end of the as-of month is `as_of`).

use std::sync::Arc;

/// A time that has been observed: at a month, or not yet by the as-of month.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KnownTime {
    /// At the start of this month index.
    At(f64),
    /// Not by the end of the as-of month.
    NotYet,
}

/// What is known of one block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnownBlock {
    /// The end of the as-of month.
    pub as_of: f64,
    pub start: Option<KnownTime>,
    /// First operation (delivery of the first phase).
    pub operation: Option<KnownTime>,
    pub area_m2: Option<f64>,
    /// Occupied share of the delivered floor area at `as_of`.
    pub occupancy: Option<f64>,
    pub tech_smes: Option<f64>,
    pub specialized: Option<f64>,
    /// Revenue of all the block's firms over the 12 months to `as_of`, CNY.
    pub revenue_cny: Option<f64>,
    /// People working in the block at `as_of`.
    pub jobs: Option<f64>,
}

/// What is known of the existing base.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KnownBase {
    /// (calendar year, above-scale revenue of the central city's base that year, CNY).
    pub revenue: Option<(i32, f64)>,
    /// (time, 专精特新 firms) and (time, tech SMEs), city-wide, before any district share.
    pub specialized: Option<(f64, f64)>,
    pub tech_smes: Option<(f64, f64)>,
}

/// The common factors learnt from observations: factor deviations (from their means) of prior
/// trials, each with a weight; every trial draws one vector of them.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorPool {
    pub deviations: Vec<[f64; 7]>,
    /// Running sums of the normalised weights (last = 1).
    pub cumulative: Vec<f64>,
}

impl FactorPool {
    /// A pool from vectors and non-negative weights (not all zero).
    pub fn new(deviations: Vec<[f64; 7]>, weights: &[f64]) -> FactorPool {
        let total: f64 = weights.iter().sum();
        let mut sum = 0.0;
        let mut cumulative: Vec<f64> = weights
            .iter()
            .map(|w| {
                sum += w / total;
                sum
            })
            .collect();
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        FactorPool { deviations, cumulative }
    }

    /// The vector a uniform draw `u` in [0, 1) picks.
    pub fn pick(&self, u: f64) -> &[f64; 7] {
        let i = self.cumulative.partition_point(|c| *c <= u).min(self.deviations.len() - 1);
        &self.deviations[i]
    }
}

/// Everything monitoring fixes in a plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Known {
    pub base: KnownBase,
    pub factors: Option<Arc<FactorPool>>,
}
