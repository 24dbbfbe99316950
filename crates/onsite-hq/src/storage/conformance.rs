//! The storage conformance suite: what every engine must do, asserted through the
//! [`Storage`] trait alone (no engine's tables or SQL), so a second engine runs the same cases.
//! An engine's tests instantiate it with [`storage_conformance!`](crate::storage_conformance),
//! giving a fresh, empty storage per case.

mod board;
mod care;
mod delta;
mod reference;
mod sessions;
mod visit;

pub use board::*;
pub use care::*;
pub use delta::*;
pub use reference::*;
pub use sessions::*;
pub use visit::*;

use super::*;
use chrono::Datelike;
use onsite_protocol::{JobStatus, Role};
use serde_json::json;
use std::collections::BTreeSet;

/// Runs every conformance case as its own test against storages made by `$make` (an async
/// expression giving a fresh `(impl Storage, guard)`; the guard lives as long as the case).
#[macro_export]
macro_rules! storage_conformance {
    ($make:expr) => {
        $crate::storage_conformance!(@cases $make;
            import_matches_references_and_reimport_updates,
            a_bad_line_rejects_the_whole_file,
            feed_moves_jobs_between_technicians,
            pull_pages_never_skip_or_repeat,
            generated_numbers_skip_imported_ones,
            closed_jobs_keep_their_technician,
            pulled_jobs_carry_their_status_history,
            a_page_stops_before_its_jobs_ops_make_it_too_heavy,
            an_op_is_recorded_once_however_often_it_is_pushed,
            a_nul_in_an_op_is_refused_and_costs_its_batch_nothing,
            failed_logins_are_counted_by_key_within_a_window,
            a_retried_refresh_gets_the_same_pair_within_the_grace_only,
            any_retired_refresh_token_presented_again_ends_the_session,
            a_session_ends_at_its_lifetime,
            sessions_end_by_number_user_and_device_and_with_their_account,
            the_session_list_shows_active_ones_and_far_ahead_clocks,
            console_sessions_resolve_until_they_end,
            accounts_are_listed_and_changed_and_a_new_password_ends_sessions,
            a_calendar_address_is_renewed_and_only_technicians_have_one,
            the_board_shows_a_window_and_the_unassigned_queue,
            suggestion_facts_hold_visits_positions_and_van_parts,
            a_job_is_scheduled_in_one_step_and_overlaps_are_named,
            pages_of_recorded_ops_are_bounded_by_count_and_bytes,
            a_pull_resends_only_the_ops_that_changed_since_the_cursor,
            reference_data_is_imported_all_or_nothing_and_versions_never_change,
            parts_are_issued_into_vans_and_the_ledger_is_kept,
            parts_go_back_from_a_van_only_as_far_as_it_holds,
            a_device_gets_the_reference_data_that_applies_to_its_jobs,
            a_visit_is_judged_on_hqs_reference_data_and_moves_van_stock,
            parts_requests_are_filled_from_the_van_or_by_a_dispatcher,
            the_letterhead_reaches_every_laptop_once_per_change,
            the_labour_prices_reach_every_laptop_once_per_change,
            ratings_open_complaints_and_follow_up_calls_are_made_until_answered,
            the_follow_up_delay_is_hqs_setting_for_calls_scheduled_after_it,
            a_signed_job_gets_one_letter_and_it_is_never_sent_twice,
        );
    };
    (@cases $make:expr; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let (storage, _guard) = $make.await;
                $crate::storage::conformance::with_users(&storage).await;
                $crate::storage::conformance::$case(&storage).await;
            }
        )+
    };
}

/// HQ's clock as a database keeps it: to the microsecond (PostgreSQL's precision), so a time
/// a case passes in compares equal to the same time read back from any engine.
pub fn stored_now() -> chrono::DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

/// The users every case expects: technicians tina and tom, dispatcher dana.
pub async fn with_users(s: &dyn Storage) {
    for (name, role) in [
        ("tina", Role::Technician),
        ("tom", Role::Technician),
        ("dana", Role::Dispatcher),
    ] {
        s.add_user(
            NewUser {
                username: name.into(),
                display_name: name.into(),
                role,
                skills: vec!["boilers".into()],
                password_hash: "x".into(),
            },
            stored_now(),
        )
        .await
        .unwrap();
    }
}

fn line(n: usize, v: serde_json::Value) -> (usize, JobInput) {
    (n, serde_json::from_value(v).unwrap())
}

fn job(number: &str, tech: Option<&str>, phone: &str) -> serde_json::Value {
    json!({"number": number, "kind": "maintenance", "summary": "Annual service", "technician": tech,
           "customer": {"name": "Ada Lovelace", "phone": phone},
           "site": {"address": "12 Analytical Row", "town": "London"},
           "asset": {"model": "HeatMax 300", "serial": "HM3-42", "warranty_until": "2027-01-01"}})
}

/// How many jobs, and distinct customers, sites and assets they reference.
async fn counts(s: &dyn Storage) -> (usize, usize, usize, usize) {
    let list = s.list_jobs(&JobListQuery::default(), 500).await.unwrap();
    let distinct = |f: &dyn Fn(&JobView) -> Option<uuid::Uuid>| {
        list.jobs
            .iter()
            .filter_map(f)
            .collect::<BTreeSet<_>>()
            .len()
    };
    (
        list.jobs.len(),
        distinct(&|v| Some(v.customer.id.0)),
        distinct(&|v| Some(v.site.id.0)),
        distinct(&|v| v.asset.as_ref().map(|a| a.id.0)),
    )
}

async fn pull_all(s: &dyn Storage, tech: &str, after: Option<i64>) -> (PullPage, i64) {
    let (page, pos) = s.pull(tech, after, None, 1000).await.unwrap();
    (page, pos.seq)
}

/// Conformance case.
pub async fn import_matches_references_and_reimport_updates(s: &dyn Storage) {
    let now = stored_now();
    let lines = vec![
        line(1, job("J-1", Some("tina"), "+44 20 7946 0018")),
        line(2, job("J-2", None, "+44 (20) 7946-0018")),
    ];
    let report = s.import_jobs(&lines, now).await.unwrap();
    assert_eq!(
        report,
        ImportReport {
            created: 2,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(counts(s).await, (2, 1, 1, 1), "matched, not duplicated");

    let again = s.import_jobs(&lines, now).await.unwrap();
    assert_eq!(
        again,
        ImportReport {
            created: 0,
            updated: 0,
            unchanged: 2
        }
    );

    let mut changed = job("J-1", Some("tom"), "+44 20 7946 0018");
    changed["summary"] = json!("Boiler service");
    let report = s.import_jobs(&[line(1, changed)], now).await.unwrap();
    assert_eq!(report.updated, 1);
    assert_eq!(counts(s).await.0, 2);
    let list = s.list_jobs(&JobListQuery::default(), 100).await.unwrap();
    let j1 = &list.jobs[0].job;
    assert_eq!(
        (j1.summary.as_str(), j1.technician.as_deref(), j1.version),
        ("Boiler service", Some("tom"), 2)
    );
    assert_eq!(
        list.jobs[0].asset.as_ref().unwrap().serial.as_deref(),
        Some("HM3-42")
    );
}

/// Conformance case.
pub async fn a_bad_line_rejects_the_whole_file(s: &dyn Storage) {
    let mut unknown_tech = job("J-3", Some("nobody"), "1");
    unknown_tech["summary"] = json!("x");
    let lines = vec![
        line(1, job("J-1", None, "1")),
        line(2, job("J-2", None, "1")),
        line(3, unknown_tech),
    ];
    match s.import_jobs(&lines, stored_now()).await {
        Err(StorageError::ImportLine { line: 3, reason }) => {
            assert!(reason.contains("nobody"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(counts(s).await, (0, 0, 0, 0));

    let dup = vec![
        line(1, job("J-1", None, "1")),
        line(7, job("J-1", None, "1")),
    ];
    match s.import_jobs(&dup, stored_now()).await {
        Err(StorageError::ImportLine { line: 7, reason }) => {
            assert!(reason.contains("line 1"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let dispatcher = vec![line(4, job("J-9", Some("dana"), "1"))];
    assert!(matches!(
        s.import_jobs(&dispatcher, stored_now()).await,
        Err(StorageError::ImportLine { line: 4, .. })
    ));
    assert_eq!(counts(s).await.0, 0);
}

/// Conformance case.
pub async fn feed_moves_jobs_between_technicians(s: &dyn Storage) {
    let now = stored_now();
    s.import_jobs(
        &[
            line(1, job("J-1", Some("tina"), "1")),
            line(2, job("J-2", Some("tom"), "2")),
        ],
        now,
    )
    .await
    .unwrap();
    let (tina, tina_at) = pull_all(s, "tina", None).await;
    assert_eq!(
        tina.jobs
            .iter()
            .map(|j| j.number.as_str())
            .collect::<Vec<_>>(),
        ["J-1"]
    );
    let (_, tom_at) = pull_all(s, "tom", None).await;

    let id = tina.jobs[0].id;
    s.assign_job(id, Some("tom"), now).await.unwrap();
    let (tina2, _) = pull_all(s, "tina", Some(tina_at)).await;
    assert_eq!((tina2.jobs.len(), tina2.removed.as_slice()), (0, &[id][..]));
    let (tom2, _) = pull_all(s, "tom", Some(tom_at)).await;
    assert_eq!(tom2.jobs.iter().map(|j| j.id).collect::<Vec<_>>(), [id]);
    assert_eq!(tom2.jobs[0].status, onsite_protocol::JobStatus::Assigned);

    // A change to a referenced customer reaches the technician holding the job.
    let (_, tom_at) = pull_all(s, "tom", None).await;
    let mut renamed = job("J-2", Some("tom"), "2");
    renamed["customer"]["email"] = json!("ada@example.org");
    s.import_jobs(&[line(1, renamed)], now).await.unwrap();
    let (tom3, _) = pull_all(s, "tom", Some(tom_at)).await;
    assert_eq!(tom3.customers[0].email.as_deref(), Some("ada@example.org"));
}

/// Conformance case.
pub async fn pull_pages_never_skip_or_repeat(s: &dyn Storage) {
    let lines: Vec<_> = (1..=25)
        .map(|n| line(n, job(&format!("J-{n:03}"), Some("tina"), &n.to_string())))
        .collect();
    s.import_jobs(&lines, stored_now()).await.unwrap();
    let mut after = None;
    let mut seen = Vec::new();
    loop {
        let (page, pos) = s.pull("tina", after, None, 10).await.unwrap();
        seen.extend(page.jobs.iter().map(|j| j.number.clone()));
        after = Some(pos.seq);
        if !page.more {
            break;
        }
    }
    let expected: Vec<_> = (1..=25).map(|n| format!("J-{n:03}")).collect();
    assert_eq!(seen, expected);
}

/// Conformance case.
pub async fn generated_numbers_skip_imported_ones(s: &dyn Storage) {
    s.import_jobs(&[line(1, job("J-000001", None, "1"))], stored_now())
        .await
        .unwrap();
    let mut input: JobInput = serde_json::from_value(job("ignored", None, "1")).unwrap();
    input.number = None;
    let created = s.create_job(&input, stored_now()).await.unwrap();
    assert_eq!(created.job.number, "J-000002");
}

/// Conformance case.
pub async fn closed_jobs_keep_their_technician(s: &dyn Storage) {
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, stored_now()).await.unwrap();
    s.cancel_job(view.job.id, Some("duplicate"), stored_now())
        .await
        .unwrap();
    assert!(matches!(
        s.assign_job(view.job.id, Some("tom"), stored_now()).await,
        Err(StorageError::Conflict(_))
    ));
}

/// Conformance case.
pub async fn pulled_jobs_carry_their_status_history(s: &dyn Storage) {
    use onsite_protocol::JobStatus::{Assigned, Cancelled, New};
    let t0 = stored_now();
    let input: JobInput = serde_json::from_value(job("J-1", None, "1")).unwrap();
    let view = s.create_job(&input, t0).await.unwrap();
    let id = view.job.id;
    s.assign_job(id, Some("tina"), t0 + chrono::Duration::minutes(1))
        .await
        .unwrap();
    // An edit that leaves status and technician alone adds nothing to the history.
    let patch = onsite_protocol::api::JobPatch {
        summary: Some("Leak, second visit".into()),
        ..Default::default()
    };
    s.update_job(id, &patch, t0 + chrono::Duration::minutes(2))
        .await
        .unwrap();
    let later = |m| t0 + chrono::Duration::minutes(m);
    s.assign_job(id, Some("tom"), later(3)).await.unwrap();
    s.assign_job(id, Some("tina"), later(4)).await.unwrap();
    s.cancel_job(id, Some("customer moved"), later(5))
        .await
        .unwrap();
    let (page, _) = pull_all(s, "tina", None).await;
    let steps: Vec<_> = page
        .history
        .iter()
        .map(|h| (h.job_id, h.status, h.detail.as_deref()))
        .collect();
    assert_eq!(
        steps,
        [
            (id, New, None),
            (id, Assigned, Some("tina")),
            (id, Assigned, Some("tom")),
            (id, Assigned, Some("tina")),
            (id, Cancelled, Some("customer moved"))
        ]
    );
    assert!(page.history.windows(2).all(|w| w[0].at <= w[1].at));
}

/// Conformance case.
pub async fn a_page_stops_before_its_jobs_ops_make_it_too_heavy(s: &dyn Storage) {
    let now = stored_now();
    let lines: Vec<_> = (1..=3)
        .map(|n| line(n, job(&format!("J-{n}"), Some("tina"), "1")))
        .collect();
    s.import_jobs(&lines, now).await.unwrap();
    let (page, start) = pull_all(s, "tina", None).await;
    let device = DeviceId::new();
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    let notes = |job: JobId, count: usize, from: i64| -> Vec<serde_json::Value> {
        (0..count)
            .map(|i| {
                json!({"op_id": onsite_protocol::OpId::new(), "device_id": device, "job_id": job,
                       "hlc": format!("{:015}-{:010}-{device}", from + i as i64, 0),
                       "kind": "note", "text": "checked"})
            })
            .collect()
    };
    let ids: Vec<JobId> = page.jobs.iter().map(|j| j.id).collect();
    for (i, (id, count)) in ids.iter().zip([3000, 3000, 10]).enumerate() {
        for chunk in notes(*id, count, i as i64 * 10_000).chunks(1000) {
            s.push(&pusher, chunk, &BlobSizes::new(), now)
                .await
                .unwrap();
        }
    }
    let (first, after) = pull_all(s, "tina", Some(start)).await;
    assert!(first.more, "the page stopped early");
    assert_eq!((first.jobs.len(), first.ops.len()), (1, 3000));
    let (second, _) = pull_all(s, "tina", Some(after)).await;
    assert!(!second.more);
    assert_eq!((second.jobs.len(), second.ops.len()), (2, 3010));
    let mut seen: Vec<_> = first
        .jobs
        .iter()
        .chain(&second.jobs)
        .map(|j| j.id)
        .collect();
    seen.sort();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(seen, all, "every job exactly once");
}

/// Conformance case: failed logins are counted per key within a window from the key's first
/// attempt; a key at its limit refuses (naming itself and when its window ends) and counts
/// nothing; counts are taken back one at a time or forgotten; an ended window is forgotten.
pub async fn failed_logins_are_counted_by_key_within_a_window(s: &dyn Storage) {
    let window = chrono::Duration::minutes(15);
    let t0 = stored_now();
    let keys = |k: &[&str]| k.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    let check = |k: &[(&str, u32)]| {
        k.iter()
            .map(|(k, n)| (k.to_string(), *n))
            .collect::<Vec<_>>()
    };
    let reserve = |c: Vec<(String, u32)>, n: Vec<String>, at| async move {
        s.reserve_login(&c, &n, window, at).await.unwrap()
    };
    assert_eq!(
        reserve(check(&[("a", 2)]), keys(&["a", "b"]), t0).await,
        None
    );
    assert_eq!(
        reserve(check(&[("a", 2)]), keys(&["a", "b"]), t0).await,
        None
    );
    assert_eq!(
        reserve(check(&[("a", 2)]), keys(&["a", "b"]), t0).await,
        Some((0, t0 + window)),
        "the third attempt meets the limit of two"
    );
    assert_eq!(
        reserve(check(&[("b", 3), ("a", 9)]), keys(&["b"]), t0).await,
        None,
        "the refused attempt counted nothing: b holds two"
    );
    assert_eq!(
        reserve(check(&[("c", 5), ("b", 3)]), keys(&[]), t0).await,
        Some((1, t0 + window)),
        "the key at its limit is named"
    );
    s.release_login(&keys(&["a"]), &[]).await.unwrap();
    let later = t0 + chrono::Duration::minutes(5);
    assert_eq!(reserve(check(&[("a", 2)]), keys(&["a"]), later).await, None);
    assert_eq!(
        reserve(check(&[("a", 2)]), keys(&[]), later).await,
        Some((0, t0 + window)),
        "the window still runs from the first attempt"
    );
    s.release_login(&[], &keys(&["a"])).await.unwrap();
    assert_eq!(reserve(check(&[("a", 1)]), keys(&["a"]), later).await, None);
    assert_eq!(
        reserve(check(&[("b", 3)]), keys(&["b"]), t0 + window).await,
        None,
        "an ended window is forgotten"
    );
    s.release_login(&keys(&["nobody", "b", "b", "b"]), &[])
        .await
        .unwrap();
    assert_eq!(
        reserve(check(&[("b", 1)]), keys(&[]), t0 + window).await,
        None,
        "never below none"
    );
}

/// Conformance case: an op whose text holds a NUL character (which no database text type
/// holds) is refused as invalid and recorded; the rest of its batch is applied.
pub async fn a_nul_in_an_op_is_refused_and_costs_its_batch_nothing(s: &dyn Storage) {
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, stored_now()).await.unwrap();
    let device = DeviceId::new();
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    let note = |n: u32, text: &str| {
        json!({"op_id": onsite_protocol::OpId::new(), "device_id": device,
               "job_id": view.job.id, "hlc": format!("{:015}-{:010}-{device}", 1, n),
               "kind": "note", "text": text})
    };
    let batch = [note(0, "pressure\u{0}low"), note(1, "pressure low")];
    let pushed = s
        .push(&pusher, &batch, &BlobSizes::new(), stored_now())
        .await
        .unwrap();
    let outcomes: Vec<_> = pushed
        .results
        .iter()
        .map(|r| (r.outcome, r.reason))
        .collect();
    assert_eq!(
        outcomes,
        [
            (
                onsite_protocol::Outcome::Rejected,
                Some(onsite_protocol::Reason::InvalidValue)
            ),
            (onsite_protocol::Outcome::Applied, None)
        ]
    );
    assert_eq!(s.received_ops(None, 10).await.unwrap().ops.len(), 2);
}

/// Conformance case: the op id is the idempotency key. The same op pushed again, from the
/// same device, answers `duplicate` with its first outcome and changes nothing; the same id
/// from another device is refused and does not overwrite the first.
pub async fn an_op_is_recorded_once_however_often_it_is_pushed(s: &dyn Storage) {
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, stored_now()).await.unwrap();
    let device = DeviceId::new();
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    let op = json!({"op_id": onsite_protocol::OpId::new(), "device_id": device,
                    "job_id": view.job.id, "hlc": format!("{:015}-{:010}-{device}", 1, 0),
                    "kind": "status", "to": "on_site"});
    let first = s
        .push(
            &pusher,
            std::slice::from_ref(&op),
            &BlobSizes::new(),
            stored_now(),
        )
        .await
        .unwrap();
    assert_eq!(first.results[0].outcome, onsite_protocol::Outcome::Applied);
    let again = s
        .push(
            &pusher,
            &[op.clone(), op.clone()],
            &BlobSizes::new(),
            stored_now(),
        )
        .await
        .unwrap();
    for r in &again.results {
        assert_eq!(
            (r.outcome, r.first),
            (
                onsite_protocol::Outcome::Duplicate,
                Some(onsite_protocol::Outcome::Applied)
            )
        );
    }
    let other = Pusher {
        username: "tina".into(),
        device_id: DeviceId::new(),
    };
    let stolen = s
        .push(
            &other,
            std::slice::from_ref(&op),
            &BlobSizes::new(),
            stored_now(),
        )
        .await
        .unwrap();
    assert_eq!(
        stolen.results[0].reason,
        Some(onsite_protocol::Reason::OpIdReused)
    );
    // The refused reuse is on record too (HQ keeps every op), but applied only once.
    let ops = s.job_ops(view.job.id, None, 100).await.unwrap().ops;
    let applied = ops
        .iter()
        .filter(|o| o.outcome == onsite_protocol::Outcome::Applied)
        .count();
    assert_eq!((ops.len(), applied), (2, 1), "applied once");
    assert_eq!(
        s.job(view.job.id).await.unwrap().job.status,
        JobStatus::OnSite
    );
}

/// Conformance case: the ops of a job, and HQ's log of received ops, come in pages bounded by
/// count and by size, each continuing exactly where the last stopped.
pub async fn pages_of_recorded_ops_are_bounded_by_count_and_bytes(s: &dyn Storage) {
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, stored_now()).await.unwrap();
    let device = DeviceId::new();
    let pusher = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    let long = "x".repeat(onsite_protocol::op::MAX_NOTE_CHARS - 10);
    let ops: Vec<_> = (0..300)
        .map(|n| {
            json!({"op_id": onsite_protocol::OpId::new(), "device_id": device,
                   "job_id": view.job.id, "hlc": format!("{:015}-{:010}-{device}", 1, n),
                   "kind": "note", "text": format!("{n} {long}")})
        })
        .collect();
    let pushed = s
        .push(&pusher, &ops, &BlobSizes::new(), stored_now())
        .await
        .unwrap();
    assert!(
        pushed
            .results
            .iter()
            .all(|r| r.outcome == onsite_protocol::Outcome::Applied)
    );

    let first = s.job_ops(view.job.id, None, 5).await.unwrap();
    assert_eq!(first.ops.len(), 5);
    let second = s.job_ops(view.job.id, first.next, 5).await.unwrap();
    assert!(second.replaced.is_empty());
    let seen: BTreeSet<_> = first
        .ops
        .iter()
        .chain(&second.ops)
        .map(|o| o.op.op_id)
        .collect();
    assert_eq!(seen.len(), 10, "no op twice");

    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = s.job_ops(view.job.id, after, 500).await.unwrap();
        let bytes: usize = page
            .ops
            .iter()
            .map(|o| serde_json::to_string(&o.op).unwrap().len())
            .sum();
        assert!(bytes <= MAX_PAGE_BYTES + 20_000, "a page of {bytes} bytes");
        all.extend(page.ops.into_iter().map(|o| o.op.op_id));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(all.len(), 300, "every op once, over several pages");
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), 300);

    let log = s.received_ops(None, 500).await.unwrap();
    assert!(
        log.ops.len() < 300 && log.next.is_some(),
        "{} ops in one page",
        log.ops.len()
    );
    // Pages continue where they stopped: together they hold every op once, in order (an
    // engine's op numbers need not be consecutive, only increasing).
    let mut received: Vec<i64> = log.ops.iter().map(|o| o.seq).collect();
    let mut next = log.next;
    while let Some(after) = next {
        let page = s.received_ops(Some(after), 500).await.unwrap();
        assert!(
            page.ops.first().is_some_and(|o| o.seq > after),
            "after the cursor"
        );
        received.extend(page.ops.iter().map(|o| o.seq));
        next = page.next;
    }
    assert!(
        received.windows(2).all(|w| w[0] < w[1]),
        "in order, none twice"
    );
    assert_eq!(received.len(), 300, "every op pushed, once");
}
