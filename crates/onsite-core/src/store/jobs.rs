//! HQ's job records on the device: applying pulled pages, listing, and job detail.

use super::Store;
use super::activity::Activity;
use super::settings::{Setting, set_in};
use crate::error::{CoreError, Result};
use crate::sla::{self, Sla};
use crate::warranty::{self, Warranty};
use crate::work_time::{self, WorkTime};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::api::PullPage;
use onsite_protocol::{
    Asset, AssetId, Customer, CustomerId, HistoryEvent, Job, JobKind, JobStatus, Priority, Site,
    SiteId, StatusChange, Step,
};
use onsite_sqlite::parsed;
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What applying one page changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Jobs inserted or updated.
    pub jobs: usize,
    /// Jobs dropped (reassigned away).
    pub removed: usize,
}

/// Which part of the schedule to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobRange {
    /// Every job: scheduled ones by start, unscheduled last.
    #[default]
    All,
    /// The work ahead: open jobs scheduled before `from` (overdue, e.g. from before today),
    /// then every job starting at or after `from`, soonest first, then the unscheduled ones.
    Upcoming {
        /// Start of the period ahead (e.g. the start of today).
        from: DateTime<Utc>,
    },
    /// Closed work: completed and cancelled jobs that started before `before`, most recent
    /// first. Open jobs from before `before` are overdue and listed with [`JobRange::Upcoming`].
    Past {
        /// Latest start shown (exclusive).
        before: DateTime<Utc>,
    },
}

/// Which jobs to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct JobQuery {
    /// Matches job number, customer name, address, town or asset serial (case-insensitive,
    /// anywhere in the text).
    pub search: Option<String>,
    /// Part of the schedule.
    pub range: JobRange,
    /// At most this many rows; all when absent.
    pub limit: Option<u32>,
    /// Rows to skip, for paging.
    pub offset: u32,
}

/// One row of the job list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobSummary {
    /// Human number.
    pub number: String,
    /// Kind of work.
    pub kind: JobKind,
    /// Current status.
    pub status: JobStatus,
    /// Urgency.
    pub priority: Priority,
    /// One line.
    pub summary: String,
    /// Customer name.
    pub customer: String,
    /// Site address.
    pub address: String,
    /// Site town.
    pub town: Option<String>,
    /// Visit window start.
    pub scheduled_start: Option<DateTime<Utc>>,
    /// Visit window end.
    pub scheduled_end: Option<DateTime<Utc>>,
    /// SLA deadline.
    pub sla_due: Option<DateTime<Utc>>,
    /// Where the job stands against `sla_due` at the time of the query.
    pub sla: Sla,
    /// The visit window has passed and the technician has not reached the site yet.
    pub late: bool,
    /// This device's changes to the job that have not reached HQ yet.
    pub waiting: u32,
    /// HQ gave the job to someone else; it stays until `waiting` changes are sent.
    pub read_only: bool,
}

/// Everything about one job, for the detail view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobDetail {
    /// The job.
    pub job: Job,
    /// Its customer.
    pub customer: Customer,
    /// Its site.
    pub site: Site,
    /// Its asset, if any.
    pub asset: Option<Asset>,
    /// Warranty of the asset on the day asked about; absent without an asset.
    pub warranty: Option<Warranty>,
    /// Where the job stands against its SLA deadline at the time asked about.
    pub sla: Sla,
    /// The visit window has passed and the technician has not reached the site yet.
    pub late: bool,
    /// The statuses the job went through, oldest first.
    pub history: Vec<StatusChange>,
    /// Every change recorded on site (notes, photos, time, status, corrections), from any
    /// device, with where each stands; oldest first.
    pub activity: Vec<Activity>,
    /// Work on site is running (started and not stopped).
    pub working: bool,
    /// The time worked on site, from every device's work entries.
    pub work: WorkTime,
    /// HQ gave the job to someone else; nothing more can be recorded on it here, and it goes
    /// once this device's changes to it are sent.
    pub read_only: bool,
    /// The statuses the technician may move the job on to from here, along the visit (none
    /// when read-only).
    pub next_statuses: Vec<JobStatus>,
    /// The status a step back would return the job to, when the last move can be undone
    /// (setting off by mistake).
    pub undo_status: Option<JobStatus>,
}

const JOB_COLUMNS: &str = "j.id, j.number, j.kind, j.priority, j.summary, j.description, \
    j.customer_id, j.site_id, j.asset_id, j.technician, j.scheduled_start, j.scheduled_end, \
    j.sla_due, j.status, j.version, j.updated_at";

fn job(row: &Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: onsite_protocol::JobId(row.get(0)?),
        number: row.get(1)?,
        kind: parsed(row, 2)?,
        priority: parsed(row, 3)?,
        summary: row.get(4)?,
        description: row.get(5)?,
        customer_id: CustomerId(row.get(6)?),
        site_id: SiteId(row.get(7)?),
        asset_id: row.get::<_, Option<Uuid>>(8)?.map(AssetId),
        technician: row.get(9)?,
        scheduled_start: row.get(10)?,
        scheduled_end: row.get(11)?,
        sla_due: row.get(12)?,
        status: parsed(row, 13)?,
        version: row.get(14)?,
        updated_at: row.get(15)?,
    })
}

/// The tables a job listing reads.
const FROM: &str =
    "FROM jobs j JOIN customers c ON c.id = j.customer_id JOIN sites s ON s.id = j.site_id";

/// A [`JobQuery`] as SQL: its condition and order, with `?1` the search pattern and `?2` the
/// range's bound (both may be NULL).
struct Filter {
    pattern: Option<String>,
    bound: Option<DateTime<Utc>>,
    condition: String,
    order: &'static str,
}

impl Filter {
    fn of(query: &JobQuery) -> Self {
        let pattern = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                format!(
                    "%{}%",
                    s.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                )
            });
        const FORWARD: &str = "j.scheduled_start IS NULL, j.scheduled_start, j.number";
        const CLOSED: &str = "j.status IN ('completed', 'cancelled')";
        let (bound, range, order) = match query.range {
            // `?2` is NULL here; naming it keeps the parameter count the same for every range.
            JobRange::All => (None, "?2 IS NULL".to_string(), FORWARD),
            JobRange::Upcoming { from } => (
                Some(from),
                format!("(j.scheduled_start >= ?2 OR j.scheduled_start IS NULL OR NOT {CLOSED})"),
                FORWARD,
            ),
            JobRange::Past { before } => (
                Some(before),
                format!("(j.scheduled_start < ?2 AND {CLOSED})"),
                "j.scheduled_start DESC, j.number DESC",
            ),
        };
        let condition = format!(
            "{range} AND (?1 IS NULL OR j.number LIKE ?1 ESCAPE '\\' OR c.name LIKE ?1 ESCAPE '\\' \
             OR s.address LIKE ?1 ESCAPE '\\' OR s.town LIKE ?1 ESCAPE '\\' \
             OR EXISTS (SELECT 1 FROM assets a WHERE a.id = j.asset_id AND a.serial LIKE ?1 ESCAPE '\\'))"
        );
        Self {
            pattern,
            bound,
            condition,
            order,
        }
    }
}

/// Deletes every HQ-owned record (a reset from HQ, or another user logging in).
fn clear_hq_records(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM jobs; DELETE FROM assets; DELETE FROM sites; DELETE FROM customers;",
    )
}

impl Store {
    /// Applies one pulled page and stores its cursor in the same transaction, so a crash
    /// leaves either the whole page with its cursor or neither.
    ///
    /// # Errors
    /// [`CoreError::Store`]; nothing of the page is kept then.
    pub fn apply_pull(&self, page: &PullPage) -> Result<Applied> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if page.reset {
            clear_hq_records(&tx)?;
        }
        let mut applied = Applied::default();
        {
            // A job taken away while its changes wait to be sent stays, read-only, until they
            // are acknowledged; the others go at once.
            let mut release = tx.prepare_cached(
                "UPDATE jobs SET released = 1 WHERE id = ?1 AND EXISTS \
                 (SELECT 1 FROM ops WHERE ops.job_id = jobs.id AND state IN ('pending', 'sent'))",
            )?;
            let mut remove =
                tx.prepare_cached("DELETE FROM jobs WHERE id = ?1 AND released = 0")?;
            for id in &page.removed {
                release.execute([id.0])?;
                applied.removed += remove.execute([id.0])?;
            }
            let mut customer = tx.prepare_cached(
                "INSERT INTO customers (id, name, phone, email) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email",
            )?;
            for c in &page.customers {
                customer.execute(params![c.id.0, c.name, c.phone, c.email])?;
            }
            let mut site = tx.prepare_cached(
                "INSERT INTO sites (id, customer_id, address, town, access_notes) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, address = excluded.address, \
                 town = excluded.town, access_notes = excluded.access_notes",
            )?;
            for s in &page.sites {
                site.execute(params![
                    s.id.0,
                    s.customer_id.0,
                    s.address,
                    s.town,
                    s.access_notes
                ])?;
            }
            let mut asset = tx.prepare_cached(
                "INSERT INTO assets (id, customer_id, site_id, model, serial, purchased_on, installed_on, warranty_until) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET \
                 customer_id = excluded.customer_id, site_id = excluded.site_id, model = excluded.model, \
                 serial = excluded.serial, purchased_on = excluded.purchased_on, \
                 installed_on = excluded.installed_on, warranty_until = excluded.warranty_until",
            )?;
            for a in &page.assets {
                asset.execute(params![
                    a.id.0,
                    a.customer_id.0,
                    a.site_id.map(|s| s.0),
                    a.model,
                    a.serial,
                    a.purchased_on,
                    a.installed_on,
                    a.warranty_until
                ])?;
            }
            // A number is unique; should HQ ever move a number to another job, the stale
            // holder must go rather than block the page forever.
            let mut stale = tx.prepare_cached("DELETE FROM jobs WHERE number = ?1 AND id <> ?2")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO jobs (id, number, kind, priority, summary, description, customer_id, site_id, \
                 asset_id, technician, scheduled_start, scheduled_end, sla_due, status, version, updated_at, released) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0) \
                 ON CONFLICT (id) DO UPDATE SET number = excluded.number, kind = excluded.kind, \
                 priority = excluded.priority, summary = excluded.summary, description = excluded.description, \
                 customer_id = excluded.customer_id, site_id = excluded.site_id, asset_id = excluded.asset_id, \
                 technician = excluded.technician, scheduled_start = excluded.scheduled_start, \
                 scheduled_end = excluded.scheduled_end, sla_due = excluded.sla_due, status = excluded.status, \
                 version = excluded.version, updated_at = excluded.updated_at, released = 0",
            )?;
            for j in &page.jobs {
                stale.execute(params![j.number, j.id.0])?;
                upsert.execute(params![
                    j.id.0,
                    j.number,
                    j.kind.as_str(),
                    j.priority.as_str(),
                    j.summary,
                    j.description,
                    j.customer_id.0,
                    j.site_id.0,
                    j.asset_id.map(|a| a.0),
                    j.technician,
                    j.scheduled_start,
                    j.scheduled_end,
                    j.sla_due,
                    j.status.as_str(),
                    j.version,
                    j.updated_at
                ])?;
                applied.jobs += 1;
            }
            // Each page carries the whole history of its jobs: replace, never merge.
            let mut forget = tx.prepare_cached("DELETE FROM job_history WHERE job_id = ?1")?;
            for j in &page.jobs {
                forget.execute([j.id.0])?;
            }
            let mut remember = tx.prepare_cached(
                "INSERT INTO job_history (job_id, seq, at, status, detail, event) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?1)",
            )?;
            for (seq, h) in page.history.iter().enumerate() {
                remember.execute(params![
                    h.job_id.0,
                    seq,
                    h.at,
                    h.status.as_str(),
                    h.detail,
                    h.event.as_str()
                ])?;
            }
            // Likewise what HQ recorded against each job.
            let mut forget = tx.prepare_cached("DELETE FROM job_ops WHERE job_id = ?1")?;
            for j in &page.jobs {
                forget.execute([j.id.0])?;
            }
            let mut record = tx.prepare_cached(
                "INSERT INTO job_ops (job_id, seq, op_id, body) \
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?1)",
            )?;
            for (seq, op) in page.ops.iter().enumerate() {
                let body =
                    serde_json::to_string(op).map_err(|e| CoreError::Store(e.to_string()))?;
                record.execute(params![op.op.job_id.0, seq, op.op.op_id.0, body])?;
            }
        }
        // The local view is HQ's state plus what HQ has not acknowledged yet.
        super::outbox::replay_waiting(&tx)?;
        if let Some(hlc) = page.hlc {
            super::outbox::observe(&tx, hlc)?;
        }
        set_in(&tx, Setting::Cursor, Some(&page.cursor))?;
        tx.commit()?;
        Ok(applied)
    }

    /// Drops every HQ record and the cursor, e.g. when another user logs in on this device.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn clear_hq_records(&self) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        clear_hq_records(&tx)?;
        set_in(&tx, Setting::Cursor, None)?;
        tx.commit()?;
        Ok(())
    }

    /// The jobs `query` asks for, in its range's order; SLA states and lateness judged at
    /// `now`.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn jobs(&self, query: &JobQuery, now: DateTime<Utc>) -> Result<Vec<JobSummary>> {
        let filter = Filter::of(query);
        let sql = format!(
            "SELECT j.number, j.kind, j.status, j.priority, j.summary, c.name, s.address, s.town, \
             j.scheduled_start, j.scheduled_end, j.sla_due, j.released, \
             (SELECT count(*) FROM ops o WHERE o.job_id = j.id AND o.state IN ('pending', 'sent')) \
             {FROM} WHERE {} ORDER BY {} LIMIT ?3 OFFSET ?4",
            filter.condition, filter.order
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let limit = query.limit.map_or(-1, i64::from);
        let rows = stmt.query_map(
            params![filter.pattern, filter.bound, limit, query.offset],
            |r| {
                let status = parsed(r, 2)?;
                let (start, end, sla_due) = (r.get(8)?, r.get(9)?, r.get(10)?);
                Ok(JobSummary {
                    number: r.get(0)?,
                    kind: parsed(r, 1)?,
                    status,
                    priority: parsed(r, 3)?,
                    summary: r.get(4)?,
                    customer: r.get(5)?,
                    address: r.get(6)?,
                    town: r.get(7)?,
                    scheduled_start: start,
                    scheduled_end: end,
                    sla_due,
                    sla: sla::state(sla_due, status, now),
                    late: sla::late(status, start, end, now),
                    read_only: r.get(11)?,
                    waiting: r.get(12)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many jobs `query` matches, whatever its paging: e.g. how many matches of a search
    /// the other tab holds.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn count_jobs(&self, query: &JobQuery) -> Result<u64> {
        let filter = Filter::of(query);
        let sql = format!("SELECT count(*) {FROM} WHERE {}", filter.condition);
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(params![filter.pattern, filter.bound], |r| r.get(0))?)
    }

    /// How many jobs the device holds.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn job_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM jobs", [], |r| r.get(0))?)
    }

    /// The job numbered `number` with everything it references; SLA judged at `now`, warranty
    /// on `today` (the technician's local date).
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`] when the device holds no such job.
    pub fn job_detail(
        &self,
        number: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<JobDetail> {
        let conn = self.conn();
        let sql = format!("SELECT {JOB_COLUMNS}, j.released FROM jobs j WHERE j.number = ?1");
        let (job, read_only) = conn
            .prepare_cached(&sql)?
            .query_row([number.trim()], |r| Ok((job(r)?, r.get::<_, bool>(16)?)))
            .optional()?
            .ok_or_else(|| CoreError::UnknownJob(number.trim().to_string()))?;
        let customer = conn
            .prepare_cached("SELECT name, phone, email FROM customers WHERE id = ?1")?
            .query_row([job.customer_id.0], |r| {
                Ok(Customer {
                    id: job.customer_id,
                    name: r.get(0)?,
                    phone: r.get(1)?,
                    email: r.get(2)?,
                })
            })?;
        let site = conn
            .prepare_cached(
                "SELECT customer_id, address, town, access_notes FROM sites WHERE id = ?1",
            )?
            .query_row([job.site_id.0], |r| {
                Ok(Site {
                    id: job.site_id,
                    customer_id: CustomerId(r.get(0)?),
                    address: r.get(1)?,
                    town: r.get(2)?,
                    access_notes: r.get(3)?,
                })
            })?;
        let asset = match job.asset_id {
            None => None,
            Some(id) => Some(
                conn.prepare_cached(
                    "SELECT customer_id, site_id, model, serial, purchased_on, installed_on, warranty_until \
                     FROM assets WHERE id = ?1",
                )?
                .query_row([id.0], |r| {
                    Ok(Asset {
                        id,
                        customer_id: CustomerId(r.get(0)?),
                        site_id: r.get::<_, Option<Uuid>>(1)?.map(SiteId),
                        model: r.get(2)?,
                        serial: r.get(3)?,
                        purchased_on: r.get(4)?,
                        installed_on: r.get(5)?,
                        warranty_until: r.get(6)?,
                    })
                })?,
            ),
        };
        let warranty = asset
            .as_ref()
            .map(|a| warranty::status(a.warranty_until, today));
        let history = conn
            .prepare_cached(
                "SELECT at, status, detail, event FROM job_history WHERE job_id = ?1 ORDER BY seq",
            )?
            .query_map([job.id.0], |r| {
                Ok(StatusChange {
                    job_id: job.id,
                    at: r.get(0)?,
                    status: parsed(r, 1)?,
                    detail: r.get(2)?,
                    event: parsed::<HistoryEvent>(r, 3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let activity = super::activity::of_job(&conn, job.id)?;
        let working = super::activity::working(&activity);
        let work = work_time::total(activity.iter().map(|a| &a.change));
        let moves = if read_only {
            Vec::new()
        } else {
            job.status.technician_moves()
        };
        let next_statuses = moves
            .iter()
            .filter(|(_, step)| *step == Step::Forward)
            .map(|(to, _)| *to)
            .collect();
        let undo_status = moves
            .iter()
            .find(|(_, step)| *step == Step::Undo)
            .map(|(to, _)| *to);
        Ok(JobDetail {
            sla: sla::state(job.sla_due, job.status, now),
            late: sla::late(job.status, job.scheduled_start, job.scheduled_end, now),
            job,
            customer,
            site,
            asset,
            warranty,
            history,
            activity,
            working,
            work,
            read_only,
            next_statuses,
            undo_status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onsite_protocol::JobId;

    fn page(
        jobs: Vec<Job>,
        customer: &Customer,
        site: &Site,
        asset: Option<&Asset>,
        cursor: &str,
    ) -> PullPage {
        PullPage {
            jobs,
            removed: vec![],
            customers: vec![customer.clone()],
            sites: vec![site.clone()],
            assets: asset.into_iter().cloned().collect(),
            cursor: cursor.into(),
            ..PullPage::default()
        }
    }

    fn fixture() -> (Customer, Site, Asset) {
        let customer = Customer {
            id: CustomerId::new(),
            name: "Ada Lovelace".into(),
            phone: Some("+44 20".into()),
            email: None,
        };
        let site = Site {
            id: SiteId::new(),
            customer_id: customer.id,
            address: "12 Analytical Row".into(),
            town: Some("London".into()),
            access_notes: Some("Gate 1843".into()),
        };
        let asset = Asset {
            id: AssetId::new(),
            customer_id: customer.id,
            site_id: Some(site.id),
            model: "HeatMax 300".into(),
            serial: Some("HM3-42".into()),
            purchased_on: None,
            installed_on: None,
            warranty_until: Some("2027-01-01".parse().unwrap()),
        };
        (customer, site, asset)
    }

    fn job(number: &str, c: &Customer, s: &Site, a: Option<&Asset>, start: Option<&str>) -> Job {
        Job {
            id: JobId::new(),
            number: number.into(),
            kind: JobKind::Repair,
            priority: Priority::Normal,
            summary: "Leak".into(),
            description: None,
            customer_id: c.id,
            site_id: s.id,
            asset_id: a.map(|a| a.id),
            technician: Some("tina".into()),
            scheduled_start: start.map(|s| s.parse().unwrap()),
            scheduled_end: None,
            sla_due: None,
            status: JobStatus::Assigned,
            version: 1,
            updated_at: Utc::now(),
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    impl Store {
        fn jobs_matching(&self, q: &JobQuery) -> Result<Vec<JobSummary>> {
            self.jobs(q, now())
        }
    }

    fn numbers(list: Vec<JobSummary>) -> Vec<String> {
        list.into_iter().map(|j| j.number).collect()
    }

    fn open() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (Store::open(&dir.path().join("onsite.db")).unwrap(), dir)
    }

    #[test]
    fn pages_round_trip_through_a_real_file() {
        let (store, dir) = open();
        let (c, s, a) = fixture();
        let j1 = job("J-2", &c, &s, Some(&a), Some("2026-11-24T08:00:00Z"));
        let j2 = job("J-1", &c, &s, None, None);
        let j3 = job("J-3", &c, &s, None, Some("2026-11-23T08:00:00Z"));
        let applied = store
            .apply_pull(&page(
                vec![j1.clone(), j2.clone(), j3.clone()],
                &c,
                &s,
                Some(&a),
                "c1",
            ))
            .unwrap();
        assert_eq!(
            applied,
            Applied {
                jobs: 3,
                removed: 0
            }
        );
        drop(store);

        let store = Store::open(&dir.path().join("onsite.db")).unwrap();
        assert_eq!(
            store.setting(Setting::Cursor).unwrap().as_deref(),
            Some("c1")
        );
        let order: Vec<_> = store
            .jobs(&JobQuery::default(), now())
            .unwrap()
            .into_iter()
            .map(|j| j.number)
            .collect();
        assert_eq!(
            order,
            ["J-3", "J-2", "J-1"],
            "scheduled first by start, unscheduled last"
        );

        let detail = store
            .job_detail("J-2", now(), "2026-11-23".parse().unwrap())
            .unwrap();
        assert_eq!(detail.job, j1);
        assert_eq!(detail.customer, c);
        assert_eq!(detail.site, s);
        assert_eq!(detail.asset.as_ref(), Some(&a));
        assert!(matches!(detail.warranty, Some(Warranty::InWarranty { .. })));
        assert!(
            matches!(store.job_detail("J-404", now(), "2026-11-23".parse().unwrap()), Err(CoreError::UnknownJob(n)) if n == "J-404")
        );
        store.check_integrity().unwrap();
    }

    #[test]
    fn updates_removals_and_reset() {
        let (store, _dir) = open();
        let (c, s, a) = fixture();
        let mut j1 = job("J-1", &c, &s, Some(&a), None);
        let j2 = job("J-2", &c, &s, None, None);
        store
            .apply_pull(&page(vec![j1.clone(), j2.clone()], &c, &s, Some(&a), "c1"))
            .unwrap();

        j1.status = JobStatus::Cancelled;
        j1.version = 2;
        let mut p = page(vec![j1.clone()], &c, &s, Some(&a), "c2");
        p.removed = vec![j2.id];
        assert_eq!(
            store.apply_pull(&p).unwrap(),
            Applied {
                jobs: 1,
                removed: 1
            }
        );
        let list = store.jobs(&JobQuery::default(), now()).unwrap();
        assert_eq!((list.len(), list[0].status), (1, JobStatus::Cancelled));

        let j9 = job("J-9", &c, &s, None, None);
        let mut reset = page(vec![j9], &c, &s, None, "c3");
        reset.reset = true;
        store.apply_pull(&reset).unwrap();
        let numbers: Vec<_> = store
            .jobs(&JobQuery::default(), now())
            .unwrap()
            .into_iter()
            .map(|j| j.number)
            .collect();
        assert_eq!(numbers, ["J-9"]);
        store.check_integrity().unwrap();
    }

    #[test]
    fn a_failed_page_keeps_nothing_and_not_its_cursor() {
        let (store, _dir) = open();
        let (c, s, _) = fixture();
        store
            .apply_pull(&page(
                vec![job("J-1", &c, &s, None, None)],
                &c,
                &s,
                None,
                "c1",
            ))
            .unwrap();
        let mut orphan = job("J-2", &c, &s, None, None);
        orphan.site_id = SiteId::new(); // references a site the page does not carry
        let bad = page(vec![orphan], &c, &s, None, "c2");
        assert!(store.apply_pull(&bad).is_err());
        assert_eq!(
            store.setting(Setting::Cursor).unwrap().as_deref(),
            Some("c1")
        );
        assert_eq!(store.job_count().unwrap(), 1);
    }

    #[test]
    fn search_and_paging() {
        let (store, _dir) = open();
        let (c, s, a) = fixture();
        let jobs = (1..=30)
            .map(|n| job(&format!("J-{n:03}"), &c, &s, (n == 7).then_some(&a), None))
            .collect();
        store
            .apply_pull(&page(jobs, &c, &s, Some(&a), "c1"))
            .unwrap();
        let q = |search: &str| JobQuery {
            search: Some(search.into()),
            ..JobQuery::default()
        };
        assert_eq!(
            store.jobs_matching(&q("hm3-42")).unwrap().len(),
            1,
            "by serial"
        );
        assert_eq!(
            store.jobs_matching(&q("J-01")).unwrap().len(),
            10,
            "by number"
        );
        assert_eq!(
            store.jobs_matching(&q("ada")).unwrap().len(),
            30,
            "by customer"
        );
        assert_eq!(
            store.jobs_matching(&q("london")).unwrap().len(),
            30,
            "by town"
        );
        assert_eq!(
            store.jobs_matching(&q("100%")).unwrap().len(),
            0,
            "wildcards are literal"
        );
        let second = store
            .jobs(
                &JobQuery {
                    limit: Some(10),
                    offset: 10,
                    ..JobQuery::default()
                },
                now(),
            )
            .unwrap();
        assert_eq!(second.first().map(|j| j.number.as_str()), Some("J-011"));
    }

    /// Today and upcoming is the work ahead, overdue open jobs first; past is closed work.
    #[test]
    fn upcoming_holds_the_work_ahead_and_past_the_closed_work() {
        let (store, _dir) = open();
        let (c, s, _) = fixture();
        let with = |mut j: Job, status| {
            j.status = status;
            j
        };
        let jobs = vec![
            with(
                job("J-1", &c, &s, None, Some("2026-11-22T09:00:00Z")),
                JobStatus::Completed,
            ),
            job("J-2", &c, &s, None, Some("2026-11-23T08:00:00Z")),
            with(
                job("J-3", &c, &s, None, Some("2026-11-21T09:00:00Z")),
                JobStatus::WaitingParts,
            ),
            job("J-4", &c, &s, None, Some("2026-11-25T09:00:00Z")),
            job("J-5", &c, &s, None, None),
            with(
                job("J-6", &c, &s, None, Some("2026-11-20T09:00:00Z")),
                JobStatus::Cancelled,
            ),
            job("J-7", &c, &s, None, Some("2026-11-22T14:00:00Z")),
        ];
        store.apply_pull(&page(jobs, &c, &s, None, "c1")).unwrap();
        let midnight: DateTime<Utc> = "2026-11-23T00:00:00Z".parse().unwrap();
        let range = |range| JobQuery {
            range,
            ..JobQuery::default()
        };
        let upcoming = range(JobRange::Upcoming { from: midnight });
        let listed = store.jobs_matching(&upcoming).unwrap();
        let late: Vec<_> = listed
            .iter()
            .filter(|j| j.late)
            .map(|j| j.number.clone())
            .collect();
        assert_eq!(
            numbers(listed),
            ["J-3", "J-7", "J-2", "J-4", "J-5"],
            "overdue open jobs first, then soonest first, unscheduled last"
        );
        assert_eq!(
            late,
            ["J-7", "J-2"],
            "windows passed before reaching the site (J-3 waits for parts)"
        );
        let past = range(JobRange::Past { before: midnight });
        assert_eq!(
            numbers(store.jobs_matching(&past).unwrap()),
            ["J-1", "J-6"],
            "closed work, most recent first"
        );
        assert_eq!(store.count_jobs(&upcoming).unwrap(), 5);
        assert_eq!(store.count_jobs(&past).unwrap(), 2);
        assert_eq!(store.count_jobs(&JobQuery::default()).unwrap(), 7);
        let searched = JobQuery {
            search: Some("J-6".into()),
            ..upcoming
        };
        assert_eq!(store.count_jobs(&searched).unwrap(), 0);
        let searched = JobQuery {
            search: Some("J-6".into()),
            ..past
        };
        assert_eq!(store.count_jobs(&searched).unwrap(), 1);
    }

    #[test]
    fn sla_state_is_judged_at_the_time_given() {
        let (store, _dir) = open();
        let (c, s, _) = fixture();
        let mut late = job("J-1", &c, &s, None, None);
        late.sla_due = Some("2026-11-23T11:00:00Z".parse().unwrap());
        let mut soon = job("J-2", &c, &s, None, None);
        soon.sla_due = Some("2026-11-23T14:00:00Z".parse().unwrap());
        store
            .apply_pull(&page(vec![late, soon], &c, &s, None, "c1"))
            .unwrap();
        let slas: Vec<_> = store
            .jobs_matching(&JobQuery::default())
            .unwrap()
            .into_iter()
            .map(|j| j.sla)
            .collect();
        assert_eq!(slas, [Sla::Overdue, Sla::DueSoon]);
        let early: DateTime<Utc> = "2026-11-22T00:00:00Z".parse().unwrap();
        let detail = store
            .job_detail("J-1", early, "2026-11-22".parse().unwrap())
            .unwrap();
        assert_eq!(detail.sla, Sla::OnTrack);
    }

    #[test]
    fn status_history_is_replaced_per_job_and_goes_with_it() {
        let (store, _dir) = open();
        let (c, s, _) = fixture();
        let j = job("J-1", &c, &s, None, None);
        let step = |status, at: &str| StatusChange {
            job_id: j.id,
            at: at.parse().unwrap(),
            status,
            detail: None,
            event: HistoryEvent::Assigned,
        };
        let mut p = page(vec![j.clone()], &c, &s, None, "c1");
        p.history = vec![
            step(JobStatus::New, "2026-11-20T08:00:00Z"),
            step(JobStatus::Assigned, "2026-11-20T09:00:00Z"),
        ];
        store.apply_pull(&p).unwrap();
        let mut p2 = page(vec![j.clone()], &c, &s, None, "c2");
        p2.history = vec![
            step(JobStatus::New, "2026-11-20T08:00:00Z"),
            step(JobStatus::Assigned, "2026-11-20T09:00:00Z"),
            step(JobStatus::Cancelled, "2026-11-21T09:00:00Z"),
        ];
        store.apply_pull(&p2).unwrap();
        let today = "2026-11-23".parse().unwrap();
        let history = store.job_detail("J-1", now(), today).unwrap().history;
        assert_eq!(history, p2.history, "replaced, not appended");

        let mut gone = page(vec![], &c, &s, None, "c3");
        gone.removed = vec![j.id];
        store.apply_pull(&gone).unwrap();
        let left: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM job_history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "a removed job takes its history with it");
        store.check_integrity().unwrap();
    }
}
