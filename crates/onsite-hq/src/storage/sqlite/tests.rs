//! Storage on real SQLite files: import matching and atomicity, the change feed.

use super::*;
use onsite_protocol::Role;
use serde_json::json;

fn storage() -> (SqliteStorage, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStorage::open(&dir.path().join("hq.db")).unwrap();
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
            Utc::now(),
        )
        .unwrap();
    }
    (s, dir)
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

fn count(s: &SqliteStorage, table: &str) -> i64 {
    s.read(|tx| Ok(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?))
        .unwrap()
}

fn pull_all(s: &SqliteStorage, tech: &str, after: Option<i64>) -> (PullPage, i64) {
    let (page, pos) = s.pull(tech, after, 1000).unwrap();
    (page, pos.seq)
}

#[test]
fn import_matches_references_and_reimport_updates() {
    let (s, _dir) = storage();
    let now = Utc::now();
    let lines = vec![
        line(1, job("J-1", Some("tina"), "+44 20 7946 0018")),
        line(2, job("J-2", None, "+44 (20) 7946-0018")),
    ];
    let report = s.import_jobs(&lines, now).unwrap();
    assert_eq!(
        report,
        ImportReport {
            created: 2,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        (
            count(&s, "customers"),
            count(&s, "sites"),
            count(&s, "assets")
        ),
        (1, 1, 1)
    );

    let again = s.import_jobs(&lines, now).unwrap();
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
    let report = s.import_jobs(&[line(1, changed)], now).unwrap();
    assert_eq!(report.updated, 1);
    assert_eq!(count(&s, "jobs"), 2);
    let list = s.list_jobs(&JobListQuery::default(), 100).unwrap();
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

#[test]
fn a_bad_line_rejects_the_whole_file() {
    let (s, _dir) = storage();
    let mut unknown_tech = job("J-3", Some("nobody"), "1");
    unknown_tech["summary"] = json!("x");
    let lines = vec![
        line(1, job("J-1", None, "1")),
        line(2, job("J-2", None, "1")),
        line(3, unknown_tech),
    ];
    match s.import_jobs(&lines, Utc::now()) {
        Err(StorageError::ImportLine { line: 3, reason }) => {
            assert!(reason.contains("nobody"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((count(&s, "jobs"), count(&s, "customers")), (0, 0));

    let dup = vec![
        line(1, job("J-1", None, "1")),
        line(7, job("J-1", None, "1")),
    ];
    match s.import_jobs(&dup, Utc::now()) {
        Err(StorageError::ImportLine { line: 7, reason }) => {
            assert!(reason.contains("line 1"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let dispatcher = vec![line(4, job("J-9", Some("dana"), "1"))];
    assert!(matches!(
        s.import_jobs(&dispatcher, Utc::now()),
        Err(StorageError::ImportLine { line: 4, .. })
    ));
    assert_eq!(count(&s, "jobs"), 0);
}

#[test]
fn feed_moves_jobs_between_technicians() {
    let (s, _dir) = storage();
    let now = Utc::now();
    s.import_jobs(
        &[
            line(1, job("J-1", Some("tina"), "1")),
            line(2, job("J-2", Some("tom"), "2")),
        ],
        now,
    )
    .unwrap();
    let (tina, tina_at) = pull_all(&s, "tina", None);
    assert_eq!(
        tina.jobs
            .iter()
            .map(|j| j.number.as_str())
            .collect::<Vec<_>>(),
        ["J-1"]
    );
    let (_, tom_at) = pull_all(&s, "tom", None);

    let id = tina.jobs[0].id;
    s.assign_job(id, Some("tom"), now).unwrap();
    let (tina2, _) = pull_all(&s, "tina", Some(tina_at));
    assert_eq!((tina2.jobs.len(), tina2.removed.as_slice()), (0, &[id][..]));
    let (tom2, _) = pull_all(&s, "tom", Some(tom_at));
    assert_eq!(tom2.jobs.iter().map(|j| j.id).collect::<Vec<_>>(), [id]);
    assert_eq!(tom2.jobs[0].status, onsite_protocol::JobStatus::Assigned);

    // A change to a referenced customer reaches the technician holding the job.
    let (_, tom_at) = pull_all(&s, "tom", None);
    let mut renamed = job("J-2", Some("tom"), "2");
    renamed["customer"]["email"] = json!("ada@example.org");
    s.import_jobs(&[line(1, renamed)], now).unwrap();
    let (tom3, _) = pull_all(&s, "tom", Some(tom_at));
    assert_eq!(tom3.customers[0].email.as_deref(), Some("ada@example.org"));
}

#[test]
fn pull_pages_never_skip_or_repeat() {
    let (s, _dir) = storage();
    let lines: Vec<_> = (1..=25)
        .map(|n| line(n, job(&format!("J-{n:03}"), Some("tina"), &n.to_string())))
        .collect();
    s.import_jobs(&lines, Utc::now()).unwrap();
    let mut after = None;
    let mut seen = Vec::new();
    loop {
        let (page, pos) = s.pull("tina", after, 10).unwrap();
        seen.extend(page.jobs.iter().map(|j| j.number.clone()));
        after = Some(pos.seq);
        if !page.more {
            break;
        }
    }
    let expected: Vec<_> = (1..=25).map(|n| format!("J-{n:03}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn generated_numbers_skip_imported_ones() {
    let (s, _dir) = storage();
    s.import_jobs(&[line(1, job("J-000001", None, "1"))], Utc::now())
        .unwrap();
    let mut input: JobInput = serde_json::from_value(job("ignored", None, "1")).unwrap();
    input.number = None;
    let created = s.create_job(&input, Utc::now()).unwrap();
    assert_eq!(created.job.number, "J-000002");
}

#[test]
fn closed_jobs_keep_their_technician() {
    let (s, _dir) = storage();
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, Utc::now()).unwrap();
    s.cancel_job(view.job.id, Some("duplicate"), Utc::now())
        .unwrap();
    assert!(matches!(
        s.assign_job(view.job.id, Some("tom"), Utc::now()),
        Err(StorageError::Conflict(_))
    ));
}

#[test]
fn reopening_a_file_keeps_instance_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hq.db");
    let instance = {
        let (s, _) = (SqliteStorage::open(&path).unwrap(), ());
        s.instance_id().to_string()
    };
    let s = SqliteStorage::open(&path).unwrap();
    assert_eq!(s.instance_id(), instance);
    assert_eq!(instance.len(), 32);
}

#[test]
fn pulled_jobs_carry_their_status_history() {
    use onsite_protocol::JobStatus::{Assigned, Cancelled, New};
    let (s, _dir) = storage();
    let t0 = Utc::now();
    let input: JobInput = serde_json::from_value(job("J-1", None, "1")).unwrap();
    let view = s.create_job(&input, t0).unwrap();
    let id = view.job.id;
    s.assign_job(id, Some("tina"), t0 + chrono::Duration::minutes(1))
        .unwrap();
    // An edit that leaves status and technician alone adds nothing to the history.
    let patch = onsite_protocol::api::JobPatch {
        summary: Some("Leak, second visit".into()),
        ..Default::default()
    };
    s.update_job(id, &patch, t0 + chrono::Duration::minutes(2))
        .unwrap();
    let later = |m| t0 + chrono::Duration::minutes(m);
    s.assign_job(id, Some("tom"), later(3)).unwrap();
    s.assign_job(id, Some("tina"), later(4)).unwrap();
    s.cancel_job(id, Some("customer moved"), later(5)).unwrap();
    let (page, _) = pull_all(&s, "tina", None);
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

#[test]
fn a_page_stops_before_its_jobs_ops_make_it_too_heavy() {
    let (s, _dir) = storage();
    let now = Utc::now();
    let lines: Vec<_> = (1..=3)
        .map(|n| line(n, job(&format!("J-{n}"), Some("tina"), "1")))
        .collect();
    s.import_jobs(&lines, now).unwrap();
    let (page, start) = pull_all(&s, "tina", None);
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
            s.push(&pusher, chunk, &|_| None, now).unwrap();
        }
    }
    let (first, after) = pull_all(&s, "tina", Some(start));
    assert!(first.more, "the page stopped early");
    assert_eq!((first.jobs.len(), first.ops.len()), (1, 3000));
    let (second, _) = pull_all(&s, "tina", Some(after));
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
