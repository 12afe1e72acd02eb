//! The ground truth parkcast starts from: the annex's 20 blocks and the named target sets.
//!
//! Both are compiled into the binary (so parkcast works from any directory); a `seeds/`
//! directory on disk, when given or present, overrides them.

mod base;
mod blocks;
pub mod kinds;
pub mod readings;
mod targets;

pub use base::{parse_base_file, BaseFile, CityFigure, Figure, FigureStatus, BASE_FILE_FIGURES};
pub use blocks::{
    parse_blocks, Block, KnownStart, StartStatus, StartedIn, ANNEX_ROWS, ANNEX_TOTAL_MU, COLUMNS, M2_PER_MU,
    POLICY_MONTH,
};
pub use readings::{JobsMeasure, ParksCountAt, ParksSites, Reading, READING_COUNT};
pub use targets::{
    parse_target_sets, BaseScope, BlockScope, RevenueScope, SpecializedTier, Target, TargetId, TargetSet,
    DEFAULT_TOLERANCE,
};

use crate::input_file::InputKind;
use crate::toml_tree::Problems;
use std::path::{Path, PathBuf};

/// The embedded copy of `seeds/blocks.csv`.
pub const EMBEDDED_BLOCKS_CSV: &str = include_str!("../../seeds/blocks.csv");
/// The embedded copy of `seeds/targets.toml`.
pub const EMBEDDED_TARGETS_TOML: &str = include_str!("../../seeds/targets.toml");
/// The embedded copy of `seeds/base.toml` (nothing entered: every figure `assumed`, no value).
pub const EMBEDDED_BASE_TOML: &str = include_str!("../../seeds/base.toml");

/// A problem with a seeds file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SeedError {
    #[error("{file}:{line}: not valid UTF-8 (save the file as UTF-8)")]
    Utf8 { file: String, line: usize },
    #[error("{file}: cannot be read: {message}")]
    Io { file: String, message: String },
    #[error("{file}: malformed CSV: {message}")]
    Csv { file: String, message: String },
    #[error("{file}: missing column `{column}` (the columns are: {})", COLUMNS.join(", "))]
    MissingColumn { file: String, column: String },
    #[error("{file}:{line}: column `{column}`: {value:?} is not allowed (allowed: {allowed})")]
    BadCell { file: String, line: usize, column: String, value: String, allowed: String },
    #[error("{file}: {found} block rows; the annex has exactly {expected}")]
    RowCount { file: String, found: usize, expected: usize },
    #[error("{file}: {message}")]
    Table { file: String, message: String },
    #[error("{0}")]
    Targets(Problems),
    #[error("{0}")]
    Base(Problems),
}

/// The seeds in use, and where they came from.
#[derive(Clone, Debug)]
pub struct Seeds {
    pub blocks: Vec<Block>,
    pub target_sets: Vec<TargetSet>,
    /// The bureau's base figures (`base.toml`; empty when a seeds directory has none).
    pub base: BaseFile,
    /// `<embedded>` or the directory read.
    pub origin: String,
    /// The bytes the seeds were read from (for the scenario hash).
    pub fingerprint: Vec<u8>,
    /// The seed files a seeds directory did not hold, taken from the built-in copy.
    pub built_in: Vec<&'static str>,
}

impl Seeds {
    /// The seeds compiled into parkcast.
    pub fn embedded() -> Seeds {
        Seeds::from_texts("<embedded>/seeds", EMBEDDED_BLOCKS_CSV.as_bytes(), EMBEDDED_TARGETS_TOML, EMBEDDED_BASE_TOML)
            .expect("the embedded seeds are valid (tested)")
    }

    /// Reads `blocks.csv`, `targets.toml` and `base.toml` from `dir`; a file the directory does
    /// not hold is the built-in one ([`Self::built_in`] lists them), so that a folder holding
    /// only the bureau's `base.toml` is enough. A directory with none of the three is refused.
    pub fn from_dir(dir: &Path) -> Result<Seeds, SeedError> {
        const FILES: &str = "blocks.csv, targets.toml or base.toml";
        if !dir.is_dir() {
            let what = if dir.exists() { "not a directory" } else { "no such directory" };
            return Err(SeedError::Io {
                file: dir.display().to_string(),
                message: format!("{what} (give a directory holding {FILES})"),
            });
        }
        let mut built_in = Vec::new();
        let read = |name: &'static str, kind, embedded: &str, built_in: &mut Vec<&'static str>| {
            let path: PathBuf = dir.join(name);
            let shown = path.display().to_string();
            if !path.exists() {
                built_in.push(name);
                return Ok((format!("<embedded>/seeds/{name}"), embedded.as_bytes().to_vec()));
            }
            crate::input_file::read(&path, kind)
                .map(|b| (shown.clone(), b))
                .map_err(|e| SeedError::Io { file: shown, message: e.to_string() })
        };
        let (blocks_file, blocks) = read("blocks.csv", InputKind::SeedsBlocks, EMBEDDED_BLOCKS_CSV, &mut built_in)?;
        let (targets_file, targets) =
            read("targets.toml", InputKind::SeedsTargets, EMBEDDED_TARGETS_TOML, &mut built_in)?;
        let (base_file, base) = read("base.toml", InputKind::SeedsBase, EMBEDDED_BASE_TOML, &mut built_in)?;
        if built_in.len() == 3 {
            return Err(SeedError::Io {
                file: dir.display().to_string(),
                message: format!("holds none of {FILES}: is it the right folder?"),
            });
        }
        let text = |file: &str, bytes: Vec<u8>| {
            String::from_utf8(bytes).map_err(|e| SeedError::Utf8 {
                file: file.to_string(),
                line: 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count(),
            })
        };
        let targets = text(&targets_file, targets)?;
        let base_text = text(&base_file, base)?;
        let blocks_vec = parse_blocks(&blocks_file, &blocks)?;
        let target_sets = parse_target_sets(&targets_file, &targets).map_err(SeedError::Targets)?;
        let base = parse_base_file(&base_file, &base_text).map_err(SeedError::Base)?;
        let mut fingerprint = blocks;
        fingerprint.extend_from_slice(targets.as_bytes());
        fingerprint.extend_from_slice(base_text.as_bytes());
        Ok(Seeds { blocks: blocks_vec, target_sets, base, origin: dir.display().to_string(), fingerprint, built_in })
    }

    fn from_texts(origin: &str, blocks: &[u8], targets: &str, base_text: &str) -> Result<Seeds, SeedError> {
        let blocks_vec = parse_blocks(&format!("{origin}/blocks.csv"), blocks)?;
        let target_sets = parse_target_sets(&format!("{origin}/targets.toml"), targets).map_err(SeedError::Targets)?;
        let base = parse_base_file(&format!("{origin}/base.toml"), base_text).map_err(SeedError::Base)?;
        let mut fingerprint = blocks.to_vec();
        fingerprint.extend_from_slice(targets.as_bytes());
        fingerprint.extend_from_slice(base_text.as_bytes());
        Ok(Seeds {
            blocks: blocks_vec,
            target_sets,
            base,
            origin: origin.to_string(),
            fingerprint,
            built_in: Vec::new(),
        })
    }

    pub fn target_set(&self, id: &str) -> Option<&TargetSet> {
        self.target_sets.iter().find(|s| s.id == id)
    }

    pub fn block(&self, id: u32) -> Option<&Block> {
        self.blocks.iter().find(|b| b.id == id)
    }
}
