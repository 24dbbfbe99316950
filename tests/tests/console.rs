//! The dispatcher console in a real Chromium (through chromedriver) against a real HQ with the
//! demo data: signing in, the day's board, signing out, and technicians sent away.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Local, TimeZone};
use onsite_e2e::console::Browser;
use onsite_e2e::hq::HqProcess;
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
