#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report
//! Foundation end to end: a real `onsite-hq` over HTTPS, real devices on real SQLite files.

use chrono::Utc;
use onsite_core::status::JobStatus;
use onsite_core::{CoreError, Device, JobQuery};
use onsite_e2e::fixtures;
use onsite_e2e::hq::HqProcess;
use onsite_e2e::proxy::Proxy;
use onsite_e2e::{PASSWORD, bin, onsite_ok};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn hq_with_team() -> HqProcess {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("tom", "technician");
    hq.add_user("dana", "dispatcher");
    hq
}

fn import(hq: &HqProcess, file: &str) {
    let out = hq.import(file);
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn device(url: &str, hq: &HqProcess, user: &str) -> (Device, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    device
        .login(url, user, PASSWORD, Some(hq.pin()), chrono::Utc::now())
        .await
        .unwrap();
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

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_technician_receives_exactly_their_own_jobs_and_reassignment_moves_them() {
    let hq = hq_with_team();
    let (file, expected) = fixtures::jobs(60, &["tina", "tom", ""]);
    import(&hq, &file);

    let (tina, _d1) = device(&hq.url, &hq, "tina").await;
    let (tom, _d2) = device(&hq.url, &hq, "tom").await;
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(report.jobs_received, 20);
    tom.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(numbers(&tina), set(&expected[0]));
    assert_eq!(numbers(&tom), set(&expected[1]));
    assert!(numbers(&tina).is_disjoint(&numbers(&tom)));

    // A dispatcher moves one of Tina's jobs to Tom: it leaves her device and reaches his.
    let moved = expected[0][3].clone();
    let dispatcher = hq.dispatcher("dana").await;
    dispatcher.assign(&moved, Some("tom")).await;
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!((report.jobs_received, report.jobs_removed), (0, 1));
    tom.sync(Utc::now(), &|_| {}).await.unwrap();
    assert!(!numbers(&tina).contains(&moved));
    assert!(numbers(&tom).contains(&moved));
    assert_eq!(numbers(&tina).len() + numbers(&tom).len(), 40);

    // The moved job's references came along: its detail is complete on Tom's device.
    let detail = tom
        .job(&moved, Utc::now(), Utc::now().date_naive())
        .unwrap();
    assert_eq!(detail.job.technician.as_deref(), Some("tom"));
    let last = detail.history.last().expect("a status history");
    // Named by display name, as people read it.
    assert_eq!(
        (last.event, last.status, last.detail.as_deref()),
        (
            onsite_protocol::HistoryEvent::Assigned,
            JobStatus::Assigned,
            Some("Tom")
        )
    );
    assert!(detail.asset.is_some() && detail.warranty.is_some());

    // A re-import that changes a job reaches the device; an unchanged one sends nothing.
    let (same, _) = fixtures::jobs(60, &["tina", "tom", ""]);
    let out = hq.import(&same);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 updated"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = tom.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(
        report.jobs_removed, 1,
        "re-import gave the moved job back to Tina"
    );
    assert_eq!(
        tom.sync(Utc::now(), &|_| {}).await.unwrap().jobs_received,
        0
    );
    tina.store().check_integrity().unwrap();
    tom.store().check_integrity().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_sync_resumes_without_duplicates_or_gaps() {
    let hq = hq_with_team();
    let (file, expected) = fixtures::jobs(3500, &["tina"]);
    import(&hq, &file);
    let proxy = Proxy::start(hq.addr()).await;
    let (tina, _dir) = device(&proxy.url(), &hq, "tina").await;

    // Enough bytes for the first page or two (each ~120 KB compressed-less), not all four.
    proxy.cut_after(300_000);
    let err = tina.sync(Utc::now(), &|_| {}).await.unwrap_err();
    assert!(proxy.did_cut());
    assert!(err.is_offline(), "a cut reads as unreachable, got {err:?}");
    let kept = tina.store().job_count().unwrap();
    assert!(
        kept > 0 && kept < 3500,
        "expected a partial sync, kept {kept}"
    );
    assert_eq!(kept % 1000, 0, "only whole pages are kept");
    tina.store().check_integrity().unwrap();

    proxy.heal();
    let report = tina.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(
        report.jobs_received,
        3500 - kept,
        "resumed from the cursor, re-fetching nothing"
    );
    assert_eq!(numbers(&tina), set(&expected[0]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_sync_process_resumes() {
    let hq = hq_with_team();
    let (file, expected) = fixtures::jobs(4000, &["tina"]);
    import(&hq, &file);
    let proxy = Proxy::start(hq.addr()).await;
    let data = tempfile::tempdir().unwrap();
    let login = Command::new(bin("onsite"))
        .arg("--data")
        .arg(data.path())
        .args([
            "login",
            "--hq",
            &proxy.url(),
            "--username",
            "tina",
            "--fingerprint",
            &hq.fingerprint,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    write_line_and_wait(login, PASSWORD);

    // Slow responses down so the kill lands mid-sync, after at least one committed page.
    proxy.delay(Duration::from_millis(15));
    let mut sync = Command::new(bin("onsite"))
        .arg("--data")
        .arg(data.path())
        .arg("sync")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let store = onsite_core::store::Store::open(&data.path().join("onsite.db")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.job_count().unwrap() == 0 {
        assert!(Instant::now() < deadline, "sync made no progress");
        assert!(
            sync.try_wait().unwrap().is_none(),
            "sync finished before it could be killed; slow it more"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    sync.kill().unwrap(); // SIGKILL
    sync.wait().unwrap();
    let kept = store.job_count().unwrap();
    assert!(kept < 4000, "the kill came too late to test anything");
    store.check_integrity().unwrap();

    proxy.delay(Duration::ZERO);
    let out = onsite_ok(data.path(), &["sync"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{} jobs received", 4000 - kept)),
        "{stdout} (kept {kept})"
    );
    let device = Device::open(data.path()).unwrap();
    assert_eq!(numbers(&device), set(&expected[0]));
}

fn write_line_and_wait(mut child: std::process::Child, line: &str) {
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{line}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_fingerprint_is_refused() {
    let hq = hq_with_team();
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    let wrong = format!("sha256:{}", "00".repeat(32)).parse().unwrap();
    let err = device
        .login(&hq.url, "tina", PASSWORD, Some(wrong), chrono::Utc::now())
        .await
        .unwrap_err();
    match &err {
        CoreError::FingerprintMismatch { presented, .. } => assert_eq!(presented, &hq.fingerprint),
        other => panic!("expected a fingerprint mismatch, got {other:?}"),
    }
    assert!(!device.status().unwrap().logged_in);
    // Without a pin, the self-signed certificate is not trusted either.
    let err = device
        .login(&hq.url, "tina", PASSWORD, None, chrono::Utc::now())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "untrusted_certificate");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_hq_stopped_reads_work_and_sync_fails_clearly() {
    let mut hq = hq_with_team();
    let (file, expected) = fixtures::jobs(10, &["tina"]);
    import(&hq, &file);
    let (tina, dir) = device(&hq.url, &hq, "tina").await;
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    hq.stop();

    assert_eq!(numbers(&tina), set(&expected[0]));
    let detail = tina
        .job(&expected[0][0], Utc::now(), Utc::now().date_naive())
        .unwrap();
    assert_eq!(detail.job.number, expected[0][0]);
    let err = tina.sync(Utc::now(), &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), "hq_unreachable");
    assert!(err.to_string().contains("unreachable"), "{err}");

    // The same through the CLI, in a fresh process.
    let onsite = |args: &[&str]| {
        Command::new(bin("onsite"))
            .arg("--data")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = onsite(&["jobs"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&expected[0][0]));
    let out = onsite(&["sync"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: HQ at") && stderr.contains("unreachable"),
        "{stderr}"
    );

    // HQ back on the same port and data: sync works again without logging in.
    hq.restart();
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_errors_are_messages_not_traces() {
    let hq = hq_with_team();
    import(&hq, &fixtures::jobs(3, &["tina"]).0);
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut child = Command::new(bin("onsite"))
            .arg("--data")
            .arg(dir.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(s) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{s}\n").as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let login = |user: &str, fp: &str, pass: &str| {
        run(
            &[
                "login",
                "--hq",
                &hq.url,
                "--username",
                user,
                "--fingerprint",
                fp,
                "--password-stdin",
            ],
            Some(pass),
        )
    };
    let wrong_fp = format!("sha256:{}", "ab".repeat(32));
    let cases = [
        (run(&["sync"], None), "not logged in"),
        (
            login("tina", &hq.fingerprint, "wrong-password"),
            "wrong username or password",
        ),
        (login("tina", &wrong_fp, PASSWORD), "does not match"),
        (
            login("tina", "sha256:nothex", PASSWORD),
            "not a certificate fingerprint",
        ),
        (
            run(&["job", "show", "J-404"], None),
            "no job numbered J-404",
        ),
    ];
    for ((ok, _, stderr), expected) in cases {
        assert!(!ok, "{expected}: should fail");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{expected}: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }
    let (ok, stdout, _) = login("tina", &hq.fingerprint, PASSWORD);
    assert!(ok && stdout.contains("logged in as Tina"), "{stdout}");
    let (ok, stdout, _) = run(&["sync"], None);
    assert!(ok && stdout.contains("3 jobs received"), "{stdout}");
    let (ok, stdout, _) = run(&["jobs", "--json"], None);
    assert!(ok);
    let jobs: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(jobs.as_array().unwrap().len(), 3);
    let (ok, stdout, _) = run(&["job", "show", "J-000002", "--json"], None);
    assert!(ok);
    let detail: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(detail["warranty"]["state"], "in_warranty");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_import_line_is_reported_and_nothing_is_imported() {
    let hq = hq_with_team();
    let mut file = fixtures::jobs(5, &["tina"]).0;
    file.push_str("{\"number\": \"J-9\", \"kind\": \"repair\", \"summary\": \"\", \"customer\": {\"name\": \"A\"}, \"site\": {\"address\": \"b\"}}\n");
    let out = hq.import(&file);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 6")
            && stderr.contains("summary is required")
            && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    let (tina, _dir) = device(&hq.url, &hq, "tina").await;
    assert_eq!(
        tina.sync(Utc::now(), &|_| {}).await.unwrap().jobs_received,
        0
    );
}

/// Before, one new note on a job with thousands of ops made the next pull send all of them
/// again (8,430 ops, 3.1 MB in the attack run). Now the device asks for what changed since
/// its cursor and merges it: the next sync carries the one note, and the device still holds
/// every op.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_note_on_a_busy_job_resends_only_that_note() {
    let hq = hq_with_team();
    let (file, expected) = fixtures::jobs(1, &["tina"]);
    import(&hq, &file);
    let number = expected[0][0].clone();
    let proxy = Proxy::start(hq.addr()).await;
    let (tina, _dir) = device(&proxy.url(), &hq, "tina").await;
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    for n in 0..2000 {
        tina.record(
            &number,
            onsite_protocol::Change::Note {
                text: format!("Reading {n}: pressure 1.{} bar", n % 10),
            },
            Utc::now(),
        )
        .unwrap();
    }
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    let held = |d: &Device| {
        d.job(&number, Utc::now(), Utc::now().date_naive())
            .unwrap()
            .activity
            .len()
    };
    assert_eq!(held(&tina), 2000);

    let (_, before, _) = proxy.traffic();
    tina.record(
        &number,
        onsite_protocol::Change::Note {
            text: "One more".into(),
        },
        Utc::now(),
    )
    .unwrap();
    tina.sync(Utc::now(), &|_| {}).await.unwrap();
    let (_, after, _) = proxy.traffic();
    let down = after - before;
    println!("a sync after one new note on a job with 2,000 ops: {down} bytes from HQ");
    assert!(down < 30_000, "{down} bytes came down for one note");
    assert_eq!(held(&tina), 2001, "nothing lost in the merge");

    // A second laptop of hers that never held the job gets every op.
    let (other, _dir2) = device(&hq.url, &hq, "tina").await;
    other.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(held(&other), 2001);
}
