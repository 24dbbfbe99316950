//! The console's browser session: sign in, who is signed in (with the CSRF token the page
//! needs), sign out. Dispatchers and admins only: technicians work in the laptop app.

use super::AppState;
use super::auth::authenticate;
use super::extract::{Json, Peer};
use crate::auth::{Caller, DISPATCH, Via, random_token, token_hash};
use crate::console_cookie;
use crate::error::AppError;
use crate::storage::{CONSOLE_IDLE, CONSOLE_LIFETIME, Ending};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use onsite_protocol::ErrorCode;
use onsite_protocol::api::{ConsoleSession, ConsoleSignIn};

/// `Set-Cookie: value`, with `body`.
fn with_cookie(value: &str, body: impl IntoResponse) -> Result<Response, AppError> {
    let cookie = HeaderValue::from_str(value).map_err(|_| AppError::internal("cookie header"))?;
    let mut response = body.into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Signs a dispatcher or admin in: a new console session in an HttpOnly cookie, and the CSRF
/// token the page sends back. A sign-in from another site's page is refused, so nobody can sign
/// a dispatcher's browser in as someone else.
pub async fn sign_in(
    axum::extract::State(state): axum::extract::State<AppState>,
    Peer(address): Peer,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Json(req): Json<ConsoleSignIn>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    console_cookie::same_origin(&headers, console_cookie::host(&headers, &uri))?;
    let username = req.username.trim().to_string();
    let user = authenticate(&state, &username, req.password, address, false, now).await?;
    if !DISPATCH.contains(&user.role) {
        return Err(AppError::forbidden(
            "the console is for dispatchers and admins; technicians use the Onsite app on their laptop",
        ));
    }
    let secret = random_token("osc_");
    let session = state
        .storage
        .create_console_session(&username, &token_hash(&secret), now)
        .await?;
    tracing::info!(user = %username, session, "console sign-in");
    let body = ConsoleSession {
        csrf_token: console_cookie::csrf_token(state.storage.token_key(), &secret),
        user,
        idle_minutes: idle_minutes(),
        expires_at: now + CONSOLE_LIFETIME,
    };
    with_cookie(
        &console_cookie::set_cookie(&secret, CONSOLE_LIFETIME.num_seconds()),
        axum::Json(body),
    )
}

fn idle_minutes() -> u32 {
    u32::try_from(CONSOLE_IDLE.num_minutes()).unwrap_or(u32::MAX)
}

/// Who is signed in to this browser's console session, with its CSRF token (a reloaded page
/// asks for it again). Only console sessions: a device's token gets 403.
pub async fn session(caller: Caller) -> Result<axum::Json<ConsoleSession>, AppError> {
    match caller.via {
        Via::Console {
            csrf_token,
            expires_at,
            ..
        } => Ok(axum::Json(ConsoleSession {
            user: caller.user,
            csrf_token,
            idle_minutes: idle_minutes(),
            expires_at,
        })),
        Via::Device { .. } => Err(AppError::forbidden(
            "not a console session: sign in to the console in a browser",
        )),
    }
}

/// Ends this browser's console session and removes its cookie. Removing the cookie is said
/// even when the session had already ended, so a stale page can always sign out.
pub async fn sign_out(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    caller: Result<Caller, AppError>,
) -> Result<Response, AppError> {
    match caller {
        Ok(Caller {
            via: Via::Console { session, .. },
            ..
        }) => {
            state
                .storage
                .end_console_session(session, Ending::Logout, Utc::now())
                .await?;
        }
        Ok(_) => {
            return Err(AppError::forbidden(
                "not a console session: devices log out with POST /auth/logout",
            ));
        }
        // A forged or token-less request must not sign anyone out.
        Err(e) if e.code() == ErrorCode::CsrfRejected => return Err(e),
        Err(e) if console_cookie::secret(&headers).is_none() => return Err(e),
        Err(_) => {}
    }
    with_cookie(&console_cookie::clear_cookie(), StatusCode::NO_CONTENT)
}
