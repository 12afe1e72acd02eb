//! The catalogue's tables and their migrations. A catalogue written before multi-scenario
//! commands registered (schema 1: one row per run, no variants) is brought up to date in place
//! the first time a newer parkcast opens it, inside one immediate transaction, so two processes opening an old file at once
//! migrate it once; its rows keep every field and read back with no variants.

use rusqlite::Connection;

/// The schema this version writes (`PRAGMA user_version`).
pub const VERSION: i64 = 2;

/// A new catalogue, at [`VERSION`].
const CREATE: &str = "CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    scenario TEXT NOT NULL,
    hash TEXT NOT NULL,
    overrides TEXT NOT NULL,
    target_set TEXT NOT NULL,
    readings TEXT NOT NULL,
    seed INTEGER NOT NULL,
    trials INTEGER NOT NULL,
    version TEXT NOT NULL,
    date TEXT NOT NULL,
    p_met TEXT NOT NULL,
    out_dir TEXT NOT NULL,
    variants TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS runs_scenario ON runs (scenario);
CREATE INDEX IF NOT EXISTS runs_date ON runs (date);";

/// Creates the tables if absent and migrates an older schema; a catalogue of a newer schema
/// than [`VERSION`] is refused (its rows may hold what this version cannot show).
pub fn prepare(conn: &mut Connection) -> Result<(), String> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| e.to_string())?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    if version > VERSION {
        return Err(format!(
            "written by a newer parkcast (catalogue schema {version}; this version reads {VERSION} and older); update parkcast or set PARKCAST_RUNS_DB to another file"
        ));
    }
    if version < VERSION {
        tx.execute_batch(CREATE).map_err(|e| e.to_string())?;
        if !has_column(&tx, "variants")? {
            // schema 1: every row is a single run, so it has no variants
            tx.execute_batch("ALTER TABLE runs ADD COLUMN variants TEXT NOT NULL DEFAULT '[]'")
                .map_err(|e| format!("cannot migrate the catalogue to schema {VERSION}: {e}"))?;
        }
        tx.execute_batch(&format!("PRAGMA user_version = {VERSION}")).map_err(|e| e.to_string())?;
    }
    tx.commit().map_err(|e| e.to_string())
}

fn has_column(conn: &Connection, name: &str) -> Result<bool, String> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('runs')").map_err(|e| e.to_string())?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| e.to_string())?;
    for n in names {
        if n.map_err(|e| e.to_string())? == name {
            return Ok(true);
        }
    }
    Ok(false)
}
