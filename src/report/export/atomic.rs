//! An output directory that appears complete or not at all.
//!
//! Files are written into `<out>.tmp-<pid>` beside the target. `commit` renames an existing
//! `<out>` aside, renames the new directory in, then deletes the old one, so at every moment a
//! complete set exists. Dropping without commit removes the temporary directory.

use super::ExportError;
use std::path::{Path, PathBuf};

pub struct OutputDir {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.{suffix}-{}", std::process::id()))
}

impl OutputDir {
    pub fn create(target: &Path) -> Result<OutputDir, ExportError> {
        if target.exists() && !target.is_dir() {
            return Err(ExportError::new(target, "it exists and is not a directory (choose another --out)"));
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| ExportError::new(parent, e))?;
        }
        let tmp = sibling(target, "tmp");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| ExportError::new(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| ExportError::new(&tmp, e))?;
        Ok(OutputDir { target: target.to_path_buf(), tmp, committed: false })
    }

    /// The temporary directory to write into.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Moves the finished directory into place.
    pub fn commit(mut self) -> Result<(), ExportError> {
        let old = sibling(&self.target, "old");
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| ExportError::new(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(ExportError::new(&self.target, e));
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| ExportError::new(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}
