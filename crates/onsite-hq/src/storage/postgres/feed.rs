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

use super::Result;
use onsite_protocol::JobId;
use tokio_postgres::Transaction;

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

#[cfg(test)]
mod tests;
