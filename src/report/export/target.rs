//! Where a command will write, settled before it simulates: `--out` resolved through symbolic
//! links, checked (writable, enough space, a name that fits, not the current directory), locked
//! against other writers, and — if it already exists — checked to be parkcast's own, so that
//! nothing parkcast did not write is ever replaced. The result, a [`Claim`], is held until the
//! outputs are in place.

use super::lock::OutputLock;
use super::manifest::{self, Ownership};
use std::path::{Component, Path, PathBuf};

/// The longest last component `--out` may have, in bytes: its temporary sibling
/// `.NAME.tmp-HOST-PID-RANDOM` must fit in the 255 bytes filesystems allow.
pub const MAX_OUT_NAME_BYTES: usize = 160;

/// Why a directory cannot be written (bad input: exit code 2). The message says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ClaimError(pub String);

/// A directory this process may write: resolved, locked, and either new, empty or parkcast's.
#[derive(Debug)]
pub struct Claim {
    /// The real path (symbolic links resolved).
    target: PathBuf,
    /// The command writing (recorded in the manifest).
    command: String,
    /// What is there now.
    existing: Existing,
    _lock: OutputLock,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Existing {
    Missing,
    /// The entries of an empty or parkcast-owned directory, and which directory it was
    /// (device, inode), so that one put in its place meanwhile is never emptied.
    Owned(Vec<String>, DirId),
}

/// A directory's (device, inode).
pub(super) type DirId = (u64, u64);

/// The (device, inode) of `path` if it is a real directory (not a link).
pub(super) fn dir_id(path: &Path) -> Option<DirId> {
    let m = std::fs::symlink_metadata(path).ok()?;
    if !m.file_type().is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        Some((0, 0))
    }
}

impl Claim {
    /// The resolved directory.
    pub fn path(&self) -> &Path {
        &self.target
    }
    pub(super) fn command(&self) -> &str {
        &self.command
    }
    pub(super) fn existing(&self) -> &Existing {
        &self.existing
    }
}

/// Claims `given` for `command` (e.g. `run`), which will write about `needed_bytes`. Prints
/// nothing; a resolution through a symbolic link is returned as a note for the caller to show.
pub fn claim(given: &Path, command: &str, needed_bytes: u64) -> Result<(Claim, Option<String>), ClaimError> {
    preflight(given, needed_bytes).map_err(ClaimError)?;
    let (target, note) = resolve(given)?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            ClaimError(format!("cannot create {}: {e} (choose a writable directory)", parent.display()))
        })?;
    }
    let lock = OutputLock::acquire(&target, &command_line()).map_err(|e| ClaimError(e.to_string()))?;
    let existing = match dir_id(&target) {
        Some(id) => Existing::Owned(owned(&target, given, command, None)?, id),
        None => Existing::Missing,
    };
    Ok((Claim { target, command: command.into(), existing, _lock: lock }, note))
}

/// Claims an existing output directory that `report` rewrites in place (its charts and
/// report.html): resolved, locked, its `charts/` parkcast's own.
pub fn claim_in_place(given: &Path) -> Result<(Claim, Option<String>), ClaimError> {
    let (target, note) = resolve_existing(given)?;
    let lock = OutputLock::acquire(&target, &command_line()).map_err(|e| ClaimError(e.to_string()))?;
    let charts_dir = target.join("charts");
    if std::fs::symlink_metadata(&charts_dir).is_ok_and(|m| !m.file_type().is_dir()) {
        return Err(ClaimError(format!(
            "{} is not a plain folder (a link or a file); parkcast replaces only the charts folder it wrote, so nothing was changed",
            given.join("charts").display()
        )));
    }
    let charts = owned(&target, given, "report", Some("charts/"))?;
    let id = dir_id(&target).ok_or_else(|| ClaimError(format!("{}: not a directory", given.display())))?;
    let html = target.join("report.html");
    if std::fs::symlink_metadata(&html).is_ok_and(|m| !m.is_file()) {
        return Err(ClaimError(format!(
            "{} is not a plain file (a link or a folder); parkcast replaces only files it wrote, so nothing was changed",
            given.join("report.html").display()
        )));
    }
    Ok((Claim { target, command: "report".into(), existing: Existing::Owned(charts, id), _lock: lock }, note))
}

/// The entries of `dir` parkcast may replace (under `under` only, when given), or the refusal
/// naming the first foreign one.
fn owned(dir: &Path, given: &Path, command: &str, under: Option<&str>) -> Result<Vec<String>, ClaimError> {
    match manifest::ownership(dir, under, manifest::Evidence::Output)
        .map_err(|e| ClaimError(format!("{} cannot be read: {e} (choose another directory)", given.display())))?
    {
        Ownership::Empty => Ok(Vec::new()),
        Ownership::Owned(entries) => Ok(entries),
        Ownership::Foreign { entry, why } => Err(ClaimError(foreign_message(given, &entry, why, command))),
    }
}

/// The refusal for a directory holding `entry` that parkcast did not write.
fn foreign_message(given: &Path, entry: &str, why: &str, command: &str) -> String {
    let shown = given.join(entry.trim_end_matches('/'));
    let advice = if command == "report" {
        "parkcast rewrites only the charts and report.html it wrote there, so nothing was changed (move it out of charts/)"
            .to_string()
    } else {
        let mut sibling = given.as_os_str().to_os_string();
        sibling.push(format!("-{command}"));
        format!(
            "parkcast replaces only its own output directories, so nothing was run or changed (give a new directory, e.g. --out {}, or move that out)",
            Path::new(&sibling).display()
        )
    };
    if why == "not written by parkcast" {
        format!("{} already holds {}, which parkcast did not write; {advice}", given.display(), shown.display())
    } else {
        format!("{} already holds {} ({why}); {advice}", given.display(), shown.display())
    }
}

/// The command line, for the lock's holder description.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().collect();
    let mut s = args.join(" ");
    if s.len() > 300 {
        let mut cut = 300;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// `given` as an absolute path with every symbolic link resolved (the part that exists is
/// canonicalised, the rest appended), refusing paths that cannot be an output directory; with a
/// note when links changed where it points.
pub fn resolve(given: &Path) -> Result<(PathBuf, Option<String>), ClaimError> {
    if given.as_os_str().is_empty() {
        return Err(ClaimError("an empty path (give a directory name)".into()));
    }
    let cwd = std::env::current_dir()
        .map_err(|e| ClaimError(format!("the current directory cannot be read: {e} (give an absolute path)")))?;
    let lexical = lexical_absolute(&cwd, given);
    // the nearest existing ancestor (or the path itself), canonicalised
    let mut existing = lexical.as_path();
    let mut tail = Vec::new();
    let real = loop {
        match std::fs::canonicalize(existing) {
            Ok(real) => break real,
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(p), Some(n)) => {
                    tail.push(n.to_os_string());
                    existing = p;
                }
                _ => break existing.to_path_buf(),
            },
        }
    };
    let target = tail.iter().rev().fold(real, |p, n| p.join(n));
    // a link whose target is missing: canonicalising stopped above it, so the link itself would
    // be replaced
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
        let to = std::fs::read_link(&target).map(|t| t.display().to_string()).unwrap_or_default();
        return Err(ClaimError(format!(
            "is a symbolic link to {to}, which does not exist (create that directory or give another one)"
        )));
    }
    let Some(name) = target.file_name() else {
        return Err(ClaimError("is the root of the filesystem (give a directory of its own)".into()));
    };
    if cwd.starts_with(&target) {
        return Err(ClaimError(format!(
            "is the current directory or contains it ({}); parkcast writes a run into a directory of its own (give a new name, e.g. --out results)",
            target.display()
        )));
    }
    if name.len() > MAX_OUT_NAME_BYTES {
        return Err(ClaimError(format!(
            "its last part is {} bytes long; at most {MAX_OUT_NAME_BYTES} bytes (about {} Chinese characters) fit beside parkcast's temporary files (give a shorter name)",
            name.len(),
            MAX_OUT_NAME_BYTES / 3
        )));
    }
    let note = (target != lexical).then(|| {
        format!("{} resolves to {} through a symbolic link; writing there", given.display(), target.display())
    });
    Ok((target, note))
}

/// `resolve` for a directory that must already exist.
fn resolve_existing(given: &Path) -> Result<(PathBuf, Option<String>), ClaimError> {
    if !given.is_dir() {
        return Err(ClaimError(format!(
            "{}: not a directory (give a directory written by parkcast run)",
            given.display()
        )));
    }
    let real = std::fs::canonicalize(given)
        .map_err(|e| ClaimError(format!("{}: {e} (give a directory written by parkcast run)", given.display())))?;
    if !real.is_dir() {
        return Err(ClaimError(format!(
            "{}: not a directory (give a directory written by parkcast run)",
            given.display()
        )));
    }
    if real.file_name().is_none() {
        return Err(ClaimError(format!("{}: the root of the filesystem is not an output directory", given.display())));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let lexical = lexical_absolute(&cwd, given);
    let note = (real != lexical && !cwd.starts_with(&real))
        .then(|| format!("{} resolves to {} through a symbolic link; writing there", given.display(), real.display()));
    Ok((real, note))
}

/// `cwd/given` with `.` dropped and `..` taken off lexically (links are resolved afterwards).
fn lexical_absolute(cwd: &Path, given: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(given).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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
    let probe = base.join(format!(".parkcast-probe-{}", super::unique::suffix()));
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

    #[test]
    fn links_are_resolved_and_reported() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let real = std::fs::canonicalize(&real).unwrap();
        let (t, note) = resolve(&link.join("out")).unwrap();
        assert_eq!(t, real.join("out"));
        assert!(note.unwrap().contains("through a symbolic link"));
        let (t, _) = resolve(&link).unwrap();
        assert_eq!(t, real, "a link to a folder names the folder, not the link");
        let (t, note) = resolve(&real.join("x/../y")).unwrap();
        assert_eq!((t, note), (real.join("y"), None));
    }

    #[test]
    fn the_current_directory_its_ancestors_and_long_names_are_refused() {
        for p in [".", "..", "/"] {
            assert!(resolve(Path::new(p)).is_err(), "{p}");
        }
        let long = "报".repeat(60); // 180 bytes
        let e = resolve(Path::new(&long)).unwrap_err().to_string();
        assert!(e.starts_with("its last part is 180 bytes long; at most 160 bytes"), "{e}");
    }
}
