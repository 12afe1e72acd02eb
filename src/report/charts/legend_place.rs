//! Where a legend covers the least data: the plot area's corners and side middles, scored by how
//! many of the chart's points (lines sampled along their segments) fall under a legend box.

use plotters::chart::SeriesLabelPosition;

/// A point of the plot in unit coordinates: x from the left edge (0) to the right (1), y from
/// the bottom (0) to the top (1).
pub type UnitPoint = (f64, f64);

/// Samples each polyline (already in unit coordinates) at `per_segment` points a segment, so
/// that a line crossing a corner counts there even between its markers.
pub fn densify(lines: &[Vec<UnitPoint>], per_segment: usize) -> Vec<UnitPoint> {
    let mut out = Vec::new();
    for line in lines {
        out.extend(line.iter().copied());
        for w in line.windows(2) {
            for k in 1..per_segment {
                let t = k as f64 / per_segment as f64;
                out.push((w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1)));
            }
        }
    }
    out
}

/// The legend position, among the four corners and the two side middles (in that order of
/// preference on a tie), whose box of `width` × `height` (fractions of the plot area) covers
/// the fewest points.
pub fn quietest(points: &[UnitPoint], width: f64, height: f64) -> SeriesLabelPosition {
    let (w, h) = (width.clamp(0.0, 1.0), height.clamp(0.0, 1.0));
    let mid = (1.0 - h) / 2.0;
    let candidates = [
        (SeriesLabelPosition::UpperRight, 1.0 - w, 1.0 - h),
        (SeriesLabelPosition::UpperLeft, 0.0, 1.0 - h),
        (SeriesLabelPosition::LowerRight, 1.0 - w, 0.0),
        (SeriesLabelPosition::LowerLeft, 0.0, 0.0),
        (SeriesLabelPosition::MiddleRight, 1.0 - w, mid),
        (SeriesLabelPosition::MiddleLeft, 0.0, mid),
    ];
    let covered =
        |x0: f64, y0: f64| points.iter().filter(|p| p.0 >= x0 && p.0 <= x0 + w && p.1 >= y0 && p.1 <= y0 + h).count();
    let mut best = (usize::MAX, SeriesLabelPosition::UpperRight);
    for (pos, x0, y0) in candidates {
        let n = covered(x0, y0);
        if n < best.0 {
            best = (n, pos);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(p: SeriesLabelPosition) -> &'static str {
        match p {
            SeriesLabelPosition::UpperRight => "upper right",
            SeriesLabelPosition::UpperLeft => "upper left",
            SeriesLabelPosition::LowerRight => "lower right",
            SeriesLabelPosition::LowerLeft => "lower left",
            SeriesLabelPosition::MiddleRight => "middle right",
            SeriesLabelPosition::MiddleLeft => "middle left",
            _ => "other",
        }
    }

    #[test]
    fn the_legend_goes_where_no_line_runs() {
        // lines near the top and the bottom all along (a sweep of flat probabilities): only the
        // middle is free
        let lines =
            vec![vec![(0.0, 0.93), (1.0, 0.98)], vec![(0.0, 0.16), (1.0, 0.16)], vec![(0.0, 0.02), (1.0, 0.04)]];
        assert_eq!(name(quietest(&densify(&lines, 40), 0.25, 0.3)), "middle right");
        // a rising line leaves the upper left and the lower right free; upper left is not
        // preferred over lower right, the first free candidate in order wins
        let rising = vec![vec![(0.0, 0.0), (1.0, 1.0)]];
        assert_eq!(name(quietest(&densify(&rising, 40), 0.25, 0.3)), "upper left");
        // nothing drawn: the first preference
        assert_eq!(name(quietest(&[], 0.25, 0.3)), "upper right");
    }

    #[test]
    fn densify_keeps_the_vertices_and_fills_the_segments() {
        let d = densify(&[vec![(0.0, 0.0), (1.0, 1.0)]], 4);
        assert_eq!(d.len(), 2 + 3);
        assert!(d.contains(&(0.5, 0.5)));
    }
}
