//! What the `onsite` CLI prints of text it did not write.

use onsite_e2e::hq::HqProcess;
use onsite_e2e::onsite_ok;

/// Before, a note holding an escape sequence (an OSC that could, say, fake a "job cancelled by
/// HQ" line or a link) reached the terminal raw. Now every line the CLI prints has control and
/// direction-changing characters spelled `\uXXXX`, in the plain and the JSON output alike.
#[tokio::test(flavor = "multi_thread")]
async fn text_from_hq_cannot_drive_the_terminal() {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    let line = serde_json::json!({
        "number": "J-000001", "kind": "repair", "summary": "Boiler \u{202e}kaeL",
        "technician": "tina", "customer": {"name": "Ann"}, "site": {"address": "1 High St"},
    });
    assert!(hq.import(&format!("{line}\n")).status.success());
    let data = tempfile::tempdir().expect("tempdir");
    assert!(hq.login_cli(data.path(), "tina").status.success());
    onsite_ok(data.path(), &["sync"]);
    let note = "done\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}\r\u{1b}[2KJ-000001 cancelled by HQ";
    onsite_ok(data.path(), &["job", "note", "J-000001", note]);
    for args in [
        &["job", "show", "J-000001"][..],
        &["job", "show", "J-000001", "--json"][..],
        &["outbox"][..],
        &["jobs"][..],
    ] {
        let out = onsite_ok(data.path(), args);
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
            "{args:?} printed raw control characters: {text:?}"
        );
        if args.contains(&"--json") {
            let parsed: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
            assert!(parsed.to_string().contains("cancelled by HQ"));
        }
    }
    let shown = onsite_ok(data.path(), &["job", "show", "J-000001"]);
    let shown = String::from_utf8(shown.stdout).expect("utf-8");
    assert!(shown.contains("\\u001b]8;;https://evil.example"), "{shown}");
}
