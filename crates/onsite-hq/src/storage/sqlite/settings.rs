//! HQ's settings: one value per key (the follow-up delay, the letter template).

use crate::storage::Result;
use rusqlite::{OptionalExtension, Transaction, params};

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
