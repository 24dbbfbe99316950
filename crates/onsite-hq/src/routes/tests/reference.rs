//! Changing reference data through the router: admins import the same files the commands do,
//! a dispatcher puts parts into a van and fills parts requests.

use super::push::setup;
use super::*;
use onsite_protocol::OpId;

impl Hq {
    /// POST of a raw body.
    async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: impl Into<Body>,
    ) -> (StatusCode, Value) {
        let mut req =
            Request::post(format!("/api/v1{path}")).header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(body.into()).unwrap()).await
    }
}

const PARTS: &str = "sku,name,unit_price,serialized,models\n\
                     SEAL-1,Pump seal,4.50,false,\n\
                     HX-1,Heat exchanger,180.00,true,HeatMax 300\n";

const CHECKLIST: &str = r#"[{"key":"service","version":1,"title":"Service","kinds":["repair"],
  "items":[{"key":"earth","label":"Earth tested","type":"yes_no","required":true}]}]"#;

const POLICY: &str = r#"[{"model":"HeatMax 300","version":1,"from":"purchase","return_days":7,
  "replace_days":15,"repair_months":24,"max_repairs":2}]"#;

fn guides(files: &[(&str, &str)]) -> String {
    let files: Vec<_> = files
        .iter()
        .map(|(file, title)| {
            json!({"file": file,
                "text": format!("---\ntitle: {title}\nmodels: HeatMax 300\n---\n# {title}\n")})
        })
        .collect();
    Value::Array(files).to_string()
}

/// Each import: a token and an admin's role are needed (a dispatcher reads but does not
/// import); a good file is stored and counted; a bad one is refused whole, naming its line,
/// entry or file, and nothing of it is stored; a body over the limit is refused before it is
/// read.
#[tokio::test]
async fn admins_import_reference_files_all_or_nothing() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let alex = hq.admin().await;
    let good_guides = guides(&[("e5-codes.md", "Fault codes")]);
    let imports: [(&str, &str, &str); 4] = [
        ("/parts/import", "text/csv", PARTS),
        ("/checklists/import", "application/json", CHECKLIST),
        ("/warranty-policies/import", "application/json", POLICY),
        ("/guides/import", "application/json", &good_guides),
    ];
    for (path, kind, body) in imports {
        for token in [None, Some("osa_forged")] {
            let (status, got) = hq.post_raw(path, token, kind, body.to_string()).await;
            assert_eq!(
                (status, code(&got)),
                (StatusCode::UNAUTHORIZED, "unauthorized")
            );
        }
        for token in [&dana, &tina] {
            let (status, got) = hq.post_raw(path, Some(token), kind, body.to_string()).await;
            assert_eq!(
                (status, code(&got)),
                (StatusCode::FORBIDDEN, "forbidden"),
                "{path}"
            );
        }
        let (status, got) = hq.post_raw(path, Some(&alex), kind, body.to_string()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {got}");
        assert_eq!(got["entries"], got["created"], "{path}: {got}");
        let (_, again) = hq.post_raw(path, Some(&alex), kind, body.to_string()).await;
        assert_eq!(
            again["unchanged"], got["entries"],
            "{path}: importing again changes nothing"
        );
    }
    let (_, parts) = hq.call(Method::GET, "/parts", Some(&dana), None).await;
    assert_eq!(parts["parts"].as_array().unwrap().len(), 2);

    // A bad line, entry or file: refused whole, with where and why.
    let bad = [
        (
            "/parts/import",
            "text/csv",
            format!("{PARTS}NEW-1,New part,1.00,false,\nBAD-1,Bad,lots,false,\n"),
            "line 5",
        ),
        (
            "/checklists/import",
            "application/json",
            r#"[{"key":"other","version":1,"title":"T","kinds":["repair"],"items":[{"key":"a","label":"A","type":"text","required":false}]},{"key":"x"}]"#
                .to_string(),
            "entry 2",
        ),
        ("/warranty-policies/import", "application/json", "{}".to_string(), "JSON array"),
        (
            "/guides/import",
            "application/json",
            guides(&[("new.md", "New"), ("../up.md", "Up")]),
            "../up.md",
        ),
        (
            "/guides/import",
            "application/json",
            guides(&[("twice.md", "A"), ("twice.md", "B")]),
            "sent twice",
        ),
        ("/parts/import", "text/csv", String::new(), ""),
    ];
    for (path, kind, body, place) in bad {
        let (status, got) = hq.post_raw(path, Some(&alex), kind, body).await;
        assert_eq!(
            (status, code(&got)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{path}: {got}"
        );
        let message = got["message"].as_str().unwrap();
        assert!(
            message.contains(place) && message.ends_with("nothing was imported"),
            "{path}: {message}"
        );
    }
    let (status, got) = hq
        .post_raw(
            "/parts/import",
            Some(&alex),
            "text/csv",
            vec![0xff, 0xfe, 0x00],
        )
        .await;
    assert_eq!(
        (status, code(&got)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let (_, parts) = hq.call(Method::GET, "/parts", Some(&dana), None).await;
    assert_eq!(
        parts["parts"].as_array().unwrap().len(),
        2,
        "NEW-1 was not kept"
    );
    let (_, listed) = hq.call(Method::GET, "/guides", Some(&dana), None).await;
    assert_eq!(
        listed["guides"].as_array().unwrap().len(),
        1,
        "new.md was not kept"
    );

    // Over the body limit: refused, whoever asks.
    let huge = format!(
        "{PARTS}{}",
        "X-1,Part,1.00,false,\n".repeat(MAX_BODY_BYTES / 20)
    );
    let (status, got) = hq
        .post_raw("/parts/import", Some(&alex), "text/csv", huge)
        .await;
    assert_eq!(
        (status, code(&got)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
}

/// A dispatcher (or admin) puts parts into a van over the API, checked like the command;
/// the technician's open request for the part is filled by it, and a request the van does
/// not cover is filled by the dispatcher's word. Technicians do neither.
#[tokio::test]
async fn a_dispatcher_issues_stock_and_fills_parts_requests() {
    let s = setup().await;
    let hq = &s.hq;
    let alex = hq.admin().await;
    let (status, _) = hq
        .post_raw("/parts/import", Some(&alex), "text/csv", PARTS)
        .await;
    assert_eq!(status, StatusCode::OK);
    let seals = s.op(
        1,
        json!({"kind": "parts_requested", "sku": "SEAL-1", "qty": 2}),
    );
    let unit = s.op(
        2,
        json!({"kind": "parts_requested", "sku": "HX-1", "qty": 1}),
    );
    let pushed = s.push(&[seals.clone(), unit.clone()]).await;
    assert!(
        pushed
            .results
            .iter()
            .all(|r| r.outcome.as_str() == "applied")
    );
    let (_, open) = hq
        .call(Method::GET, "/parts-requests", Some(&s.dispatcher), None)
        .await;
    assert_eq!(open["requests"].as_array().unwrap().len(), 2);

    let dispatcher = s.dispatcher.as_str();
    let issue = |body: Value| async move {
        hq.call(Method::POST, "/stock/issue", Some(dispatcher), Some(body))
            .await
    };
    let (status, got) = issue(json!({"technician": "tina", "sku": "SEAL-1", "qty": 3})).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["balance"], 3);
    assert_eq!(got["moves"][0]["by"], "Dana Dispatch");
    assert_eq!(got["fills"][0]["request"], seals["op_id"]);
    assert_eq!(got["fills"][0]["how"], "put into tina's van");
    let refused = [
        (
            json!({"technician": "tina", "sku": "SEAL-1"}),
            "validation_failed",
        ),
        (
            json!({"technician": "tina", "sku": "SEAL-1", "qty": 1, "serials": ["A"]}),
            "validation_failed",
        ),
        (
            json!({"technician": "tina", "sku": "HX-1", "qty": 1}),
            "validation_failed",
        ),
        (
            json!({"technician": "tina", "sku": "NOPE", "qty": 1}),
            "validation_failed",
        ),
        (
            json!({"technician": "dana", "sku": "SEAL-1", "qty": 1}),
            "validation_failed",
        ),
        (
            json!({"technician": "tina", "sku": "SEAL-1", "qty": 0}),
            "validation_failed",
        ),
        (
            json!({"technician": "tina", "sku": "SEAL-1", "qty": 1, "why": 1}),
            "malformed_json",
        ),
        (
            json!({"technician": "tina", "sku": "SEAL-1", "qty": "3"}),
            "malformed_json",
        ),
    ];
    let too_many: Vec<String> = (0..501).map(|n| format!("HX1-{n}")).collect();
    let refused = refused.into_iter().chain([
        (
            json!({"technician": "tina", "sku": "HX-1", "serials": too_many}),
            "validation_failed",
        ),
        (
            json!({"technician": "tina", "sku": "HX-1", "serials": ["bad\nserial"]}),
            "validation_failed",
        ),
    ]);
    // Parts into a van and back out of it read the same body and refuse the same way.
    for (body, expected) in refused {
        for route in ["/stock/issue", "/stock/return"] {
            let (status, got) = hq
                .call(Method::POST, route, Some(dispatcher), Some(body.clone()))
                .await;
            assert_eq!(
                (status, code(&got)),
                (StatusCode::UNPROCESSABLE_ENTITY, expected),
                "{route} {body}: {got}"
            );
        }
    }
    let (status, got) = hq
        .call(
            Method::POST,
            "/stock/issue",
            Some(&s.tina),
            Some(json!({"technician": "tina", "sku": "SEAL-1", "qty": 50})),
        )
        .await;
    assert_eq!((status, code(&got)), (StatusCode::FORBIDDEN, "forbidden"));

    // Two seals come back to HQ; a third more than the van holds is refused.
    let give_back = |who: String, qty: i64| async move {
        hq.call(
            Method::POST,
            "/stock/return",
            Some(who.as_str()),
            Some(json!({"technician": "tina", "sku": "SEAL-1", "qty": qty})),
        )
        .await
    };
    let (status, got) = give_back(dispatcher.to_string(), 2).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        (
            &got["balance"],
            &got["moves"][0]["qty"],
            &got["moves"][0]["kind"]
        ),
        (&json!(1), &json!(-2), &json!("returned"))
    );
    let (status, got) = give_back(dispatcher.to_string(), 2).await;
    assert_eq!(
        (status, code(&got)),
        (StatusCode::CONFLICT, "conflict"),
        "{got}"
    );
    assert!(
        got["message"]
            .as_str()
            .unwrap()
            .contains("holds 1 of SEAL-1"),
        "{got}"
    );
    let (status, got) = give_back(s.tina.clone(), 1).await;
    assert_eq!((status, code(&got)), (StatusCode::FORBIDDEN, "forbidden"));

    // The unit is sent to the customer instead: the dispatcher says so, once.
    let fill = format!("/parts-requests/{}/fill", unit["op_id"].as_str().unwrap());
    let how = |how: &str| Some(json!({ "how": how }));
    let (status, got) = hq
        .call(Method::POST, &fill, Some(&s.tina), how("mine"))
        .await;
    assert_eq!((status, code(&got)), (StatusCode::FORBIDDEN, "forbidden"));
    for bad in ["", "   ", "a\nb", &"x".repeat(201)] {
        let (status, got) = hq
            .call(Method::POST, &fill, Some(&s.dispatcher), how(bad))
            .await;
        assert_eq!(
            (status, code(&got)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{bad:?}"
        );
    }
    let (status, got) = hq
        .call(
            Method::POST,
            &fill,
            Some(&s.dispatcher),
            how(" couriered to the customer "),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        (got["how"].as_str(), got["by"].as_str()),
        (Some("couriered to the customer"), Some("Dana Dispatch"))
    );
    let (status, got) = hq
        .call(Method::POST, &fill, Some(&s.dispatcher), how("again"))
        .await;
    assert_eq!((status, code(&got)), (StatusCode::CONFLICT, "conflict"));
    let unknown = format!("/parts-requests/{}/fill", OpId::new());
    let (status, got) = hq.call(Method::POST, &unknown, Some(&alex), how("x")).await;
    assert_eq!((status, code(&got)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, got) = hq
        .call(
            Method::POST,
            "/parts-requests/nope/fill",
            Some(&alex),
            how("x"),
        )
        .await;
    assert_eq!(
        (status, code(&got)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let (_, open) = hq
        .call(Method::GET, "/parts-requests", Some(&s.dispatcher), None)
        .await;
    assert!(open["requests"].as_array().unwrap().is_empty(), "{open}");

    // Tina's laptop learns both with its next pull.
    let (status, page) = hq
        .call(Method::GET, "/sync/pull", Some(&s.tina), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let page: PullPage = serde_json::from_value(page).unwrap();
    let hows: Vec<_> = page.fills.iter().map(|f| f.how.as_str()).collect();
    assert_eq!(hows, ["put into tina's van", "couriered to the customer"]);
}

/// The letterhead: read by dispatchers, set by admins, checked field by field.
#[tokio::test]
async fn admins_set_the_letterhead_and_dispatchers_read_it() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let alex = hq.admin().await;
    let (status, got) = hq.call(Method::GET, "/letterhead", Some(&dana), None).await;
    assert_eq!((status, code(&got)), (StatusCode::NOT_FOUND, "not_found"));
    let good = json!({"name": "Northwind Home Services", "lines": ["14 Mill Lane, Leeds"],
        "logo": "iVBORw0KGgpsb2dv"});
    for token in [&dana, &tina] {
        let (status, got) = hq
            .call(Method::PUT, "/letterhead", Some(token), Some(good.clone()))
            .await;
        assert_eq!((status, code(&got)), (StatusCode::FORBIDDEN, "forbidden"));
    }
    let (status, got) = hq
        .call(Method::PUT, "/letterhead", Some(&alex), Some(good.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let (status, got) = hq.call(Method::GET, "/letterhead", Some(&dana), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &good));
    let (status, _) = hq.call(Method::GET, "/letterhead", Some(&tina), None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "laptops get it in their sync"
    );
    let refused = [
        (json!({"name": ""}), "validation_failed", "name is empty"),
        (
            json!({"name": "N", "lines": ["1", "2", "3", "4", "5"]}),
            "validation_failed",
            "at most 4 lines",
        ),
        (
            json!({"name": "N", "logo": "R0lGODlh"}),
            "validation_failed",
            "PNG or JPEG",
        ),
        (
            json!({"name": "N", "colour": "red"}),
            "malformed_json",
            "colour",
        ),
    ];
    for (body, expected, words) in refused {
        let (status, got) = hq
            .call(Method::PUT, "/letterhead", Some(&alex), Some(body.clone()))
            .await;
        assert_eq!(
            (status, code(&got)),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{body}"
        );
        assert!(got["message"].as_str().unwrap().contains(words), "{got}");
    }
    let (_, kept) = hq.call(Method::GET, "/letterhead", Some(&dana), None).await;
    assert_eq!(kept, good, "a refused letterhead changes nothing");
}

/// The labour price list and HQ's settings: read by dispatchers, set by admins, refused by
/// field, and a refused value changes nothing.
#[tokio::test]
async fn admins_set_the_labour_prices_and_settings_and_dispatchers_read_them() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let alex = hq.admin().await;
    let (status, got) = hq
        .call(Method::GET, "/labour-prices", Some(&dana), None)
        .await;
    assert_eq!((status, code(&got)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, got) = hq.call(Method::GET, "/settings", Some(&dana), None).await;
    assert_eq!(
        (status, &got),
        (StatusCode::OK, &json!({"follow_up_days": 3}))
    );
    let cases = [
        (
            "/labour-prices",
            json!({"call_out_cents": 4500, "hourly_cents": 6000, "increment_minutes": 15}),
            vec![
                (
                    json!({"call_out_cents": -1, "hourly_cents": 6000, "increment_minutes": 15}),
                    "validation_failed",
                    "call_out_cents",
                ),
                (
                    json!({"call_out_cents": 0, "hourly_cents": 10_000_001,
                        "increment_minutes": 15}),
                    "validation_failed",
                    "hourly_cents",
                ),
                (
                    json!({"call_out_cents": 0, "hourly_cents": 6000, "increment_minutes": 0}),
                    "validation_failed",
                    "increment_minutes",
                ),
                (
                    json!({"call_out_cents": 0, "hourly_cents": 6000}),
                    "malformed_json",
                    "increment_minutes",
                ),
                (
                    json!({"call_out_cents": "45", "hourly_cents": 6000,
                        "increment_minutes": 15}),
                    "malformed_json",
                    "call_out_cents",
                ),
            ],
        ),
        (
            "/settings",
            json!({"follow_up_days": 5}),
            vec![
                (
                    json!({"follow_up_days": 0}),
                    "validation_failed",
                    "follow_up_days",
                ),
                (
                    json!({"follow_up_days": 91}),
                    "validation_failed",
                    "1 to 90",
                ),
                (json!({}), "malformed_json", "follow_up_days"),
                (
                    json!({"follow_up_days": 5, "colour": "red"}),
                    "malformed_json",
                    "colour",
                ),
            ],
        ),
    ];
    for (path, good, refused) in cases {
        for token in [&dana, &tina] {
            let (status, got) = hq
                .call(Method::PUT, path, Some(token), Some(good.clone()))
                .await;
            assert_eq!(
                (status, code(&got)),
                (StatusCode::FORBIDDEN, "forbidden"),
                "{path}"
            );
        }
        let (status, got) = hq
            .call(Method::PUT, path, Some(&alex), Some(good.clone()))
            .await;
        assert_eq!((status, &got), (StatusCode::OK, &good), "{path}");
        let (status, got) = hq.call(Method::GET, path, Some(&dana), None).await;
        assert_eq!((status, &got), (StatusCode::OK, &good), "{path}");
        let (status, _) = hq.call(Method::GET, path, Some(&tina), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        for (body, expected, words) in refused {
            let (status, got) = hq
                .call(Method::PUT, path, Some(&alex), Some(body.clone()))
                .await;
            assert_eq!(
                (status, code(&got)),
                (StatusCode::UNPROCESSABLE_ENTITY, expected),
                "{path} {body}"
            );
            assert!(got["message"].as_str().unwrap().contains(words), "{got}");
        }
        let huge = json!({"padding": "x".repeat(2 * 1024 * 1024)});
        let (status, _) = hq.call(Method::PUT, path, Some(&alex), Some(huge)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        let (_, kept) = hq.call(Method::GET, path, Some(&dana), None).await;
        assert_eq!(kept, good, "{path}: a refused value changes nothing");
    }
    // A laptop receives the prices with its sync.
    let (status, page) = hq
        .call(Method::GET, "/sync/pull?reference=true", Some(&tina), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["reference"]["labour"]["hourly_cents"], 6000, "{page}");
}

/// Every route that changes reference data, stock or requests refuses a caller with no
/// token, or a forged one, before reading the body.
#[tokio::test]
async fn changing_routes_need_a_token() {
    let hq = Hq::new().await;
    let fill = format!("/parts-requests/{}/fill", OpId::new());
    let routes = [
        (Method::POST, "/stock/issue"),
        (Method::POST, "/stock/return"),
        (Method::POST, fill.as_str()),
        (Method::PUT, "/letterhead"),
        (Method::GET, "/letterhead"),
        (Method::PUT, "/labour-prices"),
        (Method::GET, "/labour-prices"),
        (Method::PUT, "/settings"),
        (Method::GET, "/settings"),
    ];
    for (method, path) in routes {
        for token in [None, Some("osa_forged")] {
            let (status, got) = hq
                .call(method.clone(), path, token, Some(json!({"how": "x"})))
                .await;
            assert_eq!(
                (status, code(&got)),
                (StatusCode::UNAUTHORIZED, "unauthorized"),
                "{method} {path}"
            );
        }
    }
}
