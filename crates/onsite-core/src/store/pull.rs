//! Applying a pulled page: HQ's records for this technician's jobs, their history and their
//! recorded ops, with the page's cursor, in one transaction; then the rebase.

use super::Store;
use super::op_state::in_outbox;
use super::settings::{Setting, set_in};
use crate::error::{CoreError, Result};
use onsite_protocol::api::PullPage;
use rusqlite::params;

/// What applying one page changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Jobs inserted or updated.
    pub jobs: usize,
    /// Jobs dropped (reassigned away).
    pub removed: usize,
    /// Reference records received: parts, template and policy versions, guides.
    pub reference: usize,
}

/// Deletes every HQ-owned record (a reset from HQ, or another user logging in).
fn clear_hq_records(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM jobs; DELETE FROM assets; DELETE FROM sites; DELETE FROM customers; \
         DELETE FROM service_history;",
    )?;
    super::reference::clear(conn)
}

impl Store {
    /// Applies one pulled page and stores its cursor in the same transaction, so a crash
    /// leaves either the whole page with its cursor or neither.
    ///
    /// # Errors
    /// [`CoreError::Store`]; nothing of the page is kept then.
    pub fn apply_pull(&self, page: &PullPage) -> Result<Applied> {
        let mut conn = self.conn();
        let tx = Store::write_tx(&mut conn)?;
        if page.reset {
            clear_hq_records(&tx)?;
        }
        let mut applied = Applied::default();
        {
            // A job taken away while its changes wait to be sent stays, read-only, until they
            // are acknowledged; the others go at once.
            let mut release = tx.prepare_cached(concat!(
                "UPDATE jobs SET released = 1 WHERE id = ?1 AND EXISTS \
                     (SELECT 1 FROM ops WHERE ops.job_id = jobs.id AND ",
                in_outbox!(),
                ")"
            ))?;
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
            // Likewise what HQ recorded against each job: the page's ops replace what the
            // device held, except for jobs whose page holds only what changed since the
            // device's cursor, which merge by op id (a settled op replaced in place, a new
            // one after the rest).
            let since: std::collections::HashSet<_> = page.ops_since.iter().collect();
            let mut forget = tx.prepare_cached("DELETE FROM job_ops WHERE job_id = ?1")?;
            for j in page.jobs.iter().filter(|j| !since.contains(&j.id)) {
                forget.execute([j.id.0])?;
            }
            let mut replace =
                tx.prepare_cached("UPDATE job_ops SET body = ?3 WHERE job_id = ?1 AND op_id = ?2")?;
            let mut record = tx.prepare_cached(
                "INSERT INTO job_ops (job_id, seq, op_id, body) \
                 SELECT ?1, coalesce((SELECT max(seq) + 1 FROM job_ops WHERE job_id = ?1), 0), \
                 ?2, ?3 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?1)",
            )?;
            for op in &page.ops {
                let body =
                    serde_json::to_string(op).map_err(|e| CoreError::Store(e.to_string()))?;
                let (job, id) = (op.op.job_id.0, op.op.op_id.0);
                if replace.execute(params![job, id, body])? == 0 {
                    record.execute(params![job, id, body])?;
                }
            }
        }
        {
            // A page's jobs carry every fill of their parts requests: replace, never merge.
            let mut forget = tx.prepare_cached("DELETE FROM parts_fills WHERE job_id = ?1")?;
            for j in &page.jobs {
                forget.execute([j.id.0])?;
            }
            let mut keep = tx.prepare_cached(
                "INSERT OR REPLACE INTO parts_fills (request_op, job_id, body) \
                 SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?2)",
            )?;
            for f in &page.fills {
                let body = serde_json::to_string(f).map_err(|e| CoreError::Store(e.to_string()))?;
                keep.execute(params![f.request.0, f.job_id.0, body])?;
            }
        }
        {
            // A page's jobs carry where their letter stands: replace, never merge.
            let mut forget = tx.prepare_cached("DELETE FROM letters WHERE job_id = ?1")?;
            for j in &page.jobs {
                forget.execute([j.id.0])?;
            }
            let mut keep = tx.prepare_cached(
                "INSERT OR REPLACE INTO letters (job_id, body) \
                 SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?1)",
            )?;
            for l in &page.letters {
                let body = serde_json::to_string(l).map_err(|e| CoreError::Store(e.to_string()))?;
                keep.execute(params![l.job_id.0, body])?;
            }
        }
        {
            // A page's assets carry their whole service history: replace, never merge.
            let mut forget =
                tx.prepare_cached("DELETE FROM service_history WHERE asset_id = ?1")?;
            for a in &page.assets {
                forget.execute([a.id.0])?;
            }
            let mut keep = tx.prepare_cached(
                "INSERT OR REPLACE INTO service_history (asset_id, job_id, at, body) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for v in &page.service {
                let body = serde_json::to_string(v).map_err(|e| CoreError::Store(e.to_string()))?;
                keep.execute(params![v.asset_id.0, v.job_id.0, v.at, body])?;
            }
        }
        if let Some(reference) = &page.reference {
            super::reference::apply(&tx, reference)?;
            applied.reference = reference.parts.len()
                + reference.checklists.len()
                + reference.policies.len()
                + reference.guides.len();
        }
        // The local view is HQ's state plus what HQ has not acknowledged yet.
        super::rebase::replay_waiting(&tx)?;
        if let Some(hlc) = page.hlc {
            super::clock::observe(&tx, hlc)?;
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
        let tx = Store::write_tx(&mut conn)?;
        clear_hq_records(&tx)?;
        set_in(&tx, Setting::Cursor, None)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::*;

    #[test]
    fn pages_round_trip_through_a_real_file() {
        let (store, dir) = open();
        let (c, s, a) = records();
        let j1 = job("J-2", &c, &s, Some(&a), Some("2026-11-24T08:00:00Z"));
        let j2 = job("J-1", &c, &s, None, None);
        let j3 = job("J-3", &c, &s, None, Some("2026-11-23T08:00:00Z"));
        let applied = store
            .apply_pull(&page_of(
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
                removed: 0,
                reference: 0,
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
        let (c, s, a) = records();
        let mut j1 = job("J-1", &c, &s, Some(&a), None);
        let j2 = job("J-2", &c, &s, None, None);
        store
            .apply_pull(&page_of(
                vec![j1.clone(), j2.clone()],
                &c,
                &s,
                Some(&a),
                "c1",
            ))
            .unwrap();

        j1.status = JobStatus::Cancelled;
        j1.version = 2;
        let mut p = page_of(vec![j1.clone()], &c, &s, Some(&a), "c2");
        p.removed = vec![j2.id];
        assert_eq!(
            store.apply_pull(&p).unwrap(),
            Applied {
                jobs: 1,
                removed: 1,
                reference: 0,
            }
        );
        let list = store.jobs(&JobQuery::default(), now()).unwrap();
        assert_eq!((list.len(), list[0].status), (1, JobStatus::Cancelled));

        let j9 = job("J-9", &c, &s, None, None);
        let mut reset = page_of(vec![j9], &c, &s, None, "c3");
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
        let (c, s, _) = records();
        store
            .apply_pull(&page_of(
                vec![job("J-1", &c, &s, None, None)],
                &c,
                &s,
                None,
                "c1",
            ))
            .unwrap();
        let mut orphan = job("J-2", &c, &s, None, None);
        orphan.site_id = SiteId::new(); // references a site the page does not carry
        let bad = page_of(vec![orphan], &c, &s, None, "c2");
        assert!(store.apply_pull(&bad).is_err());
        assert_eq!(
            store.setting(Setting::Cursor).unwrap().as_deref(),
            Some("c1")
        );
        assert_eq!(store.job_count().unwrap(), 1);
    }

    #[test]
    fn status_history_is_replaced_per_job_and_goes_with_it() {
        let (store, _dir) = open();
        let (c, s, _) = records();
        let j = job("J-1", &c, &s, None, None);
        let step = |status, at: &str| StatusChange {
            job_id: j.id,
            at: at.parse().unwrap(),
            status,
            detail: None,
            event: HistoryEvent::Assigned,
        };
        let mut p = page_of(vec![j.clone()], &c, &s, None, "c1");
        p.history = vec![
            step(JobStatus::New, "2026-11-20T08:00:00Z"),
            step(JobStatus::Assigned, "2026-11-20T09:00:00Z"),
        ];
        store.apply_pull(&p).unwrap();
        let mut p2 = page_of(vec![j.clone()], &c, &s, None, "c2");
        p2.history = vec![
            step(JobStatus::New, "2026-11-20T08:00:00Z"),
            step(JobStatus::Assigned, "2026-11-20T09:00:00Z"),
            step(JobStatus::Cancelled, "2026-11-21T09:00:00Z"),
        ];
        store.apply_pull(&p2).unwrap();
        let today = "2026-11-23".parse().unwrap();
        let history = store.job_detail("J-1", now(), today).unwrap().history;
        assert_eq!(history, p2.history, "replaced, not appended");

        let mut gone = page_of(vec![], &c, &s, None, "c3");
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
