//! The dispatcher console in a real Chromium (through chromedriver) against a real HQ with the
//! demo data: signing in, the day's board, signing out, and technicians sent away; and, on
//! HQ with test accounts, a job dragged from the queue onto a technician reaching their laptop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Local, TimeZone};
use onsite_e2e::console::Browser;
use onsite_e2e::hq::HqProcess;
use onsite_e2e::onsite_ok;
use onsite_e2e::webdriver::Session;
use onsite_protocol::board::Board;
use std::collections::BTreeMap;

const DEMO_PASSWORD: &str = onsite_hq::demo::PASSWORD;

/// `data-*` attribute `name` of every element matching `css`, now.
fn attrs(browser: &Session, css: &str, name: &str) -> Vec<String> {
    browser
        .all(css)
        .iter()
        .filter_map(|e| browser.attr(e, name))
        .collect()
}

/// The board HQ answers for today in this machine's time zone (the browser's too).
fn todays_board(hq: &HqProcess) -> Board {
    let today = Local::now().date_naive();
    let midnight = |d: chrono::NaiveDate| {
        Local
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .to_utc()
    };
    let (from, to) = (midnight(today), midnight(today.succ_opt().unwrap()));
    let path = format!(
        "/board?from={}&to={}",
        from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
        dora.call::<(), Board>(reqwest::Method::GET, &path, None)
            .await
    })
}

fn sign_in(browser: &Browser, username: &str, password: &str) {
    browser.fill("signin-username", username);
    browser.fill("signin-password", password);
    browser.click_id("signin-submit");
}

/// The text of the sign-in error once one shows.
fn sign_in_error(browser: &Browser) -> String {
    browser.wait("the sign-in error", |b| {
        b.all("[data-testid='signin-error']")
            .first()
            .map(|e| b.text(e))
            .filter(|t| !t.is_empty())
    })
}

/// A dispatcher mistypes the password, then signs in and sees today's board: a lane per
/// technician holding exactly the jobs HQ has for them today, the unassigned queue beside it.
/// The session survives a reload (it is a cookie); signing out ends it for good.
#[test]
fn a_dispatcher_signs_in_and_sees_the_days_board() {
    let hq = HqProcess::start();
    hq.seed_demo();
    let expected = todays_board(&hq);
    let browser = Browser::start("console-board", 1280, 800);
    browser.navigate(&format!("{}/", hq.url));

    sign_in(&browser, "dora", "not-the-password");
    assert_eq!(sign_in_error(&browser), "Wrong username or password.");
    assert!(browser.all("[data-testid='board']").is_empty());

    sign_in(&browser, "dora", DEMO_PASSWORD);
    let technicians: Vec<String> = expected
        .technicians
        .iter()
        .map(|t| t.username.clone())
        .collect();
    assert!(
        technicians.len() >= 3,
        "the demo has technicians: {technicians:?}"
    );
    let lanes = browser.wait("a lane per technician", |b| {
        let lanes = attrs(b, "[data-testid='board-lane']", "data-technician");
        (lanes.len() == technicians.len()).then_some(lanes)
    });
    assert_eq!(lanes, technicians, "lanes in HQ's order, by name");

    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for view in expected.jobs.iter().filter(|v| {
        v.job.scheduled_start.is_some() && v.job.status != onsite_protocol::JobStatus::Cancelled
    }) {
        want.entry(view.job.technician.clone().unwrap())
            .or_default()
            .push(view.job.number.clone());
    }
    assert!(!want.is_empty(), "the demo schedules jobs today");
    for technician in &technicians {
        let css = format!(
            "[data-testid='board-lane'][data-technician='{technician}'] [data-testid='job-card']"
        );
        let mut shown = attrs(&browser, &css, "data-number");
        shown.sort();
        let mut wanted = want.get(technician).cloned().unwrap_or_default();
        wanted.sort();
        assert_eq!(shown, wanted, "{technician}'s lane");
    }
    let queue = attrs(&browser, "[data-testid='queue-job']", "data-number");
    let queued: Vec<String> = expected
        .queue
        .iter()
        .map(|v| v.job.number.clone())
        .collect();
    assert_eq!(queue, queued, "the queue, most urgent first");
    assert!(!queue.is_empty(), "the demo has unassigned jobs");

    // The signed-in page itself cannot change anything without the CSRF token.
    browser.script(
        "window.probe = null; fetch('/api/v1/jobs', {method: 'POST', \
         headers: {'Content-Type': 'application/json'}, body: '{}'}) \
         .then(r => r.json().then(b => { window.probe = [r.status, b.code]; }))",
    );
    let refused = browser.wait("HQ's answer to a request without the token", |b| {
        b.script("return window.probe").filter(|v| !v.is_null())
    });
    assert_eq!(refused, serde_json::json!([403, "csrf_rejected"]));

    browser.navigate(&format!("{}/", hq.url));
    browser.wait("the board after a reload", |b| {
        (!b.all("[data-testid='board-lane']").is_empty()).then_some(())
    });

    browser.click_id("sign-out");
    browser.wait("the sign-in page", |b| {
        (!b.all("[data-testid='signin-submit']").is_empty()).then_some(())
    });
    browser.navigate(&format!("{}/", hq.url));
    browser.wait("still signed out after a reload", |b| {
        (!b.all("[data-testid='signin-submit']").is_empty()).then_some(())
    });
    assert!(browser.all("[data-testid='board']").is_empty());
}

/// A technician with the right password is told to use the laptop app and gets no console.
#[test]
fn a_technician_is_sent_to_the_laptop_app() {
    let hq = HqProcess::start();
    hq.seed_demo();
    let browser = Browser::start("console-technician", 1280, 800);
    browser.navigate(&format!("{}/", hq.url));
    sign_in(&browser, "tina", DEMO_PASSWORD);
    let error = sign_in_error(&browser);
    assert!(error.contains("laptop"), "{error}");
    assert!(browser.all("[data-testid='board']").is_empty());
}

/// The local instant `h:m` today, as RFC 3339.
fn today_at(h: u32, m: u32) -> String {
    Local::now()
        .date_naive()
        .and_hms_opt(h, m, 0)
        .and_then(|t| Local.from_local_datetime(&t).earliest())
        .unwrap()
        .to_utc()
        .to_rfc3339()
}

/// A dispatcher drags a job from the unassigned queue onto Tina's lane at 13:00: HQ gives it
/// to her for 13:00–14:00, the board shows it in her lane, and her laptop has it after its
/// next sync; when she completes it, the open board shows it completed without a reload.
#[test]
fn a_job_dragged_onto_a_technician_reaches_their_laptop() {
    let hq = HqProcess::start();
    hq.add_user("dana", "dispatcher");
    hq.add_user("tina", "technician");
    hq.add_user("tom", "technician");
    let jobs = [
        serde_json::json!({"number": "T-1", "kind": "repair", "summary": "Leak",
            "technician": "tina", "scheduled_start": today_at(9, 0),
            "scheduled_end": today_at(10, 0), "customer": {"name": "Ann Held"},
            "site": {"address": "1 High St", "town": "Leeds"}}),
        serde_json::json!({"number": "Q-1", "kind": "installation", "summary": "New boiler",
            "customer": {"name": "Bo Queued"}, "site": {"address": "2 Low St", "town": "York"}}),
    ];
    let jsonl: String = jobs.iter().map(|j| format!("{j}\n")).collect();
    let out = hq.import(&jsonl);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let laptop = tempfile::tempdir().unwrap();
    let out = hq.login_cli(laptop.path(), "tina");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    onsite_ok(laptop.path(), &["sync"]);
    let listed = |data: &std::path::Path| {
        String::from_utf8(onsite_ok(data, &["jobs", "--json"]).stdout).unwrap()
    };
    assert!(!listed(laptop.path()).contains("Q-1"), "not hers yet");

    let browser = Browser::start("console-drag", 1280, 800);
    browser.navigate(&format!("{}/", hq.url));
    sign_in(&browser, "dana", onsite_e2e::PASSWORD);
    browser.wait("the queued job", |b| {
        (attrs(b, "[data-testid='queue-job']", "data-number") == ["Q-1"]).then_some(())
    });
    // Where 13:00 is on Tina's lane, from the ruler the page drew.
    let target = browser
        .script(
            "const lane = document.querySelector(\"[data-testid='board-lane'][data-technician='tina'] .track\"); \
             const ticks = [...document.querySelectorAll('.ruler .tick')]; \
             const tick = ticks.find(t => t.textContent.trim() === '13:00'); \
             const r = lane.getBoundingClientRect(); \
             const t = tick.getBoundingClientRect(); \
             return [Math.round(t.left + t.width / 2), Math.round(r.top + r.height / 2)];",
        )
        .unwrap();
    let (x, y) = (target[0].as_i64().unwrap(), target[1].as_i64().unwrap());
    browser.drag_to("[data-testid='queue-job'][data-number='Q-1']", x, y);
    browser.wait("Q-1 in Tina's lane", |b| {
        let css = "[data-testid='board-lane'][data-technician='tina'] [data-testid='job-card']";
        attrs(b, css, "data-number")
            .contains(&"Q-1".to_string())
            .then_some(())
    });
    assert!(attrs(&browser, "[data-testid='queue-job']", "data-number").is_empty());
    let done = browser.text(&browser.by_id("board-done"));
    assert!(done.starts_with("Q-1 given to Tina"), "{done}");

    let job = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { hq.dispatcher("dana").await.job("Q-1").await });
    assert_eq!(job.job.technician.as_deref(), Some("tina"));
    let local = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|t| t.with_timezone(&Local).format("%H:%M").to_string())
    };
    assert_eq!(local(job.job.scheduled_start).as_deref(), Some("13:00"));
    assert_eq!(local(job.job.scheduled_end).as_deref(), Some("14:00"));

    onsite_ok(laptop.path(), &["sync"]);
    assert!(
        listed(laptop.path()).contains("Q-1"),
        "on Tina's laptop after its sync"
    );

    // Tina does the job; the board, never reloaded, shows it completed once her laptop syncs.
    assert_eq!(
        browser
            .attr(&browser.by_id("board-live"), "data-live")
            .as_deref(),
        Some("true")
    );
    for status in ["en_route", "on_site", "completed"] {
        onsite_ok(laptop.path(), &["job", "status", "Q-1", status]);
    }
    onsite_ok(laptop.path(), &["sync"]);
    let css = "[data-testid='board-lane'][data-technician='tina'] [data-testid='job-card'][data-number='Q-1']";
    browser.wait("Q-1 completed on the board, live", |b| {
        (attrs(b, css, "data-status") == ["completed"]).then_some(())
    });
    assert_eq!(
        browser.text(&browser.by_id("board-done")),
        done,
        "the same page: nothing reloaded it"
    );
}

/// Opens a console page from the menu and waits for it.
fn open_page(browser: &Browser, page: &str, test_id: &str) {
    browser.click_id(&format!("nav-{page}"));
    browser.wait(&format!("the {page} page"), |b| {
        (!b.all(&format!("[data-testid='{test_id}']")).is_empty()).then_some(())
    });
}

/// The text of `test_id` once it says something.
fn said(browser: &Browser, test_id: &str) -> String {
    browser.wait(&format!("{test_id} to say something"), |b| {
        b.all(&format!("[data-testid='{test_id}']"))
            .first()
            .map(|e| b.text(e))
            .filter(|t| !t.is_empty())
    })
}

/// HQ cancels a job while Tina is on site; her laptop then sends the completion, which HQ
/// keeps as a conflict. The dispatcher sees her change beside HQ's state, accepts it with a
/// word for her, and HQ has the job completed.
#[test]
fn a_dispatcher_settles_a_conflict_side_by_side() {
    let hq = HqProcess::start();
    hq.add_user("dana", "dispatcher");
    hq.add_user("tina", "technician");
    let job = serde_json::json!({"number": "T-1", "kind": "repair", "summary": "Leak",
        "technician": "tina", "scheduled_start": today_at(9, 0), "scheduled_end": today_at(10, 0),
        "customer": {"name": "Ann Held"}, "site": {"address": "1 High St", "town": "Leeds"}});
    assert!(hq.import(&format!("{job}\n")).status.success());
    let laptop = tempfile::tempdir().unwrap();
    assert!(hq.login_cli(laptop.path(), "tina").status.success());
    onsite_ok(laptop.path(), &["sync"]);
    for status in ["en_route", "on_site"] {
        onsite_ok(laptop.path(), &["job", "status", "T-1", status]);
    }
    onsite_ok(laptop.path(), &["sync"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dana = hq.dispatcher("dana").await;
        let id = dana.job("T-1").await.job.id;
        dana.call::<_, serde_json::Value>(
            reqwest::Method::POST,
            &format!("/jobs/{id}/cancel"),
            Some(&serde_json::json!({"reason": "Customer rang to cancel"})),
        )
        .await;
    });
    onsite_ok(laptop.path(), &["job", "status", "T-1", "completed"]);
    onsite_ok(laptop.path(), &["sync"]);

    let browser = Browser::start("console-conflict", 1280, 800);
    browser.navigate(&format!("{}/", hq.url));
    sign_in(&browser, "dana", onsite_e2e::PASSWORD);
    browser.wait("the board", |b| {
        (!b.all("[data-testid='board']").is_empty()).then_some(())
    });
    open_page(&browser, "conflicts", "conflicts");
    let card = "[data-testid='conflict'][data-number='T-1']";
    browser.wait("T-1's conflict", |b| {
        (!b.all(card).is_empty()).then_some(())
    });
    let device = browser.text(&browser.find(&format!("{card} [data-testid='conflict-device']")));
    let at_hq = browser.text(&browser.find(&format!("{card} [data-testid='conflict-hq']")));
    assert_eq!(device, "Status → Completed");
    assert!(at_hq.contains("Cancelled"), "{at_hq}");
    browser.fill_css(
        &format!("{card} [data-testid='conflict-note']"),
        "The customer confirmed it was fixed",
    );
    browser.click_css(&format!("{card} [data-testid='conflict-accept']"));
    assert_eq!(
        said(&browser, "conflicts-done"),
        "T-1: the laptop's change is applied."
    );
    said(&browser, "conflicts-empty");

    let (job, open) = rt.block_on(async {
        let dana = hq.dispatcher("dana").await;
        (dana.job("T-1").await, dana.conflicts().await)
    });
    assert_eq!(job.job.status, onsite_protocol::JobStatus::Completed);
    assert!(open.is_empty(), "settled: {open:?}");
    // Her laptop learns of the decision on its next sync, with the dispatcher's words.
    onsite_ok(laptop.path(), &["sync"]);
    let shown =
        String::from_utf8(onsite_ok(laptop.path(), &["job", "show", "T-1"]).stdout).unwrap();
    assert!(
        shown.contains("settled by Dana: accept_device — The customer confirmed it was fixed"),
        "{shown}"
    );
}

/// A dispatcher works through the demo's follow-up calls due today: one click records that
/// the customer is satisfied, and HQ no longer has that call due.
#[test]
fn a_follow_up_call_outcome_is_recorded_with_one_click() {
    let hq = HqProcess::start();
    hq.seed_demo();
    let browser = Browser::start("console-follow-up", 1280, 800);
    browser.navigate(&format!("{}/", hq.url));
    sign_in(&browser, "dora", DEMO_PASSWORD);
    browser.wait("the board", |b| {
        (!b.all("[data-testid='board']").is_empty()).then_some(())
    });
    open_page(&browser, "follow-ups", "follow-ups");
    let calls = browser.wait("the calls due", |b| {
        let numbers = attrs(b, "[data-testid='follow-up']", "data-number");
        (!numbers.is_empty()).then_some(numbers)
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    let due = || {
        rt.block_on(async {
            let dora = hq.dispatcher_with("dora", DEMO_PASSWORD).await;
            let list: onsite_protocol::feedback::FollowUpList = dora
                .call::<(), _>(reqwest::Method::GET, "/follow-ups?limit=200", None)
                .await;
            list.follow_ups
        })
    };
    let before = due();
    let numbers: Vec<String> = before.iter().map(|f| f.job_number.clone()).collect();
    assert_eq!(calls, numbers, "the page lists exactly HQ's calls due");
    let first = &before[0];
    let card = format!(
        "[data-testid='follow-up'][data-number='{}']",
        first.job_number
    );
    browser.click_css(&format!("{card} [data-testid='outcome-satisfied']"));
    let done = said(&browser, "follow-ups-done");
    assert!(done.contains("satisfied, call closed"), "{done}");
    assert!(done.contains(&first.customer_name), "{done}");
    browser.wait("the call gone from the page", |b| {
        (!attrs(b, "[data-testid='follow-up']", "data-number").contains(&first.job_number))
            .then_some(())
    });
    let after = due();
    assert!(after.iter().all(|f| f.id != first.id), "no longer due");
    assert_eq!(after.len(), before.len() - 1);
}

/// An admin revokes a lost laptop in the console: its next sync is refused and says to log
/// in again, while the admin's own console carries on.
#[test]
fn a_revoked_laptop_is_refused_at_its_next_sync() {
    let hq = HqProcess::start();
    hq.add_user("ada", "admin");
    hq.add_user("tina", "technician");
    let laptop = tempfile::tempdir().unwrap();
    assert!(hq.login_cli(laptop.path(), "tina").status.success());
    onsite_ok(laptop.path(), &["sync"]);

    let browser = Browser::start("console-revoke", 1280, 800);
    browser.navigate(&format!("{}/", hq.url));
    sign_in(&browser, "ada", onsite_e2e::PASSWORD);
    browser.wait("the board", |b| {
        (!b.all("[data-testid='board']").is_empty()).then_some(())
    });
    open_page(&browser, "devices", "devices");
    let row = "[data-testid='device-session'][data-user='tina']";
    browser.wait("Tina's laptop", |b| (!b.all(row).is_empty()).then_some(()));
    browser.click_css(&format!("{row} [data-testid='revoke-device']"));
    browser.click_css(&format!("{row} [data-testid='revoke-confirm']"));
    let done = said(&browser, "devices-done");
    assert!(done.contains("1 session ended"), "{done}");

    let refused = onsite_e2e::onsite_refused(laptop.path(), &["sync"]);
    assert!(refused.contains("log in"), "{refused}");
    // The console itself was not touched.
    open_page(&browser, "users", "users");
    assert_eq!(
        attrs(&browser, "[data-testid='user']", "data-user"),
        ["ada", "tina"]
    );
}
