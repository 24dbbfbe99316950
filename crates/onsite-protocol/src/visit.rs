//! A job's visit record: what its ops say was done on site — the checklist versions it keeps,
//! each item's answer, the parts used, the warranty decision, the parts it waits for — folded
//! from the ops by the merge rules. The laptop folds HQ's ops and its own unsent ones; HQ folds
//! the ops it applied; the same function, so both show the same record.

use crate::checklist::{AnswerValue, Missing, TemplateRef};
use crate::ids::{JobId, OpId};
use crate::op::{Change, Op};
use crate::signoff::{Rating, SignOff};
use crate::warranty::{FaultCategory, Remedy, WarrantyFacts, WarrantyRule};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The current answer to one checklist item, with the answers it replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordedAnswer {
    /// The template and version.
    pub template: TemplateRef,
    /// The item's key.
    pub item: String,
    /// The latest answer (by HLC).
    #[cfg_attr(feature = "ts", ts(type = "boolean | number | string"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: AnswerValue,
    /// The op that recorded it.
    pub op_id: OpId,
    /// Earlier answers to the item, oldest first.
    #[cfg_attr(feature = "ts", ts(type = "Array<boolean | number | string>"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub earlier: Vec<AnswerValue>,
}

/// Parts used on the job, as one op recorded them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartUse {
    /// The op; a correction names it.
    pub op_id: OpId,
    /// The part.
    pub sku: String,
    /// Units used.
    pub qty: u32,
    /// The unit's serial.
    pub serial: Option<String>,
    /// The faulty part's serial.
    pub removed_serial: Option<String>,
    /// A later correction voided it: the parts went back into the van.
    pub voided: bool,
}

/// A warranty decision as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// The op; a correction names it.
    pub op_id: OpId,
    /// The fault found.
    pub fault: FaultCategory,
    /// What is done.
    pub remedy: Remedy,
    /// The clause that allows it.
    pub rule: WarrantyRule,
    /// The policy version.
    pub policy_version: u32,
    /// The facts it was decided on.
    pub facts: WarrantyFacts,
    /// The visit's date.
    pub visit_on: NaiveDate,
    /// Decided without a start date: for HQ to review.
    pub needs_review: bool,
    /// The technician's words.
    pub note: Option<String>,
    /// The new unit's serial, for a replacement.
    pub replacement_serial: Option<String>,
    /// The faulty unit's return reference.
    pub return_ref: Option<String>,
    /// A later correction voided it.
    pub voided: bool,
}

impl Decision {
    /// A free repair of a performance fault: what the repeated-failure rule counts.
    #[must_use]
    pub fn free_repair(&self) -> bool {
        self.remedy == Remedy::Repair && self.fault == FaultCategory::Performance
    }
}

/// Parts the job waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartsRequest {
    /// The op.
    pub op_id: OpId,
    /// The part.
    pub sku: String,
    /// Units needed.
    pub qty: u32,
    /// What for.
    pub note: Option<String>,
    /// How HQ filled it, once it has (the record of ops alone never says: HQ does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub filled: Option<PartsFill>,
}

/// A parts request filled at HQ: the parts were put into the technician's van, or a
/// dispatcher said how they reach the job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartsFill {
    /// The request (the op that asked).
    pub request: OpId,
    /// Its job.
    pub job_id: JobId,
    /// When HQ filled it.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who filled it.
    pub by: String,
    /// How, in words: "put into tina's van", or the dispatcher's own words.
    pub how: String,
}

/// Body of `POST /parts-requests/{op_id}/fill`: how the parts reach the job (sent to the
/// customer, collected from the depot, ...), in at most `text::MAX_LINE_CHARS` characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FillInput {
    /// How, in words.
    pub how: String,
}

/// One checklist item, named by its template version and key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRef {
    /// The template and version.
    pub template: TemplateRef,
    /// The item's key.
    pub item: String,
}

/// `GET /jobs/{id}/visit`: a job's visit record as HQ holds it, with what a dispatcher looks
/// at first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobVisit {
    /// The job.
    pub job_id: JobId,
    /// What its applied ops recorded.
    pub record: VisitRecord,
    /// The checklist versions it keeps (or, not started, those that apply now).
    pub checklists: Vec<TemplateRef>,
    /// Required items not answered.
    pub missing: Vec<Missing>,
    /// Readings recorded outside their item's range.
    pub out_of_range: Vec<ItemRef>,
    /// The decision that stands was made without the product's start date.
    pub needs_review: bool,
    /// What moved the job's status or holder at HQ, oldest first.
    #[serde(default)]
    pub history: Vec<crate::model::StatusChange>,
    /// The label of each item of the checklists it keeps, for showing answers by name.
    #[serde(default)]
    pub labels: Vec<ItemLabel>,
}

/// A checklist item's label, as its template version words it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemLabel {
    /// The template and version.
    pub template: TemplateRef,
    /// The item's key.
    pub item: String,
    /// What the technician was asked.
    pub label: String,
}

/// One parts request from the field, for dispatchers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenPartsRequest {
    /// The op that asked.
    pub op_id: OpId,
    /// The job waiting.
    pub job_id: JobId,
    /// Its number.
    pub job_number: String,
    /// Its status.
    pub job_status: crate::status::JobStatus,
    /// Who asked.
    pub technician: String,
    /// The part.
    pub sku: String,
    /// Its name in the catalog.
    pub name: Option<String>,
    /// Units needed.
    pub qty: u32,
    /// What for.
    pub note: Option<String>,
    /// When HQ received it.
    pub requested_at: chrono::DateTime<chrono::Utc>,
}

/// An earlier (or other) visit to a product, for its service history on the laptop: what was
/// done, with which parts, and what warranty decision stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceVisit {
    /// The product.
    pub asset_id: crate::ids::AssetId,
    /// The job.
    pub job_id: JobId,
    /// Its number.
    pub number: String,
    /// Its kind.
    pub kind: crate::model::JobKind,
    /// Where it stands.
    pub status: crate::status::JobStatus,
    /// What it was about.
    pub summary: String,
    /// When: the visit's scheduled start, else when HQ last changed the job.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who did it.
    pub technician: Option<String>,
    /// Parts used (voided uses left out).
    pub parts: Vec<PartUse>,
    /// The warranty decision that stands.
    pub decision: Option<Decision>,
}

/// Most earlier visits a product's history carries.
pub const MAX_SERVICE_HISTORY: usize = 20;

/// Query of `GET /parts-requests`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PartsRequestQuery {
    /// Continue after this position (the previous page's `next`).
    pub after: Option<i64>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// `GET /parts-requests`: requests not yet filled on jobs not yet completed or cancelled,
/// oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartsRequestList {
    /// The requests.
    pub requests: Vec<OpenPartsRequest>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<i64>,
}

/// What a job's ops say was done on site.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitRecord {
    /// The checklist versions the job keeps, once work on it has started (the earliest pin).
    pub pinned: Option<Vec<TemplateRef>>,
    /// Each answered item's current answer, by template and item key.
    pub answers: Vec<RecordedAnswer>,
    /// Every part use, voided ones too, in recording order.
    pub parts: Vec<PartUse>,
    /// Every decision, voided ones too, in recording order; the last one not voided stands.
    pub decisions: Vec<Decision>,
    /// Parts the job waits for.
    pub requests: Vec<PartsRequest>,
    /// Every signed report, oldest first; the last one counts, and each says whether the job
    /// changed after it was signed.
    #[serde(default)]
    pub signoffs: Vec<SignOff>,
    /// Every rating the customer gave, oldest first; the last one counts.
    #[serde(default)]
    pub ratings: Vec<Rating>,
}

impl VisitRecord {
    /// Marks each request that HQ filled, from `fills` (those of this job, in any order).
    pub fn mark_filled(&mut self, fills: &[PartsFill]) {
        for request in &mut self.requests {
            request.filled = fills.iter().find(|f| f.request == request.op_id).cloned();
        }
    }

    /// Folds the ops that count (applied at HQ, or recorded here and not answered yet) in
    /// clock order, whatever order they are given in: the earliest pin counts, each item's
    /// latest answer counts, a void marks its target.
    #[must_use]
    pub fn fold<'a>(ops: impl IntoIterator<Item = &'a Op>) -> VisitRecord {
        let mut ops: Vec<&Op> = ops.into_iter().collect();
        ops.sort_by_key(|o| o.hlc);
        Self::fold_in_order(ops.into_iter().map(|o| (o.op_id, &o.change)))
    }

    /// As [`VisitRecord::fold`], for changes already in clock order (a job's activity).
    #[must_use]
    pub fn fold_in_order<'a>(ops: impl IntoIterator<Item = (OpId, &'a Change)>) -> VisitRecord {
        let mut record = VisitRecord::default();
        let mut answers: BTreeMap<(TemplateRef, String), RecordedAnswer> = BTreeMap::new();
        let mut voided: HashSet<OpId> = HashSet::new();
        for (op_id, change) in ops {
            match change {
                Change::ChecklistPinned { templates } if record.pinned.is_none() => {
                    record.pinned = Some(templates.clone());
                }
                Change::ChecklistAnswer {
                    template,
                    item,
                    value,
                } => {
                    let entry = answers
                        .entry((template.clone(), item.clone()))
                        .or_insert_with(|| RecordedAnswer {
                            template: template.clone(),
                            item: item.clone(),
                            value: value.clone(),
                            op_id,
                            earlier: Vec::new(),
                        });
                    if entry.op_id != op_id {
                        let before = std::mem::replace(&mut entry.value, value.clone());
                        entry.earlier.push(before);
                        entry.op_id = op_id;
                    }
                }
                Change::PartUsed {
                    sku,
                    qty,
                    serial,
                    removed_serial,
                } => record.parts.push(PartUse {
                    op_id,
                    sku: sku.clone(),
                    qty: *qty,
                    serial: serial.clone(),
                    removed_serial: removed_serial.clone(),
                    voided: false,
                }),
                Change::WarrantyDecided {
                    fault,
                    remedy,
                    rule,
                    policy_version,
                    facts,
                    visit_on,
                    needs_review,
                    note,
                    replacement_serial,
                    return_ref,
                } => record.decisions.push(Decision {
                    op_id,
                    fault: *fault,
                    remedy: *remedy,
                    rule: *rule,
                    policy_version: *policy_version,
                    facts: *facts,
                    visit_on: *visit_on,
                    needs_review: *needs_review,
                    note: note.clone(),
                    replacement_serial: replacement_serial.clone(),
                    return_ref: return_ref.clone(),
                    voided: false,
                }),
                Change::Voided { voids, .. } => {
                    voided.insert(*voids);
                }
                Change::PartsRequested { sku, qty, note } => {
                    record.requests.push(PartsRequest {
                        filled: None,
                        op_id,
                        sku: sku.clone(),
                        qty: *qty,
                        note: note.clone(),
                    });
                }
                Change::SignedOff {
                    report,
                    signer,
                    signature,
                    signed_at,
                } => record.signoffs.push(SignOff {
                    op_id,
                    report: report.clone(),
                    signer: signer.clone(),
                    signature: signature.clone(),
                    signed_at: *signed_at,
                    changed_since: false,
                }),
                Change::Rated {
                    satisfaction,
                    recommend,
                    comment,
                    complaint,
                    call_ok,
                    call_time,
                } => record.ratings.push(Rating {
                    op_id,
                    satisfaction: *satisfaction,
                    recommend: *recommend,
                    comment: comment.clone(),
                    complaint: complaint.clone(),
                    call_ok: *call_ok,
                    call_time: *call_time,
                }),
                _ => {}
            }
            // Every report signed so far no longer says what the job records.
            if change.shows_on_report() {
                for signed in &mut record.signoffs {
                    signed.changed_since = true;
                }
            }
        }
        for part in &mut record.parts {
            part.voided = voided.contains(&part.op_id);
        }
        for decision in &mut record.decisions {
            decision.voided = voided.contains(&decision.op_id);
        }
        record.answers = answers.into_values().collect();
        record
    }

    /// The signed report that counts: the latest.
    #[must_use]
    pub fn signoff(&self) -> Option<&SignOff> {
        self.signoffs.last()
    }

    /// The rating that counts: the latest.
    #[must_use]
    pub fn rating(&self) -> Option<&Rating> {
        self.ratings.last()
    }

    /// The decision that stands: the latest not voided.
    #[must_use]
    pub fn decision(&self) -> Option<&Decision> {
        self.decisions.iter().rev().find(|d| !d.voided)
    }

    /// The current answer to `item` of `template`.
    #[must_use]
    pub fn answer(&self, template: &TemplateRef, item: &str) -> Option<&RecordedAnswer> {
        self.answers
            .iter()
            .find(|a| &a.template == template && a.item == item)
    }

    /// Whether the decision that stands is a free repair of a performance fault: what the
    /// repeated-failure rule counts on an asset's later visits.
    #[must_use]
    pub fn free_repair(&self) -> bool {
        self.decision().is_some_and(Decision::free_repair)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::ids::{DeviceId, JobId};

    const DEVICE: DeviceId = DeviceId(uuid::Uuid::from_u128(3));

    fn op(wall: i64, change: Change) -> Op {
        Op {
            op_id: OpId(uuid::Uuid::from_u128(wall as u128)),
            device_id: DEVICE,
            job_id: JobId(uuid::Uuid::from_u128(1)),
            hlc: Hlc {
                wall,
                counter: 0,
                node: DEVICE,
            },
            recorded_at: None,
            change,
        }
    }

    fn t(key: &str, version: u32) -> TemplateRef {
        TemplateRef {
            key: key.into(),
            version,
        }
    }

    fn answer(item: &str, value: AnswerValue) -> Change {
        Change::ChecklistAnswer {
            template: t("boiler", 2),
            item: item.into(),
            value,
        }
    }

    fn part(sku: &str) -> Change {
        Change::PartUsed {
            sku: sku.into(),
            qty: 1,
            serial: None,
            removed_serial: None,
        }
    }

    fn decided(remedy: Remedy, fault: FaultCategory) -> Change {
        Change::WarrantyDecided {
            fault,
            remedy,
            rule: WarrantyRule::RepairPeriod,
            policy_version: 1,
            facts: WarrantyFacts::default(),
            visit_on: "2026-12-01".parse().unwrap(),
            needs_review: false,
            note: None,
            replacement_serial: None,
            return_ref: None,
        }
    }

    #[test]
    fn the_earliest_pin_counts_and_each_items_latest_answer() {
        // Given out of clock order, as HQ and the laptop may hold them.
        let ops = [
            op(5, answer("pressure", AnswerValue::Number(1.9))),
            op(
                2,
                Change::ChecklistPinned {
                    templates: vec![t("boiler", 2)],
                },
            ),
            op(3, answer("pressure", AnswerValue::Number(0.4))),
            op(
                4,
                Change::ChecklistPinned {
                    templates: vec![t("boiler", 3)],
                },
            ),
            op(6, answer("earth", AnswerValue::Bool(true))),
        ];
        let record = VisitRecord::fold(&ops);
        assert_eq!(record.pinned, Some(vec![t("boiler", 2)]));
        let pressure = record.answer(&t("boiler", 2), "pressure").unwrap();
        assert_eq!(pressure.value, AnswerValue::Number(1.9));
        assert_eq!(pressure.earlier, vec![AnswerValue::Number(0.4)]);
        assert_eq!(pressure.op_id, ops[0].op_id);
        assert_eq!(record.answers.len(), 2);
        assert!(record.answer(&t("boiler", 3), "pressure").is_none());
    }

    #[test]
    fn a_void_marks_its_target_and_the_last_standing_decision_counts() {
        let ops = [
            op(1, part("SEAL-22")),
            op(2, part("PUMP-1")),
            op(3, decided(Remedy::Repair, FaultCategory::Performance)),
            op(4, decided(Remedy::Chargeable, FaultCategory::Wear)),
            op(
                5,
                Change::Voided {
                    voids: OpId(uuid::Uuid::from_u128(1)),
                    reason: Some("wrong part".into()),
                },
            ),
            op(
                6,
                Change::Voided {
                    voids: OpId(uuid::Uuid::from_u128(4)),
                    reason: None,
                },
            ),
        ];
        let record = VisitRecord::fold(&ops);
        let voided: Vec<_> = record.parts.iter().map(|p| (&*p.sku, p.voided)).collect();
        assert_eq!(voided, [("SEAL-22", true), ("PUMP-1", false)]);
        assert_eq!(record.decisions.len(), 2, "both decisions stay on record");
        assert_eq!(record.decision().unwrap().remedy, Remedy::Repair);
        assert!(record.free_repair());
        let none = VisitRecord::fold(&ops[..4]);
        assert_eq!(none.decision().unwrap().remedy, Remedy::Chargeable);
        assert!(!none.free_repair());
    }

    #[test]
    fn no_ops_no_record() {
        let record = VisitRecord::fold(&[]);
        assert_eq!(record, VisitRecord::default());
        assert!(record.pinned.is_none() && record.decision().is_none());
    }

    fn signed(by: &str) -> Change {
        Change::SignedOff {
            report: crate::signoff::BlobRef {
                sha256: "ab".repeat(32),
                bytes: 100,
            },
            signer: by.into(),
            signature: None,
            signed_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_change_the_report_shows_after_signing_asks_for_a_new_signature() {
        let rated = Change::Rated {
            satisfaction: 2,
            recommend: Some(3),
            comment: None,
            complaint: Some("Late".into()),
            call_ok: true,
            call_time: None,
        };
        // (ops in clock order, whether the latest sign-off has changed since, sign-offs held)
        let note = || Change::Note { text: "x".into() };
        let moved = || Change::Status {
            to: crate::status::JobStatus::Completed,
        };
        let cases: [(Vec<Change>, Option<bool>, usize); 6] = [
            (vec![note()], None, 0),
            (vec![note(), signed("Ann")], Some(false), 1),
            (vec![signed("Ann"), note()], Some(true), 1),
            (vec![signed("Ann"), moved(), rated.clone()], Some(false), 1),
            (
                vec![signed("Ann"), part("P-1"), signed("Bob")],
                Some(false),
                2,
            ),
            (
                vec![signed("Ann"), signed("Bob"), part("P-1")],
                Some(true),
                2,
            ),
        ];
        for (i, (changes, changed, held)) in cases.into_iter().enumerate() {
            let ops: Vec<Op> = changes
                .into_iter()
                .enumerate()
                .map(|(at, c)| op(at as i64 + 1, c))
                .collect();
            // Given out of order: the clock decides.
            let record = VisitRecord::fold(ops.iter().rev());
            assert_eq!(
                record.signoff().map(|s| s.changed_since),
                changed,
                "case {i}"
            );
            assert_eq!(record.signoffs.len(), held, "case {i}");
        }
        // The earlier signed report is kept, and marked as overtaken.
        let record = VisitRecord::fold(&[
            op(1, signed("Ann")),
            op(2, note()),
            op(3, signed("Bob")),
            op(4, rated.clone()),
        ]);
        assert!(record.signoffs[0].changed_since);
        assert_eq!(record.signoff().unwrap().signer, "Bob");
        assert_eq!(record.rating().unwrap().satisfaction, 2);
    }
}
