//! Starting and stopping HQ: data folder, storage, TLS, and the HTTPS listener.

use crate::blobs::BlobStore;
use crate::connections::{ConnectionLimits, Guard};
use crate::routes::{AppState, router};
use crate::storage::StorageError;
use crate::storage::postgres::PostgresStorage;
use crate::storage::sqlite::SqliteStorage;
use crate::tls::{self, TlsError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "onsite-hq.db";
/// The folder of attachment content inside the data folder.
pub const BLOBS_DIR: &str = "blobs";
/// The folder for the self-signed certificate inside the data folder.
pub const TLS_DIR: &str = "tls";
/// An upload left unfinished this long is removed when HQ starts.
pub const ABANDONED_UPLOAD: Duration = Duration::from_secs(7 * 86_400);
/// How long in-flight requests get to finish on shutdown.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Why HQ could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data folder could not be created.
    #[error("cannot create data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// TLS could not be set up.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Mail cannot be set up.
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What failed.
        source: std::io::Error,
    },
}

/// Where the certificate comes from.
#[derive(Clone, Debug, Default)]
pub enum CertSource {
    /// Self-signed, created in the data folder on first start.
    #[default]
    SelfSigned,
    /// PEM files of a real certificate chain and its key.
    Files {
        /// Certificate chain, leaf first.
        cert: PathBuf,
        /// Private key.
        key: PathBuf,
    },
}

/// Where HQ's records are kept.
#[derive(Clone, Debug)]
pub enum Database {
    /// The embedded SQLite file in this data folder (created if missing).
    Embedded(PathBuf),
    /// A PostgreSQL database (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`) that several HQ
    /// processes may share.
    Shared(String),
}

impl Database {
    /// Opens the records, creating and migrating them if needed.
    ///
    /// # Errors
    /// [`ServeError::DataDir`] or [`ServeError::Storage`].
    pub async fn open(&self) -> Result<Arc<dyn crate::storage::Storage>, ServeError> {
        Ok(match self {
            Self::Embedded(dir) => Arc::new(open_storage(dir)?),
            Self::Shared(url) => Arc::new(PostgresStorage::open(url).await?),
        })
    }
}

/// What `onsite-hq serve` needs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Data folder (the self-signed certificate; the embedded database unless `database`
    /// names another; attachments unless `blobs_dir` does); created if missing.
    pub data_dir: PathBuf,
    /// A shared PostgreSQL database instead of the data folder's embedded one.
    pub database: Option<String>,
    /// The attachment folder instead of the data folder's: one folder every HQ process on a
    /// shared database sees, so an upload may continue on another process.
    pub blobs_dir: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Certificate.
    pub cert: CertSource,
    /// How many connections HQ holds, and for how long.
    pub limits: ConnectionLimits,
    /// The SMTP relay letters go through; without one they wait in the outbox.
    pub mail: Option<crate::mail::MailConfig>,
}

/// Opens (creating the folder and database if needed) the storage in `data_dir`.
///
/// # Errors
/// [`ServeError::DataDir`] or [`ServeError::Storage`].
pub fn open_storage(data_dir: &Path) -> Result<SqliteStorage, ServeError> {
    onsite_sqlite::private::dir(data_dir).map_err(|source| ServeError::DataDir {
        path: data_dir.to_path_buf(),
        source,
    })?;
    Ok(SqliteStorage::open(&data_dir.join(DATABASE_FILE))?)
}

/// A running HQ.
pub struct RunningHq {
    /// The bound address (with the real port when 0 was asked).
    pub addr: SocketAddr,
    /// `sha256:<hex>` of the served certificate.
    pub fingerprint: String,
    handle: axum_server::Handle<SocketAddr>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    mailer: Option<tokio::task::JoinHandle<()>>,
}

impl RunningHq {
    /// The base URL, `https://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits.
    pub async fn shutdown(self) {
        if let Some(mailer) = &self.mailer {
            // A letter being handed over stays `sending`, so it is never sent twice.
            mailer.abort();
        }
        self.handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
        if let Ok(Err(e)) = self.task.await {
            tracing::error!(error = %e, "server stopped with an error");
        }
    }
}

/// Starts HQ and returns once it is listening.
///
/// # Errors
/// [`ServeError`] saying which part could not start.
pub async fn start(config: ServeConfig) -> Result<RunningHq, ServeError> {
    onsite_sqlite::private::dir(&config.data_dir).map_err(|source| ServeError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let storage = match &config.database {
        Some(url) => Database::Shared(url.clone()),
        None => Database::Embedded(config.data_dir.clone()),
    }
    .open()
    .await?;
    let identity = match &config.cert {
        CertSource::SelfSigned => {
            tls::load_or_create(&config.data_dir.join(TLS_DIR), chrono::Utc::now())?
        }
        CertSource::Files { cert, key } => tls::load(cert, key)?,
    };
    let fingerprint = identity.fingerprint.clone();
    let rustls = axum_server::tls_rustls::RustlsConfig::from_config(tls::server_config(identity)?);
    let bind = |source| ServeError::Bind {
        addr: config.listen,
        source,
    };
    let listener = std::net::TcpListener::bind(config.listen).map_err(bind)?;
    listener.set_nonblocking(true).map_err(bind)?;
    let addr = listener.local_addr().map_err(bind)?;
    let blobs_dir = config
        .blobs_dir
        .clone()
        .unwrap_or_else(|| config.data_dir.join(BLOBS_DIR));
    let blobs = BlobStore::open(&blobs_dir).map_err(|source| ServeError::DataDir {
        path: blobs_dir.clone(),
        source,
    })?;
    let week_ago = std::time::SystemTime::now() - ABANDONED_UPLOAD;
    match blobs.sweep(week_ago) {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "removed uploads abandoned for a week"),
        Err(e) => tracing::warn!(error = %e, "could not sweep abandoned uploads"),
    }
    let mailer = config
        .mail
        .clone()
        .map(crate::mail::Mailer::new)
        .transpose()?;
    let blobs = Arc::new(blobs);
    // Sharing the database, another process may be handing a letter over right now: only
    // one claimed longer ago than any hand-over takes is left over from a stop.
    let claimed_before = match &config.database {
        Some(_) => chrono::Utc::now() - crate::mail::HAND_OVER_LIMIT,
        None => chrono::Utc::now(),
    };
    match storage.unconfirm_letters(claimed_before).await? {
        0 => {}
        n => tracing::warn!(
            count = n,
            "letters were being sent when HQ stopped; they are unconfirmed and wait to be \
             checked and resent by hand"
        ),
    }
    if config.mail.is_none() {
        tracing::info!("no --smtp relay: thank-you letters wait in the outbox (GET /api/v1/mail)");
    }
    let mailer = mailer.map(|m| tokio::spawn(m.run(storage.clone(), blobs.clone())));
    let mut state = AppState::new(storage.clone(), blobs);
    if config.database.is_some() {
        // Processes behind one address count failed logins together.
        state.throttle = Arc::new(crate::throttle::Throttle::Shared(storage));
    }
    let app = router(state);
    let handle = axum_server::Handle::new();
    let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(rustls)
        .handshake_timeout(config.limits.handshake)
        .acceptor(Guard::new(config.limits));
    let mut server = axum_server::from_tcp(listener)
        .map_err(bind)?
        .acceptor(acceptor)
        .first_request_timeout(config.limits.first_request)
        .handle(handle.clone());
    server
        .http_builder()
        .http1()
        .header_read_timeout(config.limits.header_read);
    let task = tokio::spawn(async move {
        server
            .serve(app.into_make_service_with_connect_info::<SocketAddr>())
            .await
    });
    Ok(RunningHq {
        addr,
        fingerprint,
        handle,
        task,
        mailer,
    })
}
