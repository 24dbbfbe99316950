//! HQ's settings: one value per key (the follow-up delay, the letter template).

use crate::storage::{Result, StorageError};
use onsite_protocol::settings::Settings;
use rusqlite::{OptionalExtension, Transaction, params};

/// The key that holds the days from a visit to its follow-up call.
const FOLLOW_UP_DAYS: &str = "follow_up_days";

/// The value of `key`, if set.
///
/// # Errors
/// Only from the database.
pub fn get(tx: &Transaction<'_>, key: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Sets `key` to `value`.
///
/// # Errors
/// Only from the database.
pub fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// HQ's settings, each at its default when never set.
///
/// # Errors
/// Only from the database.
pub fn settings(tx: &Transaction<'_>) -> Result<Settings> {
    let default = Settings::default();
    Ok(Settings {
        follow_up_days: get(tx, FOLLOW_UP_DAYS)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(default.follow_up_days),
    })
}

/// Sets every setting.
///
/// # Errors
/// `Invalid` for a value [`Settings::validate`] refuses.
pub fn set_settings(tx: &Transaction<'_>, settings: &Settings) -> Result<()> {
    settings.validate().map_err(StorageError::Invalid)?;
    set(tx, FOLLOW_UP_DAYS, &settings.follow_up_days.to_string())
}
