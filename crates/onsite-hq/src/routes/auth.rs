//! Health, login, refresh, and who-am-I.

use super::AppState;
use super::extract::Json;
use crate::auth::{Caller, issue, token_hash, verify_nobody, verify_password};
use crate::error::AppError;
use crate::storage::Refresh;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use onsite_protocol::api::{Health, LoginRequest, RefreshRequest, Tokens};
use onsite_protocol::{ErrorCode, User};

pub async fn health(State(state): State<AppState>) -> Result<axum::Json<Health>, AppError> {
    state.storage.ping().await?;
    Ok(axum::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        server_time: Utc::now(),
    }))
}

fn invalid_credentials() -> AppError {
    AppError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
        "wrong username or password",
    )
}

pub async fn login(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> Result<axum::Json<Tokens>, AppError> {
    let now = Utc::now();
    let username = req.username.trim().to_string();
    if let Err(until) = state.throttle.check(&username, now) {
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!(
                "too many failed logins; try again after {}",
                until.format("%H:%M UTC")
            ),
        ));
    }
    let lookup = username.clone();
    let found = state.storage.credentials(&lookup).await?;
    // Password hashing is CPU-heavy: keep it off the async workers.
    let password = req.password;
    let verified = tokio::task::spawn_blocking(move || match found {
        Some(c) if verify_password(&password, &c.password_hash) => Some(c.user),
        Some(_) => None,
        None => {
            verify_nobody(&password);
            None
        }
    })
    .await?;
    let Some(user) = verified else {
        state.throttle.failed(&username, now);
        return Err(invalid_credentials());
    };
    state.throttle.succeeded(&username);
    let issued = issue(now);
    let pair = issued.pair.clone();
    let device = req.device_id;
    state
        .storage
        .create_session(&username, device, &pair, now)
        .await?;
    Ok(axum::Json(tokens(issued, user)))
}

pub async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<axum::Json<Tokens>, AppError> {
    let now = Utc::now();
    let issued = issue(now);
    let pair = issued.pair.clone();
    let presented = token_hash(req.refresh_token.trim());
    let outcome = state
        .storage
        .rotate_session(&presented, req.device_id, &pair, now)
        .await?;
    match outcome {
        Refresh::Rotated(user) => Ok(axum::Json(tokens(issued, user))),
        Refresh::Invalid => Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "session expired or revoked; log in again",
        )),
        Refresh::Reused => {
            tracing::warn!("refresh token reused; session revoked");
            Err(AppError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidCredentials,
                "this session was revoked because an old refresh token was reused; log in again",
            ))
        }
    }
}

fn tokens(issued: crate::auth::Issued, user: User) -> Tokens {
    Tokens {
        access_token: issued.access,
        access_expires_at: issued.pair.access_expires_at,
        refresh_token: issued.refresh,
        refresh_expires_at: issued.pair.refresh_expires_at,
        user,
    }
}

pub async fn me(caller: Caller) -> axum::Json<User> {
    axum::Json(caller.user)
}
