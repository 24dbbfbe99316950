//! Dispatcher endpoints for what visits recorded: a job's visit record, and the parts
//! requests from the field.

use super::extract::{Json, Path, Query};
use super::{AppState, list_page};
use crate::auth::Dispatcher;
use crate::error::AppError;
use axum::extract::State;
use axum::http::{HeaderName, header};
use axum::response::{IntoResponse, Response};
use onsite_protocol::signoff::SignedReports;
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

/// `GET /jobs/{id}/reports`: every report the customer signed on the job, newest first, each
/// saying whether the job changed after it was signed.
pub async fn signed_reports(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
) -> Reply<SignedReports> {
    let visit = state.storage.job_visit(id).await?;
    let mut reports = visit.record.signoffs;
    reports.reverse();
    Ok(axum::Json(SignedReports {
        job_id: id,
        reports,
    }))
}

/// `GET /jobs/{id}/report`: the PDF the customer signed last, exactly as signed (its SHA-256 is
/// the sign-off's). `404` until one is signed.
pub async fn signed_report(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
) -> Result<Response, AppError> {
    let job = state.storage.job(id).await?;
    let visit = state.storage.job_visit(id).await?;
    let Some(latest) = visit.record.signoff().cloned() else {
        return Err(AppError::not_found("signed report"));
    };
    let blobs = state.blobs.clone();
    let sha256 = latest.report.sha256.clone();
    // HQ applied the sign-off only once it held these bytes in full under their hash.
    let pdf = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        std::fs::read(blobs.path(&sha256)?).map_err(AppError::internal)
    })
    .await??;
    let name = super::pdf_download("report", &job.job.number);
    let headers = [
        (header::CONTENT_TYPE, "application/pdf".to_string()),
        (header::CONTENT_DISPOSITION, name),
        (header::ETAG, format!("\"{}\"", latest.report.sha256)),
        (
            HeaderName::from_static(CHANGED_SINCE_SIGNED),
            latest.changed_since.to_string(),
        ),
    ];
    Ok((headers, pdf).into_response())
}

/// The response header of `GET /jobs/{id}/report` saying whether the job changed after the
/// customer signed (`true`/`false`).
pub const CHANGED_SINCE_SIGNED: &str = "x-onsite-changed-since-signed";

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
