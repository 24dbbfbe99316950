//! The real desktop app under Xvfb, driven over WebDriver (tauri-driver + WebKitWebDriver),
//! against a real `onsite-hq` on loopback with the demo data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use onsite_e2e::desktop::{App, Desktop};
use onsite_e2e::hq::HqProcess;
use onsite_e2e::onsite_ok;
use onsite_e2e::webdriver::{Session, key};
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

/// The fingerprint confirmation is not on screen (checked for a moment, as it would appear).
fn a_confirmation_never_shows(app: &Session) -> bool {
    (0..10).all(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        app.all("[data-testid='fingerprint-confirm']").is_empty()
    })
}

/// Logs the desktop's store in as Tina and syncs it, so the app opens on her jobs.
async fn tina_synced(hq: &HqProcess, desktop: &Desktop) {
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
}

/// Writes a real 1×1 PNG at `path`, so a test can see the app show (or accept) it.
fn write_png(path: &std::path::Path) {
    use base64::Engine as _;
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap();
    std::fs::write(path, png).unwrap();
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

    // The dispatcher tries the technicians' app: the fingerprint is confirmed once, as HQ
    // prints it, and the app says plainly who it is for.
    app.fill("login-url", &hq.url);
    app.fill("login-username", "dora");
    app.fill("login-password", DEMO_PASSWORD);
    app.click_id("login-submit");
    let shown = app.by_id("fingerprint-value");
    assert_eq!(
        app.attr(&shown, "data-fingerprint"),
        Some(hq.fingerprint.clone())
    );
    assert_eq!(
        app.text(&shown).replace('\n', ""),
        hq.fingerprint,
        "as HQ prints it"
    );
    app.click_id("fingerprint-accept");
    let error = app.by_id("login-error");
    assert!(
        app.text(&error).contains("for technicians"),
        "{}",
        app.text(&error)
    );

    // Tina with a wrong password: said in the form, and the certificate is not asked again.
    app.fill("login-username", "tina");
    app.fill("login-password", "not-the-password");
    app.click_id("login-submit");
    app.wait("the wrong password said", |a| {
        let e = a.all("[data-testid='login-error']").into_iter().next()?;
        a.text(&e)
            .contains("wrong username or password")
            .then_some(())
    });
    assert!(a_confirmation_never_shows(&app));

    // The right password logs in straight away.
    app.fill("login-password", DEMO_PASSWORD);
    app.click_id("login-submit");
    sync_settled(&app, "online");
    let (upcoming, all) = all_listed(&app);
    assert_eq!(all, expected, "exactly Tina's jobs");
    app.keep_screenshot("ui-screenshots", "job-list-after-login");

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

    // Logging out with HQ away removes the data and says plainly that HQ was not told.
    app.click_id("logout");
    app.click_id("logout-confirm");
    let notice = app.wait("the login screen's notice", |a| {
        let text = a.text(&a.by_id("login-notice"));
        (!text.is_empty()).then_some(text)
    });
    assert!(notice.contains("HQ could not be told"), "{notice}");
    assert!(notice.contains("ask an HQ admin to revoke it"), "{notice}");
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
    runtime.block_on(tina_synced(&hq, &desktop));
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
    write_png(&photo);
    app.upload("photo-input", &photo);
    app.fill("photo-caption", "Boiler front, cover off");
    app.click_id("photo-attach");
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
    // Arriving also pinned the job's checklist versions: four changes wait.
    app.wait("four changes waiting in the top bar", |a| {
        (a.attr(&a.by_id("sync-waiting"), "data-waiting").as_deref() == Some("4")).then_some(())
    });
    app.click_id("sync-waiting");
    let outbox = app.by_id("outbox-panel");
    assert!(
        app.text(&outbox).contains("4 changes waiting to sync"),
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
    assert_eq!(
        app.text(&app.by_id("thumbnail-caption")),
        "Boiler front, cover off"
    );
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
        assert_eq!(
            kinds,
            vec!["checklist_pinned", "status", "note", "attachment"]
        );
        assert!(
            ops.ops
                .iter()
                .all(|o| o.outcome == onsite_protocol::Outcome::Applied)
        );
        let job_id = view.job.id;
        let received = dora.received_ops().await;
        let on_this_job = received.iter().filter(|o| o.job_id == Some(job_id)).count();
        assert_eq!(on_this_job, 4, "each change once");
    });
}

/// A day as a new technician lives it: yesterday's unfinished work is at the top of the list,
/// the keyboard goes into a job and back to its row, and completing asks first, shows what
/// was done and stops the running timer — which HQ then holds exactly so.
#[test]
fn overdue_work_first_the_keyboard_and_a_guarded_completion() {
    let mut hq = HqProcess::start();
    hq.seed_demo();
    let desktop = Desktop::syncing_every(Some(2));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(tina_synced(&hq, &desktop));
    // What the device store says is overdue (open, scheduled before today) and what is closed.
    let jobs: Vec<serde_json::Value> =
        serde_json::from_slice(&onsite_ok(desktop.data_dir(), &["jobs", "--json"]).stdout).unwrap();
    let midnight = chrono::Local::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(chrono::Local)
        .unwrap()
        .to_utc();
    let started_before = |j: &serde_json::Value| {
        j["scheduled_start"]
            .as_str()
            .and_then(|s| s.parse::<chrono::DateTime<chrono::Utc>>().ok())
            .is_some_and(|s| s < midnight)
    };
    let closed =
        |j: &serde_json::Value| matches!(j["status"].as_str(), Some("completed" | "cancelled"));
    let overdue: BTreeSet<String> = jobs
        .iter()
        .filter(|j| started_before(j) && !closed(j))
        .map(|j| j["number"].as_str().unwrap().to_string())
        .collect();
    assert!(!overdue.is_empty(), "the demo leaves Tina overdue work");
    let number = jobs
        .iter()
        .find(|j| j["status"] == "assigned" && !started_before(j))
        .and_then(|j| j["number"].as_str())
        .expect("an assigned job from today on")
        .to_string();

    let app = desktop.launch("overdue-keyboard-complete");
    sync_settled(&app, "online");
    let first_group = app.by_id("job-day");
    assert_eq!(
        app.attr(&first_group, "data-group").as_deref(),
        Some("overdue")
    );
    let rows = listed(&app);
    let top: BTreeSet<String> = rows.iter().take(overdue.len()).cloned().collect();
    assert_eq!(top, overdue, "the overdue jobs head the default view");
    app.keep_screenshot("ui-screenshots", "job-list");

    // The keyboard: one Tab stop in the list, Enter opens the job and moves there, Escape
    // comes back to the job's row.
    app.click_id("job-search");
    app.press(key::TAB);
    app.wait("the first row focused", |a| {
        (a.focused("data-number").as_deref() == Some(rows[0].as_str())).then_some(())
    });
    app.press(key::DOWN);
    app.wait("the second row focused", |a| {
        (a.focused("data-number").as_deref() == Some(rows[1].as_str())).then_some(())
    });
    app.press(key::TAB);
    app.wait("Tab leaves the list", |a| {
        let n = a.focused("data-number");
        (n.is_none() || !rows.contains(&n.unwrap_or_default())).then_some(())
    });
    app.click_id("job-search");
    app.press(key::TAB);
    app.press(key::ENTER);
    app.wait("the job opened with the focus in it", |a| {
        let open = a.all(&format!(
            "[data-testid='job-detail'][data-number='{}']",
            rows[1]
        ));
        (!open.is_empty() && a.focused("tag").as_deref() == Some("h1")).then_some(())
    });
    app.press(key::ESCAPE);
    app.wait("back on the job's row", |a| {
        (a.focused("data-number").as_deref() == Some(rows[1].as_str())).then_some(())
    });
    // The focus ring is drawn inside the row, so the next row cannot hide it.
    let offset = app
        .script("return parseFloat(getComputedStyle(document.activeElement).outlineOffset) || 0;")
        .and_then(|v| v.as_f64())
        .unwrap();
    assert!(offset < 0.0, "outline offset {offset}");
    // Scrolled down the list, day headers do not pile up at its top: each sticks only
    // within its own day.
    let stacked = app
        .script(
            "const list = document.querySelector(\"[data-testid='job-list']\"); \
             const days = [...list.querySelectorAll(\"[data-testid='job-day']\")]; \
             const third = days[Math.min(2, days.length - 1)]; \
             list.scrollTop += third.getBoundingClientRect().top - list.getBoundingClientRect().top - 10; \
             const top = list.getBoundingClientRect().top; \
             return days.filter(d => Math.abs(d.getBoundingClientRect().top - top) < 2).length;",
        )
        .and_then(|v| v.as_u64())
        .unwrap();
    assert!(
        stacked <= 1,
        "{stacked} day headers stacked at the top of the list"
    );
    app.script("document.querySelector(\"[data-testid='job-list']\").scrollTop = 0;");

    // The visit: arrive, work, complete. Moving on leaves focus off the status buttons.
    app.click_css(&format!("[data-testid='job-row'][data-number='{number}']"));
    app.find(&format!(
        "[data-testid='job-detail'][data-number='{number}']"
    ));
    app.click_id("status-on_site");
    app.wait("arrived, and focus on where the job stands", |a| {
        (a.text(&a.by_id("job-status")) == "On site"
            && a.focused("data-testid").as_deref() == Some("status-line"))
        .then_some(())
    });
    app.click_id("work-toggle");
    app.wait("the timer running", |a| {
        (a.attr(&a.by_id("work-total"), "data-running").as_deref() == Some("true")).then_some(())
    });
    app.fill("note-text", "Condensate trap blocked; cleared it");
    app.click_id("note-add");
    app.wait("the note on the job", |a| {
        (a.all("[data-testid='activity-item'][data-kind='note']")
            .len()
            == 1)
            .then_some(())
    });
    // The job's checklist comes first: completing waits for it.
    let checklist: serde_json::Value = serde_json::from_slice(
        &onsite_ok(desktop.data_dir(), &["job", "checklist", &number, "--json"]).stdout,
    )
    .unwrap();
    let photo = desktop.data_dir().join("../checklist.png");
    write_png(&photo);
    for section in checklist["sections"].as_array().unwrap() {
        for item in section["template"]["items"].as_array().unwrap() {
            if item["required"] == true {
                answer_item(&app, item, &photo);
            }
        }
    }
    std::fs::remove_file(&photo).unwrap();
    app.click_id("status-completed");
    app.by_id("complete-dialog");
    assert_eq!(app.text(&app.by_id("complete-notes")), "1");
    assert_eq!(app.text(&app.by_id("complete-photos")), "none");
    assert!(app.displayed(&app.by_id("complete-stops-timer")));
    assert_eq!(
        app.text(&app.by_id("job-status")),
        "On site",
        "nothing completed yet"
    );
    app.keep_screenshot("ui-screenshots", "complete-dialog");
    app.click_id("complete-confirm");
    app.wait("completed, and no more work time offered", |a| {
        (a.text(&a.by_id("job-status")) == "Completed"
            && a.all("[data-testid='work-toggle']").is_empty()
            && !a.all("[data-testid='work-closed']").is_empty())
        .then_some(())
    });
    app.wait("every change synced", |a| {
        (a.attr(&a.by_id("sync-waiting"), "data-waiting").as_deref() == Some("0")).then_some(())
    });
    // The visit and its timeline, as the technician scrolls down to check them.
    app.script("const p = document.querySelector(\"[data-testid='detail-pane']\"); p.scrollTop = p.scrollHeight;");
    app.keep_screenshot("ui-screenshots", "job-visit");
    app.close();

    runtime.block_on(async {
        let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
        assert_eq!(
            dora.job(&number).await.job.status,
            onsite_protocol::JobStatus::Completed
        );
        let kinds: Vec<_> = dora
            .job_ops(&number)
            .await
            .ops
            .iter()
            .map(|o| (o.op.change.kind().as_str(), o.outcome))
            // The checklist (its pin, answers and any photo) is checked by the whole-visit test.
            .filter(|(k, _)| !["checklist_pinned", "checklist_answer", "attachment"].contains(k))
            .collect();
        use onsite_protocol::Outcome::Applied;
        assert_eq!(
            kinds,
            [
                ("status", Applied),
                ("work_started", Applied),
                ("note", Applied),
                ("work_stopped", Applied),
                ("status", Applied)
            ],
            "the timer stopped before the job completed"
        );
    });
    hq.stop();
}

/// Answers one checklist item in the app the way its type takes it.
fn answer_item(app: &Session, item: &serde_json::Value, photo: &std::path::Path) {
    let key = item["key"].as_str().unwrap();
    let at = format!("[data-testid='checklist-item'][data-item='{key}']");
    match item["type"].as_str().unwrap() {
        "yes_no" => app.click_css(&format!("{at} [data-testid='answer-yes']")),
        "choice" => {
            let option = item["options"][0].as_str().unwrap();
            app.click_css(&format!(
                "{at} [data-testid='answer-choice'] option[value='{option}']"
            ));
        }
        "photo" => app.upload_css(&format!("{at} [data-testid='answer-photo']"), photo),
        kind => {
            // A reading above the range, to see it flagged; a remark as typed on site.
            let typed = match item["max"].as_f64() {
                Some(max) if kind == "number" => format!("{}", max + 1.0),
                _ if kind == "number" => "1.5".to_string(),
                _ => "Seal worn, replaced".to_string(),
            };
            app.fill_css(&format!("{at} [data-testid='answer-input']"), &typed);
            app.click_css(&format!("{at} [data-testid='answer-save']"));
        }
    }
    app.wait(&format!("{key} answered"), |a| {
        let li = a.all(&at).into_iter().next()?;
        (a.attr(&li, "data-answered").as_deref() == Some("yes")).then_some(())
    });
}

/// The whole visit in the app with HQ away: the checklist blocks completion until answered, a
/// part comes out of the van, a warranty decision is made with its rule shown, a guide is found
/// by search; then HQ returns and holds it all.
#[test]
fn a_whole_visit_offline_then_hq_holds_it_all() {
    let mut hq = HqProcess::start();
    hq.seed_demo();
    let desktop = Desktop::syncing_every(Some(2));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(tina_synced(&hq, &desktop));
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&onsite_ok(desktop.data_dir(), args).stdout).unwrap()
    };
    // An assigned maintenance job on the upcoming tab: its checklist takes yes/no answers, a
    // choice and a reading.
    let now = chrono::Utc::now().to_rfc3339();
    let number = json(&["jobs", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|j| {
            j["status"] == "assigned"
                && j["kind"] == "maintenance"
                && j["scheduled_start"].as_str() > Some(now.as_str())
        })
        .and_then(|j| j["number"].as_str())
        .expect("Tina has an assigned maintenance job")
        .to_string();
    let checklist = json(&["job", "checklist", &number, "--json"]);
    let items: Vec<serde_json::Value> = checklist["sections"][0]["template"]["items"]
        .as_array()
        .unwrap()
        .clone();
    let van_before = json(&["stock", "--json"]);

    let app = desktop.launch("whole-visit");
    sync_settled(&app, "online");
    hq.stop();
    app.click_css(&format!("[data-testid='job-row'][data-number='{number}']"));
    app.find(&format!(
        "[data-testid='job-detail'][data-number='{number}']"
    ));
    app.click_id("status-on_site");
    app.wait("on site", |a| {
        (a.text(&a.by_id("job-status")) == "On site").then_some(())
    });
    let kept = app.text(&app.by_id("checklist"));
    assert!(kept.contains("kept since work started"), "{kept}");

    // Completing waits for the checklist, and says what it needs.
    app.click_id("status-completed");
    let blocked = app.text(&app.by_id("complete-blocked"));
    let first_required = items.iter().find(|i| i["required"] == true).unwrap();
    assert!(
        blocked.contains(first_required["label"].as_str().unwrap()),
        "{blocked}"
    );
    assert_eq!(
        app.script("return document.querySelector(\"[data-testid='complete-confirm']\").disabled"),
        Some(serde_json::Value::Bool(true))
    );
    app.click_id("complete-cancel");

    let photo = desktop.data_dir().join("../label.png");
    write_png(&photo);
    for item in items
        .iter()
        .filter(|i| i["required"] == true || i["type"] == "number")
    {
        answer_item(&app, item, &photo);
    }
    if items
        .iter()
        .any(|i| i["type"] == "number" && i["max"].is_number())
    {
        app.by_id("out-of-range");
    }
    app.by_id("checklist-done");

    // A part from the van.
    app.click_css("[data-testid='part-pick'] option:not([disabled])");
    let sku = app.wait("a part chosen", |a| {
        a.script("return document.querySelector(\"[data-testid='part-pick']\").value")
            .and_then(|v| v.as_str().map(str::to_string))
            .filter(|v| !v.is_empty())
    });
    if !app.all("[data-testid='part-serial']").is_empty() {
        let serial = app
            .script("const o = document.querySelector('#van-serials option'); return o ? o.value : 'SN-TYPED-1'")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap();
        app.fill("part-serial", &serial);
    }
    app.click_id("part-use");
    app.find(&format!("[data-testid='part-used'][data-sku='{sku}']"));

    // The warranty decision, with the rule that allows it in words.
    app.click_css("[data-testid='warranty-fault'] option[value='performance']");
    let rule = app.text(&app.by_id("warranty-rule"));
    assert!(rule.len() > 20, "the rule said in words: {rule:?}");
    app.click_css("[data-testid='warranty-option'] input[type='radio']");
    if !app.all("[data-testid='warranty-replacement']").is_empty() {
        app.fill("warranty-replacement", "NEW-UNIT-1");
    }
    app.click_id("warranty-decide");
    app.by_id("decision");

    // A guide found by a word of its text.
    let title = app.text(&app.find("[data-testid='guide'] button"));
    let word = title
        .split_whitespace()
        .find(|w| w.len() > 4)
        .unwrap()
        .to_string();
    app.fill("guide-search", &word);
    app.click_css("[data-testid='guide'] button");
    let body = app.text(&app.by_id("guide-body"));
    assert!(!body.is_empty());

    // Now it completes.
    app.click_id("status-completed");
    app.click_id("complete-confirm");
    app.wait("completed", |a| {
        (a.text(&a.by_id("job-status")) == "Completed").then_some(())
    });
    app.keep_screenshot("ui-screenshots", "whole-visit-offline");

    // HQ returns: it holds the whole visit, once.
    hq.restart();
    app.wait("the outbox drained", |a| {
        (a.attr(&a.by_id("sync-waiting"), "data-waiting").as_deref() == Some("0")).then_some(())
    });
    app.close();
    std::fs::remove_file(&photo).unwrap();
    runtime.block_on(async {
        let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
        let view = dora.job(&number).await;
        assert_eq!(view.job.status, onsite_protocol::JobStatus::Completed);
        let visit: onsite_protocol::visit::JobVisit = dora
            .call(
                reqwest::Method::GET,
                &format!("/jobs/{}/visit", view.job.id),
                None::<&()>,
            )
            .await;
        assert!(visit.missing.is_empty(), "{:?}", visit.missing);
        assert_eq!(visit.record.parts.len(), 1);
        assert_eq!(visit.record.parts[0].sku, sku);
        assert!(visit.record.decision().is_some());
        let ops = dora.job_ops(&number).await;
        assert!(
            ops.ops
                .iter()
                .all(|o| o.outcome == onsite_protocol::Outcome::Applied),
            "{:?}",
            ops.ops
                .iter()
                .map(|o| (o.op.change.kind(), o.outcome, o.message.clone()))
                .collect::<Vec<_>>()
        );
        let van: onsite_protocol::stock::VanStock = dora
            .call(reqwest::Method::GET, "/stock?technician=tina", None::<&()>)
            .await;
        let before = van_before
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["sku"] == sku.as_str())
            .and_then(|l| l["qty"].as_i64())
            .unwrap_or(0);
        let after = van
            .balances
            .iter()
            .find(|b| b.sku == sku)
            .map_or(0, |b| b.qty);
        assert_eq!(after, before - 1, "the part left the van once");
    });
}

#[test]
fn the_customer_signs_with_the_pad_rates_the_visit_and_hands_the_laptop_back() {
    let hq = HqProcess::start();
    hq.seed_demo();
    let desktop = Desktop::syncing_every(Some(2));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(tina_synced(&hq, &desktop));
    let jobs: serde_json::Value =
        serde_json::from_slice(&onsite_ok(desktop.data_dir(), &["jobs", "--json"]).stdout).unwrap();
    let number = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["status"] == "assigned" && j["kind"] == "repair")
        .and_then(|j| j["number"].as_str())
        .expect("Tina has an assigned repair")
        .to_string();

    let app = desktop.launch("sign-off");
    app.click_css(&format!("[data-testid='job-row'][data-number='{number}']"));
    app.find(&format!(
        "[data-testid='job-detail'][data-number='{number}']"
    ));
    app.find("[data-testid='signoff-later']");
    app.click_id("status-on_site");
    app.wait("on site", |a| {
        (a.text(&a.by_id("job-status")) == "On site").then_some(())
    });

    // The customer signs on the pad with the pointer.
    app.click_id("sign-open");
    let confirm = app.by_id("sign-confirm");
    assert_eq!(
        app.attr(&confirm, "disabled"),
        Some("true".into()),
        "nothing drawn yet"
    );
    app.draw(
        "signature-pad",
        &[
            (-150, 10),
            (-100, -25),
            (-50, 20),
            (0, -20),
            (50, 25),
            (100, -15),
            (150, 5),
        ],
    );
    app.wait("the pad to hold a drawing", |a| {
        (a.attr(&a.by_id("signature-pad"), "data-drawn").as_deref() == Some("true")).then_some(())
    });
    app.keep_screenshot("screenshots", "sign-off-pad");
    app.click_id("sign-confirm");
    app.wait("the signed report received at HQ", |a| {
        let received = a
            .all("[data-testid='signoff-received']")
            .into_iter()
            .next()?;
        (a.attr(&received, "data-state").as_deref() == Some("applied")).then_some(())
    });
    assert!(app.text(&app.by_id("signoff-state")).contains("Signed by"));

    // Handed over: only the rating is reachable, and Escape does not leave.
    app.click_id("customer-mode-open");
    app.find("[data-testid='customer-mode']");
    assert_eq!(
        app.script("return document.getElementById('app').inert"),
        Some(serde_json::json!(true)),
        "the app behind customer mode is out of reach"
    );
    app.click_id("rate-satisfaction-2");
    app.click_id("rate-recommend-3");
    app.click_id("rate-complaint-toggle");
    app.fill("rate-complaint", "Came two hours late");
    app.click_id("rate-call-ok");
    app.click_id("rate-call-time-morning");
    app.keep_screenshot("screenshots", "customer-mode");
    app.click_id("rate-submit");
    app.find("[data-testid='customer-thanks']");
    app.press(key::ESCAPE);
    app.click_id("customer-exit");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        app.all("[data-testid='customer-exit-dialog']").is_empty()
            && !app.all("[data-testid='customer-mode']").is_empty(),
        "neither Escape nor a tap leaves customer mode"
    );
    // The technician's gesture: held, then confirmed.
    app.hold("customer-exit", std::time::Duration::from_millis(2600));
    app.click_id("customer-exit-confirm");
    app.wait("customer mode to end", |a| {
        a.all("[data-testid='customer-mode']")
            .is_empty()
            .then_some(())
    });
    app.wait("the rating on the job", |a| {
        let rating = a.all("[data-testid='rating-state']").into_iter().next()?;
        a.text(&rating).contains("2/5").then_some(())
    });

    // HQ holds the complaint from the rating once the app has synced.
    let complaints: onsite_protocol::cases::CaseList = runtime.block_on(async {
        let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let list: onsite_protocol::cases::CaseList = dora
                .call(reqwest::Method::GET, "/complaints", None::<&()>)
                .await;
            if !list.cases.is_empty() || std::time::Instant::now() > deadline {
                break list;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    });
    assert_eq!(
        complaints.cases.first().map(|c| c.subject.as_str()),
        Some("Came two hours late")
    );
    assert_eq!(
        complaints.cases[0].job_number.as_deref(),
        Some(number.as_str())
    );
    app.close();
}
