//! One writer per output directory. A command that will write `DIR` first takes an advisory lock
//! (`flock`) on `.DIR.lock` beside it, holds it from before the simulation until the outputs are
//! in place, and removes the lock file when done. A second writer — another run of the same
//! scenario, a `report DIR` during a run — is refused at once with the holder's PID, host and
//! command, instead of silently replacing the other's results or being replaced by them.
//!
//! The lock file is unlinked while still locked; a process that opened it just before then holds
//! a lock on a deleted file, so after locking each process checks that the path still names the
//! file it locked, and tries again if not.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    file: Option<File>,
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another parkcast is writing it ({holder}); wait for it to finish or choose another directory")]
    Held { holder: String },
    #[error("cannot create the lock file {}: {source} (choose a writable directory)", path.display())]
    Create { path: PathBuf, source: std::io::Error },
    #[error("{} is in the way of parkcast's lock file: {why} (move it away or choose another directory)", path.display())]
    NotALock { path: PathBuf, why: &'static str },
}

/// `.NAME.lock` beside `target`.
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.lock"))
}

impl OutputLock {
    /// Takes the lock of `target` for `command` (shown to a process refused the lock).
    pub fn acquire(target: &Path, command: &str) -> Result<OutputLock, LockError> {
        let path = lock_path(target);
        for _ in 0..100 {
            let file = open_lock_file(&path)?;
            if !try_lock(&file) {
                match holder_of(&file, &path) {
                    Holder::Named(holder) => return Err(LockError::Held { holder }),
                    Holder::Unnamed => {
                        return Err(LockError::Held { holder: "a process that has just started".into() })
                    }
                    // the holder finished while we looked: try again
                    Holder::Gone => continue,
                }
            }
            if same_file(&file, &path) {
                let mut lock = OutputLock { path, file: Some(file) };
                lock.describe(command);
                return Ok(lock);
            }
            // the holder before us removed the file between our open and our lock: try again
        }
        Err(LockError::Held { holder: "processes that keep replacing its lock file".into() })
    }

    /// Writes who holds the lock into the lock file, for a process that is refused it.
    fn describe(&mut self, command: &str) {
        if let Some(f) = &mut self.file {
            let _ = f.set_len(0);
            let _ = write!(
                f,
                "PID {} on {}, `{}`, since {}",
                std::process::id(),
                super::unique::host_name(),
                command.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>(),
                super::unique::now_utc()
            );
            let _ = f.flush();
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // unlink first, then unlock by closing: see the module documentation; only if the path
        // still names the file locked
        if self.file.as_ref().is_some_and(|f| same_file(f, &self.path)) {
            let _ = std::fs::remove_file(&self.path);
        }
        self.file.take();
    }
}

/// Who holds a lock we were refused, as far as its file says.
enum Holder {
    /// The holder's own description.
    Named(String),
    /// A holder that has not written its description yet, after waiting for it.
    Unnamed,
    /// The lock file we opened is no longer at its path: its holder has finished.
    Gone,
}

/// How long a refused process waits for the holder to describe itself (the holder writes it just
/// after taking the lock, so only a process that starts in the same instant waits at all).
const DESCRIPTION_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Reads the holder's description of the lock file `file` opened at `path`, waiting briefly for a
/// holder that has locked but not yet written it.
fn holder_of(file: &File, path: &Path) -> Holder {
    let start = std::time::Instant::now();
    loop {
        if !same_file(file, path) {
            return Holder::Gone;
        }
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let text = text.trim();
        if !text.is_empty() {
            return Holder::Named(text.into());
        }
        if start.elapsed() >= DESCRIPTION_WAIT {
            return Holder::Unnamed;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Opens (creating) the lock file without following a link, and only if it is parkcast's: a
/// regular file with one name that is empty or says who holds it. Anything else at that path is
/// a user's, and is neither emptied nor removed.
fn open_lock_file(path: &Path) -> Result<File, LockError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let not_a_lock = |why| LockError::NotALock { path: path.to_path_buf(), why };
    let file = options.open(path).map_err(|source| match source.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => not_a_lock("a symbolic link"),
        _ => LockError::Create { path: path.to_path_buf(), source },
    })?;
    let meta = file.metadata().map_err(|source| LockError::Create { path: path.to_path_buf(), source })?;
    if !meta.is_file() {
        return Err(not_a_lock("not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() != 1 {
            return Err(not_a_lock("a file with other names (a hard link)"));
        }
    }
    let mut head = [0u8; 4];
    let n = std::io::Read::read(&mut &file, &mut head).unwrap_or(0);
    if n > 0 && head[..n] != b"PID "[..n] {
        return Err(not_a_lock("a file parkcast did not write"));
    }
    Ok(file)
}

#[cfg(unix)]
fn try_lock(file: &File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: a valid open file descriptor.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_: &File) -> bool {
    true
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_holder_named_and_the_file_goes_with_the_lock() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let first = OutputLock::acquire(&target, "parkcast run").unwrap();
        let e = OutputLock::acquire(&target, "parkcast report out").unwrap_err().to_string();
        let expected = format!("another parkcast is writing it (PID {} on ", std::process::id());
        assert!(e.starts_with(&expected) && e.contains("`parkcast run`, since 20"), "{e}");
        drop(first);
        assert!(!lock_path(&target).exists());
        let again = OutputLock::acquire(&target, "parkcast run").unwrap();
        assert!(lock_path(&target).exists());
        drop(again);
    }

    #[test]
    fn a_link_or_a_users_file_in_the_lock_files_place_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let victim = root.path().join("victim.txt");
        std::fs::write(&victim, "mine").unwrap();
        std::os::unix::fs::symlink(&victim, lock_path(&target)).unwrap();
        let e = OutputLock::acquire(&target, "run").unwrap_err().to_string();
        assert!(e.ends_with(".out.lock is in the way of parkcast's lock file: a symbolic link (move it away or choose another directory)"), "{e}");
        std::fs::remove_file(lock_path(&target)).unwrap();
        std::fs::hard_link(&victim, lock_path(&target)).unwrap();
        let e = OutputLock::acquire(&target, "run").unwrap_err().to_string();
        assert!(e.contains("a file with other names (a hard link)"), "{e}");
        std::fs::remove_file(lock_path(&target)).unwrap();
        std::fs::write(lock_path(&target), "my notes").unwrap();
        let e = OutputLock::acquire(&target, "run").unwrap_err().to_string();
        assert!(e.contains("a file parkcast did not write"), "{e}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(lock_path(&target)).unwrap(), "my notes");
        // a stale lock of a killed parkcast is taken over
        std::fs::write(lock_path(&target), "PID 1 on h, `x`, since y").unwrap();
        drop(OutputLock::acquire(&target, "run").unwrap());
    }

    #[test]
    fn a_holder_that_has_not_yet_described_itself_is_waited_for_and_one_that_finishes_is_followed() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let path = lock_path(&target);
        // locked, but its description comes 50 ms later (as between a holder's flock and write)
        let holder = File::create(&path).unwrap();
        assert!(try_lock(&holder));
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                std::fs::write(&path, "PID 42 on h, `run`, since 2026").unwrap();
            })
        };
        let e = OutputLock::acquire(&target, "report").unwrap_err().to_string();
        writer.join().unwrap();
        assert!(e.contains("(PID 42 on h, `run`, since 2026)"), "{e}");
        // a holder that finishes while we wait: the lock is taken instead of refused
        std::fs::write(&path, "").unwrap();
        let finisher = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                std::fs::remove_file(&path).unwrap();
                drop(holder);
            })
        };
        let lock = OutputLock::acquire(&target, "report").unwrap();
        finisher.join().unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with(&format!("PID {} ", std::process::id())));
        drop(lock);
        assert!(!path.exists());
    }

    #[test]
    fn a_lock_file_replaced_under_a_waiting_process_is_not_trusted() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let path = lock_path(&target);
        let file = File::create(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "").unwrap();
        assert!(!same_file(&file, &path));
        assert!(same_file(&File::open(&path).unwrap(), &path));
    }
}
