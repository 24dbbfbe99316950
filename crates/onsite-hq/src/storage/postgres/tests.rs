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
