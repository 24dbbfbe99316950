//! HQ's settings (the embedded engine's `settings.rs`, on PostgreSQL): one value per key (the
//! follow-up delay, the letter template).

use crate::storage::{Result, StorageError};
use onsite_protocol::settings::Settings;
use tokio_postgres::Transaction;

/// The key that holds the days from a visit to its follow-up call.
const FOLLOW_UP_DAYS: &str = "follow_up_days";

/// The value of `key`, if set.
///
/// # Errors
/// Only from the database.
pub async fn get(tx: &Transaction<'_>, key: &str) -> Result<Option<String>> {
    tx.query_opt("SELECT value FROM settings WHERE key = $1", &[&key])
        .await?
        .map(|r| super::rows::get(&r, 0))
        .transpose()
}

/// Sets `key` to `value`.
///
/// # Errors
/// Only from the database.
pub async fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )
    .await?;
    Ok(())
}

/// HQ's settings, each at its default when never set.
///
/// # Errors
/// Only from the database.
pub async fn settings(tx: &Transaction<'_>) -> Result<Settings> {
    let default = Settings::default();
    Ok(Settings {
        follow_up_days: get(tx, FOLLOW_UP_DAYS)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(default.follow_up_days),
    })
}

/// Sets every setting.
///
/// # Errors
/// `Invalid` for a value [`Settings::validate`] refuses.
pub async fn set_settings(tx: &Transaction<'_>, settings: &Settings) -> Result<()> {
    settings.validate().map_err(StorageError::Invalid)?;
    set(tx, FOLLOW_UP_DAYS, &settings.follow_up_days.to_string()).await
}
