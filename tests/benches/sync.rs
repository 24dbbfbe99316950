//! Sync benchmark: import rate, initial sync over HTTPS on loopback, local job list, and the
//! two-way sync — pushing offline ops, an incremental pull, a sync with nothing to do, and a
//! photo upload cut in the middle. Prints figures against targets; asserts nothing about time
//! (machines are noisy).
//!
//! Run: `cargo bench -p onsite-e2e --bench sync`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use chrono::Utc;
use onsite_core::{Device, JobQuery, SyncPhase};
use onsite_e2e::bench::{add_technician, median, median_ms, report, serve};
use onsite_e2e::changes::Changes;
use onsite_e2e::proxy::Proxy;
use onsite_e2e::{PASSWORD, fixtures};
use onsite_hq::server;
use onsite_hq::storage::Storage;
use onsite_protocol::api::{JobPatch, PullPage};
use onsite_protocol::blob::MAX_CHUNK;
use onsite_protocol::{
    Customer, CustomerId, Job, JobId, JobKind, JobStatus, Priority, Site, SiteId,
};
use std::time::Instant;

#[tokio::main]
async fn main() {
    println!(
        "onsite sync benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let data = tempfile::tempdir().unwrap();
    let storage = server::open_storage(data.path()).unwrap();
    for name in ["big", "small"] {
        add_technician(&storage, name).await;
    }

    // 1. Import of 50,000 jobs (parse + match references + write, one transaction).
    let (file, _) = fixtures::jobs(50_000, &["big"]);
    let started = Instant::now();
    let lines = onsite_hq::import::parse(file.as_bytes()).unwrap();
    let result = storage.import_jobs(&lines, Utc::now()).await.unwrap();
    let took = started.elapsed();
    assert_eq!(result.created, 50_000);
    report(
        "import 50,000 jobs",
        format!(
            "{:.0} jobs/s ({:.2} s)",
            50_000.0 / took.as_secs_f64(),
            took.as_secs_f64()
        ),
        ">= 20,000 jobs/s",
    );
    let (small, _) = fixtures::jobs_from(100_001, 10_000, &["small"]);
    storage
        .import_jobs(
            &onsite_hq::import::parse(small.as_bytes()).unwrap(),
            Utc::now(),
        )
        .await
        .unwrap();
    drop(storage);

    // 2. Initial sync of a fresh device over HTTPS on loopback, through a counting proxy.
    let hq = serve(data.path()).await;
    let proxy = Proxy::start(hq.addr).await;
    let pin = hq.fingerprint.parse().unwrap();
    for (user, count, target) in [("small", 10_000u64, "-"), ("big", 50_000, "<= 3 s")] {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        device
            .login(&proxy.url(), user, PASSWORD, Some(pin), chrono::Utc::now())
            .await
            .unwrap();
        let (up0, down0, conn0) = proxy.traffic();
        let started = Instant::now();
        let sync = device.sync(Utc::now(), &|_| {}).await.unwrap();
        let took = started.elapsed();
        let (up1, down1, conn1) = proxy.traffic();
        assert_eq!(sync.jobs_received, count);
        report(
            &format!("initial sync of {count} jobs"),
            format!("{:.2} s", took.as_secs_f64()),
            target,
        );
        report(
            "  requests / connections",
            format!("{} / {}", sync.pages, conn1 - conn0),
            "-",
        );
        report(
            "  bytes on the wire (down / up)",
            format!(
                "{:.1} MB / {:.1} KB",
                (down1 - down0) as f64 / 1e6,
                (up1 - up0) as f64 / 1e3
            ),
            "-",
        );
    }
    hq.shutdown().await;

    // 3. Local job list with 100,000 jobs in the store.
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    for page in 0..100 {
        device.store().apply_pull(&synthetic_page(page)).unwrap();
    }
    let first_page = JobQuery {
        limit: Some(200),
        ..JobQuery::default()
    };
    let ms = median_ms(50, |_| {
        assert_eq!(device.jobs(&first_page, Utc::now()).unwrap().len(), 200);
    });
    report(
        "job list, first 200 of 100,000 (median)",
        format!("{ms:.2} ms"),
        "<= 5 ms",
    );
    let deep = JobQuery {
        limit: Some(200),
        offset: 50_000,
        ..JobQuery::default()
    };
    let ms = median_ms(20, |_| {
        device.jobs(&deep, Utc::now()).unwrap();
    });
    report(
        "job list, 200 at offset 50,000 (median)",
        format!("{ms:.2} ms"),
        "-",
    );
    let search = JobQuery {
        search: Some("J-0999".into()),
        limit: Some(200),
        ..JobQuery::default()
    };
    let ms = median_ms(20, |_| {
        device.jobs(&search, Utc::now()).unwrap();
    });
    report(
        "job search over 100,000 (median)",
        format!("{ms:.2} ms"),
        "-",
    );
    let today = Utc::now().date_naive();
    let ms = median_ms(50, |i| {
        device
            .job(&format!("J-{:06}", i * 1000 + 1), Utc::now(), today)
            .unwrap();
    });
    report("job detail (median)", format!("{ms:.3} ms"), "-");
    app_views();

    two_way().await;
}

/// The app's two tabs over a year of history: 100,000 jobs, the past ones closed but for a few
/// overdue, the default view (the work ahead) and the past tab, 100 rows each.
fn app_views() {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    let now = Utc::now();
    for page in 0..100 {
        let mut p = synthetic_page(page);
        for (i, job) in p.jobs.iter_mut().enumerate() {
            let n = (page * 1000 + i) as i64;
            // 99,000 jobs over the past year, one in a hundred of them left open; 1,000 ahead.
            let start = now - chrono::Duration::minutes(525_600 * (99_000 - n) / 99_000);
            if n < 99_000 {
                job.scheduled_start = Some(start);
                if n % 100 != 0 {
                    job.status = JobStatus::Completed;
                }
            }
        }
        device.store().apply_pull(&p).unwrap();
    }
    let from = now - chrono::Duration::hours(1);
    let view = |range| JobQuery {
        range,
        limit: Some(100),
        ..JobQuery::default()
    };
    let upcoming = view(onsite_core::JobRange::Upcoming { from });
    let ms = median_ms(50, |_| {
        assert_eq!(device.jobs(&upcoming, now).unwrap().len(), 100);
    });
    report(
        "today & upcoming, first 100, 99,000 closed behind (median)",
        format!("{ms:.2} ms"),
        "<= 5 ms",
    );
    let past = view(onsite_core::JobRange::Past { before: from });
    let ms = median_ms(50, |_| {
        assert_eq!(device.jobs(&past, now).unwrap().len(), 100);
    });
    report("past, first 100 (median)", format!("{ms:.2} ms"), "<= 5 ms");
    let elsewhere = JobQuery {
        search: Some("Customer 7".into()),
        ..past
    };
    let ms = median_ms(20, |_| {
        device.count_jobs(&elsewhere).unwrap();
    });
    report(
        "count a search's matches on the other tab (median)",
        format!("{ms:.2} ms"),
        "-",
    );
}

/// A technician with 1,000 jobs: push, incremental pull, no-op sync, photo upload with a cut.
async fn two_way() {
    println!("two-way sync");
    let data = tempfile::tempdir().unwrap();
    let storage = server::open_storage(data.path()).unwrap();
    add_technician(&storage, "field").await;
    let (file, _) = fixtures::jobs(1000, &["field"]);
    storage
        .import_jobs(
            &onsite_hq::import::parse(file.as_bytes()).unwrap(),
            Utc::now(),
        )
        .await
        .unwrap();
    let hq = serve(data.path()).await;
    let proxy = Proxy::start(hq.addr).await;
    let pin = hq.fingerprint.parse().unwrap();
    let login = |dir: &std::path::Path| {
        let device = Device::open(dir).unwrap();
        let url = proxy.url();
        async move {
            device
                .login(&url, "field", PASSWORD, Some(pin), chrono::Utc::now())
                .await
                .unwrap();
            device.sync(Utc::now(), &|_| {}).await.unwrap();
            device
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let device = login(dir.path()).await;

    // Push of 1,000 ops recorded offline.
    let started = Instant::now();
    for i in 0..1000 {
        device
            .add_note(
                &format!("J-{:06}", i + 1),
                "Checked the pressure relief valve",
                Utc::now(),
            )
            .unwrap();
    }
    let recorded = started.elapsed();
    report(
        "record 1,000 ops on the device",
        format!("{:.0} ops/s", 1000.0 / recorded.as_secs_f64()),
        "-",
    );
    let pulling_at = std::sync::Mutex::new(None);
    let started = Instant::now();
    let sync = device
        .sync(Utc::now(), &|p| {
            if p.phase == SyncPhase::Pulling {
                pulling_at
                    .lock()
                    .unwrap()
                    .get_or_insert_with(|| started.elapsed());
            }
        })
        .await
        .unwrap();
    let total = started.elapsed();
    assert_eq!(sync.applied, 1000);
    let push = pulling_at.lock().unwrap().expect("the sync pulled");
    report(
        "push 1,000 offline ops",
        format!("{:.3} s ({} requests)", push.as_secs_f64(), sync.batches),
        "<= 0.3 s",
    );
    report(
        "  whole sync, with the pull of the 1,000 jobs back",
        format!("{:.3} s", total.as_secs_f64()),
        "-",
    );

    // Incremental pull of 1,000 changes made at HQ.
    for n in 1..=1000 {
        let id = storage
            .job_by_number(&format!("J-{n:06}"))
            .await
            .unwrap()
            .job
            .id;
        storage
            .update_job(
                id,
                &JobPatch {
                    summary: Some(format!("Rescheduled visit {n}")),
                    ..JobPatch::default()
                },
                Utc::now(),
            )
            .await
            .unwrap();
    }
    let started = Instant::now();
    let sync = device.sync(Utc::now(), &|_| {}).await.unwrap();
    let took = started.elapsed();
    assert_eq!(sync.jobs_received, 1000);
    report(
        "incremental pull of 1,000 HQ changes",
        format!("{:.3} s ({} pages)", took.as_secs_f64(), sync.pages),
        "-",
    );

    // A sync with nothing to send or receive.
    let mut samples = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let sync = device.sync(Utc::now(), &|_| {}).await.unwrap();
        samples.push(started.elapsed());
        assert_eq!(sync.jobs_received + sync.applied, 0);
    }
    report(
        "no-op sync (median of 20)",
        format!("{:.1} ms", median(&mut samples).as_secs_f64() * 1e3),
        "<= 50 ms",
    );

    // 20 photos of 3 MB: once cleanly (the wire cost of the content), once cut in the middle.
    let photos = |device: &Device, seed: u8| {
        for p in 0..20u8 {
            let content: Vec<u8> = (0..3_000_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ p ^ (seed << 5))
                .collect();
            device
                .attach_bytes(
                    &format!("J-{:06}", p as usize + 1),
                    &format!("photo-{p}.jpg"),
                    &content,
                    None,
                    Utc::now(),
                )
                .unwrap();
        }
    };
    photos(&device, 1);
    let (up0, _, _) = proxy.traffic();
    let started = Instant::now();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    let clean = proxy.traffic().0 - up0;
    report(
        "upload 20 photos of 3 MB",
        format!(
            "{:.2} s, {:.1} MB sent",
            started.elapsed().as_secs_f64(),
            clean as f64 / 1e6
        ),
        "-",
    );
    let other = tempfile::tempdir().unwrap();
    let second = login(other.path()).await;
    photos(&second, 2);
    let (up0, _, _) = proxy.traffic();
    proxy.cut_requests_after(30_000_000);
    let cut = second.sync(Utc::now(), &|_| {}).await;
    assert!(cut.is_err(), "the cut stopped the upload");
    proxy.heal();
    second.sync(Utc::now(), &|_| {}).await.unwrap();
    let with_cut = proxy.traffic().0 - up0;
    let resent = with_cut.saturating_sub(clean);
    report(
        "  the same with a cut at 30 MB: bytes sent again",
        format!(
            "{:.0} KB ({:.2} chunks)",
            resent as f64 / 1e3,
            resent as f64 / MAX_CHUNK as f64
        ),
        "<= 1 chunk (512 KiB)",
    );
    hq.shutdown().await;
}

fn synthetic_page(page: usize) -> PullPage {
    let customer = Customer {
        id: CustomerId::new(),
        name: format!("Customer {page}"),
        phone: None,
        email: None,
    };
    let site = Site {
        id: SiteId::new(),
        customer_id: customer.id,
        address: format!("{page} Station Road"),
        town: Some("Leeds".into()),
        access_notes: None,
    };
    let jobs = (0..1000)
        .map(|i| {
            let n = page * 1000 + i + 1;
            Job {
                id: JobId::new(),
                number: format!("J-{n:06}"),
                kind: JobKind::Repair,
                priority: Priority::Normal,
                summary: "Leak under the sink".into(),
                description: None,
                customer_id: customer.id,
                site_id: site.id,
                asset_id: None,
                technician: Some("bench".into()),
                scheduled_start: Some(Utc::now() + chrono::Duration::minutes(n as i64)),
                scheduled_end: None,
                sla_due: None,
                status: JobStatus::Assigned,
                version: 1,
                updated_at: Utc::now(),
            }
        })
        .collect();
    PullPage {
        jobs,
        removed: vec![],
        customers: vec![customer],
        sites: vec![site],
        assets: vec![],
        cursor: format!("bench-{page}"),
        ..PullPage::default()
    }
}
