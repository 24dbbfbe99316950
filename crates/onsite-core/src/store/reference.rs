//! HQ's reference data on the device: kept as the pull brings it (`PullPage::reference`), in
//! the same transaction as the page, and read offline.

use super::Store;
use crate::error::{CoreError, Result};
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::guide::Guide;
use onsite_protocol::part::Part;
use onsite_protocol::reference::ReferenceUpdate;
use onsite_protocol::warranty::WarrantyPolicy;
use rusqlite::{Transaction, params};

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Store(e.to_string()))
}

fn parsed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| CoreError::Store(e.to_string()))
}

/// Drops every reference record (a full update, a reset from HQ, another user).
pub(super) fn clear(tx: &rusqlite::Connection) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM parts; DELETE FROM checklist_templates; DELETE FROM warranty_policies; \
         DELETE FROM guides; DELETE FROM van_stock; DELETE FROM letterhead; \
         DELETE FROM labour_prices;",
    )
}

/// Keeps what a pull brought: everything in place of what was held when it is `full`, else
/// each record added or replaced.
pub(super) fn apply(tx: &Transaction<'_>, update: &ReferenceUpdate) -> Result<()> {
    if update.full {
        clear(tx)?;
    }
    let mut part = tx.prepare_cached(
        "INSERT INTO parts (sku, body) VALUES (?1, ?2) \
         ON CONFLICT (sku) DO UPDATE SET body = excluded.body",
    )?;
    for p in &update.parts {
        part.execute(params![p.sku, json(p)?])?;
    }
    let mut template = tx.prepare_cached(
        "INSERT INTO checklist_templates (key, version, body) VALUES (?1, ?2, ?3) \
         ON CONFLICT (key, version) DO UPDATE SET body = excluded.body",
    )?;
    for t in &update.checklists {
        template.execute(params![t.key, t.version, json(t)?])?;
    }
    let mut policy = tx.prepare_cached(
        "INSERT INTO warranty_policies (model, version, body) VALUES (?1, ?2, ?3) \
         ON CONFLICT (model, version) DO UPDATE SET body = excluded.body",
    )?;
    for p in &update.policies {
        policy.execute(params![p.model, p.version, json(p)?])?;
    }
    let mut guide = tx.prepare_cached(
        "INSERT INTO guides (id, version, title, models, body) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title, \
         models = excluded.models, body = excluded.body",
    )?;
    for g in &update.guides {
        guide.execute(params![g.id, g.version, g.title, json(&g.models)?, g.body])?;
    }
    // The records HQ holds one of: a table of one row each.
    let singles = [
        (
            "letterhead",
            update.letterhead.as_ref().map(json).transpose()?,
        ),
        (
            "labour_prices",
            update.labour.as_ref().map(json).transpose()?,
        ),
    ];
    for (table, body) in singles {
        if let Some(body) = body {
            tx.execute(
                &format!(
                    "INSERT INTO {table} (id, body) VALUES (1, ?1) \
                     ON CONFLICT (id) DO UPDATE SET body = excluded.body"
                ),
                [body],
            )?;
        }
    }
    if let Some(balances) = &update.stock {
        tx.execute("DELETE FROM van_stock", [])?;
        let mut line = tx.prepare_cached(
            "INSERT INTO van_stock (sku, name, qty, serials) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for b in balances {
            line.execute(params![b.sku, b.name, b.qty, json(&b.serials)?])?;
        }
    }
    Ok(())
}

impl Store {
    /// The parts catalog, by SKU.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn parts(&self) -> Result<Vec<Part>> {
        self.bodies("SELECT body FROM parts ORDER BY sku")
    }

    /// Every checklist template version held, by key then version.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn checklist_templates(&self) -> Result<Vec<ChecklistTemplate>> {
        self.bodies("SELECT body FROM checklist_templates ORDER BY key, version")
    }

    /// Every warranty policy version held, by model then version.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn warranty_policies(&self) -> Result<Vec<WarrantyPolicy>> {
        self.bodies("SELECT body FROM warranty_policies ORDER BY model, version")
    }

    /// The organisation's letterhead, as HQ last sent it.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn letterhead(&self) -> Result<Option<onsite_protocol::letterhead::Letterhead>> {
        Ok(self
            .bodies("SELECT body FROM letterhead WHERE id = 1")?
            .into_iter()
            .next())
    }

    /// The labour price list, as HQ last sent it.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn labour_prices(&self) -> Result<Option<onsite_protocol::labour::LabourPrices>> {
        Ok(self
            .bodies("SELECT body FROM labour_prices WHERE id = 1")?
            .into_iter()
            .next())
    }

    fn bodies<T: serde::de::DeserializeOwned>(&self, sql: &str) -> Result<Vec<T>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(parsed(&row?)?);
        }
        Ok(out)
    }

    /// The guides held, by title; with `search`, only those matching it (every word, as a
    /// prefix, in the title or the text), best match first.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn guides(&self, search: Option<&str>) -> Result<Vec<Guide>> {
        match search.map(fts_query).filter(|q| !q.is_empty()) {
            Some(q) => self.guides_where(
                "FROM guides_text t JOIN guides g ON g.rowid = t.rowid \
                 WHERE guides_text MATCH ?1 ORDER BY bm25(guides_text, 5.0, 1.0), g.title",
                &q,
            ),
            None => self.guides_where("FROM guides g WHERE ?1 = '' ORDER BY g.title", ""),
        }
    }

    /// The guide with `id`, if the device holds it.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn guide(&self, id: &str) -> Result<Option<Guide>> {
        Ok(self
            .guides_where("FROM guides g WHERE g.id = ?1", id)?
            .into_iter()
            .next())
    }

    /// Guides read with `rest` (naming `guides` as `g`) and its one parameter.
    fn guides_where(&self, rest: &str, param: &str) -> Result<Vec<Guide>> {
        let conn = self.conn();
        let sql = format!("SELECT g.id, g.version, g.title, g.models, g.body {rest}");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([param], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, version, title, models, body) = row?;
            out.push(Guide {
                id,
                version,
                title,
                models: parsed(&models)?,
                body,
            });
        }
        Ok(out)
    }
}

/// What a technician typed as an FTS5 query: each word quoted (so `E5:` or `-` cannot be
/// read as query syntax) and matched as a prefix, all of them required.
fn fts_query(typed: &str) -> String {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::open;
    use onsite_protocol::api::PullPage;

    fn guide(id: &str, title: &str, body: &str) -> Guide {
        Guide {
            id: id.into(),
            version: 1,
            title: title.into(),
            models: vec!["AirSource 8 kW heat pump".into()],
            body: body.into(),
        }
    }

    fn part(sku: &str, price: i64) -> Part {
        Part {
            sku: sku.into(),
            name: format!("Part {sku}"),
            unit_price_cents: price,
            serialized: false,
            models: vec![],
        }
    }

    fn pulled(store: &Store, reference: ReferenceUpdate) {
        let page = PullPage {
            reference: Some(reference),
            cursor: "c".into(),
            ..PullPage::default()
        };
        store.apply_pull(&page).unwrap();
    }

    #[test]
    fn a_full_update_replaces_and_a_delta_adds_and_replaces() {
        let (store, _dir) = open();
        pulled(
            &store,
            ReferenceUpdate {
                full: true,
                parts: vec![part("A", 1), part("B", 2)],
                guides: vec![guide("codes", "Fault codes", "E5: low water pressure")],
                stock: Some(vec![onsite_protocol::stock::StockBalance {
                    sku: "A".into(),
                    name: "Part A".into(),
                    qty: 3,
                    serials: vec![],
                }]),
                labour: Some(labour(6000)),
                ..ReferenceUpdate::default()
            },
        );
        pulled(
            &store,
            ReferenceUpdate {
                parts: vec![part("B", 5)],
                ..ReferenceUpdate::default()
            },
        );
        assert_eq!(
            store.labour_prices().unwrap(),
            Some(labour(6000)),
            "a delta without prices keeps them"
        );
        pulled(
            &store,
            ReferenceUpdate {
                labour: Some(labour(6500)),
                ..ReferenceUpdate::default()
            },
        );
        assert_eq!(store.labour_prices().unwrap(), Some(labour(6500)));
        let prices: Vec<(String, i64)> = store
            .parts()
            .unwrap()
            .into_iter()
            .map(|p| (p.sku, p.unit_price_cents))
            .collect();
        assert_eq!(prices, [("A".into(), 1), ("B".into(), 5)]);
        assert_eq!(
            store.van_stock().unwrap()[0].qty,
            3,
            "a delta without stock keeps it"
        );
        pulled(
            &store,
            ReferenceUpdate {
                full: true,
                parts: vec![part("C", 9)],
                ..ReferenceUpdate::default()
            },
        );
        assert_eq!(store.parts().unwrap().len(), 1, "full: only what came");
        assert!(store.guides(None).unwrap().is_empty());
        assert!(store.van_stock().unwrap().is_empty());
        assert_eq!(store.labour_prices().unwrap(), None);
    }

    fn labour(hourly_cents: i64) -> onsite_protocol::labour::LabourPrices {
        onsite_protocol::labour::LabourPrices {
            call_out_cents: 4500,
            hourly_cents,
            increment_minutes: 15,
        }
    }

    #[test]
    fn guides_are_found_by_words_in_their_title_or_text() {
        let (store, _dir) = open();
        pulled(
            &store,
            ReferenceUpdate {
                full: true,
                guides: vec![
                    guide(
                        "codes",
                        "AirSource fault codes",
                        "E5: low water pressure. P3: high discharge.",
                    ),
                    guide(
                        "defrost",
                        "Outdoor unit icing up",
                        "Check the défrost sensor and the fan.",
                    ),
                    guide("brief", "Briefing the customer", "Show the controls."),
                ],
                ..ReferenceUpdate::default()
            },
        );
        let found = |q: &str| -> Vec<String> {
            store
                .guides(Some(q))
                .unwrap()
                .into_iter()
                .map(|g| g.id)
                .collect()
        };
        assert_eq!(found("E5"), ["codes"]);
        assert_eq!(found("press"), ["codes"], "a word's start finds it");
        assert_eq!(found("defrost"), ["defrost"], "accents do not matter");
        assert_eq!(found("fault codes"), ["codes"]);
        assert!(found("fault customer").is_empty(), "every word must match");
        assert_eq!(
            found("\"OR\" -"),
            Vec::<String>::new(),
            "query syntax is only words"
        );
        let all: Vec<String> = store
            .guides(None)
            .unwrap()
            .into_iter()
            .map(|g| g.title)
            .collect();
        assert_eq!(
            all,
            [
                "AirSource fault codes",
                "Briefing the customer",
                "Outdoor unit icing up"
            ]
        );
        // A replaced guide is found by its new text only.
        pulled(
            &store,
            ReferenceUpdate {
                guides: vec![guide(
                    "codes",
                    "AirSource fault codes",
                    "E9: defrost failed.",
                )],
                ..ReferenceUpdate::default()
            },
        );
        assert!(found("pressure").is_empty());
        assert_eq!(found("E9"), ["codes"]);
    }

    #[test]
    fn typed_words_become_a_safe_prefix_query() {
        let cases = [
            ("E5", "\"E5\"*"),
            ("low  pressure", "\"low\"* \"pressure\"*"),
            ("fault: E5 -x \"OR\"", "\"fault\"* \"E5\"* \"x\"* \"OR\"*"),
            ("  ", ""),
            ("défrost", "\"défrost\"*"),
        ];
        for (typed, query) in cases {
            assert_eq!(fts_query(typed), query, "{typed}");
        }
    }
}
