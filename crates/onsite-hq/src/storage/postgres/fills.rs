//! Parts requests filled at HQ (the embedded engine's `fills.rs`, on PostgreSQL). A request
//! stays open until parts of its SKU are put into the van of the job's technician (enough to
//! cover it, oldest request first) or a dispatcher says how the parts reach the job. A fill
//! stamps the job in its technician's feed, so the laptop learns it with the next pull.

use super::rows::{get, parsed};
use crate::storage::{Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::visit::PartsFill;
use onsite_protocol::{JobId, JobStatus, OpId};
use tokio_postgres::Transaction;

/// The fills of `job`'s requests, in the order HQ filled them: by time, and among fills made
/// at once (one issue into a van) in the order of their requests, as they were made.
pub async fn of_job(tx: &Transaction<'_>, job: JobId) -> Result<Vec<PartsFill>> {
    tx.query(
        "SELECT f.request_op, f.at, f.by, f.how FROM parts_fills f \
         JOIN ops o ON o.op_id = f.request_op WHERE f.job_id = $1 ORDER BY f.at, o.seq",
        &[&job.0],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(PartsFill {
            request: OpId(get(r, 0)?),
            job_id: job,
            at: get(r, 1)?,
            by: get(r, 2)?,
            how: get(r, 3)?,
        })
    })
    .collect()
}

async fn insert(tx: &Transaction<'_>, fill: &PartsFill, technician: Option<&str>) -> Result<()> {
    tx.execute(
        "INSERT INTO parts_fills (request_op, job_id, at, by, how) VALUES ($1, $2, $3, $4, $5)",
        &[
            &fill.request.0,
            &fill.job_id.0,
            &fill.at,
            &fill.by,
            &fill.how,
        ],
    )
    .await?;
    if let Some(technician) = technician {
        super::feed::bump(tx, technician, fill.job_id).await?;
    }
    Ok(())
}

/// Fills request `request` as a dispatcher says (`how`, checked by the caller).
///
/// # Errors
/// `NotFound` when no applied request has that id; `Conflict` when it is filled already or its
/// job is completed or cancelled.
pub async fn fill(
    tx: &Transaction<'_>,
    request: OpId,
    by: &str,
    how: &str,
    now: DateTime<Utc>,
) -> Result<PartsFill> {
    let found = tx
        .query_opt(
            "SELECT o.job_id, j.status, j.technician, \
             EXISTS (SELECT 1 FROM parts_fills f WHERE f.request_op = o.op_id) \
             FROM ops o JOIN jobs j ON j.id = o.job_id \
             WHERE o.op_id = $1 AND o.outcome = 'applied' \
             AND (o.body::jsonb ->> 'kind') = 'parts_requested'",
            &[&request.0],
        )
        .await?
        .map(|r| {
            Ok::<_, StorageError>((
                JobId(get(&r, 0)?),
                parsed::<JobStatus>(&r, 1)?,
                get::<Option<String>>(&r, 2)?,
                get::<bool>(&r, 3)?,
            ))
        })
        .transpose()?;
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
    insert(tx, &fill, technician.as_deref()).await?;
    Ok(fill)
}

/// Fills, oldest first, the open requests for `sku` on `technician`'s open jobs that `qty`
/// units just put into their van cover; a request for more than what is left stays open (and
/// so does every later one: the oldest waits first).
pub async fn fill_from_van(
    tx: &Transaction<'_>,
    technician: &str,
    sku: &str,
    qty: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PartsFill>> {
    let open: Vec<(OpId, JobId, i64)> = tx
        .query(
            "SELECT o.op_id, o.job_id, ((o.body::jsonb ->> 'qty')::bigint) \
             FROM ops o JOIN jobs j ON j.id = o.job_id \
             WHERE o.outcome = 'applied' AND (o.body::jsonb ->> 'kind') = 'parts_requested' \
             AND (o.body::jsonb ->> 'sku') = $2 AND j.technician = $1 \
             AND j.status NOT IN ('completed', 'cancelled') \
             AND NOT EXISTS (SELECT 1 FROM parts_fills f WHERE f.request_op = o.op_id) \
             ORDER BY o.seq",
            &[&technician, &sku],
        )
        .await?
        .iter()
        .map(|r| Ok((OpId(get(r, 0)?), JobId(get(r, 1)?), get(r, 2)?)))
        .collect::<Result<_>>()?;
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
        insert(tx, &fill, Some(technician)).await?;
        fills.push(fill);
    }
    Ok(fills)
}
