//! The correlation of the common shocks (macro, district and industry factors) and its
//! Cholesky factor. A matrix that is not a valid correlation matrix is an error; one that is
//! symmetric with unit diagonal but not positive definite can be repaired on request.

use crate::toml_tree::{numbers, string, Fields, Node, Problems, Value};
use nalgebra::{DMatrix, SymmetricEigen};

/// The common factors, in canonical order.
pub const FACTORS: [&str; 7] = [
    "macro",
    "district.nanhu",
    "district.xiuzhou",
    "district.etdz",
    "industry.emerging",
    "industry.future",
    "industry.services",
];

/// A validated correlation matrix over [`FACTORS`] (canonical order) with its Cholesky factor.
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    pub matrix: DMatrix<f64>,
    /// Lower-triangular L with L Lᵀ = matrix.
    pub cholesky: DMatrix<f64>,
    pub repaired: bool,
    pub basis: String,
}

impl Correlation {
    /// Independent factors.
    pub fn identity() -> Correlation {
        let n = FACTORS.len();
        Correlation {
            matrix: DMatrix::identity(n, n),
            cholesky: DMatrix::identity(n, n),
            repaired: false,
            basis: "assumption: independent factors".into(),
        }
    }
}

#[allow(clippy::needless_range_loop)] // matrix entries are addressed as [i][j], as in the file
/// Reads `[shocks.correlation]`: `factors`, `matrix`, optional `repair`, and `source` or
/// `assumption`. Returns the matrix in canonical factor order. Warnings go to `warnings`.
pub fn read_correlation(
    node: &Node,
    path: &str,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Option<Correlation> {
    let f = Fields::of(node, path, problems)?;
    let before = problems.len();
    f.allow_only(&["factors", "matrix", "repair", "source", "assumption"], problems);
    let repair = f.opt_bool("repair", problems).unwrap_or(false);
    let basis = match (f.opt_string("source", problems), f.opt_string("assumption", problems)) {
        (Some(s), _) => format!("source: {s}"),
        (_, Some(a)) => format!("assumption: {a}"),
        _ if node.origin.is_override() => "command-line override".to_string(),
        _ => {
            problems.push(
                f.origin,
                path,
                "says neither where its values come from nor why: add `source = \"…\"` or `assumption = \"…\"`",
            );
            String::new()
        }
    };
    // factors: a permutation of FACTORS
    let mut order = Vec::new();
    if let Some(fnode) = f.require("factors", problems) {
        match &fnode.value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(name) = string(item, &format!("{}[{i}]", f.child("factors")), problems) else { continue };
                    match FACTORS.iter().position(|x| *x == name) {
                        Some(k) if order.contains(&k) => {
                            problems.push(&item.origin, f.child("factors"), format!("factor {name:?} is listed twice"))
                        }
                        Some(k) => order.push(k),
                        None => problems.push(
                            &item.origin,
                            f.child("factors"),
                            format!("{name:?} is not a factor (allowed: {})", FACTORS.join(", ")),
                        ),
                    }
                }
                if problems.len() == before && order.len() != FACTORS.len() {
                    let missing: Vec<&str> =
                        (0..FACTORS.len()).filter(|k| !order.contains(k)).map(|k| FACTORS[k]).collect();
                    problems.push(
                        &fnode.origin,
                        f.child("factors"),
                        format!("missing factors: {} (list all {} factors)", missing.join(", "), FACTORS.len()),
                    );
                }
            }
            other => problems.push(
                &fnode.origin,
                f.child("factors"),
                format!("expected an array of factor names, found {}", other.brief()),
            ),
        }
    }
    let n = FACTORS.len();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    if let Some(mnode) = f.require("matrix", problems) {
        match &mnode.value {
            Value::Array(items) => {
                for (i, row) in items.iter().enumerate() {
                    if let Some(r) = numbers(row, &format!("{}[{i}]", f.child("matrix")), problems) {
                        rows.push(r);
                    }
                }
                if problems.len() == before {
                    let square = rows.len() == n && rows.iter().all(|r| r.len() == n);
                    if !square {
                        let shape: Vec<String> = rows.iter().map(|r| r.len().to_string()).collect();
                        problems.push(
                            &mnode.origin,
                            f.child("matrix"),
                            format!(
                            "is not square {n}×{n} (one row and one column per factor): it has {} rows of lengths [{}]",
                            rows.len(), shape.join(", ")
                        ),
                        );
                    }
                }
            }
            other => problems.push(
                &mnode.origin,
                f.child("matrix"),
                format!("expected an array of rows, found {}", other.brief()),
            ),
        }
    }
    if problems.len() > before {
        return None;
    }
    let mpath = f.child("matrix");
    let morigin = &f.node("matrix").expect("checked").origin;
    for i in 0..n {
        if rows[i][i] != 1.0 {
            problems.push(morigin, format!("{mpath}[{i}][{i}]"), format!("diagonal entry {} must be 1", rows[i][i]));
        }
        for j in 0..n {
            let v = rows[i][j];
            if !(-1.0..=1.0).contains(&v) {
                problems.push(morigin, format!("{mpath}[{i}][{j}]"), format!("{v} is outside [-1, 1]"));
            } else if j > i && (v - rows[j][i]).abs() > 1e-12 {
                problems.push(
                    morigin,
                    format!("{mpath}[{i}][{j}]"),
                    format!("{v} differs from [{j}][{i}] = {}: the matrix must be symmetric", rows[j][i]),
                );
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    // Reorder into canonical factor order.
    let mut matrix = DMatrix::zeros(n, n);
    for a in 0..n {
        for b in 0..n {
            matrix[(order[a], order[b])] = rows[a][b];
        }
    }
    match matrix.clone().cholesky() {
        Some(ch) => Some(Correlation { matrix, cholesky: ch.l(), repaired: false, basis }),
        None if repair => {
            let fixed = nearest_correlation(&matrix);
            let ch = fixed.clone().cholesky().expect("repaired matrix is positive definite");
            let change = (&fixed - &matrix).abs().max();
            warnings.push(format!(
                "{}: {path}.matrix is not positive definite; repaired to the nearest valid correlation matrix (largest change {change:.4}) because repair = true",
                node.origin
            ));
            Some(Correlation { matrix: fixed, cholesky: ch.l(), repaired: true, basis })
        }
        None => {
            let min_eig = SymmetricEigen::new(matrix).eigenvalues.min();
            problems.push(morigin, mpath, format!(
                "the correlation matrix is not positive definite (smallest eigenvalue {min_eig:.4}); fix the entries, or set repair = true to use the nearest valid matrix"
            ));
            None
        }
    }
}

/// The nearest positive-definite correlation matrix by eigenvalue clipping and rescaling to a
/// unit diagonal (a simple, well-known repair; not the full Higham alternating projection).
pub fn nearest_correlation(m: &DMatrix<f64>) -> DMatrix<f64> {
    let floor = 1e-6;
    let eig = SymmetricEigen::new(m.clone());
    let clipped = eig.eigenvalues.map(|l| l.max(floor));
    let rebuilt = &eig.eigenvectors * DMatrix::from_diagonal(&clipped) * eig.eigenvectors.transpose();
    let d = rebuilt.diagonal().map(|x| 1.0 / x.sqrt());
    let scale = DMatrix::from_diagonal(&d);
    let mut out = &scale * rebuilt * &scale;
    for i in 0..out.nrows() {
        out[(i, i)] = 1.0;
        for j in 0..i {
            let v = (out[(i, j)] + out[(j, i)]) / 2.0;
            out[(i, j)] = v;
            out[(j, i)] = v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repair_gives_a_positive_definite_unit_diagonal_matrix() {
        // pairwise correlations 0.9, 0.9, -0.9 cannot hold together
        let m = DMatrix::from_row_slice(3, 3, &[1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0]);
        assert!(m.clone().cholesky().is_none());
        let r = nearest_correlation(&m);
        assert!(r.clone().cholesky().is_some());
        for i in 0..3 {
            assert_eq!(r[(i, i)], 1.0);
        }
        // a valid matrix is left (almost) unchanged
        let ok = DMatrix::from_row_slice(2, 2, &[1.0, 0.3, 0.3, 1.0]);
        assert!((nearest_correlation(&ok) - &ok).abs().max() < 1e-9);
    }
}
