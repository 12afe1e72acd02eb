//! One problem found in an input, located by origin and key path.

use super::Origin;
use std::fmt;

/// A problem in an input: where (file and line, or override), which key path, and what is wrong
/// (including the bad value and what is allowed).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub origin: Origin,
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(origin: &Origin, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { origin: origin.clone(), path: path.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.origin == Origin::Builtin {
            // Not from any file or override (e.g. a file named on the command line is missing).
            if self.path.is_empty() {
                write!(f, "{}", self.message)
            } else {
                write!(f, "{}: {}", self.path, self.message)
            }
        } else if self.path.is_empty() {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(f, "{}: {}: {}", self.origin, self.path, self.message)
        }
    }
}

/// A list of problems, collected so that all of them are reported together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, origin: &Origin, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem::new(origin, path, message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }
    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0)
    }
    /// Orders problems by file and line (stable: problems on one line keep their order);
    /// command-line overrides come after files.
    pub fn sort_by_location(&mut self) {
        fn key(o: &Origin) -> (u8, String, u64) {
            match o {
                Origin::File { file, line } => (0, file.to_string(), u64::from(*line)),
                // a workbook's problems by sheet, then row, then column
                Origin::Cell { file, sheet, row, col } => {
                    (0, format!("{file}\u{0}{sheet}"), (u64::from(*row) << 16) | u64::from(*col))
                }
                Origin::Override { .. } => (1, String::new(), 0),
                Origin::Builtin => (2, String::new(), 0),
            }
        }
        self.0.sort_by_key(|p| key(&p.origin));
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}
