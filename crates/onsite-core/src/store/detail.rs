//! One job in full, for the detail view: the job and what it references, its warranty and SLA
//! on the day asked about, its history, its activity and time worked, and the technician's
//! next moves.

use super::Store;
use super::activity::Activity;
use crate::error::{CoreError, Result};
use crate::sla::{self, Sla};
use crate::warranty::{self, Warranty};
use crate::work_time::{self, WorkTime};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::{
    Asset, AssetId, Customer, CustomerId, HistoryEvent, Job, JobStatus, Site, SiteId, StatusChange,
    Step,
};
use onsite_sqlite::parsed;
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything about one job, for the detail view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// What the visit recorded: checklists and answers, parts used, warranty decisions, parts
    /// requested.
    pub visit: super::visit::Visit,
    /// The product's other visits, newest first: what was done, the parts, the decision.
    pub service_history: Vec<onsite_protocol::visit::ServiceVisit>,
    /// The organisation's name from its letterhead, for what the customer is shown.
    pub company: Option<String>,
    /// Where the customer's thank-you letter stands at HQ, as of the last sync.
    pub letter: Option<onsite_protocol::mail::LetterNotice>,
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

impl Store {
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
        let visit = super::visit::visit_of(&conn, job.id, &activity)?;
        let letter = conn
            .prepare_cached("SELECT body FROM letters WHERE job_id = ?1")?
            .query_row([job.id.0], |r| r.get::<_, String>(0))
            .optional()?
            .map(|body| serde_json::from_str(&body))
            .transpose()
            .map_err(|e| CoreError::Store(format!("stored letter: {e}")))?;
        let company = conn
            .prepare_cached("SELECT json_extract(body, '$.name') FROM letterhead WHERE id = 1")?
            .query_row([], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten();
        let service_history = match job.asset_id {
            Some(a) => super::visit::service_history(&conn, a.0, job.id)?,
            None => Vec::new(),
        };
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
            company,
            letter,
            activity,
            working,
            work,
            visit,
            service_history,
            read_only,
            next_statuses,
            undo_status,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn a_job_offers_its_next_moves_and_the_time_worked() {
        let f = fixture();
        let d = f.detail();
        assert_eq!(d.next_statuses, [JobStatus::EnRoute, JobStatus::OnSite]);
        assert_eq!(d.undo_status, None);
        f.record(Change::Status {
            to: JobStatus::EnRoute,
        })
        .unwrap();
        let d = f.detail();
        assert_eq!(
            (d.next_statuses, d.undo_status),
            (vec![JobStatus::OnSite], Some(JobStatus::Assigned))
        );
        f.record(Change::Status {
            to: JobStatus::OnSite,
        })
        .unwrap();
        f.record(Change::WorkStarted { at: now() }).unwrap();
        f.record(Change::WorkStopped {
            at: now() + chrono::Duration::minutes(20),
        })
        .unwrap();
        assert_eq!(f.detail().work.seconds, 1200);
    }
}
