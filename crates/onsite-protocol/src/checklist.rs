//! Checklist templates HQ owns (`onsite-hq checklists import`), which of them apply to a job,
//! whether an answer fits its item, and what still blocks completion. Pure rules, the same on
//! the laptop and at HQ.

use crate::model::{JobKind, string_enum};
use crate::text::{key, line as label};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

string_enum!(
    /// What kind of answer an item takes.
    ItemType {
        /// Yes or no.
        YesNo => "yes_no",
        /// A reading, with an optional unit and allowed range.
        Number => "number",
        /// One of the item's options.
        Choice => "choice",
        /// A photo, answered with the attachment's SHA-256.
        Photo => "photo",
        /// Free text.
        Text => "text",
    }
);

/// Most items in one template.
pub const MAX_ITEMS: usize = 200;
/// Most options of a choice item.
pub const MAX_OPTIONS: usize = 50;
/// Longest text answer, in characters.
pub const MAX_TEXT_ANSWER_CHARS: usize = 2_000;

/// One question of a checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// Stable within its template: answers name it.
    pub key: String,
    /// The question, as the technician reads it.
    pub label: String,
    /// What kind of answer it takes.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "ts", ts(rename = "type"))]
    pub kind: ItemType,
    /// Completion waits for an answer.
    #[serde(default)]
    pub required: bool,
    /// A number's unit (`bar`, `°C`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A number's lowest reading in range; a reading below is recorded and flagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// A number's highest reading in range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// A choice's options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A versioned checklist. A version never changes once imported; a change is a new version,
/// which applies to jobs not yet started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistTemplate {
    /// Stable across versions.
    pub key: String,
    /// 1 and up.
    pub version: u32,
    /// Shown above its items.
    pub title: String,
    /// The kinds of job it applies to.
    pub kinds: Vec<JobKind>,
    /// The product models it applies to; empty means any.
    #[serde(default)]
    pub models: Vec<String>,
    /// Its questions, in order.
    pub items: Vec<ChecklistItem>,
}

/// A template at one version, as a job pins it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateRef {
    /// The template's key.
    pub key: String,
    /// Its version.
    pub version: u32,
}

/// What an answer holds: `true`/`false` for yes/no, a number for a reading, text for a choice
/// or a remark, the attachment's SHA-256 for a photo.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AnswerValue {
    /// A yes/no answer.
    Bool(bool),
    /// A reading.
    Number(f64),
    /// A choice, a remark or a photo's hash.
    Text(String),
}

// Readings compare by their bits, so equality is an equivalence (an op holding a reading can
// be `Eq`); JSON cannot carry NaN, and `validate` refuses infinities.
impl PartialEq for AnswerValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Number(a), Self::Number(b)) => a.to_bits() == b.to_bits(),
            (Self::Text(a), Self::Text(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for AnswerValue {}

impl std::fmt::Display for AnswerValue {
    /// The answer as a technician reads it: `yes`/`no`, the reading, the text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bool(true) => f.write_str("yes"),
            Self::Bool(false) => f.write_str("no"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Text(t) => f.write_str(t),
        }
    }
}

/// How an accepted answer stands against its item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnswerCheck {
    /// A reading outside the item's range: recorded as measured, and flagged.
    pub out_of_range: bool,
}

impl ChecklistTemplate {
    /// Whether the template applies to a job of `kind` on a product of `model`.
    #[must_use]
    pub fn applies_to(&self, kind: JobKind, model: Option<&str>) -> bool {
        self.kinds.contains(&kind)
            && (self.models.is_empty() || model.is_some_and(|m| self.models.iter().any(|x| x == m)))
    }

    /// This template at its version.
    #[must_use]
    pub fn reference(&self) -> TemplateRef {
        TemplateRef {
            key: self.key.clone(),
            version: self.version,
        }
    }

    /// The item with `key`.
    #[must_use]
    pub fn item(&self, key: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Checks that the template can be answered as it says.
    ///
    /// # Errors
    /// What is wrong, naming the item.
    pub fn validate(&self) -> Result<(), String> {
        key("key", &self.key)?;
        if !(1..=crate::reference::MAX_VERSION).contains(&self.version) {
            return Err(format!(
                "version must be 1 to {}",
                crate::reference::MAX_VERSION
            ));
        }
        label("title", &self.title)?;
        if self.kinds.is_empty() {
            return Err("kinds must name at least one kind of job".into());
        }
        for model in &self.models {
            label("models", model)?;
        }
        if self.items.is_empty() || self.items.len() > MAX_ITEMS {
            return Err(format!("a checklist has 1 to {MAX_ITEMS} items"));
        }
        let mut seen = HashSet::new();
        for item in &self.items {
            let at = |e: String| format!("item {:?}: {e}", item.key);
            key("key", &item.key).map_err(at)?;
            if !seen.insert(item.key.as_str()) {
                return Err(at("the key is used twice".into()));
            }
            label("label", &item.label).map_err(at)?;
            item.validate_shape().map_err(at)?;
        }
        Ok(())
    }
}

impl ChecklistItem {
    fn validate_shape(&self) -> Result<(), String> {
        let number = self.kind == ItemType::Number;
        if !number && (self.unit.is_some() || self.min.is_some() || self.max.is_some()) {
            return Err("only a number item has a unit, min or max".into());
        }
        if let Some(unit) = &self.unit {
            label("unit", unit)?;
        }
        if [self.min, self.max]
            .iter()
            .flatten()
            .any(|v| !v.is_finite())
        {
            return Err("min and max must be numbers".into());
        }
        if let (Some(min), Some(max)) = (self.min, self.max)
            && min > max
        {
            return Err(format!("min {min} is above max {max}"));
        }
        let choice = self.kind == ItemType::Choice;
        if choice == self.options.is_empty() {
            return Err("a choice item has options, and only a choice item".into());
        }
        if self.options.len() > MAX_OPTIONS {
            return Err(format!("at most {MAX_OPTIONS} options"));
        }
        let mut seen = HashSet::new();
        for option in &self.options {
            label("option", option)?;
            if !seen.insert(option.as_str()) {
                return Err(format!("option {option:?} is given twice"));
            }
        }
        Ok(())
    }

    /// Whether `value` answers this item; a reading out of range is accepted and flagged.
    ///
    /// # Errors
    /// What the item expects, in words.
    pub fn check(&self, value: &AnswerValue) -> Result<AnswerCheck, String> {
        let fine = Ok(AnswerCheck {
            out_of_range: false,
        });
        match (self.kind, value) {
            (ItemType::YesNo, AnswerValue::Bool(_)) => fine,
            (ItemType::Number, AnswerValue::Number(n)) if n.is_finite() => {
                let below = self.min.is_some_and(|min| *n < min);
                let above = self.max.is_some_and(|max| *n > max);
                Ok(AnswerCheck {
                    out_of_range: below || above,
                })
            }
            (ItemType::Choice, AnswerValue::Text(t)) if self.options.contains(t) => fine,
            (ItemType::Choice, _) => Err(format!(
                "{:?} takes one of: {}",
                self.label,
                self.options.join(", ")
            )),
            (ItemType::Photo, AnswerValue::Text(t)) if crate::op::is_sha256(t) => fine,
            (ItemType::Text, AnswerValue::Text(t)) => {
                if t.trim().is_empty() {
                    Err(format!("{:?} needs some text", self.label))
                } else if t.chars().count() > MAX_TEXT_ANSWER_CHARS {
                    Err(format!(
                        "{:?} takes at most {MAX_TEXT_ANSWER_CHARS} characters",
                        self.label
                    ))
                } else {
                    fine
                }
            }
            (kind, _) => Err(format!("{:?} takes {}", self.label, expects(kind))),
        }
    }
}

fn expects(kind: ItemType) -> &'static str {
    match kind {
        ItemType::YesNo => "yes or no",
        ItemType::Number => "a number",
        ItemType::Choice => "one of its options",
        ItemType::Photo => "a photo",
        ItemType::Text => "text",
    }
}

/// A required item still unanswered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    /// The template it belongs to.
    pub template: TemplateRef,
    /// The item's key.
    pub item: String,
    /// The item's label, to name it to the technician.
    pub label: String,
}

/// The required items of `templates` that `answered` has no answer for, in template and item
/// order: completion waits until this is empty.
#[must_use]
pub fn missing_required(
    templates: &[ChecklistTemplate],
    answered: impl Fn(&TemplateRef, &str) -> bool,
) -> Vec<Missing> {
    let mut missing = Vec::new();
    for template in templates {
        let reference = template.reference();
        for item in template.items.iter().filter(|i| i.required) {
            if !answered(&reference, &item.key) {
                missing.push(Missing {
                    template: reference.clone(),
                    item: item.key.clone(),
                    label: item.label.clone(),
                });
            }
        }
    }
    missing
}

/// The templates a job starting work now pins: of each key, the newest version that applies.
#[must_use]
pub fn applicable(
    templates: &[ChecklistTemplate],
    kind: JobKind,
    model: Option<&str>,
) -> Vec<TemplateRef> {
    let mut newest: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    for t in templates.iter().filter(|t| t.applies_to(kind, model)) {
        let v = newest.entry(t.key.as_str()).or_default();
        *v = (*v).max(t.version);
    }
    newest
        .into_iter()
        .map(|(key, version)| TemplateRef {
            key: key.to_string(),
            version,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> ChecklistTemplate {
        serde_json::from_value(json!({"key":"heatpump-install","version":1,"title":"Heat pump installation","kinds":["installation"],"models":["AirSource 8 kW heat pump"],"items":[
            {"key":"earth","label":"Earth continuity tested","type":"yes_no","required":true},
            {"key":"pressure","label":"System pressure","type":"number","unit":"bar","min":1.0,"max":2.5,"required":true},
            {"key":"mode","label":"Mode","type":"choice","options":["heating","hot water"],"required":false},
            {"key":"label_photo","label":"Photo of the rating label","type":"photo","required":true},
            {"key":"notes","label":"Remarks","type":"text","required":false}]}))
        .unwrap()
    }

    #[test]
    fn the_example_template_is_valid() {
        assert_eq!(template().validate(), Ok(()));
    }

    #[test]
    fn a_template_that_cannot_be_answered_is_refused() {
        let cases = [
            (json!({"key": "Heat Pump"}), "key \"Heat Pump\" must be"),
            (json!({"version": 0}), "version must be 1"),
            (
                json!({"version": 1_000_000_000}),
                "version must be 1 to 999999999",
            ),
            (json!({"title": " "}), "title is empty"),
            (json!({"kinds": []}), "at least one kind"),
            (json!({"items": []}), "1 to 200 items"),
            (
                json!({"items": [{"key":"a","label":"A","type":"yes_no"},{"key":"a","label":"B","type":"text"}]}),
                "item \"a\": the key is used twice",
            ),
            (
                json!({"items": [{"key":"a","label":"A","type":"choice"}]}),
                "a choice item has options",
            ),
            (
                json!({"items": [{"key":"a","label":"A","type":"text","options":["x"]}]}),
                "only a choice item",
            ),
            (
                json!({"items": [{"key":"a","label":"A","type":"choice","options":["x","x"]}]}),
                "given twice",
            ),
            (
                json!({"items": [{"key":"a","label":"A","type":"yes_no","unit":"bar"}]}),
                "only a number item has a unit",
            ),
            (
                json!({"items": [{"key":"a","label":"A","type":"number","min":3,"max":1}]}),
                "min 3 is above max 1",
            ),
            (
                json!({"items": [{"key":"a","label":"","type":"number"}]}),
                "label is empty",
            ),
        ];
        for (patch, expected) in cases {
            let mut value = serde_json::to_value(template()).unwrap();
            for (k, v) in patch.as_object().unwrap() {
                value[k] = v.clone();
            }
            let t: ChecklistTemplate = serde_json::from_value(value).unwrap();
            let err = t.validate().unwrap_err();
            assert!(err.contains(expected), "{patch}: {err}");
        }
        // An unknown field or item type is a typo, not something to ignore.
        let typo = json!({"key":"k","version":1,"title":"T","kinds":["repair"],"items":[{"key":"a","label":"A","type":"yes_no","requred":true}]});
        assert!(serde_json::from_value::<ChecklistTemplate>(typo).is_err());
        let kind = json!({"key":"k","version":1,"title":"T","kinds":["repair"],"items":[{"key":"a","label":"A","type":"date"}]});
        assert!(serde_json::from_value::<ChecklistTemplate>(kind).is_err());
    }

    #[test]
    fn applies_by_kind_and_model() {
        let t = template();
        let any_model = ChecklistTemplate {
            models: vec![],
            ..template()
        };
        let cases = [
            (
                &t,
                JobKind::Installation,
                Some("AirSource 8 kW heat pump"),
                true,
            ),
            (&t, JobKind::Installation, Some("AquaPure washer"), false),
            (&t, JobKind::Installation, None, false),
            (&t, JobKind::Repair, Some("AirSource 8 kW heat pump"), false),
            (&any_model, JobKind::Installation, None, true),
            (
                &any_model,
                JobKind::Installation,
                Some("AquaPure washer"),
                true,
            ),
            (&any_model, JobKind::Maintenance, None, false),
        ];
        for (template, kind, model, expected) in cases {
            assert_eq!(
                template.applies_to(kind, model),
                expected,
                "{kind} {model:?}"
            );
        }
    }

    #[test]
    fn a_job_pins_the_newest_version_that_applies() {
        let v2 = ChecklistTemplate {
            version: 2,
            ..template()
        };
        let v3_other_model = ChecklistTemplate {
            version: 3,
            models: vec!["Other".into()],
            ..template()
        };
        let safety = ChecklistTemplate {
            key: "safety".into(),
            models: vec![],
            kinds: vec![JobKind::Installation, JobKind::Repair],
            ..template()
        };
        let all = [template(), v3_other_model, v2, safety];
        let pinned = applicable(
            &all,
            JobKind::Installation,
            Some("AirSource 8 kW heat pump"),
        );
        let names: Vec<(String, u32)> = pinned.into_iter().map(|r| (r.key, r.version)).collect();
        assert_eq!(
            names,
            vec![("heatpump-install".into(), 2), ("safety".into(), 1)]
        );
        assert_eq!(
            applicable(&all, JobKind::Repair, None),
            vec![TemplateRef {
                key: "safety".into(),
                version: 1
            }]
        );
    }

    #[test]
    fn answers_are_checked_against_their_item() {
        let t = template();
        let item = |k: &str| t.item(k).unwrap().clone();
        let photo = "a".repeat(64);
        let in_range = Ok(AnswerCheck {
            out_of_range: false,
        });
        let out = Ok(AnswerCheck { out_of_range: true });
        let cases: Vec<(&str, AnswerValue, Result<AnswerCheck, &str>)> = vec![
            ("earth", AnswerValue::Bool(true), in_range),
            (
                "earth",
                AnswerValue::Text("yes".into()),
                Err("takes yes or no"),
            ),
            ("pressure", AnswerValue::Number(1.0), in_range),
            ("pressure", AnswerValue::Number(2.5), in_range),
            ("pressure", AnswerValue::Number(0.9), out),
            ("pressure", AnswerValue::Number(3.1), out),
            ("pressure", AnswerValue::Bool(true), Err("takes a number")),
            (
                "pressure",
                AnswerValue::Number(f64::NAN),
                Err("takes a number"),
            ),
            ("mode", AnswerValue::Text("heating".into()), in_range),
            (
                "mode",
                AnswerValue::Text("cooling".into()),
                Err("takes one of: heating, hot water"),
            ),
            ("label_photo", AnswerValue::Text(photo), in_range),
            (
                "label_photo",
                AnswerValue::Text("photo.jpg".into()),
                Err("takes a photo"),
            ),
            ("notes", AnswerValue::Text("All good".into()), in_range),
            (
                "notes",
                AnswerValue::Text("  ".into()),
                Err("needs some text"),
            ),
            (
                "notes",
                AnswerValue::Text("x".repeat(2001)),
                Err("at most 2000"),
            ),
            ("notes", AnswerValue::Number(3.0), Err("takes text")),
        ];
        for (key, value, expected) in cases {
            let got = item(key).check(&value);
            match (&got, expected) {
                (Ok(a), Ok(b)) => assert_eq!(*a, b, "{key} {value:?}"),
                (Err(e), Err(words)) => assert!(e.contains(words), "{key} {value:?}: {e}"),
                _ => panic!("{key} {value:?}: {got:?}"),
            }
        }
    }

    #[test]
    fn completion_waits_for_every_required_item() {
        let t = template();
        let reference = t.reference();
        let missing = missing_required(std::slice::from_ref(&t), |_, _| false);
        let keys: Vec<&str> = missing.iter().map(|m| m.item.as_str()).collect();
        assert_eq!(keys, ["earth", "pressure", "label_photo"]);
        assert_eq!(missing[0].label, "Earth continuity tested");
        let answered = ["earth", "pressure", "label_photo"];
        let none = missing_required(std::slice::from_ref(&t), |r, item| {
            *r == reference && answered.contains(&item)
        });
        assert!(none.is_empty());
        // An answer to another version does not count for this one.
        let other = TemplateRef {
            version: 2,
            ..reference.clone()
        };
        let stale = missing_required(std::slice::from_ref(&t), |r, _| *r == other);
        assert_eq!(stale.len(), 3);
    }

    #[test]
    fn answer_values_are_plain_json() {
        for (value, json) in [
            (AnswerValue::Bool(true), json!(true)),
            (AnswerValue::Number(1.8), json!(1.8)),
            (AnswerValue::Text("heating".into()), json!("heating")),
        ] {
            assert_eq!(serde_json::to_value(&value).unwrap(), json);
            assert_eq!(serde_json::from_value::<AnswerValue>(json).unwrap(), value);
        }
    }
}
