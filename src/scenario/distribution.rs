//! Probability distributions of scenario parameters.
//!
//! A [`Dist`] is built by a constructor that validates its parameters and can fail
//! ([`DistError`]); once built, sampling cannot fail. Every distribution also knows its support,
//! so a scenario can check that a parameter's distribution stays inside the parameter's allowed
//! range (e.g. a delay in months cannot be normal: it could go negative).

use super::inversion::{normal_inv, poisson_cdf_table, LazyTable, QuantileTable};
use std::fmt;
use std::sync::Arc;

/// The names of the distribution families, as written in scenario files.
pub const FAMILIES: [&str; 10] =
    ["fixed", "uniform", "triangular", "pert", "normal", "lognormal", "beta", "poisson", "bernoulli", "discrete"];

/// The largest beta shape parameter accepted (beta and PERT): beyond it the incomplete beta
/// function loses its digits and the distribution is a point for every purpose here.
pub const MAX_BETA_SHAPE: f64 = 1.0e6;

/// A validated distribution over real numbers (counts and events are reals too: 3.0, 0.0/1.0).
#[derive(Clone, Debug)]
pub enum Dist {
    Fixed(f64),
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
        /// (mode − min)/(max − min), the CDF at the mode (computed once: sampling divides no more).
        at_mode: f64,
    },
    /// PERT: min + (max − min)·Beta(alpha, beta) with the shapes of [`Dist::pert_shapes`].
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        shape: f64,
        table: LazyTable,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Log-normal: ln X ~ Normal(mu, sigma); `median_p90` keeps the form it was given in.
    LogNormal {
        mu: f64,
        sigma: f64,
        median_p90: Option<(f64, f64)>,
    },
    Beta {
        alpha: f64,
        beta: f64,
        table: LazyTable,
    },
    Poisson {
        lambda: f64,
        /// P(X ≤ k) by k (empty for a large λ: the quantile is computed).
        cdf: Arc<[f64]>,
    },
    Bernoulli {
        p: f64,
    },
    /// Values with weights; `cumulative` holds the running sums of the weights (last = 1).
    Discrete {
        values: Vec<f64>,
        weights: Vec<f64>,
        cumulative: Vec<f64>,
    },
}

/// Why a distribution's parameters are invalid. The message says what is allowed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DistError(pub String);

/// The most values a `discrete` distribution may list. Each block keeps its own copy of every
/// parameter, so a list of millions would cost gigabytes and minutes to validate; real ones list
/// a dozen (`start.month_in_year`).
pub const MAX_DISCRETE_VALUES: usize = 10_000;

fn err<T>(msg: impl Into<String>) -> Result<T, DistError> {
    Err(DistError(msg.into()))
}

fn finite(name: &str, x: f64) -> Result<f64, DistError> {
    if x.is_finite() {
        Ok(x)
    } else {
        err(format!("{name} {x} is not a finite number"))
    }
}

/// z-score of the 90th percentile of the standard normal.
pub const Z90: f64 = 1.281_551_565_544_600_4;

impl Dist {
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        Ok(Dist::Fixed(finite("value", value)?))
    }

    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        finite("min", min)?;
        finite("max", max)?;
        if min >= max {
            return err(format!("min {min} must be less than max {max} (for a single value use fixed)"));
        }
        Ok(Dist::Uniform { min, max })
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        Self::check_min_mode_max(min, mode, max)?;
        Ok(Dist::Triangular { min, mode, max, at_mode: (mode - min) / (max - min) })
    }

    /// PERT with the usual shape 4 unless given.
    pub fn pert(min: f64, mode: f64, max: f64, shape: Option<f64>) -> Result<Dist, DistError> {
        Self::check_min_mode_max(min, mode, max)?;
        let shape = finite("shape", shape.unwrap_or(4.0))?;
        if shape <= 0.0 {
            return err(format!("shape {shape} must be positive"));
        }
        let (a, b) = Dist::pert_shapes(min, mode, max, shape);
        if !(a.is_finite() && b.is_finite() && a <= MAX_BETA_SHAPE && b <= MAX_BETA_SHAPE) {
            return err(format!(
                "shape {shape:e} makes beta shapes {a:e} and {b:e}; each must be at most {MAX_BETA_SHAPE:e} (the usual shape is 4)"
            ));
        }
        Ok(Dist::Pert { min, mode, max, shape, table: LazyTable::default() })
    }

    fn check_min_mode_max(min: f64, mode: f64, max: f64) -> Result<(), DistError> {
        finite("min", min)?;
        finite("mode", mode)?;
        finite("max", max)?;
        if min >= max {
            return err(format!("min {min} must be less than max {max} (for a single value use fixed)"));
        }
        if !(min..=max).contains(&mode) {
            return err(format!("mode {mode} is outside [min {min}, max {max}]"));
        }
        Ok(())
    }

    pub fn normal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        finite("mean", mean)?;
        finite("sd", sd)?;
        if sd <= 0.0 {
            return err(format!("sd {sd} must be positive"));
        }
        Ok(Dist::Normal { mean, sd })
    }

    pub fn lognormal(mu: f64, sigma: f64) -> Result<Dist, DistError> {
        finite("mu", mu)?;
        finite("sigma", sigma)?;
        if sigma <= 0.0 {
            return err(format!("sigma {sigma} must be positive"));
        }
        Ok(Dist::LogNormal { mu, sigma, median_p90: None })
    }

    /// Log-normal given its median and 90th percentile.
    pub fn lognormal_median_p90(median: f64, p90: f64) -> Result<Dist, DistError> {
        finite("median", median)?;
        finite("p90", p90)?;
        if median <= 0.0 {
            return err(format!("median {median} must be positive"));
        }
        if p90 <= median {
            return err(format!("p90 {p90} must be greater than median {median}"));
        }
        let mut d = Self::lognormal(median.ln(), (p90 / median).ln() / Z90)?;
        if let Dist::LogNormal { median_p90, .. } = &mut d {
            *median_p90 = Some((median, p90));
        }
        Ok(d)
    }

    pub fn beta(alpha: f64, beta: f64) -> Result<Dist, DistError> {
        finite("alpha", alpha)?;
        finite("beta", beta)?;
        if alpha <= 0.0 || beta <= 0.0 {
            return err(format!("alpha {alpha} and beta {beta} must both be positive"));
        }
        if alpha > MAX_BETA_SHAPE || beta > MAX_BETA_SHAPE {
            return err(format!("alpha {alpha:e} and beta {beta:e} must each be at most {MAX_BETA_SHAPE:e}"));
        }
        Ok(Dist::Beta { alpha, beta, table: LazyTable::default() })
    }

    pub fn poisson(lambda: f64) -> Result<Dist, DistError> {
        finite("lambda", lambda)?;
        if lambda <= 0.0 {
            return err(format!("lambda {lambda} must be positive (for always zero use fixed = 0)"));
        }
        if lambda > 1.0e9 {
            return err(format!("lambda {lambda} is too large (at most 1e9)"));
        }
        Ok(Dist::Poisson { lambda, cdf: poisson_cdf_table(lambda).into() })
    }

    pub fn bernoulli(p: f64) -> Result<Dist, DistError> {
        finite("p", p)?;
        if !(0.0..=1.0).contains(&p) {
            return err(format!("p {p} is outside [0, 1]"));
        }
        Ok(Dist::Bernoulli { p })
    }

    /// Values with weights that sum to 1 (within 1e-9), at most [`MAX_DISCRETE_VALUES`].
    pub fn discrete(values: Vec<f64>, weights: Vec<f64>) -> Result<Dist, DistError> {
        if values.is_empty() {
            return err("values is empty; give at least one value");
        }
        if values.len() > MAX_DISCRETE_VALUES {
            return err(format!(
                "{} values; a discrete distribution takes at most {MAX_DISCRETE_VALUES} (for more, use a continuous family such as uniform or pert)",
                values.len()
            ));
        }
        if values.len() != weights.len() {
            return err(format!("{} values but {} weights; give one weight per value", values.len(), weights.len()));
        }
        for (i, v) in values.iter().enumerate() {
            if !v.is_finite() {
                finite(&format!("values[{i}]"), *v)?;
            }
        }
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut sum = 0.0;
        for (i, w) in weights.iter().enumerate() {
            if !w.is_finite() {
                finite(&format!("weights[{i}]"), *w)?;
            }
            if *w < 0.0 {
                return err(format!("weights[{i}] {w} is negative"));
            }
            sum += w;
            cumulative.push(sum);
        }
        if (sum - 1.0).abs() > 1e-9 {
            return err(format!("weights sum to {sum}, not 1"));
        }
        *cumulative.last_mut().expect("non-empty") = 1.0;
        Ok(Dist::Discrete { values, weights, cumulative })
    }

    /// The value at uniform `u` in (0, 1): the inverse CDF (inversion sampling, one uniform
    /// per value). Exact for every family but beta and PERT, whose quantile table is within
    /// 1/4096 of the range (see [`super::inversion`]).
    #[inline]
    pub fn sample(&self, u: f64) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => min + (max - min) * u,
            // the closed form of `quantile`, bit for bit, without its clamping (u is in (0, 1))
            Dist::Triangular { min: a, mode: c, max: b, at_mode } => {
                if u <= *at_mode {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Dist::Pert { min, mode, max, shape, table } => {
                let t = table.get_or_init(|| {
                    let (a, b) = Dist::pert_shapes(*min, *mode, *max, *shape);
                    QuantileTable::shared(a, b)
                });
                min + (max - min) * t.quantile(u)
            }
            Dist::Normal { mean, sd } => mean + sd * normal_inv(u),
            Dist::LogNormal { mu, sigma, .. } => (mu + sigma * normal_inv(u)).exp(),
            Dist::Beta { alpha, beta, table } => table.get_or_init(|| QuantileTable::shared(*alpha, *beta)).quantile(u),
            Dist::Poisson { cdf, .. } => match cdf.partition_point(|c| *c < u) {
                k if k < cdf.len() => k as f64,
                _ => self.quantile(u),
            },
            Dist::Bernoulli { p } => {
                if u < *p {
                    1.0
                } else {
                    0.0
                }
            }
            Dist::Discrete { values, cumulative, .. } => {
                let i = cumulative.partition_point(|c| *c <= u).min(values.len() - 1);
                values[i]
            }
        }
    }

    /// PERT's beta shape parameters.
    pub fn pert_shapes(min: f64, mode: f64, max: f64, shape: f64) -> (f64, f64) {
        let r = max - min;
        (1.0 + shape * (mode - min) / r, 1.0 + shape * (max - mode) / r)
    }

    /// The expected value (closed form).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max, shape, .. } => (min + shape * mode + max) / (shape + 2.0),
            Dist::Normal { mean, .. } => *mean,
            Dist::LogNormal { mu, sigma, .. } => (mu + sigma * sigma / 2.0).exp(),
            Dist::Beta { alpha, beta, .. } => alpha / (alpha + beta),
            Dist::Poisson { lambda, .. } => *lambda,
            Dist::Bernoulli { p } => *p,
            Dist::Discrete { values, weights, .. } => values.iter().zip(weights).map(|(v, w)| v * w).sum(),
        }
    }

    /// The closed interval the values lie in (infinite ends for unbounded families).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Fixed(v) => (*v, *v),
            Dist::Uniform { min, max } | Dist::Triangular { min, max, .. } | Dist::Pert { min, max, .. } => {
                (*min, *max)
            }
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            Dist::Beta { .. } => (0.0, 1.0),
            Dist::Poisson { .. } => (0.0, f64::INFINITY),
            Dist::Bernoulli { p } => {
                if *p == 0.0 {
                    (0.0, 0.0)
                } else if *p == 1.0 {
                    (1.0, 1.0)
                } else {
                    (0.0, 1.0)
                }
            }
            Dist::Discrete { values, .. } => {
                values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)))
            }
        }
    }

    /// True if every value the distribution can take is a whole number.
    pub fn is_integer_valued(&self) -> bool {
        match self {
            Dist::Fixed(v) => v.fract() == 0.0,
            Dist::Poisson { .. } | Dist::Bernoulli { .. } => true,
            Dist::Discrete { values, .. } => values.iter().all(|v| v.fract() == 0.0),
            _ => false,
        }
    }

    /// The family name, as written in scenario files.
    pub fn family(&self) -> &'static str {
        match self {
            Dist::Fixed(_) => "fixed",
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::Pert { .. } => "pert",
            Dist::Normal { .. } => "normal",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Beta { .. } => "beta",
            Dist::Poisson { .. } => "poisson",
            Dist::Bernoulli { .. } => "bernoulli",
            Dist::Discrete { .. } => "discrete",
        }
    }
}

/// A standard normal draw from a generator (one word, by inversion).
#[inline]
pub fn standard_normal<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    normal_inv(((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64))
}

/// Numbers formatted for TOML output: integers without a fractional part, others shortest.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        if x.abs() >= 1e4 {
            // underscores for readability, as TOML allows: 100_000_000_000
            let s = format!("{}", x.abs() as i64);
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push('_');
                }
                out.push(c);
            }
            if x < 0.0 {
                format!("-{out}")
            } else {
                out
            }
        } else {
            format!("{}", x as i64)
        }
    } else {
        format!("{x}")
    }
}

impl fmt::Display for Dist {
    /// TOML inline form, e.g. `{ pert = { min = 6, mode = 9, max = 18 } }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = fmt_num;
        let list = |v: &[f64]| v.iter().map(|x| n(*x)).collect::<Vec<_>>().join(", ");
        match self {
            Dist::Fixed(v) => write!(f, "{{ fixed = {} }}", n(*v)),
            Dist::Uniform { min, max } => write!(f, "{{ uniform = {{ min = {}, max = {} }} }}", n(*min), n(*max)),
            Dist::Triangular { min, mode, max, .. } => {
                write!(f, "{{ triangular = {{ min = {}, mode = {}, max = {} }} }}", n(*min), n(*mode), n(*max))
            }
            Dist::Pert { min, mode, max, shape, .. } => {
                if *shape == 4.0 {
                    write!(f, "{{ pert = {{ min = {}, mode = {}, max = {} }} }}", n(*min), n(*mode), n(*max))
                } else {
                    write!(
                        f,
                        "{{ pert = {{ min = {}, mode = {}, max = {}, shape = {} }} }}",
                        n(*min),
                        n(*mode),
                        n(*max),
                        n(*shape)
                    )
                }
            }
            Dist::Normal { mean, sd } => write!(f, "{{ normal = {{ mean = {}, sd = {} }} }}", n(*mean), n(*sd)),
            Dist::LogNormal { median_p90: Some((m, p)), .. } => {
                write!(f, "{{ lognormal = {{ median = {}, p90 = {} }} }}", n(*m), n(*p))
            }
            Dist::LogNormal { mu, sigma, .. } => write!(f, "{{ lognormal = {{ mu = {mu}, sigma = {sigma} }} }}"),
            Dist::Beta { alpha, beta, .. } => {
                write!(f, "{{ beta = {{ alpha = {}, beta = {} }} }}", n(*alpha), n(*beta))
            }
            Dist::Poisson { lambda, .. } => write!(f, "{{ poisson = {{ lambda = {} }} }}", n(*lambda)),
            Dist::Bernoulli { p } => write!(f, "{{ bernoulli = {{ p = {} }} }}", n(*p)),
            Dist::Discrete { values, weights, .. } if weights.iter().all(|w| (w - weights[0]).abs() < 1e-12) => {
                write!(f, "{{ discrete = {{ values = [{}] }} }}", list(values))
            }
            Dist::Discrete { values, weights, .. } => {
                write!(f, "{{ discrete = {{ values = [{}], weights = [{}] }} }}", list(values), list(weights))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discrete_list_is_capped() {
        let n = MAX_DISCRETE_VALUES;
        assert!(Dist::discrete(vec![1.0; n], vec![1.0 / n as f64; n]).is_ok());
        let e = Dist::discrete(vec![1.0; n + 1], vec![1.0 / (n + 1) as f64; n + 1]).unwrap_err();
        assert!(e.to_string().starts_with("10001 values; a discrete distribution takes at most 10000"), "{e}");
    }
    use rand::{Rng, SeedableRng};

    /// Uniforms in (0, 1) from a seeded generator.
    struct Uniforms(rand::rngs::Xoshiro256PlusPlus);
    impl Uniforms {
        fn next(&mut self) -> f64 {
            ((self.0.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }
    }
    impl Dist {
        fn draw(&self, r: &mut Uniforms) -> f64 {
            self.sample(r.next())
        }
    }

    fn rng() -> Uniforms {
        Uniforms(rand::rngs::Xoshiro256PlusPlus::seed_from_u64(7))
    }

    /// Sample mean and variance of `n` draws.
    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut r = rng();
        let xs: Vec<f64> = (0..n).map(|_| d.draw(&mut r)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (mean, var)
    }

    /// Checks the sample mean against the true mean within 4.5 standard errors
    /// (a false alarm has probability ≈ 7e-6 per check).
    fn assert_mean(d: &Dist, true_mean: f64, true_var: f64) {
        let n = 200_000;
        let (mean, _) = moments(d, n);
        let se = (true_var / n as f64).sqrt();
        assert!((mean - true_mean).abs() < 4.5 * se, "{d}: mean {mean} vs {true_mean} (se {se})");
        assert!((d.mean() - true_mean).abs() < 1e-12, "{d}: mean() {} vs {true_mean}", d.mean());
    }

    #[test]
    fn sample_means_match_closed_forms() {
        assert_mean(&Dist::fixed(3.0).unwrap(), 3.0, 1e-12);
        assert_mean(&Dist::uniform(2.0, 8.0).unwrap(), 5.0, 36.0 / 12.0);
        // triangular: mean (a+b+c)/3, var (a²+b²+c²-ab-ac-bc)/18
        let (a, c, b) = (0.0, 3.0, 12.0);
        assert_mean(&Dist::triangular(a, c, b).unwrap(), 5.0, (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0);
        // PERT(0, 3, 12): alpha = 1 + 4(3-0)/12 = 2, beta = 1 + 4(12-3)/12 = 4; mean 4, var = ab/((a+b)²(a+b+1))·144
        assert_mean(&Dist::pert(0.0, 3.0, 12.0, None).unwrap(), 4.0, 2.0 * 4.0 / (36.0 * 7.0) * 144.0);
        assert_mean(&Dist::normal(-1.0, 2.0).unwrap(), -1.0, 4.0);
        let ln = Dist::lognormal(0.5, 0.4).unwrap();
        let m = (0.5f64 + 0.08).exp();
        assert_mean(&ln, m, ((0.16f64).exp() - 1.0) * m * m);
        assert_mean(&Dist::beta(2.0, 5.0).unwrap(), 2.0 / 7.0, 10.0 / (49.0 * 8.0));
        assert_mean(&Dist::poisson(3.5).unwrap(), 3.5, 3.5);
        assert_mean(&Dist::bernoulli(0.3).unwrap(), 0.3, 0.21);
        assert_mean(
            &Dist::discrete(vec![1.0, 2.0, 10.0], vec![0.5, 0.3, 0.2]).unwrap(),
            3.1,
            0.5 + 1.2 + 20.0 - 3.1 * 3.1,
        );
    }

    #[test]
    fn lognormal_by_median_and_p90_hits_both_quantiles() {
        let d = Dist::lognormal_median_p90(10.0, 25.0).unwrap();
        let mut r = rng();
        let n = 200_000;
        let below_median = (0..n).filter(|_| d.draw(&mut r) < 10.0).count() as f64 / n as f64;
        let below_p90 = (0..n).filter(|_| d.draw(&mut r) < 25.0).count() as f64 / n as f64;
        // binomial standard errors: sqrt(p(1-p)/n)
        assert!((below_median - 0.5).abs() < 4.5 * (0.25f64 / n as f64).sqrt(), "{below_median}");
        assert!((below_p90 - 0.9).abs() < 4.5 * (0.09f64 / n as f64).sqrt(), "{below_p90}");
    }

    #[test]
    fn samples_stay_in_support() {
        let dists = [
            Dist::uniform(1.0, 2.0).unwrap(),
            Dist::triangular(0.0, 0.0, 5.0).unwrap(),
            Dist::pert(6.0, 9.0, 18.0, Some(2.0)).unwrap(),
            Dist::beta(0.5, 0.5).unwrap(),
            Dist::discrete(vec![4.0, 7.0], vec![0.0, 1.0]).unwrap(),
        ];
        let mut r = rng();
        for d in &dists {
            let (lo, hi) = d.support();
            for _ in 0..20_000 {
                let x = d.draw(&mut r);
                assert!(x >= lo && x <= hi, "{d}: {x} outside [{lo}, {hi}]");
            }
        }
        // a zero-weight value is never drawn
        let d = Dist::discrete(vec![4.0, 7.0], vec![0.0, 1.0]).unwrap();
        assert!((0..10_000).all(|_| d.draw(&mut r) == 7.0));
    }

    #[test]
    fn constructors_reject_invalid_parameters() {
        let msg = |r: Result<Dist, DistError>| r.unwrap_err().to_string();
        assert_eq!(msg(Dist::uniform(3.0, 1.0)), "min 3 must be less than max 1 (for a single value use fixed)");
        assert_eq!(msg(Dist::triangular(0.0, 30.0, 24.0)), "mode 30 is outside [min 0, max 24]");
        assert_eq!(
            msg(Dist::pert(5.0, 5.0, 1.0, None)),
            "min 5 must be less than max 1 (for a single value use fixed)"
        );
        assert_eq!(msg(Dist::pert(0.0, 1.0, 2.0, Some(0.0))), "shape 0 must be positive");
        assert_eq!(msg(Dist::normal(0.0, 0.0)), "sd 0 must be positive");
        assert_eq!(msg(Dist::normal(f64::NAN, 1.0)), "mean NaN is not a finite number");
        assert_eq!(msg(Dist::lognormal(0.0, -1.0)), "sigma -1 must be positive");
        assert_eq!(msg(Dist::lognormal_median_p90(10.0, 5.0)), "p90 5 must be greater than median 10");
        assert_eq!(msg(Dist::lognormal_median_p90(0.0, 5.0)), "median 0 must be positive");
        assert_eq!(msg(Dist::beta(0.0, 1.0)), "alpha 0 and beta 1 must both be positive");
        assert_eq!(msg(Dist::poisson(0.0)), "lambda 0 must be positive (for always zero use fixed = 0)");
        assert_eq!(msg(Dist::bernoulli(1.5)), "p 1.5 is outside [0, 1]");
        assert_eq!(msg(Dist::discrete(vec![1.0, 2.0], vec![0.5, 0.6])), "weights sum to 1.1, not 1");
        assert_eq!(msg(Dist::discrete(vec![1.0], vec![0.5, 0.5])), "1 values but 2 weights; give one weight per value");
        assert_eq!(msg(Dist::discrete(vec![], vec![])), "values is empty; give at least one value");
        assert_eq!(msg(Dist::discrete(vec![1.0, 2.0], vec![-0.5, 1.5])), "weights[0] -0.5 is negative");
        assert_eq!(msg(Dist::fixed(f64::INFINITY)), "value inf is not a finite number");
    }

    #[test]
    fn displays_as_toml() {
        assert_eq!(Dist::pert(6.0, 9.0, 18.0, None).unwrap().to_string(), "{ pert = { min = 6, mode = 9, max = 18 } }");
        assert_eq!(Dist::fixed(1.0e11).unwrap().to_string(), "{ fixed = 100_000_000_000 }");
        assert_eq!(Dist::bernoulli(0.75).unwrap().to_string(), "{ bernoulli = { p = 0.75 } }");
    }
}

#[cfg(test)]
mod shape_bound_tests {
    use super::*;

    #[test]
    fn shapes_beyond_the_bound_are_refused_with_the_values() {
        let e = Dist::pert(0.0, 0.5, 1.0, Some(1e300)).unwrap_err().to_string();
        assert!(e.contains("shape 1e300") && e.contains("at most 1e6"), "{e}");
        let e = Dist::pert(0.0, 1e-300, 1e-290, Some(4.0));
        assert!(e.is_ok(), "a tiny range is fine: {e:?}");
        let e = Dist::beta(2e6, 1.0).unwrap_err().to_string();
        assert!(e.contains("at most 1e6"), "{e}");
        assert!(Dist::beta(1e6, 1e6).is_ok());
    }
}
