//! Conformance cases for sessions: rotation, the grace window, the token family, the
//! lifetime, ending sessions and disabled accounts.

use super::*;
use crate::auth::{issue, successor, token_hash};
use chrono::Duration;

/// A login for `username` on a new device at `at`: the device and the refresh token.
async fn login(s: &dyn Storage, username: &str, at: DateTime<Utc>) -> (DeviceId, String) {
    let device = DeviceId::new();
    let issued = issue(at);
    s.create_session(username, device, &issued.pair, at)
        .await
        .unwrap();
    (device, issued.refresh)
}

/// Presents `refresh` from `device` at `at`: the outcome and the refresh token it would get.
async fn present(
    s: &dyn Storage,
    refresh: &str,
    device: DeviceId,
    at: DateTime<Utc>,
) -> (Refresh, String) {
    let next = successor(s.token_key(), refresh, at);
    let outcome = s
        .rotate_session(&token_hash(refresh), device, &next.pair, at)
        .await
        .unwrap();
    (outcome, next.refresh)
}

fn rotated(outcome: &Refresh) -> &Rotation {
    match outcome {
        Refresh::Rotated(r) => r,
        other => panic!("expected a rotation, got {other:?}"),
    }
}

async fn active(s: &dyn Storage, username: &str, now: DateTime<Utc>) -> usize {
    s.sessions(Some(username), false, 100, now)
        .await
        .unwrap()
        .len()
}

/// Conformance case: the token retired last, presented again by the same device within the
/// grace window, gets the pair already stored (`repeated`), and nothing changes; after the
/// window, or from another device, it is a copy and ends the session.
pub async fn a_retried_refresh_gets_the_same_pair_within_the_grace_only(s: &dyn Storage) {
    let t0 = stored_now();
    let (device, first) = login(s, "tina", t0).await;
    let (outcome, second) = present(s, &first, device, t0).await;
    let once = rotated(&outcome).clone();
    assert!(!once.repeated);
    assert_eq!(once.user.username, "tina");

    let (outcome, again) = present(s, &first, device, t0 + Duration::seconds(20)).await;
    let retried = rotated(&outcome);
    assert!(retried.repeated, "a retry inside the grace window");
    assert_eq!(again, second, "the same pair");
    assert_eq!(
        (retried.access_expires_at, retried.refresh_expires_at),
        (once.access_expires_at, once.refresh_expires_at),
        "with the expiries already stored"
    );

    let (outcome, _) = present(s, &first, DeviceId::new(), t0 + Duration::seconds(20)).await;
    assert!(
        matches!(outcome, Refresh::Reused),
        "from another device: {outcome:?}"
    );
    let (outcome, _) = present(s, &second, device, t0 + Duration::seconds(21)).await;
    assert!(matches!(outcome, Refresh::Invalid), "the session ended");

    let (device, first) = login(s, "tom", t0).await;
    present(s, &first, device, t0).await;
    let late = t0 + REFRESH_GRACE + Duration::seconds(1);
    let (outcome, _) = present(s, &first, device, late).await;
    assert!(
        matches!(outcome, Refresh::Reused),
        "after the window: {outcome:?}"
    );
    assert_eq!(active(s, "tom", late).await, 0);
}

/// Conformance case: every token a session retired is remembered, not only the last one.
pub async fn any_retired_refresh_token_presented_again_ends_the_session(s: &dyn Storage) {
    let t0 = stored_now();
    let (device, mut token) = login(s, "tina", t0).await;
    let mut family = vec![token.clone()];
    for minute in 1..=4 {
        let (outcome, next) = present(s, &token, device, t0 + Duration::minutes(minute)).await;
        rotated(&outcome);
        family.push(next.clone());
        token = next;
    }
    let now = t0 + Duration::minutes(10);
    let (outcome, _) = present(s, &family[1], device, now).await;
    assert!(matches!(outcome, Refresh::Reused), "{outcome:?}");
    let (outcome, _) = present(s, &token, device, now).await;
    assert!(
        matches!(outcome, Refresh::Invalid),
        "the current token died with it"
    );
    let ended = s.sessions(Some("tina"), true, 10, now).await.unwrap();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].state(now), SessionState::Ended(Ending::Reused));
}

/// Conformance case: however often it is refreshed, a session ends [`SESSION_LIFETIME`] after
/// its login, and no token it is given outlives that.
pub async fn a_session_ends_at_its_lifetime(s: &dyn Storage) {
    let t0 = stored_now();
    let (device, mut token) = login(s, "tina", t0).await;
    let end = t0 + SESSION_LIFETIME;
    let mut at = t0;
    while at + Duration::days(20) < end {
        at += Duration::days(20);
        let (outcome, next) = present(s, &token, device, at).await;
        assert!(rotated(&outcome).refresh_expires_at <= end);
        token = next;
    }
    let near = end - Duration::hours(1);
    let (outcome, next) = present(s, &token, device, near).await;
    let last = rotated(&outcome);
    assert_eq!(
        (last.refresh_expires_at, last.access_expires_at),
        (end, end.min(near + crate::auth::ACCESS_TTL)),
        "clamped to the lifetime"
    );
    let (outcome, _) = present(s, &next, device, end).await;
    assert!(matches!(outcome, Refresh::Invalid), "{outcome:?}");
    assert_eq!(active(s, "tina", end).await, 0);
}

/// Conformance case: sessions end by number, by user and by device; their tokens stop at
/// once; a disabled account's sessions end, its credentials say so, and enabling it does not
/// bring them back.
pub async fn sessions_end_by_number_user_and_device_and_with_their_account(s: &dyn Storage) {
    let now = stored_now();
    let login_pair = |username: &'static str| async move {
        let device = DeviceId::new();
        let issued = issue(now);
        s.create_session(username, device, &issued.pair, now)
            .await
            .unwrap();
        (device, issued)
    };
    let (_, a) = login_pair("tina").await;
    let (laptop, b) = login_pair("tina").await;
    let (_, c) = login_pair("tom").await;
    let (_, d) = login_pair("tom").await;
    // Someone else logging in on tina's laptop.
    let e = issue(now);
    s.create_session("dana", laptop, &e.pair, now)
        .await
        .unwrap();

    let a_session = s.session(&a.pair.access_hash).await.unwrap().unwrap();
    assert_eq!(a_session.user.username, "tina");
    let n = s
        .end_sessions(&SessionSelector::Id(a_session.id), Ending::Logout, now)
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert!(s.session(&a.pair.access_hash).await.unwrap().is_none());
    assert_eq!(
        s.end_sessions(&SessionSelector::Id(a_session.id), Ending::Revoked, now)
            .await
            .unwrap(),
        0,
        "an ended session keeps its first ending"
    );
    let n = s
        .end_sessions(&SessionSelector::Device(laptop), Ending::Revoked, now)
        .await
        .unwrap();
    assert_eq!(n, 2, "every session on the laptop");
    assert!(s.session(&b.pair.access_hash).await.unwrap().is_none());
    assert!(s.session(&e.pair.access_hash).await.unwrap().is_none());
    assert!(s.session(&c.pair.access_hash).await.unwrap().is_some());

    let listed = s.sessions(Some("tina"), true, 10, now).await.unwrap();
    let endings: BTreeSet<_> = listed
        .iter()
        .map(|r| r.ended.map(|(_, why)| why.as_str()))
        .collect();
    assert_eq!(endings, BTreeSet::from([Some("logout"), Some("revoked")]));

    assert_eq!(s.set_user_disabled("tom", true, now).await.unwrap(), 2);
    assert!(s.session(&c.pair.access_hash).await.unwrap().is_none());
    assert!(s.session(&d.pair.access_hash).await.unwrap().is_none());
    assert!(s.credentials("tom").await.unwrap().unwrap().disabled);
    assert_eq!(s.set_user_disabled("tom", false, now).await.unwrap(), 0);
    assert!(!s.credentials("tom").await.unwrap().unwrap().disabled);
    assert!(
        s.session(&c.pair.access_hash).await.unwrap().is_none(),
        "still ended"
    );

    // A disabled account's sessions cannot be refreshed even if one was started since.
    let (device, refresh) = login(s, "tom", now).await;
    s.set_user_disabled("tom", true, now).await.unwrap();
    let (outcome, _) = present(s, &refresh, device, now).await;
    assert!(matches!(outcome, Refresh::Invalid), "{outcome:?}");

    for missing in [
        s.end_sessions(
            &SessionSelector::User("nobody".into()),
            Ending::Revoked,
            now,
        )
        .await
        .map(|_| ()),
        s.set_user_disabled("nobody", true, now).await.map(|_| ()),
        s.sessions(Some("nobody"), true, 10, now).await.map(|_| ()),
    ] {
        assert!(
            matches!(missing, Err(StorageError::NotFound("user"))),
            "{missing:?}"
        );
    }
}

/// Conformance case: the session list shows the active sessions newest first (every one with
/// `ended`), within the limit, with their device's clock when HQ found it far ahead.
pub async fn the_session_list_shows_active_ones_and_far_ahead_clocks(s: &dyn Storage) {
    let t0 = stored_now();
    let (old_device, _) = login(s, "tina", t0 - Duration::hours(2)).await;
    let (device, _) = login(s, "tina", t0 - Duration::hours(1)).await;
    login(s, "tom", t0).await;
    s.end_sessions(&SessionSelector::Device(old_device), Ending::Revoked, t0)
        .await
        .unwrap();

    let all = s.sessions(None, true, 10, t0).await.unwrap();
    let users: Vec<_> = all.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(users, ["tom", "tina", "tina"], "newest first");
    assert_eq!(s.sessions(None, true, 2, t0).await.unwrap().len(), 2);
    let tinas = s.sessions(Some("tina"), false, 10, t0).await.unwrap();
    assert_eq!(tinas.len(), 1);
    assert_eq!(tinas[0].device_id, device);
    assert_eq!(tinas[0].state(t0), SessionState::Active);
    assert!(tinas[0].clock.is_none());

    // A push stamped a year ahead flags the device's clock.
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, t0).await.unwrap();
    let ahead = t0 + Duration::days(365);
    let op = json!({"op_id": onsite_protocol::OpId::new(), "device_id": device,
                    "job_id": view.job.id,
                    "hlc": format!("{:015}-{:010}-{device}", ahead.timestamp_millis(), 0),
                    "kind": "note", "text": "checked"});
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    s.push(&pusher, &[op], &BlobSizes::new(), t0).await.unwrap();
    let tinas = s.sessions(Some("tina"), false, 10, t0).await.unwrap();
    let clock = tinas[0].clock.as_ref().expect("the clock is flagged");
    assert_eq!(clock.count, 1);
    assert!(clock.ahead_ms > Duration::days(364).num_milliseconds());
    // Expired sessions are not active.
    let later = t0 + crate::auth::REFRESH_TTL + Duration::seconds(1);
    assert_eq!(s.sessions(None, false, 10, later).await.unwrap().len(), 0);
    assert_eq!(
        s.sessions(None, true, 10, later).await.unwrap()[0].state(later),
        SessionState::Expired
    );
}

/// Conformance case: a console session resolves from its cookie's hash until it is ended,
/// its user's sessions are ended, or the account is disabled; its last-seen time only moves
/// forward; sessions past their lifetime are forgotten at the next sign-in.
pub async fn console_sessions_resolve_until_they_end(s: &dyn Storage) {
    let t0 = stored_now();
    let hash = |n: u8| [n; 32];
    let id = s
        .create_console_session("dana", &hash(1), t0)
        .await
        .unwrap();
    let found = s.console_session(&hash(1)).await.unwrap().unwrap();
    assert_eq!((found.id, found.user.username.as_str()), (id, "dana"));
    assert_eq!(found.state(t0), ConsoleState::Live { touch: false });
    assert_eq!(found.state(t0 + CONSOLE_IDLE), ConsoleState::Idle);
    assert!(s.console_session(&hash(9)).await.unwrap().is_none());

    s.touch_console_session(id, t0 + Duration::minutes(20))
        .await
        .unwrap();
    s.touch_console_session(id, t0 + Duration::minutes(5))
        .await
        .unwrap();
    let touched = s.console_session(&hash(1)).await.unwrap().unwrap();
    assert_eq!(
        touched.state(t0 + Duration::minutes(45)),
        ConsoleState::Live { touch: true },
        "idle from the latest request, not the first: {touched:?}"
    );

    assert_eq!(
        s.end_console_session(id, Ending::Logout, t0).await.unwrap(),
        1
    );
    assert_eq!(
        s.end_console_session(id, Ending::Revoked, t0)
            .await
            .unwrap(),
        0
    );
    assert!(s.console_session(&hash(1)).await.unwrap().is_none());

    s.create_console_session("dana", &hash(2), t0)
        .await
        .unwrap();
    let ended = s
        .end_sessions(&SessionSelector::User("dana".into()), Ending::Revoked, t0)
        .await
        .unwrap();
    assert_eq!(
        ended, 1,
        "the user's console session ends with their sessions"
    );
    assert!(s.console_session(&hash(2)).await.unwrap().is_none());

    s.create_console_session("dana", &hash(3), t0)
        .await
        .unwrap();
    assert_eq!(s.set_user_disabled("dana", true, t0).await.unwrap(), 1);
    assert!(s.console_session(&hash(3)).await.unwrap().is_none());
    s.set_user_disabled("dana", false, t0).await.unwrap();
    assert!(
        s.console_session(&hash(3)).await.unwrap().is_none(),
        "still ended"
    );

    s.create_console_session("tina", &hash(4), t0)
        .await
        .unwrap();
    s.create_console_session("tom", &hash(5), t0 + CONSOLE_LIFETIME)
        .await
        .unwrap();
    assert!(
        s.console_session(&hash(4)).await.unwrap().is_none(),
        "forgotten past its lifetime"
    );
    assert!(s.console_session(&hash(5)).await.unwrap().is_some());
    assert!(matches!(
        s.create_console_session("nobody", &hash(6), t0).await,
        Err(StorageError::NotFound("user"))
    ));
}

/// Conformance case.
pub async fn accounts_are_listed_and_changed_and_a_new_password_ends_sessions(s: &dyn Storage) {
    let now = stored_now();
    let list = s.accounts(2).await.unwrap();
    let names: Vec<_> = list
        .users
        .iter()
        .map(|a| a.user.username.as_str())
        .collect();
    assert_eq!(names, ["dana", "tina"], "by username, at most the limit");
    assert!(list.truncated);
    let all = s.accounts(100).await.unwrap();
    assert_eq!(all.users.len(), 3);
    assert!(!all.truncated);

    login(s, "tom", now).await;
    login(s, "tom", now).await;
    let (account, ended) = s
        .change_account(
            "tom",
            &AccountChange {
                display_name: Some("Tom Turner".into()),
                skills: Some(vec!["heat-pumps".into()]),
                ..AccountChange::default()
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(ended, 0, "a new name or skills end nothing");
    assert_eq!(account.user.display_name, "Tom Turner");
    assert_eq!(account.user.skills, ["heat-pumps"]);
    assert!(!account.disabled);
    assert_eq!(active(s, "tom", now).await, 2);

    let (account, ended) = s
        .change_account(
            "tom",
            &AccountChange {
                password_hash: Some("new-hash".into()),
                ..AccountChange::default()
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(ended, 2, "a new password ends every session");
    assert_eq!(active(s, "tom", now).await, 0);
    assert_eq!(
        s.credentials("tom").await.unwrap().unwrap().password_hash,
        "new-hash"
    );
    assert_eq!(account.user.display_name, "Tom Turner", "the rest stays");

    login(s, "tom", now).await;
    let (account, ended) = s
        .change_account(
            "tom",
            &AccountChange {
                disabled: Some(true),
                ..AccountChange::default()
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!((account.disabled, ended), (true, 1));
    let records = s.sessions(Some("tom"), true, 10, now).await.unwrap();
    assert!(
        records
            .iter()
            .any(|r| r.state(now) == SessionState::Ended(Ending::Disabled))
    );
    let (account, _) = s
        .change_account(
            "tom",
            &AccountChange {
                disabled: Some(false),
                ..AccountChange::default()
            },
            now,
        )
        .await
        .unwrap();
    assert!(!account.disabled);
    assert!(matches!(
        s.change_account("nobody", &AccountChange::default(), now)
            .await,
        Err(StorageError::NotFound("user"))
    ));
}

/// Conformance case: a technician's calendar address has a generation that renewing moves on;
/// there is none for anyone but an enabled technician.
pub async fn a_calendar_address_is_renewed_and_only_technicians_have_one(s: &dyn Storage) {
    assert_eq!(s.calendar_generation("tina").await.unwrap(), Some(0));
    assert_eq!(s.renew_calendar("tina").await.unwrap(), 1);
    assert_eq!(s.renew_calendar("tina").await.unwrap(), 2);
    assert_eq!(s.calendar_generation("tina").await.unwrap(), Some(2));
    assert_eq!(
        s.calendar_generation("tom").await.unwrap(),
        Some(0),
        "each their own"
    );
    assert_eq!(
        s.calendar_generation("dana").await.unwrap(),
        None,
        "a dispatcher"
    );
    assert_eq!(s.calendar_generation("nobody").await.unwrap(), None);
    assert!(matches!(
        s.renew_calendar("dana").await,
        Err(StorageError::NotFound(_))
    ));
    s.set_user_disabled("tina", true, stored_now())
        .await
        .unwrap();
    assert_eq!(
        s.calendar_generation("tina").await.unwrap(),
        None,
        "disabled"
    );
}
