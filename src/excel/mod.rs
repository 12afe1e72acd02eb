//! Excel in: scenario workbooks (`parkcast template` writes one, `run`, `validate`, `compare`
//! and `sweep` read one wherever they take a scenario) and observations as a workbook. A
//! workbook is one more way to write the same tree a TOML file gives — every value carries its
//! cell as its origin — so the scenario and observation validators are the same for both and
//! every problem names `file:sheet!cell`. Everything here goes through calamine (reading) and
//! rust_xlsxwriter (the template); nothing else in parkcast reads workbooks.

mod book;
mod columns;
mod layout;
mod observations;
mod read;
mod template;

pub use book::{civil_from_serial, is_workbook, Book, CellValue, Grid};
pub use layout::{PARAMS_SHEET, README_SHEET, SETTINGS_SHEET};
pub use observations::observations_table;
pub use read::scenario_tree;
pub use template::template_bytes;
