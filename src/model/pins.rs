//! Pinned values: parameter values (and common-factor values) that replace a trial's draws.
//!
//! Sensitivity analysis evaluates the model at chosen points of its input space (Sobol) and
//! monitoring fixes what has been observed. A pinned draw is still made and then replaced, so
//! every other draw of the trial is the same whether or not something is pinned.

use crate::scenario::PARAMS;

/// Values that replace draws; NaN means "drawn as usual".
#[derive(Clone, Debug, PartialEq)]
pub struct Pins {
    /// `blocks[b * PARAMS.len() + p]`.
    blocks: Vec<f64>,
    city: Vec<f64>,
    /// Standard-normal values of the seven common factors before correlation (macro, three
    /// districts, three industries).
    factor_z: [f64; 7],
    /// Values of the correlated factors themselves, in standard deviations from their mean.
    factor_sd: [f64; 7],
}

impl Pins {
    /// Nothing pinned, for `blocks` annex blocks.
    pub fn none(blocks: usize) -> Pins {
        Pins {
            blocks: vec![f64::NAN; blocks * PARAMS.len()],
            city: vec![f64::NAN; PARAMS.len()],
            factor_z: [f64::NAN; 7],
            factor_sd: [f64::NAN; 7],
        }
    }

    /// Unpins everything.
    pub fn clear(&mut self) {
        self.blocks.fill(f64::NAN);
        self.city.fill(f64::NAN);
        self.factor_z = [f64::NAN; 7];
        self.factor_sd = [f64::NAN; 7];
    }

    /// Pins the value of correlated factor `k` to `sd` standard deviations from its mean (the
    /// other factors keep their draws).
    pub fn set_factor_sd(&mut self, k: usize, sd: f64) {
        self.factor_sd[k] = sd;
    }

    pub fn factor_sd(&self) -> &[f64; 7] {
        &self.factor_sd
    }

    pub fn set_block(&mut self, block: usize, param: usize, value: f64) {
        self.blocks[block * PARAMS.len() + param] = value;
    }

    pub fn set_city(&mut self, param: usize, value: f64) {
        self.city[param] = value;
    }

    /// Pins the standard-normal draw of factor `k` (before the correlation is applied).
    pub fn set_factor_z(&mut self, k: usize, z: f64) {
        self.factor_z[k] = z;
    }

    /// Block `block`'s pins, indexed by parameter.
    pub fn block(&self, block: usize) -> &[f64] {
        &self.blocks[block * PARAMS.len()..(block + 1) * PARAMS.len()]
    }

    pub fn city(&self) -> &[f64] {
        &self.city
    }

    pub fn factor_z(&self) -> &[f64; 7] {
        &self.factor_z
    }
}

/// `x`, unless `pin` holds a value.
#[inline]
pub fn pinned(pin: Option<f64>, x: f64) -> f64 {
    match pin {
        Some(p) if !p.is_nan() => p,
        _ => x,
    }
}
