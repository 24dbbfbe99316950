//! Conformance case for the day board.

use super::*;

/// Conformance case: the board lists enabled technicians, the held jobs whose window meets
/// the board's (any status) and held open jobs with no window, and queues open jobs nobody
/// holds by SLA deadline, then priority.
pub async fn the_board_shows_a_window_and_the_unassigned_queue(s: &dyn Storage) {
    let now = Utc::now();
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
