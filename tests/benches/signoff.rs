//! Sign-off benchmark: the customer signs on the laptop (the report made with the drawing,
//! kept under its hash, the op recorded), then the next sync carries it to HQ (the PDF and
//! the drawing uploaded, the op pushed and applied). Prints the medians; asserts nothing
//! about time (machines are noisy).
//!
//! Run: `cargo build --release --workspace --bins && cargo bench -p onsite-e2e --bench signoff`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use chrono::Utc;
use onsite_core::{Device, OpState};
use onsite_e2e::PASSWORD;
use onsite_e2e::bench::{add_technician, median, report, serve};
use onsite_e2e::fixtures;
use onsite_hq::storage::Storage;
use onsite_protocol::{Change, JobStatus};
use std::time::{Duration, Instant};

const RUNS: usize = 9;

#[tokio::main]
async fn main() {
    println!(
        "onsite sign-off benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let data = tempfile::tempdir().unwrap();
    let storage = onsite_hq::server::open_storage(data.path()).unwrap();
    add_technician(&storage, "tina").await;
    let (file, _) = fixtures::jobs(RUNS, &["tina"]);
    let lines = onsite_hq::import::parse(file.as_bytes()).unwrap();
    storage.import_jobs(&lines, Utc::now()).await.unwrap();
    drop(storage);
    let hq = serve(data.path()).await;
    let laptop = tempfile::tempdir().unwrap();
    let device = Device::open(laptop.path()).unwrap();
    let pin = hq.fingerprint.parse().unwrap();
    device
        .login(&hq.url(), "tina", PASSWORD, Some(pin), Utc::now())
        .await
        .unwrap();
    device.sync(Utc::now(), &|_| {}).await.unwrap();
    let drawing = onsite_report::sample::signature_png();
    let (mut signing, mut arriving) = (Vec::new(), Vec::new());
    for n in 1..=RUNS {
        let number = format!("J-{n:06}");
        device
            .record(
                &number,
                Change::Status {
                    to: JobStatus::OnSite,
                },
                Utc::now(),
            )
            .unwrap();
        device.sync(Utc::now(), &|_| {}).await.unwrap();
        let started = Instant::now();
        let entry = device
            .sign(
                &number,
                "Ada Lovelace",
                Some(&drawing),
                chrono::Local::now().fixed_offset(),
            )
            .unwrap();
        let signed = started.elapsed();
        device.sync(Utc::now(), &|_| {}).await.unwrap();
        let arrived = started.elapsed();
        let outbox = device.outbox(50).unwrap();
        let applied = outbox
            .ops
            .iter()
            .any(|e| e.op_id == entry.op_id && e.state == OpState::Applied);
        assert!(applied, "the sign-off reached HQ and was applied");
        signing.push(signed);
        arriving.push(arrived);
    }
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
    report(
        "sign (report with the drawing made, kept, op recorded)",
        ms(median(&mut signing)),
        "-",
    );
    report(
        "sign-off to received at HQ (sign + one sync)",
        ms(median(&mut arriving)),
        "-",
    );
    hq.shutdown().await;
}
