//! `parkcast validate`.

use super::args::ScenarioArgs;
use crate::seeds::Seeds;
use crate::Error;

pub fn run(seeds: &Seeds, args: &ScenarioArgs, block: Option<u32>) -> Result<(), Error> {
    if let Some(id) = block {
        if seeds.block(id).is_none() {
            return Err(Error::Usage(format!(
                "--block {id}: unknown block id (the annex has blocks 1–{})",
                seeds.blocks.len()
            )));
        }
    }
    let scenario = crate::scenario::load(&args.source(), &args.overrides, seeds)?;
    super::print_warnings(&scenario.warnings);
    out!("{}", crate::report::resolved::render(&scenario, block));
    errln!("{}: valid ({} files, hash {})", scenario.name, scenario.files.len(), scenario.hash);
    Ok(())
}
