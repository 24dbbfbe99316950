//! The visit on the device: answering checklists, using parts, deciding the warranty, voiding a
//! mistake and asking for parts — each a change through [`Device::record`], so it is checked,
//! shown at once and queued for HQ like every other.

use super::Device;
use crate::answer::{self, Typed};
use crate::error::{CoreError, Result};
use crate::store::{Checklist, OutboxEntry, VanLine, WarrantyChoice};
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::checklist::TemplateRef;
use onsite_protocol::warranty::{FaultCategory, Remedy};
use onsite_protocol::{Change, OpId};

/// A part use as the technician gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartInput<'a> {
    /// The part.
    pub sku: &'a str,
    /// Units; one when not given.
    pub qty: Option<u32>,
    /// The unit's serial, for a serialized part.
    pub serial: Option<&'a str>,
    /// The faulty part's serial.
    pub removed_serial: Option<&'a str>,
}

/// A warranty decision as the technician gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionInput<'a> {
    /// What is done.
    pub remedy: Remedy,
    /// The fault found.
    pub fault: FaultCategory,
    /// The technician's words.
    pub note: Option<&'a str>,
    /// For a replacement: the new unit's serial.
    pub replacement_serial: Option<&'a str>,
}

/// The reference the faulty unit of a return or replacement travels back under: the job's
/// number and a few characters of the decision's own random id, so it is made offline and
/// unique without asking HQ.
fn return_ref(number: &str, nonce: &OpId) -> String {
    let job: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(24)
        .collect::<String>()
        .to_ascii_uppercase();
    let tail = nonce.0.simple().to_string();
    format!("RMA-{job}-{}", tail[tail.len() - 6..].to_ascii_uppercase())
}

impl Device {
    /// The parts in the van: HQ's balances less what was used here and not sent yet.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn van_stock(&self) -> Result<Vec<VanLine>> {
        self.store.van_stock()
    }

    /// Whether the day of `day` (from `from` to `until`, the technician's local day) can be
    /// worked offline, judged at `now`: see [`crate::ready`].
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn ready(
        &self,
        day: NaiveDate,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<crate::ready::Readiness> {
        Ok(crate::ready::assess(
            day,
            now,
            self.store.day_facts(until)?,
            &self.store.fitted_parts()?,
            self.store.waiting()?,
            self.last_sync_at()?,
        ))
    }

    /// The checklists of job `number` with their answers and what completion waits for.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::Store`].
    pub fn checklist(&self, number: &str) -> Result<Checklist> {
        self.store.checklist(number)
    }

    /// Answers item `item` of job `number`'s checklist with `typed`, read as the item takes
    /// it (see [`answer::read`]); a photo item's file is attached first. `item` is the item's
    /// key, or `template.item` when two of the job's checklists share a key.
    ///
    /// # Errors
    /// [`CoreError::InvalidInput`] naming what the item takes or which items there are, and
    /// as [`Device::record`].
    pub fn answer(
        &self,
        number: &str,
        item: &str,
        typed: &str,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        let checklist = self.checklist(number)?;
        let (template, found) = resolve(&checklist, number, item)?;
        let value = match answer::read(found, typed).map_err(CoreError::InvalidInput)? {
            Typed::Value(v) => v,
            Typed::Photo(path) => {
                let photo = self.attach_file(number, &path, Some(&found.label), now)?;
                match photo.change {
                    Change::Attachment { sha256, .. } => {
                        onsite_protocol::checklist::AnswerValue::Text(sha256)
                    }
                    _ => unreachable!("an attachment records an attachment"),
                }
            }
        };
        let item = found.key.clone();
        self.record(
            number,
            Change::ChecklistAnswer {
                template,
                item,
                value,
            },
            now,
        )
    }

    /// Records parts from the van used on job `number`.
    ///
    /// # Errors
    /// [`CoreError::UnknownPart`], [`CoreError::InvalidInput`], and as [`Device::record`].
    pub fn use_part(
        &self,
        number: &str,
        part: &PartInput<'_>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        self.record(
            number,
            Change::PartUsed {
                sku: part.sku.to_string(),
                qty: part.qty.unwrap_or(1),
                serial: part.serial.map(str::to_string),
                removed_serial: part.removed_serial.map(str::to_string),
            },
            now,
        )
    }

    /// What the warranty allows for `fault` on job `number`'s product on `today`.
    ///
    /// # Errors
    /// [`CoreError::InvalidInput`] (no product), [`CoreError::NoWarrantyPolicy`], and
    /// [`CoreError::UnknownJob`].
    pub fn warranty(
        &self,
        number: &str,
        fault: FaultCategory,
        today: NaiveDate,
    ) -> Result<WarrantyChoice> {
        self.store.warranty(number, fault, today)
    }

    /// Records the warranty decision on job `number`: the remedy must be one the policy allows
    /// for the fault on `today`; the decision keeps the policy version, the facts and the rule.
    /// A return or replacement gets its return reference here.
    ///
    /// # Errors
    /// [`CoreError::RemedyNotAllowed`] naming the options, and as [`Device::warranty`] and
    /// [`Device::record`].
    pub fn decide(
        &self,
        number: &str,
        decision: &DecisionInput<'_>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<OutboxEntry> {
        let choice = self.warranty(number, decision.fault, today)?;
        let Some(rule) = choice.found.rule_for(decision.remedy) else {
            return Err(CoreError::RemedyNotAllowed {
                remedy: decision.remedy,
                allowed: choice.allowed(),
            });
        };
        let travels = matches!(decision.remedy, Remedy::Return | Remedy::Replace);
        self.record(
            number,
            Change::WarrantyDecided {
                fault: decision.fault,
                remedy: decision.remedy,
                rule,
                policy_version: choice.policy.version,
                facts: choice.facts,
                visit_on: today,
                needs_review: choice.found.needs_review,
                note: decision.note.map(str::to_string),
                replacement_serial: decision.replacement_serial.map(str::to_string),
                return_ref: travels.then(|| return_ref(number, &OpId::new())),
            },
            now,
        )
    }

    /// Voids a part use or decision recorded on job `number` by mistake; both stay on record.
    ///
    /// # Errors
    /// [`CoreError::InvalidInput`] when the job has no such fact, and as [`Device::record`].
    pub fn void(
        &self,
        number: &str,
        voids: OpId,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        self.record(
            number,
            Change::Voided {
                voids,
                reason: reason.map(str::to_string),
            },
            now,
        )
    }

    /// Asks for parts job `number` waits for.
    ///
    /// # Errors
    /// [`CoreError::UnknownPart`], and as [`Device::record`].
    pub fn request_parts(
        &self,
        number: &str,
        sku: &str,
        qty: u32,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        self.record(
            number,
            Change::PartsRequested {
                sku: sku.to_string(),
                qty,
                note: note.map(str::to_string),
            },
            now,
        )
    }
}

/// The item `spec` names among the job's checklists: its key, or `template.item`.
fn resolve<'a>(
    checklist: &'a Checklist,
    number: &str,
    spec: &str,
) -> Result<(TemplateRef, &'a onsite_protocol::checklist::ChecklistItem)> {
    let spec = spec.trim();
    let (template, key) = match spec.split_once('.') {
        Some((t, k)) => (Some(t), k),
        None => (None, spec),
    };
    let found: Vec<_> = checklist
        .sections
        .iter()
        .filter(|s| template.is_none_or(|t| s.template.key == t))
        .filter_map(|s| s.template.item(key).map(|i| (s.template.reference(), i)))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            let items: Vec<String> = checklist
                .sections
                .iter()
                .flat_map(|s| s.template.items.iter().map(|i| i.key.clone()))
                .collect();
            Err(CoreError::InvalidInput(if items.is_empty() {
                format!("job {number} has no checklist")
            } else {
                format!(
                    "job {number}'s checklist has no item {spec:?}; its items: {}",
                    items.join(", ")
                )
            }))
        }
        many => Err(CoreError::InvalidInput(format!(
            "{} checklists have an item {key:?}; say which: {}",
            many.len(),
            many.iter()
                .map(|(t, _)| format!("{}.{key}", t.key))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_reference_is_made_offline_from_the_job_and_the_decision() {
        let id = OpId(uuid::Uuid::from_u128(0xabc_def012));
        assert_eq!(return_ref("J-1042", &id), "RMA-J-1042-DEF012");
        assert_eq!(return_ref("j 7/2", &id), "RMA-J72-DEF012");
        let made = return_ref("J-1", &OpId::new());
        assert!(made.starts_with("RMA-J-1-") && made.len() == "RMA-J-1-".len() + 6);
    }
}
