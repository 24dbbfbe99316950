//! Dispatcher endpoints: create, edit, assign, cancel and list jobs, the day board, and who
//! should go to a job.

use super::extract::{Json, Path, Query};
use super::{AppState, MAX_LIST_PAGE};
use crate::auth::Dispatcher;
use crate::error::AppError;
use crate::rules::suggest::{JobFacts, rank};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use onsite_protocol::api::{
    AssignRequest, CancelRequest, JobInput, JobList, JobListQuery, JobPatch, JobView,
    MAX_SEARCH_CHARS,
};
use onsite_protocol::board::{
    Board, BoardQuery, MAX_BOARD_HOURS, ScheduleRequest, SuggestionQuery, Suggestions,
};
use onsite_protocol::{API_PREFIX, ErrorCode, JobId};

type Reply<T> = Result<axum::Json<T>, AppError>;

pub async fn list(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<JobListQuery>,
) -> Reply<JobList> {
    let refused = |message: String| {
        AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            message,
        )
    };
    if q.q
        .as_deref()
        .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(refused(format!(
            "q must be at most {MAX_SEARCH_CHARS} characters"
        )));
    }
    if let (Some(from), Some(to)) = (q.from, q.to)
        && to <= from
    {
        return Err(refused("to must come after from".into()));
    }
    Ok(axum::Json(
        state.storage.list_jobs(&q, MAX_LIST_PAGE).await?,
    ))
}

/// `GET /board`: the day board for a window the dispatcher's browser computes from its own
/// day (so the day is theirs, whatever HQ's time zone).
pub async fn board(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<BoardQuery>,
) -> Reply<Board> {
    window(q.from, q.to)?;
    Ok(axum::Json(state.storage.board(&q).await?))
}

/// A window a dispatcher's browser asks about: forward, and at most a long day.
fn window(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(), AppError> {
    let span = to - from;
    if span <= chrono::Duration::zero() || span > chrono::Duration::hours(MAX_BOARD_HOURS) {
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            format!("to must come after from, by at most {MAX_BOARD_HOURS} hours"),
        ));
    }
    Ok(())
}

/// How long a visit takes when its window does not say: an hour.
const DEFAULT_VISIT: chrono::Duration = chrono::Duration::hours(1);

/// `GET /jobs/{id}/suggestions?from&to`: every enabled technician ranked for the job in the
/// dispatcher's working day, with the reasons in words (`rules::suggest`).
pub async fn suggestions(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
    Query(q): Query<SuggestionQuery>,
) -> Reply<Suggestions> {
    window(q.from, q.to)?;
    let facts = state.storage.suggestion_facts(id, q.from, q.to).await?;
    let job = &facts.job.job;
    let length = match (job.scheduled_start, job.scheduled_end) {
        (Some(start), Some(end)) if end > start => end - start,
        _ => DEFAULT_VISIT,
    };
    let judged = JobFacts {
        kind: job.kind,
        model: facts.job.asset.as_ref().map(|a| a.model.clone()),
        position: facts.position,
        length,
    };
    Ok(axum::Json(Suggestions {
        job_id: id,
        visit_minutes: length.num_minutes(),
        technicians: rank(&judged, q.from, q.to, facts.candidates),
    }))
}

/// `GET /jobs/{id}`. A job number where the id belongs is answered with where to look it up,
/// not a parse error.
pub async fn get(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<String>,
) -> Reply<JobView> {
    let id: JobId = id.parse().map_err(|_| {
        AppError::bad_request(format!(
            "{id:?} is not a job id (a UUID); to look a job up by its number use \
             GET {API_PREFIX}/jobs/by-number/{id} or GET {API_PREFIX}/jobs?number={id}"
        ))
    })?;
    Ok(axum::Json(state.storage.job(id).await?))
}

/// `GET /jobs/by-number/{number}`: the job numbered `number` (`J-000123`).
pub async fn by_number(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(number): Path<String>,
) -> Reply<JobView> {
    Ok(axum::Json(state.storage.job_by_number(&number).await?))
}

pub async fn create(
    State(state): State<AppState>,
    _: Dispatcher,
    Json(input): Json<JobInput>,
) -> Result<(StatusCode, axum::Json<JobView>), AppError> {
    let now = Utc::now();
    let view = state.storage.create_job(&input, now).await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

pub async fn update(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
    Json(patch): Json<JobPatch>,
) -> Reply<JobView> {
    let now = Utc::now();
    Ok(axum::Json(state.storage.update_job(id, &patch, now).await?))
}

pub async fn assign(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
    Json(req): Json<AssignRequest>,
) -> Reply<JobView> {
    let now = Utc::now();
    let technician = req
        .technician
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    Ok(axum::Json(
        state
            .storage
            .assign_job(id, technician.as_deref(), now)
            .await?,
    ))
}

/// `POST /jobs/{id}/schedule`: assign and schedule at once, refusing overlaps unless told.
pub async fn schedule(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
    Json(req): Json<ScheduleRequest>,
) -> Reply<JobView> {
    Ok(axum::Json(
        state.storage.schedule_job(id, &req, Utc::now()).await?,
    ))
}

pub async fn cancel(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<JobId>,
    Json(req): Json<CancelRequest>,
) -> Reply<JobView> {
    let now = Utc::now();
    Ok(axum::Json(
        state
            .storage
            .cancel_job(id, req.reason.as_deref(), now)
            .await?,
    ))
}
