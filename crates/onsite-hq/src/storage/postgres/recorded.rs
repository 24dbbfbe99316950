//! Reading the ops HQ recorded (the embedded engine's `recorded.rs`, on PostgreSQL): as devices
//! receive them with their jobs, and as dispatchers see them, with the display names of who
//! sent and who settled each.

use super::rows::{get, parsed};
use super::users;
use crate::storage::{Result, page_is_full};
use onsite_protocol::conflict::Settlement;
use onsite_protocol::push::RecordedOp;
use onsite_protocol::{JobId, Op, Resolution};
use tokio_postgres::{Row, Transaction};

/// Columns of `ops` that [`recorded`] reads, in its order.
pub const RECORDED_COLUMNS: &str = "body, username, received_at, outcome, reason, message, \
    resolution, resolved_by, resolved_at, resolution_note";

/// Maps a row selected with [`RECORDED_COLUMNS`] from `base`; `None` when the body is not an op.
pub fn recorded(row: &Row, base: usize) -> Result<Option<RecordedOp>> {
    let body: &str = get(row, base)?;
    let Ok(op) = serde_json::from_str::<Op>(body) else {
        return Ok(None);
    };
    let resolution: Option<String> = get(row, base + 6)?;
    let settled = match resolution.and_then(|r| r.parse::<Resolution>().ok()) {
        Some(resolution) => Some(Settlement {
            resolution,
            by: get(row, base + 7)?,
            by_name: None,
            at: get(row, base + 8)?,
            note: get(row, base + 9)?,
        }),
        None => None,
    };
    Ok(Some(RecordedOp {
        op,
        by: get(row, base + 1)?,
        by_name: None,
        received_at: get(row, base + 2)?,
        outcome: parsed(row, base + 3)?,
        reason: get::<Option<String>>(row, base + 4)?.and_then(|r| r.parse().ok()),
        message: get(row, base + 5)?,
        settled,
    }))
}

/// The ops that count (applied and conflicts) recorded against `job`, as devices receive
/// them, in receive order: all of them, or only those recorded or settled after the
/// position `since`.
pub async fn of_job(
    tx: &Transaction<'_>,
    job: JobId,
    since: Option<i64>,
) -> Result<Vec<RecordedOp>> {
    let sql = format!(
        "SELECT {RECORDED_COLUMNS} FROM ops WHERE job_id = $1 AND changed_seq > $2 \
         AND outcome <> 'rejected' ORDER BY seq"
    );
    let rows = tx.query(&sql, &[&job.0, &since.unwrap_or(-1)]).await?;
    let mut out = Vec::new();
    for r in &rows {
        out.extend(recorded(r, 0)?);
    }
    for op in &mut out {
        name_people(tx, op).await?;
    }
    Ok(out)
}

/// A page of every op recorded against `job` (whatever its outcome) after the position
/// `after`, at most `limit` and within [`MAX_PAGE_BYTES`](crate::storage::MAX_PAGE_BYTES) (at
/// least one); and the position to continue after, when there is more.
pub async fn page_of_job(
    tx: &Transaction<'_>,
    job: JobId,
    after: Option<i64>,
    limit: u32,
) -> Result<(Vec<RecordedOp>, Option<i64>)> {
    // `length` counts characters, as the embedded engine's does.
    // A page never holds more than `limit` ops, so no more are read (tokio-postgres reads a
    // whole answer, where SQLite stepped through rows and stopped).
    let sql = format!(
        "SELECT seq, length(body)::bigint, {RECORDED_COLUMNS} FROM ops \
         WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
    );
    let rows = tx
        .query(
            &sql,
            &[&job.0, &after.unwrap_or(0), &(i64::from(limit) + 1)],
        )
        .await?;
    let (mut out, mut bytes, mut last, mut more) = (Vec::new(), 0usize, None, false);
    for row in &rows {
        let size = usize::try_from(get::<i64>(row, 1)?).unwrap_or(usize::MAX);
        if page_is_full(out.len(), bytes, size, limit) {
            more = true;
            break;
        }
        bytes = bytes.saturating_add(size);
        last = Some(get::<i64>(row, 0)?);
        out.extend(recorded(row, 2)?);
    }
    for op in &mut out {
        name_people(tx, op).await?;
    }
    Ok((out, last.filter(|_| more)))
}

/// Fills in the display names of the technician who sent `op` and of the dispatcher who
/// settled it, read now so a renamed account shows its current name.
pub async fn name_people(tx: &Transaction<'_>, op: &mut RecordedOp) -> Result<()> {
    op.by_name = users::display_name(tx, &op.by).await?;
    if let Some(settled) = &mut op.settled {
        settled.by_name = users::display_name(tx, &settled.by).await?;
    }
    Ok(())
}
