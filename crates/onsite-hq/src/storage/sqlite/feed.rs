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
    stamp_row(tx, technician, job, false)
}

/// Stamps `job` in the feed of `technician`, who now receives it (again): their device does
/// not hold its ops (it dropped them if it held the job before), so the row forgets its
/// previous stamp and the next pull carries every op.
pub fn bump_entering(tx: &Transaction<'_>, technician: &str, job: JobId) -> Result<()> {
    stamp_row(tx, technician, job, true)
}

fn stamp_row(tx: &Transaction<'_>, technician: &str, job: JobId, entering: bool) -> Result<()> {
    let seq: i64 = tx
        .prepare_cached(
            "UPDATE counters SET value = value + 1 WHERE name = 'feed_seq' RETURNING value",
        )?
        .query_row([], rows::one)?;
    tx.prepare_cached(
        "INSERT INTO job_feed (technician, job_id, seq) VALUES (?1, ?2, ?3) \
         ON CONFLICT (technician, job_id) DO UPDATE SET \
         prev_seq = CASE WHEN ?4 THEN NULL ELSE seq END, seq = excluded.seq",
    )?
    .execute(params![technician, job.0, seq, entering])?;
    Ok(())
}

/// The feed's position now: every stamp committed so far is at or below it.
pub fn position(tx: &Transaction<'_>) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT value FROM counters WHERE name = 'feed_seq'")?
        .query_row([], rows::one)?)
}

/// Marks what a transaction changed of the ops — those it recorded (`seq` above `recorded_after`)
/// or the one it settled — as changed at the feed's position at its end, which is at or above
/// every stamp it made. Called last in the transaction.
pub fn mark_ops_changed(tx: &Transaction<'_>, changed: OpsChanged) -> Result<()> {
    let at = position(tx)?;
    match changed {
        OpsChanged::RecordedAfter(seq) => tx
            .prepare_cached("UPDATE ops SET changed_seq = ?1 WHERE seq > ?2")?
            .execute(params![at, seq])?,
        OpsChanged::Settled(op_id) => tx
            .prepare_cached("UPDATE ops SET changed_seq = ?1 WHERE op_id = ?2")?
            .execute(params![at, op_id.0])?,
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

/// Reads one page of `technician`'s feed after `after`. Returns the page (cursor left empty),
/// the sequence number to resume after, and the feed's position when the page was read.
///
/// `known` is the feed's position when the device read its previous page, if it asked for
/// only what changed: then a job whose feed row was stamped once since the device received it
/// (its previous stamp at or below `after`, its stamp after `known`) carries only the ops
/// recorded or settled after `known`, and is listed in `ops_since`. Any op changed before
/// `known` was changed before that job's previous stamp (a change of its ops stamps the row),
/// so the device has it. Every other job carries all its ops.
pub fn page(
    tx: &Transaction<'_>,
    technician: &str,
    after: Option<i64>,
    known: Option<i64>,
    limit: u32,
) -> Result<(PullPage, i64, i64)> {
    let mark = position(tx)?;
    let after = after.unwrap_or(0);
    let sql = format!(
        "SELECT f.seq, f.job_id, f.prev_seq, j.{} FROM job_feed f \
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
        if row.get_ref(3)?.data_type() == rusqlite::types::Type::Null {
            page.removed.push(JobId(row.get(1)?));
        } else {
            let job = rows::job(row, 3)?;
            let (seq, prev): (i64, Option<i64>) = (row.get(0)?, row.get(2)?);
            let since = known.filter(|k| prev.is_some_and(|p| p <= after) && seq > *k);
            let ops = super::recorded::of_job(tx, job.id, since)?;
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
        page.fills.extend(super::fills::of_job(tx, job.id)?);
        page.letters.extend(super::letters::notice(tx, job.id)?);
    }
    let on_page: HashSet<_> = page.jobs.iter().map(|j| j.id).collect();
    for asset in &page.assets {
        page.service
            .extend(super::visit::service_history(tx, asset.id, &on_page)?);
    }
    page.hlc = Some(super::clock::current(tx)?);
    Ok((page, last, mark))
}
