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

fn part(sku: &str, serialized: bool) -> Part {
    Part {
        sku: sku.into(),
        name: format!("Part {sku}"),
        unit_price_cents: 900,
        serialized,
        models: vec![],
    }
}

/// Ops from one laptop, each a millisecond after the last on its clock.
pub(super) struct Laptop {
    device: DeviceId,
    wall: i64,
}

impl Laptop {
    pub(super) fn new() -> Self {
        Self {
            device: DeviceId::new(),
            wall: 0,
        }
    }

    /// Tina on this laptop.
    pub(super) fn tina(&self) -> Pusher {
        Pusher {
            username: "tina".into(),
            device_id: self.device,
        }
    }

    /// An op about `job` changing `body` (its `kind` and fields).
    pub(super) fn op(
        &mut self,
        job: onsite_protocol::JobId,
        body: serde_json::Value,
    ) -> serde_json::Value {
        self.wall += 1;
        let mut op = json!({"op_id": onsite_protocol::OpId::new(), "device_id": self.device,
            "job_id": job, "hlc": format!("{:015}-{:010}-{}", self.wall, 0, self.device)});
        op.as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        op
    }
}

/// What HQ made of each op of a pushed batch, in order.
pub(super) async fn outcomes(
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
    s.import_parts(&[(2, part("SEAL", false)), (3, part("UNIT", true))])
        .await
        .unwrap();
    s.import_checklists(&[(1, template(1))]).await.unwrap();
    s.import_warranty(&[(1, policy())]).await.unwrap();
    let now = stored_now();
    s.issue_stock("tina", "SEAL", &StockIssue::Qty(2), "admin", now)
        .await
        .unwrap();
    let mut input = super::job("J-1", Some("tina"), "1");
    input["asset"]["purchased_on"] = json!((now.date_naive() - chrono::Days::new(3)).to_string());
    let (_, input) = super::line(2, input);
    let view = s.create_job(&input, now).await.unwrap();
    let mut laptop = Laptop::new();
    let pusher = laptop.tina();
    let mut op = |body: serde_json::Value| laptop.op(view.job.id, body);
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
    // The page a dispatcher reads carries the job's history and the items' labels.
    assert_eq!(
        visit.history.first().map(|h| h.event),
        Some(onsite_protocol::HistoryEvent::Created)
    );
    assert!(
        visit.history.iter().any(|h| h.status == JobStatus::OnSite),
        "{:?}",
        visit.history
    );
    let items: Vec<_> = visit.labels.iter().map(|l| l.item.as_str()).collect();
    assert!(
        !items.is_empty() && items.iter().all(|i| !i.is_empty()),
        "{:?}",
        visit.labels
    );
    assert!(
        visit
            .labels
            .iter()
            .all(|l| l.template == visit.checklists[0])
    );
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

/// Conformance case.
pub async fn parts_requests_are_filled_from_the_van_or_by_a_dispatcher(s: &dyn Storage) {
    s.import_parts(&[(2, part("SEAL", false)), (3, part("UNIT", true))])
        .await
        .unwrap();
    let now = stored_now();
    let (_, input) = super::line(2, super::job("J-1", Some("tina"), "1"));
    let job = s.create_job(&input, now).await.unwrap().job;
    let (_, input) = super::line(3, super::job("J-2", Some("tina"), "2"));
    let closing = s.create_job(&input, now).await.unwrap().job;
    let mut laptop = Laptop::new();
    let pusher = laptop.tina();
    let mut op = |job, body| laptop.op(job, body);
    let two_seals = op(
        job.id,
        json!({"kind": "parts_requested", "sku": "SEAL", "qty": 2}),
    );
    let three_seals = op(
        job.id,
        json!({"kind": "parts_requested", "sku": "SEAL", "qty": 3}),
    );
    let a_unit = op(
        job.id,
        json!({"kind": "parts_requested", "sku": "UNIT", "qty": 1}),
    );
    let ghost = op(
        job.id,
        json!({"kind": "parts_requested", "sku": "GHOST", "qty": 1}),
    );
    let on_closing = op(
        closing.id,
        json!({"kind": "parts_requested", "sku": "SEAL", "qty": 1}),
    );
    let batch = vec![
        two_seals.clone(),
        three_seals.clone(),
        a_unit.clone(),
        ghost.clone(),
        on_closing.clone(),
        op(closing.id, json!({"kind": "status", "to": "on_site"})),
        op(closing.id, json!({"kind": "status", "to": "completed"})),
    ];
    let got = outcomes(s, &pusher, &batch, now).await;
    assert_eq!(got[3], (Outcome::Rejected, Some(Reason::UnknownPart)));
    assert!(
        got.iter()
            .enumerate()
            .all(|(i, o)| i == 3 || o.0 == Outcome::Applied)
    );
    let id = |op: &serde_json::Value| -> onsite_protocol::OpId {
        serde_json::from_value(op["op_id"].clone()).unwrap()
    };
    let (_, cursor) = super::pull_all(s, "tina", None).await;

    // Four seals into Tina's van cover the first request (2), not the second (3): the oldest
    // waits first, so nothing later is filled past it. Tom's van fills nothing of Tina's.
    s.issue_stock("tom", "SEAL", &StockIssue::Qty(9), "dana", now)
        .await
        .unwrap();
    let issued = s
        .issue_stock("tina", "SEAL", &StockIssue::Qty(4), "dana", now)
        .await
        .unwrap();
    assert_eq!(issued.balance, 4);
    let filled: Vec<_> = issued
        .fills
        .iter()
        .map(|f| (f.request, f.how.as_str()))
        .collect();
    assert_eq!(filled, [(id(&two_seals), "put into tina's van")]);
    let open: Vec<_> = s
        .parts_requests(None, 10)
        .await
        .unwrap()
        .requests
        .iter()
        .map(|r| r.op_id)
        .collect();
    assert_eq!(
        open,
        [id(&three_seals), id(&a_unit)],
        "filled and closed ones leave"
    );

    // The job comes again in Tina's next pull, carrying the fill.
    let (page, cursor) = super::pull_all(s, "tina", Some(cursor)).await;
    assert_eq!(page.jobs.iter().map(|j| j.id).collect::<Vec<_>>(), [job.id]);
    assert_eq!(page.fills, issued.fills);

    // A unit by serial fills the unit; a dispatcher fills the rest by word, once.
    let issued = s
        .issue_stock(
            "tina",
            "UNIT",
            &StockIssue::Serials(vec!["U-1".into()]),
            "dana",
            now,
        )
        .await
        .unwrap();
    assert_eq!(issued.fills.len(), 1);
    let fill = s
        .fill_parts_request(id(&three_seals), "dana", "couriered to the customer", now)
        .await
        .unwrap();
    assert_eq!((fill.job_id, fill.by.as_str()), (job.id, "dana"));
    let again = s
        .fill_parts_request(id(&three_seals), "dana", "twice", now)
        .await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    for unknown in [id(&ghost), onsite_protocol::OpId::new()] {
        let got = s.fill_parts_request(unknown, "dana", "x", now).await;
        assert!(matches!(got, Err(StorageError::NotFound(_))), "{got:?}");
    }
    let closed = s
        .fill_parts_request(id(&on_closing), "dana", "late", now)
        .await;
    assert!(
        matches!(closed, Err(StorageError::Conflict(_))),
        "{closed:?}"
    );
    assert!(
        s.parts_requests(None, 10)
            .await
            .unwrap()
            .requests
            .is_empty()
    );

    // HQ's view of the visit and the next pull both say how each request was filled.
    let visit = s.job_visit(job.id).await.unwrap();
    let hows: Vec<_> = visit
        .record
        .requests
        .iter()
        .map(|r| r.filled.as_ref().map(|f| f.how.as_str()))
        .collect();
    assert_eq!(
        hows,
        [
            Some("put into tina's van"),
            Some("couriered to the customer"),
            Some("put into tina's van"),
        ]
    );
    let (page, _) = super::pull_all(s, "tina", Some(cursor)).await;
    assert_eq!(page.fills.len(), 3);
}
