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
    loop {
        let query = PullQuery {
            cursor: device.store().setting(crate::store::Setting::Cursor)?,
            limit: None,
        };
        let page = match client.pull(&token, &query).await {
            // The access token may have been revoked or expired early; one refresh, then give up.
            Err(CoreError::SessionExpired) if !refreshed => {
                refreshed = true;
                token = device.access_token(client, now, true).await?;
                continue;
            }
            other => other?,
        };
        let store = device.store_handle();
        let more = page.more;
        report.reset |= page.reset;
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
        if !more {
            break;
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
