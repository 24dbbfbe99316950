//! User accounts.

use super::rows::parsed;
use crate::storage::{Credentials, NewUser, Result, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::User;
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
