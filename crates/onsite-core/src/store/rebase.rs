//! Rebase: the local view is HQ's state plus the technician's changes HQ has not answered
//! yet. An op's effect on the view is written when it is recorded, and written again on top of
//! every pulled page.

use super::op_state::in_outbox;
use crate::error::{CoreError, Result};
use onsite_protocol::{Change, JobId, Op, OpKind};
use rusqlite::params;
use std::sync::LazyLock;

/// Whether ops of `kind` change the local view (and so are replayed after a pull). Facts that
/// only add to the job's record do not. A new kind must be placed here: the match says so.
fn projects(kind: OpKind) -> bool {
    match kind {
        OpKind::Status | OpKind::ContactPhone | OpKind::AssetSerial => true,
        // A replacement puts the new unit's serial on the asset.
        OpKind::WarrantyDecided => true,
        OpKind::Note
        | OpKind::Attachment
        | OpKind::WorkStarted
        | OpKind::WorkStopped
        | OpKind::ChecklistPinned
        | OpKind::ChecklistAnswer
        | OpKind::PartUsed
        | OpKind::Voided
        | OpKind::PartsRequested
        | OpKind::SignedOff
        | OpKind::Rated => false,
    }
}

/// The waiting ops a pull replays, in recording order.
static REPLAYED: LazyLock<String> = LazyLock::new(|| {
    let kinds: Vec<String> = OpKind::ALL
        .iter()
        .filter(|k| projects(**k))
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    format!(
        "SELECT job_id, body FROM ops WHERE {} AND kind IN ({}) ORDER BY seq",
        in_outbox!(),
        kinds.join(", ")
    )
});

/// Writes a status or correction onto the local view of `job_id` (the effect of one op).
pub(super) fn project(tx: &rusqlite::Connection, job_id: JobId, change: &Change) -> Result<()> {
    match change {
        Change::Status { to } => {
            tx.prepare_cached("UPDATE jobs SET status = ?2 WHERE id = ?1")?
                .execute(params![job_id.0, to.as_str()])?;
        }
        Change::ContactPhone { phone } => {
            tx.prepare_cached(
                "UPDATE customers SET phone = ?2 WHERE id = (SELECT customer_id FROM jobs WHERE id = ?1)",
            )?
            .execute(params![job_id.0, phone.trim()])?;
        }
        Change::AssetSerial { serial }
        | Change::WarrantyDecided {
            replacement_serial: Some(serial),
            ..
        } => {
            tx.prepare_cached(
                "UPDATE assets SET serial = ?2 WHERE id = (SELECT asset_id FROM jobs WHERE id = ?1)",
            )?
            .execute(params![job_id.0, serial.trim()])?;
        }
        Change::Note { .. }
        | Change::Attachment { .. }
        | Change::WorkStarted { .. }
        | Change::WorkStopped { .. }
        | Change::ChecklistPinned { .. }
        | Change::ChecklistAnswer { .. }
        | Change::PartUsed { .. }
        | Change::WarrantyDecided { .. }
        | Change::Voided { .. }
        | Change::PartsRequested { .. }
        | Change::SignedOff { .. }
        | Change::Rated { .. } => {}
    }
    Ok(())
}

/// Re-applies every waiting op, in order, on top of what HQ sent: the local view is HQ's state
/// plus the changes HQ has not acknowledged. Ops only set values, so replaying ops already
/// in the view changes nothing.
pub(super) fn replay_waiting(tx: &rusqlite::Connection) -> Result<()> {
    let mut stmt = tx.prepare_cached(&REPLAYED)?;
    let waiting = stmt
        .query_map([], |r| Ok((JobId(r.get(0)?), r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (job_id, body) in waiting {
        let op: Op =
            serde_json::from_str(&body).map_err(|e| CoreError::Store(format!("stored op: {e}")))?;
        project(tx, job_id, &op.change)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    /// The kinds said to change the view are exactly those `project` writes: a fact projected
    /// by mistake, or a correction never replayed, fails here.
    #[test]
    fn replayed_kinds_are_the_ones_that_change_the_view() {
        let f = fixture();
        let before = f.detail();
        let samples = [
            Change::Status {
                to: JobStatus::EnRoute,
            },
            Change::ContactPhone {
                phone: "555 0002".into(),
            },
            Change::AssetSerial {
                serial: "S-9".into(),
            },
            Change::Note { text: "x".into() },
            Change::Attachment {
                sha256: "ab".repeat(32),
                file_name: "a.jpg".into(),
                media_type: "image/jpeg".into(),
                bytes: 1,
                caption: None,
            },
            Change::WorkStarted { at: now() },
            Change::WorkStopped { at: now() },
            Change::ChecklistPinned { templates: vec![] },
            Change::ChecklistAnswer {
                template: onsite_protocol::checklist::TemplateRef {
                    key: "t".into(),
                    version: 1,
                },
                item: "i".into(),
                value: onsite_protocol::checklist::AnswerValue::Bool(true),
            },
            Change::PartUsed {
                sku: "SEAL".into(),
                qty: 1,
                serial: None,
                removed_serial: None,
            },
            Change::WarrantyDecided {
                fault: onsite_protocol::warranty::FaultCategory::Performance,
                remedy: onsite_protocol::warranty::Remedy::Replace,
                rule: onsite_protocol::warranty::WarrantyRule::ReplacePeriod,
                policy_version: 1,
                facts: onsite_protocol::warranty::WarrantyFacts::default(),
                visit_on: now().date_naive(),
                needs_review: false,
                note: None,
                replacement_serial: Some("NEW-1".into()),
                return_ref: Some("RMA-J-1-000001".into()),
            },
            Change::Voided {
                voids: OpId::new(),
                reason: None,
            },
            Change::PartsRequested {
                sku: "SEAL".into(),
                qty: 1,
                note: None,
            },
            Change::SignedOff {
                report: onsite_protocol::signoff::BlobRef {
                    sha256: "ab".repeat(32),
                    bytes: 10,
                },
                signer: "Ann".into(),
                signature: None,
                signed_at: now(),
            },
            Change::Rated {
                satisfaction: 1,
                recommend: None,
                comment: None,
                complaint: None,
                call_ok: false,
                call_time: None,
            },
        ];
        assert_eq!(samples.len(), onsite_protocol::OpKind::ALL.len());
        for change in samples {
            let conn = f.store.conn();
            super::project(&conn, f.job.id, &change).unwrap();
            drop(conn);
            let after = f.detail();
            let changed = (
                after.job.status,
                after.customer.phone.clone(),
                after.asset.clone(),
            ) != (
                before.job.status,
                before.customer.phone.clone(),
                before.asset.clone(),
            );
            assert_eq!(changed, super::projects(change.kind()), "{change:?}");
            f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        }
    }

    #[test]
    fn a_pull_rebases_the_view_on_hq_state_plus_waiting_ops() {
        let f = fixture();
        f.record(Change::Status {
            to: JobStatus::EnRoute,
        })
        .unwrap();
        f.record(Change::AssetSerial {
            serial: "S-2".into(),
        })
        .unwrap();
        // HQ changes the schedule meanwhile; its page still says "assigned" and "S-1".
        let mut hq = f.job.clone();
        hq.summary = "Leak, urgent".into();
        hq.version = 2;
        f.store.apply_pull(&f.page(hq.clone(), vec![])).unwrap();
        let d = f.detail();
        assert_eq!(d.job.summary, "Leak, urgent");
        assert_eq!(d.job.status, JobStatus::EnRoute, "waiting op replayed");
        assert_eq!(d.asset.unwrap().serial.as_deref(), Some("S-2"));

        // HQ answers: the status is a conflict. Until HQ sends the job again, the view keeps the
        // technician's intent; then it shows HQ's state, and the op keeps its outcome.
        let (batch, mut results) = f.answer(Outcome::Applied, None);
        results[0].outcome = Outcome::Conflict;
        results[0].reason = Some(Reason::StatusConflict);
        let acked = f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
        assert_eq!((acked.applied, acked.conflicts), (1, 1));
        assert_eq!(f.store.waiting().unwrap(), 0);
        f.store.apply_pull(&f.page(hq, vec![])).unwrap();
        let d = f.detail();
        assert_eq!(d.job.status, JobStatus::Assigned);
        let states: Vec<_> = d.activity.iter().map(|a| a.state).collect();
        assert_eq!(states, vec![OpState::Conflict, OpState::Applied]);
    }

    #[test]
    fn a_job_taken_away_with_unsent_changes_stays_read_only_until_they_are_sent() {
        let f = fixture();
        f.record(Change::Note {
            text: "Boiler serviced".into(),
        })
        .unwrap();
        f.store
            .apply_pull(&PullPage {
                removed: vec![f.job.id],
                cursor: "c2".into(),
                ..PullPage::default()
            })
            .unwrap();
        let d = f.detail();
        assert!(d.read_only);
        assert_eq!(
            f.record(Change::Note {
                text: "more".into()
            })
            .unwrap_err()
            .code(),
            "job_read_only"
        );
        assert!(f.store.jobs(&JobQuery::default(), now()).unwrap()[0].read_only);
        let (batch, results) = f.answer(Outcome::Applied, None);
        let acked = f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
        assert_eq!(acked.released, 1);
        assert_eq!(f.store.job_count().unwrap(), 0);
        // The op's outcome is still listed.
        let outbox = f.store.outbox(10).unwrap();
        assert_eq!(outbox.ops[0].state, OpState::Applied);
        assert_eq!(outbox.waiting, 0);
    }
}
