//! Accounts and sessions over the router: only admins, bad and hostile input refused with
//! nothing changed, and a revoked laptop's tokens refused at once.

use super::*;

async fn sync_status(hq: &Hq, token: &str) -> StatusCode {
    hq.call(Method::GET, "/sync/pull", Some(token), None)
        .await
        .0
}

#[tokio::test]
async fn only_admins_manage_accounts_and_sessions() {
    let hq = Hq::new().await;
    let dana = hq.login("dana").await.access_token;
    let tina = hq.login("tina").await.access_token;
    let alex = hq.admin().await;
    let body = json!({"username": "new", "role": "technician", "password": "long-enough"});
    let routes: [(Method, &str, Option<Value>); 6] = [
        (Method::GET, "/users", None),
        (Method::POST, "/users", Some(body.clone())),
        (Method::PATCH, "/users/tom", Some(json!({"disabled": true}))),
        (
            Method::POST,
            "/users/tom/password",
            Some(json!({"password": "long-enough"})),
        ),
        (Method::GET, "/sessions", None),
        (
            Method::POST,
            "/sessions/revoke",
            Some(json!({"user": "tom"})),
        ),
    ];
    for (method, path, body) in &routes {
        let (status, _) = hq.call(method.clone(), path, None, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} with no token"
        );
        for token in [&dana, &tina] {
            let (status, err) = hq
                .call(method.clone(), path, Some(token), body.clone())
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {err}");
        }
    }
    // Nothing the refused calls asked for happened.
    let (status, list) = hq.call(Method::GET, "/users", Some(&alex), None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alex", "dana", "tina", "tom"], "by username");
    assert!(
        list["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["disabled"] == false)
    );
    assert_eq!(list["truncated"], false);
}

#[tokio::test]
async fn an_admin_creates_an_account_that_can_log_in() {
    let hq = Hq::new().await;
    let alex = hq.admin().await;
    let (status, made) = hq
        .call(
            Method::POST,
            "/users",
            Some(&alex),
            Some(
                json!({"username": " sara ", "display_name": "Sara Sun", "role": "technician",
                "skills": ["boilers", " boilers", "heat-pumps"], "password": PASSWORD}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["username"], "sara");
    assert_eq!(made["display_name"], "Sara Sun");
    assert_eq!(made["skills"], json!(["boilers", "heat-pumps"]));
    assert_eq!(made["disabled"], false);
    let sara = hq.login("sara").await;
    assert_eq!(sync_status(&hq, &sara.access_token).await, StatusCode::OK);

    let (status, err) = hq
        .call(
            Method::POST,
            "/users",
            Some(&alex),
            Some(json!({"username": "sara", "role": "dispatcher", "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "conflict"),
        "{err}"
    );
}

#[tokio::test]
async fn bad_and_hostile_account_input_is_refused_and_changes_nothing() {
    let hq = Hq::new().await;
    let alex = hq.admin().await;
    let long = "x".repeat(300);
    let refused: Vec<(Value, StatusCode)> = vec![
        (
            json!({"username": "", "role": "technician", "password": PASSWORD}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "two words", "role": "technician", "password": PASSWORD}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "a\nb", "role": "technician", "password": PASSWORD}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": long, "role": "technician", "password": PASSWORD}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "technician", "password": "short"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "technician", "password": "p".repeat(257)}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "technician", "password": PASSWORD, "display_name": "a\u{7}b"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "technician", "password": PASSWORD, "skills": [long]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "overlord", "password": PASSWORD}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "technician"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"username": "ok", "role": "technician", "password": PASSWORD, "admin": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!(["ok"]), StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (body, want) in refused {
        let (status, err) = hq
            .call(Method::POST, "/users", Some(&alex), Some(body.clone()))
            .await;
        assert_eq!(status, want, "{body}: {err}");
        assert!(
            err["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{err}"
        );
    }
    let (_, list) = hq.call(Method::GET, "/users", Some(&alex), None).await;
    assert_eq!(
        list["users"].as_array().unwrap().len(),
        4,
        "nothing created: {list}"
    );

    for (path, body, want) in [
        (
            "/users/nobody",
            json!({"disabled": true}),
            StatusCode::NOT_FOUND,
        ),
        (
            "/users/tom",
            json!({"display_name": "a\nb"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/users/tom",
            json!({"role": "admin"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/users/tom",
            json!({"skills": "boilers"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/users/alex",
            json!({"disabled": true}),
            StatusCode::CONFLICT,
        ),
    ] {
        let (status, err) = hq
            .call(Method::PATCH, path, Some(&alex), Some(body.clone()))
            .await;
        assert_eq!(status, want, "PATCH {path} {body}: {err}");
    }
    for (path, body, want) in [
        (
            "/users/nobody/password",
            json!({"password": PASSWORD}),
            StatusCode::NOT_FOUND,
        ),
        (
            "/users/tom/password",
            json!({"password": "short"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/users/tom/password",
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, err) = hq
            .call(Method::POST, path, Some(&alex), Some(body.clone()))
            .await;
        assert_eq!(status, want, "POST {path} {body}: {err}");
    }
    // Tom still logs in with his password: nothing above changed it or disabled him.
    hq.login("tom").await;
}

#[tokio::test]
async fn disabling_editing_and_resetting_an_account() {
    let hq = Hq::new().await;
    let alex = hq.admin().await;
    let tom = hq.login("tom").await.access_token;
    let (status, changed) = hq
        .call(
            Method::PATCH,
            "/users/tom",
            Some(&alex),
            Some(json!({"display_name": "Tom Turner", "skills": ["boilers"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["display_name"].as_str(), changed["skills"].clone()),
        (Some("Tom Turner"), json!(["boilers"]))
    );
    assert_eq!(
        sync_status(&hq, &tom).await,
        StatusCode::OK,
        "an edit ends nothing"
    );

    let (status, _) = hq
        .call(
            Method::PATCH,
            "/users/tom",
            Some(&alex),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sync_status(&hq, &tom).await,
        StatusCode::UNAUTHORIZED,
        "disabled at once"
    );
    let (_, list) = hq.call(Method::GET, "/users", Some(&alex), None).await;
    let row = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "tom")
        .unwrap()
        .clone();
    assert_eq!(row["disabled"], true);
    hq.call(
        Method::PATCH,
        "/users/tom",
        Some(&alex),
        Some(json!({"disabled": false})),
    )
    .await;

    let tom = hq.login("tom").await.access_token;
    let (status, ended) = hq
        .call(
            Method::POST,
            "/users/tom/password",
            Some(&alex),
            Some(json!({"password": "a-brand-new-one"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["sessions"], 1);
    assert_eq!(
        sync_status(&hq, &tom).await,
        StatusCode::UNAUTHORIZED,
        "the reset ends his session"
    );
    let (status, _) = hq
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "tom", "password": PASSWORD, "device_id": DeviceId::new()})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    let (status, _) = hq
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "tom", "password": "a-brand-new-one", "device_id": DeviceId::new()})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the new one does");
}

#[tokio::test]
async fn revoking_a_lost_laptop_stops_its_tokens_at_once() {
    let hq = Hq::new().await;
    let alex = hq.admin().await;
    let lost = DeviceId::new();
    let tina_lost = hq.login_on("tina", lost).await;
    let tina_other = hq.login("tina").await.access_token;
    let tom = hq.login("tom").await.access_token;

    let (status, list) = hq
        .call(Method::GET, "/sessions?user=tina", Some(&alex), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{list}");
    assert!(
        sessions
            .iter()
            .all(|s| s["username"] == "tina" && s["standing"] == "active")
    );
    assert!(sessions.iter().any(|s| s["device_id"] == json!(lost)));

    let (status, ended) = hq
        .call(
            Method::POST,
            "/sessions/revoke",
            Some(&alex),
            Some(json!({"device": lost})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["sessions"], 1);
    assert_eq!(
        sync_status(&hq, &tina_lost.access_token).await,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = hq
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": tina_lost.refresh_token, "device_id": lost})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "its refresh token is dead too"
    );
    assert_eq!(
        sync_status(&hq, &tina_other).await,
        StatusCode::OK,
        "her other laptop works"
    );
    assert_eq!(sync_status(&hq, &tom).await, StatusCode::OK);

    let (_, all) = hq
        .call(
            Method::GET,
            "/sessions?user=tina&all=true",
            Some(&alex),
            None,
        )
        .await;
    let revoked = all["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["device_id"] == json!(lost))
        .unwrap()
        .clone();
    assert_eq!(revoked["standing"], "revoked");
    assert!(revoked["ended_at"].is_string());
    let (_, active) = hq
        .call(Method::GET, "/sessions?user=tina", Some(&alex), None)
        .await;
    assert_eq!(
        active["sessions"].as_array().unwrap().len(),
        1,
        "active ones only by default"
    );

    let id = active["sessions"][0]["id"].as_i64().unwrap();
    let (status, ended) = hq
        .call(
            Method::POST,
            "/sessions/revoke",
            Some(&alex),
            Some(json!({"id": id})),
        )
        .await;
    assert_eq!(
        (status, ended["sessions"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    assert_eq!(
        sync_status(&hq, &tina_other).await,
        StatusCode::UNAUTHORIZED
    );

    let (status, ended) = hq
        .call(
            Method::POST,
            "/sessions/revoke",
            Some(&alex),
            Some(json!({"user": "tom"})),
        )
        .await;
    assert_eq!(
        (status, ended["sessions"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    assert_eq!(sync_status(&hq, &tom).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoke_must_say_exactly_which_sessions() {
    let hq = Hq::new().await;
    let alex = hq.admin().await;
    let tina = hq.login("tina").await.access_token;
    for (body, want) in [
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"user": "tina", "id": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"device": "not-a-uuid"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"user": "tina", "everyone": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({"user": "nobody"}), StatusCode::NOT_FOUND),
    ] {
        let (status, err) = hq
            .call(
                Method::POST,
                "/sessions/revoke",
                Some(&alex),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, want, "{body}: {err}");
    }
    let (status, _) = hq
        .call(Method::GET, "/sessions?user=nobody", Some(&alex), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        sync_status(&hq, &tina).await,
        StatusCode::OK,
        "nothing was revoked"
    );
}
