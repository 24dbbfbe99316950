//! The technician's push, and the dispatcher's view of what devices sent: conflicts and their
//! settlement, each job's ops, and the log of every op received.

use super::extract::{Json, Path, Query};
use super::{AppState, list_page};
use crate::auth::{Dispatcher, Technician};
use crate::error::AppError;
use crate::storage::{BlobSizes, Pusher};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use onsite_protocol::conflict::{ConflictQuery, ConflictView, ResolveRequest};
use onsite_protocol::push::{JobOps, JobOpsQuery, MAX_PUSH_OPS, PushRequest, PushResponse};
use onsite_protocol::received::{ReceivedOps, ReceivedOpsQuery};
use onsite_protocol::{ErrorCode, JobId, OpId, Outcome};

type Reply<T> = Result<axum::Json<T>, AppError>;

#[tracing::instrument(name = "push", skip_all, fields(user = %caller.user.username, device = %device_id, ops = req.ops.len()))]
pub async fn push(
    State(state): State<AppState>,
    Technician(caller, device_id): Technician,
    Json(req): Json<PushRequest>,
) -> Reply<PushResponse> {
    if req.ops.len() > MAX_PUSH_OPS {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!(
                "{} ops in one push; at most {MAX_PUSH_OPS} are accepted",
                req.ops.len()
            ),
        ));
    }
    let by = crate::blobs::Uploader(caller.user.id.0);
    let pusher = Pusher {
        username: caller.user.username,
        device_id,
    };
    // What storage needs from the file system, read first and handed over as data: only
    // content this technician uploaded counts as held.
    let blobs = state.blobs.clone();
    let named: Vec<String> = req.ops.iter().flat_map(content_hashes).collect();
    let sizes = tokio::task::spawn_blocking(move || {
        named
            .into_iter()
            .filter_map(|sha| blobs.size_for(&sha, by).map(|n| (sha, n)))
            .collect::<BlobSizes>()
    })
    .await?;
    let now = Utc::now();
    let answer = state.storage.push(&pusher, &req.ops, &sizes, now).await?;
    let tally = |o: Outcome| answer.results.iter().filter(|r| r.outcome == o).count();
    tracing::info!(
        applied = tally(Outcome::Applied),
        duplicate = tally(Outcome::Duplicate),
        conflict = tally(Outcome::Conflict),
        rejected = tally(Outcome::Rejected),
        "push judged"
    );
    Ok(axum::Json(answer))
}

/// The content hashes an op names (a photo's; a signed report's and its signature's), read
/// from the raw op: storage parses it again, and an unreadable op names none.
fn content_hashes(raw: &serde_json::Value) -> Vec<String> {
    // Read in place: a batch's ops are not copied to find the hashes they name.
    <onsite_protocol::Change as serde::Deserialize>::deserialize(raw)
        .map(|change| change.content().into_iter().map(|c| c.sha256).collect())
        .unwrap_or_default()
}

pub async fn conflicts(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ConflictQuery>,
) -> Reply<Vec<ConflictView>> {
    Ok(axum::Json(state.storage.conflicts(q.all).await?))
}

pub async fn resolve(
    State(state): State<AppState>,
    Dispatcher(caller): Dispatcher,
    Path(op_id): Path<OpId>,
    Json(req): Json<ResolveRequest>,
) -> Reply<ConflictView> {
    let now = Utc::now();
    let by = caller.user.username;
    Ok(axum::Json(
        state
            .storage
            .resolve_conflict(op_id, req.resolution, req.note.as_deref(), &by, now)
            .await?,
    ))
}

pub async fn job_ops(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
    Query(q): Query<JobOpsQuery>,
) -> Reply<JobOps> {
    let limit = list_page(q.limit);
    Ok(axum::Json(state.storage.job_ops(id, q.after, limit).await?))
}

pub async fn received(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ReceivedOpsQuery>,
) -> Reply<ReceivedOps> {
    let limit = list_page(q.limit);
    Ok(axum::Json(
        state.storage.received_ops(q.after, limit).await?,
    ))
}
