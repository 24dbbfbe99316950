//! Console sessions: a browser's cookie, by its hash, with when it signed in and when it was
//! last seen. Ended rows stay until they pass the lifetime, for the record.

use super::users::{USER_COLUMNS, user};
use crate::storage::{CONSOLE_LIFETIME, ConsoleSessionInfo, Ending, Result, SessionId, TokenHash};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

pub fn create(
    tx: &Transaction<'_>,
    username: &str,
    token_hash: &TokenHash,
    now: DateTime<Utc>,
) -> Result<SessionId> {
    let user_id = super::sessions::user_id(tx, username)?;
    tx.prepare_cached("DELETE FROM console_sessions WHERE created_at <= ?1")?
        .execute([now - CONSOLE_LIFETIME])?;
    tx.prepare_cached(
        "INSERT INTO console_sessions (user_id, token_hash, created_at, last_seen_at) \
         VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![user_id, token_hash, now])?;
    Ok(tx.last_insert_rowid())
}

pub fn by_token(
    tx: &Transaction<'_>,
    token_hash: &TokenHash,
) -> Result<Option<ConsoleSessionInfo>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.id, s.created_at, s.last_seen_at FROM console_sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = ?1 AND s.ended_at IS NULL AND u.disabled_at IS NULL"
    );
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([token_hash], |r| {
            Ok(ConsoleSessionInfo {
                user: user(r, 0)?,
                id: r.get(5)?,
                created_at: r.get(6)?,
                last_seen_at: r.get(7)?,
            })
        })
        .optional()?)
}

pub fn touch(tx: &Transaction<'_>, id: SessionId, now: DateTime<Utc>) -> Result<()> {
    // Never backwards: two requests racing write the later time.
    tx.prepare_cached(
        "UPDATE console_sessions SET last_seen_at = ?2 \
         WHERE id = ?1 AND ended_at IS NULL AND last_seen_at < ?2",
    )?
    .execute(params![id, now])?;
    Ok(())
}

pub fn end(tx: &Transaction<'_>, id: SessionId, why: Ending, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE console_sessions SET ended_at = ?2, ended_why = ?3 \
             WHERE id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![id, now, why.as_str()])?)
}

/// Ends every console session of `user_id`; how many.
pub fn end_user(
    tx: &Transaction<'_>,
    user_id: Uuid,
    why: Ending,
    now: DateTime<Utc>,
) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE console_sessions SET ended_at = ?2, ended_why = ?3 \
             WHERE user_id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![user_id, now, why.as_str()])?)
}
