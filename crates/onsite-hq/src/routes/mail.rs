//! The mail outbox for dispatchers: letters and where they stand, a letter as PDF to print and
//! post, sending an unconfirmed or failed one again; and the letter template (admins set it).

use super::extract::{Json, Path, Query};
use super::{AppState, list_page};
use crate::auth::{Admin, Dispatcher};
use crate::error::AppError;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use onsite_protocol::mail::{Letter, LetterList, LetterQuery, LetterTemplate};
use onsite_protocol::{ErrorCode, LetterId};

type Reply<T> = Result<axum::Json<T>, AppError>;

/// `GET /mail`: the outbox, newest first.
pub async fn letters(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<LetterQuery>,
) -> Reply<LetterList> {
    Ok(axum::Json(
        state.storage.letters(&q, list_page(q.limit)).await?,
    ))
}

/// `GET /mail/{id}`.
pub async fn letter(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<LetterId>,
) -> Reply<Letter> {
    Ok(axum::Json(state.storage.letter(id).await?))
}

/// `GET /mail/{id}/letter.pdf`: the letter on the letterhead, addressed to the customer, for
/// printing (the signed report is `GET /jobs/{job_id}/report`).
pub async fn letter_pdf(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<LetterId>,
) -> Result<Response, AppError> {
    let letter = state.storage.letter(id).await?;
    let job = state.storage.job(letter.job_id).await?;
    let company = match state.storage.letterhead().await? {
        Some(l) => onsite_report::Company {
            logo: l.logo_bytes().ok().flatten(),
            name: l.name,
            lines: l.lines,
        },
        None => onsite_report::Company::default(),
    };
    let to = [
        Some(job.customer.name.clone()),
        Some(job.site.address.clone()),
        job.site.town.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|l| !l.trim().is_empty())
    .collect();
    let page = onsite_report::Letter {
        company,
        reference: letter.job_number.clone(),
        date: letter.created_at.format("%-d %B %Y").to_string(),
        to,
        subject: letter.subject,
        body: letter.body,
    };
    let pdf = tokio::task::spawn_blocking(move || onsite_report::render_letter(&page))
        .await?
        .map_err(AppError::internal)?;
    let name = super::pdf_download("letter", &letter.job_number);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        pdf,
    )
        .into_response())
}

/// `POST /mail/{id}/resend`: an unconfirmed, failed or unaddressed letter goes out again.
pub async fn resend(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(id): Path<LetterId>,
) -> Reply<Letter> {
    Ok(axum::Json(
        state.storage.resend_letter(id, Utc::now()).await?,
    ))
}

/// `GET /letter-template`.
pub async fn template(State(state): State<AppState>, _: Dispatcher) -> Reply<LetterTemplate> {
    Ok(axum::Json(state.storage.letter_template().await?))
}

/// `PUT /letter-template`: admins set the letter every signed visit's customer receives.
pub async fn set_template(
    State(state): State<AppState>,
    _: Admin,
    Json(template): Json<LetterTemplate>,
) -> Reply<LetterTemplate> {
    template.validate().map_err(|m| {
        AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            m,
        )
    })?;
    state.storage.set_letter_template(&template).await?;
    Ok(axum::Json(template))
}
