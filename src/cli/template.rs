//! `parkcast template FILE.xlsx [SCENARIO]`: the scenario as an editable workbook. The workbook
//! is written beside its destination, read back through the scenario validator and checked to
//! give the scenario's hash before it is moved into place, so a template always runs exactly as
//! its scenario and nothing half-written is left.

use super::args::TemplateArgs;
use crate::scenario::{self, ScenarioSource};
use crate::seeds::Seeds;
use crate::Error;
use std::path::Path;

pub fn run(seeds: &Seeds, args: &TemplateArgs) -> Result<(), Error> {
    let out = &args.file;
    let shown = out.display().to_string();
    if !crate::excel::is_workbook(out) {
        return Err(Error::Usage(format!(
            "{shown}: a template is an Excel workbook; name it with .xlsx (e.g. {}.xlsx)",
            out.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "scenario".into())
        )));
    }
    super::run::refuse_backslashes(out, &shown)?;
    if out.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{shown} exists; give --force to replace it (edits made in it would be lost), or name another file"
        )));
    }
    let source = args.scenario.source();
    let scenario = scenario::load(&source, &args.scenario.overrides, seeds)?;
    super::print_warnings(&scenario.warnings);
    let tree = scenario::merged_tree(&source, &args.scenario.overrides)?;
    let name = workbook_name(out).unwrap_or_else(|| scenario.name.clone());
    let bytes = crate::excel::template_bytes(&tree, &name)
        .map_err(|e| Error::Runtime(format!("cannot make the workbook {shown}: {e}")))?;
    let file_name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = out.with_file_name(format!(".{file_name}.parkcast-tmp.xlsx"));
    let write = |p: &Path| -> std::io::Result<()> {
        let mut f = std::fs::File::create(p)?;
        std::io::Write::write_all(&mut f, &bytes)?;
        f.sync_all()
    };
    write(&tmp).map_err(|e| Error::Runtime(format!("cannot write {}: {e}", tmp.display())))?;
    let back = scenario::load(&ScenarioSource::File(tmp.clone()), &[], seeds);
    match back {
        Ok(b) if b.hash == scenario.hash => {}
        other => {
            let _ = std::fs::remove_file(&tmp);
            let why = match other {
                Ok(b) => format!("it reads back with hash {} instead of {}", b.hash, scenario.hash),
                Err(e) => format!("it does not read back: {e}"),
            };
            return Err(Error::Runtime(format!("the workbook for {} was not written: {why}", scenario.name)));
        }
    }
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::Runtime(format!("cannot write {shown}: {e}"))
    })?;
    outln!(
        "Wrote {shown}: scenario {name} from {} (hash {}); edit it in Excel (sheets 参数 and 设置, see 说明), then run: parkcast run {shown}",
        scenario.files.first().map(String::as_str).unwrap_or("?"),
        scenario.hash
    );
    Ok(())
}

/// The workbook's file name (without .xlsx) as the scenario's name, if it makes a good one: it
/// names the output directory, so a template's runs never overwrite its scenario's.
fn workbook_name(out: &Path) -> Option<String> {
    let stem = out.file_stem()?.to_string_lossy().to_string();
    let fits = !stem.trim().is_empty()
        && stem.chars().count() <= scenario::MAX_NAME_CHARS
        && !stem.chars().any(char::is_control)
        && scenario::dir_name(&stem).is_ok();
    fits.then_some(stem)
}
