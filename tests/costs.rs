//! No command runs without end or starts a cost it cannot bear: goal-seek stops when its
//! bracket cannot shrink, and long or large jobs are announced, confirmed or refused before
//! they start.

mod common;

use common::{assert_no_panic, parkcast};

#[test]
fn goal_seek_with_a_tolerance_below_the_float_resolution_ends_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let r = parkcast(
        dir.path(),
        &[
            "goal-seek",
            "--param",
            "base.revenue_2024_cny",
            "--target",
            "revenue",
            "--prob",
            "0.5",
            "--bounds",
            "6e10,9e10",
            "--tolerance",
            "0.000001",
            "--trials",
            "200",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_no_panic(&r.stderr);
    assert!(r.stdout.starts_with("smallest base.revenue_2024_cny with P(revenue met) ≥ 50.0%: "), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "  --tolerance 0.000001 is below the resolution of floats here: the bracket stopped at two adjacent values 1.52587890625e-5 apart, and the value above is the best found"
        ),
        "{}",
        r.stdout
    );
}
