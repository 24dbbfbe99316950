//! The storage conformance suite on PostgreSQL, a fresh database per case, and what only an
//! engine shared by several processes must show.

crate::storage_conformance!(super::testing::fresh());

use super::PostgresStorage;
use super::testing::fresh;
use crate::auth::{issue, successor, token_hash};
use crate::storage::conformance::{stored_now, with_users};
use crate::storage::{Refresh, Storage};
use onsite_protocol::DeviceId;

/// Two HQ processes get the same refresh at once (a device retried on another connection):
/// one rotates, the other answers the same pair as a retry, and the session lives on.
#[tokio::test]
async fn a_refresh_raced_to_two_processes_rotates_once() {
    let (first, db) = fresh().await;
    let second = PostgresStorage::open(&db.url).await.unwrap();
    with_users(&first).await;
    assert_eq!(
        first.token_key(),
        second.token_key(),
        "one key for every process"
    );
    let at = stored_now();
    for round in 0..20 {
        let device = DeviceId::new();
        let login = issue(at);
        first
            .create_session("tina", device, &login.pair, at)
            .await
            .unwrap();
        let next = successor(first.token_key(), &login.refresh, at);
        let hash = token_hash(&login.refresh);
        let (a, b) = tokio::join!(
            first.rotate_session(&hash, device, &next.pair, at),
            second.rotate_session(&hash, device, &next.pair, at),
        );
        let mut repeated: Vec<bool> = [a, b]
            .into_iter()
            .map(|o| match o {
                Ok(Refresh::Rotated(r)) => r.repeated,
                other => panic!("round {round}: {other:?}"),
            })
            .collect();
        repeated.sort_unstable();
        assert_eq!(
            repeated,
            [false, true],
            "round {round}: one rotation and one retry"
        );
        let live = second.session(&next.pair.access_hash).await.unwrap();
        assert_eq!(live.map(|s| s.user.username).as_deref(), Some("tina"));
    }
}

/// The same batch reaches two HQ processes at once (a device's retry racing its first try):
/// each op is recorded and applied once, and both answers say what became of it.
#[tokio::test]
async fn the_same_ops_pushed_to_two_processes_at_once_are_applied_once() {
    use crate::storage::{BlobSizes, Pusher};
    use onsite_protocol::Outcome;
    let (first, db) = fresh().await;
    let second = PostgresStorage::open(&db.url).await.unwrap();
    with_users(&first).await;
    let input: onsite_protocol::api::JobInput = serde_json::from_value(serde_json::json!({
        "number": "J-1", "kind": "repair", "summary": "Leak", "technician": "tina",
        "customer": {"name": "Ada"}, "site": {"address": "1 Row"}}))
    .unwrap();
    let job = first.create_job(&input, stored_now()).await.unwrap().job;
    let device = DeviceId::new();
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    for round in 0..10u32 {
        let batch: Vec<_> = (0..5u32)
            .map(|n| {
                serde_json::json!({"op_id": onsite_protocol::OpId::new(), "device_id": device,
                    "job_id": job.id, "hlc": format!("{:015}-{:010}-{device}", 1, round * 5 + n),
                    "kind": "note", "text": format!("note {round}.{n}")})
            })
            .collect();
        let blobs = BlobSizes::new();
        let (a, b) = tokio::join!(
            first.push(&pusher, &batch, &blobs, stored_now()),
            second.push(&pusher, &batch, &blobs, stored_now()),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        for (x, y) in a.results.iter().zip(&b.results) {
            let mut outcomes = [x.outcome, y.outcome];
            outcomes.sort_by_key(|o| o.as_str());
            assert_eq!(
                outcomes,
                [Outcome::Applied, Outcome::Duplicate],
                "round {round}: once applied, once a duplicate"
            );
        }
    }
    let received = first.received_ops(None, 500).await.unwrap();
    assert_eq!(received.ops.len(), 50, "fifty ops sent, fifty recorded");
}
