//! Recording a change: one transaction checks it against the local view as HQ would, stamps
//! it with the device's clock, appends the op to the outbox and writes its effect on the view,
//! so the job shows it at once and a crash keeps both or neither. An attachment not sent yet
//! can be taken back.

use super::Store;
use super::activity::Activity;
use super::op_state::OpState;
use super::outbox::OutboxEntry;
use super::settings::{Setting, set_in};
use super::visit;
use crate::error::{CoreError, Result};
use chrono::{DateTime, Utc};
use onsite_protocol::signoff::BlobRef;
use onsite_protocol::visit::VisitRecord;
use onsite_protocol::{Actor, Change, DeviceId, JobId, JobStatus, Op, OpId, OpKind};
use onsite_sqlite::parsed;
use rusqlite::{OptionalExtension, Transaction, params};

struct LocalJob {
    id: JobId,
    status: JobStatus,
    released: bool,
    asset_id: Option<uuid::Uuid>,
}

fn local_job(tx: &Transaction<'_>, number: &str) -> Result<LocalJob> {
    tx.prepare_cached("SELECT id, status, released, asset_id FROM jobs WHERE number = ?1")?
        .query_row([number], |r| {
            Ok(LocalJob {
                id: JobId(r.get(0)?),
                status: parsed(r, 1)?,
                released: r.get(2)?,
                asset_id: r.get(3)?,
            })
        })
        .optional()?
        .ok_or_else(|| CoreError::UnknownJob(number.to_string()))
}

/// The id of the job numbered `number` on this device.
pub(super) fn job_id(conn: &rusqlite::Connection, number: &str) -> Result<JobId> {
    conn.prepare_cached("SELECT id FROM jobs WHERE number = ?1")?
        .query_row([number.trim()], |r| Ok(JobId(r.get(0)?)))
        .optional()?
        .ok_or_else(|| CoreError::UnknownJob(number.trim().to_string()))
}

/// What the job holds when a change is recorded, read once for every check: its activity and
/// the visit record folded from it.
struct Held<'a> {
    activity: &'a [Activity],
    record: &'a VisitRecord,
}

/// Checks a change against the local view of the job, as HQ would.
fn check(
    tx: &Transaction<'_>,
    number: &str,
    job: &LocalJob,
    change: &Change,
    held: &Held<'_>,
) -> Result<()> {
    let working = || super::activity::working(held.activity);
    if job.released {
        return Err(CoreError::JobReadOnly(number.to_string()));
    }
    change
        .validate()
        .map_err(|e| CoreError::InvalidInput(e.message))?;
    match change {
        Change::Status { to } => {
            job.status
                .transition(*to, Actor::Technician)
                .map_err(|e| CoreError::InvalidTransition(format!("job {number}: {e}")))?;
            check_visit(tx, number, job, change, held)
        }
        Change::AssetSerial { .. } if job.asset_id.is_none() => Err(CoreError::InvalidInput(
            format!("job {number} has no product whose serial could be corrected"),
        )),
        Change::WorkStarted { .. } if job.status.is_closed() => Err(CoreError::JobClosed {
            number: number.to_string(),
            status: job.status,
        }),
        Change::WorkStarted { .. } if working() => Err(CoreError::InvalidInput(format!(
            "work on job {number} is already started"
        ))),
        Change::WorkStopped { .. } if !working() => Err(CoreError::InvalidInput(format!(
            "work on job {number} is not started"
        ))),
        _ => check_visit(tx, number, job, change, held),
    }
}

/// Checks a change to the visit record against the reference data on the laptop, as HQ would:
/// an answer fits its item of a checklist the job keeps, a part is in the catalog, a decision
/// is one the policy allows on the facts held here, a correction names a fact of this job,
/// and completion waits for every required answer.
fn check_visit(
    tx: &Transaction<'_>,
    number: &str,
    job: &LocalJob,
    change: &Change,
    held: &Held<'_>,
) -> Result<()> {
    let record = held.record;
    match change {
        Change::ChecklistPinned { .. } if record.pinned.is_some() => Err(CoreError::InvalidInput(
            format!("job {number} keeps the checklist versions it had when work started"),
        )),
        Change::ChecklistAnswer {
            template,
            item,
            value,
        } => {
            let keeps = visit::templates_of(tx, job.id, record)?;
            if !keeps.contains(template) {
                return Err(CoreError::InvalidInput(format!(
                    "job {number} has no checklist {}@{}",
                    template.key, template.version
                )));
            }
            let t = visit::template(tx, template)?.ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "checklist {}@{} is not on this laptop; sync with HQ",
                    template.key, template.version
                ))
            })?;
            let it = t.item(item).ok_or_else(|| {
                CoreError::InvalidInput(format!("checklist {:?} has no item {item:?}", t.title))
            })?;
            it.check(value).map_err(CoreError::InvalidInput)?;
            if let onsite_protocol::checklist::AnswerValue::Text(sha) = value
                && it.kind == onsite_protocol::checklist::ItemType::Photo
                && !photo_on_job(held.activity, sha)
            {
                return Err(CoreError::InvalidInput(format!(
                    "{:?} takes a photo attached to job {number}",
                    it.label
                )));
            }
            Ok(())
        }
        Change::PartUsed { sku, serial, .. } => {
            let part = visit::part(tx, sku)?.ok_or_else(|| CoreError::UnknownPart(sku.clone()))?;
            match (part.serialized, serial) {
                (true, None) => Err(CoreError::InvalidInput(format!(
                    "{} ({sku}) is serialized: give the unit's serial",
                    part.name
                ))),
                (false, Some(_)) => Err(CoreError::InvalidInput(format!(
                    "{} ({sku}) has no serials; give a quantity instead",
                    part.name
                ))),
                _ => Ok(()),
            }
        }
        Change::PartsRequested { sku, .. } => match visit::part(tx, sku)? {
            Some(_) => Ok(()),
            None => Err(CoreError::UnknownPart(sku.clone())),
        },
        Change::WarrantyDecided {
            fault,
            remedy,
            rule,
            policy_version,
            facts,
            visit_on,
            ..
        } => {
            let choice = visit::warranty_choice(
                tx,
                number,
                job.id,
                *fault,
                *visit_on,
                Some(*policy_version),
            )?;
            if !choice.found.allows(*remedy) {
                return Err(CoreError::RemedyNotAllowed {
                    remedy: *remedy,
                    allowed: choice.allowed(),
                });
            }
            if choice.found.rule_for(*remedy) != Some(*rule) || choice.facts != *facts {
                return Err(CoreError::InvalidInput(
                    "the decision was made on facts this laptop no longer holds; decide again"
                        .into(),
                ));
            }
            Ok(())
        }
        Change::Voided { voids, .. } => {
            let part = record
                .parts
                .iter()
                .find(|p| p.op_id == *voids)
                .map(|p| p.voided);
            let decision = record
                .decisions
                .iter()
                .find(|d| d.op_id == *voids)
                .map(|d| d.voided);
            match part.or(decision) {
                Some(false) => Ok(()),
                Some(true) => Err(CoreError::InvalidInput("that is voided already".into())),
                None => Err(CoreError::InvalidInput(format!(
                    "job {number} has no part use or decision {voids} to void"
                ))),
            }
        }
        Change::Status {
            to: JobStatus::Completed,
        } => {
            let missing = visit::checklist_of(tx, job.id, record)?.missing;
            if missing.is_empty() {
                Ok(())
            } else {
                Err(CoreError::ChecklistIncomplete {
                    number: number.to_string(),
                    missing: missing
                        .iter()
                        .map(|m| format!("{}.{} ({})", m.template.key, m.item, m.label))
                        .collect(),
                })
            }
        }
        _ => Ok(()),
    }
}

/// Whether a photo with this content is attached to the job (recorded here or from HQ).
fn photo_on_job(activity: &[Activity], sha256: &str) -> bool {
    activity.iter().any(|a| {
        matches!(&a.change, Change::Attachment { sha256: s, .. } if s == sha256)
            && !matches!(a.state, OpState::Rejected)
    })
}

/// Stamps `change` with the device's clock, appends it to the outbox and writes its effect on
/// the local view, inside `tx`.
fn append(
    tx: &Transaction<'_>,
    job: &LocalJob,
    number: &str,
    change: Change,
    device: DeviceId,
    now: DateTime<Utc>,
) -> Result<Op> {
    let mut clock = super::clock::load(tx)?;
    let hlc = clock.tick(now.timestamp_millis());
    set_in(tx, Setting::Hlc, Some(&hlc.to_string()))?;
    let op = Op {
        op_id: OpId::new(),
        device_id: device,
        job_id: job.id,
        hlc,
        recorded_at: Some(now),
        change,
    };
    let body = serde_json::to_string(&op).map_err(|e| CoreError::Store(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO ops (op_id, job_id, job_number, kind, hlc, body, created_at, state) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')",
    )?
    .execute(params![
        op.op_id.0,
        job.id.0,
        number,
        op.change.kind().as_str(),
        hlc.to_string(),
        body,
        now
    ])?;
    // Content the op names waits for upload: HQ applies the op only once it holds it.
    for (named, media_type) in content_types(&op.change) {
        tx.prepare_cached(
            "INSERT INTO attachments (sha256, bytes, media_type) VALUES (?1, ?2, ?3) \
             ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![named.sha256, named.bytes, media_type])?;
    }
    super::rebase::project(tx, job.id, &op.change)?;
    Ok(op)
}

/// The content `change` names, with its media type.
fn content_types(change: &Change) -> Vec<(BlobRef, &str)> {
    match change {
        Change::Attachment { media_type, .. } => change
            .content()
            .into_iter()
            .map(|c| (c, media_type.as_str()))
            .collect(),
        Change::SignedOff {
            report, signature, ..
        } => std::iter::once((report.clone(), "application/pdf"))
            .chain(signature.clone().map(|s| (s, "image/png")))
            .collect(),
        _ => Vec::new(),
    }
}

impl Store {
    /// Records `change` to job `number` as a new op from `device` at `now`: checked against
    /// the local view (the same rules HQ applies), stamped, appended to the outbox and shown in
    /// the local view, in one transaction. An attachment's content must already be in the data
    /// folder under its hash. Completing a job while work time runs records the stop first.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::JobReadOnly`], [`CoreError::InvalidInput`],
    /// [`CoreError::InvalidTransition`], [`CoreError::JobClosed`] (work started on a closed
    /// job), [`CoreError::Store`].
    pub fn record(
        &self,
        number: &str,
        change: Change,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        let number = number.trim();
        let mut conn = self.conn();
        let tx = Store::write_tx(&mut conn)?;
        let job = local_job(&tx, number)?;
        let activity = super::activity::of_job(&tx, job.id)?;
        let record = visit::record_from(&activity);
        let held = Held {
            activity: &activity,
            record: &record,
        };
        check(&tx, number, &job, &change, &held)?;
        // Work starting fixes the checklist versions the job keeps: what applies now, newer
        // versions from HQ notwithstanding.
        if visit::starts_work(&change) && record.pinned.is_none() {
            let templates = visit::templates_of(&tx, job.id, &record)?;
            append(
                &tx,
                &job,
                number,
                Change::ChecklistPinned { templates },
                device,
                now,
            )?;
        }
        // A completed job takes no more time on site: a running timer stops as it completes,
        // recorded as a stop of its own so the time worked is exact.
        if matches!(change, Change::Status { to } if to.is_closed())
            && super::activity::working(&activity)
        {
            append(
                &tx,
                &job,
                number,
                Change::WorkStopped { at: now },
                device,
                now,
            )?;
        }
        let op = append(&tx, &job, number, change, device, now)?;
        tx.commit()?;
        Ok(OutboxEntry {
            op_id: op.op_id,
            job_number: number.to_string(),
            change: op.change,
            state: OpState::Pending,
            reason: None,
            message: None,
            created_at: now,
            acked_at: None,
        })
    }

    /// Takes back a photo or document that has not left the device yet: its op leaves the
    /// outbox as if it had never been recorded. Returns the hash of content nothing else on
    /// the device refers to any more, for the caller to delete.
    ///
    /// # Errors
    /// [`CoreError::AlreadySent`] once the op is on its way to HQ (or answered), or
    /// [`CoreError::InvalidInput`] when no such attachment was recorded here.
    pub fn withdraw(&self, op_id: OpId) -> Result<Option<String>> {
        let mut conn = self.conn();
        let tx = Store::write_tx(&mut conn)?;
        let found: Option<(String, String, String)> = tx
            .prepare_cached("SELECT kind, state, body FROM ops WHERE op_id = ?1")?
            .query_row([op_id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((kind, state, body)) = found else {
            return Err(CoreError::InvalidInput(
                "no such change recorded on this laptop".into(),
            ));
        };
        if kind != OpKind::Attachment.as_str() {
            return Err(CoreError::InvalidInput(
                "only photos and documents can be taken back".into(),
            ));
        }
        if state != OpState::Pending.as_str() {
            return Err(CoreError::AlreadySent);
        }
        let op: Op =
            serde_json::from_str(&body).map_err(|e| CoreError::Store(format!("stored op: {e}")))?;
        let Change::Attachment { sha256, .. } = op.change else {
            return Err(CoreError::Store("attachment op without content".into()));
        };
        tx.prepare_cached("DELETE FROM ops WHERE op_id = ?1")?
            .execute([op_id.0])?;
        // The same picture may be attached twice, or already be at HQ on another job.
        let referenced: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM ops WHERE kind = 'attachment' \
                   AND json_extract(body, '$.sha256') = ?1) \
                 OR EXISTS (SELECT 1 FROM job_ops WHERE json_extract(body, '$.sha256') = ?1)",
            )?
            .query_row([&sha256], |r| r.get(0))?;
        let unused = if referenced {
            None
        } else {
            tx.prepare_cached("DELETE FROM attachments WHERE sha256 = ?1")?
                .execute([&sha256])?;
            Some(sha256)
        };
        tx.commit()?;
        Ok(unused)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn a_change_shows_at_once_and_waits_in_the_outbox() {
        let f = fixture();
        f.record(Change::Status {
            to: JobStatus::OnSite,
        })
        .unwrap();
        f.record(Change::Note {
            text: "Leak found under the sink".into(),
        })
        .unwrap();
        f.record(Change::ContactPhone {
            phone: "555 0199".into(),
        })
        .unwrap();
        assert_eq!(f.status(), JobStatus::OnSite);
        let d = f.detail();
        assert_eq!(d.customer.phone.as_deref(), Some("555 0199"));
        assert_eq!(
            d.activity.len(),
            4,
            "arriving pins the checklist versions first"
        );
        assert_eq!(
            d.activity[0].change,
            Change::ChecklistPinned { templates: vec![] }
        );
        assert!(
            d.activity
                .iter()
                .all(|a| a.state == OpState::Pending && a.mine)
        );
        assert!(d.activity.windows(2).all(|w| w[0].at <= w[1].at));
        let outbox = f.store.outbox(10).unwrap();
        assert_eq!((outbox.waiting, outbox.ops.len()), (4, 4));
        assert_eq!(
            f.store.jobs(&JobQuery::default(), now()).unwrap()[0].waiting,
            4
        );
    }

    #[test]
    fn changes_are_checked_like_hq_checks_them_and_nothing_is_kept_on_refusal() {
        let f = fixture();
        let err = f
            .record(Change::Status {
                to: JobStatus::Completed,
            })
            .unwrap_err();
        assert_eq!(err.code(), "invalid_transition");
        let err = f
            .record(Change::Status {
                to: JobStatus::Cancelled,
            })
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        let err = f.record(Change::Note { text: " ".into() }).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        let err = f.record(Change::WorkStopped { at: now() }).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        let err = f
            .store
            .record("J-404", Change::Note { text: "x".into() }, DEVICE, now())
            .unwrap_err();
        assert_eq!(err.code(), "unknown_job");
        assert_eq!(f.store.waiting().unwrap(), 0);
        f.record(Change::WorkStarted { at: now() }).unwrap();
        assert!(f.detail().working);
        assert_eq!(
            f.record(Change::WorkStarted { at: now() })
                .unwrap_err()
                .code(),
            "invalid_input"
        );
    }

    #[test]
    fn completing_stops_a_running_timer_first() {
        let f = fixture();
        f.record(Change::Status {
            to: JobStatus::OnSite,
        })
        .unwrap();
        f.record(Change::WorkStarted { at: now() }).unwrap();
        assert!(f.detail().working);
        f.record(Change::Status {
            to: JobStatus::Completed,
        })
        .unwrap();
        let d = f.detail();
        assert!(!d.working, "the timer stopped");
        assert_eq!(d.work.running_since, None);
        let kinds: Vec<_> = d
            .activity
            .iter()
            .map(|a| a.change.kind().as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "checklist_pinned",
                "status",
                "work_started",
                "work_stopped",
                "status"
            ],
            "the stop is recorded before the completion"
        );
        // Completing without a running timer records just the status.
        let g = fixture();
        g.record(Change::Status {
            to: JobStatus::OnSite,
        })
        .unwrap();
        g.record(Change::Status {
            to: JobStatus::Completed,
        })
        .unwrap();
        assert_eq!(g.store.waiting().unwrap(), 3, "pin, arrival, completion");
    }

    #[test]
    fn a_closed_job_takes_no_more_work_time_but_takes_facts() {
        let f = fixture();
        f.record(Change::Status {
            to: JobStatus::OnSite,
        })
        .unwrap();
        f.record(Change::WorkStarted { at: now() }).unwrap();
        // HQ cancels while the timer runs: the stop is still taken, a new start is not.
        let mut cancelled = f.job.clone();
        cancelled.status = JobStatus::Cancelled;
        let (batch, results) = f.answer(Outcome::Applied, None);
        f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
        f.store.apply_pull(&f.page(cancelled, vec![])).unwrap();
        f.record(Change::WorkStopped { at: now() }).unwrap();
        let err = f.record(Change::WorkStarted { at: now() }).unwrap_err();
        assert_eq!(err.code(), "job_closed");
        assert!(err.to_string().contains("cancelled"), "{err}");
        f.record(Change::Note {
            text: "Left a card".into(),
        })
        .unwrap();
    }

    #[test]
    fn a_photo_not_yet_sent_can_be_taken_back() {
        let f = fixture();
        let photo = |sha: &str| Change::Attachment {
            sha256: sha.repeat(32),
            file_name: "a.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 10,
            caption: None,
        };
        let first = f.record(photo("ab")).unwrap();
        let twice = f.record(photo("ab")).unwrap();
        let other = f.record(photo("cd")).unwrap();
        let note = f.record(Change::Note { text: "x".into() }).unwrap();
        assert_eq!(
            f.store.withdraw(first.op_id).unwrap(),
            None,
            "the same content is still attached once more"
        );
        assert_eq!(
            f.store.withdraw(twice.op_id).unwrap(),
            Some("ab".repeat(32)),
            "now nothing needs it"
        );
        assert_eq!(
            f.store.uploads().unwrap().len(),
            1,
            "only cd is left to upload"
        );
        assert_eq!(
            f.store.withdraw(note.op_id).unwrap_err().code(),
            "invalid_input",
            "only attachments"
        );
        assert_eq!(
            f.store.withdraw(OpId::new()).unwrap_err().code(),
            "invalid_input"
        );
        // Once on its way to HQ it stays.
        let batch = f.store.outgoing(100, 1 << 20).unwrap();
        let sent = f.store.mark_sent(batch).unwrap();
        assert_eq!(sent.len(), 2);
        assert_eq!(
            f.store.withdraw(other.op_id).unwrap_err().code(),
            "already_sent"
        );
        assert_eq!(f.store.waiting().unwrap(), 2);
    }
}
