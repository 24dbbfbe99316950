//! [`Device`]: one technician installation — its data folder, store, session and HQ settings.
//! Every front end (desktop, CLI, tests) goes through this type.

use crate::error::{CoreError, Result};
use crate::fingerprint::Fingerprint;
use crate::hq_client::{HqClient, HqProbe};
use crate::session::{Session, SessionFile};
use crate::store::{JobDetail, JobQuery, JobSummary, Outbox, OutboxEntry, Setting, Store};
use crate::sync::{HqLogout, SyncEngine, SyncProgress, SyncReport};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::{Change, DeviceId, OpId, Role, User};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod report;
pub mod visit;
use std::sync::Arc;

/// What the device knows about itself, for status displays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceStatus {
    /// A session is stored.
    pub logged_in: bool,
    /// Who logged in last (kept after logout or session end, to pre-fill the login form).
    pub username: Option<String>,
    /// Their display name.
    pub display_name: Option<String>,
    /// HQ's address.
    pub hq_url: Option<String>,
    /// Pinned fingerprint.
    pub fingerprint: Option<String>,
    /// This installation's id.
    pub device_id: DeviceId,
    /// Start of the last successful sync.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Jobs held locally.
    pub jobs: u64,
    /// Changes waiting to reach HQ.
    pub waiting: u64,
}

/// The folder of the desktop app's data in the OS app-data location (e.g.
/// `~/.local/share/onsite-desktop` on Linux), which the `onsite` CLI uses too unless told
/// otherwise; `None` when the OS has no such location.
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_FOLDER))
}

/// Name of the app's folder in the OS app-data location; also the desktop app's identifier.
pub const APP_FOLDER: &str = "onsite-desktop";

/// Hears that the technician recorded a change (or took one back): the sync runner, so a sync
/// follows whichever front end recorded it.
type ChangeListener = Box<dyn Fn() + Send + Sync>;

/// One technician installation.
pub struct Device {
    data_dir: PathBuf,
    store: Arc<Store>,
    session: SessionFile,
    device_id: DeviceId,
    engine: SyncEngine,
    // Reused between syncs, so its open HTTPS connection is too.
    client: std::sync::Mutex<Option<HqClient>>,
    listeners: std::sync::Mutex<Vec<ChangeListener>>,
}

impl Device {
    /// Opens the device whose data lives in `data_dir`, creating the folder, the database and
    /// the device id on first use.
    ///
    /// # Errors
    /// [`CoreError::Io`] for the folder, [`CoreError::SchemaTooNew`] or [`CoreError::Store`]
    /// for the database.
    pub fn open(data_dir: &Path) -> Result<Self> {
        onsite_sqlite::private::dir(data_dir).map_err(|source| CoreError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let store = Store::open(&data_dir.join(crate::store::DATABASE_FILE))?;
        let device_id = match store
            .setting(Setting::DeviceId)?
            .and_then(|s| s.parse().ok())
        {
            Some(id) => id,
            None => {
                let id = DeviceId::new();
                store.set_setting(Setting::DeviceId, Some(&id.to_string()))?;
                id
            }
        };
        let store = Arc::new(store);
        let session = SessionFile::new(data_dir);
        Ok(Self {
            engine: SyncEngine::new(
                store.clone(),
                session.clone(),
                device_id,
                data_dir.to_path_buf(),
            ),
            data_dir: data_dir.to_path_buf(),
            store,
            session,
            device_id,
            client: std::sync::Mutex::new(None),
            listeners: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// Calls `listener` after every change recorded on this device (and every one taken back).
    pub fn on_change(&self, listener: impl Fn() + Send + Sync + 'static) {
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(listener));
    }

    fn changed(&self) {
        for listener in self
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            listener();
        }
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The guides on this device (those for the products of the jobs held), by title, or
    /// those matching `search`, best first.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn guides(&self, search: Option<&str>) -> Result<Vec<onsite_protocol::guide::Guide>> {
        self.store.guides(search)
    }

    /// One guide by its id.
    ///
    /// # Errors
    /// [`CoreError::UnknownGuide`], [`CoreError::Store`].
    pub fn guide(&self, id: &str) -> Result<onsite_protocol::guide::Guide> {
        self.store
            .guide(id)?
            .ok_or_else(|| CoreError::UnknownGuide(id.to_string()))
    }

    /// The local store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// This installation's id.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// Logs in to HQ at `hq_url` at `now`, trusting `pin` (or the system roots when `None`).
    /// On success the session and HQ settings are stored; if a different user or HQ was used
    /// before, that one's records are dropped from the device. Once HQ has answered over a
    /// connection pinned to `pin` — even to say the password is wrong — the pin is remembered
    /// for that address ([`Device::probe`] reports it), so it is not confirmed again.
    ///
    /// # Errors
    /// [`CoreError::InvalidInput`], [`CoreError::InvalidCredentials`],
    /// [`CoreError::NotATechnician`] (a dispatcher's or admin's account: nothing on the device
    /// changes), [`CoreError::FingerprintMismatch`], [`CoreError::UntrustedCertificate`],
    /// [`CoreError::HqUnreachable`], [`CoreError::RateLimited`].
    pub async fn login(
        &self,
        hq_url: &str,
        username: &str,
        password: &str,
        pin: Option<Fingerprint>,
        now: DateTime<Utc>,
    ) -> Result<User> {
        let username = username.trim();
        if username.is_empty() {
            return Err(CoreError::InvalidInput("username is required".into()));
        }
        if password.is_empty() {
            return Err(CoreError::InvalidInput("password is required".into()));
        }
        let client = HqClient::new(hq_url, pin)?;
        let answer = client.login(username, password, self.device_id).await;
        if let Some(pin) = pin
            && matches!(answer, Ok(_) | Err(CoreError::InvalidCredentials))
        {
            self.store.trust_hq(client.url(), pin, now)?;
        }
        let tokens = answer?;
        if tokens.user.role != Role::Technician {
            // Refused before anything is stored: a technician's data on this laptop stays.
            return Err(CoreError::NotATechnician {
                name: tokens.user.display_name,
                role: tokens.user.role,
                hq: client.url().to_string(),
            });
        }
        let previous = (
            self.store.setting(Setting::HqUrl)?,
            self.store.setting(Setting::Username)?,
        );
        if previous
            != (
                Some(client.url().to_string()),
                Some(tokens.user.username.clone()),
            )
        {
            // Another technician or HQ: the previous one's unsent changes must not be lost
            // by dropping their jobs, nor sent in the new one's name.
            let waiting = self.store.waiting()?;
            if waiting > 0 {
                return Err(CoreError::UnsyncedChanges(waiting));
            }
            self.forget_hq_data()?;
        }
        self.session.save(&Session::from(&tokens))?;
        self.store.set_setting(Setting::HqUrl, Some(client.url()))?;
        self.store
            .set_setting(Setting::Fingerprint, pin.map(|p| p.to_string()).as_deref())?;
        self.store
            .set_setting(Setting::Username, Some(&tokens.user.username))?;
        self.store
            .set_setting(Setting::DisplayName, Some(&tokens.user.display_name))?;
        Ok(tokens.user)
    }

    /// Ends the session at HQ when HQ can be reached (its tokens then stop working wherever
    /// copies of them are), then forgets the session, every HQ record, every recorded change
    /// and every captured photo on the device. Settings (HQ address, username) and confirmed
    /// certificates stay to pre-fill the next login. Changes that have not reached HQ are only
    /// thrown away when `discard_unsent` says so. The answer says what happened at HQ; the
    /// device's data goes either way.
    ///
    /// # Errors
    /// [`CoreError::UnsyncedChanges`] when changes wait to be sent and `discard_unsent` is
    /// false (nothing is removed then, at HQ or here); [`CoreError::Io`] or
    /// [`CoreError::Store`].
    pub async fn logout(&self, discard_unsent: bool, now: DateTime<Utc>) -> Result<HqLogout> {
        let waiting = self.store.waiting()?;
        if waiting > 0 && !discard_unsent {
            return Err(CoreError::UnsyncedChanges(waiting));
        }
        let at_hq = match (self.session.load()?, self.client()) {
            (None, _) | (_, Err(CoreError::NotLoggedIn)) => HqLogout::NoSession,
            (Some(_), Err(e)) => HqLogout::NotReached(e.to_string()),
            (Some(_), Ok(client)) => self.engine.end_session(&client, now).await,
        };
        self.wipe()?;
        Ok(at_hq)
    }

    /// Removes what a logout removes from the device.
    fn wipe(&self) -> Result<()> {
        self.session.delete()?;
        self.forget_hq_data()?;
        self.store.set_setting(Setting::LastSyncAt, None)
    }

    /// Removes every HQ record, recorded change and captured photo, leaving nothing of them
    /// recoverable from the database files when no other process holds them open.
    fn forget_hq_data(&self) -> Result<()> {
        self.store.clear_hq_records()?;
        self.store.discard_ops()?;
        crate::attachments::remove_all(&self.data_dir)?;
        if let Err(e) = self.store.scrub() {
            // The rows are gone and their pages zeroed (`secure_delete`); only older copies
            // in the log may remain until the other process closes the store.
            tracing::warn!(error = %e, "the database could not be scrubbed after removing HQ data");
        }
        Ok(())
    }

    /// First contact with HQ at `url` (see [`crate::hq_client::probe`]), with the fingerprint the
    /// technician confirmed for that address before, if any.
    ///
    /// # Errors
    /// As [`crate::hq_client::probe`].
    pub async fn probe(&self, url: &str) -> Result<HqProbe> {
        let mut probe = crate::hq_client::probe(url).await?;
        probe.confirmed = self.store.trusted_hq(&probe.url)?.map(|fp| fp.to_string());
        Ok(probe)
    }

    /// Records a change to job `number` made at `now`: tidied ([`Change::tidy`]), checked as
    /// HQ would check it, shown in the job at once, and queued for HQ; then the change
    /// listeners hear of it. This is the one way every front end records a change.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::JobReadOnly`], [`CoreError::InvalidInput`],
    /// [`CoreError::InvalidTransition`], [`CoreError::JobClosed`], [`CoreError::Store`].
    pub fn record(&self, number: &str, change: Change, now: DateTime<Utc>) -> Result<OutboxEntry> {
        let entry = self
            .store
            .record(number, change.tidy(), self.device_id, now)?;
        self.changed();
        Ok(entry)
    }

    /// Attaches the file at `path` to job `number`, with an optional caption; the content is
    /// copied into the data folder first, so the original may go.
    ///
    /// # Errors
    /// As [`crate::attachments::capture_file`] and [`Device::record`].
    pub fn attach_file(
        &self,
        number: &str,
        path: &Path,
        caption: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        let captured = crate::attachments::capture_file(&self.data_dir, path)?;
        self.attach(number, captured, caption, now)
    }

    /// Attaches content handed over in memory (a photo picked in the app) to job `number`,
    /// with an optional caption.
    ///
    /// # Errors
    /// As [`crate::attachments::capture_bytes`] and [`Device::record`].
    pub fn attach_bytes(
        &self,
        number: &str,
        file_name: &str,
        content: &[u8],
        caption: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        let captured = crate::attachments::capture_bytes(&self.data_dir, file_name, content)?;
        self.attach(number, captured, caption, now)
    }

    fn attach(
        &self,
        number: &str,
        captured: crate::attachments::Captured,
        caption: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        self.record(
            number,
            Change::Attachment {
                sha256: captured.sha256,
                file_name: captured.file_name,
                media_type: captured.media_type.to_string(),
                bytes: captured.bytes,
                caption: caption.map(str::to_string),
            },
            now,
        )
    }

    /// Takes back a photo or document recorded on this device that has not been sent yet; its
    /// content leaves the data folder unless another change still needs it.
    ///
    /// # Errors
    /// As [`Store::withdraw`]; [`CoreError::Io`] when the content cannot be removed.
    pub fn withdraw(&self, op_id: OpId) -> Result<()> {
        let unused = self.store.withdraw(op_id)?;
        self.changed();
        if let Some(sha256) = unused {
            crate::attachments::remove(&self.data_dir, &sha256)?;
        }
        Ok(())
    }

    /// The content of a photo or document captured on this device, by its hash.
    ///
    /// # Errors
    /// As [`crate::attachments::content`].
    pub fn attachment(&self, sha256: &str) -> Result<Vec<u8>> {
        crate::attachments::content(&self.data_dir, sha256)
    }

    /// The outbox and the `recent` latest answered ops.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn outbox(&self, recent: u32) -> Result<Outbox> {
        self.store.outbox(recent)
    }

    /// The HQ client for the stored settings.
    ///
    /// # Errors
    /// [`CoreError::NotLoggedIn`] when no HQ is configured.
    pub fn client(&self) -> Result<HqClient> {
        let url = self
            .store
            .setting(Setting::HqUrl)?
            .ok_or(CoreError::NotLoggedIn)?;
        let pin = match self.store.setting(Setting::Fingerprint)? {
            Some(fp) => Some(
                fp.parse()
                    .map_err(|e| CoreError::Store(format!("stored fingerprint: {e}")))?,
            ),
            None => None,
        };
        let mut cached = self.client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = cached.as_ref().filter(|c| c.url() == url && c.pin() == pin) {
            return Ok(client.clone());
        }
        let client = HqClient::new(&url, pin)?;
        *cached = Some(client.clone());
        Ok(client)
    }

    /// Brings the local store up to date with HQ. `now` is the current time.
    ///
    /// # Errors
    /// [`CoreError::NotLoggedIn`], [`CoreError::SessionExpired`], [`CoreError::HqUnreachable`],
    /// [`CoreError::FingerprintMismatch`], [`CoreError::Store`], [`CoreError::Protocol`].
    pub async fn sync(
        &self,
        now: DateTime<Utc>,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let client = self.client()?;
        self.engine.run(&client, now, progress).await
    }

    /// The local job list; SLA states judged at `now`.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn jobs(&self, query: &JobQuery, now: DateTime<Utc>) -> Result<Vec<JobSummary>> {
        self.store.jobs(query, now)
    }

    /// How many jobs `query` matches, whatever its paging.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn count_jobs(&self, query: &JobQuery) -> Result<u64> {
        self.store.count_jobs(query)
    }

    /// One job in full; SLA judged at `now`, warranty on `today` (the local date).
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`] or [`CoreError::Store`].
    pub fn job(&self, number: &str, now: DateTime<Utc>, today: NaiveDate) -> Result<JobDetail> {
        self.store.job_detail(number, now, today)
    }

    /// What the device knows about itself.
    ///
    /// # Errors
    /// [`CoreError::Store`] or [`CoreError::Io`].
    pub fn status(&self) -> Result<DeviceStatus> {
        Ok(DeviceStatus {
            logged_in: self.logged_in()?,
            username: self.store.setting(Setting::Username)?,
            display_name: self.store.setting(Setting::DisplayName)?,
            hq_url: self.store.setting(Setting::HqUrl)?,
            fingerprint: self.store.setting(Setting::Fingerprint)?,
            device_id: self.device_id,
            last_sync_at: self.last_sync_at()?,
            jobs: self.store.job_count()?,
            waiting: self.store.waiting()?,
        })
    }

    /// Whether a session is stored (reads only the session file).
    ///
    /// # Errors
    /// [`CoreError::Io`] when the session file cannot be read.
    pub fn logged_in(&self) -> Result<bool> {
        Ok(self.session.load()?.is_some())
    }

    /// Start of the last successful sync, if any.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn last_sync_at(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .store
            .setting(Setting::LastSyncAt)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_id_is_minted_once() {
        let dir = tempfile::tempdir().unwrap();
        let first = Device::open(dir.path()).unwrap().device_id();
        let again = Device::open(dir.path()).unwrap().device_id();
        assert_eq!(first, again);
        let status = Device::open(dir.path()).unwrap().status().unwrap();
        assert!(!status.logged_in);
        assert_eq!((status.jobs, status.last_sync_at), (0, None));
    }

    #[tokio::test]
    async fn sync_without_login_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        let err = device.sync(Utc::now(), &|_| {}).await.unwrap_err();
        assert_eq!(err.code(), "not_logged_in");
    }

    #[tokio::test]
    async fn login_checks_input_before_the_network() {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        for (url, user, pass) in [
            ("http://x", "u", "p"),
            ("https://x", " ", "p"),
            ("https://x", "u", ""),
        ] {
            let err = device
                .login(url, user, pass, None, Utc::now())
                .await
                .unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{url} {user} {pass}");
        }
    }
}
