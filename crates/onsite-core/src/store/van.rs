//! The van's stock as the laptop shows it: HQ's balance as the last pull brought it, minus the
//! parts this laptop recorded as used that HQ has not answered yet (and plus those a waiting
//! correction puts back), so a part used offline leaves the van at once.

use super::Store;
use super::op_state::in_outbox;
use crate::error::{CoreError, Result};
use onsite_protocol::push::RecordedOp;
use onsite_protocol::{Change, Op, OpId};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the van holds of one part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VanLine {
    /// The part.
    pub sku: String,
    /// Its name in the catalog.
    pub name: String,
    /// Units in the van now: HQ's balance less what waits to reach HQ.
    pub qty: i64,
    /// For a serialized part, the serials in the van and not used.
    pub serials: Vec<String>,
    /// Units used on this laptop that HQ has not counted yet (less any a waiting correction
    /// puts back).
    pub unsent: i64,
    /// More used than the van was issued: recorded, and flagged for HQ to look into.
    pub negative: bool,
}

fn bad(e: serde_json::Error) -> CoreError {
    CoreError::Store(format!("stored op: {e}"))
}

/// The change an op id names, from this laptop's ops or HQ's record of the job.
fn change_of(conn: &rusqlite::Connection, id: OpId) -> Result<Option<Change>> {
    let local: Option<String> = conn
        .prepare_cached("SELECT body FROM ops WHERE op_id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?;
    if let Some(body) = local {
        return Ok(Some(serde_json::from_str::<Op>(&body).map_err(bad)?.change));
    }
    let recorded: Option<String> = conn
        .prepare_cached("SELECT body FROM job_ops WHERE op_id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?;
    recorded
        .map(|b| serde_json::from_str::<RecordedOp>(&b).map(|r| r.op.change))
        .transpose()
        .map_err(bad)
}

impl Store {
    /// The van's stock, by SKU: HQ's balances with this laptop's unsent use taken off.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn van_stock(&self) -> Result<Vec<VanLine>> {
        let conn = self.conn();
        let mut lines: BTreeMap<String, VanLine> = BTreeMap::new();
        {
            let mut stmt = conn.prepare_cached("SELECT sku, name, qty, serials FROM van_stock")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (sku, name, qty, serials) = row?;
                let serials = serde_json::from_str(&serials).map_err(bad)?;
                lines.insert(
                    sku.clone(),
                    VanLine {
                        sku,
                        name,
                        qty,
                        serials,
                        unsent: 0,
                        negative: false,
                    },
                );
            }
        }
        let waiting = conn
            .prepare_cached(concat!(
                "SELECT body FROM ops WHERE kind IN ('part_used', 'voided') AND ",
                in_outbox!(),
                " ORDER BY seq"
            ))?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for body in waiting {
            let op: Op = serde_json::from_str(&body).map_err(bad)?;
            let (change, sign) = match op.change {
                Change::Voided { voids, .. } => match change_of(&conn, voids)? {
                    Some(target) => (target, -1),
                    None => continue,
                },
                other => (other, 1),
            };
            let Change::PartUsed {
                sku, qty, serial, ..
            } = change
            else {
                continue;
            };
            let name = match super::visit::part(&conn, &sku)? {
                Some(p) => p.name,
                None => sku.clone(),
            };
            let line = lines.entry(sku.clone()).or_insert_with(|| VanLine {
                sku,
                name,
                qty: 0,
                serials: Vec::new(),
                unsent: 0,
                negative: false,
            });
            let units = sign * i64::from(qty);
            line.qty -= units;
            line.unsent += units;
            if let Some(serial) = serial {
                if sign > 0 {
                    line.serials.retain(|s| *s != serial);
                } else if !line.serials.contains(&serial) {
                    line.serials.push(serial);
                }
            }
        }
        Ok(lines
            .into_values()
            .map(|mut l| {
                l.negative = l.qty < 0;
                l
            })
            .collect())
    }
}
