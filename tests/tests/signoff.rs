//! The customer signs off a visit done offline: the laptop makes the report with their name
//! and drawing, keeps it under its hash, and after sync HQ holds those exact bytes; bytes that
//! do not match the hash are refused; a change after signing asks for a new signature, and
//! the earlier signed report stays.

use onsite_e2e::hq::HqProcess;
use onsite_e2e::{onsite_refused as refused, onsite_stdout as ok, pdf_text};
use onsite_protocol::cases::CaseList;
use onsite_protocol::feedback::FollowUpList;
use onsite_protocol::signoff::SignedReports;
use onsite_protocol::visit::JobVisit;
use onsite_protocol::{Change, Outcome};
use reqwest::Method;
use sha2::{Digest, Sha256};
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_report_reaches_hq_byte_for_byte_and_a_later_change_asks_for_a_new_one() {
    let mut hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("dora", "dispatcher");
    let files = tempfile::tempdir().expect("tempdir");
    let dir = files.path();
    let parts = dir.join("parts.csv");
    std::fs::write(
        &parts,
        "sku,name,unit_price,serialized,models\nHM-PCB-3,Main control board,145.00,true,\n",
    )
    .expect("write");
    assert!(
        hq.admin(&["parts", "import", path(&parts)])
            .status
            .success()
    );
    assert!(
        hq.admin(&[
            "stock",
            "issue",
            "--technician",
            "tina",
            "--sku",
            "HM-PCB-3",
            "--serial",
            "PCB-7"
        ])
        .status
        .success()
    );
    let job = r#"{"number": "J-300", "kind": "repair", "summary": "Boiler locks out", "technician": "tina", "customer": {"name": "Grace Hopper", "email": "grace@example.org"}, "site": {"address": "1 Compiler Way", "town": "York"}, "asset": {"model": "HeatMax 300 combi boiler", "serial": "HM3-9"}}"#;
    assert!(hq.import(job).status.success());
    let laptop = tempfile::tempdir().expect("tempdir");
    let a = laptop.path();
    assert!(hq.login_cli(a, "tina").status.success());
    ok(a, &["sync"]);
    hq.stop();

    // On site, offline.
    ok(a, &["job", "status", "J-300", "on_site"]);
    ok(
        a,
        &[
            "job",
            "part",
            "J-300",
            "HM-PCB-3",
            "--serial",
            "PCB-7",
            "--removed-serial",
            "PCB-OLD",
        ],
    );
    ok(a, &["job", "note", "J-300", "Replaced the control board."]);
    let drawing = dir.join("signature.png");
    std::fs::write(&drawing, onsite_report::sample::signature_png()).expect("write");
    let bad = dir.join("bad.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\nnot really").expect("write");
    let why = refused(
        a,
        &[
            "job",
            "sign",
            "J-300",
            "--signer",
            "Grace Hopper",
            "--signature",
            path(&bad),
        ],
    );
    assert!(why.contains("not a readable PNG"), "{why}");
    let why = refused(a, &["job", "sign", "J-300", "--signer", "Grace Hopper"]);
    assert!(
        why.contains("--signature") && why.contains("--typed"),
        "{why}"
    );
    let said = ok(
        a,
        &[
            "job",
            "sign",
            "J-300",
            "--signer",
            "Grace Hopper",
            "--signature",
            path(&drawing),
        ],
    );
    assert!(said.contains("report signed by Grace Hopper"), "{said}");
    let shown = ok(a, &["job", "show", "J-300"]);
    assert!(
        shown.contains("Signed:     by Grace Hopper") && !shown.contains("changed since"),
        "{shown}"
    );
    let signed = dir.join("signed.pdf");
    ok(
        a,
        &["job", "report", "J-300", "--out", path(&signed), "--signed"],
    );
    let pdf = std::fs::read(&signed).expect("read");
    let sha = hex::encode(Sha256::digest(&pdf));
    let text = pdf_text(&signed);
    for expected in [
        "J-300",
        "Main control board",
        "PCB-7",
        "PCB-OLD",
        "SIGNED BY",
        "Grace Hopper",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(!text.contains("by typing"), "drawn, not typed:\n{text}");

    // Someone sends other bytes under the report's hash: HQ refuses them and keeps nothing.
    hq.restart();
    let other = hq.dispatcher("tina").await;
    let mut tampered = pdf.clone();
    tampered[pdf.len() / 2] ^= 0x01;
    let refusal = other
        .upload(&sha, tampered)
        .await
        .expect_err("bytes that do not match their hash");
    assert!(
        refusal.to_string().contains("do not match their SHA-256"),
        "{refusal}"
    );

    // The customer rates the visit 2 with a complaint, and agrees to a call in the evening.
    let why = refused(a, &["job", "rate", "J-300", "--satisfaction", "6"]);
    assert!(why.contains("satisfaction"), "{why}");
    let said = ok(
        a,
        &[
            "job",
            "rate",
            "J-300",
            "--satisfaction",
            "2",
            "--recommend",
            "4",
            "--complaint",
            "The engineer came two hours late",
            "--call-ok",
            "--call-time",
            "evening",
        ],
    );
    assert!(said.contains("rated 2/5"), "{said}");
    ok(a, &["sync"]);
    let dora = hq.dispatcher("dora").await;
    let ops = dora.job_ops("J-300").await;
    let signoff = ops
        .ops
        .iter()
        .find(|o| matches!(o.op.change, Change::SignedOff { .. }))
        .expect("the sign-off reached HQ");
    assert_eq!(signoff.outcome, Outcome::Applied, "{:?}", signoff.message);
    let Change::SignedOff {
        report, signature, ..
    } = &signoff.op.change
    else {
        unreachable!()
    };
    assert_eq!(
        report.sha256, sha,
        "the op names the bytes the customer signed"
    );
    assert!(signature.is_some(), "drawn");
    let view = dora.job("J-300").await;
    let (headers, served) = dora
        .download(&format!("/jobs/{}/report", view.job.id))
        .await
        .expect("the signed report");
    assert_eq!(hex::encode(Sha256::digest(&served)), sha);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-onsite-changed-since-signed"], "false");

    // HQ opened a complaint from the rating and owes the customer an evening call.
    let complaints: CaseList = dora
        .call(
            Method::GET,
            &format!("/complaints?job_id={}", view.job.id),
            None::<&()>,
        )
        .await;
    assert_eq!(complaints.cases.len(), 1);
    assert_eq!(
        complaints.cases[0].subject,
        "The engineer came two hours late"
    );
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let calls: FollowUpList = dora
        .call(Method::GET, &format!("/follow-ups?due={due}"), None::<&()>)
        .await;
    let call = calls
        .follow_ups
        .iter()
        .find(|f| f.job_id == view.job.id)
        .expect("a follow-up call");
    assert_eq!(call.case_id, Some(complaints.cases[0].id));
    assert_eq!(
        call.call_time,
        Some(onsite_protocol::signoff::CallTime::Evening)
    );

    // A change the report shows, after signing: sign again; the first report stays.
    ok(a, &["job", "note", "J-300", "Also bled the radiators."]);
    let shown = ok(a, &["job", "show", "J-300"]);
    assert!(shown.contains("changed since signed"), "{shown}");
    ok(
        a,
        &[
            "job",
            "sign",
            "J-300",
            "--signer",
            "Grace Hopper",
            "--typed",
        ],
    );
    ok(a, &["sync"]);
    let reports: SignedReports = dora
        .call(
            Method::GET,
            &format!("/jobs/{}/reports", view.job.id),
            None::<&()>,
        )
        .await;
    assert_eq!(reports.reports.len(), 2);
    assert!(!reports.reports[0].changed_since && reports.reports[0].signature.is_none());
    assert!(reports.reports[1].changed_since);
    assert_eq!(
        reports.reports[1].report.sha256, sha,
        "the earlier one is kept"
    );
    let (_, latest) = dora
        .download(&format!("/jobs/{}/report", view.job.id))
        .await
        .expect("the latest signed report");
    assert_eq!(
        hex::encode(Sha256::digest(&latest)),
        reports.reports[0].report.sha256
    );
    let visit: JobVisit = dora
        .call(
            Method::GET,
            &format!("/jobs/{}/visit", view.job.id),
            None::<&()>,
        )
        .await;
    assert_eq!(visit.record.signoffs.len(), 2);
}
