//! Numbers as people read them in tables.

use crate::seeds::TargetId;

/// Whole number with thousands separators: 30000 → "30,000".
pub fn thousands(x: f64) -> String {
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A metric's value in English conventions: revenue in ¥ bn, others whole numbers.
pub fn metric_en(id: TargetId, x: f64) -> String {
    if x.is_nan() {
        return "–".into();
    }
    match id {
        TargetId::Revenue => format!("¥{:.1} bn", x / 1e9),
        _ => thousands(x),
    }
}

/// Revenue in ¥ bn with two decimals and the sign before the currency: "-¥0.03 bn".
pub fn signed_cny_bn(x: f64) -> String {
    let sign = if x < -0.005e9 { "-" } else { "" };
    format!("{sign}¥{:.2} bn", x.abs() / 1e9)
}

/// An amount of CNY in millions with one decimal, the sign before the currency: "-¥1.4 m".
pub fn cny_millions(x: f64) -> String {
    let v = x / 1e6;
    let v = if v.abs() < 0.05 { 0.0 } else { v };
    format!("{}¥{:.1} m", if v < 0.0 { "-" } else { "" }, v.abs())
}

/// An amount of CNY in 万元 (ten thousands), whole: "140万元".
pub fn cny_wan(x: f64) -> String {
    let v = (x / 1e4).round();
    format!("{}万元", thousands(if v == 0.0 { 0.0 } else { v }))
}

/// A number of people in 万 (ten thousands): two decimals below 1万, else one, a whole number
/// without: 2817 → "0.28", 30000 → "3", 31250 → "3.1".
pub fn wan(x: f64) -> String {
    let v = x / 1e4;
    if v.abs() < 1.0 {
        format!("{v:.2}")
    } else if (v * 10.0).round() % 10.0 == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A probability as a percentage with one decimal: 0.1234 → "12.3%".
pub fn percent(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// A parameter value with four significant digits, trailing zeros dropped, thousands
/// separated: 6.2346 → "6.235", 0.1 → "0.1", 72345678901 → "72,350,000,000".
pub fn short_number(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if magnitude >= 3 {
        let scale = 10f64.powi(magnitude - 3);
        return thousands((x / scale).round() * scale);
    }
    let decimals = (3 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(30000.0), "30,000");
        assert_eq!(thousands(-1234567.4), "-1,234,567");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(metric_en(TargetId::Revenue, 1.0e11), "¥100.0 bn");
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(wan(2817.0), "0.28");
        assert_eq!(wan(30_000.0), "3");
        assert_eq!(wan(-1800.0), "-0.18");
        assert_eq!(signed_cny_bn(-3.1e7), "-¥0.03 bn");
        assert_eq!(signed_cny_bn(-1.0e6), "¥0.00 bn");
        assert_eq!(short_number(6.2346), "6.235");
        assert_eq!(cny_millions(-1_440_000.0), "-¥1.4 m");
        assert_eq!(cny_millions(-10_000.0), "¥0.0 m");
        assert_eq!(cny_wan(1_440_000.0), "144万元");
        assert_eq!(short_number(0.1), "0.1");
        assert_eq!(short_number(-1.2815515), "-1.282");
        assert_eq!(short_number(12.0), "12");
        assert_eq!(short_number(72_345_678_901.0), "72,350,000,000");
        assert_eq!(short_number(0.000123456), "0.0001235");
    }
}
