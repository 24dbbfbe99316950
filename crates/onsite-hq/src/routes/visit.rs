//! Dispatcher endpoints for what visits recorded: a job's visit record, and the parts
//! requests from the field.

use super::extract::{Json, Path, Query};
use super::{AppState, list_page};
use crate::auth::Dispatcher;
use crate::error::AppError;
use axum::extract::State;
use onsite_protocol::visit::{FillInput, JobVisit, PartsFill, PartsRequestList, PartsRequestQuery};
use onsite_protocol::{ErrorCode, JobId, OpId};

type Reply<T> = Result<axum::Json<T>, AppError>;

/// `GET /jobs/{id}/visit`: answers, parts, decisions and requests, with gaps and flags.
pub async fn job_visit(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
) -> Reply<JobVisit> {
    Ok(axum::Json(state.storage.job_visit(id).await?))
}

/// `GET /parts-requests`: requests not filled on open jobs, oldest first.
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

/// `POST /parts-requests/{op_id}/fill`: the dispatcher says how the parts reach the job; the
/// job's technician sees the request filled with the next pull.
pub async fn fill(
    State(state): State<AppState>,
    Dispatcher(caller): Dispatcher,
    Path(request): Path<OpId>,
    Json(input): Json<FillInput>,
) -> Reply<PartsFill> {
    let how = input.how.trim();
    onsite_protocol::text::line("how", how).map_err(|m| {
        AppError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            m,
        )
    })?;
    let fill = state
        .storage
        .fill_parts_request(request, &caller.user.display_name, how, chrono::Utc::now())
        .await?;
    Ok(axum::Json(fill))
}
