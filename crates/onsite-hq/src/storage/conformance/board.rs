//! Conformance case for the day board.

use super::*;

/// Conformance case: the board lists enabled technicians, the held jobs whose window meets
/// the board's (any status) and held open jobs with no window, and queues open jobs nobody
/// holds by SLA deadline, then priority.
pub async fn the_board_shows_a_window_and_the_unassigned_queue(s: &dyn Storage) {
    let now = stored_now();
    let at = |h: u32, m: u32| format!("2026-12-01T{h:02}:{m:02}:00Z");
    let scheduled =
        |number: &str, tech: Option<&str>, start: Option<String>, end: Option<String>| {
            let mut v = job(number, tech, "+44 20 7946 0000");
            v["scheduled_start"] = json!(start);
            v["scheduled_end"] = json!(end);
            v
        };
    let mut urgent = scheduled("Q-URGENT", None, None, None);
    urgent["priority"] = json!("urgent");
    let mut due = scheduled("Q-DUE", None, None, None);
    due["sla_due"] = json!("2026-12-02T12:00:00Z");
    let lines = vec![
        line(
            1,
            scheduled("IN-1", Some("tina"), Some(at(9, 0)), Some(at(10, 0))),
        ),
        line(
            2,
            scheduled("IN-2", Some("tom"), Some(at(7, 0)), Some(at(8, 30))),
        ),
        line(
            3,
            scheduled("EDGE", Some("tom"), Some(at(6, 0)), Some(at(8, 1))),
        ),
        line(
            4,
            scheduled("BEFORE", Some("tina"), Some(at(5, 0)), Some(at(8, 0))),
        ),
        line(
            10,
            scheduled("OPEN-END", Some("tom"), Some(at(17, 0)), None),
        ),
        line(
            5,
            scheduled("AFTER", Some("tina"), Some(at(18, 0)), Some(at(19, 0))),
        ),
        line(6, scheduled("LOOSE", Some("tina"), None, None)),
        line(7, scheduled("Q-PLAIN", None, None, None)),
        line(8, urgent),
        line(9, due),
    ];
    s.import_jobs(&lines, now).await.unwrap();
    let board = s
        .board(&onsite_protocol::board::BoardQuery {
            from: at(8, 0).parse().unwrap(),
            to: at(18, 0).parse().unwrap(),
        })
        .await
        .unwrap();
    let technicians: Vec<_> = board
        .technicians
        .iter()
        .map(|t| t.username.as_str())
        .collect();
    assert_eq!(technicians, ["tina", "tom"], "dana dispatches: no lane");
    let numbers = |jobs: &[JobView]| {
        jobs.iter()
            .map(|j| j.job.number.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        numbers(&board.jobs),
        ["EDGE", "IN-2", "IN-1", "OPEN-END", "LOOSE"]
    );
    assert_eq!(numbers(&board.queue), ["Q-DUE", "Q-URGENT", "Q-PLAIN"]);
    assert!(!board.truncated);

    s.set_user_disabled("tom", true, now).await.unwrap();
    let board = s
        .board(&onsite_protocol::board::BoardQuery {
            from: at(8, 0).parse().unwrap(),
            to: at(18, 0).parse().unwrap(),
        })
        .await
        .unwrap();
    assert_eq!(board.technicians.len(), 1, "a disabled account has no lane");
}

/// Conformance case: scheduling gives a queued job to a technician for a window in one step
/// (their feed carries it), moves a job between technicians, refuses a window that overlaps
/// another of theirs unless told, a stale version, a closed job and a bad window.
pub async fn a_job_is_scheduled_in_one_step_and_overlaps_are_named(s: &dyn Storage) {
    use onsite_protocol::board::ScheduleRequest;
    let now = stored_now();
    let at = |h: u32| -> DateTime<Utc> { format!("2026-12-01T{h:02}:00:00Z").parse().unwrap() };
    let request = |tech: &str, from: u32, to: u32| ScheduleRequest {
        technician: tech.into(),
        scheduled_start: at(from),
        scheduled_end: at(to),
        version: None,
        overlap: None,
    };
    let mut held = job("HELD", Some("tina"), "+44 20 7946 0000");
    held["scheduled_start"] = json!(at(9));
    held["scheduled_end"] = json!(at(11));
    let lines = vec![
        line(1, held),
        line(2, job("QUEUED", None, "+44 20 7946 0001")),
    ];
    s.import_jobs(&lines, now).await.unwrap();
    let queued = s.job_by_number("QUEUED").await.unwrap();
    let (_, before) = pull_all(s, "tina", None).await;

    let clash = s
        .schedule_job(queued.job.id, &request("tina", 10, 12), now)
        .await;
    match clash {
        Err(StorageError::Conflict(m)) => assert!(m.contains("HELD"), "{m}"),
        other => panic!("an overlap is refused: {other:?}"),
    }
    let done = s
        .schedule_job(queued.job.id, &request("tina", 11, 12), now)
        .await
        .unwrap();
    assert_eq!(done.job.technician.as_deref(), Some("tina"));
    assert_eq!(done.job.status, JobStatus::Assigned);
    assert_eq!(done.job.scheduled_start, Some(at(11)));
    let (page, _) = pull_all(s, "tina", Some(before)).await;
    assert!(
        page.jobs.iter().any(|j| j.number == "QUEUED"),
        "the job reaches tina's feed"
    );

    let stale = ScheduleRequest {
        version: Some(done.job.version - 1),
        ..request("tom", 11, 12)
    };
    assert!(matches!(
        s.schedule_job(queued.job.id, &stale, now).await,
        Err(StorageError::Conflict(_))
    ));
    let moved = ScheduleRequest {
        version: Some(done.job.version),
        ..request("tom", 11, 12)
    };
    let moved = s.schedule_job(queued.job.id, &moved, now).await.unwrap();
    assert_eq!(moved.job.technician.as_deref(), Some("tom"));

    let anyway = ScheduleRequest {
        overlap: Some(true),
        ..request("tina", 10, 12)
    };
    let both = s.schedule_job(queued.job.id, &anyway, now).await.unwrap();
    assert_eq!(both.job.technician.as_deref(), Some("tina"));

    for bad in [
        request("tina", 12, 12),
        request("tina", 0, 0),
        request("dana", 1, 2),
        request("nobody", 1, 2),
    ] {
        assert!(
            matches!(
                s.schedule_job(queued.job.id, &bad, now).await,
                Err(StorageError::Invalid(_))
            ),
            "{bad:?}"
        );
    }
    s.cancel_job(queued.job.id, None, now).await.unwrap();
    assert!(matches!(
        s.schedule_job(queued.job.id, &request("tom", 1, 2), now)
            .await,
        Err(StorageError::Conflict(_))
    ));
}

/// Conformance case: a suggestion's facts hold the site's position (kept when a re-import
/// gives none), each enabled technician with their visits in the day (not the job itself,
/// nor cancelled ones) and the van parts made for the job's product only.
pub async fn suggestion_facts_hold_visits_positions_and_van_parts(s: &dyn Storage) {
    let now = stored_now();
    let at = |h: u32| {
        format!("2026-12-01T{h:02}:00:00Z")
            .parse::<DateTime<Utc>>()
            .unwrap()
    };
    let placed = |number: &str, tech: Option<&str>, h: Option<u32>, lat: Option<f64>| {
        let mut v = job(number, tech, "+44 20 7946 0000");
        v["site"]["address"] = json!(format!("{number} High St"));
        if let Some(lat) = lat {
            v["site"]["lat"] = json!(lat);
            v["site"]["lon"] = json!(-1.5);
        }
        if let Some(h) = h {
            v["scheduled_start"] = json!(at(h));
            v["scheduled_end"] = json!(at(h + 1));
        }
        v
    };
    let lines = [
        line(1, placed("T-1", Some("tina"), Some(9), Some(53.8))),
        line(2, placed("T-2", Some("tina"), Some(20), None)),
        line(3, placed("T-3", Some("tom"), Some(11), None)),
        line(4, placed("Q-1", None, None, Some(53.9))),
    ];
    s.import_jobs(&lines, now).await.unwrap();
    let cancelled = s.job_by_number("T-3").await.unwrap();
    s.cancel_job(cancelled.job.id, None, now).await.unwrap();
    // The job's model is "HeatMax 300": one part is made for it, one for another product.
    let part = |sku: &str, models: &[&str]| Part {
        sku: sku.into(),
        name: format!("Part {sku}"),
        unit_price_cents: 100,
        serialized: false,
        models: models.iter().map(|m| m.to_string()).collect(),
    };
    s.import_parts(&[
        (1, part("HM-1", &["HeatMax 300"])),
        (2, part("AS-1", &["AirSource 8 kW heat pump"])),
        (3, part("ANY-1", &[])),
    ])
    .await
    .unwrap();
    for sku in ["HM-1", "AS-1", "ANY-1"] {
        s.issue_stock("tina", sku, &StockIssue::Qty(2), "admin", now)
            .await
            .unwrap();
    }
    let queued = s.job_by_number("Q-1").await.unwrap();
    let facts = s
        .suggestion_facts(queued.job.id, at(8), at(18))
        .await
        .unwrap();
    assert_eq!(facts.job.job.number, "Q-1");
    assert_eq!(facts.position, Some((53.9, -1.5)));
    let names: Vec<_> = facts
        .candidates
        .iter()
        .map(|c| c.username.as_str())
        .collect();
    assert_eq!(names, ["tina", "tom"]);
    let tina = &facts.candidates[0];
    let visits: Vec<_> = tina
        .visits
        .iter()
        .map(|v| (v.number.as_str(), v.position))
        .collect();
    assert_eq!(visits, [("T-1", Some((53.8, -1.5)))], "in the day only");
    assert_eq!(tina.parts, ["Part HM-1"], "made for the product only");
    assert_eq!(tina.skills, ["boilers"]);
    assert!(
        facts.candidates[1].visits.is_empty(),
        "a cancelled visit takes no time"
    );

    // A re-import without coordinates keeps the ones the site has.
    s.import_jobs(&[line(1, placed("Q-1", None, None, None))], now)
        .await
        .unwrap();
    let again = s
        .suggestion_facts(queued.job.id, at(8), at(18))
        .await
        .unwrap();
    assert_eq!(again.position, Some((53.9, -1.5)));
    assert!(matches!(
        s.suggestion_facts(JobId::new(), at(8), at(18)).await,
        Err(StorageError::NotFound("job"))
    ));
}
