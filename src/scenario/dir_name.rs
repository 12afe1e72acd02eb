//! Names that become part of an output path (a scenario's name, a monitoring or replay
//! directory made from it) are untrusted: scenario files travel by e-mail and USB stick. A name
//! is turned into exactly one path component that is valid on Linux, macOS and Windows and can
//! never climb out of the directory it is joined to; the original name stays what charts and
//! reports show.

/// The longest component a name may give, in bytes. Leaves room for the temporary and lock
/// siblings (`.NAME.tmp-HOST-PID-RANDOM`) within the 255-byte limit of common filesystems, and
/// for suffixes such as `-asof-2025-06`.
pub const MAX_COMPONENT_BYTES: usize = 120;

/// A name that leaves nothing usable as a directory name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the name {shown} cannot name a directory: nothing is left once path separators, dots and reserved characters are removed (give a name with letters or digits)")]
pub struct EmptyName {
    /// The name as given, quoted with control characters escaped.
    pub shown: String,
}

/// Characters that separate paths or that Windows refuses in file names.
fn reserved(c: char) -> bool {
    matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*') || c.is_control() || bidi_control(c)
}

/// Unicode controls that reorder text on screen (a name could look like another).
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Device names Windows reserves whatever the extension and trailing spaces (`CON`,
/// `nul.txt`, `con .txt`, `COM1`, `LPT¹` …).
fn windows_device(stem: &str) -> bool {
    let s = stem.trim_end_matches([' ', '.']).to_uppercase();
    let numbered = |prefix: &str| {
        s.strip_prefix(prefix).is_some_and(|n| {
            let mut c = n.chars();
            matches!((c.next(), c.next()), (Some('0'..='9' | '¹' | '²' | '³'), None))
        })
    };
    matches!(s.as_str(), "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$") || numbered("COM") || numbered("LPT")
}

/// `name` as one safe path component: separators, Windows-reserved and control characters
/// become `_`, runs of `_` collapse, leading dots and underscores and trailing dots, spaces and
/// underscores go (no hidden names, no `.` or `..`), a Windows device name gets a `_` after it,
/// and the result is cut to [`MAX_COMPONENT_BYTES`] at a character boundary.
pub fn dir_name(name: &str) -> Result<String, EmptyName> {
    let mut out = String::with_capacity(name.len().min(MAX_COMPONENT_BYTES * 2));
    for c in name.chars() {
        let c = if reserved(c) { '_' } else { c };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
        if out.len() > MAX_COMPONENT_BYTES * 2 {
            break; // long names are cut below; no need to look further
        }
    }
    let trim_end = |s: &str| s.trim_end_matches(|c: char| c == '.' || c == '_' || c.is_whitespace()).to_string();
    let mut out = trim_end(out.trim_start_matches(|c: char| c == '.' || c == '_' || c.is_whitespace()));
    if out.len() > MAX_COMPONENT_BYTES {
        let mut cut = MAX_COMPONENT_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out = trim_end(&out);
    }
    if out.is_empty() {
        return Err(EmptyName { shown: format!("{:?}", name.chars().take(60).collect::<String>()) });
    }
    let stem = out.split('.').next().unwrap_or("").len();
    if windows_device(&out[..stem]) {
        out.insert(stem, '_');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::{Component, Path};

    #[test]
    fn names_become_one_component() {
        for (name, dir) in [
            ("baseline", "baseline"),
            ("../../escaped_dir", "escaped_dir"),
            ("a/b\\c", "a_b_c"),
            ("baseline\n", "baseline"),
            ("..hidden", "hidden"),
            ("嘉兴 基准情景", "嘉兴 基准情景"),
            ("CON", "CON_"),
            ("nul.toml", "nul_.toml"),
            ("com1", "com1_"),
            ("COM0", "COM0_"),
            ("COMA", "COMA"),
            ("LPT¹", "LPT¹_"),
            ("con .txt", "con _.txt"),
            ("what?*<>|\"x\"", "what_x"),
            ("trailing dots...", "trailing dots"),
            ("\u{202e}evil", "evil"),
            ("🚀 launch", "🚀 launch"),
        ] {
            assert_eq!(dir_name(name).unwrap(), dir, "{name:?}");
        }
    }

    #[test]
    fn names_with_nothing_left_are_refused() {
        for name in ["", ".", "..", "/", "\\", "../..", " . ", "\u{0}", "___"] {
            let e = dir_name(name).unwrap_err();
            assert!(e.to_string().starts_with("the name \""), "{e}");
        }
        assert_eq!(
            dir_name("..").unwrap_err().to_string(),
            "the name \"..\" cannot name a directory: nothing is left once path separators, dots and reserved characters are removed (give a name with letters or digits)"
        );
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let long = "甪".repeat(100); // 300 bytes
        let d = dir_name(&long).unwrap();
        assert!(d.len() <= MAX_COMPONENT_BYTES && d.len() > MAX_COMPONENT_BYTES - 3, "{}", d.len());
        assert!(d.chars().all(|c| c == '甪'));
        assert_eq!(dir_name(&"x".repeat(1_000_000)).unwrap().len(), MAX_COMPONENT_BYTES);
    }

    fn awkward_name() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("..".to_string()),
            Just(".".to_string()),
            Just("/".to_string()),
            Just("\\".to_string()),
            Just("\0".to_string()),
            Just("\u{1b}[2J".to_string()),
            Just("CON".to_string()),
            Just("C:".to_string()),
            Just("嘉兴".to_string()),
            Just("🚀".to_string()),
            Just(" ".to_string()),
            "[a-z]{1,8}",
            any::<char>().prop_map(|c| c.to_string()),
        ];
        prop_oneof![prop::collection::vec(piece, 0..12).prop_map(|v| v.concat()), "[a-z]{200,400}", any::<String>(),]
    }

    proptest! {
        #[test]
        fn every_name_stays_under_the_output_root(name in awkward_name()) {
            if let Ok(d) = dir_name(&name) {
                let joined = Path::new("outputs").join(&d);
                let parts: Vec<Component> = joined.components().collect();
                prop_assert_eq!(parts.len(), 2, "{:?} -> {:?}", name, d);
                prop_assert!(matches!(parts[1], Component::Normal(_)));
                prop_assert!(!d.starts_with('.') && !d.is_empty() && d.len() <= MAX_COMPONENT_BYTES);
                prop_assert!(!d.chars().any(reserved), "{:?}", d);
                prop_assert!(!windows_device(d.split('.').next().unwrap()));
                prop_assert!(!d.ends_with(' ') && !d.ends_with('.'));
            }
        }
    }
}
