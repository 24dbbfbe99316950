//! Accounts and sessions, for admins: `GET/POST /users`, `PATCH /users/{username}`,
//! `POST /users/{username}/password`, `GET /sessions`, `POST /sessions/revoke`. What the
//! `onsite-hq user` and `session` commands do, from the console.

use super::AppState;
use super::extract::{Json, Path, Query};
use crate::auth::Admin;
use crate::error::AppError;
use crate::password::hash_password;
use crate::rules::account::{self, AccountRule};
use crate::storage::{
    AccountChange, Ending, NewUser, SessionRecord, SessionSelector, SessionState,
};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use onsite_protocol::ErrorCode;
use onsite_protocol::admin::{
    Account, AccountList, AccountPatch, DeviceSession, Ended, MAX_SESSIONS, MAX_USERS, NewAccount,
    PasswordReset, RevokeRequest, SessionList, SessionQuery, SessionStanding,
};

type Reply<T> = Result<axum::Json<T>, AppError>;

impl From<AccountRule> for AppError {
    fn from(e: AccountRule) -> Self {
        AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            e.to_string(),
        )
    }
}

/// argon2 takes tens of milliseconds of CPU: off the async workers.
async fn hashed(password: String) -> Result<String, AppError> {
    account::password(&password)?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// `GET /users`: every account by username.
pub async fn users(State(state): State<AppState>, _: Admin) -> Reply<AccountList> {
    Ok(axum::Json(state.storage.accounts(MAX_USERS).await?))
}

/// `POST /users`: a new account (201).
pub async fn create_user(
    State(state): State<AppState>,
    Admin(caller): Admin,
    Json(new): Json<NewAccount>,
) -> Result<(StatusCode, axum::Json<Account>), AppError> {
    let username = account::username(&new.username)?;
    let display_name = account::display_name(new.display_name.as_deref(), &username)?;
    let skills = account::skills(&new.skills)?;
    let password_hash = hashed(new.password).await?;
    let now = Utc::now();
    let user = state
        .storage
        .add_user(
            NewUser {
                username,
                display_name,
                role: new.role,
                skills,
                password_hash,
            },
            now,
        )
        .await?;
    tracing::info!(user = %user.username, role = %user.role, by = %caller.user.username, "account created");
    Ok((
        StatusCode::CREATED,
        axum::Json(Account {
            user,
            disabled: false,
            created_at: now,
        }),
    ))
}

/// `PATCH /users/{username}`: shown name, skills, disabled. An admin may not disable
/// themselves: nobody would be left to enable them from the console.
pub async fn update_user(
    State(state): State<AppState>,
    Admin(caller): Admin,
    Path(username): Path<String>,
    Json(patch): Json<AccountPatch>,
) -> Reply<Account> {
    if patch.disabled == Some(true) && username == caller.user.username {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            "you cannot disable your own account; ask another admin",
        ));
    }
    let change = AccountChange {
        display_name: patch
            .display_name
            .as_deref()
            .map(|n| account::display_name(Some(n), &username))
            .transpose()?,
        skills: patch.skills.as_deref().map(account::skills).transpose()?,
        disabled: patch.disabled,
        password_hash: None,
    };
    let (account, ended) = state
        .storage
        .change_account(&username, &change, Utc::now())
        .await?;
    tracing::info!(user = %username, ended, by = %caller.user.username, "account changed");
    Ok(axum::Json(account))
}

/// `POST /users/{username}/password`: a new password; every session of the account ends.
pub async fn reset_password(
    State(state): State<AppState>,
    Admin(caller): Admin,
    Path(username): Path<String>,
    Json(reset): Json<PasswordReset>,
) -> Reply<Ended> {
    let change = AccountChange {
        password_hash: Some(hashed(reset.password).await?),
        ..AccountChange::default()
    };
    let (_, ended) = state
        .storage
        .change_account(&username, &change, Utc::now())
        .await?;
    tracing::info!(user = %username, ended, by = %caller.user.username, "password reset");
    Ok(axum::Json(Ended {
        sessions: u32::try_from(ended).unwrap_or(u32::MAX),
    }))
}

/// `GET /sessions?user=&all=`: laptop sessions, newest first.
pub async fn sessions(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<SessionQuery>,
) -> Reply<SessionList> {
    let now = Utc::now();
    let user = q.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let records = state
        .storage
        .sessions(user, q.all, MAX_SESSIONS, now)
        .await?;
    Ok(axum::Json(SessionList {
        sessions: records.iter().map(|r| device_session(r, now)).collect(),
    }))
}

/// A session as the console shows it, as at `now`.
fn device_session(r: &SessionRecord, now: DateTime<Utc>) -> DeviceSession {
    DeviceSession {
        id: r.id,
        username: r.username.clone(),
        device_id: r.device_id,
        created_at: r.created_at,
        refreshed_at: r.rotated_at,
        standing: match r.state(now) {
            SessionState::Active => SessionStanding::Active,
            SessionState::Expired => SessionStanding::Expired,
            SessionState::Ended(Ending::Logout) => SessionStanding::LoggedOut,
            SessionState::Ended(Ending::Revoked) => SessionStanding::Revoked,
            SessionState::Ended(Ending::Disabled) => SessionStanding::Disabled,
            SessionState::Ended(Ending::Reused) => SessionStanding::Reused,
        },
        ended_at: r.ended.map(|(at, _)| at),
        clock_ahead_ms: r.clock.as_ref().map(|c| c.ahead_ms),
    }
}

/// `POST /sessions/revoke`: ends sessions at once; their access and refresh tokens stop
/// working on the next request, on every HQ process.
pub async fn revoke(
    State(state): State<AppState>,
    Admin(caller): Admin,
    Json(req): Json<RevokeRequest>,
) -> Reply<Ended> {
    let which = match (req.id, req.device, req.user) {
        (Some(id), None, None) => SessionSelector::Id(id),
        (None, Some(device), None) => SessionSelector::Device(device),
        (None, None, Some(user)) => SessionSelector::User(user.trim().to_string()),
        _ => {
            return Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                "say which sessions with exactly one of id, device or user",
            ));
        }
    };
    let ended = state
        .storage
        .end_sessions(&which, Ending::Revoked, Utc::now())
        .await?;
    tracing::info!(?which, ended, by = %caller.user.username, "sessions revoked");
    Ok(axum::Json(Ended {
        sessions: u32::try_from(ended).unwrap_or(u32::MAX),
    }))
}
