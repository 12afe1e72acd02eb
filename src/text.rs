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
