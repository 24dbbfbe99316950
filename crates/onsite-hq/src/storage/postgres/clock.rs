//! HQ's hybrid logical clock (the embedded engine's `clock.rs`, on PostgreSQL), kept in `meta`
//! so it never runs backwards across restarts. Every op HQ records is observed by it, and every
//! HQ edit of a correctable value is stamped by it, so device and HQ edits of the same value
//! compare by one order. Writers run one at a time (see `mod.rs`), so a transaction's load and
//! save of the clock see no other writer's in between, whichever HQ process runs them.

use super::rows::get;
use crate::storage::Result;
use chrono::{DateTime, Utc};
use onsite_protocol::DeviceId;
use onsite_protocol::{Hlc, HlcClock};
use tokio_postgres::Transaction;

/// HQ's clock as last persisted. HQ stamps with a node id derived from the database's
/// instance id.
pub async fn load(tx: &Transaction<'_>) -> Result<HlcClock> {
    let row = tx
        .query_one(
            "SELECT (SELECT value FROM meta WHERE key = 'instance'), \
             (SELECT value FROM meta WHERE key = 'hlc')",
            &[],
        )
        .await?;
    let (instance, last): (String, String) = (get(&row, 0)?, get(&row, 1)?);
    let node = DeviceId(uuid::Uuid::from_u128(
        u128::from_str_radix(&instance, 16).unwrap_or_default(),
    ));
    let readable = last.parse::<Hlc>().ok();
    let last = match readable {
        Some(stamp) => Some(stamp),
        None if last.is_empty() => None,
        // Written by a version whose clock could overflow: restarting from zero would run
        // the clock backwards, so continue after the newest stamp HQ can still read.
        None => {
            tracing::warn!(stamp = %last, "HQ's clock was unreadable; continuing after its newest readable stamp");
            newest_readable(tx).await?
        }
    };
    Ok(HlcClock::new(node, last))
}

async fn newest_readable(tx: &Transaction<'_>) -> Result<Option<Hlc>> {
    let rows = tx
        .query(
            "SELECT hq_hlc FROM ops UNION ALL SELECT hlc FROM ops WHERE hlc IS NOT NULL \
             UNION ALL SELECT hlc FROM field_clocks",
            &[],
        )
        .await?;
    let mut newest = None;
    for row in &rows {
        if let Ok(stamp) = get::<&str>(row, 0)?.parse::<Hlc>() {
            newest = newest.max(Some(stamp));
        }
    }
    Ok(newest)
}

/// Persists the clock; call before committing the transaction that used it.
pub async fn save(tx: &Transaction<'_>, clock: &HlcClock) -> Result<()> {
    tx.execute(
        "UPDATE meta SET value = $1 WHERE key = 'hlc'",
        &[&clock.last().to_string()],
    )
    .await?;
    Ok(())
}

/// One fresh stamp for an HQ edit at `now`, persisted.
pub async fn tick(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Hlc> {
    let mut clock = load(tx).await?;
    let stamp = clock.tick(now.timestamp_millis());
    save(tx, &clock).await?;
    Ok(stamp)
}

/// The clock's newest stamp, without moving it.
pub async fn current(tx: &Transaction<'_>) -> Result<Hlc> {
    Ok(load(tx).await?.last())
}
