//! Chinese typography as GB/T 15834 has it: full-width punctuation in Chinese text (、，：；
//! and full-width brackets), and dates as 2025年1月 — for labels checked on input and for
//! everything the Chinese pages show.

/// Whether `c` is a CJK ideograph (the unified ideographs and extension A).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The full-width form of a half-width punctuation mark used in Chinese text, if it has one.
pub fn full_width(c: char) -> Option<char> {
    Some(match c {
        '(' => '（',
        ')' => '）',
        ',' => '，',
        ':' => '：',
        ';' => '；',
        _ => return None,
    })
}

/// `text` (a Chinese name or phrase) with its half-width brackets, commas, colons and
/// semicolons in full-width form and the spaces around them dropped; full-width marks (、（）…)
/// are kept as they are. A comma or colon between two digits (1,000; 10:30) is left alone.
pub fn punctuate(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let digit = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_ascii_digit());
        let between_digits = digit(i.checked_sub(1)) && digit(Some(i + 1));
        match full_width(c) {
            Some(f) if !(between_digits && (c == ',' || c == ':')) => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push(f);
            }
            _ if c == ' ' && out.chars().last().is_some_and(|p| "（），：；、。～".contains(p)) => {}
            _ => out.push(c),
        }
    }
    out
}

/// A month as Chinese text reads it: 2025年1月.
pub fn month(m: crate::month::Month) -> String {
    format!("{}年{}月", m.year(), m.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_keeps_full_width_punctuation() {
        assert_eq!(punctuate("嘉冶厂区（原嘉兴冶金机械厂）"), "嘉冶厂区（原嘉兴冶金机械厂）");
        assert_eq!(punctuate("嘉冶厂区 (原嘉兴冶金机械厂)"), "嘉冶厂区（原嘉兴冶金机械厂）");
        assert_eq!(punctuate("智能物联、智能制造"), "智能物联、智能制造");
        assert_eq!(punctuate("甲, 乙: 丙; 丁"), "甲，乙：丙；丁");
        assert_eq!(punctuate("1,000家"), "1,000家");
        assert_eq!(punctuate("达标概率12.3% (模拟误差范围11.9%～12.8%)"), "达标概率12.3%（模拟误差范围11.9%～12.8%）");
        assert!(is_cjk('嘉') && !is_cjk('A') && !is_cjk('（'));
        assert_eq!(month(crate::month::Month::new(2025, 1).unwrap()), "2025年1月");
    }
}
