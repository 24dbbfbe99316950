#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report
//! Two `onsite-hq` processes on one PostgreSQL database behind a load balancer (the test
//! proxy, which sends each connection to the next process in turn): devices sync through
//! it as through one HQ. A push cut mid-answer is retried on the other process and counted
//! once, and so is one whose process is killed mid-push; dispatchers writing on both processes at once while a device pulls again and again
//! leave it with every last change, job by job; a job moved on one process leaves the device
//! that syncs on the other; an embedded HQ moved up to PostgreSQL keeps its devices syncing
//! with no reset and nothing downloaded again.

use chrono::Utc;
use onsite_core::{Device, JobQuery};
use onsite_e2e::changes::Changes;
use onsite_e2e::hq::{Dispatcher, HqProcess};
use onsite_e2e::pg::FreshDatabase;
use onsite_e2e::proxy::Proxy;
use onsite_e2e::{PASSWORD, fixtures};
use onsite_protocol::api::{JobPatch, JobView};
use onsite_protocol::{JobStatus, OpId};
use reqwest::Method;
use std::collections::{BTreeSet, HashMap};

/// Two HQ processes on a fresh database, with tina, tom and dana, and `jobs` jobs for tina
/// (and as many for tom when `both`).
fn two_processes(jobs: usize, both: bool) -> (FreshDatabase, HqProcess, HqProcess) {
    let db = FreshDatabase::new();
    let a = HqProcess::start_on(&db.url);
    let b = a.another();
    a.add_user("tina", "technician");
    b.add_user("tom", "technician");
    a.add_user("dana", "dispatcher");
    let technicians: &[&str] = if both { &["tina", "tom"] } else { &["tina"] };
    let (file, _) = fixtures::jobs(jobs, technicians);
    let out = b.import(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (db, a, b)
}

async fn device(url: &str, hq: &HqProcess, username: &str) -> (Device, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    device
        .login(url, username, PASSWORD, Some(hq.pin()), Utc::now())
        .await
        .unwrap();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    (device, dir)
}

fn numbers(device: &Device) -> BTreeSet<String> {
    device
        .jobs(&JobQuery::default(), Utc::now())
        .unwrap()
        .into_iter()
        .map(|j| j.number)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn cut_pushes_retried_on_the_other_process_count_once() {
    let (_db, a, b) = two_processes(10, false);
    let proxy = Proxy::balancing(vec![a.addr(), b.addr()]).await;
    let (tina, dir) = device(&proxy.url(), &a, "tina").await;
    let photo = dir.path().join("meter.jpg");
    std::fs::write(&photo, vec![7u8; 600_000]).unwrap();
    tina.attach_file("J-000001", &photo, None, Utc::now())
        .unwrap();
    for i in 0..200 {
        tina.add_note(
            &format!("J-{:06}", i % 10 + 1),
            &format!("note {i}"),
            Utc::now(),
        )
        .unwrap();
    }
    tina.set_status("J-000002", JobStatus::OnSite, Utc::now())
        .unwrap();
    // Answers cut at depths from early to late: each retry is a new connection, so it
    // reaches the other process, which must know what the first one recorded.
    let mut cuts = 0;
    for budget in (0..60).map(|i| 500 + i * 400) {
        proxy.heal();
        proxy.cut_after(budget);
        match tina.sync(Utc::now(), &|_| {}).await {
            Ok(_) => break,
            Err(e) => {
                assert!(e.is_offline(), "a cut reads as a connection problem: {e}");
                cuts += 1;
            }
        }
    }
    proxy.heal();
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert!(cuts > 0, "no sync was cut");
    assert_eq!(tina.status().unwrap().waiting, 0);

    let sent: Vec<OpId> = tina
        .outbox(u32::MAX)
        .unwrap()
        .ops
        .into_iter()
        .map(|e| e.op_id)
        .collect();
    for hq in [&a, &b] {
        let dana = hq.dispatcher("dana").await;
        let received = dana.received_ops().await;
        let mut seen: HashMap<OpId, usize> = HashMap::new();
        for op in &received {
            *seen.entry(op.op_id.expect("an op id")).or_default() += 1;
        }
        assert!(
            sent.iter().all(|id| seen.get(id) == Some(&1)),
            "every op once, whichever process answers"
        );
        assert_eq!(received.len(), sent.len(), "and nothing else");
        assert_eq!(dana.job("J-000002").await.job.status, JobStatus::OnSite);
    }
    assert!(proxy.traffic().2 > 2, "connections went to both processes");
}

#[tokio::test(flavor = "multi_thread")]
async fn writers_on_both_processes_and_a_pulling_device_miss_no_change() {
    let (_db, a, b) = two_processes(40, false);
    let proxy = Proxy::balancing(vec![a.addr(), b.addr()]).await;
    let (tina, _dir) = device(&proxy.url(), &a, "tina").await;
    let mut writers: Vec<Dispatcher> = Vec::new();
    for n in 0..4 {
        let hq = if n % 2 == 0 { &a } else { &b };
        writers.push(hq.dispatcher("dana").await);
    }
    let mut ids = Vec::new();
    for n in 1..=40 {
        ids.push(writers[0].job(&format!("J-{n:06}")).await.job.id);
    }
    let ids = std::sync::Arc::new(ids);
    let mut tasks = Vec::new();
    for (w, writer) in writers.into_iter().enumerate() {
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            for round in 0..12 {
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
        tina.sync(Utc::now(), &|_| {}).await.unwrap();
        pulls += 1;
    }
    for t in tasks {
        t.await.unwrap();
    }
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert!(pulls > 1, "the device pulled while dispatchers wrote");
    let dana = b.dispatcher("dana").await;
    let today = Utc::now().date_naive();
    for n in 1..=40 {
        let number = format!("J-{n:06}");
        let at_hq = dana.job(&number).await.job;
        let local = tina.job(&number, Utc::now(), today).unwrap().job;
        assert_eq!(
            (local.version, &local.summary),
            (at_hq.version, &at_hq.summary),
            "{number}"
        );
        assert_eq!(at_hq.summary, format!("edit 11 of job {}", n - 1));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_moved_on_one_process_leaves_the_device_syncing_on_the_other() {
    let (_db, a, b) = two_processes(20, true);
    let (tina, _d1) = device(&b.url, &b, "tina").await;
    let (tom, _d2) = device(&a.url, &a, "tom").await;
    let theirs = |hq: &HqProcess, who: &'static str| {
        let url = hq.url.clone();
        let pin = hq.pin();
        async move {
            let d = Dispatcher::login(&url, pin, "dana", PASSWORD).await;
            d.numbers_of(who).await.into_iter().collect::<BTreeSet<_>>()
        }
    };
    assert_eq!(numbers(&tina), theirs(&a, "tina").await);
    assert_eq!(numbers(&tom), theirs(&b, "tom").await);
    let moved = numbers(&tina).into_iter().next().unwrap();
    a.dispatcher("dana").await.assign(&moved, Some("tom")).await;
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!((report.jobs_received, report.jobs_removed), (0, 1));
    tom.sync(Utc::now(), &|_| {}).await.unwrap();
    assert!(!numbers(&tina).contains(&moved));
    assert!(numbers(&tom).contains(&moved));
    assert_eq!(numbers(&tina).len() + numbers(&tom).len(), 20);

    // A laptop revoked on one process is refused on the other at once.
    let out = b.admin(&["session", "revoke", "--user", "tom"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let refused = tom.sync(Utc::now(), &|_| {}).await;
    assert!(
        refused.is_err(),
        "a revoked session syncs no more: {refused:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_embedded_hq_moves_up_and_its_devices_carry_on() {
    // Declared first so it outlives HQ's connections to it.
    let db = FreshDatabase::new();
    let mut hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("dana", "dispatcher");
    let (file, expected) = fixtures::jobs(12, &["tina", ""]);
    assert!(hq.import(&file).status.success());
    let (tina, dir) = device(&hq.url, &hq, "tina").await;
    let photo = dir.path().join("before.jpg");
    std::fs::write(&photo, vec![3u8; 200_000]).unwrap();
    tina.attach_file(&expected[0][0], &photo, None, Utc::now())
        .unwrap();
    tina.add_note(&expected[0][1], "Pressure low", Utc::now())
        .unwrap();
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    let before = hq.dispatcher("dana").await.received_ops().await.len();
    // Recorded offline while HQ moves.
    tina.add_note(&expected[0][2], "Written during the move", Utc::now())
        .unwrap();

    let said = hq.move_up(&db.url);
    assert!(said.contains("jobs") && said.contains("moved up"), "{said}");
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(
        (report.jobs_received, report.jobs_removed),
        (1, 0),
        "only the job the offline note changed comes back, as on any HQ; nothing dropped"
    );
    assert_eq!(
        tina.status().unwrap().waiting,
        0,
        "the offline note went up"
    );
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(
        (report.jobs_received, report.jobs_removed),
        (0, 0),
        "nothing downloaded again"
    );
    let dana = hq.dispatcher("dana").await;
    assert_eq!(dana.received_ops().await.len(), before + 1);
    assert_eq!(numbers(&tina), expected[0].iter().cloned().collect());

    // New work reaches her as before; the photo is still there for dispatchers.
    let queued = expected[1][0].clone();
    dana.assign(&queued, Some("tina")).await;
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(report.jobs_received, 1);
    assert!(numbers(&tina).contains(&queued));
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        std::fs::read(&photo).unwrap(),
    ));
    let (_, content) = dana.download(&format!("/blobs/{sha}")).await.unwrap();
    assert_eq!(content.len(), 200_000);

    // Moving up twice into a database with records is refused and changes nothing.
    let out = std::process::Command::new(onsite_e2e::bin("onsite-hq"))
        .args(["migrate-to-postgres", "--data"])
        .arg(hq.data_dir())
        .args(["--database", &db.url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already holds users or jobs"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One of the two processes is killed (`kill -9`) in the middle of pushes sent through the
/// balancer: the device's next tries reach the survivor, which holds exactly what was
/// committed; the dead one restarted answers the same.
#[tokio::test(flavor = "multi_thread")]
async fn a_process_killed_mid_push_loses_and_doubles_nothing() {
    let (_db, mut a, b) = two_processes(20, false);
    let proxy = Proxy::balancing(vec![a.addr(), b.addr()]).await;
    let (device, _dir) = device(&proxy.url(), &a, "tina").await;
    let device = std::sync::Arc::new(device);
    for round in 0..3u64 {
        for i in 0..1500 {
            let number = format!("J-{:06}", i % 20 + 1);
            device
                .add_note(&number, &format!("round {round} note {i}"), Utc::now())
                .unwrap();
        }
        let d = device.clone();
        let sync = tokio::spawn(async move { d.sync(Utc::now(), &|_| {}).await });
        // Somewhere inside the push (in either process's hands): one process dies.
        tokio::time::sleep(std::time::Duration::from_millis(40 + round * 70)).await;
        a.stop();
        let _ = sync.await.unwrap();
        // The balancer still sends every other connection to the dead process: those tries
        // fail as offline, the others reach the survivor.
        let mut synced = false;
        for _ in 0..6 {
            match device.sync(Utc::now(), &|_| {}).await {
                Ok(_) => {
                    synced = true;
                    break;
                }
                Err(e) => assert!(e.is_offline(), "round {round}: {e}"),
            }
        }
        assert!(synced, "round {round}: the survivor took the sync");
        assert_eq!(device.status().unwrap().waiting, 0);
        let sent: Vec<OpId> = device
            .outbox(u32::MAX)
            .unwrap()
            .ops
            .into_iter()
            .map(|e| e.op_id)
            .collect();
        let received = b.dispatcher("dana").await.received_ops().await;
        assert_eq!(received.len(), sent.len(), "round {round}: nothing doubled");
        let ids: BTreeSet<OpId> = received.iter().filter_map(|o| o.op_id).collect();
        assert!(
            sent.iter().all(|id| ids.contains(id)),
            "round {round}: nothing lost"
        );
        a.restart();
        assert_eq!(
            a.dispatcher("dana").await.received_ops().await.len(),
            sent.len(),
            "the restarted process holds the same"
        );
    }
}

/// Wrong passwords sent to both processes in turn count together: the sixth from one address
/// is refused wherever it lands (with per-process counts, each would have seen only three),
/// and so is even the right password from there until the window ends.
#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_on_both_processes_count_together() {
    let (_db, a, b) = two_processes(1, false);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = onsite_core::hq_client::tls::client_config(Some(a.pin()), Default::default());
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .build()
        .unwrap();
    let device = onsite_protocol::DeviceId::new();
    let attempt = |url: String, password: &'static str| {
        let client = client.clone();
        async move {
            let body = serde_json::json!({"username": "dana", "password": password,
                                          "device_id": device});
            client
                .post(format!("{url}/api/v1/auth/login"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let mut statuses = Vec::new();
    for n in 0..6 {
        let hq = if n % 2 == 0 { &a } else { &b };
        statuses.push(attempt(hq.url.clone(), "wrong").await);
    }
    assert_eq!(
        statuses,
        [401, 401, 401, 401, 401, 429],
        "five wrong, then refused"
    );
    assert_eq!(
        attempt(a.url.clone(), PASSWORD).await,
        429,
        "refused on A too"
    );
    assert_eq!(
        attempt(b.url.clone(), PASSWORD).await,
        429,
        "for this address and user"
    );
}
