//! Opens Onsite's SQLite files the same way on the device and at HQ.
//!
//! * WAL journal, `synchronous=NORMAL`, foreign keys on, a busy timeout so a second process
//!   (the CLI next to the desktop app, `onsite-hq import` next to `serve`) waits instead of
//!   failing.
//! * Migrations are a constant, append-only list of SQL scripts; `PRAGMA user_version` records
//!   how many have run. A shipped migration is never edited: add a new one.
//! * A database written by a newer build (more migrations than this build knows) is refused
//!   rather than misread.
//! * The files are private to their owner ([`private`]).

pub mod private;

use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file was migrated by a newer build of Onsite.
    #[error(
        "database schema version {found} is newer than this build supports ({known}); \
         upgrade Onsite to open it"
    )]
    SchemaTooNew {
        /// Version found in the file.
        found: u32,
        /// Latest version this build knows.
        known: u32,
    },
    /// A migration script failed; the file is left at the previous version.
    #[error("migration {index} failed: {source}")]
    Migration {
        /// 1-based number of the failing migration.
        index: u32,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The file could not be created or made private to its owner.
    #[error("cannot create or protect {}: {source}", path.display())]
    Private {
        /// The database file.
        path: std::path::PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// SQLite refused to open or configure the file.
    #[error("cannot open database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Opens (creating if needed) the database at `path`, configures it and brings it up to date.
///
/// # Errors
/// [`OpenError::SchemaTooNew`] for a file from a newer build, [`OpenError::Migration`] when a
/// script fails, [`OpenError::Sqlite`] when the file cannot be opened.
pub fn open(path: &Path, migrations: &[&str]) -> Result<Connection, OpenError> {
    private::database(path).map_err(|source| OpenError::Private {
        path: path.to_path_buf(),
        source,
    })?;
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&mut conn, migrations)?;
    Ok(conn)
}

/// Opens an already migrated database for a second handle (a reader in a pool) without running
/// migrations; still refuses a newer schema.
///
/// # Errors
/// As [`open`], without the migration case.
pub fn open_migrated(path: &Path, migrations: &[&str]) -> Result<Connection, OpenError> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    check_version(&conn, migrations)?;
    Ok(conn)
}

/// Applies Onsite's connection settings.
///
/// # Errors
/// When SQLite rejects a pragma (e.g. the file is not a database).
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn check_version(conn: &Connection, migrations: &[&str]) -> Result<u32, OpenError> {
    let found = user_version(conn)?;
    let known = migrations.len() as u32;
    if found > known {
        return Err(OpenError::SchemaTooNew { found, known });
    }
    Ok(found)
}

/// Runs the migrations the file has not seen yet, each in its own transaction together with
/// the version bump, so a crash leaves the file at a whole version.
///
/// # Errors
/// See [`OpenError`].
pub fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), OpenError> {
    let found = check_version(conn, migrations)?;
    for (i, script) in migrations.iter().enumerate().skip(found as usize) {
        let index = i as u32 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        if user_version(&tx)? >= index {
            continue;
        }
        tx.execute_batch(script)
            .and_then(|()| tx.pragma_update(None, "user_version", index))
            .map_err(|source| OpenError::Migration { index, source })?;
        tx.commit()?;
    }
    Ok(())
}

/// Reads a text column holding a value's `FromStr` spelling (the string enums of the protocol),
/// turning a parse failure into a typed SQLite conversion error instead of a panic.
///
/// # Errors
/// When the column is not text or does not parse.
pub fn parsed<T>(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(idx)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Checks a migration list for tests: every script applies in order to an empty database, and
/// the result passes SQLite's integrity and foreign-key checks.
///
/// # Errors
/// The first failing migration or check, as a message.
pub fn validate(migrations: &[&str]) -> Result<(), String> {
    let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
    configure(&conn).map_err(|e| e.to_string())?;
    migrate(&mut conn, migrations).map_err(|e| e.to_string())?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    let mut fk = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(|e| e.to_string())?;
    if fk.exists([]).map_err(|e| e.to_string())? {
        return Err("foreign_key_check reports violations".into());
    }
    if user_version(&conn).map_err(|e| e.to_string())? != migrations.len() as u32 {
        return Err("user_version does not match the number of migrations".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &[&str] = &["CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);"];
    const V2: &[&str] = &[
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
        "ALTER TABLE t ADD COLUMN b TEXT;",
    ];

    #[test]
    fn migrates_in_steps_and_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let conn = open(&path, V1).unwrap();
        conn.execute("INSERT INTO t (a) VALUES ('kept')", [])
            .unwrap();
        drop(conn);
        let conn = open(&path, V2).unwrap();
        let (a, b): (String, Option<String>) = conn
            .query_row("SELECT a, b FROM t", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!((a.as_str(), b), ("kept", None));
        assert_eq!(user_version(&conn).unwrap(), 2);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        private::dir(&folder.join("a/b")).unwrap();
        for created in ["", "a", "a/b"] {
            assert_eq!(
                mode(&folder.join(created)),
                0o700,
                "{created:?}: parents too"
            );
        }
        let path = folder.join("x.db");
        let conn = open(&path, V1).unwrap();
        conn.execute("INSERT INTO t (a) VALUES ('x')", []).unwrap();
        for name in ["x.db", "x.db-wal", "x.db-shm"] {
            assert_eq!(mode(&folder.join(name)), 0o600, "{name}");
        }
        drop(conn);
        // A file an older build left open to everyone is closed up when next opened.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        private::dir(&folder).unwrap();
        drop(open(&path, V1).unwrap());
        assert_eq!((mode(&folder), mode(&path)), (0o700, 0o600));
    }

    #[test]
    fn refuses_a_newer_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        drop(open(&path, V2).unwrap());
        match open(&path, V1) {
            Err(OpenError::SchemaTooNew { found: 2, known: 1 }) => {}
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
        assert!(matches!(
            open_migrated(&path, V1),
            Err(OpenError::SchemaTooNew { .. })
        ));
    }

    #[test]
    fn a_failing_migration_leaves_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        drop(open(&path, V1).unwrap());
        let bad: &[&str] = &[V1[0], "ALTER TABLE nope ADD COLUMN c TEXT;"];
        assert!(matches!(
            open(&path, bad),
            Err(OpenError::Migration { index: 2, .. })
        ));
        let conn = Connection::open(&path).unwrap();
        assert_eq!(user_version(&conn).unwrap(), 1);
    }

    #[test]
    fn validate_catches_broken_lists() {
        assert!(validate(V2).is_ok());
        assert!(validate(&["CREATE TABLE t (id INTEGER PRIMARY KEY);", "nonsense"]).is_err());
    }
}
