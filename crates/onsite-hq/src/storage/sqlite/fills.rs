//! Parts requests filled at HQ. A request stays open until parts of its SKU are put into the
//! van of the job's technician (enough to cover it, oldest request first) or a dispatcher says
//! how the parts reach the job. A fill stamps the job in its technician's feed, so the laptop
//! learns it with the next pull.

use super::{feed, rows};
use crate::storage::{Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::visit::PartsFill;
use onsite_protocol::{JobId, JobStatus, OpId};
use rusqlite::{OptionalExtension, Transaction, params};

/// The fills of `job`'s requests, in the order HQ filled them.
pub fn of_job(tx: &Transaction<'_>, job: JobId) -> Result<Vec<PartsFill>> {
    let fills = tx
        .prepare_cached(
            "SELECT request_op, at, by, how FROM parts_fills WHERE job_id = ?1 ORDER BY at, rowid",
        )?
        .query_map([job.0], |r| {
            Ok(PartsFill {
                request: OpId(r.get(0)?),
                job_id: job,
                at: r.get(1)?,
                by: r.get(2)?,
                how: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(fills)
}

fn insert(tx: &Transaction<'_>, fill: &PartsFill, technician: Option<&str>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO parts_fills (request_op, job_id, at, by, how) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        fill.request.0,
        fill.job_id.0,
        fill.at,
        fill.by,
        fill.how
    ])?;
    if let Some(technician) = technician {
        feed::bump(tx, technician, fill.job_id)?;
    }
    Ok(())
}

/// Fills request `request` as a dispatcher says (`how`, checked by the caller).
///
/// # Errors
/// `NotFound` when no applied request has that id; `Conflict` when it is filled already or its
/// job is completed or cancelled.
pub fn fill(
    tx: &Transaction<'_>,
    request: OpId,
    by: &str,
    how: &str,
    now: DateTime<Utc>,
) -> Result<PartsFill> {
    let found = tx
        .prepare_cached(
            "SELECT o.job_id, j.status, j.technician, \
             EXISTS (SELECT 1 FROM parts_fills f WHERE f.request_op = o.op_id) \
             FROM ops o JOIN jobs j ON j.id = o.job_id \
             WHERE o.op_id = ?1 AND o.outcome = 'applied' \
             AND json_extract(o.body, '$.kind') = 'parts_requested'",
        )?
        .query_row([request.0], |r| {
            Ok((
                JobId(r.get(0)?),
                rows::parsed::<JobStatus>(r, 1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .optional()?;
    let Some((job_id, status, technician, filled)) = found else {
        return Err(StorageError::NotFound("parts request"));
    };
    if filled {
        return Err(StorageError::Conflict(
            "this parts request is filled already".into(),
        ));
    }
    if matches!(status, JobStatus::Completed | JobStatus::Cancelled) {
        return Err(StorageError::Conflict(format!(
            "the job is {status}: its requests are closed with it"
        )));
    }
    let fill = PartsFill {
        request,
        job_id,
        at: now,
        by: by.to_string(),
        how: how.to_string(),
    };
    insert(tx, &fill, technician.as_deref())?;
    Ok(fill)
}

/// Fills, oldest first, the open requests for `sku` on `technician`'s open jobs that `qty`
/// units just put into their van cover; a request for more than what is left stays open (and
/// so does every later one: the oldest waits first).
pub fn fill_from_van(
    tx: &Transaction<'_>,
    technician: &str,
    sku: &str,
    qty: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PartsFill>> {
    let open: Vec<(OpId, JobId, i64)> = tx
        .prepare_cached(
            "SELECT o.op_id, o.job_id, json_extract(o.body, '$.qty') \
             FROM ops o JOIN jobs j ON j.id = o.job_id \
             WHERE o.outcome = 'applied' AND json_extract(o.body, '$.kind') = 'parts_requested' \
             AND json_extract(o.body, '$.sku') = ?2 AND j.technician = ?1 \
             AND j.status NOT IN ('completed', 'cancelled') \
             AND NOT EXISTS (SELECT 1 FROM parts_fills f WHERE f.request_op = o.op_id) \
             ORDER BY o.seq",
        )?
        .query_map(params![technician, sku], |r| {
            Ok((OpId(r.get(0)?), JobId(r.get(1)?), r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut left = qty;
    let mut fills = Vec::new();
    for (request, job_id, wanted) in open {
        if wanted > left {
            break;
        }
        left -= wanted;
        let fill = PartsFill {
            request,
            job_id,
            at: now,
            by: by.to_string(),
            how: format!("put into {technician}'s van"),
        };
        insert(tx, &fill, Some(technician))?;
        fills.push(fill);
    }
    Ok(fills)
}
