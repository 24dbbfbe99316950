//! Desktop start-up benchmark: time from launching `onsite-desktop` to its first job list
//! painted, with 1,000 and 10,000 jobs in the local store, and the resident memory of all the
//! app's processes (the shell and WebKit's web and network processes) after start.
//! Prints figures against targets; asserts nothing about time.
//!
//! Run: `cargo build --release --workspace --bins && cargo bench -p onsite-e2e --bench desktop`
//! (needs Xvfb; it starts its own display).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use chrono::Utc;
use onsite_core::Device;
use onsite_e2e::bench::{add_technician, median, report};
use onsite_e2e::desktop::{Display, kill_tree, process_tree};
use onsite_e2e::{PASSWORD, bin, fixtures};
use onsite_hq::server::{self, CertSource, ServeConfig};
use onsite_hq::storage::Storage;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// A device data folder holding `jobs` jobs, synced from a real HQ that is then stopped (so
/// the app starts offline and paints from its local store).
async fn device_with(jobs: usize) -> tempfile::TempDir {
    let hq_dir = tempfile::tempdir().unwrap();
    let storage = server::open_storage(hq_dir.path()).unwrap();
    add_technician(&storage, "tech").await;
    let (file, _) = fixtures::jobs(jobs, &["tech"]);
    let lines = onsite_hq::import::parse(file.as_bytes()).unwrap();
    storage.import_jobs(&lines, Utc::now()).await.unwrap();
    drop(storage);
    let hq = server::start(ServeConfig {
        data_dir: hq_dir.path().to_path_buf(),
        database: None,
        blobs_dir: None,
        listen: "127.0.0.1:0".parse().unwrap(),
        cert: CertSource::SelfSigned,
        limits: onsite_hq::connections::ConnectionLimits::default(),
        mail: None,
    })
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let device = Device::open(data.path()).unwrap();
    let pin = hq.fingerprint.parse().unwrap();
    device
        .login(&hq.url(), "tech", PASSWORD, Some(pin), chrono::Utc::now())
        .await
        .unwrap();
    let report = device.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(report.jobs_received as usize, jobs);
    hq.shutdown().await;
    data
}

/// Memory of `root` and every process descending from it, in kB: (resident, proportional).
/// Resident double-counts the libraries the processes share; proportional (PSS) splits each
/// shared page among its users, so its sum is what the app costs the machine in all.
fn tree_memory_kb(root: u32) -> (u64, u64) {
    let field = |text: &str, name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    process_tree(root).iter().fold((0, 0), |(rss, pss), pid| {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        (rss + field(&status, "VmRSS:"), pss + field(&rollup, "Pss:"))
    })
}

/// Launches the app once: (time to the first painted job list, (RSS, PSS) in kB 2 s later).
fn launch(app: &Path, data: &Path, display: &Display) -> (Duration, (u64, u64)) {
    let started = Instant::now();
    let mut child = Command::new(app)
        .env("DISPLAY", &display.name)
        .env("ONSITE_DATA", data)
        .env("ONSITE_LOG", "info")
        .env("ONSITE_SYNC_SECONDS", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start onsite-desktop");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if line.contains("job list painted") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the app reports its first painted job list");
    let painted = started.elapsed();
    std::thread::sleep(Duration::from_secs(2));
    let memory = tree_memory_kb(child.id());
    // The shell and the WebKit processes it started.
    kill_tree(&mut child);
    (painted, memory)
}

#[tokio::main]
async fn main() {
    println!(
        "onsite desktop benchmark ({} cores, {} build of onsite-desktop)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    );
    let app = bin("onsite-desktop");
    let display = Display::start();
    for jobs in [1_000, 10_000] {
        let data = device_with(jobs).await;
        // One launch first so WebKit's caches are as on any later start of the day.
        launch(&app, data.path(), &display);
        let (mut times, memory): (Vec<_>, Vec<_>) = (0..RUNS)
            .map(|_| launch(&app, data.path(), &display))
            .unzip();
        report(
            &format!("launch → job list painted, {jobs} local jobs"),
            format!("{} ms (median of {RUNS})", median(&mut times).as_millis()),
            "<= 1500 ms",
        );
        let (mut rss, mut pss): (Vec<_>, Vec<_>) = memory.into_iter().unzip();
        report(
            &format!("memory after start, all processes, {jobs} jobs"),
            format!("{} MB PSS (median of {RUNS})", median(&mut pss) / 1024),
            "<= 250 MB",
        );
        report(
            "  the same as summed RSS (shared pages counted twice)",
            format!("{} MB RSS", median(&mut rss) / 1024),
            "-",
        );
    }
}
