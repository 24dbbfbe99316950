//! The facts "ready for the day" judges (`crate::ready`): the day's open jobs with what the
//! laptop holds for each, and the parts that name the products they fit.

use super::Store;
use crate::error::Result;
use crate::ready::JobFacts;
use chrono::{DateTime, Utc};
use onsite_protocol::JobId;
use rusqlite::OptionalExtension;

impl Store {
    /// The open jobs scheduled before `until` (the day's, and overdue ones from before), with
    /// what the laptop holds for each, by start.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn day_facts(&self, until: DateTime<Utc>) -> Result<Vec<JobFacts>> {
        let conn = self.conn();
        let rows = conn
            .prepare_cached(
                "SELECT j.id, j.number, c.name, c.phone IS NOT NULL AND c.phone <> '', a.model, \
                 j.released FROM jobs j JOIN customers c ON c.id = j.customer_id \
                 LEFT JOIN assets a ON a.id = j.asset_id \
                 WHERE j.status NOT IN ('completed', 'cancelled') AND j.scheduled_start < ?1 \
                 ORDER BY j.scheduled_start, j.number",
            )?
            .query_map([until], |r| {
                Ok((
                    JobId(r.get(0)?),
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for (id, number, customer, has_phone, model, read_only) in rows {
            let record = super::visit::record_of(&conn, id)?;
            let checklist = super::visit::checklist_of(&conn, id, &record)?;
            let (has_policy, guides) = match &model {
                Some(m) => (
                    super::visit::policy(&conn, m, None)?.is_some(),
                    conn.prepare_cached(
                        "SELECT count(*) FROM guides WHERE json_array_length(models) = 0 \
                         OR EXISTS (SELECT 1 FROM json_each(guides.models) WHERE value = ?1)",
                    )?
                    .query_row([m], |r| r.get::<_, i64>(0))
                    .optional()?
                    .unwrap_or(0),
                ),
                None => (false, 0),
            };
            out.push(JobFacts {
                number,
                customer,
                has_phone,
                model,
                checklists: checklist.sections.len(),
                checklists_missing: checklist.unavailable.len(),
                has_policy,
                guides: usize::try_from(guides).unwrap_or(0),
                read_only,
            });
        }
        Ok(out)
    }

    /// The catalog's parts that name the models they fit, with the van's quantity of each
    /// (after unsent use): (sku, name, models, in the van).
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn fitted_parts(&self) -> Result<Vec<crate::ready::FittedPart>> {
        let van = self.van_stock()?;
        Ok(self
            .parts()?
            .into_iter()
            .filter(|p| !p.models.is_empty())
            .map(|p| {
                let qty = van.iter().find(|l| l.sku == p.sku).map_or(0, |l| l.qty);
                (p.sku, p.name, p.models, qty)
            })
            .collect())
    }
}
