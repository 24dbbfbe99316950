//! Tokens and the authenticated caller (passwords are in `crate::password`, login throttling
//! in `crate::throttle`).
//!
//! Tokens are 256 bits, base64url; HQ stores only their SHA-256, so a stolen database does not
//! yield working tokens. Access tokens live minutes; refresh tokens rotate on use. A login's
//! pair is random; a rotation's pair is derived from the refresh token presented with HQ's
//! token key (HMAC-SHA256), so presenting the same token again moments later yields the same
//! pair (see `storage::REFRESH_GRACE`), and nobody can compute the next pair without both the
//! token and the key.

use crate::error::AppError;
use crate::routes::AppState;
use crate::storage::{TokenHash, TokenPair};
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
/// Shortest password accepted when creating a user.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest username, in characters.
pub const MAX_USERNAME_CHARS: usize = 64;

/// SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

fn random_token(prefix: &str) -> String {
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

/// The authenticated user of a request, from the bearer token. Handlers take this and check
/// the role; nothing about identity is ever taken from the request body.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub user: User,
    /// From which device.
    pub device_id: DeviceId,
    /// In which session.
    pub session: crate::storage::SessionId,
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

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized =
            |m: &str| AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, m);
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| unauthorized("missing bearer token"))?;
        // The scheme is case-insensitive (RFC 9110 §11.1).
        let token = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .ok_or_else(|| unauthorized("authorization must be a bearer token"))?;
        let hash = token_hash(token.trim());
        let session = state
            .storage
            .session(&hash)
            .await?
            .ok_or_else(|| unauthorized("invalid or revoked token"))?;
        if session.access_expires_at <= Utc::now() {
            return Err(AppError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::TokenExpired,
                "access token expired; refresh it",
            ));
        }
        Ok(Caller {
            user: session.user,
            device_id: session.device_id,
            session: session.id,
        })
    }
}

/// A caller who dispatches (a dispatcher or an admin). As an argument before the body, it
/// refuses others before the body is read, so a route's schema is never disclosed to a caller
/// who may not use it.
#[derive(Clone, Debug)]
pub struct Dispatcher(pub Caller);

/// A caller who is a technician, checked before the body is read (see [`Dispatcher`]).
#[derive(Clone, Debug)]
pub struct Technician(pub Caller);

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
        caller_in(parts, state, &[Role::Technician]).await.map(Self)
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
