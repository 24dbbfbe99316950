//! Follow-up calls HQ owes customers: scheduled when an installation is completed or a
//! complaint opens, made by dispatchers from the queue of calls due, each call's outcome kept.
//! What follows a call is `onsite_protocol::feedback::after_call`.

use super::cases::{self, Opening};
use super::rows::parsed;
use crate::storage::{Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::cases::{CaseKind, CasePatch, CaseSource, CaseStatus};
use onsite_protocol::feedback::{
    self, AfterCall, Call, CallOutcome, FollowUp, FollowUpList, FollowUpReason, FollowUpState,
    OutcomeInput,
};
use onsite_protocol::signoff::CallTime;
use onsite_protocol::{CaseId, FollowUpId, JobId};
use rusqlite::{OptionalExtension, Transaction, params};

/// Schedules a call for `job`, due on `due_on`; a job's installation call, and a complaint's
/// call, are scheduled once however often this runs.
///
/// # Errors
/// Only from the database.
pub fn schedule(
    tx: &Transaction<'_>,
    job: JobId,
    reason: FollowUpReason,
    case: Option<CaseId>,
    due_on: NaiveDate,
    call_time: Option<CallTime>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO follow_ups (id, job_id, reason, case_id, due_on, call_time, state, \
         created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'due', ?7) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        FollowUpId::new().0,
        job.0,
        reason.as_str(),
        case.map(|c| c.0),
        due_on,
        call_time.map(|t| t.as_str()),
        now
    ])?;
    Ok(())
}

/// The customer's word on calls, from their latest rating on `job`: a call time sets when
/// the job's calls due are made; no consent takes away the job's calls not yet tried.
///
/// # Errors
/// Only from the database.
pub fn consent(
    tx: &Transaction<'_>,
    job: JobId,
    call_ok: bool,
    call_time: Option<CallTime>,
) -> Result<()> {
    if call_ok {
        tx.prepare_cached(
            "UPDATE follow_ups SET call_time = coalesce(?2, call_time) \
             WHERE job_id = ?1 AND state = 'due'",
        )?
        .execute(params![job.0, call_time.map(|t| t.as_str())])?;
    } else {
        tx.prepare_cached(
            "DELETE FROM follow_ups WHERE job_id = ?1 AND state = 'due' AND tries = 0",
        )?
        .execute([job.0])?;
    }
    Ok(())
}

const COLUMNS: &str = "f.seq, f.id, f.reason, f.state, f.due_on, f.call_time, f.job_id, \
    j.number, cu.name, cu.phone, f.case_id";
const FROM: &str = "follow_ups f JOIN jobs j ON j.id = f.job_id \
    JOIN customers cu ON cu.id = j.customer_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, FollowUp)> {
    Ok((
        r.get(0)?,
        FollowUp {
            id: FollowUpId(r.get(1)?),
            reason: parsed(r, 2)?,
            state: parsed(r, 3)?,
            due_on: r.get(4)?,
            call_time: r.get::<_, Option<String>>(5)?.and_then(|t| t.parse().ok()),
            job_id: JobId(r.get(6)?),
            job_number: r.get(7)?,
            customer_name: r.get(8)?,
            phone: r.get(9)?,
            case_id: r.get::<_, Option<uuid::Uuid>>(10)?.map(CaseId),
            calls: Vec::new(),
        },
    ))
}

fn with_calls(tx: &Transaction<'_>, mut f: FollowUp) -> Result<FollowUp> {
    f.calls = tx
        .prepare_cached(
            "SELECT at, by, outcome, note FROM follow_up_calls WHERE follow_up_id = ?1 ORDER BY id",
        )?
        .query_map([f.id.0], |r| {
            Ok(Call {
                at: r.get(0)?,
                by: r.get(1)?,
                outcome: parsed(r, 2)?,
                note: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(f)
}

/// Follow-up `id`.
///
/// # Errors
/// `NotFound`.
pub fn get(tx: &Transaction<'_>, id: FollowUpId) -> Result<FollowUp> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE f.id = ?1");
    let (_, f) = tx
        .prepare_cached(&sql)?
        .query_row([id.0], row)
        .optional()?
        .ok_or(StorageError::NotFound("follow-up call"))?;
    with_calls(tx, f)
}

/// Calls still to be made that are due on or before `due`, in the order HQ scheduled them.
///
/// # Errors
/// Only from the database.
pub fn due(
    tx: &Transaction<'_>,
    due: NaiveDate,
    after: Option<i64>,
    limit: u32,
) -> Result<FollowUpList> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE f.state = 'due' AND f.due_on <= ?1 AND f.seq > ?2 \
         ORDER BY f.seq LIMIT ?3"
    );
    let found = tx
        .prepare_cached(&sql)?
        .query_map(params![due, after.unwrap_or(0), i64::from(limit) + 1], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = (found.len() > limit as usize).then(|| found[limit as usize - 1].0);
    let mut follow_ups = Vec::new();
    for (_, f) in found.into_iter().take(limit as usize) {
        follow_ups.push(with_calls(tx, f)?);
    }
    Ok(FollowUpList { follow_ups, next })
}

/// Records what a call found and what follows: done, called again tomorrow (up to the
/// tries allowed), given up as unanswered, or a complaint (the one it followed moves back in
/// progress; otherwise a new one opens, with its own follow-up).
///
/// # Errors
/// `NotFound`; `Conflict` when the call is not due any more; `Invalid` for a bad note.
pub fn outcome(
    tx: &Transaction<'_>,
    id: FollowUpId,
    input: &OutcomeInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<FollowUp> {
    let f = get(tx, id)?;
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
    tx.prepare_cached(
        "INSERT INTO follow_up_calls (follow_up_id, at, by, outcome, note) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id.0, now, by, input.outcome.as_str(), note])?;
    let today = now.date_naive();
    let (state, due_on) = match feedback::after_call(input.outcome, tries, today) {
        AfterCall::Closed | AfterCall::Complaint => (FollowUpState::Done, f.due_on),
        AfterCall::CallAgain { on } => (FollowUpState::Due, on),
        AfterCall::Unanswered => (FollowUpState::Unanswered, f.due_on),
    };
    tx.prepare_cached("UPDATE follow_ups SET state = ?2, due_on = ?3, tries = ?4 WHERE id = ?1")?
        .execute(params![id.0, state.as_str(), due_on, tries])?;
    if input.outcome == CallOutcome::NotSatisfied {
        let words = note.unwrap_or("The customer is not satisfied");
        match f.case_id {
            Some(case) => {
                let patch = CasePatch {
                    status: Some(CaseStatus::InProgress),
                    note: Some(format!("Not satisfied at the follow-up call: {words}")),
                    answer: None,
                };
                cases::update(tx, CaseKind::Complaint, case, &patch, by, now)?;
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
                )?;
                tx.prepare_cached("UPDATE follow_ups SET case_id = ?2 WHERE id = ?1")?
                    .execute(params![id.0, case.0])?;
                let delay = super::settings::settings(tx)?.follow_up_days;
                let due = today + chrono::Days::new(u64::from(delay));
                schedule(
                    tx,
                    f.job_id,
                    FollowUpReason::Complaint,
                    Some(case),
                    due,
                    f.call_time,
                    now,
                )?;
            }
        }
    }
    get(tx, id)
}
