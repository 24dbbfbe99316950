//! Login sessions: an access token and a rotating refresh token, bound to one device.

use super::users::{USER_COLUMNS, user};
use crate::storage::{Refresh, Result, SessionInfo, StorageError, TokenHash, TokenPair};
use chrono::{DateTime, Utc};
use onsite_protocol::DeviceId;
use rusqlite::Transaction;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

pub fn create(
    tx: &Transaction<'_>,
    username: &str,
    device_id: DeviceId,
    tokens: &TokenPair,
    now: DateTime<Utc>,
) -> Result<()> {
    let user_id: Uuid = tx
        .prepare_cached("SELECT id FROM users WHERE username = ?1")?
        .query_row([username], |r| r.get(0))
        .optional()?
        .ok_or(StorageError::NotFound("user"))?;
    tx.execute(
        "INSERT INTO sessions (user_id, device_id, access_hash, access_expires_at, refresh_hash, \
         refresh_expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            user_id,
            device_id.0,
            tokens.access_hash,
            tokens.access_expires_at,
            tokens.refresh_hash,
            tokens.refresh_expires_at,
            now
        ],
    )?;
    Ok(())
}

pub fn known_device(tx: &Transaction<'_>, username: &str, device_id: DeviceId) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.username = ?1 AND s.device_id = ?2)",
        )?
        .query_row(params![username, device_id.0], |r| r.get(0))?)
}

pub fn by_access(tx: &Transaction<'_>, access_hash: &TokenHash) -> Result<Option<SessionInfo>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.device_id, s.access_expires_at FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.access_hash = ?1 AND s.revoked_at IS NULL"
    );
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([access_hash], |r| {
            Ok(SessionInfo {
                user: user(r, 0)?,
                device_id: DeviceId(r.get(5)?),
                access_expires_at: r.get(6)?,
            })
        })
        .optional()?)
}

pub fn rotate(
    tx: &Transaction<'_>,
    refresh_hash: &TokenHash,
    device_id: DeviceId,
    tokens: &TokenPair,
    now: DateTime<Utc>,
) -> Result<Refresh> {
    let current = tx
        .prepare_cached(
            "SELECT id, device_id, refresh_expires_at, revoked_at IS NOT NULL FROM sessions \
             WHERE refresh_hash = ?1",
        )?
        .query_row([refresh_hash], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Uuid>(1)?,
                r.get::<_, DateTime<Utc>>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .optional()?;
    let Some((session, bound_to, expires, revoked)) = current else {
        // A token that was current once and has been rotated since: someone kept a copy.
        let reused = tx
            .prepare_cached("UPDATE sessions SET revoked_at = ?2 WHERE previous_refresh_hash = ?1 AND revoked_at IS NULL")?
            .execute(params![refresh_hash, now])?;
        return Ok(if reused > 0 {
            Refresh::Reused
        } else {
            Refresh::Invalid
        });
    };
    if revoked || expires <= now || bound_to != device_id.0 {
        return Ok(Refresh::Invalid);
    }
    tx.execute(
        "UPDATE sessions SET access_hash = ?2, access_expires_at = ?3, refresh_hash = ?4, \
         refresh_expires_at = ?5, previous_refresh_hash = refresh_hash WHERE id = ?1",
        params![
            session,
            tokens.access_hash,
            tokens.access_expires_at,
            tokens.refresh_hash,
            tokens.refresh_expires_at
        ],
    )?;
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?1"
    );
    let who = tx
        .prepare_cached(&sql)?
        .query_row([session], |r| user(r, 0))?;
    Ok(Refresh::Rotated(who))
}
