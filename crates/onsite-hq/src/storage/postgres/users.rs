//! User accounts (the embedded engine's `users.rs`, on PostgreSQL).

use super::rows::{get, parsed, small};
use crate::storage::{
    AccountChange, Credentials, Ending, NewUser, Result, SessionSelector, StorageError,
};
use chrono::{DateTime, Utc};
use onsite_protocol::User;
use onsite_protocol::admin::{Account, AccountList};
use tokio_postgres::{Row, Transaction};

pub async fn add(tx: &Transaction<'_>, user: &NewUser, now: DateTime<Utc>) -> Result<User> {
    let taken = tx
        .query_opt("SELECT 1 FROM users WHERE username = $1", &[&user.username])
        .await?
        .is_some();
    if taken {
        return Err(StorageError::Conflict(format!(
            "username {:?} is taken",
            user.username
        )));
    }
    let created = User {
        id: onsite_protocol::UserId::new(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        skills: user.skills.clone(),
    };
    let skills =
        serde_json::to_string(&created.skills).map_err(|e| StorageError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO users (id, username, display_name, role, skills, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &created.id.0,
            &created.username,
            &created.display_name,
            &created.role.as_str(),
            &skills,
            &user.password_hash,
            &now,
        ],
    )
    .await?;
    Ok(created)
}

/// Columns read by [`user`], for `users u`.
pub const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.skills";

/// Maps a row selected with [`USER_COLUMNS`] starting at `base`.
pub fn user(row: &Row, base: usize) -> Result<User> {
    let skills: &str = get(row, base + 4)?;
    Ok(User {
        id: onsite_protocol::UserId(get(row, base)?),
        username: get(row, base + 1)?,
        display_name: get(row, base + 2)?,
        role: parsed(row, base + 3)?,
        // Written only by `add` from a Vec<String>; an unreadable value is treated as none.
        skills: serde_json::from_str(skills).unwrap_or_default(),
    })
}

pub async fn credentials(tx: &Transaction<'_>, username: &str) -> Result<Option<Credentials>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.password_hash, u.disabled_at IS NOT NULL FROM users u \
         WHERE u.username = $1"
    );
    tx.query_opt(&sql, &[&username])
        .await?
        .map(|r| {
            Ok(Credentials {
                user: user(&r, 0)?,
                password_hash: get(&r, 5)?,
                disabled: get(&r, 6)?,
            })
        })
        .transpose()
}

/// The role of `username`, if such a user exists.
pub async fn role(tx: &Transaction<'_>, username: &str) -> Result<Option<onsite_protocol::Role>> {
    tx.query_opt("SELECT role FROM users WHERE username = $1", &[&username])
        .await?
        .map(|r| parsed(&r, 0))
        .transpose()
}

/// The display name of `username`, if such a user exists.
pub async fn display_name(tx: &Transaction<'_>, username: &str) -> Result<Option<String>> {
    tx.query_opt(
        "SELECT display_name FROM users WHERE username = $1",
        &[&username],
    )
    .await?
    .map(|r| get(&r, 0))
    .transpose()
}

pub async fn accounts(tx: &Transaction<'_>, limit: usize) -> Result<AccountList> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.disabled_at IS NOT NULL, u.created_at FROM users u \
         ORDER BY u.username LIMIT $1"
    );
    let asked = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let mut users = tx
        .query(&sql, &[&asked])
        .await?
        .iter()
        .map(account)
        .collect::<Result<Vec<_>>>()?;
    let truncated = users.len() > limit;
    users.truncate(limit);
    Ok(AccountList { users, truncated })
}

fn account(r: &Row) -> Result<Account> {
    Ok(Account {
        user: user(r, 0)?,
        disabled: get(r, 5)?,
        created_at: get(r, 6)?,
    })
}

pub async fn change(
    tx: &Transaction<'_>,
    username: &str,
    change: &AccountChange,
    now: DateTime<Utc>,
) -> Result<(Account, usize)> {
    let mut ended = 0;
    if let Some(disabled) = change.disabled {
        ended += super::sessions::set_user_disabled(tx, username, disabled, now).await?;
    }
    let user_id = super::sessions::user_id(tx, username).await?;
    if let Some(name) = &change.display_name {
        tx.execute(
            "UPDATE users SET display_name = $2 WHERE id = $1",
            &[&user_id, name],
        )
        .await?;
    }
    if let Some(skills) = &change.skills {
        let skills =
            serde_json::to_string(skills).map_err(|e| StorageError::Invalid(e.to_string()))?;
        tx.execute(
            "UPDATE users SET skills = $2 WHERE id = $1",
            &[&user_id, &skills],
        )
        .await?;
    }
    if let Some(hash) = &change.password_hash {
        tx.execute(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[&user_id, hash],
        )
        .await?;
        ended += super::sessions::end_sessions(
            tx,
            &SessionSelector::User(username.to_string()),
            Ending::Revoked,
            now,
        )
        .await?;
    }
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.disabled_at IS NOT NULL, u.created_at FROM users u \
         WHERE u.id = $1"
    );
    let account = account(&tx.query_one(&sql, &[&user_id]).await?)?;
    Ok((account, ended))
}

pub async fn calendar_generation(tx: &Transaction<'_>, username: &str) -> Result<Option<u32>> {
    tx.query_opt(
        "SELECT calendar_generation FROM users \
         WHERE username = $1 AND role = 'technician' AND disabled_at IS NULL",
        &[&username],
    )
    .await?
    .map(|r| small(&r, 0))
    .transpose()
}

pub async fn renew_calendar(tx: &Transaction<'_>, username: &str) -> Result<u32> {
    let changed = tx
        .execute(
            "UPDATE users SET calendar_generation = calendar_generation + 1 \
             WHERE username = $1 AND role = 'technician' AND disabled_at IS NULL",
            &[&username],
        )
        .await?;
    if changed == 0 {
        return Err(StorageError::NotFound("technician"));
    }
    calendar_generation(tx, username)
        .await?
        .ok_or(StorageError::NotFound("technician"))
}
