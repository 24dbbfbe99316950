//! The sync engine. For now it pulls: pages of HQ changes since the stored cursor, each page
//! applied with its cursor in one transaction, so a cut connection or a killed process resumes
//! exactly where the last committed page ended.

use crate::device::Device;
use crate::error::{CoreError, Result};
use crate::hq::HqClient;
use chrono::{DateTime, Utc};
use onsite_protocol::api::PullQuery;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// What the sync is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    /// Checking the session, refreshing tokens.
    Connecting,
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
    /// Pages pulled (requests made to the pull endpoint).
    pub pages: u32,
    /// Jobs received (new or changed).
    pub jobs_received: u64,
    /// Jobs dropped because they are no longer assigned to this technician.
    pub jobs_removed: u64,
    /// True when HQ told the device to start over (HQ database replaced).
    pub reset: bool,
    /// Wall time.
    pub elapsed: Duration,
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

/// Pulls until HQ has nothing more. `now` is when the sync started; it is recorded as the last
/// successful sync, since the local data is at least that fresh.
pub(crate) async fn pull(
    device: &Device,
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
    let mut token = device.access_token(client, now, false).await?;
    let mut refreshed = false;
    let mut report = SyncReport::default();
    // While one page is being applied the next is already downloading; pages are still
    // committed strictly in order, and a failed apply cancels the download in flight.
    let mut cursor = device.store().setting(crate::store::Setting::Cursor)?;
    let mut in_flight = fetch(client, &token, cursor.clone());
    loop {
        let page = match in_flight
            .await
            .map_err(|e| CoreError::Protocol(e.to_string()))?
        {
            // The access token may have been revoked or expired early; one refresh, then give up.
            Err(CoreError::SessionExpired) if !refreshed => {
                refreshed = true;
                token = device.access_token(client, now, true).await?;
                in_flight = fetch(client, &token, cursor.clone());
                continue;
            }
            other => other?,
        };
        let more = page.more;
        report.reset |= page.reset;
        cursor = Some(page.cursor.clone());
        let next = more.then(|| AbortOnDrop(Some(fetch(client, &token, cursor.clone()))));
        let store = device.store_handle();
        let applied = tokio::task::spawn_blocking(move || store.apply_pull(&page))
            .await
            .map_err(|e| CoreError::Store(e.to_string()))??;
        report.pages += 1;
        report.jobs_received += applied.jobs as u64;
        report.jobs_removed += applied.removed as u64;
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
    device
        .store()
        .set_setting(crate::store::Setting::LastSyncAt, Some(&now.to_rfc3339()))?;
    report.elapsed = started.elapsed();
    progress(SyncProgress {
        phase: SyncPhase::Done,
        done: report.jobs_received + report.jobs_removed,
        total: Some(report.jobs_received + report.jobs_removed),
    });
    Ok(report)
}
