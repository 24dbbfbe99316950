//! Console sessions (the embedded engine's `console_sessions.rs`, on PostgreSQL).

use super::rows::{count, get};
use super::users::{USER_COLUMNS, user};
use crate::storage::{CONSOLE_LIFETIME, ConsoleSessionInfo, Ending, Result, SessionId, TokenHash};
use chrono::{DateTime, Utc};
use tokio_postgres::Transaction;
use uuid::Uuid;

pub async fn create(
    tx: &Transaction<'_>,
    username: &str,
    token_hash: &TokenHash,
    now: DateTime<Utc>,
) -> Result<SessionId> {
    let user_id = super::sessions::user_id(tx, username).await?;
    tx.execute(
        "DELETE FROM console_sessions WHERE created_at <= $1",
        &[&(now - CONSOLE_LIFETIME)],
    )
    .await?;
    let row = tx
        .query_one(
            "INSERT INTO console_sessions (user_id, token_hash, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $3) RETURNING id",
            &[&user_id, &&token_hash[..], &now],
        )
        .await?;
    get(&row, 0)
}

pub async fn by_token(
    tx: &Transaction<'_>,
    token_hash: &TokenHash,
) -> Result<Option<ConsoleSessionInfo>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.id, s.created_at, s.last_seen_at FROM console_sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.ended_at IS NULL AND u.disabled_at IS NULL"
    );
    tx.query_opt(&sql, &[&&token_hash[..]])
        .await?
        .map(|r| {
            Ok(ConsoleSessionInfo {
                user: user(&r, 0)?,
                id: get(&r, 5)?,
                created_at: get(&r, 6)?,
                last_seen_at: get(&r, 7)?,
            })
        })
        .transpose()
}

pub async fn touch(tx: &Transaction<'_>, id: SessionId, now: DateTime<Utc>) -> Result<()> {
    // Never backwards: two requests racing write the later time.
    tx.execute(
        "UPDATE console_sessions SET last_seen_at = $2 \
         WHERE id = $1 AND ended_at IS NULL AND last_seen_at < $2",
        &[&id, &now],
    )
    .await?;
    Ok(())
}

pub async fn end(
    tx: &Transaction<'_>,
    id: SessionId,
    why: Ending,
    now: DateTime<Utc>,
) -> Result<usize> {
    Ok(count(
        tx.execute(
            "UPDATE console_sessions SET ended_at = $2, ended_why = $3 \
             WHERE id = $1 AND ended_at IS NULL",
            &[&id, &now, &why.as_str()],
        )
        .await?,
    ))
}

/// Ends every console session of `user_id`; how many.
pub async fn end_user(
    tx: &Transaction<'_>,
    user_id: Uuid,
    why: Ending,
    now: DateTime<Utc>,
) -> Result<usize> {
    Ok(count(
        tx.execute(
            "UPDATE console_sessions SET ended_at = $2, ended_why = $3 \
             WHERE user_id = $1 AND ended_at IS NULL",
            &[&user_id, &now, &why.as_str()],
        )
        .await?,
    ))
}
