//! The console's browser session over the router: the cookie, CSRF, idle expiry, roles, and
//! the page's security headers.

use super::*;
use crate::auth::{random_token, token_hash};
use crate::console_cookie::{COOKIE, csrf_token};
use crate::storage::{CONSOLE_IDLE, Ending};

/// A browser signed in to the console: its cookie and CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

impl Hq {
    async fn sign_in(&self, username: &str, password: &str) -> (StatusCode, Value, Option<String>) {
        let req = Request::post("/api/v1/console/sign-in")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": username, "password": password}).to_string(),
            ))
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let cookie = res
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_string());
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap(), cookie)
    }

    async fn browser(&self, username: &str) -> Browser {
        let (status, body, set) = self.sign_in(username, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let set = set.expect("a cookie");
        let cookie = set.split(';').next().unwrap().to_string();
        Browser {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// A request from `browser` with `extra` headers (the CSRF token only when given there).
    async fn browse(
        &self,
        browser: &Browser,
        method: Method,
        path: &str,
        extra: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::COOKIE, format!("theme=dark; {}", browser.cookie));
        for (name, value) in extra {
            req = req.header(*name, *value);
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }
}

fn new_job(number: &str) -> Value {
    json!({"number": number, "kind": "repair", "summary": "Leak",
        "customer": {"name": "Ann"}, "site": {"address": "1 High St"}})
}

/// Signing in sets a host-only, HttpOnly, Secure, SameSite=Strict cookie and answers who is
/// signed in with the CSRF token; the cookie then works for the API like a token does.
#[tokio::test]
async fn a_dispatcher_signs_in_and_the_cookie_works_for_the_api() {
    let hq = Hq::new().await;
    let (status, body, set) = hq.sign_in(" dana ", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let set = set.unwrap();
    for part in [
        "__Host-onsite=osc_",
        "Path=/",
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
    ] {
        assert!(set.contains(part), "{set}");
    }
    assert_eq!(body["user"]["username"], "dana");
    assert_eq!(body["idle_minutes"], CONSOLE_IDLE.num_minutes());
    let browser = Browser {
        cookie: set.split(';').next().unwrap().to_string(),
        csrf: body["csrf_token"].as_str().unwrap().to_string(),
    };
    assert!(!browser.csrf.is_empty() && !set.contains(&browser.csrf));

    let (status, session) = hq
        .browse(&browser, Method::GET, "/console/session", &[], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["user"]["role"], "dispatcher");
    assert_eq!(
        session["csrf_token"], browser.csrf,
        "a reloaded page gets it again"
    );
    let (status, _) = hq.browse(&browser, Method::GET, "/jobs", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, job) = hq
        .browse(
            &browser,
            Method::POST,
            "/jobs",
            &[
                ("x-csrf-token", &browser.csrf),
                ("sec-fetch-site", "same-origin"),
            ],
            Some(new_job("J-1")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{job}");
}

/// Every request that changes something needs the session's CSRF token and must come from
/// HQ's own origin; reads need neither. Nothing changes when one is refused.
#[tokio::test]
async fn a_change_without_the_csrf_token_or_from_another_site_is_refused() {
    let hq = Hq::new().await;
    let dana = hq.browser("dana").await;
    let other = hq.browser("dana").await;
    let refused: [&[(&str, &str)]; 5] = [
        &[],
        &[("x-csrf-token", "forged")],
        &[("x-csrf-token", &other.csrf)],
        &[
            ("x-csrf-token", &dana.csrf),
            ("sec-fetch-site", "cross-site"),
        ],
        &[
            ("x-csrf-token", &dana.csrf),
            ("host", "hq.example:8443"),
            ("origin", "https://evil.example"),
        ],
    ];
    for headers in refused {
        let (status, body) = hq
            .browse(&dana, Method::POST, "/jobs", headers, Some(new_job("J-9")))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}: {body}");
        assert_eq!(code(&body), "csrf_rejected");
        let (status, _) = hq
            .browse(&dana, Method::POST, "/console/sign-out", headers, None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "sign-out too: {headers:?}");
    }
    let (_, list) = hq.browse(&dana, Method::GET, "/jobs", &[], None).await;
    assert_eq!(
        list["jobs"].as_array().unwrap().len(),
        0,
        "nothing was created"
    );
    let (status, _) = hq
        .browse(
            &dana,
            Method::POST,
            "/jobs",
            &[
                ("x-csrf-token", &dana.csrf),
                ("host", "hq.example:8443"),
                ("origin", "https://hq.example:8443"),
            ],
            Some(new_job("J-9")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "HQ's own origin");

    let req = Request::post("/api/v1/console/sign-in")
        .header(header::CONTENT_TYPE, "application/json")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(
            json!({"username": "dana", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let (status, body) = hq.send(req).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "no sign-in from another site"
    );
    assert_eq!(code(&body), "csrf_rejected");
}

/// Technicians are sent to the laptop app (once their password is right); wrong passwords,
/// unknown and disabled accounts get no cookie; a device's token is not a console session.
#[tokio::test]
async fn only_dispatchers_and_admins_sign_in_to_the_console() {
    let hq = Hq::new().await;
    let (status, body, cookie) = hq.sign_in("tina", PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("laptop"),
        "{body}"
    );
    assert!(cookie.is_none());
    for (username, password) in [
        ("tina", "wrong-password"),
        ("dana", "wrong"),
        ("nobody", "x"),
    ] {
        let (status, body, cookie) = hq.sign_in(username, password).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{username}: {body}");
        assert_eq!(code(&body), "invalid_credentials");
        assert!(cookie.is_none());
    }
    let admin = hq.admin().await;
    let (status, _, _) = hq.sign_in("alex", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "admins use the console");

    let token = hq.login("dana").await.access_token;
    let (status, _) = hq
        .call(Method::GET, "/console/session", Some(&token), None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a device's token is not a console session"
    );
    let (status, _) = hq
        .call(Method::POST, "/console/sign-out", Some(&admin), None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a device's token is not a console session"
    );
    let (status, _) = hq.call(Method::GET, "/console/session", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let dana = hq.browser("dana").await;
    hq.state
        .storage
        .set_user_disabled("dana", true, Utc::now())
        .await
        .unwrap();
    let (status, _) = hq.browse(&dana, Method::GET, "/jobs", &[], None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "disabled: its sessions end"
    );
    let (status, _, cookie) = hq.sign_in("dana", PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(cookie.is_none());
}

/// Signing out ends the session at once and removes the cookie; a stale page can sign out
/// of a session that already ended.
#[tokio::test]
async fn signing_out_ends_the_session_and_removes_the_cookie() {
    let hq = Hq::new().await;
    let dana = hq.browser("dana").await;
    let req = Request::post("/api/v1/console/sign-out")
        .header(header::COOKIE, &dana.cookie)
        .header("x-csrf-token", &dana.csrf)
        .body(Body::empty())
        .unwrap();
    let res = hq.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cleared.starts_with(&format!("{COOKIE}=;")) && cleared.contains("Max-Age=0"));
    let (status, _) = hq
        .browse(&dana, Method::GET, "/console/session", &[], None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = hq
        .browse(&dana, Method::POST, "/console/sign-out", &[], None)
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "already ended: the cookie still goes"
    );
}

/// A session left idle for the idle time is refused with a message that says so, and so
/// is one ended by an admin; a live one keeps working.
#[tokio::test]
async fn an_idle_or_revoked_console_session_stops_working() {
    let hq = Hq::new().await;
    let secret = random_token("osc_");
    let idle_since = Utc::now() - CONSOLE_IDLE - chrono::Duration::seconds(1);
    hq.state
        .storage
        .create_console_session("dana", &token_hash(&secret), idle_since)
        .await
        .unwrap();
    let idle = Browser {
        cookie: format!("{COOKIE}={secret}"),
        csrf: csrf_token(hq.state.storage.token_key(), &secret),
    };
    let (status, body) = hq.browse(&idle, Method::GET, "/jobs", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("without activity"),
        "{body}"
    );

    let live = hq.browser("dana").await;
    let (_, session) = hq
        .browse(&live, Method::GET, "/console/session", &[], None)
        .await;
    let id = hq
        .state
        .storage
        .console_session(&token_hash(live.cookie.split_once('=').unwrap().1))
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(session["user"]["username"], "dana");
    hq.state
        .storage
        .end_console_session(id, Ending::Revoked, Utc::now())
        .await
        .unwrap();
    let (status, _) = hq.browse(&live, Method::GET, "/jobs", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The console's role checks are the API's: a dispatcher's cookie does not reach admin or
/// technician routes, and a bearer token is judged on its own even beside a cookie.
#[tokio::test]
async fn a_console_session_has_its_users_role_and_nothing_more() {
    let hq = Hq::new().await;
    let dana = hq.browser("dana").await;
    let csrf = [("x-csrf-token", dana.csrf.as_str())];
    for (method, path, body) in [
        (Method::GET, "/sync/pull", None),
        (Method::POST, "/sync/push", Some(json!({"ops": []}))),
        (Method::POST, "/parts/import", Some(json!({}))),
        (Method::PUT, "/settings", Some(json!({}))),
    ] {
        let (status, body) = hq.browse(&dana, method.clone(), path, &csrf, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
        assert_eq!(code(&body), "forbidden");
    }
    let tina = hq.login("tina").await.access_token;
    let req = Request::get("/api/v1/jobs")
        .header(header::COOKIE, &dana.cookie)
        .header(header::AUTHORIZATION, format!("Bearer {tina}"))
        .body(Body::empty())
        .unwrap();
    let (status, _) = hq.send(req).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the technician's token decides"
    );
}

/// The page at `/` (built or not) and its assets carry the strict policy; unknown assets
/// are 404.
#[tokio::test]
async fn the_console_page_is_served_with_a_strict_policy() {
    let hq = Hq::new().await;
    let res = hq
        .app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let html = res.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8_lossy(&html);
    if page::console_built() {
        let script = regex::Regex::new(r#"src="(/assets/[^"]+\.js)""#).unwrap();
        let path = &script.captures(&html).expect("a module script")[1];
        assert!(!html.contains("<script>"), "no inline script: {html}");
        let res = hq
            .app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("javascript")
        );
        assert!(
            res.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    } else {
        assert!(html.contains("not built"), "{html}");
    }
    let res = hq
        .app
        .clone()
        .oneshot(
            Request::get("/assets/missing.js")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The board is for dispatchers (by token or cookie), over a window of at most two days.
#[tokio::test]
async fn the_board_answers_dispatchers_for_a_bounded_window() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let day = "/board?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z";
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(tina.as_str()), StatusCode::FORBIDDEN),
    ] {
        let (status, _) = hq.call(Method::GET, day, token, None).await;
        assert_eq!(status, expected);
    }
    let (status, board) = hq.call(Method::GET, day, Some(&dana), None).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let lanes: Vec<_> = board["technicians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["username"].as_str().unwrap())
        .collect();
    assert_eq!(lanes, ["tina", "tom"]);
    let browser = hq.browser("dana").await;
    let (status, _) = hq.browse(&browser, Method::GET, day, &[], None).await;
    assert_eq!(status, StatusCode::OK);
    for (path, expected) in [
        (
            "/board?from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:01Z",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/board?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/board?from=2026-12-01", StatusCode::BAD_REQUEST),
        ("/board", StatusCode::BAD_REQUEST),
    ] {
        let (status, body) = hq.call(Method::GET, path, Some(&dana), None).await;
        assert_eq!(status, expected, "{path}: {body}");
    }
}

/// Scheduling from the board: dispatchers only, the body checked, an overlap refused and named
/// until the dispatcher says to schedule anyway.
#[tokio::test]
async fn scheduling_assigns_a_window_and_names_overlaps() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let held = hq.create_job(&dana, "J-1", Some("tina")).await;
    let window =
        json!({"scheduled_start": "2026-12-01T09:00:00Z", "scheduled_end": "2026-12-01T11:00:00Z"});
    let (status, _) = hq
        .call(
            Method::PATCH,
            &format!("/jobs/{}", held.job.id),
            Some(&dana),
            Some(window),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let queued = hq.create_job(&dana, "J-2", None).await;
    let path = format!("/jobs/{}/schedule", queued.job.id);
    let body = |overlap: bool| {
        json!({"technician": "tina", "scheduled_start": "2026-12-01T10:00:00Z",
               "scheduled_end": "2026-12-01T12:00:00Z", "overlap": overlap,
               "version": queued.job.version})
    };
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(tina.as_str()), StatusCode::FORBIDDEN),
    ] {
        let (status, _) = hq.call(Method::POST, &path, token, Some(body(true))).await;
        assert_eq!(status, expected);
    }
    let (status, refused) = hq
        .call(Method::POST, &path, Some(&dana), Some(body(false)))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("J-1"),
        "{refused}"
    );
    let browser = hq.browser("dana").await;
    let (status, scheduled) = hq
        .browse(
            &browser,
            Method::POST,
            &path,
            &[("x-csrf-token", &browser.csrf)],
            Some(body(true)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{scheduled}");
    assert_eq!(scheduled["job"]["technician"], "tina");
    assert_eq!(scheduled["job"]["status"], "assigned");
    for (bad, expected) in [
        (
            json!({"technician": "tina"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"technician": "tina", "scheduled_start": "2026-12-01T12:00:00Z",
                   "scheduled_end": "2026-12-01T10:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"technician": "tina", "scheduled_start": "2026-12-01T10:00:00Z",
                   "scheduled_end": "2026-12-01T11:00:00Z", "extra": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, body) = hq
            .call(Method::POST, &path, Some(&dana), Some(bad.clone()))
            .await;
        assert_eq!(status, expected, "{bad}: {body}");
    }
}

/// The event stream: dispatchers only; `ready` at once, then `change` when a job changes.
#[tokio::test]
async fn the_event_stream_says_when_something_changes() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(tina.as_str()), StatusCode::FORBIDDEN),
    ] {
        let (status, _) = hq.call(Method::GET, "/events", token, None).await;
        assert_eq!(status, expected);
    }
    let req = Request::get("/api/v1/events")
        .header(header::AUTHORIZATION, format!("Bearer {dana}"))
        .body(Body::empty())
        .unwrap();
    let res = hq.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = res.into_body();
    let mut next_event = async || loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
            .await
            .expect("an event within 10 s")
            .expect("the stream goes on")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            let text = String::from_utf8(data.to_vec()).unwrap();
            if text.contains("event:") {
                return text;
            }
        }
    };
    let ready = next_event().await;
    assert!(ready.contains("event: ready"), "{ready}");
    hq.create_job(&dana, "J-1", None).await;
    let change = next_event().await;
    assert!(change.contains("event: change"), "{change}");
    assert!(change.contains("\"jobs\":1"), "{change}");
}

/// What the page asks by itself (the event stream, fetches marked background) does not keep
/// a console session from idling out; the dispatcher's own requests do.
#[tokio::test]
async fn background_requests_do_not_keep_a_session_alive() {
    let hq = Hq::new().await;
    let secret = random_token("osc_");
    let hash = token_hash(&secret);
    let seen = Utc::now() - chrono::Duration::minutes(20);
    hq.state
        .storage
        .create_console_session("dana", &hash, seen)
        .await
        .unwrap();
    let browser = Browser {
        cookie: format!("{COOKIE}={secret}"),
        csrf: csrf_token(hq.state.storage.token_key(), &secret),
    };
    let last_seen = async || {
        hq.state
            .storage
            .console_session(&hash)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at
    };
    let (status, _) = hq
        .browse(
            &browser,
            Method::GET,
            "/jobs",
            &[("x-onsite-background", "1")],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        last_seen().await,
        seen,
        "a background fetch is not activity"
    );
    let (status, _) = hq.browse(&browser, Method::GET, "/jobs", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(last_seen().await > seen, "the dispatcher's own request is");
}

/// Hostile sign-ins are refused before any password work: a name over the limit, a body that
/// is not an object.
#[tokio::test]
async fn hostile_console_sign_ins_are_refused() {
    let hq = Hq::new().await;
    let (status, body, cookie) = hq.sign_in(&"d".repeat(65), PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(cookie.is_none());
    let req = Request::post("/api/v1/console/sign-in")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"["dana", "password-123"]"#))
        .unwrap();
    let (status, body) = hq.send(req).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

/// Event streams are bounded: past the limit HQ answers 503 with Retry-After, and a stream's
/// room comes back when it closes.
#[tokio::test]
async fn event_streams_are_bounded() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let mut state = hq.state.clone();
    state.event_streams = Arc::new(tokio::sync::Semaphore::new(1));
    let app = router(state);
    let open = || {
        Request::get("/api/v1/events")
            .header(header::AUTHORIZATION, format!("Bearer {dana}"))
            .body(Body::empty())
            .unwrap()
    };
    let first = app.clone().oneshot(open()).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let refused = app.clone().oneshot(open()).await.unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().contains_key(header::RETRY_AFTER));
    drop(first);
    let again = app.clone().oneshot(open()).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "the room came back");
}
