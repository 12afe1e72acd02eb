//! `parkcast report DIR`.

use super::args::LangArg;
use crate::report::export;
use crate::report::view::RunView;
use crate::Error;
use std::path::Path;

pub fn run(dir: &Path, lang: LangArg) -> Result<(), Error> {
    // lock first, so that a run replacing DIR cannot swap other data in under us
    let (claim, note) = export::claim_in_place(dir).map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(n) = note {
        eprintln!("note: {n}");
    }
    let data = dir.join("report_data.json");
    let text = std::fs::read_to_string(claim.path().join("report_data.json")).map_err(|e| {
        Error::Usage(format!("{}: cannot be read ({e}); give a directory written by parkcast run", data.display()))
    })?;
    let view: RunView = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a parkcast report data file: {e}", data.display())))?;
    super::catch_interrupts();
    export::rebuild_report(&claim, &view, &lang.langs(), &super::INTERRUPTED).map_err(|e| {
        if super::INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
            Error::Interrupted(format!("interrupted; the report in {} is untouched", dir.display()))
        } else {
            Error::Runtime(e.to_string())
        }
    })?;
    eprintln!(
        "rebuilt {} and {} from {}",
        dir.join("report.html").display(),
        dir.join("charts").display(),
        data.display()
    );
    Ok(())
}
