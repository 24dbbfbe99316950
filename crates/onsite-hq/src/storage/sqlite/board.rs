//! The day board: lanes of technicians, the jobs in a window, the unassigned queue; and the
//! change mark a live board watches.

use super::rows::{JOB_COLUMNS, job, view};
use crate::storage::{ChangeMark, Result};
use onsite_protocol::board::{Board, BoardQuery, BoardTechnician, MAX_BOARD_JOBS, MAX_QUEUE_JOBS};
use rusqlite::{Transaction, params};

pub fn board(tx: &Transaction<'_>, query: &BoardQuery) -> Result<Board> {
    let technicians = tx
        .prepare_cached(
            "SELECT username, display_name, skills FROM users \
             WHERE role = 'technician' AND disabled_at IS NULL ORDER BY display_name, username",
        )?
        .query_map([], |r| {
            let skills: String = r.get(2)?;
            Ok(BoardTechnician {
                username: r.get(0)?,
                display_name: r.get(1)?,
                skills: serde_json::from_str(&skills).unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A window meets the board's when it starts before the board ends and ends after the
    // board starts (one with no end: starts within the board).
    let in_window = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE technician IS NOT NULL AND ( \
           (scheduled_start < ?1 AND (scheduled_end > ?2 OR (scheduled_end IS NULL AND scheduled_start >= ?2))) \
           OR (scheduled_start IS NULL AND status NOT IN ('completed', 'cancelled'))) \
         ORDER BY scheduled_start IS NULL, scheduled_start, number LIMIT ?3"
    );
    let mut jobs = tx
        .prepare_cached(&in_window)?
        .query_map(params![query.to, query.from, MAX_BOARD_JOBS + 1], |r| {
            job(r, 0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let queue = format!(
        "SELECT {JOB_COLUMNS} FROM jobs \
         WHERE technician IS NULL AND status NOT IN ('completed', 'cancelled') \
         ORDER BY sla_due IS NULL, sla_due, \
           CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, \
           number LIMIT ?1"
    );
    let mut queued = tx
        .prepare_cached(&queue)?
        .query_map([MAX_QUEUE_JOBS + 1], |r| job(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let truncated = jobs.len() > MAX_BOARD_JOBS || queued.len() > MAX_QUEUE_JOBS;
    jobs.truncate(MAX_BOARD_JOBS);
    queued.truncate(MAX_QUEUE_JOBS);
    Ok(Board {
        technicians,
        jobs: jobs
            .into_iter()
            .map(|j| view(tx, j))
            .collect::<Result<_>>()?,
        queue: queued
            .into_iter()
            .map(|j| view(tx, j))
            .collect::<Result<_>>()?,
        truncated,
    })
}

pub fn change_mark(tx: &Transaction<'_>) -> Result<ChangeMark> {
    Ok(tx
        .prepare_cached(
            "SELECT (SELECT coalesce(max(id), 0) FROM job_events), \
             (SELECT coalesce(max(seq), 0) FROM ops)",
        )?
        .query_row([], |r| {
            Ok(ChangeMark {
                jobs: r.get(0)?,
                ops: r.get(1)?,
            })
        })?)
}
