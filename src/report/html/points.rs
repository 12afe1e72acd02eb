//! Changes of a probability in percentage points, as every paired comparison on the reports
//! shows them: signed, one decimal, a change that rounds to zero as +0.0.

use crate::report::charts::Lang;
use crate::sensitivity::criticality::PairedChange;

/// A change of probability `x` (0.032) in points, signed: "+3.2".
pub fn signed(x: f64) -> String {
    let p = x * 100.0;
    format!("{:+.1}", if p.abs() < 0.05 { 0.0 } else { p })
}

/// A paired change with its 95 % interval, as a table cell and the first screen write it:
/// "+3.2（+1.0至+5.4）" / "+3.2 (+1.0 to +5.4)".
pub fn change(l: Lang, c: &PairedChange) -> String {
    match l {
        Lang::Zh => format!("{}（{}至{}）", signed(c.mean), signed(c.low), signed(c.high)),
        Lang::En => format!("{} ({} to {})", signed(c.mean), signed(c.low), signed(c.high)),
    }
}

/// A paired change in words: "高3.2个百分点（95%区间+1.0至+5.4个百分点）" /
/// "3.2 points higher (95% interval +1.0 to +5.4 points)".
pub fn change_words(l: Lang, c: &PairedChange) -> String {
    let size = format!("{:.1}", (c.mean * 100.0).abs());
    let zero = (c.mean * 100.0).abs() < 0.05;
    match l {
        Lang::Zh => {
            let dir = if zero {
                "变化不足0.1个百分点".to_string()
            } else if c.mean > 0.0 {
                format!("高{size}个百分点")
            } else {
                format!("低{size}个百分点")
            };
            format!("{dir}（95%区间{}至{}个百分点）", signed(c.low), signed(c.high))
        }
        Lang::En => {
            let dir = if zero {
                "less than 0.1 points apart".to_string()
            } else if c.mean > 0.0 {
                format!("{size} points higher")
            } else {
                format!("{size} points lower")
            };
            format!("{dir} (95% interval {} to {} points)", signed(c.low), signed(c.high))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_points_and_zero_is_never_negative() {
        assert_eq!(signed(0.032), "+3.2");
        assert_eq!(signed(-0.0004), "+0.0");
        assert_eq!(signed(-0.012), "-1.2");
        let c = PairedChange { mean: 0.032, low: 0.01, high: 0.054 };
        assert_eq!(change(Lang::Zh, &c), "+3.2（+1.0至+5.4）");
        assert_eq!(change(Lang::En, &c), "+3.2 (+1.0 to +5.4)");
        assert_eq!(change_words(Lang::Zh, &c), "高3.2个百分点（95%区间+1.0至+5.4个百分点）");
        let d = PairedChange { mean: -0.02, low: -0.03, high: -0.01 };
        assert_eq!(change_words(Lang::En, &d), "2.0 points lower (95% interval -3.0 to -1.0 points)");
    }
}
