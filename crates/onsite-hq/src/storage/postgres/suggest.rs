//! What a suggestion of who should go is judged on: the job, every enabled technician, their
//! visits in the working day, and the parts in their vans made for the job's product (the
//! embedded engine's `suggest.rs`, on PostgreSQL).

use super::job_rows::{job_by_id, view};
use super::rows::get;
use crate::rules::suggest::{Candidate, Visit};
use crate::storage::{Result, StorageError, SuggestionFacts};
use chrono::{DateTime, Utc};
use onsite_protocol::JobId;
use std::collections::BTreeMap;
use tokio_postgres::{Row, Transaction};

/// A latitude and longitude read from columns `idx` and `idx + 1`, when both are known.
fn lat_lon(r: &Row, idx: usize) -> Result<Option<(f64, f64)>> {
    Ok(get::<Option<f64>>(r, idx)?.zip(get::<Option<f64>>(r, idx + 1)?))
}

pub async fn facts(
    tx: &Transaction<'_>,
    id: JobId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<SuggestionFacts> {
    let job = job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    let job = view(tx, job).await?;
    let site = tx
        .query_one(
            "SELECT lat, lon FROM sites WHERE id = $1",
            &[&job.site.id.0],
        )
        .await?;
    let position = lat_lon(&site, 0)?;
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    let technicians = tx
        .query(
            "SELECT username, display_name, skills FROM users \
             WHERE role = 'technician' AND disabled_at IS NULL",
            &[],
        )
        .await?;
    for row in &technicians {
        let username: String = get(row, 0)?;
        let display_name: String = get(row, 1)?;
        let skills: &str = get(row, 2)?;
        candidates.insert(
            username.clone(),
            Candidate {
                username,
                display_name,
                // Written only from a Vec<String>; an unreadable value is treated as none.
                skills: serde_json::from_str(skills).unwrap_or_default(),
                visits: Vec::new(),
                parts: Vec::new(),
            },
        );
    }
    let visits = tx
        .query(
            "SELECT j.technician, j.number, j.scheduled_start, j.scheduled_end, s.town, s.lat, \
             s.lon FROM jobs j JOIN sites s ON s.id = j.site_id \
             WHERE j.technician IS NOT NULL AND j.status != 'cancelled' AND j.id != $3 \
             AND j.scheduled_start < $2 AND j.scheduled_end > $1",
            &[&from, &to, &id.0],
        )
        .await?;
    for row in &visits {
        let technician: String = get(row, 0)?;
        let visit = Visit {
            number: get(row, 1)?,
            start: get(row, 2)?,
            end: get(row, 3)?,
            town: get(row, 4)?,
            position: lat_lon(row, 5)?,
        };
        if let Some(c) = candidates.get_mut(&technician) {
            c.visits.push(visit);
        }
    }
    if let Some(model) = job.asset.as_ref().map(|a| a.model.clone()) {
        // Grouped by the part's key, so its name and models may be selected with it.
        let parts = tx
            .query(
                "SELECT m.technician, p.name, p.models FROM stock_moves m \
                 JOIN parts p ON p.sku = m.sku \
                 GROUP BY m.technician, p.sku HAVING SUM(m.qty) > 0 ORDER BY p.name",
                &[],
            )
            .await?;
        for row in &parts {
            let technician: String = get(row, 0)?;
            let name: String = get(row, 1)?;
            let models: &str = get(row, 2)?;
            let models: Vec<String> = serde_json::from_str(models).unwrap_or_default();
            if models.contains(&model)
                && let Some(c) = candidates.get_mut(&technician)
            {
                c.parts.push(name);
            }
        }
    }
    Ok(SuggestionFacts {
        job,
        position,
        candidates: candidates.into_values().collect(),
    })
}
