//! Recording ops against the local view, replay after a pull, acknowledgement and release.

use super::*;
use crate::store::JobQuery;
use onsite_protocol::api::PullPage;
use onsite_protocol::push::RecordedOp;
use onsite_protocol::{Asset, AssetId, Customer, CustomerId, Job, JobKind, Priority, Site, SiteId};

const DEVICE: DeviceId = DeviceId(uuid::Uuid::from_u128(0xd1));

struct Fixture {
    store: Store,
    _dir: tempfile::TempDir,
    job: Job,
    customer: Customer,
    site: Site,
    asset: Asset,
}

fn now() -> DateTime<Utc> {
    "2026-11-23T12:00:00Z".parse().unwrap()
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("onsite.db")).unwrap();
    store
        .set_setting(Setting::DeviceId, Some(&DEVICE.to_string()))
        .unwrap();
    let customer = Customer {
        id: CustomerId::new(),
        name: "Ada".into(),
        phone: Some("555 0001".into()),
        email: None,
    };
    let site = Site {
        id: SiteId::new(),
        customer_id: customer.id,
        address: "1 Row".into(),
        town: None,
        access_notes: None,
    };
    let asset = Asset {
        id: AssetId::new(),
        customer_id: customer.id,
        site_id: Some(site.id),
        model: "HeatMax".into(),
        serial: Some("S-1".into()),
        purchased_on: None,
        installed_on: None,
        warranty_until: None,
    };
    let job = Job {
        id: JobId::new(),
        number: "J-1".into(),
        kind: JobKind::Repair,
        priority: Priority::Normal,
        summary: "Leak".into(),
        description: None,
        customer_id: customer.id,
        site_id: site.id,
        asset_id: Some(asset.id),
        technician: Some("tina".into()),
        scheduled_start: None,
        scheduled_end: None,
        sla_due: None,
        status: JobStatus::Assigned,
        version: 1,
        updated_at: now(),
    };
    let f = Fixture {
        store,
        _dir: dir,
        job,
        customer,
        site,
        asset,
    };
    f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
    f
}

impl Fixture {
    fn page(&self, job: Job, ops: Vec<RecordedOp>) -> PullPage {
        PullPage {
            jobs: vec![job],
            customers: vec![self.customer.clone()],
            sites: vec![self.site.clone()],
            assets: vec![self.asset.clone()],
            ops,
            cursor: "c".into(),
            ..PullPage::default()
        }
    }

    fn record(&self, change: Change) -> Result<OutboxEntry> {
        self.store.record("J-1", change, DEVICE, now())
    }

    fn status(&self) -> JobStatus {
        self.store.jobs(&JobQuery::default(), now()).unwrap()[0].status
    }

    fn detail(&self) -> crate::store::JobDetail {
        self.store
            .job_detail("J-1", now(), now().date_naive())
            .unwrap()
    }

    fn answer(&self, outcome: Outcome, reason: Option<Reason>) -> (Vec<OutgoingOp>, Vec<OpResult>) {
        let batch = self.store.outgoing(100, 1 << 20).unwrap();
        let results = batch
            .iter()
            .map(|o| OpResult {
                op_id: Some(o.op_id),
                outcome,
                first: None,
                reason,
                message: None,
            })
            .collect();
        (batch, results)
    }
}

fn hq_clock() -> Hlc {
    Hlc {
        wall: 0,
        counter: 0,
        node: DeviceId(uuid::Uuid::from_u128(1)),
    }
}

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
    assert_eq!(d.activity.len(), 3);
    assert!(
        d.activity
            .iter()
            .all(|a| a.state == OpState::Pending && a.mine)
    );
    assert!(d.activity.windows(2).all(|w| w[0].at <= w[1].at));
    let outbox = f.store.outbox(10).unwrap();
    assert_eq!((outbox.waiting, outbox.ops.len()), (3, 3));
    assert_eq!(
        f.store.jobs(&JobQuery::default(), now()).unwrap()[0].waiting,
        3
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
fn stamps_follow_each_other_even_when_the_clock_goes_back() {
    let f = fixture();
    let a = f.record(Change::Note { text: "a".into() }).unwrap();
    let earlier = now() - chrono::Duration::days(3);
    let b = f
        .store
        .record("J-1", Change::Note { text: "b".into() }, DEVICE, earlier)
        .unwrap();
    let ops = f.store.outgoing(10, 1 << 20).unwrap();
    let stamp = |o: &OutgoingOp| o.body["hlc"].as_str().unwrap().to_string();
    assert_eq!(ops[0].op_id, a.op_id);
    assert_eq!(ops[1].op_id, b.op_id);
    assert!(stamp(&ops[0]) < stamp(&ops[1]));
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
fn answers_that_do_not_match_the_batch_change_nothing() {
    let f = fixture();
    f.record(Change::Note { text: "a".into() }).unwrap();
    let (batch, mut results) = f.answer(Outcome::Applied, None);
    results[0].op_id = Some(OpId::new());
    let err = f
        .store
        .ack(&batch, &results, hq_clock(), now())
        .unwrap_err();
    assert_eq!(err.code(), "protocol");
    assert_eq!(f.store.waiting().unwrap(), 1);
    let err = f.store.ack(&batch, &[], hq_clock(), now()).unwrap_err();
    assert_eq!(err.code(), "protocol");
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

#[test]
fn facts_from_hq_and_local_ops_merge_without_doubles() {
    let f = fixture();
    let mine = f
        .record(Change::Note {
            text: "mine".into(),
        })
        .unwrap();
    let stored = f.store.outgoing(10, 1 << 20).unwrap();
    let op: Op = serde_json::from_value(stored[0].body.clone()).unwrap();
    let other = Op {
        op_id: OpId::new(),
        device_id: DeviceId(uuid::Uuid::from_u128(0xd2)),
        job_id: f.job.id,
        hlc: Hlc {
            wall: 1,
            counter: 0,
            node: DeviceId(uuid::Uuid::from_u128(0xd2)),
        },
        change: Change::Note {
            text: "from the other laptop".into(),
        },
    };
    let recorded = |op: Op| RecordedOp {
        op,
        by: "tina".into(),
        by_name: Some("Tina Fischer".into()),
        received_at: now(),
        outcome: Outcome::Applied,
        reason: None,
        message: None,
        settled: None,
    };
    f.store
        .apply_pull(&f.page(f.job.clone(), vec![recorded(other), recorded(op)]))
        .unwrap();
    let d = f.detail();
    assert_eq!(d.activity.len(), 2);
    assert!(!d.activity[0].mine, "the other laptop's note is older");
    assert_eq!(
        d.activity[0].by.as_deref(),
        Some("Tina Fischer"),
        "people by their display names"
    );
    assert_eq!(d.activity[1].op_id, mine.op_id);
    assert_eq!(d.activity[1].state, OpState::Applied, "HQ's record wins");
}

#[test]
fn answered_ops_are_forgotten_after_a_while_waiting_ones_never() {
    let f = fixture();
    f.record(Change::Note { text: "old".into() }).unwrap();
    let (batch, results) = f.answer(Outcome::Applied, None);
    f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
    f.record(Change::Note {
        text: "waiting".into(),
    })
    .unwrap();
    assert_eq!(
        f.store.forget_answered(now()).unwrap(),
        0,
        "answered just now"
    );
    let later = now() + chrono::Duration::days(31);
    assert_eq!(f.store.forget_answered(later).unwrap(), 1);
    let outbox = f.store.outbox(10).unwrap();
    assert_eq!((outbox.waiting, outbox.ops.len()), (1, 1));
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
        ["status", "work_started", "work_stopped", "status"],
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
    assert_eq!(g.store.waiting().unwrap(), 2);
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

#[test]
fn a_photo_taken_back_while_a_push_is_prepared_is_not_sent() {
    let f = fixture();
    let entry = f
        .record(Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "a.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 10,
            caption: Some("Boiler label".into()),
        })
        .unwrap();
    f.record(Change::Note { text: "x".into() }).unwrap();
    let batch = f.store.outgoing(100, 1 << 20).unwrap();
    assert_eq!(batch.len(), 2);
    f.store.withdraw(entry.op_id).unwrap();
    let sent = f.store.mark_sent(batch).unwrap();
    let ids: Vec<_> = sent.iter().map(|o| o.op_id).collect();
    assert_eq!(ids.len(), 1);
    assert_ne!(ids[0], entry.op_id);
}

#[test]
fn open_conflicts_count_until_a_dispatcher_settles_them() {
    let f = fixture();
    f.record(Change::Status {
        to: JobStatus::OnSite,
    })
    .unwrap();
    let (batch, results) = f.answer(Outcome::Conflict, Some(Reason::StatusConflict));
    f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
    assert_eq!(f.store.open_conflicts().unwrap(), 1);
    let op: Op = serde_json::from_value(batch[0].body.clone()).unwrap();
    let settled = RecordedOp {
        op,
        by: "tina".into(),
        by_name: None,
        received_at: now(),
        outcome: Outcome::Conflict,
        reason: Some(Reason::StatusConflict),
        message: None,
        settled: Some(onsite_protocol::push::Settlement {
            resolution: onsite_protocol::Resolution::KeepHq,
            by: "dora".into(),
            by_name: Some("Dora Dispatch".into()),
            at: now(),
            note: Some("Customer cancelled".into()),
        }),
    };
    f.store
        .apply_pull(&f.page(f.job.clone(), vec![settled]))
        .unwrap();
    assert_eq!(f.store.open_conflicts().unwrap(), 0);
}
