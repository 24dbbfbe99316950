//! Schemathesis, an API tester nobody here wrote, against a real HQ over HTTPS with the demo
//! data, from HQ's own OpenAPI description: as a technician and as a dispatcher, HQ never
//! answers a 5xx, every answer matches the description (status, content type, headers, body
//! schema), HQ accepts what the description allows and refuses what it does not, and HQ is
//! still healthy afterwards.
//!
//! Short by default; soak: `ONSITE_SCHEMATHESIS_EXAMPLES=500 cargo test -p onsite-e2e --test
//! schemathesis -- --nocapture` (`ONSITE_SCHEMATHESIS_SEED` replays a run).

use onsite_e2e::hq::HqProcess;
use std::process::Command;

fn examples() -> String {
    std::env::var("ONSITE_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "15".into())
}

fn seed() -> String {
    std::env::var("ONSITE_SCHEMATHESIS_SEED").unwrap_or_else(|_| "20261202".into())
}

async fn token(hq: &HqProcess, username: &str) -> String {
    let client = onsite_core::hq_client::HqClient::new(&hq.url, Some(hq.pin())).expect("client");
    client
        .login(
            username,
            onsite_hq::demo::PASSWORD,
            onsite_protocol::DeviceId::new(),
        )
        .await
        .expect("log in")
        .access_token
}

fn schemathesis(hq: &HqProcess, token: &str) -> (bool, String) {
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/schemathesis.toml");
    let out = Command::new("schemathesis")
        .args(["--config-file", config])
        .args(["run", &format!("{}/api/v1/openapi.json", hq.url)])
        // The checks are named in the config file.
        .args(["--tls-verify", "false"])
        .args(["--max-examples", &examples(), "--seed", &seed()])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        // Its stateful phase would log the token it was given out, and test nothing after.
        .args(["--exclude-path", "/api/v1/auth/logout"])
        // An event stream answers for minutes by design: a test of it has nothing to wait for.
        .args(["--exclude-path", "/api/v1/events"])
        .env("NO_COLOR", "1")
        .output()
        .expect("schemathesis is installed (scripts/lib/install.sh: need_schemathesis)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn hq_answers_schemathesis_as_its_description_says() {
    let hq = HqProcess::start();
    hq.seed_demo();
    // Both log in first: a run's wrong-password logins would get a later login from this
    // address throttled.
    let mut tokens = Vec::new();
    for username in ["tina", "dora"] {
        tokens.push((username, token(&hq, username).await));
    }
    for (username, token) in tokens {
        let (passed, report) = schemathesis(&hq, &token);
        let summary: String = report
            .lines()
            .filter(|l| l.contains("generated") || l.contains("passed") || l.contains("failures"))
            .collect::<Vec<_>>()
            .join("\n");
        println!("schemathesis as {username}:\n{summary}");
        assert!(passed, "as {username}:\n{report}");
        assert!(!report.contains("Server error"), "as {username}:\n{report}");
        // Operations answered only 401 mean the token ran out (15 minutes) and tested nothing.
        assert!(
            !report.contains("401 Unauthorized ("),
            "as {username}, the token expired during the run; ask for fewer examples:\n{report}"
        );
    }
    let client = onsite_core::hq_client::HqClient::new(&hq.url, Some(hq.pin())).expect("client");
    let health = client.health().await.expect("HQ still answers");
    assert_eq!(health.status, "ok");
}
