//! Van stock: each technician's ledger of parts moved into and out of their van.

use super::*;
use onsite_protocol::Role;
use onsite_protocol::stock::{
    MAX_ISSUE_QTY, MAX_ISSUE_SERIALS, StockBalance, StockIssued, StockMove, StockMoveKind,
    VanStock, validate_serial,
};
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;

fn technician(tx: &Transaction<'_>, username: &str) -> Result<()> {
    match users::role(tx, username)? {
        Some(Role::Technician) => Ok(()),
        Some(role) => Err(StorageError::Invalid(format!(
            "{username:?} is a {role}, not a technician: only technicians have a van"
        ))),
        None => Err(StorageError::Invalid(format!(
            "technician {username:?} does not exist"
        ))),
    }
}

/// The van currently holding `serial` (issued to it and not used or returned since).
fn van_holding(tx: &Transaction<'_>, sku: &str, serial: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached(
            "SELECT technician FROM stock_moves WHERE sku = ?1 AND serial = ?2 \
             GROUP BY technician HAVING SUM(qty) > 0 LIMIT 1",
        )?
        .query_row(params![sku, serial], |r| r.get(0))
        .optional()?)
}

/// Puts parts into a technician's van: a count of an unserialized part, or the serials of a
/// serialized one (a line each); the technician's open requests for the part that they cover
/// are filled.
pub fn issue(
    tx: &Transaction<'_>,
    to: &str,
    sku: &str,
    issued: &StockIssue,
    by: &str,
    now: DateTime<Utc>,
) -> Result<StockIssued> {
    technician(tx, to)?;
    let serialized: bool = tx
        .prepare_cached("SELECT serialized FROM parts WHERE sku = ?1")?
        .query_row([sku], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StorageError::Invalid(format!("no part {sku:?} in the catalog")))?;
    let lines: Vec<(i64, Option<&str>)> = match issued {
        StockIssue::Qty(_) if serialized => {
            return Err(StorageError::Invalid(format!(
                "{sku} is serialized: give each unit's serial"
            )));
        }
        StockIssue::Serials(_) if !serialized => {
            return Err(StorageError::Invalid(format!(
                "{sku} has no serials: give a quantity"
            )));
        }
        StockIssue::Qty(qty) => {
            if !(1..=MAX_ISSUE_QTY).contains(qty) {
                return Err(StorageError::Invalid(format!(
                    "the quantity must be 1 to {MAX_ISSUE_QTY}"
                )));
            }
            vec![(*qty, None)]
        }
        StockIssue::Serials(serials) => {
            if serials.is_empty() || serials.len() > MAX_ISSUE_SERIALS {
                return Err(StorageError::Invalid(format!(
                    "give 1 to {MAX_ISSUE_SERIALS} serials"
                )));
            }
            let mut seen = std::collections::HashSet::new();
            for serial in serials {
                validate_serial(serial).map_err(StorageError::Invalid)?;
                if !seen.insert(serial.as_str()) {
                    return Err(StorageError::Invalid(format!(
                        "serial {serial:?} is given twice"
                    )));
                }
                if let Some(van) = van_holding(tx, sku, serial)? {
                    return Err(StorageError::Conflict(format!(
                        "{sku} serial {serial:?} is already in {van}'s van"
                    )));
                }
            }
            serials.iter().map(|s| (1, Some(s.as_str()))).collect()
        }
    };
    let mut moves = Vec::with_capacity(lines.len());
    for (qty, serial) in lines {
        let id: i64 = tx
            .prepare_cached(
                "INSERT INTO stock_moves (technician, sku, qty, serial, kind, job_id, by, at) \
                 VALUES (?1, ?2, ?3, ?4, 'issued', NULL, ?5, ?6) RETURNING id",
            )?
            .query_row(params![to, sku, qty, serial, by, now], |r| r.get(0))?;
        moves.push(StockMove {
            id,
            sku: sku.to_string(),
            qty,
            serial: serial.map(str::to_string),
            kind: StockMoveKind::Issued,
            job_id: None,
            by: by.to_string(),
            at: now,
        });
    }
    let added = moves.iter().map(|m| m.qty).sum();
    let fills = super::fills::fill_from_van(tx, to, sku, added, by, now)?;
    let balance = tx
        .prepare_cached(
            "SELECT coalesce(SUM(qty), 0) FROM stock_moves WHERE technician = ?1 AND sku = ?2",
        )?
        .query_row(params![to, sku], |r| r.get(0))?;
    Ok(StockIssued {
        moves,
        fills,
        balance,
    })
}

/// A van's balances (every part it holds or owes) and a page of its ledger, newest first,
/// before `before`.
pub fn van(
    tx: &Transaction<'_>,
    username: &str,
    before: Option<i64>,
    limit: u32,
) -> Result<VanStock> {
    if users::role(tx, username)?.is_none() {
        return Err(StorageError::NotFound("technician"));
    }
    let mut balances: BTreeMap<String, StockBalance> = BTreeMap::new();
    let mut stmt = tx.prepare_cached(
        "SELECT m.sku, COALESCE(p.name, m.sku), SUM(m.qty) FROM stock_moves m \
         LEFT JOIN parts p ON p.sku = m.sku WHERE m.technician = ?1 \
         GROUP BY m.sku HAVING SUM(m.qty) != 0",
    )?;
    let rows = stmt.query_map([username], |r| {
        Ok(StockBalance {
            sku: r.get(0)?,
            name: r.get(1)?,
            qty: r.get(2)?,
            serials: Vec::new(),
        })
    })?;
    for row in rows {
        let balance = row?;
        balances.insert(balance.sku.clone(), balance);
    }
    let mut stmt = tx.prepare_cached(
        "SELECT sku, serial FROM stock_moves WHERE technician = ?1 AND serial IS NOT NULL \
         GROUP BY sku, serial HAVING SUM(qty) > 0 ORDER BY sku, serial",
    )?;
    let rows = stmt.query_map([username], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
    for row in rows {
        let (sku, serial) = row?;
        if let Some(balance) = balances.get_mut(&sku) {
            balance.serials.push(serial);
        }
    }
    let mut stmt = tx.prepare_cached(
        "SELECT id, sku, qty, serial, kind, job_id, by, at FROM stock_moves \
         WHERE technician = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(
        params![username, before.unwrap_or(i64::MAX), i64::from(limit) + 1],
        |r| {
            Ok(StockMove {
                id: r.get(0)?,
                sku: r.get(1)?,
                qty: r.get(2)?,
                serial: r.get(3)?,
                kind: rows::parsed(r, 4)?,
                job_id: r.get::<_, Option<uuid::Uuid>>(5)?.map(JobId),
                by: r.get(6)?,
                at: r.get(7)?,
            })
        },
    )?;
    let mut moves = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let next = if moves.len() > limit as usize {
        moves.truncate(limit as usize);
        moves.last().map(|m| m.id)
    } else {
        None
    };
    Ok(VanStock {
        technician: username.to_string(),
        balances: balances.into_values().collect(),
        moves,
        next,
    })
}
