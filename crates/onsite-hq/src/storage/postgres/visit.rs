//! The visit record at HQ (the embedded engine's `visit.rs`, on PostgreSQL): what the applied
//! ops of a job say was done on site (folded by the protocol's one rule), and the facts HQ
//! looks up to judge a new change to it.

use super::rows;
use crate::rules::merge::{VisitFacts, VoidTarget};
use crate::storage::{Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::checklist::{self, ChecklistTemplate, TemplateRef};
use onsite_protocol::part::Part;
use onsite_protocol::visit::VisitRecord;
use onsite_protocol::warranty::{WarrantyFacts, WarrantyPolicy};
use onsite_protocol::{Change, Job, JobId, JobStatus, Op, OpId};
use tokio_postgres::Transaction;

fn parsed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StorageError::Backend(format!("stored record: {e}")))
}

/// The ops HQ applied to `job`, in clock order.
async fn applied(tx: &Transaction<'_>, job: JobId) -> Result<Vec<Op>> {
    tx.query(
        "SELECT body FROM ops WHERE job_id = $1 AND outcome = 'applied' ORDER BY seq",
        &[&job.0],
    )
    .await?
    .iter()
    .map(|r| parsed(rows::get::<&str>(r, 0)?))
    .collect()
}

/// The visit record of `job` as HQ holds it.
pub async fn record(tx: &Transaction<'_>, job: JobId) -> Result<VisitRecord> {
    Ok(VisitRecord::fold(&applied(tx, job).await?))
}

async fn template(tx: &Transaction<'_>, at: &TemplateRef) -> Result<Option<ChecklistTemplate>> {
    tx.query_opt(
        "SELECT body FROM checklist_templates WHERE key = $1 AND version = $2",
        &[&at.key, &i64::from(at.version)],
    )
    .await?
    .map(|r| parsed(rows::get::<&str>(&r, 0)?))
    .transpose()
}

async fn part(tx: &Transaction<'_>, sku: &str) -> Result<Option<Part>> {
    tx.query_opt(
        "SELECT sku, name, unit_price_cents, serialized, models FROM parts WHERE sku = $1",
        &[&sku],
    )
    .await?
    .map(|r| {
        Ok(Part {
            sku: rows::get(&r, 0)?,
            name: rows::get(&r, 1)?,
            unit_price_cents: rows::get(&r, 2)?,
            serialized: rows::get(&r, 3)?,
            models: parsed(rows::get::<&str>(&r, 4)?)?,
        })
    })
    .transpose()
}

/// The templates a job keeps: those it pinned, or, never started, those that apply now.
pub async fn templates_of(
    tx: &Transaction<'_>,
    job: &Job,
    record: &VisitRecord,
) -> Result<Vec<ChecklistTemplate>> {
    let refs = match &record.pinned {
        Some(pinned) => pinned.clone(),
        None => {
            let model: Option<String> = match job.asset_id {
                Some(a) => tx
                    .query_opt("SELECT model FROM assets WHERE id = $1", &[&a.0])
                    .await?
                    .map(|r| rows::get(&r, 0))
                    .transpose()?,
                None => None,
            };
            let all = tx
                .query("SELECT body FROM checklist_templates", &[])
                .await?
                .iter()
                .map(|r| parsed(rows::get::<&str>(r, 0)?))
                .collect::<Result<Vec<ChecklistTemplate>>>()?;
            checklist::applicable(&all, job.kind, model.as_deref())
        }
    };
    let mut out = Vec::new();
    for r in &refs {
        if let Some(t) = template(tx, r).await? {
            out.push(t);
        }
    }
    Ok(out)
}

/// Free repairs for performance faults on `asset` that stand on its other jobs.
async fn prior_repairs(tx: &Transaction<'_>, asset: uuid::Uuid, job: JobId) -> Result<u32> {
    let others = tx
        .query(
            "SELECT id FROM jobs WHERE asset_id = $1 AND id <> $2",
            &[&asset, &job.0],
        )
        .await?
        .iter()
        .map(|r| rows::get::<uuid::Uuid>(r, 0))
        .collect::<Result<Vec<_>>>()?;
    let mut n = 0;
    for other in others {
        if record(tx, JobId(other)).await?.free_repair() {
            n += 1;
        }
    }
    Ok(n)
}

async fn warranty(tx: &Transaction<'_>, job: &Job, version: u32) -> Result<VisitFacts> {
    let Some(asset) = job.asset_id else {
        return Ok(VisitFacts::Warranty {
            facts: None,
            policy: None,
        });
    };
    let r = tx
        .query_one(
            "SELECT model, purchased_on, installed_on, warranty_until FROM assets WHERE id = $1",
            &[&asset.0],
        )
        .await?;
    let model: String = rows::get(&r, 0)?;
    let purchased_on: Option<NaiveDate> = rows::get(&r, 1)?;
    let installed_on: Option<NaiveDate> = rows::get(&r, 2)?;
    let warranty_until: Option<NaiveDate> = rows::get(&r, 3)?;
    let policy: Option<WarrantyPolicy> = tx
        .query_opt(
            "SELECT body FROM warranty_policies WHERE model = $1 AND version = $2",
            &[&model, &i64::from(version)],
        )
        .await?
        .map(|r| parsed(rows::get::<&str>(&r, 0)?))
        .transpose()?;
    Ok(VisitFacts::Warranty {
        facts: Some(WarrantyFacts {
            purchased_on,
            installed_on,
            warranty_until,
            prior_repairs: prior_repairs(tx, asset.0, job.id).await?,
        }),
        policy,
    })
}

/// What HQ holds that bears on `change` to `job`'s visit record.
pub async fn facts(tx: &Transaction<'_>, job: &Job, change: &Change) -> Result<VisitFacts> {
    Ok(match change {
        Change::ChecklistAnswer { template: t, .. } => VisitFacts::Template(template(tx, t).await?),
        Change::PartUsed { sku, .. } | Change::PartsRequested { sku, .. } => {
            VisitFacts::Part(part(tx, sku).await?)
        }
        Change::WarrantyDecided { policy_version, .. } => {
            warranty(tx, job, *policy_version).await?
        }
        Change::Voided { voids, .. } => VisitFacts::Voids(target(tx, job.id, *voids).await?),
        Change::ChecklistPinned { .. } => {
            VisitFacts::Pinned(record(tx, job.id).await?.pinned.is_some())
        }
        Change::Status {
            to: JobStatus::Completed,
        } => {
            let record = record(tx, job.id).await?;
            let templates = templates_of(tx, job, &record).await?;
            VisitFacts::Completion(checklist::missing_required(&templates, |t, item| {
                record.answer(t, item).is_some()
            }))
        }
        _ => VisitFacts::None,
    })
}

/// The applied part use or decision `voids` names on `job`, and whether it is voided.
async fn target(tx: &Transaction<'_>, job: JobId, voids: OpId) -> Result<Option<VoidTarget>> {
    let body: Option<String> = tx
        .query_opt(
            "SELECT body FROM ops WHERE op_id = $1 AND job_id = $2 AND outcome = 'applied'",
            &[&voids.0, &job.0],
        )
        .await?
        .map(|r| rows::get(&r, 0))
        .transpose()?;
    let Some(body) = body else { return Ok(None) };
    let op: Op = parsed(&body)?;
    if !matches!(
        op.change,
        Change::PartUsed { .. } | Change::WarrantyDecided { .. }
    ) {
        return Ok(None);
    }
    let record = record(tx, job).await?;
    let voided = record.parts.iter().any(|p| p.op_id == voids && p.voided)
        || record
            .decisions
            .iter()
            .any(|d| d.op_id == voids && d.voided);
    Ok(Some(VoidTarget {
        change: op.change,
        voided,
    }))
}

/// Moves parts out of (or back into) `technician`'s van for a use on `job`. The move's id is
/// a position (vans page their stock by it), taken last.
pub async fn stock(
    tx: &Transaction<'_>,
    technician: &str,
    job: JobId,
    (sku, qty, serial): (&str, i64, Option<&str>),
    now: DateTime<Utc>,
) -> Result<()> {
    let kind = if qty < 0 { "used" } else { "voided" };
    let id = super::feed::take_positions(tx, 1).await?;
    tx.execute(
        "INSERT INTO stock_moves (id, technician, sku, qty, serial, kind, job_id, by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $2, $8)",
        &[&id, &technician, &sku, &qty, &serial, &kind, &job.0, &now],
    )
    .await?;
    Ok(())
}

/// `job`'s visit record with its checklist gaps and flags.
pub async fn view(tx: &Transaction<'_>, id: JobId) -> Result<onsite_protocol::visit::JobVisit> {
    let job = super::job_rows::job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    let mut record = record(tx, id).await?;
    record.mark_filled(&super::fills::of_job(tx, id).await?);
    let templates = templates_of(tx, &job, &record).await?;
    let missing =
        checklist::missing_required(&templates, |t, item| record.answer(t, item).is_some());
    let mut out_of_range = Vec::new();
    for t in &templates {
        let at = t.reference();
        for item in &t.items {
            if let Some(a) = record.answer(&at, &item.key)
                && item.check(&a.value).is_ok_and(|c| c.out_of_range)
            {
                out_of_range.push(onsite_protocol::visit::ItemRef {
                    template: at.clone(),
                    item: item.key.clone(),
                });
            }
        }
    }
    let checklists = match &record.pinned {
        Some(p) => p.clone(),
        None => templates.iter().map(ChecklistTemplate::reference).collect(),
    };
    let labels = templates
        .iter()
        .flat_map(|t| {
            let at = t.reference();
            t.items
                .iter()
                .map(move |item| onsite_protocol::visit::ItemLabel {
                    template: at.clone(),
                    item: item.key.clone(),
                    label: item.label.clone(),
                })
        })
        .collect();
    let history = super::job_rows::status_history(tx, id).await?;
    Ok(onsite_protocol::visit::JobVisit {
        job_id: id,
        needs_review: record.decision().is_some_and(|d| d.needs_review),
        record,
        checklists,
        missing,
        out_of_range,
        history,
        labels,
    })
}

/// Parts requests not filled on jobs not closed, oldest first, after the op position `after`.
pub async fn parts_requests(
    tx: &Transaction<'_>,
    after: Option<i64>,
    limit: u32,
) -> Result<onsite_protocol::visit::PartsRequestList> {
    let found = tx
        .query(
            "SELECT o.seq, o.body, o.username, o.received_at, j.number, j.status, p.name \
             FROM ops o JOIN jobs j ON j.id = o.job_id \
             LEFT JOIN parts p ON p.sku = (o.body::jsonb ->> 'sku') \
             WHERE o.outcome = 'applied' AND (o.body::jsonb ->> 'kind') = 'parts_requested' \
             AND j.status NOT IN ('completed', 'cancelled') AND o.seq > $1 \
             AND NOT EXISTS (SELECT 1 FROM parts_fills f WHERE f.request_op = o.op_id) \
             ORDER BY o.seq LIMIT $2",
            &[&after.unwrap_or(0), &(i64::from(limit) + 1)],
        )
        .await?;
    let mut requests = Vec::new();
    let mut next = None;
    for r in &found {
        let seq: i64 = rows::get(r, 0)?;
        let body: &str = rows::get(r, 1)?;
        let technician: String = rows::get(r, 2)?;
        let requested_at: DateTime<Utc> = rows::get(r, 3)?;
        let job_number: String = rows::get(r, 4)?;
        let job_status: JobStatus = rows::parsed(r, 5)?;
        let name: Option<String> = rows::get(r, 6)?;
        if requests.len() == limit as usize {
            next = Some(seq - 1);
            break;
        }
        let op: Op = parsed(body)?;
        if let Change::PartsRequested { sku, qty, note } = op.change {
            requests.push((
                seq,
                onsite_protocol::visit::OpenPartsRequest {
                    op_id: op.op_id,
                    job_id: op.job_id,
                    job_number,
                    job_status,
                    technician,
                    sku,
                    name,
                    qty,
                    note,
                    requested_at,
                },
            ));
        }
    }
    if next.is_some() {
        next = requests.last().map(|(seq, _)| *seq);
    }
    Ok(onsite_protocol::visit::PartsRequestList {
        requests: requests.into_iter().map(|(_, r)| r).collect(),
        next,
    })
}

/// The service history of `asset`: its jobs other than those in `except`, newest first, at most
/// `visit::MAX_SERVICE_HISTORY`, each with its parts (voided ones left out) and standing
/// decision.
pub async fn service_history(
    tx: &Transaction<'_>,
    asset: onsite_protocol::AssetId,
    except: &std::collections::HashSet<JobId>,
) -> Result<Vec<onsite_protocol::visit::ServiceVisit>> {
    let limit = onsite_protocol::visit::MAX_SERVICE_HISTORY + except.len();
    // Numbers in byte order, as the embedded engine compares text.
    let ids = tx
        .query(
            "SELECT id FROM jobs WHERE asset_id = $1 \
             ORDER BY coalesce(scheduled_start, updated_at) DESC, number COLLATE \"C\" DESC \
             LIMIT $2",
            &[&asset.0, &i64::try_from(limit).unwrap_or(i64::MAX)],
        )
        .await?
        .iter()
        .map(|r| rows::get::<uuid::Uuid>(r, 0))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for id in ids.into_iter().map(JobId).filter(|id| !except.contains(id)) {
        if out.len() == onsite_protocol::visit::MAX_SERVICE_HISTORY {
            break;
        }
        let Some(job) = super::job_rows::job_by_id(tx, id).await? else {
            continue;
        };
        let record = record(tx, id).await?;
        out.push(onsite_protocol::visit::ServiceVisit {
            asset_id: asset,
            job_id: id,
            number: job.number,
            kind: job.kind,
            status: job.status,
            summary: job.summary,
            at: job.scheduled_start.unwrap_or(job.updated_at),
            technician: job.technician,
            decision: record.decision().cloned(),
            parts: record.parts.into_iter().filter(|p| !p.voided).collect(),
        });
    }
    Ok(out)
}
