//! Push, merge, conflicts and attachments through the router.

use super::*;
use onsite_protocol::blob;
use onsite_protocol::conflict::ConflictView;
use onsite_protocol::push::{JobOps, PushResponse};
use onsite_protocol::received::ReceivedOps;
use onsite_protocol::{JobId, OpId};
use sha2::Digest;

/// A device's op as JSON, stamped at `wall` ms on the device's clock.
pub(super) fn op(device: DeviceId, job: JobId, wall: i64, change: Value) -> Value {
    let mut v = json!({
        "op_id": OpId::new(),
        "device_id": device,
        "job_id": job,
        "hlc": format!("{wall:015}-{:010}-{device}", 0),
    });
    v.as_object_mut()
        .unwrap()
        .extend(change.as_object().unwrap().clone());
    v
}

pub(super) struct Setup {
    pub(super) hq: Hq,
    pub(super) dispatcher: String,
    pub(super) tina: String,
    pub(super) device: DeviceId,
    pub(super) job: JobView,
}

pub(super) async fn setup() -> Setup {
    let hq = Hq::new().await;
    let dispatcher = hq.login("dana").await.access_token;
    let device = DeviceId::new();
    let tina = hq.login_on("tina", device).await.access_token;
    let job = hq.create_job(&dispatcher, "J-1", Some("tina")).await;
    Setup {
        hq,
        dispatcher,
        tina,
        device,
        job,
    }
}

impl Setup {
    pub(super) async fn push(&self, ops: &[Value]) -> PushResponse {
        let (status, body) = self
            .hq
            .call(
                Method::POST,
                "/sync/push",
                Some(&self.tina),
                Some(json!({ "ops": ops })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let (status, body) = self
            .hq
            .call(Method::GET, path, Some(&self.dispatcher), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    pub(super) fn op(&self, wall: i64, change: Value) -> Value {
        op(self.device, self.job.job.id, wall, change)
    }
}

fn outcomes(r: &PushResponse) -> Vec<(String, Option<String>)> {
    r.results
        .iter()
        .map(|r| {
            (
                r.settled().to_string(),
                r.reason.map(|x| x.as_str().to_string()),
            )
        })
        .collect()
}

fn pair(outcome: &str, reason: Option<&str>) -> (String, Option<String>) {
    (outcome.to_string(), reason.map(str::to_string))
}

#[tokio::test]
async fn every_op_gets_a_result_and_a_replay_changes_nothing() {
    let s = setup().await;
    let toms = s.hq.create_job(&s.dispatcher, "J-2", Some("tom")).await;
    let mut malformed = s.op(3, json!({"kind": "note", "text": "x"}));
    malformed.as_object_mut().unwrap().remove("job_id");
    let batch = vec![
        s.op(1, json!({"kind": "status", "to": "on_site"})),
        s.op(2, json!({"kind": "note", "text": "Pump seal replaced"})),
        malformed,
        s.op(4, json!({"kind": "discount", "percent": 50})),
        op(
            s.device,
            toms.job.id,
            5,
            json!({"kind": "note", "text": "not mine"}),
        ),
        s.op(6, json!({"kind": "note", "text": "   "})),
        json!("not even an object"),
        s.op(8, json!({"kind": "status", "to": "completed"})),
    ];
    let first = s.push(&batch).await;
    let expected = vec![
        pair("applied", None),
        pair("applied", None),
        pair("rejected", Some("malformed_op")),
        pair("rejected", Some("unknown_kind")),
        pair("rejected", Some("not_your_job")),
        pair("rejected", Some("invalid_value")),
        pair("rejected", Some("malformed_op")),
        pair("applied", None),
    ];
    assert_eq!(outcomes(&first), expected);
    let view: JobView = s.get(&format!("/jobs/{}", s.job.job.id)).await;
    assert_eq!(view.job.status, onsite_protocol::JobStatus::Completed);

    // The response was lost: the device sends the same batch again.
    let again = s.push(&batch).await;
    assert_eq!(outcomes(&again), expected, "same settled outcomes");
    for (r, b) in again.results.iter().zip(&batch) {
        if b.get("op_id").is_some() {
            assert_eq!(r.outcome, onsite_protocol::Outcome::Duplicate);
        }
    }
    // HQ stored every op once (the one without any op id twice: it cannot be recognised).
    let log: ReceivedOps = s.get("/ops").await;
    assert_eq!(log.ops.len(), batch.len() + 1);
    let with_ids: std::collections::HashSet<_> = log.ops.iter().filter_map(|o| o.op_id).collect();
    assert_eq!(with_ids.len(), batch.len() - 1);
    assert!(log.ops.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(
        log.ops
            .iter()
            .all(|o| o.username == "tina" && o.device_id == s.device)
    );
    let view: JobView = s.get(&format!("/jobs/{}", s.job.job.id)).await;
    assert_eq!(view.job.version, 3, "two status changes, nothing more");
}

#[tokio::test]
async fn a_reordered_batch_merges_in_clock_order() {
    let s = setup().await;
    let batch = [
        s.op(1, json!({"kind": "status", "to": "en_route"})),
        s.op(2, json!({"kind": "status", "to": "on_site"})),
        s.op(3, json!({"kind": "status", "to": "completed"})),
    ];
    let reversed: Vec<Value> = batch.iter().rev().cloned().collect();
    let r = s.push(&reversed).await;
    assert!(outcomes(&r).iter().all(|o| o.0 == "applied"), "{r:?}");
    let ids: Vec<_> = r.results.iter().map(|r| r.op_id).collect();
    let sent: Vec<_> = reversed
        .iter()
        .map(|o| o["op_id"].as_str().unwrap().parse().ok())
        .collect();
    assert_eq!(ids, sent, "results follow the request's order");
    let view: JobView = s.get(&format!("/jobs/{}", s.job.job.id)).await;
    assert_eq!(view.job.status, onsite_protocol::JobStatus::Completed);
}

#[tokio::test]
async fn completed_on_site_against_cancelled_at_hq_waits_for_a_dispatcher() {
    let s = setup().await;
    s.push(&[s.op(1, json!({"kind": "status", "to": "on_site"}))])
        .await;
    let id = s.job.job.id;
    let (status, _) =
        s.hq.call(
            Method::POST,
            &format!("/jobs/{id}/cancel"),
            Some(&s.dispatcher),
            Some(json!({"reason": "customer called"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let completed = s.op(2, json!({"kind": "status", "to": "completed"}));
    let r = s.push(std::slice::from_ref(&completed)).await;
    assert_eq!(
        outcomes(&r),
        vec![pair("conflict", Some("status_conflict"))]
    );

    let open: Vec<ConflictView> = s.get("/conflicts").await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].job_status, onsite_protocol::JobStatus::Cancelled);
    assert_eq!(open[0].op.by, "tina");
    assert_eq!(open[0].op.by_name.as_deref(), Some("Tina Tech"));
    assert_eq!(
        open[0].op.message.as_deref(),
        Some(crate::rules::merge::status_conflict(
            onsite_protocol::JobStatus::Cancelled,
            onsite_protocol::JobStatus::Completed
        ))
        .as_deref()
    );

    // The technician's device sees the conflict with the job.
    let (_, page) =
        s.hq.call(Method::GET, "/sync/pull", Some(&s.tina), None)
            .await;
    let page: PullPage = serde_json::from_value(page).unwrap();
    let conflict = page
        .ops
        .iter()
        .find(|o| o.outcome == onsite_protocol::Outcome::Conflict)
        .unwrap();
    assert!(conflict.settled.is_none());

    let path = format!(
        "/conflicts/{}/resolve",
        completed["op_id"].as_str().unwrap()
    );
    let resolve = |resolution: &'static str| {
        s.hq.call(
            Method::POST,
            &path,
            Some(&s.dispatcher),
            Some(json!({ "resolution": resolution, "note": "The customer rang back: done after all" })),
        )
    };
    let (status, body) =
        s.hq.call(
            Method::POST,
            &path,
            Some(&s.dispatcher),
            Some(json!({ "resolution": "keep_hq", "note": "x".repeat(501) })),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "an overlong note is refused and settles nothing"
    );
    let (status, body) = resolve("accept_device").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: JobView = s.get(&format!("/jobs/{id}")).await;
    assert_eq!(view.job.status, onsite_protocol::JobStatus::Completed);
    let (status, body) = resolve("keep_hq").await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "conflict"));
    let open: Vec<ConflictView> = s.get("/conflicts").await;
    assert!(open.is_empty());
    let all: Vec<ConflictView> = s.get("/conflicts?all=true").await;
    assert_eq!(all[0].op.settled.as_ref().unwrap().by, "dana");

    // The settlement syncs back to the technician.
    let (_, page) =
        s.hq.call(Method::GET, "/sync/pull", Some(&s.tina), None)
            .await;
    let page: PullPage = serde_json::from_value(page).unwrap();
    let conflict = page
        .ops
        .iter()
        .find(|o| o.outcome == onsite_protocol::Outcome::Conflict)
        .unwrap();
    let settled = conflict.settled.as_ref().unwrap();
    assert_eq!(
        settled.resolution,
        onsite_protocol::Resolution::AcceptDevice
    );
    assert_eq!(
        (settled.by_name.as_deref(), settled.note.as_deref()),
        (
            Some("Dana Dispatch"),
            Some("The customer rang back: done after all")
        )
    );
    assert_eq!(conflict.by_name.as_deref(), Some("Tina Tech"));
    assert_eq!(page.jobs[0].status, onsite_protocol::JobStatus::Completed);

    // The history says what moved the job and names people by their display names.
    use onsite_protocol::HistoryEvent as E;
    let history: Vec<_> = page
        .history
        .iter()
        .map(|h| (h.event, h.status.as_str(), h.detail.as_deref()))
        .collect();
    assert_eq!(
        history,
        [
            (E::Created, "assigned", Some("Tina Tech")),
            (E::Status, "on_site", Some("Tina Tech")),
            (E::Cancelled, "cancelled", Some("customer called")),
            (
                E::Settled,
                "completed",
                Some("Dana Dispatch accepted Tina Tech's change")
            ),
        ]
    );

    // Technicians may not settle conflicts.
    let (status, _) =
        s.hq.call(Method::GET, "/conflicts", Some(&s.tina), None)
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Work time on a job HQ closed: a timer start is refused with `job_closed`, the stop of a
/// timer that was running is taken, and a note is still a welcome fact.
#[tokio::test]
async fn a_closed_job_takes_no_more_work_time() {
    let s = setup().await;
    let minutes = |m: i64| (Utc::now() + chrono::Duration::minutes(m)).to_rfc3339();
    s.push(&[
        s.op(1, json!({"kind": "status", "to": "on_site"})),
        s.op(2, json!({"kind": "work_started", "at": minutes(-40)})),
    ])
    .await;
    let id = s.job.job.id;
    let (status, _) =
        s.hq.call(
            Method::POST,
            &format!("/jobs/{id}/cancel"),
            Some(&s.dispatcher),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = s
        .push(&[
            s.op(3, json!({"kind": "work_stopped", "at": minutes(-10)})),
            s.op(4, json!({"kind": "work_started", "at": minutes(0)})),
            s.op(5, json!({"kind": "note", "text": "Left a card"})),
        ])
        .await;
    assert_eq!(
        outcomes(&r),
        vec![
            pair("applied", None),
            pair("rejected", Some("job_closed")),
            pair("applied", None)
        ]
    );
    assert!(
        r.results[1]
            .message
            .as_deref()
            .unwrap()
            .contains("cancelled"),
        "{:?}",
        r.results[1].message
    );
}

#[tokio::test]
async fn corrections_are_last_writer_wins_and_losers_are_kept() {
    let s = setup().await;
    let id = s.job.job.id;
    let now_ms = Utc::now().timestamp_millis();
    let r = s
        .push(&[s.op(
            now_ms,
            json!({"kind": "contact_phone", "phone": "555 0100"}),
        )])
        .await;
    assert_eq!(outcomes(&r), vec![pair("applied", None)]);
    // The dispatcher corrects it after HQ saw the device's value: HQ's stamp is later.
    let (status, body) =
        s.hq.call(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&s.dispatcher),
            Some(json!({"contact_phone": "555 0199"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["customer"]["phone"], "555 0199");
    // A correction recorded earlier on the device arrives late: it loses, and is kept.
    let r = s
        .push(&[s.op(
            now_ms - 60_000,
            json!({"kind": "contact_phone", "phone": "555 0042"}),
        )])
        .await;
    assert_eq!(outcomes(&r), vec![pair("applied", Some("superseded"))]);
    let view: JobView = s.get(&format!("/jobs/{id}")).await;
    assert_eq!(view.customer.phone.as_deref(), Some("555 0199"));
    let ops: JobOps = s.get(&format!("/jobs/{id}/ops")).await;
    let losers: Vec<_> = ops
        .replaced
        .iter()
        .map(|r| r.value.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        losers,
        vec!["", "555 0100", "555 0042"],
        "{:?}",
        ops.replaced
    );
    // A serial on a job without an asset is refused.
    let r = s
        .push(&[s.op(now_ms, json!({"kind": "asset_serial", "serial": "S-1"}))])
        .await;
    assert_eq!(outcomes(&r), vec![pair("rejected", Some("no_asset"))]);
}

impl Hq {
    async fn blob(
        &self,
        method: Method,
        token: &str,
        sha: &str,
        offset_total: Option<(u64, u64)>,
        body: Vec<u8>,
    ) -> Response<Body> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1/blobs/{sha}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some((offset, total)) = offset_total {
            req = req.header(blob::OFFSET, offset).header(blob::TOTAL, total);
        }
        self.app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap()
    }
}

fn received(res: &Response<Body>) -> (u64, bool) {
    let h = |name| {
        res.headers()
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
            .to_string()
    };
    (
        h(blob::RECEIVED).parse().unwrap(),
        h(blob::COMPLETE) == "true",
    )
}

#[tokio::test]
async fn attachments_upload_in_chunks_before_their_op() {
    let s = setup().await;
    let content: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let sha = hex::encode(sha2::Sha256::digest(&content));
    let total = content.len() as u64;
    let res = s.hq.blob(Method::HEAD, &s.tina, &sha, None, vec![]).await;
    assert_eq!((res.status(), received(&res)), (StatusCode::OK, (0, false)));
    let photo = s.op(
        1,
        json!({"kind": "attachment", "sha256": sha, "file_name": "boiler.jpg",
               "media_type": "image/jpeg", "bytes": total}),
    );
    let r = s.push(std::slice::from_ref(&photo)).await;
    assert_eq!(
        outcomes(&r),
        vec![pair("rejected", Some("attachment_missing"))]
    );

    let res =
        s.hq.blob(
            Method::PUT,
            &s.tina,
            &sha,
            Some((0, total)),
            content[..100_000].to_vec(),
        )
        .await;
    assert_eq!(received(&res), (100_000, false));
    // A chunk that would leave a gap is refused with what HQ holds.
    let res =
        s.hq.blob(
            Method::PUT,
            &s.tina,
            &sha,
            Some((200_000, total)),
            content[200_000..].to_vec(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res =
        s.hq.blob(
            Method::PUT,
            &s.tina,
            &sha,
            Some((100_000, total)),
            content[100_000..].to_vec(),
        )
        .await;
    assert_eq!(
        (res.status(), received(&res)),
        (StatusCode::OK, (total, true))
    );

    let again = s.op(
        2,
        json!({"kind": "attachment", "sha256": sha, "file_name": "boiler.jpg",
               "media_type": "image/jpeg", "bytes": total}),
    );
    let r = s.push(&[again]).await;
    assert_eq!(outcomes(&r), vec![pair("applied", None)]);
    let res =
        s.hq.blob(Method::GET, &s.dispatcher, &sha, None, vec![])
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(bytes.as_ref(), content.as_slice());

    // Oversize content is refused at the first chunk, with a clear code.
    let big = onsite_protocol::op::MAX_ATTACHMENT_BYTES + 1;
    let res =
        s.hq.blob(
            Method::PUT,
            &s.tina,
            &"cd".repeat(32),
            Some((0, big)),
            vec![1; 10],
        )
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // So is an op claiming an oversize file, without costing the rest of the batch.
    let r = s
        .push(&[
            s.op(
                3,
                json!({"kind": "attachment", "sha256": "cd".repeat(32), "file_name": "big.jpg",
                       "media_type": "image/jpeg", "bytes": big}),
            ),
            s.op(4, json!({"kind": "note", "text": "still here"})),
        ])
        .await;
    assert_eq!(
        outcomes(&r),
        vec![
            pair("rejected", Some("attachment_too_large")),
            pair("applied", None)
        ]
    );
}

#[tokio::test]
async fn push_limits_and_roles() {
    let s = setup().await;
    let many: Vec<Value> = (0..1001)
        .map(|i| s.op(i, json!({"kind": "note", "text": "n"})))
        .collect();
    let (status, body) =
        s.hq.call(
            Method::POST,
            "/sync/push",
            Some(&s.tina),
            Some(json!({ "ops": many })),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let (status, _) =
        s.hq.call(
            Method::POST,
            "/sync/push",
            Some(&s.dispatcher),
            Some(json!({"ops": []})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) =
        s.hq.call(
            Method::POST,
            "/sync/push",
            Some(&s.tina),
            Some(json!({"ops": 5})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "malformed_json")
    );
}

/// A stamp at the very end of what the text form holds: before, HQ's clock overflowed past
/// it, stored a stamp nobody could read, and `/ops` answered 500 for good. Now HQ stamps the
/// op itself, says so, flags the device, and every clock stays where it belongs.
#[tokio::test]
async fn a_crafted_clock_stamp_cannot_corrupt_hq() {
    let s = setup().await;
    let mut crafted = s.op(0, json!({"kind": "note", "text": "from the year 33658"}));
    crafted["hlc"] = json!(format!("999999999999999-4294967295-{}", s.device));
    let before = Utc::now().timestamp_millis();
    let r = s.push(&[crafted]).await;
    assert_eq!(outcomes(&r), vec![pair("applied", None)]);
    let said = r.results[0].message.as_deref().unwrap_or_default();
    assert!(
        said.contains("clock is") && said.contains("ahead"),
        "{said}"
    );
    let day = onsite_protocol::hlc::TOLERANCE_MS;
    assert!(
        r.hlc.wall < before + day,
        "HQ's clock followed the crafted stamp: {}",
        r.hlc
    );
    // Every stamp HQ holds reads back, and the op travels with HQ's stamp, not the crafted one.
    let received: ReceivedOps = s.get("/ops").await;
    assert_eq!(received.ops.len(), 1);
    let entry = &received.ops[0];
    let stored = entry.hlc.expect("a readable device stamp");
    assert!(stored.wall < before + day, "{stored}");
    assert_eq!(stored.node, s.device);
    assert!(entry.hq_hlc.is_some());
    assert_eq!(entry.body["hlc"], json!(stored.to_string()));
    // Another technician's sync goes on as before, and HQ's clock moves forward from its time.
    let device = DeviceId::new();
    let tom = s.hq.login_on("tom", device).await.access_token;
    let toms = s.hq.create_job(&s.dispatcher, "J-2", Some("tom")).await;
    let (status, body) = s
        .hq
        .call(
            Method::POST,
            "/sync/push",
            Some(&tom),
            Some(json!({"ops": [op(device, toms.job.id, before, json!({"kind": "note", "text": "ok"}))]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after: PushResponse = serde_json::from_value(body).unwrap();
    assert!(
        after.hlc > r.hlc && after.hlc.wall < before + day,
        "{}",
        after.hlc
    );
    let (status, _) = s.hq.call(Method::GET, "/sync/pull", Some(&tom), None).await;
    assert_eq!(status, StatusCode::OK);
}

/// A far-future stamp is replaced, so a correction made later (by real time) still wins
/// over one from a laptop whose date is 9999.
#[tokio::test]
async fn a_laptop_at_9999_does_not_win_every_correction() {
    let s = setup().await;
    let id = s.job.job.id;
    let year_9999 = "9999-12-31T00:00:00Z"
        .parse::<chrono::DateTime<Utc>>()
        .unwrap()
        .timestamp_millis();
    let mut future = s.op(
        year_9999,
        json!({"kind": "contact_phone", "phone": "555 9999"}),
    );
    future["recorded_at"] = json!("9999-12-31T00:00:00Z");
    let r = s.push(&[future]).await;
    assert_eq!(outcomes(&r), vec![pair("applied", None)]);
    let (status, body) =
        s.hq.call(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&s.dispatcher),
            Some(json!({"contact_phone": "555 0199"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["customer"]["phone"], "555 0199", "the later edit wins");
    let ops: JobOps = s.get(&format!("/jobs/{id}/ops")).await;
    assert_eq!(
        ops.ops[0].op.recorded_at, None,
        "a time far ahead of HQ's is not shown to people"
    );
}

/// Work times from a laptop whose date is wrong are refused, saying why.
#[tokio::test]
async fn work_times_far_from_hq_s_time_are_refused() {
    let s = setup().await;
    let r = s
        .push(&[
            s.op(
                1,
                json!({"kind": "work_started", "at": "9999-12-31T00:00:00Z"}),
            ),
            s.op(
                2,
                json!({"kind": "work_started", "at": "1970-01-01T00:00:00Z"}),
            ),
            s.op(
                3,
                json!({"kind": "work_started", "at": Utc::now().to_rfc3339()}),
            ),
        ])
        .await;
    assert_eq!(
        outcomes(&r),
        vec![
            pair("rejected", Some("implausible_time")),
            pair("rejected", Some("implausible_time")),
            pair("applied", None),
        ]
    );
    assert!(
        r.results[1]
            .message
            .as_deref()
            .unwrap()
            .contains("before the job was created")
    );
}

/// Before, a former holder's phone correction was applied and reached the new technician as
/// current. It is a conflict now, as a status change is.
#[tokio::test]
async fn a_former_holder_cannot_correct_a_reassigned_job() {
    let s = setup().await;
    let id = s.job.job.id;
    let (status, _) =
        s.hq.call(
            Method::POST,
            &format!("/jobs/{id}/assign"),
            Some(&s.dispatcher),
            Some(json!({"technician": "tom"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let now = Utc::now().timestamp_millis();
    let r = s
        .push(&[
            s.op(now, json!({"kind": "contact_phone", "phone": "555 0666"})),
            s.op(
                now + 1,
                json!({"kind": "note", "text": "Left before the handover"}),
            ),
        ])
        .await;
    assert_eq!(
        outcomes(&r),
        vec![
            pair("conflict", Some("job_reassigned")),
            pair("applied", None)
        ]
    );
    let view: JobView = s.get(&format!("/jobs/{id}")).await;
    assert_ne!(view.customer.phone.as_deref(), Some("555 0666"));
    let tom = s.hq.login("tom").await.access_token;
    let (_, page) = s.hq.call(Method::GET, "/sync/pull", Some(&tom), None).await;
    assert!(
        !page["customers"].to_string().contains("555 0666"),
        "{page}"
    );
    // A dispatcher who accepts it makes it the value. The note is held to the 500 characters
    // the description states as sent: before, one padded past them with blanks was trimmed
    // into shape and taken, and a tab in it was refused.
    let op_id = r.results[0].op_id.unwrap();
    let path = format!("/conflicts/{op_id}/resolve");
    let resolve = |note: String| {
        s.hq.call(
            Method::POST,
            &path,
            Some(&s.dispatcher),
            Some(json!({"resolution": "accept_device", "note": note})),
        )
    };
    let (status, body) = resolve(format!("{}{}", " ".repeat(10), "n".repeat(495))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "{body}"
    );
    let (status, body) = resolve("Confirmed\tby phone".into()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: JobView = s.get(&format!("/jobs/{id}")).await;
    assert_eq!(view.customer.phone.as_deref(), Some("555 0666"));
}

/// What HQ keeps of an op is what it read: fields it does not know are not stored, and a
/// rejected op of a megabyte is kept as its start and size.
#[tokio::test]
async fn hq_keeps_what_it_read_not_what_was_sent() {
    let s = setup().await;
    let mut padded = s.op(1, json!({"kind": "note", "text": "Pump checked"}));
    padded["junk"] = json!("x".repeat(300_000));
    let mut malformed = s.op(2, json!({"kind": "note"}));
    malformed["junk"] = json!("y".repeat(300_000));
    let r = s.push(&[padded, malformed]).await;
    assert_eq!(
        outcomes(&r),
        vec![
            pair("applied", None),
            pair("rejected", Some("malformed_op"))
        ]
    );
    let received: ReceivedOps = s.get("/ops").await;
    let kept: Vec<usize> = received
        .ops
        .iter()
        .map(|o| o.body.to_string().len())
        .collect();
    assert!(kept.iter().all(|&n| n < 5_000), "{kept:?}");
    let applied = received.ops.iter().find(|o| o.op_id == r.results[0].op_id);
    let applied = &applied.unwrap().body;
    assert!(applied.get("junk").is_none());
    assert_eq!(applied["text"], "Pump checked");
    let rejected = received.ops.iter().find(|o| o.op_id == r.results[1].op_id);
    assert_eq!(rejected.unwrap().body["truncated"], true);
}
