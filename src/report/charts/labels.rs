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

    pub fn metric(self, id: TargetId) -> &'static str {
        match self {
            Lang::Zh => id.label_zh(),
            Lang::En => match id {
                TargetId::Parks => "Parks delivered",
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
                TargetId::Revenue => format!("¥{number} bn"),
                _ => format!("{number} {unit}"),
            },
        }
    }

    pub fn percent(self, p: f64) -> String {
        format!("{:.1}%", p * 100.0)
    }
}

/// Full-width punctuation as half-width with a space: plotters' bitmap text ignores glyph side
/// bearings, so full-width brackets and colons leave uneven gaps in PNG charts.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '（' => out.push_str(" ("),
            '）' => out.push(')'),
            '：' => out.push_str(": "),
            '，' | '、' => out.push_str(", "),
            '；' => out.push_str("; "),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_each_language() {
        assert_eq!(Lang::Zh.value(TargetId::Revenue, 1.0e11), "1000亿元");
        assert_eq!(Lang::En.value(TargetId::Revenue, 1.0e11), "¥100 bn");
        assert_eq!(Lang::Zh.value(TargetId::Jobs, 30_000.0), "3万人");
        assert_eq!(Lang::En.value(TargetId::Jobs, 30_000.0), "30 thousand jobs");
        assert_eq!(Lang::Zh.value(TargetId::Specialized, 200.0), "200家");
        assert_eq!(tidy("嘉冶厂区（原嘉兴冶金机械厂）"), "嘉冶厂区 (原嘉兴冶金机械厂)");
    }
}
