//! Drawing what has not been observed, given what has (monitoring): a block seen not started by
//! the as-of month starts after it, one seen not delivered operates after it, and an observed
//! occupancy, firm count, revenue or headcount is met exactly at the as-of month.

use super::counts::floor_any;
use crate::scenario::Dist;

/// A draw of `dist` conditioned on being more than `min`: the inverse CDF of a uniform `u` on
/// the part of the distribution above `min`. `None` if the distribution has (almost) no mass
/// there: the observation is beyond what the scenario thought possible.
pub fn above(dist: &Dist, min: f64, u: f64) -> Option<f64> {
    let f0 = dist.cdf(min);
    if f0 >= 1.0 - 1e-12 {
        return None;
    }
    let x = dist.quantile(f0 + u * (1.0 - f0));
    Some(if x > min { x } else { min + 1e-9 * min.abs().max(1.0) })
}

/// Months of waiting for a start that happens each month with chance `hazard` (geometric, from
/// one uniform by its inverse CDF); infinite when it never happens.
pub fn geometric_wait(hazard: f64, u: f64) -> f64 {
    if hazard <= 0.0 {
        f64::INFINITY
    } else if hazard >= 1.0 {
        0.0
    } else {
        floor_any((1.0 - u).ln() / (1.0 - hazard).ln())
    }
}

/// The shift of the occupancy ramp (months added to every phase's age) that makes the occupied
/// share of the delivered phases at `as_of` equal `target`: occupancy rises with the shift, so
/// bisection finds it. `occupancy(age)` is the share one phase has at an age; `phases` are the
/// (operation start, share) of the phases.
pub fn ramp_shift(occupancy: impl Fn(f64) -> f64, phases: &[(f64, f64)], as_of: f64, target: f64) -> f64 {
    let delivered: Vec<(f64, f64)> = phases.iter().copied().filter(|(op, _)| *op < as_of).collect();
    let total: f64 = delivered.iter().map(|(_, s)| s).sum();
    if delivered.is_empty() || total <= 0.0 {
        return 0.0;
    }
    let share_at = |shift: f64| delivered.iter().map(|(op, s)| s * occupancy(as_of - op + shift)).sum::<f64>() / total;
    let youngest = delivered.iter().map(|(op, _)| as_of - op).fold(f64::INFINITY, f64::min);
    let (mut lo, mut hi) = (-youngest - 240.0, 600.0);
    if share_at(hi) <= target {
        return hi;
    }
    if share_at(lo) >= target {
        return lo;
    }
    for _ in 0..80 {
        let mid = (lo + hi) / 2.0;
        if share_at(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditioned_draws_stay_above_the_bound_and_follow_the_tail() {
        let d = Dist::triangular(0.0, 6.0, 18.0).unwrap();
        // P(X > 12) = (18 − 12)² / (18 · 12) = 1/6; the conditional median solves
        // (18 − x)² / 216 = 1/12, x = 18 − sqrt(18)
        let m = above(&d, 12.0, 0.5).unwrap();
        assert!((m - (18.0 - 18f64.sqrt())).abs() < 1e-9, "{m}");
        for i in 0..100 {
            assert!(above(&d, 12.0, i as f64 / 100.0).unwrap() > 12.0);
        }
        assert_eq!(above(&d, 18.0, 0.3), None);
        assert_eq!(geometric_wait(0.0, 0.5), f64::INFINITY);
        assert_eq!(geometric_wait(1.0, 0.5), 0.0);
        // P(W ≥ k) = (1 − h)^k: the median wait of h = 0.5 is 1 month (floor of log 0.5 / log 0.5)
        assert_eq!(geometric_wait(0.5, 0.5), 1.0);
    }

    #[test]
    fn the_ramp_shift_hits_the_observed_share() {
        let occ = |y: f64| if y <= 0.0 { 0.0 } else { 0.8 * (1.0 - (-y / 12.0).exp()) };
        let phases = [(10.0, 0.5), (20.0, 0.5), (f64::INFINITY, 0.0)];
        let s = ramp_shift(occ, &phases, 30.0, 0.5);
        let share = (0.5 * occ(20.0 + s) + 0.5 * occ(10.0 + s)) / 1.0;
        assert!((share - 0.5).abs() < 1e-9, "{share}");
    }
}
