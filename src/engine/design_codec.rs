//! Payloads of sharded designs in partial files ([`crate::report::export::partial`]), in the
//! little-endian encoding of [`super::codec`]: floats bit for bit, counts as their bytes, every
//! length checked on reading against what the design implies, so a damaged or foreign payload
//! is an error, never a wrong table.
//!
//! - `sobol`: one block of a Saltelli design's rows — rows, outputs per row, then every row's
//!   outputs.
//! - `sweep`: one point of a multi-lever sweep — its values, then per target (and for all
//!   targets) the hits and trials.

use super::codec::{DecodeError, Reader, Writer};
use crate::model::METRIC_COUNT;
use crate::stats::Proportion;

/// The target code of "all targets" in a sweep payload (others are metric indices).
const ALL_TARGETS: u32 = u32::MAX;

/// Encodes the outputs of a block of design rows (each row `width` outputs).
pub fn encode_rows(w: &mut Writer, rows: &[Vec<f64>], width: usize) {
    w.u64(rows.len() as u64);
    w.u64(width as u64);
    for r in rows {
        debug_assert_eq!(r.len(), width);
        r.iter().for_each(|&x| w.f64(x));
    }
}

/// Decodes `rows` rows of `width` outputs each.
pub fn decode_rows(r: &mut Reader, rows: usize, width: usize) -> Result<Vec<Vec<f64>>, DecodeError> {
    let (n, k) = (r.u64()?, r.u64()?);
    if n != rows as u64 || k != width as u64 {
        return Err(r.invalid(format!("{n} rows of {k} outputs, expected {rows} rows of {width}")));
    }
    (0..rows).map(|_| (0..width).map(|_| r.f64()).collect()).collect()
}

/// Encodes a sweep point: its values and its hits, per metric index (`None`: all targets).
pub fn encode_point(w: &mut Writer, values: &[f64], hits: &[(Option<usize>, Proportion)]) {
    w.u64(values.len() as u64);
    values.iter().for_each(|&v| w.f64(v));
    w.u64(hits.len() as u64);
    for (m, p) in hits {
        w.u32(m.map_or(ALL_TARGETS, |m| m as u32));
        w.u64(p.hits);
        w.u64(p.trials);
    }
}

/// Decodes a sweep point that must be at `values` (bit for bit) with `trials` trials and a
/// target per entry of `targets` (metric indices, `None` for all targets), in that order.
pub fn decode_point(
    r: &mut Reader,
    values: &[f64],
    targets: &[Option<usize>],
    trials: u64,
) -> Result<Vec<(Option<usize>, Proportion)>, DecodeError> {
    let n = r.u64()?;
    if n != values.len() as u64 {
        return Err(r.invalid(format!("a point of {n} values, expected {}", values.len())));
    }
    for &v in values {
        let got = r.f64()?;
        if got.to_bits() != v.to_bits() {
            return Err(r.invalid(format!("a point at {got}, where the design has {v}")));
        }
    }
    let k = r.u64()?;
    if k != targets.len() as u64 {
        return Err(r.invalid(format!("{k} targets, expected {}", targets.len())));
    }
    targets
        .iter()
        .map(|&want| {
            let code = r.u32()?;
            let m = match code {
                ALL_TARGETS => None,
                m if (m as usize) < METRIC_COUNT => Some(m as usize),
                m => return Err(r.invalid(format!("target code {m}"))),
            };
            if m != want {
                return Err(r.invalid(format!("target {m:?}, expected {want:?}")));
            }
            let p = Proportion { hits: r.u64()?, trials: r.u64()? };
            if p.trials != trials || p.hits > p.trials {
                return Err(r.invalid(format!("{} hits in {} trials, expected {trials} trials", p.hits, p.trials)));
            }
            Ok((m, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_points_read_back_bit_for_bit_and_foreign_ones_are_refused() {
        let rows = vec![vec![1.5, -0.0, f64::MIN_POSITIVE], vec![3.0, 1e300, 0.1 + 0.2]];
        let mut w = Writer::default();
        encode_rows(&mut w, &rows, 3);
        let back = decode_rows(&mut Reader::new(&w.0), 2, 3).unwrap();
        assert!(back.iter().flatten().zip(rows.iter().flatten()).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(decode_rows(&mut Reader::new(&w.0), 2, 4).is_err());
        assert!(decode_rows(&mut Reader::new(&w.0[..w.0.len() - 1]), 2, 3).is_err());

        let hits = vec![(Some(0), Proportion { hits: 3, trials: 10 }), (None, Proportion { hits: 1, trials: 10 })];
        let mut w = Writer::default();
        encode_point(&mut w, &[0.5, 6.0], &hits);
        let targets = [Some(0), None];
        assert_eq!(decode_point(&mut Reader::new(&w.0), &[0.5, 6.0], &targets, 10).unwrap(), hits);
        // another point of the design, other targets or another trial count
        assert!(decode_point(&mut Reader::new(&w.0), &[0.5, 7.0], &targets, 10).is_err());
        assert!(decode_point(&mut Reader::new(&w.0), &[0.5, 6.0], &[Some(1), None], 10).is_err());
        assert!(decode_point(&mut Reader::new(&w.0), &[0.5, 6.0], &targets, 20).is_err());
    }
}
