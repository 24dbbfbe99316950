//! What leaves HQ as files: the jobs of a date range as CSV (`GET /exports/jobs.csv`), and a
//! technician's visits as an iCalendar feed a calendar app subscribes to
//! (`/technicians/{name}/calendar…`).

use super::extract::{Path, Query};
use super::{AppState, MAX_LIST_PAGE};
use crate::auth::{Caller, DISPATCH, Dispatcher};
use crate::calendar;
use crate::error::AppError;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use onsite_protocol::admin::{
    CalendarLink, CalendarQuery, ExportQuery, MAX_EXPORT_DAYS, MAX_EXPORT_JOBS,
};
use onsite_protocol::api::{JobListQuery, JobView};
use onsite_protocol::{API_PREFIX, ErrorCode};

fn refused(message: impl Into<String>) -> AppError {
    AppError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ValidationFailed,
        message,
    )
}

/// The first `most` jobs `base` selects, page after page, and whether there were more.
async fn first_jobs(
    state: &AppState,
    mut base: JobListQuery,
    most: usize,
) -> Result<(Vec<JobView>, bool), AppError> {
    let mut jobs = Vec::new();
    loop {
        let page = state.storage.list_jobs(&base, MAX_LIST_PAGE).await?;
        jobs.extend(page.jobs);
        if jobs.len() > most {
            jobs.truncate(most);
            return Ok((jobs, true));
        }
        match page.next {
            Some(next) => base.after = Some(next),
            None => return Ok((jobs, false)),
        }
    }
}

/// A CSV field a spreadsheet would not run: one starting like a formula (`=`, `@`, a tab or
/// CR, or `+`/`-` followed by something other than a digit or space, so phone numbers and
/// negative numbers stay as they are) gets a leading apostrophe.
pub fn spreadsheet_safe(field: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = field.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => chars
            .next()
            .is_some_and(|c| !(c.is_ascii_digit() || c == ' ')),
        _ => false,
    };
    if risky {
        format!("'{field}").into()
    } else {
        field.into()
    }
}

const CSV_COLUMNS: [&str; 18] = [
    "number",
    "kind",
    "status",
    "priority",
    "summary",
    "technician",
    "scheduled_start",
    "scheduled_end",
    "sla_due",
    "customer",
    "phone",
    "email",
    "address",
    "town",
    "model",
    "serial",
    "warranty_until",
    "updated_at",
];

/// The jobs as CSV (RFC 4180, a header line, times in RFC 3339 UTC).
pub fn jobs_csv(jobs: &[JobView]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(CSV_COLUMNS)?;
    let at = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    for v in jobs {
        let (j, c, s, a) = (&v.job, &v.customer, &v.site, v.asset.as_ref());
        let row = [
            j.number.clone(),
            j.kind.as_str().to_string(),
            j.status.as_str().to_string(),
            j.priority.as_str().to_string(),
            j.summary.clone(),
            j.technician.clone().unwrap_or_default(),
            at(j.scheduled_start),
            at(j.scheduled_end),
            at(j.sla_due),
            c.name.clone(),
            c.phone.clone().unwrap_or_default(),
            c.email.clone().unwrap_or_default(),
            s.address.clone(),
            s.town.clone().unwrap_or_default(),
            a.map(|a| a.model.clone()).unwrap_or_default(),
            a.and_then(|a| a.serial.clone()).unwrap_or_default(),
            a.and_then(|a| a.warranty_until)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            at(Some(j.updated_at)),
        ];
        out.write_record(row.iter().map(|f| spreadsheet_safe(f).into_owned()))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// `GET /exports/jobs.csv?from&to`: the jobs whose visit window meets the range, by number.
pub async fn jobs(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let span = q.to - q.from;
    if span <= chrono::Duration::zero() || span > chrono::Duration::days(MAX_EXPORT_DAYS) {
        return Err(refused(format!(
            "to must come after from, by at most {MAX_EXPORT_DAYS} days"
        )));
    }
    let query = JobListQuery {
        from: Some(q.from),
        to: Some(q.to),
        ..JobListQuery::default()
    };
    let (jobs, more) = first_jobs(&state, query, MAX_EXPORT_JOBS).await?;
    if more {
        return Err(refused(format!(
            "more than {MAX_EXPORT_JOBS} jobs in the range; narrow it"
        )));
    }
    let body = jobs_csv(&jobs).map_err(AppError::internal)?;
    let name = format!(
        "attachment; filename=\"jobs-{}-to-{}.csv\"",
        q.from.format("%Y-%m-%d"),
        q.to.format("%Y-%m-%d")
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Dispatchers and admins for anyone; a technician for themselves.
fn may_see_calendar(caller: &Caller, name: &str) -> Result<(), AppError> {
    if DISPATCH.contains(&caller.user.role) || caller.user.username == name {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "a technician sees only their own calendar address",
        ))
    }
}

fn link(state: &AppState, name: &str, generation: u32) -> CalendarLink {
    let token = calendar::token(state.storage.token_key(), name, generation);
    let name: String = url_escape(name);
    CalendarLink {
        path: format!("{API_PREFIX}/technicians/{name}/calendar.ics?token={token}"),
    }
}

/// A path segment with everything but unreserved characters percent-encoded.
fn url_escape(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /technicians/{name}/calendar`: the address of the technician's feed.
pub async fn calendar_link(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<axum::Json<CalendarLink>, AppError> {
    may_see_calendar(&caller, &name)?;
    let generation = state
        .storage
        .calendar_generation(&name)
        .await?
        .ok_or_else(|| AppError::not_found("technician"))?;
    Ok(axum::Json(link(&state, &name, generation)))
}

/// `POST /technicians/{name}/calendar/renew`: a new address; the old one stops working.
pub async fn renew_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<axum::Json<CalendarLink>, AppError> {
    may_see_calendar(&caller, &name)?;
    let generation = state.storage.renew_calendar(&name).await?;
    tracing::info!(technician = %name, by = %caller.user.username, "calendar address renewed");
    Ok(axum::Json(link(&state, &name, generation)))
}

/// `GET /technicians/{name}/calendar.ics?token=`: the feed, for whoever holds the address. A
/// wrong token and an unknown technician get the same 404, so the answer tells nothing.
pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let generation = state.storage.calendar_generation(&name).await?;
    let key = state.storage.token_key();
    if !generation.is_some_and(|g| calendar::token_matches(key, &name, g, &q.token)) {
        return Err(AppError::not_found("calendar"));
    }
    let now = Utc::now();
    let query = JobListQuery {
        technician: Some(name.clone()),
        from: Some(now - calendar::PAST),
        to: Some(now + calendar::AHEAD),
        ..JobListQuery::default()
    };
    // A feed is never refused for being long: it lists the first visits by number.
    let (jobs, _) = first_jobs(&state, query, calendar::MAX_EVENTS).await?;
    let display = state
        .storage
        .credentials(&name)
        .await?
        .map_or(name.clone(), |c| c.user.display_name);
    let mut response = calendar::feed(&display, &jobs, now).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn fields_a_spreadsheet_would_run_are_defused() {
        let cases = [
            ("Leak", "Leak"),
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("@cmd", "'@cmd"),
            ("+44 20 7946 0000", "+44 20 7946 0000"),
            ("+HYPERLINK(\"x\")", "'+HYPERLINK(\"x\")"),
            ("-3", "-3"),
            ("- dash", "- dash"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("\tTab", "'\tTab"),
            ("", ""),
            ("+", "+"),
        ];
        for (raw, want) in cases {
            assert_eq!(spreadsheet_safe(raw), want, "{raw:?}");
        }
    }
}
