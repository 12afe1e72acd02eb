//! Every word and number a chart shows, in Chinese and in English.

use crate::seeds::TargetId;

/// Chart language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Picks the text for this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A range of numbers as written `low` to `high`: 14.9%～15.5% in Chinese (GB/T 15834's
    /// wave dash for a range of numbers), 14.9%–15.5% in English.
    pub fn range(self, low: &str, high: &str) -> String {
        match self {
            Lang::Zh => format!("{low}～{high}"),
            Lang::En => format!("{low}–{high}"),
        }
    }

    pub fn metric(self, id: TargetId) -> &'static str {
        match self {
            Lang::Zh => id.label_zh(),
            Lang::En => match id {
                TargetId::Parks => "Parks built",
                TargetId::Specialized => "Specialized (专精特新) firms",
                TargetId::TechSmes => "Tech SMEs",
                TargetId::Revenue => "Revenue",
                TargetId::Jobs => "New jobs",
            },
        }
    }

    /// The unit a metric is drawn in, and the divisor from its natural unit.
    pub fn unit(self, id: TargetId) -> (&'static str, f64) {
        match (self, id) {
            (Lang::Zh, TargetId::Parks) => ("个", 1.0),
            (Lang::En, TargetId::Parks) => ("parks", 1.0),
            (Lang::Zh, TargetId::Specialized | TargetId::TechSmes) => ("家", 1.0),
            (Lang::En, TargetId::Specialized | TargetId::TechSmes) => ("firms", 1.0),
            (Lang::Zh, TargetId::Revenue) => ("亿元", 1e8),
            (Lang::En, TargetId::Revenue) => ("¥ bn", 1e9),
            (Lang::Zh, TargetId::Jobs) => ("万人", 1e4),
            (Lang::En, TargetId::Jobs) => ("thousand jobs", 1e3),
        }
    }

    /// The unit for one block's contribution (smaller than the city's: jobs in people).
    pub fn block_unit(self, id: TargetId) -> (&'static str, f64) {
        match (self, id) {
            (Lang::Zh, TargetId::Jobs) => ("人", 1.0),
            (Lang::En, TargetId::Jobs) => ("jobs", 1.0),
            _ => self.unit(id),
        }
    }

    /// A value in the metric's display unit, with the unit.
    pub fn value(self, id: TargetId, x: f64) -> String {
        // city jobs read in 万人 in Chinese whatever their size (so a table's row keeps one unit);
        // fewer than a thousand English jobs read in jobs
        match (self, id) {
            (Lang::Zh, TargetId::Jobs) => return format!("{}万人", crate::report::format::wan(x)),
            (Lang::En, TargetId::Jobs) if x.abs() < 1e3 => return format!("{x:.0} jobs"),
            (_, TargetId::Specialized | TargetId::TechSmes) => return self.firms(x),
            _ => {}
        }
        let (unit, div) = self.unit(id);
        let v = x / div;
        let number = if v.abs() >= 100.0 || v.fract() == 0.0 {
            format!("{v:.0}")
        } else if v.abs() >= 1.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.2}")
        };
        match self {
            Lang::Zh => format!("{number}{unit}"),
            Lang::En => match id {
                TargetId::Revenue => format!("¥{v:.1} bn"),
                _ => format!("{number} {unit}"),
            },
        }
    }

    /// A number of firms in words: whole firms (a mean of 0.03 firms is no "0.03家"), and a
    /// positive mean below one half as 不足1家 / "less than 1 firm" (negative: 减少不足1家).
    pub fn firms(self, x: f64) -> String {
        let whole = x.round();
        match self {
            Lang::Zh if whole == 0.0 && x > 0.0 => "不足1家".into(),
            Lang::Zh if whole == 0.0 && x < 0.0 => "减少不足1家".into(),
            Lang::Zh => format!("{whole:.0}家"),
            Lang::En if whole == 0.0 && x > 0.0 => "less than 1 firm".into(),
            Lang::En if whole == 0.0 && x < 0.0 => "a loss of less than 1 firm".into(),
            Lang::En if whole.abs() == 1.0 => format!("{whole:.0} firm"),
            Lang::En => format!("{whole:.0} firms"),
        }
    }

    /// A month as this language writes it: 2025年1月, or 2025-01.
    pub fn month(self, m: crate::month::Month) -> String {
        match self {
            Lang::Zh => crate::zh::month(m),
            Lang::En => m.to_string(),
        }
    }

    /// A probability with one decimal, never rounding a possible outcome to 0.0% or 100.0%.
    pub fn percent(self, p: f64) -> String {
        let tenths = (p * 1000.0).round() / 10.0;
        if p > 0.0 && tenths == 0.0 {
            "<0.1%".into()
        } else if p < 1.0 && tenths == 100.0 {
            ">99.9%".into()
        } else {
            format!("{tenths:.1}%")
        }
    }
}

/// A block's chart label: its id and name (Chinese punctuation as GB/T 15834 has it), shortened
/// to `zh_chars` or `en_chars` characters when longer — first by leaving out a bracketed part
/// (「亚太路科创工业社区（微创产业园）」 → 「亚太路科创工业社区」), then by cutting with an ellipsis
/// before any bracket the cut would split, so a name is shortened but its punctuation never
/// broken. A space-free id such as "10" before a name starting with digits ("1921…") is kept
/// apart by a colon.
pub fn block_label(id: u32, name_zh: &str, name_en: &str, lang: Lang, zh_chars: usize, en_chars: usize) -> String {
    let (name, max) = match lang {
        Lang::Zh => (tidy(name_zh), zh_chars),
        Lang::En => (name_en.to_string(), en_chars),
    };
    let short = shorten(&name, max);
    let sep = match (short.starts_with(|c: char| c.is_ascii_digit()), lang) {
        (true, Lang::Zh) => "：",
        (true, Lang::En) => ": ",
        (false, _) => " ",
    };
    format!("{id}{sep}{short}")
}

/// `name` in at most `max` characters (an ellipsis counted): without its bracketed parts if that
/// is enough, else cut before `max` and before any bracket left open.
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let mut depth = 0usize;
    let outside: String = name
        .chars()
        .filter(|&c| {
            let keep = depth == 0 && !"（(〔[".contains(c);
            match c {
                '（' | '(' | '〔' | '[' => depth += 1,
                '）' | ')' | '〕' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            keep && !"）)〕]".contains(c)
        })
        .collect();
    // the space before a dropped bracket is not left doubled ("Triangle  plot")
    let outside = outside.split_whitespace().collect::<Vec<_>>().join(" ");
    if !outside.is_empty() && outside.chars().count() <= max {
        return outside;
    }
    let base = if outside.is_empty() { name.to_string() } else { outside };
    let mut cut: String = base.chars().take(max.saturating_sub(1)).collect();
    // never leave a bracket open
    let open = cut.chars().filter(|c| "（(〔[".contains(*c)).count();
    let close = cut.chars().filter(|c| "）)〕]".contains(*c)).count();
    if open > close {
        if let Some(i) = cut.rfind(['（', '(', '〔', '[']) {
            cut.truncate(i);
        }
    }
    format!("{}…", cut.trim_end())
}

/// A probability as a whole percentage, never rounding a possible event to "0%" or a possible
/// miss to "100%": below 0.5 % it reads "<1%", above 99.5 % (and not certain) ">99%".
pub fn rounded_percent(p: f64) -> String {
    let whole = (p * 100.0).round();
    if p > 0.0 && whole == 0.0 {
        "<1%".into()
    } else if p < 1.0 && whole == 100.0 {
        ">99%".into()
    } else {
        format!("{whole:.0}%")
    }
}

/// A Chinese name as charts show it: full-width punctuation kept, and half-width brackets,
/// commas, colons and semicolons set full-width (GB/T 15834), as in the HTML tables.
pub fn tidy(text: &str) -> String {
    crate::zh::punctuate(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_each_language() {
        assert_eq!(Lang::Zh.value(TargetId::Revenue, 1.0e11), "1000亿元");
        assert_eq!(Lang::En.value(TargetId::Revenue, 1.0e11), "¥100.0 bn");
        assert_eq!(Lang::En.value(TargetId::Revenue, 1.0667e11), "¥106.7 bn");
        assert_eq!(Lang::Zh.value(TargetId::Jobs, 870.3), "0.09万人");
        assert_eq!(Lang::Zh.value(TargetId::Jobs, 31_250.0), "3.1万人");
        assert_eq!(Lang::En.value(TargetId::Jobs, -183.0), "-183 jobs");
        assert_eq!(Lang::Zh.value(TargetId::Jobs, 30_000.0), "3万人");
        assert_eq!(Lang::En.value(TargetId::Jobs, 30_000.0), "30 thousand jobs");
        assert_eq!(Lang::Zh.value(TargetId::Specialized, 200.0), "200家");
        // firm counts are whole in words: no 「0.03家」
        assert_eq!(Lang::Zh.value(TargetId::TechSmes, 0.03), "不足1家");
        assert_eq!(Lang::Zh.value(TargetId::TechSmes, -0.2), "减少不足1家");
        assert_eq!(Lang::Zh.value(TargetId::Specialized, 10.6), "11家");
        assert_eq!(Lang::Zh.value(TargetId::Specialized, 0.0), "0家");
        assert_eq!(Lang::En.value(TargetId::TechSmes, 0.03), "less than 1 firm");
        assert_eq!(Lang::En.value(TargetId::TechSmes, 54.2), "54 firms");
        assert_eq!(Lang::En.value(TargetId::TechSmes, 1.2), "1 firm");
        assert_eq!(tidy("嘉冶厂区（原嘉兴冶金机械厂）"), "嘉冶厂区（原嘉兴冶金机械厂）");
        assert_eq!(tidy("智能物联、智能制造"), "智能物联、智能制造");
    }

    #[test]
    fn block_labels_cut_with_an_ellipsis_and_keep_numbers_apart() {
        // a name too long loses its bracketed part first, never half a bracket
        assert_eq!(block_label(2, "亚太路科创工业社区（微创产业园）", "", Lang::Zh, 12, 30), "2 亚太路科创工业社区");
        assert_eq!(
            block_label(2, "亚太路科创工业社区（微创产业园）", "", Lang::Zh, 20, 30),
            "2 亚太路科创工业社区（微创产业园）"
        );
        assert_eq!(block_label(9, "嘉兴南湖区科技城智能制造产业园", "", Lang::Zh, 8, 30), "9 嘉兴南湖区科技…");
        assert_eq!(block_label(7, "甲乙（丙丁戊己庚辛）", "", Lang::Zh, 1, 30), "7 …");
        assert_eq!(shorten("园区（一期、二期）扩建工程", 6), "园区扩建工程");
        assert_eq!(shorten("（一期、二期）扩建工程项目", 6), "扩建工程项目");
        assert_eq!(shorten("Waimaonong Triangle (Sinotrans) plot", 30), "Waimaonong Triangle plot");
        assert_eq!(
            block_label(4, "闻川科创园", "Wenchuan Sci-Tech Park", Lang::En, 12, 30),
            "4 Wenchuan Sci-Tech Park"
        );
        assert_eq!(block_label(10, "1921南湖都市经济园", "", Lang::Zh, 16, 30), "10：1921南湖都市经济园");
    }

    #[test]
    fn rounded_percentages_never_hide_a_possible_outcome() {
        let cases =
            [(0.0, "0%"), (0.004, "<1%"), (0.005, "1%"), (0.46, "46%"), (0.994, "99%"), (0.996, ">99%"), (1.0, "100%")];
        for (p, text) in cases {
            assert_eq!(rounded_percent(p), text, "p = {p}");
        }
        let cases = [
            (0.0, "0.0%"),
            (0.00004, "<0.1%"),
            (0.0005, "0.1%"),
            (0.1234, "12.3%"),
            (0.99996, ">99.9%"),
            (1.0, "100.0%"),
        ];
        for (p, text) in cases {
            assert_eq!(Lang::Zh.percent(p), text, "p = {p}");
        }
    }
}

/// Chinese names of the factors tornado and Sobol charts rank (parameter paths, common factors,
/// levers, Sobol groups); `None` for anything else (shown as its key).
pub fn factor_zh(key: &str) -> Option<String> {
    let path = key.strip_prefix("params.").unwrap_or(key);
    let name = match path {
        "start.progress_at_policy" => "已开工区块的施工进度",
        "start.on_time" => "按计划开工",
        "start.delay_months" => "开工延误（月）",
        "start.month_in_year" => "年内开工月份",
        "start.decision_lag_months" => "未定区块的决策周期（月）",
        "start.hazard_per_month" => "未定区块的月开工概率",
        "start.rezoning_delay_months" => "用地调整延误（月）",
        "start.no_developer_delay_months" => "无开发主体延误（月）",
        "build.renovation" => "改造提升（而非新建）",
        "build.duration_months" => "建设工期（月）",
        "build.phase_threshold_mu" => "分期建设的面积门槛（亩）",
        "build.phases" => "分期数",
        "build.phase_gap_months" => "分期间隔（月）",
        "build.fitout_months" => "竣工至运营（月）",
        "build.heritage_extra_months" => "历史建筑利用的额外工期（月）",
        "renovation.vacate_months" => "腾退时间（月）",
        "renovation.existing_revenue_cny_per_mu" => "改造地块原有亩均营收",
        "renovation.existing_jobs_per_mu" => "改造地块原有亩均就业",
        "renovation.displaced_urban_type_share" => "腾退中流失的都市型工业占比",
        "floor.plot_ratio" => "容积率",
        "floor.industrial_share" => "工业建筑面积占比",
        "occupancy.ceiling" => "成熟入驻率",
        "occupancy.half_fill_months" => "入驻过半时间（月）",
        "occupancy.fill_span_months" => "入驻爬坡时长（月）",
        "firms.area_per_firm_m2" => "每家企业面积（平方米）",
        "firms.tech_share" => "科技型中小企业占比",
        "firms.specialized_share" => "专精特新认定比例",
        "firms.national_share" => "国家级小巨人占比",
        "firms.certification_lag_months" => "专精特新认定周期（月）",
        "firms.anchor_count" => "总部/链主企业数",
        "firms.anchor_revenue_cny" => "总部/链主企业营收",
        "firms.anchor_jobs" => "总部/链主企业就业",
        "firms.arrive_certified_share" => "入驻时已是专精特新的企业占比",
        "revenue.density_cny_per_m2" => "单位面积营收",
        "revenue.above_scale_share" => "规上企业营收占比",
        "jobs.area_per_job_m2" => "人均面积（平方米）",
        "firms.relocated_share" => "市内迁入企业占比",
        "shocks.macro_mean" => "宏观冲击均值",
        "shocks.macro_weight" => "宏观冲击权重",
        "shocks.district_weight" => "区级冲击权重",
        "shocks.industry_weight" => "产业冲击权重",
        "shocks.delay_months_per_sd" => "冲击对开工延误的影响",
        "shocks.occupancy_log_per_sd" => "冲击对入驻率的影响",
        "shocks.revenue_log_per_sd" => "冲击对营收的影响",
        "shocks.base_revenue_log_per_sd" => "冲击对存量营收的影响",
        "shocks.base_jobs_per_sd" => "冲击对存量就业的影响",
        "base.revenue_2024_cny" => "现有存量2024年营收",
        "base.revenue_growth_per_year" => "现有存量营收年增长率",
        "base.all_revenue_factor" => "全口径/规上营收比",
        "base.specialized_2024" => "现有专精特新企业数",
        "base.specialized_added_per_year" => "每年新增专精特新",
        "base.national_share" => "存量中国家级小巨人占比",
        "base.tech_smes_2024" => "现有科技型中小企业数",
        "base.tech_smes_added_per_year" => "每年新增科技型中小企业",
        "base.jobs_added_per_year" => "存量每年净新增就业",
        "base.jobs_lost_per_year" => "存量每年流失就业",
        "base.other_parks_listed" => "动态调入并建成的其他园区",
        "base.nanhu_share" => "南湖区占存量比例",
        "shocks.factor.macro" | "shocks.macro (common factor)" => "宏观经济冲击",
        "shocks.factor.district.nanhu" => "南湖区冲击",
        "shocks.factor.district.xiuzhou" => "秀洲区冲击",
        "shocks.factor.district.etdz" => "经开区冲击",
        "shocks.factor.industry.emerging" => "新兴产业冲击",
        "shocks.factor.industry.future" => "未来产业冲击",
        "shocks.factor.industry.services" => "生产性服务业冲击",
        "shocks.districts (district factors beyond the macro)" => "区级冲击（宏观之外）",
        "shocks.industries (industry factors beyond the macro)" => "产业冲击（宏观之外）",
        "intrinsic (firm counts, waiting times, anchor arrivals)" => "内在随机性（企业数、等待时间等）",
        _ => {
            if let Some(lever) = path.strip_prefix("levers.") {
                return crate::scenario::levers::lever_def(lever).map(|l| format!("政策：{}", l.label_zh));
            }
            if let Some(id) = path.strip_prefix("block ") {
                return Some(format!("区块{id}"));
            }
            return None;
        }
    };
    Some(name.to_string())
}

/// English names of the factors, made from their keys: `params.build.duration_months` →
/// "build: duration (months)", `shocks.factor.district.nanhu` → "district factor: nanhu",
/// `levers.investment_promotion` → "policy: investment promotion"; anything else (Sobol's named
/// groups, blocks) as it is.
pub fn factor_en(key: &str) -> String {
    let path = key.strip_prefix("params.").unwrap_or(key);
    if let Some(lever) = path.strip_prefix("levers.") {
        let name = lever.split('.').next().unwrap_or(lever);
        if let Some(d) = crate::scenario::levers::lever_def(name) {
            return format!("policy: {}", d.label_en);
        }
    }
    if let Some(f) = path.strip_prefix("shocks.factor.") {
        return match f.split_once('.') {
            Some((kind, which)) => format!("{kind} factor: {which}"),
            None => format!("{f} factor"),
        };
    }
    let Some((step, name)) = path.split_once('.') else { return key.to_string() };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return key.to_string();
    }
    // unit suffixes, longest first
    const UNITS: [(&str, &str); 8] = [
        ("_cny_per_m2", " (CNY per sq m)"),
        ("_cny_per_mu", " (CNY per mu)"),
        ("_per_m2", " per sq m"),
        ("_months", " (months)"),
        ("_cny", " (CNY)"),
        ("_m2", " (sq m)"),
        ("_mu", " (mu)"),
        ("_sd", " sd"),
    ];
    let (stem, unit) = UNITS
        .iter()
        .find_map(|(suffix, unit)| name.strip_suffix(suffix).map(|stem| (stem, *unit)))
        .unwrap_or((name, ""));
    format!("{step}: {}{unit}", stem.replace('_', " "))
}

/// A factor's label in `lang`: its Chinese name in Chinese charts, its English name in English
/// ones (the key itself is in the CSV files).
pub fn factor_label(key: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => factor_zh(key).unwrap_or_else(|| key.to_string()),
        Lang::En => factor_en(key),
    }
}

#[cfg(test)]
mod factor_names {
    use super::*;
    use crate::scenario::{Scope, FACTORS, LEVERS, PARAMS};

    #[test]
    fn every_factor_a_chart_can_rank_has_a_chinese_name() {
        for p in PARAMS {
            let key = match p.scope {
                Scope::Block => format!("params.{}", p.path),
                Scope::City => p.path.to_string(),
            };
            assert!(factor_zh(&key).is_some(), "{key}");
        }
        for f in FACTORS {
            assert!(factor_zh(&format!("shocks.factor.{f}")).is_some(), "{f}");
        }
        for l in LEVERS {
            assert!(factor_zh(&format!("levers.{}", l.name)).is_some(), "{}", l.name);
        }
        let en = [
            ("params.start.delay_months", "start: delay (months)"),
            ("params.revenue.density_cny_per_m2", "revenue: density (CNY per sq m)"),
            ("base.revenue_2024_cny", "base: revenue 2024 (CNY)"),
            ("params.start.on_time", "start: on time"),
            ("shocks.factor.macro", "macro factor"),
            ("shocks.factor.district.nanhu", "district factor: nanhu"),
            ("shocks.macro (common factor)", "shocks.macro (common factor)"),
            ("block 3", "block 3"),
        ];
        for (key, label) in en {
            assert_eq!(factor_label(key, Lang::En), label);
        }
        assert!(factor_label("levers.investment_promotion", Lang::En).starts_with("policy: "));
        // GB/T 15834: a Chinese label's colon is full-width
        let zh = factor_label("levers.investment_promotion", Lang::Zh);
        assert!(zh.starts_with("政策：") && !zh.contains(':'), "{zh}");
    }
}
