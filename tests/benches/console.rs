//! Dispatcher console benchmark: the board for a day with 100 technicians and 2,000 jobs
//! (plus 200 waiting in the queue) in Debian's headless Chromium against HQ over HTTPS —
//! time to first render and to interactive, and the latency of a live update from a
//! device's push to the board showing it. Prints figures against targets; asserts nothing
//! about time.
//!
//! Run: `cargo build --release --workspace --bins && cargo bench -p onsite-e2e --bench console`
//! (needs chromium and chromium-driver; the README's test command installs them).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use chrono::{Duration as Span, Local, TimeZone, Utc};
use onsite_core::Device;
use onsite_e2e::PASSWORD;
use onsite_e2e::bench::{add_technician, add_user, median, report, serve};
use onsite_e2e::console::Browser;
use onsite_hq::storage::Storage;
use onsite_protocol::{Change, JobStatus, Role};
use std::time::{Duration, Instant};

const TECHNICIANS: usize = 100;
const JOBS: usize = 2000;
const QUEUED: usize = 200;
const RUNS: usize = 5;

/// Today's local `h:m` (minutes past 07:00 may run past the hour).
fn today_at(minutes_after_seven: i64) -> chrono::DateTime<Utc> {
    let seven = Local::now().date_naive().and_hms_opt(7, 0, 0).unwrap();
    Local
        .from_local_datetime(&seven)
        .earliest()
        .unwrap()
        .to_utc()
        + Span::minutes(minutes_after_seven)
}

fn job_lines() -> String {
    let mut file = String::new();
    for n in 0..JOBS {
        let tech = n % TECHNICIANS;
        let slot = (n / TECHNICIANS) as i64; // 20 visits a day each, 30 minutes apart
        let kind = ["repair", "maintenance", "installation", "debugging"][n % 4];
        let line = serde_json::json!({
            "number": format!("B-{n:05}"), "kind": kind,
            "summary": "Board benchmark visit", "technician": format!("tech{tech:03}"),
            "scheduled_start": today_at(slot * 36), "scheduled_end": today_at(slot * 36 + 30),
            "customer": {"name": format!("Customer {n}")},
            "site": {"address": format!("{n} Bench Road"), "town": "Leeds"},
        });
        file.push_str(&format!("{line}\n"));
    }
    for n in 0..QUEUED {
        let line = serde_json::json!({
            "number": format!("Q-{n:05}"), "kind": "repair", "summary": "Waiting",
            "customer": {"name": format!("Waiting {n}")}, "site": {"address": "1 Queue Lane"},
        });
        file.push_str(&format!("{line}\n"));
    }
    file
}

fn number(value: Option<serde_json::Value>) -> f64 {
    value.and_then(|v| v.as_f64()).unwrap_or(f64::NAN)
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (hq, device) = runtime.block_on(async {
        let storage = onsite_hq::server::open_storage(dir.path()).unwrap();
        add_user(&storage, "dana", Role::Dispatcher).await;
        for t in 0..TECHNICIANS {
            add_technician(&storage, &format!("tech{t:03}")).await;
        }
        let lines = onsite_hq::import::parse(job_lines().as_bytes()).unwrap();
        storage.import_jobs(&lines, Utc::now()).await.unwrap();
        drop(storage);
        let hq = serve(dir.path()).await;
        let data = tempfile::tempdir().unwrap();
        let device = Device::open(data.path()).unwrap();
        device
            .login(
                &hq.url(),
                "tech000",
                PASSWORD,
                Some(hq.fingerprint.parse().unwrap()),
                Utc::now(),
            )
            .await
            .unwrap();
        device.sync(Utc::now(), &|_| {}).await.unwrap();
        (hq, (device, data))
    });
    let url = format!("{}/", hq.url());

    let browser = Browser::start("console-bench", 1600, 1000);
    browser.navigate(&url);
    browser.fill("signin-username", "dana");
    browser.fill("signin-password", PASSWORD);
    browser.click_id("signin-submit");
    let lanes = |b: &onsite_e2e::webdriver::Session| {
        number(b.script("return document.querySelectorAll(\"[data-testid='board-lane']\").length"))
    };
    browser.wait("the board", |b| {
        (lanes(b) as usize == TECHNICIANS).then_some(())
    });

    let (mut rendered, mut idle, mut answered, mut built) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        browser.navigate(&url);
        browser.wait("the board's marks", |b| {
            let marks = b.script(
                "const m = n => performance.getEntriesByName(n)[0]?.startTime ?? null; \
                 return [m('onsite:board-rendered'), m('onsite:board-idle'), \
                 document.querySelectorAll(\"[data-testid='job-card']\").length];",
            )?;
            let [r, i, cards] = [0, 1, 2].map(|k| marks[k].as_f64());
            // Lanes fill as they come near the screen: the first ones hold cards.
            (r.is_some() && i.is_some() && cards.is_some_and(|c| c > 0.0))
                .then(|| (r.unwrap(), i.unwrap()))
        });
        let marks = browser
            .script(
                "return ['onsite:board-rendered', 'onsite:board-idle', 'onsite:board-answered'] \
                 .map(n => performance.getEntriesByName(n)[0].startTime) \
                 .concat([performance.getEntriesByType('resource') \
                 .filter(e => e.name.includes('/api/v1/board')).at(-1).duration]);",
            )
            .unwrap();
        rendered.push(marks[0].as_f64().unwrap() as u64);
        idle.push(marks[1].as_f64().unwrap() as u64);
        built.push((marks[0].as_f64().unwrap() - marks[2].as_f64().unwrap()) as u64);
        answered.push(marks[3].as_f64().unwrap() as u64);
    }

    // Live: tech000 sets off for a job and takes it back, on the laptop, syncing each time;
    // the board, open, shows each status.
    let (device, _data) = device;
    let mut latencies = Vec::new();
    let first = format!("B-{:05}", 0);
    let css = format!("[data-testid='job-card'][data-number='{first}']");
    let statuses = [JobStatus::EnRoute, JobStatus::Assigned];
    browser.wait("live", |b| {
        (b.script("return document.querySelector(\"[data-testid='board-live']\").dataset.live")?
            == serde_json::json!("true"))
        .then_some(())
    });
    for run in 0..RUNS * 3 {
        let to = statuses[run % statuses.len()];
        device
            .record(&first, Change::Status { to }, Utc::now())
            .unwrap();
        runtime.block_on(device.sync(Utc::now(), &|_| {})).unwrap();
        let pushed = Instant::now();
        let script = format!("return document.querySelector(\"{css}\")?.dataset.status ?? null");
        let want = serde_json::json!(to.as_str());
        let deadline = Instant::now() + Duration::from_secs(10);
        while browser.script(&script) != Some(want.clone()) {
            assert!(Instant::now() < deadline, "the board never showed {to}");
            std::thread::sleep(Duration::from_millis(10));
        }
        latencies.push(pushed.elapsed().as_millis() as u64);
    }
    drop(browser);

    println!("console board: {TECHNICIANS} technicians, {JOBS} jobs today, {QUEUED} queued");
    report(
        "HQ's answer to GET /board, as the page saw it (median)",
        format!("{} ms", median(&mut answered)),
        "-",
    );
    report(
        "the page laying the board out, answer to paint (median)",
        format!("{} ms", median(&mut built)),
        "-",
    );
    report(
        "board rendered (from navigation, median)",
        format!("{} ms", median(&mut rendered)),
        "-",
    );
    report(
        "board interactive (from navigation, median)",
        format!("{} ms", median(&mut idle)),
        "<= 1000 ms",
    );
    report(
        "live update, push to board (median)",
        format!("{} ms", median(&mut latencies)),
        "<= 1000 ms",
    );
    report(
        "live update, push to board (worst)",
        format!("{} ms", latencies.iter().max().unwrap()),
        "-",
    );
    runtime.block_on(hq.shutdown());
}
