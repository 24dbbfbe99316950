//! Passwords, tokens, login throttling and the authenticated caller.
//!
//! Tokens are 256 random bits, base64url; HQ stores only their SHA-256, so a stolen database
//! does not yield working tokens. Access tokens live minutes; refresh tokens rotate on use.

use crate::error::AppError;
use crate::routes::AppState;
use crate::storage::{TokenHash, TokenPair};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use onsite_protocol::{DeviceId, ErrorCode, Role, User};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// How long an access token works.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// How long a refresh token works if unused; each use issues a new one.
pub const REFRESH_TTL: Duration = Duration::days(30);
/// Failed logins per username within [`THROTTLE_WINDOW`] before further attempts are refused.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// Window for counting failed logins.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Shortest password accepted when creating a user.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Hashes a password with argon2id and a random salt (PHC string).
///
/// # Errors
/// When argon2 fails (it does not for valid parameters), as text.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a PHC string; false for a malformed hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the same time as a real verification, so an unknown username cannot be told from a
/// wrong password by timing.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash_password("onsite-dummy-password").unwrap_or_default());
    let _ = verify_password(password, phc);
}

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

/// Mints a token pair valid from `now`.
pub fn issue(now: DateTime<Utc>) -> Issued {
    let access = random_token("osa_");
    let refresh = random_token("osr_");
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

/// Counts failed logins per username to slow down password guessing. In memory: a restart
/// forgets, which is acceptable for a throttle.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, DateTime<Utc>)>>,
}

impl LoginThrottle {
    /// Ok when `username` may try to log in at `now`; otherwise when to try again.
    pub fn check(&self, username: &str, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(username) {
            Some(&(n, first)) if n >= MAX_FAILED_LOGINS && now < first + THROTTLE_WINDOW => {
                Err(first + THROTTLE_WINDOW)
            }
            _ => Ok(()),
        }
    }

    /// Records a failed attempt.
    pub fn failed(&self, username: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(username.to_string()).or_insert((0, now));
        if now >= entry.1 + THROTTLE_WINDOW {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Forgets failures after a successful login.
    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(username);
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
        let token = header
            .strip_prefix("Bearer ")
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_when_right() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("wrong horse", &phc));
        assert!(!verify_password("correct horse", "not a hash"));
    }

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
    fn throttle_blocks_after_repeated_failures_and_recovers() {
        let t = LoginThrottle::default();
        let now: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        for _ in 0..MAX_FAILED_LOGINS {
            assert!(t.check("tina", now).is_ok());
            t.failed("tina", now);
        }
        assert_eq!(t.check("tina", now), Err(now + THROTTLE_WINDOW));
        assert!(t.check("other", now).is_ok());
        assert!(t.check("tina", now + THROTTLE_WINDOW).is_ok());
        t.succeeded("tina");
        assert!(t.check("tina", now).is_ok());
    }
}
