//! The day board: lanes of technicians, the jobs in a window, the unassigned queue; and the
//! change mark a live board watches (the embedded engine's `board.rs`, on PostgreSQL).

use super::job_rows::{JOB_COLUMNS, job, view};
use super::rows::get;
use crate::storage::{ChangeMark, Result};
use onsite_protocol::board::{Board, BoardQuery, BoardTechnician, MAX_BOARD_JOBS, MAX_QUEUE_JOBS};
use tokio_postgres::{Row, Transaction};

fn technician(r: &Row) -> Result<BoardTechnician> {
    let skills: &str = get(r, 2)?;
    Ok(BoardTechnician {
        username: get(r, 0)?,
        display_name: get(r, 1)?,
        skills: serde_json::from_str(skills).unwrap_or_default(),
    })
}

pub async fn board(tx: &Transaction<'_>, query: &BoardQuery) -> Result<Board> {
    let technicians = tx
        .query(
            "SELECT username, display_name, skills FROM users \
             WHERE role = 'technician' AND disabled_at IS NULL ORDER BY display_name, username",
            &[],
        )
        .await?
        .iter()
        .map(technician)
        .collect::<Result<Vec<_>>>()?;
    // A window meets the board's when it starts before the board ends and ends after the
    // board starts (one with no end: starts within the board).
    let in_window = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE technician IS NOT NULL AND ( \
           (scheduled_start < $1 AND (scheduled_end > $2 OR (scheduled_end IS NULL AND scheduled_start >= $2))) \
           OR (scheduled_start IS NULL AND status NOT IN ('completed', 'cancelled'))) \
         ORDER BY scheduled_start IS NULL, scheduled_start, number LIMIT $3"
    );
    let board_limit = i64::try_from(MAX_BOARD_JOBS + 1).unwrap_or(i64::MAX);
    let mut jobs = tx
        .query(&in_window, &[&query.to, &query.from, &board_limit])
        .await?
        .iter()
        .map(|r| job(r, 0))
        .collect::<Result<Vec<_>>>()?;
    let queue = format!(
        "SELECT {JOB_COLUMNS} FROM jobs \
         WHERE technician IS NULL AND status NOT IN ('completed', 'cancelled') \
         ORDER BY sla_due IS NULL, sla_due, \
           CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, \
           number LIMIT $1"
    );
    let queue_limit = i64::try_from(MAX_QUEUE_JOBS + 1).unwrap_or(i64::MAX);
    let mut queued = tx
        .query(&queue, &[&queue_limit])
        .await?
        .iter()
        .map(|r| job(r, 0))
        .collect::<Result<Vec<_>>>()?;
    let truncated = jobs.len() > MAX_BOARD_JOBS || queued.len() > MAX_QUEUE_JOBS;
    jobs.truncate(MAX_BOARD_JOBS);
    queued.truncate(MAX_QUEUE_JOBS);
    let mut job_views = Vec::with_capacity(jobs.len());
    for j in jobs {
        job_views.push(view(tx, j).await?);
    }
    let mut queue_views = Vec::with_capacity(queued.len());
    for j in queued {
        queue_views.push(view(tx, j).await?);
    }
    Ok(Board {
        technicians,
        jobs: job_views,
        queue: queue_views,
        truncated,
    })
}

pub async fn change_mark(tx: &Transaction<'_>) -> Result<ChangeMark> {
    let r = tx
        .query_one(
            "SELECT (SELECT coalesce(max(id), 0) FROM job_events), \
             (SELECT coalesce(max(seq), 0) FROM ops)",
            &[],
        )
        .await?;
    Ok(ChangeMark {
        jobs: get(&r, 0)?,
        ops: get(&r, 1)?,
    })
}
