//! HQ's hybrid logical clock, kept in `meta` so it never runs backwards across restarts. Every
//! op HQ records is observed by it, and every HQ edit of a correctable value is stamped by it,
//! so device and HQ edits of the same value compare by one order.

use crate::storage::Result;
use chrono::{DateTime, Utc};
use onsite_protocol::DeviceId;
use onsite_protocol::{Hlc, HlcClock};
use rusqlite::Transaction;

/// HQ's clock as last persisted. HQ stamps with a node id derived from the database's
/// instance id.
pub fn load(tx: &Transaction<'_>) -> Result<HlcClock> {
    let (instance, last): (String, String) = tx
        .prepare_cached(
            "SELECT (SELECT value FROM meta WHERE key = 'instance'), \
             (SELECT value FROM meta WHERE key = 'hlc')",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let node = DeviceId(uuid::Uuid::from_u128(
        u128::from_str_radix(&instance, 16).unwrap_or_default(),
    ));
    let last = match last.parse::<Hlc>() {
        Ok(stamp) => Some(stamp),
        Err(_) if last.is_empty() => None,
        // Written by a version whose clock could overflow: restarting from zero would run
        // the clock backwards, so continue after the newest stamp HQ can still read.
        Err(_) => {
            tracing::warn!(stamp = %last, "HQ's clock was unreadable; continuing after its newest readable stamp");
            newest_readable(tx)?
        }
    };
    Ok(HlcClock::new(node, last))
}

fn newest_readable(tx: &Transaction<'_>) -> Result<Option<Hlc>> {
    let mut stmt = tx.prepare(
        "SELECT hq_hlc FROM ops UNION ALL SELECT hlc FROM ops WHERE hlc IS NOT NULL \
         UNION ALL SELECT hlc FROM field_clocks",
    )?;
    let stamps = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut newest = None;
    for text in stamps {
        if let Ok(stamp) = text?.parse::<Hlc>() {
            newest = newest.max(Some(stamp));
        }
    }
    Ok(newest)
}

/// Persists the clock; call before committing the transaction that used it.
pub fn save(tx: &Transaction<'_>, clock: &HlcClock) -> Result<()> {
    tx.prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'hlc'")?
        .execute([clock.last().to_string()])?;
    Ok(())
}

/// One fresh stamp for an HQ edit at `now`, persisted.
pub fn tick(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Hlc> {
    let mut clock = load(tx)?;
    let stamp = clock.tick(now.timestamp_millis());
    save(tx, &clock)?;
    Ok(stamp)
}

/// The clock's newest stamp, without moving it.
pub fn current(tx: &Transaction<'_>) -> Result<Hlc> {
    Ok(load(tx)?.last())
}
