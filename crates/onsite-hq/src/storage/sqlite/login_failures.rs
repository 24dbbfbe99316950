//! Failed logins counted by key, for the login throttle (`crate::throttle`).

use crate::storage::Result;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

pub fn reserve(
    tx: &Transaction<'_>,
    check: &[(String, u32)],
    count: &[String],
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Option<(usize, DateTime<Utc>)>> {
    // Ended windows go first: the table holds only the last window's keys.
    tx.prepare_cached("DELETE FROM login_failures WHERE started <= ?1")?
        .execute([now - window])?;
    for (i, (key, limit)) in check.iter().enumerate() {
        let held: Option<(i64, DateTime<Utc>)> = tx
            .prepare_cached("SELECT count, started FROM login_failures WHERE key = ?1")?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((n, started)) = held
            && n >= i64::from(*limit)
        {
            return Ok(Some((i, started + window)));
        }
    }
    for key in count {
        tx.prepare_cached(
            "INSERT INTO login_failures (key, started, count) VALUES (?1, ?2, 1) \
             ON CONFLICT (key) DO UPDATE SET count = count + 1",
        )?
        .execute(params![key, now])?;
    }
    Ok(None)
}

pub fn release(tx: &Transaction<'_>, keys: &[String], forget: &[String]) -> Result<()> {
    for key in keys {
        tx.prepare_cached("UPDATE login_failures SET count = max(count - 1, 0) WHERE key = ?1")?
            .execute([key])?;
    }
    for key in forget {
        tx.prepare_cached("DELETE FROM login_failures WHERE key = ?1")?
            .execute([key])?;
    }
    Ok(())
}
