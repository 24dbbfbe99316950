//! Van stock: each technician's ledger of parts moved into and out of their van.

use super::*;
use onsite_protocol::Role;
use onsite_protocol::stock::{
    MAX_ISSUE_QTY, MAX_ISSUE_SERIALS, StockBalance, StockIssued, StockMove, StockMoveKind,
    StockReturned, VanStock, validate_serial,
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

/// The ledger lines a count or a list of serials of `sku` makes, one line a serial, checked
/// against the catalog: a count for a part without serials, 1 to [`MAX_ISSUE_QTY`]; 1 to
/// [`MAX_ISSUE_SERIALS`] distinct, well-formed serials for a serialized one.
fn lines<'a>(
    tx: &Transaction<'_>,
    sku: &str,
    units: &'a StockIssue,
) -> Result<Vec<(i64, Option<&'a str>)>> {
    let serialized: bool = tx
        .prepare_cached("SELECT serialized FROM parts WHERE sku = ?1")?
        .query_row([sku], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StorageError::Invalid(format!("no part {sku:?} in the catalog")))?;
    match units {
        StockIssue::Qty(_) if serialized => Err(StorageError::Invalid(format!(
            "{sku} is serialized: give each unit's serial"
        ))),
        StockIssue::Serials(_) if !serialized => Err(StorageError::Invalid(format!(
            "{sku} has no serials: give a quantity"
        ))),
        StockIssue::Qty(qty) => {
            if !(1..=MAX_ISSUE_QTY).contains(qty) {
                return Err(StorageError::Invalid(format!(
                    "the quantity must be 1 to {MAX_ISSUE_QTY}"
                )));
            }
            Ok(vec![(*qty, None)])
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
            }
            Ok(serials.iter().map(|s| (1, Some(s.as_str()))).collect())
        }
    }
}

/// Writes ledger lines of `kind` for technician `van`, `sign` turning each line's units into
/// the van (1) or out of it (-1).
#[allow(clippy::too_many_arguments)]
fn record(
    tx: &Transaction<'_>,
    van: &str,
    sku: &str,
    lines: &[(i64, Option<&str>)],
    sign: i64,
    kind: StockMoveKind,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Vec<StockMove>> {
    let mut moves = Vec::with_capacity(lines.len());
    for &(units, serial) in lines {
        let qty = sign * units;
        let id: i64 = tx
            .prepare_cached(
                "INSERT INTO stock_moves (technician, sku, qty, serial, kind, job_id, by, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7) RETURNING id",
            )?
            .query_row(
                params![van, sku, qty, serial, kind.as_str(), by, now],
                |r| r.get(0),
            )?;
        moves.push(StockMove {
            id,
            sku: sku.to_string(),
            qty,
            serial: serial.map(str::to_string),
            kind,
            job_id: None,
            by: by.to_string(),
            at: now,
        });
    }
    Ok(moves)
}

fn balance(tx: &Transaction<'_>, van: &str, sku: &str) -> Result<i64> {
    Ok(tx
        .prepare_cached(
            "SELECT coalesce(SUM(qty), 0) FROM stock_moves WHERE technician = ?1 AND sku = ?2",
        )?
        .query_row(params![van, sku], |r| r.get(0))?)
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
    let lines = lines(tx, sku, issued)?;
    for serial in lines.iter().filter_map(|(_, s)| *s) {
        if let Some(van) = van_holding(tx, sku, serial)? {
            return Err(StorageError::Conflict(format!(
                "{sku} serial {serial:?} is already in {van}'s van"
            )));
        }
    }
    let moves = record(tx, to, sku, &lines, 1, StockMoveKind::Issued, by, now)?;
    let added = moves.iter().map(|m| m.qty).sum();
    let fills = super::fills::fill_from_van(tx, to, sku, added, by, now)?;
    Ok(StockIssued {
        moves,
        fills,
        balance: balance(tx, to, sku)?,
    })
}

/// Takes parts back out of a technician's van to HQ. Only what the van holds can go back: a
/// count up to its balance, serials it holds; anything else is a `Conflict` that names what
/// the van does hold, because HQ counting more back than the van had is a miscount to settle
/// before it is recorded.
pub fn give_back(
    tx: &Transaction<'_>,
    from: &str,
    sku: &str,
    returned: &StockIssue,
    by: &str,
    now: DateTime<Utc>,
) -> Result<StockReturned> {
    technician(tx, from)?;
    let lines = lines(tx, sku, returned)?;
    let held = balance(tx, from, sku)?;
    match returned {
        StockIssue::Qty(qty) if *qty > held => {
            return Err(StorageError::Conflict(format!(
                "{from}'s van holds {} of {sku}: it cannot give back {qty}",
                held.max(0)
            )));
        }
        _ => {}
    }
    for serial in lines.iter().filter_map(|(_, s)| *s) {
        let holder = van_holding(tx, sku, serial)?;
        if holder.as_deref() != Some(from) {
            let place = holder.map_or_else(|| "no van".to_string(), |v| format!("{v}'s van"));
            return Err(StorageError::Conflict(format!(
                "{sku} serial {serial:?} is in {place}, not {from}'s"
            )));
        }
    }
    let moves = record(tx, from, sku, &lines, -1, StockMoveKind::Returned, by, now)?;
    Ok(StockReturned {
        moves,
        balance: balance(tx, from, sku)?,
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
