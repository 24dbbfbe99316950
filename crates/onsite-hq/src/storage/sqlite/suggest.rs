//! What a suggestion of who should go is judged on: the job, every enabled technician, their
//! visits in the working day, and the parts in their vans made for the job's product.

use super::rows::{job_by_id, view};
use crate::rules::suggest::{Candidate, Visit};
use crate::storage::{Result, StorageError, SuggestionFacts};
use chrono::{DateTime, Utc};
use onsite_protocol::JobId;
use rusqlite::{Transaction, params};
use std::collections::BTreeMap;

pub fn facts(
    tx: &Transaction<'_>,
    id: JobId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<SuggestionFacts> {
    let job = view(tx, job_by_id(tx, id)?.ok_or(StorageError::NotFound("job"))?)?;
    let position = tx
        .prepare_cached("SELECT lat, lon FROM sites WHERE id = ?1")?
        .query_row([job.site.id.0], |r| {
            Ok(r.get::<_, Option<f64>>(0)?.zip(r.get::<_, Option<f64>>(1)?))
        })?;
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut technicians = tx.prepare_cached(
        "SELECT username, display_name, skills FROM users \
         WHERE role = 'technician' AND disabled_at IS NULL",
    )?;
    for row in technicians.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (username, display_name, skills) = row?;
        candidates.insert(
            username.clone(),
            Candidate {
                username,
                display_name,
                // Written only from a Vec<String>; an unreadable value is treated as none.
                skills: serde_json::from_str(&skills).unwrap_or_default(),
                visits: Vec::new(),
                parts: Vec::new(),
            },
        );
    }
    let mut visits = tx.prepare_cached(
        "SELECT j.technician, j.number, j.scheduled_start, j.scheduled_end, s.town, s.lat, s.lon \
         FROM jobs j JOIN sites s ON s.id = j.site_id \
         WHERE j.technician IS NOT NULL AND j.status != 'cancelled' AND j.id != ?3 \
         AND j.scheduled_start < ?2 AND j.scheduled_end > ?1",
    )?;
    for row in visits.query_map(params![from, to, id.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Visit {
                number: r.get(1)?,
                start: r.get(2)?,
                end: r.get(3)?,
                town: r.get(4)?,
                position: r.get::<_, Option<f64>>(5)?.zip(r.get::<_, Option<f64>>(6)?),
            },
        ))
    })? {
        let (technician, visit) = row?;
        if let Some(c) = candidates.get_mut(&technician) {
            c.visits.push(visit);
        }
    }
    if let Some(model) = job.asset.as_ref().map(|a| a.model.clone()) {
        let mut parts = tx.prepare_cached(
            "SELECT m.technician, p.name, p.models FROM stock_moves m JOIN parts p ON p.sku = m.sku \
             GROUP BY m.technician, m.sku HAVING SUM(m.qty) > 0 ORDER BY p.name",
        )?;
        for row in parts.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (technician, name, models) = row?;
            let models: Vec<String> = serde_json::from_str(&models).unwrap_or_default();
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
