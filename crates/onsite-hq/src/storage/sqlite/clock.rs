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
    Ok(HlcClock::new(node, last.parse().ok()))
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
