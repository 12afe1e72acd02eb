//! `parkcast blocks`.

use crate::seeds::Seeds;
use crate::Error;

pub fn run(seeds: &Seeds) -> Result<(), Error> {
    out!("{}", crate::report::blocks_table::render(&seeds.blocks));
    Ok(())
}
