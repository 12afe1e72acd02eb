//! The document every report.html shares (`run`, `compare`, `tornado`): the head with the bundled
//! font, the screen and print styles, the 中文/English switch and one section per language.

use super::{escape, font_face, print, CSS};
use crate::report::charts::Lang;
use std::fmt::Write;

/// The opening tag of a language's section.
pub fn open_section(l: Lang) -> String {
    format!("<section class=\"{}\" lang=\"{}\">", l.code(), l.t("zh-CN", "en"))
}

/// The whole page titled `title`: `section(lang)` for each of `langs` (each opened with
/// [`open_section`]). With one language, the switch is left out and the section always shows.
pub fn document(title: &str, langs: &[Lang], section: impl Fn(Lang) -> String) -> String {
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        h,
        "<title>parkcast — {}</title><style>{}{CSS}{}</style></head><body>",
        escape(title),
        font_face(),
        print::css()
    );
    if langs.len() > 1 {
        h.push_str("<input type=\"radio\" name=\"lang\" id=\"lang-zh\" checked><label class=\"lang\" for=\"lang-zh\">中文</label><input type=\"radio\" name=\"lang\" id=\"lang-en\"><label class=\"lang\" for=\"lang-en\">English</label>");
    }
    for &lang in langs {
        let mut sec = section(lang);
        if langs.len() == 1 {
            sec = sec.replacen(&format!("class=\"{}\"", lang.code()), "class=\"only\"", 1);
        }
        h.push_str(&sec);
    }
    h += &super::sliders::script_for(&h);
    h.push_str("</body></html>\n");
    h
}

/// The identity line of an analysis (compare, tornado): the trials, the seed (with the same
/// seed and scenarios the analysis gives the same figures), the date and the version.
pub fn analysis_info(l: Lang, trials: u64, seed: u64, date: &str) -> String {
    match l {
        Lang::Zh => format!(
            "<h2>运行信息</h2><p class=\"meta\">每个情景模拟情形{}个，各情景使用同一批模拟情形 · 随机种子{seed} · 运行日期{} · parkcast {}</p>",
            crate::report::format::thousands(trials as f64),
            escape(&super::zh_date(date)),
            env!("CARGO_PKG_VERSION")
        ),
        Lang::En => format!(
            "<h2>Run</h2><p class=\"meta\">parkcast {} · seed {seed} · {} trials per evaluation, the same for every one (common random numbers) · {}</p>",
            env!("CARGO_PKG_VERSION"),
            crate::report::format::thousands(trials as f64),
            escape(date)
        ),
    }
}
