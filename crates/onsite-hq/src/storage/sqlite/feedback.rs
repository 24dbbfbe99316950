//! What a visit's end sets going at HQ, inside the transaction that applies the op (so it
//! happens once per op): a low rating or words of complaint open a complaint, a completed
//! installation and a complaint get a follow-up call; and what customers said, summed per
//! product model and month.

use super::cases::{self, FROM_RATING, Opening};
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
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::{BTreeMap, HashSet};

/// Carries out what `op`, just applied to `job`, sets going.
///
/// # Errors
/// Only from the database.
pub fn on_applied(
    tx: &Transaction<'_>,
    job: &Job,
    op: &Op,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let visited = op.recorded_at.unwrap_or(now).min(now).date_naive();
    match &op.change {
        Change::SignedOff { signed_at, .. } => {
            let technician = super::users::display_name(tx, by)?.unwrap_or_else(|| by.into());
            super::letters::queue(tx, job, &technician, (*signed_at).min(now), now)?;
        }
        Change::Rated {
            satisfaction,
            comment,
            complaint,
            call_ok,
            call_time,
            ..
        } => {
            follow_ups::consent(tx, job.id, *call_ok, *call_time)?;
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
            )?;
            if *call_ok {
                let delay = settings::settings(tx)?.follow_up_days;
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
                )?;
            }
        }
        Change::Status {
            to: JobStatus::Completed,
        } if job.kind == JobKind::Installation => {
            let (call_ok, call_time) = latest_consent(tx, job)?;
            if call_ok {
                let delay = settings::settings(tx)?.follow_up_days;
                if let Some(due) = feedback::follow_up_due(job.kind, false, visited, delay) {
                    follow_ups::schedule(
                        tx,
                        job.id,
                        FollowUpReason::Installation,
                        None,
                        due,
                        call_time,
                        now,
                    )?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The customer's word on calls from their latest rating of `job`: no rating yet counts as
/// consent (an installation is called after unless they said no).
fn latest_consent(
    tx: &Transaction<'_>,
    job: &Job,
) -> Result<(bool, Option<onsite_protocol::signoff::CallTime>)> {
    let latest: Option<String> = tx
        .prepare_cached(
            "SELECT body FROM ops WHERE job_id = ?1 AND outcome = 'applied' \
             AND json_extract(body, '$.kind') = 'rated' ORDER BY hlc DESC LIMIT 1",
        )?
        .query_row([job.id.0], |r| r.get(0))
        .optional()?;
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

/// What customers said from the first day of `from` to the end of month `to`, per model and
/// month: the latest rating per job, complaints opened, faults found by standing decisions.
///
/// # Errors
/// Only from the database.
pub fn summary(
    tx: &Transaction<'_>,
    from: NaiveDate,
    to: NaiveDate,
    model: Option<&str>,
) -> Result<FeedbackSummary> {
    let (start, end) = (from.to_string(), to.to_string());
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let month = |at: &str| at.get(..7).unwrap_or_default().to_string();
    let in_range = |at: &str| {
        at.get(..10)
            .is_some_and(|d| d >= start.as_str() && d <= end.as_str())
    };
    let no_product = "no product";
    // Ops by kind, newest first, with the job's model and who sent them.
    let ops_of = |kind: &str| -> Result<Vec<(Op, String, String, String)>> {
        let mut stmt = tx.prepare_cached(
            "SELECT o.body, coalesce(a.model, ?2), o.received_at, o.username FROM ops o \
             JOIN jobs j ON j.id = o.job_id LEFT JOIN assets a ON a.id = j.asset_id \
             WHERE json_extract(o.body, '$.kind') = ?1 AND o.outcome = 'applied' \
             AND (?3 IS NULL OR a.model = ?3) ORDER BY o.seq DESC",
        )?;
        let rows = stmt
            .query_map(params![kind, no_product, model], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(body, model, at, by)| {
                let op: Op = serde_json::from_str(&body)
                    .map_err(|e| StorageError::Backend(e.to_string()))?;
                let at = op.recorded_at.map_or(at, |r| r.to_rfc3339());
                Ok((op, model, at, by))
            })
            .collect()
    };
    let mut rated = HashSet::new();
    let mut by_technician: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for (op, model, at, by) in ops_of("rated")? {
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
    let voided: HashSet<_> = ops_of("voided")?
        .into_iter()
        .filter_map(|(op, _, _, _)| match op.change {
            Change::Voided { voids, .. } => Some(voids),
            _ => None,
        })
        .collect();
    for (op, model, at, _) in ops_of("warranty_decided")? {
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
        .prepare_cached(
            "SELECT coalesce(a.model, ?1), c.opened_at, j.technician FROM cases c \
             LEFT JOIN jobs j ON j.id = c.job_id LEFT JOIN assets a ON a.id = j.asset_id \
             WHERE c.kind = 'complaint' AND (?2 IS NULL OR a.model = ?2)",
        )?
        .query_map(params![no_product, model], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, DateTime<Utc>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (model, at, technician) in complaints {
        let at = at.to_rfc3339();
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
