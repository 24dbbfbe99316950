//! Searching and filtering jobs over the router: each filter alone and together, text taken
//! literally, and bad ranges refused.

use super::*;

async fn numbers(hq: &Hq, token: &str, query: &str) -> Vec<String> {
    let (status, body) = hq
        .call(Method::GET, &format!("/jobs?{query}"), Some(token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["job"]["number"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn jobs_are_found_by_kind_text_window_and_sla() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    for body in [
        json!({"number": "A-1", "kind": "repair", "summary": "Leak", "technician": "tina",
            "scheduled_start": "2026-12-01T09:00:00Z", "scheduled_end": "2026-12-01T10:00:00Z",
            "sla_due": "2026-12-01T08:00:00Z",
            "customer": {"name": "Ann 100%_Held"}, "site": {"address": "1 High St", "town": "Leeds"},
            "asset": {"model": "HeatMax 300", "serial": "HM3-777"}}),
        json!({"number": "A-2", "kind": "installation", "summary": "New boiler",
            "scheduled_start": "2026-12-02T09:00:00Z", "scheduled_end": "2026-12-02T12:00:00Z",
            "sla_due": "2026-12-05T08:00:00Z",
            "customer": {"name": "Bo Queued"}, "site": {"address": "2 Low St", "town": "York"}}),
        json!({"number": "A-3", "kind": "repair", "summary": "Drip",
            "sla_due": "2026-12-01T07:00:00Z",
            "customer": {"name": "Cy Closed"}, "site": {"address": "3 Mid St", "town": "Leeds"}}),
    ] {
        let (status, made) = hq
            .call(Method::POST, "/jobs", Some(&dana), Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
    }
    let closed = hq
        .call(Method::GET, "/jobs/by-number/A-3", Some(&dana), None)
        .await
        .1;
    let id = closed["job"]["id"].as_str().unwrap();
    hq.call(
        Method::POST,
        &format!("/jobs/{id}/cancel"),
        Some(&dana),
        Some(json!({})),
    )
    .await;

    let cases: &[(&str, &[&str])] = &[
        ("", &["A-1", "A-2", "A-3"]),
        ("kind=repair", &["A-1", "A-3"]),
        ("kind=installation", &["A-2"]),
        ("q=leeds", &["A-1", "A-3"]),
        ("q=QUEUED", &["A-2"]),
        ("q=hm3-777", &["A-1"]),
        ("q=a-2", &["A-2"]),
        ("q=100%25_", &["A-1"]),
        ("q=%25", &["A-1"]),
        ("q=_", &["A-1"]),
        ("q=nobody", &[]),
        ("q=%20%20", &["A-1", "A-2", "A-3"]),
        (
            "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z",
            &["A-1"],
        ),
        ("from=2026-12-01T09:30:00Z", &["A-1", "A-2"]),
        ("to=2026-12-01T09:30:00Z", &["A-1"]),
        // Overdue at 08:30: A-1 (open); A-3 is cancelled, so no SLA counts.
        ("sla_due_before=2026-12-01T08:30:00Z", &["A-1"]),
        ("sla_due_before=2026-12-06T00:00:00Z", &["A-1", "A-2"]),
        ("kind=repair&q=leeds&technician=tina", &["A-1"]),
        ("status=cancelled&q=leeds", &["A-3"]),
    ];
    for (query, want) in cases {
        assert_eq!(numbers(&hq, &dana, query).await, *want, "{query}");
    }
}

#[tokio::test]
async fn a_bad_search_is_refused_plainly() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let long = "x".repeat(onsite_protocol::api::MAX_SEARCH_CHARS + 1);
    for (query, want) in [
        (format!("q={long}"), StatusCode::UNPROCESSABLE_ENTITY),
        (
            "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("kind=teleportation".to_string(), StatusCode::BAD_REQUEST),
        ("sla_due_before=soon".to_string(), StatusCode::BAD_REQUEST),
    ] {
        let (status, body) = hq
            .call(Method::GET, &format!("/jobs?{query}"), Some(&dana), None)
            .await;
        assert_eq!(status, want, "{query}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let tina = hq.login("tina").await.access_token;
    assert_eq!(
        hq.call(Method::GET, "/jobs?q=x", Some(&tina), None).await.0,
        StatusCode::FORBIDDEN
    );
}
