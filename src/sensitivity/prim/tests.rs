use super::*;
use proptest::prelude::*;

fn column(name: &str, values: Vec<f64>) -> Column {
    Column { name: name.into(), values }
}

fn prim(columns: Vec<Vec<f64>>, y: Vec<bool>, options: PrimOptions) -> Prim {
    let columns = columns.into_iter().enumerate().map(|(i, v)| column(&format!("x{i}"), v)).collect();
    Prim::new(columns, y, options).unwrap()
}

/// A box with these bounds, counted on `p`'s data.
fn boxed(p: &Prim, lower: Vec<f64>, upper: Vec<f64>) -> PrimBox {
    let (n, t) = p.recount(&lower, &upper);
    p.make_box(lower, upper, n, t)
}

/// Rows and true rows of `b` by the inclusion rule, row by row.
fn brute_force(p: &Prim, b: &PrimBox) -> (usize, usize) {
    let mut x = vec![0.0; p.columns().len()];
    let (mut n, mut t) = (0, 0);
    for row in 0..p.rows() {
        for (c, col) in p.columns().iter().enumerate() {
            x[c] = col.values[row];
        }
        let by_restrictions = b.restrictions().iter().all(|r| r.contains(x[r.column]));
        assert_eq!(b.contains(&x), by_restrictions);
        if b.contains(&x) {
            n += 1;
            t += p.outcomes()[row] as usize;
        }
    }
    (n, t)
}

#[test]
fn take_count_takes_whole_values_near_the_target() {
    let v = |xs: &'static [f64]| move |i: usize| xs[i];
    // distinct values: exactly r
    assert_eq!(take_count(10, 3, v(&[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.])), 3);
    // a tie across the cut: back to the start of the tied run
    assert_eq!(take_count(8, 3, v(&[1., 2., 3., 3., 3., 4., 5., 6.])), 2);
    // the first value alone has more than r rows: just that value (unavoidable)
    assert_eq!(take_count(8, 2, v(&[1., 1., 1., 1., 2., 3., 3., 4.])), 4);
    // a tie ending exactly at r
    assert_eq!(take_count(6, 3, v(&[1., 1., 1., 2., 2., 3.])), 3);
    // fewer values than r: all
    assert_eq!(take_count(2, 5, v(&[1., 2.])), 2);
}

#[test]
fn bad_inputs_are_errors_naming_the_problem() {
    let opts = PrimOptions::default();
    let y = vec![true, false, true];
    assert_eq!(Prim::new(vec![], y.clone(), opts).unwrap_err(), PrimError::NoColumns);
    assert_eq!(Prim::new(vec![column("a", vec![])], vec![], opts).unwrap_err(), PrimError::NoRows);
    let err = Prim::new(vec![column("a", vec![1., 2., 3.]), column("b", vec![1., 2.])], y.clone(), opts).unwrap_err();
    assert_eq!(err, PrimError::LengthMismatch { column: "b".into(), len: 2, rows: 3 });
    let err = Prim::new(vec![column("growth", vec![1., f64::NAN, 3.])], y.clone(), opts).unwrap_err();
    assert!(matches!(&err, PrimError::NotFinite { column, row: 1, value } if column == "growth" && value.is_nan()));
    assert!(err.to_string().contains("\"growth\" row 1 is NaN"), "{err}");
    let err = Prim::new(vec![column("a", vec![1., f64::INFINITY, 3.])], y.clone(), opts).unwrap_err();
    assert!(err.to_string().contains("row 1 is inf"), "{err}");
    let err = Prim::new(vec![column("a", vec![1., 2., 3.])], vec![false; 3], opts).unwrap_err();
    assert_eq!(err, PrimError::OneOutcome { value: false, rows: 3 });
    for alpha in [0.0, 0.6, f64::NAN] {
        let o = PrimOptions { alpha, ..opts };
        assert!(matches!(
            Prim::new(vec![column("a", vec![1., 2., 3.])], y.clone(), o),
            Err(PrimError::BadAlpha { .. })
        ));
    }
    for min_mass in [0.0, 1.5] {
        let o = PrimOptions { min_mass, ..opts };
        assert!(matches!(
            Prim::new(vec![column("a", vec![1., 2., 3.])], y.clone(), o),
            Err(PrimError::BadMinMass { .. })
        ));
    }
}

#[test]
fn peeling_a_clean_threshold_closes_in_on_it() {
    // x = 0..199, y = x ≥ 150: peels from below only. The first removes round(0.05 · 200) = 10
    // rows. Near the threshold a peel of 3 rows that takes 1 false and 2 true rows still raises
    // density, so the last box starts just past 150, with density 1.
    let x: Vec<f64> = (0..200).map(f64::from).collect();
    let y: Vec<bool> = x.iter().map(|&v| v >= 150.0).collect();
    let p = prim(vec![x], y, PrimOptions::default());
    let t = p.peel();
    assert_eq!((t.boxes()[1].count(), t.boxes()[1].lower()[0]), (190, 10.0));
    let last = t.boxes().last().unwrap();
    assert!((150.0..=153.0).contains(&last.lower()[0]), "{last:?}");
    assert_eq!((last.upper()[0], last.density()), (f64::INFINITY, 1.0));
    for b in t.boxes() {
        assert_eq!(b.upper()[0], f64::INFINITY);
    }
    // Among the boxes that keep every true row, the densest is the last one before 150.
    let chosen = t.choose(1.0).unwrap();
    assert!(chosen.lower()[0] <= 150.0 && chosen.lower()[0] >= 145.0, "{chosen:?}");
}

#[test]
fn integer_columns_peel_whole_values() {
    // k = 0..9, 20 rows each; y = k ≥ 6. Each value is 10 % of the rows, more than r = 5 %:
    // every peel removes exactly one value, never part of one.
    let k: Vec<f64> = (0..200).map(|i| f64::from(i % 10)).collect();
    let y: Vec<bool> = k.iter().map(|&v| v >= 6.0).collect();
    let p = prim(vec![k], y, PrimOptions::default());
    let t = p.peel();
    for (i, b) in t.boxes().iter().enumerate() {
        assert_eq!(b.count(), 200 - 20 * i, "box {i}");
        assert_eq!(b.lower()[0], if i == 0 { f64::NEG_INFINITY } else { i as f64 });
    }
    assert_eq!(t.boxes().last().unwrap().lower()[0], 6.0);
}

#[test]
fn ties_between_candidates_go_to_the_smaller_peel_then_the_first_column() {
    // Two identical columns: the same peels are on offer; column 0 is chosen every time.
    let x: Vec<f64> = (0..100).map(f64::from).collect();
    let y: Vec<bool> = x.iter().map(|&v| v < 30.0).collect();
    let p = prim(vec![x.clone(), x], y, PrimOptions::default());
    for b in p.peel().boxes() {
        assert!(b.restrictions().iter().all(|r| r.column == 0), "{b:?}");
    }
    // Equal densities, different sizes. Column 0 has values 0..9 ten times each, column 1 is
    // the row number; 19 true rows: 7, 80..87 and 90..99 (density 0.19). Peeling column 0 from
    // below must take the whole value 0 (rows 0..9, 1 true): 18 / 90 = 0.2; column 1 takes rows
    // 0..4 (none true): 19 / 95 = 0.2. The high sides remove true rows. The smaller peel wins.
    let tied: Vec<f64> = (0..100).map(|i| f64::from(i / 10)).collect();
    let fine: Vec<f64> = (0..100).map(f64::from).collect();
    let y: Vec<bool> = (0..100).map(|i| i == 7 || (80..88).contains(&i) || i >= 90).collect();
    let p = prim(vec![tied, fine], y, PrimOptions::default());
    let trajectory = p.peel();
    let first = &trajectory.boxes()[1];
    assert_eq!(first.count(), 95, "{first:?}");
    assert_eq!(first.restrictions()[0].column, 1);
}

#[test]
fn peeling_respects_the_minimum_mass() {
    let x: Vec<f64> = (0..1000).map(|i| f64::from(i) / 1000.0).collect();
    // Density rises all the way down: y true more often for small x.
    let y: Vec<bool> = (0..1000).map(|i| i % 1000 < 20 || i % 7 == 0).collect();
    let opts = PrimOptions { min_mass: 0.1, ..PrimOptions::default() };
    let t = prim(vec![x], y, opts).peel();
    let last = t.boxes().last().unwrap();
    assert!(last.count() >= 100, "{last:?}");
    // The next peel (5 % of the box) would go below 100 rows.
    assert!(last.count() - step_size(0.05, last.count()) < 100);
}

#[test]
fn pasting_widens_while_density_rises() {
    // y true for 10 ≤ x ≤ 40 except x = 25, 30. From [20, 40] (19 of 21 true), pasting with
    // alpha = 0.02 (one row at a time for boxes under 75 rows) adds 19, 18, …, 10 (each true),
    // then stops: 9 and 41 are false.
    let x: Vec<f64> = (0..100).map(f64::from).collect();
    let y: Vec<bool> = x.iter().map(|&v| (10.0..=40.0).contains(&v) && v != 25.0 && v != 30.0).collect();
    let p = prim(vec![x], y, PrimOptions { alpha: 0.02, ..PrimOptions::default() });
    let b = boxed(&p, vec![20.0], vec![40.0]);
    assert_eq!((b.count(), b.positives()), (21, 19));
    let pasted = p.paste(&b);
    assert_eq!((pasted.lower()[0], pasted.upper()[0]), (10.0, 40.0));
    assert_eq!((pasted.count(), pasted.positives()), (31, 29));
    assert_eq!(brute_force(&p, &pasted), (31, 29));
}

#[test]
fn pasting_past_every_row_leaves_the_side_unrestricted() {
    let x: Vec<f64> = (0..40).map(f64::from).collect();
    let y: Vec<bool> = x.iter().map(|&v| v < 20.0 && v != 15.0).collect();
    let p = prim(vec![x], y, PrimOptions::default());
    let pasted = p.paste(&boxed(&p, vec![10.0], vec![19.0]));
    assert_eq!((pasted.lower()[0], pasted.upper()[0]), (f64::NEG_INFINITY, 19.0));
    assert_eq!(pasted.restrictions(), vec![Restriction { column: 0, lower: None, upper: Some(19.0) }]);
}

#[test]
fn simplify_drops_sides_that_do_not_matter() {
    // y = x0 < 50 (on a 100 × 10 grid); the box also restricts x1 to [1, 8], which changes
    // nothing about density, and x0 from below, which neither does.
    let mut cols = vec![vec![], vec![]];
    let mut y = vec![];
    for i in 0..100 {
        for j in 0..10 {
            cols[0].push(f64::from(i));
            cols[1].push(f64::from(j));
            y.push(i < 50 && (i + j) % 9 != 0);
        }
    }
    let p = prim(cols, y, PrimOptions::default());
    let b = boxed(&p, vec![5.0, 1.0], vec![49.0, 8.0]);
    let s = p.simplify(&b, 0.01);
    assert_eq!(s.restrictions(), vec![Restriction { column: 0, lower: None, upper: Some(49.0) }]);
    assert!(s.density() >= b.density() - 0.01);
    assert_eq!(brute_force(&p, &s), (s.count(), s.positives()));
    // With no loss allowed, only sides whose removal keeps (or raises) density go.
    let strict = p.simplify(&b, 0.0);
    assert!(strict.density() >= b.density());
    assert!(strict.restrictions().iter().any(|r| r.column == 0 && r.upper == Some(49.0)));
}

#[test]
fn find_chooses_pastes_and_simplifies() {
    let x: Vec<f64> = (0..1000).map(|i| f64::from(i % 100)).collect();
    let y: Vec<bool> = x.iter().map(|&v| v >= 80.0).collect();
    let p = prim(vec![x], y, PrimOptions::default());
    let found = p.find(0.9, 0.0).unwrap();
    assert_eq!(found.restrictions(), vec![Restriction { column: 0, lower: Some(80.0), upper: None }]);
    assert_eq!(p.members(&found).len(), 200);
    assert!(p.find(1.01, 0.0).is_none());
}

#[test]
fn choose_prefers_density_then_coverage_then_the_earlier_box() {
    let p = prim(vec![(0..400).map(f64::from).collect()], (0..400).map(|i| i < 100).collect(), PrimOptions::default());
    let b = |count, positives| p.make_box(vec![f64::NEG_INFINITY], vec![f64::INFINITY], count, positives);
    // 100 true rows in all. Densities 0.25, 0.8 (coverage 0.8), 0.8 (coverage 0.6), 0.9 (0.45).
    let t = Trajectory { boxes: vec![b(400, 100), b(100, 80), b(75, 60), b(50, 45)] };
    assert_eq!(t.choose(0.5), Some(&t.boxes()[1]));
    assert_eq!(t.choose(0.45), Some(&t.boxes()[3]));
    assert_eq!(t.choose(0.0), Some(&t.boxes()[3]));
    assert_eq!(t.choose(0.81), Some(&t.boxes()[0]));
    // Equal density and coverage: the earlier.
    let t = Trajectory { boxes: vec![b(400, 100), b(100, 80), b(100, 80)] };
    assert!(std::ptr::eq(t.choose(0.5).unwrap(), &t.boxes()[1]));
}

#[test]
fn negative_zero_is_zero() {
    let p = prim(vec![vec![-0.0, 0.0, 1.0, 2.0]], vec![true, true, false, false], PrimOptions::default());
    let b = boxed(&p, vec![0.0], vec![0.0]);
    assert_eq!(b.count(), 2);
    assert!(p.columns()[0].values[0].is_sign_positive());
}

/// Small random data sets: continuous and integer-valued columns, any outcomes (both present).
fn dataset() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<bool>, f64, f64)> {
    (10usize..300, 1usize..5, 0.01f64..0.5, 0.01f64..0.6).prop_flat_map(|(rows, cols, alpha, min_mass)| {
        let column = prop_oneof![
            prop::collection::vec(-5.0f64..5.0, rows),
            prop::collection::vec((0u8..6).prop_map(f64::from), rows),
        ];
        (
            prop::collection::vec(column, cols),
            prop::collection::vec(any::<bool>(), rows).prop_map(|mut y| {
                y[0] = true;
                y[1] = false;
                y
            }),
            Just(alpha),
            Just(min_mass),
        )
    })
}

proptest! {
    #[test]
    fn boxes_keep_their_invariants((cols, y, alpha, min_mass) in dataset()) {
        let p = prim(cols, y, PrimOptions { alpha, min_mass, paste: true });
        let t = p.peel();
        let min_count = (min_mass * p.rows() as f64 - 1e-9).ceil() as usize;
        prop_assert_eq!(t.boxes()[0].count(), p.rows());
        for (i, b) in t.boxes().iter().enumerate() {
            for share in [b.coverage(), b.density(), b.mass()] {
                prop_assert!((0.0..=1.0).contains(&share));
            }
            prop_assert_eq!(brute_force(&p, b), (b.count(), b.positives()));
            if i > 0 {
                let before = &t.boxes()[i - 1];
                prop_assert!(b.mass() < before.mass());
                prop_assert!(b.density() > before.density());
                prop_assert!(b.count() >= min_count);
                // A peel takes at most r rows unless one value of the column has more.
                prop_assert!(b.count() < before.count());
            }
        }
        for min_coverage in [0.0, 0.5, 0.9] {
            let chosen = t.choose(min_coverage).unwrap();
            prop_assert!(chosen.coverage() >= min_coverage);
            prop_assert!(t.boxes().iter().filter(|b| b.coverage() >= min_coverage).all(|b| b.density() <= chosen.density()));
            let pasted = p.paste(chosen);
            prop_assert_eq!(brute_force(&p, &pasted), (pasted.count(), pasted.positives()));
            prop_assert!(pasted.density() >= chosen.density() && pasted.count() >= chosen.count());
            let simple = p.simplify(&pasted, 0.02);
            prop_assert_eq!(brute_force(&p, &simple), (simple.count(), simple.positives()));
            prop_assert!(simple.density() >= pasted.density() - 0.02);
            prop_assert!(simple.restrictions().len() <= pasted.restrictions().len());
        }
    }

    #[test]
    fn a_peel_is_at_most_r_rows_unless_one_value_is_larger((cols, y, alpha, _m) in dataset()) {
        let p = prim(cols, y, PrimOptions { alpha, min_mass: 0.01, paste: true });
        let t = p.peel();
        for w in t.boxes().windows(2) {
            let (before, after) = (&w[0], &w[1]);
            let removed = before.count() - after.count();
            let r = step_size(alpha, before.count());
            if removed > r {
                // The peeled rows all share one value of the peeled column.
                let c = (0..p.columns().len())
                    .find(|&c| before.lower()[c] != after.lower()[c] || before.upper()[c] != after.upper()[c])
                    .unwrap();
                let values: Vec<f64> = p.members(before).into_iter()
                    .filter(|&i| !after.contains(&p.columns().iter().map(|col| col.values[i]).collect::<Vec<_>>()))
                    .map(|i| p.columns()[c].values[i])
                    .collect();
                prop_assert!(values.iter().all(|&v| v == values[0]), "{:?}", values);
            }
        }
    }
}
