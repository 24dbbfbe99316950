//! Reading domain records from rows, and the read-only job queries.

use crate::storage::Result;
use onsite_protocol::JobId;
use onsite_protocol::api::{JobList, JobListQuery, JobView};
use onsite_protocol::{
    Asset, AssetId, Customer, CustomerId, HistoryEvent, Job, Site, SiteId, StatusChange,
};
pub use onsite_sqlite::parsed;
use rusqlite::Transaction;
use rusqlite::types::FromSql;
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

/// Columns of `jobs` in the order [`job`] reads them; prefix with a table alias as needed.
pub const JOB_COLUMNS: &str = "id, number, kind, priority, summary, description, customer_id, \
    site_id, asset_id, technician, scheduled_start, scheduled_end, sla_due, status, version, \
    updated_at";

fn id<T: From<Uuid>>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    Ok(T::from(row.get::<_, Uuid>(idx)?))
}

fn opt_id<T: From<Uuid>>(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<T>> {
    Ok(row.get::<_, Option<Uuid>>(idx)?.map(T::from))
}

/// Maps a row selected with [`JOB_COLUMNS`] starting at `base`.
pub fn job(row: &Row<'_>, base: usize) -> rusqlite::Result<Job> {
    Ok(Job {
        id: id(row, base)?,
        number: row.get(base + 1)?,
        kind: parsed(row, base + 2)?,
        priority: parsed(row, base + 3)?,
        summary: row.get(base + 4)?,
        description: row.get(base + 5)?,
        customer_id: id(row, base + 6)?,
        site_id: id(row, base + 7)?,
        asset_id: opt_id(row, base + 8)?,
        technician: row.get(base + 9)?,
        scheduled_start: row.get(base + 10)?,
        scheduled_end: row.get(base + 11)?,
        sla_due: row.get(base + 12)?,
        status: parsed(row, base + 13)?,
        version: row.get(base + 14)?,
        updated_at: row.get(base + 15)?,
    })
}

/// Reads one column that must be present; used for single-value lookups.
pub fn one<T: FromSql>(row: &Row<'_>) -> rusqlite::Result<T> {
    row.get(0)
}

/// The job with `id`, if any.
pub fn job_by_id(tx: &Transaction<'_>, id: JobId) -> Result<Option<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1");
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([id.0], |r| job(r, 0))
        .optional()?)
}

/// The job numbered `number`, if any.
pub fn job_by_number(tx: &Transaction<'_>, number: &str) -> Result<Option<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE number = ?1");
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([number], |r| job(r, 0))
        .optional()?)
}

pub fn customer(tx: &Transaction<'_>, id: CustomerId) -> Result<Customer> {
    let mut stmt = tx.prepare_cached("SELECT name, phone, email FROM customers WHERE id = ?1")?;
    Ok(stmt.query_row([id.0], |r| {
        Ok(Customer {
            id,
            name: r.get(0)?,
            phone: r.get(1)?,
            email: r.get(2)?,
        })
    })?)
}

pub fn site(tx: &Transaction<'_>, id: SiteId) -> Result<Site> {
    let mut stmt = tx.prepare_cached(
        "SELECT customer_id, address, town, access_notes FROM sites WHERE id = ?1",
    )?;
    Ok(stmt.query_row([id.0], |r| {
        Ok(Site {
            id,
            customer_id: onsite_protocol::CustomerId(r.get(0)?),
            address: r.get(1)?,
            town: r.get(2)?,
            access_notes: r.get(3)?,
        })
    })?)
}

pub fn asset(tx: &Transaction<'_>, id: AssetId) -> Result<Asset> {
    let mut stmt = tx.prepare_cached(
        "SELECT customer_id, site_id, model, serial, purchased_on, installed_on, warranty_until \
         FROM assets WHERE id = ?1",
    )?;
    Ok(stmt.query_row([id.0], |r| {
        Ok(Asset {
            id,
            customer_id: onsite_protocol::CustomerId(r.get(0)?),
            site_id: r.get::<_, Option<Uuid>>(1)?.map(SiteId),
            model: r.get(2)?,
            serial: r.get(3)?,
            purchased_on: r.get(4)?,
            installed_on: r.get(5)?,
            warranty_until: r.get(6)?,
        })
    })?)
}

/// The statuses a job went through, oldest first. Where the detail names a person (who the
/// job went to, who moved it), it is their display name as it is now.
pub fn status_history(tx: &Transaction<'_>, job_id: JobId) -> Result<Vec<StatusChange>> {
    let mut stmt = tx.prepare_cached(
        "SELECT e.at, e.status, e.kind, e.detail, u.display_name FROM job_events e \
         LEFT JOIN users u ON u.username = e.detail \
           AND e.kind IN ('created', 'assigned', 'imported', 'updated', 'status') \
         WHERE e.job_id = ?1 AND e.status IS NOT NULL ORDER BY e.id",
    )?;
    let rows = stmt.query_map([job_id.0], |r| {
        let kind: String = r.get(2)?;
        let event = history_event(&kind);
        let detail: Option<String> = r.get(3)?;
        let name: Option<String> = r.get(4)?;
        Ok(StatusChange {
            job_id,
            at: r.get(0)?,
            status: onsite_sqlite::parsed(r, 1)?,
            // Unassigning was once recorded as the word "nobody".
            detail: name.or(detail.filter(|d| !(event == HistoryEvent::Assigned && d == "nobody"))),
            event,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The event kind as stored in `job_events.kind`; rows written before settlements had their
/// own kind say "conflict settled".
fn history_event(kind: &str) -> HistoryEvent {
    match kind {
        "conflict settled" => HistoryEvent::Settled,
        other => other.parse().unwrap_or(HistoryEvent::Updated),
    }
}

/// A job with the records it references.
pub fn view(tx: &Transaction<'_>, job: Job) -> Result<JobView> {
    Ok(JobView {
        customer: customer(tx, job.customer_id)?,
        site: site(tx, job.site_id)?,
        asset: job.asset_id.map(|a| asset(tx, a)).transpose()?,
        job,
    })
}

/// Jobs ordered by number, after `query.after`, filtered by status and technician.
pub fn list(tx: &Transaction<'_>, query: &JobListQuery, max_limit: u32) -> Result<JobList> {
    let limit = query.limit.unwrap_or(max_limit).clamp(1, max_limit);
    // The text is matched as given, its LIKE wildcards taken literally.
    let pattern = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs \
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR technician = ?2) AND number > ?3 \
         AND (?5 IS NULL OR number = ?5) AND (?6 IS NULL OR kind = ?6) \
         AND (?7 IS NULL OR scheduled_end > ?7 OR (scheduled_end IS NULL AND scheduled_start >= ?7)) \
         AND (?8 IS NULL OR scheduled_start < ?8) \
         AND (?9 IS NULL OR (sla_due < ?9 AND status NOT IN ('completed', 'cancelled'))) \
         AND (?10 IS NULL OR lower(number) LIKE ?10 ESCAPE '\\' \
           OR EXISTS (SELECT 1 FROM customers c WHERE c.id = jobs.customer_id \
                      AND lower(c.name) LIKE ?10 ESCAPE '\\') \
           OR EXISTS (SELECT 1 FROM sites s WHERE s.id = jobs.site_id \
                      AND (lower(s.address) LIKE ?10 ESCAPE '\\' OR lower(coalesce(s.town, '')) LIKE ?10 ESCAPE '\\')) \
           OR EXISTS (SELECT 1 FROM assets a WHERE a.id = jobs.asset_id \
                      AND lower(coalesce(a.serial, '')) LIKE ?10 ESCAPE '\\')) \
         ORDER BY number LIMIT ?4"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut jobs = stmt
        .query_map(
            params![
                query.status.map(|s| s.as_str()),
                query.technician,
                query.after.as_deref().unwrap_or(""),
                i64::from(limit) + 1,
                query.number.as_deref().map(str::trim),
                query.kind.map(|k| k.as_str()),
                query.from,
                query.to,
                query.sla_due_before,
                pattern,
            ],
            |r| job(r, 0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = if jobs.len() > limit as usize {
        jobs.truncate(limit as usize);
        jobs.last().map(|j| j.number.clone())
    } else {
        None
    };
    let jobs = jobs
        .into_iter()
        .map(|j| view(tx, j))
        .collect::<Result<_>>()?;
    Ok(JobList { jobs, next })
}
