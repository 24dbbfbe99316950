//! Last-writer-wins registers (the embedded engine's `corrections.rs`, on PostgreSQL) for the
//! values technicians may correct (contact phone, asset serial): each holds the clock stamp of
//! its current value, and every value that loses a merge, either way round, is kept in
//! `field_history`.

use super::feed::bump_referencing;
use super::job_rows;
use super::rows::get;
use crate::storage::Result;
use chrono::{DateTime, Utc};
use onsite_protocol::push::ReplacedValue;
use onsite_protocol::{AssetId, Change, CustomerId, Hlc, Job, OpId};
use tokio_postgres::Transaction;

/// A correctable value: which one, and whose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The customer's contact phone.
    Phone(CustomerId),
    /// The asset's serial.
    Serial(AssetId),
}

impl Target {
    /// The value `change` corrects on `job`, and the corrected value; `None` for a change that
    /// corrects nothing, or a serial on a job without an asset.
    pub fn of<'c>(job: &Job, change: &'c Change) -> Option<(Self, &'c str)> {
        match (change, job.asset_id) {
            (Change::ContactPhone { phone }, _) => Some((Target::Phone(job.customer_id), phone)),
            (Change::AssetSerial { serial }, Some(a)) => Some((Target::Serial(a), serial)),
            // A replacement unit's serial becomes the asset's; the old one goes to history.
            (
                Change::WarrantyDecided {
                    replacement_serial: Some(serial),
                    ..
                },
                Some(a),
            ) => Some((Target::Serial(a), serial)),
            _ => None,
        }
    }

    fn entity(self) -> uuid::Uuid {
        match self {
            Target::Phone(c) => c.0,
            Target::Serial(a) => a.0,
        }
    }

    fn field(self) -> &'static str {
        match self {
            Target::Phone(_) => "contact_phone",
            Target::Serial(_) => "asset_serial",
        }
    }
}

/// The stamp of the value `target` holds now, if it was ever stamped.
pub async fn register(tx: &Transaction<'_>, target: Target) -> Result<Option<Hlc>> {
    let text: Option<String> = tx
        .query_opt(
            "SELECT hlc FROM field_clocks WHERE entity = $1 AND field = $2",
            &[&target.entity(), &target.field()],
        )
        .await?
        .map(|r| get(&r, 0))
        .transpose()?;
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
pub async fn keep_loser(
    tx: &Transaction<'_>,
    target: Target,
    loser: &Loser<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO field_history (entity, field, value, hlc, by, replaced_at, op_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &target.entity(),
            &target.field(),
            &loser.value,
            &loser.hlc.map(|h| h.to_string()),
            &loser.by,
            &now,
            &loser.op_id.map(|o| o.0),
        ],
    )
    .await?;
    Ok(())
}

/// Stamps `target` as now holding a value written at `stamp`; the value it replaces (`old`,
/// if different from `new`) goes to the history with its own stamp. The caller writes the
/// value itself.
pub async fn overwrite(
    tx: &Transaction<'_>,
    target: Target,
    old: Option<&str>,
    new: &str,
    stamp: Hlc,
    now: DateTime<Utc>,
) -> Result<()> {
    if old != Some(new) {
        let hlc = register(tx, target).await?;
        keep_loser(
            tx,
            target,
            &Loser {
                value: old,
                hlc,
                by: None,
                op_id: None,
            },
            now,
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO field_clocks (entity, field, hlc) VALUES ($1, $2, $3) \
         ON CONFLICT (entity, field) DO UPDATE SET hlc = excluded.hlc",
        &[&target.entity(), &target.field(), &stamp.to_string()],
    )
    .await?;
    Ok(())
}

/// An edit made at HQ (import): when it changes the value, it is stamped by HQ's clock, so it
/// competes with technicians' corrections. The caller writes the value itself.
pub async fn stamp_hq_edit(
    tx: &Transaction<'_>,
    target: Target,
    old: Option<&str>,
    new: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    match new.filter(|n| old != Some(*n)) {
        Some(new) => {
            let stamp = super::clock::tick(tx, now).await?;
            overwrite(tx, target, old, new, stamp, now).await
        }
        None => Ok(()),
    }
}

/// Writes `value` into `target`, stamped `stamp`: the value it replaces goes to the history,
/// and every job referencing the customer or asset is re-sent to its technician.
pub async fn set(
    tx: &Transaction<'_>,
    target: Target,
    value: &str,
    stamp: Hlc,
    now: DateTime<Utc>,
) -> Result<()> {
    let old = match target {
        Target::Phone(c) => job_rows::customer(tx, c).await?.phone,
        Target::Serial(a) => job_rows::asset(tx, a).await?.serial,
    };
    overwrite(tx, target, old.as_deref(), value, stamp, now).await?;
    if old.as_deref() == Some(value) {
        return Ok(());
    }
    let (sql, referencing) = match target {
        Target::Phone(_) => (
            "UPDATE customers SET phone = $2 WHERE id = $1",
            "customer_id",
        ),
        Target::Serial(_) => ("UPDATE assets SET serial = $2 WHERE id = $1", "asset_id"),
    };
    tx.execute(sql, &[&target.entity(), &value]).await?;
    bump_referencing(tx, referencing, target.entity()).await
}

/// Values the job's phone and serial lost, oldest first.
pub async fn history(tx: &Transaction<'_>, job: &Job) -> Result<Vec<ReplacedValue>> {
    tx.query(
        "SELECT field, value, hlc, by, replaced_at FROM field_history \
         WHERE (entity = $1 AND field = 'contact_phone') OR (entity = $2 AND field = 'asset_serial') \
         ORDER BY replaced_at, id",
        &[&job.customer_id.0, &job.asset_id.map(|a| a.0)],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(ReplacedValue {
            field: get(r, 0)?,
            value: get(r, 1)?,
            hlc: get::<Option<String>>(r, 2)?.and_then(|t| t.parse().ok()),
            by: get(r, 3)?,
            replaced_at: get(r, 4)?,
        })
    })
    .collect()
}
