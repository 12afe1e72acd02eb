//! What a spreadsheet does to an observations table before parkcast sees it: Chinese column
//! headers, 是/否 for yes and no, and months that Excel turned into dates.
//!
//! Chinese headers map to the columns through [`HEADER_ALIASES`] (documented in
//! docs/monitoring.md). A month cell that Excel rewrote as a date is accepted when the year
//! comes first (`2025/4/1`, `2025/4`, `2025-04-01`, `2025.4`, `2025年4月`, `2025年4月1日`
//! → 2025-04: only the month is used); a form that leaves the year or the order of day and
//! month in doubt (`Mar-26`, `26-Mar`, `4/1/2025`) is refused, once for the whole file.

/// Chinese (and a few common English) headers → the column they mean.
pub const HEADER_ALIASES: &[(&str, &str)] = &[
    ("截至月份", "as_of"),
    ("截至", "as_of"),
    ("统计月份", "as_of"),
    ("数据来源", "source"),
    ("来源", "source"),
    ("地块", "block"),
    ("地块编号", "block"),
    ("编号", "block"),
    ("序号", "block"),
    ("开工", "started"),
    ("开工月份", "started"),
    ("开工时间", "started"),
    ("投运", "delivered"),
    ("投运月份", "delivered"),
    ("投运时间", "delivered"),
    ("投用", "delivered"),
    ("交付", "delivered"),
    ("建筑面积", "floor_area_m2"),
    ("建筑面积（平方米）", "floor_area_m2"),
    ("建筑面积(平方米)", "floor_area_m2"),
    ("入驻率", "occupancy"),
    ("出租率", "occupancy"),
    ("科技型中小企业", "tech_smes"),
    ("专精特新", "specialized"),
    ("专精特新企业", "specialized"),
    ("营业收入", "revenue_cny"),
    ("营业收入（元）", "revenue_cny"),
    ("营业收入(元)", "revenue_cny"),
    ("就业", "jobs"),
    ("就业人数", "jobs"),
    ("移出", "removed"),
    ("退出", "removed"),
    ("备注", "note"),
];

/// The column a header names: itself, or what its Chinese form maps to.
pub fn column_of(header: &str) -> &str {
    HEADER_ALIASES.iter().find(|(zh, _)| *zh == header).map(|(_, c)| *c).unwrap_or(header)
}

/// 否 / 未开工 / 未投运 mean "not yet" (false), 是 "yes" (true); `None` for anything else.
pub fn chinese_bool(text: &str) -> Option<bool> {
    match text {
        "否" | "未开工" | "未投运" | "未" | "无" => Some(false),
        "是" => Some(true),
        _ => None,
    }
}

/// A month cell as Excel may have rewritten it.
#[derive(Debug, PartialEq, Eq)]
pub enum MonthCell {
    /// Already `YYYY-MM`, or not a date at all: left to the validator.
    AsIs,
    /// A year-first date: the month it gives, as `YYYY-MM`.
    Month(String),
    /// A date whose year or day/month order is in doubt.
    Ambiguous,
}

/// Reads `text` (trimmed) as a month cell.
pub fn month_cell(text: &str) -> MonthCell {
    let t = crate::text::ascii_form(text.trim());
    if t.len() == 7 && t.as_bytes()[4] == b'-' {
        return MonthCell::AsIs;
    }
    if let Some(m) = year_first(&t) {
        return MonthCell::Month(m);
    }
    let lower = t.to_ascii_lowercase();
    let named = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .any(|m| lower.contains(m));
    let numeric_date = t.split(['/', '-', '.']).count() >= 2
        && t.split(['/', '-', '.']).all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if named || numeric_date {
        MonthCell::Ambiguous
    } else {
        MonthCell::AsIs
    }
}

/// `2025/4/1`, `2025/4`, `2025-4-1`, `2025-04-01`, `2025.4`, `2025年4月`, `2025年4月1日`.
fn year_first(t: &str) -> Option<String> {
    let t = t.trim_end_matches('日');
    let parts: Vec<&str> = t.split(['/', '-', '.', '年', '月']).filter(|p| !p.is_empty()).collect();
    if !(2..=3).contains(&parts.len())
        || parts[0].len() != 4
        || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let year: i32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let day_ok = parts.get(2).is_none_or(|d| d.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)));
    ((1..=12).contains(&month) && day_ok && parts[1].len() <= 2).then(|| format!("{year:04}-{month:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_first_dates_give_their_month() {
        for (cell, month) in [
            ("2025/4/1", "2025-04"),
            ("2025/4", "2025-04"),
            ("2025-4-1", "2025-04"),
            ("2025-04-01", "2025-04"),
            ("2025.4", "2025-04"),
            ("2025年4月", "2025-04"),
            ("2025年4月1日", "2025-04"),
            ("２０２５/４/１", "2025-04"),
        ] {
            assert_eq!(month_cell(cell), MonthCell::Month(month.into()), "{cell}");
        }
    }

    #[test]
    fn doubtful_dates_are_ambiguous_and_the_rest_left_alone() {
        for cell in ["Mar-26", "26-Mar", "4/1/2025", "1.4.2025", "2025/13/1"] {
            assert_eq!(month_cell(cell), MonthCell::Ambiguous, "{cell}");
        }
        for cell in ["2025-04", "false", "no", "soon", "已开工"] {
            assert_eq!(month_cell(cell), MonthCell::AsIs, "{cell}");
        }
    }

    #[test]
    fn chinese_headers_map_to_columns() {
        assert_eq!(column_of("截至月份"), "as_of");
        assert_eq!(column_of("开工"), "started");
        assert_eq!(column_of("投运"), "delivered");
        assert_eq!(column_of("block"), "block");
        assert_eq!(column_of("unknown"), "unknown");
        for (_, c) in HEADER_ALIASES {
            assert!(
                ["as_of", "source", "block"].contains(c) || super::super::observations::BLOCK_KEYS.contains(c),
                "{c}"
            );
        }
    }
}
