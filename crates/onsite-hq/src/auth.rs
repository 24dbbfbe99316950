//! Tokens and the authenticated caller (passwords are in `crate::password`, login throttling
//! in `crate::throttle`).
//!
//! Tokens are 256 bits, base64url; HQ stores only their SHA-256, so a stolen database does not
//! yield working tokens. Access tokens live minutes; refresh tokens rotate on use. A login's
//! pair is random; a rotation's pair is derived from the refresh token presented with HQ's
//! token key (HMAC-SHA256), so presenting the same token again moments later yields the same
//! pair (see `storage::REFRESH_GRACE`), and nobody can compute the next pair without both the
//! token and the key.

use crate::console_cookie;
use crate::error::AppError;
use crate::routes::AppState;
use crate::storage::{
    CONSOLE_IDLE, CONSOLE_LIFETIME, ConsoleState, SessionId, TokenHash, TokenPair,
};
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use onsite_protocol::{DeviceId, ErrorCode, Role, User};
use sha2::{Digest, Sha256};

/// How long an access token works.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// How long a refresh token works if unused; each use issues a new one.
pub const REFRESH_TTL: Duration = Duration::days(30);
pub use onsite_protocol::admin::MAX_USERNAME_CHARS;

/// SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// A new 256-bit secret, base64url, after `prefix`.
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing leaves no safe way to mint credentials.
    getrandom::fill(&mut bytes).expect("operating system random source unavailable");
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A freshly minted token pair: the secrets for the client, the hashes for storage.
pub struct Issued {
    /// Bearer token.
    pub access: String,
    /// Refresh token.
    pub refresh: String,
    /// What to store.
    pub pair: TokenPair,
}

/// Mints a random token pair valid from `now`, for a login.
pub fn issue(now: DateTime<Utc>) -> Issued {
    pair(random_token("osa_"), random_token("osr_"), now)
}

/// The pair that replaces the refresh token `presented`, valid from `now`: always the same
/// tokens for the same token and key.
pub fn successor(key: &[u8; 32], presented: &str, now: DateTime<Utc>) -> Issued {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let derive = |prefix: &str, purpose: &[u8]| {
        let mut ctx = ring::hmac::Context::with_key(&key);
        ctx.update(purpose);
        ctx.update(presented.as_bytes());
        format!("{prefix}{}", URL_SAFE_NO_PAD.encode(ctx.sign().as_ref()))
    };
    pair(
        derive("osa_", b"onsite access\0"),
        derive("osr_", b"onsite refresh\0"),
        now,
    )
}

fn pair(access: String, refresh: String, now: DateTime<Utc>) -> Issued {
    Issued {
        pair: TokenPair {
            access_hash: token_hash(&access),
            access_expires_at: now + ACCESS_TTL,
            refresh_hash: token_hash(&refresh),
            refresh_expires_at: now + REFRESH_TTL,
        },
        access,
        refresh,
    }
}

/// Which session a request came through.
#[derive(Clone, Debug)]
pub enum Via {
    /// A device's bearer token: the laptop app or the CLI.
    Device {
        /// The session.
        session: SessionId,
        /// The installation it is bound to.
        device_id: DeviceId,
    },
    /// The console's cookie, in a browser (see [`crate::console_cookie`]).
    Console {
        /// The console session.
        session: SessionId,
        /// The token its page sends with every request that changes something.
        csrf_token: String,
        /// When it ends however busy it is.
        expires_at: DateTime<Utc>,
    },
}

/// The authenticated user of a request, from the bearer token or the console's cookie. Handlers
/// take this and check the role; nothing about identity is ever taken from the request body.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub user: User,
    /// Through which session.
    pub via: Via,
}

impl Caller {
    /// Refuses callers whose role is not in `roles`.
    ///
    /// # Errors
    /// 403 `forbidden`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "a {} may not do this",
                self.user.role
            )))
        }
    }
}

fn unauthorized(message: impl Into<String>) -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
}

/// The caller holding the bearer token in `header`.
async fn bearer(header: &str, state: &AppState, now: DateTime<Utc>) -> Result<Caller, AppError> {
    // The scheme is case-insensitive (RFC 9110 §11.1).
    let token = header
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token)
        .ok_or_else(|| unauthorized("authorization must be a bearer token"))?;
    let session = state
        .storage
        .session(&token_hash(token.trim()))
        .await?
        .ok_or_else(|| unauthorized("invalid or revoked token"))?;
    if session.access_expires_at <= now {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::TokenExpired,
            "access token expired; refresh it",
        ));
    }
    Ok(Caller {
        user: session.user,
        via: Via::Device {
            session: session.id,
            device_id: session.device_id,
        },
    })
}

/// The caller whose console cookie is `secret`: refused when the session ended, idled out or
/// reached its lifetime, and, for requests that change something, without the CSRF token or
/// from another origin. A request that passes keeps the session from idling out, unless the
/// page made it by itself.
async fn console(
    secret: &str,
    parts: &Parts,
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Caller, AppError> {
    let session = state
        .storage
        .console_session(&token_hash(secret))
        .await?
        .ok_or_else(|| unauthorized("you are signed out of the console; sign in again"))?;
    let touch = match session.state(now) {
        ConsoleState::Live { touch } => touch,
        ConsoleState::Idle => {
            return Err(unauthorized(format!(
                "signed out after {} minutes without activity; sign in again",
                CONSOLE_IDLE.num_minutes()
            )));
        }
        ConsoleState::Expired => {
            return Err(unauthorized(format!(
                "signed out: a console session lasts {} hours; sign in again",
                CONSOLE_LIFETIME.num_hours()
            )));
        }
    };
    let csrf_token = console_cookie::csrf_token(state.storage.token_key(), secret);
    let host = console_cookie::host(&parts.headers, &parts.uri);
    console_cookie::check(&parts.method, &parts.headers, host, &csrf_token)?;
    // What the page asks by itself (the event stream, the fetches it prompts) is not the
    // dispatcher's activity: a board left open still signs out when idle.
    let background = parts
        .headers
        .contains_key(console_cookie::BACKGROUND_HEADER)
        || parts.uri.path().strip_prefix(onsite_protocol::API_PREFIX) == Some("/events");
    if touch && !background {
        state.storage.touch_console_session(session.id, now).await?;
    }
    Ok(Caller {
        via: Via::Console {
            session: session.id,
            csrf_token,
            expires_at: session.expires_at(),
        },
        user: session.user,
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let now = Utc::now();
        // A bearer token wins: a device or script presents one even if a browser cookie rides along.
        if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let header = header
                .to_str()
                .map_err(|_| unauthorized("authorization must be a bearer token"))?;
            return bearer(header, state, now).await;
        }
        match console_cookie::secret(&parts.headers) {
            Some(secret) => console(secret, parts, state, now).await,
            None => Err(unauthorized("missing bearer token")),
        }
    }
}

/// A caller who dispatches (a dispatcher or an admin). As an argument before the body, it
/// refuses others before the body is read, so a route's schema is never disclosed to a caller
/// who may not use it.
#[derive(Clone, Debug)]
pub struct Dispatcher(pub Caller);

/// A caller who is a technician on a device (never a browser), checked before the body is
/// read (see [`Dispatcher`]), with the device its session is bound to.
#[derive(Clone, Debug)]
pub struct Technician(pub Caller, pub DeviceId);

/// A caller who is an admin: who changes HQ's reference data (see [`Dispatcher`]).
#[derive(Clone, Debug)]
pub struct Admin(pub Caller);

/// Roles that dispatch.
pub const DISPATCH: &[Role] = &[Role::Dispatcher, Role::Admin];

/// The caller of a request, refused unless their role is in `roles`.
async fn caller_in(
    parts: &mut Parts,
    state: &AppState,
    roles: &[Role],
) -> Result<Caller, AppError> {
    let caller = Caller::from_request_parts(parts, state).await?;
    caller.require(roles)?;
    Ok(caller)
}

impl FromRequestParts<AppState> for Dispatcher {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        caller_in(parts, state, DISPATCH).await.map(Self)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        caller_in(parts, state, &[Role::Admin]).await.map(Self)
    }
}

impl FromRequestParts<AppState> for Technician {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = caller_in(parts, state, &[Role::Technician]).await?;
        match caller.via {
            Via::Device { device_id, .. } => Ok(Self(caller, device_id)),
            Via::Console { .. } => Err(AppError::forbidden(
                "technicians use the Onsite app on their laptop, not the console",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashed() {
        let now = Utc::now();
        let a = issue(now);
        let b = issue(now);
        assert_ne!(a.access, b.access);
        assert_ne!(a.access, a.refresh);
        assert_eq!(a.pair.access_hash, token_hash(&a.access));
        assert_eq!(a.pair.access_expires_at, now + ACCESS_TTL);
        assert!(a.access.len() > 40);
    }

    #[test]
    fn a_successor_depends_on_the_token_and_the_key_only() {
        let now = Utc::now();
        let (key, other_key) = ([7u8; 32], [8u8; 32]);
        let a = successor(&key, "osr_one", now);
        let again = successor(&key, "osr_one", now + Duration::seconds(5));
        assert_eq!(
            (a.access.as_str(), a.refresh.as_str()),
            (again.access.as_str(), again.refresh.as_str())
        );
        assert_ne!(a.access, a.refresh);
        assert!(a.access.starts_with("osa_") && a.refresh.starts_with("osr_"));
        assert_ne!(successor(&key, "osr_two", now).refresh, a.refresh);
        assert_ne!(successor(&other_key, "osr_one", now).refresh, a.refresh);
        assert_eq!(a.pair.refresh_hash, token_hash(&a.refresh));
    }
}
