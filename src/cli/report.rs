//! `parkcast report DIR`.

use super::args::LangArg;
use crate::report::export;
use crate::report::view::RunView;
use crate::report::view_check;
use crate::Error;
use std::path::Path;

pub fn run(dir: &Path, lang: LangArg) -> Result<(), Error> {
    // lock first, so that a run replacing DIR cannot swap other data in under us
    let (claim, note) = export::claim_in_place(dir).map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(n) = note {
        errln!("note: {n}");
    }
    let data = dir.join("report_data.json");
    let view = load(&data)?;
    super::catch_interrupts();
    let kept = export::rebuild_report(&claim, &view, &lang.langs(), &super::INTERRUPTED).map_err(|e| {
        if super::INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
            Error::Interrupted(format!("interrupted; the report in {} is untouched", dir.display()))
        } else {
            Error::Runtime(e.to_string())
        }
    })?;
    super::run::report_kept(kept.as_deref());
    errln!(
        "rebuilt {} and {} from {}",
        dir.join("report.html").display(),
        dir.join("charts").display(),
        data.display()
    );
    Ok(())
}

/// Reads `report_data.json` (untrusted: output folders travel by e-mail and USB stick): UTF-8,
/// with or without the byte-order mark an editor such as Notepad adds, parsed and checked
/// against every invariant the charts and the report rely on.
pub fn load(data: &Path) -> Result<RunView, Error> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::Usage(format!("{}: cannot be read ({e}); give a directory written by parkcast run", data.display()))
    };
    let bytes = crate::input_file::read(data, crate::input_file::InputKind::ReportData).map_err(|e| unreadable(&e))?;
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::Usage(format!("{}: UTF-16 text; save it as UTF-8", data.display())));
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| unreadable(&"stream did not contain valid UTF-8"))?;
    let view: RunView = serde_json::from_str(text)
        .map_err(|e| Error::Usage(format!("{}: not a parkcast report data file: {e}", data.display())))?;
    view_check::check(&view).map_err(|source| Error::ReportData { file: data.display().to_string(), source })?;
    Ok(view)
}
