//! `parkcast` with no command: the baseline's targets and the annex blocks.

use crate::scenario::ScenarioSource;
use crate::seeds::Seeds;
use crate::Error;

pub fn run(seeds: &Seeds) -> Result<(), Error> {
    let scenario = crate::scenario::load(&ScenarioSource::default_baseline(), &[], seeds)?;
    super::print_warnings(&scenario.warnings);
    print!("{}", crate::report::targets_table::render(&scenario.target_set));
    println!();
    print!("{}", crate::report::blocks_table::render(&seeds.blocks));
    println!();
    println!(
        "Scenario {} ({}): {} parameters per block, each with its source or assumption; hash {}.",
        scenario.name,
        scenario.files.join(" ← "),
        crate::scenario::PARAMS.iter().filter(|p| p.scope == crate::scenario::Scope::Block).count(),
        scenario.hash
    );
    println!("See every resolved parameter: parkcast validate    Commands and options: parkcast --help");
    Ok(())
}
