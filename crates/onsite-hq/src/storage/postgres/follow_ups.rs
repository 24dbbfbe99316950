//! Follow-up calls HQ owes customers (the embedded engine's `follow_ups.rs`, on PostgreSQL):
//! scheduled when an installation is completed or a complaint opens, made by dispatchers from
//! the queue of calls due, each call's outcome kept. What follows a call is
//! `onsite_protocol::feedback::after_call`.

use super::cases::{self, Opening};
use super::rows::{self, parsed};
use crate::storage::{Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::cases::{CaseKind, CasePatch, CaseSource, CaseStatus};
use onsite_protocol::feedback::{
    self, AfterCall, Call, CallOutcome, FollowUp, FollowUpList, FollowUpReason, FollowUpState,
    OutcomeInput,
};
use onsite_protocol::signoff::CallTime;
use onsite_protocol::{CaseId, FollowUpId, JobId};
use tokio_postgres::{Row, Transaction};

/// Schedules a call for `job`, due on `due_on`; a job's installation call, and a complaint's
/// call, are scheduled once however often this runs.
///
/// # Errors
/// Only from the database.
pub async fn schedule(
    tx: &Transaction<'_>,
    job: JobId,
    reason: FollowUpReason,
    case: Option<CaseId>,
    due_on: NaiveDate,
    call_time: Option<CallTime>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO follow_ups (id, job_id, reason, case_id, due_on, call_time, state, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, 'due', $7) ON CONFLICT DO NOTHING",
        &[
            &FollowUpId::new().0,
            &job.0,
            &reason.as_str(),
            &case.map(|c| c.0),
            &due_on,
            &call_time.map(|t| t.as_str()),
            &now,
        ],
    )
    .await?;
    Ok(())
}

/// The customer's word on calls, from their latest rating on `job`: a call time sets when
/// the job's calls due are made; no consent takes away the job's calls not yet tried.
///
/// # Errors
/// Only from the database.
pub async fn consent(
    tx: &Transaction<'_>,
    job: JobId,
    call_ok: bool,
    call_time: Option<CallTime>,
) -> Result<()> {
    if call_ok {
        tx.execute(
            "UPDATE follow_ups SET call_time = coalesce($2, call_time) \
             WHERE job_id = $1 AND state = 'due'",
            &[&job.0, &call_time.map(|t| t.as_str())],
        )
        .await?;
    } else {
        tx.execute(
            "DELETE FROM follow_ups WHERE job_id = $1 AND state = 'due' AND tries = 0",
            &[&job.0],
        )
        .await?;
    }
    Ok(())
}

const COLUMNS: &str = "f.seq, f.id, f.reason, f.state, f.due_on, f.call_time, f.job_id, \
    j.number, cu.name, cu.phone, f.case_id";
const FROM: &str = "follow_ups f JOIN jobs j ON j.id = f.job_id \
    JOIN customers cu ON cu.id = j.customer_id";

fn row(r: &Row) -> Result<(i64, FollowUp)> {
    Ok((
        rows::get(r, 0)?,
        FollowUp {
            id: FollowUpId(rows::get(r, 1)?),
            reason: parsed(r, 2)?,
            state: parsed(r, 3)?,
            due_on: rows::get(r, 4)?,
            call_time: rows::get::<Option<&str>>(r, 5)?.and_then(|t| t.parse().ok()),
            job_id: JobId(rows::get(r, 6)?),
            job_number: rows::get(r, 7)?,
            customer_name: rows::get(r, 8)?,
            phone: rows::get(r, 9)?,
            case_id: rows::get::<Option<uuid::Uuid>>(r, 10)?.map(CaseId),
            calls: Vec::new(),
        },
    ))
}

async fn with_calls(tx: &Transaction<'_>, mut f: FollowUp) -> Result<FollowUp> {
    f.calls = tx
        .query(
            "SELECT at, by, outcome, note FROM follow_up_calls WHERE follow_up_id = $1 ORDER BY id",
            &[&f.id.0],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Call {
                at: rows::get(r, 0)?,
                by: rows::get(r, 1)?,
                outcome: parsed(r, 2)?,
                note: rows::get(r, 3)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(f)
}

/// Follow-up `id`.
///
/// # Errors
/// `NotFound`.
pub async fn get(tx: &Transaction<'_>, id: FollowUpId) -> Result<FollowUp> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE f.id = $1");
    let (_, f) = tx
        .query_opt(&sql, &[&id.0])
        .await?
        .map(|r| row(&r))
        .transpose()?
        .ok_or(StorageError::NotFound("follow-up call"))?;
    with_calls(tx, f).await
}

/// Calls still to be made that are due on or before `due`, in the order HQ scheduled them.
///
/// # Errors
/// Only from the database.
pub async fn due(
    tx: &Transaction<'_>,
    due: NaiveDate,
    after: Option<i64>,
    limit: u32,
) -> Result<FollowUpList> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE f.state = 'due' AND f.due_on <= $1 AND f.seq > $2 \
         ORDER BY f.seq LIMIT $3"
    );
    let found = tx
        .query(&sql, &[&due, &after.unwrap_or(0), &(i64::from(limit) + 1)])
        .await?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>>>()?;
    let next = (found.len() > limit as usize).then(|| found[limit as usize - 1].0);
    let mut follow_ups = Vec::new();
    for (_, f) in found.into_iter().take(limit as usize) {
        follow_ups.push(with_calls(tx, f).await?);
    }
    Ok(FollowUpList { follow_ups, next })
}

/// Records what a call found and what follows: done, called again tomorrow (up to the
/// tries allowed), given up as unanswered, or a complaint (the one it followed moves back in
/// progress; otherwise a new one opens, with its own follow-up).
///
/// # Errors
/// `NotFound`; `Conflict` when the call is not due any more; `Invalid` for a bad note.
pub async fn outcome(
    tx: &Transaction<'_>,
    id: FollowUpId,
    input: &OutcomeInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<FollowUp> {
    let f = get(tx, id).await?;
    if f.state != FollowUpState::Due {
        return Err(StorageError::Conflict(format!(
            "this follow-up call is {} already",
            f.state
        )));
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if let Some(n) = note {
        onsite_protocol::cases::validate_text("note", n).map_err(StorageError::Invalid)?;
    }
    let tries = u32::try_from(f.calls.len())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    tx.execute(
        "INSERT INTO follow_up_calls (follow_up_id, at, by, outcome, note) \
         VALUES ($1, $2, $3, $4, $5)",
        &[&id.0, &now, &by, &input.outcome.as_str(), &note],
    )
    .await?;
    let today = now.date_naive();
    let (state, due_on) = match feedback::after_call(input.outcome, tries, today) {
        AfterCall::Closed | AfterCall::Complaint => (FollowUpState::Done, f.due_on),
        AfterCall::CallAgain { on } => (FollowUpState::Due, on),
        AfterCall::Unanswered => (FollowUpState::Unanswered, f.due_on),
    };
    tx.execute(
        "UPDATE follow_ups SET state = $2, due_on = $3, tries = $4 WHERE id = $1",
        &[&id.0, &state.as_str(), &due_on, &i64::from(tries)],
    )
    .await?;
    if input.outcome == CallOutcome::NotSatisfied {
        let words = note.unwrap_or("The customer is not satisfied");
        match f.case_id {
            Some(case) => {
                let patch = CasePatch {
                    status: Some(CaseStatus::InProgress),
                    note: Some(format!("Not satisfied at the follow-up call: {words}")),
                    answer: None,
                };
                cases::update(tx, CaseKind::Complaint, case, &patch, by, now).await?;
            }
            None => {
                let case = cases::open(
                    tx,
                    &Opening {
                        kind: CaseKind::Complaint,
                        source: CaseSource::FollowUp,
                        subject: "Not satisfied at the follow-up call",
                        details: Some(words),
                        job: Some(f.job_id),
                        customer: None,
                        from_op: None,
                        by,
                    },
                    now,
                )
                .await?;
                tx.execute(
                    "UPDATE follow_ups SET case_id = $2 WHERE id = $1",
                    &[&id.0, &case.0],
                )
                .await?;
                let delay = super::settings::settings(tx).await?.follow_up_days;
                let due = today + chrono::Days::new(u64::from(delay));
                schedule(
                    tx,
                    f.job_id,
                    FollowUpReason::Complaint,
                    Some(case),
                    due,
                    f.call_time,
                    now,
                )
                .await?;
            }
        }
    }
    get(tx, id).await
}
