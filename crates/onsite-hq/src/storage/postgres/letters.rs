//! The mail outbox (the embedded engine's `letters.rs`, on PostgreSQL): one thank-you letter
//! per signed job, written from the letter template in the transaction that applies the first
//! sign-off. A sender claims a due letter (it is then `sending`) before handing it to the mail
//! server, and marks it sent or failed after; a letter still `sending` when HQ starts may have
//! been delivered, so it becomes `unconfirmed` and is never sent again on its own. Every change
//! of state stamps the job in its technician's feed.

use super::rows::{self, parsed, small};
use crate::storage::{Outgoing, Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::mail::{
    Letter, LetterFields, LetterList, LetterNotice, LetterQuery, LetterState, LetterTemplate,
};
use onsite_protocol::{Job, JobId, LetterId};
use tokio_postgres::{Row, Transaction};

/// The setting that holds the letter template (JSON).
pub const TEMPLATE_SETTING: &str = "letter_template";

/// The letter template: HQ's setting, else the standard one.
///
/// # Errors
/// Only from the database.
pub async fn template(tx: &Transaction<'_>) -> Result<LetterTemplate> {
    Ok(super::settings::get(tx, TEMPLATE_SETTING)
        .await?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(LetterTemplate::standard))
}

/// Sets the letter template.
///
/// # Errors
/// `Invalid` for a template that does not pass `LetterTemplate::validate`.
pub async fn set_template(tx: &Transaction<'_>, template: &LetterTemplate) -> Result<()> {
    template.validate().map_err(StorageError::Invalid)?;
    let text = serde_json::to_string(template).map_err(|e| StorageError::Backend(e.to_string()))?;
    super::settings::set(tx, TEMPLATE_SETTING, &text).await
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
pub async fn queue(
    tx: &Transaction<'_>,
    job: &Job,
    technician: &str,
    visited: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let customer = super::job_rows::customer(tx, job.customer_id).await?;
    let product = match job.asset_id {
        Some(a) => super::job_rows::asset(tx, a).await?.model,
        None => "product".into(),
    };
    let company = super::reference::letterhead_changed(tx, 0)
        .await?
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
    let (subject, body) = template(tx)
        .await?
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
        .execute(
            "INSERT INTO letters (id, job_id, to_address, subject, body, state, last_error, \
             created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (job_id) DO NOTHING",
            &[
                &LetterId::new().0,
                &job.id.0,
                &to,
                &subject,
                &body,
                &state.as_str(),
                &error,
                &now,
            ],
        )
        .await?;
    if added > 0 {
        stamp(tx, job.id).await?;
    }
    Ok(())
}

/// Stamps the letter's job in its technician's feed, so the laptop learns where it stands.
async fn stamp(tx: &Transaction<'_>, job: JobId) -> Result<()> {
    if let Some(technician) = super::job_rows::job_by_id(tx, job)
        .await?
        .and_then(|j| j.technician)
    {
        super::feed::bump(tx, &technician, job).await?;
    }
    Ok(())
}

const COLUMNS: &str = "l.seq, l.id, l.job_id, j.number, cu.name, l.to_address, l.subject, \
    l.body, l.state, l.tries, l.next_attempt_at, l.last_error, l.created_at, l.sent_at";
const FROM: &str = "letters l JOIN jobs j ON j.id = l.job_id \
    JOIN customers cu ON cu.id = j.customer_id";

fn row(r: &Row) -> Result<(i64, Letter)> {
    Ok((
        rows::get(r, 0)?,
        Letter {
            id: LetterId(rows::get(r, 1)?),
            job_id: JobId(rows::get(r, 2)?),
            job_number: rows::get(r, 3)?,
            customer_name: rows::get(r, 4)?,
            to: rows::get(r, 5)?,
            subject: rows::get(r, 6)?,
            body: rows::get(r, 7)?,
            state: parsed(r, 8)?,
            tries: small(r, 9)?,
            next_attempt_at: rows::get(r, 10)?,
            last_error: rows::get(r, 11)?,
            created_at: rows::get(r, 12)?,
            sent_at: rows::get(r, 13)?,
        },
    ))
}

/// Letter `id`.
///
/// # Errors
/// `NotFound`.
pub async fn get(tx: &Transaction<'_>, id: LetterId) -> Result<Letter> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = $1");
    tx.query_opt(&sql, &[&id.0])
        .await?
        .map(|r| row(&r))
        .transpose()?
        .map(|(_, l)| l)
        .ok_or(StorageError::NotFound("letter"))
}

/// The outbox, newest first.
///
/// # Errors
/// Only from the database.
pub async fn list(tx: &Transaction<'_>, query: &LetterQuery, limit: u32) -> Result<LetterList> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE l.seq < $1 AND ($2::text IS NULL OR l.state = $2) \
         ORDER BY l.seq DESC LIMIT $3"
    );
    let found = tx
        .query(
            &sql,
            &[
                &query.after.unwrap_or(i64::MAX),
                &query.state.map(|s| s.as_str()),
                &(i64::from(limit) + 1),
            ],
        )
        .await?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>>>()?;
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
pub async fn notice(tx: &Transaction<'_>, job: JobId) -> Result<Option<LetterNotice>> {
    tx.query_opt(
        "SELECT state, sent_at FROM letters WHERE job_id = $1",
        &[&job.0],
    )
    .await?
    .map(|r| {
        Ok(LetterNotice {
            job_id: job,
            state: parsed(&r, 0)?,
            sent_at: rows::get(&r, 1)?,
        })
    })
    .transpose()
}

/// Claims the letter due soonest (waiting, its try due by `now`): it is `sending` from now
/// on, and comes with the PDF the customer last signed.
///
/// # Errors
/// Only from the database.
pub async fn claim(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Option<Outgoing>> {
    let found: Option<LetterId> = tx
        .query_opt(
            "SELECT id FROM letters WHERE state = 'waiting' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, seq LIMIT 1",
            &[&now],
        )
        .await?
        .map(|r| rows::get(&r, 0).map(LetterId))
        .transpose()?;
    let Some(id) = found else { return Ok(None) };
    let letter = get(tx, id).await?;
    let visit = super::visit::view(tx, letter.job_id).await?;
    let Some(signed) = visit.record.signoff().cloned() else {
        // Written on a sign-off, so one stands; a letter without one is not sent.
        fail(tx, id, "the job has no signed report to attach", None, now).await?;
        return Ok(None);
    };
    tx.execute(
        "UPDATE letters SET state = 'sending', tries = tries + 1, claimed_at = $2 WHERE id = $1",
        &[&id.0, &now],
    )
    .await?;
    let letter = get(tx, id).await?;
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
pub async fn sent(tx: &Transaction<'_>, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
    let changed = tx
        .execute(
            "UPDATE letters SET state = 'sent', sent_at = $2, last_error = NULL, \
             next_attempt_at = NULL WHERE id = $1",
            &[&id.0, &now],
        )
        .await?;
    if changed == 0 {
        return Err(StorageError::NotFound("letter"));
    }
    let letter = get(tx, id).await?;
    stamp(tx, letter.job_id).await?;
    Ok(letter)
}

/// A try at letter `id` failed with `error`: it waits for its next try at `retry_at`, or,
/// without one, has failed for good.
///
/// # Errors
/// `NotFound`.
pub async fn fail(
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
        .execute(
            "UPDATE letters SET state = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1",
            &[&id.0, &state.as_str(), &error, &retry_at.unwrap_or(now)],
        )
        .await?;
    if changed == 0 {
        return Err(StorageError::NotFound("letter"));
    }
    let letter = get(tx, id).await?;
    if state == LetterState::Failed {
        stamp(tx, letter.job_id).await?;
    }
    Ok(letter)
}

/// Letters HQ was handing over when it stopped: they may have been delivered, so they are
/// `unconfirmed` and wait for a person. Returns how many.
///
/// # Errors
/// Only from the database.
pub async fn unconfirm(tx: &Transaction<'_>, claimed_before: DateTime<Utc>) -> Result<usize> {
    // Another HQ process on this database may be handing a letter over right now: only one
    // claimed before `claimed_before` was left by a process that stopped.
    let jobs: Vec<JobId> = tx
        .query(
            "UPDATE letters SET state = 'unconfirmed', last_error = 'HQ stopped while handing \
             this letter to the mail server; it may have been delivered' \
             WHERE state = 'sending' \
             AND (claimed_at IS NULL OR claimed_at < $1) \
             RETURNING job_id",
            &[&claimed_before],
        )
        .await?
        .iter()
        .map(|r| rows::get(r, 0).map(JobId))
        .collect::<Result<_>>()?;
    for job in &jobs {
        stamp(tx, *job).await?;
    }
    Ok(jobs.len())
}

/// A dispatcher sends an unconfirmed or failed letter again (or one whose customer now has an
/// address): it waits for the next try, its tries counted afresh.
///
/// # Errors
/// `NotFound`; `Conflict` for a letter waiting, being sent or sent; `Invalid` when the
/// customer still has no usable address.
pub async fn resend(tx: &Transaction<'_>, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
    let letter = get(tx, id).await?;
    if !matches!(
        letter.state,
        LetterState::Unconfirmed | LetterState::Failed | LetterState::NoAddress
    ) {
        return Err(StorageError::Conflict(format!(
            "the letter is {}; only an unconfirmed, failed or unaddressed one is sent again",
            letter.state
        )));
    }
    let job = super::job_rows::job_by_id(tx, letter.job_id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    let email = super::job_rows::customer(tx, job.customer_id)
        .await?
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
    tx.execute(
        "UPDATE letters SET state = 'waiting', tries = 0, to_address = $2, next_attempt_at = $3, \
         last_error = NULL WHERE id = $1",
        &[&id.0, &email, &now],
    )
    .await?;
    stamp(tx, letter.job_id).await?;
    get(tx, id).await
}
