//! `parkcast report DIR`.

use super::args::LangArg;
use crate::report::export;
use crate::report::view::RunView;
use crate::Error;
use std::path::Path;

pub fn run(dir: &Path, lang: LangArg) -> Result<(), Error> {
    let data = dir.join("report_data.json");
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a directory (give a directory written by parkcast run)",
            dir.display()
        )));
    }
    let text = crate::input_file::read_text(&data, crate::input_file::InputKind::ReportData).map_err(|e| {
        Error::Usage(format!("{}: cannot be read ({e}); give a directory written by parkcast run", data.display()))
    })?;
    let view: RunView = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a parkcast report data file: {e}", data.display())))?;
    export::rebuild_report(dir, &view, &lang.langs()).map_err(|e| Error::Runtime(e.to_string()))?;
    eprintln!(
        "rebuilt {} and {} from {}",
        dir.join("report.html").display(),
        dir.join("charts").display(),
        data.display()
    );
    Ok(())
}
