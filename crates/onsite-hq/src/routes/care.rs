//! After the visit, for dispatchers: complaints and inquiries (`/complaints`, `/inquiries`,
//! the same routes for each kind), the follow-up calls due, and what customers said of each
//! product model.

use super::extract::{Json, Path, Query};
use super::{AppState, list_page};
use crate::auth::Dispatcher;
use crate::error::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Utc};
use onsite_protocol::cases::{
    Case, CaseInput, CaseKind, CaseList, CasePatch, CaseQuery, ReturnVisit, ReturnVisitInput,
};
use onsite_protocol::feedback::{
    FeedbackQuery, FeedbackSummary, FollowUp, FollowUpList, FollowUpQuery, MAX_SUMMARY_MONTHS,
    OutcomeInput,
};
use onsite_protocol::{CaseId, ErrorCode, FollowUpId};

type Reply<T> = Result<axum::Json<T>, AppError>;

/// Routes for one kind of case, so complaints and inquiries share them.
macro_rules! case_routes {
    ($list:ident, $get:ident, $create:ident, $update:ident, $visit:ident, $kind:expr) => {
        pub async fn $list(
            State(state): State<AppState>,
            _: Dispatcher,
            Query(q): Query<CaseQuery>,
        ) -> Reply<CaseList> {
            Ok(axum::Json(
                state.storage.cases($kind, &q, list_page(q.limit)).await?,
            ))
        }

        pub async fn $get(
            State(state): State<AppState>,
            _: Dispatcher,
            Path(id): Path<CaseId>,
        ) -> Reply<Case> {
            Ok(axum::Json(state.storage.case($kind, id).await?))
        }

        pub async fn $create(
            State(state): State<AppState>,
            Dispatcher(caller): Dispatcher,
            Json(input): Json<CaseInput>,
        ) -> Result<(StatusCode, axum::Json<Case>), AppError> {
            let case = state
                .storage
                .create_case($kind, &input, &caller.user.display_name, Utc::now())
                .await?;
            Ok((StatusCode::CREATED, axum::Json(case)))
        }

        pub async fn $update(
            State(state): State<AppState>,
            Dispatcher(caller): Dispatcher,
            Path(id): Path<CaseId>,
            Json(patch): Json<CasePatch>,
        ) -> Reply<Case> {
            let case = state
                .storage
                .update_case($kind, id, &patch, &caller.user.display_name, Utc::now())
                .await?;
            Ok(axum::Json(case))
        }

        pub async fn $visit(
            State(state): State<AppState>,
            Dispatcher(caller): Dispatcher,
            Path(id): Path<CaseId>,
            Json(input): Json<ReturnVisitInput>,
        ) -> Result<(StatusCode, axum::Json<ReturnVisit>), AppError> {
            let (case, job) = state
                .storage
                .return_visit($kind, id, &input, &caller.user.display_name, Utc::now())
                .await?;
            Ok((StatusCode::CREATED, axum::Json(ReturnVisit { case, job })))
        }
    };
}

case_routes!(
    complaints,
    complaint,
    create_complaint,
    update_complaint,
    complaint_return_visit,
    CaseKind::Complaint
);
case_routes!(
    inquiries,
    inquiry,
    create_inquiry,
    update_inquiry,
    inquiry_return_visit,
    CaseKind::Inquiry
);

/// `GET /follow-ups?due=`: calls due on or before `due` (today when absent).
pub async fn follow_ups(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<FollowUpQuery>,
) -> Reply<FollowUpList> {
    let due = q.due.unwrap_or_else(|| Utc::now().date_naive());
    let page = state
        .storage
        .follow_ups_due(due, q.after, list_page(q.limit))
        .await?;
    Ok(axum::Json(page))
}

/// `POST /follow-ups/{id}/outcome`: what the call found.
pub async fn call_outcome(
    State(state): State<AppState>,
    Dispatcher(caller): Dispatcher,
    Path(id): Path<FollowUpId>,
    Json(input): Json<OutcomeInput>,
) -> Reply<FollowUp> {
    let f = state
        .storage
        .record_call(id, &input, &caller.user.display_name, Utc::now())
        .await?;
    Ok(axum::Json(f))
}

fn month(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(&format!("{}-01", value.trim()), "%Y-%m-%d").map_err(|_| {
        AppError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            format!("{field} must be a month as YYYY-MM, not {value:?}"),
        )
    })
}

/// A query value that was given: absent and empty are the same.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The last day of the month starting on `first`.
fn month_end(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

/// `GET /feedback/summary?from=YYYY-MM&to=YYYY-MM&model=`: per model and month.
pub async fn feedback_summary(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<FeedbackQuery>,
) -> Reply<FeedbackSummary> {
    let today = Utc::now().date_naive();
    let to = match given(q.to.as_deref()) {
        Some(to) => month("to", to)?,
        None => today.with_day(1).unwrap_or(today),
    };
    let from = match given(q.from.as_deref()) {
        Some(from) => month("from", from)?,
        None => to.checked_sub_months(chrono::Months::new(11)).unwrap_or(to),
    };
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    if months < 1 || months > MAX_SUMMARY_MONTHS as i32 {
        return Err(AppError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            format!("from must not be after to, and at most {MAX_SUMMARY_MONTHS} months apart"),
        ));
    }
    let model = q.model.as_deref().map(str::trim).filter(|m| !m.is_empty());
    let summary = state
        .storage
        .feedback_summary(from, month_end(to), model)
        .await?;
    Ok(axum::Json(summary))
}
