//! Reading values from rows: every read is checked (`try_get`), so a column of an unexpected
//! type is an error for this call, never a panic.

use crate::storage::{Result, StorageError};
use std::str::FromStr;
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

/// Column `idx` of `row`.
pub fn get<'a, T: FromSql<'a>>(row: &'a Row, idx: usize) -> Result<T> {
    Ok(row.try_get(idx)?)
}

/// Column `idx`, text parsed into `T` (a role, a status, a kind).
pub fn parsed<T: FromStr>(row: &Row, idx: usize) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    let text: &str = row.try_get(idx)?;
    text.parse()
        .map_err(|e| StorageError::Backend(format!("column {idx} holds {text:?}: {e}")))
}

/// A 32-byte hash stored as `bytea`.
pub fn hash(row: &Row, idx: usize) -> Result<[u8; 32]> {
    let bytes: &[u8] = row.try_get(idx)?;
    <[u8; 32]>::try_from(bytes)
        .map_err(|_| StorageError::Backend(format!("column {idx} is not a 32-byte hash")))
}

/// A count that fits a `u32`, stored as `bigint`.
pub fn small(row: &Row, idx: usize) -> Result<u32> {
    let n: i64 = row.try_get(idx)?;
    u32::try_from(n).map_err(|_| StorageError::Backend(format!("column {idx} holds {n}")))
}

/// How many rows a statement changed, as the storage trait counts them.
pub fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
