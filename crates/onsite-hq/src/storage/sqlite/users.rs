//! User accounts.

use super::rows::parsed;
use crate::storage::{
    AccountChange, Credentials, Ending, NewUser, Result, SessionSelector, StorageError,
};
use chrono::{DateTime, Utc};
use onsite_protocol::User;
use onsite_protocol::admin::{Account, AccountList};
use rusqlite::Transaction;
use rusqlite::{OptionalExtension, params};

pub fn add(tx: &Transaction<'_>, user: NewUser, now: DateTime<Utc>) -> Result<User> {
    let taken: bool = tx
        .prepare_cached("SELECT 1 FROM users WHERE username = ?1")?
        .exists([&user.username])?;
    if taken {
        return Err(StorageError::Conflict(format!(
            "username {:?} is taken",
            user.username
        )));
    }
    let created = User {
        id: onsite_protocol::UserId::new(),
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        skills: user.skills,
    };
    let skills =
        serde_json::to_string(&created.skills).map_err(|e| StorageError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO users (id, username, display_name, role, skills, password_hash, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            created.id.0,
            created.username,
            created.display_name,
            created.role.as_str(),
            skills,
            user.password_hash,
            now
        ],
    )?;
    Ok(created)
}

/// Columns read by [`user`], for `users u`.
pub const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.skills";

/// Maps a row selected with [`USER_COLUMNS`] starting at `base`.
pub fn user(row: &rusqlite::Row<'_>, base: usize) -> rusqlite::Result<User> {
    let skills: String = row.get(base + 4)?;
    Ok(User {
        id: onsite_protocol::UserId(row.get(base)?),
        username: row.get(base + 1)?,
        display_name: row.get(base + 2)?,
        role: parsed(row, base + 3)?,
        // Written only by `add` from a Vec<String>; an unreadable value is treated as none.
        skills: serde_json::from_str(&skills).unwrap_or_default(),
    })
}

pub fn credentials(tx: &Transaction<'_>, username: &str) -> Result<Option<Credentials>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.password_hash, u.disabled_at IS NOT NULL FROM users u \
         WHERE u.username = ?1"
    );
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([username], |r| {
            Ok(Credentials {
                user: user(r, 0)?,
                password_hash: r.get(5)?,
                disabled: r.get(6)?,
            })
        })
        .optional()?)
}

/// The role of `username`, if such a user exists.
pub fn role(tx: &Transaction<'_>, username: &str) -> Result<Option<onsite_protocol::Role>> {
    Ok(tx
        .prepare_cached("SELECT role FROM users WHERE username = ?1")?
        .query_row([username], |r| parsed(r, 0))
        .optional()?)
}

/// The display name of `username`, if such a user exists.
pub fn display_name(tx: &Transaction<'_>, username: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT display_name FROM users WHERE username = ?1")?
        .query_row([username], |r| r.get(0))
        .optional()?)
}

pub fn accounts(tx: &Transaction<'_>, limit: usize) -> Result<AccountList> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.disabled_at IS NOT NULL, u.created_at FROM users u \
         ORDER BY u.username LIMIT ?1"
    );
    let mut users = tx
        .prepare_cached(&sql)?
        .query_map([limit.saturating_add(1)], account)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let truncated = users.len() > limit;
    users.truncate(limit);
    Ok(AccountList { users, truncated })
}

fn account(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        user: user(r, 0)?,
        disabled: r.get(5)?,
        created_at: r.get(6)?,
    })
}

pub fn change(
    tx: &Transaction<'_>,
    username: &str,
    change: &AccountChange,
    now: DateTime<Utc>,
) -> Result<(Account, usize)> {
    let mut ended = 0;
    if let Some(disabled) = change.disabled {
        ended += super::sessions::set_user_disabled(tx, username, disabled, now)?;
    }
    let user_id = super::sessions::user_id(tx, username)?;
    if let Some(name) = &change.display_name {
        tx.prepare_cached("UPDATE users SET display_name = ?2 WHERE id = ?1")?
            .execute(params![user_id, name])?;
    }
    if let Some(skills) = &change.skills {
        let skills =
            serde_json::to_string(skills).map_err(|e| StorageError::Invalid(e.to_string()))?;
        tx.prepare_cached("UPDATE users SET skills = ?2 WHERE id = ?1")?
            .execute(params![user_id, skills])?;
    }
    if let Some(hash) = &change.password_hash {
        tx.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
            .execute(params![user_id, hash])?;
        ended += super::sessions::end_sessions(
            tx,
            &SessionSelector::User(username.to_string()),
            Ending::Revoked,
            now,
        )?;
    }
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.disabled_at IS NOT NULL, u.created_at FROM users u \
         WHERE u.id = ?1"
    );
    let account = tx.prepare_cached(&sql)?.query_row([user_id], account)?;
    Ok((account, ended))
}

pub fn calendar_generation(tx: &Transaction<'_>, username: &str) -> Result<Option<u32>> {
    Ok(tx
        .prepare_cached(
            "SELECT calendar_generation FROM users \
             WHERE username = ?1 AND role = 'technician' AND disabled_at IS NULL",
        )?
        .query_row([username], |r| r.get(0))
        .optional()?)
}

pub fn renew_calendar(tx: &Transaction<'_>, username: &str) -> Result<u32> {
    let changed = tx
        .prepare_cached(
            "UPDATE users SET calendar_generation = calendar_generation + 1 \
             WHERE username = ?1 AND role = 'technician' AND disabled_at IS NULL",
        )?
        .execute([username])?;
    if changed == 0 {
        return Err(StorageError::NotFound("technician"));
    }
    calendar_generation(tx, username)?.ok_or(StorageError::NotFound("technician"))
}
