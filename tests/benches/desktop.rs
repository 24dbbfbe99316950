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
use onsite_e2e::bench::{median, report};
use onsite_e2e::desktop::{Display, kill_group};
use onsite_e2e::{bin, fixtures};
use onsite_hq::auth::hash_password;
use onsite_hq::server::{self, CertSource, ServeConfig};
use onsite_hq::storage::{NewUser, Storage};
use onsite_protocol::Role;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "password-123";
const RUNS: usize = 5;

/// A device data folder holding `jobs` jobs, synced from a real HQ that is then stopped (so
/// the app starts offline and paints from its local store).
async fn device_with(jobs: usize) -> tempfile::TempDir {
    let hq_dir = tempfile::tempdir().unwrap();
    let storage = server::open_storage(hq_dir.path()).unwrap();
    storage
        .add_user(
            NewUser {
                username: "tech".into(),
                display_name: "Bench Technician".into(),
                role: Role::Technician,
                skills: vec![],
                password_hash: hash_password(PASSWORD).unwrap(),
            },
            Utc::now(),
        )
        .unwrap();
    let (file, _) = fixtures::jobs(jobs, &["tech"]);
    let lines = onsite_hq::import::parse(file.as_bytes()).unwrap();
    storage.import_jobs(&lines, Utc::now()).unwrap();
    drop(storage);
    let hq = server::start(ServeConfig {
        data_dir: hq_dir.path().to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        cert: CertSource::SelfSigned,
    })
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let device = Device::open(data.path()).unwrap();
    let pin = hq.fingerprint.parse().unwrap();
    device
        .login(&hq.url(), "tech", PASSWORD, Some(pin))
        .await
        .unwrap();
    let report = device.sync(Utc::now(), &|_| {}).await.unwrap();
    assert_eq!(report.jobs_received as usize, jobs);
    hq.shutdown().await;
    data
}

/// Resident memory (kB) of `root` and every process descending from it.
fn tree_rss_kb(root: u32) -> u64 {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name may hold spaces; the parent pid is the 2nd field after its ')'.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            parents.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    tree.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .sum()
}

/// Launches the app once: (time to the first painted job list, resident kB 2 s later).
fn launch(app: &Path, data: &Path, display: &Display) -> (Duration, u64) {
    let started = Instant::now();
    let mut child = Command::new(app)
        .env("DISPLAY", &display.name)
        .env("ONSITE_DATA", data)
        .env("ONSITE_LOG", "info")
        .env("ONSITE_SYNC_SECONDS", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
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
    let rss = tree_rss_kb(child.id());
    // The whole group: the shell and the WebKit processes it started.
    kill_group(&mut child);
    (painted, rss)
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
        let (mut times, mut memory): (Vec<_>, Vec<_>) = (0..RUNS)
            .map(|_| launch(&app, data.path(), &display))
            .unzip();
        report(
            &format!("launch → job list painted, {jobs} local jobs"),
            format!("{} ms (median of {RUNS})", median(&mut times).as_millis()),
            "<= 1500 ms",
        );
        report(
            &format!("resident memory after start, {jobs} jobs"),
            format!("{} MB (median of {RUNS})", median(&mut memory) / 1024),
            "<= 250 MB",
        );
    }
}
