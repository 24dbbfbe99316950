//! Failed logins counted by key (the embedded engine's `login_failures.rs`, on PostgreSQL).

use super::rows::get;
use crate::storage::Result;
use chrono::{DateTime, Duration, Utc};
use tokio_postgres::Transaction;

pub async fn reserve(
    tx: &Transaction<'_>,
    check: &[(String, u32)],
    count: &[String],
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Option<(usize, DateTime<Utc>)>> {
    // Ended windows go first: the table holds only the last window's keys.
    tx.execute(
        "DELETE FROM login_failures WHERE started <= $1",
        &[&(now - window)],
    )
    .await?;
    for (i, (key, limit)) in check.iter().enumerate() {
        let held = tx
            .query_opt(
                "SELECT count, started FROM login_failures WHERE key = $1",
                &[key],
            )
            .await?;
        if let Some(row) = held {
            let (n, started): (i64, DateTime<Utc>) = (get(&row, 0)?, get(&row, 1)?);
            if n >= i64::from(*limit) {
                return Ok(Some((i, started + window)));
            }
        }
    }
    for key in count {
        tx.execute(
            "INSERT INTO login_failures (key, started, count) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET count = login_failures.count + 1",
            &[key, &now],
        )
        .await?;
    }
    Ok(None)
}

pub async fn release(tx: &Transaction<'_>, keys: &[String], forget: &[String]) -> Result<()> {
    for key in keys {
        tx.execute(
            "UPDATE login_failures SET count = GREATEST(count - 1, 0) WHERE key = $1",
            &[key],
        )
        .await?;
    }
    for key in forget {
        tx.execute("DELETE FROM login_failures WHERE key = $1", &[key])
            .await?;
    }
    Ok(())
}
