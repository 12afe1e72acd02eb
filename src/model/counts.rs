//! Whole-number counts (firms) that grow with a non-decreasing driver (expected firms, or
//! firms old enough to be certified). The count at the deadline and the extra count between
//! the deadline and the horizon are drawn exactly; months in between are interpolated with one
//! shared uniform, so paths are whole numbers, never decrease, and hit both exact draws.

#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// Driver at the end of the deadline month.
    driver_deadline: f64,
    /// Driver at the end of the horizon month.
    driver_horizon: f64,
    /// Count at the deadline.
    pub at_deadline: f64,
    /// Count added between the deadline and the horizon.
    pub extra: f64,
    /// Shared rounding offset in [0, 1).
    u: f64,
    /// An observed (driver, count) before the deadline (monitoring): the path passes through it.
    pub known: Option<(f64, f64)>,
    /// 1 / `driver_deadline` and 1 / (`driver_horizon` − `driver_deadline`), 0 where that is
    /// not positive: a month's count multiplies instead of dividing (divisions were most of
    /// the time of the monthly paths).
    per_deadline: f64,
    per_span: f64,
}

/// `v.floor()` for `v ≥ 0` without a libm call (x86-64's baseline has no rounding
/// instruction, and `floor` was 8 % of a run's time): truncation floors a non-negative number.
/// Through `i64`, not `u64`: x86-64's baseline converts signed integers in one instruction
/// each way and unsigned ones in six (the same value below 4·10¹⁵ either way).
#[inline]
pub(super) fn floor_nonneg(v: f64) -> f64 {
    if v < 4.0e15 {
        (v as i64) as f64
    } else {
        v.floor()
    }
}

/// `n as f64` for an index or month count (below 2⁶³) through `i64`: one instruction on
/// x86-64's baseline, where `usize` takes six.
#[inline]
pub(crate) fn whole(n: usize) -> f64 {
    (n as i64) as f64
}

/// `v.floor()` for every `v` (negative, zero of either sign, infinite, NaN: the same bits),
/// without a libm call where truncation can give it.
#[inline]
pub(super) fn floor_any(v: f64) -> f64 {
    if v > 0.0 && v < 4.0e15 {
        (v as i64) as f64
    } else if v < 0.0 && v > -4.0e15 {
        let t = (v as i64) as f64; // truncation rounds a negative number up
        if t == v {
            v
        } else {
            t - 1.0
        }
    } else {
        v.floor()
    }
}

impl Counts {
    /// A count whose driver reaches `driver_deadline` at the deadline and stays there to the
    /// horizon (until [`Self::set_driver_horizon`]), with rounding offset `u`; the counts are
    /// set afterwards.
    pub fn new(driver_deadline: f64, u: f64) -> Counts {
        let mut c = Counts { driver_deadline, u, ..Default::default() };
        c.per_deadline = if driver_deadline > 0.0 { 1.0 / driver_deadline } else { 0.0 };
        c.set_driver_horizon(driver_deadline);
        c
    }

    pub fn set_driver_horizon(&mut self, driver_horizon: f64) {
        self.driver_horizon = driver_horizon;
        let span = driver_horizon - self.driver_deadline;
        self.per_span = if span > 0.0 { 1.0 / span } else { 0.0 };
    }

    /// The count when the driver has value `driver`; `after_deadline` says which side it is on.
    /// Whole numbers that never decrease in `driver`, exactly `at_deadline` from the deadline's
    /// driver on and `at_deadline + extra` from the horizon's.
    #[inline]
    pub fn at(&self, driver: f64, after_deadline: bool) -> f64 {
        if !after_deadline {
            if let Some((dk, ck)) = self.known {
                return if driver <= dk {
                    if dk <= 0.0 {
                        ck
                    } else {
                        floor_nonneg(ck * (driver / dk).clamp(0.0, 1.0) + self.u).min(ck)
                    }
                } else {
                    let span = self.driver_deadline - dk;
                    let more = self.at_deadline - ck;
                    let share = if span <= 0.0 { 1.0 } else { ((driver - dk) / span).clamp(0.0, 1.0) };
                    ck + floor_nonneg(more * share + self.u).min(more)
                };
            }
            if self.driver_deadline <= 0.0 {
                0.0
            } else if driver >= self.driver_deadline {
                self.at_deadline
            } else {
                floor_nonneg(self.at_deadline * (driver.max(0.0) * self.per_deadline) + self.u).min(self.at_deadline)
            }
        } else {
            let extra = if self.driver_horizon <= self.driver_deadline || driver >= self.driver_horizon {
                self.extra
            } else {
                let share = (driver - self.driver_deadline).max(0.0) * self.per_span;
                floor_nonneg(self.extra * share + self.u).min(self.extra)
            };
            self.at_deadline + extra
        }
    }
}

#[cfg(test)]
mod floor_tests {
    use super::{floor_any, floor_nonneg};

    #[test]
    fn floor_any_is_floor_bit_for_bit() {
        let mut v = 1e-9f64;
        while v < 1e18 {
            let above = f64::from_bits(v.to_bits() + 1); // the next float away from zero
            for x in [v, -v, v + 0.5, -v - 0.5, above, -above, -(v.floor()), v.floor()] {
                assert_eq!(floor_any(x).to_bits(), x.floor().to_bits(), "{x}");
            }
            v = v * 1.37 + 0.013;
        }
        for x in [0.0, -0.0, -1.0, -0.5, -4.0e15, 4.0e15, -1e300, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE] {
            assert_eq!(floor_any(x).to_bits(), x.floor().to_bits(), "{x}");
        }
        assert!(floor_any(f64::NAN).is_nan());
    }

    #[test]
    fn floor_nonneg_is_floor_on_non_negative_numbers() {
        let mut v = 0.0f64;
        while v < 1e6 {
            assert_eq!(floor_nonneg(v), v.floor(), "{v}");
            assert_eq!(floor_nonneg(v + 0.999_999), (v + 0.999_999).floor(), "{v}");
            v = v * 1.37 + 0.013;
        }
        for v in [0.0, 0.5, 1.0, 4.0e15 - 0.5, 4.0e15, 1e300, f64::INFINITY] {
            assert_eq!(floor_nonneg(v), v.floor(), "{v}");
        }
        assert!(floor_nonneg(f64::NAN).is_nan());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_whole_monotone_and_exact_at_both_ends() {
        let mut c = Counts { at_deadline: 7.0, extra: 3.0, ..Counts::new(10.0, 0.37) };
        c.set_driver_horizon(15.0);
        let mut last = 0.0;
        for i in 0..=150 {
            let x = i as f64 / 10.0;
            let v = c.at(x, x > 10.0);
            assert_eq!(v.fract(), 0.0);
            assert!(v >= last, "{x}: {v} < {last}");
            last = v;
        }
        assert_eq!(c.at(0.0, false), 0.0);
        assert_eq!(c.at(10.0, false), 7.0);
        assert_eq!(c.at(15.0, true), 10.0);
    }

    #[test]
    fn the_deadline_and_horizon_drivers_give_the_drawn_counts_whatever_the_offset() {
        // a multiplication by the reciprocal may round the share just below 1: never the count
        for (dd, dh, at, extra) in
            [(3.0, 7.0, 7.0, 2.0), (0.1, 0.3, 1.0, 1.0), (49.7, 61.3, 41.0, 9.0), (1e-9, 1.0, 1.0, 0.0)]
        {
            for u in [f64::EPSILON / 4.0, 0.5, 1.0 - f64::EPSILON] {
                let mut c = Counts { at_deadline: at, extra, ..Counts::new(dd, u) };
                c.set_driver_horizon(dh);
                assert_eq!(c.at(dd, false), at, "{dd} {u}");
                assert_eq!(c.at(dh, true), at + extra, "{dh} {u}");
                assert_eq!(c.at(0.0, false), floor_nonneg(u), "{u}");
                let mut last = 0.0;
                for i in 0..=100 {
                    let x = dh * i as f64 / 100.0;
                    let v = c.at(x, x > dd);
                    assert!(v >= last && v.fract() == 0.0 && v <= at + extra, "{x}: {v}");
                    last = v;
                }
            }
        }
    }

    #[test]
    fn a_known_count_is_hit_exactly_and_paths_stay_monotone() {
        let mut c = Counts { at_deadline: 9.0, extra: 3.0, known: Some((4.0, 5.0)), ..Counts::new(10.0, 0.81) };
        c.set_driver_horizon(15.0);
        assert_eq!(c.at(4.0, false), 5.0);
        assert_eq!(c.at(10.0, false), 9.0);
        let mut last = 0.0;
        for i in 0..=150 {
            let x = i as f64 / 10.0;
            let v = c.at(x, x > 10.0);
            assert!(v >= last && v.fract() == 0.0, "{x}: {v}");
            last = v;
        }
    }
}
