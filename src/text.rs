//! Text from users made safe to print on a terminal.
//!
//! Scenario names and descriptions, observation sources, block names from a user's seeds,
//! `--set` values and file names all reach stdout and stderr. A raw control character in one
//! could clear the screen, move the cursor or recolour text (ANSI escapes), and a Unicode bidi
//! override could reorder what is shown, so that a terminal prints results parkcast never
//! computed. Such characters are shown escaped instead, e.g. `\u{1b}`.

use std::borrow::Cow;

/// `text` with every control character escaped except line feeds (for messages that span
/// lines, such as a list of problems).
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// `text` with every control character escaped, line feeds too (for one-line values such as a
/// table cell or a name).
pub fn printable_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Whether `c` is shown escaped: C0 controls (U+0000–U+001F) but for a kept line feed, DEL,
/// C1 controls (U+0080–U+009F), and the bidi embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069).
fn unsafe_char(c: char, keep_newline: bool) -> bool {
    match c {
        '\n' => !keep_newline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

fn escape(text: &str, keep_newline: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| unsafe_char(c, keep_newline)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !unsafe_char(c, keep_newline) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// `text` with full-width ASCII (digits, `，` `：` `．` `－` `＋` `％` …, U+FF01–U+FF5E), the
/// ideographic comma `、`, the ideographic space and the minus sign `−` (U+2212) made ASCII.
pub fn ascii_form(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            '、' => ',',
            '\u{2212}' | '\u{2013}' => '-',
            c => c,
        })
        .collect()
}

/// A number typed as text (full-width digits and punctuation too, `_` between digits allowed):
/// commas only as thousands separators (`1,200`, `73,600,000,000`); any other comma is refused
/// rather than dropped, since `0,75` (a decimal comma) or `1，2` (an IME's comma) would
/// otherwise read as 75 or 12.
pub fn number_from_text(text: &str) -> Result<f64, NotANumber> {
    let ascii = ascii_form(text);
    let t = ascii.trim();
    if t.contains(',') && !thousands_grouped(t) {
        let point = t.replacen(',', ".", 1);
        return Err(NotANumber::StrayComma(format!(
            "`{text}` has a comma that does not group thousands: write a decimal with a point ({point}) and a large number with commas every three digits (1,200) or none"
        )));
    }
    match t.replace([',', '_'], "").parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(NotANumber::Other),
    }
}

/// Why [`number_from_text`] refused a text.
#[derive(Clone, Debug, PartialEq)]
pub enum NotANumber {
    /// A comma that is not a thousands separator; the message says what to write.
    StrayComma(String),
    /// Not a number at all.
    Other,
}

/// Whether the commas of `t` group the digits before its decimal point in threes.
fn thousands_grouped(t: &str) -> bool {
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    let whole = unsigned.split(['.', 'e', 'E']).next().unwrap_or("");
    if unsigned[whole.len()..].contains(',') {
        return false;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    (1..=3).contains(&first.len()) && digits(first) && groups.all(|g| g.len() == 3 && digits(g))
}

/// `8%` (or `8％`) → `0.08`: the fraction to write for a value typed as a percent.
pub fn percent_as_fraction(text: &str) -> Option<String> {
    let ascii = crate::text::ascii_form(text);
    let x: f64 = ascii.trim().strip_suffix('%')?.trim().parse().ok()?;
    let f = x / 100.0;
    let short = format!("{f:.10}");
    let short = short.trim_end_matches('0').trim_end_matches('.');
    Some(if short.parse::<f64>().ok() == Some(f) { short.to_string() } else { f.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_in_numbers_group_thousands_or_are_refused() {
        assert_eq!(number_from_text("1,200"), Ok(1200.0));
        assert_eq!(number_from_text(" 73,600,000,000 "), Ok(73_600_000_000.0));
        assert_eq!(number_from_text("-1,234.5"), Ok(-1234.5));
        assert_eq!(number_from_text("１，２００"), Ok(1200.0)); // full-width, correctly grouped
        assert_eq!(number_from_text("0.75"), Ok(0.75));
        assert_eq!(number_from_text("1_000"), Ok(1000.0));
        for bad in ["1,2", "1，2", "0,75", "1,2000", "12,00", ",120", "1.5,0", "1,234,56"] {
            match number_from_text(bad) {
                Err(NotANumber::StrayComma(e)) => assert!(e.contains("does not group thousands"), "{bad}: {e}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(matches!(number_from_text("0,75"), Err(NotANumber::StrayComma(e)) if e.contains("(0.75)")));
        assert_eq!(number_from_text("nine"), Err(NotANumber::Other));
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "嘉兴 baseline: P(met) 42.0 %\nnext line";
        assert!(matches!(printable(s), Cow::Borrowed(t) if t == s));
    }

    #[test]
    fn escapes_ansi_c1_del_and_bidi() {
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\u{9b}31m\u{7f}"), "x\\u{9b}31m\\u{7f}");
        assert_eq!(printable("\u{202e}evil\u{2066}\u{2069}"), "\\u{202e}evil\\u{2066}\\u{2069}");
        assert_eq!(printable("tab\there\rback\u{0}"), "tab\\there\\rback\\u{0}");
    }

    #[test]
    fn line_feeds_are_kept_only_in_messages() {
        assert_eq!(printable("one\ntwo"), "one\ntwo");
        assert_eq!(printable_line("one\ntwo"), "one\\ntwo");
    }

    #[test]
    fn nothing_unsafe_survives() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        for c in printable_line(&all).chars() {
            assert!(!unsafe_char(c, false), "{:x}", c as u32);
        }
    }
}
