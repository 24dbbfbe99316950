//! Conformance case for the visit record: answers checked against the pinned version, parts
//! used taken out of the van (and put back by a void), a replacement's serial on the asset,
//! a decision on stale facts kept as a conflict, and completion waiting for the checklist.

use super::*;
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::part::Part;
use onsite_protocol::warranty::WarrantyPolicy;
use onsite_protocol::{Outcome, Reason};

fn template(version: u32) -> ChecklistTemplate {
    serde_json::from_value(
        json!({"key": "service", "version": version, "title": "Service",
        "kinds": ["maintenance"], "items": [
        {"key": "earth", "label": "Earth tested", "type": "yes_no", "required": true},
        {"key": "pressure", "label": "Pressure", "type": "number", "unit": "bar",
         "min": 1.0, "max": 2.5, "required": version == 1}]}),
    )
    .unwrap()
}

fn policy() -> WarrantyPolicy {
    serde_json::from_value(
        json!({"model": "HeatMax 300", "version": 1, "from": "purchase",
        "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2}),
    )
    .unwrap()
}

/// What HQ made of each op of a pushed batch, in order.
async fn outcomes(
    s: &dyn Storage,
    pusher: &Pusher,
    batch: &[serde_json::Value],
    now: chrono::DateTime<Utc>,
) -> Vec<(Outcome, Option<Reason>)> {
    let pushed = s.push(pusher, batch, &BlobSizes::new(), now).await.unwrap();
    pushed
        .results
        .iter()
        .map(|r| (r.outcome, r.reason))
        .collect()
}

/// Conformance case.
pub async fn a_visit_is_judged_on_hqs_reference_data_and_moves_van_stock(s: &dyn Storage) {
    let part = |sku: &str, serialized| Part {
        sku: sku.into(),
        name: format!("Part {sku}"),
        unit_price_cents: 900,
        serialized,
        models: vec![],
    };
    s.import_parts(&[(2, part("SEAL", false)), (3, part("UNIT", true))])
        .await
        .unwrap();
    s.import_checklists(&[(1, template(1))]).await.unwrap();
    s.import_warranty(&[(1, policy())]).await.unwrap();
    let now = Utc::now();
    s.issue_stock("tina", "SEAL", &StockIssue::Qty(2), "admin", now)
        .await
        .unwrap();
    let mut input = super::job("J-1", Some("tina"), "1");
    input["asset"]["purchased_on"] = json!((now.date_naive() - chrono::Days::new(3)).to_string());
    let (_, input) = super::line(2, input);
    let view = s.create_job(&input, now).await.unwrap();
    let device = DeviceId::new();
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    let mut wall = 0;
    let mut op = |body: serde_json::Value| {
        wall += 1;
        let mut op = json!({"op_id": onsite_protocol::OpId::new(), "device_id": device,
            "job_id": view.job.id, "hlc": format!("{:015}-{:010}-{device}", wall, 0)});
        op.as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        op
    };
    let v1 = json!({"key": "service", "version": 1});
    let today = now.date_naive().to_string();
    let facts = json!({"purchased_on": (now.date_naive() - chrono::Days::new(3)).to_string(),
        "installed_on": null, "warranty_until": null, "prior_repairs": 0});
    let seal_use = op(json!({"kind": "part_used", "sku": "SEAL", "qty": 3}));
    let batch = vec![
        op(json!({"kind": "checklist_pinned", "templates": [v1]})),
        op(json!({"kind": "status", "to": "on_site"})),
        op(json!({"kind": "checklist_answer", "template": v1, "item": "earth", "value": 7})),
        op(json!({"kind": "checklist_answer", "template": v1, "item": "earth", "value": true})),
        op(json!({"kind": "part_used", "sku": "NOPE", "qty": 1})),
        seal_use.clone(),
        op(json!({"kind": "part_used", "sku": "UNIT", "qty": 1, "serial": "U-9"})),
        op(json!({"kind": "voided", "voids": seal_use["op_id"]})),
        op(json!({"kind": "parts_requested", "sku": "SEAL", "qty": 2, "note": "next visit"})),
        op(json!({"kind": "parts_requested", "sku": "GHOST", "qty": 1})),
        op(
            json!({"kind": "warranty_decided", "fault": "performance", "remedy": "replace",
            "rule": "return_period", "policy_version": 1, "facts": facts, "visit_on": today,
            "replacement_serial": "HM3-NEW", "return_ref": "RMA-J-1-ABCDEF"}),
        ),
        op(
            json!({"kind": "warranty_decided", "fault": "performance", "remedy": "discount",
            "rule": "return_period", "policy_version": 1, "facts": facts, "visit_on": today}),
        ),
        op(json!({"kind": "status", "to": "completed"})),
    ];
    let got = outcomes(s, &pusher, &batch, now).await;
    use Outcome::*;
    assert_eq!(
        got,
        [
            (Applied, None),
            (Applied, None),
            (Rejected, Some(Reason::InvalidValue)),
            (Applied, None),
            (Rejected, Some(Reason::UnknownPart)),
            (Applied, None),
            (Applied, None),
            (Applied, None),
            (Applied, None),
            (Rejected, Some(Reason::UnknownPart)),
            (Applied, None),
            (Rejected, Some(Reason::MalformedOp)),
            // The pressure reading is required and missing.
            (Conflict, Some(Reason::ChecklistIncomplete)),
        ]
    );
    // Van: 2 seals issued, 3 used, the use voided; the unit used though never issued.
    let van = s.van_stock("tina", None, 50).await.unwrap();
    let balance = |sku: &str| van.balances.iter().find(|b| b.sku == sku).map(|b| b.qty);
    assert_eq!((balance("SEAL"), balance("UNIT")), (Some(2), Some(-1)));
    let kinds: Vec<_> = van.moves.iter().map(|m| (m.kind.as_str(), m.qty)).collect();
    assert_eq!(kinds[..3], [("voided", 3), ("used", -1), ("used", -3)]);
    // The replacement's serial is the asset's now; the old one is in the history.
    let job = s.job(view.job.id).await.unwrap();
    assert_eq!(job.asset.unwrap().serial.as_deref(), Some("HM3-NEW"));
    let replaced = s.job_ops(view.job.id, None, 100).await.unwrap().replaced;
    assert!(
        replaced
            .iter()
            .any(|r| r.value.as_deref() == Some("HM3-42"))
    );
    let visit = s.job_visit(view.job.id).await.unwrap();
    assert_eq!(visit.checklists.len(), 1);
    assert_eq!(visit.missing.len(), 1, "{:?}", visit.missing);
    assert_eq!(visit.record.decision().unwrap().remedy.as_str(), "replace");
    assert!(visit.record.parts[0].voided && !visit.record.parts[1].voided);
    let open = s.parts_requests(None, 10).await.unwrap().requests;
    let listed: Vec<_> = open
        .iter()
        .map(|r| {
            (
                r.sku.as_str(),
                r.qty,
                r.name.as_deref(),
                r.technician.as_str(),
            )
        })
        .collect();
    assert_eq!(listed, [("SEAL", 2, Some("Part SEAL"), "tina")]);

    // A newer version at HQ leaves the started job on its own: an answer to the newer one
    // is kept but does not count for the job, and a later pin changes nothing.
    s.import_checklists(&[(1, template(2))]).await.unwrap();
    let later = vec![
        op(
            json!({"kind": "checklist_answer", "template": {"key": "service", "version": 2},
            "item": "earth", "value": true}),
        ),
        op(json!({"kind": "checklist_answer", "template": v1, "item": "pressure", "value": 3.1})),
        op(json!({"kind": "checklist_pinned", "templates": [{"key": "service", "version": 2}]})),
        op(json!({"kind": "status", "to": "completed"})),
    ];
    let got = outcomes(s, &pusher, &later, now).await;
    assert_eq!(
        got,
        [
            (Applied, None),
            (Applied, None),
            (Applied, Some(Reason::Superseded)),
            (Applied, None),
        ]
    );
    let visit = s.job_visit(view.job.id).await.unwrap();
    assert_eq!(visit.checklists[0].version, 1, "the job keeps version 1");
    assert_eq!(visit.out_of_range.len(), 1, "3.1 bar is above 2.5");
    assert_eq!(
        s.job(view.job.id).await.unwrap().job.status,
        JobStatus::Completed
    );
    assert!(
        s.parts_requests(None, 10)
            .await
            .unwrap()
            .requests
            .is_empty(),
        "a completed job waits for nothing"
    );

    // Tom's next job on the same product brings its history: J-1, its parts and decision.
    // Matched by the serial it was imported with.
    let (_, input) = super::line(3, super::job("J-2", Some("tom"), "1"));
    let second = s.create_job(&input, now).await.unwrap();
    assert_eq!(
        second.asset.as_ref().map(|a| a.id),
        view.asset.as_ref().map(|a| a.id)
    );
    let (page, _) = super::pull_all(s, "tom", None).await;
    let history: Vec<_> = page
        .service
        .iter()
        .map(|v| {
            (
                v.number.as_str(),
                v.parts.len(),
                v.decision.as_ref().map(|d| d.remedy),
            )
        })
        .collect();
    assert_eq!(
        history,
        [("J-1", 1, Some(onsite_protocol::warranty::Remedy::Replace))],
        "the voided seal use left out"
    );
}
