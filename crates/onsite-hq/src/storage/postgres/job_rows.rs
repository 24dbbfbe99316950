//! Reading domain records from rows, and the read-only job queries (the embedded engine's
//! `rows.rs`, on PostgreSQL). The checked column readers they use are in `rows.rs`.

use super::rows::{get, parsed};
use crate::storage::Result;
use onsite_protocol::JobId;
use onsite_protocol::api::{JobList, JobListQuery, JobView};
use onsite_protocol::{
    Asset, AssetId, Customer, CustomerId, HistoryEvent, Job, Site, SiteId, StatusChange,
};
use tokio_postgres::types::FromSql;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

/// Columns of `jobs` in the order [`job`] reads them; prefix with a table alias as needed.
pub const JOB_COLUMNS: &str = "id, number, kind, priority, summary, description, customer_id, \
    site_id, asset_id, technician, scheduled_start, scheduled_end, sla_due, status, version, \
    updated_at";

fn id<T: From<Uuid>>(row: &Row, idx: usize) -> Result<T> {
    Ok(T::from(get::<Uuid>(row, idx)?))
}

fn opt_id<T: From<Uuid>>(row: &Row, idx: usize) -> Result<Option<T>> {
    Ok(get::<Option<Uuid>>(row, idx)?.map(T::from))
}

/// Maps a row selected with [`JOB_COLUMNS`] starting at `base`.
pub fn job(row: &Row, base: usize) -> Result<Job> {
    Ok(Job {
        id: id(row, base)?,
        number: get(row, base + 1)?,
        kind: parsed(row, base + 2)?,
        priority: parsed(row, base + 3)?,
        summary: get(row, base + 4)?,
        description: get(row, base + 5)?,
        customer_id: id(row, base + 6)?,
        site_id: id(row, base + 7)?,
        asset_id: opt_id(row, base + 8)?,
        technician: get(row, base + 9)?,
        scheduled_start: get(row, base + 10)?,
        scheduled_end: get(row, base + 11)?,
        sla_due: get(row, base + 12)?,
        status: parsed(row, base + 13)?,
        version: get(row, base + 14)?,
        updated_at: get(row, base + 15)?,
    })
}

/// Reads one column that must be present; used for single-value lookups.
pub fn one<'a, T: FromSql<'a>>(row: &'a Row) -> Result<T> {
    get(row, 0)
}

/// The job with `id`, if any.
pub async fn job_by_id(tx: &Transaction<'_>, id: JobId) -> Result<Option<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
    tx.query_opt(&sql, &[&id.0])
        .await?
        .map(|r| job(&r, 0))
        .transpose()
}

/// The job numbered `number`, if any.
pub async fn job_by_number(tx: &Transaction<'_>, number: &str) -> Result<Option<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE number = $1");
    tx.query_opt(&sql, &[&number])
        .await?
        .map(|r| job(&r, 0))
        .transpose()
}

pub async fn customer(tx: &Transaction<'_>, id: CustomerId) -> Result<Customer> {
    let r = tx
        .query_one(
            "SELECT name, phone, email FROM customers WHERE id = $1",
            &[&id.0],
        )
        .await?;
    Ok(Customer {
        id,
        name: get(&r, 0)?,
        phone: get(&r, 1)?,
        email: get(&r, 2)?,
    })
}

pub async fn site(tx: &Transaction<'_>, id: SiteId) -> Result<Site> {
    let r = tx
        .query_one(
            "SELECT customer_id, address, town, access_notes FROM sites WHERE id = $1",
            &[&id.0],
        )
        .await?;
    Ok(Site {
        id,
        customer_id: onsite_protocol::CustomerId(get(&r, 0)?),
        address: get(&r, 1)?,
        town: get(&r, 2)?,
        access_notes: get(&r, 3)?,
    })
}

pub async fn asset(tx: &Transaction<'_>, id: AssetId) -> Result<Asset> {
    let r = tx
        .query_one(
            "SELECT customer_id, site_id, model, serial, purchased_on, installed_on, \
             warranty_until FROM assets WHERE id = $1",
            &[&id.0],
        )
        .await?;
    Ok(Asset {
        id,
        customer_id: onsite_protocol::CustomerId(get(&r, 0)?),
        site_id: get::<Option<Uuid>>(&r, 1)?.map(SiteId),
        model: get(&r, 2)?,
        serial: get(&r, 3)?,
        purchased_on: get(&r, 4)?,
        installed_on: get(&r, 5)?,
        warranty_until: get(&r, 6)?,
    })
}

/// The statuses a job went through, oldest first. Where the detail names a person (who the
/// job went to, who moved it), it is their display name as it is now.
pub async fn status_history(tx: &Transaction<'_>, job_id: JobId) -> Result<Vec<StatusChange>> {
    let rows = tx
        .query(
            "SELECT e.at, e.status, e.kind, e.detail, u.display_name FROM job_events e \
             LEFT JOIN users u ON u.username = e.detail \
               AND e.kind IN ('created', 'assigned', 'imported', 'updated', 'status') \
             WHERE e.job_id = $1 AND e.status IS NOT NULL ORDER BY e.id",
            &[&job_id.0],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let kind: &str = get(r, 2)?;
            let event = history_event(kind);
            let detail: Option<String> = get(r, 3)?;
            let name: Option<String> = get(r, 4)?;
            Ok(StatusChange {
                job_id,
                at: get(r, 0)?,
                status: parsed(r, 1)?,
                // Unassigning was once recorded as the word "nobody".
                detail: name
                    .or(detail.filter(|d| !(event == HistoryEvent::Assigned && d == "nobody"))),
                event,
            })
        })
        .collect()
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
pub async fn view(tx: &Transaction<'_>, job: Job) -> Result<JobView> {
    let customer = customer(tx, job.customer_id).await?;
    let site = site(tx, job.site_id).await?;
    let asset = match job.asset_id {
        Some(a) => Some(asset(tx, a).await?),
        None => None,
    };
    Ok(JobView {
        customer,
        site,
        asset,
        job,
    })
}

/// Jobs ordered by number, after `query.after`, filtered by status and technician.
pub async fn list(tx: &Transaction<'_>, query: &JobListQuery, max_limit: u32) -> Result<JobList> {
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
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR technician = $2) \
         AND number > $3 \
         AND ($5::text IS NULL OR number = $5) AND ($6::text IS NULL OR kind = $6) \
         AND ($7::timestamptz IS NULL OR scheduled_end > $7 \
           OR (scheduled_end IS NULL AND scheduled_start >= $7)) \
         AND ($8::timestamptz IS NULL OR scheduled_start < $8) \
         AND ($9::timestamptz IS NULL OR (sla_due < $9 AND status NOT IN ('completed', 'cancelled'))) \
         AND ($10::text IS NULL OR lower(number) ILIKE $10 ESCAPE '\\' \
           OR EXISTS (SELECT 1 FROM customers c WHERE c.id = jobs.customer_id \
                      AND lower(c.name) ILIKE $10 ESCAPE '\\') \
           OR EXISTS (SELECT 1 FROM sites s WHERE s.id = jobs.site_id \
                      AND (lower(s.address) ILIKE $10 ESCAPE '\\' \
                        OR lower(coalesce(s.town, '')) ILIKE $10 ESCAPE '\\')) \
           OR EXISTS (SELECT 1 FROM assets a WHERE a.id = jobs.asset_id \
                      AND lower(coalesce(a.serial, '')) ILIKE $10 ESCAPE '\\')) \
         ORDER BY number LIMIT $4"
    );
    let mut jobs = tx
        .query(
            &sql,
            &[
                &query.status.map(|s| s.as_str()),
                &query.technician,
                &query.after.as_deref().unwrap_or(""),
                &(i64::from(limit) + 1),
                &query.number.as_deref().map(str::trim),
                &query.kind.map(|k| k.as_str()),
                &query.from,
                &query.to,
                &query.sla_due_before,
                &pattern,
            ],
        )
        .await?
        .iter()
        .map(|r| job(r, 0))
        .collect::<Result<Vec<_>>>()?;
    let next = if jobs.len() > limit as usize {
        jobs.truncate(limit as usize);
        jobs.last().map(|j| j.number.clone())
    } else {
        None
    };
    let mut views = Vec::with_capacity(jobs.len());
    for j in jobs {
        views.push(view(tx, j).await?);
    }
    Ok(JobList { jobs: views, next })
}
