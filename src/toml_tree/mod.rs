//! A TOML tree that remembers where every value came from (file and line, or a command-line
//! override), with the merge and override operations scenarios need, and helpers that read it
//! while collecting every problem with its key path.
//!
//! Every input file of parkcast (scenarios, target sets, observations) is read through this
//! module, so every error message has the same form: `file:line: key.path: message`.

mod fields;
mod node;
mod problem;

pub use fields::{integer, nearest, number, numbers, string, unknown_key_message, Fields};
pub use node::{column_letters, parse, Node, Origin, Table, Value};
pub use problem::{Problem, Problems};
