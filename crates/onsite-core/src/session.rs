//! The device's HQ session tokens, kept in a file readable only by the user (`session.json`,
//! mode 0600) in the data folder. Written atomically: a crash leaves the old or the new file.

use crate::error::{CoreError, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name inside the data folder.
pub const SESSION_FILE: &str = "session.json";

/// The lock file that makes refreshes take turns, across processes (the app and the CLI
/// share a data folder): a refresh token works once, so two processes presenting it at once
/// would make HQ think it was copied.
pub const REFRESH_LOCK_FILE: &str = "session.lock";

/// Longest a refresh waits for another process's; then it goes ahead (HQ's grace window
/// covers a race), rather than leave a sync hanging behind a stuck process.
const REFRESH_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Tokens for talking to HQ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Bearer token.
    pub access_token: String,
    /// When it stops working.
    pub access_expires_at: DateTime<Utc>,
    /// One-time token for the next pair.
    pub refresh_token: String,
    /// When the user must log in again.
    pub refresh_expires_at: DateTime<Utc>,
}

impl From<&onsite_protocol::api::Tokens> for Session {
    fn from(t: &onsite_protocol::api::Tokens) -> Self {
        Self {
            access_token: t.access_token.clone(),
            access_expires_at: t.access_expires_at,
            refresh_token: t.refresh_token.clone(),
            refresh_expires_at: t.refresh_expires_at,
        }
    }
}

/// Where the session of one data folder lives.
#[derive(Clone, Debug)]
pub struct SessionFile {
    path: PathBuf,
    lock: PathBuf,
}

/// This process's turn to refresh the session; the turn passes on when it is dropped.
#[derive(Debug)]
pub struct RefreshTurn {
    // The OS releases the lock when the file is closed.
    _file: Option<std::fs::File>,
}

impl SessionFile {
    /// The session file of `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(SESSION_FILE),
            lock: data_dir.join(REFRESH_LOCK_FILE),
        }
    }

    /// Waits for this process's turn to refresh (see [`REFRESH_LOCK_FILE`]): at most
    /// [`REFRESH_LOCK_WAIT`], after which the turn is taken anyway. Whoever holds the turn must
    /// read the session again: another process may have refreshed it meanwhile.
    ///
    /// # Errors
    /// When the lock file cannot be opened.
    pub async fn refresh_turn(&self) -> Result<RefreshTurn> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&self.lock).map_err(|e| CoreError::Io {
            path: self.lock.clone(),
            source: e,
        })?;
        let deadline = tokio::time::Instant::now() + REFRESH_LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(RefreshTurn { _file: Some(file) }),
                Err(std::fs::TryLockError::WouldBlock)
                    if tokio::time::Instant::now() < deadline =>
                {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "refreshing without waiting for another process");
                    return Ok(RefreshTurn { _file: None });
                }
            }
        }
    }

    fn io(&self, source: std::io::Error) -> CoreError {
        CoreError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// The stored session, if any. An unreadable file counts as no session.
    ///
    /// # Errors
    /// Only when the file exists and cannot be read.
    pub fn load(&self) -> Result<Option<Session>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(e)),
        }
    }

    /// Replaces the stored session.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn save(&self, session: &Session) -> Result<()> {
        use std::io::Write;
        let tmp = self.path.with_extension("json.tmp");
        let bytes =
            serde_json::to_vec_pretty(session).map_err(|e| CoreError::Store(e.to_string()))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(|e| self.io(e))?;
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io(e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.io(e))
    }

    /// Forgets the session.
    ///
    /// # Errors
    /// When the file exists and cannot be removed.
    pub fn delete(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.io(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_delete_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let file = SessionFile::new(dir.path());
        assert_eq!(file.load().unwrap(), None);
        let s = Session {
            access_token: "a".into(),
            access_expires_at: Utc::now(),
            refresh_token: "r".into(),
            refresh_expires_at: Utc::now(),
        };
        file.save(&s).unwrap();
        assert_eq!(file.load().unwrap(), Some(s));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SESSION_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        file.delete().unwrap();
        file.delete().unwrap();
        assert_eq!(file.load().unwrap(), None);
    }

    #[tokio::test]
    async fn refreshes_take_turns_across_open_files() {
        let dir = tempfile::tempdir().unwrap();
        let (one, two) = (SessionFile::new(dir.path()), SessionFile::new(dir.path()));
        let first = one.refresh_turn().await.unwrap();
        let waiting = tokio::spawn(async move { two.refresh_turn().await.unwrap() });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(
            !waiting.is_finished(),
            "the second waits while the first holds the turn"
        );
        drop(first);
        let second = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .expect("the turn passes on")
            .unwrap();
        assert!(second._file.is_some());
    }
}
