//! Exports over the router: the jobs CSV and a technician's calendar feed, their roles,
//! bounds, hostile content and the feed's secret address.

use super::*;

/// Status, content type and body text of a GET.
async fn raw(hq: &Hq, path: &str, token: Option<&str>) -> (StatusCode, String, String) {
    let mut req = Request::get(format!("/api/v1{path}"));
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = hq
        .app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, kind, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn job(hq: &Hq, token: &str, number: &str, tech: Option<&str>, day: u32, customer: &str) {
    let (status, body) = hq
        .call(
            Method::POST,
            "/jobs",
            Some(token),
            Some(json!({"number": number, "kind": "repair", "summary": "Leak, under the sink",
                "technician": tech,
                "scheduled_start": format!("2026-12-{day:02}T09:00:00Z"),
                "scheduled_end": format!("2026-12-{day:02}T10:30:00Z"),
                "customer": {"name": customer, "phone": "+44 20 7946 0000"},
                "site": {"address": "1 High St", "town": "Leeds", "access_notes": "Gate code 12; ring twice\nDog"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn jobs_export_as_csv_for_a_range() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    job(&hq, &dana, "E-1", Some("tina"), 1, "Ann \"Nan\" Held").await;
    job(&hq, &dana, "E-2", None, 2, "=HYPERLINK(\"http://evil\")").await;
    job(&hq, &dana, "E-3", Some("tom"), 20, "Later").await;
    let range = "from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:00Z";
    let path = format!("/exports/jobs.csv?{range}");
    assert_eq!(raw(&hq, &path, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(raw(&hq, &path, Some(&tina)).await.0, StatusCode::FORBIDDEN);
    let (status, kind, body) = raw(&hq, &path, Some(&dana)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(kind, "text/csv; charset=utf-8");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "number");
    assert_eq!(headers.len(), 18);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let numbers: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(numbers, ["E-1", "E-2"], "only the range's");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(
        &rows[0][column("customer")],
        "Ann \"Nan\" Held",
        "quotes survive"
    );
    assert_eq!(&rows[0][column("summary")], "Leak, under the sink");
    assert_eq!(
        &rows[0][column("phone")],
        "+44 20 7946 0000",
        "a phone is not a formula"
    );
    assert_eq!(
        &rows[1][column("customer")],
        "'=HYPERLINK(\"http://evil\")",
        "defused"
    );
    assert_eq!(&rows[0][column("scheduled_start")], "2026-12-01T09:00:00Z");
    assert_eq!(&rows[1][column("technician")], "");
    assert!(body.contains("\r\n"), "RFC 4180 line ends");

    for bad in [
        "from=2026-12-03T00:00:00Z&to=2026-12-01T00:00:00Z",
        "from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z",
    ] {
        let (status, _, body) = raw(&hq, &format!("/exports/jobs.csv?{bad}"), Some(&dana)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    assert_eq!(
        raw(&hq, "/exports/jobs.csv", Some(&dana)).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_technicians_calendar_feed_is_valid_and_only_for_its_address() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let tom = hq.login("tom").await.access_token;
    // Visits around now, so they fall in the feed's reach.
    let today = Utc::now().date_naive();
    let at = |days: i64, h: u32| {
        today.and_hms_opt(h, 0, 0).unwrap().and_utc() + chrono::Duration::days(days)
    };
    for (number, tech, days) in [("C-1", "tina", 1), ("C-2", "tina", 3), ("C-3", "tom", 1)] {
        let (status, body) = hq
            .call(
                Method::POST,
                "/jobs",
                Some(&dana),
                Some(json!({"number": number, "kind": "maintenance", "summary": "Annual service; boiler, flue",
                    "technician": tech, "scheduled_start": at(days, 9), "scheduled_end": at(days, 11),
                    "customer": {"name": format!("Customer {number}"), "phone": "0113 496 0000"},
                    "site": {"address": "12 Analytical Row", "town": "Leeds", "access_notes": "Key safe\nby the door"},
                    "asset": {"model": "HeatMax 300 combi boiler with a very long model name that goes on", "serial": "HM3-42"}})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let c2 = hq
        .call(Method::GET, "/jobs/by-number/C-2", Some(&dana), None)
        .await
        .1;
    let id = c2["job"]["id"].as_str().unwrap().to_string();
    hq.call(
        Method::POST,
        &format!("/jobs/{id}/cancel"),
        Some(&dana),
        Some(json!({})),
    )
    .await;

    // Who may see the address.
    assert_eq!(
        hq.call(Method::GET, "/technicians/tina/calendar", None, None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        hq.call(Method::GET, "/technicians/tina/calendar", Some(&tom), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hq.call(Method::GET, "/technicians/dana/calendar", Some(&dana), None)
            .await
            .0,
        StatusCode::NOT_FOUND,
        "not a technician"
    );
    assert_eq!(
        hq.call(
            Method::GET,
            "/technicians/nobody/calendar",
            Some(&dana),
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (status, mine) = hq
        .call(Method::GET, "/technicians/tina/calendar", Some(&tina), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let (_, theirs) = hq
        .call(Method::GET, "/technicians/tina/calendar", Some(&dana), None)
        .await;
    assert_eq!(mine, theirs, "one address, whoever asks");
    let path = mine["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/api/v1")
        .unwrap()
        .to_string();
    assert!(
        path.starts_with("/technicians/tina/calendar.ics?token="),
        "{path}"
    );

    let (status, kind, feed) = raw(&hq, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert_eq!(kind, "text/calendar; charset=utf-8");
    assert_eq!(crate::calendar::tests::validate(&feed), Ok(2), "{feed}");
    let unfolded = feed.replace("\r\n ", "");
    assert!(
        unfolded.contains("SUMMARY:C-1 Annual service\\; boiler\\, flue: Customer C-1"),
        "{unfolded}"
    );
    assert!(unfolded.contains("LOCATION:12 Analytical Row\\, Leeds"));
    assert!(unfolded.contains("Access: Key safe\\nby the door"));
    assert!(
        unfolded.contains("STATUS:CANCELLED"),
        "a cancelled visit says so"
    );
    assert!(unfolded.contains("X-WR-CALNAME:Onsite: Tina Tech"));
    assert!(
        !unfolded.contains("C-3"),
        "Tom's visit is not in Tina's feed"
    );

    // Anything but the address's own token answers the same 404.
    let tom_link = hq
        .call(Method::GET, "/technicians/tom/calendar", Some(&dana), None)
        .await
        .1;
    let tom_token = tom_link["path"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    for bad in [
        "/technicians/tina/calendar.ics".to_string(),
        "/technicians/tina/calendar.ics?token=".to_string(),
        format!("/technicians/tina/calendar.ics?token={tom_token}"),
        format!("/technicians/nobody/calendar.ics?token={tom_token}"),
        format!("{path}x"),
    ] {
        let (status, _, body) = raw(&hq, &bad, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}: {body}");
    }

    // Renewing the address stops the old one at once.
    assert_eq!(
        hq.call(
            Method::POST,
            "/technicians/tina/calendar/renew",
            Some(&tom),
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, renewed) = hq
        .call(
            Method::POST,
            "/technicians/tina/calendar/renew",
            Some(&tina),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(renewed, mine);
    assert_eq!(
        raw(&hq, &path, None).await.0,
        StatusCode::NOT_FOUND,
        "the old address"
    );
    let new_path = renewed["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/api/v1")
        .unwrap()
        .to_string();
    assert_eq!(raw(&hq, &new_path, None).await.0, StatusCode::OK);

    // A disabled technician's feed stops too.
    let alex = hq.admin().await;
    hq.call(
        Method::PATCH,
        "/users/tina",
        Some(&alex),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(raw(&hq, &new_path, None).await.0, StatusCode::NOT_FOUND);
}
