//! Positions in commit order: the feed's stamps, and every other number a reader keeps as a
//! cursor or compares as a change mark.
//!
//! With concurrent writers, a sequence (`nextval`) hands out numbers in the order transactions
//! ask, not the order they commit: transaction A takes 11, B takes 12 and commits, a pull sees
//! 12 and moves its cursor there, then A commits 11 below the cursor, and that device never
//! hears of A's change. Here every position comes from one counter row, updated in the
//! transaction that uses it. The update holds the row's lock until that transaction commits or
//! rolls back, so a second writer's update waits: positions are taken in commit order, and
//! whatever a reader sees is every position up to some point, never one above a gap that may
//! still fill. One row for every kind of position also means two writers can never wait for
//! each other's counters in opposite orders.
//!
//! The price is that writers which take positions run their ends one at a time (from the
//! update to the commit); they take them as late in the transaction as they can.
//!
//! The technicians' change feed (the embedded engine's `feed.rs`, on PostgreSQL): which jobs
//! each technician must (re)fetch or drop. Every change to a job stamps `(technician, job)`
//! with a fresh position, for the job's technician and, on reassignment, for the previous one.
//! A pull reads a technician's rows after its cursor in position order and looks at each job
//! *as it is now*: still theirs → send it; not theirs → tell the device to drop it. Positions
//! become visible in increasing order (above), which is what lets the cursor be a plain number
//! without skipping a concurrent writer's change.

use super::Result;
use super::job_rows::{self, JOB_COLUMNS};
use super::rows::get;
use onsite_protocol::JobId;
use onsite_protocol::api::PullPage;
use std::collections::HashSet;
use tokio_postgres::Transaction;

/// Most recorded ops a page carries with its jobs (a page holds at least one job).
pub const MAX_PAGE_OPS: usize = 5_000;

/// Makes this transaction the one writer: locks the counter row until it commits or rolls
/// back. Every writer that takes positions takes this lock first, so the transactions that
/// write do so one at a time, across every HQ process on the database.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn lock_writes(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "SELECT value FROM counters WHERE name = 'position' FOR UPDATE",
        &[],
    )
    .await?;
    Ok(())
}

/// Takes `n` (at least 1) consecutive positions for this transaction and returns the last;
/// the first is `last - n + 1`. Waits while another transaction holding positions is open.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn take_positions(tx: &Transaction<'_>, n: i64) -> Result<i64> {
    let row = tx
        .query_one(
            "UPDATE counters SET value = value + $1 WHERE name = 'position' RETURNING value",
            &[&n.max(1)],
        )
        .await?;
    Ok(row.get(0))
}

/// The position now: every position committed so far is at or below it, and none at or below
/// it is still to commit (a writer holding one holds the counter row, and this read sees the
/// counter as of the last commit).
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn position(tx: &Transaction<'_>) -> Result<i64> {
    let row = tx
        .query_one("SELECT value FROM counters WHERE name = 'position'", &[])
        .await?;
    Ok(row.get(0))
}

/// Stamps `job` in `technician`'s feed with a fresh position. `entering`: the technician now
/// receives the job (again), their device holds none of its ops, so the row forgets its
/// previous stamp and the next pull carries every op.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn stamp(
    tx: &Transaction<'_>,
    technician: &str,
    job: JobId,
    entering: bool,
) -> Result<i64> {
    let seq = take_positions(tx, 1).await?;
    tx.execute(
        "INSERT INTO job_feed (technician, job_id, seq) VALUES ($1, $2, $3) \
         ON CONFLICT (technician, job_id) DO UPDATE SET \
         prev_seq = CASE WHEN $4 THEN NULL ELSE job_feed.seq END, seq = excluded.seq",
        &[&technician, &job.0, &seq, &entering],
    )
    .await?;
    Ok(seq)
}

/// Stamps `job` in `technician`'s feed with a fresh position.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn bump(tx: &Transaction<'_>, technician: &str, job: JobId) -> Result<()> {
    stamp(tx, technician, job, false).await?;
    Ok(())
}

/// Stamps `job` in the feed of `technician`, who now receives it (again): their device does
/// not hold its ops (it dropped them if it held the job before), so the row forgets its
/// previous stamp and the next pull carries every op.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn bump_entering(tx: &Transaction<'_>, technician: &str, job: JobId) -> Result<()> {
    stamp(tx, technician, job, true).await?;
    Ok(())
}

/// Marks what a transaction changed of the ops — those it recorded (`seq` above `recorded_after`)
/// or the one it settled — as changed at the position at its end, which is at or above every
/// stamp it made (and every op position it took). Called last in the transaction.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn mark_ops_changed(tx: &Transaction<'_>, changed: OpsChanged) -> Result<()> {
    let at = position(tx).await?;
    match changed {
        OpsChanged::RecordedAfter(seq) => {
            tx.execute(
                "UPDATE ops SET changed_seq = $1 WHERE seq > $2",
                &[&at, &seq],
            )
            .await?
        }
        OpsChanged::Settled(op_id) => {
            tx.execute(
                "UPDATE ops SET changed_seq = $1 WHERE op_id = $2",
                &[&at, &op_id.0],
            )
            .await?
        }
    };
    Ok(())
}

/// Which ops a transaction changed.
pub enum OpsChanged {
    /// Those recorded after this `seq`.
    RecordedAfter(i64),
    /// This one, settled.
    Settled(onsite_protocol::OpId),
}

/// Whether `technician` holds or held `job` (it has a row in their feed).
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn held(tx: &Transaction<'_>, technician: &str, job: JobId) -> Result<bool> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM job_feed WHERE technician = $1 AND job_id = $2",
            &[&technician, &job.0],
        )
        .await?
        .is_some())
}

/// Stamps every job that references `column = id` (a customer, site or asset that changed).
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn bump_referencing(tx: &Transaction<'_>, column: &str, id: uuid::Uuid) -> Result<()> {
    let sql =
        format!("SELECT id, technician FROM jobs WHERE {column} = $1 AND technician IS NOT NULL");
    let holders = tx
        .query(&sql, &[&id])
        .await?
        .iter()
        .map(|r| Ok((get::<uuid::Uuid>(r, 0)?, get::<String>(r, 1)?)))
        .collect::<Result<Vec<_>>>()?;
    for (job, technician) in holders {
        bump(tx, &technician, JobId(job)).await?;
    }
    Ok(())
}

/// Reads one page of `technician`'s feed after `after`. Returns the page (cursor left empty),
/// the position to resume after, and the position when the page was read.
///
/// `known` is the position when the device read its previous page, if it asked for only what
/// changed: then a job whose feed row was stamped once since the device received it (its
/// previous stamp at or below `after`, its stamp after `known`) carries only the ops recorded
/// or settled after `known`, and is listed in `ops_since`. Any op changed before `known` was
/// changed before that job's previous stamp (a change of its ops stamps the row), so the
/// device has it. Every other job carries all its ops.
///
/// # Errors
/// [`StorageError::Backend`](super::StorageError::Backend) when the database fails.
pub async fn page(
    tx: &Transaction<'_>,
    technician: &str,
    after: Option<i64>,
    known: Option<i64>,
    limit: u32,
) -> Result<(PullPage, i64, i64)> {
    let mark = position(tx).await?;
    let after = after.unwrap_or(0);
    let sql = format!(
        "SELECT f.seq, f.job_id, f.prev_seq, j.{} FROM job_feed f \
         LEFT JOIN jobs j ON j.id = f.job_id AND j.technician = f.technician \
         WHERE f.technician = $1 AND f.seq > $2 ORDER BY f.seq LIMIT $3",
        JOB_COLUMNS.replace(", ", ", j.")
    );
    let rows = tx
        .query(&sql, &[&technician, &after, &(i64::from(limit) + 1)])
        .await?;
    let mut page = PullPage::default();
    let mut last = after;
    for (taken, row) in rows.iter().enumerate() {
        if taken == limit as usize {
            page.more = true;
            break;
        }
        // The job's own id, NULL when the job is no longer this technician's.
        if get::<Option<uuid::Uuid>>(row, 3)?.is_none() {
            page.removed.push(JobId(get(row, 1)?));
        } else {
            let job = job_rows::job(row, 3)?;
            let (seq, prev): (i64, Option<i64>) = (get(row, 0)?, get(row, 2)?);
            let since = known.filter(|k| prev.is_some_and(|p| p <= after) && seq > *k);
            let ops = super::recorded::of_job(tx, job.id, since).await?;
            if since.is_some() {
                page.ops_since.push(job.id);
            }
            // A job's ops travel with it; a page stops before they make it too heavy (but
            // always carries at least one job, however many ops it has).
            if !page.jobs.is_empty() && page.ops.len() + ops.len() > MAX_PAGE_OPS {
                page.more = true;
                break;
            }
            page.ops.extend(ops);
            page.jobs.push(job);
        }
        last = get(row, 0)?;
    }
    let mut customers = HashSet::new();
    let mut sites = HashSet::new();
    let mut assets = HashSet::new();
    for job in &page.jobs {
        if customers.insert(job.customer_id) {
            page.customers
                .push(job_rows::customer(tx, job.customer_id).await?);
        }
        if sites.insert(job.site_id) {
            page.sites.push(job_rows::site(tx, job.site_id).await?);
        }
        if let Some(a) = job.asset_id.filter(|a| assets.insert(*a)) {
            page.assets.push(job_rows::asset(tx, a).await?);
        }
        page.history
            .extend(job_rows::status_history(tx, job.id).await?);
        page.fills.extend(super::fills::of_job(tx, job.id).await?);
        page.letters
            .extend(super::letters::notice(tx, job.id).await?);
    }
    let on_page: HashSet<_> = page.jobs.iter().map(|j| j.id).collect();
    for asset in &page.assets {
        page.service
            .extend(super::visit::service_history(tx, asset.id, &on_page).await?);
    }
    page.hlc = Some(super::clock::current(tx).await?);
    Ok((page, last, mark))
}

#[cfg(test)]
mod tests;
