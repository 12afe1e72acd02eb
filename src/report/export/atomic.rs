//! An output directory that appears complete or not at all.
//!
//! Files are written into `.<out>.tmp-<host>-<pid>-<random>` beside the target (see
//! [`super::unique`]). `commit` lists them in the manifest and swaps the new directory with an
//! existing `<out>` in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`), so the path `<out>`
//! always holds a complete set, then removes what the old one's manifest lists — and nothing
//! else: anything that appeared there meanwhile is kept. Where the filesystem cannot swap, the
//! old directory is renamed aside first: for that moment `<out>` is missing but the old set is
//! complete beside it, and it is renamed back if the new one cannot be moved in. Dropping without
//! commit removes the temporary directory.
//!
//! An `OutputDir` is made from a [`Claim`], so it exists only for a directory that was checked,
//! locked and found new, empty or parkcast's own before the command did its work.

use super::manifest;
use super::target::{dir_id, Claim, Existing};
use super::ExportError;
use std::path::{Path, PathBuf};

pub struct OutputDir<'a> {
    claim: &'a Claim,
    tmp: PathBuf,
    committed: bool,
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.{suffix}-{}", super::unique::suffix()))
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

/// What a commit left beside the target: an old directory that was kept because something
/// parkcast did not write appeared in it while the command ran.
pub type Kept = Option<PathBuf>;

impl<'a> OutputDir<'a> {
    /// A fresh temporary directory for `claim` (and the removal of those that killed runs on
    /// this host left beside it).
    pub fn create(claim: &'a Claim) -> Result<OutputDir<'a>, ExportError> {
        let target = claim.path();
        remove_abandoned(target);
        let tmp = sibling(target, "tmp");
        std::fs::create_dir(&tmp).map_err(|e| ExportError::new(&tmp, e))?;
        Ok(OutputDir { claim, tmp, committed: false })
    }

    /// The temporary directory to write into.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Moves the finished directory into place.
    pub fn commit(self) -> Result<Kept, ExportError> {
        self.commit_observed(true, &mut |_| {})
    }

    /// `commit`, calling `on_step` after each change on disk; `swap` false forces the fallback
    /// for filesystems without an atomic exchange.
    pub fn commit_observed(mut self, swap: bool, on_step: &mut dyn FnMut(Step)) -> Result<Kept, ExportError> {
        let target = self.claim.path().to_path_buf();
        manifest::write(&self.tmp, self.claim.command()).map_err(|e| ExportError::new(&self.tmp, e))?;
        let (owned, id) = match self.claim.existing() {
            Existing::Owned(entries, id) => (entries.clone(), Some(*id)),
            Existing::Missing => (Vec::new(), None),
        };
        let now = std::fs::symlink_metadata(&target).ok().map(|_| dir_id(&target));
        if now.is_some() && now != Some(id) {
            // what was checked is no longer there: something else was put in its place
            return Err(self.keep_new(&target, "was replaced by another folder or a link while the command ran"));
        }
        if now.is_none() {
            std::fs::rename(&self.tmp, &target).map_err(|e| ExportError::new(&target, e))?;
            self.committed = true;
            on_step(Step::NewMovedIn);
            return Ok(None);
        }
        let old = sibling(&target, "old");
        if swap && exchange(&self.tmp, &target).map_err(|e| ExportError::new(&target, e))? {
            self.committed = true;
            on_step(Step::Exchanged);
            // `tmp` now holds the old results: give them a name the clean-up of abandoned
            // temporaries never touches before removing anything
            std::fs::rename(&self.tmp, &old).map_err(|e| ExportError::new(&self.tmp, e))?;
        } else {
            std::fs::rename(&target, &old).map_err(|e| ExportError::new(&target, e))?;
            on_step(Step::OldMovedAside);
            if let Err(e) = std::fs::rename(&self.tmp, &target) {
                let _ = std::fs::rename(&old, &target);
                return Err(ExportError::new(&target, e));
            }
            self.committed = true;
            on_step(Step::NewMovedIn);
        }
        let kept = if dir_id(&old) == id { remove_old(&old, &owned, &target)? } else { Some(keep(&old, &target)?) };
        on_step(Step::OldRemoved);
        Ok(kept)
    }

    /// Moves the finished results to a visible `<target>.new-<time>-<random>` and says so.
    fn keep_new(&mut self, target: &Path, why: &str) -> ExportError {
        let new = visible_sibling(target, "new");
        match std::fs::rename(&self.tmp, &new) {
            Ok(()) => {
                self.committed = true;
                ExportError::new(
                    target,
                    format!("{why}; nothing there was replaced, the new results are in {}", new.display()),
                )
            }
            Err(e) => ExportError::new(target, format!("{why}; nothing there was replaced ({e})")),
        }
    }
}

/// `<target>.<what>-<time>-<random>`: a visible name beside the target that nothing else uses.
fn visible_sibling(target: &Path, what: &str) -> PathBuf {
    let stamp = super::unique::now_utc().replace([':', '-'], "");
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let random = super::unique::suffix();
    let random = random.rsplit('-').next().unwrap_or_default();
    target.with_file_name(format!("{name}.{what}-{stamp}-{random}"))
}

/// Renames `old` to a visible `<target>.kept-…` and returns it (left in place, under its
/// hidden `.old-` name that no clean-up touches, if even that fails).
fn keep(old: &Path, target: &Path) -> Result<PathBuf, ExportError> {
    let kept = visible_sibling(target, "kept");
    match std::fs::rename(old, &kept) {
        Ok(()) => Ok(kept),
        Err(_) => Ok(old.to_path_buf()),
    }
}

/// Puts the directory `new` at `target` in one step (exchanging it with an existing `target`
/// where the filesystem can, else renaming the old one aside first) and returns where the old
/// `target` now is, if there was one.
pub(super) fn swap_in(new: &Path, target: &Path) -> Result<Option<PathBuf>, ExportError> {
    if !target.exists() {
        std::fs::rename(new, target).map_err(|e| ExportError::new(target, e))?;
        return Ok(None);
    }
    if exchange(new, target).map_err(|e| ExportError::new(target, e))? {
        return Ok(Some(new.to_path_buf()));
    }
    let old = new.with_file_name(format!(".old-{}", super::unique::suffix()));
    std::fs::rename(target, &old).map_err(|e| ExportError::new(target, e))?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&old, target);
        return Err(ExportError::new(target, e));
    }
    Ok(Some(old))
}

/// Removes the replaced directory `old` (what its manifest listed when claimed); if anything
/// else is in it, renames it to a visible `<target>.kept-<time>-<random>` instead and returns
/// that.
pub(super) fn remove_old(old: &Path, owned: &[String], target: &Path) -> Result<Kept, ExportError> {
    match manifest::remove_owned(old, owned).map_err(|e| ExportError::new(old, e))? {
        None => Ok(None),
        Some(left) => Ok(Some(keep(&left, target)?)),
    }
}

impl Drop for OutputDir<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Removes temporary directories beside `target` left by runs on this host that were killed
/// outright (SIGKILL, the out-of-memory killer, a power cut), whose process no longer exists:
/// `.NAME.tmp-HOST-PID-RANDOM` (and 0.1's `.NAME.tmp-PID`). Only ever parkcast's own temporary
/// names, only this host's (another host's PIDs mean nothing here), and only while holding the
/// target's lock. Best effort.
fn remove_abandoned(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().to_string()) else { return };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefix = format!(".{name}.tmp-");
    let host = super::unique::host_name();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&prefix) else { continue };
        let pid = match (super::unique::parse_suffix(rest), rest.parse::<u32>()) {
            (Some((h, pid)), _) if h == host => pid,
            (None, Ok(pid)) => pid,
            _ => continue,
        };
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && pid != std::process::id() && !process_exists(pid) {
            // only what parkcast writes: anything else in it stays (and so does the folder)
            if let Ok(manifest::Ownership::Owned(entries)) =
                manifest::ownership(&e.path(), None, manifest::Evidence::Temporary)
            {
                let _ = manifest::remove_owned(&e.path(), &entries);
            }
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

#[cfg(test)]
mod tests {
    use super::super::target::claim;
    use super::*;

    /// A complete set: two files that name the same run.
    fn write_set(dir: &Path, run: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("summary.csv"), run).unwrap();
        std::fs::write(dir.join("timeseries.csv"), run).unwrap();
    }

    /// The run whose complete set is at `dir`, if there is one.
    fn complete_set(dir: &Path) -> Option<String> {
        let a = std::fs::read_to_string(dir.join("summary.csv")).ok()?;
        let b = std::fs::read_to_string(dir.join("timeseries.csv")).ok()?;
        (a == b).then_some(a)
    }

    /// Every directory under `root` that holds a complete set, by run.
    fn complete_sets(root: &Path) -> Vec<String> {
        let mut runs: Vec<String> =
            std::fs::read_dir(root).unwrap().filter_map(|e| complete_set(&e.unwrap().path())).collect();
        runs.sort();
        runs
    }

    /// Entries of `root` other than lock files.
    fn entries(root: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        v.sort();
        v
    }

    /// Writes `run` as a committed set into `target`.
    fn commit_set(target: &Path, run: &str) -> Kept {
        let (c, _) = claim(target, "run", 0).unwrap();
        let dir = OutputDir::create(&c).unwrap();
        write_set(dir.path(), run);
        dir.commit().unwrap()
    }

    fn replace(swap: bool) -> Vec<(Step, Option<String>, Vec<String>)> {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        commit_set(&target, "first");
        let (c, _) = claim(&target, "run", 0).unwrap();
        let dir = OutputDir::create(&c).unwrap();
        write_set(dir.path(), "second");
        let mut seen = Vec::new();
        let kept = dir
            .commit_observed(swap, &mut |step| seen.push((step, complete_set(&target), complete_sets(root.path()))))
            .unwrap();
        assert_eq!(kept, None);
        assert_eq!(complete_set(&target).as_deref(), Some("second"));
        drop(c);
        assert_eq!(entries(root.path()), ["out"], "only the output directory is left");
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
        let (c, _) = claim(&target, "run", 0).unwrap();
        let dir = OutputDir::create(&c).unwrap();
        write_set(dir.path(), "first");
        let mut steps = Vec::new();
        dir.commit_observed(true, &mut |s| steps.push(s)).unwrap();
        assert_eq!(steps, vec![Step::NewMovedIn]);
        drop(c);
        let (c, _) = claim(&target, "run", 0).unwrap();
        let dir = OutputDir::create(&c).unwrap();
        write_set(dir.path(), "half");
        drop(dir);
        drop(c);
        assert_eq!(complete_sets(root.path()), vec!["first".to_string()]);
        assert_eq!(entries(root.path()), ["out"]);
    }

    #[test]
    fn a_file_that_appears_in_the_old_directory_during_a_run_is_kept() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        commit_set(&target, "first");
        let (c, _) = claim(&target, "run", 0).unwrap();
        let dir = OutputDir::create(&c).unwrap();
        write_set(dir.path(), "second");
        std::fs::write(target.join("notes.txt"), "mine").unwrap(); // written while the run simulates
        let kept = dir.commit().unwrap().expect("kept aside");
        assert_eq!(std::fs::read_to_string(kept.join("notes.txt")).unwrap(), "mine");
        assert!(kept.file_name().unwrap().to_string_lossy().starts_with("out.kept-"));
        assert_eq!(complete_set(&target).as_deref(), Some("second"));
        assert!(!kept.join("summary.csv").exists(), "what parkcast wrote there is gone");
    }

    #[test]
    fn a_folder_put_in_the_targets_place_during_a_run_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        commit_set(&target, "first");
        let (c, _) = claim(&target, "run", 0).unwrap();
        let dir = OutputDir::create(&c).unwrap();
        write_set(dir.path(), "second");
        // meanwhile the folder is moved away and a link to someone else's folder put there
        std::fs::rename(&target, root.path().join("moved")).unwrap();
        let victim = root.path().join("victim");
        write_set(&victim, "theirs");
        std::os::unix::fs::symlink(&victim, &target).unwrap();
        let e = dir.commit().unwrap_err().to_string();
        assert!(e.contains("was replaced by another folder or a link while the command ran; nothing there was replaced, the new results are in "), "{e}");
        assert_eq!(complete_set(&victim).as_deref(), Some("theirs"));
        assert!(std::fs::symlink_metadata(&target).unwrap().file_type().is_symlink());
        let new: Vec<String> = entries(root.path()).into_iter().filter(|n| n.starts_with("out.new-")).collect();
        assert_eq!(new.len(), 1);
        assert_eq!(complete_set(&root.path().join(&new[0])).as_deref(), Some("second"));
    }

    #[test]
    fn temporary_directories_of_killed_runs_on_this_host_are_removed_and_others_kept() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let host = super::super::unique::host_name();
        let dead = root.path().join(format!(".out.tmp-{host}-{}-0000abcd", i32::MAX)); // no such process
        let dead_01 = root.path().join(format!(".out.tmp-{}", i32::MAX)); // left by parkcast 0.1
        let live = root.path().join(format!(".out.tmp-{host}-1-0000abcd")); // init
        let elsewhere = root.path().join(format!(".out.tmp-otherhost-{}-0000abcd", i32::MAX));
        let other = root.path().join(format!(".other.tmp-{host}-{}-0000abcd", i32::MAX));
        let not_ours = root.path().join(".out.tmp-notes");
        let with_a_users_file = root.path().join(format!(".out.tmp-{host}-{}-0000abce", i32::MAX));
        for d in [&dead, &dead_01, &live, &elsewhere, &other, &not_ours, &with_a_users_file] {
            write_set(d, "half");
        }
        std::fs::write(with_a_users_file.join("notes.txt"), "mine").unwrap();
        let (c, _) = claim(&target, "run", 0).unwrap();
        drop(OutputDir::create(&c).unwrap());
        assert!(!dead.exists() && !dead_01.exists());
        assert!(live.exists() && elsewhere.exists() && other.exists() && not_ours.exists());
        assert!(with_a_users_file.join("notes.txt").exists(), "only parkcast's files are removed");
    }
}
