//! Who should go to a job, over the router: roles, the window's bounds, and a ranking from
//! real skills, visits and coordinates.

use super::*;

const DAY: &str = "from=2026-12-01T08:00:00Z&to=2026-12-01T18:00:00Z";

async fn job(hq: &Hq, token: &str, body: Value) -> JobView {
    let (status, made) = hq
        .call(Method::POST, "/jobs", Some(token), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    serde_json::from_value(made).unwrap()
}

#[tokio::test]
async fn suggestions_rank_technicians_with_reasons() {
    let hq = Hq::new().await;
    let alex = hq.admin().await;
    for (who, skills) in [
        ("tina", json!(["boilers"])),
        ("tom", json!(["washing-machines"])),
    ] {
        let (status, body) = hq
            .call(
                Method::PATCH,
                &format!("/users/{who}"),
                Some(&alex),
                Some(json!({"skills": skills})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let dana = hq.login("dana").await.access_token;
    // Tom is booked all day far away; Tina has one visit next door in the morning.
    job(&hq, &dana, json!({"number": "T-1", "kind": "repair", "summary": "Leak", "technician": "tina",
        "scheduled_start": "2026-12-01T08:00:00Z", "scheduled_end": "2026-12-01T09:00:00Z",
        "customer": {"name": "Ann"}, "site": {"address": "1 High St", "town": "Leeds", "lat": 53.80, "lon": -1.55}})).await;
    job(&hq, &dana, json!({"number": "T-2", "kind": "repair", "summary": "Drum", "technician": "tom",
        "scheduled_start": "2026-12-01T08:00:00Z", "scheduled_end": "2026-12-01T17:30:00Z",
        "customer": {"name": "Bo"}, "site": {"address": "2 Low St", "town": "London", "lat": 51.50, "lon": -0.12}})).await;
    let queued = job(&hq, &dana, json!({"number": "Q-1", "kind": "repair", "summary": "No heat",
        "customer": {"name": "Cy"}, "site": {"address": "3 Mid St", "town": "Leeds", "lat": 53.81, "lon": -1.56},
        "asset": {"model": "HeatMax 300 combi boiler"}})).await;

    let path = format!("/jobs/{}/suggestions?{DAY}", queued.job.id);
    let (status, body) = hq.call(Method::GET, &path, Some(&dana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["visit_minutes"], 60);
    let ranked = body["technicians"].as_array().unwrap();
    let order: Vec<&str> = ranked
        .iter()
        .map(|t| t["username"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["tina", "tom"]);
    let reasons = |i: usize| -> Vec<String> {
        ranked[i]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        reasons(0),
        [
            "knows boilers",
            "9 h free (1 visit booked)",
            "no parts for the HeatMax 300 combi boiler in the van",
            "1 km from their visit T-1 in Leeds"
        ]
    );
    assert_eq!(ranked[0]["slot"], "2026-12-01T09:00:00Z");
    assert!(
        reasons(1).contains(&"no free 1 h in the day (1 visit booked)".to_string()),
        "{:?}",
        reasons(1)
    );
    assert!(ranked[1]["slot"].is_null());
    assert!(ranked[1]["distance_m"].as_u64().unwrap() > 250_000);
}

#[tokio::test]
async fn suggestions_check_roles_ids_and_the_window() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let view = hq.create_job(&dana, "J-1", None).await;
    let path = format!("/jobs/{}/suggestions?{DAY}", view.job.id);
    assert_eq!(
        hq.call(Method::GET, &path, None, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        hq.call(Method::GET, &path, Some(&tina), None).await.0,
        StatusCode::FORBIDDEN
    );
    for (path, want) in [
        (
            format!("/jobs/{}/suggestions?{DAY}", onsite_protocol::JobId::new()),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/jobs/J-1/suggestions?{DAY}"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/jobs/{}/suggestions", view.job.id),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!(
                "/jobs/{}/suggestions?from=2026-12-01T18:00:00Z&to=2026-12-01T08:00:00Z",
                view.job.id
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!(
                "/jobs/{}/suggestions?from=2026-12-01T00:00:00Z&to=2026-12-04T00:00:00Z",
                view.job.id
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, body) = hq.call(Method::GET, &path, Some(&dana), None).await;
        assert_eq!(status, want, "{path}: {body}");
    }
}
