//! Dispatcher endpoints for what visits recorded: a job's visit record, and the parts
//! requests from the field.

use super::extract::{Path, Query};
use super::{AppState, list_page};
use crate::auth::Dispatcher;
use crate::error::AppError;
use axum::extract::State;
use onsite_protocol::JobId;
use onsite_protocol::visit::{JobVisit, PartsRequestList, PartsRequestQuery};

type Reply<T> = Result<axum::Json<T>, AppError>;

/// `GET /jobs/{id}/visit`: answers, parts, decisions and requests, with gaps and flags.
pub async fn job_visit(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
) -> Reply<JobVisit> {
    Ok(axum::Json(state.storage.job_visit(id).await?))
}

/// `GET /parts-requests`: requests on open jobs, oldest first.
pub async fn parts_requests(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<PartsRequestQuery>,
) -> Reply<PartsRequestList> {
    let page = state
        .storage
        .parts_requests(q.after, list_page(q.limit))
        .await?;
    Ok(axum::Json(page))
}
