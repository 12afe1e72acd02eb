//! Which directories parkcast may replace: only its own. Every output directory carries
//! `.parkcast-manifest.json`, the list of every file and folder parkcast wrote there. A directory
//! may be replaced only if everything in it is on its list (or, for directories written by
//! parkcast 0.1 before manifests existed, if there is no list) *and* is a name parkcast writes
//! ([`OUTPUT_FILES`], charts under `charts/<lang>/`); anything else — a user's document, a notes
//! folder, a symbolic link — makes it foreign, and parkcast refuses to replace it. Removing an old
//! output directory removes only what its list names. Since a received folder's manifest is as
//! untrusted as the rest of it, the list can only narrow what counts as parkcast's, never widen
//! it: a planted manifest naming `thesis.docx` does not make a user's thesis removable.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The manifest's file name inside an output directory.
pub const MANIFEST: &str = ".parkcast-manifest.json";

/// More entries than this and a directory is not treated as an output directory at all.
const MAX_ENTRIES: usize = 20_000;

/// Every file name parkcast writes at the top of an output directory. A command that writes a
/// new kind of file must add it here: [`write`] refuses to list anything else, so a test of the
/// command fails until it does.
pub const OUTPUT_FILES: &[&str] = &[
    "summary.csv",
    "readings.csv",
    "beliefs.csv",
    "block_summary.csv",
    "timeseries.csv",
    "trials.parquet",
    "run.json",
    "report_data.json",
    "report.html",
    "parkcast.xlsx",
    "criticality.csv",
    "monitor.csv",
    "compare.csv",
    "sweep.csv",
    "tornado.csv",
    "sobol.csv",
    "discover.csv",
    "replay_months.csv",
    "replay_blocks.csv",
    "two_level.csv",
    "monitor_two_level.csv",
    "checkpoints.csv",
    "packages.csv",
    "sweep_grid.csv",
];

/// What parkcast wrote into an output directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `parkcast` and the version that wrote it.
    pub written_by: String,
    /// The command (`run`, `compare`, …).
    pub command: String,
    /// Every entry parkcast wrote, relative, `/`-separated; folders end with `/`.
    pub entries: Vec<String>,
}

/// The kind of an entry, as found on disk (symbolic links are never followed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// A symbolic link, a FIFO, a socket, a device.
    Other,
}

/// Every entry under a directory, in sorted order, relative and `/`-separated (folders with a
/// trailing `/`); at most `MAX_ENTRIES + 1`.
pub fn list(dir: &Path) -> std::io::Result<Vec<(String, Kind)>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Kind)>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if out.len() > MAX_ENTRIES {
                return Ok(());
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let t = e.file_type()?;
            if t.is_dir() {
                let rel = format!("{prefix}{name}/");
                out.push((rel.clone(), Kind::Dir));
                walk(&e.path(), &rel, out)?;
            } else {
                out.push((format!("{prefix}{name}"), if t.is_file() { Kind::File } else { Kind::Other }));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    Ok(out)
}

/// The manifest of `dir`, if it has a readable one.
pub fn read(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MANIFEST);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 4 << 20 {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Writes the manifest of everything now in `dir`, for `command`.
pub fn write(dir: &Path, command: &str) -> std::io::Result<()> {
    let found = list(dir)?;
    if let Some((p, _)) = found.iter().find(|(p, k)| p != MANIFEST && !parkcast_output(p, *k)) {
        return Err(std::io::Error::other(format!(
            "{p} is not among the files parkcast writes (add its name to manifest::OUTPUT_FILES)"
        )));
    }
    let mut entries: Vec<String> = found.into_iter().map(|(p, _)| p).filter(|p| p != MANIFEST).collect();
    entries.sort();
    let m =
        Manifest { written_by: format!("parkcast {}", env!("CARGO_PKG_VERSION")), command: command.into(), entries };
    let json = serde_json::to_string_pretty(&m).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(MANIFEST), json + "\n")
}

/// Rewrites the manifest of `dir` after a command replaced everything under `replaced` (a
/// folder such as `charts/`) and the files `files`: the other entries it listed stay, the
/// replaced ones are listed as they now are. Written beside and renamed over the old one.
pub fn update(dir: &Path, replaced: &str, files: &[&str]) -> std::io::Result<()> {
    let Some(mut m) = read(dir) else { return Ok(()) };
    m.entries.retain(|e| !e.starts_with(replaced) && !files.contains(&e.as_str()));
    let now = list(dir)?;
    m.entries
        .extend(now.into_iter().map(|(p, _)| p).filter(|p| p.starts_with(replaced) || files.contains(&p.as_str())));
    m.entries.sort();
    m.entries.dedup();
    m.written_by = format!("parkcast {}", env!("CARGO_PKG_VERSION"));
    let json = serde_json::to_string_pretty(&m).map_err(std::io::Error::other)?;
    let tmp = dir.join(format!(".parkcast-manifest.tmp-{}", super::unique::suffix()));
    std::fs::write(&tmp, json + "\n")?;
    std::fs::rename(&tmp, dir.join(MANIFEST))
}

/// What an existing directory is to parkcast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// Nothing in it: it may be used.
    Empty,
    /// parkcast's own: these entries (deepest last) may be removed when it is replaced.
    Owned(Vec<String>),
    /// Holds `entry` (relative), which parkcast did not write.
    Foreign { entry: String, why: &'static str },
}

/// What makes a directory parkcast's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// An output directory: its manifest lists everything in it, or — written by parkcast 0.1,
    /// which had none — a `run.json` or `report_data.json` that parkcast wrote is in it.
    Output,
    /// One of parkcast's own temporary directories (named by host, PID and a random part):
    /// everything in it has a name parkcast writes.
    Temporary,
}

/// Whether `dir` (an existing directory, not a link) may be replaced, looking only at entries
/// under `under` (a relative folder such as `charts/`) when given.
pub fn ownership(dir: &Path, under: Option<&str>, evidence: Evidence) -> std::io::Result<Ownership> {
    let all = list(dir)?;
    if all.len() > MAX_ENTRIES {
        return Ok(Ownership::Foreign { entry: all[MAX_ENTRIES].0.clone(), why: "one of too many entries" });
    }
    let has_manifest = all.iter().any(|(e, _)| e == MANIFEST);
    let manifest = read(dir);
    if has_manifest && manifest.is_none() {
        return Ok(Ownership::Foreign { entry: MANIFEST.into(), why: "a manifest parkcast cannot read" });
    }
    let listed: Option<BTreeSet<&str>> = manifest.as_ref().map(|m| m.entries.iter().map(String::as_str).collect());
    let legacy = evidence == Evidence::Output && manifest.is_none() && written_by_parkcast_0_1(dir);
    let mut owned = Vec::new();
    for (entry, kind) in &all {
        if under.is_some_and(|u| !entry.starts_with(u)) {
            continue;
        }
        if entry == MANIFEST {
            owned.push(entry.clone());
            continue;
        }
        if *kind == Kind::Other {
            return Ok(Ownership::Foreign { entry: entry.clone(), why: "a symbolic link or special file" });
        }
        let ok = match entry.split_once('/') {
            // left inside an output folder by a parkcast killed while drawing a report
            Some((top, rest)) if temporary(top) => rest.is_empty() || parkcast_output(rest, *kind),
            _ => {
                parkcast_output(entry, *kind)
                    && match (&listed, evidence) {
                        (Some(l), _) => l.contains(entry.as_str()),
                        (None, Evidence::Temporary) => true,
                        (None, Evidence::Output) => legacy,
                    }
            }
        };
        if !ok {
            return Ok(Ownership::Foreign { entry: entry.clone(), why: "not written by parkcast" });
        }
        owned.push(entry.clone());
    }
    Ok(if all.is_empty() { Ownership::Empty } else { Ownership::Owned(owned) })
}

/// Whether a folder without a manifest holds the `run.json` or `report_data.json` of a parkcast
/// run: a regular file of at most 64 MB whose JSON names the parkcast version that wrote it.
fn written_by_parkcast_0_1(dir: &Path) -> bool {
    let version = |v: &serde_json::Value| v.get("parkcast_version").and_then(|x| x.as_str()).is_some();
    ["run.json", "report_data.json"].iter().any(|f| {
        let p = dir.join(f);
        std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file() && m.len() <= 64 << 20)
            && std::fs::read(&p)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .is_some_and(|v| version(&v) || v.get("meta").is_some_and(version))
    })
}

/// Whether a top-level name is one of parkcast's temporaries inside an output directory
/// (`.report.tmp-HOST-PID-RANDOM`, `.parkcast-manifest.tmp-HOST-PID-RANDOM`).
fn temporary(name: &str) -> bool {
    [".report.tmp-", ".parkcast-manifest.tmp-"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| super::unique::parse_suffix(rest).is_some()))
}

/// Whether `entry` has a name parkcast writes.
fn parkcast_output(entry: &str, kind: Kind) -> bool {
    let parts: Vec<&str> = entry.trim_end_matches('/').split('/').collect();
    match (parts.as_slice(), kind) {
        ([file], Kind::File) => OUTPUT_FILES.contains(file),
        (["charts"], Kind::Dir) => true,
        (["charts", "zh" | "en"], Kind::Dir) => true,
        (["charts", "zh" | "en", chart], Kind::File) => chart.ends_with(".svg") || chart.ends_with(".png"),
        _ => false,
    }
}

/// Whether every folder from `dir` down to `entry`'s parent is a real folder (no link that
/// could send a removal elsewhere).
fn real_folders_to(dir: &Path, entry: &str) -> bool {
    let mut p = dir.to_path_buf();
    let parts: Vec<&str> = entry.trim_end_matches('/').split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        p.push(part);
        if !std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_dir()) {
            return false;
        }
    }
    true
}

/// Removes the `owned` entries of `dir` (files first, then folders once empty) and then `dir`
/// itself if nothing else is left in it. Returns the directory if something was left (an entry
/// that appeared after the check): it is then kept, never deleted.
pub fn remove_owned(dir: &Path, owned: &[String]) -> std::io::Result<Option<PathBuf>> {
    for entry in owned.iter().filter(|e| !e.ends_with('/')) {
        let path = dir.join(entry);
        if real_folders_to(dir, entry) && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            std::fs::remove_file(&path)?;
        }
    }
    let mut dirs: Vec<&String> = owned.iter().filter(|e| e.ends_with('/')).collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for d in dirs {
        if real_folders_to(dir, d) {
            let _ = std::fs::remove_dir(dir.join(d)); // fails, keeping it, if anything else is inside
        }
    }
    match std::fs::remove_dir(dir) {
        Ok(()) => Ok(None),
        Err(_) if dir.exists() => Ok(Some(dir.to_path_buf())),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path, files: &[&str]) {
        for f in files {
            let p = root.join(f);
            if f.ends_with('/') {
                std::fs::create_dir_all(&p).unwrap();
            } else {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, "x").unwrap();
            }
        }
    }

    #[test]
    fn a_directory_is_owned_only_if_everything_in_it_is_listed() {
        let root = tempfile::tempdir().unwrap();
        let d = root.path();
        tree(d, &["summary.csv", "charts/zh/a.svg", "charts/en/a.png"]);
        write(d, "run").unwrap();
        let m = read(d).unwrap();
        assert_eq!(
            m.entries,
            ["charts/", "charts/en/", "charts/en/a.png", "charts/zh/", "charts/zh/a.svg", "summary.csv"]
        );
        assert!(matches!(ownership(d, None, Evidence::Output).unwrap(), Ownership::Owned(e) if e.len() == 7));
        tree(d, &["charts/zh/mine.docx"]);
        assert_eq!(
            ownership(d, None, Evidence::Output).unwrap(),
            Ownership::Foreign { entry: "charts/zh/mine.docx".into(), why: "not written by parkcast" }
        );
        // `report` looks only at what it replaces
        std::fs::remove_file(d.join("charts/zh/mine.docx")).unwrap();
        tree(d, &["my_notes/todo.txt"]);
        assert!(matches!(ownership(d, Some("charts/"), Evidence::Output).unwrap(), Ownership::Owned(_)));
        assert!(
            matches!(ownership(d, None, Evidence::Output).unwrap(), Ownership::Foreign { entry, .. } if entry == "my_notes/")
        );
    }

    #[test]
    fn links_are_foreign_and_directories_of_parkcast_0_1_are_recognised() {
        let root = tempfile::tempdir().unwrap();
        let d = root.path();
        tree(d, &["summary.csv", "report.html", "charts/zh/fan_revenue.svg"]);
        // without a manifest, parkcast's names alone are no evidence: a user's report.html
        assert!(
            matches!(ownership(d, None, Evidence::Output).unwrap(), Ownership::Foreign { entry, .. } if entry == "charts/")
        );
        assert!(matches!(ownership(d, None, Evidence::Temporary).unwrap(), Ownership::Owned(_)));
        std::fs::write(d.join("run.json"), r#"{"parkcast_version": "0.1.0", "seed": 1}"#).unwrap();
        assert!(matches!(ownership(d, None, Evidence::Output).unwrap(), Ownership::Owned(_)));
        std::os::unix::fs::symlink("/etc", d.join("charts/zh/etc")).unwrap();
        assert_eq!(
            ownership(d, None, Evidence::Output).unwrap(),
            Ownership::Foreign { entry: "charts/zh/etc".into(), why: "a symbolic link or special file" }
        );
        std::fs::remove_file(d.join("charts/zh/etc")).unwrap();
        std::fs::write(d.join(MANIFEST), "{ not json").unwrap();
        assert_eq!(
            ownership(d, None, Evidence::Output).unwrap(),
            Ownership::Foreign { entry: MANIFEST.into(), why: "a manifest parkcast cannot read" }
        );
        let e = tempfile::tempdir().unwrap();
        assert_eq!(ownership(e.path(), None, Evidence::Output).unwrap(), Ownership::Empty);
        tree(e.path(), &["thesis.docx"]);
        assert!(
            matches!(ownership(e.path(), None, Evidence::Output).unwrap(), Ownership::Foreign { entry, .. } if entry == "thesis.docx")
        );
    }

    #[test]
    fn removal_takes_only_listed_entries_and_keeps_a_directory_with_anything_else() {
        let root = tempfile::tempdir().unwrap();
        let d = root.path().join("old");
        tree(&d, &["summary.csv", "charts/zh/a.svg"]);
        write(&d, "run").unwrap();
        let Ownership::Owned(owned) = ownership(&d, None, Evidence::Output).unwrap() else { panic!() };
        tree(&d, &["charts/zh/late.txt"]);
        assert_eq!(remove_owned(&d, &owned).unwrap(), Some(d.clone()));
        assert!(d.join("charts/zh/late.txt").exists() && !d.join("summary.csv").exists());
        tree(&root.path().join("x"), &["notes.txt"]);
        let e = write(&root.path().join("x"), "run").unwrap_err().to_string();
        assert!(e.starts_with("notes.txt is not among the files parkcast writes"), "{e}");
        std::fs::remove_file(d.join("charts/zh/late.txt")).unwrap();
        assert_eq!(remove_owned(&d, &owned).unwrap(), None);
        assert!(!d.exists());
        // a folder swapped for a link during a run: nothing is removed through it
        let victim = root.path().join("victim");
        tree(&victim, &["zh/a.svg"]);
        tree(&d, &["summary.csv"]);
        std::os::unix::fs::symlink(&victim, d.join("charts")).unwrap();
        assert_eq!(remove_owned(&d, &owned).unwrap(), Some(d.clone()));
        assert!(victim.join("zh/a.svg").exists());
    }
}
