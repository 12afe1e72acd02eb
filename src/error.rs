//! The library's error type and its exit codes: 2 for bad input, 1 for failures at run time.

use crate::scenario::ScenarioError;
use crate::seeds::SeedError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("{0}")]
    Seeds(#[from] SeedError),
    /// A bad observations file (monitoring).
    #[error("{0}")]
    Observations(#[from] crate::monitor::ObservationError),
    /// A `report_data.json` that breaks what the charts and the report rely on.
    #[error("{file}: {source}")]
    ReportData { file: String, source: crate::report::view_check::ViewError },
    /// A bad command-line argument (beyond what the parser catches).
    #[error("{0}")]
    Usage(String),
    /// Something failed while running (e.g. writing outputs).
    #[error("{0}")]
    Runtime(String),
    /// Stopped by Ctrl-C or SIGTERM.
    #[error("{0}")]
    Interrupted(String),
}

/// An engine failure as the library reports it: an interrupt stays an interrupt.
impl From<crate::engine::RunError> for Error {
    fn from(e: crate::engine::RunError) -> Error {
        match e {
            crate::engine::RunError::Interrupted { .. } => Error::Interrupted(e.to_string()),
            other => Error::Runtime(other.to_string()),
        }
    }
}

impl Error {
    /// 2 for input the user can fix, 1 for failures at run time, 130 when interrupted.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_)
            | Error::Seeds(_)
            | Error::Observations(_)
            | Error::ReportData { .. }
            | Error::Usage(_) => 2,
            Error::Runtime(_) => 1,
            Error::Interrupted(_) => 130,
        }
    }
}
