//! What of the reference data a technician's device needs (the embedded engine's
//! `reference_pull.rs`, on PostgreSQL): the whole parts catalog; of the checklist templates,
//! warranty policies and guides, those that apply to the jobs the technician holds; and their
//! van's balances. Sent whole the first time and whenever the kinds and models of the jobs
//! held change (the scope), else as what changed since.

use super::rows::{get, parsed};
use super::{reference, stock};
use crate::storage::{ReferencePosition, Result, StorageError};
use onsite_protocol::JobKind;
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::reference::ReferenceUpdate;
use onsite_protocol::warranty::WarrantyPolicy;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use tokio_postgres::Transaction;

/// The (kind, model) pairs of the jobs `technician` holds, in order.
async fn scope(
    tx: &Transaction<'_>,
    technician: &str,
) -> Result<BTreeSet<(JobKind, Option<String>)>> {
    tx.query(
        "SELECT DISTINCT j.kind, a.model FROM jobs j LEFT JOIN assets a ON a.id = j.asset_id \
         WHERE j.technician = $1",
        &[&technician],
    )
    .await?
    .iter()
    .map(|r| Ok::<_, StorageError>((parsed(r, 0)?, get(r, 1)?)))
    .collect()
}

/// A digest naming the scope, so a cursor can say which scope its reference was chosen for.
fn digest(scope: &BTreeSet<(JobKind, Option<String>)>) -> String {
    let mut hash = Sha256::new();
    for (kind, model) in scope {
        hash.update(kind.as_str());
        hash.update([0]);
        hash.update(model.as_deref().unwrap_or(""));
        hash.update([0xff]);
    }
    hex::encode(&hash.finalize()[..8])
}

/// The reference position now (the one `position` counter, which every reference record's
/// `ref_seq` is taken from) and the last line of `technician`'s van ledger.
async fn position(tx: &Transaction<'_>, technician: &str) -> Result<(i64, i64)> {
    let seq = super::feed::position(tx).await?;
    let row = tx
        .query_one(
            "SELECT COALESCE(MAX(id), 0) FROM stock_moves WHERE technician = $1",
            &[&technician],
        )
        .await?;
    let stock: i64 = get(&row, 0)?;
    Ok((seq, stock))
}

/// See [`Storage::reference_update`](crate::storage::Storage::reference_update).
pub async fn update(
    tx: &Transaction<'_>,
    technician: &str,
    since: Option<&ReferencePosition>,
) -> Result<(Option<ReferenceUpdate>, ReferencePosition)> {
    let held = scope(tx, technician).await?;
    let scope_digest = digest(&held);
    let (seq, stock_at) = position(tx, technician).await?;
    let reached = ReferencePosition {
        seq,
        scope: scope_digest.clone(),
        stock: stock_at,
    };
    let full = since.is_none_or(|s| s.scope != scope_digest || s.seq > seq);
    let after = if full { 0 } else { since.map_or(0, |s| s.seq) };
    let models: BTreeSet<&str> = held.iter().filter_map(|(_, m)| m.as_deref()).collect();
    let applies = |t: &ChecklistTemplate| held.iter().any(|(k, m)| t.applies_to(*k, m.as_deref()));
    let mut update = ReferenceUpdate {
        full,
        parts: reference::parts_changed(tx, after).await?,
        checklists: reference::versions_changed::<ChecklistTemplate>(
            tx,
            "checklist_templates",
            after,
        )
        .await?
        .into_iter()
        .filter(|t| applies(t))
        .collect(),
        policies: reference::versions_changed::<WarrantyPolicy>(tx, "warranty_policies", after)
            .await?
            .into_iter()
            .filter(|p| models.contains(p.model.as_str()))
            .collect(),
        guides: reference::guides_changed(tx, after)
            .await?
            .into_iter()
            .filter(|g| g.models.is_empty() || g.models.iter().any(|m| models.contains(m.as_str())))
            .collect(),
        stock: None,
        letterhead: reference::letterhead_changed(tx, after).await?,
        labour: reference::labour_changed(tx, after).await?,
    };
    if full || since.is_some_and(|s| s.stock != stock_at) {
        update.stock = Some(stock::van(tx, technician, None, 1).await?.balances);
    }
    Ok((Some(update).filter(|u| !u.is_empty()), reached))
}
