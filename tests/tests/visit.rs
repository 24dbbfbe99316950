//! The whole after-sales visit through the real binaries, with HQ stopped while the technician
//! works: checklist answers (a wrong one refused, a reading out of range flagged), completion
//! blocked until the checklist is done, parts from the van, a warranty decision with its rule;
//! then HQ returns and holds it all once — van stock reduced, the replaced unit's serial on the
//! asset — and the technician's second laptop sees it. A decision made on facts HQ has since
//! corrected becomes a conflict, and a checklist changed at HQ mid-visit leaves the started
//! job on its version.

use onsite_e2e::hq::HqProcess;
use onsite_e2e::{onsite_refused as refused, onsite_run as onsite, onsite_stdout as ok, pdf_text};
use onsite_protocol::api::JobView;
use onsite_protocol::stock::VanStock;
use onsite_protocol::visit::{JobVisit, PartsRequestList};
use onsite_protocol::{Outcome, Reason};
use reqwest::Method;
use std::path::Path;

fn admin_ok(hq: &HqProcess, args: &[&str]) {
    let out = hq.admin(args);
    assert!(
        out.status.success(),
        "onsite-hq {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a file");
    path.to_str().expect("utf-8 path").to_string()
}

const MODEL: &str = "HeatMax 300 combi boiler";

fn checklist(version: u32, extra: &str) -> String {
    format!(
        r#"[{{"key":"boiler-repair","version":{version},"title":"Boiler repair","kinds":["repair"],
        "models":["{MODEL}"],"items":[
        {{"key":"earth","label":"Earth continuity tested","type":"yes_no","required":true}},
        {{"key":"pressure","label":"System pressure","type":"number","unit":"bar","min":1.0,"max":2.5,"required":true}}
        {extra}]}}]"#
    )
}

/// A repair job for tina on a HeatMax bought on `purchased`, scheduled at noon today.
fn job(number: &str, serial: &str, purchased: chrono::NaiveDate) -> String {
    let noon = chrono::Local::now()
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
        .expect("noon today")
        .to_utc()
        .to_rfc3339();
    format!(
        r#"{{"number": "{number}", "kind": "repair", "summary": "No hot water", "technician": "tina", "scheduled_start": "{noon}", "customer": {{"name": "Ada Lovelace", "phone": "0113 496 0000"}}, "site": {{"address": "12 Analytical Row", "town": "Leeds"}}, "asset": {{"model": "{MODEL}", "serial": "{serial}", "purchased_on": "{purchased}"}}}}"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offline_visit_reaches_hq_once_with_its_stock_serial_and_decision() {
    let mut hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("dora", "dispatcher");
    let files = tempfile::tempdir().expect("tempdir");
    let dir = files.path();
    let parts = write(
        dir,
        "parts.csv",
        "sku,name,unit_price,serialized,models\n\
         HM-PCB-3,Main control board,145.00,true,HeatMax 300 combi boiler\n\
         SEAL-22,Pump seal,3.20,false,\n",
    );
    admin_ok(&hq, &["parts", "import", &parts]);
    admin_ok(
        &hq,
        &[
            "checklists",
            "import",
            &write(dir, "c1.json", &checklist(1, "")),
        ],
    );
    let policy = format!(
        r#"[{{"model":"{MODEL}","version":1,"from":"purchase","return_days":7,"replace_days":15,
        "repair_months":24,"max_repairs":2,"excluded_faults":["misuse"]}}]"#
    );
    admin_ok(&hq, &["warranty", "import", &write(dir, "w.json", &policy)]);
    admin_ok(
        &hq,
        &[
            "letterhead",
            "set",
            "--name",
            "Northwind Home Services",
            "--line",
            "14 Mill Lane, Leeds",
        ],
    );
    admin_ok(
        &hq,
        &[
            "stock",
            "issue",
            "--technician",
            "tina",
            "--sku",
            "SEAL-22",
            "--qty",
            "5",
        ],
    );
    admin_ok(
        &hq,
        &[
            "stock",
            "issue",
            "--technician",
            "tina",
            "--sku",
            "HM-PCB-3",
            "--serial",
            "PCB-1",
        ],
    );
    let today = chrono::Local::now().date_naive();
    let bought = today - chrono::Days::new(3);
    let jobs = [
        job("J-200", "HM3-OLD", bought),
        job("J-201", "HM3-TWO", bought),
    ]
    .join("\n");
    assert!(hq.import(&jobs).status.success());

    let laptops = tempfile::tempdir().expect("tempdir");
    let a = laptops.path().join("a");
    assert!(hq.login_cli(&a, "tina").status.success());
    ok(&a, &["sync"]);
    // Before leaving: the day can be worked offline.
    let ready: serde_json::Value =
        serde_json::from_str(&ok(&a, &["ready", "--json"])).expect("json");
    assert_eq!(ready["ready"], true, "{ready}");
    assert_eq!(ready["jobs"].as_array().map(Vec::len), Some(2), "{ready}");
    assert_eq!(ready["jobs"][0]["checklists"], 1);
    assert!(
        ready["missing_parts"].as_array().is_some_and(Vec::is_empty),
        "the board that fits is in the van: {ready}"
    );
    hq.stop();

    // On site with HQ away.
    ok(&a, &["job", "status", "J-200", "en_route"]);
    ok(&a, &["job", "status", "J-200", "on_site"]);
    let list = ok(&a, &["job", "checklist", "J-200"]);
    assert!(
        list.contains("Boiler repair (boiler-repair@1, kept since work started)")
            && list.contains("Completion waits for: earth, pressure"),
        "{list}"
    );
    let blocked = refused(&a, &["job", "status", "J-200", "completed"]);
    assert!(
        blocked.contains("cannot be completed yet: answer boiler-repair.earth"),
        "{blocked}"
    );
    let wrong = refused(&a, &["job", "answer", "J-200", "earth", "maybe"]);
    assert!(wrong.contains("takes yes or no"), "{wrong}");
    ok(&a, &["job", "answer", "J-200", "earth", "yes"]);
    ok(&a, &["job", "answer", "J-200", "pressure", "0,6"]);
    let list = ok(&a, &["job", "checklist", "J-200"]);
    assert!(list.contains("0.6 bar  (out of range)"), "{list}");
    let unknown = refused(&a, &["job", "part", "J-200", "NOPE-1"]);
    assert!(unknown.contains("no part \"NOPE-1\""), "{unknown}");
    let unserialed = refused(&a, &["job", "part", "J-200", "HM-PCB-3"]);
    assert!(
        unserialed.contains("give the unit's serial"),
        "{unserialed}"
    );
    ok(
        &a,
        &[
            "job",
            "part",
            "J-200",
            "HM-PCB-3",
            "--serial",
            "PCB-1",
            "--removed-serial",
            "PCB-OLD",
        ],
    );
    ok(&a, &["job", "part", "J-200", "SEAL-22", "--qty", "2"]);
    let stock = ok(&a, &["stock"]);
    let line = |sku: &str| {
        stock
            .lines()
            .find(|l| l.starts_with(sku))
            .map(str::trim_end)
    };
    assert!(
        line("SEAL-22").is_some_and(|l| l.ends_with(" 3"))
            && line("HM-PCB-3").is_some_and(|l| l.ends_with(" 0"))
            && stock.contains("3 unit(s) used on this laptop"),
        "{stock}"
    );
    let options = ok(&a, &["job", "warranty", "J-200", "--fault", "performance"]);
    assert!(
        options.contains("return") && options.contains("replace") && options.contains("day 3"),
        "{options}"
    );
    let not_allowed = refused(
        &a,
        &[
            "job",
            "decide",
            "J-200",
            "chargeable",
            "--fault",
            "performance",
        ],
    );
    assert!(
        not_allowed.contains("chargeable is not allowed") && not_allowed.contains("replace"),
        "{not_allowed}"
    );
    ok(
        &a,
        &[
            "job",
            "decide",
            "J-200",
            "replace",
            "--fault",
            "performance",
            "--replacement-serial",
            "HM3-NEW",
            "--note",
            "Heat exchanger cracked",
        ],
    );
    ok(&a, &["job", "status", "J-200", "completed"]);
    let not_ready = onsite(&a, &["ready"]);
    assert!(!not_ready.status.success());
    let said = String::from_utf8_lossy(&not_ready.stdout);
    assert!(
        said.contains("wait to reach HQ: sync before leaving"),
        "{said}"
    );
    let shown = ok(&a, &["job", "show", "J-200"]);
    assert!(
        shown.contains("serial HM3-NEW") && shown.contains("Return ref: RMA-J-200-"),
        "{shown}"
    );
    // The service report, made with HQ away: what a customer reads, copied out of the PDF.
    let pdf = dir.join("J-200.pdf");
    ok(
        &a,
        &[
            "job",
            "report",
            "J-200",
            "--out",
            pdf.to_str().expect("utf-8 path"),
        ],
    );
    let text = pdf_text(&pdf);
    for expected in [
        "Northwind Home Services",
        "14 Mill Lane, Leeds",
        "J-200",
        "Ada Lovelace",
        "HeatMax 300 combi boiler",
        "Main control board (HM-PCB-3)",
        "PCB-1",
        "PCB-OLD",
        "Pump seal (SEAL-22)",
        "0.6 bar (out of range)",
        "Replacement of the unit",
        "within the 7-day return period (day 3 since purchase",
        "Decided under warranty policy version 1.",
        "Tina", // the technician by name
        "In warranty until",
        "New unit's serial: HM3-NEW",
        "Heat exchanger cracked",
        "Not signed yet",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the report:\n{text}"
        );
    }

    // HQ returns: everything arrives once.
    hq.restart();
    ok(&a, &["sync"]);
    ok(&a, &["sync"]);
    let dora = hq.dispatcher("dora").await;
    let view: JobView = dora
        .call(Method::GET, "/jobs/by-number/J-200", None::<&()>)
        .await;
    assert_eq!(view.job.status, onsite_protocol::JobStatus::Completed);
    assert_eq!(
        view.asset.as_ref().and_then(|a| a.serial.as_deref()),
        Some("HM3-NEW")
    );
    let ops = dora.job_ops("J-200").await;
    assert!(
        ops.ops.iter().all(|o| o.outcome == Outcome::Applied),
        "{:?}",
        ops.ops
            .iter()
            .map(|o| (o.op.change.kind(), o.outcome, &o.message))
            .collect::<Vec<_>>()
    );
    assert!(
        ops.replaced
            .iter()
            .any(|r| r.value.as_deref() == Some("HM3-OLD"))
    );
    let visit: JobVisit = dora
        .call(
            Method::GET,
            &format!("/jobs/{}/visit", view.job.id),
            None::<&()>,
        )
        .await;
    assert_eq!(visit.record.answers.len(), 2);
    assert_eq!(visit.out_of_range.len(), 1);
    assert!(visit.missing.is_empty());
    assert_eq!(visit.record.parts.len(), 2);
    let decision = visit.record.decision().expect("a decision");
    assert_eq!(decision.remedy.as_str(), "replace");
    assert!(
        decision
            .return_ref
            .as_deref()
            .is_some_and(|r| r.starts_with("RMA-J-200-"))
    );
    let van: VanStock = dora
        .call(Method::GET, "/stock?technician=tina", None::<&()>)
        .await;
    let held = |sku: &str| van.balances.iter().find(|b| b.sku == sku).map(|b| b.qty);
    assert_eq!((held("SEAL-22"), held("HM-PCB-3")), (Some(3), None));
    let stock = ok(&a, &["stock"]);
    assert!(!stock.contains("wait to reach HQ"), "{stock}");

    // Tina's second laptop sees the visit.
    let b = laptops.path().join("b");
    assert!(hq.login_cli(&b, "tina").status.success());
    ok(&b, &["sync"]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&b, &["job", "show", "J-200", "--json"])).expect("json");
    assert_eq!(json["visit"]["parts"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["visit"]["decisions"][0]["remedy"], "replace");
    assert_eq!(
        json["visit"]["checklist"]["missing"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    // J-201: work starts on laptop A, then HQ corrects the purchase date to a year earlier
    // and imports a new checklist version with one more required item.
    ok(&a, &["job", "status", "J-201", "on_site"]);
    ok(&a, &["job", "request", "J-201", "SEAL-22", "--qty", "4"]);
    ok(&a, &["sync"]);
    let requests: PartsRequestList = dora.call(Method::GET, "/parts-requests", None::<&()>).await;
    let asked: Vec<_> = requests
        .requests
        .iter()
        .map(|r| (r.job_number.as_str(), r.qty))
        .collect();
    assert_eq!(asked, [("J-201", 4)]);
    // The dispatcher puts four seals into Tina's van: the request is filled, and the laptop
    // says so after its next sync.
    let issued: onsite_protocol::stock::StockIssued = dora
        .call(
            Method::POST,
            "/stock/issue",
            Some(&serde_json::json!({"technician": "tina", "sku": "SEAL-22", "qty": 4})),
        )
        .await;
    assert_eq!((issued.balance, issued.fills.len()), (7, 1));
    ok(&a, &["sync"]);
    let shown = ok(&a, &["job", "show", "J-201"]);
    assert!(
        shown.contains("Requested:   4 × SEAL-22, filled") && shown.contains("put into tina's van"),
        "{shown}"
    );
    let requests: PartsRequestList = dora.call(Method::GET, "/parts-requests", None::<&()>).await;
    assert!(requests.requests.is_empty(), "filled");
    assert!(
        hq.import(&job("J-201", "HM3-TWO", today - chrono::Days::new(400)))
            .status
            .success()
    );
    let v2 = checklist(
        2,
        r#",{"key":"flue","label":"Flue gas analysed","type":"yes_no","required":true}"#,
    );
    admin_ok(&hq, &["checklists", "import", &write(dir, "c2.json", &v2)]);
    // The laptop decides before it hears of either (offline), on the facts it held.
    ok(
        &a,
        &[
            "job",
            "decide",
            "J-201",
            "replace",
            "--fault",
            "performance",
            "--replacement-serial",
            "HM3-3",
        ],
    );
    ok(&a, &["job", "answer", "J-201", "earth", "yes"]);
    ok(&a, &["job", "answer", "J-201", "pressure", "1.5"]);
    ok(&a, &["job", "status", "J-201", "completed"]);
    ok(&a, &["sync"]);
    let ops = dora.job_ops("J-201").await;
    let decided = ops
        .ops
        .iter()
        .find(|o| o.op.change.kind() == onsite_protocol::OpKind::WarrantyDecided)
        .expect("the decision reached HQ");
    assert_eq!(
        (decided.outcome, decided.reason),
        (Outcome::Conflict, Some(Reason::WarrantyMismatch))
    );
    assert!(
        decided
            .message
            .as_deref()
            .is_some_and(|m| m.contains("purchase date")),
        "{:?}",
        decided.message
    );
    let conflicts = dora.conflicts().await;
    assert!(conflicts.iter().any(|c| c.job_number == "J-201"));
    let view: JobView = dora
        .call(Method::GET, "/jobs/by-number/J-201", None::<&()>)
        .await;
    assert_eq!(
        view.job.status,
        onsite_protocol::JobStatus::Completed,
        "version 1 kept: the new flue item does not block the started job"
    );
    assert_eq!(
        view.asset.and_then(|a| a.serial).as_deref(),
        Some("HM3-TWO")
    );
    let visit: JobVisit = dora
        .call(
            Method::GET,
            &format!("/jobs/{}/visit", view.job.id),
            None::<&()>,
        )
        .await;
    assert_eq!(visit.checklists[0].version, 1);
    let requests: PartsRequestList = dora.call(Method::GET, "/parts-requests", None::<&()>).await;
    assert!(requests.requests.is_empty(), "J-201 is completed");
    let shown = ok(&a, &["job", "show", "J-201"]);
    assert!(shown.contains("conflict"), "{shown}");
}

/// One batch pushed raw over HTTPS, as a laptop with a bug (or an old version) might send it:
/// an answer of the wrong type, a part not in the catalog, a remedy that does not exist. Each
/// is refused with its code, and every good op beside them is kept; the same batch again
/// changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn bad_visit_input_is_refused_by_code_and_the_rest_of_the_batch_kept() {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("dora", "dispatcher");
    let files = tempfile::tempdir().expect("tempdir");
    let dir = files.path();
    let parts = "sku,name,unit_price,serialized,models\nSEAL-22,Pump seal,3.20,false,\n";
    admin_ok(&hq, &["parts", "import", &write(dir, "parts.csv", parts)]);
    let checklists = write(dir, "c1.json", &checklist(1, ""));
    admin_ok(&hq, &["checklists", "import", &checklists]);
    let bought = chrono::Local::now().date_naive() - chrono::Days::new(3);
    assert!(hq.import(&job("J-300", "HM3-300", bought)).status.success());
    let dora = hq.dispatcher("dora").await;
    let view: JobView = dora
        .call(Method::GET, "/jobs/by-number/J-300", None::<&()>)
        .await;

    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = onsite_core::hq_client::tls::client_config(Some(hq.pin()), Default::default());
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .build()
        .expect("client");
    let device = onsite_protocol::DeviceId::new();
    let tokens: serde_json::Value = client
        .post(format!("{}/api/v1/auth/login", hq.url))
        .json(
            &serde_json::json!({"username": "tina", "password": onsite_e2e::PASSWORD,
            "device_id": device}),
        )
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("tokens");
    let token = tokens["access_token"]
        .as_str()
        .expect("a token")
        .to_string();
    let mut wall = chrono::Utc::now().timestamp_millis();
    let mut op = |change: serde_json::Value| {
        wall += 1;
        let mut op = serde_json::json!({"op_id": onsite_protocol::OpId::new(),
            "device_id": device, "job_id": view.job.id,
            "hlc": format!("{wall:015}-{:010}-{device}", 0)});
        if let (Some(op), Some(change)) = (op.as_object_mut(), change.as_object()) {
            op.extend(change.clone());
        }
        op
    };
    let v1 = serde_json::json!({"key": "boiler-repair", "version": 1});
    let facts = serde_json::json!({"purchased_on": bought, "installed_on": null,
        "warranty_until": null, "prior_repairs": 0});
    let batch = serde_json::json!({"ops": [
        op(serde_json::json!({"kind": "status", "to": "on_site"})),
        op(serde_json::json!({"kind": "checklist_answer", "template": v1, "item": "earth",
            "value": 7})),
        op(serde_json::json!({"kind": "checklist_answer", "template": v1, "item": "earth",
            "value": true})),
        op(serde_json::json!({"kind": "part_used", "sku": "NOPE-1", "qty": 1})),
        op(serde_json::json!({"kind": "part_used", "sku": "SEAL-22", "qty": 2})),
        op(serde_json::json!({"kind": "warranty_decided", "fault": "performance",
            "remedy": "discount", "rule": "return_period", "policy_version": 1,
            "facts": facts, "visit_on": chrono::Local::now().date_naive()})),
        op(serde_json::json!({"kind": "note", "text": "Seal replaced, pressure restored"})),
    ]});
    let push = || async {
        let res = client
            .post(format!("{}/api/v1/sync/push", hq.url))
            .bearer_auth(&token)
            .json(&batch)
            .send()
            .await
            .expect("push");
        assert_eq!(res.status(), 200);
        let body: onsite_protocol::push::PushResponse = res.json().await.expect("results");
        body.results
            .iter()
            .map(|r| (r.settled(), r.reason))
            .collect::<Vec<_>>()
    };
    let first = push().await;
    assert_eq!(
        first,
        [
            (Outcome::Applied, None),
            (Outcome::Rejected, Some(Reason::InvalidValue)),
            (Outcome::Applied, None),
            (Outcome::Rejected, Some(Reason::UnknownPart)),
            (Outcome::Applied, None),
            (Outcome::Rejected, Some(Reason::MalformedOp)),
            (Outcome::Applied, None),
        ]
    );
    assert_eq!(
        push().await,
        first,
        "the same batch again is answered as the first time"
    );
    let visit: JobVisit = dora
        .call(
            Method::GET,
            &format!("/jobs/{}/visit", view.job.id),
            None::<&()>,
        )
        .await;
    let parts: Vec<_> = visit
        .record
        .parts
        .iter()
        .map(|p| (p.sku.as_str(), p.qty))
        .collect();
    assert_eq!(parts, [("SEAL-22", 2)]);
    assert_eq!(visit.record.answers.len(), 1);
    assert!(visit.record.decisions.is_empty());
    // Every op is kept with its outcome: those HQ could read on the job, the one it could
    // not (no such remedy) in its log of everything received.
    let ops = dora.job_ops("J-300").await;
    let refused: Vec<_> = ops
        .ops
        .iter()
        .filter(|o| o.outcome == Outcome::Rejected)
        .map(|o| o.message.clone().unwrap_or_default())
        .collect();
    assert_eq!(ops.ops.len(), 6);
    assert!(
        refused.len() == 2
            && refused[0].ends_with("\"Earth continuity tested\" takes yes or no")
            && refused[1].ends_with("HQ's parts catalog has no \"NOPE-1\""),
        "{refused:?}"
    );
    let received = dora.received_ops().await;
    let unread: Vec<_> = received
        .iter()
        .filter(|o| o.reason == Some(Reason::MalformedOp))
        .map(|o| o.body["remedy"].clone())
        .collect();
    assert_eq!(unread, ["discount"], "kept exactly as received");
}

/// A chargeable repair priced offline from HQ's lists: the parts at their catalog price, the
/// call-out and the work time by started quarter hour from the labour prices an admin set,
/// which reached the laptop with its sync. Bad prices and settings are refused and change
/// nothing.
#[tokio::test]
async fn a_chargeable_repair_is_priced_from_hqs_labour_prices_offline() {
    let mut hq = HqProcess::start();
    hq.add_user("tina", "technician");
    let files = tempfile::tempdir().expect("tempdir");
    let dir = files.path();
    let parts = write(
        dir,
        "parts.csv",
        "sku,name,unit_price,serialized,models\nSEAL-22,Pump seal,3.20,false,\n",
    );
    admin_ok(&hq, &["parts", "import", &parts]);
    let policy = format!(
        r#"[{{"model":"{MODEL}","version":1,"from":"purchase","return_days":7,"replace_days":15,
        "repair_months":24,"max_repairs":2,"excluded_faults":[]}}]"#
    );
    admin_ok(&hq, &["warranty", "import", &write(dir, "w.json", &policy)]);
    let shown = |args: &[&str]| String::from_utf8_lossy(&hq.admin(args).stdout).into_owned();
    assert!(shown(&["labour", "show"]).contains("no labour prices set"));
    for (args, words) in [
        (
            vec!["labour", "set", "--call-out", "45.555", "--per-hour", "60"],
            "more than two decimals",
        ),
        (
            vec!["labour", "set", "--call-out", "45", "--per-hour", "-60"],
            "per-hour",
        ),
        (
            vec![
                "labour",
                "set",
                "--call-out",
                "45",
                "--per-hour",
                "60",
                "--increment",
                "0",
            ],
            "increment",
        ),
        (
            vec!["settings", "set", "--follow-up-days", "91"],
            "follow-up-days",
        ),
    ] {
        let out = hq.admin(&args);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && said.contains(words),
            "{args:?}: {said}"
        );
    }
    assert!(shown(&["labour", "show"]).contains("no labour prices set"));
    admin_ok(
        &hq,
        &["labour", "set", "--call-out", "45", "--per-hour", "60"],
    );
    assert_eq!(
        shown(&["labour", "show"]).trim(),
        "call-out 45.00, per hour 60.00, by started 15 min"
    );
    assert!(shown(&["settings", "show"]).contains("follow-up calls 3 days after"));
    admin_ok(&hq, &["settings", "set", "--follow-up-days", "5"]);
    assert!(shown(&["settings", "show"]).contains("follow-up calls 5 days after"));
    admin_ok(
        &hq,
        &[
            "stock",
            "issue",
            "--technician",
            "tina",
            "--sku",
            "SEAL-22",
            "--qty",
            "5",
        ],
    );
    let long_ago = chrono::Local::now().date_naive() - chrono::Days::new(5 * 365);
    assert!(
        hq.import(&job("J-300", "HM3-AGED", long_ago))
            .status
            .success()
    );
    let laptops = tempfile::tempdir().expect("tempdir");
    let a = laptops.path().join("a");
    assert!(hq.login_cli(&a, "tina").status.success());
    ok(&a, &["sync"]);
    hq.stop();

    ok(&a, &["job", "status", "J-300", "on_site"]);
    ok(&a, &["job", "work", "J-300", "start"]);
    // Work time is whole seconds: a second or more is one started quarter hour.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    ok(&a, &["job", "work", "J-300", "stop"]);
    ok(&a, &["job", "part", "J-300", "SEAL-22", "--qty", "2"]);
    ok(
        &a,
        &[
            "job",
            "decide",
            "J-300",
            "chargeable",
            "--fault",
            "performance",
        ],
    );
    let pdf = dir.join("J-300.pdf");
    ok(
        &a,
        &[
            "job",
            "report",
            "J-300",
            "--out",
            pdf.to_str().expect("utf-8 path"),
        ],
    );
    let text = pdf_text(&pdf);
    let charges = text
        .split_once("CHARGES")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no charges in the report:\n{text}"));
    let mut at = 0;
    for expected in [
        "2 × Pump seal",
        "£6.40",
        "Call-out",
        "£45.00",
        "Labour, 15 min at £60.00 an hour",
        "£15.00",
        "Total",
        "£66.40",
    ] {
        let found = charges[at..]
            .find(expected)
            .unwrap_or_else(|| panic!("{expected:?} not in order in the charges:\n{charges}"));
        at += found + expected.len();
    }
}
