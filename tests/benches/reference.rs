//! Reference data benchmark: a fresh device's pull of 5,000 parts and 500 guides over HTTPS on
//! loopback, a guide search over those 500 guides on the device, and recording a checklist
//! answer on it. Prints figures against targets; asserts nothing about time (machines are
//! noisy).
//!
//! Run: `cargo bench -p onsite-e2e --bench reference`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use chrono::Utc;
use onsite_core::Device;
use onsite_e2e::bench::{add_technician, median_ms, report, serve};
use onsite_e2e::proxy::Proxy;
use onsite_e2e::{PASSWORD, fixtures};
use onsite_hq::reference::guides::GuideFile;
use onsite_hq::server;
use onsite_hq::storage::Storage;
use onsite_protocol::part::Part;
use std::time::Instant;

const MODEL: &str = "AirSource 8 kW heat pump";
const WORDS: &[&str] = &[
    "pressure",
    "valve",
    "sensor",
    "pump",
    "fan",
    "filter",
    "defrost",
    "ignition",
    "flue",
    "board",
    "relay",
    "thermostat",
    "drain",
    "bearing",
    "element",
    "compressor",
    "leak",
    "noise",
    "error",
    "reset",
];

/// A guide of about 3 KB of plausible text; `n` varies its words.
fn guide(n: usize) -> GuideFile {
    let mut body = format!("# Guide {n}\n\n");
    for line in 0..40 {
        let w = |k: usize| WORDS[(n * 7 + line * 3 + k) % WORDS.len()];
        body.push_str(&format!(
            "Check the {} and the {} before replacing the {}; code E{} means {} {}.\n",
            w(0),
            w(1),
            w(2),
            (n + line) % 99,
            w(3),
            w(4)
        ));
    }
    GuideFile {
        id: format!("guide-{n:04}"),
        title: format!(
            "{} and {} on model line {n}",
            WORDS[n % 20],
            WORDS[(n / 20) % 20]
        ),
        models: vec![MODEL.into()],
        body,
    }
}

#[tokio::main]
async fn main() {
    println!(
        "onsite reference data benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let data = tempfile::tempdir().unwrap();
    let storage = server::open_storage(data.path()).unwrap();
    add_technician(&storage, "tina").await;
    let (file, _) = fixtures::jobs(20, &["tina"]);
    let mut lines = onsite_hq::import::parse(file.as_bytes()).unwrap();
    for (_, job) in &mut lines {
        if let Some(asset) = job.asset.as_mut() {
            asset.model = MODEL.into();
        }
    }
    storage.import_jobs(&lines, Utc::now()).await.unwrap();
    let parts: Vec<(usize, Part)> = (0..5_000)
        .map(|n| {
            (
                n + 2,
                Part {
                    sku: format!("P-{n:05}"),
                    name: format!("Spare part number {n} for the {}", WORDS[n % 20]),
                    unit_price_cents: 100 + n as i64,
                    serialized: n % 10 == 0,
                    models: if n % 2 == 0 {
                        vec![MODEL.into()]
                    } else {
                        vec![]
                    },
                },
            )
        })
        .collect();
    storage.import_parts(&parts).await.unwrap();
    let guides: Vec<GuideFile> = (0..500).map(guide).collect();
    storage.import_guides(&guides).await.unwrap();
    // A 30-item checklist for every kind of job, as a long service checklist would be.
    let items: Vec<serde_json::Value> = (0..30)
        .map(|n| {
            serde_json::json!({"key": format!("reading-{n}"), "label": format!("Reading {n}"),
                "type": "number", "unit": "bar", "min": 1.0, "max": 2.5, "required": true})
        })
        .collect();
    let template = serde_json::from_value(serde_json::json!({"key": "service", "version": 1,
        "title": "Service", "kinds": ["installation", "debugging", "maintenance", "repair"],
        "items": items}))
    .unwrap();
    storage.import_checklists(&[(1, template)]).await.unwrap();
    drop(storage);

    // 1. A fresh device's first sync: 20 jobs, then every part and every guide.
    let hq = serve(data.path()).await;
    let proxy = Proxy::start(hq.addr).await;
    let pin = hq.fingerprint.parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    device
        .login(&proxy.url(), "tina", PASSWORD, Some(pin), Utc::now())
        .await
        .unwrap();
    let (_, down0, _) = proxy.traffic();
    let started = Instant::now();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    let took = started.elapsed();
    let (_, down1, _) = proxy.traffic();
    assert_eq!(device.store().parts().unwrap().len(), 5_000);
    assert_eq!(device.guides(None).unwrap().len(), 500);
    report(
        "first sync with 5,000 parts and 500 guides (20 jobs)",
        format!("{:.2} s", took.as_secs_f64()),
        "-",
    );
    report(
        "  bytes on the wire (down)",
        format!("{:.1} MB", (down1 - down0) as f64 / 1e6),
        "-",
    );
    let started = Instant::now();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    report(
        "a sync with nothing new",
        format!("{:.0} ms", started.elapsed().as_secs_f64() * 1000.0),
        "-",
    );
    hq.shutdown().await;

    // 2. Guide search on the device, offline.
    let searches = [
        "pressure",
        "defrost sensor",
        "E42",
        "ign",
        "thermostat relay reset",
    ];
    let mut found = 0;
    let ms = median_ms(100, |i| {
        found += device
            .guides(Some(searches[i % searches.len()]))
            .unwrap()
            .len();
    });
    assert!(found > 0);
    report(
        "guide search over 500 guides (median)",
        format!("{ms:.2} ms"),
        "<= 5 ms",
    );

    // 3. Recording a checklist answer on the device: checked against its item, stamped,
    // queued and shown, in one transaction on a real file.
    let number = device
        .jobs(&onsite_core::JobQuery::default(), Utc::now())
        .unwrap()
        .into_iter()
        .find(|j| !j.status.is_closed())
        .unwrap()
        .number;
    let ms = median_ms(300, |i| {
        let reading = format!("{:.1}", 1.0 + (i % 15) as f64 / 10.0);
        device
            .answer(
                &number,
                &format!("reading-{}", i % 30),
                &reading,
                Utc::now(),
            )
            .unwrap();
    });
    report(
        "recording a checklist answer (median of 300)",
        format!("{ms:.2} ms"),
        "<= 2 ms",
    );
}
