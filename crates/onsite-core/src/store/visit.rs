//! The visit on the laptop: the checklists a job keeps and their answers, the parts used, the
//! warranty decision and the parts it waits for — the visit record folded from what HQ sent and
//! this laptop's unanswered ops — and the reference data each new change is checked against.

use super::Store;
use super::activity::{self, Activity};
use super::op_state::OpState;
use crate::error::{CoreError, Result};
use chrono::NaiveDate;
use onsite_protocol::checklist::{self, AnswerValue, ChecklistTemplate, Missing, TemplateRef};
use onsite_protocol::part::Part;
use onsite_protocol::visit::{Decision, PartUse, PartsRequest, ServiceVisit, VisitRecord};
use onsite_protocol::warranty::{
    self, FaultCategory, Remedy, WarrantyFacts, WarrantyOptions, WarrantyPolicy, WarrantyRule,
};
use onsite_protocol::{Change, JobId, JobKind};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// One item's answer as the checklist shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemAnswer {
    /// The item's key.
    pub item: String,
    /// The current answer.
    #[cfg_attr(feature = "ts", ts(type = "boolean | number | string"))]
    pub value: AnswerValue,
    /// A reading outside the item's range: recorded as measured, and flagged.
    pub out_of_range: bool,
    /// How many earlier answers it replaced (all kept).
    pub earlier: usize,
}

/// One checklist of a job: the template at the version the job keeps, and its answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistSection {
    /// The template.
    pub template: ChecklistTemplate,
    /// Answers to its items, in item order.
    pub answers: Vec<ItemAnswer>,
}

/// A job's checklists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Checklist {
    /// The versions are fixed: work on the job has started. Before that, the newest versions
    /// that apply are shown, and a newer one HQ sends would replace them.
    pub pinned: bool,
    /// The checklists, by template key.
    pub sections: Vec<ChecklistSection>,
    /// Required items still unanswered: completion waits for them.
    pub missing: Vec<Missing>,
    /// A pinned version this laptop does not hold (it was removed from HQ's data): its
    /// items cannot be shown.
    pub unavailable: Vec<TemplateRef>,
}

/// A part used, with its catalog entry when the laptop holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsedPart {
    /// The use as recorded.
    pub used: PartUse,
    /// The part's name.
    pub name: Option<String>,
    /// Its unit price in cents.
    pub unit_price_cents: Option<i64>,
}

/// The visit record of a job, ready to show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Visit {
    /// Its checklists and answers.
    pub checklist: Checklist,
    /// Parts used, voided ones too.
    pub parts: Vec<UsedPart>,
    /// Warranty decisions, voided ones too; the last one not voided stands.
    pub decisions: Vec<Decision>,
    /// Parts the job waits for.
    pub requests: Vec<PartsRequest>,
    /// Every signed report, oldest first: the last counts, and says whether the job changed
    /// after it was signed.
    pub signoffs: Vec<onsite_protocol::signoff::SignOff>,
    /// Every rating the customer gave, oldest first: the last counts.
    pub ratings: Vec<onsite_protocol::signoff::Rating>,
}

/// One remedy on offer, with its rule in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferedRemedy {
    /// What may be done.
    pub remedy: Remedy,
    /// The clause that allows it.
    pub rule: WarrantyRule,
    /// The clause in words a technician can read out.
    pub words: String,
}

/// What the warranty allows for a fault found on a job's product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WarrantyChoice {
    /// The product model.
    pub model: String,
    /// The fault.
    pub fault: FaultCategory,
    /// The policy version decided under.
    pub policy: WarrantyPolicy,
    /// The asset's facts, as this laptop holds them.
    pub facts: WarrantyFacts,
    /// The visit's date.
    pub visit_on: NaiveDate,
    /// What the rules found.
    pub found: WarrantyOptions,
    /// The remedies allowed, most favourable to the customer first.
    pub options: Vec<OfferedRemedy>,
}

impl WarrantyChoice {
    /// The remedies allowed, each with its rule in words: what a refusal names.
    #[must_use]
    pub fn allowed(&self) -> Vec<String> {
        self.options
            .iter()
            .map(|o| format!("{} ({})", o.remedy, o.words))
            .collect()
    }
}

fn parsed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| CoreError::Store(format!("stored reference: {e}")))
}

/// Whether an op counts in the visit record: HQ merged it, or it waits for HQ's answer.
fn counts(a: &Activity) -> bool {
    matches!(a.state, OpState::Applied | OpState::Pending | OpState::Sent)
}

/// The visit record of `job` from HQ's ops and this laptop's unanswered ones.
pub(super) fn record_of(conn: &Connection, job: JobId) -> Result<VisitRecord> {
    Ok(record_from(&activity::of_job(conn, job)?))
}

pub(super) fn record_from(activity: &[Activity]) -> VisitRecord {
    VisitRecord::fold_in_order(
        activity
            .iter()
            .filter(|a| counts(a))
            .map(|a| (a.op_id, &a.change)),
    )
}

/// Every template version held.
pub(super) fn all_templates(conn: &Connection) -> Result<Vec<ChecklistTemplate>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM checklist_templates")?;
    let bodies = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    bodies.iter().map(|b| parsed(b)).collect()
}

/// The template at exactly this version, if held.
pub(super) fn template(conn: &Connection, at: &TemplateRef) -> Result<Option<ChecklistTemplate>> {
    conn.prepare_cached("SELECT body FROM checklist_templates WHERE key = ?1 AND version = ?2")?
        .query_row(rusqlite::params![at.key, at.version], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .map(|b| parsed(&b))
        .transpose()
}

/// The part with `sku` in the catalog held.
pub(super) fn part(conn: &Connection, sku: &str) -> Result<Option<Part>> {
    conn.prepare_cached("SELECT body FROM parts WHERE sku = ?1")?
        .query_row([sku], |r| r.get::<_, String>(0))
        .optional()?
        .map(|b| parsed(&b))
        .transpose()
}

/// The policy for `model`: at `version`, or the newest held.
pub(super) fn policy(
    conn: &Connection,
    model: &str,
    version: Option<u32>,
) -> Result<Option<WarrantyPolicy>> {
    conn.prepare_cached(
        "SELECT body FROM warranty_policies WHERE model = ?1 AND (?2 IS NULL OR version = ?2) \
         ORDER BY version DESC LIMIT 1",
    )?
    .query_row(rusqlite::params![model, version], |r| r.get::<_, String>(0))
    .optional()?
    .map(|b| parsed(&b))
    .transpose()
}

/// The job's kind and its product's model.
fn kind_and_model(conn: &Connection, job: JobId) -> Result<(JobKind, Option<String>)> {
    let (kind, model): (String, Option<String>) = conn
        .prepare_cached(
            "SELECT j.kind, a.model FROM jobs j LEFT JOIN assets a ON a.id = j.asset_id \
             WHERE j.id = ?1",
        )?
        .query_row([job.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let kind = kind
        .parse()
        .map_err(|_| CoreError::Store(format!("unknown job kind {kind:?}")))?;
    Ok((kind, model))
}

/// The template versions the job keeps, or, before work started, those it would pin now.
pub(super) fn templates_of(
    conn: &Connection,
    job: JobId,
    record: &VisitRecord,
) -> Result<Vec<TemplateRef>> {
    if let Some(pinned) = &record.pinned {
        return Ok(pinned.clone());
    }
    let (kind, model) = kind_and_model(conn, job)?;
    Ok(checklist::applicable(
        &all_templates(conn)?,
        kind,
        model.as_deref(),
    ))
}

/// The job's checklists with their answers and what completion waits for.
pub(super) fn checklist_of(
    conn: &Connection,
    job: JobId,
    record: &VisitRecord,
) -> Result<Checklist> {
    let refs = templates_of(conn, job, record)?;
    let mut sections = Vec::new();
    let mut unavailable = Vec::new();
    for r in &refs {
        match template(conn, r)? {
            Some(t) => sections.push(t),
            None => unavailable.push(r.clone()),
        }
    }
    let missing =
        checklist::missing_required(&sections, |t, item| record.answer(t, item).is_some());
    let sections = sections
        .into_iter()
        .map(|template| {
            let at = template.reference();
            let answers = template
                .items
                .iter()
                .filter_map(|item| {
                    let a = record.answer(&at, &item.key)?;
                    Some(ItemAnswer {
                        item: item.key.clone(),
                        value: a.value.clone(),
                        out_of_range: item.check(&a.value).is_ok_and(|c| c.out_of_range),
                        earlier: a.earlier.len(),
                    })
                })
                .collect();
            ChecklistSection { template, answers }
        })
        .collect();
    Ok(Checklist {
        pinned: record.pinned.is_some(),
        sections,
        missing,
        unavailable,
    })
}

/// How HQ filled `job`'s parts requests, as the last pull of the job said.
fn fills(conn: &Connection, job: JobId) -> Result<Vec<onsite_protocol::visit::PartsFill>> {
    let bodies = conn
        .prepare_cached("SELECT body FROM parts_fills WHERE job_id = ?1")?
        .query_map([job.0], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(|e| CoreError::Store(e.to_string())))
        .collect()
}

impl Store {
    /// The rule of `decision` in words: the policy's clause on the facts it was decided on,
    /// under the policy version it names; `None` when the laptop no longer holds that version.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn decision_words(&self, model: &str, decision: &Decision) -> Result<Option<String>> {
        let conn = self.conn();
        let Some(policy) = policy(&conn, model, Some(decision.policy_version))? else {
            return Ok(None);
        };
        let found = warranty::decide(&policy, &decision.facts, decision.fault, decision.visit_on);
        Ok(Some(warranty::explain(
            decision.rule,
            &policy,
            &found,
            decision.fault,
        )))
    }
}

/// The visit of `job`, ready to show.
pub(super) fn visit_of(conn: &Connection, job: JobId, activity: &[Activity]) -> Result<Visit> {
    let mut record = record_from(activity);
    record.mark_filled(&fills(conn, job)?);
    let checklist = checklist_of(conn, job, &record)?;
    let mut parts = Vec::new();
    for used in record.parts {
        let known = part(conn, &used.sku)?;
        parts.push(UsedPart {
            name: known.as_ref().map(|p| p.name.clone()),
            unit_price_cents: known.map(|p| p.unit_price_cents),
            used,
        });
    }
    Ok(Visit {
        checklist,
        parts,
        decisions: record.decisions,
        requests: record.requests,
        signoffs: record.signoffs,
        ratings: record.ratings,
    })
}

/// The service history of `asset` apart from `job`, newest first: the other jobs this laptop
/// holds on it (their visit record as it stands here, unsent changes too), then those HQ sent
/// with the asset.
pub(super) fn service_history(
    conn: &Connection,
    asset: uuid::Uuid,
    job: JobId,
) -> Result<Vec<ServiceVisit>> {
    let held = conn
        .prepare_cached(
            "SELECT id, number, kind, status, summary, coalesce(scheduled_start, updated_at), \
             technician FROM jobs WHERE asset_id = ?1 AND id <> ?2",
        )?
        .query_map(rusqlite::params![asset, job.0], |r| {
            Ok((
                JobId(r.get(0)?),
                r.get::<_, String>(1)?,
                onsite_sqlite::parsed::<JobKind>(r, 2)?,
                onsite_sqlite::parsed::<onsite_protocol::JobStatus>(r, 3)?,
                r.get::<_, String>(4)?,
                r.get::<_, chrono::DateTime<chrono::Utc>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, number, kind, status, summary, at, technician) in held {
        let record = record_of(conn, id)?;
        out.push(ServiceVisit {
            asset_id: onsite_protocol::AssetId(asset),
            job_id: id,
            number,
            kind,
            status,
            summary,
            at,
            technician,
            decision: record.decision().cloned(),
            parts: record.parts.into_iter().filter(|p| !p.voided).collect(),
        });
    }
    let sent = conn
        .prepare_cached("SELECT body FROM service_history WHERE asset_id = ?1 AND job_id <> ?2")?
        .query_map(rusqlite::params![asset, job.0], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for body in sent {
        let v: ServiceVisit = parsed(&body)?;
        if !out.iter().any(|o| o.job_id == v.job_id) {
            out.push(v);
        }
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.number.cmp(&a.number)));
    Ok(out)
}

/// Free repairs for performance faults that stand on the asset's other jobs, as this laptop
/// knows them: what the repeated-failure rule counts.
fn prior_repairs(conn: &Connection, asset: uuid::Uuid, job: JobId) -> Result<u32> {
    let n = service_history(conn, asset, job)?
        .iter()
        .filter(|v| v.decision.as_ref().is_some_and(Decision::free_repair))
        .count();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// What the warranty allows for `fault` on `job`'s product on `visit_on`, under `version` of
/// the policy (the newest held when `None`).
pub(super) fn warranty_choice(
    conn: &Connection,
    number: &str,
    job: JobId,
    fault: FaultCategory,
    visit_on: NaiveDate,
    version: Option<u32>,
) -> Result<WarrantyChoice> {
    let asset: Option<(uuid::Uuid, String, WarrantyFacts)> = conn
        .prepare_cached(
            "SELECT a.id, a.model, a.purchased_on, a.installed_on, a.warranty_until FROM jobs j \
             JOIN assets a ON a.id = j.asset_id WHERE j.id = ?1",
        )?
        .query_row([job.0], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                WarrantyFacts {
                    purchased_on: r.get(2)?,
                    installed_on: r.get(3)?,
                    warranty_until: r.get(4)?,
                    prior_repairs: 0,
                },
            ))
        })
        .optional()?;
    let Some((asset, model, mut facts)) = asset else {
        return Err(CoreError::InvalidInput(format!(
            "job {number} has no product, so no warranty applies"
        )));
    };
    facts.prior_repairs = prior_repairs(conn, asset, job)?;
    let policy = policy(conn, &model, version)?.ok_or_else(|| CoreError::NoWarrantyPolicy {
        model: model.clone(),
    })?;
    let found = warranty::decide(&policy, &facts, fault, visit_on);
    let options = found
        .options
        .iter()
        .map(|o| OfferedRemedy {
            remedy: o.remedy,
            rule: o.rule,
            words: warranty::explain(o.rule, &policy, &found, fault),
        })
        .collect();
    Ok(WarrantyChoice {
        model,
        fault,
        policy,
        facts,
        visit_on,
        found,
        options,
    })
}

/// Whether a change starts the work that fixes the job's checklist versions.
pub(super) fn starts_work(change: &Change) -> bool {
    matches!(
        change,
        Change::Status {
            to: onsite_protocol::JobStatus::OnSite
        } | Change::WorkStarted { .. }
            | Change::ChecklistAnswer { .. }
    )
}

impl Store {
    /// The checklists of job `number` with their answers.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::Store`].
    pub fn checklist(&self, number: &str) -> Result<Checklist> {
        let conn = self.conn();
        let job = super::record::job_id(&conn, number)?;
        let record = record_of(&conn, job)?;
        checklist_of(&conn, job, &record)
    }

    /// What the warranty allows for `fault` on job `number`'s product on `visit_on`.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::InvalidInput`] (no product),
    /// [`CoreError::NoWarrantyPolicy`], [`CoreError::Store`].
    pub fn warranty(
        &self,
        number: &str,
        fault: FaultCategory,
        visit_on: NaiveDate,
    ) -> Result<WarrantyChoice> {
        let conn = self.conn();
        let job = super::record::job_id(&conn, number)?;
        warranty_choice(&conn, number, job, fault, visit_on, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::*;
    use onsite_protocol::reference::ReferenceUpdate;
    use onsite_protocol::stock::StockBalance;
    use serde_json::json;

    fn template(version: u32, pressure_max: f64) -> ChecklistTemplate {
        serde_json::from_value(
            json!({"key": "repair", "version": version, "title": "Repair",
            "kinds": ["repair"], "models": ["HeatMax"], "items": [
            {"key": "earth", "label": "Earth tested", "type": "yes_no", "required": true},
            {"key": "pressure", "label": "Pressure", "type": "number", "unit": "bar",
             "min": 1.0, "max": pressure_max, "required": true},
            {"key": "notes", "label": "Remarks", "type": "text"}]}),
        )
        .unwrap()
    }

    fn part(sku: &str, serialized: bool) -> Part {
        Part {
            sku: sku.into(),
            name: format!("Part {sku}"),
            unit_price_cents: 1250,
            serialized,
            models: vec![],
        }
    }

    fn policy() -> WarrantyPolicy {
        serde_json::from_value(json!({"model": "HeatMax", "version": 1, "from": "purchase",
            "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2,
            "excluded_faults": ["physical_damage"]}))
        .unwrap()
    }

    fn reference(f: &Fixture, update: ReferenceUpdate) {
        f.store
            .apply_pull(&PullPage {
                reference: Some(update),
                cursor: "c".into(),
                ..PullPage::default()
            })
            .unwrap();
    }

    fn stocked() -> Fixture {
        let f = fixture();
        reference(
            &f,
            ReferenceUpdate {
                full: true,
                parts: vec![part("SEAL", false), part("PUMP", true)],
                checklists: vec![template(1, 2.5)],
                policies: vec![policy()],
                stock: Some(vec![
                    StockBalance {
                        sku: "SEAL".into(),
                        name: "Part SEAL".into(),
                        qty: 2,
                        serials: vec![],
                    },
                    StockBalance {
                        sku: "PUMP".into(),
                        name: "Part PUMP".into(),
                        qty: 1,
                        serials: vec!["P-1".into()],
                    },
                ]),
                ..ReferenceUpdate::default()
            },
        );
        f
    }

    fn answer(item: &str, value: AnswerValue) -> Change {
        Change::ChecklistAnswer {
            template: TemplateRef {
                key: "repair".into(),
                version: 1,
            },
            item: item.into(),
            value,
        }
    }

    fn on_site(f: &Fixture) {
        for to in [JobStatus::EnRoute, JobStatus::OnSite] {
            f.record(Change::Status { to }).unwrap();
        }
    }

    #[test]
    fn work_starting_pins_the_versions_a_newer_template_then_leaves_alone() {
        let f = stocked();
        let before = f.store.checklist("J-1").unwrap();
        assert!(!before.pinned);
        assert_eq!(before.sections[0].template.version, 1);
        on_site(&f);
        let kinds: Vec<_> = f
            .store
            .outbox(10)
            .unwrap()
            .ops
            .iter()
            .map(|o| o.change.kind())
            .collect();
        assert!(kinds.contains(&onsite_protocol::OpKind::ChecklistPinned));
        // HQ imports version 2 mid-visit: the started job keeps version 1.
        reference(
            &f,
            ReferenceUpdate {
                checklists: vec![template(2, 3.0)],
                ..ReferenceUpdate::default()
            },
        );
        let after = f.store.checklist("J-1").unwrap();
        assert!(after.pinned);
        assert_eq!(after.sections[0].template.version, 1);
        // A second start pins nothing more.
        f.record(Change::WorkStarted { at: now() }).unwrap();
        let pins = f
            .store
            .outbox(20)
            .unwrap()
            .ops
            .iter()
            .filter(|o| o.change.kind() == onsite_protocol::OpKind::ChecklistPinned)
            .count();
        assert_eq!(pins, 1);
    }

    #[test]
    fn answers_are_checked_flagged_and_the_latest_counts() {
        let f = stocked();
        on_site(&f);
        let wrong = f
            .record(answer("earth", AnswerValue::Number(1.0)))
            .unwrap_err();
        assert_eq!(wrong.code(), "invalid_input");
        assert!(wrong.to_string().contains("yes or no"), "{wrong}");
        let unknown = f
            .record(answer("colour", AnswerValue::Bool(true)))
            .unwrap_err();
        assert!(unknown.to_string().contains("no item"), "{unknown}");
        f.record(answer("pressure", AnswerValue::Number(0.4)))
            .unwrap();
        f.record(answer("pressure", AnswerValue::Number(2.9)))
            .unwrap();
        let c = f.store.checklist("J-1").unwrap();
        let a = &c.sections[0].answers[0];
        assert_eq!(
            (a.item.as_str(), &a.value, a.out_of_range, a.earlier),
            ("pressure", &AnswerValue::Number(2.9), true, 1)
        );
        assert_eq!(c.missing.len(), 1, "earth still missing");
    }

    #[test]
    fn completion_waits_for_every_required_answer() {
        let f = stocked();
        on_site(&f);
        let err = f
            .record(Change::Status {
                to: JobStatus::Completed,
            })
            .unwrap_err();
        assert_eq!(err.code(), "checklist_incomplete");
        assert!(
            err.to_string().contains("repair.earth (Earth tested)")
                && err.to_string().contains("repair.pressure"),
            "{err}"
        );
        f.record(answer("earth", AnswerValue::Bool(true))).unwrap();
        f.record(answer("pressure", AnswerValue::Number(1.5)))
            .unwrap();
        f.record(Change::Status {
            to: JobStatus::Completed,
        })
        .unwrap();
        assert_eq!(f.status(), JobStatus::Completed);
    }

    #[test]
    fn parts_leave_the_van_at_once_and_a_void_puts_them_back() {
        let f = stocked();
        let used = |sku: &str, qty: u32, serial: Option<&str>| Change::PartUsed {
            sku: sku.into(),
            qty,
            serial: serial.map(str::to_string),
            removed_serial: None,
        };
        assert_eq!(
            f.record(used("NOPE", 1, None)).unwrap_err().code(),
            "unknown_part"
        );
        assert_eq!(
            f.record(used("PUMP", 1, None)).unwrap_err().code(),
            "invalid_input"
        );
        assert_eq!(
            f.record(used("SEAL", 1, Some("X"))).unwrap_err().code(),
            "invalid_input"
        );
        let seals = f.record(used("SEAL", 3, None)).unwrap();
        f.record(used("PUMP", 1, Some("P-1"))).unwrap();
        let van = |sku: &str| {
            f.store
                .van_stock()
                .unwrap()
                .into_iter()
                .find(|l| l.sku == sku)
                .unwrap()
        };
        let seal = van("SEAL");
        assert_eq!((seal.qty, seal.unsent, seal.negative), (-1, 3, true));
        assert!(van("PUMP").serials.is_empty());
        f.record(Change::Voided {
            voids: seals.op_id,
            reason: None,
        })
        .unwrap();
        let seal = van("SEAL");
        assert_eq!((seal.qty, seal.unsent, seal.negative), (2, 0, false));
        let again = f
            .record(Change::Voided {
                voids: seals.op_id,
                reason: None,
            })
            .unwrap_err();
        assert!(again.to_string().contains("already"), "{again}");
        let detail = f.detail();
        assert_eq!(detail.visit.parts.len(), 2);
        assert!(detail.visit.parts[0].used.voided);
        assert_eq!(detail.visit.parts[0].name.as_deref(), Some("Part SEAL"));
    }

    #[test]
    fn the_products_history_comes_with_it_and_counts_its_free_repairs() {
        let mut f = stocked();
        let asset = f.asset.id;
        let repaired = |n: u128, number: &str| ServiceVisit {
            asset_id: asset,
            job_id: JobId(uuid::Uuid::from_u128(n)),
            number: number.into(),
            kind: JobKind::Repair,
            status: JobStatus::Completed,
            summary: "Pump noisy".into(),
            at: now() - chrono::Duration::days(i64::try_from(n).unwrap() * 30),
            technician: Some("tom".into()),
            parts: vec![],
            decision: Some(Decision {
                op_id: onsite_protocol::OpId::new(),
                fault: FaultCategory::Performance,
                remedy: Remedy::Repair,
                rule: WarrantyRule::RepairPeriod,
                policy_version: 1,
                facts: WarrantyFacts::default(),
                visit_on: now().date_naive(),
                needs_review: false,
                note: None,
                replacement_serial: None,
                return_ref: None,
                voided: false,
            }),
        };
        let mut page = f.page(f.job.clone(), vec![]);
        page.service = vec![repaired(2, "J-0090"), repaired(1, "J-0095")];
        f.store.apply_pull(&page).unwrap();
        let numbers: Vec<_> = f
            .detail()
            .service_history
            .into_iter()
            .map(|v| v.number)
            .collect();
        assert_eq!(numbers, ["J-0095", "J-0090"], "newest first");
        // Bought within the repair period, two free repairs already: the repeated failure rule.
        f.asset.purchased_on = Some("2026-01-10".parse().unwrap());
        let mut page = f.page(f.job.clone(), vec![]);
        page.service = vec![repaired(2, "J-0090"), repaired(1, "J-0095")];
        f.store.apply_pull(&page).unwrap();
        let choice = f
            .store
            .warranty("J-1", FaultCategory::Performance, now().date_naive())
            .unwrap();
        assert_eq!(choice.facts.prior_repairs, 2);
        assert_eq!(choice.options[0].rule, WarrantyRule::RepeatedFailure);
        // A page with the asset and no history replaces it with none.
        f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        assert!(f.detail().service_history.is_empty());
    }

    #[test]
    fn the_report_says_what_the_visit_recorded_and_what_is_charged() {
        let mut f = stocked();
        // Out of warranty: the parts used are charged.
        f.asset.warranty_until = Some("2025-01-31".parse().unwrap());
        f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        on_site(&f);
        f.record(Change::WorkStarted {
            at: now() - chrono::Duration::minutes(85),
        })
        .unwrap();
        f.record(answer("earth", AnswerValue::Bool(true))).unwrap();
        f.record(answer("pressure", AnswerValue::Number(3.0)))
            .unwrap();
        for (sku, serial) in [("SEAL", None), ("PUMP", Some("P-1"))] {
            f.record(Change::PartUsed {
                sku: sku.into(),
                qty: if serial.is_some() { 1 } else { 2 },
                serial: serial.map(str::to_string),
                removed_serial: serial.map(|_| "P-OLD".to_string()),
            })
            .unwrap();
        }
        f.record(Change::Note {
            text: "Pump seized; replaced it and the seals.".into(),
        })
        .unwrap();
        f.record(Change::WorkStopped { at: now() }).unwrap();
        let at = now().with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
        let report = crate::report::report_of(&f.detail(), Default::default(), at);
        assert_eq!(report.job.number, "J-1");
        assert_eq!(report.job.time_on_site.as_deref(), Some("1 h 25 min"));
        assert_eq!(
            report.made_at, "23 November 2026, 13:00",
            "in the laptop's time zone"
        );
        assert_eq!(
            report.work_done[0].text,
            "Pump seized; replaced it and the seals."
        );
        let items: Vec<_> = report.checklists[0]
            .items
            .iter()
            .map(|i| (i.label.as_str(), i.answer.as_deref(), i.out_of_range))
            .collect();
        assert_eq!(
            items,
            [
                ("Earth tested", Some("Yes"), false),
                ("Pressure", Some("3 bar"), true),
                ("Remarks", None, false),
            ]
        );
        let parts: Vec<_> = report
            .parts
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.qty,
                    p.serial.as_deref(),
                    p.removed_serial.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            parts,
            [
                ("Part SEAL", 2, None, None),
                ("Part PUMP", 1, Some("P-1"), Some("P-OLD")),
            ]
        );
        let charges = report.charges.expect("out of warranty: charged");
        assert_eq!(charges.total, "£37.50", "no labour prices: parts only");
        // With HQ's labour prices, the call-out and the work time (85 min, by started quarter
        // hour: 90) are charged after the parts.
        let labour = onsite_protocol::labour::LabourPrices {
            call_out_cents: 4500,
            hourly_cents: 6000,
            increment_minutes: 15,
        };
        let priced = crate::report::report_of(
            &f.detail(),
            crate::report::ReportExtras {
                labour: Some(labour),
                ..Default::default()
            },
            at,
        );
        let charges = priced.charges.expect("charged");
        let lines: Vec<_> = charges
            .lines
            .iter()
            .map(|(w, c)| (w.as_str(), c.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("2 × Part SEAL", "£25.00"),
                ("1 × Part PUMP", "£12.50"),
                ("Call-out", "£45.00"),
                ("Labour, 1 h 30 min at £60.00 an hour", "£90.00"),
            ]
        );
        assert_eq!(charges.total, "£172.50");
        assert_eq!(
            report.product.map(|p| p.warranty).as_deref(),
            Some("Warranty ended on 31 January 2025")
        );
        assert!(report.decision.is_none() && report.signature.is_none());
    }

    #[test]
    fn labour_is_charged_only_for_chargeable_work_and_without_parts_too() {
        let mut f = stocked();
        on_site(&f);
        f.record(Change::WorkStarted {
            at: now() - chrono::Duration::minutes(20),
        })
        .unwrap();
        f.record(Change::WorkStopped { at: now() }).unwrap();
        let at = now().fixed_offset();
        let extras = || crate::report::ReportExtras {
            labour: Some(onsite_protocol::labour::LabourPrices {
                call_out_cents: 0,
                hourly_cents: 6000,
                increment_minutes: 15,
            }),
            ..Default::default()
        };
        let report = crate::report::report_of(&f.detail(), extras(), at);
        assert!(report.charges.is_none(), "in warranty: nothing charged");
        f.asset.warranty_until = Some("2025-01-31".parse().unwrap());
        f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        let report = crate::report::report_of(&f.detail(), extras(), at);
        let charges = report
            .charges
            .expect("out of warranty: the work is charged");
        assert_eq!(
            charges.lines,
            [(
                "Labour, 30 min at £60.00 an hour".to_string(),
                "£30.00".to_string()
            )],
            "a free call-out is not a line"
        );
        assert_eq!(charges.total, "£30.00");
        let report = crate::report::report_of(&f.detail(), Default::default(), at);
        assert!(
            report.charges.is_none(),
            "no parts and no labour prices: nothing to charge"
        );
    }

    #[test]
    fn a_request_hq_filled_says_so_until_a_page_says_otherwise() {
        let f = stocked();
        let asked = f
            .record(Change::PartsRequested {
                sku: "SEAL".into(),
                qty: 2,
                note: None,
            })
            .unwrap();
        let fill = onsite_protocol::visit::PartsFill {
            request: asked.op_id,
            job_id: f.job.id,
            at: now(),
            by: "Dora Dispatch".into(),
            how: "put into tina's van".into(),
        };
        let mut page = f.page(f.job.clone(), vec![]);
        page.fills = vec![fill.clone()];
        f.store.apply_pull(&page).unwrap();
        let requests = f.detail().visit.requests;
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].filled.as_ref(), Some(&fill));
        // Each page with the job carries all its fills: one without them has none.
        f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        assert_eq!(f.detail().visit.requests[0].filled, None);
        // A fill for a job the laptop does not hold is not kept.
        let mut page = f.page(f.job.clone(), vec![]);
        page.fills = vec![onsite_protocol::visit::PartsFill {
            job_id: JobId::new(),
            ..fill
        }];
        f.store.apply_pull(&page).unwrap();
        assert_eq!(f.detail().visit.requests[0].filled, None);
    }

    #[test]
    fn a_decision_is_one_the_policy_allows_and_keeps_what_it_was_made_on() {
        let mut f = stocked();
        f.asset.purchased_on = Some("2026-11-20".parse().unwrap());
        f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let choice = f
            .store
            .warranty("J-1", FaultCategory::Performance, today)
            .unwrap();
        let remedies: Vec<_> = choice.options.iter().map(|o| o.remedy).collect();
        assert_eq!(remedies, [Remedy::Return, Remedy::Replace, Remedy::Repair]);
        assert!(
            choice.options[0].words.contains("day 3"),
            "{}",
            choice.options[0].words
        );
        let damaged = f
            .store
            .warranty("J-1", FaultCategory::PhysicalDamage, today)
            .unwrap();
        let decided =
            |remedy: Remedy, rule: WarrantyRule, facts: WarrantyFacts| Change::WarrantyDecided {
                fault: FaultCategory::PhysicalDamage,
                remedy,
                rule,
                policy_version: 1,
                facts,
                visit_on: today,
                needs_review: false,
                note: None,
                replacement_serial: None,
                return_ref: None,
            };
        let refused = f
            .record(decided(
                Remedy::Repair,
                WarrantyRule::RepairPeriod,
                damaged.facts,
            ))
            .unwrap_err();
        assert_eq!(refused.code(), "remedy_not_allowed");
        assert!(refused.to_string().contains("chargeable"), "{refused}");
        let stale = WarrantyFacts {
            purchased_on: Some("2020-01-01".parse().unwrap()),
            ..damaged.facts
        };
        assert_eq!(
            f.record(decided(
                Remedy::Chargeable,
                WarrantyRule::ExcludedFault,
                stale
            ))
            .unwrap_err()
            .code(),
            "invalid_input"
        );
        f.record(decided(
            Remedy::Chargeable,
            WarrantyRule::ExcludedFault,
            damaged.facts,
        ))
        .unwrap();
        let d = f.detail();
        assert_eq!(
            d.visit.decisions[0].facts.purchased_on,
            f.asset.purchased_on
        );
        assert_eq!(d.visit.decisions[0].rule, WarrantyRule::ExcludedFault);
        // No policy for the model: said plainly.
        f.asset.model = "Unknown 1".into();
        f.store.apply_pull(&f.page(f.job.clone(), vec![])).unwrap();
        let none = f
            .store
            .warranty("J-1", FaultCategory::Performance, today)
            .unwrap_err();
        assert_eq!(none.code(), "no_warranty_policy");
    }
}
