//! Health, login, refresh, logout, and who-am-I.

use super::AppState;
use super::extract::{Json, Peer};
use crate::auth::{Caller, MAX_USERNAME_CHARS, Via, issue, successor, token_hash};
use crate::error::AppError;
use crate::storage::{Ending, Refresh, SessionSelector};
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
    Peer(address): Peer,
    Json(req): Json<LoginRequest>,
) -> Result<axum::Json<Tokens>, AppError> {
    let now = Utc::now();
    let username = req.username.trim().to_string();
    let device = req.device_id;
    let known = state.storage.known_device(&username, device).await?;
    let user = authenticate(&state, &username, req.password, address, known, now).await?;
    let issued = issue(now);
    let pair = issued.pair.clone();
    state
        .storage
        .create_session(&username, device, &pair, now)
        .await?;
    Ok(axum::Json(tokens(issued, user)))
}

/// The account `username` (already trimmed) if `password` is its password and it is enabled,
/// with the failed-login throttle applied by name and by `address` (`known`: the name has had
/// a session on this device, which the throttle lets in when the name is under attack).
///
/// # Errors
/// 401 `invalid_credentials`, 403 for a disabled account, 429 while throttled, 503 when every
/// password check is busy.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: String,
    address: Option<std::net::IpAddr>,
    known: bool,
    now: chrono::DateTime<Utc>,
) -> Result<User, AppError> {
    if username.is_empty() || username.chars().count() > MAX_USERNAME_CHARS {
        return Err(invalid_credentials());
    }
    let attempt = state
        .throttle
        .reserve(username, address, known, now)
        .await?
        .map_err(|refused| {
            // Debug: quoted, with control characters escaped, so no name can forge a line of the log.
            tracing::warn!(user = ?username, ?address, limit = ?refused.limit, "login throttled");
            AppError::rate_limited(
                format!(
                    "too many failed logins; try again after {}",
                    refused.until.format("%H:%M UTC")
                ),
                refused.retry_after(now),
            )
        })?;
    let found = state.storage.credentials(username).await?;
    let (user, stored, disabled) = match found {
        Some(c) => (Some(c.user), Some(c.password_hash), c.disabled),
        None => (None, None, false),
    };
    let verified = match state.passwords.check(password, stored).await {
        Ok(verified) => verified,
        Err(busy) => {
            state.throttle.withdrawn(attempt).await;
            return Err(AppError::busy(busy.to_string(), 1));
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        return Err(invalid_credentials());
    };
    state.throttle.succeeded(attempt).await;
    // Said only to whoever knows the password: a disabled account is not a secret from its owner.
    if disabled {
        return Err(AppError::forbidden(
            "this account is disabled; ask an HQ admin to enable it",
        ));
    }
    Ok(user)
}

pub async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<axum::Json<Tokens>, AppError> {
    let now = Utc::now();
    let presented = req.refresh_token.trim();
    let issued = successor(state.storage.token_key(), presented, now);
    let outcome = state
        .storage
        .rotate_session(&token_hash(presented), req.device_id, &issued.pair, now)
        .await?;
    match outcome {
        Refresh::Rotated(rotation) => Ok(axum::Json(Tokens {
            access_token: issued.access,
            access_expires_at: rotation.access_expires_at,
            refresh_token: issued.refresh,
            refresh_expires_at: rotation.refresh_expires_at,
            user: rotation.user,
        })),
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

/// Ends the caller's session: its tokens (or its console cookie) stop working at once, on
/// every copy of them.
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, AppError> {
    let now = Utc::now();
    match caller.via {
        Via::Device { session, .. } => {
            state
                .storage
                .end_sessions(&SessionSelector::Id(session), Ending::Logout, now)
                .await?;
        }
        Via::Console { session, .. } => {
            state
                .storage
                .end_console_session(session, Ending::Logout, now)
                .await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(caller: Caller) -> axum::Json<User> {
    axum::Json(caller.user)
}
