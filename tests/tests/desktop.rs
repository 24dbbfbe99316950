//! The real desktop app under Xvfb, driven over WebDriver (tauri-driver + WebKitWebDriver),
//! against a real `onsite-hq` on loopback with the demo data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use onsite_e2e::desktop::{App, Desktop};
use onsite_e2e::hq::HqProcess;
use onsite_e2e::onsite_ok;
use onsite_e2e::webdriver::Session;
use std::collections::BTreeSet;

const DEMO_PASSWORD: &str = onsite_hq::demo::PASSWORD;

/// Job numbers in the list now, on the tab shown.
fn listed(app: &Session) -> Vec<String> {
    app.all("[data-testid='job-row']")
        .iter()
        .filter_map(|row| app.attr(row, "data-number"))
        .collect()
}

/// The job numbers on the upcoming tab and on both tabs together, once the list has settled
/// after a sync; the upcoming tab is shown again at the end.
fn all_listed(app: &App) -> (Vec<String>, BTreeSet<String>) {
    app.click_id("job-tab-upcoming");
    let upcoming = app.wait("upcoming jobs", |a| {
        let rows = listed(a);
        (!rows.is_empty()).then_some(rows)
    });
    app.click_id("job-tab-past");
    let past = app.wait("past jobs or the empty state", |a| {
        let rows = listed(a);
        let settled = !rows.is_empty() || !a.all("[data-testid='job-list-empty']").is_empty();
        let still_upcoming = rows.iter().any(|n| upcoming.contains(n));
        (settled && !still_upcoming).then_some(rows)
    });
    app.click_id("job-tab-upcoming");
    app.wait("the upcoming tab again", |a| {
        (listed(a) == upcoming).then_some(())
    });
    let all = upcoming.iter().cloned().chain(past).collect();
    (upcoming, all)
}

fn sync_settled(app: &Session, connection: &str) {
    app.wait(&format!("sync status {connection}"), |a| {
        let status = a.by_id("sync-status");
        (a.attr(&status, "data-connection").as_deref() == Some(connection)
            && a.attr(&status, "data-running").as_deref() == Some("false"))
        .then_some(())
    });
}

#[test]
fn log_in_see_my_jobs_read_a_warranty_and_keep_working_offline() {
    let mut hq = HqProcess::start();
    hq.seed_demo();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let expected: BTreeSet<String> = runtime.block_on(async {
        let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
        dora.numbers_of("tina").await.into_iter().collect()
    });
    drop(runtime);
    assert!(expected.len() > 5, "the demo gives Tina work");

    let desktop = Desktop::start();
    let app = desktop.launch("login-and-jobs");

    // A wrong password, with the fingerprint typed in: a clear message in the form.
    app.fill("login-url", &hq.url);
    app.fill("login-username", "tina");
    app.fill("login-password", "not-the-password");
    app.fill("login-fingerprint", &hq.fingerprint);
    app.click_id("login-submit");
    let error = app.by_id("login-error");
    assert!(
        app.text(&error).contains("wrong username or password"),
        "{}",
        app.text(&error)
    );

    // The right password, confirming the fingerprint HQ presents.
    app.fill("login-fingerprint", "");
    app.fill("login-password", DEMO_PASSWORD);
    app.click_id("login-submit");
    let shown = app.by_id("fingerprint-value");
    assert_eq!(
        app.attr(&shown, "data-fingerprint"),
        Some(hq.fingerprint.clone())
    );
    app.click_id("fingerprint-accept");

    sync_settled(&app, "online");
    let (upcoming, all) = all_listed(&app);
    assert_eq!(all, expected, "exactly Tina's jobs");
    app.keep_screenshot("ui-screenshots", "job-list");

    // Open a job: its asset's warranty on today's date, as the device store judges it.
    let number = upcoming[0].clone();
    let row_css = format!("[data-testid='job-row'][data-number='{number}']");
    app.click_css(&row_css);
    let detail = app.find(&format!(
        "[data-testid='job-detail'][data-number='{number}']"
    ));
    assert!(app.text(&detail).contains(&number));
    let warranty = app.by_id("job-warranty");
    let out = onsite_ok(desktop.data_dir(), &["job", "show", &number, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let state = json["warranty"]["state"].as_str().unwrap();
    assert_eq!(app.attr(&warranty, "data-state").as_deref(), Some(state));
    let (word, date) = match state {
        "in_warranty" => ("In warranty until", &json["warranty"]["until"]),
        _ => ("Warranty expired on", &json["warranty"]["ended"]),
    };
    let year = &date.as_str().unwrap()[..4];
    let text = app.text(&warranty);
    assert!(
        text.starts_with(word) && text.contains(year),
        "{text} vs {state} {date}"
    );
    app.keep_screenshot("ui-screenshots", "job-detail");

    // Narrowed to 900 px, the list and the job are both still there.
    app.resize(900, 700);
    app.wait("the narrow layout", |a| {
        (a.displayed(&a.by_id("job-warranty")) && a.displayed(&a.find(&row_css))).then_some(())
    });
    app.keep_screenshot("ui-screenshots", "job-detail-900");
    app.close();

    // HQ goes away; the app restarts from its local store and says it is offline.
    hq.stop();
    let app = desktop.launch("offline-restart");
    let rows = app.wait("the job list from the local store", |a| {
        let rows = listed(a);
        (rows.len() == upcoming.len()).then_some(rows)
    });
    assert_eq!(rows, upcoming);
    sync_settled(&app, "offline");
    assert!(app.text(&app.by_id("sync-last")).starts_with("Last sync"));
    app.keep_screenshot("ui-screenshots", "job-list-offline");
    app.close();
}

/// Offline on site: a status, a note and a photo recorded in the app with HQ down, the app
/// restarted, HQ back — the outbox drains by itself and HQ has all three.
#[test]
fn offline_changes_survive_a_restart_and_drain_when_hq_returns() {
    let mut hq = HqProcess::start();
    hq.seed_demo();
    let desktop = Desktop::syncing_every(Some(2));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let device = onsite_core::Device::open(desktop.data_dir()).unwrap();
        device
            .login(
                &hq.url,
                "tina",
                DEMO_PASSWORD,
                Some(hq.pin()),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        device.sync(chrono::Utc::now(), &|_| {}).await.unwrap();
    });
    let jobs: serde_json::Value =
        serde_json::from_slice(&onsite_ok(desktop.data_dir(), &["jobs", "--json"]).stdout).unwrap();
    // An assigned job on the upcoming tab (the one the app opens on).
    let now = chrono::Utc::now().to_rfc3339();
    let number = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["status"] == "assigned" && j["scheduled_start"].as_str() > Some(now.as_str()))
        .and_then(|j| j["number"].as_str())
        .expect("Tina has an assigned job")
        .to_string();

    let app = desktop.launch("offline-edits");
    sync_settled(&app, "online");
    hq.stop();
    app.click_css(&format!("[data-testid='job-row'][data-number='{number}']"));
    app.find(&format!(
        "[data-testid='job-detail'][data-number='{number}']"
    ));
    app.click_id("status-on_site");
    app.wait("the status shown at once", |a| {
        (a.text(&a.by_id("job-status")) == "On site").then_some(())
    });
    app.fill("note-text", "Customer out; worked with the neighbour's key");
    app.click_id("note-add");
    // A real (1×1) PNG, so the test can see the app show it.
    let photo = desktop.data_dir().join("../boiler-front.png");
    use base64::Engine as _;
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap();
    std::fs::write(&photo, png).unwrap();
    app.upload("photo-input", &photo);
    app.wait("the photo shown on the job", |a| {
        let width = a.script(
            "const img = document.querySelector(\"[data-testid='thumbnail']\"); \
             return img && img.complete ? img.naturalWidth : 0;",
        )?;
        (width.as_u64() == Some(1)).then_some(())
    });
    let pending = |a: &Session| {
        a.all("[data-testid='activity-item'][data-state='pending'], [data-testid='activity-item'][data-state='sent']")
            .len()
    };
    app.wait("three changes waiting on the job", |a| {
        (pending(a) == 3).then_some(())
    });
    app.wait("three changes waiting in the top bar", |a| {
        (a.attr(&a.by_id("sync-waiting"), "data-waiting").as_deref() == Some("3")).then_some(())
    });
    app.click_id("sync-waiting");
    let outbox = app.by_id("outbox-panel");
    assert!(
        app.text(&outbox).contains("3 changes waiting to sync"),
        "{}",
        app.text(&outbox)
    );
    app.keep_screenshot("ui-screenshots", "offline-changes");
    app.close();
    std::fs::remove_file(&photo).unwrap();

    // The app restarts with HQ still away: nothing is lost.
    let app = desktop.launch("offline-restart-with-changes");
    app.click_css(&format!("[data-testid='job-row'][data-number='{number}']"));
    app.wait("the changes still waiting after a restart", |a| {
        (pending(a) == 3).then_some(())
    });

    // HQ comes back: the app notices by itself, and the outbox drains.
    hq.restart();
    app.wait("the outbox drained", |a| {
        (a.attr(&a.by_id("sync-waiting"), "data-waiting").as_deref() == Some("0")).then_some(())
    });
    app.wait("every change synced on the job", |a| {
        let items = a.all("[data-testid='activity-item']");
        (items.len() == 3 && pending(a) == 0).then_some(())
    });
    app.keep_screenshot("ui-screenshots", "changes-synced");
    app.close();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
        let view = dora.job(&number).await;
        assert_eq!(view.job.status, onsite_protocol::JobStatus::OnSite);
        let ops = dora.job_ops(&number).await;
        let kinds: Vec<_> = ops
            .ops
            .iter()
            .map(|o| o.op.change.kind().as_str())
            .collect();
        assert_eq!(kinds, vec!["status", "note", "attachment"]);
        assert!(
            ops.ops
                .iter()
                .all(|o| o.outcome == onsite_protocol::Outcome::Applied)
        );
        assert_eq!(dora.received_ops().await.len(), 3, "each change once");
    });
}
