//! Login sessions (the embedded engine's `sessions.rs`, on PostgreSQL). Writes run one at a
//! time (see `mod.rs`), so a rotation reads and replaces the refresh token with no other
//! writer in between, whichever HQ process the two requests of a race reached.

use super::rows::{count, get, hash};
use super::users::{USER_COLUMNS, user};
use crate::storage::{
    ClockFlag, Ending, REFRESH_GRACE, Refresh, Result, Rotation, SESSION_LIFETIME, SessionId,
    SessionInfo, SessionRecord, SessionSelector, StorageError, TokenHash, TokenPair,
};
use chrono::{DateTime, Utc};
use onsite_protocol::DeviceId;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

/// The id of `username`. Errors: `NotFound`.
pub(super) async fn user_id(tx: &Transaction<'_>, username: &str) -> Result<Uuid> {
    match tx
        .query_opt("SELECT id FROM users WHERE username = $1", &[&username])
        .await?
    {
        Some(r) => get(&r, 0),
        None => Err(StorageError::NotFound("user")),
    }
}

pub async fn create(
    tx: &Transaction<'_>,
    username: &str,
    device_id: DeviceId,
    tokens: &TokenPair,
    now: DateTime<Utc>,
) -> Result<()> {
    let user_id = user_id(tx, username).await?;
    let end = now + SESSION_LIFETIME;
    tx.execute(
        "INSERT INTO sessions (user_id, device_id, access_hash, access_expires_at, refresh_hash, \
         refresh_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &user_id,
            &device_id.0,
            &&tokens.access_hash[..],
            &tokens.access_expires_at.min(end),
            &&tokens.refresh_hash[..],
            &tokens.refresh_expires_at.min(end),
            &now,
        ],
    )
    .await?;
    // Sessions past their lifetime can no longer be refreshed, so what they retired is not
    // needed to recognise a copy.
    tx.execute(
        "DELETE FROM retired_refresh WHERE session_id IN \
         (SELECT id FROM sessions WHERE created_at < $1)",
        &[&(now - SESSION_LIFETIME)],
    )
    .await?;
    Ok(())
}

pub async fn known_device(
    tx: &Transaction<'_>,
    username: &str,
    device_id: DeviceId,
) -> Result<bool> {
    let row = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.username = $1 AND s.device_id = $2)",
            &[&username, &device_id.0],
        )
        .await?;
    get(&row, 0)
}

pub async fn by_access(
    tx: &Transaction<'_>,
    access_hash: &TokenHash,
) -> Result<Option<SessionInfo>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.device_id, s.access_expires_at, s.id FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.access_hash = $1 AND s.revoked_at IS NULL AND u.disabled_at IS NULL"
    );
    tx.query_opt(&sql, &[&&access_hash[..]])
        .await?
        .map(|r| {
            Ok(SessionInfo {
                user: user(&r, 0)?,
                device_id: DeviceId(get(&r, 5)?),
                access_expires_at: get(&r, 6)?,
                id: get(&r, 7)?,
            })
        })
        .transpose()
}

/// A session as a rotation needs it.
struct Held {
    id: SessionId,
    device: Uuid,
    created_at: DateTime<Utc>,
    refresh_hash: TokenHash,
    access_expires_at: DateTime<Utc>,
    refresh_expires_at: DateTime<Utc>,
    ended: bool,
    disabled: bool,
}

impl Held {
    const COLUMNS: &str = "s.id, s.device_id, s.created_at, s.refresh_hash, s.access_expires_at, \
        s.refresh_expires_at, s.revoked_at IS NOT NULL, u.disabled_at IS NOT NULL";

    fn read(r: &Row) -> Result<Self> {
        Ok(Self {
            id: get(r, 0)?,
            device: get(r, 1)?,
            created_at: get(r, 2)?,
            refresh_hash: hash(r, 3)?,
            access_expires_at: get(r, 4)?,
            refresh_expires_at: get(r, 5)?,
            ended: get(r, 6)?,
            disabled: get(r, 7)?,
        })
    }

    /// Whether `device` may still refresh this session at `now`.
    fn usable(&self, device: DeviceId, now: DateTime<Utc>) -> bool {
        !self.ended
            && !self.disabled
            && self.device == device.0
            && self.refresh_expires_at > now
            && self.created_at + SESSION_LIFETIME > now
    }
}

async fn session_user(tx: &Transaction<'_>, id: SessionId) -> Result<onsite_protocol::User> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1"
    );
    user(&tx.query_one(&sql, &[&id]).await?, 0)
}

pub async fn rotate(
    tx: &Transaction<'_>,
    refresh_hash: &TokenHash,
    device_id: DeviceId,
    tokens: &TokenPair,
    now: DateTime<Utc>,
) -> Result<Refresh> {
    let current = tx
        .query_opt(
            &format!(
                "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.refresh_hash = $1",
                Held::COLUMNS
            ),
            &[&&refresh_hash[..]],
        )
        .await?
        .map(|r| Held::read(&r))
        .transpose()?;
    if let Some(held) = current {
        if !held.usable(device_id, now) {
            return Ok(Refresh::Invalid);
        }
        let end = held.created_at + SESSION_LIFETIME;
        let (access_expires_at, refresh_expires_at) = (
            tokens.access_expires_at.min(end),
            tokens.refresh_expires_at.min(end),
        );
        tx.execute(
            "INSERT INTO retired_refresh (hash, session_id, retired_at) VALUES ($1, $2, $3)",
            &[&&refresh_hash[..], &held.id, &now],
        )
        .await?;
        tx.execute(
            "UPDATE sessions SET access_hash = $2, access_expires_at = $3, refresh_hash = $4, \
             refresh_expires_at = $5, rotated_at = $6 WHERE id = $1",
            &[
                &held.id,
                &&tokens.access_hash[..],
                &access_expires_at,
                &&tokens.refresh_hash[..],
                &refresh_expires_at,
                &now,
            ],
        )
        .await?;
        return Ok(Refresh::Rotated(Rotation {
            user: session_user(tx, held.id).await?,
            access_expires_at,
            refresh_expires_at,
            repeated: false,
        }));
    }
    let retired = tx
        .query_opt(
            &format!(
                "SELECT {}, r.retired_at FROM retired_refresh r \
                 JOIN sessions s ON s.id = r.session_id \
                 JOIN users u ON u.id = s.user_id WHERE r.hash = $1",
                Held::COLUMNS
            ),
            &[&&refresh_hash[..]],
        )
        .await?
        .map(|r| Ok::<_, StorageError>((Held::read(&r)?, get::<DateTime<Utc>>(&r, 8)?)))
        .transpose()?;
    let Some((held, retired_at)) = retired else {
        return Ok(Refresh::Invalid);
    };
    if held.ended {
        return Ok(Refresh::Invalid);
    }
    // The pair derives from the token presented, so the session still holding exactly that
    // pair means this token is the one retired last, by the rotation whose answer was lost
    // or raced.
    let retried = held.refresh_hash == tokens.refresh_hash
        && now - retired_at <= REFRESH_GRACE
        && held.usable(device_id, now);
    if retried {
        return Ok(Refresh::Rotated(Rotation {
            user: session_user(tx, held.id).await?,
            access_expires_at: held.access_expires_at,
            refresh_expires_at: held.refresh_expires_at,
            repeated: true,
        }));
    }
    end(tx, held.id, Ending::Reused, now).await?;
    Ok(Refresh::Reused)
}

async fn end(
    tx: &Transaction<'_>,
    id: SessionId,
    why: Ending,
    now: DateTime<Utc>,
) -> Result<usize> {
    Ok(count(
        tx.execute(
            "UPDATE sessions SET revoked_at = $2, ended_why = $3 \
             WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &now, &why.as_str()],
        )
        .await?,
    ))
}

pub async fn end_sessions(
    tx: &Transaction<'_>,
    which: &SessionSelector,
    why: Ending,
    now: DateTime<Utc>,
) -> Result<usize> {
    let set = "UPDATE sessions SET revoked_at = $2, ended_why = $3 WHERE revoked_at IS NULL AND";
    Ok(match which {
        SessionSelector::Id(id) => end(tx, *id, why, now).await?,
        SessionSelector::User(username) => {
            let user_id = user_id(tx, username).await?;
            count(
                tx.execute(
                    &format!("{set} user_id = $1"),
                    &[&user_id, &now, &why.as_str()],
                )
                .await?,
            ) + super::console_sessions::end_user(tx, user_id, why, now).await?
        }
        SessionSelector::Device(device) => count(
            tx.execute(
                &format!("{set} device_id = $1"),
                &[&device.0, &now, &why.as_str()],
            )
            .await?,
        ),
    })
}

pub async fn set_user_disabled(
    tx: &Transaction<'_>,
    username: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<usize> {
    let user_id = user_id(tx, username).await?;
    tx.execute(
        "UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, $3) END \
         WHERE id = $1",
        &[&user_id, &disabled, &now],
    )
    .await?;
    if !disabled {
        return Ok(0);
    }
    end_sessions(
        tx,
        &SessionSelector::User(username.to_string()),
        Ending::Disabled,
        now,
    )
    .await
}

pub async fn list(
    tx: &Transaction<'_>,
    username: Option<&str>,
    ended: bool,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRecord>> {
    let user_id = match username {
        Some(u) => Some(user_id(tx, u).await?),
        None => None,
    };
    let rows = tx
        .query(
            "SELECT s.id, u.username, s.device_id, s.created_at, s.rotated_at, \
             s.refresh_expires_at, s.revoked_at, s.ended_why, c.stamp, c.ahead_ms, c.seen_at, \
             c.count \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN device_clocks c ON c.device_id = s.device_id \
             WHERE ($1::uuid IS NULL OR s.user_id = $1) \
             AND ($2 OR (s.revoked_at IS NULL AND s.refresh_expires_at > $3 AND s.created_at > $4)) \
             ORDER BY s.created_at DESC, s.id DESC LIMIT $5",
            &[&user_id, &ended, &now, &(now - SESSION_LIFETIME), &i64::from(limit)],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let ended_at: Option<DateTime<Utc>> = get(r, 6)?;
            let why: Option<&str> = get(r, 7)?;
            let stamp: Option<String> = get(r, 8)?;
            Ok(SessionRecord {
                id: get(r, 0)?,
                username: get(r, 1)?,
                device_id: DeviceId(get(r, 2)?),
                created_at: get(r, 3)?,
                rotated_at: get(r, 4)?,
                refresh_expires_at: get(r, 5)?,
                // Sessions revoked before endings were recorded count as revoked.
                ended: ended_at
                    .map(|at| (at, why.and_then(Ending::parse).unwrap_or(Ending::Revoked))),
                clock: match stamp {
                    Some(stamp) => Some(ClockFlag {
                        stamp,
                        ahead_ms: get(r, 9)?,
                        seen_at: get(r, 10)?,
                        count: get(r, 11)?,
                    }),
                    None => None,
                },
            })
        })
        .collect()
}
