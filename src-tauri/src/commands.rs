//! The commands the UI calls. Each is one call into onsite-core; errors cross as
//! [`ErrorReport`] (`{code, message}`). Commands touching the store are `async` so they run
//! off the window's main thread.

use crate::Onsite;
use chrono::{Local, Utc};
use onsite_core::{
    CoreError, DeviceStatus, ErrorReport, Fingerprint, HqProbe, JobDetail, JobQuery, JobSummary,
    SyncState,
};
use onsite_protocol::User;
use std::sync::atomic::Ordering;
use tauri::State;

/// What a command answers: its value, or `{code, message}`.
pub type Reply<T> = Result<T, ErrorReport>;

/// Who is logged in, HQ settings, last sync, jobs held.
#[tauri::command]
pub async fn status(app: State<'_, Onsite>) -> Reply<DeviceStatus> {
    Ok(app.device()?.status()?)
}

/// First contact with HQ: the certificate fingerprint to confirm before logging in.
#[tauri::command]
pub async fn probe_hq(url: String) -> Reply<HqProbe> {
    Ok(onsite_core::hq::probe(&url).await?)
}

/// Logs in, pinning `fingerprint` when given (else trusting the OS roots), then starts a sync.
#[tauri::command]
pub async fn login(
    app: State<'_, Onsite>,
    url: String,
    username: String,
    password: String,
    fingerprint: Option<String>,
) -> Reply<User> {
    let pin = fingerprint.as_deref().map(str::parse::<Fingerprint>);
    let pin = pin.transpose().map_err(CoreError::from)?;
    let user = app.device()?.login(&url, &username, &password, pin).await?;
    let runner = app.runner()?.clone();
    tauri::async_runtime::spawn(async move { runner.sync(Utc::now()).await });
    Ok(user)
}

/// Forgets the session and every HQ record on this device; changes not yet sent stop it
/// unless `discard` says to throw them away.
#[tauri::command]
pub async fn logout(app: State<'_, Onsite>, discard: Option<bool>) -> Reply<()> {
    app.device()?.logout(discard.unwrap_or(false))?;
    app.runner()?.reset();
    Ok(())
}

/// A page of the local job list.
#[tauri::command]
pub async fn jobs(app: State<'_, Onsite>, query: JobQuery) -> Reply<Vec<JobSummary>> {
    Ok(app.device()?.jobs(&query, Utc::now())?)
}

/// One job in full, warranty judged on the local date.
#[tauri::command]
pub async fn job(app: State<'_, Onsite>, number: String) -> Reply<JobDetail> {
    let now = Local::now();
    Ok(app.device()?.job(&number, now.to_utc(), now.date_naive())?)
}

/// Syncs now (or waits for the sync already running) and answers the resulting state.
#[tauri::command]
pub async fn sync_now(app: State<'_, Onsite>) -> Reply<SyncState> {
    Ok(app.runner()?.sync(Utc::now()).await)
}

/// The current sync state (changes also arrive as `sync-state` events).
#[tauri::command]
pub async fn sync_state(app: State<'_, Onsite>) -> Reply<SyncState> {
    Ok(app.runner()?.state())
}

/// The UI painted its first job list: logged once, as the start-up time.
#[tauri::command]
pub async fn ui_ready(app: State<'_, Onsite>) -> Reply<u64> {
    let ms = u64::try_from(app.launched.elapsed().as_millis()).unwrap_or(u64::MAX);
    if !app.painted.swap(true, Ordering::Relaxed) {
        tracing::info!("job list painted {ms} ms after launch");
    }
    Ok(ms)
}
