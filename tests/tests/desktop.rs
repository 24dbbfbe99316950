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
