//! Golden serialization: the exact JSON of every wire type is pinned here. A failing test
//! means the protocol changed; that needs a new API version or a compatible, deliberate change.

use crate::api::*;
use crate::checklist::AnswerValue;
use crate::conflict::*;
use crate::push::*;
use crate::warranty::{FaultCategory, Remedy, WarrantyFacts, WarrantyRule};
use crate::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt::Debug;
use uuid::Uuid;

fn uuid(n: u8) -> Uuid {
    Uuid::parse_str(&format!("0190a6e0-0000-7000-8000-0000000000{n:02x}")).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Serializes to exactly `expected` and reads back to the same value.
fn pinned<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T, expected: Value) {
    assert_eq!(serde_json::to_value(&value).unwrap(), expected);
    let back: T = serde_json::from_value(expected).unwrap();
    assert_eq!(back, value);
}

fn customer() -> Customer {
    Customer {
        id: CustomerId(uuid(1)),
        name: "Ada Lovelace".into(),
        phone: Some("+44 20 7946 0018".into()),
        email: None,
    }
}

fn customer_json() -> Value {
    json!({"id": "0190a6e0-0000-7000-8000-000000000001", "name": "Ada Lovelace",
           "phone": "+44 20 7946 0018", "email": null})
}

fn site() -> Site {
    Site {
        id: SiteId(uuid(2)),
        customer_id: CustomerId(uuid(1)),
        address: "12 Analytical Row".into(),
        town: Some("London".into()),
        access_notes: Some("Gate code 1843".into()),
    }
}

fn site_json() -> Value {
    json!({"id": "0190a6e0-0000-7000-8000-000000000002",
           "customer_id": "0190a6e0-0000-7000-8000-000000000001",
           "address": "12 Analytical Row", "town": "London", "access_notes": "Gate code 1843"})
}

fn asset() -> Asset {
    Asset {
        id: AssetId(uuid(3)),
        customer_id: CustomerId(uuid(1)),
        site_id: Some(SiteId(uuid(2))),
        model: "HeatMax 300".into(),
        serial: Some("HM3-0042".into()),
        purchased_on: Some(date("2024-03-01")),
        installed_on: Some(date("2024-03-10")),
        warranty_until: Some(date("2026-03-09")),
    }
}

fn asset_json() -> Value {
    json!({"id": "0190a6e0-0000-7000-8000-000000000003",
           "customer_id": "0190a6e0-0000-7000-8000-000000000001",
           "site_id": "0190a6e0-0000-7000-8000-000000000002",
           "model": "HeatMax 300", "serial": "HM3-0042", "purchased_on": "2024-03-01",
           "installed_on": "2024-03-10", "warranty_until": "2026-03-09"})
}

fn job() -> Job {
    Job {
        id: JobId(uuid(4)),
        number: "J-000123".into(),
        kind: JobKind::Repair,
        priority: Priority::High,
        summary: "No hot water".into(),
        description: None,
        customer_id: CustomerId(uuid(1)),
        site_id: SiteId(uuid(2)),
        asset_id: Some(AssetId(uuid(3))),
        technician: Some("tina".into()),
        scheduled_start: Some(at("2026-11-24T08:00:00Z")),
        scheduled_end: Some(at("2026-11-24T10:00:00Z")),
        sla_due: None,
        status: JobStatus::Assigned,
        version: 3,
        updated_at: at("2026-11-23T17:30:00Z"),
    }
}

fn job_json() -> Value {
    json!({"id": "0190a6e0-0000-7000-8000-000000000004", "number": "J-000123",
           "kind": "repair", "priority": "high", "summary": "No hot water", "description": null,
           "customer_id": "0190a6e0-0000-7000-8000-000000000001",
           "site_id": "0190a6e0-0000-7000-8000-000000000002",
           "asset_id": "0190a6e0-0000-7000-8000-000000000003", "technician": "tina",
           "scheduled_start": "2026-11-24T08:00:00Z", "scheduled_end": "2026-11-24T10:00:00Z",
           "sla_due": null, "status": "assigned", "version": 3,
           "updated_at": "2026-11-23T17:30:00Z"})
}

fn user() -> User {
    User {
        id: UserId(uuid(5)),
        username: "tina".into(),
        display_name: "Tina Technician".into(),
        role: Role::Technician,
        skills: vec!["boilers".into()],
    }
}

fn user_json() -> Value {
    json!({"id": "0190a6e0-0000-7000-8000-000000000005", "username": "tina",
           "display_name": "Tina Technician", "role": "technician", "skills": ["boilers"]})
}

#[test]
fn domain_records() {
    pinned(customer(), customer_json());
    pinned(site(), site_json());
    pinned(asset(), asset_json());
    pinned(job(), job_json());
    pinned(user(), user_json());
}

#[test]
fn enums_use_snake_case() {
    pinned(JobStatus::WaitingParts, json!("waiting_parts"));
    pinned(JobStatus::EnRoute, json!("en_route"));
    pinned(JobKind::Installation, json!("installation"));
    pinned(Priority::Urgent, json!("urgent"));
    pinned(Role::Dispatcher, json!("dispatcher"));
    pinned(Actor::Hq, json!("hq"));
    for &s in JobStatus::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
    }
    for &c in ErrorCode::ALL {
        assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
    }
}

#[test]
fn error_body() {
    pinned(
        ApiError::new(ErrorCode::InvalidCredentials, "wrong username or password"),
        json!({"code": "invalid_credentials", "message": "wrong username or password"}),
    );
}

#[test]
fn auth_bodies() {
    pinned(
        LoginRequest {
            username: "tina".into(),
            password: "s3cret".into(),
            device_id: DeviceId(uuid(6)),
        },
        json!({"username": "tina", "password": "s3cret",
               "device_id": "0190a6e0-0000-7000-8000-000000000006"}),
    );
    pinned(
        RefreshRequest {
            refresh_token: "r".into(),
            device_id: DeviceId(uuid(6)),
        },
        json!({"refresh_token": "r", "device_id": "0190a6e0-0000-7000-8000-000000000006"}),
    );
    pinned(
        Tokens {
            access_token: "a".into(),
            access_expires_at: at("2026-11-23T18:00:00Z"),
            refresh_token: "r".into(),
            refresh_expires_at: at("2026-12-23T17:45:00Z"),
            user: user(),
        },
        json!({"access_token": "a", "access_expires_at": "2026-11-23T18:00:00Z",
               "refresh_token": "r", "refresh_expires_at": "2026-12-23T17:45:00Z",
               "user": user_json()}),
    );
    pinned(
        Health {
            status: "ok".into(),
            version: "0.1.0".into(),
            server_time: at("2026-11-23T18:00:00Z"),
        },
        json!({"status": "ok", "version": "0.1.0", "server_time": "2026-11-23T18:00:00Z"}),
    );
}

#[test]
fn pull_page() {
    pinned(
        PullPage {
            jobs: vec![job()],
            removed: vec![JobId(uuid(7))],
            customers: vec![customer()],
            sites: vec![site()],
            assets: vec![asset()],
            history: vec![StatusChange {
                job_id: JobId(uuid(1)),
                at: at("2026-11-23T09:00:00Z"),
                status: JobStatus::Assigned,
                detail: Some("Tess Tech".into()),
                event: HistoryEvent::Assigned,
            }],
            ops: vec![recorded()],
            ops_since: vec![JobId(uuid(1))],
            service: vec![crate::visit::ServiceVisit {
                asset_id: AssetId(uuid(3)),
                job_id: JobId(uuid(6)),
                number: "J-000090".into(),
                kind: JobKind::Repair,
                status: JobStatus::Completed,
                summary: "Pump noisy".into(),
                at: at("2026-03-02T09:00:00Z"),
                technician: Some("tom".into()),
                parts: vec![crate::visit::PartUse {
                    op_id: OpId(uuid(11)),
                    sku: "HX-PUMP-60".into(),
                    qty: 1,
                    serial: Some("PU-1".into()),
                    removed_serial: None,
                    voided: false,
                }],
                decision: None,
            }],
            fills: vec![crate::visit::PartsFill {
                request: OpId(uuid(12)),
                job_id: JobId(uuid(1)),
                at: at("2026-11-23T10:00:00Z"),
                by: "Dora Dispatch".into(),
                how: "put into tess's van".into(),
            }],
            letters: vec![crate::mail::LetterNotice {
                job_id: JobId(uuid(1)),
                state: crate::mail::LetterState::Sent,
                sent_at: Some(at("2026-11-23T11:00:00Z")),
            }],
            reference: Some(crate::reference::ReferenceUpdate {
                full: false,
                parts: vec![],
                checklists: vec![],
                policies: vec![],
                guides: vec![],
                stock: Some(vec![]),
                letterhead: Some(crate::letterhead::Letterhead {
                    name: "Northwind Home Services".into(),
                    lines: vec!["14 Mill Lane, Leeds".into()],
                    logo: Some("iVBORw0KGgo=".into()),
                }),
                labour: Some(crate::labour::LabourPrices {
                    call_out_cents: 4500,
                    hourly_cents: 6000,
                    increment_minutes: 15,
                }),
            }),
            hlc: Some(hlc()),
            cursor: "c1.42".into(),
            reset: false,
            more: false,
        },
        json!({"jobs": [job_json()], "removed": ["0190a6e0-0000-7000-8000-000000000007"],
               "customers": [customer_json()], "sites": [site_json()], "assets": [asset_json()],
               "history": [{"job_id": "0190a6e0-0000-7000-8000-000000000001",
                            "at": "2026-11-23T09:00:00Z", "status": "assigned", "detail": "Tess Tech",
                            "event": "assigned"}],
               "ops": [recorded_json()],
               "ops_since": ["0190a6e0-0000-7000-8000-000000000001"],
               "service": [{"asset_id": "0190a6e0-0000-7000-8000-000000000003",
                            "job_id": "0190a6e0-0000-7000-8000-000000000006",
                            "number": "J-000090", "kind": "repair", "status": "completed",
                            "summary": "Pump noisy", "at": "2026-03-02T09:00:00Z",
                            "technician": "tom",
                            "parts": [{"op_id": "0190a6e0-0000-7000-8000-00000000000b",
                                       "sku": "HX-PUMP-60", "qty": 1, "serial": "PU-1",
                                       "removed_serial": null, "voided": false}],
                            "decision": null}],
               "fills": [{"request": "0190a6e0-0000-7000-8000-00000000000c",
                          "job_id": "0190a6e0-0000-7000-8000-000000000001",
                          "at": "2026-11-23T10:00:00Z", "by": "Dora Dispatch",
                          "how": "put into tess's van"}],
               "letters": [{"job_id": "0190a6e0-0000-7000-8000-000000000001", "state": "sent",
                            "sent_at": "2026-11-23T11:00:00Z"}],
               "reference": {"full": false, "parts": [], "checklists": [], "policies": [],
                             "guides": [], "stock": [],
                             "letterhead": {"name": "Northwind Home Services",
                                            "lines": ["14 Mill Lane, Leeds"],
                                            "logo": "iVBORw0KGgo="},
                             "labour": {"call_out_cents": 4500, "hourly_cents": 6000,
                                        "increment_minutes": 15}},
               "hlc": "001763900000000-0000000002-0190a6e0-0000-7000-8000-000000000008",
               "cursor": "c1.42", "reset": false, "more": false}),
    );
    pinned(
        PullQuery {
            cursor: Some("c1.42".into()),
            limit: Some(500),
            ops_since: Some(true),
            reference: Some(true),
        },
        json!({"cursor": "c1.42", "limit": 500, "ops_since": true, "reference": true}),
    );
}

#[test]
fn job_input_minimal_and_full() {
    let minimal: JobInput = serde_json::from_value(json!({
        "number": "J-1", "kind": "maintenance", "summary": "Annual service",
        "customer": {"name": "Bob"}, "site": {"address": "1 High St"}
    }))
    .unwrap();
    assert_eq!(minimal.asset, None);
    assert_eq!(minimal.priority, None);
    pinned(
        JobInput {
            number: Some("J-1".into()),
            kind: JobKind::Installation,
            summary: "Fit boiler".into(),
            description: Some("Old one removed".into()),
            priority: Some(Priority::Low),
            technician: Some("tina".into()),
            customer: CustomerInput {
                name: "Bob".into(),
                phone: Some("0123".into()),
                email: Some("bob@example.org".into()),
            },
            site: SiteInput {
                address: "1 High St".into(),
                town: Some("Leeds".into()),
                access_notes: None,
                lat: None,
                lon: None,
            },
            asset: Some(AssetInput {
                model: "HeatMax 300".into(),
                serial: Some("HM3-1".into()),
                purchased_on: None,
                installed_on: None,
                warranty_until: Some(date("2027-01-01")),
            }),
            scheduled_start: Some(at("2026-11-24T08:00:00Z")),
            scheduled_end: None,
            sla_due: Some(at("2026-11-25T17:00:00Z")),
        },
        json!({"number": "J-1", "kind": "installation", "summary": "Fit boiler",
               "description": "Old one removed", "priority": "low", "technician": "tina",
               "customer": {"name": "Bob", "phone": "0123", "email": "bob@example.org"},
               "site": {"address": "1 High St", "town": "Leeds", "access_notes": null},
               "asset": {"model": "HeatMax 300", "serial": "HM3-1", "purchased_on": null,
                         "installed_on": null, "warranty_until": "2027-01-01"},
               "scheduled_start": "2026-11-24T08:00:00Z", "scheduled_end": null,
               "sla_due": "2026-11-25T17:00:00Z"}),
    );
    let unknown = serde_json::from_value::<JobInput>(json!({
        "number": "J-1", "kind": "repair", "summary": "x", "customer": {"name": "B"},
        "site": {"address": "a"}, "colour": "red"
    }));
    assert!(unknown.unwrap_err().to_string().contains("colour"));
}

#[test]
fn job_patch_distinguishes_absent_from_null() {
    let patch: JobPatch =
        serde_json::from_value(json!({"summary": "New", "description": null})).unwrap();
    assert_eq!(patch.summary.as_deref(), Some("New"));
    assert_eq!(patch.description, Some(None));
    assert_eq!(patch.scheduled_start, None);
    pinned(
        JobPatch {
            priority: Some(Priority::Urgent),
            sla_due: Some(None),
            scheduled_start: Some(Some(at("2026-11-24T08:00:00Z"))),
            ..JobPatch::default()
        },
        json!({"priority": "urgent", "sla_due": null, "scheduled_start": "2026-11-24T08:00:00Z"}),
    );
}

#[test]
fn dispatcher_bodies() {
    pinned(
        AssignRequest {
            technician: Some("tina".into()),
        },
        json!({"technician": "tina"}),
    );
    pinned(
        AssignRequest { technician: None },
        json!({"technician": null}),
    );
    pinned(
        CancelRequest {
            reason: Some("customer moved".into()),
        },
        json!({"reason": "customer moved"}),
    );
    pinned(
        JobList {
            jobs: vec![JobView {
                job: job(),
                customer: customer(),
                site: site(),
                asset: None,
            }],
            next: Some("J-000123".into()),
        },
        json!({"jobs": [{"job": job_json(), "customer": customer_json(), "site": site_json(),
                         "asset": null}], "next": "J-000123"}),
    );
    pinned(
        JobListQuery {
            status: Some(JobStatus::New),
            technician: None,
            number: Some("J-000123".into()),
            after: None,
            limit: Some(10),
            ..JobListQuery::default()
        },
        json!({"status": "new", "technician": null, "number": "J-000123", "after": null,
               "limit": 10}),
    );
}

#[test]
fn op_with_each_kind_of_change() {
    let op = |change: Change| Op {
        op_id: OpId(uuid(9)),
        device_id: DeviceId(uuid(8)),
        job_id: JobId(uuid(1)),
        hlc: Hlc {
            wall: 1_763_900_000_000,
            counter: 2,
            node: DeviceId(uuid(8)),
        },
        recorded_at: Some(at("2025-11-23T12:13:20Z")),
        change,
    };
    let head = json!({
        "op_id": "0190a6e0-0000-7000-8000-000000000009",
        "device_id": "0190a6e0-0000-7000-8000-000000000008",
        "job_id": "0190a6e0-0000-7000-8000-000000000001",
        "hlc": "001763900000000-0000000002-0190a6e0-0000-7000-8000-000000000008",
        "recorded_at": "2025-11-23T12:13:20Z",
    });
    let with = |fields: Value| {
        let mut v = head.clone();
        v.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        v
    };
    pinned(
        op(Change::Status {
            to: JobStatus::Completed,
        }),
        with(json!({"kind": "status", "to": "completed"})),
    );
    pinned(
        op(Change::Note {
            text: "Replaced the pump seal".into(),
        }),
        with(json!({"kind": "note", "text": "Replaced the pump seal"})),
    );
    pinned(
        op(Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "boiler.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 3_000_000,
            caption: None,
        }),
        with(
            json!({"kind": "attachment", "sha256": "ab".repeat(32), "file_name": "boiler.jpg",
                    "media_type": "image/jpeg", "bytes": 3_000_000}),
        ),
    );
    pinned(
        op(Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "label.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 120_000,
            caption: Some("Rating label".into()),
        }),
        with(
            json!({"kind": "attachment", "sha256": "ab".repeat(32), "file_name": "label.jpg",
                    "media_type": "image/jpeg", "bytes": 120_000, "caption": "Rating label"}),
        ),
    );
    pinned(
        op(Change::WorkStarted {
            at: at("2026-11-23T09:05:00Z"),
        }),
        with(json!({"kind": "work_started", "at": "2026-11-23T09:05:00Z"})),
    );
    pinned(
        op(Change::WorkStopped {
            at: at("2026-11-23T10:40:00Z"),
        }),
        with(json!({"kind": "work_stopped", "at": "2026-11-23T10:40:00Z"})),
    );
    pinned(
        op(Change::ContactPhone {
            phone: "+44 20 7946 0999".into(),
        }),
        with(json!({"kind": "contact_phone", "phone": "+44 20 7946 0999"})),
    );
    pinned(
        op(Change::AssetSerial {
            serial: "HM3-00043".into(),
        }),
        with(json!({"kind": "asset_serial", "serial": "HM3-00043"})),
    );
    let boiler = crate::checklist::TemplateRef {
        key: "boiler-service".into(),
        version: 2,
    };
    pinned(
        op(Change::ChecklistPinned {
            templates: vec![boiler.clone()],
        }),
        with(json!({"kind": "checklist_pinned",
                    "templates": [{"key": "boiler-service", "version": 2}]})),
    );
    for (value, wire) in [
        (AnswerValue::Bool(true), json!(true)),
        (AnswerValue::Number(1.5), json!(1.5)),
        (AnswerValue::Text("heating".into()), json!("heating")),
    ] {
        pinned(
            op(Change::ChecklistAnswer {
                template: boiler.clone(),
                item: "pressure".into(),
                value,
            }),
            with(json!({"kind": "checklist_answer",
                        "template": {"key": "boiler-service", "version": 2},
                        "item": "pressure", "value": wire})),
        );
    }
    pinned(
        op(Change::PartUsed {
            sku: "HX-PUMP-60".into(),
            qty: 1,
            serial: Some("PU-7781".into()),
            removed_serial: Some("PU-1022".into()),
        }),
        with(json!({"kind": "part_used", "sku": "HX-PUMP-60", "qty": 1,
                    "serial": "PU-7781", "removed_serial": "PU-1022"})),
    );
    pinned(
        op(Change::PartUsed {
            sku: "SEAL-22".into(),
            qty: 3,
            serial: None,
            removed_serial: None,
        }),
        with(json!({"kind": "part_used", "sku": "SEAL-22", "qty": 3})),
    );
    pinned(
        op(Change::WarrantyDecided {
            fault: FaultCategory::Performance,
            remedy: Remedy::Replace,
            rule: WarrantyRule::ReplacePeriod,
            policy_version: 1,
            facts: WarrantyFacts {
                purchased_on: Some(date("2026-11-20")),
                installed_on: None,
                warranty_until: None,
                prior_repairs: 0,
            },
            visit_on: date("2026-12-01"),
            needs_review: false,
            note: Some("Compressor will not start".into()),
            replacement_serial: Some("AS8-90210".into()),
            return_ref: Some("RMA-J-1042-7F3A".into()),
        }),
        with(
            json!({"kind": "warranty_decided", "fault": "performance", "remedy": "replace",
                    "rule": "replace_period", "policy_version": 1,
                    "facts": {"purchased_on": "2026-11-20", "installed_on": null,
                              "warranty_until": null, "prior_repairs": 0},
                    "visit_on": "2026-12-01", "note": "Compressor will not start",
                    "replacement_serial": "AS8-90210", "return_ref": "RMA-J-1042-7F3A"}),
        ),
    );
    pinned(
        op(Change::WarrantyDecided {
            fault: FaultCategory::Wear,
            remedy: Remedy::Chargeable,
            rule: WarrantyRule::UnknownStart,
            policy_version: 3,
            facts: WarrantyFacts::default(),
            visit_on: date("2026-12-01"),
            needs_review: true,
            note: None,
            replacement_serial: None,
            return_ref: None,
        }),
        with(
            json!({"kind": "warranty_decided", "fault": "wear", "remedy": "chargeable",
                    "rule": "unknown_start", "policy_version": 3,
                    "facts": {"purchased_on": null, "installed_on": null,
                              "warranty_until": null, "prior_repairs": 0},
                    "visit_on": "2026-12-01", "needs_review": true}),
        ),
    );
    pinned(
        op(Change::Voided {
            voids: OpId(uuid(7)),
            reason: Some("Wrong seal size".into()),
        }),
        with(
            json!({"kind": "voided", "voids": "0190a6e0-0000-7000-8000-000000000007",
                    "reason": "Wrong seal size"}),
        ),
    );
    pinned(
        op(Change::PartsRequested {
            sku: "HX-PUMP-60".into(),
            qty: 1,
            note: None,
        }),
        with(json!({"kind": "parts_requested", "sku": "HX-PUMP-60", "qty": 1})),
    );
    let unknown = with(json!({"kind": "discount", "percent": 50}));
    assert!(
        serde_json::from_value::<Op>(unknown).is_err(),
        "unknown kinds are refused"
    );
}

fn hlc() -> Hlc {
    Hlc {
        wall: 1_763_900_000_000,
        counter: 2,
        node: DeviceId(uuid(8)),
    }
}

fn recorded() -> RecordedOp {
    RecordedOp {
        op: Op {
            op_id: OpId(uuid(9)),
            device_id: DeviceId(uuid(8)),
            job_id: JobId(uuid(1)),
            hlc: hlc(),
            recorded_at: None,
            change: Change::Status {
                to: JobStatus::Completed,
            },
        },
        by: "tech1".into(),
        by_name: Some("Tess Tech".into()),
        received_at: at("2026-11-23T11:00:00Z"),
        outcome: Outcome::Conflict,
        reason: Some(Reason::StatusConflict),
        message: Some("job is cancelled at HQ".into()),
        settled: Some(Settlement {
            resolution: Resolution::KeepHq,
            by: "disp".into(),
            by_name: Some("Dee Dispatch".into()),
            at: at("2026-11-23T12:00:00Z"),
            note: Some("Customer called to cancel".into()),
        }),
    }
}

fn recorded_json() -> Value {
    json!({
        "op_id": "0190a6e0-0000-7000-8000-000000000009",
        "device_id": "0190a6e0-0000-7000-8000-000000000008",
        "job_id": "0190a6e0-0000-7000-8000-000000000001",
        "hlc": "001763900000000-0000000002-0190a6e0-0000-7000-8000-000000000008",
        "kind": "status", "to": "completed",
        "by": "tech1", "by_name": "Tess Tech", "received_at": "2026-11-23T11:00:00Z",
        "outcome": "conflict", "reason": "status_conflict", "message": "job is cancelled at HQ",
        "settled": {"resolution": "keep_hq", "by": "disp", "by_name": "Dee Dispatch",
                    "at": "2026-11-23T12:00:00Z", "note": "Customer called to cancel"},
    })
}

#[test]
fn push_bodies() {
    let request = PushRequest {
        ops: vec![json!({"op_id": "x"})],
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"ops": [{"op_id": "x"}]})
    );
    pinned(
        PushResponse {
            results: vec![
                OpResult {
                    op_id: Some(OpId(uuid(9))),
                    outcome: Outcome::Applied,
                    first: None,
                    reason: None,
                    message: None,
                },
                OpResult {
                    op_id: Some(OpId(uuid(10))),
                    outcome: Outcome::Duplicate,
                    first: Some(Outcome::Conflict),
                    reason: Some(Reason::StatusConflict),
                    message: Some("job is cancelled at HQ".into()),
                },
                OpResult {
                    op_id: None,
                    outcome: Outcome::Rejected,
                    first: None,
                    reason: Some(Reason::MalformedOp),
                    message: Some("missing field `op_id`".into()),
                },
            ],
            hlc: hlc(),
        },
        json!({"results": [
            {"op_id": "0190a6e0-0000-7000-8000-000000000009", "outcome": "applied"},
            {"op_id": "0190a6e0-0000-7000-8000-00000000000a", "outcome": "duplicate",
             "first": "conflict", "reason": "status_conflict", "message": "job is cancelled at HQ"},
            {"op_id": null, "outcome": "rejected", "reason": "malformed_op",
             "message": "missing field `op_id`"},
        ], "hlc": "001763900000000-0000000002-0190a6e0-0000-7000-8000-000000000008"}),
    );
    pinned(
        ResolveRequest {
            resolution: Resolution::AcceptDevice,
            note: None,
        },
        json!({"resolution": "accept_device"}),
    );
    pinned(
        ResolveRequest {
            resolution: Resolution::KeepHq,
            note: Some("The customer cancelled by phone".into()),
        },
        json!({"resolution": "keep_hq", "note": "The customer cancelled by phone"}),
    );
    pinned(recorded(), recorded_json());
    pinned(
        ConflictView {
            op: recorded(),
            job_number: "J-1".into(),
            job_status: JobStatus::Cancelled,
            technician: Some("tech1".into()),
        },
        json!({"op": recorded_json(), "job_number": "J-1", "job_status": "cancelled",
               "technician": "tech1"}),
    );
}

#[test]
fn warranty_policy_and_options() {
    use crate::warranty::*;
    pinned(
        WarrantyPolicy {
            model: "AirSource 8 kW heat pump".into(),
            version: 1,
            from: WarrantyStart::Purchase,
            return_days: 7,
            replace_days: 15,
            repair_months: 24,
            max_repairs: 2,
            excluded_faults: vec![FaultCategory::PhysicalDamage, FaultCategory::Misuse],
        },
        json!({"model": "AirSource 8 kW heat pump", "version": 1, "from": "purchase",
               "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2,
               "excluded_faults": ["physical_damage", "misuse"]}),
    );
    pinned(
        WarrantyOptions {
            options: vec![
                WarrantyOption {
                    remedy: Remedy::Replace,
                    rule: WarrantyRule::ReplacePeriod,
                },
                WarrantyOption {
                    remedy: Remedy::Repair,
                    rule: WarrantyRule::ReplacePeriod,
                },
            ],
            start: Some(date("2026-11-20")),
            age_days: Some(12),
            repair_until: Some(date("2028-11-19")),
            needs_review: false,
        },
        json!({"options": [{"remedy": "replace", "rule": "replace_period"},
                           {"remedy": "repair", "rule": "replace_period"}],
               "start": "2026-11-20", "age_days": 12, "repair_until": "2028-11-19",
               "needs_review": false}),
    );
    pinned(
        WarrantyFacts {
            purchased_on: None,
            installed_on: Some(date("2026-11-21")),
            warranty_until: None,
            prior_repairs: 1,
        },
        json!({"purchased_on": null, "installed_on": "2026-11-21", "warranty_until": null,
               "prior_repairs": 1}),
    );
    // A policy that would be misread is refused, not half-understood.
    let typo = json!({"model": "M", "version": 1, "from": "purchase", "return_days": 7,
                      "replace_days": 15, "repair_months": 24, "max_repairs": 2,
                      "excluded_fault": ["wear"]});
    assert!(serde_json::from_value::<WarrantyPolicy>(typo).is_err());
}

#[test]
fn reference_records() {
    use crate::checklist::*;
    use crate::guide::Guide;
    use crate::part::Part;
    use crate::reference::*;
    let part = Part {
        sku: "HX-100".into(),
        name: "Plate heat exchanger".into(),
        unit_price_cents: 12_000,
        serialized: true,
        models: vec!["AirSource 8 kW heat pump".into()],
    };
    let part_json = json!({"sku": "HX-100", "name": "Plate heat exchanger",
        "unit_price_cents": 12000, "serialized": true, "models": ["AirSource 8 kW heat pump"]});
    pinned(part.clone(), part_json.clone());
    pinned(
        PartList {
            parts: vec![part],
            next: Some("HX-100".into()),
        },
        json!({"parts": [part_json], "next": "HX-100"}),
    );
    let template = ChecklistTemplate {
        key: "heatpump-install".into(),
        version: 2,
        title: "Heat pump installation".into(),
        kinds: vec![JobKind::Installation],
        models: vec![],
        items: vec![
            ChecklistItem {
                key: "pressure".into(),
                label: "System pressure".into(),
                kind: ItemType::Number,
                required: true,
                unit: Some("bar".into()),
                min: Some(1.0),
                max: Some(2.5),
                options: vec![],
            },
            ChecklistItem {
                key: "mode".into(),
                label: "Mode".into(),
                kind: ItemType::Choice,
                required: false,
                unit: None,
                min: None,
                max: None,
                options: vec!["heating".into(), "hot water".into()],
            },
        ],
    };
    pinned(
        template,
        json!({"key": "heatpump-install", "version": 2, "title": "Heat pump installation",
            "kinds": ["installation"], "models": [], "items": [
            {"key": "pressure", "label": "System pressure", "type": "number", "required": true,
             "unit": "bar", "min": 1.0, "max": 2.5},
            {"key": "mode", "label": "Mode", "type": "choice", "required": false,
             "options": ["heating", "hot water"]}]}),
    );
    pinned(
        TemplateRef {
            key: "repair".into(),
            version: 1,
        },
        json!({"key": "repair", "version": 1}),
    );
    pinned(
        Guide {
            id: "airsource-codes".into(),
            version: 3,
            title: "AirSource fault codes".into(),
            models: vec!["AirSource 8 kW heat pump".into()],
            body: "E5: low pressure.".into(),
        },
        json!({"id": "airsource-codes", "version": 3, "title": "AirSource fault codes",
            "models": ["AirSource 8 kW heat pump"], "body": "E5: low pressure."}),
    );
}

#[test]
fn van_stock() {
    use crate::stock::*;
    pinned(
        VanStock {
            technician: "tina".into(),
            balances: vec![StockBalance {
                sku: "HX-100".into(),
                name: "Plate heat exchanger".into(),
                qty: -1,
                serials: vec![],
            }],
            moves: vec![StockMove {
                id: 7,
                sku: "HX-100".into(),
                qty: -1,
                serial: Some("HX-0001".into()),
                kind: StockMoveKind::Used,
                job_id: Some(JobId(uuid(5))),
                by: "tina".into(),
                at: at("2026-12-02T09:30:00Z"),
            }],
            next: None,
        },
        json!({"technician": "tina",
            "balances": [{"sku": "HX-100", "name": "Plate heat exchanger", "qty": -1, "serials": []}],
            "moves": [{"id": 7, "sku": "HX-100", "qty": -1, "serial": "HX-0001", "kind": "used",
                "job_id": "0190a6e0-0000-7000-8000-000000000005", "by": "tina",
                "at": "2026-12-02T09:30:00Z"}],
            "next": null}),
    );
}

#[test]
fn reference_changes_and_fills() {
    use crate::stock::*;
    pinned(
        StockIssueInput {
            technician: "tina".into(),
            sku: "HX-100".into(),
            qty: None,
            serials: Some(vec!["HX-0002".into()]),
        },
        json!({"technician": "tina", "sku": "HX-100", "qty": null, "serials": ["HX-0002"]}),
    );
    pinned(
        StockIssued {
            moves: vec![],
            fills: vec![crate::visit::PartsFill {
                request: OpId(uuid(12)),
                job_id: JobId(uuid(5)),
                at: at("2026-12-02T09:30:00Z"),
                by: "Dora Dispatch".into(),
                how: "put into tina's van".into(),
            }],
            balance: 1,
        },
        json!({"moves": [], "balance": 1,
            "fills": [{"request": "0190a6e0-0000-7000-8000-00000000000c",
                "job_id": "0190a6e0-0000-7000-8000-000000000005", "at": "2026-12-02T09:30:00Z",
                "by": "Dora Dispatch", "how": "put into tina's van"}]}),
    );
    pinned(
        StockReturned {
            moves: vec![StockMove {
                id: 9,
                sku: "FLT-2".into(),
                qty: -3,
                serial: None,
                kind: StockMoveKind::Returned,
                job_id: None,
                by: "Dora Dispatch".into(),
                at: at("2026-12-02T17:00:00Z"),
            }],
            balance: 2,
        },
        json!({"balance": 2, "moves": [{"id": 9, "sku": "FLT-2", "qty": -3, "serial": null,
            "kind": "returned", "job_id": null, "by": "Dora Dispatch",
            "at": "2026-12-02T17:00:00Z"}]}),
    );
    pinned(
        crate::visit::FillInput {
            how: "couriered to the customer".into(),
        },
        json!({"how": "couriered to the customer"}),
    );
    pinned(
        crate::reference::ImportSummary {
            entries: 40,
            created: 2,
            updated: 1,
            unchanged: 37,
        },
        json!({"entries": 40, "created": 2, "updated": 1, "unchanged": 37}),
    );
}
