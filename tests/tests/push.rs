#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report
//! Two-way sync end to end: a real `onsite-hq` over HTTPS, devices on real SQLite files, the
//! `onsite` CLI, and faults — HQ stopped and killed mid-push, a proxy that cuts and delays.

use chrono::{Duration as Days, Utc};
use onsite_core::{Device, OpState, SyncPhase};
use onsite_e2e::changes::Changes;

enum Budget {
    Up(i64),
    Down(i64),
}
use onsite_e2e::hq::{Dispatcher, HqProcess};
use onsite_e2e::proxy::Proxy;
use onsite_e2e::{PASSWORD, bin, fixtures, onsite_ok};
use onsite_protocol::api::{JobPatch, JobView};
use onsite_protocol::received::ReceivedOp;
use onsite_protocol::{JobStatus, OpId, Outcome, Reason};
use reqwest::Method;
use sha2::Digest;
use std::collections::HashMap;
use std::process::Command;

fn team(jobs: usize) -> HqProcess {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("tom", "technician");
    hq.add_user("dana", "dispatcher");
    let (file, _) = fixtures::jobs(jobs, &["tina"]);
    let out = hq.import(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    hq
}

async fn device(url: &str, hq: &HqProcess) -> (Device, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    device
        .login(url, "tina", PASSWORD, Some(hq.pin()), chrono::Utc::now())
        .await
        .unwrap();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    (device, dir)
}

/// Every op this device recorded, by id.
fn local_ops(device: &Device) -> Vec<OpId> {
    device
        .outbox(u32::MAX)
        .unwrap()
        .ops
        .into_iter()
        .map(|e| e.op_id)
        .collect()
}

/// Asserts HQ holds each of `sent` exactly once and nothing else from devices, and that its
/// receive sequence only ever grows.
fn exactly_once(received: &[ReceivedOp], sent: &[OpId]) {
    let mut seen: HashMap<OpId, usize> = HashMap::new();
    for op in received {
        *seen
            .entry(op.op_id.expect("every op had an id"))
            .or_default() += 1;
    }
    for id in sent {
        assert_eq!(
            seen.get(id),
            Some(&1),
            "op {id} at HQ {:?} times",
            seen.get(id)
        );
    }
    assert_eq!(received.len(), sent.len(), "HQ holds ops nobody sent");
    assert!(
        received.windows(2).all(|w| w[0].seq < w[1].seq),
        "receive sequence is not monotonic"
    );
}

fn photo(dir: &std::path::Path, name: &str, bytes: usize, seed: u8) -> std::path::PathBuf {
    let content: Vec<u8> = (0..bytes)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[0] ^ seed)
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn sha(path: &std::path::Path) -> String {
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_day_offline_reaches_hq_exactly_once_through_the_cli() {
    let mut hq = team(3);
    let (device, dir) = device(&hq.url.clone(), &hq).await;
    let data = dir.path();
    let data_str = data.to_str().unwrap();
    let number = "J-000001";
    hq.stop();

    let picture = photo(data.parent().unwrap(), "boiler-front.jpg", 3_000_000, 7);
    for args in [
        vec!["job", "status", number, "en_route"],
        vec!["job", "status", number, "on_site"],
        vec!["job", "work", number, "start"],
        vec!["job", "note", number, "Pump seal worn; replaced it"],
        vec!["job", "photo", number, picture.to_str().unwrap()],
        vec!["job", "phone", number, "+44 113 496 0999"],
        vec!["job", "serial", number, "HM3-REAL-42"],
        vec!["job", "work", number, "stop"],
        vec!["job", "status", number, "completed"],
    ] {
        onsite_ok(data, &args);
    }
    // The original photo may go: the device kept its own copy.
    std::fs::remove_file(&picture).unwrap();
    let offline = Command::new(bin("onsite"))
        .args(["--data", data_str, "sync"])
        .output()
        .unwrap();
    assert!(!offline.status.success());
    assert!(
        String::from_utf8_lossy(&offline.stderr).contains("unreachable"),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let outbox: serde_json::Value =
        serde_json::from_slice(&onsite_ok(data, &["outbox", "--json"]).stdout).unwrap();
    // Nine changes, and the checklist versions the job keeps, pinned on arrival.
    assert_eq!(outbox["waiting"], 10);
    // The job shows every change already.
    let job: serde_json::Value =
        serde_json::from_slice(&onsite_ok(data, &["job", "show", number, "--json"]).stdout)
            .unwrap();
    assert_eq!(job["job"]["status"], "completed");
    assert_eq!(job["customer"]["phone"], "+44 113 496 0999");
    assert_eq!(job["activity"].as_array().unwrap().len(), 10);

    hq.restart();
    let out = onsite_ok(data, &["sync"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("10 changes applied"), "{text}");
    let outbox: serde_json::Value =
        serde_json::from_slice(&onsite_ok(data, &["outbox", "--json"]).stdout).unwrap();
    assert_eq!(outbox["waiting"], 0);
    assert!(
        outbox["ops"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["state"] == "applied")
    );

    let dispatcher = hq.dispatcher("dana").await;
    let view = dispatcher.job(number).await;
    assert_eq!(view.job.status, JobStatus::Completed);
    assert_eq!(view.customer.phone.as_deref(), Some("+44 113 496 0999"));
    assert_eq!(view.asset.unwrap().serial.as_deref(), Some("HM3-REAL-42"));
    let ops = dispatcher.job_ops(number).await;
    assert_eq!(ops.ops.len(), 10);
    assert!(
        ops.ops
            .iter()
            .all(|o| o.outcome == Outcome::Applied && o.by == "tina")
    );
    exactly_once(&dispatcher.received_ops().await, &local_ops(&device));
    // The photo is stored once at HQ, byte for byte.
    let sha256 = ops
        .ops
        .iter()
        .find_map(|o| match &o.op.change {
            onsite_protocol::Change::Attachment { sha256, .. } => Some(sha256.clone()),
            _ => None,
        })
        .unwrap();
    let stored = hq.data_dir().join("blobs").join(&sha256);
    assert_eq!(sha(&stored), sha256);
    assert_eq!(std::fs::metadata(stored).unwrap().len(), 3_000_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn hq_killed_mid_push_loses_and_doubles_nothing() {
    let mut hq = team(20);
    let (device, _dir) = device(&hq.url.clone(), &hq).await;
    let device = std::sync::Arc::new(device);
    let mut max_seq = 0;
    for round in 0..3u64 {
        for i in 0..1500 {
            let number = format!("J-{:06}", i % 20 + 1);
            device
                .add_note(&number, &format!("round {round} note {i}"), Utc::now())
                .unwrap();
        }
        let d = device.clone();
        let sync = tokio::spawn(async move { d.sync(Utc::now(), &|_| {}).await });
        // Somewhere inside the push: HQ dies without warning.
        tokio::time::sleep(std::time::Duration::from_millis(40 + round * 70)).await;
        hq.stop();
        let _ = sync.await.unwrap();
        hq.restart();
        device.sync(Utc::now(), &|_| {}).await.unwrap();
        assert_eq!(device.status().unwrap().waiting, 0);
        let dispatcher = hq.dispatcher("dana").await;
        let received = dispatcher.received_ops().await;
        exactly_once(&received, &local_ops(&device));
        // Sequence numbers keep growing across the restart.
        let last = received.last().unwrap().seq;
        assert!(last > max_seq);
        max_seq = last;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_that_cuts_and_delays_cannot_stop_sync() {
    let hq = team(10);
    let proxy = Proxy::start(hq.addr()).await;
    let (device, dir) = device(&proxy.url(), &hq).await;
    let mut shas = Vec::new();
    for n in 0..3u8 {
        let file = photo(dir.path(), &format!("p{n}.jpg"), 1_500_000, n);
        shas.push(sha(&file));
        device
            .attach_file(&format!("J-{:06}", n + 1), &file, None, Utc::now())
            .unwrap();
    }
    for i in 0..600 {
        device
            .add_note(
                &format!("J-{:06}", i % 10 + 1),
                &format!("note {i}"),
                Utc::now(),
            )
            .unwrap();
    }
    device
        .set_status("J-000001", JobStatus::OnSite, Utc::now())
        .unwrap();
    proxy.delay(std::time::Duration::from_millis(1));
    // First cut uploads mid-photo, then cut answers at depths that cycle from early to late:
    // each attempt resumes where the last one committed, so cuts land in the upload, the push
    // and the pull in turn.
    let mut budgets = vec![Budget::Up(700_000), Budget::Up(2_500_000)];
    budgets.extend((0..300).map(|i| Budget::Down(600 + (i % 40) * 300)));
    let phase = std::sync::Arc::new(std::sync::Mutex::new(SyncPhase::Connecting));
    let mut cut_in = std::collections::BTreeSet::new();
    for budget in budgets {
        proxy.heal();
        match budget {
            Budget::Up(b) => proxy.cut_requests_after(b),
            Budget::Down(b) => proxy.cut_after(b),
        }
        let seen = phase.clone();
        let result = device
            .sync(Utc::now(), &move |p| *seen.lock().unwrap() = p.phase)
            .await;
        match result {
            Ok(_) => break,
            Err(e) => {
                assert!(
                    e.is_offline(),
                    "a cut must read as a connection problem: {e}"
                );
                cut_in.insert(format!("{:?}", *phase.lock().unwrap()));
            }
        }
    }
    for expected in ["Uploading", "Pushing", "Pulling"] {
        assert!(
            cut_in.contains(expected),
            "no cut while {expected}: {cut_in:?}"
        );
    }
    proxy.heal();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(device.status().unwrap().waiting, 0);
    let dispatcher = hq.dispatcher("dana").await;
    exactly_once(&dispatcher.received_ops().await, &local_ops(&device));
    for sha256 in shas {
        assert_eq!(sha(&hq.data_dir().join("blobs").join(&sha256)), sha256);
    }
    assert_eq!(
        dispatcher.job("J-000001").await.job.status,
        JobStatus::OnSite
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_reassigned_away_keeps_and_sends_its_changes() {
    let mut hq = team(2);
    let (device, _dir) = device(&hq.url.clone(), &hq).await;
    hq.stop();
    device
        .add_note("J-000001", "Customer not home; left a card", Utc::now())
        .unwrap();
    device
        .set_status("J-000001", JobStatus::EnRoute, Utc::now())
        .unwrap();
    hq.restart();
    let dispatcher = hq.dispatcher("dana").await;
    dispatcher.assign("J-000001", Some("tom")).await;
    let report = device.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!((report.applied, report.conflicts), (1, 1));
    // Sent, so the job goes; the outcomes stay visible.
    let numbers: Vec<_> = device
        .jobs(&Default::default(), Utc::now())
        .unwrap()
        .into_iter()
        .map(|j| j.number)
        .collect();
    assert_eq!(numbers, vec!["J-000002"]);
    let outbox = device.outbox(10).unwrap();
    let states: Vec<_> = outbox.ops.iter().map(|o| (o.state, o.reason)).collect();
    assert_eq!(
        states,
        vec![
            (OpState::Conflict, Some(Reason::JobReassigned)),
            (OpState::Applied, None)
        ]
    );
    let conflicts = dispatcher.conflicts().await;
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].technician.as_deref(), Some("tom"));
    let ops = dispatcher.job_ops("J-000001").await;
    assert!(ops.ops.iter().any(|o| matches!(
        &o.op.change,
        onsite_protocol::Change::Note { text } if text.contains("left a card")
    )));
}

#[tokio::test(flavor = "multi_thread")]
async fn laptop_clocks_days_off_order_by_hlc_and_nothing_is_rejected() {
    let hq = team(1);
    let (ahead, _a) = device(&hq.url, &hq).await;
    let (behind, _b) = device(&hq.url, &hq).await;
    let skew = Days::days(3);
    let number = "J-000001";
    // The fast laptop corrects the phone and syncs.
    ahead
        .correct_phone(number, "111 1111", Utc::now() + skew)
        .unwrap();
    ahead.sync(Utc::now() + skew, &|_| {}).await.unwrap();
    // The slow laptop syncs (so it has seen HQ's clock), then corrects it later in real time:
    // its stamp follows the one it has seen although its wall clock is six days behind.
    behind.sync(Utc::now() - skew, &|_| {}).await.unwrap();
    behind
        .correct_phone(number, "222 2222", Utc::now() - skew)
        .unwrap();
    behind
        .set_status(number, JobStatus::OnSite, Utc::now() - skew)
        .unwrap();
    let report = behind.sync(Utc::now() - skew, &|_| {}).await.unwrap();
    // The phone, the arrival, and the checklist pin arriving records.
    assert_eq!((report.applied, report.rejected), (3, 0));
    // The fast laptop, offline, records a correction of its own before hearing of it.
    ahead
        .correct_phone(number, "333 3333", Utc::now() + skew)
        .unwrap();
    ahead
        .add_note(number, "skewed note", Utc::now() + skew)
        .unwrap();
    let report = ahead.sync(Utc::now() + skew, &|_| {}).await.unwrap();
    assert_eq!(report.rejected, 0);
    behind.sync(Utc::now() - skew, &|_| {}).await.unwrap();

    let dispatcher = hq.dispatcher("dana").await;
    let ops = dispatcher.job_ops(number).await;
    assert!(ops.ops.iter().all(|o| o.outcome == Outcome::Applied));
    // The value with the latest stamp wins, whatever the wall clocks said.
    let latest = ops
        .ops
        .iter()
        .filter_map(|o| match &o.op.change {
            onsite_protocol::Change::ContactPhone { phone } => Some((o.op.hlc, phone.clone())),
            _ => None,
        })
        .max()
        .unwrap();
    let view: JobView = dispatcher.job(number).await;
    assert_eq!(view.customer.phone.as_deref(), Some(latest.1.as_str()));
    assert_eq!(latest.1, "333 3333");
    // Both laptops show HQ's value, and the same activity.
    let today = Utc::now().date_naive();
    let a = ahead.job(number, Utc::now(), today).unwrap();
    let b = behind.job(number, Utc::now(), today).unwrap();
    assert_eq!(a.customer.phone, view.customer.phone);
    assert_eq!(b.customer.phone, view.customer.phone);
    let ids = |d: &onsite_core::JobDetail| d.activity.iter().map(|x| x.op_id).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    // The losers are kept.
    let losers: Vec<_> = ops
        .replaced
        .iter()
        .filter_map(|r| r.value.clone())
        .collect();
    assert!(losers.contains(&"111 1111".to_string()), "{losers:?}");
    assert!(losers.contains(&"222 2222".to_string()), "{losers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_and_reordered_batches_give_the_same_state_and_answers() {
    let hq = team(2);
    let (device, _dir) = device(&hq.url, &hq).await;
    for (n, to) in [
        ("J-000001", JobStatus::EnRoute),
        ("J-000001", JobStatus::OnSite),
        ("J-000001", JobStatus::Completed),
    ] {
        device.set_status(n, to, Utc::now()).unwrap();
    }
    device.add_note("J-000002", "a", Utc::now()).unwrap();
    device
        .correct_phone("J-000002", "555 0100", Utc::now())
        .unwrap();
    let batch: Vec<_> = device
        .store()
        .outgoing(100, 1 << 20)
        .unwrap()
        .into_iter()
        .map(|o| o.body)
        .collect();
    let client = device.client().unwrap();
    let session: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(device.data_dir().join("session.json")).unwrap(),
    )
    .unwrap();
    let token = session["access_token"].as_str().unwrap();
    let reversed: Vec<_> = batch.iter().rev().cloned().collect();
    let first = client.push(token, reversed).await.unwrap();
    let again = client.push(token, batch.clone()).await.unwrap();
    let settled = |r: &onsite_protocol::push::PushResponse| {
        r.results
            .iter()
            .map(|x| (x.op_id, (x.settled(), x.reason)))
            .collect::<HashMap<_, _>>()
    };
    assert_eq!(settled(&first), settled(&again));
    assert!(first.results.iter().all(|r| r.outcome == Outcome::Applied));
    assert!(
        again
            .results
            .iter()
            .all(|r| r.outcome == Outcome::Duplicate)
    );
    let dispatcher = hq.dispatcher("dana").await;
    let view = dispatcher.job("J-000001").await;
    assert_eq!(view.job.status, JobStatus::Completed);
    assert_eq!(dispatcher.received_ops().await.len(), batch.len());
    // The device's own sync then learns every op's fate.
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(device.status().unwrap().waiting, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_codes_and_costs_nothing_else() {
    let hq = team(1);
    let (device, dir) = device(&hq.url, &hq).await;
    // An oversize photo is refused on the device, before anything is recorded.
    let big = dir.path().join("huge.jpg");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(onsite_protocol::op::MAX_ATTACHMENT_BYTES + 1)
        .unwrap();
    let out = Command::new(bin("onsite"))
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "job",
            "photo",
            "J-000001",
        ])
        .arg(&big)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most"));
    let out = Command::new(bin("onsite"))
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "job",
            "status",
            "J-000001",
            "cancelled",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(device.status().unwrap().waiting, 0);

    // Over the wire: malformed ops, unknown kinds, someone else's job and an oversize
    // attachment next to a good op.
    let dispatcher = hq.dispatcher("dana").await;
    let toms: JobView = dispatcher
        .call(
            Method::POST,
            "/jobs",
            Some(
                &serde_json::json!({"kind": "repair", "summary": "Tom's", "technician": "tom",
                "customer": {"name": "Other"}, "site": {"address": "2 Lane"}}),
            ),
        )
        .await;
    device.add_note("J-000001", "good", Utc::now()).unwrap();
    let good = device.store().outgoing(1, 1 << 20).unwrap()[0].body.clone();
    let mut other = good.clone();
    other["op_id"] = serde_json::json!(OpId::new());
    other["job_id"] = serde_json::json!(toms.job.id);
    let mut unknown = good.clone();
    unknown["op_id"] = serde_json::json!(OpId::new());
    unknown["kind"] = serde_json::json!("discount");
    let mut malformed = good.clone();
    malformed["op_id"] = serde_json::json!(OpId::new());
    malformed["hlc"] = serde_json::json!("yesterday");
    let mut oversize = good.clone();
    oversize["op_id"] = serde_json::json!(OpId::new());
    oversize["kind"] = serde_json::json!("attachment");
    oversize["sha256"] = serde_json::json!("ab".repeat(32));
    oversize["file_name"] = serde_json::json!("huge.jpg");
    oversize["media_type"] = serde_json::json!("image/jpeg");
    oversize["bytes"] = serde_json::json!(onsite_protocol::op::MAX_ATTACHMENT_BYTES + 1);
    let session: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(device.data_dir().join("session.json")).unwrap(),
    )
    .unwrap();
    let answer = device
        .client()
        .unwrap()
        .push(
            session["access_token"].as_str().unwrap(),
            vec![malformed, unknown, other, oversize, good],
        )
        .await
        .unwrap();
    let reasons: Vec<_> = answer
        .results
        .iter()
        .map(|r| (r.outcome, r.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (Outcome::Rejected, Some(Reason::MalformedOp)),
            (Outcome::Rejected, Some(Reason::UnknownKind)),
            (Outcome::Rejected, Some(Reason::NotYourJob)),
            (Outcome::Rejected, Some(Reason::AttachmentTooLarge)),
            (Outcome::Applied, None),
        ]
    );
    let view: JobView = dispatcher
        .call::<(), _>(Method::GET, &format!("/jobs/{}", toms.job.id), None)
        .await;
    assert_eq!(view.job.version, 1, "tom's job untouched");
    assert_eq!(dispatcher.received_ops().await.len(), 5, "every op stored");
}

/// Dispatchers edit jobs on many connections at once while the device pulls again and again:
/// the device must end with HQ's every last change (a skipped change would leave an old
/// version behind).
#[tokio::test(flavor = "multi_thread")]
async fn pull_never_skips_a_change_from_concurrent_hq_writers() {
    let hq = team(40);
    let (device, _dir) = device(&hq.url, &hq).await;
    let writers: Vec<Dispatcher> = {
        let mut v = Vec::new();
        for _ in 0..4 {
            v.push(hq.dispatcher("dana").await);
        }
        v
    };
    let ids: Vec<_> = {
        let mut ids = Vec::new();
        for n in 1..=40 {
            ids.push(writers[0].job(&format!("J-{n:06}")).await.job.id);
        }
        ids
    };
    let ids = std::sync::Arc::new(ids);
    let mut tasks = Vec::new();
    for (w, writer) in writers.into_iter().enumerate() {
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            for round in 0..15 {
                for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 4 == w) {
                    let patch = JobPatch {
                        summary: Some(format!("edit {round} of job {i}")),
                        ..JobPatch::default()
                    };
                    let _: JobView = writer
                        .call(Method::PATCH, &format!("/jobs/{id}"), Some(&patch))
                        .await;
                }
            }
        }));
    }
    let mut pulls = 0;
    while tasks.iter().any(|t| !t.is_finished()) {
        device.sync(Utc::now(), &|_| {}).await.unwrap();
        pulls += 1;
    }
    for t in tasks {
        t.await.unwrap();
    }
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    assert!(pulls > 1);
    let dispatcher = hq.dispatcher("dana").await;
    let today = Utc::now().date_naive();
    for n in 1..=40 {
        let number = format!("J-{n:06}");
        let hq_job = dispatcher.job(&number).await.job;
        let local = device.job(&number, Utc::now(), today).unwrap().job;
        assert_eq!(
            (local.version, &local.summary),
            (hq_job.version, &hq_job.summary),
            "{number}"
        );
    }
}
