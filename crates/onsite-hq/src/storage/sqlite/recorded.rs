//! Reading the ops HQ recorded: as devices receive them with their jobs, and as dispatchers
//! see them, with the display names of who sent and who settled each.

use super::rows::parsed;
use super::users;
use crate::storage::{Result, page_is_full};
use onsite_protocol::conflict::Settlement;
use onsite_protocol::push::RecordedOp;
use onsite_protocol::{JobId, Op, Resolution};
use rusqlite::{Row, Transaction, params};

/// Columns of `ops` that [`recorded`] reads, in its order.
pub const RECORDED_COLUMNS: &str = "body, username, received_at, outcome, reason, message, \
    resolution, resolved_by, resolved_at, resolution_note";

/// Maps a row selected with [`RECORDED_COLUMNS`] from `base`; `None` when the body is not an op.
pub fn recorded(row: &Row<'_>, base: usize) -> rusqlite::Result<Option<RecordedOp>> {
    let body: String = row.get(base)?;
    let Ok(op) = serde_json::from_str::<Op>(&body) else {
        return Ok(None);
    };
    let resolution: Option<String> = row.get(base + 6)?;
    let settled = match resolution.and_then(|r| r.parse::<Resolution>().ok()) {
        Some(resolution) => Some(Settlement {
            resolution,
            by: row.get(base + 7)?,
            by_name: None,
            at: row.get(base + 8)?,
            note: row.get(base + 9)?,
        }),
        None => None,
    };
    Ok(Some(RecordedOp {
        op,
        by: row.get(base + 1)?,
        by_name: None,
        received_at: row.get(base + 2)?,
        outcome: parsed(row, base + 3)?,
        reason: row
            .get::<_, Option<String>>(base + 4)?
            .and_then(|r| r.parse().ok()),
        message: row.get(base + 5)?,
        settled,
    }))
}

/// The ops that count (applied and conflicts) recorded against `job`, as devices receive
/// them, in receive order: all of them, or only those recorded or settled after the feed
/// position `since`.
pub fn of_job(tx: &Transaction<'_>, job: JobId, since: Option<i64>) -> Result<Vec<RecordedOp>> {
    let sql = format!(
        "SELECT {RECORDED_COLUMNS} FROM ops WHERE job_id = ?1 AND changed_seq > ?2 \
         AND outcome <> 'rejected' ORDER BY seq"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![job.0, since.unwrap_or(-1)], |r| recorded(r, 0))?;
    let mut out = Vec::new();
    for r in rows {
        out.extend(r?);
    }
    for op in &mut out {
        name_people(tx, op)?;
    }
    Ok(out)
}

/// A page of every op recorded against `job` (whatever its outcome) after the position
/// `after`, at most `limit` and within [`MAX_PAGE_BYTES`] (at least one); and the position to
/// continue after, when there is more.
pub fn page_of_job(
    tx: &Transaction<'_>,
    job: JobId,
    after: Option<i64>,
    limit: u32,
) -> Result<(Vec<RecordedOp>, Option<i64>)> {
    let sql = format!(
        "SELECT seq, length(body), {RECORDED_COLUMNS} FROM ops WHERE job_id = ?1 AND seq > ?2 \
         ORDER BY seq"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![job.0, after.unwrap_or(0)])?;
    let (mut out, mut bytes, mut last, mut more) = (Vec::new(), 0usize, None, false);
    while let Some(row) = rows.next()? {
        let size = usize::try_from(row.get::<_, i64>(1)?).unwrap_or(usize::MAX);
        if page_is_full(out.len(), bytes, size, limit) {
            more = true;
            break;
        }
        bytes = bytes.saturating_add(size);
        last = Some(row.get(0)?);
        out.extend(recorded(row, 2)?);
    }
    for op in &mut out {
        name_people(tx, op)?;
    }
    Ok((out, last.filter(|_| more)))
}

/// Fills in the display names of the technician who sent `op` and of the dispatcher who
/// settled it, read now so a renamed account shows its current name.
pub fn name_people(tx: &Transaction<'_>, op: &mut RecordedOp) -> Result<()> {
    op.by_name = users::display_name(tx, &op.by)?;
    if let Some(settled) = &mut op.settled {
        settled.by_name = users::display_name(tx, &settled.by)?;
    }
    Ok(())
}
