//! The job list: a range of the schedule, searched and paged, each row judged against time.

use super::Store;
use super::op_state::in_outbox;
use crate::error::Result;
use crate::sla::{self, Sla};
use chrono::{DateTime, Utc};
use onsite_protocol::{JobKind, JobStatus, Priority};
use onsite_sqlite::parsed;
use rusqlite::params;
use serde::{Deserialize, Serialize};

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

impl Store {
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
             (SELECT count(*) FROM ops WHERE ops.job_id = j.id AND {waiting}) \
             {FROM} WHERE {} ORDER BY {} LIMIT ?3 OFFSET ?4",
            filter.condition,
            filter.order,
            waiting = in_outbox!()
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::*;

    #[test]
    fn search_and_paging() {
        let (store, _dir) = open();
        let (c, s, a) = records();
        let jobs = (1..=30)
            .map(|n| job(&format!("J-{n:03}"), &c, &s, (n == 7).then_some(&a), None))
            .collect();
        store
            .apply_pull(&page_of(jobs, &c, &s, Some(&a), "c1"))
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

    #[test]
    fn upcoming_holds_the_work_ahead_and_past_the_closed_work() {
        let (store, _dir) = open();
        let (c, s, _) = records();
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
        store
            .apply_pull(&page_of(jobs, &c, &s, None, "c1"))
            .unwrap();
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
        let (c, s, _) = records();
        let mut late = job("J-1", &c, &s, None, None);
        late.sla_due = Some("2026-11-23T11:00:00Z".parse().unwrap());
        let mut soon = job("J-2", &c, &s, None, None);
        soon.sla_due = Some("2026-11-23T14:00:00Z".parse().unwrap());
        store
            .apply_pull(&page_of(vec![late, soon], &c, &s, None, "c1"))
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
}
