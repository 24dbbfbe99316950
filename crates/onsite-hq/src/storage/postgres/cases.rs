//! Complaints and inquiries (the embedded engine's `cases.rs`, on PostgreSQL): opened from a
//! rating or a follow-up call inside the transaction that records it (once per op: the op's
//! id is the case's source), or by a dispatcher; moved along with notes saying who did what;
//! and leading to a return visit, a new job at the same customer, site and product.

use super::rows::{self, parsed};
use crate::storage::{Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::api::{AssetInput, CustomerInput, JobInput, JobView, SiteInput};
use onsite_protocol::cases::{
    self, Case, CaseInput, CaseJob, CaseKind, CaseList, CaseNote, CasePatch, CaseQuery, CaseSource,
    CaseStatus, ReturnVisitInput,
};
use onsite_protocol::{CaseId, CustomerId, JobId, JobKind, OpId};
use tokio_postgres::{Row, Transaction};

/// Who a case's history names when no person did it.
pub const FROM_RATING: &str = "The customer's rating";

/// A case about to be opened.
pub struct Opening<'a> {
    /// Complaint or inquiry.
    pub kind: CaseKind,
    /// How it came in.
    pub source: CaseSource,
    /// One line.
    pub subject: &'a str,
    /// The customer's words.
    pub details: Option<&'a str>,
    /// The job it is about.
    pub job: Option<JobId>,
    /// The customer.
    pub customer: Option<CustomerId>,
    /// The op that opened it, so it opens once.
    pub from_op: Option<OpId>,
    /// Who opened it, for its history.
    pub by: &'a str,
}

/// Opens a case; returns its id.
///
/// # Errors
/// `NotFound` for a job or customer HQ does not hold.
pub async fn open(tx: &Transaction<'_>, case: &Opening<'_>, now: DateTime<Utc>) -> Result<CaseId> {
    let customer = match (case.job, case.customer) {
        (Some(job), _) => Some(
            super::job_rows::job_by_id(tx, job)
                .await?
                .ok_or(StorageError::NotFound("job"))?
                .customer_id,
        ),
        (None, Some(c)) => {
            super::job_rows::customer(tx, c)
                .await
                .map_err(|_| StorageError::NotFound("customer"))?;
            Some(c)
        }
        (None, None) => None,
    };
    let id = CaseId::new();
    tx.execute(
        "INSERT INTO cases (id, kind, status, source, subject, details, customer_id, job_id, \
         from_op, opened_at, updated_at) VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $9)",
        &[
            &id.0,
            &case.kind.as_str(),
            &case.source.as_str(),
            &case.subject,
            &case.details,
            &customer.map(|c| c.0),
            &case.job.map(|j| j.0),
            &case.from_op.map(|o| o.0),
            &now,
        ],
    )
    .await?;
    note(tx, id, case.by, None, Some(CaseStatus::Open), now).await?;
    Ok(id)
}

async fn note(
    tx: &Transaction<'_>,
    id: CaseId,
    by: &str,
    text: Option<&str>,
    status: Option<CaseStatus>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO case_notes (case_id, at, by, text, status) VALUES ($1, $2, $3, $4, $5)",
        &[&id.0, &now, &by, &text, &status.map(|s| s.as_str())],
    )
    .await?;
    Ok(())
}

const CASE_COLUMNS: &str = "c.seq, c.id, c.kind, c.status, c.source, c.subject, c.details, \
    c.answer, c.customer_id, cu.name, c.job_id, j.number, a.model, c.opened_at, c.updated_at, \
    c.return_job_id, rj.number";

const CASE_FROM: &str = "cases c LEFT JOIN customers cu ON cu.id = c.customer_id \
    LEFT JOIN jobs j ON j.id = c.job_id LEFT JOIN assets a ON a.id = j.asset_id \
    LEFT JOIN jobs rj ON rj.id = c.return_job_id";

fn case_row(r: &Row) -> Result<(i64, Case)> {
    let return_visit = match (
        rows::get::<Option<uuid::Uuid>>(r, 15)?,
        rows::get::<Option<String>>(r, 16)?,
    ) {
        (Some(id), Some(number)) => Some(CaseJob {
            job_id: JobId(id),
            number,
        }),
        _ => None,
    };
    Ok((
        rows::get(r, 0)?,
        Case {
            id: CaseId(rows::get(r, 1)?),
            kind: parsed(r, 2)?,
            status: parsed(r, 3)?,
            source: parsed(r, 4)?,
            subject: rows::get(r, 5)?,
            details: rows::get(r, 6)?,
            answer: rows::get(r, 7)?,
            customer_id: rows::get::<Option<uuid::Uuid>>(r, 8)?.map(CustomerId),
            customer_name: rows::get(r, 9)?,
            job_id: rows::get::<Option<uuid::Uuid>>(r, 10)?.map(JobId),
            job_number: rows::get(r, 11)?,
            model: rows::get(r, 12)?,
            opened_at: rows::get(r, 13)?,
            updated_at: rows::get(r, 14)?,
            return_visit,
            notes: Vec::new(),
        },
    ))
}

async fn with_notes(tx: &Transaction<'_>, mut case: Case) -> Result<Case> {
    case.notes = tx
        .query(
            "SELECT at, by, text, status FROM case_notes WHERE case_id = $1 ORDER BY id",
            &[&case.id.0],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CaseNote {
                at: rows::get(r, 0)?,
                by: rows::get(r, 1)?,
                text: rows::get(r, 2)?,
                status: rows::get::<Option<&str>>(r, 3)?.and_then(|s| s.parse().ok()),
            })
        })
        .collect::<Result<_>>()?;
    Ok(case)
}

/// The case `id` of `kind`.
///
/// # Errors
/// `NotFound` when HQ holds no such case of that kind.
pub async fn get(tx: &Transaction<'_>, kind: CaseKind, id: CaseId) -> Result<Case> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = $1 AND c.kind = $2");
    let found = tx
        .query_opt(&sql, &[&id.0, &kind.as_str()])
        .await?
        .map(|r| case_row(&r))
        .transpose()?;
    let (_, case) = found.ok_or(StorageError::NotFound(kind_name(kind)))?;
    with_notes(tx, case).await
}

fn kind_name(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Complaint => "complaint",
        CaseKind::Inquiry => "inquiry",
    }
}

/// Cases of `kind`, newest first, filtered by `query`.
///
/// # Errors
/// Only from the database.
pub async fn list(
    tx: &Transaction<'_>,
    kind: CaseKind,
    query: &CaseQuery,
    limit: u32,
) -> Result<CaseList> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.kind = $1 AND c.seq < $2 \
         AND ($3::text IS NULL OR c.status = $3) AND ($4::uuid IS NULL OR c.job_id = $4) \
         AND ($5::uuid IS NULL OR c.customer_id = $5) AND ($6::text IS NULL OR a.model = $6) \
         ORDER BY c.seq DESC LIMIT $7"
    );
    let found = tx
        .query(
            &sql,
            &[
                &kind.as_str(),
                &query.after.unwrap_or(i64::MAX),
                &query.status.map(|s| s.as_str()),
                &query.job_id.map(|j| j.0),
                &query.customer_id.map(|c| c.0),
                &query.model.as_deref().map(str::trim),
                &(i64::from(limit) + 1),
            ],
        )
        .await?
        .iter()
        .map(case_row)
        .collect::<Result<Vec<_>>>()?;
    let next = (found.len() > limit as usize).then(|| found[limit as usize - 1].0);
    let mut cases = Vec::new();
    for (_, case) in found.into_iter().take(limit as usize) {
        cases.push(with_notes(tx, case).await?);
    }
    Ok(CaseList { cases, next })
}

fn text<'a>(field: &str, value: Option<&'a str>) -> Result<Option<&'a str>> {
    let Some(value) = value.map(str::trim) else {
        return Ok(None);
    };
    cases::validate_text(field, value).map_err(StorageError::Invalid)?;
    Ok(Some(value))
}

/// A dispatcher logs a case.
///
/// # Errors
/// `Invalid` for a bad subject or details, or a case about nobody; `NotFound` for a job or
/// customer HQ does not hold.
pub async fn create(
    tx: &Transaction<'_>,
    kind: CaseKind,
    input: &CaseInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Case> {
    let subject = input.subject.trim();
    onsite_protocol::text::line("subject", subject).map_err(StorageError::Invalid)?;
    let details = text("details", input.details.as_deref())?;
    if input.job_id.is_none() && input.customer_id.is_none() {
        return Err(StorageError::Invalid(
            "name the job (job_id) or the customer (customer_id) it is about".into(),
        ));
    }
    let id = open(
        tx,
        &Opening {
            kind,
            source: CaseSource::Dispatcher,
            subject,
            details,
            job: input.job_id,
            customer: input.customer_id,
            from_op: None,
            by,
        },
        now,
    )
    .await?;
    get(tx, kind, id).await
}

/// A dispatcher moves a case along, notes something, or records the answer.
///
/// # Errors
/// `NotFound`; `Invalid` for bad text or an empty patch; `Conflict` for a status it cannot
/// move to from where it stands.
pub async fn update(
    tx: &Transaction<'_>,
    kind: CaseKind,
    id: CaseId,
    patch: &CasePatch,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Case> {
    let case = get(tx, kind, id).await?;
    let note_text = text("note", patch.note.as_deref())?;
    let answer = text("answer", patch.answer.as_deref())?;
    let status = patch.status.filter(|s| *s != case.status);
    if let Some(to) = status
        && !case.status.can_move_to(to)
    {
        return Err(StorageError::Conflict(format!(
            "the {} is {}; it cannot go back to {to}",
            kind_name(kind),
            case.status
        )));
    }
    if status.is_none() && note_text.is_none() && answer.is_none() {
        if patch.status.is_some() {
            return Ok(case);
        }
        return Err(StorageError::Invalid(
            "nothing to change: give a status, a note or an answer".into(),
        ));
    }
    tx.execute(
        "UPDATE cases SET status = coalesce($2, status), answer = coalesce($3, answer), \
         updated_at = $4 WHERE id = $1",
        &[&id.0, &status.map(|s| s.as_str()), &answer, &now],
    )
    .await?;
    let words = match (note_text, answer) {
        (Some(n), Some(a)) => Some(format!("{n}\nAnswer: {a}")),
        (Some(n), None) => Some(n.to_string()),
        (None, Some(a)) => Some(format!("Answer: {a}")),
        (None, None) => None,
    };
    note(tx, id, by, words.as_deref(), status, now).await?;
    get(tx, kind, id).await
}

/// Creates a return visit for the case: a new job at its job's customer, site and product,
/// linked to the case, which moves in progress.
///
/// # Errors
/// `NotFound`; `Conflict` when the case already led to one or is about no job; `Invalid` for
/// a bad summary or window; an unknown technician as job creation refuses it.
pub async fn return_visit(
    tx: &Transaction<'_>,
    kind: CaseKind,
    id: CaseId,
    input: &ReturnVisitInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(Case, JobView)> {
    let case = get(tx, kind, id).await?;
    if let Some(done) = &case.return_visit {
        return Err(StorageError::Conflict(format!(
            "this {} already led to job {}",
            kind_name(kind),
            done.number
        )));
    }
    let Some(job_id) = case.job_id else {
        return Err(StorageError::Conflict(format!(
            "this {} is about no job, so there is no site or product to return to; create \
             the job with POST /jobs",
            kind_name(kind)
        )));
    };
    let job = super::job_rows::job_by_id(tx, job_id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    let view = super::job_rows::view(tx, job).await?;
    let summary = input
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(
            || {
                let mut s = format!("Return visit: {}", case.subject);
                if s.chars().count() > onsite_protocol::text::MAX_LINE_CHARS {
                    s = s
                        .chars()
                        .take(onsite_protocol::text::MAX_LINE_CHARS - 1)
                        .collect::<String>()
                        + "…";
                }
                s
            },
            str::to_string,
        );
    let job_input = JobInput {
        number: None,
        kind: JobKind::Repair,
        summary,
        description: Some(format!(
            "Return visit for the {} opened {} about job {}: {}",
            kind_name(kind),
            case.opened_at.format("%-d %B %Y"),
            view.job.number,
            case.details.as_deref().unwrap_or(&case.subject)
        ))
        .map(|d| d.chars().take(4_000).collect()),
        priority: Some(onsite_protocol::Priority::High),
        technician: input.technician.clone(),
        customer: CustomerInput {
            name: view.customer.name.clone(),
            phone: view.customer.phone.clone(),
            email: view.customer.email.clone(),
        },
        site: SiteInput {
            address: view.site.address.clone(),
            town: view.site.town.clone(),
            access_notes: view.site.access_notes.clone(),
            // Matched by address: the site keeps the coordinates it has.
            lat: None,
            lon: None,
        },
        asset: view.asset.as_ref().map(|a| AssetInput {
            model: a.model.clone(),
            serial: a.serial.clone(),
            installed_on: a.installed_on,
            purchased_on: a.purchased_on,
            warranty_until: a.warranty_until,
        }),
        scheduled_start: input.scheduled_start,
        scheduled_end: input.scheduled_end,
        sla_due: None,
    };
    let created = super::jobs::create(tx, &job_input, now).await?;
    tx.execute(
        "UPDATE cases SET return_job_id = $2, updated_at = $3 WHERE id = $1",
        &[&id.0, &created.job.id.0, &now],
    )
    .await?;
    let moved = case
        .status
        .can_move_to(CaseStatus::InProgress)
        .then_some(CaseStatus::InProgress);
    if let Some(status) = moved {
        tx.execute(
            "UPDATE cases SET status = $2 WHERE id = $1",
            &[&id.0, &status.as_str()],
        )
        .await?;
    }
    note(
        tx,
        id,
        by,
        Some(&format!("Return visit {} created", created.job.number)),
        moved,
        now,
    )
    .await?;
    Ok((get(tx, kind, id).await?, created))
}
