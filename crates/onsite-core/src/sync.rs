//! The sync engine. One sync uploads the content of captured attachments, pushes the outbox,
//! then pulls HQ's changes. Each step commits as it goes — an attachment's progress is what HQ
//! holds, an op leaves the outbox only with HQ's answer, a page is applied with its cursor — so
//! a cut connection or a killed process resumes where the last committed step ended.

mod push;
mod upload;

use crate::error::{CoreError, Result};
use crate::hq_client::HqClient;
use crate::session::{Session, SessionFile};
use crate::store::{Setting, Store};
use chrono::{DateTime, Utc};
use onsite_protocol::DeviceId;
use onsite_protocol::api::PullQuery;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the sync is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    /// Checking the session, refreshing tokens.
    Connecting,
    /// Sending attachment content; `done`/`total` count bytes.
    Uploading,
    /// Sending the outbox; `done`/`total` count ops.
    Pushing,
    /// Downloading HQ's changes.
    Pulling,
    /// Finished successfully.
    Done,
}

/// Progress reported while syncing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    /// Current phase.
    pub phase: SyncPhase,
    /// Items handled so far in this phase.
    pub done: u64,
    /// Items expected in this phase, when known.
    pub total: Option<u64>,
}

/// What one sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    /// Attachment bytes sent (a resumed upload sends only what HQ lacked).
    pub uploaded_bytes: u64,
    /// Attachments HQ now holds in full.
    pub uploaded: u64,
    /// Push requests made.
    pub batches: u32,
    /// Ops HQ merged (or had merged before).
    pub applied: u64,
    /// Ops HQ kept as conflicts.
    pub conflicts: u64,
    /// Ops HQ refused.
    pub rejected: u64,
    /// Pages pulled (requests made to the pull endpoint).
    pub pages: u32,
    /// Jobs received (new or changed).
    pub jobs_received: u64,
    /// Jobs dropped because they are no longer assigned to this technician.
    pub jobs_removed: u64,
    /// Reference records received (parts, template and policy versions, guides).
    pub reference_received: u64,
    /// True when HQ told the device to start over (HQ database replaced).
    pub reset: bool,
    /// Wall time.
    pub elapsed: Duration,
}

/// How long the device keeps the outcome of an op HQ answered, for the outbox list.
pub const KEEP_ANSWERED: chrono::Duration = chrono::Duration::days(30);

/// Longest a logout waits for HQ before saying it could not be reached: the technician is
/// leaving, and the local data goes either way.
const LOGOUT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// What became of a logout at HQ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "at_hq", content = "reason", rename_all = "snake_case")]
pub enum HqLogout {
    /// HQ ended the session: its tokens no longer work anywhere.
    Ended,
    /// HQ had already ended it (expired, revoked).
    AlreadyEnded,
    /// There was no session on the device.
    NoSession,
    /// HQ could not be reached or refused; its tokens work at HQ until they expire or an admin
    /// revokes the session. Why, in words.
    NotReached(String),
}

/// Refresh the access token when it has less than this left.
const REFRESH_MARGIN: chrono::Duration = chrono::Duration::seconds(60);

/// What a sync works with: the device's store, its session file, its id and its data folder
/// (where captured attachments are). Built from those parts, not from the whole device.
#[derive(Clone)]
pub struct SyncEngine {
    store: Arc<Store>,
    session: SessionFile,
    device_id: DeviceId,
    data_dir: PathBuf,
}

type Fetch = tokio::task::JoinHandle<Result<onsite_protocol::api::PullPage>>;

fn fetch(client: &HqClient, token: &str, cursor: Option<String>) -> Fetch {
    let (client, token) = (client.clone(), token.to_string());
    tokio::spawn(async move {
        client
            .pull(
                &token,
                &PullQuery {
                    cursor,
                    limit: None,
                    // Pages merge ops by id (`Store::apply_pull`).
                    ops_since: Some(true),
                    // Kept by `Store::apply_pull`: the first pull that asks gets all that
                    // applies.
                    reference: Some(true),
                },
            )
            .await
    })
}

/// Aborts a download that is no longer wanted when the sync stops early.
struct AbortOnDrop(Option<Fetch>);

impl AbortOnDrop {
    fn take(mut self) -> Fetch {
        self.0.take().expect("taken once")
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(f) = &self.0 {
            f.abort();
        }
    }
}

/// The authenticated channel a sync talks to HQ over: the client and an access token,
/// refreshed once if HQ says it has ended early.
pub(crate) struct Channel<'a> {
    pub engine: &'a SyncEngine,
    pub client: &'a HqClient,
    pub now: DateTime<Utc>,
    pub token: String,
    refreshed: bool,
}

impl Channel<'_> {
    /// Takes a failed call's error: after a first `SessionExpired` the token is refreshed and
    /// the caller retries; any other error (or a second expiry) is returned.
    pub async fn recover(&mut self, err: CoreError) -> Result<()> {
        match err {
            CoreError::SessionExpired if !self.refreshed => {
                self.refreshed = true;
                self.token = self
                    .engine
                    .access_token(self.client, self.now, Some(&self.token))
                    .await?;
                Ok(())
            }
            other => Err(other),
        }
    }
}

impl SyncEngine {
    /// An engine over these parts of a device.
    pub fn new(
        store: Arc<Store>,
        session: SessionFile,
        device_id: DeviceId,
        data_dir: PathBuf,
    ) -> Self {
        Self {
            store,
            session,
            device_id,
            data_dir,
        }
    }

    /// A usable access token: the stored one, unless it is about to expire or is `refused`
    /// (HQ turned it down), in which case the session is refreshed first — one process at a
    /// time, and only if no other process refreshed it meanwhile. A refresh HQ refuses ends
    /// the session (the file goes; local data stays).
    async fn access_token(
        &self,
        client: &HqClient,
        now: DateTime<Utc>,
        refused: Option<&str>,
    ) -> Result<String> {
        let usable = |s: &Session| {
            s.access_expires_at > now + REFRESH_MARGIN && Some(s.access_token.as_str()) != refused
        };
        let session = self.session.load()?.ok_or(CoreError::NotLoggedIn)?;
        if usable(&session) {
            return Ok(session.access_token);
        }
        let _turn = self.session.refresh_turn().await?;
        let session = self.session.load()?.ok_or(CoreError::NotLoggedIn)?;
        if usable(&session) {
            return Ok(session.access_token);
        }
        match client.refresh(&session.refresh_token, self.device_id).await {
            Ok(tokens) => {
                self.session.save(&Session::from(&tokens))?;
                Ok(tokens.access_token)
            }
            Err(CoreError::SessionExpired) => {
                // The session is dead at HQ; local data stays, the user logs in again.
                self.session.delete()?;
                Err(CoreError::SessionExpired)
            }
            Err(e) => Err(e),
        }
    }

    /// Ends this device's session at HQ, so its tokens stop working wherever copies of them
    /// are; the session file itself is left to the caller. Never fails: what happened is the
    /// answer.
    pub async fn end_session(&self, client: &HqClient, now: DateTime<Utc>) -> HqLogout {
        let attempt = async {
            let mut channel = Channel {
                engine: self,
                client,
                now,
                token: self.access_token(client, now, None).await?,
                refreshed: false,
            };
            loop {
                match client.logout(&channel.token).await {
                    Err(e) => channel.recover(e).await?,
                    done => return done,
                }
            }
        };
        match tokio::time::timeout(LOGOUT_WAIT, attempt).await {
            Ok(Ok(())) => HqLogout::Ended,
            Ok(Err(CoreError::NotLoggedIn)) => HqLogout::NoSession,
            Ok(Err(CoreError::SessionExpired)) => HqLogout::AlreadyEnded,
            Ok(Err(CoreError::HqUnreachable { url, reason })) => {
                HqLogout::NotReached(format!("{url} unreachable: {reason}"))
            }
            Ok(Err(e)) => HqLogout::NotReached(e.to_string()),
            Err(_) => HqLogout::NotReached(format!(
                "HQ did not answer within {} s",
                LOGOUT_WAIT.as_secs()
            )),
        }
    }

    /// Uploads, pushes, then pulls until HQ has nothing more. `now` is when the sync started;
    /// it is recorded as the last successful sync, since the local data is at least that fresh.
    ///
    /// # Errors
    /// [`CoreError::NotLoggedIn`], [`CoreError::SessionExpired`],
    /// [`CoreError::HqUnreachable`], [`CoreError::FingerprintMismatch`], [`CoreError::Store`],
    /// [`CoreError::Protocol`].
    #[tracing::instrument(name = "sync", skip_all, fields(device = %self.device_id, hq = %client.url()))]
    pub async fn run(
        &self,
        client: &HqClient,
        now: DateTime<Utc>,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let started = Instant::now();
        progress(SyncProgress {
            phase: SyncPhase::Connecting,
            done: 0,
            total: None,
        });
        let token = self.access_token(client, now, None).await?;
        let mut channel = Channel {
            engine: self,
            client,
            now,
            token,
            refreshed: false,
        };
        let mut report = SyncReport::default();
        upload::run(&mut channel, &mut report, progress).await?;
        push::run(&mut channel, &mut report, progress).await?;
        pull(&mut channel, &mut report, progress).await?;
        self.store
            .set_setting(Setting::LastSyncAt, Some(&now.to_rfc3339()))?;
        self.store.forget_answered(now - KEEP_ANSWERED)?;
        report.elapsed = started.elapsed();
        tracing::info!(elapsed_ms = report.elapsed.as_millis() as u64, "sync done");
        let done = report.jobs_received + report.jobs_removed;
        progress(SyncProgress {
            phase: SyncPhase::Done,
            done,
            total: Some(done),
        });
        Ok(report)
    }
}

/// Pulls pages until HQ has nothing more.
#[tracing::instrument(name = "pull", skip_all)]
async fn pull(
    channel: &mut Channel<'_>,
    report: &mut SyncReport,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<()> {
    let (engine, client) = (channel.engine, channel.client);
    progress(SyncProgress {
        phase: SyncPhase::Pulling,
        done: 0,
        total: None,
    });
    // While one page is being applied the next is already downloading; pages are still
    // committed strictly in order, and a failed apply cancels the download in flight.
    let mut cursor = engine.store.setting(Setting::Cursor)?;
    let mut in_flight = fetch(client, &channel.token, cursor.clone());
    loop {
        let page = match in_flight
            .await
            .map_err(|e| CoreError::Protocol(e.to_string()))?
        {
            Err(e) => {
                channel.recover(e).await?;
                in_flight = fetch(client, &channel.token, cursor.clone());
                continue;
            }
            Ok(page) => page,
        };
        let more = page.more;
        report.reset |= page.reset;
        cursor = Some(page.cursor.clone());
        let next = more.then(|| AbortOnDrop(Some(fetch(client, &channel.token, cursor.clone()))));
        let store = engine.store.clone();
        let applied = tokio::task::spawn_blocking(move || store.apply_pull(&page))
            .await
            .map_err(|e| CoreError::Store(e.to_string()))??;
        report.pages += 1;
        report.jobs_received += applied.jobs as u64;
        report.jobs_removed += applied.removed as u64;
        report.reference_received += applied.reference as u64;
        progress(SyncProgress {
            phase: SyncPhase::Pulling,
            done: report.jobs_received + report.jobs_removed,
            total: None,
        });
        match next {
            Some(n) => in_flight = n.take(),
            None => break,
        }
    }
    tracing::info!(
        pages = report.pages,
        jobs = report.jobs_received,
        removed = report.jobs_removed,
        reset = report.reset,
        "pulled"
    );
    Ok(())
}
