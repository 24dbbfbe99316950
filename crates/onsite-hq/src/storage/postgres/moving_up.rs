//! Moving an embedded HQ up to PostgreSQL: every record of the SQLite file copied into an
//! empty PostgreSQL database, ids, hashes and positions as they were, so devices carry on
//! syncing from where they were, with no reset and nothing downloaded again.
//!
//! The copy is generic: for each table the PostgreSQL schema's columns say what to read from
//! the SQLite row and as what type (the two schemas have the same tables and columns; see
//! `schema.rs`). What differs is copied by hand: the installation id, token key and clock in
//! `meta`, and the counters. SQLite numbers feed stamps, ops, stock lines, events and
//! reference records from separate counters; here they share one, which starts above the
//! highest of them all, so every new position is above every cursor a device holds.

use super::{PostgresStorage, feed};
use crate::storage::{Result, StorageError};
use rusqlite::OptionalExtension;
use std::path::Path;
use tokio_postgres::types::ToSql;

/// Every table, parents before children (foreign keys), with `meta` and `counters` left out.
const TABLES: &[&str] = &[
    "users",
    "sessions",
    "retired_refresh",
    "customers",
    "sites",
    "assets",
    "jobs",
    "job_feed",
    "job_events",
    "ops",
    "field_clocks",
    "field_history",
    "device_clocks",
    "parts",
    "checklist_templates",
    "warranty_policies",
    "guides",
    "letterhead",
    "labour_prices",
    "stock_moves",
    "parts_fills",
    "cases",
    "case_notes",
    "follow_ups",
    "follow_up_calls",
    "settings",
    "letters",
    "console_sessions",
];

/// What was copied: rows by table, in [`TABLES`] order.
#[derive(Debug, Default)]
pub struct Moved {
    /// `(table, rows)`.
    pub tables: Vec<(&'static str, u64)>,
    /// The shared position counter's new value.
    pub position: i64,
}

/// One column of a PostgreSQL table: its name and type.
struct Column {
    name: String,
    kind: String,
}

/// A value read from SQLite as the PostgreSQL column's type wants it.
type Value = Box<dyn ToSql + Sync + Send>;

fn value(row: &rusqlite::Row<'_>, i: usize, kind: &str) -> rusqlite::Result<Value> {
    Ok(match kind {
        "uuid" => Box::new(row.get::<_, Option<uuid::Uuid>>(i)?),
        "timestamp with time zone" => {
            Box::new(row.get::<_, Option<chrono::DateTime<chrono::Utc>>>(i)?)
        }
        "date" => Box::new(row.get::<_, Option<chrono::NaiveDate>>(i)?),
        "boolean" => Box::new(row.get::<_, Option<bool>>(i)?),
        "bigint" => Box::new(row.get::<_, Option<i64>>(i)?),
        "integer" => Box::new(row.get::<_, Option<i32>>(i)?),
        "double precision" => Box::new(row.get::<_, Option<f64>>(i)?),
        "bytea" => Box::new(row.get::<_, Option<Vec<u8>>>(i)?),
        _ => Box::new(row.get::<_, Option<String>>(i)?),
    })
}

/// Copies the embedded database at `sqlite` (HQ stopped) into `target`, which must hold no
/// records yet.
///
/// # Errors
/// `Conflict` when the target already holds users or jobs; `Open` or `Backend` when either
/// database fails (nothing is written to the target then: the copy is one transaction).
pub async fn copy(sqlite: &Path, target: &PostgresStorage) -> Result<Moved> {
    // Brings the file to this build's schema first, as `serve` would.
    drop(crate::storage::sqlite::SqliteStorage::open(sqlite)?);
    let source =
        rusqlite::Connection::open_with_flags(sqlite, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut connection = target.connection().await?;
    let tx = connection.transaction().await?;
    feed::lock_writes(&tx).await?;
    let held: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM jobs)",
            &[],
        )
        .await?
        .get(0);
    if held > 0 {
        return Err(StorageError::Conflict(
            "the PostgreSQL database already holds users or jobs: move up into an empty one".into(),
        ));
    }
    // One snapshot of the source for the whole copy.
    source.execute_batch("BEGIN")?;
    let mut moved = Moved::default();
    for key in ["instance", "token_key", "hlc"] {
        let value: Option<String> = source
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        if let Some(value) = value {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &value],
            )
            .await?;
        }
    }
    for table in TABLES {
        let rows = copy_table(&source, &tx, table).await?;
        moved.tables.push((table, rows));
    }
    let counter = |name: &str| -> rusqlite::Result<i64> {
        source
            .query_row("SELECT value FROM counters WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map(Option::unwrap_or_default)
    };
    let ref_seq: i64 = source
        .query_row("SELECT value FROM meta WHERE key = 'ref_seq'", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let highest: i64 = source.query_row(
        "SELECT max(coalesce((SELECT max(seq) FROM ops), 0), \
                    coalesce((SELECT max(changed_seq) FROM ops), 0), \
                    coalesce((SELECT max(id) FROM stock_moves), 0), \
                    coalesce((SELECT max(id) FROM job_events), 0), \
                    coalesce((SELECT max(seq) FROM job_feed), 0))",
        [],
        |r| r.get(0),
    )?;
    moved.position = highest.max(counter("feed_seq")?).max(ref_seq);
    tx.execute(
        "UPDATE counters SET value = $1 WHERE name = 'position'",
        &[&moved.position],
    )
    .await?;
    tx.execute(
        "UPDATE counters SET value = $1 WHERE name = 'job_number'",
        &[&counter("job_number")?],
    )
    .await?;
    source.execute_batch("COMMIT")?;
    tx.commit().await?;
    Ok(moved)
}

/// Copies one table's rows, and moves its identity column (if any) past the copied ids.
async fn copy_table(
    source: &rusqlite::Connection,
    tx: &tokio_postgres::Transaction<'_>,
    table: &str,
) -> Result<u64> {
    let columns: Vec<Column> = tx
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            &[&table],
        )
        .await?
        .iter()
        .map(|r| Column {
            name: r.get(0),
            kind: r.get(1),
        })
        .collect();
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let insert = tx
        .prepare(&format!(
            "INSERT INTO {table} ({}) OVERRIDING SYSTEM VALUE VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        ))
        .await?;
    let mut stmt = source.prepare(&format!("SELECT {} FROM {table}", names.join(", ")))?;
    let mut rows = stmt.query([])?;
    let mut copied = 0;
    while let Some(row) = rows.next()? {
        let values = columns
            .iter()
            .enumerate()
            .map(|(i, c)| value(row, i, &c.kind))
            .collect::<rusqlite::Result<Vec<Value>>>()?;
        let params: Vec<&(dyn ToSql + Sync)> = values
            .iter()
            .map(|v| v.as_ref() as &(dyn ToSql + Sync))
            .collect();
        tx.execute(&insert, &params).await?;
        copied += 1;
    }
    let identities = tx
        .query(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'",
            &[&table],
        )
        .await?;
    for identity in identities {
        let column: String = identity.get(0);
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 coalesce(max({column}), 0) + 1, false) FROM {table}"
            ),
            &[],
        )
        .await?;
    }
    Ok(copied)
}
