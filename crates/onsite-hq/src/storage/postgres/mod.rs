//! The shared storage engine: one PostgreSQL database that several HQ processes use at once.
//!
//! Every call borrows a connection from a pool and runs one transaction. Unlike the embedded
//! engine, writers run concurrently, so what SQLite keeps by having one writer is kept here
//! by the database: positions readers page by are taken under one row lock held to commit
//! (`feed.rs`), op ids are unique in the schema, and migrations run under an advisory lock so
//! that processes starting together migrate once (`migrate.rs`).
//!
//! Writes run one at a time across every process: each write transaction first locks the
//! `position` counter row (`feed::lock_writes`), which it would take for its positions anyway.
//! That keeps the embedded engine's single-writer reasoning whole (read-judge-write needs no
//! per-method locking, and a write sees every write committed before it) while reads run in
//! parallel, each in one repeatable-read snapshot. The few writes that touch nothing a reader
//! pages by and stand alone (a console session's last-seen time) skip the lock.
//!
//! Its modules mirror the embedded engine's, one for one and with the same functions, so a
//! change to one engine's SQL is found beside the other's; the conformance suite runs on both.

/// Runs `$body`, a future using `$tx` (a write transaction holding the write lock), and
/// commits what it did; on an error the transaction is rolled back as it drops.
macro_rules! write {
    ($self:expr, |$tx:ident| $body:expr) => {{
        let mut connection = $self.connection().await?;
        let $tx = connection.transaction().await?;
        $crate::storage::postgres::feed::lock_writes(&$tx).await?;
        let out = $body.await?;
        $tx.commit().await?;
        Ok::<_, $crate::storage::StorageError>(out)
    }};
}

/// As [`write!`], without the write lock: for one statement that stands alone.
macro_rules! unordered {
    ($self:expr, |$tx:ident| $body:expr) => {{
        let mut connection = $self.connection().await?;
        let $tx = connection.transaction().await?;
        let out = $body.await?;
        $tx.commit().await?;
        Ok::<_, $crate::storage::StorageError>(out)
    }};
}

/// Runs `$body`, a future using `$tx`, in one read-only repeatable-read snapshot.
macro_rules! read {
    ($self:expr, |$tx:ident| $body:expr) => {{
        let mut connection = $self.connection().await?;
        let $tx = connection
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let out = $body.await?;
        $tx.commit().await?;
        Ok::<_, $crate::storage::StorageError>(out)
    }};
}

mod board;
mod cases;
mod clock;
mod console_sessions;
mod corrections;
mod engine;
pub mod feed;
mod feedback;
mod fills;
mod follow_ups;
mod job_rows;
mod jobs;
mod letters;
mod login_failures;
mod migrate;
pub mod moving_up;
mod ops;
mod recorded;
mod reference;
mod reference_pull;
mod rows;
mod schema;
mod sessions;
mod settings;
mod stock;
mod suggest;
#[cfg(test)]
pub mod testing;
#[cfg(test)]
mod tests;
mod users;
mod visit;

pub use schema::MIGRATIONS;

use super::{Result, StorageError};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::str::FromStr;
use tokio_postgres::NoTls;

/// Connections one HQ process keeps to the database at most. Several processes share the
/// server's `max_connections` (100 by default), so each takes a modest share.
pub const MAX_CONNECTIONS: usize = 16;

impl From<tokio_postgres::Error> for StorageError {
    fn from(e: tokio_postgres::Error) -> Self {
        // The server's own words and SQLSTATE; the driver's Display says only "db error".
        match e.as_db_error() {
            Some(db) => {
                StorageError::Backend(format!("database: {} ({})", db.message(), db.code().code()))
            }
            None => StorageError::Backend(e.to_string()),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StorageError::Backend(format!("no database connection: {e}"))
    }
}

/// [`Storage`](super::Storage) on a PostgreSQL database. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PostgresStorage {
    pool: Pool,
    instance: String,
    token_key: [u8; 32],
}

impl std::fmt::Debug for PostgresStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold a password.
        f.debug_struct("PostgresStorage")
            .field("instance", &self.instance)
            .finish_non_exhaustive()
    }
}

impl PostgresStorage {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`),
    /// migrating it first if its schema is older than this build's.
    ///
    /// # Errors
    /// [`StorageError::Open`] for a URL that does not parse, a server that cannot be reached
    /// or refuses the login, and a schema from a newer build.
    pub async fn open(url: &str) -> Result<Self> {
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StorageError::Open(format!("the database URL is not valid: {e}")))?;
        let mut client = connect(&config).await?;
        migrate::to_latest(&mut client, MIGRATIONS).await?;
        let (instance, token_key) = migrate::identity(&mut client).await?;
        drop(client);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(MAX_CONNECTIONS)
            .build()
            .map_err(|e| StorageError::Open(format!("cannot make the connection pool: {e}")))?;
        Ok(Self {
            pool,
            instance,
            token_key,
        })
    }

    /// This installation's id, made when the database was first migrated: a device that
    /// finds another one is talking to a different HQ.
    #[must_use]
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The key tokens and calendar addresses are derived under, shared by every process.
    #[must_use]
    pub fn token_key(&self) -> &[u8; 32] {
        &self.token_key
    }

    /// A connection from the pool.
    ///
    /// # Errors
    /// [`StorageError::Backend`] when none comes free in time or the server is gone.
    pub async fn connection(&self) -> Result<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }
}

/// One connection outside the pool, its driver task spawned.
async fn connect(config: &tokio_postgres::Config) -> Result<tokio_postgres::Client> {
    let (client, connection) = config
        .connect(NoTls)
        .await
        .map_err(|e| StorageError::Open(format!("cannot reach the database: {e}")))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!("database connection ended: {e}");
        }
    });
    Ok(client)
}
