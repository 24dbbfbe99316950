//! What a visit's end sets going at HQ (the embedded engine's `feedback.rs`, on PostgreSQL),
//! inside the transaction that applies the op (so it happens once per op): a low rating or
//! words of complaint open a complaint, a completed installation and a complaint get a
//! follow-up call; and what customers said, summed per product model and month.

use super::cases::{self, FROM_RATING, Opening};
use super::rows;
use super::{follow_ups, settings};
use crate::storage::{Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::cases::{CaseKind, CaseSource};
use onsite_protocol::feedback::{
    self, FaultCount, FeedbackRow, FeedbackSummary, FollowUpReason, TechnicianRow,
    net_promoter_score,
};
use onsite_protocol::signoff::satisfaction_words;
use onsite_protocol::{Change, Job, JobKind, JobStatus, Op};
use std::collections::{BTreeMap, HashSet};
use tokio_postgres::Transaction;

/// Carries out what `op`, just applied to `job`, sets going.
///
/// # Errors
/// Only from the database.
pub async fn on_applied(
    tx: &Transaction<'_>,
    job: &Job,
    op: &Op,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let visited = op.recorded_at.unwrap_or(now).min(now).date_naive();
    match &op.change {
        Change::SignedOff { signed_at, .. } => {
            let technician = super::users::display_name(tx, by)
                .await?
                .unwrap_or_else(|| by.into());
            super::letters::queue(tx, job, &technician, (*signed_at).min(now), now).await?;
        }
        Change::Rated {
            satisfaction,
            comment,
            complaint,
            call_ok,
            call_time,
            ..
        } => {
            follow_ups::consent(tx, job.id, *call_ok, *call_time).await?;
            if !feedback::opens_complaint(*satisfaction, complaint.as_deref()) {
                return Ok(());
            }
            let subject = complaint
                .as_deref()
                .and_then(|c| c.lines().find(|l| !l.trim().is_empty()))
                .map(|l| l.trim().chars().take(120).collect::<String>())
                .unwrap_or_else(|| {
                    format!(
                        "Rated the visit {}/5: {}",
                        satisfaction,
                        satisfaction_words(*satisfaction)
                    )
                });
            let details = [complaint.as_deref(), comment.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n");
            let case = cases::open(
                tx,
                &Opening {
                    kind: CaseKind::Complaint,
                    source: CaseSource::Rating,
                    subject: &subject,
                    details: (!details.is_empty()).then_some(details.as_str()),
                    job: Some(job.id),
                    customer: None,
                    from_op: Some(op.op_id),
                    by: FROM_RATING,
                },
                now,
            )
            .await?;
            if *call_ok {
                let delay = settings::settings(tx).await?.follow_up_days;
                let due =
                    feedback::follow_up_due(job.kind, true, visited, delay).unwrap_or(visited);
                follow_ups::schedule(
                    tx,
                    job.id,
                    FollowUpReason::Complaint,
                    Some(case),
                    due,
                    *call_time,
                    now,
                )
                .await?;
            }
        }
        Change::Status {
            to: JobStatus::Completed,
        } if job.kind == JobKind::Installation => {
            let (call_ok, call_time) = latest_consent(tx, job).await?;
            if call_ok {
                let delay = settings::settings(tx).await?.follow_up_days;
                if let Some(due) = feedback::follow_up_due(job.kind, false, visited, delay) {
                    follow_ups::schedule(
                        tx,
                        job.id,
                        FollowUpReason::Installation,
                        None,
                        due,
                        call_time,
                        now,
                    )
                    .await?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The customer's word on calls from their latest rating of `job`: no rating yet counts as
/// consent (an installation is called after unless they said no).
async fn latest_consent(
    tx: &Transaction<'_>,
    job: &Job,
) -> Result<(bool, Option<onsite_protocol::signoff::CallTime>)> {
    // Stamps compared as bytes, as the embedded engine compares text (the stamps' text form
    // is made to sort so), and a missing stamp last, where SQLite puts NULL in a descending
    // order.
    let latest: Option<String> = tx
        .query_opt(
            "SELECT body FROM ops WHERE job_id = $1 AND outcome = 'applied' \
             AND (body::jsonb ->> 'kind') = 'rated' \
             ORDER BY hlc COLLATE \"C\" DESC NULLS LAST LIMIT 1",
            &[&job.id.0],
        )
        .await?
        .map(|r| rows::get(&r, 0))
        .transpose()?;
    let Some(body) = latest else {
        return Ok((true, None));
    };
    let op: Op = serde_json::from_str(&body).map_err(|e| StorageError::Backend(e.to_string()))?;
    Ok(match op.change {
        Change::Rated {
            call_ok, call_time, ..
        } => (call_ok, call_time),
        _ => (true, None),
    })
}

#[derive(Default)]
struct Tally {
    satisfaction: Vec<u8>,
    recommend: Vec<u8>,
    complaints: u32,
    faults: BTreeMap<onsite_protocol::warranty::FaultCategory, u32>,
}

impl Tally {
    /// The mean satisfaction to two decimals; none without ratings.
    fn mean(&self) -> Option<f64> {
        (!self.satisfaction.is_empty()).then(|| {
            let sum: f64 = self.satisfaction.iter().map(|s| f64::from(*s)).sum();
            (sum / self.satisfaction.len() as f64 * 100.0).round() / 100.0
        })
    }
}

/// What a model is called for jobs about no product.
const NO_PRODUCT: &str = "no product";

/// Applied ops of `kind`, newest first, with the job's model (only `model`'s when given), when
/// they were made (as the device recorded it, else when HQ received them) and who sent them.
async fn ops_of(
    tx: &Transaction<'_>,
    kind: &str,
    model: Option<&str>,
) -> Result<Vec<(Op, String, DateTime<Utc>, String)>> {
    let found = tx
        .query(
            "SELECT o.body, coalesce(a.model, $2), o.received_at, o.username FROM ops o \
             JOIN jobs j ON j.id = o.job_id LEFT JOIN assets a ON a.id = j.asset_id \
             WHERE (o.body::jsonb ->> 'kind') = $1 AND o.outcome = 'applied' \
             AND ($3::text IS NULL OR a.model = $3) ORDER BY o.seq DESC",
            &[&kind, &NO_PRODUCT, &model],
        )
        .await?;
    found
        .iter()
        .map(|r| {
            let body: &str = rows::get(r, 0)?;
            let op: Op =
                serde_json::from_str(body).map_err(|e| StorageError::Backend(e.to_string()))?;
            let model: String = rows::get(r, 1)?;
            let received_at: DateTime<Utc> = rows::get(r, 2)?;
            let by: String = rows::get(r, 3)?;
            let at = op.recorded_at.unwrap_or(received_at);
            Ok((op, model, at, by))
        })
        .collect()
}

/// What customers said from the first day of `from` to the end of month `to`, per model and
/// month: the latest rating per job, complaints opened, faults found by standing decisions.
/// Days and months are those of UTC, as the embedded engine reads them from its stored text.
///
/// # Errors
/// Only from the database.
pub async fn summary(
    tx: &Transaction<'_>,
    from: NaiveDate,
    to: NaiveDate,
    model: Option<&str>,
) -> Result<FeedbackSummary> {
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let month = |at: &DateTime<Utc>| at.format("%Y-%m").to_string();
    let in_range = |at: &DateTime<Utc>| {
        let day = at.date_naive();
        day >= from && day <= to
    };
    let mut rated = HashSet::new();
    let mut by_technician: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for (op, model, at, by) in ops_of(tx, "rated", model).await? {
        // The latest rating of each job counts.
        if !in_range(&at) || !rated.insert(op.job_id) {
            continue;
        }
        if let Change::Rated {
            satisfaction,
            recommend,
            ..
        } = op.change
        {
            for tally in [
                tallies.entry((model, month(&at))).or_default(),
                by_technician.entry((by, month(&at))).or_default(),
            ] {
                tally.satisfaction.push(satisfaction);
                tally.recommend.extend(recommend);
            }
        }
    }
    let voided: HashSet<_> = ops_of(tx, "voided", model)
        .await?
        .into_iter()
        .filter_map(|(op, _, _, _)| match op.change {
            Change::Voided { voids, .. } => Some(voids),
            _ => None,
        })
        .collect();
    for (op, model, at, _) in ops_of(tx, "warranty_decided", model).await? {
        if !in_range(&at) || voided.contains(&op.op_id) {
            continue;
        }
        if let Change::WarrantyDecided { fault, .. } = op.change {
            *tallies
                .entry((model, month(&at)))
                .or_default()
                .faults
                .entry(fault)
                .or_default() += 1;
        }
    }
    let complaints = tx
        .query(
            "SELECT coalesce(a.model, $1), c.opened_at, j.technician FROM cases c \
             LEFT JOIN jobs j ON j.id = c.job_id LEFT JOIN assets a ON a.id = j.asset_id \
             WHERE c.kind = 'complaint' AND ($2::text IS NULL OR a.model = $2)",
            &[&NO_PRODUCT, &model],
        )
        .await?
        .iter()
        .map(|r| {
            Ok((
                rows::get::<String>(r, 0)?,
                rows::get::<DateTime<Utc>>(r, 1)?,
                rows::get::<Option<String>>(r, 2)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    for (model, at, technician) in complaints {
        if in_range(&at) {
            tallies.entry((model, month(&at))).or_default().complaints += 1;
            if let Some(technician) = technician {
                by_technician
                    .entry((technician, month(&at)))
                    .or_default()
                    .complaints += 1;
            }
        }
    }
    let rows = tallies
        .into_iter()
        .map(|((model, month), t)| FeedbackRow {
            model,
            month,
            ratings: t.satisfaction.len() as u32,
            mean_satisfaction: t.mean(),
            recommend_answers: t.recommend.len() as u32,
            nps: net_promoter_score(&t.recommend),
            complaints: t.complaints,
            faults: t
                .faults
                .into_iter()
                .map(|(fault, count)| FaultCount { fault, count })
                .collect(),
        })
        .collect();
    Ok(FeedbackSummary {
        from: from.format("%Y-%m").to_string(),
        to: to.format("%Y-%m").to_string(),
        rows,
        technicians: by_technician
            .into_iter()
            .map(|((technician, month), t)| TechnicianRow {
                technician,
                month,
                ratings: t.satisfaction.len() as u32,
                mean_satisfaction: t.mean(),
                recommend_answers: t.recommend.len() as u32,
                nps: net_promoter_score(&t.recommend),
                complaints: t.complaints,
            })
            .collect(),
    })
}
