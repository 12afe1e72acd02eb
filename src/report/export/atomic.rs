//! An output directory that appears complete or not at all.
//!
//! Files are written into `.<out>.tmp-<pid>` beside the target. `commit` swaps the new directory
//! with an existing `<out>` in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`), so the path
//! `<out>` always holds a complete set, then deletes the old one. Where the filesystem cannot
//! swap, the old directory is renamed aside first: for that moment `<out>` is missing but the
//! old set is complete beside it, and it is renamed back if the new one cannot be moved in.
//! Dropping without commit removes the temporary directory.
//!
//! [`preflight`] checks before a long run that the target can be written at all.

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

/// What `commit` has just done (for tests that check every intermediate state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The new directory and the old one have traded places.
    Exchanged,
    /// The old directory has been renamed aside (no atomic swap on this filesystem).
    OldMovedAside,
    /// The new directory has been renamed into place.
    NewMovedIn,
    /// The old directory has been deleted.
    OldRemoved,
}

impl OutputDir {
    pub fn create(target: &Path) -> Result<OutputDir, ExportError> {
        if target.exists() && !target.is_dir() {
            return Err(ExportError::new(target, "it exists and is not a directory (choose another --out)"));
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| ExportError::new(parent, e))?;
        }
        remove_abandoned(target);
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
    pub fn commit(self) -> Result<(), ExportError> {
        self.commit_observed(true, &mut |_| {})
    }

    /// `commit`, calling `on_step` after each change on disk; `swap` false forces the fallback
    /// for filesystems without an atomic exchange.
    pub fn commit_observed(mut self, swap: bool, on_step: &mut dyn FnMut(Step)) -> Result<(), ExportError> {
        if !self.target.exists() {
            std::fs::rename(&self.tmp, &self.target).map_err(|e| ExportError::new(&self.target, e))?;
            self.committed = true;
            on_step(Step::NewMovedIn);
            return Ok(());
        }
        if swap && exchange(&self.tmp, &self.target).map_err(|e| ExportError::new(&self.target, e))? {
            // `tmp` now holds the old results
            self.committed = true;
            on_step(Step::Exchanged);
            std::fs::remove_dir_all(&self.tmp).map_err(|e| ExportError::new(&self.tmp, e))?;
            on_step(Step::OldRemoved);
            return Ok(());
        }
        let old = sibling(&self.target, "old");
        std::fs::rename(&self.target, &old).map_err(|e| ExportError::new(&self.target, e))?;
        on_step(Step::OldMovedAside);
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(ExportError::new(&self.target, e));
        }
        self.committed = true;
        on_step(Step::NewMovedIn);
        std::fs::remove_dir_all(&old).map_err(|e| ExportError::new(&old, e))?;
        on_step(Step::OldRemoved);
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

/// Removes temporary directories beside `target` left by runs that were killed outright
/// (SIGKILL, the out-of-memory killer, a power cut), whose process no longer exists. Best effort.
fn remove_abandoned(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().to_string()) else { return };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefix = format!(".{name}.tmp-");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let pid = file.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !process_exists(pid)) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(unix)]
fn process_exists(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else { return false };
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH) }
}

#[cfg(not(unix))]
fn process_exists(_: u32) -> bool {
    true
}

/// Swaps two existing paths atomically. `Ok(false)` where the system or filesystem cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths; renameat2 only reads them.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP | libc::EPERM) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Checks, before a run spends minutes simulating, that `target` can become an output
/// directory: neither it nor a directory above it is a file, the nearest existing directory
/// above it accepts a new directory, and its filesystem has `needed_bytes` free. The message
/// says what is wrong and what to do.
pub fn preflight(target: &Path, needed_bytes: u64) -> Result<(), String> {
    if target.exists() && !target.is_dir() {
        return Err("it exists and is not a directory (choose another directory)".into());
    }
    // the temporary directory is created beside the target: in the nearest existing ancestor
    let mut base = None;
    for a in target.ancestors().skip(1) {
        let a = if a.as_os_str().is_empty() { Path::new(".") } else { a };
        match std::fs::metadata(a) {
            Ok(m) if m.is_dir() => {
                base = Some(a);
                break;
            }
            Ok(_) => {
                return Err(format!(
                    "{} is a file, not a directory, so nothing can be created under it (choose another directory)",
                    a.display()
                ))
            }
            // missing, or below a file: the file is found further up
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => continue,
            Err(e) => return Err(format!("{} cannot be read: {e} (choose another directory)", a.display())),
        }
    }
    let base = base.unwrap_or(Path::new("."));
    let probe = base.join(format!(".parkcast-probe-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir(&probe) {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(format!("cannot create a directory in {}: {e} (choose a writable directory)", base.display()));
        }
    }
    let _ = std::fs::remove_dir(&probe);
    if let Some(free) = free_bytes(base) {
        if free < needed_bytes {
            return Err(format!(
                "the outputs need about {} but the disk holding {} has only {} free (free some space or choose another directory)",
                crate::engine::budget::human_bytes(needed_bytes),
                base.display(),
                crate::engine::budget::human_bytes(free)
            ));
        }
    }
    Ok(())
}

/// Bytes an unprivileged process may still write on the filesystem holding `dir`.
#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid path and a statvfs struct to fill.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return None;
    }
    Some((s.f_bavail as u64).saturating_mul(s.f_frsize as u64))
}

#[cfg(not(unix))]
fn free_bytes(_: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A complete set: two files that name the same run.
    fn write_set(dir: &Path, run: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("a.csv"), run).unwrap();
        std::fs::write(dir.join("b.csv"), run).unwrap();
    }

    /// The run whose complete set is at `dir`, if there is one.
    fn complete_set(dir: &Path) -> Option<String> {
        let a = std::fs::read_to_string(dir.join("a.csv")).ok()?;
        let b = std::fs::read_to_string(dir.join("b.csv")).ok()?;
        (a == b).then_some(a)
    }

    /// Every directory under `root` that holds a complete set, by run.
    fn complete_sets(root: &Path) -> Vec<String> {
        let mut runs: Vec<String> =
            std::fs::read_dir(root).unwrap().filter_map(|e| complete_set(&e.unwrap().path())).collect();
        runs.sort();
        runs
    }

    fn replace(swap: bool) -> Vec<(Step, Option<String>, Vec<String>)> {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        write_set(&target, "first");
        let dir = OutputDir::create(&target).unwrap();
        write_set(dir.path(), "second");
        let mut seen = Vec::new();
        dir.commit_observed(swap, &mut |step| seen.push((step, complete_set(&target), complete_sets(root.path()))))
            .unwrap();
        assert_eq!(complete_set(&target).as_deref(), Some("second"));
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1, "only the output directory is left");
        seen
    }

    #[test]
    fn a_replacing_commit_always_leaves_the_target_holding_a_complete_set() {
        let seen = replace(true);
        if seen[0].0 == Step::Exchanged {
            assert_eq!(
                seen,
                vec![
                    (Step::Exchanged, Some("second".into()), vec!["first".into(), "second".into()]),
                    (Step::OldRemoved, Some("second".into()), vec!["second".into()]),
                ]
            );
        } else {
            // a filesystem without RENAME_EXCHANGE: the fallback below
            assert_eq!(seen[0].0, Step::OldMovedAside);
        }
    }

    #[test]
    fn without_an_atomic_swap_a_complete_set_still_exists_at_every_step() {
        let seen = replace(false);
        assert_eq!(
            seen,
            vec![
                // the target is missing for a moment, but both sets are complete beside it
                (Step::OldMovedAside, None, vec!["first".into(), "second".into()]),
                (Step::NewMovedIn, Some("second".into()), vec!["first".into(), "second".into()]),
                (Step::OldRemoved, Some("second".into()), vec!["second".into()]),
            ]
        );
    }

    #[test]
    fn a_first_commit_moves_in_and_an_abandoned_directory_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let dir = OutputDir::create(&target).unwrap();
        write_set(dir.path(), "first");
        let mut steps = Vec::new();
        dir.commit_observed(true, &mut |s| steps.push(s)).unwrap();
        assert_eq!(steps, vec![Step::NewMovedIn]);
        let dir = OutputDir::create(&target).unwrap();
        write_set(dir.path(), "half");
        drop(dir);
        assert_eq!(complete_sets(root.path()), vec!["first".to_string()]);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_directories_of_killed_runs_are_removed_and_live_ones_kept() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let dead = root.path().join(format!(".out.tmp-{}", i32::MAX)); // no such process
        let live = root.path().join(".out.tmp-1"); // init
        let other = root.path().join(format!(".other.tmp-{}", i32::MAX));
        for d in [&dead, &live, &other] {
            write_set(d, "half");
        }
        drop(OutputDir::create(&target).unwrap());
        assert!(!dead.exists() && live.exists() && other.exists());
    }

    #[test]
    fn preflight_names_a_file_in_the_way_an_unwritable_place_and_a_full_disk() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(preflight(&file, 0).unwrap_err(), "it exists and is not a directory (choose another directory)");
        let err = preflight(&file.join("sub/out"), 0).unwrap_err();
        assert!(err.starts_with(&format!("{} is a file, not a directory", file.display())), "{err}");
        assert!(preflight(&root.path().join("new/deeper/out"), 0).is_ok());
        assert!(!root.path().join("new").exists(), "preflight creates nothing");
        let err = preflight(&root.path().join("out"), u64::MAX).unwrap_err();
        assert!(err.starts_with("the outputs need about ") && err.contains(" free (free some space"), "{err}");
    }
}
