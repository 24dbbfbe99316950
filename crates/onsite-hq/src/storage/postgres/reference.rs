//! Reference data HQ owns (the embedded engine's `reference.rs`, on PostgreSQL): the parts
//! catalog, checklist templates, warranty policies and technical guides. Every change takes a
//! position of its own from the `position` counter (`feed.rs`) as its `ref_seq`, by which
//! devices will receive what changed since they last pulled.

use super::rows::{get, small};
use crate::reference::guides::GuideFile;
use crate::storage::{ImportReport, Result, StorageError, page_is_full};
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::guide::Guide;
use onsite_protocol::part::Part;
use onsite_protocol::reference::{
    ChecklistList, GuideList, PartList, WarrantyPolicyList, parse_versioned_cursor,
    versioned_cursor,
};
use onsite_protocol::warranty::WarrantyPolicy;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Row, Transaction};

/// The next reference feed position: a position of the one counter (the embedded engine
/// kept a counter of its own for reference records).
async fn next_seq(tx: &Transaction<'_>) -> Result<i64> {
    super::feed::take_positions(tx, 1).await
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Backend(e.to_string()))
}

fn parsed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StorageError::Backend(e.to_string()))
}

fn entry_error(place: impl Into<String>, reason: impl Into<String>) -> StorageError {
    StorageError::ImportEntry {
        place: place.into(),
        reason: reason.into(),
    }
}

/// Adds new parts and updates the others by SKU; parts not in the file are left as they are.
pub async fn import_parts(tx: &Transaction<'_>, parts: &[(usize, Part)]) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    for (line, part) in parts {
        part.validate()
            .map_err(|e| entry_error(format!("line {line}"), e))?;
        let models = json(&part.models)?;
        let old: Option<(String, i64, bool, String)> = tx
            .query_opt(
                "SELECT name, unit_price_cents, serialized, models FROM parts WHERE sku = $1",
                &[&part.sku],
            )
            .await?
            .map(|r| Ok::<_, StorageError>((get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?)))
            .transpose()?;
        let same = (&part.name, part.unit_price_cents, part.serialized, &models);
        match old {
            Some((name, price, serialized, m)) if (&name, price, serialized, &m) == same => {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
            None => report.created += 1,
        }
        let seq = next_seq(tx).await?;
        tx.execute(
            "INSERT INTO parts (sku, name, unit_price_cents, serialized, models, ref_seq) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sku) DO UPDATE SET \
             name = excluded.name, unit_price_cents = excluded.unit_price_cents, \
             serialized = excluded.serialized, models = excluded.models, ref_seq = excluded.ref_seq",
            &[
                &part.sku,
                &part.name,
                &part.unit_price_cents,
                &part.serialized,
                &models,
                &seq,
            ],
        )
        .await?;
    }
    Ok(report)
}

const PART_COLUMNS: &str = "sku, name, unit_price_cents, serialized, models";

fn part_from(r: &Row) -> Result<Part> {
    Ok(Part {
        sku: get(r, 0)?,
        name: get(r, 1)?,
        unit_price_cents: get(r, 2)?,
        serialized: get(r, 3)?,
        models: parsed(get::<&str>(r, 4)?)?,
    })
}

/// A page of the catalog, by SKU, after `after`.
pub async fn parts(tx: &Transaction<'_>, after: Option<&str>, limit: u32) -> Result<PartList> {
    let sql = format!("SELECT {PART_COLUMNS} FROM parts WHERE sku > $1 ORDER BY sku LIMIT $2");
    let mut parts = tx
        .query(&sql, &[&after.unwrap_or(""), &(i64::from(limit) + 1)])
        .await?
        .iter()
        .map(part_from)
        .collect::<Result<Vec<_>>>()?;
    let next = cut(&mut parts, limit, |p| p.sku.clone());
    Ok(PartList { parts, next })
}

/// Every part changed after reference feed position `after` (all of them after 0), by SKU.
pub async fn parts_changed(tx: &Transaction<'_>, after: i64) -> Result<Vec<Part>> {
    let sql = format!("SELECT {PART_COLUMNS} FROM parts WHERE ref_seq > $1 ORDER BY sku");
    tx.query(&sql, &[&after])
        .await?
        .iter()
        .map(part_from)
        .collect()
}

/// Every version in `table` (`checklist_templates` or `warranty_policies`) stored after
/// reference feed position `after`.
pub async fn versions_changed<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    table: &str,
    after: i64,
) -> Result<Vec<T>> {
    bodies(
        tx,
        &format!("SELECT body FROM {table} WHERE ref_seq > $1 ORDER BY ref_seq"),
        &[&after],
    )
    .await
}

/// Drops the one entry read past a page of `limit`, and says where the next page starts.
fn cut<T>(items: &mut Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> Option<String> {
    if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(key)
    } else {
        None
    }
}

/// Stores versions not held yet. A version is immutable: the same version again with the
/// same content is unchanged, with other content refused (a change needs a new version).
async fn import_versioned(
    tx: &Transaction<'_>,
    table: &str,
    name_column: &str,
    entries: &[(usize, String, u32, String)],
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    for (number, name, version, body) in entries {
        let held: Option<String> = tx
            .query_opt(
                &format!("SELECT body FROM {table} WHERE {name_column} = $1 AND version = $2"),
                &[name, &i64::from(*version)],
            )
            .await?
            .map(|r| get(&r, 0))
            .transpose()?;
        match held {
            Some(held)
                if parsed::<serde_json::Value>(&held)? == parsed::<serde_json::Value>(body)? =>
            {
                report.unchanged += 1;
            }
            Some(_) => {
                return Err(entry_error(
                    format!("entry {number} ({name:?} version {version})"),
                    format!(
                        "version {version} is already imported with other content; a change \
                         needs a new version"
                    ),
                ));
            }
            None => {
                let seq = next_seq(tx).await?;
                tx.execute(
                    &format!(
                        "INSERT INTO {table} ({name_column}, version, body, ref_seq) \
                         VALUES ($1, $2, $3, $4)"
                    ),
                    &[name, &i64::from(*version), body, &seq],
                )
                .await?;
                report.created += 1;
            }
        }
    }
    Ok(report)
}

/// Adds checklist template versions (see [`import_versioned`]).
pub async fn import_checklists(
    tx: &Transaction<'_>,
    templates: &[(usize, ChecklistTemplate)],
) -> Result<ImportReport> {
    let mut entries = Vec::with_capacity(templates.len());
    for (number, t) in templates {
        t.validate()
            .map_err(|e| entry_error(format!("entry {number}"), e))?;
        entries.push((*number, t.key.clone(), t.version, json(t)?));
    }
    import_versioned(tx, "checklist_templates", "key", &entries).await
}

/// Adds warranty policy versions (see [`import_versioned`]).
pub async fn import_warranty(
    tx: &Transaction<'_>,
    policies: &[(usize, WarrantyPolicy)],
) -> Result<ImportReport> {
    let entries: Vec<_> = policies
        .iter()
        .map(|(number, p)| Ok((*number, p.model.clone(), p.version, json(p)?)))
        .collect::<Result<_>>()?;
    import_versioned(tx, "warranty_policies", "model", &entries).await
}

/// A page of checklist template versions, by key and version, after `after`
/// (`key@version`).
pub async fn checklists(
    tx: &Transaction<'_>,
    after: Option<&str>,
    limit: u32,
) -> Result<ChecklistList> {
    let (key, version) = versioned_after(after)?;
    let mut templates: Vec<ChecklistTemplate> = bodies(
        tx,
        "SELECT body FROM checklist_templates WHERE (key, version) > ($1::text, $2::bigint) \
         ORDER BY key, version LIMIT $3",
        &[&key, &version, &(i64::from(limit) + 1)],
    )
    .await?;
    let next = cut(&mut templates, limit, |t| {
        versioned_cursor(&t.key, t.version)
    });
    Ok(ChecklistList { templates, next })
}

/// A page of warranty policy versions, by model and version, after `after`
/// (`model@version`).
pub async fn warranty_policies(
    tx: &Transaction<'_>,
    after: Option<&str>,
    limit: u32,
) -> Result<WarrantyPolicyList> {
    let (model, version) = versioned_after(after)?;
    let mut policies: Vec<WarrantyPolicy> = bodies(
        tx,
        "SELECT body FROM warranty_policies WHERE (model, version) > ($1::text, $2::bigint) \
         ORDER BY model, version LIMIT $3",
        &[&model, &version, &(i64::from(limit) + 1)],
    )
    .await?;
    let next = cut(&mut policies, limit, |p| {
        versioned_cursor(&p.model, p.version)
    });
    Ok(WarrantyPolicyList { policies, next })
}

/// Where a versioned list continues: before everything when there is no cursor.
fn versioned_after(after: Option<&str>) -> Result<(String, i64)> {
    match after {
        None => Ok((String::new(), -1)),
        Some(cursor) => parse_versioned_cursor(cursor)
            .map(|(name, version)| (name.to_string(), i64::from(version)))
            .ok_or_else(|| StorageError::Invalid(format!("after {cursor:?} is not name@version"))),
    }
}

/// The JSON bodies (column 0) of the rows `sql` selects.
async fn bodies<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<T>> {
    tx.query(sql, params)
        .await?
        .iter()
        .map(|r| parsed(get::<&str>(r, 0)?))
        .collect()
}

/// Adds new guides and updates changed ones by id (their version goes up by one).
pub async fn import_guides(tx: &Transaction<'_>, guides: &[GuideFile]) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    for g in guides {
        let models = json(&g.models)?;
        let held: Option<(u32, String, String, String)> = tx
            .query_opt(
                "SELECT version, title, models, body FROM guides WHERE id = $1",
                &[&g.id],
            )
            .await?
            .map(|r| Ok::<_, StorageError>((small(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?)))
            .transpose()?;
        let version = match held {
            Some((_, title, m, body)) if title == g.title && m == models && body == g.body => {
                report.unchanged += 1;
                continue;
            }
            Some((version, ..)) => {
                report.updated += 1;
                version + 1
            }
            None => {
                report.created += 1;
                1
            }
        };
        let seq = next_seq(tx).await?;
        tx.execute(
            "INSERT INTO guides (id, version, title, models, body, ref_seq) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET \
             version = excluded.version, title = excluded.title, models = excluded.models, \
             body = excluded.body, ref_seq = excluded.ref_seq",
            &[&g.id, &i64::from(version), &g.title, &models, &g.body, &seq],
        )
        .await?;
    }
    Ok(report)
}

const GUIDE_COLUMNS: &str = "id, version, title, models, body";

fn guide_from(r: &Row) -> Result<Guide> {
    Ok(Guide {
        id: get(r, 0)?,
        version: small(r, 1)?,
        title: get(r, 2)?,
        models: parsed(get::<&str>(r, 3)?)?,
        body: get(r, 4)?,
    })
}

/// A page of guides, by id, after `after`: at most `limit`, and no more than
/// [`MAX_PAGE_BYTES`](crate::storage::MAX_PAGE_BYTES) of text unless the page would otherwise
/// be empty.
pub async fn guides(tx: &Transaction<'_>, after: Option<&str>, limit: u32) -> Result<GuideList> {
    let sql = format!("SELECT {GUIDE_COLUMNS} FROM guides WHERE id > $1 ORDER BY id LIMIT $2");
    let rows = tx
        .query(&sql, &[&after.unwrap_or(""), &(i64::from(limit) + 1)])
        .await?;
    let (mut guides, mut bytes, mut full) = (Vec::<Guide>::new(), 0, false);
    for r in &rows {
        let guide = guide_from(r)?;
        if page_is_full(guides.len(), bytes, guide.body.len(), limit) {
            full = true;
            break;
        }
        bytes += guide.body.len();
        guides.push(guide);
    }
    let next = if full {
        guides.last().map(|g| g.id.clone())
    } else {
        None
    };
    Ok(GuideList { guides, next })
}

/// Every guide changed after reference feed position `after`, by id.
pub async fn guides_changed(tx: &Transaction<'_>, after: i64) -> Result<Vec<Guide>> {
    let sql = format!("SELECT {GUIDE_COLUMNS} FROM guides WHERE ref_seq > $1 ORDER BY id");
    tx.query(&sql, &[&after])
        .await?
        .iter()
        .map(guide_from)
        .collect()
}

/// A reference record HQ holds one of, in a table of one row (`id = 1`) with its body and
/// reference position.
#[derive(Clone, Copy)]
enum Single {
    Letterhead,
    Labour,
}

impl Single {
    fn table(self) -> &'static str {
        match self {
            Self::Letterhead => "letterhead",
            Self::Labour => "labour_prices",
        }
    }

    /// Sets the record to `body`; whether it changed (setting the same one again changes
    /// nothing, and no laptop is sent it again).
    async fn set(self, tx: &Transaction<'_>, body: &str) -> Result<bool> {
        let table = self.table();
        let held: Option<String> = tx
            .query_opt(&format!("SELECT body FROM {table} WHERE id = 1"), &[])
            .await?
            .map(|r| get(&r, 0))
            .transpose()?;
        if held.as_deref() == Some(body) {
            return Ok(false);
        }
        let seq = next_seq(tx).await?;
        tx.execute(
            &format!(
                "INSERT INTO {table} (id, body, ref_seq) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body, ref_seq = excluded.ref_seq"
            ),
            &[&body, &seq],
        )
        .await?;
        Ok(true)
    }

    /// The record, if set and changed after reference position `after`.
    async fn changed<T: serde::de::DeserializeOwned>(
        self,
        tx: &Transaction<'_>,
        after: i64,
    ) -> Result<Option<T>> {
        tx.query_opt(
            &format!(
                "SELECT body FROM {} WHERE id = 1 AND ref_seq > $1",
                self.table()
            ),
            &[&after],
        )
        .await?
        .map(|r| parsed(get::<&str>(&r, 0)?))
        .transpose()
    }
}

/// Sets the letterhead; whether it changed.
pub async fn set_letterhead(
    tx: &Transaction<'_>,
    letterhead: &onsite_protocol::letterhead::Letterhead,
) -> Result<bool> {
    letterhead.validate().map_err(StorageError::Invalid)?;
    Single::Letterhead.set(tx, &json(letterhead)?).await
}

/// The letterhead, if set and changed after reference position `after`.
pub async fn letterhead_changed(
    tx: &Transaction<'_>,
    after: i64,
) -> Result<Option<onsite_protocol::letterhead::Letterhead>> {
    Single::Letterhead.changed(tx, after).await
}

/// Sets the labour price list; whether it changed.
pub async fn set_labour(
    tx: &Transaction<'_>,
    prices: &onsite_protocol::labour::LabourPrices,
) -> Result<bool> {
    prices.validate().map_err(StorageError::Invalid)?;
    Single::Labour.set(tx, &json(prices)?).await
}

/// The labour price list, if set and changed after reference position `after`.
pub async fn labour_changed(
    tx: &Transaction<'_>,
    after: i64,
) -> Result<Option<onsite_protocol::labour::LabourPrices>> {
    Single::Labour.changed(tx, after).await
}
