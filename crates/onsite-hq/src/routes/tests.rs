//! The router driven in-process with `oneshot`: auth, roles, bad input, scoping.

use super::*;
use crate::password::hash_password;
use crate::storage::NewUser;
use crate::storage::sqlite::SqliteStorage;
use axum::body::Body;
use axum::http::{Method, Request, Response, header};
use chrono::Utc;
use http_body_util::BodyExt;
use onsite_protocol::api::{JobView, PullPage, Tokens};
use onsite_protocol::{DeviceId, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

mod admin;
mod care;
mod console;
mod exports;
mod push;
mod reference;
mod search;
mod suggest;

struct Hq {
    app: Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

const PASSWORD: &str = "password-123";

impl Hq {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("hq.db")).unwrap();
        let hash = hash_password(PASSWORD).unwrap();
        for (name, display_name, role) in [
            ("dana", "Dana Dispatch", Role::Dispatcher),
            ("tina", "Tina Tech", Role::Technician),
            ("tom", "Tom Tech", Role::Technician),
        ] {
            storage
                .add_user(
                    NewUser {
                        username: name.into(),
                        display_name: display_name.into(),
                        role,
                        skills: vec![],
                        password_hash: hash.clone(),
                    },
                    Utc::now(),
                )
                .await
                .unwrap();
        }
        let state = AppState::new(
            Arc::new(storage),
            Arc::new(BlobStore::open(&dir.path().join("blobs")).unwrap()),
        );
        Self {
            app: router(state.clone()),
            state,
            _dir: dir,
        }
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let res: Response<Body> = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("non-JSON body: {}", String::from_utf8_lossy(&bytes)))
        };
        (status, body)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"));
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    async fn login(&self, username: &str) -> Tokens {
        self.login_on(username, DeviceId::new()).await
    }

    async fn login_on(&self, username: &str, device: DeviceId) -> Tokens {
        let (status, body) = self
            .call(
                Method::POST,
                "/auth/login",
                None,
                Some(json!({"username": username, "password": PASSWORD, "device_id": device})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// An admin, alex, logged in.
    async fn admin(&self) -> String {
        self.state
            .storage
            .add_user(
                NewUser {
                    username: "alex".into(),
                    display_name: "Alex Admin".into(),
                    role: Role::Admin,
                    skills: vec![],
                    password_hash: hash_password(PASSWORD).unwrap(),
                },
                Utc::now(),
            )
            .await
            .unwrap();
        self.login("alex").await.access_token
    }

    async fn create_job(&self, token: &str, number: &str, technician: Option<&str>) -> JobView {
        let (status, body) = self
            .call(
                Method::POST,
                "/jobs",
                Some(token),
                Some(
                    json!({"number": number, "kind": "repair", "summary": "Leak",
                    "technician": technician, "customer": {"name": format!("Customer {number}")},
                    "site": {"address": "1 High St"}}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value(body).unwrap()
    }
}

fn code(body: &Value) -> &str {
    body["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code in {body}"))
}

#[tokio::test]
async fn health_answers() {
    let hq = Hq::new().await;
    let (status, body) = hq.call(Method::GET, "/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn the_api_description_is_served_to_anyone() {
    let hq = Hq::new().await;
    let (status, body) = hq.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(body["paths"]["/api/v1/sync/push"]["post"].is_object());
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let hq = Hq::new().await;
    let (status, body) = hq.call(Method::GET, "/nope", None, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, body) = hq.call(Method::DELETE, "/health", None, None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let hq = Hq::new().await;
    for (user, pass) in [("tina", "wrong-password"), ("nobody", PASSWORD)] {
        let (status, body) = hq
            .call(
                Method::POST,
                "/auth/login",
                None,
                Some(json!({"username": user, "password": pass, "device_id": DeviceId::new()})),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "invalid_credentials")
        );
        assert_eq!(body["message"], "wrong username or password");
    }
}

impl Hq {
    /// A login from `address`, as the socket would tell it: status, body, `Retry-After`.
    async fn login_from(
        &self,
        address: [u8; 4],
        username: &str,
        password: &str,
        device: DeviceId,
    ) -> (StatusCode, Value, Option<String>) {
        let peer = std::net::SocketAddr::from((address, 40_000));
        let mut req = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": username, "password": password, "device_id": device})
                    .to_string(),
            ))
            .unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let retry = res
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap(), retry)
    }
}

/// Before, guesses sent at once were all checked (23 against a limit of 5). Now each is
/// counted before its check: of 23 at once from one address, at most 5 are checked; the rest
/// are told when to come back. The same user from another address is not locked out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_at_once_are_counted_before_they_are_checked() {
    let hq = Arc::new(Hq::new().await);
    let guesses: Vec<_> = (0..23)
        .map(|_| {
            let hq = hq.clone();
            tokio::spawn(async move {
                hq.login_from([10, 0, 0, 1], "tom", "wrong-password", DeviceId::new())
                    .await
            })
        })
        .collect();
    let mut checked = 0;
    for g in guesses {
        let (status, body, retry) = g.await.unwrap();
        match status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(code(&body), "rate_limited");
                let seconds: u64 = retry.expect("a Retry-After").parse().unwrap();
                assert!((1..=900).contains(&seconds), "{seconds}");
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(checked, crate::throttle::PER_USER_AND_ADDRESS);
    let (status, _, _) = hq
        .login_from([10, 0, 0, 1], "tom", PASSWORD, DeviceId::new())
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "that address waits");
    let (status, body, _) = hq
        .login_from([10, 0, 0, 2], "tom", PASSWORD, DeviceId::new())
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the real user elsewhere gets in: {body}"
    );
}

/// Before, five wrong passwords for "dana" from anywhere locked the dispatcher out. Now a flood
/// from many addresses stops new devices, but her own laptop still gets in.
#[tokio::test]
async fn a_flood_at_one_name_does_not_lock_its_owner_out() {
    let hq = Hq::new().await;
    let laptop = DeviceId::new();
    let (status, _, _) = hq.login_from([10, 9, 9, 9], "dana", PASSWORD, laptop).await;
    assert_eq!(status, StatusCode::OK);
    for n in 0..crate::throttle::PER_USER {
        let address = [172, 16, (n / 200) as u8, (n % 200) as u8];
        let (status, _, _) = hq
            .login_from(address, "dana", "guess", DeviceId::new())
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, _) = hq
        .login_from([172, 17, 0, 1], "dana", PASSWORD, DeviceId::new())
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "a new device waits");
    let (status, body, _) = hq.login_from([10, 9, 9, 9], "dana", PASSWORD, laptop).await;
    assert_eq!(status, StatusCode::OK, "her own laptop gets in: {body}");
}

/// A body sent a byte at a time (here: never) used to hold its connection for ever. Now the
/// request ends after `REQUEST_TIMEOUT` with a `{code, message}` answer.
#[tokio::test]
async fn a_body_that_never_arrives_times_out() {
    let hq = Hq::new().await;
    tokio::time::pause();
    let stalled = futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stalled))
        .unwrap();
    let (status, body) = hq.send(req).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::REQUEST_TIMEOUT, "timeout")
    );
}

#[tokio::test]
async fn endpoints_need_a_valid_token() {
    let hq = Hq::new().await;
    for (path, token) in [
        ("/jobs", None),
        ("/jobs", Some("osa_forged")),
        ("/sync/pull", None),
        ("/me", Some("")),
    ] {
        let (status, body) = hq.call(Method::GET, path, token, None).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "{path}"
        );
    }
    let tokens = hq.login("tina").await;
    let (status, body) = hq
        .call(Method::GET, "/me", Some(&tokens.access_token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["username"], "tina");
}

#[tokio::test]
async fn roles_are_checked_from_the_token() {
    let hq = Hq::new().await;
    let tech = hq.login("tina").await.access_token;
    let dispatcher = hq.login("dana").await.access_token;
    let (status, body) = hq.call(Method::GET, "/jobs", Some(&tech), None).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, _) = hq
        .call(Method::POST, "/jobs", Some(&tech), Some(json!({"kind": "repair", "summary": "x", "customer": {"name": "A"}, "site": {"address": "b"}})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = hq
        .call(Method::GET, "/sync/pull", Some(&dispatcher), None)
        .await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    for list in ["/parts", "/checklists", "/warranty-policies", "/guides"] {
        let (status, _) = hq.call(Method::GET, list, Some(&tech), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{list}");
        let (status, body) = hq.call(Method::GET, list, Some(&dispatcher), None).await;
        assert_eq!(status, StatusCode::OK, "{list}: {body}");
        assert!(body["next"].is_null(), "{list}: {body}");
    }
}

#[tokio::test]
async fn malformed_and_oversize_bodies_are_4xx() {
    let hq = Hq::new().await;
    let token = hq.login("dana").await.access_token;
    let raw = |body: Body, content_type: Option<&str>| {
        let mut req =
            Request::post("/api/v1/jobs").header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        req.body(body).unwrap()
    };
    let (status, body) = hq
        .send(raw(Body::from("{not json"), Some("application/json")))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let (status, body) = hq.send(raw(Body::from("{}"), None)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "malformed_json")
    );
    let (status, body) = hq
        .send(raw(
            Body::from(r#"{"kind": "repair"}"#),
            Some("application/json"),
        ))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "malformed_json")
    );
    let huge = format!(r#"{{"summary": "{}"}}"#, "x".repeat(MAX_BODY_BYTES + 10));
    let (status, body) = hq
        .send(raw(Body::from(huge), Some("application/json")))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let (status, body) = hq
        .call(Method::GET, "/jobs/not-a-uuid", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let (status, body) = hq
        .call(Method::GET, "/jobs?limit=lots", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
}

/// Before, `[]` was read as a body with every field absent, a technician learned a
/// dispatcher route's schema from its 400/422 before being told 403, and some refusals were
/// not `{code, message}`.
#[tokio::test]
async fn hostile_requests_get_the_apis_errors() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let job = hq.create_job(&dana, "J-9", Some("tina")).await.job.id;
    let send = |method: Method, path: String, token: &str, body: &'static str| {
        let req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        hq.send(req)
    };
    for (method, path) in [
        (Method::POST, format!("/jobs/{job}/cancel")),
        (Method::PATCH, format!("/jobs/{job}")),
        (Method::POST, format!("/jobs/{job}/assign")),
    ] {
        let (status, body) = send(method.clone(), path.clone(), &dana, "[]").await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "malformed_json"),
            "{method} {path}"
        );
        let (status, body) = send(method.clone(), path.clone(), &tina, "{not json").await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{method} {path}: the role first"
        );
    }
    let (status, body) = send(Method::POST, "/jobs".into(), &tina, "[1,2]").await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, _) = send(Method::POST, "/sync/push".into(), &dana, "{}").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A cancel reason is bounded and plain text.
    let long = json!({"reason": "x".repeat(crate::job_input::MAX_REASON + 1)});
    let (status, body) = hq
        .call(
            Method::POST,
            &format!("/jobs/{job}/cancel"),
            Some(&dana),
            Some(long),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let (status, _) = hq
        .call(
            Method::POST,
            &format!("/jobs/{job}/cancel"),
            Some(&dana),
            Some(json!({"reason": "\u{1b}]8;;evil\u{7}"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A job number that looks like another is refused.
    let (status, body) = hq
        .call(
            Method::POST,
            "/jobs",
            Some(&dana),
            Some(
                json!({"number": "J\u{2010}9", "kind": "repair", "summary": "x",
                        "customer": {"name": "A"}, "site": {"address": "b"}}),
            ),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );

    let raw = |req: axum::http::request::Builder, body: Body| {
        hq.send(
            req.header(header::AUTHORIZATION, format!("Bearer {tina}"))
                .body(body)
                .unwrap(),
        )
    };
    // A chunk over 512 KiB, a body compressed as brotli, an address of 9 KiB.
    let sha = "0".repeat(64);
    let (status, body) = raw(
        Request::put(format!("/api/v1/blobs/{sha}"))
            .header(onsite_protocol::blob::OFFSET, "0")
            .header(onsite_protocol::blob::TOTAL, "1048576"),
        Body::from(vec![0u8; 1024 * 1024]),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let (status, body) = raw(
        Request::post("/api/v1/sync/push")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_ENCODING, "br"),
        Body::from("{}"),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding")
    );
    let (status, body) = raw(
        Request::get(format!("/api/v1/sync/pull?cursor={}", "a".repeat(9 * 1024))),
        Body::empty(),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::URI_TOO_LONG, "uri_too_long")
    );
    let (status, body) = raw(
        Request::post("/api/v1/sync/push")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, (1100 * 1024).to_string()),
        Body::from(vec![b' '; 1100 * 1024]),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
}

#[tokio::test]
async fn dispatcher_creates_assigns_and_cancels() {
    let hq = Hq::new().await;
    let token = hq.login("dana").await.access_token;
    let created = hq.create_job(&token, "J-1", None).await;
    assert_eq!(created.job.status.as_str(), "new");
    let id = created.job.id;

    let (status, body) = hq
        .call(Method::POST, "/jobs", Some(&token), Some(json!({"number": "J-1", "kind": "repair", "summary": "x", "customer": {"name": "A"}, "site": {"address": "b"}})))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "conflict"));
    let (status, body) = hq
        .call(Method::POST, "/jobs", Some(&token), Some(json!({"kind": "repair", "summary": " ", "customer": {"name": "A"}, "site": {"address": "b"}})))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert!(body["message"].as_str().unwrap().contains("summary"));

    let (status, body) = hq
        .call(
            Method::POST,
            &format!("/jobs/{id}/assign"),
            Some(&token),
            Some(json!({"technician": "dana"})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let (status, body) = hq
        .call(
            Method::POST,
            &format!("/jobs/{id}/assign"),
            Some(&token),
            Some(json!({"technician": "tina"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            body["job"]["status"].as_str(),
            body["job"]["technician"].as_str()
        ),
        (Some("assigned"), Some("tina"))
    );
    assert_eq!(body["job"]["version"], 2);

    let (status, body) = hq
        .call(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&token),
            Some(json!({"priority": "urgent", "description": "Under the sink"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["job"]["priority"], "urgent");
    // The summary is held to its 200 characters as sent, as the description says: before, one
    // padded past them with blanks was trimmed into shape and taken.
    let padded = format!("  {}  ", "s".repeat(198));
    let (status, body) = hq
        .call(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&token),
            Some(json!({ "summary": padded })),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("summary"));

    let (status, _) = hq
        .call(
            Method::POST,
            &format!("/jobs/{id}/cancel"),
            Some(&token),
            Some(json!({"reason": "customer called"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = hq
        .call(
            Method::POST,
            &format!("/jobs/{id}/cancel"),
            Some(&token),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_transition")
    );

    let (status, body) = hq
        .call(Method::GET, "/jobs?status=cancelled", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["jobs"].as_array().unwrap().len(), 1);
    let (status, body) = hq
        .call(
            Method::GET,
            &format!("/jobs/{}", onsite_protocol::JobId::new()),
            Some(&token),
            None,
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

/// A dispatcher who has a job's number finds the job by it; a number where an id belongs is
/// told where to look instead of getting a parse error.
#[tokio::test]
async fn a_job_is_found_by_its_number() {
    let hq = Hq::new().await;
    let token = hq.login("dana").await.access_token;
    let created = hq.create_job(&token, "J-000123", Some("tina")).await;
    hq.create_job(&token, "J-000124", None).await;

    let (status, body) = hq
        .call(Method::GET, "/jobs/by-number/J-000123", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["job"]["id"], json!(created.job.id));
    let (status, body) = hq
        .call(Method::GET, "/jobs/by-number/J-999999", Some(&token), None)
        .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));

    let (status, body) = hq
        .call(Method::GET, "/jobs?number=J-000123", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let numbers: Vec<_> = body["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["job"]["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["J-000123"]);

    let (status, body) = hq
        .call(Method::GET, "/jobs/J-000123", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("/api/v1/jobs/by-number/J-000123"),
        "{message}"
    );

    let tina = hq.login("tina").await.access_token;
    let (status, _) = hq
        .call(Method::GET, "/jobs/by-number/J-000123", Some(&tina), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "dispatchers only");
}

#[tokio::test]
async fn job_list_pages_by_number() {
    let hq = Hq::new().await;
    let token = hq.login("dana").await.access_token;
    for n in 1..=5 {
        hq.create_job(&token, &format!("J-{n}"), None).await;
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("/jobs?limit=2&after={a}"),
            None => "/jobs?limit=2".into(),
        };
        let (_, body) = hq.call(Method::GET, &path, Some(&token), None).await;
        seen.extend(
            body["jobs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|j| j["job"]["number"].as_str().unwrap().to_string()),
        );
        match body["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ["J-1", "J-2", "J-3", "J-4", "J-5"]);
}

/// The reference and stock reads: a token is needed and a dispatcher's role; bad cursors,
/// counts and names are refused in `{code, message}`; a page never holds more than
/// `MAX_LIST_PAGE`, however many are asked for.
#[tokio::test]
async fn reference_reads_check_callers_input_and_bounds() {
    let hq = Hq::new().await;
    let routes = [
        "/parts",
        "/checklists",
        "/warranty-policies",
        "/guides",
        "/stock?technician=tina",
        "/parts-requests",
        "/jobs/0190a6e0-0000-7000-8000-000000000001/visit",
    ];
    for path in routes {
        for token in [None, Some("osa_forged")] {
            let (status, body) = hq.call(Method::GET, path, token, None).await;
            assert_eq!(
                (status, code(&body)),
                (StatusCode::UNAUTHORIZED, "unauthorized"),
                "{path}"
            );
        }
    }
    let dana = hq.login("dana").await.access_token;
    let parts: Vec<_> = (0..MAX_LIST_PAGE + 20)
        .map(|n| {
            (
                n as usize + 2,
                onsite_protocol::part::Part {
                    sku: format!("P-{n:04}"),
                    name: "Part".into(),
                    unit_price_cents: 1,
                    serialized: false,
                    models: vec![],
                },
            )
        })
        .collect();
    hq.state.storage.import_parts(&parts).await.unwrap();
    let (status, body) = hq
        .call(Method::GET, "/parts?limit=100000", Some(&dana), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["parts"].as_array().unwrap().len(),
        MAX_LIST_PAGE as usize
    );
    assert_eq!(body["next"], format!("P-{:04}", MAX_LIST_PAGE - 1));
    let (_, body) = hq
        .call(Method::GET, "/parts?limit=0", Some(&dana), None)
        .await;
    assert_eq!(body["parts"].as_array().unwrap().len(), 1, "0 counts as 1");
    let refused = [
        (
            "/checklists?after=nope",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/warranty-policies?after=M@1234567890",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        ("/parts?limit=lots", StatusCode::BAD_REQUEST, "bad_request"),
        ("/parts?limit=-1", StatusCode::BAD_REQUEST, "bad_request"),
        ("/stock", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/parts-requests?after=x",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        ("/jobs/nope/visit", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/jobs/0190a6e0-0000-7000-8000-000000000001/visit",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/stock?technician=tina&before=x",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/stock?technician=nobody",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ];
    for (path, status, expected) in refused {
        let (got, body) = hq.call(Method::GET, path, Some(&dana), None).await;
        assert_eq!((got, code(&body)), (status, expected), "{path}: {body}");
    }
    // A cursor as long as the address allows reads past everything, not into an error.
    let long = "z".repeat(4_000);
    let (status, body) = hq
        .call(
            Method::GET,
            &format!("/guides?after={long}"),
            Some(&dana),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["guides"].as_array().unwrap().is_empty());
    let (status, body) = hq
        .call(
            Method::GET,
            &format!("/parts?after={}", "z".repeat(9_000)),
            Some(&dana),
            None,
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::URI_TOO_LONG, "uri_too_long")
    );
    let (status, body) = hq
        .call(Method::GET, "/stock?technician=tina", Some(&dana), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["balances"].as_array().unwrap().is_empty(),
        "an empty van"
    );
    // What visits recorded is for dispatchers and admins, not technicians.
    let job = hq.create_job(&dana, "J-V1", Some("tina")).await;
    let visit = format!("/jobs/{}/visit", job.job.id);
    let tina = hq.login("tina").await.access_token;
    for path in ["/parts-requests", "/stock?technician=tina", visit.as_str()] {
        let (status, body) = hq.call(Method::GET, path, Some(&tina), None).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{path}"
        );
    }
    let (status, body) = hq
        .call(
            Method::GET,
            "/parts-requests?limit=100000",
            Some(&dana),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["requests"].as_array().unwrap().is_empty());
    let (status, body) = hq.call(Method::GET, &visit, Some(&dana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["record"]["pinned"].is_null() && body["missing"].is_array());
    // An admin reads them too.
    let alex = hq.admin().await;
    for path in ["/parts-requests", visit.as_str()] {
        let (status, body) = hq.call(Method::GET, path, Some(&alex), None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}

/// The reference data comes with the last page to a device that asks for it: all that
/// applies the first time, then only what changed; a device that does not ask gets none.
#[tokio::test]
async fn reference_data_comes_with_the_last_page_to_devices_that_ask() {
    let hq = Hq::new().await;
    let dispatcher = hq.login("dana").await.access_token;
    hq.create_job(&dispatcher, "J-T1", Some("tina")).await;
    hq.create_job(&dispatcher, "J-T2", Some("tina")).await;
    let part = |sku: &str| onsite_protocol::part::Part {
        sku: sku.into(),
        name: "Valve".into(),
        unit_price_cents: 900,
        serialized: false,
        models: vec![],
    };
    hq.state
        .storage
        .import_parts(&[(2, part("V-1"))])
        .await
        .unwrap();
    let tina = hq.login("tina").await.access_token;
    let pull = |cursor: &str, query: &str| {
        let path = format!("/sync/pull?limit=1&cursor={cursor}{query}");
        let (hq, tina) = (&hq, &tina);
        async move {
            let (status, body) = hq.call(Method::GET, &path, Some(tina), None).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            serde_json::from_value::<PullPage>(body).unwrap()
        }
    };
    let first = pull("", "&reference=true").await;
    assert!(
        first.more && first.reference.is_none(),
        "not before the last page"
    );
    let last = pull(&first.cursor, "&reference=true").await;
    assert!(!last.more);
    let reference = last.reference.expect("with the last page");
    assert!(reference.full);
    assert_eq!(reference.parts.len(), 1);
    let nothing = pull(&last.cursor, "&reference=true").await;
    assert_eq!(nothing.reference, None, "nothing changed");
    hq.state
        .storage
        .import_parts(&[(2, part("V-2"))])
        .await
        .unwrap();
    let changed = pull(&nothing.cursor, "&reference=true").await;
    let reference = changed.reference.expect("the new part");
    assert!(!reference.full);
    assert_eq!(reference.parts[0].sku, "V-2");
    // A device that does not keep reference data is sent none.
    let plain = pull("", "").await;
    let plain = pull(&plain.cursor, "").await;
    assert_eq!(plain.reference, None);
}

#[tokio::test]
async fn pull_is_scoped_to_the_caller() {
    let hq = Hq::new().await;
    let dispatcher = hq.login("dana").await.access_token;
    hq.create_job(&dispatcher, "J-T1", Some("tina")).await;
    hq.create_job(&dispatcher, "J-T2", Some("tina")).await;
    hq.create_job(&dispatcher, "J-O1", Some("tom")).await;
    hq.create_job(&dispatcher, "J-N1", None).await;

    let tina = hq.login("tina").await.access_token;
    let (status, body) = hq.call(Method::GET, "/sync/pull", Some(&tina), None).await;
    assert_eq!(status, StatusCode::OK);
    let page: PullPage = serde_json::from_value(body).unwrap();
    let mut numbers: Vec<_> = page.jobs.iter().map(|j| j.number.as_str()).collect();
    numbers.sort();
    assert_eq!(numbers, ["J-T1", "J-T2"]);
    assert_eq!(page.customers.len(), 2);
    assert!(!page.more);

    // Nothing new: same cursor answers an empty page.
    let (_, body) = hq
        .call(
            Method::GET,
            &format!("/sync/pull?cursor={}", page.cursor),
            Some(&tina),
            None,
        )
        .await;
    let again: PullPage = serde_json::from_value(body).unwrap();
    assert!(again.jobs.is_empty() && again.removed.is_empty());

    let (status, body) = hq
        .call(Method::GET, "/sync/pull?cursor=garbage", Some(&tina), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes() {
    let hq = Hq::new().await;
    let device = DeviceId::new();
    let (_, body) = hq
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "tina", "password": PASSWORD, "device_id": device})),
        )
        .await;
    let first: Tokens = serde_json::from_value(body).unwrap();

    let refresh = |token: &str, device: DeviceId| {
        hq.call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": token, "device_id": device})),
        )
    };
    let (status, body) = refresh(&first.refresh_token, DeviceId::new()).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        "other device"
    );

    let (status, body) = refresh(&first.refresh_token, device).await;
    assert_eq!(status, StatusCode::OK);
    let second: Tokens = serde_json::from_value(body).unwrap();
    assert_ne!(second.access_token, first.access_token);
    let (status, _) = hq
        .call(Method::GET, "/me", Some(&first.access_token), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "old access token still works"
    );
    let (status, _) = hq
        .call(Method::GET, "/me", Some(&second.access_token), None)
        .await;
    assert_eq!(status, StatusCode::OK);

    // The same token again at once (an answer lost on the way): the same pair.
    let (status, body) = refresh(&first.refresh_token, device).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let retried: Tokens = serde_json::from_value(body).unwrap();
    assert_eq!(
        (&retried.access_token, &retried.refresh_token),
        (&second.access_token, &second.refresh_token)
    );

    let (status, body) = refresh(&second.refresh_token, device).await;
    assert_eq!(status, StatusCode::OK);
    let third: Tokens = serde_json::from_value(body).unwrap();
    // The first token once more is not a retry of the last rotation: it leaked, and the
    // session dies.
    let (status, body) = refresh(&first.refresh_token, device).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    assert!(body["message"].as_str().unwrap().contains("revoked"));
    let (status, _) = hq
        .call(Method::GET, "/me", Some(&third.access_token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session_for_every_copy_of_its_tokens() {
    let hq = Hq::new().await;
    let device = DeviceId::new();
    let tokens = hq.login_on("tina", device).await;
    let other = hq.login("tina").await;
    let (status, body) = hq
        .call(
            Method::POST,
            "/auth/logout",
            Some(&tokens.access_token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = hq
        .call(Method::GET, "/me", Some(&tokens.access_token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, _) = hq
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": tokens.refresh_token, "device_id": device})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the refresh token died too"
    );
    let (status, _) = hq
        .call(
            Method::POST,
            "/auth/logout",
            Some(&tokens.access_token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "already ended");
    let (status, _) = hq
        .call(Method::GET, "/me", Some(&other.access_token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "the user's other session goes on");

    // Every role may end its own session; without a token, or with a forged one, nothing ends.
    for token in [None, Some("osa_forged")] {
        let (status, body) = hq.call(Method::POST, "/auth/logout", token, None).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "unauthorized")
        );
    }
    let (status, _) = hq
        .call(Method::GET, "/me", Some(&other.access_token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let dana = hq.login("dana").await;
    let (status, _) = hq
        .call(Method::POST, "/auth/logout", Some(&dana.access_token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "a dispatcher logs out too");
    // A body is ignored, however large or hostile (within the 1 MiB limit every route has).
    let again = hq.login("tina").await;
    let (status, _) = hq
        .call(
            Method::POST,
            "/auth/logout",
            Some(&again.access_token),
            Some(json!({"session": 1, "x": "y".repeat(100_000)})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_disabled_account_is_refused_at_once_and_says_so_only_to_its_owner() {
    let hq = Hq::new().await;
    let tokens = hq.login("tom").await;
    hq.state
        .storage
        .set_user_disabled("tom", true, Utc::now())
        .await
        .unwrap();
    let (status, _) = hq
        .call(Method::GET, "/me", Some(&tokens.access_token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let login = |password: &str| {
        hq.call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "tom", "password": password, "device_id": DeviceId::new()})),
        )
    };
    let (status, body) = login(PASSWORD).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    assert!(
        body["message"].as_str().unwrap().contains("disabled"),
        "{body}"
    );
    let (status, body) = login("wrong-password").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        "a guesser learns nothing"
    );
    hq.state
        .storage
        .set_user_disabled("tom", false, Utc::now())
        .await
        .unwrap();
    let (status, _) = login(PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let hq = Hq::new().await;
    let tokens = hq.login("tina").await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let req = Request::builder()
            .uri("/api/v1/me")
            .header(
                header::AUTHORIZATION,
                format!("{scheme} {}", tokens.access_token),
            )
            .body(Body::empty())
            .unwrap();
        let (status, _) = hq.send(req).await;
        assert_eq!(status, StatusCode::OK, "{scheme}");
    }
    let req = Request::builder()
        .uri("/api/v1/me")
        .header(
            header::AUTHORIZATION,
            format!("Basic {}", tokens.access_token),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(hq.send(req).await.0, StatusCode::UNAUTHORIZED);
}

/// A 5xx tells the client nothing of its cause, and HQ's log has the cause inside the
/// request's span (method and path), so support can find which request failed and why.
#[tokio::test]
async fn a_server_error_is_logged_with_its_cause_inside_the_request_span() {
    let hq = Hq::new().await;
    let tina = hq.login("tina").await.access_token;
    // Break the storage under HQ: its feed table goes.
    rusqlite::Connection::open(hq._dir.path().join("hq.db"))
        .unwrap()
        .execute_batch("DROP TABLE job_feed")
        .unwrap();
    let (log, _guard) = Log::capture();
    let (status, body) = hq.call(Method::GET, "/sync/pull", Some(&tina), None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::INTERNAL_SERVER_ERROR, "internal")
    );
    assert!(
        !body["message"].as_str().unwrap().contains("job_feed"),
        "{body}"
    );
    let text = log.text();
    let line = text
        .lines()
        .find(|l| l.contains("internal error"))
        .unwrap_or_else(|| panic!("no error logged: {text}"));
    assert!(
        line.contains("request{method=GET path=/api/v1/sync/pull}") && line.contains("job_feed"),
        "{line}"
    );
}

/// What HQ logs while a test runs, as its log file would hold it.
#[derive(Clone, Default)]
struct Log(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    /// Captures this thread's log until the guard is dropped.
    ///
    /// tracing decides once per process whether a log line or span is wanted at all, asking
    /// the subscriber of whichever thread reaches it first. A test running beside this one
    /// with no subscriber would answer "never" for HQ's request span, and this thread's log
    /// would lose it. A process-wide subscriber that wants everything (and writes nothing)
    /// makes that first answer always "yes"; each line still goes to its own thread's log.
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        static EVERYTHING: std::sync::Once = std::sync::Once::new();
        EVERYTHING.call_once(|| {
            // Another test binary's subscriber cannot be here: one process, one test binary.
            let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
        });
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // Lines already judged before the process-wide subscriber came are asked again.
        tracing::callsite::rebuild_interest_cache();
        (log, guard)
    }

    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Before, a username sent to login was logged as it came: anyone could write a line of their
/// own into HQ's log ("…  INFO onsite_hq: FORGED") and colour the terminal reading it. Now
/// it is logged quoted, with its control characters escaped.
#[tokio::test]
async fn a_username_cannot_write_lines_into_hqs_log() {
    let hq = Hq::new().await;
    let (log, _guard) = Log::capture();
    let forged = "zed\n2026-12-02T04:00:00.000000Z  INFO onsite_hq: FORGED \u{1b}[31mred";
    for _ in 0..=crate::throttle::PER_USER_AND_ADDRESS {
        hq.login_from([10, 0, 0, 9], forged, "wrong-password", DeviceId::new())
            .await;
    }
    let text = log.text();
    assert!(text.contains("login throttled"), "{text}");
    assert!(
        text.lines().all(|l| !l.starts_with("2026-12-02T04:00:00")),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains(r#"user="zed\n2026"#), "{text}");
}
