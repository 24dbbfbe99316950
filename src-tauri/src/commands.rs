//! The commands the UI calls. Each is one call into onsite-core; errors cross as
//! [`ErrorReport`] (`{code, message}`). Commands touching the store are `async` so they run
//! off the window's main thread.

use crate::Shell;
use chrono::{Local, Utc};
use onsite_core::{
    CoreError, DeviceStatus, ErrorReport, Fingerprint, HqLogout, HqProbe, JobDetail, JobQuery,
    JobSummary, Outbox, OutboxEntry, SyncState,
};
use onsite_protocol::{Change, OpId, User};
use std::sync::atomic::Ordering;
use tauri::State;

/// What a command answers: its value, or `{code, message}`.
pub type Reply<T> = Result<T, ErrorReport>;

/// Who is logged in, HQ settings, last sync, jobs held.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn status(app: State<'_, Shell>) -> Reply<DeviceStatus> {
    Ok(app.device()?.status()?)
}

/// First contact with HQ: the certificate fingerprint to confirm before logging in, and the
/// one confirmed for that address before, if any.
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn probe_hq(app: State<'_, Shell>, url: String) -> Reply<HqProbe> {
    Ok(app.device()?.probe(&url).await?)
}

/// Logs in, pinning `fingerprint` when given (else trusting the OS roots), then starts a sync.
#[tauri::command]
#[tracing::instrument(skip(app, password, fingerprint))]
pub async fn login(
    app: State<'_, Shell>,
    url: String,
    username: String,
    password: String,
    fingerprint: Option<String>,
) -> Reply<User> {
    let pin = fingerprint.as_deref().map(str::parse::<Fingerprint>);
    let pin = pin.transpose().map_err(CoreError::from)?;
    let user = app
        .device()?
        .login(&url, &username, &password, pin, Utc::now())
        .await?;
    let runner = app.runner()?.clone();
    tauri::async_runtime::spawn(async move { runner.sync(Utc::now()).await });
    Ok(user)
}

/// Ends the session at HQ when HQ answers, then forgets it and every HQ record on this
/// device; changes not yet sent stop it unless `discard` says to throw them away. The answer
/// says whether HQ was told.
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn logout(app: State<'_, Shell>, discard: Option<bool>) -> Reply<HqLogout> {
    let at_hq = app
        .device()?
        .logout(discard.unwrap_or(false), Utc::now())
        .await?;
    app.runner()?.reset();
    Ok(at_hq)
}

/// A page of the local job list.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(app))]
pub async fn jobs(app: State<'_, Shell>, query: JobQuery) -> Reply<Vec<JobSummary>> {
    Ok(app.device()?.jobs(&query, Utc::now())?)
}

/// How many jobs a query matches (e.g. a search's matches on the other tab).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(app))]
pub async fn count_jobs(app: State<'_, Shell>, query: JobQuery) -> Reply<u64> {
    Ok(app.device()?.count_jobs(&query)?)
}

/// One job in full, warranty judged on the local date.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(app))]
pub async fn job(app: State<'_, Shell>, number: String) -> Reply<JobDetail> {
    let now = Local::now();
    Ok(app.device()?.job(&number, now.to_utc(), now.date_naive())?)
}

/// Syncs now (or waits for the sync already running) and answers the resulting state.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sync_now(app: State<'_, Shell>) -> Reply<SyncState> {
    Ok(app.runner()?.sync(Utc::now()).await)
}

/// The current sync state (changes also arrive as `sync-state` events).
#[tauri::command]
#[tracing::instrument(level = "trace", skip_all)]
pub async fn sync_state(app: State<'_, Shell>) -> Reply<SyncState> {
    Ok(app.runner()?.state())
}

/// The UI painted its first job list: logged once, as the start-up time.
#[tauri::command]
#[tracing::instrument(level = "trace", skip_all)]
pub async fn ui_ready(app: State<'_, Shell>) -> Reply<u64> {
    let ms = u64::try_from(app.launched.elapsed().as_millis()).unwrap_or(u64::MAX);
    if !app.painted.swap(true, Ordering::Relaxed) {
        tracing::info!("job list painted {ms} ms after launch");
    }
    Ok(ms)
}

/// Records a change to a job: a status move, a note, a work start or stop, a corrected phone
/// or serial. The one path for every change but a photo's bytes (see [`attach_photo`]); the
/// sync runner hears of it from the device.
#[tauri::command]
#[tracing::instrument(skip(app, change), fields(kind = %change.kind()))]
pub async fn record(app: State<'_, Shell>, number: String, change: Change) -> Reply<OutboxEntry> {
    Ok(app.device()?.record(&number, change, Utc::now())?)
}

/// Header naming the job a photo is attached to.
pub const JOB_HEADER: &str = "onsite-job";
/// Header with the photo's file name, percent-encoded (`encodeURIComponent`).
pub const FILE_NAME_HEADER: &str = "onsite-file-name";
/// Optional header with the photo's caption, percent-encoded.
pub const CAPTION_HEADER: &str = "onsite-caption";

/// Attaches a photo picked in the UI. The bytes travel as the raw request body (no JSON
/// encoding of megabytes); the job and file name travel in headers.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn attach_photo(
    app: State<'_, Shell>,
    request: tauri::ipc::Request<'_>,
) -> Reply<OutboxEntry> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CoreError::InvalidInput("the photo must be sent as raw bytes".into()).into());
    };
    let header = |name| header(&request, name);
    let (number, file_name) = (header(JOB_HEADER)?, header(FILE_NAME_HEADER)?);
    let caption = header(CAPTION_HEADER).ok();
    Ok(app
        .device()?
        .attach_bytes(&number, &file_name, bytes, caption.as_deref(), Utc::now())?)
}

/// Header with the signer's printed name, percent-encoded.
pub const SIGNER_HEADER: &str = "onsite-signer";

/// The customer signs the job's report. What they drew on the pad travels as the raw body
/// (a PNG; empty when they typed their name and ticked instead); the job and the signer's
/// name in headers. The report is made now, in the laptop's time zone.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_off(
    app: State<'_, Shell>,
    request: tauri::ipc::Request<'_>,
) -> Reply<OutboxEntry> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(
            CoreError::InvalidInput("the signature must be sent as raw bytes".into()).into(),
        );
    };
    let header = |name| header(&request, name);
    let (number, signer) = (header(JOB_HEADER)?, header(SIGNER_HEADER)?);
    let drawing = (!bytes.is_empty()).then_some(bytes.as_slice());
    Ok(app.device()?.sign(
        &number,
        &signer,
        drawing,
        chrono::Local::now().fixed_offset(),
    )?)
}

/// Takes back a photo that has not been sent yet.
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn withdraw(app: State<'_, Shell>, op_id: OpId) -> Reply<()> {
    Ok(app.device()?.withdraw(op_id)?)
}

/// The percent-encoded header `name` of a raw-body request, decoded.
fn header(request: &tauri::ipc::Request<'_>, name: &str) -> Reply<String> {
    let value = request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| CoreError::InvalidInput(format!("missing {name}")))?;
    Ok(percent_decode(value))
}

/// Undoes `encodeURIComponent`; bytes that do not decode are kept as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The outbox: changes waiting to reach HQ, then the `recent` latest answered ones.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(app))]
pub async fn outbox(app: State<'_, Shell>, recent: Option<u32>) -> Reply<Outbox> {
    Ok(app.device()?.outbox(recent.unwrap_or(50))?)
}

/// The content of a photo captured on this laptop, as raw bytes (for showing it).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(app))]
pub async fn attachment(
    app: State<'_, Shell>,
    sha256: String,
) -> Result<tauri::ipc::Response, ErrorReport> {
    Ok(tauri::ipc::Response::new(
        app.device()?.attachment(&sha256)?,
    ))
}

/// The van's stock: HQ's balances less what was used here and not sent yet.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn van_stock(app: State<'_, Shell>) -> Reply<Vec<onsite_core::VanLine>> {
    Ok(app.device()?.van_stock()?)
}

/// The parts catalog on this laptop, by SKU.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn parts(app: State<'_, Shell>) -> Reply<Vec<onsite_protocol::part::Part>> {
    Ok(app.device()?.store().parts()?)
}

/// What the warranty allows for `fault` on job `number`'s product today.
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn warranty(
    app: State<'_, Shell>,
    number: String,
    fault: onsite_protocol::warranty::FaultCategory,
) -> Reply<onsite_core::WarrantyChoice> {
    Ok(app
        .device()?
        .warranty(&number, fault, Local::now().date_naive())?)
}

/// Records the warranty decision on job `number`, decided today.
#[tauri::command]
#[tracing::instrument(skip(app, note))]
pub async fn decide(
    app: State<'_, Shell>,
    number: String,
    remedy: onsite_protocol::warranty::Remedy,
    fault: onsite_protocol::warranty::FaultCategory,
    note: Option<String>,
    replacement_serial: Option<String>,
) -> Reply<OutboxEntry> {
    let decision = onsite_core::DecisionInput {
        remedy,
        fault,
        note: note.as_deref(),
        replacement_serial: replacement_serial.as_deref(),
    };
    let now = Local::now();
    Ok(app
        .device()?
        .decide(&number, &decision, now.to_utc(), now.date_naive())?)
}

/// The guides on this laptop, or those matching `search`, best first.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(app))]
pub async fn guides(
    app: State<'_, Shell>,
    search: Option<String>,
) -> Reply<Vec<onsite_protocol::guide::Guide>> {
    Ok(app.device()?.guides(search.as_deref())?)
}

/// Whether today can be worked offline (the technician's local day).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ready(app: State<'_, Shell>) -> Reply<onsite_core::ready::Readiness> {
    let now = Local::now();
    let (day, until) = onsite_core::ready::local_day(now);
    Ok(app.device()?.ready(day, until, now.to_utc())?)
}
