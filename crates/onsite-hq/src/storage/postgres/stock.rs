//! Van stock (the embedded engine's `stock.rs`, on PostgreSQL): each technician's ledger of
//! parts moved into and out of their van. A ledger line's id is a position (`feed.rs`), as a
//! device keeps the last one it received to know when its van changed.

use super::rows::{get, parsed};
use crate::storage::{Result, StockIssue, StorageError};
use chrono::{DateTime, Utc};
use onsite_protocol::stock::{
    MAX_ISSUE_QTY, MAX_ISSUE_SERIALS, StockBalance, StockIssued, StockMove, StockMoveKind,
    StockReturned, VanStock, validate_serial,
};
use onsite_protocol::{JobId, Role};
use std::collections::BTreeMap;
use tokio_postgres::Transaction;

async fn technician(tx: &Transaction<'_>, username: &str) -> Result<()> {
    match super::users::role(tx, username).await? {
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
async fn van_holding(tx: &Transaction<'_>, sku: &str, serial: &str) -> Result<Option<String>> {
    tx.query_opt(
        "SELECT technician FROM stock_moves WHERE sku = $1 AND serial = $2 \
         GROUP BY technician HAVING SUM(qty) > 0 LIMIT 1",
        &[&sku, &serial],
    )
    .await?
    .map(|r| get(&r, 0))
    .transpose()
}

/// The ledger lines a count or a list of serials of `sku` makes, one line a serial, checked
/// against the catalog: a count for a part without serials, 1 to [`MAX_ISSUE_QTY`]; 1 to
/// [`MAX_ISSUE_SERIALS`] distinct, well-formed serials for a serialized one.
async fn lines<'a>(
    tx: &Transaction<'_>,
    sku: &str,
    units: &'a StockIssue,
) -> Result<Vec<(i64, Option<&'a str>)>> {
    let serialized: bool = tx
        .query_opt("SELECT serialized FROM parts WHERE sku = $1", &[&sku])
        .await?
        .map(|r| get(&r, 0))
        .transpose()?
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
/// the van (1) or out of it (-1). The lines' ids are consecutive positions, taken together.
#[allow(clippy::too_many_arguments)]
async fn record(
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
    if lines.is_empty() {
        return Ok(moves);
    }
    let n = i64::try_from(lines.len())
        .map_err(|_| StorageError::Invalid("too many ledger lines".into()))?;
    let mut id = super::feed::take_positions(tx, n).await? - n + 1;
    for &(units, serial) in lines {
        let qty = sign * units;
        tx.execute(
            "INSERT INTO stock_moves (id, technician, sku, qty, serial, kind, job_id, by, at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)",
            &[&id, &van, &sku, &qty, &serial, &kind.as_str(), &by, &now],
        )
        .await?;
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
        id += 1;
    }
    Ok(moves)
}

async fn balance(tx: &Transaction<'_>, van: &str, sku: &str) -> Result<i64> {
    let row = tx
        .query_one(
            "SELECT coalesce(SUM(qty), 0)::bigint FROM stock_moves \
             WHERE technician = $1 AND sku = $2",
            &[&van, &sku],
        )
        .await?;
    get(&row, 0)
}

/// Puts parts into a technician's van: a count of an unserialized part, or the serials of a
/// serialized one (a line each); the technician's open requests for the part that they cover
/// are filled.
pub async fn issue(
    tx: &Transaction<'_>,
    to: &str,
    sku: &str,
    issued: &StockIssue,
    by: &str,
    now: DateTime<Utc>,
) -> Result<StockIssued> {
    technician(tx, to).await?;
    let lines = lines(tx, sku, issued).await?;
    for serial in lines.iter().filter_map(|(_, s)| *s) {
        if let Some(van) = van_holding(tx, sku, serial).await? {
            return Err(StorageError::Conflict(format!(
                "{sku} serial {serial:?} is already in {van}'s van"
            )));
        }
    }
    let moves = record(tx, to, sku, &lines, 1, StockMoveKind::Issued, by, now).await?;
    let added = moves.iter().map(|m| m.qty).sum();
    let fills = super::fills::fill_from_van(tx, to, sku, added, by, now).await?;
    Ok(StockIssued {
        moves,
        fills,
        balance: balance(tx, to, sku).await?,
    })
}

/// Takes parts back out of a technician's van to HQ. Only what the van holds can go back: a
/// count up to its balance, serials it holds; anything else is a `Conflict` that names what
/// the van does hold, because HQ counting more back than the van had is a miscount to settle
/// before it is recorded.
pub async fn give_back(
    tx: &Transaction<'_>,
    from: &str,
    sku: &str,
    returned: &StockIssue,
    by: &str,
    now: DateTime<Utc>,
) -> Result<StockReturned> {
    technician(tx, from).await?;
    let lines = lines(tx, sku, returned).await?;
    let held = balance(tx, from, sku).await?;
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
        let holder = van_holding(tx, sku, serial).await?;
        if holder.as_deref() != Some(from) {
            let place = holder.map_or_else(|| "no van".to_string(), |v| format!("{v}'s van"));
            return Err(StorageError::Conflict(format!(
                "{sku} serial {serial:?} is in {place}, not {from}'s"
            )));
        }
    }
    let moves = record(tx, from, sku, &lines, -1, StockMoveKind::Returned, by, now).await?;
    Ok(StockReturned {
        moves,
        balance: balance(tx, from, sku).await?,
    })
}

/// A van's balances (every part it holds or owes) and a page of its ledger, newest first,
/// before `before`.
pub async fn van(
    tx: &Transaction<'_>,
    username: &str,
    before: Option<i64>,
    limit: u32,
) -> Result<VanStock> {
    if super::users::role(tx, username).await?.is_none() {
        return Err(StorageError::NotFound("technician"));
    }
    let mut balances: BTreeMap<String, StockBalance> = BTreeMap::new();
    // A part's name comes from the catalog row joined on its SKU (one at most), so grouping
    // by it too changes no group.
    let rows = tx
        .query(
            "SELECT m.sku, COALESCE(p.name, m.sku), SUM(m.qty)::bigint FROM stock_moves m \
             LEFT JOIN parts p ON p.sku = m.sku WHERE m.technician = $1 \
             GROUP BY m.sku, p.name HAVING SUM(m.qty) != 0",
            &[&username],
        )
        .await?;
    for r in &rows {
        let balance = StockBalance {
            sku: get(r, 0)?,
            name: get(r, 1)?,
            qty: get(r, 2)?,
            serials: Vec::new(),
        };
        balances.insert(balance.sku.clone(), balance);
    }
    let rows = tx
        .query(
            "SELECT sku, serial FROM stock_moves WHERE technician = $1 AND serial IS NOT NULL \
             GROUP BY sku, serial HAVING SUM(qty) > 0 ORDER BY sku, serial",
            &[&username],
        )
        .await?;
    for r in &rows {
        let sku: &str = get(r, 0)?;
        if let Some(balance) = balances.get_mut(sku) {
            balance.serials.push(get(r, 1)?);
        }
    }
    let mut moves = tx
        .query(
            "SELECT id, sku, qty, serial, kind, job_id, by, at FROM stock_moves \
             WHERE technician = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            &[
                &username,
                &before.unwrap_or(i64::MAX),
                &(i64::from(limit) + 1),
            ],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(StockMove {
                id: get(r, 0)?,
                sku: get(r, 1)?,
                qty: get(r, 2)?,
                serial: get(r, 3)?,
                kind: parsed(r, 4)?,
                job_id: get::<Option<uuid::Uuid>>(r, 5)?.map(JobId),
                by: get(r, 6)?,
                at: get(r, 7)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
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
