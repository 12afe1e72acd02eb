//! The catalogue of runs (issue 17 part 5): every run that writes an output directory
//! registers in `outputs/runs.sqlite` (SQLite, bundled) — what was run (command, scenario and
//! its hash, overrides, target set and headline readings, seed, trials, version, date), its
//! headline P(met) per target and where its results went — so "which run was the one in the
//! meeting?" has an answer. `parkcast runs` lists the rows, `parkcast runs show ID` prints one.
//!
//! A command that evaluates several variants on common random numbers (`compare`, `sweep`,
//! `sweep --vary`, `packages`) registers one row of its kind (`command`) with the headline of
//! each variant (`variants`: its label, scenario, P(met) per target and a note such as the
//! regret), so `runs show` prints a compare's rows and `--scenario S` finds every compare that
//! included S.
//!
//! Concurrent runs: the database is in WAL mode with a busy timeout, and each registration is
//! one `BEGIN IMMEDIATE` transaction, so two processes writing at once both land, one after the
//! other. Registering is best-effort for the caller: a failure is reported as a warning and
//! never fails the run (see `cli::runs`).

mod schema;

use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the catalogue lives, relative to the working directory.
pub const DEFAULT_PATH: &str = "outputs/runs.sqlite";
/// How long a writer waits for another to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("run catalogue {path}: {message}")]
    Database { path: String, message: String },
    #[error("run catalogue {path}: no run with id {id} (parkcast runs lists them)")]
    NoSuchRun { path: String, id: i64 },
    #[error("run catalogue {path}: not found (no run has registered in it yet)")]
    Missing { path: String },
}

/// One registered run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// The kind of run: `run`, `run --two-level`, `monitor`, `merge`, `compare`, `sweep`,
    /// `sweep --vary`, `packages`, …
    pub command: String,
    pub scenario: String,
    pub hash: String,
    pub overrides: Vec<String>,
    pub target_set: String,
    /// The headline reading of each target that has one: `parks=completion_annex; …`.
    pub readings: String,
    pub seed: u64,
    pub trials: u64,
    pub version: String,
    /// RFC 3339, UTC.
    pub date: String,
    /// Headline P(met) per target key, then `all`.
    pub p_met: Vec<(String, f64)>,
    /// The output directory, absolute where it could be resolved.
    pub out_dir: String,
    /// The variants of a multi-variant command, in its order (empty for a single run).
    pub variants: Vec<Variant>,
}

/// One variant of a multi-variant command: a compared scenario, a swept value, a grid point,
/// a lever package.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// How the command names it: `policy_package`, `levers.x.value=1.5`, `combined`.
    pub label: String,
    /// The scenario it ran.
    pub scenario: String,
    /// P(met) per target key, then `all`.
    pub p_met: Vec<(String, f64)>,
    /// What else the command ranks it by (e.g. `rank 1 · regret 0.04 (p90 0) · all-regret 0.9%`).
    pub note: String,
}

/// A row read back, with its id and whether its directory is still there.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub record: RunRecord,
    pub dir_exists: bool,
    /// A later run written to the same directory (its results replaced this run's there).
    pub replaced_by: Option<i64>,
}

/// Which rows to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub scenario: Option<String>,
    /// `YYYY-MM-DD`: runs on that day or later (UTC).
    pub since: Option<String>,
}

/// The catalogue at `path`.
pub struct Catalogue {
    path: PathBuf,
    conn: Connection,
}

impl Catalogue {
    fn err(&self, e: impl std::fmt::Display) -> CatalogueError {
        CatalogueError::Database { path: self.path.display().to_string(), message: e.to_string() }
    }

    /// Opens the catalogue, creating it (and its folder) if it does not exist.
    pub fn open_or_create(path: &Path) -> Result<Catalogue, CatalogueError> {
        let db = |e: &dyn std::fmt::Display| CatalogueError::Database {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| db(&e))?;
        }
        let conn = Connection::open(path).map_err(|e| db(&e))?;
        let mut c = Catalogue { path: path.to_path_buf(), conn };
        c.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| c.err(e))?;
        // WAL: readers never block the writer; the mode is kept in the file
        let _: String = c.conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| c.err(e))?;
        schema::prepare(&mut c.conn).map_err(|e| db(&e))?;
        Ok(c)
    }

    /// Opens an existing catalogue to read.
    pub fn open(path: &Path) -> Result<Catalogue, CatalogueError> {
        if !path.exists() {
            return Err(CatalogueError::Missing { path: path.display().to_string() });
        }
        Catalogue::open_or_create(path)
    }

    /// Adds `r` in one immediate transaction; returns its id.
    pub fn register(&mut self, r: &RunRecord) -> Result<i64, CatalogueError> {
        let overrides = serde_json::to_string(&r.overrides).map_err(|e| self.err(e))?;
        let p_met = serde_json::to_string(&r.p_met).map_err(|e| self.err(e))?;
        let variants = serde_json::to_string(&r.variants).map_err(|e| self.err(e))?;
        let seed = i64::try_from(r.seed).map_err(|_| self.err(format!("seed {} above 2^63 − 1", r.seed)))?;
        let trials = i64::try_from(r.trials).map_err(|_| self.err(format!("trials {} above 2^63 − 1", r.trials)))?;
        let path = self.path.display().to_string();
        let err = |e: rusqlite::Error| CatalogueError::Database { path: path.clone(), message: e.to_string() };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
        tx.execute(
            "INSERT INTO runs (command, scenario, hash, overrides, target_set, readings, seed, trials, version, date, p_met, out_dir, variants)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                r.command,
                r.scenario,
                r.hash,
                overrides,
                r.target_set,
                r.readings,
                seed,
                trials,
                r.version,
                r.date,
                p_met,
                r.out_dir,
                variants
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// The rows `f` selects, oldest first.
    pub fn list(&self, f: &Filter) -> Result<Vec<Entry>, CatalogueError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, command, scenario, hash, overrides, target_set, readings, seed, trials, version, date, p_met, out_dir, variants
                 FROM runs
                 WHERE (?1 IS NULL OR scenario = ?1
                        OR EXISTS (SELECT 1 FROM json_each(runs.variants) WHERE json_extract(value, '$.scenario') = ?1))
                   AND (?2 IS NULL OR date >= ?2)
                 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![f.scenario, f.since], row).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(self.entry(r.map_err(|e| self.err(e))?)?);
        }
        Ok(out)
    }

    /// The row with `id`.
    pub fn get(&self, id: i64) -> Result<Entry, CatalogueError> {
        let raw = self
            .conn
            .query_row(
                "SELECT id, command, scenario, hash, overrides, target_set, readings, seed, trials, version, date, p_met, out_dir, variants
                 FROM runs WHERE id = ?1",
                params![id],
                row,
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match raw {
            Some(r) => self.entry(r),
            None => Err(CatalogueError::NoSuchRun { path: self.path.display().to_string(), id }),
        }
    }

    fn entry(&self, r: Raw) -> Result<Entry, CatalogueError> {
        let overrides: Vec<String> =
            serde_json::from_str(&r.overrides).map_err(|e| self.err(format!("run {}: overrides: {e}", r.id)))?;
        let p_met: Vec<(String, f64)> =
            serde_json::from_str(&r.p_met).map_err(|e| self.err(format!("run {}: p_met: {e}", r.id)))?;
        let variants: Vec<Variant> =
            serde_json::from_str(&r.variants).map_err(|e| self.err(format!("run {}: variants: {e}", r.id)))?;
        let dir_exists = Path::new(&r.out_dir).is_dir();
        let replaced_by = self
            .conn
            .query_row("SELECT MAX(id) FROM runs WHERE out_dir = ?1 AND id > ?2", params![r.out_dir, r.id], |row| {
                row.get::<_, Option<i64>>(0)
            })
            .map_err(|e| self.err(e))?;
        Ok(Entry {
            id: r.id,
            dir_exists,
            replaced_by,
            record: RunRecord {
                command: r.command,
                scenario: r.scenario,
                hash: r.hash,
                overrides,
                target_set: r.target_set,
                readings: r.readings,
                seed: r.seed.max(0) as u64,
                trials: r.trials.max(0) as u64,
                version: r.version,
                date: r.date,
                p_met,
                out_dir: r.out_dir,
                variants,
            },
        })
    }
}

/// A row as stored.
struct Raw {
    id: i64,
    command: String,
    scenario: String,
    hash: String,
    overrides: String,
    target_set: String,
    readings: String,
    seed: i64,
    trials: i64,
    version: String,
    date: String,
    p_met: String,
    out_dir: String,
    variants: String,
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Raw> {
    Ok(Raw {
        id: r.get(0)?,
        command: r.get(1)?,
        scenario: r.get(2)?,
        hash: r.get(3)?,
        overrides: r.get(4)?,
        target_set: r.get(5)?,
        readings: r.get(6)?,
        seed: r.get(7)?,
        trials: r.get(8)?,
        version: r.get(9)?,
        date: r.get(10)?,
        p_met: r.get(11)?,
        out_dir: r.get(12)?,
        variants: r.get(13)?,
    })
}

/// Whether `s` is a date `YYYY-MM-DD` (for `--since`).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(scenario: &str, date: &str, dir: &str) -> RunRecord {
        RunRecord {
            command: "run".into(),
            scenario: scenario.into(),
            hash: "sha256:0011".into(),
            overrides: vec!["settings.trials=100".into()],
            target_set: "city_2027".into(),
            readings: "jobs=gross".into(),
            seed: 7,
            trials: 100,
            version: "0.4.0".into(),
            date: date.into(),
            p_met: vec![("jobs".into(), 0.25), ("all".into(), 0.125)],
            out_dir: dir.into(),
            variants: vec![],
        }
    }

    #[test]
    fn rows_round_trip_filter_by_scenario_and_date_and_notice_deleted_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("outputs/runs.sqlite");
        let kept = tmp.path().join("kept");
        std::fs::create_dir(&kept).unwrap();
        let mut c = Catalogue::open_or_create(&db).unwrap();
        let a = c.register(&record("baseline", "2026-11-30T10:00:00Z", kept.to_str().unwrap())).unwrap();
        let b = c.register(&record("downturn", "2026-12-01T09:00:00Z", "/nonexistent/parkcast/dir")).unwrap();
        assert_eq!((a, b), (1, 2));
        let all = c.list(&Filter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].record, record("baseline", "2026-11-30T10:00:00Z", kept.to_str().unwrap()));
        assert!(all[0].dir_exists);
        assert!(!all[1].dir_exists);
        assert_eq!((all[0].replaced_by, all[1].replaced_by), (None, None));
        let f = Filter { scenario: Some("downturn".into()), since: None };
        assert_eq!(c.list(&f).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), vec![2]);
        let f = Filter { scenario: None, since: Some("2026-12-01".into()) };
        assert_eq!(c.list(&f).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), vec![2]);
        assert_eq!(c.get(1).unwrap().record.scenario, "baseline");
        assert!(matches!(c.get(9), Err(CatalogueError::NoSuchRun { id: 9, .. })));
        // a later run into the same directory replaced the first one's results there
        let c3 = c.register(&record("baseline", "2026-12-02T09:00:00Z", kept.to_str().unwrap())).unwrap();
        let c4 = c.register(&record("baseline", "2026-12-02T10:00:00Z", kept.to_str().unwrap())).unwrap();
        assert_eq!(c.get(1).unwrap().replaced_by, Some(c4));
        assert_eq!(c.get(c3).unwrap().replaced_by, Some(c4));
        assert_eq!(c.get(c4).unwrap().replaced_by, None);
        assert_eq!(c.get(2).unwrap().replaced_by, None);
    }

    #[test]
    fn variants_round_trip_and_a_scenario_filter_finds_the_compares_that_included_it() {
        let tmp = tempfile::tempdir().unwrap();
        let mut c = Catalogue::open_or_create(&tmp.path().join("runs.sqlite")).unwrap();
        let mut cmp = record("baseline", "2026-12-01T09:00:00Z", "/x");
        cmp.command = "compare".into();
        cmp.variants = ["baseline", "downturn"]
            .iter()
            .map(|s| Variant {
                label: s.to_string(),
                scenario: s.to_string(),
                p_met: vec![("jobs".into(), 0.5), ("all".into(), 0.03125)],
                note: String::new(),
            })
            .collect();
        c.register(&record("baseline", "2026-12-01T08:00:00Z", "/y")).unwrap();
        let id = c.register(&cmp).unwrap();
        assert_eq!(c.get(id).unwrap().record, cmp);
        let f = |s: &str| Filter { scenario: Some(s.into()), since: None };
        assert_eq!(c.list(&f("downturn")).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), vec![id]);
        assert_eq!(c.list(&f("baseline")).unwrap().len(), 2);
        assert!(c.list(&f("nanhu")).unwrap().is_empty());
    }

    /// `tests/fixtures/runs_schema1.sqlite` was written by parkcast before multi-variant commands
    /// registered (one `run` of tests/fixtures/fixed.toml).
    #[test]
    fn a_schema_1_catalogue_is_migrated_in_place_and_keeps_its_rows() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("runs.sqlite");
        std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/runs_schema1.sqlite"), &db).unwrap();
        let version = |db: &Path| -> i64 {
            Connection::open(db).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
        };
        assert_eq!(version(&db), 0);
        let mut c = Catalogue::open_or_create(&db).unwrap();
        let old = c.get(1).unwrap();
        assert_eq!((old.record.command.as_str(), old.record.scenario.as_str()), ("run", "fixed"));
        assert_eq!(old.record.trials, 200);
        assert!(old.record.variants.is_empty());
        assert_eq!(old.record.p_met.last().map(|(k, _)| k.as_str()), Some("all"));
        let mut cmp = record("baseline", "2026-12-01T09:00:00Z", "/x");
        cmp.variants = vec![Variant { label: "a".into(), scenario: "a".into(), p_met: vec![], note: "n".into() }];
        assert_eq!(c.register(&cmp).unwrap(), 2);
        drop(c);
        assert_eq!(version(&db), schema::VERSION);
        // opening again migrates nothing and reads both
        let c = Catalogue::open(&db).unwrap();
        assert_eq!(c.list(&Filter::default()).unwrap().len(), 2);
        assert_eq!(c.get(2).unwrap().record, cmp);
    }

    #[test]
    fn a_catalogue_of_a_newer_schema_is_refused_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("runs.sqlite");
        drop(Catalogue::open_or_create(&db).unwrap());
        Connection::open(&db).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
        let Err(e) = Catalogue::open(&db) else { panic!("a schema-99 catalogue was opened") };
        assert!(e.to_string().contains("written by a newer parkcast (catalogue schema 99;"), "{e}");
    }

    #[test]
    fn reading_a_missing_catalogue_says_so_and_creates_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("runs.sqlite");
        assert!(matches!(Catalogue::open(&db), Err(CatalogueError::Missing { .. })));
        assert!(!db.exists());
    }

    #[test]
    fn dates_are_year_month_day() {
        assert!(is_date("2026-12-01"));
        for bad in ["2026-13-01", "2026-1-01", "26-12-01", "2026/12/01", "2026-12-00", "yesterday"] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
