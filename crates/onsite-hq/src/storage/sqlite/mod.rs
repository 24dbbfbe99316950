//! The embedded storage engine: one SQLite file in HQ's data folder.
//!
//! One writer connection behind a mutex, with every write in a `BEGIN IMMEDIATE`
//! transaction; a small pool of reader connections, each read in its own snapshot.

mod clock;
mod corrections;
mod feed;
mod jobs;
mod matching;
mod ops;
mod rows;
mod schema;
mod sessions;
#[cfg(test)]
mod tests;
mod users;

pub use schema::MIGRATIONS;

use super::*;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Readers kept open between requests; more are opened on demand and dropped after use.
const POOLED_READERS: usize = 8;

/// [`Storage`] on one SQLite file.
pub struct SqliteStorage {
    path: PathBuf,
    instance: String,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl SqliteStorage {
    /// Opens (creating and migrating if needed) the database at `path`.
    ///
    /// # Errors
    /// [`StorageError::Open`] when the file cannot be opened or is from a newer build.
    pub fn open(path: &Path) -> Result<Self> {
        let writer = onsite_sqlite::open(path, MIGRATIONS)?;
        // An answer to a push lets the device delete its copy of the ops: a commit must
        // survive a power cut, not only a crash.
        writer.pragma_update(None, "synchronous", "FULL")?;
        let instance =
            writer.query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| {
                r.get(0)
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            instance,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Runs `f` in a write transaction and commits it; rolls back on error.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        // A poisoned lock means a panic mid-transaction; the transaction was rolled back when
        // dropped, so the connection is still sound.
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in a read transaction (one consistent snapshot).
    fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let pooled = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut conn = match pooled {
            Some(c) => c,
            None => onsite_sqlite::open_migrated(&self.path, MIGRATIONS)?,
        };
        let out = {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx);
            // Read-only: finishing the transaction cannot lose anything.
            tx.finish()?;
            out
        };
        let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < POOLED_READERS {
            pool.push(conn);
        }
        out
    }
}

impl Storage for SqliteStorage {
    fn instance_id(&self) -> &str {
        &self.instance
    }

    fn ping(&self) -> Result<()> {
        self.read(|tx| Ok(tx.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    fn add_user(&self, user: NewUser, now: DateTime<Utc>) -> Result<User> {
        self.write(|tx| users::add(tx, user, now))
    }

    fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        self.read(|tx| users::credentials(tx, username))
    }

    fn create_session(
        &self,
        username: &str,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| sessions::create(tx, username, device_id, tokens, now))
    }

    fn session(&self, access_hash: &TokenHash) -> Result<Option<SessionInfo>> {
        self.read(|tx| sessions::by_access(tx, access_hash))
    }

    fn rotate_session(
        &self,
        refresh_hash: &TokenHash,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<Refresh> {
        self.write(|tx| sessions::rotate(tx, refresh_hash, device_id, tokens, now))
    }

    fn import_jobs(&self, lines: &[(usize, JobInput)], now: DateTime<Utc>) -> Result<ImportReport> {
        self.write(|tx| jobs::import(tx, lines, now))
    }

    fn create_job(&self, input: &JobInput, now: DateTime<Utc>) -> Result<JobView> {
        self.write(|tx| jobs::create(tx, input, now))
    }

    fn update_job(&self, id: JobId, patch: &JobPatch, now: DateTime<Utc>) -> Result<JobView> {
        self.write(|tx| jobs::update(tx, id, patch, now))
    }

    fn assign_job(
        &self,
        id: JobId,
        technician: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        self.write(|tx| jobs::assign(tx, id, technician, now))
    }

    fn cancel_job(&self, id: JobId, reason: Option<&str>, now: DateTime<Utc>) -> Result<JobView> {
        self.write(|tx| jobs::cancel(tx, id, reason, now))
    }

    fn job(&self, id: JobId) -> Result<JobView> {
        self.read(|tx| {
            rows::view(
                tx,
                rows::job_by_id(tx, id)?.ok_or(StorageError::NotFound("job"))?,
            )
        })
    }

    fn job_by_number(&self, number: &str) -> Result<JobView> {
        self.read(|tx| {
            rows::view(
                tx,
                rows::job_by_number(tx, number.trim())?.ok_or(StorageError::NotFound("job"))?,
            )
        })
    }

    fn list_jobs(&self, query: &JobListQuery, max_limit: u32) -> Result<JobList> {
        self.read(|tx| rows::list(tx, query, max_limit))
    }

    fn pull(
        &self,
        technician: &str,
        after: Option<i64>,
        limit: u32,
    ) -> Result<(PullPage, FeedPosition)> {
        let (page, seq) = self.read(|tx| feed::page(tx, technician, after, limit))?;
        Ok((
            page,
            FeedPosition {
                instance: self.instance.clone(),
                seq,
            },
        ))
    }

    fn push(
        &self,
        pusher: &Pusher,
        ops: &[serde_json::Value],
        blobs: BlobSizes<'_>,
        now: DateTime<Utc>,
    ) -> Result<PushResponse> {
        self.write(|tx| ops::push(tx, pusher, ops, blobs, now))
    }

    fn job_ops(&self, id: JobId) -> Result<JobOps> {
        self.read(|tx| ops::job_ops(tx, id))
    }

    fn conflicts(&self, all: bool) -> Result<Vec<ConflictView>> {
        self.read(|tx| ops::conflicts(tx, all))
    }

    fn resolve_conflict(
        &self,
        op_id: OpId,
        resolution: Resolution,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<ConflictView> {
        self.write(|tx| ops::resolve(tx, op_id, resolution, note, by, now))
    }

    fn received_ops(&self, after: Option<i64>, limit: u32) -> Result<ReceivedOps> {
        self.read(|tx| ops::received(tx, after, limit))
    }
}
