//! Foundation benchmark: import rate, initial sync over HTTPS on loopback, local job list.
//! Prints figures against targets; asserts nothing about time (machines are noisy).
//!
//! Run: `cargo bench -p onsite-e2e --bench sync`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use chrono::Utc;
use onsite_core::{Device, JobQuery};
use onsite_e2e::bench::{add_technician, median_ms, report};
use onsite_e2e::proxy::Proxy;
use onsite_e2e::{PASSWORD, fixtures};
use onsite_hq::server::{self, CertSource, ServeConfig};
use onsite_hq::storage::Storage;
use onsite_protocol::api::PullPage;
use onsite_protocol::{
    Customer, CustomerId, Job, JobId, JobKind, JobStatus, Priority, Site, SiteId,
};
use std::time::Instant;

#[tokio::main]
async fn main() {
    println!(
        "onsite foundation benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let data = tempfile::tempdir().unwrap();
    let storage = server::open_storage(data.path()).unwrap();
    for name in ["big", "small"] {
        add_technician(&storage, name);
    }

    // 1. Import of 50,000 jobs (parse + match references + write, one transaction).
    let (file, _) = fixtures::jobs(50_000, &["big"]);
    let started = Instant::now();
    let lines = onsite_hq::import::parse(file.as_bytes()).unwrap();
    let result = storage.import_jobs(&lines, Utc::now()).unwrap();
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
        .unwrap();
    drop(storage);

    // 2. Initial sync of a fresh device over HTTPS on loopback, through a counting proxy.
    let hq = server::start(ServeConfig {
        data_dir: data.path().to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        cert: CertSource::SelfSigned,
    })
    .await
    .unwrap();
    let proxy = Proxy::start(hq.addr).await;
    let pin = hq.fingerprint.parse().unwrap();
    for (user, count, target) in [("small", 10_000u64, "-"), ("big", 50_000, "<= 3 s")] {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        device
            .login(&proxy.url(), user, PASSWORD, Some(pin))
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
