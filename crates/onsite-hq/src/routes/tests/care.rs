//! Complaints, inquiries, follow-up calls and the feedback summary over the router: who may
//! call them, what bad input gets, and a signed report served byte for byte.

use super::*;

/// Complaints and inquiries: dispatchers log, list, move and answer them; technicians and
/// callers without a token cannot; bad input is refused by field.
#[tokio::test]
async fn dispatchers_handle_complaints_and_inquiries() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let job = hq.create_job(&dana, "J-1", Some("tina")).await;
    for kind in ["complaints", "inquiries"] {
        let good = json!({"subject": "Boiler noisy since the visit", "job_id": job.job.id});
        for (token, expected) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some(tina.as_str()), StatusCode::FORBIDDEN),
        ] {
            for (method, path, body) in [
                (Method::GET, format!("/{kind}"), None),
                (Method::POST, format!("/{kind}"), Some(good.clone())),
            ] {
                let (status, _) = hq.call(method.clone(), &path, token, body).await;
                assert_eq!(status, expected, "{method} {path}");
            }
        }
        let bad = [
            (
                json!({"subject": " ", "job_id": job.job.id}),
                "subject is empty",
            ),
            (json!({"subject": "x"}), "name the job"),
            (
                json!({"subject": "x", "job_id": job.job.id, "details": "a\u{7}"}),
                "details contains control",
            ),
        ];
        for (body, words) in bad {
            let (status, err) = hq
                .call(Method::POST, &format!("/{kind}"), Some(&dana), Some(body))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
            assert!(err["message"].as_str().unwrap().contains(words), "{err}");
        }
        let (status, err) = hq
            .call(
                Method::POST,
                &format!("/{kind}"),
                Some(&dana),
                Some(json!({"subject": "x", "job_id": uuid::Uuid::now_v7()})),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
        let (status, err) = hq
            .call(
                Method::POST,
                &format!("/{kind}"),
                Some(&dana),
                Some(json!({"subject": "x", "job_id": job.job.id, "priority": "high"})),
            )
            .await;
        assert!(
            status.is_client_error(),
            "unknown fields are refused: {err}"
        );

        let (status, case) = hq
            .call(Method::POST, &format!("/{kind}"), Some(&dana), Some(good))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        assert_eq!(case["status"], "open");
        assert_eq!(case["job_number"], "J-1");
        assert_eq!(case["notes"][0]["by"], "Dana Dispatch");
        let id = case["id"].as_str().unwrap().to_string();
        let (status, moved) = hq
            .call(
                Method::PATCH,
                &format!("/{kind}/{id}"),
                Some(&dana),
                Some(json!({"status": "in_progress", "note": "Called the customer"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{moved}");
        assert_eq!(moved["notes"][1]["text"], "Called the customer");
        let (status, _) = hq
            .call(
                Method::PATCH,
                &format!("/{kind}/{id}"),
                Some(&dana),
                Some(json!({"status": "open"})),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = hq
            .call(
                Method::PATCH,
                &format!("/{kind}/{id}"),
                Some(&tina),
                Some(json!({"note": "x"})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = hq
            .call(
                Method::GET,
                &format!("/{kind}/not-a-uuid"),
                Some(&dana),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, list) = hq
            .call(
                Method::GET,
                &format!("/{kind}?status=in_progress"),
                Some(&dana),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["cases"].as_array().map(Vec::len), Some(1), "{list}");
        let (status, _) = hq
            .call(
                Method::GET,
                &format!("/{kind}?status=closed"),
                Some(&dana),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // A return visit, for tom: a new job linked to the case.
        let (status, made) = hq
            .call(
                Method::POST,
                &format!("/{kind}/{id}/return-visit"),
                Some(&dana),
                Some(json!({"technician": "tom"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!(made["job"]["job"]["technician"], "tom");
        assert_eq!(
            made["case"]["return_visit"]["job_id"],
            made["job"]["job"]["id"]
        );
        let (status, _) = hq
            .call(
                Method::POST,
                &format!("/{kind}/{id}/return-visit"),
                Some(&dana),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    // A complaint is not an inquiry.
    let (_, list) = hq.call(Method::GET, "/complaints", Some(&dana), None).await;
    let id = list["cases"][0]["id"].as_str().unwrap();
    let (status, _) = hq
        .call(Method::GET, &format!("/inquiries/{id}"), Some(&dana), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Follow-up calls and the feedback summary: dispatchers only; bad dates and outcomes refused.
#[tokio::test]
async fn follow_ups_and_the_summary_are_for_dispatchers() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    for path in ["/follow-ups", "/feedback/summary"] {
        for (token, expected) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some(tina.as_str()), StatusCode::FORBIDDEN),
            (Some(dana.as_str()), StatusCode::OK),
        ] {
            let (status, body) = hq.call(Method::GET, path, token, None).await;
            assert_eq!(status, expected, "{path}: {body}");
        }
    }
    for query in ["?due=tomorrow", "?due=2026-13-01", "?limit=x"] {
        let (status, _) = hq
            .call(
                Method::GET,
                &format!("/follow-ups{query}"),
                Some(&dana),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
    }
    for query in [
        "?from=2026-13",
        "?from=2026-12&to=2026-01",
        "?from=2020-01&to=2026-12",
        "?to=12/2026",
    ] {
        let (status, err) = hq
            .call(
                Method::GET,
                &format!("/feedback/summary{query}"),
                Some(&dana),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {err}");
    }
    let (status, summary) = hq
        .call(
            Method::GET,
            "/feedback/summary?from=2026-01&to=2026-12",
            Some(&dana),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (summary["from"].as_str(), summary["to"].as_str()),
        (Some("2026-01"), Some("2026-12"))
    );
    let unknown = uuid::Uuid::now_v7();
    let outcome = |o: &str| Some(json!({"outcome": o}));
    let (status, _) = hq
        .call(
            Method::POST,
            &format!("/follow-ups/{unknown}/outcome"),
            Some(&dana),
            outcome("satisfied"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = hq
        .call(
            Method::POST,
            &format!("/follow-ups/{unknown}/outcome"),
            Some(&dana),
            outcome("maybe"),
        )
        .await;
    assert!(status.is_client_error() && status != StatusCode::NOT_FOUND);
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(tina.as_str()), StatusCode::FORBIDDEN),
    ] {
        let (status, _) = hq
            .call(
                Method::POST,
                &format!("/follow-ups/{unknown}/outcome"),
                token,
                outcome("satisfied"),
            )
            .await;
        assert_eq!(status, expected);
    }
}

/// The signed report: dispatchers only; a job with nothing signed has none.
#[tokio::test]
async fn a_job_has_no_signed_report_until_the_customer_signs() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let job = hq.create_job(&dana, "J-1", Some("tina")).await;
    let id = job.job.id;
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(tina.as_str()), StatusCode::FORBIDDEN),
        (Some(dana.as_str()), StatusCode::NOT_FOUND),
    ] {
        let (status, _) = hq
            .call(Method::GET, &format!("/jobs/{id}/report"), token, None)
            .await;
        assert_eq!(status, expected);
    }
    let (status, list) = hq
        .call(
            Method::GET,
            &format!("/jobs/{id}/reports"),
            Some(&dana),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["reports"], json!([]));
    let (status, _) = hq
        .call(
            Method::GET,
            &format!("/jobs/{}/reports", uuid::Uuid::now_v7()),
            Some(&dana),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The outbox and the letter template: dispatchers read, admins set the template, bad ones
/// are refused by what is wrong.
#[tokio::test]
async fn the_outbox_is_for_dispatchers_and_the_template_for_admins() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let alex = hq.admin().await;
    let unknown = uuid::Uuid::now_v7();
    for (method, path) in [
        (Method::GET, "/mail".to_string()),
        (Method::GET, format!("/mail/{unknown}")),
        (Method::GET, format!("/mail/{unknown}/letter.pdf")),
        (Method::POST, format!("/mail/{unknown}/resend")),
        (Method::GET, "/letter-template".to_string()),
    ] {
        for (token, expected) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some(tina.as_str()), StatusCode::FORBIDDEN),
        ] {
            let (status, _) = hq.call(method.clone(), &path, token, None).await;
            assert_eq!(status, expected, "{method} {path}");
        }
    }
    for path in [
        format!("/mail/{unknown}"),
        format!("/mail/{unknown}/letter.pdf"),
    ] {
        let (status, _) = hq.call(Method::GET, &path, Some(&dana), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = hq
        .call(Method::GET, "/mail?state=lost", Some(&dana), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, list) = hq.call(Method::GET, "/mail", Some(&dana), None).await;
    assert_eq!(
        (status, list["letters"].clone()),
        (StatusCode::OK, json!([]))
    );
    let (status, standard) = hq
        .call(Method::GET, "/letter-template", Some(&dana), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(standard["body"].as_str().unwrap().contains("{customer}"));
    let good = json!({"subject": "Thanks, {customer}", "body": "Dear {customer},\n\nJob {job}."});
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(tina.as_str()), StatusCode::FORBIDDEN),
        (Some(dana.as_str()), StatusCode::FORBIDDEN),
        (Some(alex.as_str()), StatusCode::OK),
    ] {
        let (status, _) = hq
            .call(Method::PUT, "/letter-template", token, Some(good.clone()))
            .await;
        assert_eq!(status, expected);
    }
    let (_, now) = hq
        .call(Method::GET, "/letter-template", Some(&dana), None)
        .await;
    assert_eq!(now, good);
    for (body, words) in [
        (
            json!({"subject": "Hi", "body": "Dear {name}"}),
            "{name} is not something",
        ),
        (json!({"subject": "", "body": "x"}), "the subject is empty"),
        (json!({"subject": "Hi", "body": "{job"}), "not closed"),
    ] {
        let (status, err) = hq
            .call(Method::PUT, "/letter-template", Some(&alex), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["message"].as_str().unwrap().contains(words), "{err}");
    }
    let (status, _) = hq
        .call(
            Method::PUT,
            "/letter-template",
            Some(&alex),
            Some(json!({"subject": "x"})),
        )
        .await;
    assert!(status.is_client_error());
}

/// What bounds a caller: text over its limit is refused by field, a body over 1 MiB before it
/// is read, and a list page at 500 cases however many are asked for.
#[tokio::test]
async fn oversize_case_and_template_text_is_refused() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let alex = hq.admin().await;
    let job = hq.create_job(&dana, "J-1", Some("tina")).await;
    let long = |n: usize| "x".repeat(n);
    for (body, words) in [
        (
            json!({"subject": long(201), "job_id": job.job.id}),
            "longer than 200",
        ),
        (
            json!({"subject": "x", "details": long(4_001), "job_id": job.job.id}),
            "longer than 4000",
        ),
    ] {
        let (status, err) = hq
            .call(Method::POST, "/complaints", Some(&dana), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["message"].as_str().unwrap().contains(words), "{err}");
    }
    let (_, case) = hq
        .call(
            Method::POST,
            "/complaints",
            Some(&dana),
            Some(json!({"subject": "Noisy", "job_id": job.job.id})),
        )
        .await;
    let id = case["id"].as_str().unwrap();
    let (status, _) = hq
        .call(
            Method::PATCH,
            &format!("/complaints/{id}"),
            Some(&dana),
            Some(json!({"note": long(4_001)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = hq
        .call(
            Method::PUT,
            "/letter-template",
            Some(&alex),
            Some(json!({"subject": "Hi", "body": long(8_001)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = hq
        .call(
            Method::POST,
            "/inquiries",
            Some(&dana),
            Some(json!({"subject": "x", "details": long(2 * 1024 * 1024), "job_id": job.job.id})),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, list) = hq
        .call(Method::GET, "/complaints?limit=100000", Some(&dana), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["cases"].as_array().map(Vec::len), Some(1));
}
