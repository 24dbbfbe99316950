//! Sessions through the real binaries: logout ends the session at HQ (and says when it could
//! not), an admin ends a lost laptop's session or disables an account, and two processes on
//! one data folder refreshing at once keep their session.

use onsite_core::session::{Session, SessionFile};
use onsite_e2e::hq::HqProcess;
use onsite_e2e::{bin, onsite_ok};
use std::path::Path;
use std::process::Output;

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn onsite(data: &Path, args: &[&str]) -> Output {
    std::process::Command::new(bin("onsite"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run onsite")
}

fn team() -> HqProcess {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("dana", "dispatcher");
    hq
}

fn logged_in(hq: &HqProcess, username: &str) -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("tempdir");
    let out = hq.login_cli(data.path(), username);
    assert!(out.status.success(), "{}", text(&out));
    data
}

fn session(data: &Path) -> Session {
    SessionFile::new(data)
        .load()
        .expect("read the session")
        .expect("a session")
}

/// Whether HQ takes `token` as a bearer token.
async fn works(hq: &HqProcess, token: &str) -> bool {
    let client = onsite_core::hq_client::HqClient::new(&hq.url, Some(hq.pin())).expect("client");
    let me: Result<onsite_protocol::User, _> = client
        .call::<(), _>(reqwest::Method::GET, "/me", token, None)
        .await;
    me.is_ok()
}

/// Before, `onsite logout` only deleted local files and a copied session kept working. Now the
/// CLI ends the session at HQ, and a copy of its tokens stops working at once.
#[tokio::test(flavor = "multi_thread")]
async fn a_copied_session_dies_with_the_logout() {
    let hq = team();
    let data = logged_in(&hq, "tina");
    let copy = session(data.path());
    assert!(works(&hq, &copy.access_token).await);

    let out = onsite_ok(data.path(), &["logout"]);
    assert!(
        text(&out).contains("HQ ended the session"),
        "{}",
        text(&out)
    );
    assert!(
        !works(&hq, &copy.access_token).await,
        "the copied access token"
    );
    let refreshed = onsite_core::hq_client::HqClient::new(&hq.url, Some(hq.pin()))
        .expect("client")
        .refresh(&copy.refresh_token, onsite_protocol::DeviceId::new())
        .await;
    assert!(refreshed.is_err(), "the copied refresh token");
}

/// With HQ away, the logout still removes the laptop's data and says plainly that HQ was not
/// told, and how an admin ends the session instead; that command works.
#[tokio::test(flavor = "multi_thread")]
async fn a_logout_without_hq_says_so_and_an_admin_ends_the_session() {
    let mut hq = team();
    let data = logged_in(&hq, "tina");
    let copy = session(data.path());
    let device = onsite_ok(data.path(), &["status", "--json"]);
    let device: serde_json::Value = serde_json::from_slice(&device.stdout).expect("status JSON");
    let device = device["device_id"]
        .as_str()
        .expect("a device id")
        .to_string();

    hq.stop();
    let out = onsite_ok(data.path(), &["logout"]);
    let said = text(&out);
    assert!(said.contains("HQ was not told"), "{said}");
    assert!(
        said.contains(&format!("session revoke --device {device}")),
        "{said}"
    );
    assert!(
        SessionFile::new(data.path())
            .load()
            .expect("read")
            .is_none()
    );

    hq.restart();
    assert!(
        works(&hq, &copy.access_token).await,
        "HQ never heard of the logout"
    );
    let listed = text(&hq.admin(&["session", "list"]));
    assert!(
        listed.contains(&device) && listed.contains("active until"),
        "{listed}"
    );
    let out = hq.admin(&["session", "revoke", "--device", &device]);
    assert!(text(&out).contains("1 session(s) ended"), "{}", text(&out));
    assert!(!works(&hq, &copy.access_token).await);
    let listed = text(&hq.admin(&["session", "list", "--all", "--user", "tina"]));
    assert!(listed.contains("ended (revoked)"), "{listed}");
}

/// A disabled account's laptop loses its session at once and cannot log in again; enabled,
/// it can.
#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_account_is_locked_out_until_enabled() {
    let hq = team();
    let data = logged_in(&hq, "tina");
    let out = hq.admin(&["user", "disable", "tina"]);
    assert!(
        text(&out).contains("disabled tina; 1 session(s) ended"),
        "{}",
        text(&out)
    );
    let out = onsite(data.path(), &["sync"]);
    assert!(!out.status.success());
    assert!(
        text(&out).to_lowercase().contains("session"),
        "{}",
        text(&out)
    );
    let out = hq.login_cli(data.path(), "tina");
    assert!(!out.status.success());
    assert!(text(&out).contains("disabled"), "{}", text(&out));
    assert!(hq.admin(&["user", "enable", "tina"]).status.success());
    let out = hq.login_cli(data.path(), "tina");
    assert!(out.status.success(), "{}", text(&out));
}

/// Before, the app and the CLI refreshing at once revoked the session (the second presented
/// a token the first had just rotated). Now they take turns on the device, and HQ gives a
/// retry the same pair: several processes whose access token has expired all sync, and the
/// session lives on.
#[tokio::test(flavor = "multi_thread")]
async fn processes_refreshing_at_once_keep_the_session() {
    let hq = team();
    let data = logged_in(&hq, "tina");
    let file = SessionFile::new(data.path());
    for round in 0..3 {
        let mut expired = session(data.path());
        expired.access_expires_at = chrono::Utc::now() - chrono::Duration::minutes(1);
        file.save(&expired).expect("save");
        let syncs: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(bin("onsite"))
                    .arg("--data")
                    .arg(data.path())
                    .arg("sync")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn onsite sync")
            })
            .collect();
        for sync in syncs {
            let out = sync.wait_with_output().expect("sync output");
            assert!(out.status.success(), "round {round}: {}", text(&out));
        }
        let now = session(data.path());
        assert_ne!(now.refresh_token, expired.refresh_token, "refreshed");
        assert!(works(&hq, &now.access_token).await, "round {round}");
    }
}
