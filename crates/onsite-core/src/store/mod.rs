//! The device's local SQLite store. The UI and CLI read only from here, so everything works
//! the same online and offline.

//!
//! One module an idea: applying a pulled page (`pull`), the job list (`list`), the job detail
//! (`detail`), a job's activity (`activity`), the op states (`op_state`), the device's clock
//! (`clock`), recording a change (`record`), rebase (`rebase`), the outbox and push queue
//! (`outbox`), attachment uploads (`uploads`), retention (`retention`), settings, confirmed
//! HQ certificates (`trusted`) and the migrations (`schema`).

mod activity;
mod clock;
mod detail;
mod list;
mod op_state;
mod outbox;
mod pull;
mod ready;
mod rebase;
mod record;
mod reference;
mod retention;
mod schema;
mod settings;
#[cfg(test)]
mod testing;
mod trusted;
mod uploads;
mod van;
mod visit;

pub use activity::Activity;
pub use detail::JobDetail;
pub use list::{JobQuery, JobRange, JobSummary};
pub use op_state::OpState;
pub use outbox::{Acked, Outbox, OutboxEntry, OutgoingOp};
pub use pull::Applied;
pub use schema::MIGRATIONS;
pub use settings::Setting;
pub use van::VanLine;
pub use visit::{
    Checklist, ChecklistSection, ItemAnswer, OfferedRemedy, UsedPart, Visit, WarrantyChoice,
};

use crate::error::Result;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "onsite.db";

/// One open device database. Safe to share between threads; each call holds the connection
/// only for its own statements.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating and migrating if needed) the store at `path`.
    ///
    /// # Errors
    /// [`crate::CoreError::SchemaTooNew`] for a file from a newer Onsite, or
    /// [`crate::CoreError::Store`].
    pub fn open(path: &Path) -> Result<Self> {
        let conn = onsite_sqlite::open(path, MIGRATIONS)?;
        // Customers' details must not stay readable in free pages once deleted.
        conn.pragma_update(None, "secure_delete", "ON")?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Leaves nothing of deleted rows in the files: rebuilds the database without free pages
    /// (which may hold rows deleted before `secure_delete` was on) and empties the
    /// write-ahead log (which holds earlier versions of pages). Another process reading at
    /// the same moment can keep the log from emptying: then it says so.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn scrub(&self) -> Result<()> {
        let conn = self.conn();
        conn.execute_batch("VACUUM")?;
        let (busy, _, _): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        if busy != 0 {
            return Err(crate::CoreError::Store(
                "another Onsite process kept the database's log from being emptied".into(),
            ));
        }
        Ok(())
    }

    /// Starts a write transaction on `conn`. `BEGIN IMMEDIATE` takes the write lock first, so
    /// when two processes share the store (the app and the CLI) the second waits its turn
    /// (the busy timeout) instead of failing with "database is locked" when a transaction
    /// that began by reading tries to write after the other one wrote.
    fn write_tx(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
        conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock rolled back its transaction on unwind.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs SQLite's integrity and foreign-key checks.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`] describing the first problem found.
    pub fn check_integrity(&self) -> Result<()> {
        let conn = self.conn();
        let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict != "ok" {
            return Err(crate::CoreError::Store(format!(
                "integrity check failed: {verdict}"
            )));
        }
        if conn.prepare("PRAGMA foreign_key_check")?.exists([])? {
            return Err(crate::CoreError::Store("foreign key check failed".into()));
        }
        Ok(())
    }
}
