//! Login sessions: an access token and a rotating refresh token, bound to one device, ending
//! at the latest [`SESSION_LIFETIME`] after login. Every refresh token a session retires is
//! kept (`retired_refresh`) for as long as the session can live.

use super::users::{USER_COLUMNS, user};
use crate::storage::{
    ClockFlag, Ending, REFRESH_GRACE, Refresh, Result, Rotation, SESSION_LIFETIME, SessionId,
    SessionInfo, SessionRecord, SessionSelector, StorageError, TokenHash, TokenPair,
};
use chrono::{DateTime, Utc};
use onsite_protocol::DeviceId;
use rusqlite::Transaction;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// The id of `username`. Errors: `NotFound`.
pub(super) fn user_id(tx: &Transaction<'_>, username: &str) -> Result<Uuid> {
    tx.prepare_cached("SELECT id FROM users WHERE username = ?1")?
        .query_row([username], |r| r.get(0))
        .optional()?
        .ok_or(StorageError::NotFound("user"))
}

pub fn create(
    tx: &Transaction<'_>,
    username: &str,
    device_id: DeviceId,
    tokens: &TokenPair,
    now: DateTime<Utc>,
) -> Result<()> {
    let user_id = user_id(tx, username)?;
    let end = now + SESSION_LIFETIME;
    tx.execute(
        "INSERT INTO sessions (user_id, device_id, access_hash, access_expires_at, refresh_hash, \
         refresh_expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            user_id,
            device_id.0,
            tokens.access_hash,
            tokens.access_expires_at.min(end),
            tokens.refresh_hash,
            tokens.refresh_expires_at.min(end),
            now
        ],
    )?;
    // Sessions past their lifetime can no longer be refreshed, so what they retired is not
    // needed to recognise a copy: the table stays as large as the live sessions' histories.
    tx.prepare_cached(
        "DELETE FROM retired_refresh WHERE session_id IN \
         (SELECT id FROM sessions WHERE created_at < ?1)",
    )?
    .execute([now - SESSION_LIFETIME])?;
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
        "SELECT {USER_COLUMNS}, s.device_id, s.access_expires_at, s.id FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.access_hash = ?1 AND s.revoked_at IS NULL AND u.disabled_at IS NULL"
    );
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([access_hash], |r| {
            Ok(SessionInfo {
                user: user(r, 0)?,
                device_id: DeviceId(r.get(5)?),
                access_expires_at: r.get(6)?,
                id: r.get(7)?,
            })
        })
        .optional()?)
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

    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            device: r.get(1)?,
            created_at: r.get(2)?,
            refresh_hash: r.get(3)?,
            access_expires_at: r.get(4)?,
            refresh_expires_at: r.get(5)?,
            ended: r.get(6)?,
            disabled: r.get(7)?,
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

fn session_user(tx: &Transaction<'_>, id: SessionId) -> Result<onsite_protocol::User> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?1"
    );
    Ok(tx.prepare_cached(&sql)?.query_row([id], |r| user(r, 0))?)
}

pub fn rotate(
    tx: &Transaction<'_>,
    refresh_hash: &TokenHash,
    device_id: DeviceId,
    tokens: &TokenPair,
    now: DateTime<Utc>,
) -> Result<Refresh> {
    let current = tx
        .prepare_cached(&format!(
            "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.refresh_hash = ?1",
            Held::COLUMNS
        ))?
        .query_row([refresh_hash], Held::read)
        .optional()?;
    if let Some(held) = current {
        if !held.usable(device_id, now) {
            return Ok(Refresh::Invalid);
        }
        let end = held.created_at + SESSION_LIFETIME;
        let (access_expires_at, refresh_expires_at) = (
            tokens.access_expires_at.min(end),
            tokens.refresh_expires_at.min(end),
        );
        tx.prepare_cached(
            "INSERT INTO retired_refresh (hash, session_id, retired_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![refresh_hash, held.id, now])?;
        tx.prepare_cached(
            "UPDATE sessions SET access_hash = ?2, access_expires_at = ?3, refresh_hash = ?4, \
             refresh_expires_at = ?5, rotated_at = ?6 WHERE id = ?1",
        )?
        .execute(params![
            held.id,
            tokens.access_hash,
            access_expires_at,
            tokens.refresh_hash,
            refresh_expires_at,
            now
        ])?;
        return Ok(Refresh::Rotated(Rotation {
            user: session_user(tx, held.id)?,
            access_expires_at,
            refresh_expires_at,
            repeated: false,
        }));
    }
    let retired = tx
        .prepare_cached(&format!(
            "SELECT {}, r.retired_at FROM retired_refresh r JOIN sessions s ON s.id = r.session_id \
             JOIN users u ON u.id = s.user_id WHERE r.hash = ?1",
            Held::COLUMNS
        ))?
        .query_row([refresh_hash], |r| {
            Ok((Held::read(r)?, r.get::<_, DateTime<Utc>>(8)?))
        })
        .optional()?;
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
            user: session_user(tx, held.id)?,
            access_expires_at: held.access_expires_at,
            refresh_expires_at: held.refresh_expires_at,
            repeated: true,
        }));
    }
    end(tx, held.id, Ending::Reused, now)?;
    Ok(Refresh::Reused)
}

fn end(tx: &Transaction<'_>, id: SessionId, why: Ending, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE sessions SET revoked_at = ?2, ended_why = ?3 \
             WHERE id = ?1 AND revoked_at IS NULL",
        )?
        .execute(params![id, now, why.as_str()])?)
}

pub fn end_sessions(
    tx: &Transaction<'_>,
    which: &SessionSelector,
    why: Ending,
    now: DateTime<Utc>,
) -> Result<usize> {
    let set = "UPDATE sessions SET revoked_at = ?2, ended_why = ?3 WHERE revoked_at IS NULL AND";
    Ok(match which {
        SessionSelector::Id(id) => end(tx, *id, why, now)?,
        SessionSelector::User(username) => {
            let user_id = user_id(tx, username)?;
            tx.prepare_cached(&format!("{set} user_id = ?1"))?
                .execute(params![user_id, now, why.as_str()])?
                + super::console_sessions::end_user(tx, user_id, why, now)?
        }
        SessionSelector::Device(device) => tx
            .prepare_cached(&format!("{set} device_id = ?1"))?
            .execute(params![device.0, now, why.as_str()])?,
    })
}

pub fn set_user_disabled(
    tx: &Transaction<'_>,
    username: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<usize> {
    let user_id = user_id(tx, username)?;
    tx.prepare_cached(
        "UPDATE users SET disabled_at = CASE WHEN ?2 THEN coalesce(disabled_at, ?3) END \
         WHERE id = ?1",
    )?
    .execute(params![user_id, disabled, now])?;
    if !disabled {
        return Ok(0);
    }
    end_sessions(
        tx,
        &SessionSelector::User(username.to_string()),
        Ending::Disabled,
        now,
    )
}

pub fn list(
    tx: &Transaction<'_>,
    username: Option<&str>,
    ended: bool,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRecord>> {
    let user_id = username.map(|u| user_id(tx, u)).transpose()?;
    let mut stmt = tx.prepare_cached(
        "SELECT s.id, u.username, s.device_id, s.created_at, s.rotated_at, s.refresh_expires_at, \
         s.revoked_at, s.ended_why, c.stamp, c.ahead_ms, c.seen_at, c.count \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN device_clocks c ON c.device_id = s.device_id \
         WHERE (?1 IS NULL OR s.user_id = ?1) \
         AND (?2 OR (s.revoked_at IS NULL AND s.refresh_expires_at > ?3 AND s.created_at > ?4)) \
         ORDER BY s.created_at DESC, s.id DESC LIMIT ?5",
    )?;
    let rows = stmt.query_map(
        params![user_id, ended, now, now - SESSION_LIFETIME, limit],
        |r| {
            let ended_at: Option<DateTime<Utc>> = r.get(6)?;
            let why: Option<String> = r.get(7)?;
            let stamp: Option<String> = r.get(8)?;
            Ok(SessionRecord {
                id: r.get(0)?,
                username: r.get(1)?,
                device_id: DeviceId(r.get(2)?),
                created_at: r.get(3)?,
                rotated_at: r.get(4)?,
                refresh_expires_at: r.get(5)?,
                // Sessions revoked before endings were recorded count as revoked.
                ended: ended_at.map(|at| {
                    (
                        at,
                        why.as_deref()
                            .and_then(Ending::parse)
                            .unwrap_or(Ending::Revoked),
                    )
                }),
                clock: match stamp {
                    Some(stamp) => Some(ClockFlag {
                        stamp,
                        ahead_ms: r.get(9)?,
                        seen_at: r.get(10)?,
                        count: r.get(11)?,
                    }),
                    None => None,
                },
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
