//! Percentiles and cumulative probabilities of scenario distributions (closed forms where they
//! exist; the regularised incomplete beta function of statrs for beta and PERT).
//!
//! Sensitivity analysis sets a parameter to its 10th or 90th percentile (tornado) or maps a
//! point of the unit cube through the inverse CDF (Sobol); monitoring draws a delay conditioned
//! on what has been observed. Discrete families use the usual convention: the quantile at `q` is
//! the smallest value whose CDF reaches `q`.

use super::distribution::Dist;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::beta::{beta_reg, inv_beta_reg};
use statrs::function::gamma::gamma_ur;

/// The standard normal's inverse CDF.
pub fn normal_quantile(q: f64) -> f64 {
    Normal::standard().inverse_cdf(q.clamp(0.0, 1.0))
}

/// The standard normal's CDF.
pub fn normal_cdf(x: f64) -> f64 {
    Normal::standard().cdf(x)
}

fn poisson_cdf(lambda: f64, k: f64) -> f64 {
    if k < 0.0 {
        0.0
    } else {
        // P(X ≤ k) = Q(k + 1, λ), the regularised upper incomplete gamma function
        gamma_ur(k.floor() + 1.0, lambda)
    }
}

impl Dist {
    /// The `q` quantile (0 ≤ q ≤ 1; values outside are clamped). For q = 0 or 1 of an unbounded
    /// family the result is infinite.
    pub fn quantile(&self, q: f64) -> f64 {
        let q = if q.is_nan() { 0.5 } else { q.clamp(0.0, 1.0) };
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => min + (max - min) * q,
            Dist::Triangular { min, mode, max, .. } => {
                let (a, c, b) = (*min, *mode, *max);
                let fc = (c - a) / (b - a);
                if q <= fc {
                    a + (q * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - q) * (b - a) * (b - c)).sqrt()
                }
            }
            Dist::Pert { min, mode, max, shape, .. } => {
                let (a, b) = Dist::pert_shapes(*min, *mode, *max, *shape);
                min + (max - min) * inv_beta_reg(a, b, q)
            }
            Dist::Normal { mean, sd } => mean + sd * normal_quantile(q),
            Dist::LogNormal { mu, sigma, .. } => (mu + sigma * normal_quantile(q)).exp(),
            Dist::Beta { alpha, beta, .. } => inv_beta_reg(*alpha, *beta, q),
            Dist::Poisson { lambda, .. } => {
                if q <= 0.0 {
                    return 0.0;
                }
                if q >= 1.0 {
                    return f64::INFINITY;
                }
                // start near the normal approximation and walk to the smallest k with F(k) ≥ q
                let guess = (lambda + lambda.sqrt() * normal_quantile(q)).floor().max(0.0);
                let mut k = guess;
                while k > 0.0 && poisson_cdf(*lambda, k - 1.0) >= q {
                    k -= 1.0;
                }
                while poisson_cdf(*lambda, k) < q {
                    k += 1.0;
                }
                k
            }
            Dist::Bernoulli { p } => {
                if q <= 1.0 - p {
                    0.0
                } else {
                    1.0
                }
            }
            Dist::Discrete { values, weights, .. } => {
                // values need not be sorted: accumulate in value order
                let mut order: Vec<usize> = (0..values.len()).filter(|&i| weights[i] > 0.0).collect();
                order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
                let mut cum = 0.0;
                for &i in &order {
                    cum += weights[i];
                    if cum >= q - 1e-12 {
                        return values[i];
                    }
                }
                values[*order.last().expect("weights sum to 1")]
            }
        }
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        match self {
            Dist::Fixed(v) => (x >= *v) as u8 as f64,
            Dist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Dist::Triangular { min, mode, max, .. } => {
                let (a, c, b) = (*min, *mode, *max);
                if x <= a {
                    0.0
                } else if x >= b {
                    1.0
                } else if x <= c {
                    (x - a).powi(2) / ((b - a) * (c - a))
                } else {
                    1.0 - (b - x).powi(2) / ((b - a) * (b - c))
                }
            }
            Dist::Pert { min, mode, max, shape, .. } => {
                let (a, b) = Dist::pert_shapes(*min, *mode, *max, *shape);
                beta_reg(a, b, ((x - min) / (max - min)).clamp(0.0, 1.0))
            }
            Dist::Normal { mean, sd } => normal_cdf((x - mean) / sd),
            Dist::LogNormal { mu, sigma, .. } => {
                if x <= 0.0 {
                    0.0
                } else {
                    normal_cdf((x.ln() - mu) / sigma)
                }
            }
            Dist::Beta { alpha, beta, .. } => beta_reg(*alpha, *beta, x.clamp(0.0, 1.0)),
            Dist::Poisson { lambda, .. } => poisson_cdf(*lambda, x),
            Dist::Bernoulli { p } => {
                if x < 0.0 {
                    0.0
                } else if x < 1.0 {
                    1.0 - p
                } else {
                    1.0
                }
            }
            Dist::Discrete { values, weights, .. } => {
                values.iter().zip(weights).filter(|(v, _)| **v <= x).map(|(_, w)| w).sum::<f64>().min(1.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn closed_form_quantiles() {
        assert_eq!(Dist::uniform(2.0, 12.0).unwrap().quantile(0.1), 3.0);
        // triangular(0, 3, 12): F(3) = 0.25; q = 0.1 → sqrt(0.1·12·3) = 1.897…
        let t = Dist::triangular(0.0, 3.0, 12.0).unwrap();
        assert!(close(t.quantile(0.1), (0.1f64 * 36.0).sqrt(), 1e-12));
        assert!(close(t.quantile(0.9), 12.0 - (0.1f64 * 12.0 * 9.0).sqrt(), 1e-12));
        // normal: z(0.9) = 1.2815515655446004
        assert!(close(Dist::normal(1.0, 2.0).unwrap().quantile(0.9), 1.0 + 2.0 * 1.2815515655446004, 1e-9));
        // lognormal by median and p90 returns them
        let ln = Dist::lognormal_median_p90(10.0, 25.0).unwrap();
        assert!(close(ln.quantile(0.5), 10.0, 1e-9) && close(ln.quantile(0.9), 25.0, 1e-9));
        // PERT(0, 6, 12) is symmetric: median 6, p10 + p90 = 12
        let p = Dist::pert(0.0, 6.0, 12.0, None).unwrap();
        assert!(close(p.quantile(0.5), 6.0, 1e-9));
        assert!(close(p.quantile(0.1) + p.quantile(0.9), 12.0, 1e-9));
        // beta(1, 1) is uniform; beta(2, 1) has F(x) = x², so q → sqrt(q)
        assert!(close(Dist::beta(1.0, 1.0).unwrap().quantile(0.3), 0.3, 1e-9));
        assert!(close(Dist::beta(2.0, 1.0).unwrap().quantile(0.49), 0.7, 1e-9));
        // Poisson(3.5): F(1) = 0.1359, F(2) = 0.3208, F(5) = 0.8576, F(6) = 0.9347
        let po = Dist::poisson(3.5).unwrap();
        assert_eq!((po.quantile(0.1), po.quantile(0.3), po.quantile(0.9)), (1.0, 2.0, 6.0));
        let b = Dist::bernoulli(0.75).unwrap();
        assert_eq!((b.quantile(0.1), b.quantile(0.25), b.quantile(0.26)), (0.0, 0.0, 1.0));
        let d = Dist::discrete(vec![10.0, 1.0, 2.0], vec![0.2, 0.5, 0.3]).unwrap();
        assert_eq!((d.quantile(0.1), d.quantile(0.5), d.quantile(0.6), d.quantile(0.9)), (1.0, 1.0, 2.0, 10.0));
    }

    #[test]
    fn cdf_inverts_quantile_for_continuous_families() {
        let dists = [
            Dist::uniform(1.0, 2.0).unwrap(),
            Dist::triangular(0.0, 0.0, 5.0).unwrap(),
            Dist::triangular(0.0, 2.0, 5.0).unwrap(),
            Dist::pert(6.0, 9.0, 18.0, Some(2.0)).unwrap(),
            Dist::normal(-3.0, 0.5).unwrap(),
            Dist::lognormal(1.0, 0.7).unwrap(),
            Dist::beta(0.5, 2.5).unwrap(),
        ];
        for d in &dists {
            for q in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99] {
                let x = d.quantile(q);
                assert!(close(d.cdf(x), q, 1e-7), "{d}: F(Q({q})) = {}", d.cdf(x));
            }
        }
    }

    #[test]
    fn discrete_cdf_and_quantile_agree() {
        let dists = [Dist::poisson(0.7).unwrap(), Dist::poisson(40.0).unwrap(), Dist::bernoulli(0.2).unwrap()];
        for d in &dists {
            for q in [0.05, 0.3, 0.5, 0.8, 0.95] {
                let k = d.quantile(q);
                assert!(d.cdf(k) >= q - 1e-12 && (k == 0.0 || d.cdf(k - 1.0) < q), "{d} at {q}: {k}");
            }
        }
    }

    #[test]
    fn empirical_percentiles_match_quantile() {
        // the share of draws below Q(q) is q within 4.5 binomial standard errors
        use rand::SeedableRng;
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(3);
        let d = Dist::pert(2.0, 5.0, 20.0, None).unwrap();
        let n = 100_000;
        let (x10, x90) = (d.quantile(0.1), d.quantile(0.9));
        use rand::Rng;
        let draws: Vec<f64> =
            (0..n).map(|_| d.sample(((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64)).collect();
        let below = |x: f64| draws.iter().filter(|v| **v <= x).count() as f64 / n as f64;
        let se = (0.09f64 / n as f64).sqrt();
        assert!((below(x10) - 0.1).abs() < 4.5 * se && (below(x90) - 0.9).abs() < 4.5 * se);
    }
}
