//! Last-writer-wins registers for the values technicians may correct (contact phone, asset
//! serial): each holds the clock stamp of its current value, and every value that loses a
//! merge, either way round, is kept in `field_history`.

use super::rows::one;
use super::*;
use onsite_protocol::push::ReplacedValue;
use onsite_protocol::{Hlc, OpId};
use rusqlite::{OptionalExtension, params};

/// The field name of the customer's contact phone.
pub const PHONE: &str = "contact_phone";
/// The field name of the asset's serial.
pub const SERIAL: &str = "asset_serial";

/// The stamp of the value `entity.field` holds now, if it was ever stamped.
pub fn register(tx: &Transaction<'_>, entity: uuid::Uuid, field: &str) -> Result<Option<Hlc>> {
    let text: Option<String> = tx
        .prepare_cached("SELECT hlc FROM field_clocks WHERE entity = ?1 AND field = ?2")?
        .query_row(params![entity, field], one)
        .optional()?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// A replaced or losing value, for the record.
pub struct Loser<'a> {
    /// The value that lost.
    pub value: Option<&'a str>,
    /// Its stamp, if it had one.
    pub hlc: Option<Hlc>,
    /// Who set it, if known.
    pub by: Option<&'a str>,
    /// The op that carried it, if any.
    pub op_id: Option<OpId>,
}

/// Records a value that lost.
pub fn keep_loser(
    tx: &Transaction<'_>,
    entity: uuid::Uuid,
    field: &str,
    loser: &Loser<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO field_history (entity, field, value, hlc, by, replaced_at, op_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        entity,
        field,
        loser.value,
        loser.hlc.map(|h| h.to_string()),
        loser.by,
        now,
        loser.op_id.map(|o| o.0)
    ])?;
    Ok(())
}

/// Stamps `entity.field` as now holding a value written at `stamp`; the value it replaces
/// (`old`, if different from `new`) goes to the history with its own stamp.
pub fn overwrite(
    tx: &Transaction<'_>,
    entity: uuid::Uuid,
    field: &str,
    old: Option<&str>,
    new: &str,
    stamp: Hlc,
    now: DateTime<Utc>,
) -> Result<()> {
    if old != Some(new) {
        let hlc = register(tx, entity, field)?;
        keep_loser(
            tx,
            entity,
            field,
            &Loser {
                value: old,
                hlc,
                by: None,
                op_id: None,
            },
            now,
        )?;
    }
    tx.prepare_cached(
        "INSERT INTO field_clocks (entity, field, hlc) VALUES (?1, ?2, ?3) \
         ON CONFLICT (entity, field) DO UPDATE SET hlc = excluded.hlc",
    )?
    .execute(params![entity, field, stamp.to_string()])?;
    Ok(())
}

/// Values `entity` lost, oldest first.
pub fn history(tx: &Transaction<'_>, entity: uuid::Uuid) -> Result<Vec<ReplacedValue>> {
    let mut stmt = tx.prepare_cached(
        "SELECT field, value, hlc, by, replaced_at FROM field_history WHERE entity = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([entity], |r| {
        Ok(ReplacedValue {
            field: r.get(0)?,
            value: r.get(1)?,
            hlc: r.get::<_, Option<String>>(2)?.and_then(|t| t.parse().ok()),
            by: r.get(3)?,
            replaced_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
