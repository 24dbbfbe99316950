//! The storage conformance suite on PostgreSQL, a fresh database per case, for the methods
//! this engine implements so far.

crate::storage_conformance!(@cases super::testing::fresh();
    a_retried_refresh_gets_the_same_pair_within_the_grace_only,
    any_retired_refresh_token_presented_again_ends_the_session,
    a_session_ends_at_its_lifetime,
    sessions_end_by_number_user_and_device_and_with_their_account,
    console_sessions_resolve_until_they_end,
    accounts_are_listed_and_changed_and_a_new_password_ends_sessions,
    a_calendar_address_is_renewed_and_only_technicians_have_one,
);

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
