//! Writing jobs: import, create, edit, assign, schedule, cancel (the embedded engine's
//! `jobs.rs`, on PostgreSQL). Each keeps the change feed in step.

use super::corrections::{self, Target};
use super::feed::{bump, bump_entering, bump_referencing};
use super::job_rows::{self, JOB_COLUMNS};
use super::rows::get;
use super::users;
use crate::job_input;
use crate::rules::{feed, history, matching};
use crate::storage::{ImportReport, Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::JobId;
use onsite_protocol::api::{AssetInput, CustomerInput, SiteInput};
use onsite_protocol::api::{JobInput, JobPatch, JobView};
use onsite_protocol::board::{MAX_WINDOW_HOURS, ScheduleRequest};
use onsite_protocol::{Actor, AssetId, CustomerId, Job, JobStatus, Role, SiteId};
use std::collections::HashMap;
use tokio_postgres::Transaction;
use uuid::Uuid;

enum Upsert {
    Created(Job),
    Updated(Job),
    Unchanged(Job),
}

pub async fn import(
    tx: &Transaction<'_>,
    lines: &[(usize, JobInput)],
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(lines.len());
    for (line, input) in lines {
        let at_line = |e: StorageError| match e {
            StorageError::Invalid(reason) | StorageError::Conflict(reason) => {
                StorageError::ImportLine {
                    line: *line,
                    reason,
                }
            }
            other => other,
        };
        let number = input
            .number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| at_line(StorageError::Invalid("number is required".into())))?;
        if let Some(first) = seen.insert(number, *line) {
            return Err(at_line(StorageError::Invalid(format!(
                "job number {number} already appears on line {first}"
            ))));
        }
        match upsert(tx, number, input, now).await.map_err(at_line)? {
            Upsert::Created(_) => report.created += 1,
            Upsert::Updated(_) => report.updated += 1,
            Upsert::Unchanged(_) => report.unchanged += 1,
        }
    }
    Ok(report)
}

pub async fn create(tx: &Transaction<'_>, input: &JobInput, now: DateTime<Utc>) -> Result<JobView> {
    let number = match input
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(n) => {
            if job_rows::job_by_number(tx, n).await?.is_some() {
                return Err(StorageError::Conflict(format!(
                    "job number {n} already exists"
                )));
            }
            n.to_string()
        }
        None => next_number(tx).await?,
    };
    match upsert(tx, &number, input, now).await? {
        Upsert::Created(job) | Upsert::Updated(job) | Upsert::Unchanged(job) => {
            job_rows::view(tx, job).await
        }
    }
}

pub async fn update(
    tx: &Transaction<'_>,
    id: JobId,
    patch: &JobPatch,
    now: DateTime<Utc>,
) -> Result<JobView> {
    let old = job_rows::job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    job_input::validate_patch(patch).map_err(StorageError::Invalid)?;
    let mut job = old.clone();
    if let Some(kind) = patch.kind {
        job.kind = kind;
    }
    if let Some(priority) = patch.priority {
        job.priority = priority;
    }
    if let Some(summary) = &patch.summary {
        job.summary = summary.trim().to_string();
    }
    if let Some(description) = &patch.description {
        job.description = description.clone();
    }
    if let Some(start) = patch.scheduled_start {
        job.scheduled_start = start;
    }
    if let Some(end) = patch.scheduled_end {
        job.scheduled_end = end;
    }
    if let Some(due) = patch.sla_due {
        job.sla_due = due;
    }
    job_input::validate_job(&job).map_err(StorageError::Invalid)?;
    correct(tx, &old, patch, now).await?;
    save(tx, old, job, "updated", None, now).await
}

/// A dispatcher's corrections of the contact phone and asset serial: stamped by HQ's clock,
/// so they compete last-writer-wins with technicians' corrections.
async fn correct(
    tx: &Transaction<'_>,
    job: &Job,
    patch: &JobPatch,
    now: DateTime<Utc>,
) -> Result<()> {
    use onsite_protocol::Change;
    let check = |change: Change| {
        change
            .validate()
            .map_err(|e| StorageError::Invalid(e.message))
    };
    if let Some(phone) = &patch.contact_phone {
        check(Change::ContactPhone {
            phone: phone.clone(),
        })?;
        let stamp = super::clock::tick(tx, now).await?;
        corrections::set(tx, Target::Phone(job.customer_id), phone.trim(), stamp, now).await?;
    }
    if let Some(serial) = &patch.asset_serial {
        check(Change::AssetSerial {
            serial: serial.clone(),
        })?;
        let asset = job
            .asset_id
            .ok_or_else(|| StorageError::Invalid("asset_serial: this job has no asset".into()))?;
        let stamp = super::clock::tick(tx, now).await?;
        corrections::set(tx, Target::Serial(asset), serial.trim(), stamp, now).await?;
    }
    Ok(())
}

pub async fn assign(
    tx: &Transaction<'_>,
    id: JobId,
    technician: Option<&str>,
    now: DateTime<Utc>,
) -> Result<JobView> {
    let old = job_rows::job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    if let Some(t) = technician {
        check_technician(tx, t).await?;
    }
    let mut job = old.clone();
    job.technician = technician.map(str::to_string);
    if job.technician != old.technician {
        job.status = reassigned_status(&old, technician)?;
    }
    let detail = technician.map(str::to_string);
    save(tx, old, job, "assigned", detail, now).await
}

/// Gives the job to `req.technician` for `req`'s window in one step, refusing a closed job, a
/// job changed since `req.version`, and (unless `req.overlap`) a window that overlaps another
/// of the technician's open or completed jobs, naming them.
pub async fn schedule(
    tx: &Transaction<'_>,
    id: JobId,
    req: &ScheduleRequest,
    now: DateTime<Utc>,
) -> Result<JobView> {
    let technician = req.technician.trim();
    let length = req.scheduled_end - req.scheduled_start;
    if length <= chrono::Duration::zero() || length > chrono::Duration::hours(MAX_WINDOW_HOURS) {
        return Err(StorageError::Invalid(format!(
            "scheduled_end must come after scheduled_start, by at most {MAX_WINDOW_HOURS} hours"
        )));
    }
    check_technician(tx, technician).await?;
    let old = job_rows::job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    if matches!(old.status, JobStatus::Completed | JobStatus::Cancelled) {
        return Err(StorageError::Conflict(format!(
            "job {} is {}: it cannot be scheduled",
            old.number, old.status
        )));
    }
    if req.version.is_some_and(|v| v != old.version) {
        return Err(StorageError::Conflict(format!(
            "job {} changed since you loaded it; look again before moving it",
            old.number
        )));
    }
    if req.overlap != Some(true) {
        let clashing =
            overlapping(tx, technician, id, req.scheduled_start, req.scheduled_end).await?;
        if !clashing.is_empty() {
            return Err(StorageError::Conflict(format!(
                "the window overlaps {technician}'s {}; schedule anyway to keep both",
                clashing.join(", ")
            )));
        }
    }
    let mut job = old.clone();
    job.scheduled_start = Some(req.scheduled_start);
    job.scheduled_end = Some(req.scheduled_end);
    let (event, detail) = if old.technician.as_deref() == Some(technician) {
        ("updated", Some("rescheduled".to_string()))
    } else {
        job.technician = Some(technician.to_string());
        job.status = reassigned_status(&old, Some(technician))?;
        ("assigned", Some(technician.to_string()))
    };
    save(tx, old, job, event, detail, now).await
}

/// Numbers of `technician`'s jobs other than `except`, not cancelled, whose window shares time
/// with [start, end) (a window with no end lasts an instant).
async fn overlapping(
    tx: &Transaction<'_>,
    technician: &str,
    except: JobId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<String>> {
    tx.query(
        "SELECT number FROM jobs WHERE technician = $1 AND id != $2 \
         AND status != 'cancelled' AND scheduled_start < $4 \
         AND coalesce(scheduled_end, scheduled_start) > $3 \
         ORDER BY scheduled_start, number LIMIT 10",
        &[&technician, &except.0, &start, &end],
    )
    .await?
    .iter()
    .map(|r| get(r, 0))
    .collect()
}

pub async fn cancel(
    tx: &Transaction<'_>,
    id: JobId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<JobView> {
    job_input::validate_reason(reason).map_err(StorageError::Invalid)?;
    let old = job_rows::job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    old.status.transition(JobStatus::Cancelled, Actor::Hq)?;
    let mut job = old.clone();
    job.status = JobStatus::Cancelled;
    save(tx, old, job, "cancelled", reason.map(str::to_string), now).await
}

/// Writes `job` over `old` if anything differs: bumps the version, records an event and
/// stamps the feed of the technician(s) concerned.
pub(super) async fn save(
    tx: &Transaction<'_>,
    old: Job,
    mut job: Job,
    event: &str,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> Result<JobView> {
    if job == old {
        return job_rows::view(tx, old).await;
    }
    job.version = old.version + 1;
    job.updated_at = now;
    write_job(tx, &job, false).await?;
    let entered = history::entered(&old, &job);
    record_event(tx, &job, event, detail.as_deref(), entered, now).await?;
    stamp(tx, old.technician.as_deref(), &job).await?;
    job_rows::view(tx, job).await
}

/// Stamps the feed of whoever the change to `job` concerns (`crate::rules::feed`).
async fn stamp(tx: &Transaction<'_>, previous: Option<&str>, job: &Job) -> Result<()> {
    let current = job.technician.as_deref();
    for technician in feed::on_job_change(previous, current) {
        if previous != current && current == Some(technician) {
            bump_entering(tx, technician, job.id).await?;
        } else {
            bump(tx, technician, job.id).await?;
        }
    }
    Ok(())
}

/// The status a job takes when its technician changes (`crate::rules::history`).
fn reassigned_status(old: &Job, to: Option<&str>) -> Result<JobStatus> {
    history::reassigned(old.status, to)
        .map_err(|closed| StorageError::Conflict(format!("job {}: {closed}", old.number)))
}

async fn check_technician(tx: &Transaction<'_>, username: &str) -> Result<()> {
    match users::role(tx, username).await? {
        Some(Role::Technician) => Ok(()),
        Some(role) => Err(StorageError::Invalid(format!(
            "user {username:?} is a {role}, not a technician"
        ))),
        None => Err(StorageError::Invalid(format!(
            "technician {username:?} does not exist"
        ))),
    }
}

async fn next_number(tx: &Transaction<'_>) -> Result<String> {
    loop {
        let row = tx
            .query_one(
                "UPDATE counters SET value = value + 1 WHERE name = 'job_number' RETURNING value",
                &[],
            )
            .await?;
        let n: i64 = job_rows::one(&row)?;
        let number = format!("J-{n:06}");
        // Imported numbers may already use the next value; skip them.
        if job_rows::job_by_number(tx, &number).await?.is_none() {
            return Ok(number);
        }
    }
}

async fn upsert(
    tx: &Transaction<'_>,
    number: &str,
    input: &JobInput,
    now: DateTime<Utc>,
) -> Result<Upsert> {
    job_input::validate(input).map_err(StorageError::Invalid)?;
    let technician = input
        .technician
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(t) = technician {
        check_technician(tx, t).await?;
    }
    let customer_id = customer(tx, &input.customer, now).await?;
    let site_id = site(tx, customer_id, &input.site).await?;
    let asset_id = match &input.asset {
        Some(a) => Some(asset(tx, customer_id, site_id, a, now).await?),
        None => None,
    };

    let old = job_rows::job_by_number(tx, number).await?;
    let mut job = Job {
        id: old.as_ref().map_or_else(JobId::new, |o| o.id),
        number: number.to_string(),
        kind: input.kind,
        priority: input.priority.unwrap_or_default(),
        summary: input.summary.trim().to_string(),
        description: input.description.clone(),
        customer_id,
        site_id,
        asset_id,
        technician: technician.map(str::to_string),
        scheduled_start: input.scheduled_start,
        scheduled_end: input.scheduled_end,
        sla_due: input.sla_due,
        status: if technician.is_some() {
            JobStatus::Assigned
        } else {
            JobStatus::New
        },
        version: 1,
        updated_at: now,
    };
    let Some(old) = old else {
        write_job(tx, &job, true).await?;
        let detail = job.technician.clone();
        record_event(
            tx,
            &job,
            "created",
            detail.as_deref(),
            Some(job.status),
            now,
        )
        .await?;
        stamp(tx, None, &job).await?;
        return Ok(Upsert::Created(job));
    };
    job.status = if job.technician == old.technician {
        old.status
    } else {
        reassigned_status(&old, technician)?
    };
    job.version = old.version;
    job.updated_at = old.updated_at;
    if job == old {
        return Ok(Upsert::Unchanged(old));
    }
    let view = save(tx, old, job, "imported", None, now).await?;
    Ok(Upsert::Updated(view.job))
}

async fn write_job(tx: &Transaction<'_>, job: &Job, insert: bool) -> Result<()> {
    let sql = if insert {
        format!(
            "INSERT INTO jobs ({JOB_COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             $9, $10, $11, $12, $13, $14, $15, $16, $16)"
        )
    } else {
        "UPDATE jobs SET number = $2, kind = $3, priority = $4, summary = $5, description = $6, \
         customer_id = $7, site_id = $8, asset_id = $9, technician = $10, scheduled_start = $11, \
         scheduled_end = $12, sla_due = $13, status = $14, version = $15, updated_at = $16 \
         WHERE id = $1"
            .to_string()
    };
    tx.execute(
        &sql,
        &[
            &job.id.0,
            &job.number,
            &job.kind.as_str(),
            &job.priority.as_str(),
            &job.summary,
            &job.description,
            &job.customer_id.0,
            &job.site_id.0,
            &job.asset_id.map(|a| a.0),
            &job.technician,
            &job.scheduled_start,
            &job.scheduled_end,
            &job.sla_due,
            &job.status.as_str(),
            &job.version,
            &job.updated_at,
        ],
    )
    .await?;
    Ok(())
}

/// Appends to the job's audit trail; `entered` is the status the job moved to, if it moved.
/// The event's id is a position (the board's change mark compares it), taken here.
async fn record_event(
    tx: &Transaction<'_>,
    job: &Job,
    kind: &str,
    detail: Option<&str>,
    entered: Option<JobStatus>,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = super::feed::take_positions(tx, 1).await?;
    tx.execute(
        "INSERT INTO job_events (id, job_id, at, kind, detail, status) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &id,
            &job.id.0,
            &now,
            &kind,
            &detail,
            &entered.map(JobStatus::as_str),
        ],
    )
    .await?;
    Ok(())
}

/// Keeps `old` unless `new` is given; optional fields are never cleared by omission.
fn keep<T: Clone>(old: &Option<T>, new: &Option<T>) -> Option<T> {
    new.clone().or_else(|| old.clone())
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

type CustomerFields = (Uuid, String, Option<String>, Option<String>);

async fn customer(
    tx: &Transaction<'_>,
    c: &CustomerInput,
    now: DateTime<Utc>,
) -> Result<CustomerId> {
    let key = matching::customer(c);
    let (name, phone, email) = (
        c.name.trim().to_string(),
        trimmed(&c.phone),
        trimmed(&c.email),
    );
    let found: Option<CustomerFields> = tx
        .query_opt(
            "SELECT id, name, phone, email FROM customers WHERE match_key = $1",
            &[&key],
        )
        .await?
        .map(|r| Ok::<_, StorageError>((get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?)))
        .transpose()?;
    match found {
        None => {
            let id = CustomerId::new();
            tx.execute(
                "INSERT INTO customers (id, match_key, name, phone, email) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[&id.0, &key, &name, &phone, &email],
            )
            .await?;
            Ok(id)
        }
        Some((id, old_name, old_phone, old_email)) => {
            let (phone, email) = (keep(&old_phone, &phone), keep(&old_email, &email));
            corrections::stamp_hq_edit(
                tx,
                Target::Phone(CustomerId(id)),
                old_phone.as_deref(),
                phone.as_deref(),
                now,
            )
            .await?;
            if (&old_name, &old_phone, &old_email) != (&name, &phone, &email) {
                tx.execute(
                    "UPDATE customers SET name = $2, phone = $3, email = $4 WHERE id = $1",
                    &[&id, &name, &phone, &email],
                )
                .await?;
                bump_referencing(tx, "customer_id", id).await?;
            }
            Ok(CustomerId(id))
        }
    }
}

type SiteFields = (
    Uuid,
    String,
    Option<String>,
    Option<String>,
    Option<(f64, f64)>,
);

async fn site(tx: &Transaction<'_>, customer_id: CustomerId, s: &SiteInput) -> Result<SiteId> {
    let key = matching::site(customer_id, &s.address);
    let (address, town, notes) = (
        s.address.trim().to_string(),
        trimmed(&s.town),
        trimmed(&s.access_notes),
    );
    let position = s.lat.zip(s.lon).map(|(lat, lon)| (lat.0, lon.0));
    let found: Option<SiteFields> = tx
        .query_opt(
            "SELECT id, address, town, access_notes, lat, lon FROM sites WHERE match_key = $1",
            &[&key],
        )
        .await?
        .map(|r| {
            let lat: Option<f64> = get(&r, 4)?;
            let lon: Option<f64> = get(&r, 5)?;
            Ok::<_, StorageError>((
                get(&r, 0)?,
                get(&r, 1)?,
                get(&r, 2)?,
                get(&r, 3)?,
                lat.zip(lon),
            ))
        })
        .transpose()?;
    match found {
        None => {
            let id = SiteId::new();
            tx.execute(
                "INSERT INTO sites (id, customer_id, match_key, address, town, access_notes, \
                 lat, lon) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &id.0,
                    &customer_id.0,
                    &key,
                    &address,
                    &town,
                    &notes,
                    &position.map(|p| p.0),
                    &position.map(|p| p.1),
                ],
            )
            .await?;
            Ok(id)
        }
        Some((id, old_address, old_town, old_notes, old_position)) => {
            let (town, notes) = (keep(&old_town, &town), keep(&old_notes, &notes));
            if (&old_address, &old_town, &old_notes) != (&address, &town, &notes) {
                tx.execute(
                    "UPDATE sites SET address = $2, town = $3, access_notes = $4 WHERE id = $1",
                    &[&id, &address, &town, &notes],
                )
                .await?;
                bump_referencing(tx, "site_id", id).await?;
            }
            // Coordinates are HQ's alone (devices never see them): no job changes for them.
            if position.is_some() && position != old_position {
                tx.execute(
                    "UPDATE sites SET lat = $2, lon = $3 WHERE id = $1",
                    &[&id, &position.map(|p| p.0), &position.map(|p| p.1)],
                )
                .await?;
            }
            Ok(SiteId(id))
        }
    }
}

type AssetFields = (
    String,
    Option<String>,
    Option<chrono::NaiveDate>,
    Option<chrono::NaiveDate>,
    Option<chrono::NaiveDate>,
);

async fn asset(
    tx: &Transaction<'_>,
    customer_id: CustomerId,
    site_id: SiteId,
    a: &AssetInput,
    now: DateTime<Utc>,
) -> Result<AssetId> {
    let key = matching::asset(site_id, a);
    let found: Option<(Uuid, AssetFields)> = tx
        .query_opt(
            "SELECT id, model, serial, purchased_on, installed_on, warranty_until FROM assets \
             WHERE match_key = $1",
            &[&key],
        )
        .await?
        .map(|r| {
            Ok::<_, StorageError>((
                get(&r, 0)?,
                (
                    get(&r, 1)?,
                    get(&r, 2)?,
                    get(&r, 3)?,
                    get(&r, 4)?,
                    get(&r, 5)?,
                ),
            ))
        })
        .transpose()?;
    let given: AssetFields = (
        a.model.trim().to_string(),
        trimmed(&a.serial),
        a.purchased_on,
        a.installed_on,
        a.warranty_until,
    );
    match found {
        None => {
            let id = AssetId::new();
            tx.execute(
                "INSERT INTO assets (id, customer_id, site_id, match_key, model, serial, \
                 purchased_on, installed_on, warranty_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &id.0,
                    &customer_id.0,
                    &site_id.0,
                    &key,
                    &given.0,
                    &given.1,
                    &given.2,
                    &given.3,
                    &given.4,
                ],
            )
            .await?;
            Ok(id)
        }
        Some((id, old)) => {
            let new: AssetFields = (
                given.0,
                keep(&old.1, &given.1),
                keep(&old.2, &given.2),
                keep(&old.3, &given.3),
                keep(&old.4, &given.4),
            );
            corrections::stamp_hq_edit(
                tx,
                Target::Serial(AssetId(id)),
                old.1.as_deref(),
                new.1.as_deref(),
                now,
            )
            .await?;
            if new != old {
                tx.execute(
                    "UPDATE assets SET model = $2, serial = $3, purchased_on = $4, \
                     installed_on = $5, warranty_until = $6 WHERE id = $1",
                    &[&id, &new.0, &new.1, &new.2, &new.3, &new.4],
                )
                .await?;
                bump_referencing(tx, "asset_id", id).await?;
            }
            Ok(AssetId(id))
        }
    }
}
