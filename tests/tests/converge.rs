#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report
//! Two laptops of one technician and a dispatcher edit the same job in random interleavings
//! (proptest). After everyone syncs, all replicas agree with HQ, and every op either counts or
//! is visible as a conflict — none is lost or doubled; the visit record (checklist answers,
//! parts used, warranty decisions, parts requests) folded on each laptop is HQ's. HQ runs
//! in-process over real HTTPS on a real SQLite file; `PROPTEST_CASES` sets how many
//! interleavings are tried.

use chrono::Utc;
use onsite_core::{Device, OpState};
use onsite_e2e::PASSWORD;
use onsite_e2e::bench::{add_user, serve};
use onsite_e2e::changes::Changes;
use onsite_e2e::hq::Dispatcher;
use onsite_hq::server::RunningHq;
use onsite_hq::storage::Storage;
use onsite_protocol::api::{AssignRequest, CancelRequest, JobPatch, JobView};
use onsite_protocol::conflict::{ConflictView, ResolveRequest};
use onsite_protocol::push::JobOps;
use onsite_protocol::{JobStatus, Outcome, Reason, Resolution, Role};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
enum Edit {
    Status(JobStatus),
    Note,
    Phone(u8),
    Serial(u8),
    Work(bool),
    Answer(bool),
    Part,
    Decide,
    Request,
}

#[derive(Clone, Debug)]
enum HqEdit {
    Cancel,
    Assign(&'static str),
    Phone(u8),
    Serial(u8),
    Summary(u8),
    Settle(bool),
}

#[derive(Clone, Debug)]
enum Step {
    Device(usize, Edit),
    Hq(HqEdit),
    Sync(usize),
}

fn step() -> impl Strategy<Value = Step> {
    let status = prop_oneof![
        Just(JobStatus::EnRoute),
        Just(JobStatus::OnSite),
        Just(JobStatus::WaitingParts),
        Just(JobStatus::Completed),
        Just(JobStatus::Assigned),
    ];
    let edit = prop_oneof![
        3 => status.prop_map(Edit::Status),
        2 => Just(Edit::Note),
        1 => (0u8..4).prop_map(Edit::Phone),
        1 => (0u8..4).prop_map(Edit::Serial),
        1 => any::<bool>().prop_map(Edit::Work),
        2 => any::<bool>().prop_map(Edit::Answer),
        1 => Just(Edit::Part),
        1 => Just(Edit::Decide),
        1 => Just(Edit::Request),
    ];
    let hq = prop_oneof![
        Just(HqEdit::Cancel),
        Just(HqEdit::Assign("tom")),
        Just(HqEdit::Assign("tina")),
        (0u8..4).prop_map(HqEdit::Phone),
        (0u8..4).prop_map(HqEdit::Serial),
        (0u8..4).prop_map(HqEdit::Summary),
        any::<bool>().prop_map(HqEdit::Settle),
    ];
    prop_oneof![
        5 => ((0usize..2), edit).prop_map(|(d, e)| Step::Device(d, e)),
        2 => hq.prop_map(Step::Hq),
        3 => (0usize..2).prop_map(Step::Sync),
    ]
}

struct World {
    hq: Option<RunningHq>,
    _dir: tempfile::TempDir,
    laptops: Vec<(Device, tempfile::TempDir)>,
    dispatcher: Dispatcher,
}

impl World {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = onsite_hq::server::open_storage(dir.path()).unwrap();
        for (name, role) in [
            ("tina", Role::Technician),
            ("tom", Role::Technician),
            ("dana", Role::Dispatcher),
        ] {
            add_user(&storage, name, role).await;
        }
        // What the visit is recorded against: a one-item checklist for repairs, a part, and
        // the product's warranty policy.
        let template = serde_json::from_value(serde_json::json!({"key": "repair", "version": 1,
            "title": "Repair", "kinds": ["repair"], "items": [{"key": "tested",
            "label": "Tested after repair", "type": "yes_no", "required": true}]}))
        .unwrap();
        storage.import_checklists(&[(1, template)]).await.unwrap();
        let seal = onsite_protocol::part::Part {
            sku: "SEAL-1".into(),
            name: "Seal".into(),
            unit_price_cents: 320,
            serialized: false,
            models: vec![],
        };
        storage.import_parts(&[(2, seal)]).await.unwrap();
        let policy = serde_json::from_value(serde_json::json!({"model": "HeatMax", "version": 1,
            "from": "purchase", "return_days": 7, "replace_days": 15, "repair_months": 24,
            "max_repairs": 2}))
        .unwrap();
        storage.import_warranty(&[(1, policy)]).await.unwrap();
        drop(storage);
        let hq = serve(dir.path()).await;
        let pin = hq.fingerprint.parse().unwrap();
        let mut laptops = Vec::new();
        for _ in 0..2 {
            let data = tempfile::tempdir().unwrap();
            let device = Device::open(data.path()).unwrap();
            device
                .login(&hq.url(), "tina", PASSWORD, Some(pin), chrono::Utc::now())
                .await
                .unwrap();
            laptops.push((device, data));
        }
        let dispatcher = Dispatcher::login(&hq.url(), pin, "dana", PASSWORD).await;
        Self {
            hq: Some(hq),
            _dir: dir,
            laptops,
            dispatcher,
        }
    }

    async fn call<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, onsite_core::CoreError> {
        self.dispatcher.try_call(method, path, body).await
    }

    fn laptop(&self, i: usize) -> &Device {
        &self.laptops[i].0
    }

    async fn sync(&self, i: usize) {
        self.laptop(i).sync(Utc::now(), &|_| {}).await.unwrap();
    }
}

fn phone(v: u8) -> String {
    format!("555 010{v}")
}

/// One interleaving on a fresh job; returns what went wrong, if anything.
async fn case(world: &World, case: usize, steps: &[Step]) -> Result<(), String> {
    let number = format!("C-{case:05}");
    let created: JobView = world
        .call(
            Method::POST,
            "/jobs",
            Some(&serde_json::json!({
                "number": number, "kind": "repair", "summary": "Leak", "technician": "tina",
                "customer": {"name": format!("Customer {case}"), "phone": "555 0000"},
                "site": {"address": format!("{case} Mill Lane")},
                "asset": {"model": "HeatMax", "serial": "S-0"}})),
        )
        .await
        .map_err(|e| e.to_string())?;
    let id = created.job.id;
    world.sync(0).await;
    world.sync(1).await;
    for step in steps {
        match step {
            Step::Sync(i) => world.sync(*i).await,
            Step::Device(i, edit) => {
                let d = world.laptop(*i);
                let now = Utc::now();
                // Refusals on the device (invalid move, job read-only or gone) record nothing.
                let _ = match edit {
                    Edit::Status(to) => d.set_status(&number, *to, now),
                    Edit::Note => d.add_note(&number, "checked the pump", now),
                    Edit::Phone(v) => d.correct_phone(&number, &phone(*v), now),
                    Edit::Serial(v) => d.correct_serial(&number, &format!("S-{v}"), now),
                    Edit::Work(start) => d.work(&number, *start, now),
                    Edit::Answer(yes) => {
                        d.answer(&number, "tested", if *yes { "yes" } else { "no" }, now)
                    }
                    Edit::Part => d.use_part(
                        &number,
                        &onsite_core::PartInput {
                            sku: "SEAL-1",
                            ..Default::default()
                        },
                        now,
                    ),
                    // No purchase date on the asset: every remedy, for HQ to review.
                    Edit::Decide => d.decide(
                        &number,
                        &onsite_core::DecisionInput {
                            remedy: onsite_protocol::warranty::Remedy::Repair,
                            fault: onsite_protocol::warranty::FaultCategory::Performance,
                            note: None,
                            replacement_serial: None,
                        },
                        now,
                        now.date_naive(),
                    ),
                    Edit::Request => d.request_parts(&number, "SEAL-1", 2, None, now),
                };
            }
            Step::Hq(edit) => {
                // HQ refusals (cancelling a closed job, say) are part of the game.
                let _: Result<serde_json::Value, _> = match edit {
                    HqEdit::Cancel => {
                        world
                            .call(
                                Method::POST,
                                &format!("/jobs/{id}/cancel"),
                                Some(&CancelRequest::default()),
                            )
                            .await
                    }
                    HqEdit::Assign(to) => {
                        world
                            .call(
                                Method::POST,
                                &format!("/jobs/{id}/assign"),
                                Some(&AssignRequest {
                                    technician: Some(to.to_string()),
                                }),
                            )
                            .await
                    }
                    HqEdit::Phone(v) | HqEdit::Serial(v) | HqEdit::Summary(v) => {
                        let mut patch = JobPatch::default();
                        match edit {
                            HqEdit::Phone(_) => patch.contact_phone = Some(phone(*v)),
                            HqEdit::Serial(_) => patch.asset_serial = Some(format!("S-{v}")),
                            _ => patch.summary = Some(format!("Leak, take {v}")),
                        }
                        world
                            .call(Method::PATCH, &format!("/jobs/{id}"), Some(&patch))
                            .await
                    }
                    HqEdit::Settle(accept) => {
                        let open: Vec<ConflictView> = world
                            .call::<(), _>(Method::GET, "/conflicts", None)
                            .await
                            .map_err(|e| e.to_string())?;
                        match open.iter().find(|c| c.op.op.job_id == id) {
                            Some(c) => {
                                let resolution = if *accept {
                                    Resolution::AcceptDevice
                                } else {
                                    Resolution::KeepHq
                                };
                                world
                                    .call(
                                        Method::POST,
                                        &format!("/conflicts/{}/resolve", c.op.op.op_id),
                                        Some(&ResolveRequest {
                                            resolution,
                                            note: None,
                                        }),
                                    )
                                    .await
                            }
                            None => Ok(serde_json::Value::Null),
                        }
                    }
                };
            }
        }
    }
    // Everyone syncs until nothing moves: twice round is enough for B's ops to reach A.
    for i in [0, 1, 0, 1] {
        world.sync(i).await;
    }
    check(world, &number, id).await
}

async fn check(world: &World, number: &str, id: onsite_protocol::JobId) -> Result<(), String> {
    let hq: JobView = world
        .call::<(), _>(Method::GET, &format!("/jobs/{id}"), None)
        .await
        .map_err(|e| e.to_string())?;
    let ops: JobOps = world
        .call::<(), _>(Method::GET, &format!("/jobs/{id}/ops"), None)
        .await
        .map_err(|e| e.to_string())?;
    // The one refusal the game allows: a timer started on a laptop that had not heard yet
    // that HQ closed the job (a closed job takes no more work time).
    let closed_timer = |change: &onsite_protocol::Change, reason: Option<Reason>| {
        matches!(change, onsite_protocol::Change::WorkStarted { .. })
            && reason == Some(Reason::JobClosed)
    };
    let mut sent = Vec::new();
    let mut refused = [BTreeSet::new(), BTreeSet::new()];
    for (i, refused) in refused.iter_mut().enumerate() {
        let d = world.laptop(i);
        let outbox = d.outbox(u32::MAX).unwrap();
        if outbox.waiting != 0 {
            return Err(format!("laptop {i} still has {} waiting", outbox.waiting));
        }
        for e in outbox.ops.iter().filter(|e| e.job_number == number) {
            match e.state {
                OpState::Applied | OpState::Conflict => {}
                OpState::Rejected if closed_timer(&e.change, e.reason) => {
                    refused.insert(e.op_id);
                }
                _ => return Err(format!("laptop {i}: op {:?} ended {}", e.change, e.state)),
            }
            sent.push(e.op_id);
        }
    }
    // Every op from the laptops is at HQ exactly once, applied, a conflict, or a timer
    // refused on a closed job.
    for op_id in &sent {
        let at_hq: Vec<_> = ops.ops.iter().filter(|o| o.op.op_id == *op_id).collect();
        let refused_rightly = |o: &&onsite_protocol::push::RecordedOp| {
            o.outcome != Outcome::Rejected || closed_timer(&o.op.change, o.reason)
        };
        if at_hq.len() != 1 || !refused_rightly(&at_hq[0]) {
            return Err(format!("op {op_id} at HQ: {at_hq:?}"));
        }
    }
    if ops.ops.len() != sent.len() {
        return Err(format!(
            "HQ has {} ops, laptops sent {}",
            ops.ops.len(),
            sent.len()
        ));
    }
    // What counts on the job: everything but refusals, which only their own laptop keeps.
    let counted: BTreeSet<_> = ops
        .ops
        .iter()
        .filter(|o| o.outcome != Outcome::Rejected)
        .map(|o| o.op.op_id)
        .collect();
    let today = Utc::now().date_naive();
    for (i, refused) in refused.iter().enumerate() {
        let local = world.laptop(i).job(number, Utc::now(), today);
        match hq.job.technician.as_deref() {
            Some("tina") => {
                let d = local.map_err(|e| format!("laptop {i}: {e}"))?;
                let seen = (
                    d.job.status,
                    d.job.summary.clone(),
                    d.customer.phone.clone(),
                    d.asset.as_ref().and_then(|a| a.serial.clone()),
                );
                let want = (
                    hq.job.status,
                    hq.job.summary.clone(),
                    hq.customer.phone.clone(),
                    hq.asset.as_ref().and_then(|a| a.serial.clone()),
                );
                if seen != want {
                    return Err(format!("laptop {i} sees {seen:?}, HQ has {want:?}"));
                }
                let visit: onsite_protocol::visit::JobVisit = world
                    .call::<(), _>(Method::GET, &format!("/jobs/{id}/visit"), None)
                    .await
                    .map_err(|e| e.to_string())?;
                let parts: Vec<_> = d.visit.parts.iter().map(|p| p.used.clone()).collect();
                let answers: Vec<_> = d
                    .visit
                    .checklist
                    .sections
                    .iter()
                    .flat_map(|s| s.answers.iter().map(|a| (a.item.clone(), a.value.clone())))
                    .collect();
                let hq_answers: Vec<_> = visit
                    .record
                    .answers
                    .iter()
                    .map(|a| (a.item.clone(), a.value.clone()))
                    .collect();
                if parts != visit.record.parts
                    || d.visit.decisions != visit.record.decisions
                    || d.visit.requests != visit.record.requests
                    || answers != hq_answers
                {
                    return Err(format!(
                        "laptop {i}'s visit record differs from HQ's: {:?} / {:?}",
                        d.visit, visit.record
                    ));
                }
                let activity: BTreeSet<_> = d.activity.iter().map(|a| a.op_id).collect();
                let expected: BTreeSet<_> = counted.union(refused).copied().collect();
                if activity != expected {
                    return Err(format!("laptop {i} activity differs from HQ's ops"));
                }
                let conflicts_here = d
                    .activity
                    .iter()
                    .filter(|a| a.state == OpState::Conflict)
                    .count();
                let conflicts_hq = ops
                    .ops
                    .iter()
                    .filter(|o| o.outcome == Outcome::Conflict)
                    .count();
                if conflicts_here != conflicts_hq {
                    return Err(format!(
                        "laptop {i} shows {conflicts_here} conflicts, HQ {conflicts_hq}"
                    ));
                }
            }
            _ => {
                if local.is_ok() {
                    return Err(format!("laptop {i} still holds a job given away"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn two_laptops_and_a_dispatcher_converge() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let world = rt.block_on(World::new());
    let mut runner = TestRunner::new(Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..Config::default()
    });
    let counter = std::cell::Cell::new(0);
    let result = runner.run(&proptest::collection::vec(step(), 1..30), |steps| {
        counter.set(counter.get() + 1);
        rt.block_on(case(&world, counter.get(), &steps))
            .map_err(TestCaseError::fail)
    });
    let hq = rt.block_on(async {
        let mut world = world;
        world.hq.take()
    });
    if let Some(hq) = hq {
        rt.block_on(hq.shutdown());
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}
