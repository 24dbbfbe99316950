//! The mail outbox: one thank-you letter per signed job, written from the letter template in
//! the transaction that applies the first sign-off. A sender claims a due letter (it is then
//! `sending`) before handing it to the mail server, and marks it sent or failed after; a letter
//! still `sending` when HQ starts may have been delivered, so it becomes `unconfirmed` and is
//! never sent again on its own. Every change of state stamps the job in its technician's feed.

use super::rows::parsed;
use crate::storage::{Outgoing, Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::mail::{
    Letter, LetterFields, LetterList, LetterNotice, LetterQuery, LetterState, LetterTemplate,
};
use onsite_protocol::{Job, JobId, LetterId};
use rusqlite::{OptionalExtension, Transaction, params};

/// The setting that holds the letter template (JSON).
pub const TEMPLATE_SETTING: &str = "letter_template";

/// The letter template: HQ's setting, else the standard one.
///
/// # Errors
/// Only from the database.
pub fn template(tx: &Transaction<'_>) -> Result<LetterTemplate> {
    Ok(super::settings::get(tx, TEMPLATE_SETTING)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(LetterTemplate::standard))
}

/// Sets the letter template.
///
/// # Errors
/// `Invalid` for a template that does not pass `LetterTemplate::validate`.
pub fn set_template(tx: &Transaction<'_>, template: &LetterTemplate) -> Result<()> {
    template.validate().map_err(StorageError::Invalid)?;
    let text = serde_json::to_string(template).map_err(|e| StorageError::Backend(e.to_string()))?;
    super::settings::set(tx, TEMPLATE_SETTING, &text)
}

/// Whether `address` is one a mail server can be given.
fn usable(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

/// Writes the thank-you letter for `job`, signed off by `signer`'s visit of `technician` on
/// `visited`, unless it has one. Without a usable e-mail address it waits to be printed.
///
/// # Errors
/// Only from the database.
pub fn queue(
    tx: &Transaction<'_>,
    job: &Job,
    technician: &str,
    visited: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let customer = super::rows::customer(tx, job.customer_id)?;
    let product = match job.asset_id {
        Some(a) => super::rows::asset(tx, a)?.model,
        None => "product".into(),
    };
    let company = super::reference::letterhead_changed(tx, 0)?
        .map_or_else(|| "Our service team".to_string(), |l| l.name);
    let fields = LetterFields {
        customer: customer.name.clone(),
        job: job.number.clone(),
        technician: technician.to_string(),
        date: visited.format("%-d %B %Y").to_string(),
        product,
        company,
    };
    // A template that passed its checks always fills; the standard one stands in otherwise.
    let (subject, body) = template(tx)?
        .render(&fields)
        .or_else(|_| LetterTemplate::standard().render(&fields))
        .map_err(StorageError::Backend)?;
    let to = customer
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    let (state, error) = match to {
        Some(address) if usable(address) => (LetterState::Waiting, None),
        Some(address) => (
            LetterState::NoAddress,
            Some(format!(
                "{address:?} is not an e-mail address a mail server accepts"
            )),
        ),
        None => (
            LetterState::NoAddress,
            Some("HQ has no e-mail address for the customer".to_string()),
        ),
    };
    let added = tx
        .prepare_cached(
            "INSERT INTO letters (id, job_id, to_address, subject, body, state, last_error, \
             created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) \
             ON CONFLICT (job_id) DO NOTHING",
        )?
        .execute(params![
            LetterId::new().0,
            job.id.0,
            to,
            subject,
            body,
            state.as_str(),
            error,
            now
        ])?;
    if added > 0 {
        stamp(tx, job.id)?;
    }
    Ok(())
}

/// Stamps the letter's job in its technician's feed, so the laptop learns where it stands.
fn stamp(tx: &Transaction<'_>, job: JobId) -> Result<()> {
    if let Some(technician) = super::rows::job_by_id(tx, job)?.and_then(|j| j.technician) {
        super::feed::bump(tx, &technician, job)?;
    }
    Ok(())
}

const COLUMNS: &str = "l.seq, l.id, l.job_id, j.number, cu.name, l.to_address, l.subject, \
    l.body, l.state, l.tries, l.next_attempt_at, l.last_error, l.created_at, l.sent_at";
const FROM: &str = "letters l JOIN jobs j ON j.id = l.job_id \
    JOIN customers cu ON cu.id = j.customer_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Letter)> {
    Ok((
        r.get(0)?,
        Letter {
            id: LetterId(r.get(1)?),
            job_id: JobId(r.get(2)?),
            job_number: r.get(3)?,
            customer_name: r.get(4)?,
            to: r.get(5)?,
            subject: r.get(6)?,
            body: r.get(7)?,
            state: parsed(r, 8)?,
            tries: r.get(9)?,
            next_attempt_at: r.get(10)?,
            last_error: r.get(11)?,
            created_at: r.get(12)?,
            sent_at: r.get(13)?,
        },
    ))
}

/// Letter `id`.
///
/// # Errors
/// `NotFound`.
pub fn get(tx: &Transaction<'_>, id: LetterId) -> Result<Letter> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = ?1");
    tx.prepare_cached(&sql)?
        .query_row([id.0], row)
        .optional()?
        .map(|(_, l)| l)
        .ok_or(StorageError::NotFound("letter"))
}

/// The outbox, newest first.
///
/// # Errors
/// Only from the database.
pub fn list(tx: &Transaction<'_>, query: &LetterQuery, limit: u32) -> Result<LetterList> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE l.seq < ?1 AND (?2 IS NULL OR l.state = ?2) \
         ORDER BY l.seq DESC LIMIT ?3"
    );
    let found = tx
        .prepare_cached(&sql)?
        .query_map(
            params![
                query.after.unwrap_or(i64::MAX),
                query.state.map(|s| s.as_str()),
                i64::from(limit) + 1
            ],
            row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = (found.len() > limit as usize).then(|| found[limit as usize - 1].0);
    Ok(LetterList {
        letters: found
            .into_iter()
            .take(limit as usize)
            .map(|(_, l)| l)
            .collect(),
        next,
    })
}

/// Where `job`'s letter stands, for its technician's laptop.
///
/// # Errors
/// Only from the database.
pub fn notice(tx: &Transaction<'_>, job: JobId) -> Result<Option<LetterNotice>> {
    Ok(tx
        .prepare_cached("SELECT state, sent_at FROM letters WHERE job_id = ?1")?
        .query_row([job.0], |r| {
            Ok(LetterNotice {
                job_id: job,
                state: parsed(r, 0)?,
                sent_at: r.get(1)?,
            })
        })
        .optional()?)
}

/// Claims the letter due soonest (waiting, its try due by `now`): it is `sending` from now
/// on, and comes with the PDF the customer last signed.
///
/// # Errors
/// Only from the database.
pub fn claim(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Option<Outgoing>> {
    let found: Option<LetterId> = tx
        .prepare_cached(
            "SELECT id FROM letters WHERE state = 'waiting' AND next_attempt_at <= ?1 \
             ORDER BY next_attempt_at, seq LIMIT 1",
        )?
        .query_row([now], |r| Ok(LetterId(r.get(0)?)))
        .optional()?;
    let Some(id) = found else { return Ok(None) };
    let letter = get(tx, id)?;
    let visit = super::visit::view(tx, letter.job_id)?;
    let Some(signed) = visit.record.signoff().cloned() else {
        // Written on a sign-off, so one stands; a letter without one is not sent.
        fail(tx, id, "the job has no signed report to attach", None, now)?;
        return Ok(None);
    };
    tx.prepare_cached(
        "UPDATE letters SET state = 'sending', tries = tries + 1, claimed_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id.0, now])?;
    let letter = get(tx, id)?;
    Ok(Some(Outgoing {
        report_name: format!(
            "service-report-{}.pdf",
            crate::storage::file_safe(&letter.job_number)
        ),
        report_sha256: signed.report.sha256,
        letter,
    }))
}

/// The mail server accepted letter `id`.
///
/// # Errors
/// `NotFound`.
pub fn sent(tx: &Transaction<'_>, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
    let changed = tx
        .prepare_cached(
            "UPDATE letters SET state = 'sent', sent_at = ?2, last_error = NULL, \
             next_attempt_at = NULL WHERE id = ?1",
        )?
        .execute(params![id.0, now])?;
    if changed == 0 {
        return Err(StorageError::NotFound("letter"));
    }
    let letter = get(tx, id)?;
    stamp(tx, letter.job_id)?;
    Ok(letter)
}

/// A try at letter `id` failed with `error`: it waits for its next try at `retry_at`, or,
/// without one, has failed for good.
///
/// # Errors
/// `NotFound`.
pub fn fail(
    tx: &Transaction<'_>,
    id: LetterId,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Letter> {
    let state = if retry_at.is_some() {
        LetterState::Waiting
    } else {
        LetterState::Failed
    };
    let error: String = error.chars().take(500).collect();
    let changed = tx
        .prepare_cached(
            "UPDATE letters SET state = ?2, last_error = ?3, next_attempt_at = ?4 WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            state.as_str(),
            error,
            retry_at.unwrap_or(now)
        ])?;
    if changed == 0 {
        return Err(StorageError::NotFound("letter"));
    }
    let letter = get(tx, id)?;
    if state == LetterState::Failed {
        stamp(tx, letter.job_id)?;
    }
    Ok(letter)
}

/// Letters HQ was handing over when it stopped: they may have been delivered, so they are
/// `unconfirmed` and wait for a person. Returns how many.
///
/// # Errors
/// Only from the database.
/// Letters still being sent that were claimed before `claimed_before` become `unconfirmed`.
pub fn unconfirm(tx: &Transaction<'_>, claimed_before: DateTime<Utc>) -> Result<usize> {
    let jobs: Vec<JobId> = tx
        .prepare_cached(
            "UPDATE letters SET state = 'unconfirmed', last_error = 'HQ stopped while handing \
             this letter to the mail server; it may have been delivered' \
             WHERE state = 'sending' AND (claimed_at IS NULL OR claimed_at < ?1) \
             RETURNING job_id",
        )?
        .query_map([claimed_before], |r| Ok(JobId(r.get(0)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for job in &jobs {
        stamp(tx, *job)?;
    }
    Ok(jobs.len())
}

/// A dispatcher sends an unconfirmed or failed letter again (or one whose customer now has an
/// address): it waits for the next try, its tries counted afresh.
///
/// # Errors
/// `NotFound`; `Conflict` for a letter waiting, being sent or sent; `Invalid` when the
/// customer still has no usable address.
pub fn resend(tx: &Transaction<'_>, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
    let letter = get(tx, id)?;
    if !matches!(
        letter.state,
        LetterState::Unconfirmed | LetterState::Failed | LetterState::NoAddress
    ) {
        return Err(StorageError::Conflict(format!(
            "the letter is {}; only an unconfirmed, failed or unaddressed one is sent again",
            letter.state
        )));
    }
    let job = super::rows::job_by_id(tx, letter.job_id)?.ok_or(StorageError::NotFound("job"))?;
    let email = super::rows::customer(tx, job.customer_id)?
        .email
        .map(|e| e.trim().to_string())
        .filter(|e| usable(e))
        .ok_or_else(|| {
            StorageError::Invalid(
                "the customer has no usable e-mail address; give one on the job, or print \
                 the letter"
                    .into(),
            )
        })?;
    tx.prepare_cached(
        "UPDATE letters SET state = 'waiting', tries = 0, to_address = ?2, next_attempt_at = ?3, \
         last_error = NULL WHERE id = ?1",
    )?
    .execute(params![id.0, email, now])?;
    stamp(tx, letter.job_id)?;
    get(tx, id)
}
