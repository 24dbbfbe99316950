//! The technicians' change feed: which jobs each technician must (re)fetch or drop.
//!
//! Every change to a job stamps `(technician, job)` with the next global sequence number, for
//! the job's technician and, on reassignment, for the previous one. A pull reads a technician's
//! rows after its cursor in sequence order and looks at each job *as it is now*: still theirs →
//! send it; not theirs → tell the device to drop it. Sequence numbers are taken inside the
//! `BEGIN IMMEDIATE` write transaction, and SQLite admits one writer at a time, so numbers
//! become visible in increasing order: a reader never sees seq N+1 before N is committed, which
//! is what lets the cursor be a plain number without skipping a concurrent writer's change.

use super::rows::{self, JOB_COLUMNS};
use crate::storage::Result;
use onsite_protocol::JobId;
use onsite_protocol::api::PullPage;
use rusqlite::{Transaction, params};
use std::collections::HashSet;

/// Most recorded ops a page carries with its jobs (a page holds at least one job).
pub const MAX_PAGE_OPS: usize = 5_000;

/// Stamps `job` in `technician`'s feed with a fresh sequence number.
pub fn bump(tx: &Transaction<'_>, technician: &str, job: JobId) -> Result<()> {
    let seq: i64 = tx
        .prepare_cached(
            "UPDATE counters SET value = value + 1 WHERE name = 'feed_seq' RETURNING value",
        )?
        .query_row([], rows::one)?;
    tx.prepare_cached(
        "INSERT INTO job_feed (technician, job_id, seq) VALUES (?1, ?2, ?3) \
         ON CONFLICT (technician, job_id) DO UPDATE SET seq = excluded.seq",
    )?
    .execute(params![technician, job.0, seq])?;
    Ok(())
}

/// Whether `technician` holds or held `job` (it has a row in their feed).
pub fn held(tx: &Transaction<'_>, technician: &str, job: JobId) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM job_feed WHERE technician = ?1 AND job_id = ?2")?
        .exists(params![technician, job.0])?)
}

/// Stamps every job that references `column = id` (a customer, site or asset that changed).
pub fn bump_referencing(tx: &Transaction<'_>, column: &str, id: uuid::Uuid) -> Result<()> {
    let sql =
        format!("SELECT id, technician FROM jobs WHERE {column} = ?1 AND technician IS NOT NULL");
    let holders: Vec<(uuid::Uuid, String)> = tx
        .prepare_cached(&sql)?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (job, technician) in holders {
        bump(tx, &technician, JobId(job))?;
    }
    Ok(())
}

/// Reads one page of `technician`'s feed after `after`. Returns the page (cursor left empty)
/// and the sequence number to resume after.
pub fn page(
    tx: &Transaction<'_>,
    technician: &str,
    after: Option<i64>,
    limit: u32,
) -> Result<(PullPage, i64)> {
    let after = after.unwrap_or(0);
    let sql = format!(
        "SELECT f.seq, f.job_id, j.{} FROM job_feed f \
         LEFT JOIN jobs j ON j.id = f.job_id AND j.technician = f.technician \
         WHERE f.technician = ?1 AND f.seq > ?2 ORDER BY f.seq LIMIT ?3",
        JOB_COLUMNS.replace(", ", ", j.")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![technician, after, i64::from(limit) + 1])?;
    let mut page = PullPage::default();
    let mut last = after;
    let mut taken = 0u32;
    while let Some(row) = rows.next()? {
        if taken == limit {
            page.more = true;
            break;
        }
        if row.get_ref(2)?.data_type() == rusqlite::types::Type::Null {
            page.removed.push(JobId(row.get(1)?));
        } else {
            let job = rows::job(row, 2)?;
            let ops = super::recorded::of_job(tx, job.id, false)?;
            // A job's ops travel with it; a page stops before they make it too heavy (but
            // always carries at least one job, however many ops it has).
            if !page.jobs.is_empty() && page.ops.len() + ops.len() > MAX_PAGE_OPS {
                page.more = true;
                break;
            }
            page.ops.extend(ops);
            page.jobs.push(job);
        }
        taken += 1;
        last = row.get(0)?;
    }
    let mut customers = HashSet::new();
    let mut sites = HashSet::new();
    let mut assets = HashSet::new();
    for job in &page.jobs {
        if customers.insert(job.customer_id) {
            page.customers.push(rows::customer(tx, job.customer_id)?);
        }
        if sites.insert(job.site_id) {
            page.sites.push(rows::site(tx, job.site_id)?);
        }
        if let Some(a) = job.asset_id.filter(|a| assets.insert(*a)) {
            page.assets.push(rows::asset(tx, a)?);
        }
        page.history.extend(rows::status_history(tx, job.id)?);
    }
    page.hlc = Some(super::clock::current(tx)?);
    Ok((page, last))
}
