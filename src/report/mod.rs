//! What users read: tables on the terminal, resolved scenarios, rules, charts and exports.
//! The numerical core never prints; everything shown to a person is formatted here.

pub mod blocks_table;
pub mod charts;
pub mod districts;
pub mod epistemic;
pub mod export;
pub mod format;
pub mod html;
pub mod resolved;
pub mod rules;
pub mod settled_table;
pub mod summary_table;
pub mod table;
pub mod two_level_charts;
pub mod two_level_table;
pub mod view;
pub mod view_check;
pub mod workbook;
